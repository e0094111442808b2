//! The agreement as data: the document model that fill builds and every output reads.
//!
//! Owns the types ([`Document`] down to [`Inline`]), their JSON form (serde, versioned by
//! [`FORMAT`]), reading a language version's filled Markdown into them ([`markdown`]), the
//! sealing that keeps term values data on their way through that Markdown ([`sealed`]), the
//! layout's words in each language ([`words`]) and the text a reader sees ([`plain`]).
//!
//! A document holds one [`Version`] per language (title block, preamble, articles, the signing
//! text, annexes) and one [`Signatures`] block that all versions share: it is printed once,
//! across the full width, with its labels in every language. Everything the layout prints is
//! already text here (numbers, "Article 3", dates, labels), so the Typst layout, the redline
//! and any other writer only place it. The model knows nothing of terms files, handlebars or
//! Typst.

pub mod markdown;
pub mod plain;
pub mod sealed;
pub mod words;

use serde::{Deserialize, Serialize};

pub use words::Words;

/// The model's format name and version, written into every serialised document.
pub const FORMAT: &str = "pactum.document/1";

/// A whole agreement: every language version and the one signature block.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// Always [`FORMAT`].
    pub format: String,
    /// The document's title (PDF metadata): the first version's title.
    pub title: String,
    /// `draft` or `final`.
    pub mode: Mode,
    /// How the versions are arranged.
    pub layout: Layout,
    /// The running footer of a draft ("DRAFT — round 3 · UTKAST — omgång 3"); `None` on a final.
    pub footer: Option<String>,
    /// The parties' letterheads, side by side above the first title (none: no letterhead).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub letterheads: Vec<Letterhead>,
    /// The language versions, in the terms' order.
    pub versions: Vec<Version>,
    /// The signature block, once for all versions.
    pub signatures: Signatures,
    /// What a redline prints before the agreement (never set in an agreement).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redline: Option<Redline>,
}

/// The head of a redline: which rounds, and the changed terms in a reader's words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Redline {
    /// "Redline: round-2.yaml (14 June 2027) → round-3.yaml (2 July 2027)".
    pub title: String,
    /// "Changed terms", or `None` when no term changed.
    pub terms_heading: Option<String>,
    /// One line per changed term ("Article 4, area 5 ‘Youth exchange’ removed").
    pub terms: Vec<String>,
    /// "Articles 1–3 and 5–9 unchanged", when some are.
    pub unchanged: Option<String>,
    /// "Inserted", "Deleted": the legend.
    pub legend: Vec<String>,
}

/// One party's letterhead: an image, lines of text under it, or both.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Letterhead {
    /// Whose it is: the party's official name in the copy's first language (an image's
    /// alternative text).
    pub party: String,
    pub image: Option<Image>,
    /// One line per given line and language where they differ.
    pub lines: Vec<Content>,
}

/// An image the document prints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Image {
    /// The name the layout reads it by (served beside the model).
    pub path: String,
    /// `image/png` or `image/svg+xml`.
    pub mime: String,
    /// Its size in pixels (an SVG's at 96 dpi): its shape, for writers that need one.
    pub width: u32,
    pub height: u32,
    /// Its bytes, for writers that embed it (not in the JSON form: Typst reads `path`).
    #[serde(skip)]
    pub bytes: Vec<u8>,
}

/// Draft copies carry a DRAFT marking and the round; final copies are for signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mode {
    Draft,
    Final,
}

impl Mode {
    /// `draft` or `final`, as manifests and provenance records write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Draft => "draft",
            Mode::Final => "final",
        }
    }

    /// The mode a manifest or record names (anything but `final` is a draft).
    pub fn named(name: &str) -> Mode {
        if name == "final" {
            Mode::Final
        } else {
            Mode::Draft
        }
    }
}

/// How the language versions of a document are arranged: what the terms' `layout` and
/// `--layout` choose (parallel or consecutive; one language is always single), and what the
/// model records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Layout {
    /// One language: nothing to arrange.
    #[value(skip)]
    Single,
    /// Columns side by side, one row per article.
    Parallel,
    /// One whole version after another.
    Consecutive,
}

impl Layout {
    /// How many versions stand side by side.
    pub fn columns(self, languages: usize) -> usize {
        match self {
            Layout::Parallel => languages,
            _ => 1,
        }
    }
}

/// One language version of the agreement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Version {
    /// The language code (`en`, `sv`, `zh-TW`).
    pub lang: String,
    /// How this language is set: Typst's language and region, hyphenation, CJK.
    pub text: TextSettings,
    /// "Original for Lund" on a counterpart, in this language.
    pub copy_for: Option<String>,
    pub title: TitleBlock,
    /// The parties paragraph, recitals and opening formula: everything before the first article.
    pub preamble: Vec<Block>,
    pub articles: Vec<Article>,
    /// The text that opens the signature block ("In witness whereof …"), under its heading.
    pub signing: Option<Section>,
    /// The annexes, under their heading.
    pub annexes: Option<Annexes>,
}

