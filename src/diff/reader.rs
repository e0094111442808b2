//! Changed terms in a reader's words: "Article 4, area 5 ‘Youth exchange’ removed", not
//! `areas[4] removed: {title: "Youth exchange", …}`.
//!
//! Owns [`describe`]. A term whose name is an article's id (`areas`, `data_protection` →
//! `data-protection`) is named by that article's label in the document ("Article 4"); any
//! other term by its name in words ("Signing, date"). A list index is the item's number after
//! the list's singular noun ("area 5"), with the item's title, name or short name when it has
//! one. An added or removed object shows its content, field by field.

use serde_json::Value;

use super::terms::{ChangeKind, TermChange};
use crate::model::{Document, Version};
use crate::terms::LOCALIZED;

/// How much of a value a line shows.
const SHOWN: usize = 160;

/// `change` in a reader's words, naming articles as `doc` (the round the change is in: the new
/// one, or the old one for a removal) prints them: in its English version, the language these
/// lines are written in, else its first.
pub fn describe(change: &TermChange, old: Round, new: Round) -> String {
    let (terms, doc) = match change.kind {
        ChangeKind::Removed => old,
        _ => new,
    };
    let version = (doc.versions.iter().find(|v| v.lang == "en")).or(doc.versions.first());
    let value = match change.kind {
        ChangeKind::Removed => change.old.as_ref(),
        _ => change.new.as_ref(),
    };
    // `articles[1].text` is the own article `articles[1].id` names.
    let (path, own) = own_article(&change.path, terms);
    let mut place = place(&path, version);
    let whole_article = version.and_then(|v| {
        let id = own.unwrap_or(&path).replace('_', "-");
        v.articles.iter().find(|a| a.id == id)
    });
    if let (Some(a), Some(id)) = (whole_article, own) {
        // "Article 2 ‘Commitments’, text".
        let rest = path[id.len()..].trim_start_matches('.');
        place = format!("{} ‘{}’", a.label, crate::model::plain::inlines(&a.heading));
        if !rest.is_empty() {
            place = format!("{place}, {}", self::place(rest, None).to_lowercase());
        }
    } else if let Some(a) = whole_article {
        place.push_str(&format!(" ‘{}’", crate::model::plain::inlines(&a.heading)));
    } else if let Some(title) = value.and_then(title_of) {
        place.push_str(&format!(" ‘{title}’"));
    }
    let show = |v: &Option<Value>| v.as_ref().map(content).unwrap_or_default();
    if let (Some(old), Some(new)) = (
        change.old.as_ref().and_then(text),
        change.new.as_ref().and_then(text),
    ) && (old.contains('\n') || new.contains('\n'))
    {
        return format!("{place}: {}", lines_changed(&old, &new));
    }
    match change.kind {
        ChangeKind::Changed => format!("{place}: {} → {}", show(&change.old), show(&change.new)),
        ChangeKind::Removed if whole_article.is_none() && value.and_then(title_of).is_some() => {
            format!("{place} removed")
        }
        ChangeKind::Added if whole_article.is_none() && value.and_then(title_of).is_some() => {
            format!("{place} added")
        }
        ChangeKind::Removed => format!("{place} removed: {}", show(&change.old)),
        ChangeKind::Added => format!("{place} added: {}", show(&change.new)),
    }
}

