//! Fill: validated terms in, the document model out. Each language version is the template's
//! Markdown filled in that language (term values sealed, see [`crate::model::sealed`]) and
//! read into the model; the title block and the one signature block are built from the terms
//! themselves; the layout's words come from `shared/words/<lang>.yaml`.

use serde_json::{Value, json};

use handlebars::Handlebars;

use super::{MANIFEST, Template, signatures};

mod origins;
use crate::diagnostic::{Diagnostic, Kind, Location};
use crate::model::{
    self, Document, Layout, Mode, Section, TitleBlock, TitleParty, Version, Words, markdown,
};
use crate::terms::Terms;
use crate::terms::settings::{CopyId, parties_called};
use crate::terms::structure::Role;

/// What one fill is for: the terms, the copy and the language versions around it.
pub(super) struct Fill<'a> {
    pub terms: &'a Terms,
    pub mode: Mode,
    pub copy: &'a CopyId,
    /// Every language of the agreement (what its text says it is written in).
    pub languages: &'a [String],
    pub layout: Layout,
}

/// The layout the terms ask for (`layout`), else parallel for two languages and consecutive
/// for three or more.
pub fn layout_of(terms: &Terms, languages: usize) -> Layout {
    if languages <= 1 {
        return Layout::Single;
    }
    match terms.settings.layout {
        Some(layout @ (Layout::Parallel | Layout::Consecutive)) => layout,
        _ if languages == 2 => Layout::Parallel,
        _ => Layout::Consecutive,
    }
}

impl Template {
    /// Fill the template with validated terms: every language version the terms ask for,
    /// arranged as they ask; of one copy (a party's counterpart, or one language's version).
    pub fn fill(&self, terms: &Terms, mode: Mode, copy: &CopyId) -> Result<Document, Diagnostic> {
        self.fill_as(terms, mode, copy, true)
    }

    /// The language versions' text alone, for comparing them ([`crate::parity`]): a draft of
    /// every version, with no term origins, signature block or letterheads.
    pub fn fill_text(&self, terms: &Terms) -> Result<Document, Diagnostic> {
        self.fill_as(terms, Mode::Draft, &CopyId::whole(), false)
    }

    /// [`Self::fill`]; with `whole` false, the versions' text only ([`Self::fill_text`]).
    fn fill_as(
        &self,
        terms: &Terms,
        mode: Mode,
        copy: &CopyId,
        whole: bool,
    ) -> Result<Document, Diagnostic> {
        let all = terms.languages();
        // The versions this copy prints: one language's, or all of them.
        let languages: Vec<String> = match &copy.language {
            Some(lang) => vec![lang.clone()],
            None => all.clone(),
        };
        let fill = Fill {
            terms,
            mode,
            copy,
            languages: &all,
            layout: layout_of(terms, languages.len()),
        };
        self.compile_at_once(&languages);
        let numbering = terms.value.get("numbering").and_then(Value::as_str);
        let mut owned: Vec<(&str, Words)> = Vec::new();
        for lang in &languages {
            let mut w = self.words(lang, terms)?.clone();
            w.roman = numbering == Some("roman");
            w.unnumbered = numbering == Some("none");
            owned.push((lang, w));
        }
        let words: Vec<(&str, &Words)> = owned.iter().map(|(l, w)| (*l, w)).collect();
        self.languages_named(&words, &all, terms)?;
        let mut versions = Vec::new();
        for (lang, w) in &words {
            versions.push(self.version(&fill, lang, w)?);
        }
        self.same_articles(&versions)?;
        // The DRAFT mark in the document's first language ("UTKAST — omgång 2").
        let footer = (mode == Mode::Draft)
            .then(|| words.first())
            .flatten()
            .map(|(_, w)| w.numbered(&w.draft, terms.round().unwrap_or(0) as u32));
        let (mut signatures, mut letterheads) = (model::Signatures::default(), Vec::new());
        if whole {
            let roc = terms.settings.calendar.as_str() == "roc";
            for (v, (code, w)) in versions.iter_mut().zip(&words) {
                let lang = super::helpers::Lang {
                    code,
                    words: w,
                    roc,
                    called: "",
                    capital: false,
                };
                let print = |iso: &str| {
                    let date = super::helpers::date(&[&Value::String(iso.to_string())], lang);
                    date.ok()?.as_str().map(str::to_string)
                };
                origins::trace_version(v, &terms.in_language(&v.lang), &print);
            }
            signatures = signatures::build(&terms.value, &words, mode == Mode::Final);
            origins::trace_signatures(&mut signatures, terms, &languages);
            letterheads = super::letterheads::build(terms, &words);
        }
        Ok(Document {
            format: model::FORMAT.to_string(),
            title: versions
                .first()
                .map(|v| model::plain::inlines(&v.title.title))
                .unwrap_or_default(),
            mode,
            layout: fill.layout,
            footer,
            letterheads,
            signatures,
            versions,
            redline: None,
        })
    }

