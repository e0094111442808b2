//! The one signature block of a document, built from the terms' parties, signatories and
//! witnesses, with its labels in every language of the document (see
//! [`crate::model::Signatures`]).

use serde_json::Value;

use super::helpers;
use crate::model::{
    Content, Inline, Signatory, Signatures, SigningParty, Words, content, distinct,
    distinct_content,
};
use crate::terms::in_language;

/// The language versions a signature block speaks: each language's code and words.
pub type Languages<'a> = [(&'a str, &'a Words)];

/// The signature block of `terms` (the validated value), for a final copy or a draft.
pub fn build(terms: &Value, languages: &Languages, execution: bool) -> Signatures {
    let labels = |f: fn(&Words) -> &String| {
        distinct(languages.iter().map(|(_, w)| f(w).clone())).join(" / ")
    };
    // Without labels (`signature_labels: false`) each signatory's party stands under their
    // title, as published agreements print it, and nothing is printed "For" it.
    let labelled = terms.get("signature_labels").and_then(Value::as_bool) != Some(false);
    let style = Style {
        labelled,
        languages,
    };
    let mut parties: Vec<SigningParty> = array(terms.get("parties"))
        .iter()
        .filter(|party| party.get("signs").and_then(Value::as_bool) != Some(false))
        .map(|party| SigningParty {
            for_lines: if labelled {
                distinct_content(
                    languages
                        .iter()
                        .map(|&(lang, words)| for_line(party, lang, words)),
                )
            } else {
                Vec::new()
            },
            people: people(party, terms, &style),
        })
        .collect();
    // Those who sign in their own capacity: a place each, under no party's "For …".
    parties.extend(
        array(terms.get("other_signatories"))
            .iter()
            .map(|person| SigningParty {
                for_lines: Vec::new(),
                people: vec![signatory(
                    person,
                    terms,
                    &style,
                    Vec::new(),
                    organisation(person, languages),
                )],
            }),
    );
    // Co-signatories who sign "in the presence of" stand with the witnesses, with their party.
    let present: Vec<Value> = array(terms.get("parties"))
        .iter()
        .filter(|p| in_presence(p))
        .filter_map(|p| {
            let person = p.get("co_signatory")?;
            Some(serde_json::json!({
                "name": person["name"],
                "title": person["title"],
                "organisation": p["official_name"],
            }))
        })
        .collect();
    let witnesses: Vec<Signatory> = present
        .iter()
        .chain(array(terms.get("witnesses")))
        .map(|w| {
            let lines: Vec<(String, Option<String>)> = (languages.iter())
                .map(|&(lang, words)| {
                    let title = text(&in_language(&w["title"], lang));
                    let org = text(&in_language(&w["organisation"], lang));
                    let title = match (&words.witness_title, org.is_empty()) {
                        (_, true) => title,
                        (Some(pattern), false) => pattern
                            .replace("{title}", &title)
                            .replace("{organisation}", &org),
                        (None, false) => format!("{title}{}{org}", words.list_separator),
                    };
                    title_and_name(words, title, text(&in_language(&w["name"], lang)))
                })
                .collect();
            Signatory {
                capacity: Vec::new(),
                names: distinct_content(lines.iter().map(|(name, _)| name.clone())),
                titles: distinct_content(lines.into_iter().filter_map(|(_, title)| title)),
                affiliation: Vec::new(),
                place_date: Vec::new(),
                dated: false,
            }
        })
        .collect();
    let label = |f: fn(&Words) -> &String| if labelled { labels(f) } else { String::new() };
    Signatures {
        execution,
        place_date: label(|w| &w.place_date),
        signature: label(|w| &w.signature),
        parties,
        witnesses_label: (!witnesses.is_empty()).then(|| labels(|w| &w.witnesses)),
        witnesses,
    }
}

/// How the block is printed: with its labels or without, in which languages.
struct Style<'a> {
    labelled: bool,
    languages: &'a Languages<'a>,
}

