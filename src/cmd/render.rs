//! `pactum render`: check, fill and compile one terms file; write the PDF (and the filled
//! Typst source with `--emit typ`) atomically.

use std::path::{Path, PathBuf};

use super::Context;
use crate::cli::Emit;
use crate::output::write_atomic;
use crate::pipeline::pdf_name;
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
    // An agreement folder means its latest round.
    let latest;
    let file = if file.is_dir() {
        match crate::terms::rounds::pick(file, None) {
            Ok(round) => {
                latest = round.path;
                latest.as_path()
            }
            Err(d) => {
                ctx.report(&d.into());
                return 1;
            }
        }
    } else {
        file
    };
    // Load pactum's fonts on another core while the terms are read and filled.
    std::thread::scope(|scope| {
        scope.spawn(|| ctx.pipeline.engine().clone());
        run_loaded(ctx, file, output, emit, mode)
    })
}

fn run_loaded(ctx: &Context, file: &Path, output: Option<&Path>, emit: &[Emit], mode: Mode) -> i32 {
    let loaded = match ctx.pipeline.load(file) {
        Ok(l) => l,
        Err(report) => {
            ctx.report(&report);
            return 1;
        }
    };
    // One copy, or for a final copy with `counterparts: true`, one original per party.
    let copies = loaded.copies(mode);
    let several = copies.len() > 1;
    for copy_for in copies {
        let copy = copy_for.as_deref();
        let typst = match ctx.pipeline.fill_copy(&loaded, mode, copy) {
            Ok(t) => t,
            Err(report) => {
                ctx.report(&report);
                return 1;
            }
        };
        let root = ctx.config.output_or(None);
        let pdf_path = pdf_path(&loaded.terms, output, &root, mode, copy, several);
        // The filled source is written first: when Typst fails, it is what one needs to see.
        // (It is written again if the compiled source's record names other fonts.)
        let typ_path = pdf_path.with_extension("typ");
        let emit_typ = emit.contains(&Emit::Typ);
        let mut expected = String::new();
        if emit_typ {
            let fonts = ctx.pipeline.likely_fonts(&typst);
            expected = ctx
                .pipeline
                .with_attachments(&loaded, &typst, mode, copy, fonts);
            if !write(ctx, &typ_path, expected.as_bytes()) {
                return 1;
            }
        }
        match ctx.pipeline.compile(&loaded, typst, mode, copy) {
            Ok(rendered) => {
                for w in &rendered.warnings {
                    eprintln!(
                        "warning: {}: the layout is broken at {w}",
                        pdf_path.display()
                    );
                }
                let typ_ok = !emit_typ
                    || rendered.typst == expected
                    || write(ctx, &typ_path, rendered.typst.as_bytes());
                if !typ_ok || !write(ctx, &pdf_path, &rendered.pdf) {
                    return 1;
                }
            }
            Err(report) => {
                ctx.report(&report);
                return 1;
            }
        }
    }
    0
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

/// Where the PDF goes: `-o FILE.pdf`, `-o DIR/<name>`, or `<out_root>/<agreement>/<name>`, with
/// `<name>` from [`pdf_name`]; with several counterparts, `-o FILE.pdf` becomes `FILE-<party>.pdf`.
pub fn pdf_path(
    terms: &Terms,
    output: Option<&Path>,
    out_root: &Path,
    mode: Mode,
    copy_for: Option<&str>,
    several: bool,
) -> PathBuf {
    let name = pdf_name(&terms.label(), mode, copy_for);
    match output {
        Some(file)
            if file
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("pdf")) =>
        {
            if several {
                let stem = file
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let suffix = pdf_name("", Mode::Draft, copy_for);
                file.with_file_name(format!("{stem}{suffix}"))
            } else {
                file.to_path_buf()
            }
        }
        Some(dir) => dir.join(name),
        None => out_root.join(terms.agreement()).join(name),
    }
}
