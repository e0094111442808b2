//! The redline as a document: two rounds' document models merged into one, printed with the
//! agreement's own layout (numbers, bullets, titles, references and the signature table as in
//! the agreement) and with every change marked in place.
//!
//! Owns [`redline`]. Versions are paired by language. Articles are matched by id (Patience over
//! the id sequences): an id only in the new round is inserted, only in the old deleted, and one
//! outside the common subsequence moved. Inside an article, blocks are matched by position
//! among the blocks that changed; list items likewise, except that several old items whose
//! words make one new item are a merged item, and one old item whose words make several new
//! ones is a split item. Each matched pair of texts is word-diffed by
//! [`super::content`]. The notes ("Moved from Article 4", "新增") are in each version's language.

use std::collections::{BTreeMap, HashSet};
use std::ops::Range;
use std::time::{Duration, Instant};

use similar::{Algorithm, DiffTag};

use super::content::{diff, diff_parts, whole};
use super::words::SegmentKind;
use crate::model::{
    Annex, Annexes, Article, Block, Change, ChangeKind, Content, Document, Item, List, Section,
    Signatory, Signatures, SigningParty, TitleBlock, TitleParty, Version, Words, plain,
};

/// Budget for the whole redline; past it, word diffs become coarse (and are flagged).
pub const TOTAL_TIMEOUT: Duration = Duration::from_secs(4);

/// Several old list items whose words make up at least this share of one new item's (and
/// the other way round) are shown as merged into it.
const MERGE_OVERLAP: f32 = 0.6;

/// The redline of two documents.
pub struct Merged {
    pub doc: Document,
    /// Some word diff hit its deadline.
    pub approximate: bool,
}

struct Ctx<'a> {
    deadline: Instant,
    words: &'a Words,
    approximate: bool,
}

impl Ctx<'_> {
    fn text(&mut self, old: &Content, new: &Content) -> Content {
        if old == new {
            return new.clone();
        }
        let d = diff(old, new, self.deadline);
        self.approximate |= d.approximate;
        d.parts.into_iter().next().unwrap_or_default()
    }

    fn note(&self, kind: ChangeKind, detail: &str) -> Change {
        let w = self.words;
        let note = match kind {
            ChangeKind::Inserted => w.inserted.clone(),
            ChangeKind::Deleted => w.deleted.clone(),
            ChangeKind::Moved => w.moved_from.replace("{label}", detail),
            ChangeKind::Merged => w.merged.replace("{items}", detail),
            ChangeKind::Split => w.split.replace("{n}", detail),
        };
        Change { kind, note }
    }
}

/// The new document with the old one's text merged in: every version the new round has (a
/// version only the old round has at the end, all deleted). `words` gives each language's
/// notes; a language without words gets English's.
pub fn redline(old: &Document, new: &Document, words: &BTreeMap<String, Words>) -> Merged {
    let deadline = Instant::now() + TOTAL_TIMEOUT;
    let mut approximate = false;
    let fallback = words.get("en").or_else(|| words.values().next());
    let mut versions = Vec::new();
    let mut pairs: Vec<(Option<&Version>, Option<&Version>)> = new
        .versions
        .iter()
        .map(|v| (old.versions.iter().find(|o| o.lang == v.lang), Some(v)))
        .collect();
    for v in &old.versions {
        if !new.versions.iter().any(|n| n.lang == v.lang) {
            pairs.push((Some(v), None));
        }
    }
    for (o, n) in pairs {
        let lang = n.or(o).map(|v| v.lang.as_str()).unwrap_or("en");
        let Some(w) = words.get(lang).or(fallback) else {
            continue;
        };
        let mut ctx = Ctx {
            deadline,
            words: w,
            approximate: false,
        };
        let v = match (o, n) {
            (Some(o), Some(n)) => version(&mut ctx, o, n),
            (Some(o), None) => wholly(&mut ctx, o, SegmentKind::Delete),
            (None, Some(n)) => wholly(&mut ctx, n, SegmentKind::Insert),
            (None, None) => continue,
        };
        approximate |= ctx.approximate;
        versions.push(v);
    }
    let mut ctx = Ctx {
        deadline,
        words: fallback.unwrap_or_else(|| unreachable_words()),
        approximate: false,
    };
    let signatures = signatures(&mut ctx, &old.signatures, &new.signatures);
    approximate |= ctx.approximate;
    Merged {
        doc: Document {
            versions,
            signatures,
            redline: None,
            ..new.clone()
        },
        approximate,
    }
}

