//! Language packs: what a language needs to be complete, and the skeleton of a new one.
//!
//! A language is data (docs/languages.md): its words file `shared/words/<lang>.yaml` and, in
//! `shared/clauses/<lang>/` and each form's `clauses/<lang>/`, one clause file for each a form
//! has in any other language. [`gaps`] lists what a language lacks, per form; [`skeleton`]
//! writes every file of a new language from an existing one, its text kept as a comment to
//! translate from.

use std::collections::BTreeSet;

use super::catalog::Catalog;
use crate::diagnostic::{Diagnostic, Kind};

/// What one language lacks: words keys, or clause files of a form (`shared` for the clause
/// files every form shares).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    pub language: String,
    /// The form (`sister-city`), `shared`, or `words`.
    pub part: String,
    /// The files (or words keys) it lacks.
    pub missing: Vec<String>,
}

/// The top-level keys of a words file, and those of its `text` (`text.fonts`) and its
/// `redline` (`redline.title`: the redline's summary words).
fn words_keys(catalog: &Catalog, lang: &str) -> BTreeSet<String> {
    let Some(file) = catalog.get(&format!("shared/words/{lang}.yaml")) else {
        return BTreeSet::new();
    };
    let Ok(serde_yaml_ng::Value::Mapping(map)) = serde_yaml_ng::from_str(&file.text) else {
        return BTreeSet::new();
    };
    let mut keys = BTreeSet::new();
    for (k, v) in &map {
        let Some(k) = k.as_str() else { continue };
        keys.insert(k.to_string());
        if let serde_yaml_ng::Value::Mapping(inner) = v
            && (k == "text" || k == "redline")
        {
            keys.extend(
                (inner.keys())
                    .filter_map(|i| i.as_str())
                    .map(|i| format!("{k}.{i}")),
            );
        }
    }
    keys
}

/// What each language with words lacks: words keys the reference language `from` has, and
/// per form the files it needs in that language: one for each declared part, and one for each
/// partial its own files call (`{{> party-noun}}`) that another language of the form has and
/// it has not.
pub fn gaps(catalog: &Catalog, from: &str) -> Vec<Gap> {
    let reference = words_keys(catalog, from);
    let mut out = Vec::new();
    for lang in catalog.languages() {
        let have = words_keys(catalog, &lang);
        // Optional keys one language needs and another does not are not gaps.
        let missing: Vec<String> = reference
            .difference(&have)
            .filter(|k| !OPTIONAL_WORDS.contains(&k.as_str()))
            .cloned()
            .collect();
        if !missing.is_empty() {
            out.push(Gap {
                language: lang.clone(),
                part: "words".into(),
                missing,
            });
        }
        for form in catalog.names() {
            let own = format!("{form}/");
            let files: Vec<(String, &str)> = (catalog.under(&own))
                .chain(catalog.under("shared/"))
                .filter_map(|f| Some((super::partial_in(&form, &f.rel, &lang)?, f.text.as_str())))
                .collect();
            let present: BTreeSet<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
            let mut needed: BTreeSet<String> =
                super::part_files(catalog, &form).into_iter().collect();
            // A call is a gap where another language of the form has that partial: a shared
            // file may call, under a condition this form never meets, a partial only another
            // form has.
            let elsewhere: BTreeSet<String> = (catalog.languages().iter())
                .flat_map(|other| {
                    (catalog.under(&own))
                        .chain(catalog.under("shared/"))
                        .filter_map(|f| super::partial_in(&form, &f.rel, other))
                        .collect::<Vec<_>>()
                })
                .collect();
            for (_, text) in &files {
                needed.extend(
                    called_partials(text)
                        .into_iter()
                        .filter(|p| elsewhere.contains(p)),
                );
            }
            let missing: Vec<String> = needed
                .iter()
                .filter(|n| !present.contains(n.as_str()))
                .map(|n| match n.strip_prefix("shared/") {
                    Some(shared) => format!("shared/clauses/{lang}/{shared}.hbs"),
                    None => format!("{form}/clauses/{lang}/{n}.hbs"),
                })
                .collect();
            if !missing.is_empty() {
                out.push(Gap {
                    language: lang.clone(),
                    part: form,
                    missing,
                });
            }
        }
    }
    out
}

