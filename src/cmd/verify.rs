//! `pactum verify`: prove which terms a PDF came from, with nothing but the PDF. Reads the
//! terms and the record the PDF carries ([`crate::provenance`]); for a signed copy, checks every
//! signature and proves the revision that was signed; re-renders the terms with the template
//! the record names and compares the bytes. Everything after the signed revisions must be
//! what PAdES allows after signing ([`crate::sign::audit`]): anything else is named. A batch manifest beside or above the PDF, when
//! there is one, must list it with the same bytes and terms. Each signature is reported
//! ([`crate::sign::report`]): signer, times, coverage, trust (`--trust`), validity, revocation
//! data; `--format json` gives the same as data. MATCH exits 0, MISMATCH 1, and MATCH with a
//! signature that does not hold 3.

use std::path::{Path, PathBuf};

use super::{CmdResult, Context, Failure, Outcome};
use crate::batch::manifest::{self, Manifest};
use crate::cli::Format;
use crate::diagnostic::{Diagnostic, Kind};
use crate::provenance::{self, Attached};
use crate::sign;
use crate::template::Mode;
use crate::terms::settings::CopyId;
use crate::write::pdf::Rendered;

/// What `verify` checks of the signatures besides their bytes, and how it reports.
pub struct SignatureChecks {
    /// Trust anchors (CA certificates, PEM or DER).
    pub trust: Vec<PathBuf>,
    pub format: Format,
}

pub fn run(
    ctx: &Context,
    pdf: &Path,
    manifest_path: Option<&Path>,
    checks: &SignatureChecks,
) -> CmdResult {
    let anchors = read_anchors(&checks.trust)?;
    let terms = verify(ctx, pdf, manifest_path);
    let signatures = signature_reports(pdf, &anchors);
    report(pdf, terms, &signatures, checks.format)
}

/// The trust anchors named with `--trust`; one that does not read stops verify (exit 2).
fn read_anchors(paths: &[PathBuf]) -> Result<Vec<x509_cert::Certificate>, Failure> {
    let mut anchors = Vec::new();
    for path in paths {
        let found = std::fs::read(path)
            .map_err(|e| e.to_string())
            .and_then(|b| sign::anchors_from_pem_or_der(&b));
        match found {
            Ok(mut certs) => anchors.append(&mut certs),
            Err(why) => {
                return Err(Failure::Setup(
                    Diagnostic::new(Kind::Usage, path.display().to_string(), why).into(),
                ));
            }
        }
    }
    Ok(anchors)
}

/// Every signature's report (none when the file or its signatures do not read).
fn signature_reports(pdf: &Path, anchors: &[x509_cert::Certificate]) -> Vec<sign::SignatureReport> {
    let Ok(bytes) = std::fs::read(pdf) else {
        return Vec::new();
    };
    sign::audit(&bytes)
        .and_then(|audit| sign::report(&bytes, &audit, anchors))
        .unwrap_or_default()
}

/// Prints the outcome: MATCH exits 0, MISMATCH 1, MATCH with a signature that does not hold 3.
fn report(
    pdf: &Path,
    terms: Result<Vec<String>, Mismatch>,
    signatures: &[sign::SignatureReport],
    format: Format,
) -> CmdResult {
    let invalid: Vec<&sign::SignatureReport> = signatures.iter().filter(|s| !s.valid).collect();
    let outcome = match (&terms, invalid.is_empty()) {
        (Err(_), _) => Outcome::No,
        (Ok(_), true) => Outcome::Done,
        (Ok(_), false) => Outcome::SignatureInvalid,
    };
    if format == Format::Json {
        let value = serde_json::json!({
            "pdf": pdf.display().to_string(),
            "result": match outcome {
                Outcome::Done => "match",
                Outcome::SignatureInvalid => "signature_invalid",
                _ => "mismatch",
            },
            "terms": match &terms {
                Ok(lines) => serde_json::json!({"match": true, "lines": lines}),
                Err(reason) => serde_json::json!({"match": false, "reason": reason.to_string()}),
            },
            "signatures": signatures,
        });
        println!(
            "{}",
            serde_json::to_string_pretty(&value).unwrap_or_default()
        );
        return Ok(outcome);
    }
    match terms {
        Ok(lines) => {
            for line in lines {
                println!("{line}");
            }
            for s in signatures {
                for line in s.lines() {
                    println!("{line}");
                }
            }
            for s in invalid {
                eprintln!("SIGNATURE INVALID: {}: {}", pdf.display(), why_invalid(s));
            }
        }
        Err(reason) => eprintln!("MISMATCH: {}: {reason}", pdf.display()),
    }
    Ok(outcome)
}

