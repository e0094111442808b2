//! What changed between pactum's own DOCX of a round and the other side's copy of it.
//!
//! Both are read by the same reader ([`super::package`]). Paragraphs are grouped by the part
//! bookmark they stand in (a part's bookmark names the part and its language in pactum's own
//! copy's anchor table), and each group is compared paragraph by paragraph on its text with
//! every tracked change accepted, so tracked and untracked edits are found alike. Inside a
//! changed paragraph, a word-level comparison says whether every edit lies inside one term
//! value (pactum's copy knows where each value stands): then it is that value's new text.
//!
//! Before that, the articles they inserted are taken out of the part they stand in, and the
//! order of the parts is compared ([`super::order`]). Their bookmarks are read by their
//! copy's own anchor table when it has one.

use std::collections::{BTreeMap, HashMap};

use similar::{Algorithm, DiffOp};

use super::order::{Inserted, Placed, label_len, moves, split_inserted};
use super::package::{Docx, Para};
use super::{Change, Mapping, Note};
use crate::write::docx::{Anchor, AnchorKind};

/// What [`compare`] found.
#[derive(Debug, Default)]
pub struct Found {
    pub changes: Vec<Change>,
    pub notes: Vec<Note>,
    /// The parts whose standard text is replaced: (part id, lang) → its paragraphs as the
    /// other side left them, and (for the other languages) pactum's own.
    pub rewritten: BTreeMap<(String, String), Vec<Para>>,
    /// Articles they inserted, in their document's order: each language's paragraphs (its
    /// heading first) and the part or inserted article it follows.
    pub inserted: Vec<Inserted>,
    /// Parts they moved: id → the part it now follows (`after:`).
    pub moved: BTreeMap<String, String>,
    /// Every part and inserted article in their order (the first language's): where the
    /// `articles:` entries that order them go, in turn.
    pub order: Vec<Placed>,
    /// The ids given to the inserted articles, in turn.
    pub new_ids: Vec<String>,
}

/// A paragraph's key: its part's anchor (id and language), or none outside every part.
pub(super) type Key = Option<(String, String)>;

/// The changes from `ours` (pactum's copy) to `theirs`. `taken`: the ids an inserted
/// article's new id must not be (the template's parts, the terms' own articles).
pub fn compare(ours: &Docx, theirs: &Docx, taken: &[String]) -> Found {
    let anchors: HashMap<&str, &Anchor> =
        ours.anchors.iter().map(|a| (a.name.as_str(), a)).collect();
    let key = |p: &Para| -> Key {
        let a = anchors.get(p.part.as_deref()?)?;
        Some((a.id.clone(), a.lang.clone()))
    };
    // Their bookmarks are read by their copy's own anchor table (the same as ours, unless
    // another pactum numbered them), else by ours.
    let their_anchors: HashMap<&str, &Anchor> = if theirs.anchors.is_empty() {
        anchors.clone()
    } else {
        theirs
            .anchors
            .iter()
            .map(|a| (a.name.as_str(), a))
            .collect()
    };
    let their_key = |p: &Para| -> Key {
        let a = their_anchors.get(p.part.as_deref()?)?;
        Some((a.id.clone(), a.lang.clone()))
    };
    let part_name = |k: &Key| -> Option<String> {
        let (id, lang) = k.as_ref()?;
        (their_anchors.values())
            .find(|a| a.kind == AnchorKind::Part && a.id == *id && a.lang == *lang)
            .map(|a| a.name.clone())
    };
    let group = |paras: &[Para], accepted: bool, key: &dyn Fn(&Para) -> Key| {
        let mut out: Vec<(Key, Vec<Para>)> = Vec::new();
        for p in paras {
            let text = if accepted { &p.text } else { &p.was };
            if text.trim().is_empty() || (accepted && p.mark_deleted && p.text.trim().is_empty()) {
                continue;
            }
            let k = key(p);
            match out.iter_mut().find(|(x, _)| *x == k) {
                Some((_, v)) => v.push(p.clone()),
                None => out.push((k, vec![p.clone()])),
            }
        }
        out
    };
    let old = group(&ours.paragraphs, true, &key);
    let (kept, inserted, seqs) = split_inserted(&theirs.paragraphs, &old, &their_key, &part_name);
    let new = group(&kept, true, &their_key);
    let mut found = Found::default();
    for (k, old_paras) in &old {
        let new_paras = new
            .iter()
            .find(|(x, _)| x == k)
            .map(|(_, v)| v.as_slice())
            .unwrap_or_default();
        let from = found.changes.len();
        match k {
            // A whole article gone.
            Some((id, lang))
                if new_paras.is_empty()
                    && !matches!(id.as_str(), "title" | "preamble" | "annexes" | "signatures") =>
            {
                let (authors, dates, tracked) = authors(&deleted_in(theirs, k, &their_key));
                found.changes.push(Change {
                    mapping: Mapping::Omitted,
                    lang: lang.clone(),
                    part: id.clone(),
                    term: None,
                    before: texts(old_paras),
                    after: String::new(),
                    authors,
                    dates,
                    tracked,
                    note: None,
                });
            }
            _ => compare_part(k, old_paras, new_paras, &anchors, &mut found, old_paras),
        }
        // Deletions are by whoever deleted the paragraphs their copy still holds, tracked.
        let gone = deleted_in(theirs, k, &their_key);
        if !gone.is_empty() {
            let (authors, dates, tracked) = authors(&gone);
            for c in &mut found.changes[from..] {
                if c.after.is_empty() && !c.tracked {
                    c.authors = authors.clone();
                    c.dates = dates.clone();
                    c.tracked = tracked;
                }
            }
        }
    }
    let langs: Vec<String> = old
        .iter()
        .filter_map(|(k, _)| k.as_ref().map(|(_, l)| l.clone()))
        .fold(Vec::new(), |mut v, l| {
            if !l.is_empty() && !v.contains(&l) {
                v.push(l);
            }
            v
        });
    moves(&old, &new, inserted, &seqs, &langs, taken, &mut found);
    for (k, paras) in new.iter().filter(|(k, _)| !old.iter().any(|(x, _)| x == k)) {
        let (part, lang) = k.clone().unwrap_or_default();
        found.changes.push(unmapped(
            &part,
            &lang,
            "",
            &texts(paras),
            paras,
            "text outside every part pactum wrote",
        ));
    }
    for c in &theirs.comments {
        let (part, lang) = c
            .part
            .as_deref()
            .and_then(|p| their_anchors.get(p))
            .map(|a| (a.id.clone(), a.lang.clone()))
            .unwrap_or_default();
        found.notes.push(Note {
            author: c.author.clone(),
            date: c.date.clone(),
            text: c.text.clone(),
            anchored: c.anchored.clone(),
            part,
            lang,
        });
    }
    found
}

