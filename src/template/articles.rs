//! The terms' own articles and the built-in ones they leave out: `articles:` (an article no
//! template foresees, or a built-in article's text replaced) and `omit:` (built-in articles
//! dropped). Owns the template's list of built-in article ids (read from its Markdown
//! headings, in the order its main file calls them), the checks of the terms against it
//! (run when the terms are loaded, so `check` reports them at their line), and splicing the
//! articles into a language version's filled Markdown before it is read into the model, so
//! that numbering, references, both layouts and the redline treat them like any other.
//!
//! A user article is data: its title and paragraphs are sealed like every term value
//! ([`crate::model::sealed`]); only `[](#id)` in its text is read, as a reference to an
//! article by id.

use serde::Deserialize;
use serde_json::Value;

use crate::diagnostic::{Diagnostic, Kind};
use crate::model::sealed::{Kind as Sealed, seal};
use crate::terms::validate::suggestion;

/// What `template.yaml` says of its articles (`articles:`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    /// Built-in articles `omit:` may not drop.
    #[serde(default)]
    pub required: Vec<String>,
    /// The final clauses: a user article without `after` goes before the first of these.
    #[serde(default, rename = "final")]
    pub final_clauses: Vec<String>,
}

/// One of the terms' own articles, in the language being filled.
struct Own<'a> {
    id: &'a str,
    after: Option<&'a str>,
    title: Option<String>,
    text: String,
}

fn own_articles(terms: &Value) -> Vec<Own<'_>> {
    let Some(items) = terms.get("articles").and_then(Value::as_array) else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|a| {
            Some(Own {
                id: a.get("id")?.as_str()?,
                after: a.get("after").and_then(Value::as_str),
                title: a.get("title").and_then(Value::as_str).map(str::to_string),
                text: a
                    .get("text")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
            })
        })
        .collect()
}

fn omitted(terms: &Value) -> Vec<&str> {
    terms
        .get("omit")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// The ids of the level-1 headings a Markdown text writes (`# Costs {#costs}`), signing and
/// annex headings left out.
pub fn heading_ids(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(Heading::read)
        .filter(|h| h.class.is_none())
        .map(|h| h.id)
        .collect()
}

/// A level-1 heading line: its id and class (`.signing`, `.annexes`).
struct Heading {
    id: String,
    class: Option<String>,
}

impl Heading {
    fn read(line: &str) -> Option<Heading> {
        let rest = line.strip_prefix("# ")?;
        let open = rest.rfind('{')?;
        let attrs = rest[open + 1..].trim_end().strip_suffix('}')?;
        let mut id = None;
        let mut class = None;
        for token in attrs.split_whitespace() {
            if let Some(i) = token.strip_prefix('#') {
                id = Some(i.to_string());
            } else if let Some(c) = token.strip_prefix('.') {
                class = Some(c.to_string());
            }
        }
        Some(Heading { id: id?, class })
    }
}

/// Problems in the terms' `articles:` and `omit:` against the template's built-in article ids,
/// each at its term path.
pub fn check(terms: &Value, builtin: &[String], rules: &Rules) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let problem = |path: String, message: String| {
        Diagnostic::new(Kind::InvalidValue, "", message).at_path(path)
    };
    let listed = builtin.join(", ");
    let omit = omitted(terms);
    for (i, id) in omit.iter().enumerate() {
        let path = format!("omit[{i}]");
        if !builtin.iter().any(|b| b == id) {
            let mut d = problem(path, format!("there is no built-in article `{id}` to omit"));
            d = d.with_hint(
                match suggestion(id, &builtin.iter().map(String::as_str).collect::<Vec<_>>()) {
                    Some(s) => format!("did you mean `{s}`? The built-in articles: {listed}"),
                    None => format!("the built-in articles: {listed}"),
                },
            );
            out.push(d);
        } else if rules.required.iter().any(|r| r == id) {
            out.push(
                problem(path, format!("the article `{id}` cannot be omitted")).with_hint(format!(
                    "an agreement of this kind needs it; those that cannot be omitted: {}",
                    rules.required.join(", ")
                )),
            );
        }
    }
    let own = own_articles(terms);
    let mut known: Vec<&str> = builtin
        .iter()
        .map(String::as_str)
        .filter(|b| !omit.contains(b))
        .collect();
    known.extend(own.iter().map(|a| a.id));
    for (i, a) in own.iter().enumerate() {
        let path = |field: &str| format!("articles[{i}].{field}");
        if !is_id(a.id) {
            out.push(
                problem(path("id"), format!("`{}` is not an article id", a.id))
                    .with_hint("write lower-case letters, digits and hyphens, e.g. `policies`"),
            );
        }
        if own[..i].iter().any(|b| b.id == a.id) {
            out.push(problem(
                path("id"),
                format!("two articles have the id `{}`", a.id),
            ));
        }
        let replaces = builtin.iter().any(|b| b == a.id);
        if replaces && omit.contains(&a.id) {
            out.push(problem(
                path("id"),
                format!("`{}` is both omitted and given a new text", a.id),
            ));
        }
        if let Some(after) = a.after {
            if replaces {
                out.push(
                    problem(
                        path("after"),
                        format!(
                            "`{}` replaces the built-in article's text in its place",
                            a.id
                        ),
                    )
                    .with_hint("leave out `after`, or give the article a new id"),
                );
            } else if after == a.id || !known.contains(&after) {
                let hint = match suggestion(after, &known) {
                    Some(s) => format!("did you mean `{s}`? The articles: {}", known.join(", ")),
                    None => format!("the articles: {}", known.join(", ")),
                };
                out.push(
                    problem(
                        path("after"),
                        format!("there is no article `{after}` to follow"),
                    )
                    .with_hint(hint),
                );
            }
        }
        for r in references(&a.text) {
            if !known.contains(&r) {
                out.push(
                    problem(path("text"), format!("`[](#{r})` refers to no article"))
                        .with_hint(format!("the articles: {}", known.join(", "))),
                );
            }
        }
    }
    out
}