/// The id of the part of the document `change` is written into, as far as the document
/// tells: the article its first key names (`implementation.joint_committee` →
/// `implementation`; an own article `articles[1]` → its id), the preamble for `recitals`, the
/// signature block for `signing`, `witnesses` and `other_signatories`. (`compare` adds the
/// template's parts that name the term in `needs` or `when`.)
pub fn clause_of(change: &TermChange, old: Round, new: Round) -> Option<String> {
    let (terms, doc) = match change.kind {
        ChangeKind::Removed => old,
        _ => new,
    };
    let (path, own) = own_article(&change.path, terms);
    let has = |id: &str| {
        doc.versions
            .iter()
            .any(|v| v.articles.iter().any(|a| a.id == id))
    };
    if let Some(id) = own.filter(|id| has(id)) {
        return Some(id.to_string());
    }
    // The parties' own `articles:` given or dropped whole: the first article it names.
    if path == "articles"
        && let Some(Value::Array(items)) = change.new.as_ref().or(change.old.as_ref())
    {
        return (items.iter())
            .filter_map(|i| i.get("id").and_then(Value::as_str))
            .find(|id| has(id))
            .map(str::to_string);
    }
    let Some(Step::Key(first)) = steps(&path).into_iter().next() else {
        return None;
    };
    let first = first.split(" (").next().unwrap_or_default().to_string();
    let id = first.replace('_', "-");
    if has(&id) {
        return Some(id);
    }
    match first.as_str() {
        "recitals" => Some(crate::diff::clauses::PREAMBLE_ID.to_string()),
        "signing" | "witnesses" | "other_signatories" => Some("signatures".to_string()),
        _ => None,
    }
}

/// The terms and the document of one round.
pub type Round<'a> = (&'a Value, &'a Document);

/// A path into the terms' own articles (`articles[1].text`) as one into the article it
/// names (`policies.text`), with that id; any other path as it is.
fn own_article<'a>(path: &str, terms: &'a Value) -> (String, Option<&'a str>) {
    let Some(rest) = path.strip_prefix("articles[") else {
        return (path.to_string(), None);
    };
    let Some((index, rest)) = rest.split_once(']') else {
        return (path.to_string(), None);
    };
    let id = index
        .parse::<usize>()
        .ok()
        .and_then(|i| terms.get("articles")?.get(i)?.get("id")?.as_str());
    match id {
        Some(id) => (format!("{}{rest}", id.replace('-', "_")), Some(id)),
        None => (path.to_string(), None),
    }
}

/// What changed between two texts of several lines, word by word, each change with a few
/// words around it: "added “…”", "removed “…”", "“… four months …” → “… six months …”". List
/// and emphasis marks (`**`) are left out: a reader sees the words.
fn lines_changed(old: &str, new: &str) -> String {
    use similar::{ChangeTag, TextDiff};
    let plain = |s: &str| s.replace("**", "");
    let (old, new) = (plain(old), plain(new));
    let diff = TextDiff::from_words(&old, &new);
    let mut hunks = Vec::new();
    let words = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let quote = |s: &str| format!("“{}”", shown(&words(s)));
    for group in diff.grouped_ops(4) {
        // The words before the first change, and each side's text from there on.
        let (mut lead, mut before, mut after, mut tail) =
            (String::new(), String::new(), String::new(), String::new());
        let (mut removed, mut added) = (false, false);
        for op in &group {
            for change in diff.iter_changes(op) {
                let text = change.value();
                match change.tag() {
                    ChangeTag::Equal if !removed && !added => lead.push_str(text),
                    ChangeTag::Equal => tail.push_str(text),
                    ChangeTag::Delete => {
                        removed |= !text.trim().is_empty();
                        before.push_str(&tail);
                        after.push_str(&std::mem::take(&mut tail));
                        before.push_str(text);
                    }
                    ChangeTag::Insert => {
                        added |= !text.trim().is_empty();
                        before.push_str(&tail);
                        after.push_str(&std::mem::take(&mut tail));
                        after.push_str(text);
                    }
                }
            }
        }
        let whereabouts = if words(&lead).is_empty() {
            String::new()
        } else {
            format!(" after {}", quote(&lead))
        };
        hunks.push(match (removed, added) {
            (false, true) => format!("added {}{whereabouts}", quote(&after)),
            (true, false) => format!("removed {}{whereabouts}", quote(&before)),
            _ => format!(
                "{} → {}",
                quote(&format!("{lead}{before}{tail}")),
                quote(&format!("{lead}{after}{tail}"))
            ),
        });
    }
    if hunks.len() > 3 {
        let more = hunks.len() - 3;
        hunks.truncate(3);
        hunks.push(format!(
            "and {more} more change{}",
            if more == 1 { "" } else { "s" }
        ));
    }
    hunks.join("; ")
}

