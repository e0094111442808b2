//! The catalogue of templates: the built-in ones embedded at build time (each YAML file with
//! a JSON form of its data, which reads faster, and each handlebars file with its compiled
//! form, see [`super::precompiled`]), plus folders the user adds. Resolves a template name to
//! its files, refusing names that could leave the templates folder.

use crate::diagnostic::Kind;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::terms::validate::suggestion;

include!(concat!(env!("OUT_DIR"), "/builtin_templates.rs"));

/// One template source file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// Path under the templates root, `/`-separated (`sister-city/clauses/en/fields.hbs`).
    pub rel: String,
    /// How diagnostics name it (`templates/sister-city/clauses/en/fields.hbs`, or a real path).
    pub label: String,
    pub text: String,
    /// For a built-in YAML file, its data as JSON (made by build.rs; see [`SourceFile::data`]).
    pub json: Option<&'static str>,
    /// For a built-in handlebars file, its compiled form (made by build.rs; see
    /// [`super::precompiled`]).
    pub compiled: Option<&'static str>,
    /// Read from a templates folder (`--templates`), not built in: a copy rendered with it
    /// carries it (see [`crate::provenance`]).
    pub on_disk: bool,
}

impl SourceFile {
    /// The data of a YAML file: a built-in file's from the JSON made of it at build time (ten
    /// times faster to read), any other's, or where the JSON does not fit `T`, from the YAML
    /// (whose errors carry a line and column).
    pub fn data<T: serde::de::DeserializeOwned>(&self) -> Result<T, serde_yaml_ng::Error> {
        if let Some(value) = self.json.and_then(|json| serde_json::from_str(json).ok()) {
            return Ok(value);
        }
        serde_yaml_ng::from_str(&self.text)
    }
}

/// All known template files, by path under the templates root.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    files: BTreeMap<String, SourceFile>,
    /// Real folders of templates that came from disk (for images and other assets).
    dirs: BTreeMap<String, PathBuf>,
}

impl Catalog {
    /// The templates built into this binary.
    pub fn builtin() -> Self {
        let files = BUILTIN
            .iter()
            .map(|(rel, text, json, compiled)| {
                let file = SourceFile {
                    rel: rel.to_string(),
                    label: format!("templates/{rel}"),
                    text: text.to_string(),
                    json: *json,
                    compiled: *compiled,
                    on_disk: false,
                };
                (rel.to_string(), file)
            })
            .collect();
        Self {
            files,
            dirs: BTreeMap::new(),
        }
    }

    /// The same files with no JSON beside the YAML (every YAML file read as YAML).
    #[cfg(test)]
    pub(crate) fn without_json(mut self) -> Self {
        for file in self.files.values_mut() {
            file.json = None;
        }
        self
    }

    /// Add (or override) templates from a folder laid out like `templates/`.
    pub fn add_dir(&mut self, dir: &Path) -> Result<(), Diagnostic> {
        let label = dir.display().to_string();
        if !dir.is_dir() {
            return Err(Diagnostic::new(
                Kind::Io,
                label,
                "templates folder not found",
            ));
        }
        let mut found = Vec::new();
        walk(dir, dir, &mut found).map_err(|e| {
            Diagnostic::new(Kind::Io, &label, format!("cannot read templates: {e}"))
        })?;
        for (rel, path) in found {
            let text = std::fs::read_to_string(&path).map_err(|e| {
                Diagnostic::new(
                    Kind::Io,
                    path.display().to_string(),
                    format!("cannot read: {e}"),
                )
            })?;
            if let Some((name, _)) = rel.split_once('/') {
                self.dirs.insert(name.to_string(), dir.join(name));
            }
            // A file the same as pactum's own stays pactum's own (and is not carried).
            if self.files.get(&rel).is_some_and(|own| own.text == text) {
                continue;
            }
            let file = SourceFile {
                rel: rel.clone(),
                label: path.display().to_string(),
                text,
                json: None,
                compiled: None,
                on_disk: true,
            };
            self.files.insert(rel, file);
        }
        Ok(())
    }

    /// Names of all templates (folders holding a `template.yaml`), sorted.
    pub fn names(&self) -> Vec<String> {
        self.files
            .keys()
            .filter_map(|rel| rel.strip_suffix("/template.yaml"))
            .filter(|name| !name.contains('/'))
            .map(str::to_string)
            .collect()
    }

    /// The file at `rel`, if any.
    pub fn get(&self, rel: &str) -> Option<&SourceFile> {
        self.files.get(rel)
    }

    /// Files under a folder (`sister-city/` or `shared/`), sorted.
    /// The languages there are words for (`shared/words/<lang>.yaml`): pactum's own in their
    /// order, then any a templates folder adds.
    pub fn languages(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .under("shared/words/")
            .filter_map(|f| f.rel.strip_prefix("shared/words/")?.strip_suffix(".yaml"))
            .map(str::to_string)
            .collect();
        let rank = |l: &String| {
            crate::terms::LANGUAGES
                .iter()
                .position(|k| k == l)
                .unwrap_or(usize::MAX)
        };
        out.sort_by(|a, b| rank(a).cmp(&rank(b)).then(a.cmp(b)));
        out.dedup();
        out
    }

    pub fn under<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = &'a SourceFile> + 'a {
        self.files
            .range(prefix.to_string()..)
            .take_while(move |(k, _)| k.starts_with(prefix))
            .map(|(_, f)| f)
    }

    /// The real folder of a template loaded from disk.
    pub fn dir(&self, name: &str) -> Option<&Path> {
        self.dirs.get(name).map(PathBuf::as_path)
    }

    /// Check a template name: it must be a plain folder name that exists.
    /// The template `name`, named in `file` (a terms file's `template`) or on the command line.
    pub fn resolve(&self, name: &str, file: Option<&str>) -> Result<String, Diagnostic> {
        let plain = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && name != "shared";
        let names = self.names();
        if plain && names.iter().any(|n| n == name) {
            return Ok(name.to_string());
        }
        let known: Vec<&str> = names.iter().map(String::as_str).collect();
        let hint = match suggestion(name, &known) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("known templates: {}", known.join(", ")),
        };
        let message = if plain {
            format!("unknown template `{name}`")
        } else {
            format!(
                "`{name}` is not a template name (names are lower-case letters, digits and `-`)"
            )
        };
        let d = Diagnostic::general(Kind::UnknownTemplate, message).with_hint(hint);
        Err(match file {
            Some(file) => d.in_file(file).at_path("template"),
            None => d,
        })
    }
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, PathBuf)>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            walk(root, &path, out)?;
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "hbs" | "typ")
        ) {
            let rel = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            out.push((rel, path));
        }
    }
    Ok(())
}
