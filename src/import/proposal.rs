//! The next round written from what [`super::compare`] found: round N's terms text with each
//! mapped change applied where it belongs ([`super::yaml`]), the round's number raised, and a
//! comment at the top naming the DOCX, its authors and the dates of their changes. A change
//! that cannot be written is marked unmapped, with why. Also the notes a reader of several
//! language versions needs ("changed in 中文 only; …").

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::compare::Found;
use super::dates;
use super::order::Placed;
use super::package::{self, Para};
use super::yaml::{self, Edit};
use super::{Mapping, language_name};
use crate::model::{Document, Words};
use crate::terms::Terms;

/// The next round's text and file: round N's text with the mapped changes applied (a change
/// that cannot be written is marked unmapped).
pub fn next_round(
    terms: &Terms,
    doc: &Document,
    ours: &package::Docx,
    found: &mut Found,
    words: &BTreeMap<String, Words>,
    name: &str,
    dir: &Path,
) -> (String, PathBuf) {
    let text = &terms.text;
    let root = &terms.root;
    let languages = terms.languages();
    let mut edits: Vec<Edit> = Vec::new();
    let mut done: BTreeSet<(String, String)> = BTreeSet::new();
    let dated = dates::resolve(found, terms, words, &mut edits);
    for c in &mut found.changes {
        let result = match (c.mapping, &c.term) {
            (Mapping::TermValue, Some(term)) if dated.contains(term) => continue,
            (Mapping::TermValue, Some(term)) => {
                if !done.insert((term.clone(), c.lang.clone())) {
                    continue;
                }
                let langs: Vec<&str> = c.lang.split(',').filter(|l| !l.is_empty()).collect();
                let langs = if langs.is_empty() {
                    languages.iter().map(String::as_str).collect()
                } else {
                    langs
                };
                yaml::set_value(text, root, term, &langs, &languages, &c.after)
            }
            (Mapping::ItemRemoved, Some(entry)) => {
                yaml::remove_entry(text, root, entry).map(|e| vec![e])
            }
            _ => continue,
        };
        match result {
            Ok(e) => edits.extend(e),
            Err(why) => {
                c.mapping = Mapping::Unmapped;
                c.note = Some(why);
            }
        }
    }
    // Articles deleted: left out, when gone from every language version.
    let omitted: BTreeSet<String> = found
        .changes
        .iter()
        .filter(|c| c.mapping == Mapping::Omitted)
        .map(|c| c.part.clone())
        .collect();
    for id in omitted {
        let gone_in: Vec<String> = (found.changes.iter())
            .filter(|c| c.mapping == Mapping::Omitted && c.part == id)
            .map(|c| c.lang.clone())
            .collect();
        let everywhere = languages.iter().all(|l| gone_in.contains(l));
        let result = if everywhere {
            yaml::add_omit(text, root, &id)
        } else {
            Err(format!(
                "deleted in {} only: `omit:` would leave it out of every language",
                gone_in
                    .iter()
                    .map(|l| language_name(l))
                    .collect::<Vec<_>>()
                    .join(" and ")
            ))
        };
        match result {
            Ok(e) => edits.push(e),
            Err(why) => {
                for c in found
                    .changes
                    .iter_mut()
                    .filter(|c| c.mapping == Mapping::Omitted && c.part == id)
                {
                    c.mapping = Mapping::Unmapped;
                    c.note = Some(why.clone());
                }
            }
        }
    }
    // Parts whose standard text changed, moved parts, inserted articles: an `articles:`
    // entry each, in their document's order (an entry's `after:` may name one before it).
    let own_index = |id: &str| -> Option<usize> {
        terms
            .value
            .get("articles")
            .and_then(|a| a.as_array())?
            .iter()
            .position(|x| x.get("id").and_then(|i| i.as_str()) == Some(id))
    };
    let mut turn: Vec<Placed> = Vec::new();
    for p in found.order.iter().cloned().chain(
        (found.rewritten.keys().map(|(id, _)| id))
            .chain(found.moved.keys())
            .map(|id| Placed::Part(id.clone())),
    ) {
        let wanted = match &p {
            Placed::Part(id) => {
                found.moved.contains_key(id) || found.rewritten.keys().any(|(x, _)| x == id)
            }
            Placed::New(k) => *k < found.inserted.len(),
        };
        if wanted && !turn.contains(&p) {
            turn.push(p);
        }
    }
    let mut entries = String::new();
    for p in turn {
        let id = match p {
            Placed::New(k) => {
                entries.push_str(&inserted_entry(found, k, &languages, name));
                continue;
            }
            Placed::Part(id) => id,
        };
        let after = found.moved.get(&id).cloned();
        let rewritten = found.rewritten.keys().any(|(x, _)| *x == id);
        if let Some(i) = own_index(&id) {
            if rewritten {
                for c in found
                    .changes
                    .iter_mut()
                    .filter(|c| c.part == id && c.mapping == Mapping::StandardText)
                {
                    c.mapping = Mapping::Unmapped;
                    c.note = Some(format!(
                        "`{id}` is already in `articles:`; its text is not rewritten"
                    ));
                }
            }
            if let Some(after) = after {
                match yaml::set_after(text, root, i, &after) {
                    Ok(e) => edits.push(e),
                    Err(why) => {
                        for c in found
                            .changes
                            .iter_mut()
                            .filter(|c| c.part == id && c.mapping == Mapping::ArticleMoved)
                        {
                            c.mapping = Mapping::Unmapped;
                            c.note = Some(why.clone());
                        }
                    }
                }
            }
            continue;
        }
        entries.push_str(&format!("  - id: {id}\n"));
        let what = match (rewritten, after.is_some()) {
            (true, true) => "moved, and its standard text changed,",
            (true, false) => "the standard text changed",
            _ => "moved",
        };
        entries.push_str(&format!("    # {what} by {name}\n"));
        if let Some(after) = after {
            entries.push_str(&format!("    after: {after}\n"));
        }
        if !rewritten {
            continue;
        }
        let mut texts = Vec::new();
        for lang in &languages {
            let paras: Vec<Para> = match found.rewritten.get(&(id.clone(), lang.clone())) {
                Some(theirs) => theirs.clone(),
                None => ours_of(ours, &id, lang),
            };
            texts.push((lang.clone(), markdown(&paras, has_heading(doc, &id, lang))));
        }
        push_text(&mut entries, "text", &texts);
    }
    if !entries.is_empty() {
        match yaml::add_articles(text, root, &entries) {
            Ok(e) => edits.push(e),
            Err(why) => {
                for c in found.changes.iter_mut().filter(|c| {
                    matches!(
                        c.mapping,
                        Mapping::StandardText | Mapping::ArticleInserted | Mapping::ArticleMoved
                    )
                }) {
                    c.mapping = Mapping::Unmapped;
                    c.note = Some(why.clone());
                }
            }
        }
    }
    // The round's number and a comment naming where it came from.
    let n = terms.round().unwrap_or(0) + 1;
    if let Some(e) = yaml::set_top(text, root, "round", &n.to_string()) {
        edits.push(e);
    }
    let mut authors: Vec<String> = Vec::new();
    let mut dates: Vec<String> = Vec::new();
    for c in &found.changes {
        for a in &c.authors {
            if !authors.contains(a) {
                authors.push(a.clone());
            }
        }
        for d in &c.dates {
            let day = d.get(..10).unwrap_or(d).to_string();
            if !day.is_empty() && !dates.contains(&day) {
                dates.push(day);
            }
        }
    }
    let head = format!(
        "# Imported from {name} (round {} as the other side returned it) by `pactum import`.\n# Changes by: {}; dated {}.\n",
        n - 1,
        authors.join(", "),
        if dates.is_empty() {
            "not dated".to_string()
        } else {
            dates.join(", ")
        }
    );
    edits.push(Edit {
        range: 0..0,
        with: head,
    });
    let out = yaml::apply(text, edits);
    // round-<N+1>.yaml, or the next free number.
    let mut k = n as u32;
    let target = loop {
        let candidate = dir.join(format!("round-{k}.yaml"));
        if !candidate.exists() {
            break candidate;
        }
        k += 1;
    };
    (out, target)
}

