//! The PDF writer, and the only place pactum writes Typst source. A document is its
//! template's layout (`layout.typ`) reading the model from `model.json`; an agreement's copy
//! adds `pdf.attach` calls for the terms, the provenance record and the letterhead images.
//! When pactum compiles, those bytes are served through the World and the calls read them
//! ([`Attached`]); what `--emit typ` writes holds them inline as arrays of numbers
//! ([`emitted`]). Either way the source holds no text from the terms: data, never markup.
//! The render stage's [`Engine`] compiles it, PDF/A for a final copy.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use crate::diagnostic::{Diagnostic, Kind};
use crate::model::{Document, FontFamily};
use crate::provenance::{Provenance, RECORD, TEMPLATES, attachment_name};
use crate::render::CarriedFont;
use crate::render::{self, Engine, FontUse, Problem};
use crate::template::Template;
use crate::template::letterheads::image_path;
use crate::terms::assets::Asset;

/// Where the compile serves the model (the layout's first line reads `model.json`).
pub const MODEL_PATH: &str = "/model.json";
/// Where the compile serves the terms and the record from (in memory, through the World).
const TERMS_PATH: &str = "/pactum/terms";
const RECORD_PATH: &str = "/pactum/record.json";
const TEMPLATES_PATH: &str = "/pactum/templates.json";

/// What an agreement's copy carries attached (a redline carries nothing): the terms file,
/// byte for byte, the files it names (letterhead images), and the record of what made it,
/// which names the fonts the document is typeset with ([`Attached::record`]).
pub struct Attached<'a> {
    pub terms: &'a [u8],
    pub assets: &'a [Asset],
    /// The template files from a templates folder ([`crate::provenance::TEMPLATES`]), if any.
    pub templates: Option<&'a [u8]>,
    /// The record, given the fonts used.
    pub record: &'a dyn Fn(Vec<FontUse>) -> Provenance,
}

/// How a document is compiled: the engine whose fonts cover it, the time limit, the PDF's
/// date and identity, PDF/A or not, and the one folder its layout may read.
pub struct Press<'a> {
    pub engine: &'a Arc<Engine>,
    pub timeout: Duration,
    pub date: Option<(i32, u8, u8)>,
    pub ident: &'a str,
    pub pdf_a: bool,
    pub folder: Option<&'a Path>,
    /// The family the document's CJK language names first (see [`han_family`]).
    pub han: Option<&'a str>,
}

/// The family a document's first CJK version names first in its words (`text.fonts`): the
/// one to suggest for Han characters no font covers.
pub fn han_family(doc: &Document) -> Option<&str> {
    doc.versions
        .iter()
        .filter(|v| v.text.cjk)
        .flat_map(|v| &v.text.fonts)
        .find_map(|f| match f {
            FontFamily::Name(name) => Some(name.as_str()),
            FontFamily::Covering { .. } => None,
        })
}

/// A written PDF.
pub struct Rendered {
    /// The document model as JSON, as the layout read it.
    pub model: Vec<u8>,
    /// The layout after its first line, as compiled.
    layout: String,
    /// The attachments as written inline (for a self-contained `.typ`).
    attachments: String,
    pub pdf: Vec<u8>,
    /// The fonts it was typeset with.
    pub fonts: Vec<FontUse>,
    /// Where a draft's layout prints text over text or at the page's edge (see
    /// [`crate::render::layout_check`]); a final copy with any is refused instead.
    pub warnings: Vec<String>,
}

impl Rendered {
    /// The self-contained Typst source of this document, reading its model from `model_file`
    /// beside it: what `--emit typ` writes. Any Typst compiler makes the same PDF from it.
    pub fn typst(&self, model_file: &str) -> String {
        format!(
            "{}{}{}",
            model_line(model_file),
            self.layout,
            self.attachments
        )
    }
}

