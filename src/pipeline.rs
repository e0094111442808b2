//! The stages composed: a terms file is read and validated (terms), filled into the document
//! model (template → model) and written in a format ([`crate::write`]; a PDF is typeset with
//! the template's layout by the render stage's engine, chosen here for the fonts the text
//! needs). Commands, diff and batch all go through here, so a terms file means the same thing
//! everywhere. Problems come back as a [`Report`] naming files, lines and terms.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use crate::diagnostic::{Diagnostic, Kind, Location, Report};
use crate::model;
use crate::provenance::{self, Provenance};
use crate::render::{Engine, FontSources, FontUse, Problem};
use crate::template::{Catalog, Mode, Template};
use crate::terms::settings::{CopyId, Overrides};
use crate::terms::{self, Terms};
use crate::write::pdf::{self, Attached, Press, Rendered};
use crate::write::{self, Failed, Format, Job, Written};

/// How long one document may compile unless `--timeout` says otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(120);

/// Shared state for turning terms files into documents.
pub struct Pipeline {
    pub catalog: Catalog,
    /// `languages` for terms that do not give them (pactum.toml).
    default_languages: Option<Vec<String>>,
    /// `--layout`: overrides the terms' `layout`.
    layout: Option<model::Layout>,
    /// `--keep-comments`: copies carry the terms file as it is.
    keep_comments: bool,
    templates: Mutex<HashMap<String, Arc<Template>>>,
    /// Where fonts beyond pactum's own come from.
    font_sources: FontSources,
    /// pactum's own fonts only: what Latin-script and Chinese documents need (loads in
    /// milliseconds, the same on every machine).
    engine: OnceLock<Arc<Engine>>,
    /// pactum's own fonts, then the font folders: scanned the first time a document needs
    /// a character pactum's fonts lack.
    extended: OnceLock<Arc<Engine>>,
    /// How long one document's Typst compile may take.
    timeout: Duration,
}

/// A terms file that passed validation, with its template.
#[derive(Clone)]
pub struct Loaded {
    pub terms: Terms,
    pub template: Arc<Template>,
    /// What was applied to the terms from outside them.
    pub overrides: Overrides,
}

impl Loaded {
    /// The copies to produce: one; for a final copy of terms with `counterparts: true`, one
    /// per party (named by its short name), each stating whose original it is; for a final
    /// copy with `originals: {per_language: true}`, one per language (and party). `language`
    /// (`render --language`) keeps that language's copies only.
    pub fn copies(&self, mode: Mode, language: Option<&str>) -> Vec<CopyId> {
        let settings = &self.terms.settings;
        let languages: Vec<Option<String>> = match language {
            Some(lang) => vec![Some(lang.to_string())],
            None if mode == Mode::Final && settings.per_language => {
                settings.languages.iter().cloned().map(Some).collect()
            }
            None => vec![None],
        };
        // Named by their short names in the first language version.
        let mut parties: Vec<Option<String>> = Vec::new();
        if mode == Mode::Final && settings.counterparts {
            parties = (settings.short_names.iter())
                .filter_map(|names| names.first().filter(|n| !n.is_empty()))
                .map(|name| Some(name.clone()))
                .collect();
        }
        if parties.is_empty() {
            parties.push(None);
        }
        languages
            .iter()
            .flat_map(|language| {
                parties.iter().map(|party| CopyId {
                    party: party.clone(),
                    language: language.clone(),
                })
            })
            .collect()
    }
}

/// The PDF file name of a round's copy: `round-3.pdf`, `round-3-final.pdf`,
/// `round-3-final-sv.pdf` (a language's original), `round-3-final-malmo.pdf` (a counterpart),
/// `round-3-final-sv-malmo.pdf` (both).
pub fn pdf_name(label: &str, mode: Mode, copy: &CopyId) -> String {
    let mut name = label.to_string();
    if mode == Mode::Final {
        name.push_str("-final");
    }
    if let Some(lang) = &copy.language {
        name.push('-');
        name.push_str(lang);
    }
    if let Some(party) = &copy.party {
        name.push('-');
        name.push_str(&slug(party));
    }
    name + ".pdf"
}

