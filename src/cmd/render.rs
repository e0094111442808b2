//! `pactum render`: check, fill and compile one terms file; write the PDF (and with
//! `--emit typ` the document model as `<round>.json` and the self-contained Typst source that
//! reads it as `<round>.typ`), or the same document as HTML or DOCX, atomically. An existing
//! final copy or signed PDF is replaced only when asked ([`Replace`]).

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Sender};

use super::{CmdResult, Context, Failure, Outcome};
use crate::cli::Emit;
use crate::diagnostic::{Diagnostic, Kind};
use crate::output::write_atomic;
use crate::pipeline::{Loaded, pdf_name};
use crate::template::Mode;
use crate::terms::Terms;
use crate::terms::settings::CopyId;
use crate::write::pdf::Rendered;
use crate::write::{Format, Written};

/// What to render from one terms file, in which format, to where.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// `-o`: a folder, or a file name with the format's extension.
    pub output: Option<&'a Path>,
    pub format: Format,
    /// Extra outputs beside a PDF (`--emit typ`).
    pub emit: &'a [Emit],
    pub mode: Mode,
    pub replace: Replace,
    /// One language version only (`--language`).
    pub language: Option<&'a str>,
}

pub fn run(ctx: &Context, file: &Path, request: Request) -> CmdResult {
    if request.format != Format::Pdf && !request.emit.is_empty() {
        return Err(Failure::usage(
            "--emit typ writes the Typst source beside a PDF; drop it, or drop --format",
        ));
    }
    let file = latest_round(file)?;
    if request.format != Format::Pdf {
        return write_copies(ctx, &file, request, None).map(|_| Outcome::Done);
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
        write_copies(ctx, &file, request, Some(sample_tx)).map(|_| Outcome::Done)
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

/// Write the document in the request's format, one file per copy; the paths written. `warm`,
/// when given, is sent a sample of the document's text as soon as the terms are read (see
/// [`Engine::warm`]).
///
/// [`Engine::warm`]: crate::render::Engine::warm
pub fn write_copies(
    ctx: &Context,
    file: &Path,
    request: Request,
    warm: Option<Sender<(String, Vec<String>)>>,
) -> Result<Vec<PathBuf>, Failure> {
    let Request {
        output,
        format,
        mode,
        replace,
        ..
    } = request;
    let loaded = ctx.pipeline.load(file)?;
    if let Some(warm) = warm {
        let _ = warm.send((ctx.pipeline.font_sample(&loaded), loaded.terms.languages()));
    }
    let copies = copies(&loaded, request)?;
    let several = copies.len() > 1;
    let root = ctx.config.output_or(None);
    if mode == Mode::Final
        && !loaded.overrides.keep_comments
        && loaded.terms.without_comments.is_some()
    {
        eprintln!(
            "note: the final copy attaches {} without its comments; your notes stay in your file",
            loaded.terms.file
        );
    }
    let mut written = Vec::new();
    for copy in &copies {
        let doc = ctx.pipeline.fill_copy(&loaded, mode, copy)?;
        let path = output_path(&loaded.terms, output, &root, mode, copy, several, format);
        let lost = may_replace(&path, mode, replace)?;
        let emit = (format == Format::Pdf && request.emit.contains(&Emit::Typ))
            .then(|| Emitted::before(ctx, &loaded, &doc, mode, copy, &path))
            .transpose()?;
        let out = ctx.pipeline.write_copy(&loaded, &doc, mode, copy, format)?;
        if let Written::Pdf(rendered) = &out {
            for w in &rendered.warnings {
                eprintln!("warning: {}: the layout is broken at {w}", path.display());
            }
            if let Some(emit) = emit {
                emit.after(rendered)?;
            }
        }
        write(&path, out.bytes())?;
        if lost > 0 {
            eprintln!(
                "warning: {} carried {lost} signature{}; they are lost (--force)",
                path.display(),
                if lost == 1 { "" } else { "s" }
            );
        }
        written.push(path);
    }
    Ok(written)
}

/// `--emit typ`: the model and the self-contained Typst source beside the PDF, written before
/// it is compiled (when Typst fails, they are what one needs to see), the letterhead images
/// beside them; the source again if the compiled record names other fonts than expected.
struct Emitted {
    typ: PathBuf,
    model_file: String,
    expected: String,
}

impl Emitted {
    fn before(
        ctx: &Context,
        loaded: &Loaded,
        doc: &crate::model::Document,
        mode: Mode,
        copy: &CopyId,
        pdf: &Path,
    ) -> Result<Emitted, Failure> {
        let typ = pdf.with_extension("typ");
        let model = pdf.with_extension("json");
        let model_file = model
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let fonts = ctx.pipeline.likely_fonts(doc);
        let expected = ctx
            .pipeline
            .emitted(loaded, mode, copy, fonts, &model_file)?;
        write(&model, &doc.to_json())?;
        write(&typ, expected.as_bytes())?;
        for asset in &loaded.terms.assets {
            let name = crate::template::letterheads::image_path(&asset.name);
            write(&typ.with_file_name(name), &asset.bytes)?;
        }
        Ok(Emitted {
            typ,
            model_file,
            expected,
        })
    }

    fn after(self, rendered: &Rendered) -> Result<(), Failure> {
        let typst = rendered.typst(&self.model_file);
        if typst != self.expected {
            write(&self.typ, typst.as_bytes())?;
        }
        Ok(())
    }
}

/// The copies to write: one; for a final copy, one per party (`counterparts: true`) and per
/// language (`originals: {per_language: true}`); with `--language`, that language's only.
fn copies(loaded: &Loaded, request: Request) -> Result<Vec<CopyId>, Failure> {
    if let Some(lang) = request.language {
        let languages = loaded.terms.languages();
        if !languages.iter().any(|l| l == lang) {
            return Err(Failure::usage(format!(
                "--language {lang}: not one of this agreement's languages ({})",
                languages.join(", ")
            )));
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
    format: Format,
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
