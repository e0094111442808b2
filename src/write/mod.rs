//! The document model written in the formats negotiators exchange: a PDF typeset by Typst
//! ([`pdf`], the only place pactum writes Typst source), one self-contained HTML file
//! ([`html`]) and a Word document whose redline is real tracked changes ([`docx`]). [`write`]
//! is the one place a document is sent to its format's writer. Every writer reads only the
//! [`crate::model`]: an agreement and a redline (the model with `Ins`/`Del` inlines and change
//! notes) are written by the same code. Term values reach the writers as text inlines and are
//! written as text, escaped by the writer (HTML), by docx-rs (XML) or served to Typst as JSON
//! data, never as markup.

pub mod docx;
pub mod html;
pub mod mark;
pub mod pdf;

use clap::ValueEnum;

use crate::model::Document;
use crate::template::Template;

/// The formats a document is written in (`--format` of `render` and `watch`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// PDF, typeset by Typst (PDF/A-3b with the terms inside for a final copy).
    Pdf,
    /// One self-contained HTML file: styles inline, nothing loaded from elsewhere.
    Html,
    /// A Word document.
    Docx,
}

impl Format {
    /// The file extension it is written with.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Html => "html",
            Format::Docx => "docx",
        }
    }
}

/// What writing a document needs besides the model; each format reads its own part.
pub struct Job<'a> {
    /// The template whose layout typesets the PDF.
    pub template: &'a Template,
    /// How the PDF is compiled.
    pub press: pdf::Press<'a>,
    /// What an agreement's copy attaches to its PDF (a redline attaches nothing).
    pub attached: Option<pdf::Attached<'a>>,
    /// The round's date (`YYYY-MM-DD`): the date of the DOCX's tracked changes.
    pub date: Option<&'a str>,
    /// A redline's older document: where a moved article stood (DOCX moves).
    pub before: Option<&'a Document>,
    /// The terms file as named (an agreement's DOCX records it, for `import`).
    pub terms_path: Option<&'a std::path::Path>,
}

/// A written document.
pub enum Written {
    /// A PDF, with what its compile learned (fonts, layout warnings, its Typst source).
    Pdf(pdf::Rendered),
    /// The bytes of an HTML or DOCX file.
    File(Vec<u8>),
}

impl Written {
    pub fn bytes(&self) -> &[u8] {
        match self {
            Written::Pdf(rendered) => &rendered.pdf,
            Written::File(bytes) => bytes,
        }
    }
}

/// Why a document was not written.
pub enum Failed {
    Pdf(pdf::Failed),
    Docx(String),
}

/// `doc` in `format`.
pub fn write(format: Format, doc: &Document, job: &Job) -> Result<Written, Failed> {
    match format {
        Format::Pdf => pdf::write(&job.press, job.template, doc, job.attached.as_ref())
            .map(Written::Pdf)
            .map_err(Failed::Pdf),
        Format::Html => Ok(Written::File(html::write(doc).into_bytes())),
        Format::Docx => {
            // An agreement's copy records what made it, so that it can come back (`import`).
            let record = job
                .attached
                .as_ref()
                .zip(job.terms_path)
                .map(|(a, path)| docx::Record {
                    provenance: (a.record)(Vec::new()),
                    terms_path: path.to_string_lossy().into_owned(),
                });
            docx::write(
                doc,
                &docx::Revision::on(job.date),
                job.before,
                record.as_ref(),
            )
            .map(Written::File)
            .map_err(Failed::Docx)
        }
    }
}