/// The paragraphs of part `k` that their copy holds as tracked deletions.
fn deleted_in<'a>(theirs: &'a Docx, k: &Key, key: &dyn Fn(&Para) -> Key) -> Vec<&'a Para> {
    theirs
        .paragraphs
        .iter()
        .filter(|p| p.mark_deleted && p.text.trim().is_empty() && key(p) == *k)
        .collect()
}

pub(super) fn texts(paras: &[Para]) -> String {
    paras
        .iter()
        .map(|p| p.text.trim())
        .collect::<Vec<_>>()
        .join("\n")
}

pub(super) fn authors(paras: &[&Para]) -> (Vec<String>, Vec<String>, bool) {
    let mut a: Vec<String> = Vec::new();
    let mut d: Vec<String> = Vec::new();
    for r in paras.iter().flat_map(|p| &p.revisions) {
        if !a.contains(&r.author) {
            a.push(r.author.clone());
        }
        if !d.contains(&r.date) {
            d.push(r.date.clone());
        }
    }
    let tracked = !a.is_empty();
    if !tracked {
        a.push("untracked".to_string());
    }
    (a, d, tracked)
}

pub(super) fn unmapped(
    part: &str,
    lang: &str,
    before: &str,
    after: &str,
    paras: &[Para],
    why: &str,
) -> Change {
    let refs: Vec<&Para> = paras.iter().collect();
    let (authors, dates, tracked) = authors(&refs);
    Change {
        mapping: Mapping::Unmapped,
        lang: lang.to_string(),
        part: part.to_string(),
        term: None,
        before: before.to_string(),
        after: after.to_string(),
        authors,
        dates,
        tracked,
        note: Some(why.to_string()),
    }
}

