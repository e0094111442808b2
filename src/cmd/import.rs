//! `pactum import THEIR.docx`: the other side's edited DOCX of a round back as the next
//! round's terms. Reads the DOCX ([`crate::import::package`]), renders pactum's own DOCX of
//! the round its record names, compares the two ([`crate::import::compare`]), writes the next
//! round ([`crate::import::yaml`]) after checking it, and prints a report like `diff`'s.
//! Exit 0 every change mapped (or none), 1 some left out, 2 refused.

use std::path::{Path, PathBuf};

use serde_json::json;

use super::{CmdResult, Context, Failure, Outcome};
use crate::cli::Format;
use crate::diagnostic::{Diagnostic, Kind, Report};
use crate::import::compare::{Found, compare};
use crate::import::package;
use crate::import::{Mapping, proposal};
use crate::model::Mode;
use crate::pipeline::Loaded;

pub struct Options<'a> {
    pub into: Option<&'a Path>,
    pub dry_run: bool,
    pub format: Format,
    pub force: bool,
}

fn refuse(file: &Path, message: impl Into<String>) -> Failure {
    Failure::Setup(Diagnostic::new(Kind::Docx, file.display().to_string(), message).into())
}

pub fn run(ctx: &Context, file: &Path, opts: &Options) -> CmdResult {
    let meta = std::fs::metadata(file).map_err(|e| refuse(file, format!("cannot read it: {e}")))?;
    if !meta.is_file() {
        return Err(refuse(file, "not a file"));
    }
    if meta.len() > package::MAX_TOTAL {
        return Err(refuse(
            file,
            format!(
                "it is {} bytes; a DOCX pactum reads is at most {}",
                meta.len(),
                package::MAX_TOTAL
            ),
        ));
    }
    let bytes = std::fs::read(file).map_err(|e| refuse(file, format!("cannot read it: {e}")))?;
    let theirs = package::read(&bytes).map_err(|e| refuse(file, e.0))?;
    let record = match &theirs.record {
        None => {
            return Err(refuse(
                file,
                "pactum did not make this DOCX (it carries no pactum record); only a DOCX from `pactum render --format docx` can come back",
            ));
        }
        Some(Err(e)) => return Err(refuse(file, e.clone())),
        Some(Ok(r)) => r.clone(),
    };
    let terms_path = match opts.into {
        Some(dir) => dir.join(&record.provenance.terms),
        None => PathBuf::from(&record.terms_path),
    };
    let dir = terms_path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let loaded = ctx
        .pipeline
        .load_overridden(&terms_path, record.provenance.overrides.clone())
        .map_err(Failure::Setup)?;
    let kept = record.provenance.terms_comments == "kept";
    let hash = crate::batch::manifest::sha256(&loaded.terms.attached(kept));
    if !opts.force {
        if hash != record.provenance.terms_sha256 {
            return Err(refuse(
                file,
                format!(
                    "it was made from {} as it was then; that file has changed since (its hash differs): import with --force to compare with it as it is now",
                    terms_path.display()
                ),
            ));
        }
        if loaded.template.hash() != record.provenance.template_hash {
            return Err(refuse(
                file,
                format!(
                    "it was made with another version of the template `{}`: import with --force to compare with this one",
                    loaded.template.name
                ),
            ));
        }
    }
    // pactum's own DOCX of that round, read by the same reader.
    let mode = Mode::named(&record.provenance.mode);
    let copy = record.provenance.copy.clone();
    let doc = ctx
        .pipeline
        .fill_copy(&loaded, mode, &copy)
        .map_err(Failure::Setup)?;
    let written = ctx
        .pipeline
        .write_copy(&loaded, &doc, mode, &copy, crate::write::Format::Docx)
        .map_err(Failure::Setup)?;
    let ours = package::read(written.bytes()).map_err(|e| refuse(file, e.0))?;
    // The ids an inserted article must not take: the template's parts, the terms' own.
    let mut taken: Vec<String> = (loaded.template.schema.structure.ids())
        .map(str::to_string)
        .collect();
    let own = loaded
        .terms
        .value
        .get("articles")
        .and_then(|a| a.as_array());
    taken.extend(
        own.into_iter()
            .flatten()
            .filter_map(|a| a.get("id").and_then(|i| i.as_str()).map(str::to_string)),
    );
    let mut found = compare(&ours, &theirs, &taken);
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if found.changes.is_empty() {
        report(opts.format, &name, &found, None, &loaded);
        return Ok(Outcome::Done);
    }
    let (text, target) = proposal::next_round(
        &loaded.terms,
        &doc,
        &ours,
        &mut found,
        &loaded.template.words,
        &name,
        &dir,
    );
    proposal::notes_on_languages(&mut found, &loaded.terms);
    // The proposal must pass `check` before it is written.
    let raw = crate::terms::source::parse(target.display().to_string(), text.clone().into_bytes())
        .map_err(|d| {
            Failure::Input(Report::in_file(
                vec![d],
                &target.display().to_string(),
                &text,
            ))
        })?;
    crate::terms::check(
        &raw,
        &target,
        &loaded.template.name,
        &loaded.template.schema,
        &loaded.overrides,
    )
    .map_err(|d| Failure::Input(Report::in_file(d, &target.display().to_string(), &text)))?;
    if !opts.dry_run {
        if target.exists() {
            return Err(refuse(&target, "exists"));
        }
        crate::output::write_atomic(&target, text.as_bytes())?;
    }
    report(
        opts.format,
        &name,
        &found,
        (!opts.dry_run).then_some(&target),
        &loaded,
    );
    let unmapped = found.changes.iter().any(|c| c.mapping == Mapping::Unmapped);
    Ok(if unmapped { Outcome::No } else { Outcome::Done })
}