/// A file-name-safe form of a party name: transliterated to ASCII by [`deunicode`] (`Malmö`
/// → `malmo`, `Bodø` → `bodo`, `臺南` → `tai-nan`), lower-case letters and digits with single
/// `-` between words. A name with nothing deunicode can write (private-use characters)
/// gets a stable `party-<hash>`.
fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in deunicode::deunicode_with_tofu(s, " ").chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        let hash = crate::template::hex(&<sha2::Sha256 as sha2::Digest>::digest(s.as_bytes()));
        format!("party-{}", &hash[..8])
    } else {
        out
    }
}

impl Pipeline {
    pub fn new(catalog: Catalog) -> Self {
        Self {
            catalog,
            default_languages: None,
            layout: None,
            keep_comments: false,
            templates: Mutex::default(),
            font_sources: FontSources {
                system: true,
                ..FontSources::default()
            },
            engine: OnceLock::new(),
            extended: OnceLock::new(),
            timeout: DEFAULT_TIMEOUT,
        }
    }

    /// The same settings over another catalogue, with its own templates and engines (`verify`
    /// with the templates a PDF carries).
    pub fn with_catalog(&self, catalog: Catalog) -> Self {
        Self::new(catalog)
            .with_default_languages(self.default_languages.clone())
            .with_layout(self.layout)
            .with_keep_comments(self.keep_comments)
            .with_font_sources(self.font_sources.clone())
            .with_timeout(self.timeout)
    }

    /// Use `languages` for terms files that do not set them.
    pub fn with_default_languages(mut self, languages: Option<Vec<String>>) -> Self {
        self.default_languages = languages;
        self
    }

    /// Lay several languages out this way, whatever the terms say (`--layout`).
    pub fn with_layout(mut self, layout: Option<model::Layout>) -> Self {
        self.layout = layout;
        self
    }

    /// Attach the terms with their comments (`--keep-comments`).
    pub fn with_keep_comments(mut self, keep: bool) -> Self {
        self.keep_comments = keep;
        self
    }

    /// The same pipeline over another catalogue (templates edited on disk): the settings and
    /// the loaded fonts carried over, the templates read again. Typst's memo cache is the
    /// process's, so what did not change is not laid out again.
    pub fn reloaded(&self, catalog: Catalog) -> Pipeline {
        let carry = |lock: &OnceLock<Arc<Engine>>| {
            let out = OnceLock::new();
            if let Some(engine) = lock.get() {
                let _ = out.set(engine.clone());
            }
            out
        };
        Pipeline {
            catalog,
            default_languages: self.default_languages.clone(),
            layout: self.layout,
            keep_comments: self.keep_comments,
            templates: Mutex::default(),
            font_sources: self.font_sources.clone(),
            engine: carry(&self.engine),
            extended: carry(&self.extended),
            timeout: self.timeout,
        }
    }

    /// Look for fonts beyond the embedded set here.
    pub fn with_font_sources(mut self, sources: FontSources) -> Self {
        self.font_sources = sources;
        self
    }

    /// The fonts beyond the embedded set.
    pub fn font_sources(&self) -> &FontSources {
        &self.font_sources
    }

    /// Give each document's Typst compile at most `timeout`.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The Typst engine with pactum's own fonts (loaded on first use).
    pub fn engine(&self) -> &Arc<Engine> {
        self.engine.get_or_init(|| Arc::new(Engine::default()))
    }

    /// Text holding the characters a copy of `loaded` most likely prints: its terms and the
    /// template's text in its languages. Enough to tell which faces it needs before it is
    /// filled (see [`Engine::warm`]).
    pub fn font_sample(&self, loaded: &Loaded) -> String {
        let mut sample = loaded.terms.text.clone();
        for language in loaded.terms.languages() {
            sample.extend(loaded.template.text_in(&language));
        }
        sample
    }