/// Why a PDF was not written.
pub enum Failed {
    /// The template's layout is not one pactum can use.
    Layout(Diagnostic),
    /// Typst refused the document; the problems point into `source`.
    Typst {
        problems: Vec<Problem>,
        source: String,
    },
}

/// Write `doc` as a PDF with `template`'s layout; `attached`, for an agreement's copy. The
/// record names the fonts the document uses, known only after layout: when the expected ones
/// were not the ones used, the document is compiled once more with the right record (the
/// attachments do not change the layout, so the second pass uses the same fonts).
pub fn write(
    press: &Press,
    template: &Template,
    doc: &Document,
    attached: Option<&Attached>,
) -> Result<Rendered, Failed> {
    // Serialised once: the fonts are guessed from, and Typst reads, the same bytes.
    let model = with_draft_mark(press, template, doc, doc.to_json());
    let layout = layout_body(template).map_err(Failed::Layout)?;
    let Some(attached) = attached else {
        return compile(press, &model, layout, None);
    };
    let text = String::from_utf8_lossy(&model);
    let likely = press.engine.likely_fonts(&text);
    let first = compile(press, &model, layout, Some((attached, likely.clone())))?;
    if press.pdf_a {
        own_faces(doc, &first.fonts).map_err(Failed::Layout)?;
    }
    if first.fonts == likely {
        return Ok(first);
    }
    let fonts = first.fonts.clone();
    compile(press, &model, layout, Some((attached, fonts)))
}

/// The model with a draft's mark in its first language (`draft_mark`: the SVG of the word's
/// outlines, see [`super::mark`]); the layout draws its own "DRAFT" without it.
fn with_draft_mark(press: &Press, template: &Template, doc: &Document, model: Vec<u8>) -> Vec<u8> {
    if doc.mode != crate::model::Mode::Draft {
        return model;
    }
    let Some(svg) = super::mark::word(doc, &template.words)
        .and_then(|word| super::mark::svg(press.engine, doc, &word))
    else {
        return model;
    };
    match serde_json::from_slice::<serde_json::Value>(&model) {
        Ok(serde_json::Value::Object(mut map)) => {
            map.insert("draft_mark".into(), serde_json::Value::String(svg));
            serde_json::to_vec(&map).unwrap_or(model)
        }
        _ => model,
    }
}

/// A final copy is set in its languages' own faces: a CJK version that is not Traditional
/// Chinese is not set in pactum's Traditional Chinese face (Japanese kanji, Korean hanja and
/// Simplified Chinese have forms of their own), and one copy does not mix two CJK families.
fn own_faces(doc: &Document, used: &[FontUse]) -> Result<(), Diagnostic> {
    let latin: Vec<&str> = (doc.versions.iter())
        .flat_map(|v| &v.text.fonts)
        .filter_map(|f| match f {
            FontFamily::Covering { name, .. } => Some(name.as_str()),
            FontFamily::Name(_) => None,
        })
        .chain(
            (doc.versions.iter())
                .filter(|v| !v.text.cjk)
                .flat_map(|v| v.text.fonts.iter().map(FontFamily::name)),
        )
        .collect();
    let mut cjk: Vec<&str> = used
        .iter()
        .map(|f| f.family.as_str())
        .filter(|f| !latin.contains(f))
        .collect();
    cjk.dedup();
    let hint = "name a font made for the language first in `text.fonts` of its words file (Noto \
                Serif CJK JP for Japanese, KR for Korean, SC for Simplified Chinese) and install \
                it, or put its files in the pack's `fonts/` folder";
    for v in doc.versions.iter().filter(|v| v.text.cjk) {
        let traditional =
            v.text.lang == "zh" && matches!(v.text.region.as_str(), "TW" | "HK" | "MO");
        if !traditional && cjk.contains(&render::fonts::CJK_FAMILY) {
            let d = Diagnostic::general(
                Kind::MissingFont,
                format!(
                    "the `{}` version would be set in pactum's Traditional Chinese face ({}), \
                     whose characters are not that language's forms; a final copy is not",
                    v.text.lang,
                    render::fonts::CJK_FAMILY
                ),
            );
            return Err(d.with_hint(hint));
        }
    }
    if let [first, second, ..] = cjk.as_slice() {
        let d = Diagnostic::general(
            Kind::MissingFont,
            format!("the final copy would mix two CJK families, {first} and {second}"),
        );
        return Err(d.with_hint(format!(
            "a character is missing from the first family its language names, so another set \
             it; {hint}"
        )));
    }
    Ok(())
}