/// The `articles:` entry of the `k`-th inserted article: its new id, what it follows, its
/// title and text in every language.
fn inserted_entry(found: &Found, k: usize, languages: &[String], name: &str) -> String {
    let new = &found.inserted[k];
    let id = &found.new_ids[k];
    let after = match &new.after {
        Some(Placed::Part(a)) => a.clone(),
        Some(Placed::New(j)) => found.new_ids[*j].clone(),
        None => String::new(),
    };
    let mut out = format!("  - id: {id}\n    # inserted by {name}\n");
    if !after.is_empty() {
        out.push_str(&format!("    after: {after}\n"));
    }
    let pick = |f: &dyn Fn(&str) -> String| -> Vec<(String, String)> {
        languages.iter().map(|l| (l.clone(), f(l))).collect()
    };
    let titles = pick(&|l| new.titles.get(l).cloned().unwrap_or_default());
    if titles.len() == 1 {
        out.push_str(&format!("    title: {}\n", yaml::quoted(&titles[0].1)));
    } else {
        out.push_str("    title:\n");
        for (l, t) in &titles {
            out.push_str(&format!("      {l}: {}\n", yaml::quoted(t)));
        }
    }
    let texts = pick(&|l| {
        new.paras
            .get(l)
            .map(|ps| markdown(ps, true))
            .unwrap_or_default()
    });
    push_text(&mut out, "text", &texts);
    out
}

/// `key:` with a text for every language (one text when there is one language), as literal
/// blocks, under an `articles:` entry.
fn push_text(out: &mut String, key: &str, texts: &[(String, String)]) {
    if texts.len() == 1 {
        out.push_str(&format!("    {key}: {}", yaml::block(&texts[0].1, 6)));
    } else {
        out.push_str(&format!("    {key}:\n"));
        for (lang, t) in texts {
            out.push_str(&format!("      {lang}: {}", yaml::block(t, 8)));
        }
    }
}

