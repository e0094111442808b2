//! `pactum render`: check, fill and compile one terms file; write the PDF (and with
//! `--emit typ` the document model as `<round>.json` and the self-contained Typst source that
//! reads it as `<round>.typ`), or the same document as HTML or DOCX, atomically. An existing
//! final copy or signed PDF is replaced only when asked ([`Replace`]).

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Sender};

use super::{CmdResult, Context, Failure, Outcome};
use crate::cli::{DocFormat, Emit};
use crate::diagnostic::{Diagnostic, Kind};
use crate::output::write_atomic;
use crate::pipeline::{Loaded, pdf_name};
use crate::template::Mode;
use crate::terms::Terms;
use crate::terms::settings::CopyId;

/// What to render from one terms file, in which format, to where.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// `-o`: a folder, or a file name with the format's extension.
    pub output: Option<&'a Path>,
    pub format: DocFormat,
    /// Extra outputs beside a PDF (`--emit typ`).
    pub emit: &'a [Emit],
    pub mode: Mode,
    pub replace: Replace,
    /// One language version only (`--language`).
    pub language: Option<&'a str>,
}

pub fn run(ctx: &Context, file: &Path, request: Request) -> CmdResult {
    if request.format != DocFormat::Pdf && !request.emit.is_empty() {
        return Err(Failure::usage(
            "--emit",
            "--emit typ writes the Typst source beside a PDF; drop it, or drop --format",
        ));
    }
    let file = latest_round(file)?;
    if request.format != DocFormat::Pdf {
        return write_model(ctx, &file, request).map(|_| Outcome::Done);
    }
    // Load pactum's fonts on another core while the terms are read and filled, then get the
    // faces the document will use ready for Typst.
    let (sample_tx, sample_rx) = mpsc::channel::<(String, Vec<String>)>();
    std::thread::scope(|scope| {
        scope.spawn(move || {
            let engine = ctx.pipeline.engine();
            if let Ok((sample, languages)) = sample_rx.recv() {
                engine.warm(&sample, &languages);
            }
        });
        render_pdf(ctx, &file, request, Some(sample_tx)).map(|_| Outcome::Done)
    })
}

/// The terms file, or an agreement folder's latest round.
pub fn latest_round(file: &Path) -> Result<PathBuf, Failure> {
    if file.is_dir() {
        Ok(crate::terms::rounds::pick(file, None)?.path)
    } else {
        Ok(file.to_path_buf())
    }
}

/// The document as HTML or DOCX, one file per copy; the paths written.
pub fn write_model(ctx: &Context, file: &Path, request: Request) -> Result<Vec<PathBuf>, Failure> {
    let Request {
        output,
        format,
        mode,
        replace,
        ..
    } = request;
    let loaded = ctx.pipeline.load(file)?;
    let copies = copies(&loaded, request)?;
    let several = copies.len() > 1;
    let root = ctx.config.output_or(None);
    let mut written = Vec::new();
    for copy in &copies {
        let doc = ctx.pipeline.fill_copy(&loaded, mode, copy)?;
        let path = output_path(&loaded.terms, output, &root, mode, copy, several, format);
        may_replace(&path, mode, replace)?;
        let bytes = match format {
            DocFormat::Html => crate::write::html::write(&doc).into_bytes(),
            DocFormat::Docx => {
                let revision = crate::write::docx::Revision::on(loaded.terms.date());
                crate::write::docx::write(&doc, &revision, None)
                    .map_err(|e| Failure::output(&path, e))?
            }
            DocFormat::Pdf => {
                return Err(Failure::usage(
                    "--format",
                    "a PDF is compiled by `render_pdf`",
                ));
            }
        };
        write(&path, &bytes)?;
        written.push(path);
    }
    Ok(written)
}