    /// The engine for `source`: pactum's own fonts when they cover all its characters, else
    /// those followed by the font folders' faces (scanned once, on first need).
    pub fn engine_for(&self, source: &str) -> &Arc<Engine> {
        let base = self.engine();
        if base.covers(source) {
            return base;
        }
        self.extended
            .get_or_init(|| Arc::new(Engine::new(&self.font_sources)))
    }

    /// Write a document model that is not an agreement's copy (a redline) in `format`, a PDF
    /// with `template`'s layout and compiled the way every agreement is: the engine whose
    /// fonts cover it, and the time limit. Nothing is attached. `before`: the older round's
    /// document (where a moved article stood).
    pub fn write_redline(
        &self,
        template: &Template,
        doc: &model::Document,
        before: &model::Document,
        date: Option<&str>,
        ident: &str,
        format: Format,
    ) -> Result<Written, Report> {
        let job = Job {
            template,
            press: self.press(doc, template, date, ident, false),
            attached: None,
            date,
            before: Some(before),
            terms_path: None,
        };
        write::write(format, doc, &job).map_err(|failed| match failed {
            Failed::Pdf(pdf::Failed::Typst { problems, source }) => {
                typst_report(&problems, &source, template)
            }
            Failed::Pdf(pdf::Failed::Layout(d)) => d.into(),
            Failed::Docx(e) => {
                Diagnostic::general(Kind::Output, format!("the redline cannot be written: {e}"))
                    .into()
            }
        })
    }

