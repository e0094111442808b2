//! Validation: a YAML tree with positions checked against a [`Schema`], every problem
//! collected (not just the first), each naming its location and term path. What passes comes
//! out as a plain JSON value in schema order, with defaults filled in.

use crate::diagnostic::Kind;
use marked_yaml::Node;
use serde_json::{Map, Value};

use super::schema::{Schema, Spec};
use super::source::{RawTerms, node_location};
use crate::diagnostic::Diagnostic;

/// Keys every terms file may hold besides the schema's terms.
const FRAME_KEYS: &[&str] = &["template"];

/// Check `raw` against `schema`; return the validated value or every problem found.
/// `languages`: the languages set from outside the terms (pactum.toml), which a per-language
/// text must give when the terms do not list theirs.
pub fn validate(
    raw: &RawTerms,
    schema: &Schema,
    languages: Option<&[String]>,
) -> Result<Value, Vec<Diagnostic>> {
    let mut v = Validator {
        raw,
        problems: Vec::new(),
        languages: declared_languages(raw, schema, languages),
        unknown_languages: (raw.root.as_mapping())
            .and_then(|m| m.get_sequence("languages"))
            .map(|seq| {
                seq.iter()
                    .filter_map(|n| n.as_scalar().map(|s| s.as_str().to_string()))
                    .filter(|code| !schema.languages.contains(code))
                    .collect()
            })
            .unwrap_or_default(),
        languages_set: languages.is_some()
            && raw
                .root
                .as_mapping()
                .is_none_or(|m| m.get_node("languages").is_none()),
        released: released(raw, schema),
        schema,
    };
    let value = v.mapping(&raw.root, "", schema.terms.iter(), FRAME_KEYS);
    v.cross_checks(&value);
    if v.problems.is_empty() {
        Ok(value)
    } else {
        Err(v.problems)
    }
}

struct Validator<'a> {
    raw: &'a RawTerms,
    problems: Vec<Diagnostic>,
    /// The agreement's languages (`languages`, or its default): what a per-language text must give.
    languages: Vec<String>,
    /// Whether they were set from outside the terms (pactum.toml), which give none.
    languages_set: bool,
    /// Codes `languages` lists that this template has no words for: refused once, at that
    /// line, and not again at every text given in them.
    unknown_languages: Vec<String>,
    /// Top-level terms not required here: the part that alone needs them is omitted or replaced.
    released: Vec<String>,
    schema: &'a Schema,
}

/// Whether a required field's `unless` holds: its siblings in `map` have those values.
fn excused(spec: &Spec, map: &marked_yaml::types::MarkedMappingNode) -> bool {
    spec.unless.as_ref().is_some_and(|unless| {
        unless.iter().all(|(key, want)| {
            let given = map.get_scalar(key).map(|s| s.as_str());
            match want {
                Value::Bool(b) => given == Some(if *b { "true" } else { "false" }),
                Value::String(w) => given == Some(w.as_str()),
                other => given == Some(other.to_string().as_str()),
            }
        })
    })
}

/// The terms the structure releases for these terms (see [`Structure::released`]), from
/// `omit:` and the ids of `articles:` that give a `text`, as written.
///
/// [`Structure::released`]: super::structure::Structure::released
fn released(raw: &RawTerms, schema: &Schema) -> Vec<String> {
    let root = raw.root.as_mapping();
    let strings = |key: &str| -> Vec<&str> {
        root.and_then(|m| m.get_sequence(key))
            .map(|seq| {
                seq.iter()
                    .filter_map(|n| match key {
                        "omit" => n.as_scalar(),
                        _ => n
                            .as_mapping()
                            .filter(|m| m.get_node("text").is_some())
                            .and_then(|m| m.get_scalar("id")),
                    })
                    .map(|s| s.as_str())
                    .collect()
            })
            .unwrap_or_default()
    };
    schema.structure.released(
        &strings("omit"),
        &strings("articles"),
        &as_given(&raw.root, schema),
    )
}