/// Why a signature does not hold, in words.
fn why_invalid(s: &sign::SignatureReport) -> String {
    let signer = s.signer.as_deref().unwrap_or("an unnamed signer");
    let mut why = Vec::new();
    if !s.intact {
        why.push(
            "it does not match the bytes it signs: the PDF was changed after it was signed"
                .to_string(),
        );
    }
    if s.timestamp.as_ref().is_some_and(|t| !t.intact) {
        why.push("its timestamp does not match the signature".into());
    }
    if !s.validity.valid {
        why.push(format!(
            "its certificates were not valid at {} ({})",
            s.validity.at, s.validity.basis
        ));
    }
    if let Some(c) = s.revocation.revoked() {
        why.push(format!(
            "the certificate of {} was revoked on {}, before the proven time {}",
            c.subject,
            c.revoked_on.as_deref().unwrap_or("?"),
            s.validity.at
        ));
    }
    if s.trust.trusted == Some(false) {
        why.push(s.trust.note.clone());
    }
    format!(
        "the {} `{}` by {signer}: {}",
        s.kind,
        s.field,
        why.join("; ")
    )
}

/// Why a PDF does not prove its terms: each says what differs, for the person holding it.
#[derive(Debug, thiserror::Error)]
enum Mismatch {
    #[error("cannot read it: {0}")]
    Unreadable(std::io::Error),
    #[error("{0}")]
    Signatures(#[from] sign::SignError),
    #[error(
        "the signature `{field}` by {signer} does not match the bytes it signs: the PDF was \
         changed after it was signed"
    )]
    BrokenSignature { field: String, signer: String },
    /// What was added after the render or the signatures, each named.
    #[error("{}", .0.join("; "))]
    Added(Vec<String>),
    #[error("{0}")]
    Record(#[from] provenance::ReadError),
    #[error("the attached terms are not the ones the PDF's record names")]
    OtherTerms,
    #[error("the record names an agreement `{0}` that is not a folder name")]
    AgreementName(String),
    #[error("cannot {0} (in a temporary folder)")]
    Scratch(String),
    #[error("the attached `{0}` is not the file the PDF's record names")]
    OtherAsset(String),
    #[error("the attached terms do not pass this pactum's checks (template `{0}`)")]
    TermsRefused(String),
    #[error("the attached terms no longer render")]
    NoLongerRenders,
    #[error("it was rendered by pactum {0}, and this is pactum {here}; verify it with that version", here = env!("CARGO_PKG_VERSION"))]
    OtherPactum(String),
    #[error(
        "template `{name}` here is not the version that rendered it (template hash {recorded} \
         recorded, {here} here)"
    )]
    OtherTemplate {
        name: String,
        recorded: String,
        here: String,
    },
    #[error(
        "a font differs: it was typeset with {recorded} and this machine typesets it with {here}"
    )]
    OtherFonts { recorded: String, here: String },
    #[error(
        "re-rendering its attached terms gives different bytes: the PDF was changed after it \
         was rendered"
    )]
    OtherBytes,
    #[error("{0}")]
    ManifestUnreadable(String),
    #[error("{manifest} does not list it as {rel}")]
    NotListed { manifest: String, rel: String },
    #[error("{manifest} records other bytes for it (sha256 {sha256})")]
    ListedOtherBytes { manifest: String, sha256: String },
    #[error("{0} records other terms for it")]
    ListedOtherTerms(String),
}

