//! Templates: a template folder's schema and its handlebars Markdown, loaded into one
//! registry per language (a built-in template's partials built from the form they were
//! compiled to at build time, [`precompiled`], a user's compiled on every core), and filled
//! from validated [`Terms`] into the document model ([`fill`]). Owns the helpers
//! ([`helpers`]), the catalogue of templates ([`catalog`]), the signature block built from
//! the terms ([`signatures`]) and the layout file the render stage compiles
//! ([`Template::layout`]). Term values reach the Markdown sealed ([`crate::model::sealed`]),
//! so they are never read as Markdown. Knows nothing about compiling Typst.

pub mod catalog;
pub mod fill;
pub mod helpers;
pub mod letterheads;
pub mod own;
pub mod packs;
pub mod precompiled;
pub mod signatures;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use handlebars::Handlebars;
use indexmap::IndexMap;
use rayon::prelude::*;
use serde::Deserialize;
use sha2::{Digest, Sha256};

pub use crate::model::{Layout, Mode};
pub use catalog::{Catalog, SourceFile};

use crate::diagnostic::{Diagnostic, Kind, Location};
use crate::model::Words;
use crate::model::sealed::{self, seal};
use crate::terms::structure::Structure;
use crate::terms::{Schema, Spec};

/// Every template's manifest: its description, terms schema and structure.
pub const MANIFEST: &str = "template.yaml";

/// The Typst layout every template's documents are set with (plain Typst reading the model).
pub const LAYOUT: &str = "shared/layout.typ";

/// A loaded template, ready to fill.
pub struct Template {
    pub name: String,
    pub description: String,
    pub schema: Schema,
    /// Every file the template is built from (own and shared), sorted by path.
    pub files: Vec<SourceFile>,
    /// The languages the template's text is written in (its `clauses/<language>/` folders);
    /// empty when it has none, and then its one text serves whatever language the terms name.
    pub languages: Vec<String>,
    /// One handlebars registry per language (key `""` when the template has no language folders),
    /// compiled the first time a document in that language is filled: compiling every partial
    /// of every language costs more than checking a terms file, and most documents use one.
    registries: BTreeMap<String, OnceLock<Result<Handlebars<'static>, Diagnostic>>>,
    /// The layout's words and text settings per language (`shared/words/<lang>.yaml`).
    pub words: BTreeMap<String, Words>,
    /// How the text names the parties by default (`template.yaml`'s `parties_called`).
    pub parties_called: Option<String>,
    /// The words again, shared with the helpers of every registry.
    helper_words: helpers::AllWords,
    /// The language-neutral files, compiled once and shared by every language's registry.
    neutral: OnceLock<Result<Vec<(String, handlebars::Template)>, Diagnostic>>,
    /// [`Template::hash`], once worked out.
    hash: OnceLock<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    description: String,
    terms: IndexMap<String, Spec>,
    /// The parts of its documents, in order.
    articles: Structure,
    /// How the text names the parties when neither `parties_called` nor their kinds say;
    /// without it, by the legal status (binding: the Parties, else the Participants).
    #[serde(default)]
    parties_called: Option<String>,
}

