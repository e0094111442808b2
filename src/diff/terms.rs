//! Terms diff: what changed in the validated terms between two rounds, by path.
//!
//! Owns [`diff_terms`] over two `serde_json::Value` trees and the one-line human form of a
//! change (`duration.years: 3 → 4`, `areas[2] removed: "Youth exchange"`). Objects are
//! compared key by key; lists are compared as lists (Myers over the items), so inserting one
//! item is one insertion at its index, not a cascade of changes. List items that are objects
//! with an `id` (or else `title`) key are matched by that identity and then diffed field by
//! field; other items match only when equal, and a replaced item is one change — except that
//! an object without identity replaced by one sharing at least half its fields is diffed field
//! by field too (`parties[1].representative.name`, not the whole party).
//!
//! A text given per language that changed in some languages and not in the others is marked
//! ("changed in en only; sv and zh-TW unchanged") and listed first: the change negotiated in
//! one language whose translation was forgotten.
//!
//! Paths: object keys joined by `.` (keys that are not plain identifiers are written
//! `["odd key"]`), list items as `[i]` — the new index for added/changed items, the old index
//! for removed ones. The root is the empty path.

use std::fmt;

use serde_json::Value;

use crate::terms::LOCALIZED;
use similar::{Algorithm, DiffTag};

/// Kind of a [`TermChange`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    Added,
    Removed,
    Changed,
}

impl ChangeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Changed => "changed",
        }
    }
}

/// One changed term.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TermChange {
    pub path: String,
    pub kind: ChangeKind,
    /// Value in the old round (`None` when added).
    pub old: Option<Value>,
    /// Value in the new round (`None` when removed).
    pub new: Option<Value>,
    /// The change in a reader's words ("Article 4, area 5 ‘Youth exchange’ removed"), when
    /// the documents are known (see `crate::diff::reader`).
    #[serde(skip)]
    pub described: Option<String>,
    /// For a text given per language that changed in some languages and not the others:
    /// "changed in en only; sv and zh-TW unchanged" (a translation forgotten?).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub one_language: Option<String>,
    /// The same, as data: the languages whose text changed, and those whose did not.
    #[serde(skip)]
    pub split: Option<(Vec<String>, Vec<String>)>,
    /// The id of the part of the document the term is written into (`termination`, or
    /// `signatures` for the signing's place and date), when it is known.
    #[serde(skip)]
    pub clause: Option<String>,
}

/// Diffs two terms trees (see the module docs for paths and list matching).
pub fn diff_terms(old: &Value, new: &Value) -> Vec<TermChange> {
    let mut out = Vec::new();
    diff_value(String::new(), old, new, &mut out);
    // What changed in one language only comes first.
    out.sort_by_key(|c| c.one_language.is_none());
    out
}

/// "changed in en only; sv and zh-TW unchanged".
fn one_language(changed: &[&str], unchanged: &[&str]) -> String {
    let list = |langs: &[&str]| match langs {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    };
    format!(
        "changed in {} only; {} unchanged",
        list(changed),
        list(unchanged)
    )
}

fn diff_value(path: String, old: &Value, new: &Value, out: &mut Vec<TermChange>) {
    match (old, new) {
        // A text per language: each language's text under `path (lang)`.
        (Value::Object(a), Value::Object(b))
            if a.contains_key(LOCALIZED) && b.contains_key(LOCALIZED) =>
        {
            let texts = |m: &serde_json::Map<String, Value>| {
                m.get(LOCALIZED)
                    .and_then(Value::as_object)
                    .cloned()
                    .unwrap_or_default()
            };
            let (ta, tb) = (texts(a), texts(b));
            let before = out.len();
            for (lang, va) in &ta {
                let sub = format!("{path} ({lang})");
                match tb.get(lang) {
                    Some(vb) => diff_value(sub, va, vb, out),
                    None => out.push(removed(sub, va)),
                }
            }
            for (lang, vb) in &tb {
                if !ta.contains_key(lang) {
                    out.push(added(format!("{path} ({lang})"), vb));
                }
            }
            // Changed in some languages, the same in the others.
            let lang_of = |c: &TermChange| {
                c.path[path.len()..]
                    .strip_prefix(" (")
                    .and_then(|rest| rest.split_once(')'))
                    .map(|(lang, _)| lang.to_string())
            };
            let mut changed: Vec<String> = out[before..].iter().filter_map(lang_of).collect();
            changed.dedup();
            let unchanged: Vec<&str> = (ta.keys())
                .filter(|l| tb.contains_key(*l) && !changed.contains(l))
                .map(String::as_str)
                .collect();
            if !changed.is_empty() && !unchanged.is_empty() {
                let changed: Vec<&str> = changed.iter().map(String::as_str).collect();
                let line = one_language(&changed, &unchanged);
                let split: (Vec<String>, Vec<String>) = (
                    changed.iter().map(|s| s.to_string()).collect(),
                    unchanged.iter().map(|s| s.to_string()).collect(),
                );
                for c in &mut out[before..] {
                    c.one_language = Some(line.clone());
                    c.split = Some(split.clone());
                }
            }
        }
        (Value::Object(a), Value::Object(b)) => {
            for (key, va) in a {
                let sub = join_key(&path, key);
                match b.get(key) {
                    Some(vb) => diff_value(sub, va, vb, out),
                    None => out.push(removed(sub, va)),
                }
            }
            for (key, vb) in b {
                if !a.contains_key(key) {
                    out.push(added(join_key(&path, key), vb));
                }
            }
        }
        (Value::Array(a), Value::Array(b)) => diff_list(&path, a, b, out),
        _ if old == new => {}
        _ => out.push(TermChange {
            path,
            kind: ChangeKind::Changed,
            old: Some(old.clone()),
            new: Some(new.clone()),
            described: None,
            one_language: None,
            clause: None,
            split: None,
        }),
    }
}