fn compare_part(
    key: &Key,
    old: &[Para],
    new: &[Para],
    anchors: &HashMap<&str, &Anchor>,
    found: &mut Found,
    all: &[Para],
) {
    let (part, lang) = key.clone().unwrap_or_default();
    let old_texts: Vec<&str> = old.iter().map(|p| p.was.trim()).collect();
    let new_texts: Vec<&str> = new.iter().map(|p| p.text.trim()).collect();
    // A heading's article number is pactum's to give: renumbered by hand, it is no change.
    fn keys<'a>(paras: &[Para], texts: &[&'a str]) -> Vec<&'a str> {
        (paras.iter().zip(texts))
            .map(|(p, t)| match p.heading {
                true => &t[label_len(t, &[t])..],
                false => *t,
            })
            .collect()
    }
    let ops = similar::capture_diff_slices(
        Algorithm::Myers,
        &keys(old, &old_texts),
        &keys(new, &new_texts),
    );
    let mut rewrite = false;
    let mut changes = Vec::new();
    for op in ops {
        let (tag, o, n) = op.as_tag_tuple();
        if tag == similar::DiffTag::Equal {
            continue;
        }
        let olds = &old[o.clone()];
        let news = &new[n.clone()];
        let mut touched: Vec<&Para> = news.iter().collect();
        // Tracked deletions leave their paragraphs behind with deleted marks.
        touched.extend(olds.iter());
        let (authors, dates, tracked) = authors(&touched);
        // A change of this stretch of the part, in this language, by these authors.
        let change = |mapping, lang: &str, term, before, after| Change {
            mapping,
            lang: lang.to_string(),
            part: part.clone(),
            term,
            before,
            after,
            authors: authors.clone(),
            dates: dates.clone(),
            tracked,
            note: None,
        };
        let whole_items = if news.is_empty() {
            items_of(olds, all, anchors)
        } else {
            None
        };
        // More paragraphs before than after: whole items deleted next to edited paragraphs.
        if o.len() > n.len()
            && !news.is_empty()
            && let Some((at, k)) = dropped(olds, news, old, anchors)
        {
            let kept: Vec<Para> = (olds[..at].iter().chain(&olds[at + k..]))
                .cloned()
                .collect();
            let mut sub = Found::default();
            let gone: Vec<Para> = olds[at..at + k].to_vec();
            compare_part(key, &gone, &[], anchors, &mut sub, old);
            compare_part(key, &kept, news, anchors, &mut sub, old);
            rewrite |= sub.rewritten.contains_key(&(part.clone(), lang.clone()));
            changes.extend(sub.changes);
            continue;
        }
        if o.len() == n.len() {
            for (a, b) in olds.iter().zip(news) {
                match values_edited(a, b.text.trim(), anchors) {
                    Some(edits) => {
                        for ValueEdit {
                            term,
                            lang: term_lang,
                            before,
                            after,
                            date,
                        } in edits
                        {
                            // A date's term is found by the proposal, which reads the date.
                            let mapping = if date {
                                Mapping::Date
                            } else {
                                Mapping::TermValue
                            };
                            let term = (!date).then_some(term);
                            changes.push(change(mapping, &term_lang, term, before, after));
                        }
                    }
                    None => {
                        rewrite = true;
                        changes.push(change(
                            Mapping::StandardText,
                            &lang,
                            None,
                            a.was.trim().to_string(),
                            b.text.trim().to_string(),
                        ));
                    }
                }
            }
        } else if let Some(entries) = whole_items {
            for (entry, text) in entries {
                let mapping = if entry.is_some() {
                    Mapping::ItemRemoved
                } else {
                    Mapping::StandardText
                };
                rewrite |= entry.is_none();
                changes.push(change(mapping, &lang, entry, text, String::new()));
            }
        } else {
            rewrite = true;
            let (before, after) = (old_texts[o].join("\n"), new_texts[n].join("\n"));
            changes.push(change(Mapping::StandardText, &lang, None, before, after));
        }
    }
    let rewritable = key.is_some() && !matches!(part.as_str(), "title" | "annexes" | "signatures");
    if rewrite && !rewritable {
        for c in &mut changes {
            if c.mapping == Mapping::StandardText {
                c.mapping = Mapping::Unmapped;
                c.note = Some(if key.is_none() {
                    "text outside every part pactum wrote (the signatures, letterheads)".into()
                } else {
                    format!("the {part} part's text is not the terms' to replace")
                });
            }
        }
    } else if rewrite {
        found
            .rewritten
            .insert((part.clone(), lang.clone()), new.to_vec());
    }
    found.changes.extend(changes);
}

/// Where in `olds` a run of whole list items (`k` paragraphs from `at`) was deleted, the rest
/// pairing with `news` one to one with each pair alike (half its words kept, or more).
fn dropped(
    olds: &[Para],
    news: &[Para],
    all: &[Para],
    anchors: &HashMap<&str, &Anchor>,
) -> Option<(usize, usize)> {
    let k = olds.len() - news.len();
    let mut best: Option<(f32, usize)> = None;
    for at in 0..=news.len() {
        if items_of(&olds[at..at + k], all, anchors).is_none() {
            continue;
        }
        let rest = olds[..at].iter().chain(&olds[at + k..]);
        let score = rest
            .zip(news)
            .map(|(a, b)| similar::TextDiff::from_words(a.was.trim(), b.text.trim()).ratio())
            .fold(1.0f32, f32::min);
        if score >= 0.5 && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, at));
        }
    }
    best.map(|(_, at)| (at, k))
}