/// The terms as written, before validation, with the schema's top-level defaults: enough for
/// the structure's conditions (`{form: oath}`, a term given).
fn as_given(root: &Node, schema: &Schema) -> Value {
    fn value(node: &Node) -> Value {
        match node {
            Node::Scalar(s) => match (s.may_coerce(), s.as_str()) {
                (true, "true") => Value::Bool(true),
                (true, "false") => Value::Bool(false),
                _ => Value::String(s.as_str().to_string()),
            },
            Node::Sequence(seq) => Value::Array(seq.iter().map(value).collect()),
            Node::Mapping(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| (k.as_str().to_string(), value(v)))
                    .collect(),
            ),
        }
    }
    let mut terms = value(root);
    if let Value::Object(map) = &mut terms {
        for (key, spec) in &schema.terms {
            if let (false, Some(default)) = (map.contains_key(key), &spec.default) {
                map.insert(key.clone(), default.clone());
            }
        }
    }
    terms
}

/// The valid language codes the terms declare in `languages`, else those set from outside,
/// else the schema's default.
fn declared_languages(raw: &RawTerms, schema: &Schema, set: Option<&[String]>) -> Vec<String> {
    let given = raw.root.as_mapping().and_then(|m| m.get_node("languages"));
    let codes: Vec<String> = match given.and_then(Node::as_sequence) {
        Some(seq) => seq
            .iter()
            .filter_map(|n| n.as_scalar().map(|s| s.as_str().to_string()))
            .filter(|s| schema.languages.contains(s))
            .collect(),
        None if set.is_some() => set.unwrap_or_default().to_vec(),
        None => schema
            .terms
            .get("languages")
            .and_then(|s| s.default.as_ref())
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default(),
    };
    if codes.is_empty() {
        vec!["en".to_string()]
    } else {
        codes
    }
}

