//! The parity check: whether the language versions of one agreement say the same things.
//!
//! Owns [`check`], which reads an assembled [`Document`] and each language's [`Words`] (and
//! the parties' names, [`Names`]) and nothing else. The versions are aligned by the model's
//! own structure, never by guessing: articles by id, annexes by number, and within an article
//! block by block and list item by list item when every version has the same blocks and lists
//! (else the article is compared whole and its lists' lengths are a finding). In each aligned
//! part every version must have the same numbers (a count of a unit, a percentage, an amount
//! with its currency), dates (ROC years and Chinese numerals read as such), references to
//! articles and parties named. How a language writes each of these is its words' business
//! ([`scan`]); what is compared is the value, so "a year" matches "12 months" and "third"
//! matches 3.
//!
//! A [`Finding`] says where ("Article 6, item 2") and what differs ("30 in sv, 60 in en, 30 in
//! zh-TW"), and which version is the odd one out, with the text to find in the terms: the
//! caller ([`crate::pipeline`]) points each finding at its terms line.

pub mod numerals;
pub mod scan;

use std::collections::BTreeMap;

use crate::model::{self, Block, Document, Inline, Words};
use scan::{Category, Fact, Found, Reader};

/// Each party's names (official and short) in each language, by language code.
#[derive(Debug, Clone, Default)]
pub struct Names {
    pub parties: Vec<BTreeMap<String, Vec<String>>>,
}

/// One thing the versions do not agree on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The part of the agreement: an article's id, `preamble`, `title`, `signing`,
    /// `annex-N`: what `parity: {accept: […]}` names.
    pub unit: String,
    /// Where, for a reader: "Article 6", "Article 6, item 2", "Preamble".
    pub place: String,
    pub category: Category,
    /// "Article 6: 30 in sv, 60 in en, 30 in zh-TW".
    pub message: String,
    /// The version that differs from the others.
    pub odd: String,
    /// What it says there, as written (none when it lacks what the others have).
    pub surface: Option<String>,
    /// The part's whole text in the odd version (to tell which of the terms says it).
    pub context: String,
    /// What another version says where the odd one says nothing: its language, what it says
    /// as written, and the part's whole text in it.
    pub evidence: Option<(String, String, String)>,
}

/// One aligned part of the agreement, in every version.
struct Part {
    unit: String,
    place: String,
    /// Per version: the text, and the lengths of its lists in order.
    texts: Vec<String>,
    lists: Vec<Vec<usize>>,
}

/// Every finding in `doc`.
pub fn check(doc: &Document, words: &BTreeMap<String, Words>, names: &Names) -> Vec<Finding> {
    let versions: Vec<&model::Version> = doc
        .versions
        .iter()
        .filter(|v| words.contains_key(&v.lang))
        .collect();
    if versions.len() < 2 {
        return Vec::new();
    }
    let langs: Vec<&str> = versions.iter().map(|v| v.lang.as_str()).collect();
    let readers: Vec<Reader> = langs.iter().map(|l| Reader::new(&words[*l])).collect();
    let mut out = Vec::new();
    for part in parts(&versions) {
        if part.lists.iter().any(|l| *l != part.lists[0]) {
            out.push(items_finding(&part, &langs));
        }
        let facts: Vec<Vec<Found>> = part
            .texts
            .iter()
            .zip(&readers)
            .enumerate()
            .map(|(i, (text, reader))| {
                let mut found = reader.read(text);
                found.extend(parties_in(text, langs[i], names, words[langs[i]].text.cjk));
                covered(found)
            })
            .collect();
        out.extend(compare(&part, &langs, &facts));
    }
    out
}