/// The partial names form `name`'s declared parts are written by (`establishment`,
/// `shared/costs`), read from its `template.yaml`; none when it cannot be read.
pub(crate) fn part_files(catalog: &Catalog, name: &str) -> Vec<String> {
    catalog
        .get(&format!("{name}/{MANIFEST}"))
        .and_then(|f| f.data::<Manifest>().ok())
        .map(|m| {
            m.articles
                .entries
                .iter()
                .map(|e| e.file().to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// The partial name of the file at `rel` for form `template` in language `lang`, if it is one
/// of that form's files in that language or in none (`party-noun`, `shared/costs`).
pub(crate) fn partial_in(template: &str, rel: &str, lang: &str) -> Option<String> {
    let known = [lang.to_string()];
    match partial_name(template, rel, &known)? {
        (Some(l), name) if l == lang => Some(name),
        (None, name) if !rel.contains(&format!("/{lang}/")) && !is_language_folder(rel) => {
            Some(name)
        }
        _ => None,
    }
}

/// Whether `rel` lies in a language folder of some clauses folder (`…/clauses/<lang>/…`).
fn is_language_folder(rel: &str) -> bool {
    rel.split_once("clauses/")
        .is_some_and(|(_, rest)| rest.contains('/'))
}

impl Template {
    /// Load template `name` from the catalogue.
    pub fn load(catalog: &Catalog, name: &str) -> Result<Self, Diagnostic> {
        let manifest_rel = format!("{name}/{MANIFEST}");
        let manifest_file = catalog.get(&manifest_rel).ok_or_else(|| {
            Diagnostic::new(
                Kind::UnknownTemplate,
                name,
                format!("unknown template `{name}`"),
            )
        })?;
        let manifest: Manifest = manifest_file.data().map_err(|e| {
            let d = Diagnostic::new(Kind::TemplateError, &manifest_file.label, e.to_string());
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
            Diagnostic::new(
                Kind::TemplateError,
                "templates/shared/types.yaml",
                "missing",
            )
        })?;
        let known = catalog.languages();
        let own = format!("{name}/");
        let files: Vec<SourceFile> = catalog
            .under(&own)
            .chain(catalog.under("shared/"))
            .cloned()
            .collect();
        let mut languages: Vec<String> = Vec::new();
        for file in &files {
            if let Some((Some(lang), _)) = partial_name(name, &file.rel, &known)
                && file.rel.starts_with(&own)
                && !languages.contains(&lang)
            {
                languages.push(lang);
            }
        }
        languages.sort_by_key(|l| known.iter().position(|k| k == l));
        // A text may be written in the languages this form has text in (all that have words,
        // for a form without language folders).
        let written_in = if languages.is_empty() {
            known.clone()
        } else {
            languages.clone()
        };
        let schema = Schema::build(
            &shared.label,
            &shared.text,
            shared.json,
            &manifest_file.label,
            manifest.terms,
            manifest.articles,
            &written_in,
        )
        .map_err(|e| Diagnostic::new(Kind::TemplateError, e.file, e.message))?;

        let mut words = BTreeMap::new();
        for file in &files {
            if let Some(lang) = file
                .rel
                .strip_prefix("shared/words/")
                .and_then(|f| f.strip_suffix(".yaml"))
            {
                let w: Words = file.data().map_err(|e| {
                    let d = Diagnostic::new(Kind::TemplateError, &file.label, e.to_string());
                    match e.location() {
                        Some(l) => d.at(Location::of_line_column(&file.text, l.line(), l.column())),
                        None => d,
                    }
                })?;
                words.insert(lang.to_string(), w);
            }
        }
        name_each_other(&mut words);
        if !files.iter().any(|f| f.rel == LAYOUT) {
            return Err(Diagnostic::new(
                Kind::TemplateError,
                format!("templates/{LAYOUT}"),
                "missing",
            ));
        }
        let keys: Vec<String> = if languages.is_empty() {
            vec![String::new()]
        } else {
            languages.clone()
        };
        let registries = keys.into_iter().map(|k| (k, OnceLock::new())).collect();
        let mut files = files;
        files.sort_by(|a, b| a.rel.cmp(&b.rel));
        let template = Self {
            name: name.to_string(),
            description: manifest.description,
            schema,
            files,
            languages,
            registries,
            parties_called: manifest.parties_called,
            helper_words: std::sync::Arc::new(words.clone()),
            words,
            neutral: OnceLock::new(),
            hash: OnceLock::new(),
        };
        template.check_parts(&manifest_file.label, &manifest_file.text)?;
        Ok(template)
    }

    /// Every declared part has its file in every language the template is written in.
    fn check_parts(&self, label: &str, manifest: &str) -> Result<(), Diagnostic> {
        let languages: Vec<&str> = if self.languages.is_empty() {
            vec![""]
        } else {
            self.languages.iter().map(String::as_str).collect()
        };
        for entry in &self.schema.structure.entries {
            for lang in &languages {
                if self.file_of_partial(entry.file(), lang).is_none() {
                    let d = Diagnostic::new(
                        Kind::TemplateError,
                        label,
                        format!(
                            "the part `{}` has no file `{}` in {}",
                            entry.id,
                            entry.file(),
                            if lang.is_empty() {
                                "the template"
                            } else {
                                lang
                            }
                        ),
                    )
                    .with_hint(format!(
                        "write clauses/{lang}/{}.hbs (or name its file with `file:`)",
                        entry.file()
                    ));
                    let at = manifest.find(&format!("id: {}", entry.id));
                    return Err(match at {
                        Some(at) => d.at(Location::of_bytes(manifest, at..at + 4 + entry.id.len())),
                        None => d,
                    });
                }
            }
        }
        Ok(())
    }

    /// Compile the registries of several languages not compiled yet at the same time, after
    /// the shared language-neutral files: compiling partials is most of what a fill costs
    /// (handlebars' parser finds each token's line by counting from the start of its file).
    /// Every language's files are compiled together as jobs of the one thread pool (Typst's);
    /// each registry is then put together on this thread. No job waits on a lock or on
    /// another job, so no pool thread ever blocks (a batch compiles from several threads).
    fn compile_at_once(&self, languages: &[String]) {
        let cold: Vec<&str> = languages
            .iter()
            .map(String::as_str)
            .filter(|l| self.registries.get(*l).is_some_and(|c| c.get().is_none()))
            .collect();
        if cold.len() < 2 {
            return;
        }
        let own: Vec<Vec<(String, &SourceFile)>> =
            cold.iter().map(|lang| self.own_files(lang)).collect();
        let all: Vec<(String, &SourceFile)> = own.iter().flatten().cloned().collect();
        let mut compiled = compile_all(&all).into_iter();
        for (lang, own) in cold.into_iter().zip(own) {
            let compiled: Vec<_> = compiled.by_ref().take(own.len()).collect();
            if let Some(cell) = self.registries.get(lang) {
                let _ = cell.get_or_init(|| self.assemble(&own, compiled));
            }
        }
    }

    /// The registry that writes `lang`: its own, or the language-neutral one of a template
    /// without language folders (compiled on first use; a syntax error in its files is the
    /// error). `None` when the template is not written in `lang`.
    fn registry(&self, lang: &str) -> Option<Result<&Handlebars<'static>, Diagnostic>> {
        let (key, cell) = self
            .registries
            .get_key_value(lang)
            .or_else(|| self.registries.get_key_value(""))?;
        let compiled = cell.get_or_init(|| {
            let own = self.own_files(key);
            let compiled = compile_all(&own);
            self.assemble(&own, compiled)
        });
        Some(compiled.as_ref().map_err(Clone::clone))
    }

    /// A language's own files (`""`: none), each with the name handlebars calls it by.
    fn own_files(&self, lang: &str) -> Vec<(String, &SourceFile)> {
        let known: Vec<String> = self.helper_words.keys().cloned().collect();
        self.files
            .iter()
            .filter_map(|f| match partial_name(&self.name, &f.rel, &known) {
                Some((Some(l), name)) if l == lang => Some((name, f)),
                _ => None,
            })
            .collect()
    }

    /// A language's registry from its own files, compiled (the language-neutral files are
    /// compiled once, on first use).
    fn assemble(
        &self,
        own: &[(String, &SourceFile)],
        compiled: Vec<Result<handlebars::Template, Diagnostic>>,
    ) -> Result<Handlebars<'static>, Diagnostic> {
        let neutral = self
            .neutral
            .get_or_init(|| neutral(&self.name, &self.files, &self.known(), compile))
            .as_ref()
            .map_err(Clone::clone)?;
        registry(neutral, &self.helper_words, own, compiled)
    }

    /// The file `name` rendered with `registry` (that of `lang`). Built-in templates are built
    /// from their compiled form, which has no line numbers: an error in one is rendered again
    /// from the files' text, which fails the same way and says where.
    fn render_named(
        &self,
        registry: &Handlebars<'static>,
        lang: &str,
        name: &str,
        data: &handlebars::Context,
    ) -> Result<String, handlebars::RenderError> {
        registry.render_with_context(name, data).or_else(|e| {
            if e.line_no.is_some() {
                return Err(e);
            }
            match self.registry_from_text(lang) {
                Ok(from_text) => from_text.render_with_context(name, data),
                Err(_) => Err(e),
            }
        })
    }

    /// The registry of `lang` compiled from its files' text, each element's line and column
    /// included (made only to locate an error, and not kept).
    fn registry_from_text(&self, lang: &str) -> Result<Handlebars<'static>, Diagnostic> {
        let key = if self.registries.contains_key(lang) {
            lang
        } else {
            ""
        };
        let neutral = neutral(&self.name, &self.files, &self.known(), compile_text)?;
        let own = self.own_files(key);
        let compiled = own.iter().map(|(name, f)| compile_text(name, f)).collect();
        registry(&neutral, &self.helper_words, &own, compiled)
    }

    /// A short hash of every file the template is built from (for manifests and caching;
    /// worked out once: a batch records it for every copy).
    pub fn hash(&self) -> String {
        self.hash
            .get_or_init(|| {
                let mut h = Sha256::new();
                for f in &self.files {
                    h.update(f.rel.as_bytes());
                    h.update([0]);
                    h.update(f.text.as_bytes());
                    h.update([0]);
                }
                hex(&h.finalize())
            })
            .clone()
    }

    /// The files of this template read from a templates folder, not built in (path under the
    /// templates root, text): what a copy carries so that it verifies where that folder is not.
    pub fn files_on_disk(&self) -> impl Iterator<Item = (&str, &str)> {
        (self.files.iter())
            .filter(|f| f.on_disk)
            .map(|f| (f.rel.as_str(), f.text.as_str()))
    }

    /// The Typst layout's text and the label diagnostics name it by.
    pub fn layout(&self) -> (&str, &str) {
        self.files
            .iter()
            .find(|f| f.rel == LAYOUT)
            .map_or(("", ""), |f| (f.text.as_str(), f.label.as_str()))
    }

    /// The text written in `language`: its clauses (`clauses/<language>/`) and its words
    /// (`words/<language>.yaml`). With the terms, it is most of what a document prints.
    pub fn text_in<'a>(&'a self, language: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.files
            .iter()
            .filter(move |f| {
                f.rel
                    .split('/')
                    .any(|part| part == language || part.strip_suffix(".yaml") == Some(language))
            })
            .map(|f| f.text.as_str())
    }

    /// The text of one of this template's files, by the label diagnostics use.
    pub fn file_text(&self, label: &str) -> Option<&str> {
        self.files
            .iter()
            .find(|f| f.label == label)
            .map(|f| f.text.as_str())
    }

    /// The languages there are words for: the language folders a template may have.
    fn known(&self) -> Vec<String> {
        self.words.keys().cloned().collect()
    }

    /// The file a partial name stands for in `lang` (its language folder first).
    fn file_of_partial(&self, partial: &str, lang: &str) -> Option<&SourceFile> {
        let named = |want: Option<&str>| {
            self.files.iter().find(|f| {
                partial_name(&self.name, &f.rel, &self.known())
                    .is_some_and(|(l, p)| p == partial && l.as_deref() == want)
            })
        };
        named(Some(lang)).or_else(|| named(None))
    }
}
/// The language-neutral files (the layout, shared partials), compiled.
fn neutral(
    template: &str,
    files: &[SourceFile],
    known: &[String],
    compile: fn(&str, &SourceFile) -> Result<handlebars::Template, Diagnostic>,
) -> Result<Vec<(String, handlebars::Template)>, Diagnostic> {
    files
        .iter()
        .filter_map(|f| match partial_name(template, &f.rel, known) {
            Some((None, name)) => Some((name, f)),
            _ => None,
        })
        .map(|(name, file)| compile(&name, file).map(|t| (name, t)))
        .collect()
}

