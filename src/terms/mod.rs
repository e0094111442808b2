//! Terms: what the parties negotiated, read from a YAML file and checked against the template's
//! declared schema before anything renders. Owns reading ([`source`]), the schema language
//! ([`schema`]), validation ([`validate`]) and where rounds live on disk ([`rounds`]). Knows
//! nothing about handlebars or Typst.

pub mod assets;
pub mod comments;
pub mod json_schema;
pub mod nesting;
pub mod placeholders;
pub mod register;
pub mod rounds;
pub mod schema;
pub mod settings;
pub mod signers;
pub mod source;
pub mod starter;
pub mod structure;
pub mod validate;

use crate::diagnostic::Kind;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::diagnostic::Diagnostic;
pub use schema::{Schema, Spec};
pub use source::RawTerms;

/// The languages an agreement's text can be in (BCP 47 codes, as terms write them).
/// The languages pactum ships words for, in the order it lists them; a templates folder may
/// add more (`shared/words/<lang>.yaml`).
pub const LANGUAGES: &[&str] = &["en", "sv", "zh-TW", "de", "pl"];

/// The key under which validation keeps a text given per language: `{"$lang": {"sv": …}}`.
/// No term can be named so, so it never clashes with a field.
pub const LOCALIZED: &str = "$lang";

/// Validated terms, ready to fill a template.
#[derive(Debug, Clone)]
pub struct Terms {
    /// The terms file as given.
    pub path: PathBuf,
    /// How diagnostics name the file.
    pub file: String,
    /// The YAML tree with positions (to point at a term later, e.g. a placeholder).
    pub root: marked_yaml::Node,
    /// The file's text (for diagnostics and hashing).
    pub text: String,
    /// Whether the file began with a byte order mark.
    pub bom: bool,
    /// Template name from the `template` key.
    pub template: String,
    /// The validated terms, defaults filled, in schema order.
    pub value: Value,
    /// What pactum itself acts on, read from `value` once.
    pub settings: settings::Settings,
    /// The files the terms name beside themselves (letterhead images), read and checked.
    pub assets: Vec<assets::Asset>,
    /// The text without its comments, when it has any ([`comments`]): what a final copy
    /// attaches. `None` also when leaving them out would change a value.
    pub without_comments: Option<String>,
}

impl Terms {
    /// The agreement this file belongs to: the name of its folder.
    pub fn agreement(&self) -> String {
        rounds::agreement_name(&self.path)
    }

    /// The terms file byte for byte, as it was read.
    pub fn bytes(&self) -> Vec<u8> {
        let bom = if self.bom { "\u{feff}" } else { "" };
        [bom.as_bytes(), self.text.as_bytes()].concat()
    }

    /// The terms as a copy attaches them: without the file's comments (the notes a side wrote
    /// for itself: a copy goes to the other party), or with `keep_comments` byte for byte.
    pub fn attached(&self, keep_comments: bool) -> Vec<u8> {
        match (&self.without_comments, keep_comments) {
            (Some(text), false) => {
                let bom = if self.bom { "\u{feff}" } else { "" };
                [bom.as_bytes(), text.as_bytes()].concat()
            }
            _ => self.bytes(),
        }
    }

    /// The round's label: the file name without extension (`round-2`).
    pub fn label(&self) -> String {
        self.path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    }

    /// The negotiation round (from the `round` term).
    pub fn round(&self) -> Option<u64> {
        self.settings.round
    }

    /// The document date (from the `date` term), ISO `YYYY-MM-DD`.
    pub fn date(&self) -> Option<&str> {
        self.settings.date.as_deref()
    }

    /// The language versions of the text, in order (`languages`; at least one).
    pub fn languages(&self) -> Vec<String> {
        self.settings.languages.clone()
    }

    /// The terms as one language version sees them: every per-language text replaced by its
    /// text in `lang`.
    pub fn in_language(&self, lang: &str) -> Value {
        in_language(&self.value, lang)
    }
}

/// Whether `c` is whitespace that a printed value folds into one space: any but the spaces
/// typed to hold words together (no-break, narrow no-break, figure) and the ideographic space
/// of Chinese and Japanese names ("上田　健一").
pub fn collapses(c: char) -> bool {
    c.is_whitespace() && !matches!(c, '\u{a0}' | '\u{202f}' | '\u{2007}' | '\u{3000}')
}