/// How one language's text is set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextSettings {
    /// Typst's `text(lang:)`.
    pub lang: String,
    /// Typst's `text(region:)`.
    pub region: String,
    /// Whether words may be hyphenated (Typst has patterns for `en` and `sv`).
    pub hyphenate: bool,
    /// Han text: the CJK face first, Latin letters in the Latin face.
    pub cjk: bool,
    /// The font families this language is set in, in order of preference: a family's name,
    /// or a family that sets only some characters (`{name: Libertinus Serif, covers:
    /// latin-in-cjk}`: Latin letters in CJK text). The layout names no family of its own.
    pub fonts: Vec<FontFamily>,
    /// The face word processors set this language in, where it differs from `fonts` (Word's
    /// PMingLiU, 新細明體, for Traditional Chinese): the DOCX's East Asian font.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub office_font: Option<String>,
}

/// A font family as Typst's `text(font:)` takes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged, deny_unknown_fields)]
pub enum FontFamily {
    /// "Libertinus Serif".
    Name(String),
    /// A family for the characters `covers` names only (`latin-in-cjk`, or a regex).
    Covering { name: String, covers: String },
}

impl FontFamily {
    /// The family's name.
    pub fn name(&self) -> &str {
        match self {
            FontFamily::Name(name) | FontFamily::Covering { name, .. } => name,
        }
    }
}

/// Running text: a sequence of inlines.
pub type Content = Vec<Inline>;

/// The centred block that opens a version: title, subtitle and who the parties are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TitleBlock {
    pub title: Content,
    pub subtitle: Option<Content>,
    /// "between".
    pub between: String,
    /// "and", before the last party.
    pub and: String,
    pub parties: Vec<TitleParty>,
}

/// A party as the title block names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TitleParty {
    pub name: Content,
    pub country: Option<Content>,
}

/// A numbered article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// Stable identity across rounds and languages (`costs`): the redline matches by it.
    pub id: String,
    /// Its number, assigned once, counting from 1 in every version.
    pub number: u32,
    /// Its number as this language prints it ("Article 3", "Artikel 3", "第三條").
    pub label: String,
    /// In a redline, the label it had in the old round, when that differs (renumbered).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub was: Option<String>,
    pub heading: Vec<Inline>,
    pub blocks: Vec<Block>,
    /// What a redline says happened to it (never set in an agreement).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change: Option<Change>,
}

/// What happened to an article, list item or annex between two rounds, as a redline prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub kind: ChangeKind,
    /// The note printed beside it, in its version's language ("Moved from Article 4", "新增").
    pub note: String,
}

/// The kinds of [`Change`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    Inserted,
    Deleted,
    Moved,
    Merged,
    Split,
}

/// An unnumbered section: a heading and its blocks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    pub heading: Vec<Inline>,
    pub blocks: Vec<Block>,
}

/// The annexes of a version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Annexes {
    pub heading: Vec<Inline>,
    /// Between an annex's label and its title (": ", Chinese "：").
    pub separator: String,
    pub items: Vec<Annex>,
}

/// One annex: "Annex 1: Indicative action plan".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Annex {
    pub number: u32,
    /// "Annex 1", "Bilaga 1", "附件一".
    pub label: String,
    pub title: Vec<Inline>,
    pub blocks: Vec<Block>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change: Option<Change>,
}

/// A block of an article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Block {
    Paragraph { content: Vec<Inline> },
    List(List),
}

/// A numbered or bulleted list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct List {
    /// Numbered ("1.", "2.", …) rather than bulleted.
    pub ordered: bool,
    pub items: Vec<Item>,
}

/// One list item: an optional title (printed in bold on its own line) and its blocks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    /// "1." for a numbered item, "•" for a bullet.
    pub marker: String,
    pub title: Option<Vec<Inline>>,
    pub blocks: Vec<Block>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change: Option<Change>,
}

/// Running text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Inline {
    Text {
        text: String,
        /// The term values printed in it (not serialised: no writer but the DOCX reads them).
        #[serde(skip)]
        origins: Origins,
    },
    Emph {
        content: Vec<Inline>,
    },
    Strong {
        content: Vec<Inline>,
    },
    /// A reference to an article by id, printed as its label ("Article 3"), never broken.
    Ref {
        id: String,
        label: String,
    },
    /// A date as the language writes it ("15 October 2027", "2027年10月15日"), never broken.
    Date {
        text: String,
        /// The date term it prints, as a whole (not serialised: no writer but the DOCX reads it).
        #[serde(skip)]
        origins: Origins,
    },
    /// A name that is never broken across lines.
    Name {
        text: String,
    },
    /// A line break inside a paragraph.
    Break,
    /// Inserted since the old round (redlines only).
    Ins {
        content: Vec<Inline>,
    },
    /// Deleted since the old round (redlines only).
    Del {
        content: Vec<Inline>,
    },
}

impl Inline {
    pub fn text(s: impl Into<String>) -> Self {
        Inline::Text {
            text: s.into(),
            origins: Origins::default(),
        }
    }
}

