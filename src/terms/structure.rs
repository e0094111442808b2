//! The structure a template declares (`template.yaml`'s `articles:`): its parts in order, each
//! with an id, a role (preamble, body article, final clause, signing text, annex), the terms it
//! appears on, whether `omit:` may drop it, and the terms it alone needs. Owns what the terms
//! do to that list (`articles:` adds, retitles, replaces or moves a part, `omit:` drops one),
//! the checks of both against it at their term paths, and the resulting [`Plan`] a fill
//! follows. Nothing here reads template text: the list is data.

use serde::Deserialize;
use serde_json::Value;

use crate::diagnostic::{Diagnostic, Kind};
use crate::terms::validate::suggestion;

/// A template's parts, in the order they print.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(transparent)]
pub struct Structure {
    pub entries: Vec<Entry>,
}

/// One declared part.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// Stable id: the redline matches by it, `articles:` and `omit:` name it.
    pub id: String,
    #[serde(default)]
    pub role: Role,
    /// Printed only when this holds.
    #[serde(default)]
    pub when: Option<Condition>,
    /// Printed only when this does not hold.
    #[serde(default)]
    pub unless: Option<Condition>,
    /// Terms required only while this part's own text prints (replaced or omitted, they are not).
    #[serde(default)]
    pub needs: Vec<String>,
    /// The handlebars file that writes it, when not named by its id (`shared/costs`).
    #[serde(default)]
    pub file: Option<String>,
}

impl Entry {
    /// The handlebars name of the file that writes it in each language.
    pub fn file(&self) -> &str {
        self.file.as_deref().unwrap_or(&self.id)
    }
}

/// What a part is in the document.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// Before the articles: the parties, recitals, the opening formula.
    Preamble,
    /// A numbered article.
    #[default]
    Body,
    /// A numbered article among the final clauses: own articles go before the first of them.
    Final,
    /// The text that opens the signature block.
    Signing,
    /// The annexes.
    Annex,
}

/// A condition on the terms: a term path that must be given (and not false or empty), or
/// terms that must have these values (`{legal_status: non-binding}`).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Condition {
    Given(String),
    Equals(indexmap::IndexMap<String, Value>),
}

impl Condition {
    fn holds(&self, terms: &Value) -> bool {
        match self {
            Condition::Given(path) => is_given(lookup(terms, path)),
            Condition::Equals(map) => map
                .iter()
                .all(|(path, want)| lookup(terms, path) == Some(want)),
        }
    }
}

fn lookup<'a>(terms: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(terms, |v, key| v.get(key))
}

fn is_given(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) | Some(Value::Bool(false)) => false,
        Some(Value::String(s)) => !s.trim().is_empty(),
        Some(Value::Array(a)) => !a.is_empty(),
        Some(Value::Object(o)) => !o.is_empty(),
        Some(_) => true,
    }
}

/// One part of a language version, as the terms shape it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub id: String,
    pub role: Role,
    /// The built-in file that writes it (`None`: an own article).
    pub file: Option<String>,
    /// The terms' title for it (`Some("")`: untitled); `None` keeps the built-in heading.
    pub title: Option<String>,
    /// The terms' text for it; `None` prints the built-in text.
    pub text: Option<String>,
}

/// The parts of one language version, in order.
pub type Plan = Vec<Part>;

/// One entry of the terms' `articles:`.
struct Own<'a> {
    id: &'a str,
    after: Option<&'a str>,
    title: Option<&'a str>,
    text: Option<&'a str>,
    /// Whether it gives a title (`title: ""` included) and a text, in any language.
    has_title: bool,
    has_text: bool,
    /// Its text in every language given (for references).
    texts: Vec<&'a str>,
}