fn verify(
    ctx: &Context,
    pdf: &Path,
    manifest_path: Option<&Path>,
) -> Result<Vec<String>, Mismatch> {
    let bytes = std::fs::read(pdf).map_err(Mismatch::Unreadable)?;
    let mut lines = Vec::new();
    // Every revision after the render is accounted for: a signed copy may only gain
    // signatures, timestamps and validation data, each signature must cover exactly the
    // bytes it signed, and the revision pactum wrote is the first one.
    let audit = sign::audit(&bytes)?;
    let signed = !audit.signatures.is_empty();
    // A signature that does not hold is reported with the signatures (exit 3 when the terms
    // match); when the render itself changed, it is the reason for the MISMATCH.
    let broken = audit
        .signatures
        .iter()
        .find(|c| !c.signature.is_intact())
        .map(|c| Mismatch::BrokenSignature {
            field: c.signature.field_name.clone(),
            signer: (c.signature.signer.as_deref())
                .unwrap_or("an unnamed signer")
                .to_string(),
        });
    if signed && !audit.problems.is_empty() {
        return Err(Mismatch::Added(audit.problems));
    }
    let attached = match provenance::read(audit.original(&bytes)) {
        Ok(a) => a,
        Err(e) => return Err(broken.unwrap_or(Mismatch::Record(e))),
    };
    let record = &attached.record;
    if manifest::sha256(&attached.terms) != record.terms_sha256 {
        return Err(Mismatch::OtherTerms);
    }
    let again = rerender(ctx, &attached)?;
    let rendered = again.rendered;
    lines.extend(again.lines);
    if !audit.is_original(&bytes, &rendered.pdf) {
        // With the templates it carries, the templates here are not what to blame.
        let own_templates = !again.carried_templates;
        return Err(
            broken.unwrap_or_else(|| why_different(ctx, &attached, &rendered, own_templates))
        );
    }
    if !signed && rendered.pdf != bytes {
        // The render is all there, and something follows it.
        return Err(Mismatch::Added(if audit.problems.is_empty() {
            vec!["bytes were added after it was rendered".into()]
        } else {
            audit.problems
        }));
    }
    if let Some(line) = check_manifest(pdf, manifest_path, &bytes, &attached)? {
        lines.push(line);
    }
    // The differences between the language versions its terms accept, and why.
    for (i, accepted) in record.parity_accepted.iter().enumerate() {
        lines.insert(
            i,
            format!(
                "language versions may differ in `{}` (accepted): {}",
                accepted.article, accepted.reason
            ),
        );
    }
    lines.insert(
        0,
        format!(
            "MATCH: {}{} was rendered from {} (sha256 {}) with template `{}`{}",
            pdf.display(),
            copy_named(&record.mode, &record.copy),
            record.terms,
            record.terms_sha256,
            record.template,
            if !signed {
                String::new()
            } else {
                "; the signed revision is that render, byte for byte".to_string()
            }
        ),
    );
    Ok(lines)
}

/// What the PDF is, when it is not the whole agreement's draft: " (the final copy: the sv
/// original, Lund's counterpart)".
fn copy_named(mode: &str, copy: &CopyId) -> String {
    let mut parts = Vec::new();
    if let Some(lang) = &copy.language {
        parts.push(format!("the {lang} original"));
    }
    if let Some(party) = &copy.party {
        parts.push(format!("{party}'s counterpart"));
    }
    match (mode, parts.is_empty()) {
        ("final", true) => " (the final copy)".to_string(),
        ("final", false) => format!(" (the final copy: {})", parts.join(", ")),
        (_, true) => String::new(),
        (_, false) => format!(" ({})", parts.join(", ")),
    }
}

/// A copy rendered again: the document, what was used that is not this machine's own (a line
/// each), and whether that includes the template files it carries.
struct RenderedAgain {
    rendered: Rendered,
    lines: Vec<String>,
    carried_templates: bool,
}