/// Where a piece of a text inline came from: a term value printed there, by the byte range it
/// fills, the term's path (`parties[1].representative.name`) and the language version it is
/// printed in. Fill sets the path when exactly one term holds that value; a value whose term
/// is not known (a helper's output) keeps an empty path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub start: usize,
    pub end: usize,
    pub path: String,
    pub lang: String,
}

/// The term values of a text inline, in order. They never change what is printed, so two
/// texts are equal whatever their origins.
#[derive(Debug, Clone, Default)]
pub struct Origins(pub Vec<Origin>);

impl PartialEq for Origins {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for Origins {}

impl Origins {
    /// These origins after `shift` bytes were put before their text.
    pub fn shifted(&self, shift: usize) -> impl Iterator<Item = Origin> + '_ {
        self.0.iter().map(move |o| Origin {
            start: o.start + shift,
            end: o.end + shift,
            ..o.clone()
        })
    }

    /// `text` changed to `new` by dropping characters and turning whitespace into spaces
    /// (collapsing and trimming): each origin moved to the same characters in `new`.
    pub fn follow(&mut self, text: &str, new: &str) {
        if self.0.is_empty() {
            return;
        }
        // Old byte offset -> new byte offset, walking both texts together.
        let mut map = vec![new.len(); text.len() + 1];
        let mut n = new.char_indices().peekable();
        for (i, c) in text.char_indices() {
            map[i] = n.peek().map_or(new.len(), |(j, _)| *j);
            if let Some(&(_, d)) = n.peek()
                && (d == c || (d == ' ' && c.is_whitespace()))
            {
                n.next();
            }
        }
        for o in &mut self.0 {
            o.start = map.get(o.start).copied().unwrap_or(new.len());
            o.end = map.get(o.end).copied().unwrap_or(new.len());
        }
        self.0.retain(|o| o.start < o.end);
    }
}

/// `s` as content: one text inline (none when empty).
pub fn content(s: impl Into<String>) -> Content {
    let s = s.into();
    if s.is_empty() {
        Vec::new()
    } else {
        vec![Inline::text(s)]
    }
}

/// The one signature block: the parties side by side, each with its signatories, labels in
/// every language of the document.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signatures {
    /// A final copy: a signature line for each signatory.
    pub execution: bool,
    /// "Place and date / Ort och datum / 簽署地點及日期"; empty in a block without labels
    /// (`signature_labels: false`), where a place and date stand unlabelled.
    pub place_date: String,
    /// "Signature / Underskrift / 簽名" under each line; empty in a block without labels.
    pub signature: String,
    pub parties: Vec<SigningParty>,
    /// "In the presence of / I närvaro av / 見證人", when there are witnesses.
    pub witnesses_label: Option<String>,
    pub witnesses: Vec<Signatory>,
}

/// One party in the signature block, or one person signing in their own capacity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SigningParty {
    /// "For the City of Lund", one line per language (a line the same in two languages once);
    /// none in a block without labels, or for a person signing in their own capacity.
    pub for_lines: Vec<Content>,
    pub people: Vec<Signatory>,
}

/// A person who signs (or witnesses).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signatory {
    /// The capacity a co-signatory signs in, one line per language where they differ ("Med
    /// kontrasignation av", "會同簽署", "With the co-signature of"): printed over their block,
    /// which then no longer stands under the party's "For …" heading. Empty for a
    /// representative and a witness.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub capacity: Vec<String>,
    /// The name, one per language where they differ ("Wang Shu-fen / 王淑芬").
    pub names: Vec<Content>,
    /// The title, one per language where they differ.
    pub titles: Vec<Content>,
    /// Who they sign for, under the title, one line per language where they differ ("City of
    /// Takasaki, Gunma Prefecture, Japan"): the party of a block without labels, or an
    /// organisation a signatory in their own capacity belongs to. Empty otherwise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub affiliation: Vec<Content>,
    /// Where and when it is signed, one line per language where they differ ("Lund, 15
    /// oktober 2027", "隆德，2027年10月15日"); empty when the terms give neither (a blank is
    /// printed).
    pub place_date: Vec<Content>,
    /// Whether a place-and-date line is printed at all: not for witnesses, nor for a
    /// co-signatory who signs where and when the party's representative does (the line above
    /// says it once for both).
    pub dated: bool,
}

/// `items` as content, repeats removed, in order: the same title in two languages is printed once.
pub fn distinct_content(items: impl IntoIterator<Item = String>) -> Vec<Content> {
    distinct(items).into_iter().map(content).collect()
}

/// `items` with repeats removed, in order.
pub fn distinct(items: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for item in items {
        if !item.is_empty() && !out.contains(&item) {
            out.push(item);
        }
    }
    out
}

impl Document {
    /// The document as JSON bytes, the form the Typst layout reads.
    pub fn to_json(&self) -> Vec<u8> {
        // Plain structs of strings and numbers: serialising them to memory cannot fail.
        serde_json::to_vec(self).unwrap_or_default()
    }
}