/// The parts of the versions, aligned.
fn parts(versions: &[&model::Version]) -> Vec<Part> {
    let first = versions[0];
    let mut out = Vec::new();
    let all = |f: &dyn Fn(&model::Version) -> (String, Vec<usize>)| {
        let (texts, lists) = versions.iter().map(|v| f(v)).unzip();
        (texts, lists)
    };
    let (texts, lists) = all(&|v| {
        let mut t = model::plain::inlines(&v.title.title);
        if let Some(s) = &v.title.subtitle {
            t.push('\n');
            t.push_str(&model::plain::inlines(s));
        }
        (t, Vec::new())
    });
    out.push(Part {
        unit: "title".into(),
        place: "Title".into(),
        texts,
        lists,
    });
    split(
        "preamble",
        "Preamble",
        &versions
            .iter()
            .map(|v| v.preamble.as_slice())
            .collect::<Vec<_>>(),
        &mut out,
    );
    for article in &first.articles {
        let found: Option<Vec<&model::Article>> = versions
            .iter()
            .map(|v| v.articles.iter().find(|a| a.id == article.id))
            .collect();
        let Some(found) = found else { continue };
        let place = if article.label.is_empty() {
            model::plain::inlines(&article.heading)
        } else {
            format!("Article {}", article.number)
        };
        out.push(Part {
            unit: article.id.clone(),
            place: format!("{place} (heading)"),
            texts: found
                .iter()
                .map(|a| model::plain::inlines(&a.heading))
                .collect(),
            lists: vec![Vec::new(); found.len()],
        });
        let blocks: Vec<&[Block]> = found.iter().map(|a| a.blocks.as_slice()).collect();
        split(&article.id, &place, &blocks, &mut out);
    }
    let signing: Option<Vec<&[Block]>> = versions
        .iter()
        .map(|v| v.signing.as_ref().map(|s| s.blocks.as_slice()))
        .collect();
    if let Some(signing) = signing {
        split("signing", "Signing", &signing, &mut out);
    }
    if let Some(annexes) = &first.annexes {
        for annex in &annexes.items {
            let found: Option<Vec<&model::Annex>> = versions
                .iter()
                .map(|v| {
                    v.annexes
                        .as_ref()?
                        .items
                        .iter()
                        .find(|a| a.number == annex.number)
                })
                .collect();
            let Some(found) = found else { continue };
            let unit = format!("annex-{}", annex.number);
            let place = format!("Annex {}", annex.number);
            out.push(Part {
                unit: unit.clone(),
                place: format!("{place} (title)"),
                texts: found
                    .iter()
                    .map(|a| model::plain::inlines(&a.title))
                    .collect(),
                lists: vec![Vec::new(); found.len()],
            });
            let blocks: Vec<&[Block]> = found.iter().map(|a| a.blocks.as_slice()).collect();
            split(&unit, &place, &blocks, &mut out);
        }
    }
    out
}

/// The blocks of one part in every version: block by block and item by item when every
/// version has the same shape, else whole.
fn split(unit: &str, place: &str, blocks: &[&[Block]], out: &mut Vec<Part>) {
    let shapes: Vec<String> = blocks.iter().map(|b| shape(b)).collect();
    if shapes.iter().all(|s| *s == shapes[0]) {
        let paragraphs = blocks[0].len();
        for i in 0..paragraphs {
            match &blocks[0][i] {
                Block::Paragraph { .. } => {
                    let texts = blocks.iter().map(|b| block_text(&b[i])).collect();
                    out.push(Part {
                        unit: unit.to_string(),
                        place: place.to_string(),
                        texts,
                        lists: vec![Vec::new(); blocks.len()],
                    });
                }
                Block::List(list) => {
                    for j in 0..list.items.len() {
                        let texts = blocks
                            .iter()
                            .map(|b| match &b[i] {
                                Block::List(l) => item_text(&l.items[j]),
                                other => block_text(other),
                            })
                            .collect();
                        out.push(Part {
                            unit: unit.to_string(),
                            place: format!("{place}, item {}", j + 1),
                            texts,
                            lists: vec![Vec::new(); blocks.len()],
                        });
                    }
                }
            }
        }
        return;
    }
    out.push(Part {
        unit: unit.to_string(),
        place: place.to_string(),
        texts: blocks
            .iter()
            .map(|b| b.iter().map(block_text).collect::<Vec<_>>().join("\n\n"))
            .collect(),
        lists: blocks
            .iter()
            .map(|b| {
                let mut lengths = Vec::new();
                list_lengths(b, &mut lengths);
                lengths
            })
            .collect(),
    });
}