    /// How the text names the parties: as the terms say ([`parties_called`]); else the
    /// template's default; else by the legal status (binding: the Parties, else the Participants).
    fn parties_called(&self, terms: &Value) -> String {
        if let Some(called) = parties_called(terms) {
            return called.to_string();
        }
        match &self.parties_called {
            Some(called) => called.clone(),
            None if terms.get("legal_status").and_then(Value::as_str) == Some("binding") => {
                "parties".to_string()
            }
            None => "participants".to_string(),
        }
    }

    /// The words of `lang`, or an error naming the language the template lacks.
    fn words(&self, lang: &str, terms: &Terms) -> Result<&Words, Diagnostic> {
        self.words
            .get(lang)
            .ok_or_else(|| self.not_written_in(lang, terms))
    }

    /// Each version names every language of the agreement (its final clause lists the
    /// authentic texts); a language its words do not name is an error at `languages`, not a
    /// code printed in the text.
    fn languages_named(
        &self,
        words: &[(&str, &Words)],
        all: &[String],
        terms: &Terms,
    ) -> Result<(), Diagnostic> {
        for (lang, w) in words {
            if let Some((i, other)) = (all.iter().enumerate())
                .find(|(_, o)| o.as_str() != *lang && !w.languages.contains_key(*o))
            {
                return Err(Diagnostic::new(
                    Kind::InvalidValue,
                    &terms.file,
                    format!("the {lang} words have no name for the language {other}"),
                )
                .at_path(format!("languages[{i}]"))
                .with_hint(format!(
                    "name it in {other}'s words: `named_in: {{{lang}: …}}` in \
                     shared/words/{other}.yaml (or in `languages` of shared/words/{lang}.yaml)"
                )));
            }
        }
        Ok(())
    }

    /// The template has no text (or no words) in `lang`: an error in the terms' `languages`.
    fn not_written_in(&self, lang: &str, terms: &Terms) -> Diagnostic {
        Diagnostic::new(
            Kind::InvalidValue,
            &terms.file,
            format!(
                "template `{}` has no {lang} text (it is written in {})",
                self.name,
                self.languages.join(", ")
            ),
        )
        .at_path("languages")
    }

    /// One language version: each part the structure plans for these terms, read into the
    /// model (a built-in part is its file filled in `lang`, an own part the terms' text).
    fn version(&self, fill: &Fill, lang: &str, words: &Words) -> Result<Version, Diagnostic> {
        let terms = fill.terms.in_language(lang);
        let registry = self
            .registry(lang)
            .unwrap_or_else(|| Err(self.not_written_in(lang, fill.terms)))?;
        // One context for every part: handlebars would copy the data into one per render.
        let data = handlebars::Context::from(self.data(fill, lang, &terms));
        let mut body = markdown::Body::default();
        for part in self.schema.structure.plan(&terms) {
            let built_in = |name: &str| self.render(registry, lang, name, &data);
            let written = match (&part.text, &part.file) {
                (Some(text), _) => markdown::read(&super::own::markdown(text)),
                (None, Some(file)) => markdown::read(&built_in(file)?),
                (None, None) => markdown::Written::default(),
            };
            let heading = match (&part.title, &part.text, &part.file) {
                (Some(title), ..) => model::content(one_line(title)),
                (None, Some(_), Some(file)) => self.heading(registry, lang, file, &data)?,
                _ => written.heading.clone().unwrap_or_default(),
            };
            match part.role {
                Role::Preamble => body.preamble.extend(written.blocks),
                Role::Body | Role::Final => body.article(part.id, heading, written.blocks),
                Role::Signing => {
                    body.signing = Some(Section {
                        heading,
                        blocks: written.blocks,
                    })
                }
                Role::Annex => body.annexes(heading, written, words),
            }
        }
        let body = body
            .finish(words)
            .map_err(|e| self.structure_error(&e, lang))?;
        Ok(Version {
            lang: lang.to_string(),
            text: words.text.clone(),
            copy_for: (fill.mode == Mode::Final)
                .then_some(fill.copy.party.as_deref())
                .flatten()
                .map(|c| {
                    let name = fill.terms.settings.short_name_in(c, lang).unwrap_or(c);
                    Words::for_party(&words.original_for, &words.named("original_for", name))
                }),
            title: title_block(&terms, lang, words),
            preamble: body.preamble,
            articles: body.articles,
            signing: body.signing,
            annexes: body.annexes,
        })
    }