/// `s` as it is printed: each run of folding whitespace ([`collapses`]) one space, none at
/// either end.
pub fn squash(s: &str) -> String {
    s.split(collapses)
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// `value` with every per-language text (`{"$lang": {…}}`) replaced by its text in `lang`
/// (or, should `lang` be missing, the first one given).
pub fn in_language(value: &Value, lang: &str) -> Value {
    match value {
        Value::Object(map) => match map.get(LOCALIZED).and_then(Value::as_object) {
            Some(texts) => texts
                .get(lang)
                .or_else(|| texts.values().next())
                .cloned()
                .unwrap_or(Value::Null),
            None => Value::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), in_language(v, lang)))
                    .collect(),
            ),
        },
        Value::Array(items) => Value::Array(items.iter().map(|v| in_language(v, lang)).collect()),
        other => other.clone(),
    }
}

/// The node at a term path (`articles[1].after`), if the terms have one there.
pub fn node_at<'a>(root: &'a marked_yaml::Node, path: &str) -> Option<&'a marked_yaml::Node> {
    let mut node = root;
    for part in path.split('.') {
        let (key, indices) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !key.is_empty() {
            node = node.as_mapping()?.get_node(key)?;
        }
        for index in indices.split('[').filter(|s| !s.is_empty()) {
            let i: usize = index.trim_end_matches(']').parse().ok()?;
            node = node.as_sequence()?.get(i)?;
        }
    }
    Some(node)
}

/// Visit every scalar of a terms tree with its term path (`parties[1].signatory.name`).
pub fn each_text(node: &marked_yaml::Node, visit: &mut dyn FnMut(&str, &marked_yaml::Node, &str)) {
    fn walk(
        node: &marked_yaml::Node,
        path: String,
        visit: &mut dyn FnMut(&str, &marked_yaml::Node, &str),
    ) {
        match node {
            marked_yaml::Node::Mapping(map) => {
                for (key, child) in map.iter() {
                    let child_path = if path.is_empty() {
                        key.as_str().to_string()
                    } else {
                        format!("{path}.{}", key.as_str())
                    };
                    walk(child, child_path, visit);
                }
            }
            marked_yaml::Node::Sequence(seq) => {
                for (i, child) in seq.iter().enumerate() {
                    walk(child, format!("{path}[{i}]"), visit);
                }
            }
            marked_yaml::Node::Scalar(s) => visit(&path, node, s.as_str()),
        }
    }
    walk(node, String::new(), visit);
}

/// The template a raw terms file asks for, or a diagnostic saying it asks for none.
pub fn template_name(raw: &RawTerms) -> Result<String, Diagnostic> {
    let map = raw.root.as_mapping();
    match map.and_then(|m| m.get_scalar("template")) {
        Some(s) if !s.as_str().trim().is_empty() => Ok(s.as_str().trim().to_string()),
        _ => {
            let mut d = Diagnostic::new(Kind::MissingTerm, &raw.file, "the terms do not name their template")
                .at_path("template")
                .with_hint("add a first line such as `template: thematic-partnership` (see `pactum templates`)");
            if let Some(loc) = source::node_location(&raw.text, &raw.root) {
                d = d.at(loc);
            }
            Err(d)
        }
    }
}

/// Validate raw terms against a schema, with what is set from outside them (`overrides`)
/// applied first: a text must give every language pactum.toml's `languages` lists.
pub fn check(
    raw: &RawTerms,
    path: &Path,
    template: &str,
    schema: &Schema,
    overrides: &settings::Overrides,
) -> Result<Terms, Vec<Diagnostic>> {
    let mut value = validate::validate(raw, schema, overrides.languages.as_deref())?;
    let without_comments = comments::without_comments(raw).filter(|text| {
        source::parse(raw.file.clone(), text.as_bytes().to_vec())
            .ok()
            .and_then(|r| validate::validate(&r, schema, overrides.languages.as_deref()).ok())
            .is_some_and(|v| v == value)
    });
    overrides.apply(&mut value);
    // Each problem at its term's line.
    let located = |problems: Vec<Diagnostic>| -> Vec<Diagnostic> {
        problems
            .into_iter()
            .map(|mut d| {
                d.file = Some(raw.file.clone());
                let node = d.path.as_deref().and_then(|p| node_at(&raw.root, p));
                match node.and_then(|n| source::node_location(&raw.text, n)) {
                    Some(location) => d.at(location),
                    None => d,
                }
            })
            .collect()
    };
    let problems = schema.structure.check(&value);
    if !problems.is_empty() {
        return Err(located(problems));
    }
    let folder = path.parent().unwrap_or(Path::new("."));
    let assets = assets::read(&value, folder).map_err(located)?;
    Ok(Terms {
        path: path.to_path_buf(),
        file: raw.file.clone(),
        root: raw.root.clone(),
        text: raw.text.clone(),
        bom: raw.bom,
        template: template.to_string(),
        settings: settings::Settings::read(&value),
        value,
        assets,
        without_comments,
    })
}