/// The blocks' shape: paragraphs and lists, with their items' shapes.
fn shape(blocks: &[Block]) -> String {
    blocks
        .iter()
        .map(|b| match b {
            Block::Paragraph { .. } => "p".to_string(),
            Block::List(l) => {
                let items: Vec<String> = l.items.iter().map(|i| shape(&i.blocks)).collect();
                format!("l[{}]", items.join(","))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn list_lengths(blocks: &[Block], out: &mut Vec<usize>) {
    for b in blocks {
        if let Block::List(l) = b {
            out.push(l.items.len());
            for item in &l.items {
                list_lengths(&item.blocks, out);
            }
        }
    }
}

/// A block's text, without list markers (they number items, they say nothing).
fn block_text(block: &Block) -> String {
    match block {
        Block::Paragraph { content } => inline_text(content),
        Block::List(l) => l.items.iter().map(item_text).collect::<Vec<_>>().join("\n"),
    }
}

fn item_text(item: &model::Item) -> String {
    let mut t = item.title.as_deref().map(inline_text).unwrap_or_default();
    for b in &item.blocks {
        t.push('\n');
        t.push_str(&block_text(b));
    }
    t
}

/// Inline text, struck text left out (a redline's).
fn inline_text(content: &[Inline]) -> String {
    let kept: Vec<Inline> = content
        .iter()
        .filter(|i| !matches!(i, Inline::Del { .. }))
        .cloned()
        .collect();
    model::plain::inlines(&kept)
}

/// The parties that `text` names, in `lang`'s names for them (`cjk`: a text that writes
/// words without spaces between them, where a Latin name may follow a Latin word directly).
/// The longest names are found first, and a name inside one already found is no other
/// mention ("Berg" in "Berg (Bayern)", the other party's name).
fn parties_in(text: &str, lang: &str, names: &Names, cjk: bool) -> Vec<Found> {
    let mut candidates: Vec<(usize, &String)> = (names.parties.iter().enumerate())
        .filter_map(|(i, party)| Some((i, party.get(lang)?)))
        .flat_map(|(i, list)| list.iter().map(move |name| (i, name)))
        .filter(|(_, name)| !name.trim().is_empty())
        .collect();
    candidates.sort_by_key(|(_, name)| std::cmp::Reverse(name.len()));
    // A name starts a word (a Swedish genitive may end it: "Lunds"); Han needs no spaces.
    let starts_word = |at: usize| {
        !text[..at]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() && (c as u32) < 0x3000)
    };
    let mut taken: Vec<std::ops::Range<usize>> = Vec::new();
    let mut out: Vec<Found> = Vec::new();
    for (i, name) in candidates {
        let han = name.starts_with(|c: char| (c as u32) >= 0x3000);
        for (at, _) in text.match_indices(name.as_str()) {
            let range = at..at + name.len();
            if !(cjk || han || starts_word(at))
                || taken
                    .iter()
                    .any(|t| t.start < range.end && range.start < t.end)
            {
                continue;
            }
            taken.push(range);
            if !out.iter().any(|f| f.fact == Fact::Party(i)) {
                out.push(Found {
                    fact: Fact::Party(i),
                    surface: name.clone(),
                });
            }
        }
    }
    out.sort_by_key(|f| match f.fact {
        Fact::Party(i) => i,
        _ => 0,
    });
    out
}

/// The facts of one version with repeats and covered numbers removed: a plain number that a
/// count, percentage, amount or date of the same version is written with says nothing more.
fn covered(found: Vec<Found>) -> Vec<Found> {
    let mut out: Vec<Found> = Vec::new();
    for f in &found {
        if out.iter().any(|o| o.fact == f.fact) {
            continue;
        }
        if let Fact::Plain(v) = &f.fact {
            let said = found.iter().any(|o| match &o.fact {
                Fact::Count { raw, .. } => raw == v,
                Fact::Percent(p) => p == v,
                Fact::Amount { value, .. } => value == v,
                Fact::Date { y, d, .. } => y.to_string() == *v || d.to_string() == *v,
                _ => false,
            });
            if said {
                continue;
            }
        }
        out.push(f.clone());
    }
    out
}

/// The findings of one part: per category, the facts some versions have and others lack.
fn compare(part: &Part, langs: &[&str], facts: &[Vec<Found>]) -> Vec<Finding> {
    let mut out = Vec::new();
    for category in [
        Category::Number,
        Category::Date,
        Category::Name,
        Category::Reference,
    ] {
        // Each differing fact: its version, and which versions have it.
        let mut differing: Vec<(usize, &Found, Vec<usize>)> = Vec::new();
        for (v, found) in facts.iter().enumerate() {
            for f in found.iter().filter(|f| f.fact.category() == category) {
                let holders: Vec<usize> = (0..facts.len())
                    .filter(|w| facts[*w].iter().any(|g| f.fact.matches(&g.fact)))
                    .collect();
                if holders.len() < facts.len() {
                    differing.push((v, f, holders));
                }
            }
        }
        if differing.is_empty() {
            continue;
        }
        let show = |f: &Found| match f.fact {
            Fact::Party(_) => f.surface.clone(),
            _ => f.fact.show(),
        };
        let said: Vec<String> = (0..facts.len())
            .map(|v| {
                let mut values: Vec<String> = Vec::new();
                for (_, f, _) in differing.iter().filter(|(w, _, _)| *w == v) {
                    let s = show(f);
                    if !values.contains(&s) {
                        values.push(s);
                    }
                }
                let values = if values.is_empty() {
                    "none".to_string()
                } else {
                    values.join(", ")
                };
                format!("{values} in {}", langs[v])
            })
            .collect();
        let what = match category {
            Category::Date => "dates: ",
            Category::Name => "parties named: ",
            Category::Reference => "references: ",
            _ => "",
        };
        // The odd one out: a version with what the fewest others have, else one that lacks
        // what most have; of two alike, not the first (the others are its translations).
        let n = facts.len();
        let minority = differing
            .iter()
            .filter(|(_, _, h)| h.len() * 2 < n || (h.len() * 2 == n && !h.contains(&0)))
            .min_by_key(|(v, _, h)| (h.len(), *v == 0));
        let (odd, surface, evidence) = match minority {
            Some((v, f, _)) => (*v, Some(f.surface.clone()), None),
            None => {
                let (v, f, holders) = &differing[0];
                let odd = (0..n).rev().find(|w| !holders.contains(w)).unwrap_or(0);
                let evidence = (
                    langs[*v].to_string(),
                    f.surface.clone(),
                    part.texts[*v].clone(),
                );
                (odd, None, Some(evidence))
            }
        };
        out.push(Finding {
            unit: part.unit.clone(),
            place: part.place.clone(),
            category,
            message: format!("{}: {what}{}", part.place, said.join(", ")),
            odd: langs[odd].to_string(),
            surface,
            context: part.texts[odd].clone(),
            evidence,
        });
    }
    out
}

/// The finding of a part whose versions' lists differ in length.
fn items_finding(part: &Part, langs: &[&str]) -> Finding {
    let count = |l: &Vec<usize>| l.iter().sum::<usize>();
    let said: Vec<String> = part
        .lists
        .iter()
        .zip(langs)
        .enumerate()
        .map(|(i, (l, lang))| {
            let items = if i == 0 { " list items" } else { "" };
            format!("{}{items} in {lang}", count(l))
        })
        .collect();
    let counts: Vec<usize> = part.lists.iter().map(count).collect();
    // The odd one: the version whose count the fewest others share.
    let odd = (0..counts.len())
        .rev()
        .min_by_key(|i| counts.iter().filter(|c| **c == counts[*i]).count())
        .unwrap_or(0);
    Finding {
        unit: part.unit.clone(),
        place: part.place.clone(),
        category: Category::Items,
        message: format!("{}: {}", part.place, said.join(", ")),
        odd: langs[odd].to_string(),
        surface: None,
        context: part.texts[odd].clone(),
        evidence: None,
    }
}
