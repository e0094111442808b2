//! Terms: what the parties negotiated, read from a YAML file and checked against the template's
//! declared schema before anything renders. Owns reading ([`source`]), the schema language
//! ([`schema`]), validation ([`validate`]) and where rounds live on disk ([`rounds`]). Knows
//! nothing about handlebars or Typst.

pub mod json_schema;
pub mod nesting;
pub mod placeholders;
pub mod rounds;
pub mod schema;
pub mod source;
pub mod starter;
pub mod validate;

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::diagnostic::Diagnostic;
pub use schema::{Schema, Spec};
pub use source::RawTerms;

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
    /// Template name from the `template` key.
    pub template: String,
    /// The validated terms, defaults filled, in schema order.
    pub value: Value,
}

impl Terms {
    /// The agreement this file belongs to: the name of its folder.
    pub fn agreement(&self) -> String {
        rounds::agreement_name(&self.path)
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
        self.value.get("round").and_then(Value::as_u64)
    }

    /// The document date (from the `date` term), ISO `YYYY-MM-DD`.
    pub fn date(&self) -> Option<&str> {
        self.value.get("date").and_then(Value::as_str)
    }
}

/// The template a raw terms file asks for, or a diagnostic saying it asks for none.
pub fn template_name(raw: &RawTerms) -> Result<String, Diagnostic> {
    let map = raw.root.as_mapping();
    match map.and_then(|m| m.get_scalar("template")) {
        Some(s) if !s.as_str().trim().is_empty() => Ok(s.as_str().trim().to_string()),
        _ => {
            let mut d = Diagnostic::new("missing-term", &raw.file, "the terms do not name their template")
                .at_path("template")
                .with_hint("add a first line such as `template: thematic-partnership` (see `pactum templates`)");
            if let Some(loc) = source::node_location(&raw.text, &raw.root) {
                d = d.at(loc);
            }
            Err(d)
        }
    }
}

/// Validate raw terms against a schema.
pub fn check(
    raw: &RawTerms,
    path: &Path,
    template: &str,
    schema: &Schema,
) -> Result<Terms, Vec<Diagnostic>> {
    let value = validate::validate(raw, schema)?;
    Ok(Terms {
        path: path.to_path_buf(),
        file: raw.file.clone(),
        root: raw.root.clone(),
        text: raw.text.clone(),
        template: template.to_string(),
        value,
    })
}
