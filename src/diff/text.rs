//! Clause redline: which articles were inserted, deleted, moved or changed, and how.
//!
//! Owns [`diff_clauses`]. Clauses are aligned by their template id (the heading label), never
//! by position or text: the id sequences are diffed with Patience (ids are unique), unmatched
//! ids are whole inserted/deleted clauses, an id present on both sides but outside the common
//! subsequence is a moved clause. Each matched pair is word-diffed by `crate::diff::words`.
//! Article numbers are derived here from positions; renumbering alone is never a change.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use similar::{Algorithm, DiffTag};

use crate::diff::clauses::Clause;
use crate::diff::tokens;
use crate::diff::words::{self, Segment, SegmentKind};

/// Budget for one clause pair's word diff.
pub const CLAUSE_TIMEOUT: Duration = Duration::from_millis(200);
/// Budget for all clauses of one document; past it, diffs become coarse (and are flagged).
pub const TOTAL_TIMEOUT: Duration = Duration::from_secs(2);

/// What happened to a clause between the two rounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ClauseStatus {
    /// Same position, same heading and text (whitespace aside). Maybe renumbered.
    Unchanged,
    /// Same position, heading or text or numbering changed.
    Changed,
    /// Only in the new round.
    Inserted,
    /// Only in the old round.
    Deleted,
    /// In both rounds at a different relative position; edits inside are in the segments.
    Moved,
}

/// One clause of the redline.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ClauseDiff {
    pub id: String,
    /// The language version the clause belongs to, when the document has several.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    pub status: ClauseStatus,
    /// Heading in the old round (`None` when inserted).
    pub old_heading: Option<String>,
    /// Heading in the new round (`None` when deleted).
    pub new_heading: Option<String>,
    /// "Article N" in the old round: 1-based position among numbered clauses.
    pub old_number: Option<u32>,
    /// "Article N" in the new round.
    pub new_number: Option<u32>,
    /// Word diff of the headings (one `Equal` segment when unchanged).
    pub heading_segments: Vec<Segment>,
    /// Word diff of the text; a whole `Insert`/`Delete` for inserted/deleted clauses, one
    /// `Equal` segment for unchanged ones.
    pub segments: Vec<Segment>,
    /// Number of separate changes in heading and text (inserted/deleted clause: 1).
    pub changes: usize,
    /// A word-diff deadline fired: the marks are right but may be coarser than necessary.
    pub approximate: bool,
}

impl ClauseDiff {
    /// The heading to show: new if present, else old.
    pub fn heading(&self) -> &str {
        self.new_heading
            .as_deref()
            .or(self.old_heading.as_deref())
            .unwrap_or("")
    }

    /// Whether the clause is numbered where it is shown (new round, or old if deleted).
    pub fn number(&self) -> Option<u32> {
        match self.status {
            ClauseStatus::Deleted => self.old_number,
            _ => self.new_number,
        }
    }

    /// Whether anything about this clause needs a reader's attention.
    pub fn is_change(&self) -> bool {
        self.status != ClauseStatus::Unchanged
    }
}

/// Article numbers: 1-based position among numbered clauses.
fn numbers(clauses: &[Clause]) -> Vec<Option<u32>> {
    let mut n = 0;
    clauses
        .iter()
        .map(|c| {
            c.numbered.then(|| {
                n += 1;
                n
            })
        })
        .collect()
}

/// Aligns `old` and `new` by id and redlines each clause, in reading order: new order, with
/// deleted clauses where they stood in the old round.
pub fn diff_clauses(old: &[Clause], new: &[Clause]) -> Vec<ClauseDiff> {
    let start = Instant::now();
    let total_deadline = start + TOTAL_TIMEOUT;
    let ops = similar::capture_diff_slices_by_key_deadline(
        Algorithm::Patience,
        old,
        new,
        |c: &Clause| c.id.clone(),
        Some(total_deadline),
    );
    let old_num = numbers(old);
    let new_num = numbers(new);
    let old_by_id: HashMap<&str, usize> = old
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.as_str(), i))
        .collect();
    let new_ids: HashMap<&str, usize> = new
        .iter()
        .enumerate()
        .map(|(j, c)| (c.id.as_str(), j))
        .collect();

    let pair = |i: usize, j: usize, moved: bool| {
        let deadline = (Instant::now() + CLAUSE_TIMEOUT).min(total_deadline);
        let (o, n) = (&old[i], &new[j]);
        let heading = words::diff_words(&o.heading, &n.heading, deadline);
        let text = words::diff_words(&o.text, &n.text, deadline);
        let changes = heading.changes + text.changes;
        let status = if moved {
            ClauseStatus::Moved
        } else if changes > 0 || o.numbered != n.numbered {
            ClauseStatus::Changed
        } else {
            ClauseStatus::Unchanged
        };
        ClauseDiff {
            id: n.id.clone(),
            language: None,
            status,
            old_heading: Some(o.heading.clone()),
            new_heading: Some(n.heading.clone()),
            old_number: old_num[i],
            new_number: new_num[j],
            heading_segments: heading.segments,
            segments: text.segments,
            changes,
            approximate: heading.approximate || text.approximate,
        }
    };

    let mut out = Vec::with_capacity(new.len().max(old.len()));
    for op in &ops {
        let (tag, old_range, new_range) = op.as_tag_tuple();
        if tag == DiffTag::Equal {
            for (i, j) in old_range.zip(new_range) {
                out.push(pair(i, j, false));
            }
            continue;
        }
        for i in old_range {
            if !new_ids.contains_key(old[i].id.as_str()) {
                out.push(whole(&old[i], old_num[i], ClauseStatus::Deleted));
            }
        }
        for j in new_range {
            match old_by_id.get(new[j].id.as_str()) {
                Some(&i) => out.push(pair(i, j, true)),
                None => out.push(whole(&new[j], new_num[j], ClauseStatus::Inserted)),
            }
        }
    }
    out
}