/// pactum's own paragraphs of part `id` in `lang`.
fn ours_of(ours: &package::Docx, id: &str, lang: &str) -> Vec<Para> {
    let names: Vec<&str> = ours
        .anchors
        .iter()
        .filter(|a| a.id == id && a.lang == lang && a.kind == crate::write::docx::AnchorKind::Part)
        .map(|a| a.name.as_str())
        .collect();
    ours.paragraphs
        .iter()
        .filter(|p| {
            p.part.as_deref().is_some_and(|n| names.contains(&n)) && !p.text.trim().is_empty()
        })
        .cloned()
        .collect()
}

/// Whether part `id` in `lang` opens with a heading paragraph.
fn has_heading(doc: &Document, id: &str, lang: &str) -> bool {
    let Some(v) = doc.versions.iter().find(|v| v.lang == lang) else {
        return false;
    };
    match id {
        "signing" => v.signing.as_ref().is_some_and(|s| !s.heading.is_empty()),
        "preamble" => false,
        _ => v
            .articles
            .iter()
            .find(|a| a.id == id)
            .is_some_and(|a| !a.label.is_empty() || !a.heading.is_empty()),
    }
}

/// A part's paragraphs as the Markdown an `articles:` text is written in: its heading left
/// out, list items as `1.`/`-` items (an item's first paragraph its title when more follow).
fn markdown(paras: &[Para], heading: bool) -> String {
    let mut out: Vec<String> = Vec::new();
    let paras = if heading && !paras.is_empty() {
        &paras[1..]
    } else {
        paras
    };
    let marker_of = |t: &str| -> Option<(String, String)> {
        let (m, rest) = t.split_once('\t')?;
        let numbered = m.ends_with('.') && m[..m.len() - 1].chars().all(|c| c.is_ascii_digit());
        (numbered || m == "•").then(|| {
            let m = if numbered {
                m.to_string()
            } else {
                "-".to_string()
            };
            (m, rest.trim().to_string())
        })
    };
    let mut i = 0;
    let mut last_list = false;
    while i < paras.len() {
        let text = paras[i].text.trim();
        match marker_of(text) {
            Some((marker, rest)) => {
                // The item's other paragraphs: indented, with no marker of their own.
                let under: Vec<&Para> = paras[i + 1..]
                    .iter()
                    .take_while(|q| q.indented && marker_of(q.text.trim()).is_none())
                    .collect();
                let pad = " ".repeat(marker.chars().count() + 1);
                let mut s = if under.is_empty() {
                    format!("{marker} {rest}")
                } else {
                    format!("{marker} **{rest}**\\")
                };
                for q in &under {
                    s.push_str(&format!("\n{pad}{}", q.text.trim()));
                }
                // Items of one list stay together: no blank line between them.
                match out.last_mut() {
                    Some(last) if last_list => {
                        last.push('\n');
                        last.push_str(&s);
                    }
                    _ => out.push(s),
                }
                i += 1 + under.len();
                last_list = true;
            }
            None => {
                out.push(text.replace('\t', " "));
                i += 1;
                last_list = false;
            }
        }
    }
    out.join("\n\n")
}

/// A term value changed in one language of a text given per language: say so, with what the
/// other versions still say.
pub fn notes_on_languages(found: &mut Found, terms: &Terms) {
    let languages = terms.languages();
    if languages.len() < 2 {
        return;
    }
    for c in found
        .changes
        .iter_mut()
        .filter(|c| c.mapping == Mapping::TermValue && c.note.is_none())
    {
        let langs: Vec<&str> = c.lang.split(',').collect();
        if langs.len() >= languages.len() {
            continue;
        }
        let Some(term) = &c.term else { continue };
        let others: Vec<String> = languages
            .iter()
            .filter(|l| !langs.contains(&l.as_str()))
            .map(|l| {
                let v = crate::terms::in_language(&terms.value, l);
                let said = value_at(&v, term).unwrap_or_default();
                format!("{} “{said}”", language_name(l))
            })
            .collect();
        let names: Vec<String> = langs.iter().map(|l| language_name(l)).collect();
        c.note = Some(format!(
            "changed in {} only; the other versions still say: {}",
            names.join(" and "),
            others.join(", ")
        ));
    }
}

fn value_at(v: &serde_json::Value, path: &str) -> Option<String> {
    let mut node = v;
    for part in path.split('.') {
        let (key, idx) = part.split_once('[').map_or((part, ""), |(k, i)| (k, i));
        if !key.is_empty() {
            node = node.get(key)?;
        }
        for i in idx.split('[').filter(|s| !s.is_empty()) {
            node = node.get(i.trim_end_matches(']').parse::<usize>().ok()?)?;
        }
    }
    node.as_str()
        .map(str::to_string)
        .or_else(|| Some(node.to_string()))
}
