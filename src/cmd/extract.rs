//! `pactum extract`: give back the terms file a PDF carries, byte for byte (from the revision
//! pactum wrote, so a signed copy gives the terms that were signed), to standard output or to
//! a file that is never overwritten without `--force`.

use crate::diagnostic::Kind;
use std::io::Write;
use std::path::Path;

use super::Context;
use crate::diagnostic::Diagnostic;
use crate::output::write_atomic;

pub fn run(ctx: &Context, pdf: &Path, output: Option<&Path>, force: bool) -> i32 {
    let fail = |message: String| {
        ctx.report(&Diagnostic::new(Kind::Pdf, pdf.display().to_string(), message).into());
        1
    };
    let bytes = match std::fs::read(pdf) {
        Ok(b) => b,
        Err(e) => return fail(format!("cannot read: {e}")),
    };
    let revision = match crate::sign::original_revision(&bytes) {
        Ok(r) => r,
        Err(e) => return fail(e.to_string()),
    };
    let attached = match crate::provenance::read(revision) {
        Ok(a) => a,
        Err(e) => return fail(e.to_string()),
    };
    let Some(out) = output else {
        return match std::io::stdout().lock().write_all(&attached.terms) {
            Ok(()) => 0,
            Err(e) => fail(format!("cannot write to standard output: {e}")),
        };
    };
    if out.exists() && !force {
        let d = Diagnostic::new(
            Kind::Output,
            out.display().to_string(),
            "the file exists; nothing was written",
        )
        .with_hint("pass --force to overwrite it");
        ctx.report(&d.into());
        return 1;
    }
    match write_atomic(out, &attached.terms) {
        Ok(()) => {
            println!(
                "wrote {} ({} of {})",
                out.display(),
                attached.terms_name,
                attached.record.agreement
            );
            0
        }
        Err(d) => {
            ctx.report(&d.into());
            1
        }
    }
}