/// Words for a redline of documents whose template has none (never the case for the built-in
/// templates, whose `shared/words/en.yaml` always exists).
fn unreachable_words() -> &'static Words {
    static WORDS: std::sync::OnceLock<Words> = std::sync::OnceLock::new();
    WORDS.get_or_init(|| {
        serde_yaml_ng::from_str(include_str!("../../templates/shared/words/en.yaml"))
            .expect("the built-in English words parse")
    })
}

fn version(ctx: &mut Ctx, o: &Version, n: &Version) -> Version {
    Version {
        title: title(ctx, &o.title, &n.title),
        preamble: blocks(ctx, &o.preamble, &n.preamble),
        articles: articles(ctx, &o.articles, &n.articles),
        signing: match (&o.signing, &n.signing) {
            (Some(a), Some(b)) => Some(section(ctx, a, b)),
            (None, Some(b)) => Some(whole_section(b, SegmentKind::Insert)),
            (Some(a), None) => Some(whole_section(a, SegmentKind::Delete)),
            (None, None) => None,
        },
        annexes: annexes(ctx, o.annexes.as_ref(), n.annexes.as_ref()),
        ..n.clone()
    }
}

/// A version only one round has: all of it inserted or deleted.
fn wholly(ctx: &mut Ctx, v: &Version, kind: SegmentKind) -> Version {
    let empty = Version {
        preamble: Vec::new(),
        articles: Vec::new(),
        signing: None,
        annexes: None,
        ..v.clone()
    };
    let (o, n) = match kind {
        SegmentKind::Delete => (v, &empty),
        _ => (&empty, v),
    };
    let mut out = version(ctx, o, n);
    if kind == SegmentKind::Delete {
        out.articles = articles(ctx, &v.articles, &[]);
    }
    out
}

fn title(ctx: &mut Ctx, o: &TitleBlock, n: &TitleBlock) -> TitleBlock {
    let parties = pair_by_position(&o.parties, &n.parties)
        .into_iter()
        .map(|(a, b)| match (a, b) {
            (Some(a), Some(b)) => TitleParty {
                name: ctx.text(&a.name, &b.name),
                country: option(ctx, a.country.as_ref(), b.country.as_ref()),
            },
            (Some(a), None) => TitleParty {
                name: whole(&a.name, SegmentKind::Delete),
                country: a.country.as_ref().map(|c| whole(c, SegmentKind::Delete)),
            },
            (None, Some(b)) => TitleParty {
                name: whole(&b.name, SegmentKind::Insert),
                country: b.country.as_ref().map(|c| whole(c, SegmentKind::Insert)),
            },
            (None, None) => unreachable_pair(),
        })
        .collect();
    TitleBlock {
        title: ctx.text(&o.title, &n.title),
        subtitle: option(ctx, o.subtitle.as_ref(), n.subtitle.as_ref()),
        parties,
        ..n.clone()
    }
}

fn unreachable_pair() -> TitleParty {
    TitleParty {
        name: Vec::new(),
        country: None,
    }
}

fn option(ctx: &mut Ctx, o: Option<&Content>, n: Option<&Content>) -> Option<Content> {
    match (o, n) {
        (Some(a), Some(b)) => Some(ctx.text(a, b)),
        (Some(a), None) => Some(whole(a, SegmentKind::Delete)),
        (None, Some(b)) => Some(whole(b, SegmentKind::Insert)),
        (None, None) => None,
    }
}

