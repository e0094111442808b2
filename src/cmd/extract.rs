//! `pactum extract`: give back the terms file a PDF carries, byte for byte (from the revision
//! pactum wrote, so a signed copy gives the terms that were signed), to standard output or to
//! a file that is never overwritten without `--force`; with `--templates DIR`, the template
//! files it carries (a language pack it was rendered with) into that folder, and the pack's
//! font files it carries into its `fonts/`.

use crate::diagnostic::Kind;
use std::io::Write;
use std::path::Path;

use super::{CmdResult, Outcome};
use crate::diagnostic::Diagnostic;
use crate::output::write_atomic;

pub fn run(pdf: &Path, output: Option<&Path>, templates: Option<&Path>, force: bool) -> CmdResult {
    let fail = |message: String| Diagnostic::new(Kind::Pdf, pdf.display().to_string(), message);
    let bytes = std::fs::read(pdf).map_err(|e| fail(format!("cannot read: {e}")))?;
    let revision = crate::sign::original_revision(&bytes).map_err(|e| fail(e.to_string()))?;
    let attached = crate::provenance::read(revision).map_err(|e| fail(e.to_string()))?;
    if let Some(dir) = templates {
        return write_templates(&attached, dir, force, &fail);
    }
    let Some(out) = output else {
        std::io::stdout()
            .lock()
            .write_all(&attached.terms)
            .map_err(|e| fail(format!("cannot write to standard output: {e}")))?;
        return Ok(Outcome::Done);
    };
    if out.exists() && !force {
        let d = Diagnostic::new(
            Kind::Output,
            out.display().to_string(),
            "the file exists; nothing was written",
        )
        .with_hint("pass --force to overwrite it");
        return Err(d.into());
    }
    write_atomic(out, &attached.terms)?;
    println!(
        "wrote {} ({} of {})",
        out.display(),
        attached.terms_name,
        attached.record.agreement
    );
    Ok(Outcome::Done)
}

/// Write the template files a PDF carries under `dir` (paths checked when they were read);
/// refused, writing nothing, when it carries none or one exists without `--force`.
fn write_templates(
    attached: &crate::provenance::Attached,
    dir: &Path,
    force: bool,
    fail: &dyn Fn(String) -> Diagnostic,
) -> CmdResult {
    if attached.templates.is_empty() {
        return Err(fail(
            "it carries no template files: it was rendered with pactum's own templates".into(),
        )
        .into());
    }
    // Each file under the folder: the templates by path, the fonts as `fonts/<file>`.
    let fonts = (attached.fonts.iter()).map(|(name, bytes)| {
        let file = name.strip_prefix("pactum-font-").unwrap_or(name);
        (format!("fonts/{file}"), bytes.as_slice())
    });
    let files: Vec<(String, &[u8])> = (attached.templates.iter())
        .map(|(rel, text)| (rel.clone(), text.as_bytes()))
        .chain(fonts)
        .collect();
    if !force && let Some((rel, _)) = files.iter().find(|(rel, _)| dir.join(rel).exists()) {
        let d = Diagnostic::new(
            Kind::Output,
            dir.join(rel).display().to_string(),
            "the file exists; nothing was written",
        )
        .with_hint("pass --force to overwrite it");
        return Err(d.into());
    }
    for (rel, bytes) in &files {
        write_atomic(&dir.join(rel), bytes)?;
    }
    println!(
        "wrote {} template files and {} font files under {}",
        attached.templates.len(),
        attached.fonts.len(),
        dir.display()
    );
    Ok(Outcome::Done)
}
