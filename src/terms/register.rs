//! The register lint of `pactum check`: warnings, never errors, where the terms' own words
//! contradict their `legal_status`. A binding text (the Parties … shall) whose free-text terms
//! speak of Participants who intend, or a non-binding one (the Participants … will) whose
//! terms say the Parties shall; and a binding text that calls itself a memorandum (of
//! understanding), which a reader takes as non-binding. Each warning names the term and its
//! line; the template's own words follow `legal_status` already.

use marked_yaml::Node;
use serde_json::Value;

use super::Terms;
use super::settings::parties_called;
use super::source::node_location;
use crate::diagnostic::{Diagnostic, Kind, Location};

/// Words of a non-binding register, by language: participants who intend.
const SOFT: &[&str] = &[
    "participant",
    "participants",
    "intend",
    "intends",
    "deltagare",
    "deltagarna",
    "avser",
    "teilnehmer",
    "teilnehmern",
    "beabsichtigen",
    "beabsichtigt",
];

/// The non-binding designation's words: not the user's when `parties_called: participants`.
const PARTICIPANTS: &[&str] = &[
    "participant",
    "participants",
    "deltagare",
    "deltagarna",
    "teilnehmer",
    "teilnehmern",
];

/// Words of a binding register: parties who shall.
const HARD: &[&str] = &[
    "shall",
    "undertake",
    "undertakes",
    "ska",
    "skall",
    "förbinder",
    "verpflichten",
    "verpflichtet",
];

/// Names a non-binding instrument goes by.
const MEMORANDUM: &[&str] = &[
    "memorandum",
    "mou",
    "avsiktsförklaring",
    "samförståndsavtal",
    "absichtserklärung",
    "諒解備忘錄",
    "備忘錄",
];

/// Terms whose values are names, not running text.
const NAMES: &[&str] = &["name", "short_name", "official_name", "country_label", "id"];

/// The warnings for `terms`.
pub fn lint(terms: &Terms) -> Vec<Diagnostic> {
    let binding = match terms.value.get("legal_status").and_then(Value::as_str) {
        Some("binding") => true,
        Some("non-binding") => false,
        _ => return Vec::new(),
    };
    // The agreement's own designation is pactum's wording, not the user's: "the Parties" of
    // `parties_called: parties` in a non-binding text, "the Participants" in a binding one.
    let called = parties_called(&terms.value);
    let mut out = Vec::new();
    let warn = |path: &str, node: &Node, word: &str, message: String, hint: &str| {
        let mut d = Diagnostic::new(Kind::Register, &terms.file, message)
            .at_path(path)
            .with_hint(hint);
        if let Some(l) =
            word_at(&terms.text, node, word).or_else(|| node_location(&terms.text, node))
        {
            d = d.at(l);
        }
        d
    };
    super::each_text(&terms.root, &mut |path, node, text| {
        let last = path.rsplit(['.', '[']).next().unwrap_or(path);
        if NAMES.contains(&last) || path == "template" || path == "legal_status" {
            return;
        }
        let words = words(text);
        let head = path.split(['.', '[']).next().unwrap_or(path);
        if matches!(head, "title" | "subtitle" | "instrument") {
            if binding && let Some(w) = words.iter().find(|w| MEMORANDUM.contains(&w.as_str())) {
                out.push(warn(
                    path,
                    node,
                    w,
                    format!("a binding text calls itself a {w}"),
                    "a memorandum reads as non-binding: call it an Agreement, or set `legal_status: non-binding`",
                ));
            }
            return;
        }
        let (wrong, register, fix) = if binding {
            (
                SOFT,
                "non-binding",
                "write the Parties … shall, or set `legal_status: non-binding`",
            )
        } else {
            (
                HARD,
                "binding",
                "write the Participants … will, or set `legal_status: binding`",
            )
        };
        // "the Parties", capitalised, is the binding designation ("parties" is any party;
        // German capitalises every noun, so "Parteien" says nothing).
        let designation = (!binding && called != Some("parties"))
            .then(|| {
                text.split(|c: char| !c.is_alphanumeric())
                    .find(|w| *w == "Parties")
                    .map(str::to_string)
            })
            .flatten();
        let designated =
            |w: &str| binding && called == Some("participants") && PARTICIPANTS.contains(&w);
        let found = designation.or_else(|| {
            words
                .iter()
                .find(|w| wrong.contains(&w.as_str()) && !designated(w))
                .cloned()
        });
        if let Some(w) = found {
            let status = if binding { "binding" } else { "non-binding" };
            out.push(warn(
                path,
                node,
                &w,
                format!("“{w}” is {register} wording in a {status} text"),
                fix,
            ));
        }
    });
    out
}

/// Where `word` (any case) first stands as a whole word in `node`'s source: the caret goes
/// under the word itself. `None` when the source spells it otherwise (an escape).
fn word_at(text: &str, node: &Node, word: &str) -> Option<Location> {
    let start = node_location(text, node)?.bytes.start;
    let end = node.span().end().map_or(text.len(), |m| {
        Location::of_line_column(text, m.line(), m.column())
            .bytes
            .start
            .max(start)
    });
    let hay = text.get(start..end)?;
    let len = word.chars().count();
    let han = !word.is_ascii() && word.chars().all(|c| c > '\u{2e80}');
    hay.char_indices().find_map(|(i, _)| {
        let candidate: String = hay[i..].chars().take(len).collect();
        if candidate.to_lowercase() != word.to_lowercase() {
            return None;
        }
        let after = hay[i + candidate.len()..].chars().next();
        let before = hay[..i].chars().next_back();
        let bounded = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
        (han || (bounded(before) && bounded(after)))
            .then(|| Location::of_bytes(text, start + i..start + i + candidate.len()))
    })
}

/// A text's words, lower-cased; Han text as its phrases of the list above.
fn words(text: &str) -> Vec<String> {
    let mut out: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    for phrase in SOFT.iter().chain(HARD).chain(MEMORANDUM) {
        if !phrase.is_ascii() && phrase.chars().all(|c| c > '\u{2e80}') && text.contains(phrase) {
            out.push(phrase.to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn han_phrases_and_latin_words() {
        assert!(words("The Participants intend to").contains(&"participants".to_string()));
        assert!(words("合作諒解備忘錄").contains(&"諒解備忘錄".to_string()));
        assert!(!words("Shallow waters").contains(&"shall".to_string()));
    }
}