fn is_id(id: &str) -> bool {
    id.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// The ids a text refers to with `[](#id)`.
fn references(text: &str) -> Vec<&str> {
    pieces(text)
        .into_iter()
        .filter_map(|p| match p {
            Piece::Ref(id) => Some(id),
            Piece::Text(_) => None,
        })
        .collect()
}

enum Piece<'a> {
    Text(&'a str),
    Ref(&'a str),
}

/// A text cut at its references (`[](#id)`).
fn pieces(text: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("[](#") {
        let after = &rest[at + 4..];
        match after.find(')') {
            Some(end) if is_id(&after[..end]) => {
                out.push(Piece::Text(&rest[..at]));
                out.push(Piece::Ref(&after[..end]));
                rest = &after[end + 1..];
            }
            _ => {
                out.push(Piece::Text(&rest[..at + 4]));
                rest = after;
            }
        }
    }
    out.push(Piece::Text(rest));
    out
}

/// `markdown` (one language version, filled) with the omitted built-in articles dropped and
/// the terms' own articles in place. `terms` are in the version's language.
pub fn splice(markdown: &str, terms: &Value, rules: &Rules) -> String {
    let own = own_articles(terms);
    let omit = omitted(terms);
    if own.is_empty() && omit.is_empty() {
        return markdown.to_string();
    }
    // The text before the first heading, then one section per level-1 heading.
    let mut preamble = String::new();
    let mut sections: Vec<(Heading, String)> = Vec::new();
    for line in markdown.split_inclusive('\n') {
        match Heading::read(line.trim_end_matches('\n')) {
            Some(h) => sections.push((h, line.to_string())),
            None => match sections.last_mut() {
                Some((_, text)) => text.push_str(line),
                None => preamble.push_str(line),
            },
        }
    }
    sections.retain(|(h, _)| !(h.class.is_none() && omit.contains(&h.id.as_str())));
    for a in &own {
        let place = sections.iter().position(|(h, _)| h.id == a.id);
        match place {
            Some(i) => {
                let title = match &a.title {
                    Some(t) => format!("# {} {{#{}}}\n", seal(t, Sealed::Text), a.id),
                    None => sections[i].1.lines().next().unwrap_or_default().to_string() + "\n",
                };
                sections[i].1 = format!("{title}\n{}", body(&a.text));
            }
            None => {
                let at = match a.after {
                    Some(after) => sections
                        .iter()
                        .position(|(h, _)| h.id == after)
                        .map(|i| i + 1),
                    None => sections.iter().position(|(h, _)| {
                        h.class.is_some() || rules.final_clauses.contains(&h.id)
                    }),
                }
                .unwrap_or(sections.len());
                let title = a.title.as_deref().unwrap_or(a.id);
                let text = format!(
                    "# {} {{#{}}}\n\n{}",
                    seal(title, Sealed::Text),
                    a.id,
                    body(&a.text)
                );
                let heading = Heading {
                    id: a.id.to_string(),
                    class: None,
                };
                sections.insert(at, (heading, text));
            }
        }
    }
    let mut out = preamble;
    for (_, text) in sections {
        if !out.is_empty() && !out.ends_with("\n\n") {
            out.push('\n');
        }
        out.push_str(&text);
    }
    out
}

/// An article's text as Markdown paragraphs (split at blank lines), every piece sealed but
/// its references.
fn body(text: &str) -> String {
    let mut out = String::new();
    for para in text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
        for piece in pieces(para) {
            match piece {
                Piece::Text(t) => {
                    // The spaces around a reference are Markdown's, not the sealed text's.
                    let core = t.trim();
                    if t.starts_with(char::is_whitespace) {
                        out.push(' ');
                    }
                    if !core.is_empty() {
                        out.push_str(&seal(core, Sealed::Text));
                    }
                    if t.ends_with(char::is_whitespace) && !core.is_empty() {
                        out.push(' ');
                    }
                }
                Piece::Ref(id) => out.push_str(&format!("[](#{id})")),
            }
        }
        out.push_str("\n\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rules() -> Rules {
        Rules {
            required: vec!["languages".into()],
            final_clauses: vec!["duration".into(), "languages".into()],
        }
    }

    const MD: &str = "Preamble.\n\n# Fields {#fields}\n\nText.\n\n# Costs {#costs}\n\nPay.\n\n# Duration {#duration}\n\nLong.\n\n# Languages {#languages}\n\nTwo.\n\n# Signatures {#signatures .signing}\n\nSigned.\n";

    fn ids(md: &str) -> Vec<String> {
        heading_ids(md)
    }

    #[test]
    fn an_article_goes_before_the_final_clauses_or_after_its_article() {
        let terms = json!({"articles": [
            {"id": "policies", "title": "Policies", "text": "One.\n\nTwo, see [](#fields)."},
            {"id": "culture", "after": "fields", "title": "Culture", "text": "C."},
        ]});
        let out = splice(MD, &terms, &rules());
        assert_eq!(
            ids(&out),
            [
                "fields",
                "culture",
                "costs",
                "policies",
                "duration",
                "languages"
            ]
        );
        assert!(out.contains("[](#fields)"), "{out}");
        assert!(out.contains("# Signatures {#signatures .signing}"));
    }

    #[test]
    fn omit_drops_and_a_builtin_id_replaces() {
        let terms = json!({"omit": ["costs"], "articles": [{"id": "fields", "text": "New."}]});
        let out = splice(MD, &terms, &rules());
        assert_eq!(ids(&out), ["fields", "duration", "languages"]);
        assert!(out.contains("# Fields {#fields}\n\n"), "{out}");
        assert!(!out.contains("Text."));
    }

    #[test]
    fn checks_name_the_term() {
        let builtin: Vec<String> = ids(MD);
        let terms = json!({
            "omit": ["languages", "cost"],
            "articles": [
                {"id": "Bad id", "text": "x"},
                {"id": "x", "after": "nowhere", "text": "see [](#nothing)"},
            ]
        });
        let problems: Vec<(String, String)> = check(&terms, &builtin, &rules())
            .into_iter()
            .map(|d| (d.path.clone().unwrap_or_default(), d.message))
            .collect();
        let paths: Vec<&str> = problems.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            paths,
            [
                "omit[0]",
                "omit[1]",
                "articles[0].id",
                "articles[1].after",
                "articles[1].text"
            ],
            "{problems:?}"
        );
    }
}