/// The partials a handlebars text calls by name (`{{> party-noun}}`, `{{#> shared/will}}`).
fn called_partials(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, _) in text.match_indices("{{") {
        let rest = text[i + 2..].trim_start_matches(['~', '#']);
        let Some(rest) = rest.strip_prefix('>') else {
            continue;
        };
        let name: String = rest
            .trim_start()
            .chars()
            .take_while(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '/' | '.'))
            .collect();
        if !name.is_empty() {
            out.push(name);
        }
    }
    out
}

/// Words keys a language gives only when it needs them (cases, a list's own "and", the ROC
/// calendar, names that take "the").
const OPTIONAL_WORDS: &[&str] = &[
    "name_forms",
    "join_and",
    "date_roc",
    "defined_the",
    "the_nouns",
    "place_and_date",
    "witness_title",
    "list_markers",
];

/// Every file of a new language `code`, made from language `from`: its words file (the
/// source's, every key kept, to translate) and each clause file with the source's text as a
/// handlebars comment and a line saying what to write. Paths are under the templates root.
pub fn skeleton(
    catalog: &Catalog,
    code: &str,
    from: &str,
) -> Result<Vec<(String, String)>, Diagnostic> {
    if !is_code(code) {
        return Err(Diagnostic::general(
            Kind::InvalidValue,
            format!("`{code}` is not a language code"),
        )
        .with_hint("a BCP 47 code: lower-case language, then an optional region (ja, pt-BR)"));
    }
    let languages = catalog.languages();
    if languages.iter().any(|l| l == code) {
        return Err(Diagnostic::general(
            Kind::Exists,
            format!("pactum already has words for `{code}`"),
        )
        .with_hint("`pactum check --templates DIR` lists what a language still lacks"));
    }
    let words = catalog
        .get(&format!("shared/words/{from}.yaml"))
        .ok_or_else(|| {
            Diagnostic::general(
                Kind::InvalidValue,
                format!("no language `{from}` to start from"),
            )
            .with_hint(format!("the languages there are: {}", languages.join(", ")))
        })?;
    let settings = match code.split_once('-') {
        Some((lang, region)) => format!("lang {lang}, region {region}"),
        None => format!("lang {code}, its region"),
    };
    let mut out = vec![(
        format!("shared/words/{code}.yaml"),
        format!(
            "# The layout's own words in `{code}`, made by `pactum new-language` from `{from}`:\n\
             # translate every value; set `text` ({settings}, hyphenation, cjk, the fonts made\n\
             # for the language: a pack may ship them in its `fonts/` folder). Name `{code}` in\n\
             # the other languages: `named_in: {{en: …, sv: …}}`.\n{}",
            words.text
        ),
    )];
    let mut folders = vec!["shared/clauses/".to_string()];
    folders.extend(catalog.names().iter().map(|n| format!("{n}/clauses/")));
    for folder in folders {
        let prefix = format!("{folder}{from}/");
        for file in catalog.under(&prefix) {
            let name = &file.rel[prefix.len()..];
            if name.contains('/') {
                continue;
            }
            // A handlebars comment ends at the first `--}}`: the source's own is broken up.
            let source = file.text.replace("--}}", "-- }}");
            out.push((
                format!("{folder}{code}/{name}"),
                format!(
                    "{{{{!-- {from} ({}):\n{source}--}}}}TODO translate into {code}\n",
                    file.rel
                ),
            ));
        }
    }
    Ok(out)
}

/// Whether `code` is a plain BCP 47 language code, with an optional region or script.
fn is_code(code: &str) -> bool {
    let mut parts = code.split('-');
    let lang = parts.next().unwrap_or_default();
    (2..=3).contains(&lang.len())
        && lang.chars().all(|c| c.is_ascii_lowercase())
        && parts.all(|p| (2..=4).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_languages_lack_nothing() {
        let gaps = gaps(&Catalog::builtin(), "en");
        assert!(gaps.is_empty(), "{gaps:#?}");
    }

    #[test]
    fn a_skeleton_has_every_file_of_its_source_language() {
        let catalog = Catalog::builtin();
        let files = skeleton(&catalog, "ja", "en").unwrap();
        let en = catalog
            .names()
            .iter()
            .map(|n| catalog.under(&format!("{n}/clauses/en/")).count())
            .sum::<usize>()
            + catalog.under("shared/clauses/en/").count();
        assert_eq!(files.len(), en + 1);
        assert!(files[0].0 == "shared/words/ja.yaml");
        assert!(files.iter().all(|(_, t)| !t.is_empty()));
        assert!(skeleton(&catalog, "en", "sv").is_err(), "exists");
        assert!(skeleton(&catalog, "../x", "en").is_err());
    }
}
