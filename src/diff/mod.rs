//! The diff of two negotiation rounds: the terms that changed, and the redline of their
//! documents, in every output.
//!
//! [`compare`] is the stage's entry: it reads and fills both rounds through the pipeline and
//! builds [`RoundDiff`] with [`diff_documents`]. Every output reads that: `terminal` (colour or
//! `[-…-]{+…+}` markers), `json` (stable schema, version 1), and the redline document, which
//! [`crate::write`] writes as PDF (the agreement's own layout), HTML or DOCX (tracked changes).
//!
//! ```text
//! terms (Value) ──► terms::diff_terms ─────────────────┐
//!                                                       ├─► RoundDiff ──► terminal / json
//! documents ──► merge::redline ──► clauses::of_redline ─┘      └─► redline ──► write (pdf, html, docx)
//!               (content:: word-diffs each text)
//! ```

pub mod clauses;
pub mod compare;
pub mod content;
pub mod json;
pub mod merge;
pub mod reader;
pub mod summary;
pub mod terminal;
pub mod terms;
pub mod text;
pub mod tokens;
pub mod words;

use std::collections::BTreeMap;

use serde_json::Value;

use crate::diff::clauses::PREAMBLE_ID;
use crate::model::{Document, Words};

pub use terms::{ChangeKind, TermChange, diff_terms};
pub use text::{ClauseDiff, ClauseStatus};
pub use words::{Segment, SegmentKind, diff_words};

/// One side of the comparison, for headers and provenance.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Side {
    /// What the user named, e.g. `round-2.yaml`.
    pub label: String,
    /// The negotiation round, when known.
    pub round: Option<u32>,
    /// The round's date (ISO `YYYY-MM-DD`), when known.
    pub date: Option<String>,
}

/// Terms that identify a round rather than negotiate it: shown in the header ([`Side`]), not
/// listed as changes.
pub const ROUND_METADATA: &[&str] = &["round", "date"];

/// Everything that differs between two rounds.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RoundDiff {
    pub old: Side,
    pub new: Side,
    /// Changed terms, in document order of the terms tree.
    pub terms: Vec<TermChange>,
    /// Every clause of both rounds in reading order, unchanged ones included.
    pub clauses: Vec<ClauseDiff>,
    /// The redline document: the new round with the old one's text merged in and marked.
    #[serde(skip)]
    pub redline: Option<Document>,
    /// The languages' names in English (from the words), for a reader's headers.
    #[serde(skip)]
    pub language_names: BTreeMap<String, String>,
    /// Each language's words: the summary is written in them ([`summary::Reader`]).
    #[serde(skip)]
    pub words: BTreeMap<String, Words>,
    /// The newer round's languages, in order: the first is the redline's.
    #[serde(skip)]
    pub languages: Vec<String>,
    /// `zh_calendar: roc` in the newer round.
    #[serde(skip)]
    pub roc: bool,
}

impl RoundDiff {
    /// The redline document with its head: the rounds compared, the changed terms, which
    /// articles are unchanged, and the legend in the first version's words.
    pub fn redline_document(&self, words: &BTreeMap<String, Words>) -> Option<Document> {
        let mut doc = self.redline.clone()?;
        let lang = doc.versions.first().map(|v| v.lang.clone());
        let w = lang.as_deref().and_then(|l| words.get(l));
        // Every language has words; English (or any) where one is missing.
        let reader = summary::Reader {
            lang: lang.as_deref().unwrap_or("en"),
            words: w
                .or_else(|| words.get("en"))
                .or_else(|| words.values().next())?,
            roc: self.roc,
        };
        doc.redline = Some(crate::model::Redline {
            title: reader.title(self),
            terms_heading: (!self.terms.is_empty())
                .then(|| reader.words.redline.changed_terms.clone()),
            terms: reader.terms(self),
            // Of the first version: the others' articles are the same ones.
            unchanged: terminal::unchanged_line_in(
                &self
                    .clauses
                    .iter()
                    .filter(|c| c.language == self.clauses.first().and_then(|f| f.language.clone()))
                    .cloned()
                    .collect::<Vec<_>>(),
                w,
            ),
            legend: w.map_or_else(
                || vec!["Inserted".into(), "Deleted".into()],
                |w| vec![w.inserted.clone(), w.deleted.clone()],
            ),
        });
        doc.footer = Some(reader.footer(self));
        Some(doc)
    }

    /// A reader of version `lang` (of the first version when `None`), in its words.
    pub fn reader<'a>(&'a self, lang: Option<&'a str>) -> Option<summary::Reader<'a>> {
        let lang = lang.or(self.languages.first().map(String::as_str))?;
        Some(summary::Reader {
            lang,
            words: self.words.get(lang)?,
            roc: self.roc,
        })
    }
}

/// One round as the diff reads it: its validated terms and its filled document.
pub struct Round<'a> {
    pub side: Side,
    pub terms: &'a Value,
    pub doc: &'a Document,
}

