//! JSON output of a [`RoundDiff`]: a stable, versioned shape for scripts and the PDF redline.
//!
//! Owns [`to_json`]. The shape is built by hand (not derived), so renaming a Rust field never
//! changes it; any incompatible change must bump `version`.
//!
//! ```json
//! {
//!   "version": 1,
//!   "summary": "3 terms changed; article areas changed, article youth inserted",
//!   "identical": false,                 // nothing changed (whitespace/renumbering aside)
//!   "approximate": false,               // some word diff hit its time budget
//!   "old": {"label": "round-2.yaml", "round": 2, "date": "2026-03-01"},  // round/date may be null
//!   "new": {"label": "round-3.yaml", "round": 3, "date": null},
//!   "terms": [
//!     {"path": "duration.years",        // keys joined by ".", list items "[i]", odd keys ["a b"],
//!                                       // one language of a text per language " (sv)"
//!      "kind": "changed",               // "added" | "removed" | "changed"
//!      "old": 3,                        // JSON value; null when added
//!      "new": 4,                        // JSON value; null when removed
//!      "old_display": "3",              // one-line rendering; null when absent
//!      "new_display": "4",
//!      "line": "Duration, years: 3 → 4", // the human line, as in the terminal
//!      "one_language": null}            // a text per language changed in some languages only:
//!                                       // "changed in en only; sv and zh-TW unchanged" (listed first)
//!   ],
//!   "clauses": [                        // all clauses in reading order, unchanged included;
//!                                       // with several language versions, each clause has
//!                                       // "language": "sv" (else null), version by version
//!     {"id": "term",                    // the article's label
//!      "status": "changed",             // "unchanged" | "changed" | "inserted" | "deleted" | "moved"
//!      "numbered": true,                // shown as "Article N" (new round; old if deleted)
//!      "old_number": 3,                 // null when absent or unnumbered in that round
//!      "new_number": 4,
//!      "old_label": "Article 3",        // the number as the version's language prints it
//!      "new_label": "Article 4",        // ("Artikel 4", "第四條"); null as the numbers
//!      "heading": "Term",               // new heading, or old if deleted
//!      "old_heading": "Term",           // null when inserted
//!      "new_heading": "Term",           // null when deleted
//!      "changes": 1,                    // separate changes in heading + text
//!      "approximate": false,
//!      "heading_segments": [{"kind": "equal", "text": "Term"}],
//!      "segments": [                    // "equal" | "delete" | "insert"; "\n\n" = new paragraph
//!        {"kind": "equal", "text": "This Agreement runs for "},
//!        {"kind": "delete", "text": "3"},
//!        {"kind": "insert", "text": "4"},
//!        {"kind": "equal", "text": " years."}],
//!      "notes": [                       // what the redline notes inside the clause, in the
//!                                       // version's language: "moved" (the article),
//!                                       // "merged" | "split" | "inserted" | "deleted" (list
//!                                       // items, annexes)
//!        {"kind": "merged", "text": "Merged from items 1 and 2"}]}
//!   ]
//! }
//! ```
//!
//! Joining `equal`+`delete` texts gives the old clause text and `equal`+`insert` the new one
//! (up to whitespace). Inserted/deleted clauses have one `insert`/`delete` segment; unchanged
//! clauses one `equal` segment with their full text.

use serde_json::{Value, json};

use crate::diff::terms::{TermChange, display_value};
use crate::diff::text::ClauseDiff;
use crate::diff::words::Segment;
use crate::diff::{RoundDiff, Side, status_word};

/// Version of the JSON shape documented above.
pub const JSON_VERSION: u32 = 1;

/// The diff as a JSON value of the documented shape.
pub fn to_json(diff: &RoundDiff) -> Value {
    json!({
        "version": JSON_VERSION,
        "summary": diff.summary(),
        "identical": diff.is_empty(),
        "approximate": diff.is_approximate(),
        "old": side(&diff.old),
        "new": side(&diff.new),
        "terms": diff.terms.iter().map(term).collect::<Vec<_>>(),
        "clauses": diff.clauses.iter().map(clause).collect::<Vec<_>>(),
    })
}

fn side(s: &Side) -> Value {
    json!({"label": s.label, "round": s.round, "date": s.date})
}

fn term(t: &TermChange) -> Value {
    json!({
        "path": t.path,
        "kind": t.kind.as_str(),
        "old": t.old,
        "new": t.new,
        "old_display": t.old.as_ref().map(display_value),
        "new_display": t.new.as_ref().map(display_value),
        "line": t.to_string(),
        "one_language": t.one_language,
    })
}

fn segments(segs: &[Segment]) -> Value {
    Value::Array(
        segs.iter()
            .map(|s| {
                let kind = serde_json::to_value(s.kind).unwrap_or(Value::Null);
                json!({"kind": kind, "text": s.text})
            })
            .collect(),
    )
}

fn clause(c: &ClauseDiff) -> Value {
    json!({
        "id": c.id,
        "language": c.language,
        "status": status_word(c.status),
        "numbered": c.number().is_some(),
        "old_number": c.old_number,
        "new_number": c.new_number,
        "old_label": c.old_label,
        "new_label": c.new_label,
        "heading": c.heading(),
        "old_heading": c.old_heading,
        "new_heading": c.new_heading,
        "changes": c.changes,
        "approximate": c.approximate,
        "heading_segments": segments(&c.heading_segments),
        "segments": segments(&c.segments),
        "notes": c.notes.iter().map(|n| json!({"kind": n.kind, "text": n.note})).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::tests::sample;

    #[test]
    fn shape_is_stable() {
        let v = to_json(&sample());
        assert_eq!(v["version"], 1);
        assert_eq!(
            v["old"],
            json!({"label": "round-2.yaml", "round": 2, "date": null})
        );
        assert_eq!(
            v["terms"][0],
            json!({"path": "duration.years", "kind": "changed", "old": 3, "new": 4,
                   "old_display": "3", "new_display": "4", "line": "Duration, years: 3 → 4",
                   "one_language": null})
        );
        let term = &v["clauses"][4];
        assert_eq!(term["id"], "term");
        assert_eq!(term["status"], "changed");
        assert_eq!(
            (term["old_number"].clone(), term["new_number"].clone()),
            (json!(3), json!(4))
        );
        assert_eq!(
            term["segments"],
            json!([
                {"kind": "equal", "text": "This Agreement runs for "},
                {"kind": "delete", "text": "3"},
                {"kind": "insert", "text": "4"},
                {"kind": "equal", "text": " years."}
            ])
        );
        let keys: Vec<&str> = term
            .as_object()
            .map(|m| m.keys().map(String::as_str).collect())
            .unwrap_or_default();
        assert_eq!(
            keys,
            [
                "id",
                "language",
                "status",
                "numbered",
                "old_number",
                "new_number",
                "old_label",
                "new_label",
                "heading",
                "old_heading",
                "new_heading",
                "changes",
                "approximate",
                "heading_segments",
                "segments",
                "notes"
            ]
        );
        assert_eq!(v["clauses"][3]["status"], "inserted");
        assert_eq!(v["clauses"][3]["old_heading"], Value::Null);
    }
}
