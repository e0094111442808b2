//! The terms schema a template declares: each term's name, type, whether it is required, its
//! default and a one-line description. Parsed from the template's `template.yaml` plus the
//! named types and common terms in `shared/types.yaml`; named types are resolved here, once,
//! so validation only ever sees concrete specs.

use indexmap::IndexMap;
use serde::Deserialize;

/// One term's declaration, as written in YAML.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    #[serde(rename = "type")]
    pub ty: String,
    #[serde(default)]
    pub required: bool,
    /// A required field that is not required when its sibling fields have these values
    /// (`unless: {signs: false}`).
    #[serde(default)]
    pub unless: Option<IndexMap<String, serde_json::Value>>,
    #[serde(default)]
    pub default: Option<serde_json::Value>,
    #[serde(default)]
    pub description: String,
    /// Allowed values of an `enum`.
    #[serde(default)]
    pub values: Vec<String>,
    #[serde(default)]
    pub min: Option<i64>,
    #[serde(default)]
    pub max: Option<i64>,
    #[serde(default)]
    pub min_length: Option<usize>,
    /// Element type of a `list`.
    #[serde(default)]
    pub items: Option<Box<Spec>>,
    #[serde(default)]
    pub min_items: Option<usize>,
    /// Fields of an `object`.
    #[serde(default)]
    pub fields: IndexMap<String, Spec>,
    /// An example value for starter files (`pactum new`).
    #[serde(default)]
    pub example: Option<serde_json::Value>,
}

/// The built-in types; anything else names a type from `shared/types.yaml`.
pub const BUILTIN_TYPES: &[&str] = &[
    "text", "integer", "boolean", "date", "enum", "list", "object",
];

/// A template's full terms schema: top-level terms in declaration order.
#[derive(Debug, Clone)]
pub struct Schema {
    pub terms: IndexMap<String, Spec>,
    /// The languages a text may be written in: those with words (`shared/words/<lang>.yaml`).
    pub languages: Vec<String>,
    /// The parts the template's documents are made of, in order.
    pub structure: super::structure::Structure,
}

/// An enum whose `values` are this one string takes the languages pactum has words for, so
/// that a new language is a folder and a words file, not an edit of every schema.
pub const LANGUAGES_VALUE: &str = "{languages}";

/// `shared/types.yaml`: terms every template has, and named types.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SharedTypes {
    #[serde(default)]
    common: IndexMap<String, Spec>,
    #[serde(default)]
    types: IndexMap<String, Spec>,
}

/// A schema problem: these are template bugs, not user errors.
#[derive(Debug, thiserror::Error)]
#[error("{file}: {message}")]
pub struct SchemaError {
    pub file: String,
    pub message: String,
}

impl Schema {
    /// Build a template's schema from the shared types file (its YAML, and for the built-in
    /// file the same data as JSON, which reads faster) and the template's own terms, for texts
    /// in `languages`.
    pub fn build(
        shared_file: &str,
        shared_yaml: &str,
        shared_json: Option<&str>,
        template_file: &str,
        own: IndexMap<String, Spec>,
        structure: super::structure::Structure,
        languages: &[String],
    ) -> Result<Self, SchemaError> {
        let from_json = shared_json.and_then(|json| serde_json::from_str(json).ok());
        let shared: SharedTypes = match from_json {
            Some(shared) => shared,
            None => serde_yaml_ng::from_str(shared_yaml).map_err(|e| SchemaError {
                file: shared_file.into(),
                message: e.to_string(),
            })?,
        };
        let mut terms = IndexMap::new();
        for (name, spec) in shared.common.into_iter().chain(own) {
            let spec = resolve(spec, &shared.types, 0).map_err(|message| SchemaError {
                file: template_file.into(),
                message: format!("term `{name}`: {message}"),
            })?;
            terms.insert(name, with_languages(spec, languages));
        }
        for entry in &structure.entries {
            if !super::structure::is_id(&entry.id) {
                return Err(SchemaError {
                    file: template_file.into(),
                    message: format!(
                        "article `{}`: not an id (lower-case letters, digits, hyphens)",
                        entry.id
                    ),
                });
            }
            if let Some(term) = entry.needs.iter().find(|t| !terms.contains_key(*t)) {
                return Err(SchemaError {
                    file: template_file.into(),
                    message: format!("article `{}` needs `{term}`, which is no term", entry.id),
                });
            }
        }
        Ok(Self {
            terms,
            languages: languages.to_vec(),
            structure,
        })
    }
}

