//! `pactum verify`: prove which terms a PDF came from. Finds the PDF in a batch manifest,
//! checks the recorded terms file still has the recorded hash, re-renders it and compares the
//! bytes with the PDF.

use std::path::{Path, PathBuf};

use super::Context;
use crate::batch::manifest::{self, Manifest};
use crate::template::Mode;

pub fn run(ctx: &Context, pdf: &Path, manifest_path: Option<&Path>) -> i32 {
    let fail = |message: String| {
        eprintln!("MISMATCH: {message}");
        1
    };
    let Some(manifest_path) = manifest_path
        .map(Path::to_path_buf)
        .or_else(|| find_manifest(pdf))
    else {
        return fail(format!(
            "no {} found beside or above {}",
            manifest::FILE,
            pdf.display()
        ));
    };
    let manifest = match Manifest::read(&manifest_path) {
        Ok(m) => m,
        Err(d) => {
            ctx.report(&d.into());
            return 2;
        }
    };
    let base = manifest_path.parent().unwrap_or(Path::new("."));
    let rel = relative(pdf, base);
    let Some(entry) = manifest.find(&rel) else {
        return fail(format!(
            "{} is not listed in {}",
            rel,
            manifest_path.display()
        ));
    };
    let pdf_bytes = match std::fs::read(pdf) {
        Ok(b) => b,
        Err(e) => return fail(format!("cannot read {}: {e}", pdf.display())),
    };
    if manifest::sha256(&pdf_bytes) != entry.pdf_sha256 {
        return fail(format!(
            "{} does not have the sha256 the manifest records",
            pdf.display()
        ));
    }
    let terms_path = PathBuf::from(&entry.terms);
    match std::fs::read(&terms_path) {
        Ok(bytes) if manifest::sha256(&bytes) == entry.terms_sha256 => {}
        Ok(_) => {
            return fail(format!(
                "{} has changed since the PDF was made",
                terms_path.display()
            ));
        }
        Err(e) => {
            return fail(format!(
                "cannot read the recorded terms {}: {e}",
                terms_path.display()
            ));
        }
    }
    let loaded = match ctx.pipeline.load(&terms_path) {
        Ok(l) => l,
        Err(report) => {
            ctx.report(&report);
            return fail("the recorded terms no longer pass validation".into());
        }
    };
    if loaded.template.hash() != entry.template_hash {
        return fail(format!(
            "template `{}` has changed since the PDF was made",
            entry.template
        ));
    }
    let mode = if entry.mode == "final" {
        Mode::Final
    } else {
        Mode::Draft
    };
    match ctx
        .pipeline
        .render_copy(&loaded, mode, entry.copy_for.as_deref())
    {
        Ok(r) if r.pdf == pdf_bytes => {
            println!(
                "MATCH: {} was rendered from {} (sha256 {})",
                pdf.display(),
                entry.terms,
                entry.terms_sha256
            );
            0
        }
        Ok(r) if !entry.fonts.is_empty() && r.fonts != entry.fonts => fail(format!(
            "re-rendering {} gives different bytes; this machine's fonts differ from the ones \
             recorded: {} (recorded) against {} (here)",
            entry.terms,
            font_list(&entry.fonts),
            font_list(&r.fonts)
        )),
        Ok(_) => fail(format!(
            "re-rendering {} gives different bytes",
            entry.terms
        )),
        Err(report) => {
            ctx.report(&report);
            fail("the recorded terms no longer render".into())
        }
    }
}

fn font_list(fonts: &[crate::render::FontUse]) -> String {
    let items: Vec<String> = fonts
        .iter()
        .map(|f| {
            format!(
                "{} {} ({})",
                f.family,
                f.variant,
                &f.sha256[..12.min(f.sha256.len())]
            )
        })
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
