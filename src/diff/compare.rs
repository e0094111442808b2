//! Comparing two rounds, the diff stage's entry: each round is read, checked and filled as a
//! draft through the [`Pipeline`], every language version (or one) is diffed on its own
//! ([`super::diff_documents`]), and the redline is written in any format with the newer
//! round's template: its layout and words print it.

use std::path::Path;
use std::sync::Arc;

use super::{Round, RoundDiff, Side};
use crate::diagnostic::{Diagnostic, Kind, Report};
use crate::model::Document;
use crate::pipeline::{Loaded, Pipeline};
use crate::template::{Mode, Template};
use crate::write::{Format, Written};

/// Two rounds compared, with what writing their redline needs.
pub struct Compared {
    pub diff: RoundDiff,
    /// The newer round's template, whose layout and words print the redline.
    template: Arc<Template>,
    /// The older round's document (where a moved article stood, for tracked changes).
    old: Document,
}

/// Fill both rounds and diff their terms and their text, every language version (or only
/// `language`) on its own.
pub fn compare(
    pipeline: &Pipeline,
    old: &Path,
    new: &Path,
    language: Option<&str>,
) -> Result<Compared, Report> {
    let (old_loaded, old_doc) = filled(pipeline, old)?;
    let (new_loaded, new_doc) = filled(pipeline, new)?;
    let has = |doc: &Document, lang: &str| doc.versions.iter().any(|v| v.lang == lang);
    if let Some(lang) = language
        && !has(&old_doc, lang)
        && !has(&new_doc, lang)
    {
        let d = Diagnostic::new(
            Kind::InvalidValue,
            new.display().to_string(),
            format!("neither round has a {lang} version"),
        )
        .with_hint(format!(
            "their languages: {}",
            new_loaded.terms.languages().join(", ")
        ));
        return Err(d.into());
    }
    let mut words = old_loaded.template.words.clone();
    words.extend(new_loaded.template.words.clone());
    let diff = super::diff_documents(
        Round {
            side: side(&old_loaded, old),
            terms: &old_loaded.terms.value,
            doc: &old_doc,
        },
        Round {
            side: side(&new_loaded, new),
            terms: &new_loaded.terms.value,
            doc: &new_doc,
        },
        &words,
        language,
    );
    Ok(Compared {
        diff,
        template: new_loaded.template,
        old: old_doc,
    })
}

impl Compared {
    /// The redline in `format`: a PDF in the agreement's own layout, HTML with `<ins>` and
    /// `<del>`, or DOCX with tracked changes dated the newer round's date. `ident` names it
    /// (the PDF's /ID).
    pub fn redline(
        &self,
        pipeline: &Pipeline,
        format: Format,
        ident: &str,
    ) -> Result<Written, Report> {
        let doc = self
            .diff
            .redline_document(&self.template.words)
            .ok_or_else(|| Diagnostic::general(Kind::Output, "there is no redline to print"))?;
        let date = self.diff.new.date.as_deref();
        pipeline.write_redline(&self.template, &doc, &self.old, date, ident, format)
    }
}

/// A round's document, filled as a draft.
fn filled(pipeline: &Pipeline, path: &Path) -> Result<(Loaded, Document), Report> {
    let loaded = pipeline.load(path)?;
    let doc = pipeline.fill(&loaded, Mode::Draft)?;
    Ok((loaded, doc))
}

fn side(loaded: &Loaded, path: &Path) -> Side {
    Side {
        label: path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        ),
        round: loaded.terms.round().and_then(|r| u32::try_from(r).ok()),
        date: loaded.terms.date().map(str::to_string),
    }
}