/// How list items are matched: by identity (`id`, else `title`) or by whole value.
#[derive(PartialEq, Eq, Hash)]
enum ItemKey<'a> {
    Identity(&'static str, &'a Value),
    Whole(&'a Value),
}

fn item_key(v: &Value) -> ItemKey<'_> {
    match v {
        Value::Object(map) => match identity(map) {
            Some((key, ident)) => ItemKey::Identity(key, ident),
            None => ItemKey::Whole(v),
        },
        _ => ItemKey::Whole(v),
    }
}

/// The identity of a list item: its `id`, else its `title` (a string or number).
fn identity(map: &serde_json::Map<String, Value>) -> Option<(&'static str, &Value)> {
    ["id", "title"].into_iter().find_map(|k| {
        map.get(k)
            .filter(|v| v.is_string() || v.is_number())
            .map(|v| (k, v))
    })
}

fn diff_list(path: &str, a: &[Value], b: &[Value], out: &mut Vec<TermChange>) {
    let ka: Vec<ItemKey<'_>> = a.iter().map(item_key).collect();
    let kb: Vec<ItemKey<'_>> = b.iter().map(item_key).collect();
    let index = |i: usize| format!("{path}[{i}]");
    for op in similar::capture_diff_slices(Algorithm::Myers, &ka, &kb) {
        let (tag, ra, rb) = op.as_tag_tuple();
        match tag {
            DiffTag::Equal => {
                for (i, j) in ra.zip(rb) {
                    if a[i] != b[j] {
                        diff_value(index(j), &a[i], &b[j], out);
                    }
                }
            }
            _ => {
                // Replaced items pair up positionally, one change each; the rest are
                // removals (old index) and additions (new index).
                let paired = ra.len().min(rb.len());
                for k in 0..paired {
                    let (i, j) = (ra.start + k, rb.start + k);
                    if mostly_same(&a[i], &b[j]) {
                        diff_value(index(j), &a[i], &b[j], out);
                        continue;
                    }
                    out.push(TermChange {
                        path: index(j),
                        kind: ChangeKind::Changed,
                        old: Some(a[i].clone()),
                        new: Some(b[j].clone()),
                        described: None,
                        one_language: None,
                        clause: None,
                        split: None,
                    });
                }
                let gone = ra.start + paired..ra.end;
                for (i, v) in gone.clone().zip(&a[gone]) {
                    out.push(removed(index(i), v));
                }
                let new_items = rb.start + paired..rb.end;
                for (j, v) in new_items.clone().zip(&b[new_items]) {
                    out.push(added(index(j), v));
                }
            }
        }
    }
}

/// Two objects without identity that share at least half of their fields (by value): the
/// same item, edited, so it is diffed field by field rather than shown as replaced.
fn mostly_same(a: &Value, b: &Value) -> bool {
    let (Value::Object(a), Value::Object(b)) = (a, b) else {
        return false;
    };
    if identity(a).is_some() || identity(b).is_some() {
        return false;
    }
    let same = a.iter().filter(|(k, v)| b.get(*k) == Some(v)).count();
    let union = a.len() + b.keys().filter(|k| !a.contains_key(*k)).count();
    same > 0 && 2 * same >= union
}

fn added(path: String, v: &Value) -> TermChange {
    TermChange {
        path,
        kind: ChangeKind::Added,
        old: None,
        new: Some(v.clone()),
        described: None,
        one_language: None,
        clause: None,
        split: None,
    }
}

fn removed(path: String, v: &Value) -> TermChange {
    TermChange {
        path,
        kind: ChangeKind::Removed,
        old: Some(v.clone()),
        new: None,
        described: None,
        one_language: None,
        clause: None,
        split: None,
    }
}

fn join_key(path: &str, key: &str) -> String {
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    match (path.is_empty(), plain) {
        (true, true) => key.to_string(),
        (false, true) => format!("{path}.{key}"),
        (_, false) => format!("{path}[{}]", Value::String(key.to_string())),
    }
}

