//! One clause of the redline, as the terminal and JSON outputs list it: which articles were
//! inserted, deleted, moved or changed, and the word segments that show how. Built from the
//! redline document by `crate::diff::clauses`; renumbering alone is never a change.

use crate::diff::words::Segment;

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
    /// How the version's language prints its number in the old round ("Artikel 3", "第三條").
    pub old_label: Option<String>,
    /// How the version's language prints its number in the new round.
    pub new_label: Option<String>,
    /// Word diff of the headings (one `Equal` segment when unchanged).
    pub heading_segments: Vec<Segment>,
    /// Word diff of the text; a whole `Insert`/`Delete` for inserted/deleted clauses, one
    /// `Equal` segment for unchanged ones.
    pub segments: Vec<Segment>,
    /// Number of separate changes in heading and text (inserted/deleted clause: 1).
    pub changes: usize,
    /// A word-diff deadline fired: the marks are right but may be coarser than necessary.
    pub approximate: bool,
    /// What the redline notes inside the clause, in its language: a moved article, merged,
    /// split, inserted or deleted list items and annexes.
    pub notes: Vec<crate::model::Change>,
}

impl ClauseDiff {
    /// The heading to show: new if present, else old.
    pub fn heading(&self) -> &str {
        self.new_heading
            .as_deref()
            .or(self.old_heading.as_deref())
            .unwrap_or("")
    }

    /// Its number as its language prints it where it is shown (new round, or old if deleted).
    pub fn label(&self) -> Option<&str> {
        match self.status {
            ClauseStatus::Deleted => self.old_label.as_deref(),
            _ => self.new_label.as_deref(),
        }
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