    /// How a document is compiled: the engine whose fonts cover its text, the time limit, and
    /// the template's folder as the only one its layout may read.
    fn press<'a>(
        &'a self,
        doc: &'a model::Document,
        template: &Template,
        date: Option<&str>,
        ident: &'a str,
        pdf_a: bool,
    ) -> Press<'a> {
        Press {
            engine: self.engine_for(&model::plain::document(doc)),
            timeout: self.timeout,
            date: date.and_then(parse_date),
            ident,
            pdf_a,
            folder: self.catalog.dir(&template.name),
            han: pdf::han_family(doc),
        }
    }

    /// A template by name, loaded once.
    pub fn template(&self, name: &str) -> Result<Arc<Template>, Diagnostic> {
        let mut cache = self.templates.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(t) = cache.get(name) {
            return Ok(t.clone());
        }
        let template = Arc::new(Template::load(&self.catalog, name)?);
        cache.insert(name.to_string(), template.clone());
        Ok(template)
    }

    /// Read a terms file and validate it against its template's schema, with what this run
    /// sets from outside the terms (`--layout`, `languages` from pactum.toml) applied first.
    pub fn load(&self, path: &Path) -> Result<Loaded, Report> {
        self.load_with(path, |raw, template| {
            let given = raw
                .root
                .as_mapping()
                .is_some_and(|m| m.get_node("languages").is_some());
            let mut languages = None;
            if let Some(defaults) = &self.default_languages
                && !given
            {
                let offered = &template.languages;
                if let Some(lang) = defaults
                    .iter()
                    .find(|l| !offered.is_empty() && !offered.contains(l))
                {
                    let d = Diagnostic::new(
                        Kind::Config,
                        crate::config::FILE,
                        format!(
                            "`languages` lists `{lang}`, a language template `{}` is not written in",
                            template.name
                        ),
                    );
                    return Err(d.into());
                }
                languages = Some(defaults.clone());
            }
            Ok(Overrides {
                languages,
                layout: self.layout,
                keep_comments: self.keep_comments,
            })
        })
    }

    /// Read a terms file and validate it with `overrides` (a PDF's record's) applied first,
    /// whatever this run sets.
    pub fn load_overridden(&self, path: &Path, overrides: Overrides) -> Result<Loaded, Report> {
        self.load_with(path, |_, _| Ok(overrides.clone()))
    }

    fn load_with(
        &self,
        path: &Path,
        overrides: impl FnOnce(&terms::RawTerms, &Template) -> Result<Overrides, Report>,
    ) -> Result<Loaded, Report> {
        let raw = terms::source::read(path)?;
        let in_file = |d: Vec<Diagnostic>| Report::in_file(d, &raw.file, &raw.text);
        let name = terms::template_name(&raw).map_err(|d| in_file(vec![d]))?;
        let name = self
            .catalog
            .resolve(&name, Some(&raw.file))
            .map_err(|d| in_file(vec![locate_key(d, &raw, "template")]))?;
        let template = self.template(&name)?;
        let overrides = overrides(&raw, &template)?;
        let terms =
            terms::check(&raw, path, &name, &template.schema, &overrides).map_err(in_file)?;
        Ok(Loaded {
            terms,
            template,
            overrides,
        })
    }

    /// Fill a loaded terms file into the document model.
    pub fn fill(&self, loaded: &Loaded, mode: Mode) -> Result<model::Document, Report> {
        self.fill_copy(loaded, mode, &CopyId::whole())
    }

    /// The parity findings of a terms file (see [`crate::parity`]): each a `warning[parity]`
    /// at the terms line of the value that differs. Those in a part the terms accept
    /// (`parity: {accept: …}`) are left out.
    pub fn parity(&self, loaded: &Loaded) -> Result<Vec<Diagnostic>, Report> {
        // One version has nothing to agree with: nothing is filled.
        if loaded.terms.languages().len() < 2 {
            return Ok(Vec::new());
        }
        let doc = (loaded.template)
            .fill_text(&loaded.terms)
            .map_err(|d| self.fill_error(d, loaded))?;
        Ok(parity_findings(loaded, &doc))
    }

    /// Fill one copy (which party's and which language's, see [`CopyId`]); a final copy refuses
    /// placeholders.
    pub fn fill_copy(
        &self,
        loaded: &Loaded,
        mode: Mode,
        copy: &CopyId,
    ) -> Result<model::Document, Report> {
        if mode == Mode::Final {
            let problems = terms::placeholders::find(&loaded.terms);
            if !problems.is_empty() {
                return Err(Report::in_file(
                    problems,
                    &loaded.terms.file,
                    &loaded.terms.text,
                ));
            }
        }
        let doc = loaded
            .template
            .fill(&loaded.terms, mode, copy)
            .map_err(|d| self.fill_error(d, loaded))?;
        // A final copy refuses versions that differ where the terms accept no difference;
        // one language's copy is checked against the whole agreement.
        if mode == Mode::Final {
            let findings = if copy.language.is_none() {
                parity_findings(loaded, &doc)
            } else {
                self.parity(loaded)?
            };
            if !findings.is_empty() {
                return Err(Report::in_file(
                    findings,
                    &loaded.terms.file,
                    &loaded.terms.text,
                ));
            }
        }
        Ok(doc)
    }

    /// Fill and compile to PDF.
    pub fn render(&self, loaded: &Loaded, mode: Mode) -> Result<Rendered, Report> {
        self.render_copy(loaded, mode, &CopyId::whole())
    }

    /// Fill and compile one copy (see [`CopyId`]).
    pub fn render_copy(
        &self,
        loaded: &Loaded,
        mode: Mode,
        copy: &CopyId,
    ) -> Result<Rendered, Report> {
        let doc = self.fill_copy(loaded, mode, copy)?;
        self.compile(loaded, &doc, mode, copy)
    }

    /// What a PDF of this copy records about how it was made, given its fonts.
    pub fn provenance(
        &self,
        loaded: &Loaded,
        mode: Mode,
        copy: &CopyId,
        fonts: Vec<FontUse>,
    ) -> Provenance {
        let terms = &loaded.terms;
        let name = terms
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        Provenance {
            format: provenance::FORMAT,
            pactum: env!("CARGO_PKG_VERSION").to_string(),
            agreement: terms.agreement(),
            round: terms.label(),
            terms: provenance::attachment_name(&name),
            terms_comments: if loaded.overrides.keep_comments {
                "kept"
            } else {
                "removed"
            }
            .to_string(),
            terms_sha256: crate::batch::manifest::sha256(
                &terms.attached(loaded.overrides.keep_comments),
            ),
            template: loaded.template.name.clone(),
            template_hash: loaded.template.hash(),
            mode: mode.as_str().to_string(),
            copy: copy.clone(),
            fonts,
            // Known once the fonts are: the writer fills them in.
            carried_fonts: Default::default(),
            overrides: loaded.overrides.clone(),
            assets: (terms.assets.iter())
                .map(|a| (a.name.clone(), crate::batch::manifest::sha256(&a.bytes)))
                .collect(),
            templates: (loaded.template.files_on_disk())
                .map(|(rel, text)| {
                    (
                        rel.to_string(),
                        crate::batch::manifest::sha256(text.as_bytes()),
                    )
                })
                .collect(),
            parity_accepted: terms.settings.parity_accepted.clone(),
        }
    }

    /// The self-contained Typst source of a copy, reading its model from `model_file` beside
    /// it, with the terms and a record naming `fonts` written inline: what `--emit typ`
    /// writes before compiling (see [`Rendered::typst`]).
    pub fn emitted(
        &self,
        loaded: &Loaded,
        mode: Mode,
        copy: &CopyId,
        fonts: Vec<FontUse>,
        model_file: &str,
    ) -> Result<String, Report> {
        let record = |fonts| self.provenance(loaded, mode, copy, fonts);
        let terms = loaded.terms.attached(loaded.overrides.keep_comments);
        let templates = provenance::templates_file(loaded.template.files_on_disk());
        let attached = attached(loaded, &terms, &templates, &record);
        Ok(pdf::emitted(
            &loaded.template,
            model_file,
            &attached,
            fonts,
        )?)
    }

    /// The fonts a document is expected to use before it is laid out (see
    /// [`Engine::likely_fonts`]).
    pub fn likely_fonts(&self, doc: &model::Document) -> Vec<FontUse> {
        let text = model::plain::document(doc);
        self.engine_for(&text).likely_fonts(&text)
    }

    /// Compile a copy's document model to PDF with the template's layout, the terms and the
    /// provenance record attached.
    pub fn compile(
        &self,
        loaded: &Loaded,
        doc: &model::Document,
        mode: Mode,
        copy: &CopyId,
    ) -> Result<Rendered, Report> {
        match self.write_copy(loaded, doc, mode, copy, Format::Pdf)? {
            Written::Pdf(rendered) => Ok(rendered),
            Written::File(_) => unreachable!("a PDF was asked for"),
        }
    }

    /// Write one copy of an agreement in `format`: a PDF carries the terms, the letterheads
    /// and the record of what made it (see [`pdf::write`]); a final copy is PDF/A.
    pub fn write_copy(
        &self,
        loaded: &Loaded,
        doc: &model::Document,
        mode: Mode,
        copy: &CopyId,
        format: Format,
    ) -> Result<Written, Report> {
        let ident = format!("{}/{}", loaded.terms.agreement(), loaded.terms.label());
        let record = |fonts| self.provenance(loaded, mode, copy, fonts);
        let terms = loaded.terms.attached(loaded.overrides.keep_comments);
        let templates = provenance::templates_file(loaded.template.files_on_disk());
        let date = loaded.terms.date();
        let job = Job {
            template: &loaded.template,
            press: self.press(doc, &loaded.template, date, &ident, mode == Mode::Final),
            attached: Some(attached(loaded, &terms, &templates, &record)),
            date,
            before: None,
            terms_path: Some(&loaded.terms.path),
        };
        write::write(format, doc, &job).map_err(|failed| match failed {
            Failed::Pdf(pdf::Failed::Typst { problems, source }) => {
                self.compile_report(loaded, problems, &source, pdf::han_family(doc))
            }
            Failed::Pdf(pdf::Failed::Layout(d)) => d.into(),
            Failed::Docx(e) => Diagnostic::new(Kind::Output, &loaded.terms.file, e).into(),
        })
    }

    /// What Typst refused in a copy: errors in the layout point at its lines; a layout that
    /// prints text over text, and characters no font has, are said about the terms.
    fn compile_report(
        &self,
        loaded: &Loaded,
        problems: Vec<Problem>,
        source: &str,
        han: Option<&str>,
    ) -> Report {
        let (missing, others): (Vec<Problem>, Vec<Problem>) =
            problems.into_iter().partition(|p| !p.missing.is_empty());
        let (layout, others): (Vec<Problem>, Vec<Problem>) =
            others.into_iter().partition(|p| !p.clashes.is_empty());
        let mut report = typst_report(&others, source, &loaded.template);
        for p in layout {
            let d = Diagnostic::new(Kind::Layout, &loaded.terms.file, &p.message);
            report.diagnostics.push(d.with_hint(p.hints.join("; ")));
        }
        if let Some(p) = missing.first() {
            let d = Diagnostic::new(Kind::MissingFont, &loaded.terms.file, &p.message);
            report.diagnostics.push(d.with_hint(p.hints.join("; ")));
            report
                .diagnostics
                .extend(missing_in_terms(p, &loaded.terms, han));
            let text = loaded.terms.text.clone();
            report.sources.insert(loaded.terms.file.clone(), text);
        }
        report
    }

    /// A fill error with the source it is in: a term's (at its line, when it names the term
    /// and no line) or the template file's.
    fn fill_error(&self, d: Diagnostic, loaded: &Loaded) -> Report {
        let terms = &loaded.terms;
        if d.file.as_deref() != Some(terms.file.as_str()) {
            return self.with_template_source(d, &loaded.template);
        }
        let node = (d.location.is_none())
            .then(|| {
                d.path
                    .as_deref()
                    .and_then(|p| terms::node_at(&terms.root, p))
            })
            .flatten();
        let d = match node.and_then(|n| terms::source::node_location(&terms.text, n)) {
            Some(location) => d.at(location),
            None => d,
        };
        Report::in_file(vec![d], &terms.file, &terms.text)
    }

    fn with_template_source(&self, d: Diagnostic, template: &Template) -> Report {
        let file = d.file.clone().unwrap_or_default();
        match template.file_text(&file) {
            Some(text) => Report::in_file(vec![d], &file, text),
            None => d.into(),
        }
    }
}