/// The self-contained Typst source of an agreement's copy, reading its model from
/// `model_file` beside it, with the attachments inline and a record naming `fonts`: what
/// `--emit typ` writes before compiling (see [`Rendered::typst`]).
pub fn emitted(
    template: &Template,
    model_file: &str,
    attached: &Attached,
    fonts: Vec<FontUse>,
) -> Result<String, Diagnostic> {
    let layout = layout_body(template)?;
    let inline = attach_inline(attached, &(attached.record)(fonts), &[]);
    Ok(format!("{}{layout}{inline}", model_line(model_file)))
}

/// Compile the layout with the model and, for a copy, the attachments with a record naming
/// `fonts`, all served through the World (so that Typst reads them as data, never as source).
fn compile(
    press: &Press,
    model: &[u8],
    layout: &str,
    attached: Option<(&Attached, Vec<FontUse>)>,
) -> Result<Rendered, Failed> {
    let mut source = format!("{}{layout}", model_line("model.json"));
    let mut files: Vec<(String, &[u8])> = vec![(MODEL_PATH.to_string(), model)];
    // The fonts from a templates folder it is set in go with it.
    let carried = match &attached {
        Some((_, fonts)) => press.engine.carried_fonts(fonts),
        None => Vec::new(),
    };
    let record = attached.map(|(a, fonts)| {
        let mut record = (a.record)(fonts);
        record.carried_fonts = (carried.iter())
            .map(|f| (f.name.clone(), f.sha256.clone()))
            .collect();
        let json = record.to_json();
        (a, record, json)
    });
    let mut attachments = String::new();
    if let Some((attached, record, json)) = &record {
        files.push((TERMS_PATH.to_string(), attached.terms));
        files.push((RECORD_PATH.to_string(), json));
        for asset in attached.assets {
            files.push((asset_path(&asset.name), &asset.bytes));
        }
        if let Some(templates) = attached.templates {
            files.push((TEMPLATES_PATH.to_string(), templates));
        }
        for font in &carried {
            files.push((font_path(&font.name), &font.bytes));
        }
        source.push_str(&attach_served(record, attached, &carried));
        attachments = attach_inline(attached, record, &carried);
    }
    let files: Vec<(&str, &[u8])> = files.iter().map(|(p, b)| (p.as_str(), *b)).collect();
    let doc = render::Document {
        source: &source,
        files: &files,
        date: press.date,
        ident: press.ident,
        pdf_a: press.pdf_a,
        han: press.han,
        assets: press.folder,
    };
    match press.engine.pdf_within(&doc, press.timeout) {
        Ok(out) => Ok(Rendered {
            model: model.to_vec(),
            layout: layout.to_string(),
            attachments,
            pdf: out.pdf,
            fonts: out.fonts,
            warnings: out.clashes.iter().map(ToString::to_string).collect(),
        }),
        Err(problems) => Err(Failed::Typst { problems, source }),
    }
}

/// The template's layout without its first line (which names the model file).
fn layout_body(template: &Template) -> Result<&str, Diagnostic> {
    let (text, label) = template.layout();
    match text.split_once('\n') {
        Some((first, rest)) if first.starts_with("#let model = json(") => Ok(rest),
        _ => Err(Diagnostic::new(
            Kind::TemplateError,
            label,
            "the layout's first line must be `#let model = json(\"model.json\")`",
        )),
    }
}

/// The first line of a layout: the model it reads.
fn model_line(model_file: &str) -> String {
    format!("#let model = json({model_file:?})\n")
}

