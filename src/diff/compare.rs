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
    let mut diff = super::diff_documents(
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
    // A term the document does not name by its key: the part whose `needs` or `when` does.
    let parts = parts_by_term(&new_loaded.template);
    for t in diff.terms.iter_mut().filter(|t| t.clause.is_none()) {
        let key = t.path.split(['.', '[', ' ']).next().unwrap_or_default();
        let mut ids = parts
            .iter()
            .filter(|(_, keys)| keys.iter().any(|k| k == key));
        let in_doc = |id: &str| diff.clauses.iter().any(|c| c.id == id);
        t.clause = ids.find(|(id, _)| in_doc(id)).map(|(id, _)| id.clone());
    }
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

/// The template's parts (`template.yaml`'s `articles:`) with the terms each `needs` or
/// depends on (`when`).
fn parts_by_term(template: &Template) -> Vec<(String, Vec<String>)> {
    let manifest = format!("{}/template.yaml", template.name);
    let Some(file) = template.files.iter().find(|f| f.rel == manifest) else {
        return Vec::new();
    };
    let Ok(yaml) = serde_yaml_ng::from_str::<serde_yaml_ng::Value>(&file.text) else {
        return Vec::new();
    };
    let Some(parts) = yaml.get("articles").and_then(|a| a.as_sequence()) else {
        return Vec::new();
    };
    parts
        .iter()
        .filter_map(|p| {
            let id = p.get("id")?.as_str()?.to_string();
            let mut keys: Vec<String> = Vec::new();
            for field in ["needs", "when"] {
                match p.get(field) {
                    Some(serde_yaml_ng::Value::String(k)) => keys.push(k.clone()),
                    Some(serde_yaml_ng::Value::Sequence(ks)) => {
                        keys.extend(ks.iter().filter_map(|k| k.as_str().map(str::to_string)))
                    }
                    Some(serde_yaml_ng::Value::Mapping(m)) => {
                        keys.extend(m.keys().filter_map(|k| k.as_str().map(str::to_string)))
                    }
                    _ => {}
                }
            }
            Some((id, keys))
        })
        .collect()
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