    /// The heading a built-in part's file writes (its first line), filled alone: its text is
    /// replaced, and the terms that text needs may be missing.
    fn heading(
        &self,
        registry: &Handlebars<'static>,
        lang: &str,
        file: &str,
        data: &handlebars::Context,
    ) -> Result<Vec<model::Inline>, Diagnostic> {
        let Some(source) = self.file_of_partial(file, lang) else {
            return Ok(Vec::new());
        };
        let first = source.text.lines().next().unwrap_or_default();
        if !first.starts_with("# ") {
            return Ok(Vec::new());
        }
        let filled = registry
            .render_template_with_context(first, data)
            .map_err(|e| self.render_error(&e, lang))?;
        Ok(markdown::read(&filled).heading.unwrap_or_default())
    }

    /// A Markdown structure error, at the template line that writes what it quotes (the
    /// heading, the id or the reference in backquotes), else at the main file.
    fn structure_error(&self, e: &markdown::Error, lang: &str) -> Diagnostic {
        let main = format!("{}/{MANIFEST}", self.name);
        let writes = |f: &&super::SourceFile| {
            !e.quoted.is_empty() && f.rel.ends_with(".hbs") && f.text.contains(&e.quoted)
        };
        let own = format!("/{lang}/");
        let file = (self
            .files
            .iter()
            .filter(|f| f.rel.contains(&own))
            .find(writes))
        .or_else(|| self.files.iter().find(writes));
        let in_language = file.and_then(|f| f.text.find(&e.quoted).map(|at| (f, at)));
        let message = format!("{} (in the {lang} version)", e.message);
        match in_language {
            Some((file, at)) => Diagnostic::new(Kind::TemplateError, &file.label, message)
                .at(Location::of_bytes(&file.text, at..at + e.quoted.len())),
            _ => {
                let label = self
                    .files
                    .iter()
                    .find(|f| f.rel == main)
                    .map_or(format!("templates/{main}"), |f| f.label.clone());
                Diagnostic::new(Kind::TemplateError, label, message)
            }
        }
    }

    /// Every version must hold the same articles in the same order: parallel columns pair them,
    /// and the redline matches them by id.
    fn same_articles(&self, versions: &[Version]) -> Result<(), Diagnostic> {
        let ids = |v: &Version| v.articles.iter().map(|a| a.id.clone()).collect::<Vec<_>>();
        let Some(first) = versions.first() else {
            return Ok(());
        };
        for v in &versions[1..] {
            if ids(v) != ids(first) {
                return Err(Diagnostic::new(
                    Kind::TemplateError,
                    format!("templates/{}/{MANIFEST}", self.name),
                    format!(
                        "the {} version has the articles {} but the {} version has {}",
                        first.lang,
                        ids(first).join(", "),
                        v.lang,
                        ids(v).join(", ")
                    ),
                ));
            }
        }
        Ok(())
    }

