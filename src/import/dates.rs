//! Printed dates the other side edited, back to their terms. A date stands in pactum's DOCX
//! as a date anchor (the model does not say which term it was written from). Its text before
//! is read in its language's date forms (the parity check's reader: `date`, `date_roc`, the
//! other forms its words list), and the one date term that holds that day is its term; the
//! text after, read the same way, is the term's new value (`YYYY-MM-DD`). A date that cannot
//! be read, or that no single term holds, is unmapped with its text before and after.

use std::collections::{BTreeMap, HashMap};

use serde_json::Value;

use super::yaml::{self, Edit};
use super::{Mapping, compare::Found, language_name};
use crate::model::Words;
use crate::parity::scan::{Fact, Reader};
use crate::terms::Terms;

/// `text` read as one whole date by one of `readers`: `YYYY-MM-DD`.
pub fn read(text: &str, readers: &[&Reader]) -> Option<String> {
    let text = text.trim();
    for r in readers {
        let found = r.read(text);
        if let [one] = found.as_slice()
            && let Fact::Date { y, m, d } = one.fact
            && y > 0
            && m > 0
            && d > 0
            && one.surface.trim().len() + 2 >= text.len()
        {
            let iso = format!("{y:04}-{m:02}-{d:02}");
            if crate::terms::validate::iso_date(&iso).is_some() {
                return Some(iso);
            }
        }
    }
    None
}

/// The paths of the terms whose value is the day `iso` (the round's own `date` aside).
fn holding(value: &Value, iso: &str) -> Vec<String> {
    fn walk(v: &Value, path: String, iso: &str, out: &mut Vec<String>) {
        match v {
            Value::Object(map) => {
                for (k, child) in map {
                    if path.is_empty() && (k == "date" || k == "doc") {
                        continue;
                    }
                    let p = if path.is_empty() {
                        k.clone()
                    } else {
                        format!("{path}.{k}")
                    };
                    walk(child, p, iso, out);
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    walk(child, format!("{path}[{i}]"), iso, out);
                }
            }
            Value::String(s) if s == iso => out.push(path),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(value, String::new(), iso, &mut out);
    out
}

/// Every [`Mapping::Date`] change made a term value (its edit added) or unmapped; the paths
/// of the date terms changed.
pub fn resolve(
    found: &mut Found,
    terms: &Terms,
    words: &BTreeMap<String, Words>,
    edits: &mut Vec<Edit>,
) -> Vec<String> {
    let languages = terms.languages();
    let readers: BTreeMap<&str, Reader> = languages
        .iter()
        .filter_map(|l| Some((l.as_str(), Reader::new(words.get(l)?))))
        .collect();
    let mut done: HashMap<String, String> = HashMap::new();
    for c in found
        .changes
        .iter_mut()
        .filter(|c| c.mapping == Mapping::Date)
    {
        // A date in the signatures, which every version shares: any language reads it.
        let langs: Vec<&str> = match c.lang.as_str() {
            "" => languages.iter().map(String::as_str).collect(),
            l => l.split(',').collect(),
        };
        let rs: Vec<&Reader> = langs.iter().filter_map(|l| readers.get(l)).collect();
        let named = langs
            .iter()
            .map(|l| language_name(l))
            .collect::<Vec<_>>()
            .join(" or ");
        let result = (|| {
            let was = read(&c.before, &rs)
                .ok_or_else(|| format!("“{}” is not read as a date in {named}", c.before))?;
            let now = read(&c.after, &rs)
                .ok_or_else(|| format!("“{}” is not read as a date in {named}", c.after))?;
            let value = crate::terms::in_language(&terms.value, langs[0]);
            let path = match holding(&value, &was).as_slice() {
                [one] => one.clone(),
                [] => return Err(format!("no term holds the date {was}")),
                many => {
                    return Err(format!(
                        "{} terms hold the date {was} ({}): pactum does not guess which",
                        many.len(),
                        many.join(", ")
                    ));
                }
            };
            Ok((path, now))
        })();
        match result {
            Ok((path, now)) => {
                let note = format!("read as {now}");
                match done.get(&path) {
                    Some(d) if *d == now => {}
                    Some(d) => {
                        c.mapping = Mapping::Unmapped;
                        c.note = Some(format!(
                            "the versions give different dates for `{path}` ({d} and {now})"
                        ));
                        continue;
                    }
                    None => {
                        let all: Vec<&str> = languages.iter().map(String::as_str).collect();
                        match yaml::set_value(
                            &terms.text,
                            &terms.root,
                            &path,
                            &all,
                            &languages,
                            &now,
                        ) {
                            Ok(e) => edits.extend(e),
                            Err(why) => {
                                c.mapping = Mapping::Unmapped;
                                c.note = Some(why);
                                continue;
                            }
                        }
                        done.insert(path.clone(), now.clone());
                    }
                }
                c.mapping = Mapping::TermValue;
                c.term = Some(path);
                c.note = Some(note);
            }
            Err(why) => {
                c.mapping = Mapping::Unmapped;
                c.note = Some(why);
            }
        }
    }
    // A date changed in some language versions only is still one value for all of them.
    for path in done.keys() {
        let of = |c: &&mut super::Change| c.term.as_ref() == Some(path) && !c.lang.is_empty();
        let langs: Vec<String> = (found.changes.iter_mut().filter(of))
            .map(|c| c.lang.clone())
            .collect();
        if languages.len() > 1 && languages.iter().any(|l| !langs.contains(l)) && !langs.is_empty()
        {
            let named: Vec<String> = langs.iter().map(|l| language_name(l)).collect();
            for c in found.changes.iter_mut().filter(of) {
                if let Some(n) = &mut c.note {
                    n.push_str(&format!(
                        "; changed in {} only: a date is one value for every version, and all now print it",
                        named.join(" and ")
                    ));
                }
            }
        }
    }
    done.into_keys().collect()
}
