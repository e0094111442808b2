//! Data for the PDF redline: the trusted Typst source and the JSON it reads.
//!
//! Owns [`REDLINE_TYP`] (a static template, `redline.typ`) and [`redline_json`]. The render
//! stage compiles them with a World serving `/main.typ` = [`REDLINE_TYP`] and `/redline.json`
//! = the bytes of [`redline_json`]. All diff text reaches Typst as JSON string values and is
//! placed as text, never spliced into markup — that is the defence against a term value that
//! looks like Typst code (`#read("/etc/passwd")`), and it keeps "9. Confidentiality" from
//! turning into a list item. This module does not compile anything.
//!
//! The JSON is [`crate::diff::json::to_json`] plus one object the template needs:
//! `"display": {"unchanged": "Articles 1–2, 5 and Preamble unchanged" | null}`.

use serde_json::Value;

use crate::diff::RoundDiff;
use crate::diff::json::to_json;
use crate::diff::terminal::unchanged_line;

/// The redline template; compile it as `/main.typ`.
pub const REDLINE_TYP: &str = include_str!("redline.typ");

/// Path at which the render stage must serve [`redline_json`].
pub const REDLINE_JSON_PATH: &str = "/redline.json";

/// The bytes to serve at `/redline.json`.
pub fn redline_json(diff: &RoundDiff) -> Vec<u8> {
    let mut v = to_json(diff);
    if let Value::Object(map) = &mut v {
        let display = serde_json::json!({ "unchanged": unchanged_line(&diff.clauses) });
        map.insert("display".to_string(), display);
    }
    // Serialising a `Value` to memory cannot fail (string keys, no I/O).
    serde_json::to_vec(&v).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::clauses::of_markdown as extract_clauses;
    use crate::diff::{Side, diff_rounds};

    #[test]
    fn template_reads_data_and_never_evaluates_it() {
        assert!(REDLINE_TYP.contains("json(\"/redline.json\")"));
        for forbidden in ["eval(", "read(", "include ", "import "] {
            assert!(!REDLINE_TYP.contains(forbidden), "{forbidden}");
        }
    }

    #[test]
    fn hostile_text_travels_as_a_json_string() {
        let old = extract_clauses("# Costs {#costs}\n\nNone.");
        let value = crate::model::sealed::seal(
            "#read(\"/etc/passwd\") and $x$ <l>",
            crate::model::sealed::Kind::Text,
        );
        let new = extract_clauses(&format!("# Costs {{#costs}}\n\nSee {value}."));
        let side = |l: &str| Side {
            label: l.to_string(),
            round: None,
            date: None,
        };
        let d = diff_rounds(
            side("a"),
            &serde_json::json!({}),
            &old,
            side("b"),
            &serde_json::json!({}),
            &new,
        );
        let bytes = redline_json(&d);
        let v: Value = serde_json::from_slice(&bytes).unwrap_or_default();
        assert_eq!(
            v["clauses"][0]["segments"][1]["text"],
            "See #read(\"/etc/passwd\") and $x$ <l>"
        );
        assert_eq!(v["display"]["unchanged"], Value::Null);
    }
}
