//! What every PDF carries to prove where it came from: the terms file, byte for byte, attached
//! as the document's source (PDF/A-3 `AFRelationship /Source`), and `pactum.json`, a record of
//! what rendered it (pactum's version, the template's name and content hash, the agreement and
//! round, draft or final, whose copy, the fonts and the letterheads' hashes). Owns the record's
//! shape and reading both back out of a PDF, signed or not (`pactum extract`, `pactum
//! verify`); [`crate::write::pdf`] attaches them.

use std::collections::BTreeMap;

use lopdf::{Dictionary, Document, Object};
use serde::{Deserialize, Serialize};
use sha2::Digest;

use crate::render::FontUse;
use crate::terms::settings::{CopyId, Overrides, ParityAccepted};

/// The attachment holding the record.
pub const RECORD: &str = "pactum.json";
/// The attachment holding the template files a copy was rendered with from a templates folder
/// (a language pack, an own form): `{path under the templates root: text}`.
pub const TEMPLATES: &str = "pactum-templates.json";
/// The most an attached templates file may hold: its size and its number of files.
const TEMPLATES_MAX_BYTES: usize = 16 << 20;
const TEMPLATES_MAX_FILES: usize = 2000;

/// What rendered a PDF.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    /// The version of this record's shape.
    pub format: u32,
    /// pactum's version.
    pub pactum: String,
    /// The agreement (its folder's name) and round label (`round-3`): they name the PDF.
    pub agreement: String,
    pub round: String,
    /// The name of the attached terms file.
    pub terms: String,
    /// Whether the attached terms leave out the file's comments (`removed`, the default) or
    /// carry them (`kept`, `--keep-comments`).
    #[serde(default = "removed")]
    pub terms_comments: String,
    pub terms_sha256: String,
    pub template: String,
    /// A hash of the template's files ([`crate::template::Template::hash`]).
    pub template_hash: String,
    /// `draft` or `final`.
    pub mode: String,
    /// Which copy: the party whose counterpart (`copy_for`), the language whose original
    /// (`language`) it is.
    #[serde(flatten)]
    pub copy: CopyId,
    /// The fonts the document is typeset with.
    pub fonts: Vec<FontUse>,
    /// What was set from outside the terms (`--layout`, pactum.toml's `languages`).
    #[serde(default, skip_serializing_if = "Overrides::is_empty")]
    pub overrides: Overrides,
    /// The files the terms name beside themselves (letterhead images), attached under these
    /// names: name → sha256.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub assets: BTreeMap<String, String>,
    /// The template files that came from a templates folder, not from pactum itself, attached
    /// in [`TEMPLATES`]: path under the templates root → sha256.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub templates: BTreeMap<String, String>,
    /// The font files from a templates folder the document is typeset with, attached under
    /// these names (`pactum-font-…`): name → sha256.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub carried_fonts: BTreeMap<String, String>,
    /// The differences between the language versions the terms accept, with their reasons
    /// (`parity: {accept: …}`; see [`crate::parity`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parity_accepted: Vec<ParityAccepted>,
}

fn removed() -> String {
    "removed".to_string()
}

/// The current [`Provenance::format`].
pub const FORMAT: u32 = 1;

impl Provenance {
    /// The record as attached (pretty JSON, stable key order).
    pub fn to_json(&self) -> Vec<u8> {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text.into_bytes()
    }
}

/// The attachment name of a terms file: its own name when that is plain (letters, digits,
/// `.`, `-`, `_`), else `terms.yaml`. The name goes into Typst source, so it is never escaped.
pub fn attachment_name(file_name: &str) -> String {
    let plain = !file_name.is_empty()
        && file_name != RECORD
        && !file_name.starts_with('.')
        && file_name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
    if plain {
        file_name.to_string()
    } else {
        "terms.yaml".to_string()
    }
}

/// What a PDF carries.
#[derive(Debug, Clone)]
pub struct Attached {
    /// The terms file's attachment name.
    pub terms_name: String,
    pub terms: Vec<u8>,
    pub record: Provenance,
    /// The files the record names beside the terms (letterhead images), by name.
    pub assets: BTreeMap<String, Vec<u8>>,
    /// The template files the record names (see [`Provenance::templates`]), by path.
    pub templates: BTreeMap<String, String>,
    /// The font files the record names ([`Provenance::carried_fonts`]), by name, each
    /// checked against its hash.
    pub fonts: BTreeMap<String, Vec<u8>>,
}

