//! The register lint of `pactum check`: warnings, never errors, where the terms' own words
//! contradict their `legal_status`. A binding text (the Parties … shall) whose free-text terms
//! speak of Participants who intend, or a non-binding one (the Participants … will) whose
//! terms say the Parties shall; and a binding text that calls itself a memorandum (of
//! understanding), which a reader takes as non-binding. Each warning names the term and its
//! line; the template's own words follow `legal_status` already.

use marked_yaml::Node;
use serde_json::Value;

use super::Terms;
use super::source::node_location;
use crate::diagnostic::{Diagnostic, Kind};

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
    let mut out = Vec::new();
    let warn = |path: &str, node: &Node, message: String, hint: &str| {
        let mut d = Diagnostic::new(Kind::Register, &terms.file, message)
            .at_path(path)
            .with_hint(hint);
        if let Some(l) = node_location(&terms.text, node) {
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
        let designation = (!binding)
            .then(|| {
                text.split(|c: char| !c.is_alphanumeric())
                    .find(|w| *w == "Parties")
                    .map(str::to_string)
            })
            .flatten();
        let found =
            designation.or_else(|| words.iter().find(|w| wrong.contains(&w.as_str())).cloned());
        if let Some(w) = found {
            let status = if binding { "binding" } else { "non-binding" };
            out.push(warn(
                path,
                node,
                format!("“{w}” is {register} wording in a {status} text"),
                fix,
            ));
        }
    });
    out
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
