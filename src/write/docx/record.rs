//! What a DOCX of an agreement carries so that the other side's edited copy can come back as
//! the next round (`pactum import`): the record of what made it, and the table of its anchors.
//!
//! The record is the PDF's ([`Provenance`]: agreement, round, the terms' and template's
//! hashes) plus where the terms file was (`terms_path`). It is written twice: as a custom XML
//! part (`customXml/item1.xml`, with its properties part and relationship), and as the custom
//! document property `pactum` (LibreOffice keeps custom properties; see
//! `docx-anchors.md`). The anchors are bookmarks: `pactum_a<n>` around each part (the title
//! block, the preamble, each article, the signing text, the annexes, the signatures),
//! `pactum_i<n>` around each list item and `pactum_t<n>` around each printed term value,
//! which also stands in an inline content control tagged `<path>@<lang>` and locked against
//! its own deletion. A printed date is anchored so too, tagged `<path>@<lang>` with the date
//! term it prints (`date@<lang>` when two terms hold that date: fill does not guess; `import`
//! reads an edited date back in its language and finds the one date term that held it). The
//! custom XML part lists what each bookmark anchors.

use serde::{Deserialize, Serialize};

use crate::provenance::Provenance;

/// The namespace of the custom XML part.
pub const NAMESPACE: &str = "urn:pactum:docx-record:1";
/// The custom document property that holds the record as JSON.
pub const PROPERTY: &str = "pactum";

/// What made a DOCX.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    #[serde(flatten)]
    pub provenance: Provenance,
    /// The terms file as the command named it (`agreements/lund-tainan/round-1.yaml`).
    pub terms_path: String,
}

/// What a bookmark anchors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    /// `pactum_a3`.
    pub name: String,
    pub kind: AnchorKind,
    /// The language version it is in (empty: the signatures, which all versions share;
    /// `sv,en` for a signature line printed so in both).
    pub lang: String,
    /// A part's id (`costs`, `title`, `preamble`, `signing`, `annexes`, `signatures`), an
    /// item's `<part>/<n>`, a term's path.
    pub id: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnchorKind {
    Part,
    Item,
    Term,
    /// A date as the language writes it (`{{date …}}`): the writer does not know its term;
    /// `import` finds the one date term that holds it.
    Date,
}

impl AnchorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AnchorKind::Part => "part",
            AnchorKind::Item => "item",
            AnchorKind::Term => "term",
            AnchorKind::Date => "date",
        }
    }
}

/// `s` with XML's five special characters escaped.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// The custom XML part: the record as JSON, and the anchors.
pub fn custom_xml(record: &Record, anchors: &[Anchor]) -> String {
    let json = serde_json::to_string(record).unwrap_or_default();
    let mut out = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><pactum xmlns="{NAMESPACE}"><record>{}</record><anchors>"#,
        escape(&json)
    );
    for a in anchors {
        out.push_str(&format!(
            r#"<anchor name="{}" kind="{}" lang="{}" id="{}"/>"#,
            escape(&a.name),
            a.kind.as_str(),
            escape(&a.lang),
            escape(&a.id)
        ));
    }
    out.push_str("</anchors></pactum>");
    out
}