fn own_articles(terms: &Value) -> Vec<Own<'_>> {
    let Some(items) = terms.get("articles").and_then(Value::as_array) else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|a| {
            let text = |k: &str| a.get(k).and_then(Value::as_str);
            Some(Own {
                id: text("id")?,
                after: text("after"),
                title: text("title"),
                text: text("text"),
                has_title: a.get("title").is_some_and(|t| !t.is_null()),
                has_text: a.get("text").is_some_and(|t| !t.is_null()),
                texts: match a.get("text") {
                    Some(Value::String(s)) => vec![s.as_str()],
                    Some(Value::Object(m)) => m
                        .get(crate::terms::LOCALIZED)
                        .and_then(Value::as_object)
                        .map(|t| t.values().filter_map(Value::as_str).collect())
                        .unwrap_or_default(),
                    _ => Vec::new(),
                },
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

impl Structure {
    fn entry(&self, id: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.id == id)
    }

    /// The declared ids, in order.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|e| e.id.as_str())
    }

    /// The terms that need not be given for these terms, because every part that prints and
    /// needs them is omitted or its text replaced. Read from the terms before they are
    /// validated (`omit:` and `articles:` as given, `terms` with the schema's defaults).
    pub fn released(&self, omit: &[&str], replaced: &[&str], terms: &Value) -> Vec<String> {
        let gone = |e: &Entry| omit.contains(&e.id.as_str()) || replaced.contains(&e.id.as_str());
        let prints = |e: &Entry| {
            e.when.as_ref().is_none_or(|c| c.holds(terms))
                && !e.unless.as_ref().is_some_and(|c| c.holds(terms))
        };
        let mut out: Vec<String> = Vec::new();
        for e in self.entries.iter().filter(|e| gone(e)) {
            for need in &e.needs {
                let still =
                    (self.entries.iter()).any(|o| prints(o) && !gone(o) && o.needs.contains(need));
                if !still && !out.contains(need) {
                    out.push(need.clone());
                }
            }
        }
        out
    }

    /// The parts a language version prints, in order (`terms` in that language).
    pub fn plan(&self, terms: &Value) -> Plan {
        let omit = omitted(terms);
        // Every declared part, present or not, so that a place named by `after` exists
        // even when its own condition leaves it out.
        let mut all: Vec<(Part, bool)> = self
            .entries
            .iter()
            .map(|e| {
                let present = e.when.as_ref().is_none_or(|c| c.holds(terms))
                    && !e.unless.as_ref().is_some_and(|c| c.holds(terms))
                    && !omit.contains(&e.id.as_str());
                let part = Part {
                    id: e.id.clone(),
                    role: e.role,
                    file: Some(e.file().to_string()),
                    title: None,
                    text: None,
                };
                (part, present)
            })
            .collect();
        for own in own_articles(terms) {
            let at = all.iter().position(|(p, _)| p.id == own.id);
            let (mut part, present) = match at {
                Some(i) => {
                    let (mut part, present) = all.remove(i);
                    part.title = own.title.map(str::to_string);
                    part.text = own.text.map(str::to_string);
                    // Own text prints whatever the built-in text's condition says.
                    let present = present || (own.text.is_some() && !omit.contains(&own.id));
                    if own.after.is_none() {
                        all.insert(i, (part, present));
                        continue;
                    }
                    (part, present)
                }
                None => {
                    let part = Part {
                        id: own.id.to_string(),
                        role: Role::Body,
                        file: None,
                        title: own.title.map(str::to_string),
                        text: own.text.map(str::to_string),
                    };
                    (part, true)
                }
            };
            let place = match own.after {
                Some(after) => all.iter().position(|(p, _)| p.id == after).map(|i| i + 1),
                None => all.iter().position(|(p, present)| {
                    *present && matches!(p.role, Role::Final | Role::Signing | Role::Annex)
                }),
            };
            if let (Some(after), Some(i)) = (own.after, place)
                && part.role == Role::Body
                && all[i - 1].0.role == Role::Final
                && all[i - 1].0.id == after
            {
                // Placed among the final clauses, it is one of them.
                part.role = Role::Final;
            }
            all.insert(place.unwrap_or(all.len()), (part, present));
        }
        all.into_iter()
            .filter(|(_, present)| *present)
            .map(|(p, _)| p)
            .collect()
    }

    /// Problems in the terms' `articles:` and `omit:` against this structure, each at its term
    /// path (`terms` validated, in any language).
    pub fn check(&self, terms: &Value) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        let problem = |path: String, message: String| {
            Diagnostic::general(Kind::InvalidValue, message).at_path(path)
        };
        let declared: Vec<&str> = self.ids().collect();
        let listed = declared.join(", ");
        let omit = omitted(terms);
        for (i, id) in omit.iter().enumerate() {
            let path = format!("omit[{i}]");
            if self.entry(id).is_none() {
                let hint = match suggestion(id, &declared) {
                    Some(s) => format!("did you mean `{s}`? The built-in parts: {listed}"),
                    None => format!("the built-in parts: {listed}"),
                };
                out.push(
                    problem(path, format!("there is no built-in article `{id}` to omit"))
                        .with_hint(hint),
                );
            }
        }
        let own = own_articles(terms);
        let mut known: Vec<&str> = declared
            .iter()
            .copied()
            .filter(|b| !omit.contains(b))
            .collect();
        known.extend(own.iter().map(|a| a.id).filter(|id| !declared.contains(id)));
        for (i, a) in own.iter().enumerate() {
            let path = |field: &str| match field {
                "" => format!("articles[{i}]"),
                f => format!("articles[{i}].{f}"),
            };
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
            let builtin = self.entry(a.id);
            match builtin {
                Some(_) if omit.contains(&a.id) => out.push(problem(
                    path("id"),
                    format!("`{}` is both omitted and changed here", a.id),
                )),
                Some(_) if !a.has_title && !a.has_text && a.after.is_none() => out.push(
                    problem(path("id"), format!("`{}` changes nothing", a.id)).with_hint(
                        "give the built-in article a `title` (retitle), a `text` (replace) or `after` (move)",
                    ),
                ),
                Some(e) if a.after.is_some() && matches!(e.role, Role::Preamble | Role::Signing | Role::Annex) => {
                    out.push(problem(
                        path("after"),
                        format!("`{}` is not an article, and keeps its place", a.id),
                    ))
                }
                Some(_) => {}
                None => {
                    if !a.has_title {
                        out.push(
                            problem(path(""), format!("the article `{}` has no `title`", a.id))
                                .with_hint("give it a `title`, or `title: \"\"` for an article with no heading"),
                        );
                    }
                    if !a.has_text {
                        out.push(
                            problem(path(""), format!("the article `{}` has no `text`", a.id))
                                .with_hint("write its paragraphs and lists under `text: |`"),
                        );
                    }
                }
            }
            if let Some(after) = a.after
                && (after == a.id || !known.contains(&after))
            {
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
            for r in a.texts.iter().flat_map(|t| references(t)) {
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
}

/// Whether `id` is an article id: lower-case letters, digits and hyphens.
pub fn is_id(id: &str) -> bool {
    id.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// The ids a text refers to with `[](#id)`.
pub fn references(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("[](#") {
        let after = &rest[at + 4..];
        match after.find(')') {
            Some(end) if is_id(&after[..end]) => {
                out.push(&after[..end]);
                rest = &after[end + 1..];
            }
            _ => rest = after,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn structure() -> Structure {
        serde_yaml_ng::from_str(
            "- {id: preamble, role: preamble}\n\
             - {id: fields, needs: [fields]}\n\
             - {id: costs, when: costs}\n\
             - {id: legal-status, role: final, when: {legal_status: non-binding}}\n\
             - {id: duration, role: final}\n\
             - {id: languages, role: final}\n\
             - {id: signing, role: signing}\n",
        )
        .unwrap()
    }

    fn ids(plan: &Plan) -> Vec<&str> {
        plan.iter().map(|p| p.id.as_str()).collect()
    }

    #[test]
    fn conditions_choose_the_parts() {
        let s = structure();
        let plan = s.plan(&json!({"legal_status": "binding"}));
        assert_eq!(
            ids(&plan),
            ["preamble", "fields", "duration", "languages", "signing"]
        );
        let plan = s.plan(&json!({"legal_status": "non-binding", "costs": {"x": 1}}));
        assert_eq!(
            ids(&plan),
            [
                "preamble",
                "fields",
                "costs",
                "legal-status",
                "duration",
                "languages",
                "signing"
            ]
        );
    }

    #[test]
    fn own_articles_go_before_the_final_clauses_or_after_theirs() {
        let terms = json!({"omit": ["signing"], "articles": [
            {"id": "policies", "title": "Policies", "text": "One."},
            {"id": "culture", "after": "fields", "title": "", "text": "C."},
            {"id": "fields", "title": "Areas"},
            {"id": "closing", "after": "duration", "title": "Closing", "text": "C."},
        ]});
        let plan = structure().plan(&terms);
        assert_eq!(
            ids(&plan),
            [
                "preamble",
                "fields",
                "culture",
                "policies",
                "duration",
                "closing",
                "languages"
            ]
        );
        assert_eq!(plan[1].title.as_deref(), Some("Areas"));
        assert_eq!(plan[1].text, None);
        assert_eq!(plan[5].role, Role::Final);
        assert!(structure().check(&terms).is_empty());
    }

    #[test]
    fn a_built_in_article_moves_and_its_replacement_prints_without_its_condition() {
        let terms = json!({"articles": [
            {"id": "costs", "text": "Each pays its own."},
            {"id": "fields", "after": "duration"},
        ]});
        let plan = structure().plan(&terms);
        assert_eq!(
            ids(&plan),
            [
                "preamble",
                "costs",
                "duration",
                "fields",
                "languages",
                "signing"
            ]
        );
    }

    #[test]
    fn checks_name_the_term() {
        let terms = json!({
            "omit": ["languages", "cost"],
            "articles": [
                {"id": "Bad id", "title": "x", "text": "x"},
                {"id": "x", "after": "nowhere", "title": "X", "text": "see [](#nothing)"},
                {"id": "untitled", "text": "x"},
                {"id": "duration"},
            ]
        });
        let problems: Vec<(String, String)> = structure()
            .check(&terms)
            .into_iter()
            .map(|d| (d.path.clone().unwrap_or_default(), d.message))
            .collect();
        let paths: Vec<&str> = problems.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            paths,
            [
                "omit[1]",
                "articles[0].id",
                "articles[1].after",
                "articles[1].text",
                "articles[2]",
                "articles[3].id",
            ],
            "{problems:?}"
        );
    }

    #[test]
    fn a_replaced_or_omitted_part_releases_its_terms() {
        let s = structure();
        let terms = json!({});
        assert_eq!(s.released(&[], &["fields"], &terms), ["fields"]);
        assert_eq!(s.released(&["costs"], &[], &terms), Vec::<String>::new());
        // Two parts print a term by turns: replacing the one that prints releases it; the
        // other, printing, still needs it.
        let s: Structure = serde_yaml_ng::from_str(
            "- {id: oath, role: preamble, needs: [pledges], when: {form: oath}}\n\
             - {id: pledges, needs: [pledges], unless: {form: oath}}\n",
        )
        .unwrap();
        let oath = json!({"form": "oath"});
        assert_eq!(s.released(&[], &["oath"], &oath), ["pledges"]);
        let charter = json!({"form": "charter"});
        assert_eq!(s.released(&[], &["oath"], &charter), Vec::<String>::new());
        assert_eq!(s.released(&[], &["pledges"], &charter), ["pledges"]);
    }
}
