//! Which term each printed value came from: fill gives every term value in the model its
//! term's path and language ([`crate::model::Origin`]), so that a writer can anchor it (the
//! DOCX's content controls and bookmarks) and `import` can bring an edit of it back.
//!
//! A sealed value's place in the text is exact (see [`crate::model::sealed`]); its path is the
//! one term that holds that text in that language. A text that two terms hold is left without
//! a path: pactum does not guess which one was meant. The title block and the signature block
//! are built from the terms themselves: a line there that is wholly one term's text gets that
//! term as its origin.

use std::collections::HashMap;

use serde_json::Value;

use crate::model::{Block, Content, Inline, Origin, Signatures, Version};
use crate::terms::Terms;

/// Each text a term holds (whitespace runs as one space, as printed) → its path, or `None`
/// when more than one term holds it.
fn paths(value: &Value) -> HashMap<String, Option<String>> {
    fn walk(v: &Value, path: String, out: &mut HashMap<String, Option<String>>) {
        match v {
            Value::Object(map) => {
                for (k, child) in map {
                    if k == "doc" && path.is_empty() {
                        continue;
                    }
                    let p = if path.is_empty() {
                        k.clone()
                    } else {
                        format!("{path}.{k}")
                    };
                    walk(child, p, out);
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    walk(child, format!("{path}[{i}]"), out);
                }
            }
            Value::String(s) => {
                let text = crate::terms::squash(s);
                if !text.is_empty() {
                    out.entry(text)
                        .and_modify(|p| {
                            if p.as_deref() != Some(path.as_str()) {
                                *p = None
                            }
                        })
                        .or_insert(Some(path));
                }
            }
            Value::Number(n) => {
                out.entry(n.to_string())
                    .and_modify(|p| *p = None)
                    .or_insert(Some(path));
            }
            _ => {}
        }
    }
    let mut out = HashMap::new();
    walk(value, String::new(), &mut out);
    out
}

/// Every sealed value of `v` given its term's path (the terms as `v`'s language sees them);
/// each printed date the date term it prints (`print` writes a `YYYY-MM-DD` date as `v`'s
/// language does); the title block's lines that are wholly a term's text given that term.
pub fn trace_version(v: &mut Version, in_language: &Value, print: &dyn Fn(&str) -> Option<String>) {
    let paths = paths(in_language);
    // A date two terms hold is left without a path, as any value is.
    let dates: HashMap<String, &Option<String>> = (paths.iter())
        .filter_map(|(value, path)| Some((print(value)?, path)))
        .collect();
    let lang = v.lang.clone();
    let resolve = |content: &mut Content| {
        each_text(content, &mut |text, origins, date| {
            if date {
                if let Some(Some(path)) = dates.get(text) {
                    origins.push(Origin {
                        start: 0,
                        end: text.len(),
                        path: path.clone(),
                        lang: lang.clone(),
                    });
                }
                return;
            }
            for o in origins.iter_mut() {
                let value = text.get(o.start..o.end).unwrap_or_default();
                if let Some(Some(path)) = paths.get(value) {
                    o.path = path.clone();
                    o.lang = lang.clone();
                }
            }
            origins.retain(|o| !o.path.is_empty());
        })
    };
    let whole = |content: &mut Content| {
        whole_value(content, &|t| {
            paths.get(t).cloned().flatten().map(|p| (p, lang.clone()))
        })
    };
    whole(&mut v.title.title);
    if let Some(s) = &mut v.title.subtitle {
        whole(s);
    }
    for p in &mut v.title.parties {
        whole(&mut p.name);
        if let Some(c) = &mut p.country {
            whole(c);
        }
    }
    let mut blocks: Vec<&mut Vec<Block>> = vec![&mut v.preamble];
    for a in &mut v.articles {
        resolve(&mut a.heading);
        blocks.push(&mut a.blocks);
    }
    if let Some(s) = &mut v.signing {
        resolve(&mut s.heading);
        blocks.push(&mut s.blocks);
    }
    if let Some(x) = &mut v.annexes {
        for a in &mut x.items {
            resolve(&mut a.title);
            blocks.push(&mut a.blocks);
        }
    }
    for b in blocks {
        each_block(b, &mut |c| resolve(c));
    }
}

