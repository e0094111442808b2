//! Templates: a template folder's schema and handlebars sources, loaded into a registry that
//! fills validated [`Terms`] into Typst source. Owns the escaping rule ([`escape`]), the
//! helpers ([`helpers`]), the catalogue of templates ([`catalog`]), mapping a line of filled
//! source back to its template file ([`locate`]) and the text a reader sees per article
//! ([`clauses`]). Knows nothing about compiling Typst.

pub mod catalog;
pub mod clauses;
pub mod escape;
pub mod helpers;
pub mod locate;

use handlebars::Handlebars;
use indexmap::IndexMap;
use serde::Deserialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

pub use catalog::{Catalog, SourceFile};

use crate::diagnostic::{Diagnostic, Location};
use crate::terms::{Schema, Spec, Terms};

/// The main handlebars file of every template.
pub const MAIN: &str = "agreement.typ.hbs";

/// Draft copies carry a DRAFT marking and the round; final copies are for signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Draft,
    Final,
}

/// A loaded template, ready to fill.
pub struct Template {
    pub name: String,
    pub description: String,
    pub schema: Schema,
    /// Every file the template is built from (own and shared), sorted by path.
    pub files: Vec<SourceFile>,
    registry: Handlebars<'static>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    description: String,
    terms: IndexMap<String, Spec>,
}

impl Template {
    /// Load template `name` from the catalogue.
    pub fn load(catalog: &Catalog, name: &str) -> Result<Self, Diagnostic> {
        let manifest_rel = format!("{name}/template.yaml");
        let manifest_file = catalog.get(&manifest_rel).ok_or_else(|| {
            Diagnostic::new(
                "unknown-template",
                name,
                format!("unknown template `{name}`"),
            )
        })?;
        let manifest: Manifest = serde_yaml_ng::from_str(&manifest_file.text).map_err(|e| {
            let d = Diagnostic::new("template-error", &manifest_file.label, e.to_string());
            match e.location() {
                Some(l) => d.at(Location::of_line_column(
                    &manifest_file.text,
                    l.line(),
                    l.column(),
                )),
                None => d,
            }
        })?;
        let shared = catalog.get("shared/types.yaml").ok_or_else(|| {
            Diagnostic::new("template-error", "templates/shared/types.yaml", "missing")
        })?;
        let schema = Schema::build(
            &shared.label,
            &shared.text,
            &manifest_file.label,
            manifest.terms,
        )
        .map_err(|e| Diagnostic::new("template-error", e.file, e.message))?;

        let mut registry = Handlebars::new();
        registry.set_strict_mode(true);
        registry.register_escape_fn(escape::markup);
        helpers::register(&mut registry);
        let own = format!("{name}/");
        let files: Vec<SourceFile> = catalog
            .under(&own)
            .chain(catalog.under("shared/"))
            .cloned()
            .collect();
        for file in &files {
            let Some(partial) = partial_name(name, &file.rel) else {
                continue;
            };
            refuse_raw_output(file)?;
            registry
                .register_template_string(&partial, &file.text)
                .map_err(|e| {
                    let d = Diagnostic::new(
                        "template-error",
                        &file.label,
                        format!("handlebars: {}", e.reason()),
                    );
                    match e.pos() {
                        Some((line, col)) => d.at(Location::of_line_column(&file.text, line, col)),
                        None => d,
                    }
                })?;
        }
        if registry.get_template("agreement").is_none() {
            return Err(Diagnostic::new(
                "template-error",
                format!("templates/{name}/{MAIN}"),
                "missing",
            ));
        }
        let mut files = files;
        files.sort_by(|a, b| a.rel.cmp(&b.rel));
        Ok(Self {
            name: name.to_string(),
            description: manifest.description,
            schema,
            files,
            registry,
        })
    }

    /// Fill the template with validated terms, producing one self-contained Typst source.
    /// `copy_for` names the party whose execution copy this is (counterparts), if any.
    pub fn fill(
        &self,
        terms: &Terms,
        mode: Mode,
        copy_for: Option<&str>,
    ) -> Result<String, Diagnostic> {
        let mut data = terms.value.clone();
        if let Value::Object(map) = &mut data {
            map.insert(
                "doc".into(),
                json!({
                    "draft": mode == Mode::Draft,
                    "final": mode == Mode::Final,
                    "round": terms.round(),
                    "date": terms.date(),
                    "lang": terms.value.get("language").cloned().unwrap_or(json!("en")),
                    "template": self.name,
                    "label": terms.label(),
                    "copy_for": copy_for,
                }),
            );
        }
        self.registry.render("agreement", &data).map_err(|e| {
            let label = e
                .template_name
                .as_deref()
                .and_then(|t| self.file_of_partial(t))
                .map_or_else(
                    || format!("templates/{}/{MAIN}", self.name),
                    |f| f.label.clone(),
                );
            let mut d = Diagnostic::new(
                "template-error",
                &label,
                format!("handlebars: {}", e.reason()),
            );
            if let (Some(line), Some(col), Some(file)) = (
                e.line_no,
                e.column_no,
                e.template_name
                    .as_deref()
                    .and_then(|t| self.file_of_partial(t)),
            ) {
                d = d.at(Location::of_line_column(&file.text, line, col));
            }
            d
        })
    }

    /// A short hash of every file the template is built from (for manifests and caching).
    pub fn hash(&self) -> String {
        let mut h = Sha256::new();
        for f in &self.files {
            h.update(f.rel.as_bytes());
            h.update([0]);
            h.update(f.text.as_bytes());
            h.update([0]);
        }
        hex(&h.finalize())
    }

    /// The text of one of this template's files, by the label diagnostics use.
    pub fn file_text(&self, label: &str) -> Option<&str> {
        self.files
            .iter()
            .find(|f| f.label == label)
            .map(|f| f.text.as_str())
    }

    fn file_of_partial(&self, partial: &str) -> Option<&SourceFile> {
        self.files
            .iter()
            .find(|f| partial_name(&self.name, &f.rel).as_deref() == Some(partial))
    }
}

/// The handlebars name of a template file: `agreement`, `<clause>` or `shared/<name>`.
fn partial_name(template: &str, rel: &str) -> Option<String> {
    let stem = |s: &str| {
        s.strip_suffix(".typ.hbs")
            .or_else(|| s.strip_suffix(".hbs"))
            .map(str::to_string)
    };
    if rel == format!("{template}/{MAIN}") {
        return Some("agreement".into());
    }
    if let Some(rest) = rel.strip_prefix(&format!("{template}/clauses/")) {
        return stem(rest);
    }
    if let Some(rest) = rel.strip_prefix("shared/clauses/") {
        return stem(rest).map(|s| format!("shared/{s}"));
    }
    if let Some(rest) = rel.strip_prefix("shared/") {
        return stem(rest)
            .filter(|s| !s.contains('/'))
            .map(|s| format!("shared/{s}"));
    }
    None
}

/// Triple-stash and `{{&…}}` print a value without escaping: the one way a term could become
/// Typst code. Templates may not use them.
fn refuse_raw_output(file: &SourceFile) -> Result<(), Diagnostic> {
    let at = file.text.find("{{{").or_else(|| file.text.find("{{&"));
    match at {
        Some(i) => Err(Diagnostic::new(
            "template-error",
            &file.label,
            "unescaped output (`{{{…}}}` or `{{&…}}`) is not allowed: term values must stay text",
        )
        .at(Location::of_bytes(&file.text, i..i + 3))
        .with_hint("use `{{value}}` in markup or `{{str value}}` inside Typst code")),
        None => Ok(()),
    }
}

/// Lower-case hex of a digest.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
