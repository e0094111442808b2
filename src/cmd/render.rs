//! `pactum render`: check, fill and compile one terms file; write the PDF (and with
//! `--emit typ` the document model as `<round>.json` and the self-contained Typst source that
//! reads it as `<round>.typ`) atomically.

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
        let doc = ctx.pipeline.fill_copy(&loaded, mode, copy)?;
        let root = ctx.config.output_or(None);
        let pdf_path = pdf_path(&loaded.terms, output, &root, mode, copy, several);
        // The model and the layout are written first: when Typst fails, they are what one
        // needs to see. (The source is written again if the compiled record names other fonts.)
        let typ_path = pdf_path.with_extension("typ");
        let model_path = pdf_path.with_extension("json");
        let model_file = model_path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let emit_typ = emit.contains(&Emit::Typ);
        let mut expected = String::new();
        if emit_typ {
            let fonts = ctx.pipeline.likely_fonts(&doc);
            expected = ctx
                .pipeline
                .emitted(&loaded, mode, copy, fonts, &model_file)?;
            write(&model_path, &doc.to_json())?;
            write(&typ_path, expected.as_bytes())?;
        }
        let rendered = ctx.pipeline.compile(&loaded, &doc, mode, copy)?;
        for w in &rendered.warnings {
            eprintln!(
                "warning: {}: the layout is broken at {w}",
                pdf_path.display()
            );
        }
        let typst = rendered.typst(&model_file);
        if emit_typ && typst != expected {
            write(&typ_path, typst.as_bytes())?;
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