/// The signature block's lines that are wholly a term's text, given that term and every
/// language whose version prints that text there (`sv,en`).
pub fn trace_signatures(sig: &mut Signatures, terms: &Terms, languages: &[String]) {
    let per_lang: Vec<(String, HashMap<String, Option<String>>)> = languages
        .iter()
        .map(|l| (l.clone(), paths(&terms.in_language(l))))
        .collect();
    let find = |t: &str| -> Option<(String, String)> {
        let mut found: Option<String> = None;
        let mut langs = Vec::new();
        for (lang, paths) in &per_lang {
            match paths.get(t) {
                Some(Some(p)) if found.as_ref().is_none_or(|f| f == p) => {
                    found = Some(p.clone());
                    langs.push(lang.as_str());
                }
                Some(_) => return None,
                None => {}
            }
        }
        found.map(|p| (p, langs.join(",")))
    };
    let known: Vec<String> = (per_lang.iter())
        .flat_map(|(_, paths)| paths.keys().cloned())
        .collect();
    let people = sig.parties.iter_mut().flat_map(|p| p.people.iter_mut());
    for s in people.chain(sig.witnesses.iter_mut()) {
        for c in s.names.iter_mut().chain(s.titles.iter_mut()) {
            whole_value(c, &find);
            values_within(c, &known, &find);
        }
    }
}

/// `content`, when it is one text inline with no origin that holds term values side by side
/// (a Chinese signatory's "市長　王淑芬": title and name), given each as an origin; the
/// longest values first, none overlapping another.
fn values_within(
    content: &mut Content,
    known: &[String],
    find: &dyn Fn(&str) -> Option<(String, String)>,
) {
    let [Inline::Text { text, origins }] = content.as_mut_slice() else {
        return;
    };
    if !origins.0.is_empty() {
        return;
    }
    let mut candidates: Vec<&String> = (known.iter())
        .filter(|k| k.chars().count() >= 2 && text.contains(k.as_str()))
        .collect();
    candidates.sort_by_key(|k| std::cmp::Reverse(k.len()));
    candidates.dedup();
    let mut taken: Vec<Origin> = Vec::new();
    for value in candidates {
        let Some((path, lang)) = find(value) else {
            continue;
        };
        for (start, _) in text.match_indices(value.as_str()) {
            let end = start + value.len();
            if taken.iter().all(|o| end <= o.start || start >= o.end) {
                taken.push(Origin {
                    start,
                    end,
                    path: path.clone(),
                    lang: lang.clone(),
                });
            }
        }
    }
    taken.sort_by_key(|o| o.start);
    origins.0 = taken;
}

/// `content`, when it is one text inline with no origin that `find` knows as a term's whole
/// text, given that term as its origin.
fn whole_value(content: &mut Content, find: &dyn Fn(&str) -> Option<(String, String)>) {
    if let [Inline::Text { text, origins }] = content.as_mut_slice()
        && origins.0.is_empty()
        && let Some((path, lang)) = find(text)
    {
        origins.0.push(Origin {
            start: 0,
            end: text.len(),
            path,
            lang,
        });
    }
}

fn each_block(blocks: &mut [Block], f: &mut dyn FnMut(&mut Content)) {
    for b in blocks {
        match b {
            Block::Paragraph { content } => f(content),
            Block::List(list) => {
                for item in &mut list.items {
                    if let Some(t) = &mut item.title {
                        f(t);
                    }
                    each_block(&mut item.blocks, f);
                }
            }
        }
    }
}

fn each_text(content: &mut [Inline], f: &mut dyn FnMut(&str, &mut Vec<Origin>, bool)) {
    for i in content {
        match i {
            Inline::Text { text, origins } => f(text, &mut origins.0, false),
            Inline::Date { text, origins } => f(text, &mut origins.0, true),
            Inline::Emph { content }
            | Inline::Strong { content }
            | Inline::Ins { content }
            | Inline::Del { content } => each_text(content, f),
            _ => {}
        }
    }
}