/// Point a diagnostic about a top-level key at that key's value in the terms file.
fn locate_key(d: Diagnostic, raw: &terms::RawTerms, key: &str) -> Diagnostic {
    let node = raw.root.as_mapping().and_then(|m| m.get_node(key));
    match node.and_then(|n| terms::source::node_location(&raw.text, n)) {
        Some(loc) => d.at(loc),
        None => d,
    }
}

/// The parity findings of `doc`, filled from `loaded`, that the terms do not accept, each at
/// the terms line of the value that differs.
fn parity_findings(loaded: &Loaded, doc: &model::Document) -> Vec<Diagnostic> {
    let terms = &loaded.terms;
    let accepted = &terms.settings.parity_accepted;
    crate::parity::check(
        doc,
        &loaded.template.words,
        &party_names(terms, &loaded.template.words),
    )
        .into_iter()
        .filter(|f| !accepted.iter().any(|a| a.article == f.unit))
        .map(|f| {
            let mut d = Diagnostic::new(Kind::Parity, &terms.file, &f.message).with_hint(format!(
                "make the {} version say what the others say, or accept the difference: \
                 `parity: {{accept: [{{article: {}, reason: …}}]}}` (a final copy is refused until then)",
                f.odd, f.unit
            ));
            if let Some((path, location)) = parity_location(&f, terms) {
                d = d.at_path(path).at(location);
            }
            d
        })
        .collect()
}