/// Pairs by position: `(old, new)`, one side `None` past the shorter list.
fn pair_by_position<'a, T>(o: &'a [T], n: &'a [T]) -> Vec<(Option<&'a T>, Option<&'a T>)> {
    (0..o.len().max(n.len()))
        .map(|i| (o.get(i), n.get(i)))
        .collect()
}

fn articles(ctx: &mut Ctx, old: &[Article], new: &[Article]) -> Vec<Article> {
    let ops = similar::capture_diff_slices_by_key_deadline(
        Algorithm::Patience,
        old,
        new,
        |a: &Article| a.id.clone(),
        Some(ctx.deadline),
    );
    let old_ids: HashSet<&str> = old.iter().map(|a| a.id.as_str()).collect();
    let new_ids: HashSet<&str> = new.iter().map(|a| a.id.as_str()).collect();
    let mut out = Vec::new();
    for op in &ops {
        let (tag, old_range, new_range) = op.as_tag_tuple();
        if tag == DiffTag::Equal {
            for (i, j) in old_range.zip(new_range) {
                out.push(article(ctx, &old[i], &new[j], None));
            }
            continue;
        }
        for i in old_range {
            if !new_ids.contains(old[i].id.as_str()) {
                let mut a = whole_article(&old[i], SegmentKind::Delete);
                a.change = Some(ctx.note(ChangeKind::Deleted, ""));
                out.push(a);
            }
        }
        for j in new_range {
            match old.iter().find(|a| a.id == new[j].id) {
                Some(o) if old_ids.contains(o.id.as_str()) => {
                    let moved = ctx.note(ChangeKind::Moved, &o.label);
                    out.push(article(ctx, o, &new[j], Some(moved)));
                }
                _ => {
                    let mut a = whole_article(&new[j], SegmentKind::Insert);
                    a.change = Some(ctx.note(ChangeKind::Inserted, ""));
                    out.push(a);
                }
            }
        }
    }
    out
}

fn article(ctx: &mut Ctx, o: &Article, n: &Article, change: Option<Change>) -> Article {
    Article {
        was: (o.label != n.label).then(|| o.label.clone()),
        heading: ctx.text(&o.heading, &n.heading),
        blocks: blocks(ctx, &o.blocks, &n.blocks),
        change,
        ..n.clone()
    }
}

fn whole_article(a: &Article, kind: SegmentKind) -> Article {
    Article {
        heading: whole(&a.heading, kind),
        blocks: whole_blocks(&a.blocks, kind),
        ..a.clone()
    }
}

fn section(ctx: &mut Ctx, o: &Section, n: &Section) -> Section {
    Section {
        heading: ctx.text(&o.heading, &n.heading),
        blocks: blocks(ctx, &o.blocks, &n.blocks),
    }
}

fn whole_section(s: &Section, kind: SegmentKind) -> Section {
    Section {
        heading: whole(&s.heading, kind),
        blocks: whole_blocks(&s.blocks, kind),
    }
}

fn annexes(ctx: &mut Ctx, o: Option<&Annexes>, n: Option<&Annexes>) -> Option<Annexes> {
    let empty = Vec::new();
    let (o_items, n_items) = (
        o.map_or(&empty, |a| &a.items),
        n.map_or(&empty, |a| &a.items),
    );
    let base = n.or(o)?;
    let items = pair_by_position(o_items, n_items)
        .into_iter()
        .map(|pair| match pair {
            (Some(a), Some(b)) => Annex {
                title: ctx.text(&a.title, &b.title),
                blocks: blocks(ctx, &a.blocks, &b.blocks),
                ..b.clone()
            },
            (Some(a), None) => whole_annex(ctx, a, SegmentKind::Delete),
            (None, Some(b)) => whole_annex(ctx, b, SegmentKind::Insert),
            (None, None) => base.items[0].clone(),
        })
        .collect();
    let heading = match (o, n) {
        (Some(a), Some(b)) => ctx.text(&a.heading, &b.heading),
        (Some(a), None) => whole(&a.heading, SegmentKind::Delete),
        _ => whole(&base.heading, SegmentKind::Insert),
    };
    Some(Annexes {
        heading,
        items,
        ..base.clone()
    })
}

