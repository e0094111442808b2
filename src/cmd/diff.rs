//! `pactum diff` and `pactum history`: compare negotiation rounds. Exit codes as diff(1):
//! 0 no differences, 1 differences, 2 trouble.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{CmdResult, Context, Failure, Outcome};
use crate::cli::DiffFormat;
use crate::diagnostic::{Diagnostic, Kind, Report};
use crate::diff::{self, Round, RoundDiff, Side};
use crate::output::write_atomic;
use crate::pipeline::{Loaded, parse_date};
use crate::template::{Mode, Template};
use crate::terms::rounds;

/// Which two rounds to compare, as the user gave them.
pub struct Selection<'a> {
    pub first: &'a Path,
    pub second: Option<&'a Path>,
    pub from: Option<u32>,
    pub to: Option<u32>,
    /// Only this language version.
    pub language: Option<&'a str>,
}

pub fn run(ctx: &Context, sel: &Selection, format: DiffFormat, output: Option<&Path>) -> CmdResult {
    let (old, new) = pick(sel).map_err(trouble)?;
    let compared = compare_with_template(ctx, &old, &new, sel.language).map_err(trouble)?;
    let diff = &compared.diff;
    let written = match format {
        DiffFormat::Human => {
            let color = ctx.color_stdout();
            diff::terminal::write_terminal(diff, &mut std::io::stdout().lock(), color)
                .map_err(|e| e.to_string())
        }
        DiffFormat::Json => {
            let text = serde_json::to_string_pretty(&diff::json::to_json(diff)).unwrap_or_default();
            println!("{text}");
            Ok(())
        }
        DiffFormat::Pdf | DiffFormat::Html | DiffFormat::Docx => {
            write_redline(ctx, &compared, format, (&old, &new), output)
        }
    };
    if let Err(e) = written {
        return Err(trouble(Diagnostic::new(Kind::Output, "pactum diff", e)));
    }
    Ok(if diff.is_empty() {
        Outcome::Done
    } else {
        Outcome::No
    })
}

/// `pactum history`: every round with a one-line summary of what changed in it.
pub fn history(ctx: &Context, dir: &Path) -> CmdResult {
    let all = rounds::rounds(dir).map_err(trouble)?;
    let mut previous: Option<PathBuf> = None;
    for round in &all {
        let date = ctx
            .pipeline
            .load(&round.path)
            .ok()
            .and_then(|l| l.terms.date().map(str::to_string));
        let summary = match &previous {
            None => "first round".to_string(),
            Some(prev) => match compare(ctx, prev, &round.path, None) {
                Ok(d) => d.summary(),
                Err(report) => {
                    ctx.report(&report);
                    "cannot compare (see above)".to_string()
                }
            },
        };
        println!(
            "round {:<3} {:<10}  {summary}",
            round.number,
            date.unwrap_or_default()
        );
        previous = Some(round.path.clone());
    }
    Ok(Outcome::Done)
}

fn pick(sel: &Selection) -> Result<(PathBuf, PathBuf), Diagnostic> {
    if let Some(second) = sel.second {
        return Ok((sel.first.to_path_buf(), second.to_path_buf()));
    }
    if !sel.first.is_dir() {
        return Err(Diagnostic::new(Kind::Usage, sel.first.display().to_string(), "compare two terms files, or give an agreement folder")
            .with_hint("pactum diff round-1.yaml round-2.yaml, or pactum diff agreements/<name> [--from N --to M]"));
    }
    let all = rounds::rounds(sel.first)?;
    let find = |n: u32| {
        all.iter()
            .find(|r| r.number == n)
            .map(|r| r.path.clone())
            .ok_or_else(|| {
                Diagnostic::new(
                    Kind::NoSuchRound,
                    sel.first.display().to_string(),
                    format!("there is no round-{n}.yaml here"),
                )
            })
    };
    let last = all.last().map_or(1, |r| r.number);
    let to = sel.to.unwrap_or(last);
    let from = match sel.from {
        Some(n) => n,
        None => all
            .iter()
            .rev()
            .map(|r| r.number)
            .find(|n| *n < to)
            .ok_or_else(|| {
                Diagnostic::new(
                    Kind::NoSuchRound,
                    sel.first.display().to_string(),
                    "only one round: nothing to compare with",
                )
            })?,
    };
    Ok((find(from)?, find(to)?))
}

/// Fill both rounds and diff their terms and their text, every language version (or only
/// `language`) on its own.
pub fn compare(
    ctx: &Context,
    old: &Path,
    new: &Path,
    language: Option<&str>,
) -> Result<RoundDiff, Report> {
    compare_with_template(ctx, old, new, language).map(|c| c.diff)
}