/// Each party's official and short names in each language, as the parity check reads them:
/// with the forms the party gives for that language's cases, and, in a language that declines
/// names (its words give `name_forms`), each name's stem too ("Ostród" finds "Ostródę").
fn party_names(
    terms: &Terms,
    words: &std::collections::BTreeMap<String, model::Words>,
) -> crate::parity::Names {
    let parties = terms
        .value
        .get("parties")
        .and_then(serde_json::Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let squash = terms::squash;
    let names = parties
        .iter()
        .map(|party| {
            (terms.settings.languages.iter())
                .map(|lang| {
                    let mut names: Vec<String> = ["official_name", "short_name"]
                        .iter()
                        .filter_map(|key| {
                            let v = terms::in_language(party.get(*key)?, lang);
                            v.as_str().map(squash)
                        })
                        .filter(|s| !s.is_empty())
                        .collect();
                    let forms = (party.get("forms").and_then(serde_json::Value::as_array))
                        .into_iter()
                        .flatten()
                        .filter(|f| {
                            f.get("language").and_then(serde_json::Value::as_str) == Some(lang)
                        })
                        .flat_map(|f| f.as_object().into_iter().flatten())
                        .filter(|(k, _)| k.as_str() != "language")
                        .filter_map(|(_, v)| terms::in_language(v, lang).as_str().map(squash));
                    names.extend(forms.collect::<Vec<_>>());
                    let declines = words
                        .get(lang)
                        .is_some_and(|w| !w.name_forms.cases.is_empty());
                    if declines {
                        let stems: Vec<String> = (names.iter())
                            .filter(|n| n.chars().count() > 4)
                            .map(|n| {
                                let mut stem = n.clone();
                                stem.pop();
                                stem
                            })
                            .collect();
                        names.extend(stems);
                    }
                    (lang.clone(), names)
                })
                .collect()
        })
        .collect();
    crate::parity::Names { parties: names }
}

/// Where in the terms a parity finding points: the odd version's text that says it, else the
/// odd version's value beside the one that says what it lacks, else the part's own article.
fn parity_location(f: &crate::parity::Finding, terms: &Terms) -> Option<(String, Location)> {
    // The value in `lang` that says `surface`: of several, the one that shares most of the
    // part's text (the part is in it, or it is the most of the part).
    let in_lang = |lang: &str, surface: &str, context: &str| {
        let suffix = format!(".{lang}");
        let (surface, context) = (squeezed(surface), squeezed(context));
        let mut found: Option<(String, marked_yaml::Node, usize)> = None;
        terms::each_text(&terms.root, &mut |path, node, text| {
            if !path.ends_with(&suffix) {
                return;
            }
            let text = squeezed(text);
            if text.contains(&surface) {
                let shared = if text.contains(&context) {
                    context.len()
                } else if context.contains(&text) {
                    text.len()
                } else {
                    0
                };
                if found.as_ref().is_none_or(|f| shared > f.2) {
                    found = Some((path.to_string(), node.clone(), shared));
                }
            }
        });
        found.map(|(path, node, _)| (path, node))
    };
    if let Some(surface) = &f.surface
        && let Some((path, node)) = in_lang(&f.odd, surface, &f.context)
    {
        return Some((path, text_at(&terms.text, &node, surface)?));
    }
    if let Some((lang, surface, context)) = &f.evidence
        && let Some((path, _)) = in_lang(lang, surface, context)
    {
        let sibling = format!("{}.{}", &path[..path.len() - lang.len() - 1], f.odd);
        if let Some(node) = terms::node_at(&terms.root, &sibling) {
            return Some((sibling, terms::source::node_location(&terms.text, node)?));
        }
    }
    // The part is an article of the terms' own: its text in the odd language, or the article.
    let articles = terms.root.as_mapping()?.get_sequence("articles")?;
    let i = articles.iter().position(|a| {
        a.as_mapping()
            .and_then(|m| m.get_scalar("id"))
            .is_some_and(|id| id.as_str() == f.unit)
    })?;
    for path in [
        format!("articles[{i}].text.{}", f.odd),
        format!("articles[{i}].text"),
        format!("articles[{i}]"),
    ] {
        if let Some(node) = terms::node_at(&terms.root, &path) {
            return Some((path, terms::source::node_location(&terms.text, node)?));
        }
    }
    None
}

/// `s` with every run of ASCII whitespace one space (as the text is printed).
fn squeezed(s: &str) -> String {
    terms::squash(s)
}

/// Where `surface` starts in the terms file inside `node`'s text (its first word), else the
/// node.
fn text_at(text: &str, node: &marked_yaml::Node, surface: &str) -> Option<Location> {
    let at = terms::source::node_location(text, node)?;
    let end = node.span().end().map_or(text.len(), |m| {
        Location::of_line_column(text, m.line(), m.column())
            .bytes
            .start
            .max(at.bytes.start)
    });
    let word = surface.split_whitespace().next().unwrap_or(surface);
    match text.get(at.bytes.start..end).and_then(|hay| hay.find(word)) {
        Some(i) => {
            let start = at.bytes.start + i;
            Some(Location::of_bytes(text, start..start + word.len()))
        }
        None => Some(at),
    }
}

/// How many terms holding an uncovered character are pointed at (the rest are alike).
const MISSING_SHOWN: usize = 5;

/// For a document refused over characters no font covers: the first few terms that hold
/// them (one per script's font at least), each at its place in the terms file.
fn missing_in_terms(problem: &Problem, terms: &Terms, han: Option<&str>) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = Vec::new();
    let mut fonts_named: Vec<String> = Vec::new();
    for c in &problem.missing {
        let (font, package) = crate::render::fonts::suggestion(*c, han);
        if out.len() >= MISSING_SHOWN && fonts_named.contains(&font) {
            continue;
        }
        let mut found = None;
        terms::each_text(&terms.root, &mut |path, node, text| {
            if found.is_none() && text.contains(*c) {
                found = Some((path.to_string(), node.clone()));
            }
        });
        let Some((path, node)) = found else { continue };
        if out.iter().any(|d| d.path.as_deref() == Some(path.as_str())) {
            continue;
        }
        fonts_named.push(font.clone());
        let mut d = Diagnostic::new(
            Kind::MissingFont,
            &terms.file,
            format!("no font can show `{c}` (U+{:04X}) in `{path}`", *c as u32),
        )
        .at_path(&path)
        .with_hint(format!(
            "install {font} (Debian/Ubuntu: `apt install {package}`) or pass --font-path DIR"
        ));
        if let Some(loc) = terms::source::node_location(&terms.text, &node) {
            d = d.at(loc);
        }
        out.push(d);
    }
    out
}