fn whole_annex(ctx: &Ctx, a: &Annex, kind: SegmentKind) -> Annex {
    let change = match kind {
        SegmentKind::Delete => ChangeKind::Deleted,
        _ => ChangeKind::Inserted,
    };
    Annex {
        title: whole(&a.title, kind),
        blocks: whole_blocks(&a.blocks, kind),
        change: Some(ctx.note(change, "")),
        ..a.clone()
    }
}

/// The runs of `old` and `new` that are the same (compared by `key`) and those that changed.
fn runs<T>(
    ctx: &Ctx,
    old: &[T],
    new: &[T],
    key: impl Fn(&T) -> String,
) -> Vec<(DiffTag, Range<usize>, Range<usize>)> {
    let old_keys: Vec<String> = old.iter().map(&key).collect();
    let new_keys: Vec<String> = new.iter().map(&key).collect();
    let ops = similar::capture_diff_slices_deadline(
        Algorithm::Myers,
        &old_keys,
        &new_keys,
        Some(ctx.deadline),
    );
    ops.iter().map(|op| op.as_tag_tuple()).collect()
}

/// Blocks matched in order: unchanged ones as they are, changed ones by position among the
/// changed, the rest inserted or deleted.
fn blocks(ctx: &mut Ctx, old: &[Block], new: &[Block]) -> Vec<Block> {
    if old == new {
        return new.to_vec();
    }
    let key = |b: &Block| plain::paragraphs(std::slice::from_ref(b)).join("\n");
    let mut out = Vec::new();
    for (tag, old_range, new_range) in runs(ctx, old, new, key) {
        if tag == DiffTag::Equal {
            out.extend(new[new_range].iter().cloned());
            continue;
        }
        let (o, n) = (&old[old_range], &new[new_range]);
        for pair in pair_by_position(o, n) {
            match pair {
                (Some(a), Some(b)) => out.extend(block(ctx, a, b)),
                (Some(a), None) => {
                    out.extend(whole_blocks(std::slice::from_ref(a), SegmentKind::Delete))
                }
                (None, Some(b)) => {
                    out.extend(whole_blocks(std::slice::from_ref(b), SegmentKind::Insert))
                }
                (None, None) => {}
            }
        }
    }
    out
}

fn block(ctx: &mut Ctx, o: &Block, n: &Block) -> Vec<Block> {
    match (o, n) {
        (Block::Paragraph { content: a }, Block::Paragraph { content: b }) => {
            vec![Block::Paragraph {
                content: ctx.text(a, b),
            }]
        }
        (Block::List(a), Block::List(b)) if a.ordered == b.ordered => {
            vec![Block::List(list(ctx, a, b))]
        }
        _ => {
            let mut out = whole_blocks(std::slice::from_ref(o), SegmentKind::Delete);
            out.extend(whole_blocks(std::slice::from_ref(n), SegmentKind::Insert));
            out
        }
    }
}

fn whole_blocks(blocks: &[Block], kind: SegmentKind) -> Vec<Block> {
    blocks
        .iter()
        .map(|b| match b {
            Block::Paragraph { content } => Block::Paragraph {
                content: whole(content, kind),
            },
            Block::List(l) => Block::List(List {
                ordered: l.ordered,
                items: l.items.iter().map(|i| whole_item(i, kind)).collect(),
            }),
        })
        .collect()
}

fn whole_item(i: &Item, kind: SegmentKind) -> Item {
    Item {
        title: i.title.as_ref().map(|t| whole(t, kind)),
        blocks: whole_blocks(&i.blocks, kind),
        ..i.clone()
    }
}

/// A list item's words, for matching: its title and text.
fn item_key(i: &Item) -> String {
    let mut text = i
        .title
        .as_ref()
        .map(|t| plain::inlines(t))
        .unwrap_or_default();
    for p in plain::paragraphs(&i.blocks) {
        text.push('\n');
        text.push_str(&p);
    }
    text
}

