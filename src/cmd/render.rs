//! `pactum render`: check, fill and compile one terms file; write the PDF (and the filled
//! Typst source with `--emit typ`) atomically.

use std::path::{Path, PathBuf};

use super::{CmdResult, Context, Failure, Outcome};
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
) -> CmdResult {
    let mode = if final_copy { Mode::Final } else { Mode::Draft };
    // An agreement folder means its latest round.
    let latest;
    let file = if file.is_dir() {
        latest = crate::terms::rounds::pick(file, None)?.path;
        latest.as_path()
    } else {
        file
    };
    // Load pactum's fonts on another core while the terms are read and filled.
    std::thread::scope(|scope| {
        scope.spawn(|| ctx.pipeline.engine().clone());
        run_loaded(ctx, file, output, emit, mode)
    })
}

fn run_loaded(
    ctx: &Context,
    file: &Path,
    output: Option<&Path>,
    emit: &[Emit],
    mode: Mode,
) -> CmdResult {
    let loaded = ctx.pipeline.load(file)?;
    // One copy, or for a final copy with `counterparts: true`, one original per party.
    let copies = loaded.copies(mode);
    let several = copies.len() > 1;
    for copy_for in copies {
        let copy = copy_for.as_deref();
        let typst = ctx.pipeline.fill_copy(&loaded, mode, copy)?;
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
            write(&typ_path, expected.as_bytes())?;
        }
        let rendered = ctx.pipeline.compile(&loaded, typst, mode, copy)?;
        for w in &rendered.warnings {
            eprintln!(
                "warning: {}: the layout is broken at {w}",
                pdf_path.display()
            );
        }
        if emit_typ && rendered.typst != expected {
            write(&typ_path, rendered.typst.as_bytes())?;
        }
        write(&pdf_path, &rendered.pdf)?;
    }
    Ok(Outcome::Done)
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    write_atomic(path, bytes)?;
    println!("wrote {}", path.display());
    Ok(())
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