fn report(format: Format, name: &str, found: &Found, written: Option<&PathBuf>, loaded: &Loaded) {
    let mapped = found
        .changes
        .iter()
        .filter(|c| c.mapping != Mapping::Unmapped)
        .count();
    let unmapped = found.changes.len() - mapped;
    if format == Format::Json {
        let doc = json!({
            "format": "pactum.import/1",
            "docx": name,
            "round": loaded.terms.label(),
            "written": written.map(|p| p.display().to_string()),
            "changes": found.changes,
            "comments": found.notes,
            "mapped": mapped,
            "unmapped": unmapped,
        });
        println!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
        return;
    }
    if found.changes.is_empty() {
        println!("{name}: no changes from {}", loaded.terms.label());
    } else {
        println!(
            "{name}: {} change(s) to {}, {mapped} mapped, {unmapped} unmapped",
            found.changes.len(),
            loaded.terms.label()
        );
    }
    for c in &found.changes {
        let place = if c.part.is_empty() {
            "outside the parts".to_string()
        } else {
            format!("{} ({})", c.part, c.lang)
        };
        let how = match (c.mapping, &c.term) {
            (Mapping::TermValue, Some(t)) if c.lang.is_empty() => format!("term {t}"),
            (Mapping::TermValue, Some(t)) => format!("term {t} in {}", c.lang),
            (Mapping::ItemRemoved, Some(t)) => format!("list entry {t} removed"),
            (Mapping::StandardText, _) => {
                format!("standard text changed: articles: {} ({})", c.part, c.lang)
            }
            (Mapping::TermValue, None) | (Mapping::Date, _) => "a date".to_string(),
            (Mapping::Omitted, _) => format!("article left out: omit: [{}]", c.part),
            (Mapping::ArticleInserted, _) => format!(
                "article inserted: articles: {} ({}), {}",
                c.part,
                c.lang,
                c.note.as_deref().unwrap_or_default()
            ),
            (Mapping::ArticleMoved, _) => {
                format!("article moved: articles: {} {}", c.part, c.after)
            }
            _ => "UNMAPPED, left out".to_string(),
        };
        println!("  {place}: [-{}-]{{+{}+}}", c.before, c.after);
        println!(
            "    by {}{} -> {how}",
            c.authors.join(", "),
            if c.tracked { " (tracked)" } else { "" }
        );
        if let Some(n) = c
            .note
            .as_ref()
            .filter(|_| c.mapping != Mapping::ArticleInserted)
        {
            println!("    {n}");
        }
    }
    for n in &found.notes {
        println!(
            "  comment by {} on “{}” ({} {}): {}",
            n.author, n.anchored, n.part, n.lang, n.text
        );
    }
    match written {
        Some(p) => println!("wrote {}", p.display()),
        None if !found.changes.is_empty() => println!("nothing written (--dry-run)"),
        None => {}
    }
}