fn list(ctx: &mut Ctx, old: &List, new: &List) -> List {
    let mut items = Vec::new();
    for (tag, old_range, new_range) in runs(ctx, &old.items, &new.items, item_key) {
        if tag == DiffTag::Equal {
            items.extend(new.items[new_range].iter().cloned());
            continue;
        }
        let (o, n) = (&old.items[old_range.clone()], &new.items[new_range]);
        let (mut i, mut j) = (0, 0);
        while i < o.len() || j < n.len() {
            if i < o.len() && j < n.len() {
                // Several old items whose words make one new item, or the other way round.
                let grouped = (2..=3).find_map(|k| {
                    let merged = (i + k <= o.len())
                        .then(|| joined(ctx, &o[i..i + k], &n[j..j + 1], old_range.start + i))
                        .flatten()
                        .map(|items| (items, k, 1));
                    merged.or_else(|| {
                        (j + k <= n.len())
                            .then(|| joined(ctx, &o[i..i + 1], &n[j..j + k], old_range.start + i))
                            .flatten()
                            .map(|items| (items, 1, k))
                    })
                });
                if let Some((joined, used_old, used_new)) = grouped {
                    items.extend(joined);
                    i += used_old;
                    j += used_new;
                    continue;
                }
                items.push(item(ctx, &o[i], &n[j]));
                i += 1;
                j += 1;
            } else if i < o.len() {
                let mut gone = whole_item(&o[i], SegmentKind::Delete);
                gone.change = Some(ctx.note(ChangeKind::Deleted, ""));
                items.push(gone);
                i += 1;
            } else {
                let mut added = whole_item(&n[j], SegmentKind::Insert);
                added.change = Some(ctx.note(ChangeKind::Inserted, ""));
                items.push(added);
                j += 1;
            }
        }
    }
    List {
        ordered: new.ordered,
        items,
    }
}

fn item(ctx: &mut Ctx, o: &Item, n: &Item) -> Item {
    Item {
        title: option(ctx, o.title.as_ref(), n.title.as_ref()),
        blocks: blocks(ctx, &o.blocks, &n.blocks),
        ..n.clone()
    }
}

/// Plain items (one paragraph, no title) several of which became one, or one of which became
/// several, with the same words: the merged or split items, marked as such. `first` is the
/// old position of the first of `old`.
fn joined(ctx: &mut Ctx, old: &[Item], new: &[Item], first: usize) -> Option<Vec<Item>> {
    if !(old.len() >= 2 && new.len() == 1 || old.len() == 1 && new.len() >= 2) {
        return None;
    }
    let o: Vec<&Content> = old.iter().map(simple).collect::<Option<_>>()?;
    let n: Vec<&Content> = new.iter().map(simple).collect::<Option<_>>()?;
    let (ow, nw) = (words(&o), words(&n));
    let common = ow.iter().filter(|w| nw.contains(w)).count();
    let share = |n: usize| common as f32 / n.max(1) as f32;
    if share(ow.len()) < MERGE_OVERLAP || share(nw.len()) < MERGE_OVERLAP {
        return None;
    }
    let d = diff_parts(&o, &n, ctx.deadline);
    ctx.approximate |= d.approximate;
    let note = if new.len() == 1 {
        let numbers: Vec<String> = (first..first + old.len())
            .map(|i| ctx.words.numbered("{n}", i as u32 + 1))
            .collect();
        ctx.note(ChangeKind::Merged, &join_numbers(&numbers, ctx.words))
    } else {
        let n = ctx.words.numbered("{n}", first as u32 + 1);
        ctx.note(ChangeKind::Split, &n)
    };
    Some(
        new.iter()
            .zip(d.parts)
            .map(|(item, content)| Item {
                blocks: vec![Block::Paragraph { content }],
                change: Some(note.clone()),
                ..item.clone()
            })
            .collect(),
    )
}