/// One file compiled as the handlebars template `name`: a built-in file built from the form
/// build.rs compiled it to (no parsing), any other from its text.
fn compile(name: &str, file: &SourceFile) -> Result<handlebars::Template, Diagnostic> {
    let built = file
        .compiled
        .filter(|_| std::env::var_os("PACTUM_MEASURE_NO_FORMS").is_none())
        .and_then(|json| serde_json::from_str(json).ok())
        .and_then(|form| precompiled::template(&form, name));
    match built {
        Some(template) => Ok(template),
        None => compile_text(name, file),
    }
}

/// One file compiled from its text as the handlebars template `name`; a syntax error points
/// at its line.
fn compile_text(name: &str, file: &SourceFile) -> Result<handlebars::Template, Diagnostic> {
    handlebars::Template::compile_with_name(&file.text, name.to_string()).map_err(|e| {
        let d = Diagnostic::new(
            Kind::TemplateError,
            &file.label,
            format!("handlebars: {}", e.reason()),
        );
        match e.pos() {
            Some((line, col)) => d.at(Location::of_line_column(&file.text, line, col)),
            None => d,
        }
    })
}

/// Files compiled in order, each alone, as jobs on every core (the global pool, which Typst
/// starts for its layout anyway). A job only compiles: it never waits on anything.
fn compile_all(files: &[(String, &SourceFile)]) -> Vec<Result<handlebars::Template, Diagnostic>> {
    files
        .par_iter()
        .map(|(name, file)| compile(name, file))
        .collect()
}