/// The attachment [`TEMPLATES`] for these files (path → text).
pub fn templates_file<'a>(files: impl IntoIterator<Item = (&'a str, &'a str)>) -> Vec<u8> {
    let map: BTreeMap<&str, &str> = files.into_iter().collect();
    serde_json::to_vec_pretty(&map).unwrap_or_default()
}

/// Whether `rel` is a path a templates folder may hold: relative, plain names, no way out.
fn template_path_ok(rel: &str) -> bool {
    let parts: Vec<&str> = rel.split('/').collect();
    parts.len() <= 6
        && parts.iter().all(|p| {
            !p.is_empty()
                && *p != "."
                && *p != ".."
                && p.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        })
        && [".yaml", ".hbs", ".typ"].iter().any(|e| rel.ends_with(e))
}

/// The attached template files, checked against the record: within limits, every path plain,
/// every file the one the record names.
fn read_templates(
    files: &BTreeMap<String, Vec<u8>>,
    record: &Provenance,
) -> Result<BTreeMap<String, String>, ReadError> {
    if record.templates.is_empty() {
        return Ok(BTreeMap::new());
    }
    let bad = |why: String| ReadError::BadRecord(format!("the attached templates: {why}"));
    let bytes = files
        .get(TEMPLATES)
        .ok_or_else(|| ReadError::NoTerms(TEMPLATES.to_string()))?;
    if bytes.len() > TEMPLATES_MAX_BYTES {
        return Err(bad(format!(
            "larger than {} MiB",
            TEMPLATES_MAX_BYTES >> 20
        )));
    }
    let map: BTreeMap<String, String> =
        serde_json::from_slice(bytes).map_err(|e| bad(e.to_string()))?;
    if map.len() > TEMPLATES_MAX_FILES {
        return Err(bad(format!("more than {TEMPLATES_MAX_FILES} files")));
    }
    if map.keys().ne(record.templates.keys()) {
        return Err(bad("not the files the record names".into()));
    }
    for (rel, text) in &map {
        if !template_path_ok(rel) {
            return Err(bad(format!("`{rel}` is not a path in a templates folder")));
        }
        if record.templates.get(rel) != Some(&crate::batch::manifest::sha256(text.as_bytes())) {
            return Err(bad(format!("`{rel}` is not the file the record names")));
        }
    }
    Ok(map)
}

/// Why a PDF's attachments could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("this is not a PDF that can be read ({0})")]
    NotPdf(String),
    #[error(
        "this PDF carries no pactum record: it was not made by pactum, or not by a version that attaches its terms"
    )]
    NoRecord,
    #[error("the PDF's pactum record cannot be read: {0}")]
    BadRecord(String),
    #[error("the PDF's record names the file `{0}`, which is not attached")]
    NoTerms(String),
}

/// Read the attached terms and record of a PDF.
pub fn read(pdf: &[u8]) -> Result<Attached, ReadError> {
    let files = attachments(pdf)?;
    let record = files.get(RECORD).ok_or(ReadError::NoRecord)?;
    let record: Provenance =
        serde_json::from_slice(record).map_err(|e| ReadError::BadRecord(e.to_string()))?;
    let terms_name = attachment_name(&record.terms);
    let terms = files
        .get(&terms_name)
        .ok_or_else(|| ReadError::NoTerms(terms_name.clone()))?
        .clone();
    let mut assets = BTreeMap::new();
    for name in record.assets.keys() {
        let bytes = files
            .get(name)
            .filter(|_| crate::terms::assets::is_plain(name))
            .ok_or_else(|| ReadError::NoTerms(name.clone()))?;
        assets.insert(name.clone(), bytes.clone());
    }
    let templates = read_templates(&files, &record)?;
    let mut fonts = BTreeMap::new();
    for (name, sha256) in &record.carried_fonts {
        let bytes = files
            .get(name)
            .filter(|_| name.starts_with("pactum-font-") && crate::terms::assets::is_plain(name))
            .filter(|b| crate::template::hex(&sha2::Sha256::digest(b)) == *sha256)
            .ok_or_else(|| ReadError::NoTerms(name.clone()))?;
        fonts.insert(name.clone(), bytes.clone());
    }
    Ok(Attached {
        terms_name,
        terms,
        record,
        assets,
        templates,
        fonts,
    })
}