/// "For the City of Lund, Sweden" in one language.
fn for_line(party: &Value, lang: &str, words: &Words) -> String {
    let name = text(&in_language(&party["official_name"], lang));
    // "Für die Gemeinde Berg": the name in the case the phrase puts it in, with its article;
    // "For the City of Lund": a name that takes "the" in running text takes it here.
    let named = match words
        .case_of("for_party")
        .and_then(|case| helpers::party_in_case(party, &name, lang, words, case))
    {
        Some(declined) => declined,
        None if words.takes_the(&name) => format!("the {name}"),
        None => name.clone(),
    };
    words.for_party_from(&named, &country_of(party, &name, lang))
}

/// The party's country label in `lang`, or nothing where its name already names the country.
fn country_of(party: &Value, name: &str, lang: &str) -> String {
    let country = text(&in_language(&party["country_label"], lang));
    if helpers::names_country(name, &country) {
        String::new()
    } else {
        country
    }
}

/// "City of Takasaki, Gunma Prefecture, Japan": a party as it stands under its signatory's
/// title in a block without labels, one line per language where they differ.
fn affiliation(party: &Value, languages: &Languages) -> Vec<Content> {
    distinct_content(languages.iter().map(|&(lang, words)| {
        let name = text(&in_language(&party["official_name"], lang));
        let country = country_of(party, &name, lang);
        if country.is_empty() {
            name
        } else {
            format!("{name}{}{country}", words.list_separator)
        }
    }))
}

/// Whether a person's title names their party (its official or short name) in every language.
fn names_party(person: &Value, party: &Value, languages: &Languages) -> bool {
    languages.iter().all(|(lang, _)| {
        let title = text(&in_language(&person["title"], lang)).to_lowercase();
        ["official_name", "short_name"].iter().any(|key| {
            let name = text(&in_language(&party[*key], lang)).to_lowercase();
            !name.is_empty() && title.contains(&name)
        })
    })
}

/// A person's own organisation (`organisation:`), one line per language where they differ.
fn organisation(person: &Value, languages: &Languages) -> Vec<Content> {
    distinct_content(
        languages
            .iter()
            .map(|(lang, _)| text(&in_language(&person["organisation"], lang))),
    )
}

/// Who signs for a party: its representative, then a co-signatory who signs in their own
/// capacity, labelled so ("With the co-signature of / 會同簽署"), never as one more
/// representative under the party's "For …" heading. A co-signatory who signs where and when
/// the representative does is not given that place and date again.
fn people(party: &Value, terms: &Value, style: &Style) -> Vec<Signatory> {
    let mut out: Vec<Signatory> = Vec::new();
    let affiliation = if style.labelled {
        Vec::new()
    } else {
        affiliation(party, style.languages)
    };
    for key in ["representative", "co_signatory"] {
        let Some(person) = party.get(key).filter(|p| p.is_object()) else {
            continue;
        };
        if key == "co_signatory" && in_presence(party) {
            continue;
        }
        let capacity = if key == "co_signatory" {
            distinct(style.languages.iter().map(|(_, w)| w.co_signature.clone()))
        } else {
            Vec::new()
        };
        // A title that already names the party ("Mayor of the City of Ashiya") is not
        // followed by the party's name again.
        let named = names_party(person, party, style.languages);
        let affiliation = if named {
            Vec::new()
        } else {
            affiliation.clone()
        };
        let mut s = signatory(person, terms, style, capacity, affiliation);
        if s.dated && out.iter().any(|o| o.place_date == s.place_date) && !s.place_date.is_empty() {
            s.dated = false;
            s.place_date = Vec::new();
        }
        out.push(s);
    }
    out
}