/// Where the compile serves a letterhead image named `name` in the terms (its path in the
/// model is [`image_path`]).
fn asset_path(name: &str) -> String {
    format!("/{}", image_path(name))
}

/// Where the compile serves a carried font file named `name`.
fn font_path(name: &str) -> String {
    format!("/pactum/fonts/{name}")
}

/// Typst source that attaches the terms, the record, the assets and the template files,
/// read from the World.
fn attach_served(record: &Provenance, attached: &Attached, fonts: &[CarriedFont]) -> String {
    let read = |path: &str| format!("read(\"{path}\", encoding: none)");
    let files: Vec<(&Asset, String)> = (attached.assets.iter())
        .map(|a| (a, read(&asset_path(&a.name))))
        .collect();
    let templates = attached.templates.map(|_| read(TEMPLATES_PATH));
    let fonts: Vec<(&str, String)> = (fonts.iter())
        .map(|f| (f.name.as_str(), read(&font_path(&f.name))))
        .collect();
    attach(
        &record.terms,
        &read(TERMS_PATH),
        &read(RECORD_PATH),
        &files,
        templates,
        &fonts,
    )
}

/// The same, self-contained: the bytes written as arrays of numbers (so that any Typst
/// compiler makes the same document from the one file).
fn attach_inline(attached: &Attached, record: &Provenance, fonts: &[CarriedFont]) -> String {
    let files: Vec<(&Asset, String)> = (attached.assets.iter())
        .map(|a| (a, byte_array(&a.bytes)))
        .collect();
    let fonts: Vec<(&str, String)> = (fonts.iter())
        .map(|f| (f.name.as_str(), byte_array(&f.bytes)))
        .collect();
    attach(
        &record.terms,
        &byte_array(attached.terms),
        &byte_array(&record.to_json()),
        &files,
        attached.templates.map(byte_array),
        &fonts,
    )
}

fn attach(
    terms_name: &str,
    terms: &str,
    record: &str,
    assets: &[(&Asset, String)],
    templates: Option<String>,
    fonts: &[(&str, String)],
) -> String {
    let name = attachment_name(terms_name);
    let mut out = format!(
        "\n#pdf.attach(\"{name}\", {terms}, relationship: \"source\", mime-type: \
         \"application/yaml\", description: \"The terms this agreement was rendered from\")\n\
         #pdf.attach(\"{RECORD}\", {record}, relationship: \"supplement\", mime-type: \
         \"application/json\", description: \"What rendered this agreement: pactum, the template \
         and the fonts\")\n"
    );
    // An asset's name is plain (checked with the terms), so it stands in the source as it is.
    for (asset, bytes) in assets {
        out.push_str(&format!(
            "#pdf.attach(\"{}\", {bytes}, relationship: \"source\", mime-type: \"{}\", \
             description: \"A letterhead this agreement prints\")\n",
            asset.name,
            asset.kind.mime()
        ));
    }
    if let Some(bytes) = templates {
        out.push_str(&format!(
            "#pdf.attach(\"{TEMPLATES}\", {bytes}, relationship: \"source\", mime-type: \
             \"application/json\", description: \"The template files from a templates folder \
             this agreement was rendered with\")\n"
        ));
    }
    // A carried font's name is plain ([`crate::render::fonts::carried`]).
    for (name, bytes) in fonts {
        out.push_str(&format!(
            "#pdf.attach(\"{name}\", {bytes}, relationship: \"supplement\", mime-type: \
             \"font/otf\", description: \"A font from the templates folder this agreement is \
             set in\")\n"
        ));
    }
    out
}

fn byte_array(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 4 + 8);
    out.push_str("bytes((");
    for b in bytes {
        out.push_str(&b.to_string());
        out.push(',');
    }
    out.push_str("))");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_become_numbers_only() {
        assert_eq!(byte_array(b"#\")"), "bytes((35,34,41,))");
    }
}