/// `spec` with every enum of [`LANGUAGES_VALUE`] given the languages.
fn with_languages(mut spec: Spec, languages: &[String]) -> Spec {
    if spec.ty == "enum" && spec.values == [LANGUAGES_VALUE] {
        spec.values = languages.to_vec();
    }
    spec.items = spec
        .items
        .take()
        .map(|i| Box::new(with_languages(*i, languages)));
    spec.fields = std::mem::take(&mut spec.fields)
        .into_iter()
        .map(|(k, f)| (k, with_languages(f, languages)))
        .collect();
    spec
}

fn resolve(mut spec: Spec, types: &IndexMap<String, Spec>, depth: usize) -> Result<Spec, String> {
    if depth > 16 {
        return Err("named types refer to each other in a cycle".into());
    }
    if !BUILTIN_TYPES.contains(&spec.ty.as_str()) {
        let named = types
            .get(&spec.ty)
            .ok_or_else(|| format!("unknown type `{}`", spec.ty))?
            .clone();
        let mut base = resolve(named, types, depth + 1)?;
        base.required = spec.required;
        base.unless = spec.unless;
        if !spec.description.is_empty() {
            base.description = spec.description;
        }
        if spec.default.is_some() {
            base.default = spec.default;
        }
        if spec.example.is_some() {
            base.example = spec.example;
        }
        return Ok(base);
    }
    if spec.ty == "enum" && spec.values.is_empty() {
        return Err("an enum needs `values`".into());
    }
    if let Some(items) = spec.items.take() {
        spec.items = Some(Box::new(resolve(*items, types, depth + 1)?));
    } else if spec.ty == "list" {
        return Err("a list needs `items`".into());
    }
    let fields = std::mem::take(&mut spec.fields);
    for (name, field) in fields {
        let field = resolve(field, types, depth + 1).map_err(|m| format!("field `{name}`: {m}"))?;
        spec.fields.insert(name, field);
    }
    Ok(spec)
}

impl Spec {
    /// A short human name of the type, for messages ("text", "a list of party").
    pub fn type_name(&self) -> String {
        match self.ty.as_str() {
            "list" => match &self.items {
                Some(items) => format!("a list of {}", items.type_name()),
                None => "a list".into(),
            },
            "object" => "a mapping".into(),
            "enum" => format!("one of {}", self.values.join(", ")),
            "date" => "a date (YYYY-MM-DD)".into(),
            other => other.into(),
        }
    }
}

/// One row of a schema outline: a term or field, flattened with its path.
#[derive(Debug, Clone, serde::Serialize)]
pub struct OutlineRow {
    /// `parties[].representative.name`
    pub path: String,
    #[serde(rename = "type")]
    pub type_name: String,
    pub required: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<serde_json::Value>,
    pub description: String,
}

impl Schema {
    /// Every term and nested field, depth first, in declaration order.
    pub fn outline(&self) -> Vec<OutlineRow> {
        let mut rows = Vec::new();
        for (name, spec) in &self.terms {
            outline(name.clone(), spec, &mut rows);
        }
        rows
    }
}

fn outline(path: String, spec: &Spec, rows: &mut Vec<OutlineRow>) {
    rows.push(OutlineRow {
        path: path.clone(),
        type_name: spec.type_name(),
        required: spec.required,
        default: spec.default.clone(),
        description: spec.description.clone(),
    });
    let (prefix, fields) = match (spec.ty.as_str(), &spec.items) {
        ("list", Some(items)) => (format!("{path}[]"), &items.fields),
        _ => (path, &spec.fields),
    };
    for (name, field) in fields {
        outline(format!("{prefix}.{name}"), field, rows);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The built-in `shared/types.yaml` is read from its JSON form (build.rs), not the YAML.
    #[test]
    fn built_in_shared_types_read_from_json() {
        let catalog = crate::template::Catalog::builtin();
        let types = catalog.get("shared/types.yaml").unwrap();
        let json = types.json.expect("the built-in types file has a JSON form");
        let shared: SharedTypes = serde_json::from_str(json).expect("its JSON reads as types");
        let yaml: SharedTypes = serde_yaml_ng::from_str(&types.text).unwrap();
        assert_eq!(format!("{shared:?}"), format!("{yaml:?}"));
        assert!(!shared.common.is_empty() && !shared.types.is_empty());
    }
}
