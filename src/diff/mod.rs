//! The diff of two negotiation rounds: terms diff + clause redline, and its three outputs.
//!
//! Owns the model ([`RoundDiff`], built by [`diff_rounds`]) that every output reads:
//! `terminal` (colour or `[-…-]{+…+}` markers), `json` (stable schema, version 1) and `pdf`
//! (data for the trusted `redline.typ`). It does not fill templates, extract clauses (that is
//! `crate::template::clauses`) or compile Typst (that is the render stage).
//!
//! ```text
//! terms (Value) ──► terms::diff_terms ──┐
//!                                        ├─► RoundDiff ──► terminal / json / pdf
//! clauses ──► text::diff_clauses ───────┘        (text:: uses words:: per clause pair)
//! ```

pub mod clauses;
pub mod json;
pub mod pdf;
pub mod terminal;
pub mod terms;
pub mod text;
pub mod tokens;
pub mod words;

use serde_json::Value;

use crate::diff::clauses::{Clause, PREAMBLE_ID};

pub use terms::{ChangeKind, TermChange, diff_terms};
pub use text::{ClauseDiff, ClauseStatus, diff_clauses};
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
}

/// One language version of a round: its clauses (`language` is `None` when the document has
/// only one).
#[derive(Debug, Clone)]
pub struct Version {
    pub language: Option<String>,
    pub clauses: Vec<Clause>,
}

/// Diffs two rounds with one or more language versions each: the terms once, then each
/// language's clauses against the same language's, in the new round's language order (a
/// version only the old round has comes last, all deleted; one only the new has, all
/// inserted). Every clause diff is tagged with its language.
pub fn diff_versions(
    old_side: Side,
    old_terms: &Value,
    old_versions: &[Version],
    new_side: Side,
    new_terms: &Value,
    new_versions: &[Version],
) -> RoundDiff {
    let mut diff = diff_rounds(old_side, old_terms, &[], new_side, new_terms, &[]);
    let old_of = |lang: &Option<String>| old_versions.iter().find(|v| &v.language == lang);
    let mut pairs: Vec<(&Option<String>, &[Clause], &[Clause])> = new_versions
        .iter()
        .map(|v| {
            let old = old_of(&v.language).map_or(&[][..], |o| o.clauses.as_slice());
            (&v.language, old, v.clauses.as_slice())
        })
        .collect();
    for v in old_versions {
        if !new_versions.iter().any(|n| n.language == v.language) {
            pairs.push((&v.language, v.clauses.as_slice(), &[]));
        }
    }
    for (language, old, new) in pairs {
        for mut c in diff_clauses(old, new) {
            c.language = language.clone();
            diff.clauses.push(c);
        }
    }
    diff
}

/// Diffs two rounds: their validated terms and the clauses of their filled documents.
pub fn diff_rounds(
    old_side: Side,
    old_terms: &Value,
    old_clauses: &[Clause],
    new_side: Side,
    new_terms: &Value,
    new_clauses: &[Clause],
) -> RoundDiff {
    RoundDiff {
        old: old_side,
        new: new_side,
        terms: diff_terms(old_terms, new_terms)
            .into_iter()
            .filter(|t| !ROUND_METADATA.contains(&t.path.as_str()))
            .collect(),
        clauses: diff_clauses(old_clauses, new_clauses),
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
        let changed: Vec<&ClauseDiff> = self.clauses.iter().filter(|c| c.is_change()).collect();
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::clauses::of_markdown as extract_clauses;
    use serde_json::json;

    fn side(label: &str, round: u32) -> Side {
        Side {
            label: label.to_string(),
            round: Some(round),
            date: None,
        }
    }

    pub(crate) fn sample() -> RoundDiff {
        let old = extract_clauses(
            "Agreement between Malmö and Taipei.\n\n# Purpose {#purpose}\n\nFriendship.\n\n\
             # Areas {#areas}\n\nCulture and youth exchange.\n\n# Term {#term}\n\nThis Agreement \
             runs for 3 years.\n\n# Signatures {#signatures .signing}\n\nFor Malmö",
        );
        let new = extract_clauses(
            "Agreement between Malmö and Taipei.\n\n# Purpose {#purpose}\n\nFriendship.\n\n\
             # Areas {#areas}\n\nCulture.\n\n# Youth {#youth}\n\nYoung people meet yearly.\n\n\
             # Term {#term}\n\nThis Agreement runs for 4 years.\n\n\
             # Signatures {#signatures .signing}\n\nFor Malmö",
        );
        diff_rounds(
            side("round-2.yaml", 2),
            &json!({"round": 2, "duration": {"years": 3}, "areas": ["Culture", "Youth exchange"]}),
            &old,
            side("round-3.yaml", 3),
            &json!({"round": 3, "duration": {"years": 4}, "areas": ["Culture"]}),
            &new,
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
        let c = extract_clauses("# A {#a}\n\nText.");
        let d = diff_rounds(side("a", 1), &json!({}), &c, side("b", 1), &json!({}), &c);
        assert!(d.is_empty());
        assert_eq!(d.summary(), "no changes");
    }
}