impl Validator<'_> {
    fn problem(&mut self, kind: Kind, node: &Node, path: &str, message: String) -> &mut Diagnostic {
        let mut d = Diagnostic::new(kind, &self.raw.file, message).at_path(path);
        if let Some(loc) = node_location(&self.raw.text, node) {
            d = d.at(loc);
        }
        self.problems.push(d);
        self.problems.last_mut().expect("just pushed")
    }

    fn mapping<'s>(
        &mut self,
        node: &Node,
        path: &str,
        fields: impl Iterator<Item = (&'s String, &'s Spec)> + Clone,
        extra_keys: &[&str],
    ) -> Value {
        let Some(map) = node.as_mapping() else {
            self.wrong_type(node, path, "a mapping");
            return Value::Null;
        };
        let mut out = Map::new();
        for (key, child) in map.iter() {
            let key = key.as_str();
            if fields.clone().any(|(name, _)| name == key) {
                continue;
            }
            if extra_keys.contains(&key) {
                if let Some(s) = child.as_scalar() {
                    out.insert(key.to_string(), Value::String(s.as_str().to_string()));
                }
                continue;
            }
            let known: Vec<&str> = fields.clone().map(|(n, _)| n.as_str()).collect();
            let hint = suggestion(key, &known);
            let key_node = Node::from(key_scalar(map, key));
            let d = self.problem(
                Kind::UnknownKey,
                &key_node,
                &join(path, key),
                format!("unknown term `{key}`"),
            );
            *d = d.clone().with_hint(match hint {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("known terms here: {}", known.join(", ")),
            });
        }
        for (name, spec) in fields {
            let child_path = join(path, name);
            match map.get_node(name).filter(|n| !is_null(n)) {
                Some(child) => {
                    let value = self.value(child, &child_path, spec);
                    out.insert(name.clone(), value);
                }
                None if spec.required
                    && spec.default.is_none()
                    && !(path.is_empty() && self.released.contains(name))
                    && !excused(spec, map) =>
                {
                    // Point at the key when it is there without a value, else at the mapping's first key.
                    let first_key = map.keys().next().map(|k| Node::from(k.clone()));
                    let at = map.get_node(name).or(first_key.as_ref()).unwrap_or(node);
                    let d = self.problem(
                        Kind::MissingTerm,
                        at,
                        &child_path,
                        format!("required term `{child_path}` is missing"),
                    );
                    *d = d.clone().with_hint(format!("{name}: {}", spec.description));
                    if let Some(unless) = &spec.unless {
                        let when: Vec<String> =
                            unless.iter().map(|(k, v)| format!("{k}: {v}")).collect();
                        *d = d.clone().with_hint(format!(
                            "{name}: {} (not needed with `{}`)",
                            spec.description,
                            when.join(", ")
                        ));
                    }
                }
                None => {
                    if let Some(default) = &spec.default {
                        out.insert(name.clone(), default.clone());
                    }
                }
            }
        }
        Value::Object(out)
    }

    fn value(&mut self, node: &Node, path: &str, spec: &Spec) -> Value {
        match spec.ty.as_str() {
            "object" => self.mapping(node, path, spec.fields.iter(), &[]),
            "text" if node.as_mapping().is_some() => self.localized(node, path, spec),
            "list" => {
                let Some(seq) = node.as_sequence() else {
                    self.wrong_type(node, path, &spec.type_name());
                    return Value::Null;
                };
                if let Some(min) = spec.min_items
                    && seq.len() < min
                {
                    self.problem(
                        Kind::InvalidValue,
                        node,
                        path,
                        format!("`{path}` needs at least {min} item(s), found {}", seq.len()),
                    );
                }
                let items = spec.items.as_deref().expect("schema lists have items");
                let values = seq
                    .iter()
                    .enumerate()
                    .map(|(i, child)| self.value(child, &format!("{path}[{i}]"), items))
                    .collect();
                Value::Array(values)
            }
            _ => self.scalar(node, path, spec),
        }
    }

    fn scalar(&mut self, node: &Node, path: &str, spec: &Spec) -> Value {
        let Some(s) = node.as_scalar() else {
            self.wrong_type(node, path, &spec.type_name());
            return Value::Null;
        };
        let text = s.as_str();
        let plain = s.may_coerce();
        match spec.ty.as_str() {
            "text" => {
                let min = spec.min_length.unwrap_or(usize::from(spec.required));
                if text.trim().chars().count() < min {
                    self.problem(Kind::InvalidValue, node, path, format!("`{path}` is empty"));
                }
                Value::String(super::source::as_typed(&self.raw.text, node, text))
            }
            "integer" => match text.parse::<i64>() {
                Ok(n) if plain => {
                    if spec.min.is_some_and(|min| n < min) || spec.max.is_some_and(|max| n > max) {
                        let range = range(spec).expect("a bound was checked");
                        self.problem(
                            Kind::InvalidValue,
                            node,
                            path,
                            format!("`{path}` must be {range}, found {n}"),
                        );
                    }
                    Value::from(n)
                }
                // All digits, but more than a 64-bit number holds.
                Err(_) if plain && is_whole_number(text) => {
                    let size = if text.starts_with('-') {
                        "small"
                    } else {
                        "large"
                    };
                    let d = self.problem(
                        Kind::InvalidValue,
                        node,
                        path,
                        format!("`{path}` is far too {size} a number, found {text}"),
                    );
                    if let Some(range) = range(spec) {
                        *d = d.clone().with_hint(format!("it must be {range}"));
                    }
                    Value::Null
                }
                Ok(_) => self.quoted(node, path, "a whole number", text),
                Err(_) => self.wrong_type(node, path, "a whole number"),
            },
            "boolean" => match (plain, text) {
                (true, "true") => Value::Bool(true),
                (true, "false") => Value::Bool(false),
                (false, "true" | "false") => self.quoted(node, path, "true or false", text),
                _ => self.wrong_type(node, path, "true or false"),
            },
            "date" => {
                if iso_date(text).is_some() {
                    Value::String(text.to_string())
                } else {
                    self.problem(
                        Kind::InvalidValue,
                        node,
                        path,
                        format!("`{path}` must be a date written YYYY-MM-DD, found `{text}`"),
                    );
                    Value::Null
                }
            }
            "enum" => {
                if !spec.values.iter().any(|v| v == text) {
                    let values: Vec<&str> = spec.values.iter().map(String::as_str).collect();
                    let mut hint = suggestion(text, &values)
                        .map(|s| format!("did you mean `{s}`?"))
                        .unwrap_or_else(|| format!("one of: {}", values.join(", ")));
                    if path.starts_with("languages[") {
                        hint = format!(
                            "{hint}; a language is added as a folder, given with `--templates DIR`: \
                             `shared/words/{text}.yaml` and each form's `clauses/{text}/`; \
                             `pactum new-language {text} -o DIR` writes every file to translate \
                             (docs/languages.md)"
                        );
                    }
                    let d = self.problem(
                        Kind::InvalidValue,
                        node,
                        path,
                        format!("`{text}` is not a valid value for `{path}`"),
                    );
                    *d = d.clone().with_hint(hint);
                }
                Value::String(text.to_string())
            }
            other => unreachable!("schema type `{other}` resolved at load"),
        }
    }

    /// A text given per language (`{sv: …, zh-TW: …, en: …}`): exactly the agreement's
    /// languages, each a text. Comes out as `{"$lang": {code: text}}` (see [`super::LOCALIZED`]).
    fn localized(&mut self, node: &Node, path: &str, spec: &Spec) -> Value {
        let map = node.as_mapping().expect("checked by the caller");
        let languages = self.languages.clone();
        let declared: Vec<&str> = languages.iter().map(String::as_str).collect();
        let mut texts = Map::new();
        for (key, child) in map.iter() {
            let code = key.as_str();
            let child_path = format!("{path}.{code}");
            if self.unknown_languages.iter().any(|l| l == code) {
                continue; // said once, at `languages`
            }
            if !declared.contains(&code) {
                let key_node = Node::from(key_scalar(map, code));
                let hint = match suggestion(code, &declared) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!(
                        "this agreement's languages are {} (the `languages` term)",
                        declared.join(", ")
                    ),
                };
                let d = self.problem(
                    Kind::UnknownKey,
                    &key_node,
                    &child_path,
                    format!("`{code}` is not one of this agreement's languages"),
                );
                *d = d.clone().with_hint(hint);
                continue;
            }
            let text = self.scalar(child, &child_path, spec);
            texts.insert(code.to_string(), text);
        }
        let missing: Vec<&str> = declared
            .iter()
            .copied()
            .filter(|c| !texts.contains_key(*c))
            .collect();
        if !missing.is_empty() {
            let d = self.problem(
                Kind::MissingTerm,
                node,
                path,
                format!(
                    "`{path}` is given per language but has no {} text",
                    missing.join(", ")
                ),
            );
            *d = d.clone().with_hint(format!(
                "give it for every language in `languages` ({}), or once as plain text for all",
                declared.join(", ")
            ));
        }
        let mut out = Map::new();
        out.insert(super::LOCALIZED.to_string(), Value::Object(texts));
        Value::Object(out)
    }

    /// Rules that tie terms together: a language listed twice, a prevailing text that is not
    /// one of the agreement's languages.
    fn cross_checks(&mut self, value: &Value) {
        let Some(root) = self.raw.root.as_mapping() else {
            return;
        };
        if let Some(seq) = root.get_node("languages").and_then(Node::as_sequence) {
            let mut seen: Vec<&str> = Vec::new();
            for (i, n) in seq.iter().enumerate() {
                let Some(code) = n.as_scalar().map(|s| s.as_str()) else {
                    continue;
                };
                if seen.contains(&code) {
                    self.problem(
                        Kind::InvalidValue,
                        n,
                        &format!("languages[{i}]"),
                        format!("`{code}` is listed twice in `languages`"),
                    );
                }
                seen.push(code);
            }
        }
        let prevailing = value
            .pointer("/originals/prevailing")
            .and_then(Value::as_str);
        if let Some(code) = prevailing
            && !self.languages.iter().any(|l| l == code)
        {
            let node = root
                .get_node("originals")
                .and_then(Node::as_mapping)
                .and_then(|m| m.get_node("prevailing"))
                .cloned();
            if let Some(node) = node {
                let listed = self.languages.join(", ");
                let hint = if self.languages_set {
                    format!(
                        "the terms give no `languages`, and pactum.toml's `languages` lists {listed}"
                    )
                } else {
                    format!("`languages` lists {listed}")
                };
                let d = self.problem(
                    Kind::InvalidValue,
                    &node,
                    "originals.prevailing",
                    format!("the prevailing text `{code}` is not one of the agreement's languages"),
                );
                *d = d.clone().with_hint(hint);
            }
        }
        self.entry_into_force(root, value);
        self.originals_shared(root, value);
        self.signatories(root, value);
        self.transfer_basis(root, value);
        self.laws_name_parties(root, value);
    }

    /// Each `data_protection.laws[].party` names a party, in every language
    /// (review N3: "就 Lund 而言" in the Chinese text when it was given once, in Latin letters).
    fn laws_name_parties(&mut self, root: &marked_yaml::types::MarkedMappingNode, value: &Value) {
        let (Some(laws), Some(parties)) = (
            value
                .pointer("/data_protection/laws")
                .and_then(Value::as_array),
            value.get("parties").and_then(Value::as_array),
        ) else {
            return;
        };
        let nodes = root
            .get_node("data_protection")
            .and_then(Node::as_mapping)
            .and_then(|m| m.get_node("laws"))
            .and_then(Node::as_sequence)
            .cloned();
        let languages = self.languages.clone();
        for (i, law) in laws.iter().enumerate() {
            let Some(party) = law.get("party") else {
                continue;
            };
            let unnamed: Vec<&str> = (languages.iter())
                .filter(|lang| {
                    // As a party names itself: its short or official name, or a part of one.
                    let said = plain_text(&super::in_language(party, lang)).to_lowercase();
                    !said.is_empty()
                        && !parties.iter().any(|p| {
                            ["short_name", "official_name"].iter().any(|key| {
                                let name =
                                    plain_text(&super::in_language(&p[*key], lang)).to_lowercase();
                                !name.is_empty() && (name.contains(&said) || said.contains(&name))
                            })
                        })
                })
                .map(String::as_str)
                .collect();
            let Some(lang) = unnamed.first() else {
                continue;
            };
            let node = nodes
                .as_ref()
                .and_then(|n| n.get(i))
                .and_then(Node::as_mapping)
                .and_then(|m| m.get_node("party"))
                .cloned();
            let Some(node) = node else { continue };
            let shorts: Vec<String> = (parties.iter())
                .map(|p| {
                    format!(
                        "`{}`",
                        super::in_language(&p["short_name"], lang)
                            .as_str()
                            .unwrap_or("")
                    )
                })
                .collect();
            let path = format!("data_protection.laws[{i}].party");
            let d = self.problem(
                Kind::InvalidValue,
                &node,
                &path,
                format!("`{path}` names no party in {}", unnamed.join(", ")),
            );
            *d = d.clone().with_hint(format!(
                "give a party's `short_name` as the parties give it, in every language ({lang}: {})",
                shorts.join(" or ")
            ));
        }
    }

    /// Personal data exchanged under `data_protection` may leave the EU/EEA, and no basis for
    /// that is assumed (review 2026-12, S2): the terms choose `transfer_basis`, `not-needed`
    /// when every party is in the EU/EEA.
    fn transfer_basis(&mut self, root: &marked_yaml::types::MarkedMappingNode, value: &Value) {
        let Some(spec) = self
            .schema
            .terms
            .get("data_protection")
            .and_then(|s| s.fields.get("transfer_basis"))
        else {
            return;
        };
        if self.released.iter().any(|r| r == "data_protection")
            || !value.get("data_protection").is_some_and(Value::is_object)
            || value.pointer("/data_protection/transfer_basis").is_some()
        {
            return;
        }
        let choices = spec.values.join(", ");
        let key = Node::from(key_scalar(root, "data_protection"));
        let d = self.problem(
            Kind::MissingTerm,
            &key,
            "data_protection.transfer_basis",
            "personal data exchanged under `data_protection` may go to a party outside the EU/EEA: choose its `transfer_basis`".to_string(),
        );
        *d = d.clone().with_hint(format!(
            "add `transfer_basis:` under `data_protection`, one of {choices} (not-needed when every party is in the EU/EEA)"
        ));
    }

    /// A party that does not sign has no co-signatory; at least one party signs.
    fn signatories(&mut self, root: &marked_yaml::types::MarkedMappingNode, value: &Value) {
        let (Some(parties), Some(nodes)) = (
            value.get("parties").and_then(Value::as_array),
            root.get_node("parties").and_then(Node::as_sequence),
        ) else {
            return;
        };
        let mut signing = 0;
        for (i, (party, node)) in parties.iter().zip(nodes.iter()).enumerate() {
            let signs = party.get("signs").and_then(Value::as_bool) != Some(false);
            let given = |key: &str| party.get(key).is_some_and(|v| !v.is_null());
            let map = node.as_mapping();
            let key_node = |key: &str| {
                map.and_then(|m| m.get_node(key).or_else(|| m.keys().next().map(|_| node)))
                    .unwrap_or(node)
                    .clone()
            };
            if signs {
                signing += 1;
            } else if given("co_signatory") {
                let at = key_node("co_signatory");
                let d = self.problem(
                    Kind::InvalidValue,
                    &at,
                    &format!("parties[{i}].co_signatory"),
                    format!(
                        "`parties[{i}]` does not sign (`signs: false`), so it has no co-signatory"
                    ),
                );
                *d = d
                    .clone()
                    .with_hint("leave out `co_signatory`, or `signs: false`");
            }
        }
        if signing == 0 && !parties.is_empty() {
            let d = self.problem(
                Kind::InvalidValue,
                &Node::from(nodes.clone()),
                "parties",
                "no party signs: every party has `signs: false`".to_string(),
            );
            *d = d
                .clone()
                .with_hint("at least one party signs the agreement");
        }
    }

    /// Originals are shared equally: their number is a multiple of the signing parties' (each
    /// keeps the same number), unless each party signs its own counterpart.
    fn originals_shared(&mut self, root: &marked_yaml::types::MarkedMappingNode, value: &Value) {
        let count = value.pointer("/originals/count").and_then(Value::as_u64);
        let parties = value.get("parties").and_then(Value::as_array).map(|ps| {
            ps.iter()
                .filter(|p| p.get("signs") != Some(&Value::Bool(false)))
                .count()
        });
        let counterparts = value.get("counterparts").and_then(Value::as_bool) == Some(true);
        let (Some(count), Some(parties)) = (count, parties) else {
            return;
        };
        if counterparts || count <= 1 || parties == 0 || count % parties as u64 == 0 {
            return;
        }
        let node = root
            .get_node("originals")
            .and_then(Node::as_mapping)
            .and_then(|m| m.get_node("count"))
            .cloned();
        if let Some(node) = node {
            let d = self.problem(
                Kind::InvalidValue,
                &node,
                "originals.count",
                format!(
                    "{count} originals cannot be shared equally among {parties} signing parties"
                ),
            );
            let n = parties as u64;
            let fits: Vec<String> = [(count / n) * n, (count / n + 1) * n]
                .iter()
                .filter(|f| **f > 1)
                .map(u64::to_string)
                .collect();
            *d = d.clone().with_hint(format!(
                "give each party the same number: {} originals, or one (count: 1)",
                fits.join(" or ")
            ));
        }
    }

    /// `entry_into_force`: a date with `on: date` (and only then), not before the signing.
    fn entry_into_force(&mut self, root: &marked_yaml::types::MarkedMappingNode, value: &Value) {
        let Some(node) = root.get_node("entry_into_force").cloned() else {
            return;
        };
        let on = value
            .pointer("/entry_into_force/on")
            .and_then(Value::as_str);
        let date = value
            .pointer("/entry_into_force/date")
            .and_then(Value::as_str);
        let date_node = node.as_mapping().and_then(|m| m.get_node("date")).cloned();
        match (on, date, date_node) {
            (Some("date"), None, _) => {
                let d = self.problem(
                    Kind::MissingTerm,
                    &node,
                    "entry_into_force.date",
                    "`entry_into_force.on: date` needs the date".to_string(),
                );
                *d = d
                    .clone()
                    .with_hint("add `date: YYYY-MM-DD` under `entry_into_force`");
            }
            (Some(on), Some(_), Some(n)) if on != "date" => {
                let d = self.problem(
                    Kind::InvalidValue,
                    &n,
                    "entry_into_force.date",
                    format!("a date is given, but the agreement takes effect on {on}"),
                );
                *d = d
                    .clone()
                    .with_hint("write `on: date`, or leave the date out");
            }
            (Some("date"), Some(date), Some(n)) => {
                let signed = value.pointer("/signing/date").and_then(Value::as_str);
                if let Some(signed) = signed.filter(|s| *s > date) {
                    let d = self.problem(
                        Kind::InvalidValue,
                        &n,
                        "entry_into_force.date",
                        format!("the agreement would take effect on {date}, before it is signed on {signed}"),
                    );
                    *d = d
                        .clone()
                        .with_hint("take effect on or after the signing date");
                }
            }
            _ => {}
        }
    }

    /// A number or boolean written in quotes, which makes it text.
    fn quoted(&mut self, node: &Node, path: &str, expected: &str, text: &str) -> Value {
        self.wrong_type(node, path, expected);
        let d = self.problems.last_mut().expect("just reported");
        *d = d.clone().with_hint(format!(
            "the quotes make `{text}` text: write it without quotes"
        ));
        Value::Null
    }

    fn wrong_type(&mut self, node: &Node, path: &str, expected: &str) -> Value {
        let found = match node {
            Node::Mapping(_) => "a mapping".to_string(),
            Node::Sequence(_) => "a list".to_string(),
            Node::Scalar(s) => format!("`{}`", s.as_str()),
        };
        self.problem(
            Kind::WrongType,
            node,
            path,
            format!("`{path}` must be {expected}, found {found}"),
        );
        Value::Null
    }
}