/// A handlebars registry for one language (`""`: the language-neutral files only): the
/// language-neutral partials (compiled once, see [`neutral`]), then that
/// language's own partials, registered in file order so that the first broken file is the one
/// reported.
fn registry(
    neutral: &[(String, handlebars::Template)],
    words: &helpers::AllWords,
    own: &[(String, &SourceFile)],
    compiled: Vec<Result<handlebars::Template, Diagnostic>>,
) -> Result<Handlebars<'static>, Diagnostic> {
    let mut registry = Handlebars::new();
    registry.set_strict_mode(true);
    // Every `{{value}}` is sealed: Markdown sees one opaque word, the model gets the text back.
    registry.register_escape_fn(|value| seal(value, sealed::Kind::Text));
    helpers::register(&mut registry, words);
    for (name, compiled) in neutral {
        registry.register_template(name, compiled.clone());
    }
    for ((name, _), template) in own.iter().zip(compiled) {
        registry.register_template(name, template?);
    }
    Ok(registry)
}

/// The handlebars name of a template file, with the language folder it sits in (if any):
/// `<clause>` or `shared/<name>`. `clauses/sv/costs.hbs` is `costs` in Swedish.
fn partial_name(template: &str, rel: &str, known: &[String]) -> Option<(Option<String>, String)> {
    let stem = |s: &str| {
        s.strip_suffix(".md.hbs")
            .or_else(|| s.strip_suffix(".hbs"))
            .map(str::to_string)
    };
    let in_language = |rest: &str| match rest.split_once('/') {
        Some((lang, name)) if known.iter().any(|k| k == lang) => {
            stem(name).map(|n| (Some(lang.to_string()), n))
        }
        _ => stem(rest).map(|n| (None, n)),
    };
    if let Some(rest) = rel.strip_prefix(&format!("{template}/clauses/")) {
        return in_language(rest);
    }
    if let Some(rest) = rel.strip_prefix("shared/clauses/") {
        return in_language(rest).map(|(l, n)| (l, format!("shared/{n}")));
    }
    if let Some(rest) = rel.strip_prefix("shared/") {
        return stem(rest)
            .filter(|s| !s.contains('/'))
            .map(|s| (None, format!("shared/{s}")));
    }
    None
}