/// Render the attached terms again, as the record says they were rendered. The terms are put
/// where the agreement and round names the record gives make the same document identity. A
/// copy made with a templates folder carries its files: where the ones here differ or are
/// missing, those are used, and a line says so; so are the fonts it carries.
fn rerender(ctx: &Context, attached: &Attached) -> Result<RenderedAgain, Mismatch> {
    let record = &attached.record;
    let plain =
        |name: &str| !name.is_empty() && name != "." && name != ".." && !name.contains(['/', '\\']);
    if !plain(&record.agreement) {
        return Err(Mismatch::AgreementName(record.agreement.clone()));
    }
    let scratch = |what: &str| {
        let what = what.to_string();
        move |e: std::io::Error| Mismatch::Scratch(format!("{what}: {e}"))
    };
    let dir = tempfile::tempdir().map_err(scratch("make a folder"))?;
    let folder = dir.path().join(&record.agreement);
    let terms_path: PathBuf = folder.join(&attached.terms_name);
    std::fs::create_dir_all(&folder)
        .and_then(|()| std::fs::write(&terms_path, &attached.terms))
        .map_err(scratch("write the attached terms"))?;
    // The files the terms name beside themselves go beside them again, as the record names
    // them (their names are plain: they stay in the folder).
    for (name, bytes) in &attached.assets {
        if record.assets.get(name) != Some(&manifest::sha256(bytes)) {
            return Err(Mismatch::OtherAsset(name.clone()));
        }
        std::fs::write(folder.join(name), bytes).map_err(scratch(&format!("write `{name}`")))?;
    }
    let carried = carried_templates(ctx, attached, dir.path())?;
    let mut lines: Vec<String> = carried.iter().map(|(_, line)| line.clone()).collect();
    let mut pipeline = carried.as_ref().map_or(&ctx.pipeline, |(p, _)| p);
    // The fonts it carries (from the templates folder it was set with) come first.
    let with_fonts;
    if !attached.fonts.is_empty() {
        let folder = dir.path().join("fonts");
        std::fs::create_dir_all(&folder).map_err(scratch("make a folder for the carried fonts"))?;
        for (name, bytes) in &attached.fonts {
            // Under the file's own name, which the copy made again names it by.
            let file = name.strip_prefix("pactum-font-").unwrap_or(name);
            std::fs::write(folder.join(file), bytes)
                .map_err(scratch(&format!("write `{name}`")))?;
        }
        let mut sources = pipeline.font_sources().clone();
        sources.dirs.insert(0, folder.clone());
        sources.carried.insert(0, folder);
        with_fonts = (pipeline.with_catalog(pipeline.catalog.clone())).with_font_sources(sources);
        pipeline = &with_fonts;
        lines.push(format!(
            "set again in the {} font files the PDF carries",
            attached.fonts.len()
        ));
    }
    // The record's overrides, not this run's (--layout, pactum.toml), made the PDF.
    let loaded = pipeline
        .load_overridden(&terms_path, record.overrides.clone())
        .map_err(|report| {
            ctx.report(&report);
            Mismatch::TermsRefused(record.template.clone())
        })?;
    let mode = Mode::named(&record.mode);
    let rendered = pipeline
        .render_copy(&loaded, mode, &record.copy)
        .map_err(|report| {
            ctx.report(&report);
            Mismatch::NoLongerRenders
        })?;
    Ok(RenderedAgain {
        rendered,
        lines,
        carried_templates: carried.is_some(),
    })
}

/// For a copy that carries template files: when the templates here are not those files (one
/// differs, is missing, or this folder has others), a pipeline over pactum's own templates and
/// the carried files, written under `scratch`, and the line that says so.
fn carried_templates(
    ctx: &Context,
    attached: &Attached,
    scratch: &Path,
) -> Result<Option<(crate::pipeline::Pipeline, String)>, Mismatch> {
    if attached.templates.is_empty() {
        return Ok(None);
    }
    let here: std::collections::BTreeMap<String, String> = ctx
        .template(&attached.record.template)
        .map(|t| {
            (t.files_on_disk())
                .map(|(rel, text)| (rel.to_string(), text.to_string()))
                .collect()
        })
        .unwrap_or_default();
    if here == attached.templates {
        return Ok(None);
    }
    let root = scratch.join("templates");
    for (rel, text) in &attached.templates {
        let path = root.join(rel);
        path.parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&path, text))
            .map_err(|e| Mismatch::Scratch(format!("write the carried `{rel}`: {e}")))?;
    }
    let mut catalog = crate::template::catalog::Catalog::builtin();
    catalog
        .add_dir(&root)
        .map_err(|d| Mismatch::Scratch(d.message))?;
    let local = |rel: &str| ctx.pipeline.catalog.get(rel).map(|f| f.text.as_str());
    let missing = (attached.templates.keys())
        .filter(|rel| local(rel).is_none())
        .count();
    let differ = (attached.templates.iter())
        .filter(|(rel, text)| local(rel).is_some_and(|h| h != text.as_str()))
        .count();
    let line = format!(
        "rendered again with the {} template files the PDF carries, not the templates here \
         ({missing} missing here, {differ} different here)",
        attached.templates.len()
    );
    Ok(Some((ctx.pipeline.with_catalog(catalog), line)))
}