/// Diffs two rounds: their terms, and their documents version by version (only `language`'s
/// when given), merged into the redline document. `words` gives the notes of each language.
pub fn diff_documents(
    old: Round,
    new: Round,
    words: &BTreeMap<String, Words>,
    language: Option<&str>,
) -> RoundDiff {
    let only = |doc: &Document| Document {
        versions: doc
            .versions
            .iter()
            .filter(|v| language.is_none_or(|l| l == v.lang))
            .cloned()
            .collect(),
        ..doc.clone()
    };
    let (old_doc, new_doc) = (only(old.doc), only(new.doc));
    let merged = merge::redline(&old_doc, &new_doc, words);
    let several = language.is_some() || old_doc.versions.len().max(new_doc.versions.len()) > 1;
    let clauses = clauses::of_redline(&merged.doc, &old_doc, &new_doc, several, merged.approximate);
    RoundDiff {
        terms: diff_terms(old.terms, new.terms)
            .into_iter()
            .filter(|t| !ROUND_METADATA.contains(&t.path.as_str()))
            .map(|mut t| {
                t.described = Some(reader::describe(
                    &t,
                    (old.terms, &old_doc),
                    (new.terms, &new_doc),
                ));
                t.clause = reader::clause_of(&t, (old.terms, &old_doc), (new.terms, &new_doc));
                t
            })
            .collect(),
        old: old.side,
        new: new.side,
        clauses,
        redline: Some(merged.doc),
        language_names: words
            .get("en")
            .map(|w| w.languages.clone())
            .unwrap_or_default(),
        words: words.clone(),
        languages: new_doc.versions.iter().map(|v| v.lang.clone()).collect(),
        roc: new.terms.get("zh_calendar").and_then(Value::as_str) == Some("roc"),
    }
}

impl RoundDiff {
    /// No term and no clause changed (whitespace and renumbering do not count).
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty() && self.clauses.iter().all(|c| !c.is_change())
    }

    /// Whether some word diff hit its deadline (marks are right but may be coarse).
    pub fn is_approximate(&self) -> bool {
        self.clauses.iter().any(|c| c.approximate)
    }

    /// One line for `pactum history`, e.g.
    /// `3 terms changed; article areas changed, article youth inserted`.
    pub fn summary(&self) -> String {
        if self.is_empty() {
            return "no changes".to_string();
        }
        let mut parts = Vec::new();
        match self.terms.len() {
            0 => {}
            1 => parts.push("1 term changed".to_string()),
            n => parts.push(format!("{n} terms changed")),
        }
        // A clause changed in every language version is one change.
        let mut seen = std::collections::HashSet::new();
        let changed: Vec<&ClauseDiff> = (self.clauses.iter())
            .filter(|c| c.is_change() && seen.insert((c.id.as_str(), c.status)))
            .collect();
        if changed.len() <= 4 {
            let items: Vec<String> = changed
                .iter()
                .map(|c| format!("{} {}", clause_name(c), status_word(c.status)))
                .collect();
            if !items.is_empty() {
                parts.push(items.join(", "));
            }
        } else {
            let mut counts = Vec::new();
            for status in [
                ClauseStatus::Changed,
                ClauseStatus::Inserted,
                ClauseStatus::Deleted,
                ClauseStatus::Moved,
            ] {
                let n = changed.iter().filter(|c| c.status == status).count();
                if n > 0 {
                    counts.push(format!("{n} {}", status_word(status)));
                }
            }
            parts.push(format!("clauses: {}", counts.join(", ")));
        }
        parts.join("; ")
    }

    /// [`Self::summary`] as the first version's reader says it (`pactum history`): "Ändrade
    /// villkor: 3; Artikel 2 har ändrats, Artikel 9 har lagts till", the articles of that
    /// version. The JSON keeps [`Self::summary`], which names the parts by their ids.
    pub fn summary_read(&self) -> String {
        let Some(reader) = self.reader(None) else {
            return self.summary();
        };
        let r = &reader.words.redline;
        if self.is_empty() {
            return r.no_changes.trim_end_matches(['.', '。']).to_string();
        }
        let mut parts = Vec::new();
        if !self.terms.is_empty() {
            parts.push(format!("{}: {}", r.changed_terms, self.terms.len()));
        }
        let mut seen = std::collections::HashSet::new();
        let lines: Vec<String> = (self.clauses.iter())
            .filter(|c| c.language.as_deref().is_none_or(|l| l == reader.lang))
            .filter(|c| c.is_change() && seen.insert((c.id.as_str(), c.status)))
            .map(|c| reader.clause_line(c))
            .collect();
        if !lines.is_empty() {
            parts.push(lines.join(", "));
        }
        parts.join("; ")
    }
}

/// `changed`, `inserted`, … as used in summaries.
pub fn status_word(status: ClauseStatus) -> &'static str {
    match status {
        ClauseStatus::Unchanged => "unchanged",
        ClauseStatus::Changed => "changed",
        ClauseStatus::Inserted => "inserted",
        ClauseStatus::Deleted => "deleted",
        ClauseStatus::Moved => "moved",
    }
}

