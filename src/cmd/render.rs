//! `pactum render`: check, fill and compile one terms file; write the PDF (and the filled
//! Typst source with `--emit typ`) atomically.

use std::path::{Path, PathBuf};

use super::Context;
use crate::cli::Emit;
use crate::output::write_atomic;
use crate::template::Mode;
use crate::terms::Terms;

pub fn run(
    ctx: &Context,
    file: &Path,
    output: Option<&Path>,
    emit: &[Emit],
    final_copy: bool,
) -> i32 {
    let mode = if final_copy { Mode::Final } else { Mode::Draft };
    let loaded = match ctx.pipeline.load(file) {
        Ok(l) => l,
        Err(report) => {
            ctx.report(&report);
            return 1;
        }
    };
    let typst = match ctx.pipeline.fill(&loaded, mode) {
        Ok(t) => t,
        Err(report) => {
            ctx.report(&report);
            return 1;
        }
    };
    let pdf_path = pdf_path(&loaded.terms, output, &ctx.config.output_or(None), mode);
    // The filled source is written first: when Typst fails, it is what one needs to look at.
    if emit.contains(&Emit::Typ) && !write(ctx, &pdf_path.with_extension("typ"), typst.as_bytes()) {
        return 1;
    }
    match ctx.pipeline.compile(&loaded, typst, mode) {
        Ok(rendered) if write(ctx, &pdf_path, &rendered.pdf) => 0,
        Ok(_) => 1,
        Err(report) => {
            ctx.report(&report);
            1
        }
    }
}

fn write(ctx: &Context, path: &Path, bytes: &[u8]) -> bool {
    match write_atomic(path, bytes) {
        Ok(()) => {
            println!("wrote {}", path.display());
            true
        }
        Err(d) => {
            ctx.report(&d.into());
            false
        }
    }
}

/// Where the PDF goes: `-o FILE.pdf`, `-o DIR/<round>.pdf`, or `<out_root>/<agreement>/<round>.pdf`.
pub fn pdf_path(terms: &Terms, output: Option<&Path>, out_root: &Path, mode: Mode) -> PathBuf {
    let name = match mode {
        Mode::Draft => format!("{}.pdf", terms.label()),
        Mode::Final => format!("{}-final.pdf", terms.label()),
    };
    match output {
        Some(o) if o.extension().is_some_and(|e| e.eq_ignore_ascii_case("pdf")) => o.to_path_buf(),
        Some(dir) => dir.join(name),
        None => out_root.join(terms.agreement()).join(name),
    }
}