    /// What every file of a version is filled with: the terms in `lang`, and under `doc` what
    /// this document is (draft or final, its languages, the round).
    fn data(&self, fill: &Fill, lang: &str, in_language: &Value) -> Value {
        let terms = fill.terms;
        let mut data = in_language.clone();
        if let Value::Object(map) = &mut data {
            map.insert(
                "doc".into(),
                json!({
                    "draft": fill.mode == Mode::Draft,
                    "final": fill.mode == Mode::Final,
                    "round": terms.round(),
                    "date": terms.date(),
                    "lang": lang,
                    "languages": fill.languages,
                    // This version's language first, then the others in order (a Chinese
                    // text names Chinese first: 以中文、瑞典文及英文).
                    "languages_own_first": std::iter::once(lang)
                        .chain(fill.languages.iter().map(String::as_str).filter(|l| *l != lang))
                        .collect::<Vec<_>>(),
                    "columns": fill.layout.columns(fill.languages.len()),
                    "calendar": terms.settings.calendar.as_str(),
                    "template": self.name,
                    "label": terms.label(),
                    "parties_called": self.parties_called(&terms.value),
                    // The parties that sign (and share the originals).
                    "signing_parties": in_language.get("parties").and_then(Value::as_array)
                        .map_or(0, |ps| ps.iter().filter(|p| p.get("signs") != Some(&Value::Bool(false))).count()),
                }),
            );
        }
        data
    }

    /// The file `name` filled in `lang`: Markdown with sealed values.
    fn render(
        &self,
        registry: &Handlebars<'static>,
        lang: &str,
        name: &str,
        data: &handlebars::Context,
    ) -> Result<String, Diagnostic> {
        self.render_named(registry, lang, name, data)
            .map_err(|e| self.render_error(&e, lang))
    }

    /// A handlebars error, at the file and line it names.
    fn render_error(&self, e: &handlebars::RenderError, lang: &str) -> Diagnostic {
        let file = e
            .template_name
            .as_deref()
            .and_then(|t| self.file_of_partial(t, lang));
        let label = file.map_or_else(
            || format!("templates/{}/template.yaml", self.name),
            |f| f.label.clone(),
        );
        let d = Diagnostic::new(
            Kind::TemplateError,
            &label,
            format!("handlebars: {}", e.reason()),
        );
        match (e.line_no, e.column_no, file) {
            (Some(line), Some(col), Some(file)) => {
                d.at(Location::of_line_column(&file.text, line, col))
            }
            _ => d,
        }
    }
}

/// The title block of one version: title, subtitle and the parties' names and countries.
fn title_block(terms: &Value, lang: &str, words: &Words) -> TitleBlock {
    let text = |v: Option<&Value>| {
        v.and_then(Value::as_str)
            .map(crate::terms::squash)
            .filter(|s| !s.is_empty())
    };
    // `title_names_parties: false`: the title stands alone.
    let named = terms.get("title_names_parties") != Some(&Value::Bool(false));
    TitleBlock {
        title: model::content(text(terms.get("title")).unwrap_or_default()),
        subtitle: text(terms.get("subtitle")).map(model::content),
        between: if named {
            words.between.clone()
        } else {
            String::new()
        },
        and: words.and.clone(),
        parties: terms
            .get("parties")
            .filter(|_| named)
            .and_then(Value::as_array)
            .map(|parties| {
                // The agreement is between the parties that conclude it: one that takes part
                // without signing is named in the preamble.
                (parties.iter())
                    .filter(|p| p.get("signs") != Some(&Value::Bool(false)))
                    .map(|p| {
                        let name = text(p.get("official_name")).unwrap_or_default();
                        let country = text(p.get("country_label"))
                            .filter(|c| !super::helpers::names_country(&name, c));
                        TitleParty {
                            // "zwischen / der Gemeinde Berg": in the case "between" needs.
                            name: model::content(
                                words
                                    .case_of("between")
                                    .and_then(|case| {
                                        super::helpers::party_in_case(p, &name, lang, words, case)
                                    })
                                    .unwrap_or_else(|| name.clone()),
                            ),
                            country: country.map(model::content),
                        }
                    })
                    .collect()
            })
            .unwrap_or_default(),
    }
}

/// A title as one line: whitespace runs as one space.
fn one_line(s: &str) -> String {
    crate::terms::squash(s)
}