/// `s` cut at [`SHOWN`] characters, between words (a text with no spaces, such as Chinese,
/// at the character).
fn shown(s: &str) -> String {
    if s.chars().count() <= SHOWN {
        return s.to_string();
    }
    let cut: String = s.chars().take(SHOWN + 1).collect();
    let cut = match cut.rfind(char::is_whitespace) {
        Some(at) if at > 0 => &cut[..at],
        _ => cut.trim_end_matches(|_| false),
    };
    let cut: String = cut.chars().take(SHOWN).collect();
    format!("{}…", cut.trim_end_matches([',', ';', ':', ' ']))
}

/// "Article 4, area 5", "Signing, date", "Parties, party 2, representative, name".
fn place(path: &str, version: Option<&Version>) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut last_key = String::new();
    for (i, step) in steps(path).into_iter().enumerate() {
        match step {
            Step::Key(key) => {
                let article = (i == 0)
                    .then(|| version.and_then(|v| article_label(v, &key)))
                    .flatten();
                parts.push(article.unwrap_or_else(|| words(&key, i == 0)));
                last_key = key;
            }
            Step::Index(n) => {
                let noun = singular(&last_key);
                // "Article 4, areas" reads better as "Article 4, area 5".
                if parts.last().is_some_and(|p| *p == words(&last_key, false)) {
                    parts.pop();
                }
                parts.push(format!("{noun} {}", n + 1));
            }
        }
    }
    if parts.is_empty() {
        "The terms".to_string()
    } else {
        parts.join(", ")
    }
}

enum Step {
    Key(String),
    Index(usize),
}

/// `areas[4].activities[1]` → key, index, key, index (keys written `["odd key"]` kept whole).
fn steps(path: &str) -> Vec<Step> {
    let mut out = Vec::new();
    let mut rest = path;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('.') {
            rest = r;
        } else if let Some(r) = rest.strip_prefix('[') {
            let end = r.find(']').unwrap_or(r.len());
            let inner = &r[..end];
            match inner.parse::<usize>() {
                Ok(n) => out.push(Step::Index(n)),
                Err(_) => out.push(Step::Key(inner.trim_matches('"').to_string())),
            }
            rest = r.get(end + 1..).unwrap_or("");
        } else {
            let end = rest.find(['.', '[']).unwrap_or(rest.len());
            out.push(Step::Key(rest[..end].to_string()));
            rest = &rest[end..];
        }
    }
    out
}

fn article_label(v: &Version, key: &str) -> Option<String> {
    let id = key.replace('_', "-");
    v.articles
        .iter()
        .find(|a| a.id == id)
        .map(|a| a.label.clone())
}

/// `data_protection` → "Data protection" (capitalised when it opens the line).
fn words(key: &str, first: bool) -> String {
    let w = key.replace('_', " ");
    let mut chars = w.chars();
    match (first, chars.next()) {
        (true, Some(c)) => c.to_uppercase().chain(chars).collect(),
        _ => w,
    }
}

/// `areas` → "area", `activities` → "activity", `parties` → "party".
fn singular(key: &str) -> String {
    let w = key.replace('_', " ");
    if let Some(stem) = w.strip_suffix("ies") {
        format!("{stem}y")
    } else if w.ends_with("ss") || w.ends_with("means") {
        w
    } else if let Some(stem) = w.strip_suffix('s') {
        stem.to_string()
    } else {
        w
    }
}

/// The text of a value given per language: its English text, else its first.
fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Object(m) => m
            .get(LOCALIZED)
            .and_then(Value::as_object)
            .and_then(|texts| texts.get("en").or_else(|| texts.values().next()))
            .and_then(Value::as_str)
            .map(str::to_string),
        _ => None,
    }
}

/// An object's title, name or short name, if it has one.
fn title_of(v: &Value) -> Option<String> {
    let map = v.as_object()?;
    if map.contains_key(LOCALIZED) {
        return None;
    }
    ["title", "name", "official_name", "short_name"]
        .iter()
        .find_map(|k| map.get(*k).and_then(text))
}