/// The words of some texts, lower-cased, for measuring how much two share: runs of letters and
/// digits, each Han character a word of its own.
fn words(parts: &[&Content]) -> Vec<String> {
    let mut out = Vec::new();
    for part in parts {
        let mut word = String::new();
        for c in plain::inlines(part).chars() {
            let han = ('\u{3400}'..='\u{9fff}').contains(&c);
            if c.is_alphanumeric() && !han {
                word.extend(c.to_lowercase());
                continue;
            }
            if !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            if han {
                out.push(c.to_string());
            }
        }
        if !word.is_empty() {
            out.push(word);
        }
    }
    out
}

/// The text of a plain item: no title, one paragraph.
fn simple(i: &Item) -> Option<&Content> {
    match (&i.title, i.blocks.as_slice()) {
        (None, [Block::Paragraph { content }]) => Some(content),
        _ => None,
    }
}

/// "2 and 3", "2, 3 and 4" (Chinese "2、3及4").
fn join_numbers(numbers: &[String], words: &Words) -> String {
    match numbers {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => {
            let sep = if words.text.cjk { "、" } else { ", " };
            // A list's "and" (Polish "i"), not the one between two parties ("a").
            let and = if words.text.cjk {
                "及".to_string()
            } else {
                format!(" {} ", words.join_and.as_ref().unwrap_or(&words.and))
            };
            format!("{}{and}{last}", rest.join(sep))
        }
    }
}

fn signatures(ctx: &mut Ctx, o: &Signatures, n: &Signatures) -> Signatures {
    let parties = pair_by_position(&o.parties, &n.parties)
        .into_iter()
        .filter_map(|pair| match pair {
            (Some(a), Some(b)) => Some(SigningParty {
                for_lines: contents(ctx, &a.for_lines, &b.for_lines),
                people: signatories(ctx, &a.people, &b.people),
            }),
            (Some(a), None) => Some(whole_party(a, SegmentKind::Delete)),
            (None, Some(b)) => Some(whole_party(b, SegmentKind::Insert)),
            (None, None) => None,
        })
        .collect();
    Signatures {
        parties,
        witnesses: signatories(ctx, &o.witnesses, &n.witnesses),
        witnesses_label: n.witnesses_label.clone().or(o.witnesses_label.clone()),
        ..n.clone()
    }
}

fn contents(ctx: &mut Ctx, o: &[Content], n: &[Content]) -> Vec<Content> {
    pair_by_position(o, n)
        .into_iter()
        .filter_map(|pair| option(ctx, pair.0, pair.1))
        .collect()
}

fn signatories(ctx: &mut Ctx, o: &[Signatory], n: &[Signatory]) -> Vec<Signatory> {
    pair_by_position(o, n)
        .into_iter()
        .filter_map(|pair| match pair {
            (Some(a), Some(b)) => Some(Signatory {
                capacity: b.capacity.clone(),
                names: contents(ctx, &a.names, &b.names),
                titles: contents(ctx, &a.titles, &b.titles),
                affiliation: contents(ctx, &a.affiliation, &b.affiliation),
                place_date: contents(ctx, &a.place_date, &b.place_date),
                dated: b.dated,
            }),
            (Some(a), None) => Some(whole_signatory(a, SegmentKind::Delete)),
            (None, Some(b)) => Some(whole_signatory(b, SegmentKind::Insert)),
            (None, None) => None,
        })
        .collect()
}

fn whole_signatory(s: &Signatory, kind: SegmentKind) -> Signatory {
    let all = |c: &[Content]| c.iter().map(|x| whole(x, kind)).collect();
    Signatory {
        capacity: s.capacity.clone(),
        names: all(&s.names),
        titles: all(&s.titles),
        affiliation: all(&s.affiliation),
        place_date: all(&s.place_date),
        dated: s.dated,
    }
}

fn whole_party(p: &SigningParty, kind: SegmentKind) -> SigningParty {
    SigningParty {
        for_lines: p.for_lines.iter().map(|x| whole(x, kind)).collect(),
        people: p.people.iter().map(|s| whole_signatory(s, kind)).collect(),
    }
}