/// A clause present on one side only, as one insertion or deletion.
fn whole(c: &Clause, number: Option<u32>, status: ClauseStatus) -> ClauseDiff {
    let (kind, old_heading, new_heading, old_number, new_number) = match status {
        ClauseStatus::Deleted => (
            SegmentKind::Delete,
            Some(c.heading.clone()),
            None,
            number,
            None,
        ),
        _ => (
            SegmentKind::Insert,
            None,
            Some(c.heading.clone()),
            None,
            number,
        ),
    };
    let one = |text: String| -> Vec<Segment> {
        if text.is_empty() {
            Vec::new()
        } else {
            vec![Segment::new(kind, text)]
        }
    };
    ClauseDiff {
        id: c.id.clone(),
        language: None,
        status,
        old_heading,
        new_heading,
        old_number,
        new_number,
        heading_segments: one(tokens::normalise(&c.heading)),
        segments: one(tokens::normalise(&c.text)),
        changes: 1,
        approximate: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clause(id: &str, text: &str) -> Clause {
        Clause {
            id: id.to_string(),
            heading: id.to_uppercase(),
            numbered: id != "preamble" && id != "signatures",
            text: text.to_string(),
        }
    }

    fn doc(ids: &[&str]) -> Vec<Clause> {
        ids.iter()
            .map(|id| clause(id, &format!("Text of {id}.")))
            .collect()
    }

    fn statuses(d: &[ClauseDiff]) -> Vec<(&str, ClauseStatus)> {
        d.iter().map(|c| (c.id.as_str(), c.status)).collect()
    }

    use ClauseStatus::*;

    #[test]
    fn inserted_article_in_the_middle_is_the_only_change() {
        let old = doc(&[
            "preamble",
            "purpose",
            "areas",
            "costs",
            "term",
            "signatures",
        ]);
        let new = doc(&[
            "preamble",
            "purpose",
            "areas",
            "youth",
            "costs",
            "term",
            "signatures",
        ]);
        let d = diff_clauses(&old, &new);
        assert_eq!(
            statuses(&d),
            [
                ("preamble", Unchanged),
                ("purpose", Unchanged),
                ("areas", Unchanged),
                ("youth", Inserted),
                ("costs", Unchanged),
                ("term", Unchanged),
                ("signatures", Unchanged),
            ]
        );
        let costs = &d[4];
        assert_eq!((costs.old_number, costs.new_number), (Some(3), Some(4)));
        assert_eq!(
            d[3].segments,
            [Segment::new(SegmentKind::Insert, "Text of youth.")]
        );
        assert_eq!(d.iter().map(|c| c.changes).sum::<usize>(), 1);
    }

    #[test]
    fn deleted_article_stays_where_it_was() {
        let old = doc(&["a", "b", "c"]);
        let new = doc(&["a", "c"]);
        let d = diff_clauses(&old, &new);
        assert_eq!(
            statuses(&d),
            [("a", Unchanged), ("b", Deleted), ("c", Unchanged)]
        );
        assert_eq!(d[1].number(), Some(2));
        assert_eq!(d[1].new_heading, None);
    }

    #[test]
    fn moved_article_is_moved_and_still_word_diffed() {
        let old = doc(&["a", "b", "c", "d"]);
        let mut new = doc(&["a", "c", "d", "b"]);
        new[3].text = "Text of b, amended.".to_string();
        let d = diff_clauses(&old, &new);
        assert_eq!(
            statuses(&d),
            [
                ("a", Unchanged),
                ("c", Unchanged),
                ("d", Unchanged),
                ("b", Moved)
            ]
        );
        assert_eq!((d[3].old_number, d[3].new_number), (Some(2), Some(4)));
        assert_eq!(d[3].changes, 1);
        assert!(
            d[3].segments
                .contains(&Segment::new(SegmentKind::Insert, ", amended"))
        );
    }

    #[test]
    fn changed_text_and_heading() {
        let old = vec![clause("term", "It runs for 3 years.")];
        let mut new = vec![clause("term", "It runs for 4 years.")];
        new[0].heading = "Duration".to_string();
        let d = diff_clauses(&old, &new);
        assert_eq!(d[0].status, Changed);
        assert_eq!(d[0].changes, 2);
        assert_eq!(
            d[0].heading_segments,
            [
                Segment::new(SegmentKind::Delete, "TERM"),
                Segment::new(SegmentKind::Insert, "Duration")
            ]
        );
    }

    #[test]
    fn whitespace_only_and_renumbering_are_unchanged() {
        let old = vec![clause("a", "One  two\nthree."), clause("b", "B.")];
        let new = vec![clause("b", "B."), clause("a", "One two three. ")];
        let d = diff_clauses(&old, &new);
        // One of the two swapped articles is reported as moved, without text changes.
        assert_eq!(d.iter().filter(|c| c.status == Moved).count(), 1);
        assert!(d.iter().all(|c| c.changes == 0));
    }

    #[test]
    fn numbering_change_is_a_change() {
        let old = vec![clause("annex", "A.")];
        let mut new = old.clone();
        new[0].numbered = false;
        let d = diff_clauses(&old, &new);
        assert_eq!(d[0].status, Changed);
        assert_eq!((d[0].old_number, d[0].new_number), (Some(1), None));
    }

    /// Deterministic filler prose: `n` clauses of about `words` words each.
    fn generated(n: usize, words: usize, seed: u64) -> Vec<Clause> {
        const SYLLABLES: &[&str] = &[
            "ar", "ti", "cle", "par", "ty", "ci", "ty", "ex", "change", "cul", "ture", "trans",
            "port", "youth", "mu", "tu", "al", "co", "op", "er", "a", "tion", "fund", "ing",
        ];
        let mut state = seed;
        let mut next = move || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) as usize
        };
        (0..n)
            .map(|k| {
                let mut text = String::new();
                for w in 0..words {
                    let syl = 1 + next() % 3;
                    let word: String = (0..syl)
                        .map(|_| SYLLABLES[next() % SYLLABLES.len()])
                        .collect();
                    text.push_str(&word);
                    text.push(match (w + 1) % 15 {
                        0 => '.',
                        7 => ',',
                        _ => ' ',
                    });
                    if (w + 1) % 15 == 0 || (w + 1) % 15 == 7 {
                        text.push(' ');
                    }
                    if (w + 1) % 60 == 0 {
                        text.push_str("\n\n");
                    }
                }
                Clause {
                    id: format!("c{k}"),
                    heading: format!("Heading {k}"),
                    numbered: true,
                    text,
                }
            })
            .collect()
    }

    /// Two ~50-page rounds (200 clauses, ~24k words). Prints the time; asserts only results.
    #[test]
    fn perf_fifty_pages() {
        let old = generated(200, 120, 7);
        let mut new = old.clone();
        for (k, c) in new.iter_mut().enumerate() {
            if k % 10 == 3 {
                c.text = c.text.replacen("ar", "AR", 2);
            }
        }
        let rewritten = generated(3, 120, 99);
        for (k, r) in rewritten.into_iter().enumerate() {
            new[50 + k].text = r.text;
        }
        let extra = generated(2, 120, 42);
        new.insert(
            120,
            Clause {
                id: "new-a".into(),
                ..extra[0].clone()
            },
        );
        new.insert(
            60,
            Clause {
                id: "new-b".into(),
                ..extra[1].clone()
            },
        );
        new.remove(150);
        let moved = new.remove(10);
        new.insert(180, moved);
        let words: usize = old.iter().map(|c| c.text.split_whitespace().count()).sum();

        let t = Instant::now();
        let d = diff_clauses(&old, &new);
        let elapsed = t.elapsed();
        let all_new = generated(200, 120, 1234);
        let t = Instant::now();
        let worst = diff_clauses(&old, &all_new);
        let worst_elapsed = t.elapsed();
        println!(
            "perf: {} clauses, {words} words: {:.2} ms (every clause rewritten: {:.2} ms)",
            old.len(),
            elapsed.as_secs_f64() * 1e3,
            worst_elapsed.as_secs_f64() * 1e3
        );

        let count = |s: ClauseStatus| d.iter().filter(|c| c.status == s).count();
        assert_eq!(count(Inserted), 2);
        assert_eq!(count(Deleted), 1);
        assert_eq!(count(Moved), 1);
        assert!(count(Changed) >= 20);
        assert!(!d.iter().any(|c| c.approximate));
        assert_eq!(worst.len(), 200);
    }
}