/// A value in one line: scalars as JSON (strings quoted), short objects and lists as compact
/// JSON, longer objects summarised by their title/name/id, longer lists by their length.
pub fn display_value(v: &Value) -> String {
    const SHORT: usize = 60;
    let compact = v.to_string();
    match v {
        _ if is_scalar(v) || compact.chars().count() <= SHORT => compact,
        Value::Object(map) => {
            let label = ["title", "name", "id"]
                .iter()
                .find_map(|k| map.get(*k).filter(|v| is_scalar(v)).map(|v| (*k, v)));
            match label {
                Some((k, l)) => format!("{{{k}: {}, …}}", display_value(l)),
                None => format!("{{{} fields}}", map.len()),
            }
        }
        Value::Array(items) => format!("[{} items]", items.len()),
        _ => compact,
    }
}

fn is_scalar(v: &Value) -> bool {
    !v.is_object() && !v.is_array()
}

impl fmt::Display for TermChange {
    /// `duration.years: 3 → 4`, `areas[2] removed: "Youth exchange"`, `areas[3] added: …`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(one) = &self.one_language {
            write!(f, "{one}: ")?;
        }
        if let Some(line) = &self.described {
            return f.write_str(line);
        }
        let path = if self.path.is_empty() {
            "(terms)"
        } else {
            &self.path
        };
        let show = |v: &Option<Value>| v.as_ref().map(display_value).unwrap_or_default();
        match self.kind {
            ChangeKind::Changed => write!(f, "{path}: {} → {}", show(&self.old), show(&self.new)),
            ChangeKind::Removed => write!(f, "{path} removed: {}", show(&self.old)),
            ChangeKind::Added => write!(f, "{path} added: {}", show(&self.new)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn lines(old: Value, new: Value) -> Vec<String> {
        diff_terms(&old, &new)
            .iter()
            .map(|c| c.to_string())
            .collect()
    }

    #[test]
    fn scalar_and_nested_changes() {
        let old = json!({"duration": {"years": 3}, "parties": [
            {"name": "Malmö", "representative": {"name": "A. Svensson"}},
            {"name": "Taipei", "representative": {"name": "Li Wei"}}]});
        let new = json!({"duration": {"years": 4}, "parties": [
            {"name": "Malmö", "representative": {"name": "A. Svensson"}},
            {"name": "Taipei", "representative": {"name": "Chen Mei"}}]});
        assert_eq!(
            lines(old, new),
            [
                "duration.years: 3 → 4",
                "parties[1].representative.name: \"Li Wei\" → \"Chen Mei\"",
            ]
        );
        // Without identity and with little in common, a replaced item is one change.
        let old = json!({"parties": [
            {"name": "Malmö", "city": "M"},
            {"name": "Taipei", "city": "Taipei City, Republic of China (Taiwan)"}]});
        let new = json!({"parties": [
            {"name": "Malmö", "city": "M"},
            {"name": "Gdańsk", "city": "G"}]});
        assert_eq!(
            lines(old, new),
            ["parties[1]: {name: \"Taipei\", …} → {\"name\":\"Gdańsk\",\"city\":\"G\"}"]
        );
    }

    #[test]
    fn items_with_identity_are_diffed_field_by_field() {
        let old = json!({"parties": [
            {"id": "malmo", "representative": {"name": "A. Svensson"}},
            {"id": "taipei", "representative": {"name": "Li Wei"}}]});
        let new = json!({"parties": [
            {"id": "malmo", "representative": {"name": "A. Svensson"}},
            {"id": "taipei", "representative": {"name": "Chen Mei"}}]});
        assert_eq!(
            lines(old, new),
            ["parties[1].representative.name: \"Li Wei\" → \"Chen Mei\""]
        );
    }

    #[test]
    fn dropped_area_is_one_removal() {
        let old = json!({"areas": ["Culture", "Trade", "Youth exchange", "Sport"]});
        let new = json!({"areas": ["Culture", "Trade", "Sport"]});
        let changes = diff_terms(&old, &new);
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].kind, ChangeKind::Removed);
        assert_eq!(
            changes[0].to_string(),
            "areas[2] removed: \"Youth exchange\""
        );
    }

    #[test]
    fn inserted_item_is_one_addition() {
        let old = json!({"areas": [{"title": "Culture"}, {"title": "Sport"}]});
        let new = json!({"areas": [{"title": "Culture"}, {"title": "Youth"}, {"title": "Sport"}]});
        assert_eq!(lines(old, new), ["areas[1] added: {\"title\":\"Youth\"}"]);
    }

    #[test]
    fn replaced_scalar_item_and_keys_added_removed() {
        let old = json!({"areas": ["Culture", "Trade"], "signing": {"place": "Malmö"}});
        let new = json!({"areas": ["Culture", "Tourism"], "notes": "x y", "signing": {}});
        assert_eq!(
            lines(old, new),
            [
                "areas[1]: \"Trade\" → \"Tourism\"",
                "signing.place removed: \"Malmö\"",
                "notes added: \"x y\""
            ]
        );
    }

    #[test]
    fn odd_keys_and_root() {
        assert_eq!(
            lines(json!({"a b": 1}), json!({"a b": 2})),
            ["[\"a b\"]: 1 → 2"]
        );
        assert_eq!(lines(json!(1), json!("1")), ["(terms): 1 → \"1\""]);
        assert!(diff_terms(&json!({"a": [1, 2]}), &json!({"a": [1, 2]})).is_empty());
    }
}