/// Every embedded file of a PDF, by name (the document's `/EmbeddedFiles` name tree).
pub fn attachments(pdf: &[u8]) -> Result<BTreeMap<String, Vec<u8>>, ReadError> {
    // lopdf may panic on a damaged file (see `sign::pdf`): that is "cannot read", not a crash.
    let loaded = std::panic::catch_unwind(|| Document::load_mem(pdf))
        .map_err(|_| ReadError::NotPdf("the PDF reader gave up on it".into()))?;
    let doc = loaded.map_err(|e| ReadError::NotPdf(e.to_string()))?;
    let catalog = doc
        .catalog()
        .map_err(|e| ReadError::NotPdf(e.to_string()))?;
    let mut out = BTreeMap::new();
    let tree = catalog
        .get_deref(b"Names", &doc)
        .and_then(Object::as_dict)
        .and_then(|names| names.get_deref(b"EmbeddedFiles", &doc))
        .and_then(Object::as_dict);
    if let Ok(tree) = tree {
        collect(&doc, tree, &mut out, 0);
    }
    Ok(out)
}

/// Walk a name tree node: `/Names [name filespec …]` and `/Kids`.
fn collect(doc: &Document, node: &Dictionary, out: &mut BTreeMap<String, Vec<u8>>, depth: usize) {
    if depth > 16 {
        return;
    }
    if let Ok(names) = node.get_deref(b"Names", doc).and_then(Object::as_array) {
        for pair in names.chunks(2) {
            let [name, spec] = pair else { continue };
            let Ok(name) = doc
                .dereference(name)
                .and_then(|(_, o)| lopdf::decode_text_string(o))
            else {
                continue;
            };
            if let Some(data) = file_data(doc, spec) {
                out.insert(name, data);
            }
        }
    }
    if let Ok(kids) = node.get_deref(b"Kids", doc).and_then(Object::as_array) {
        for kid in kids {
            if let Ok((_, Object::Dictionary(kid))) = doc.dereference(kid) {
                collect(doc, kid, out, depth + 1);
            }
        }
    }
}

/// The decoded bytes of a file specification's embedded file stream (`/EF /F`).
fn file_data(doc: &Document, spec: &Object) -> Option<Vec<u8>> {
    let (_, spec) = doc.dereference(spec).ok()?;
    let ef = spec
        .as_dict()
        .ok()?
        .get_deref(b"EF", doc)
        .ok()?
        .as_dict()
        .ok()?;
    let stream = ef
        .get_deref(b"UF", doc)
        .or_else(|_| ef.get_deref(b"F", doc))
        .ok()?
        .as_stream()
        .ok()?;
    match stream.decompressed_content() {
        Ok(data) => Some(data),
        Err(_) if stream.dict.get(b"Filter").is_err() => Some(stream.content.clone()),
        Err(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn carried_template_paths_stay_in_a_templates_folder() {
        for ok in ["shared/words/ja.yaml", "sister-city/clauses/ja/fields.hbs"] {
            assert!(template_path_ok(ok), "{ok}");
        }
        for bad in [
            "../x.hbs",
            "/etc/passwd.yaml",
            "shared/../../x.yaml",
            "a//b.hbs",
            "shared/words/ja.sh",
            "a b.hbs",
            "C:\\x.hbs",
        ] {
            assert!(!template_path_ok(bad), "{bad}");
        }
    }

    #[test]
    fn plain_names_are_kept_and_others_replaced() {
        assert_eq!(attachment_name("round-3.yaml"), "round-3.yaml");
        assert_eq!(attachment_name("a\"b.yaml"), "terms.yaml");
        assert_eq!(attachment_name("ronde-é.yaml"), "terms.yaml");
        assert_eq!(attachment_name(".hidden"), "terms.yaml");
        assert_eq!(attachment_name(RECORD), "terms.yaml");
    }
}