/// A comparison, with what writing its redline needs.
struct Compared {
    diff: RoundDiff,
    /// The newer round's template, whose layout and words print the redline.
    template: Arc<Template>,
    /// The older round's document (where a moved article stood, for tracked changes).
    old: crate::model::Document,
}

/// [`compare`], with the newer round's template and the older round's document.
fn compare_with_template(
    ctx: &Context,
    old: &Path,
    new: &Path,
    language: Option<&str>,
) -> Result<Compared, Report> {
    let (old_loaded, old_doc) = filled(ctx, old)?;
    let (new_loaded, new_doc) = filled(ctx, new)?;
    let has =
        |doc: &crate::model::Document, lang: &str| doc.versions.iter().any(|v| v.lang == lang);
    if let Some(lang) = language
        && !has(&old_doc, lang)
        && !has(&new_doc, lang)
    {
        let d = Diagnostic::new(
            Kind::InvalidValue,
            new.display().to_string(),
            format!("neither round has a {lang} version"),
        )
        .with_hint(format!(
            "their languages: {}",
            new_loaded.terms.languages().join(", ")
        ));
        return Err(d.into());
    }
    let mut words = old_loaded.template.words.clone();
    words.extend(new_loaded.template.words.clone());
    let diff = diff::diff_documents(
        Round {
            side: side(&old_loaded, old),
            terms: &old_loaded.terms.value,
            doc: &old_doc,
        },
        Round {
            side: side(&new_loaded, new),
            terms: &new_loaded.terms.value,
            doc: &new_doc,
        },
        &words,
        language,
    );
    Ok(Compared {
        diff,
        template: new_loaded.template,
        old: old_doc,
    })
}

/// A round's document, filled as a draft.
fn filled(ctx: &Context, path: &Path) -> Result<(Loaded, crate::model::Document), Report> {
    let loaded = ctx.pipeline.load(path)?;
    let doc = ctx.pipeline.fill(&loaded, Mode::Draft)?;
    Ok((loaded, doc))
}

fn side(loaded: &Loaded, path: &Path) -> Side {
    Side {
        label: path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        ),
        round: loaded.terms.round().and_then(|r| u32::try_from(r).ok()),
        date: loaded.terms.date().map(str::to_string),
    }
}

/// The redline as a PDF (the agreement's own layout), HTML or DOCX (tracked changes).
fn write_redline(
    ctx: &Context,
    compared: &Compared,
    format: DiffFormat,
    (old, new): (&Path, &Path),
    output: Option<&Path>,
) -> Result<(), String> {
    let (diff, template) = (&compared.diff, &compared.template);
    let doc = diff
        .redline_document(&template.words)
        .ok_or("there is no redline to print")?;
    let (bytes, ext) = match format {
        DiffFormat::Html => (crate::write::html::write(&doc).into_bytes(), "html"),
        DiffFormat::Docx => {
            let revision = crate::write::docx::Revision::on(diff.new.date.as_deref());
            let bytes = crate::write::docx::write(&doc, &revision, Some(&compared.old))?;
            (bytes, "docx")
        }
        _ => {
            let ident = format!("redline/{}/{}", old.display(), new.display());
            let date = diff.new.date.as_deref().and_then(parse_date);
            let pdf = ctx
                .pipeline
                .compile_model(template, &doc, &ident, date)
                .map_err(|report| {
                    let messages: Vec<String> = report
                        .diagnostics
                        .iter()
                        .map(|d| d.message.clone())
                        .collect();
                    format!("the redline could not be rendered: {}", messages.join("; "))
                })?;
            (pdf.pdf, "pdf")
        }
    };
    let path = match output {
        Some(p) => p.to_path_buf(),
        None => {
            let agreement = rounds::agreement_name(new);
            let stem = |p: &Path| {
                p.file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default()
            };
            ctx.config.output_or(None).join(agreement).join(format!(
                "redline-{}-{}.{ext}",
                stem(old),
                stem(new)
            ))
        }
    };
    write_atomic(&path, &bytes).map_err(|d| d.to_string())?;
    eprintln!("wrote {}", path.display());
    Ok(())
}

/// Trouble comparing (not a difference): diff(1)'s exit 2.
fn trouble(problem: impl Into<Report>) -> Failure {
    Failure::Setup(problem.into())
}

/// Whether stdout gets colour (diff output goes to stdout).
pub fn stdout_is_tty() -> bool {
    std::io::stdout().is_terminal()
}