/// `article costs`, `section signatures`, `preamble`.
fn clause_name(c: &ClauseDiff) -> String {
    if c.id == PREAMBLE_ID {
        PREAMBLE_ID.to_string()
    } else if c.number().is_some() {
        format!("article {}", c.id)
    } else {
        format!("section {}", c.id)
    }
}

/// Documents written as template Markdown, for tests.
#[cfg(test)]
pub(crate) mod testing {
    use std::collections::BTreeMap;

    use crate::model::{Document, Words, markdown};

    pub fn words() -> BTreeMap<String, Words> {
        let en: Words =
            serde_yaml_ng::from_str(include_str!("../../templates/shared/words/en.yaml")).unwrap();
        BTreeMap::from([("en".to_string(), en)])
    }

    /// A one-version English document of `text` (template Markdown, values already sealed).
    pub fn doc(text: &str) -> Document {
        markdown::document(text, "en", &words()["en"]).unwrap()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::testing::{doc, words};
    use super::*;
    use serde_json::json;

    fn side(label: &str, round: u32) -> Side {
        Side {
            label: label.to_string(),
            round: Some(round),
            date: None,
        }
    }

    pub(crate) fn diff_texts(
        old: &str,
        old_terms: &Value,
        new: &str,
        new_terms: &Value,
    ) -> RoundDiff {
        let (o, n) = (doc(old), doc(new));
        diff_documents(
            Round {
                side: side("round-2.yaml", 2),
                terms: old_terms,
                doc: &o,
            },
            Round {
                side: side("round-3.yaml", 3),
                terms: new_terms,
                doc: &n,
            },
            &words(),
            None,
        )
    }

    pub(crate) fn sample() -> RoundDiff {
        diff_texts(
            "Agreement between Malmö and Taipei.\n\n# Purpose {#purpose}\n\nFriendship.\n\n\
             # Areas {#areas}\n\nCulture and youth exchange.\n\n# Term {#term}\n\nThis Agreement \
             runs for 3 years.\n\n# Signatures {#signatures .signing}\n\nFor Malmö",
            &json!({"round": 2, "duration": {"years": 3}, "areas": ["Culture", "Youth exchange"]}),
            "Agreement between Malmö and Taipei.\n\n# Purpose {#purpose}\n\nFriendship.\n\n\
             # Areas {#areas}\n\nCulture.\n\n# Youth {#youth}\n\nYoung people meet yearly.\n\n\
             # Term {#term}\n\nThis Agreement runs for 4 years.\n\n\
             # Signatures {#signatures .signing}\n\nFor Malmö",
            &json!({"round": 3, "duration": {"years": 4}, "areas": ["Culture"]}),
        )
    }

    #[test]
    fn summary_line() {
        let d = sample();
        assert!(!d.is_empty());
        assert_eq!(
            d.summary(),
            "2 terms changed; article areas changed, article youth inserted, article term changed"
        );
    }

    #[test]
    fn identical_rounds_are_empty() {
        let d = diff_texts(
            "# A {#a}\n\nText.",
            &json!({}),
            "# A {#a}\n\nText.",
            &json!({}),
        );
        assert!(d.is_empty());
        assert_eq!(d.summary(), "no changes");
    }

    #[test]
    fn a_moved_article_merged_items_and_a_split_item_are_shown_as_such() {
        let d = diff_texts(
            "# A {#a}\n\nAlpha.\n\n# B {#b}\n\n- exchange of experts;\n- joint seminars;\n- study visits and youth exchanges.\n\n# C {#c}\n\nGamma.",
            &json!({}),
            "# C {#c}\n\nGamma.\n\n# A {#a}\n\nAlpha.\n\n# B {#b}\n\n- exchange of experts and joint seminars;\n- study visits;\n- youth exchanges.",
            &json!({}),
        );
        let moved: Vec<&str> = d
            .clauses
            .iter()
            .filter(|c| c.status == ClauseStatus::Moved)
            .map(|c| c.id.as_str())
            .collect();
        assert_eq!(moved.len(), 1, "{:?}", d.clauses);
        let redline = d.redline.as_ref().unwrap();
        let v = &redline.versions[0];
        let moved_article = v.articles.iter().find(|a| a.change.is_some()).unwrap();
        assert!(
            moved_article
                .change
                .as_ref()
                .unwrap()
                .note
                .starts_with("Moved from Article")
        );
        let b = v.articles.iter().find(|a| a.id == "b").unwrap();
        let crate::model::Block::List(list) = &b.blocks[0] else {
            panic!()
        };
        let notes: Vec<&str> = list
            .items
            .iter()
            .filter_map(|i| i.change.as_ref().map(|c| c.note.as_str()))
            .collect();
        assert_eq!(
            notes,
            [
                "Merged from items 1 and 2",
                "Split from item 3",
                "Split from item 3"
            ]
        );
    }
}