/// Why a re-render differs: another pactum, another template, other fonts, or the PDF itself.
fn why_different(
    ctx: &Context,
    attached: &Attached,
    rendered: &Rendered,
    own_templates: bool,
) -> Mismatch {
    let record = &attached.record;
    if record.pactum != env!("CARGO_PKG_VERSION") {
        return Mismatch::OtherPactum(record.pactum.clone());
    }
    if own_templates
        && let Ok(template) = ctx.template(&record.template)
        && template.hash() != record.template_hash
    {
        return Mismatch::OtherTemplate {
            name: record.template.clone(),
            recorded: short(&record.template_hash).to_string(),
            here: short(&template.hash()).to_string(),
        };
    }
    if rendered.fonts != record.fonts {
        return Mismatch::OtherFonts {
            recorded: font_list(&record.fonts),
            here: font_list(&rendered.fonts),
        };
    }
    Mismatch::OtherBytes
}

/// The batch manifest's word on the PDF, when there is a manifest.
fn check_manifest(
    pdf: &Path,
    manifest_path: Option<&Path>,
    bytes: &[u8],
    attached: &Attached,
) -> Result<Option<String>, Mismatch> {
    let Some(path) = manifest_path
        .map(Path::to_path_buf)
        .or_else(|| find_manifest(pdf))
    else {
        return Ok(None);
    };
    let manifest = Manifest::read(&path).map_err(|d| Mismatch::ManifestUnreadable(d.message))?;
    let base = path.parent().unwrap_or(Path::new("."));
    let rel = relative(pdf, base);
    let Some(entry) = manifest.find(&rel) else {
        // A manifest found above the PDF may be another batch's; one named must list it.
        return match manifest_path {
            Some(_) => Err(Mismatch::NotListed {
                manifest: path.display().to_string(),
                rel,
            }),
            None => Ok(None),
        };
    };
    if entry.pdf_sha256 != manifest::sha256(bytes) {
        return Err(Mismatch::ListedOtherBytes {
            manifest: path.display().to_string(),
            sha256: short(&entry.pdf_sha256).to_string(),
        });
    }
    if entry.terms_sha256 != attached.record.terms_sha256 {
        return Err(Mismatch::ListedOtherTerms(path.display().to_string()));
    }
    Ok(Some(format!(
        "listed in {} with these bytes",
        path.display()
    )))
}

fn short(hash: &str) -> &str {
    &hash[..12.min(hash.len())]
}

fn font_list(fonts: &[crate::render::FontUse]) -> String {
    let items: Vec<String> = fonts
        .iter()
        .map(|f| format!("{} {} ({})", f.family, f.variant, short(&f.sha256)))
        .collect();
    items.join(", ")
}

fn find_manifest(pdf: &Path) -> Option<PathBuf> {
    let abs = std::path::absolute(pdf).ok()?;
    abs.ancestors()
        .skip(1)
        .map(|d| d.join(manifest::FILE))
        .find(|m| m.is_file())
}

fn relative(pdf: &Path, base: &Path) -> String {
    let pdf = std::path::absolute(pdf).unwrap_or_else(|_| pdf.to_path_buf());
    let base = std::path::absolute(base).unwrap_or_else(|_| base.to_path_buf());
    pdf.strip_prefix(&base)
        .unwrap_or(&pdf)
        .to_string_lossy()
        .replace('\\', "/")
}