/// One person in the block: name and title in each language, where and when they sign (a blank
/// to fill in, in a block with labels, when the terms say neither).
fn signatory(
    person: &Value,
    terms: &Value,
    style: &Style,
    capacity: Vec<String>,
    affiliation: Vec<Content>,
) -> Signatory {
    let place_date = places_and_dates(person, terms, style.languages);
    let lines: Vec<(String, Option<String>)> = (style.languages.iter())
        .map(|&(lang, words)| {
            let title = text(&in_language(&person["title"], lang));
            title_and_name(words, title, text(&in_language(&person["name"], lang)))
        })
        .collect();
    Signatory {
        capacity,
        names: distinct_content(lines.iter().map(|(name, _)| name.clone())),
        titles: distinct_content(lines.into_iter().filter_map(|(_, title)| title)),
        affiliation,
        dated: style.labelled || !place_date.is_empty(),
        place_date,
    }
}

/// A signatory's name line and title line in one language: "市長　王淑芬" and no title line
/// where the language writes them as one (`signatory` in its words), else the name and the
/// title.
fn title_and_name(words: &Words, title: String, name: String) -> (String, Option<String>) {
    match &words.signatory {
        Some(pattern) if !title.is_empty() => (
            pattern.replace("{title}", &title).replace("{name}", &name),
            None,
        ),
        _ => (name, Some(title)),
    }
}

/// Whether a party's co-signatory signs "in the presence of" rather than beside its
/// representative.
fn in_presence(party: &Value) -> bool {
    party.get("co_signatory").is_some_and(Value::is_object)
        && party.get("co_signatory_capacity").and_then(Value::as_str) == Some("presence")
}

/// Where and when a signatory signs, one line per language where they differ: "Lund, 15 oktober
/// 2027", "隆德，2027年10月15日"; none when the terms give neither (a blank is printed).
fn places_and_dates(person: &Value, terms: &Value, languages: &Languages) -> Vec<Content> {
    let mut out: Vec<Content> = Vec::new();
    for &language in languages {
        if let Some(line) = place_date(person, terms, language)
            && !out.contains(&line)
        {
            out.push(line);
        }
    }
    out
}

/// "Lund, 15 October 2027" in one language: the signatory's own place and date, else the
/// joint signing's (the date never broken, as the model's dates are); `None` when neither is
/// known.
fn place_date(person: &Value, terms: &Value, (lang, words): (&str, &Words)) -> Option<Content> {
    let signing = terms.get("signing");
    let pick = |key: &str| {
        let own = person.get(key).filter(|v| !v.is_null());
        let joint = signing.and_then(|s| s.get(key)).filter(|v| !v.is_null());
        own.or(joint).map(|v| text(&in_language(v, lang)))
    };
    let calendar = terms.get("zh_calendar").and_then(Value::as_str);
    let date_lang = helpers::Lang {
        code: lang,
        words,
        roc: calendar == Some("roc"),
        called: "parties",
        capital: false,
    };
    let date = pick("date").and_then(|iso| {
        helpers::date(&[&Value::String(iso)], date_lang)
            .ok()
            .map(|v| text(&v))
    });
    let date = date.map(|text| Inline::Date {
        text,
        origins: Default::default(),
    });
    match (pick("place"), date) {
        (None, None) => None,
        (Some(p), None) => Some(content(p)),
        (None, Some(d)) => Some(vec![d]),
        (Some(p), Some(d)) => {
            // The language's order ("{date}於{place}"), the date one unbroken inline in it.
            let pattern = words.place_and_date.clone();
            let pattern =
                pattern.unwrap_or_else(|| format!("{{place}}{}{{date}}", words.list_separator));
            let (before, after) = pattern.split_once("{date}").unwrap_or((&pattern, ""));
            let mut out = Vec::new();
            for (i, piece) in [before, after].iter().enumerate() {
                let piece = piece.replace("{place}", &p);
                if !piece.is_empty() {
                    out.push(Inline::text(piece));
                }
                if i == 0 {
                    out.push(d.clone());
                }
            }
            Some(out)
        }
    }
}

fn array(v: Option<&Value>) -> &[Value] {
    v.and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => crate::terms::squash(s),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}