/// Typst errors, each at its line of the layout (the compiled source is the layout line for
/// line; what follows it, the attachments, is pactum's own).
pub fn typst_report(problems: &[Problem], typst: &str, template: &Template) -> Report {
    let mut report = Report::default();
    let (layout, label) = template.layout();
    for p in problems {
        let mut d = Diagnostic::new(Kind::TypstError, label, format!("Typst: {}", p.message));
        // The compiled source and the layout differ in their first line only.
        let first = |t: &str| t.find('\n').map_or(t.len(), |i| i + 1);
        let (compiled, own) = (first(typst), first(layout));
        if let Some(range) = &p.range
            && range.start >= compiled
            && range.end - compiled + own <= layout.len()
        {
            let at = range.start - compiled + own..range.end - compiled + own;
            d = d.at(Location::of_bytes(layout, at));
            report.sources.insert(label.to_string(), layout.to_string());
        }
        if !p.hints.is_empty() {
            d = d.with_hint(p.hints.join("; "));
        }
        report.diagnostics.push(d);
    }
    report
}

/// What a copy's PDF attaches: the terms file's bytes, their letterheads and the record
/// `record` makes.
fn attached<'a>(
    loaded: &'a Loaded,
    terms: &'a [u8],
    templates: &'a [u8],
    record: &'a dyn Fn(Vec<FontUse>) -> Provenance,
) -> Attached<'a> {
    Attached {
        terms,
        assets: &loaded.terms.assets,
        templates: (loaded.template.files_on_disk().next().is_some()).then_some(templates),
        record,
    }
}

/// `YYYY-MM-DD` → (year, month, day), read as a `date` term is
/// ([`terms::validate::iso_date`]).
pub fn parse_date(iso: &str) -> Option<(i32, u8, u8)> {
    let date = terms::validate::iso_date(iso)?;
    Some((
        date.year().into(),
        date.month().try_into().ok()?,
        date.day().try_into().ok()?,
    ))
}
