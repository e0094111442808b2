//! Import: the other side's edited DOCX of a round back as the next round's terms.
//!
//! Owns reading the DOCX under limits ([`package`]), finding what changed by comparing it
//! with pactum's own DOCX of the round it came from ([`compare`]: tracked and untracked
//! edits alike, each paragraph matched by the part it stands in), and writing the next
//! round's YAML by editing round N's text where each change applies ([`yaml`]). A term value
//! edited becomes that term's value in that language; a list item deleted whose text is one
//! term's list entry removes that entry; any other edit of a part's text becomes an
//! `articles:` override of that part in that language (a change to the standard text); an
//! article they inserted becomes an own article (`articles:`, its id from its heading,
//! `after:` what it follows); a part they moved gets its place (`after:`); what
//! cannot be mapped safely is listed with its text before and after, never guessed.
//! [`order`] finds the inserted and moved articles, [`dates`] reads an edited date back to
//! its term, and [`proposal`] puts the next round together.

pub mod compare;
pub mod dates;
pub mod order;
pub mod package;
pub mod proposal;
pub mod yaml;

use serde::Serialize;

/// How one change was mapped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mapping {
    /// A term's value, in one language (or every language printing it there).
    TermValue,
    /// A printed date edited: the proposal reads it in its language and finds its term
    /// (then it is a [`Mapping::TermValue`]) or leaves it unmapped.
    Date,
    /// A list item removed with the term list entry it printed.
    ItemRemoved,
    /// The standard text of a part replaced in the terms (`articles:`).
    StandardText,
    /// A whole article deleted in every language: left out (`omit:`).
    Omitted,
    /// An article they inserted: a new own article (`articles:`, after the part before it).
    ArticleInserted,
    /// A part they moved: its place in the terms (`articles:` … `after:`).
    ArticleMoved,
    /// Not mapped: listed, left out of the next round.
    Unmapped,
}

/// One change the other side made.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    pub mapping: Mapping,
    /// The language version it was made in (`zh-TW`; `sv,en` for a signature line both print).
    pub lang: String,
    /// The part it is in (`costs`, `preamble`; empty outside every part).
    pub part: String,
    /// The term it changes (`parties[1].representative.name`), or the list entry it removes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub term: Option<String>,
    pub before: String,
    pub after: String,
    /// Who made it and when, from the tracked changes ("untracked" when there were none).
    pub authors: Vec<String>,
    pub dates: Vec<String>,
    pub tracked: bool,
    /// Why it is unmapped, or what else the reader should know ("changed in 中文 only; …").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A comment of the other side, and what it marks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    pub author: String,
    pub date: String,
    pub text: String,
    pub anchored: String,
    pub part: String,
    pub lang: String,
}

/// A language's name as a reader of that language's version says it.
pub fn language_name(lang: &str) -> String {
    match lang {
        "sv" => "Swedish".into(),
        "en" => "English".into(),
        "de" => "German".into(),
        "zh-TW" => "中文".into(),
        other => other.into(),
    }
}