/// Compile the PDF (one per copy) and write it; the paths written. `warm`, when given, is sent
/// a sample of the document's text as soon as the terms are read (see [`Engine::warm`]).
///
/// [`Engine::warm`]: crate::render::Engine::warm
pub fn render_pdf(
    ctx: &Context,
    file: &Path,
    request: Request,
    warm: Option<Sender<(String, Vec<String>)>>,
) -> Result<Vec<PathBuf>, Failure> {
    let Request {
        output,
        emit,
        mode,
        replace,
        ..
    } = request;
    let mut written = Vec::new();
    let loaded = ctx.pipeline.load(file)?;
    if let Some(warm) = warm {
        let _ = warm.send((ctx.pipeline.font_sample(&loaded), loaded.terms.languages()));
    }
    let copies = copies(&loaded, request)?;
    let several = copies.len() > 1;
    for copy in &copies {
        let doc = ctx.pipeline.fill_copy(&loaded, mode, copy)?;
        let root = ctx.config.output_or(None);
        let pdf_path = output_path(
            &loaded.terms,
            output,
            &root,
            mode,
            copy,
            several,
            DocFormat::Pdf,
        );
        let lost = may_replace(&pdf_path, mode, replace)?;
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
            // The letterhead images, where the source reads them: beside it.
            for asset in &loaded.terms.assets {
                let name = crate::template::letterheads::image_path(&asset.name);
                write(&typ_path.with_file_name(name), &asset.bytes)?;
            }
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
        if lost > 0 {
            eprintln!(
                "warning: {} carried {lost} signature{}; they are lost (--force)",
                pdf_path.display(),
                if lost == 1 { "" } else { "s" }
            );
        }
        written.push(pdf_path);
    }
    Ok(written)
}

/// The copies to write: one; for a final copy, one per party (`counterparts: true`) and per
/// language (`originals: {per_language: true}`); with `--language`, that language's only.
fn copies(loaded: &Loaded, request: Request) -> Result<Vec<CopyId>, Failure> {
    if let Some(lang) = request.language {
        let languages = loaded.terms.languages();
        if !languages.iter().any(|l| l == lang) {
            return Err(Failure::usage(
                "--language",
                format!(
                    "`{lang}` is not one of this agreement's languages ({})",
                    languages.join(", ")
                ),
            ));
        }
    }
    Ok(loaded.copies(request.mode, request.language))
}

/// What an output may replace on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Replace {
    /// A draft, never a final copy or a signed PDF (`render`).
    Drafts,
    /// Anything but a signed PDF (`watch`, which writes the same file on every save).
    Unsigned,
    /// Anything (`--force`); a signed PDF's lost signatures are said.
    Any,
}

/// Whether `path` may be written over; the number of signatures it would lose.
fn may_replace(path: &Path, mode: Mode, replace: Replace) -> Result<usize, Failure> {
    let Ok(bytes) = std::fs::read(path) else {
        return Ok(0);
    };
    let signatures = crate::sign::signed_revisions(&bytes).map_or(0, |s| s.len());
    let refuse = |why: String| {
        Diagnostic::new(Kind::Exists, path.display().to_string(), why)
            .with_hint("pass --force to replace it, or -o FILE to write elsewhere")
    };
    if signatures > 0 && replace != Replace::Any {
        return Err(refuse(format!(
            "the file exists and carries {signatures} signature{}; nothing was written \
             (replacing it would lose them)",
            if signatures == 1 { "" } else { "s" }
        ))
        .into());
    }
    // A PDF says what it is (its record); another format is a final copy by its name.
    let existing_final = match crate::sign::original_revision(&bytes) {
        Ok(first) => crate::provenance::read(first).is_ok_and(|a| a.record.mode == "final"),
        Err(_) => mode == Mode::Final,
    };
    if existing_final && replace == Replace::Drafts {
        return Err(refuse("a final copy exists here; nothing was written".into()).into());
    }
    Ok(signatures)
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    write_atomic(path, bytes)?;
    println!("wrote {}", path.display());
    Ok(())
}

/// Where the output goes: `-o FILE.pdf`, `-o DIR/<name>`, or `<out_root>/<agreement>/<name>`,
/// with `<name>` from [`pdf_name`] (its extension the format's); with several copies,
/// `-o FILE.pdf` becomes `FILE-<lang>-<party>.pdf`.
pub fn output_path(
    terms: &Terms,
    output: Option<&Path>,
    out_root: &Path,
    mode: Mode,
    copy: &CopyId,
    several: bool,
    format: DocFormat,
) -> PathBuf {
    let ext = format.extension();
    let name = PathBuf::from(pdf_name(&terms.label(), mode, copy)).with_extension(ext);
    match output {
        Some(file)
            if file
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case(ext)) =>
        {
            if several {
                let stem = file
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let suffix = PathBuf::from(pdf_name("", Mode::Draft, copy)).with_extension(ext);
                file.with_file_name(format!("{stem}{}", suffix.display()))
            } else {
                file.to_path_buf()
            }
        }
        Some(dir) => dir.join(name),
        None => out_root.join(terms.agreement()).join(name),
    }
}