fn key_scalar(
    map: &marked_yaml::types::MarkedMappingNode,
    key: &str,
) -> marked_yaml::types::MarkedScalarNode {
    map.keys()
        .find(|k| k.as_str() == key)
        .cloned()
        .expect("key taken from this mapping")
}

fn is_null(node: &Node) -> bool {
    node.as_scalar().is_some_and(|s| {
        s.may_coerce() && matches!(s.as_str(), "" | "~" | "null" | "Null" | "NULL")
    })
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// The closest known name to a misspelt one, if it is close enough to be a typo.
pub fn suggestion<'a>(wrong: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (strsim::jaro_winkler(wrong, k), *k))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

/// The allowed range of an integer term, if it has one.
fn range(spec: &Spec) -> Option<String> {
    match (spec.min, spec.max) {
        (Some(a), Some(b)) => Some(format!("between {a} and {b}")),
        (Some(a), None) => Some(format!("at least {a}")),
        (None, Some(b)) => Some(format!("at most {b}")),
        (None, None) => None,
    }
}

fn is_whole_number(s: &str) -> bool {
    let digits = s.strip_prefix(['-', '+']).unwrap_or(s);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// A date written `YYYY-MM-DD` (four-digit year, zero-padded month and day) that is in the
/// calendar (no `2027-02-30`), as [`jiff`] reads it. Only that form passes: jiff's ISO 8601
/// reader also takes `20270215`, `+002027-02-15` or a time after the date, so what it reads
/// must write back as the same text.
pub fn iso_date(text: &str) -> Option<jiff::civil::Date> {
    text.parse::<jiff::civil::Date>()
        .ok()
        .filter(|date| date.to_string() == text)
}

/// A term's text as it stands (a string, or nothing).
fn plain_text(v: &Value) -> String {
    v.as_str().unwrap_or_default().trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::iso_date;

    #[test]
    fn dates_are_written_yyyy_mm_dd_and_in_the_calendar() {
        let date = iso_date("2026-11-26").expect("a date");
        assert_eq!((date.year(), date.month(), date.day()), (2026, 11, 26));
        assert!(iso_date("2028-02-29").is_some());
        assert!(iso_date("0000-01-01").is_some());
        assert!(iso_date("9999-12-31").is_some());
        for wrong in [
            "2027-02-30",
            "2027-02-29",
            "2026-13-01",
            "2026-00-10",
            "2026-11-00",
            "2026-2-3",
            "2026-11-6",
            "26-11-2026",
            "20261126",
            "+002026-11-26",
            "2026-11-26T10:00",
            "2026-+1-01",
            " 2026-11-26",
            "2026-11-26 ",
            "",
        ] {
            assert!(iso_date(wrong).is_none(), "{wrong} passed");
        }
    }
}