/// Lower-case hex of a digest.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Each language's words completed with the names other languages give themselves
/// (`named_in`), where they do not name that language already.
fn name_each_other(words: &mut BTreeMap<String, Words>) {
    let given: Vec<(String, String, String)> = (words.iter())
        .flat_map(|(lang, w)| {
            (w.named_in.iter())
                .map(move |(other, name)| (other.clone(), lang.clone(), name.clone()))
        })
        .collect();
    for (other, lang, name) in given {
        if let Some(w) = words.get_mut(&other) {
            w.languages.entry(lang).or_insert(name);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A render error in a built-in template (built from its compiled form, which has no line
    /// numbers) still names the line: it is found again from the file's text.
    #[test]
    fn a_render_error_in_a_built_in_template_names_its_line() {
        let template = Template::load(&Catalog::builtin(), "thematic-partnership").unwrap();
        let registry = template.registry("en").unwrap().unwrap();
        let empty = serde_json::json!({});
        let bare = registry.render("purpose", &empty).unwrap_err();
        assert_eq!(bare.line_no, None, "built from the compiled form: {bare:?}");
        let e = template
            .render_named(registry, "en", "purpose", &handlebars::Context::from(empty))
            .unwrap_err();
        assert!(e.line_no.is_some() && e.column_no.is_some(), "{e:?}");
        assert_eq!(e.reason().to_string(), bare.reason().to_string());
    }

    /// build.rs gives every built-in YAML file a JSON form; each must read, as what it is, to
    /// exactly what its YAML reads to (else a template would change with the way it is read).
    #[test]
    fn built_in_yaml_reads_the_same_from_its_json() {
        let catalog = Catalog::builtin();
        let yaml = catalog.clone().without_json();
        let names = catalog.names();
        assert!(names.len() >= 3, "{names:?}");
        for name in &names {
            let manifest = catalog.get(&format!("{name}/template.yaml")).unwrap();
            let json = manifest
                .json
                .expect("a built-in template.yaml has a JSON form");
            serde_json::from_str::<Manifest>(json).expect("its JSON reads as a manifest");
            let (a, b) = (
                Template::load(&catalog, name).unwrap(),
                Template::load(&yaml, name).unwrap(),
            );
            assert_eq!(
                format!("{:?}", a.schema),
                format!("{:?}", b.schema),
                "{name}"
            );
            assert_eq!(a.words, b.words, "{name}");
            assert_eq!(a.description, b.description, "{name}");
            assert_eq!(a.parties_called, b.parties_called, "{name}");
        }
        let words = catalog.under("shared/words/").collect::<Vec<_>>();
        assert!(words.len() >= 4);
        for file in words {
            let json = file.json.expect("a built-in words file has a JSON form");
            serde_json::from_str::<Words>(json).expect("its JSON reads as words");
        }
        let types = catalog.get("shared/types.yaml").unwrap();
        assert!(types.json.is_some());
    }
}