/// The list items `gone` (a run of deleted paragraphs) is, whole: each with the term list
/// entry it printed (`fields[4]`: every value in it from that one entry), and its text.
/// `None` when the paragraphs are not whole items.
fn items_of(
    gone: &[Para],
    all: &[Para],
    anchors: &HashMap<&str, &Anchor>,
) -> Option<Vec<(Option<String>, String)>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < gone.len() {
        let item = gone[i].items.last()?;
        let of_item: Vec<&Para> = all.iter().filter(|p| p.items.contains(item)).collect();
        let n = of_item.len();
        if gone.len() < i + n || !gone[i..i + n].iter().zip(&of_item).all(|(a, b)| a == *b) {
            return None;
        }
        let mut entry: Option<String> = None;
        let mut one = true;
        for (_, _, name) in of_item.iter().flat_map(|p| &p.values) {
            let path = anchors
                .get(name.as_str())
                .map(|a| a.id.as_str())
                .unwrap_or_default();
            let prefix = path.rfind(']').map(|e| &path[..=e]).unwrap_or_default();
            match &entry {
                _ if prefix.is_empty() => one = false,
                None => entry = Some(prefix.to_string()),
                Some(e) if e != prefix => one = false,
                _ => {}
            }
        }
        let text = of_item
            .iter()
            .map(|p| p.was.trim())
            .collect::<Vec<_>>()
            .join("\n");
        out.push((entry.filter(|_| one), text));
        i += n;
    }
    Some(out)
}

/// The term values `old` → `new` changes, when every edit lies inside one value: (term,
/// language, before, after) each. `None` when some edit touches the text around them.
/// A term value edited inside its control: the term's path (a date's, when known) and
/// language, the text before and after, and whether it is a printed date (read back by the
/// proposal).
struct ValueEdit {
    term: String,
    lang: String,
    before: String,
    after: String,
    date: bool,
}

fn values_edited(
    old: &Para,
    new: &str,
    anchors: &HashMap<&str, &Anchor>,
) -> Option<Vec<ValueEdit>> {
    let before = old.was.as_str();
    let lead = before.len() - before.trim_start().len();
    let before = before.trim();
    use unicode_segmentation::UnicodeSegmentation;
    let old_tokens: Vec<&str> = before.split_word_bounds().collect();
    let new_tokens: Vec<&str> = new.split_word_bounds().collect();
    let diff_ops = similar::capture_diff_slices(Algorithm::Myers, &old_tokens, &new_tokens);
    let offsets = |tokens: &[&str]| {
        let mut v = Vec::with_capacity(tokens.len() + 1);
        let mut at = 0;
        v.push(0);
        for t in tokens {
            at += t.len();
            v.push(at);
        }
        v
    };
    let (oo, no) = (offsets(&old_tokens), offsets(&new_tokens));
    type Span = (usize, usize);
    let ops: Vec<(similar::DiffTag, Span, Span)> = diff_ops
        .iter()
        .map(|op: &DiffOp| {
            let (t, o, n) = op.as_tag_tuple();
            (t, (oo[o.start], oo[o.end]), (no[n.start], no[n.end]))
        })
        .collect();
    let values: Vec<(usize, usize, &str)> = old
        .values
        .iter()
        .filter_map(|(s, e, name)| {
            let s = s.checked_sub(lead)?;
            let e = (*e - lead).min(before.len());
            Some((s, e, name.as_str()))
        })
        .collect();
    // Each changed op inside one value.
    let mut hit: Vec<usize> = Vec::new();
    for (t, (a, b), _) in &ops {
        if *t == similar::DiffTag::Equal {
            continue;
        }
        let inside = values.iter().position(|(s, e, _)| {
            if a == b {
                s < a && a < e
            } else {
                s <= a && b <= e
            }
        })?;
        if !hit.contains(&inside) {
            hit.push(inside);
        }
    }
    let map = |pos: usize, end: bool| -> usize {
        for (t, (a, b), (c, d)) in &ops {
            if *t == similar::DiffTag::Equal && *a <= pos && pos <= *b {
                return c + (pos - a);
            }
            if !end && *a == pos {
                return *c;
            }
            if end && *b == pos {
                return *d;
            }
        }
        new.len()
    };
    let mut out = Vec::new();
    for i in hit {
        let (s, e, name) = values[i];
        let (ns, ne) = (map(s, false), map(e, true));
        let after = new.get(ns..ne)?.to_string();
        let a = anchors.get(name)?;
        if !matches!(a.kind, AnchorKind::Term | AnchorKind::Date) {
            return None;
        }
        out.push(ValueEdit {
            term: a.id.clone(),
            lang: a.lang.clone(),
            before: before[s..e].to_string(),
            after,
            date: a.kind == AnchorKind::Date,
        });
    }
    Some(out)
}