/// A value's content in one line: text as it reads, objects field by field, lists item by
/// item, cut at [`SHOWN`] characters.
fn content(v: &Value) -> String {
    let mut out = String::new();
    write(v, &mut out);
    shown(&out)
}

fn write(v: &Value, out: &mut String) {
    if let Some(t) = text(v) {
        // A choice among the schema's values reads as words: "contact details only".
        let choice = t.contains('-') && t.chars().all(|c| c.is_ascii_lowercase() || c == '-');
        out.push_str(&if choice { t.replace('-', " ") } else { t });
        return;
    }
    match v {
        Value::Object(map) => {
            for (i, (k, field)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str("; ");
                }
                out.push_str(&words(k, false));
                out.push_str(": ");
                write(field, out);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                match title_of(item) {
                    Some(t) => out.push_str(&t),
                    None => write(item, out),
                }
            }
        }
        Value::Null => out.push('—'),
        Value::Bool(b) => out.push_str(if *b { "yes" } else { "no" }),
        other => out.push_str(&other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::testing::doc;
    use serde_json::json;

    fn change(path: &str, kind: ChangeKind, old: Option<Value>, new: Option<Value>) -> TermChange {
        TermChange {
            path: path.into(),
            kind,
            old,
            new,
            described: None,
            one_language: None,
            clause: None,
            split: None,
        }
    }

    #[test]
    fn an_own_articles_text_is_named_by_its_article_and_shows_the_lines_changed() {
        let d = doc("# Purpose {#purpose}\n\nx\n\n# Commitments {#commitments}\n\ny");
        let terms = json!({"articles": [{"id": "commitments"}]});
        let c = change(
            "articles[0].text",
            ChangeKind::Changed,
            Some(json!("Intro:\n\n1. one\n2. two\n")),
            Some(json!("Intro:\n\n1. one\n2. two\n3. three\n")),
        );
        assert_eq!(
            describe(&c, (&terms, &d), (&terms, &d)),
            "Article 2 ‘Commitments’, text: added “3. three” after “2. two”"
        );
    }

    #[test]
    fn a_changed_word_is_shown_with_its_neighbours_and_nothing_else() {
        let old =
            "Either party may end it with notice of thirty days in writing to the other party.";
        let new =
            "Either party may end it with notice of sixty days in writing to the other party.";
        assert_eq!(
            lines_changed(old, new),
            "“notice of thirty days in” → “notice of sixty days in”"
        );
        let added = lines_changed("One. Two. Three.", "One. Two. Also this. Three.");
        assert_eq!(added, "added “Also this.” after “One. Two.”");
    }

    #[test]
    fn a_removed_area_is_named_by_its_article_number_and_title() {
        let d = doc("# Purpose {#purpose}\n\nx\n\n# Areas {#areas}\n\ny");
        let c = change(
            "areas[4]",
            ChangeKind::Removed,
            Some(json!({"title": "Youth exchange", "description": "…"})),
            None,
        );
        assert_eq!(
            describe(&c, (&json!({}), &d), (&json!({}), &d)),
            "Article 2, area 5 ‘Youth exchange’ removed"
        );
    }

    #[test]
    fn an_added_object_shows_its_content() {
        let d = doc("# Data {#data-protection}\n\nx");
        let c = change(
            "data_protection",
            ChangeKind::Added,
            None,
            Some(json!({"personal_data": "none", "public_access": true})),
        );
        assert_eq!(
            describe(&c, (&json!({}), &d), (&json!({}), &d)),
            "Article 1 ‘Data’ added: personal data: none; public access: yes"
        );
        let c = change(
            "signing.date",
            ChangeKind::Changed,
            Some(json!("2027-05-20")),
            Some(json!("2027-06-10")),
        );
        assert_eq!(
            describe(&c, (&json!({}), &d), (&json!({}), &d)),
            "Signing, date: 2027-05-20 → 2027-06-10"
        );
    }
}
