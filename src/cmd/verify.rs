//! `pactum verify`: prove which terms a PDF came from, with nothing but the PDF. Reads the
//! terms and the record the PDF carries ([`crate::provenance`]); for a signed copy, checks every
//! signature and proves the revision that was signed; re-renders the terms with the template
//! the record names and compares the bytes. Everything after the signed revisions must be
//! what PAdES allows after signing ([`crate::sign::audit`]): anything else is named. A batch manifest beside or above the PDF, when
//! there is one, must list it with the same bytes and terms. MATCH exits 0, MISMATCH 1.

use std::path::{Path, PathBuf};

use super::{CmdResult, Context, Outcome};
use crate::batch::manifest::{self, Manifest};
use crate::provenance::{self, Attached};
use crate::sign;
use crate::template::Mode;

pub fn run(ctx: &Context, pdf: &Path, manifest_path: Option<&Path>) -> CmdResult {
    match verify(ctx, pdf, manifest_path) {
        Ok(lines) => {
            for line in lines {
                println!("{line}");
            }
            Ok(Outcome::Done)
        }
        Err(reason) => {
            eprintln!("MISMATCH: {}: {reason}", pdf.display());
            Ok(Outcome::No)
        }
    }
}

fn verify(ctx: &Context, pdf: &Path, manifest_path: Option<&Path>) -> Result<Vec<String>, String> {
    let bytes = std::fs::read(pdf).map_err(|e| format!("cannot read it: {e}"))?;
    let mut lines = Vec::new();
    // Every revision after the render is accounted for: a signed copy may only gain
    // signatures, timestamps and validation data, each signature must cover exactly the
    // bytes it signed, and the revision pactum wrote is the first one.
    let audit = sign::audit(&bytes).map_err(|e| e.to_string())?;
    let signed = !audit.signatures.is_empty();
    for c in &audit.signatures {
        let s = &c.signature;
        let signer = s.signer.as_deref().unwrap_or("an unnamed signer");
        if !s.is_intact() {
            return Err(format!(
                "the signature `{}` by {signer} does not match the bytes it signs: the PDF was \
                 changed after it was signed",
                s.field_name,
            ));
        }
        lines.push(format!(
            "signature `{}` by {signer} ({}): intact, {}",
            s.field_name,
            s.pdf_date.as_deref().unwrap_or("no date"),
            audit.coverage(c)
        ));
    }
    if signed && !audit.problems.is_empty() {
        return Err(audit.problems.join("; "));
    }
    let attached = provenance::read(audit.original(&bytes)).map_err(|e| e.to_string())?;
    let record = &attached.record;
    if manifest::sha256(&attached.terms) != record.terms_sha256 {
        return Err("the attached terms are not the ones the PDF's record names".into());
    }
    let rendered = rerender(ctx, &attached)?;
    if !audit.is_original(&bytes, &rendered.pdf) {
        return Err(why_different(ctx, &attached, &rendered)?);
    }
    if !signed && rendered.pdf != bytes {
        // The render is all there, and something follows it.
        return Err(if audit.problems.is_empty() {
            "bytes were added after it was rendered".into()
        } else {
            audit.problems.join("; ")
        });
    }
    if let Some(line) = check_manifest(pdf, manifest_path, &bytes, &attached)? {
        lines.push(line);
    }
    lines.insert(
        0,
        format!(
            "MATCH: {} was rendered from {} (sha256 {}) with template `{}`{}",
            pdf.display(),
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

/// Render the attached terms again, as the record says they were rendered. The terms are put
/// where the agreement and round names the record gives make the same document identity.
fn rerender(ctx: &Context, attached: &Attached) -> Result<crate::write::pdf::Rendered, String> {
    let record = &attached.record;
    let plain =
        |name: &str| !name.is_empty() && name != "." && name != ".." && !name.contains(['/', '\\']);
    if !plain(&record.agreement) {
        return Err(format!(
            "the record names an agreement `{}` that is not a folder name",
            record.agreement
        ));
    }
    let dir = tempfile::tempdir().map_err(|e| format!("cannot make a temporary folder: {e}"))?;
    let folder = dir.path().join(&record.agreement);
    let terms_path: PathBuf = folder.join(&attached.terms_name);
    std::fs::create_dir_all(&folder)
        .and_then(|()| std::fs::write(&terms_path, &attached.terms))
        .map_err(|e| format!("cannot write the attached terms to a temporary folder: {e}"))?;
    // The files the terms name beside themselves go beside them again, as the record names
    // them (their names are plain: they stay in the folder).
    for (name, bytes) in &attached.assets {
        if record.assets.get(name) != Some(&manifest::sha256(bytes)) {
            return Err(format!(
                "the attached `{name}` is not the file the PDF's record names"
            ));
        }
        std::fs::write(folder.join(name), bytes)
            .map_err(|e| format!("cannot write `{name}` to a temporary folder: {e}"))?;
    }
    // The record's overrides, not this run's (--layout, pactum.toml), made the PDF.
    let loaded = (ctx.pipeline)
        .load_overridden(&terms_path, record.overrides.clone())
        .map_err(|report| {
            ctx.report(&report);
            format!(
                "the attached terms do not pass this pactum's checks (template `{}`)",
                record.template
            )
        })?;
    let mode = Mode::named(&record.mode);
    ctx.pipeline
        .render_copy(&loaded, mode, &record.copy)
        .map_err(|report| {
            ctx.report(&report);
            "the attached terms no longer render".to_string()
        })
}

/// Why a re-render differs: another pactum, another template, other fonts, or the PDF itself.
fn why_different(
    ctx: &Context,
    attached: &Attached,
    rendered: &crate::write::pdf::Rendered,
) -> Result<String, String> {
    let record = &attached.record;
    let here = env!("CARGO_PKG_VERSION");
    if record.pactum != here {
        return Ok(format!(
            "it was rendered by pactum {}, and this is pactum {here}; verify it with that version",
            record.pactum
        ));
    }
    if let Ok(template) = ctx.template(&record.template, "the PDF's record")
        && template.hash() != record.template_hash
    {
        return Ok(format!(
            "template `{}` here is not the version that rendered it (template hash {} \
             recorded, {} here)",
            record.template,
            short(&record.template_hash),
            short(&template.hash())
        ));
    }
    if rendered.fonts != record.fonts {
        return Ok(format!(
            "a font differs: it was typeset with {} and this machine typesets it with {}",
            font_list(&record.fonts),
            font_list(&rendered.fonts)
        ));
    }
    Ok(
        "re-rendering its attached terms gives different bytes: the PDF was changed after it \
        was rendered"
            .into(),
    )
}

/// The batch manifest's word on the PDF, when there is a manifest.
fn check_manifest(
    pdf: &Path,
    manifest_path: Option<&Path>,
    bytes: &[u8],
    attached: &Attached,
) -> Result<Option<String>, String> {
    let Some(path) = manifest_path
        .map(Path::to_path_buf)
        .or_else(|| find_manifest(pdf))
    else {
        return Ok(None);
    };
    let manifest = Manifest::read(&path).map_err(|d| d.message)?;
    let base = path.parent().unwrap_or(Path::new("."));
    let rel = relative(pdf, base);
    let Some(entry) = manifest.find(&rel) else {
        // A manifest found above the PDF may be another batch's; one named must list it.
        return match manifest_path {
            Some(_) => Err(format!("{} does not list it as {rel}", path.display())),
            None => Ok(None),
        };
    };
    if entry.pdf_sha256 != manifest::sha256(bytes) {
        return Err(format!(
            "{} records other bytes for it (sha256 {})",
            path.display(),
            short(&entry.pdf_sha256)
        ));
    }
    if entry.terms_sha256 != attached.record.terms_sha256 {
        return Err(format!("{} records other terms for it", path.display()));
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
