//! The articles the other side inserted and the parts they moved, from the order of their
//! copy's paragraphs. A new heading that is none of pactum's opens an inserted article
//! ([`label_len`] knows the article label), which runs to the next part; the order of the
//! parts and inserted articles in their copy, compared with pactum's, gives the parts they
//! moved (a pasted copy's bookmark is read as the original's; a copy with no bookmark is
//! known by its heading, one of pactum's) and what each moved or inserted article now
//! follows. A language version that disagrees with the others is unmapped.

use std::collections::{BTreeMap, HashMap};

use similar::Algorithm;

use super::compare::{Found, Key, authors, texts, unmapped};
use super::package::Para;
use super::{Change, Mapping};

/// An article the other side inserted, in every language it stands in.
#[derive(Debug, Clone, Default)]
pub struct Inserted {
    /// language → its paragraphs, its heading first.
    pub paras: BTreeMap<String, Vec<Para>>,
    /// language → its title (the heading without its article label).
    pub titles: BTreeMap<String, String>,
    /// What it follows, in their order.
    pub after: Option<Placed>,
}

/// A part by its id, or an inserted article by its place in [`Found::inserted`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placed {
    Part(String),
    New(usize),
}

/// An article they inserted, in one language, before its paragraphs are matched across
/// languages: its paragraphs (heading first).
pub(super) struct Raw {
    lang: String,
    paras: Vec<Para>,
}

/// Where each language version's parts and inserted articles stand in their copy.
pub(super) type Sequences = BTreeMap<String, Vec<Placed>>;

/// Their paragraphs (tracked changes accepted, empty ones left out) with the articles they
/// inserted taken out; the inserted articles; and each language's order of parts and
/// inserted articles (an inserted one as `New(n)`, the n-th of that language).
///
/// An inserted article starts at a heading (a paragraph in a heading style, or one that opens
/// with the article label pactum's headings in that language open with: "Article 6") that is
/// none of pactum's headings, standing in a part after that part's own paragraphs began, or
/// before its heading; it runs to the part's own heading or the next inserted heading, or to
/// where the next part starts.
pub(super) fn split_inserted(
    paras: &[Para],
    old: &[(Key, Vec<Para>)],
    key: &dyn Fn(&Para) -> Key,
    part_name: &dyn Fn(&Key) -> Option<String>,
) -> (Vec<Para>, Vec<Raw>, Sequences) {
    let heading_of = |k: &Key| -> Option<String> {
        let (_, ps) = old.iter().find(|(x, _)| x == k)?;
        ps.first()
            .filter(|p| p.heading)
            .map(|p| p.was.trim().to_string())
    };
    let our_headings: Vec<(String, String)> = old
        .iter()
        .filter_map(|(k, ps)| Some((k.as_ref()?.1.clone(), ps)))
        .flat_map(|(l, ps)| {
            ps.iter()
                .filter(|p| p.heading)
                .map(move |p| (l.clone(), p.was.trim().to_string()))
        })
        .collect();
    let splittable = |k: &Key| {
        k.as_ref().is_some_and(|(id, _)| {
            !matches!(id.as_str(), "title" | "annexes" | "signatures")
                && old.iter().any(|(x, _)| x == k)
        })
    };
    let live: Vec<&Para> = paras.iter().filter(|p| !p.text.trim().is_empty()).collect();
    let mut kept = Vec::new();
    let mut raw: Vec<Raw> = Vec::new();
    let mut seqs: Sequences = BTreeMap::new();
    // pactum's headings without their numbers, by language: the part each opens (its
    // bookmark and key), to know a moved article whose copy lost its bookmark.
    let unlabelled = |t: &str| t[label_len(t, &[t])..].trim().to_string();
    let opens: HashMap<(String, String), (String, Key)> = old
        .iter()
        .filter_map(|(k, ps)| {
            let first = ps.first().filter(|p| p.heading)?;
            let lang = k.as_ref()?.1.clone();
            let text = unlabelled(first.was.trim());
            Some(((lang, text), (part_name(k)?, k.clone())))
        })
        .collect();
    let mut current: Option<usize> = None;
    // The part a run of their paragraphs is moved from, when its bookmark did not come along.
    let mut moved: Option<String> = None;
    let mut run_key: Key = None;
    let mut run_len = 0usize;
    for (i, p) in live.iter().enumerate() {
        let k = key(p);
        if k != run_key {
            current = None;
            moved = None;
            run_key = k.clone();
            run_len = 0;
        }
        run_len += 1;
        let lang = k.as_ref().map(|(_, l)| l.clone()).unwrap_or_default();
        let text = p.text.trim();
        let own = heading_of(&k);
        let is_own = own
            .as_deref()
            .is_some_and(|h| h == text || h == p.was.trim());
        let labels: Vec<&str> = (our_headings.iter())
            .filter(|(l, _)| *l == lang)
            .map(|(_, h)| h.as_str())
            .collect();
        let known = labels.contains(&text) || labels.contains(&p.was.trim());
        let starts = splittable(&k)
            && !is_own
            && !known
            && looks_like_heading(p, &labels)
            && (run_len > 1
                || own.is_none()
                || live[i + 1..]
                    .iter()
                    .take_while(|q| key(q) == k)
                    .any(|q| own.as_deref() == Some(q.was.trim())));
        let elsewhere = (looks_like_heading(p, &labels) && !is_own)
            .then(|| opens.get(&(lang.clone(), unlabelled(text))))
            .flatten()
            .filter(|(_, of)| *of != k && splittable(of));
        if let Some((name, _)) = elsewhere {
            moved = Some(name.clone());
            current = None;
        } else if starts {
            moved = None;
            raw.push(Raw {
                lang: lang.clone(),
                paras: Vec::new(),
            });
            let n = raw.iter().filter(|r| r.lang == lang).count() - 1;
            seqs.entry(lang.clone()).or_default().push(Placed::New(n));
            current = Some(raw.len() - 1);
        } else if is_own {
            current = None;
            moved = None;
        }
        let mut p = (*p).clone();
        if let Some(name) = &moved {
            p.part = Some(name.clone());
        }
        let k = key(&p);
        match current {
            Some(r) => raw[r].paras.push(p),
            None => {
                if let Some((id, l)) = &k {
                    let seq = seqs.entry(l.clone()).or_default();
                    if !seq.contains(&Placed::Part(id.clone())) {
                        seq.push(Placed::Part(id.clone()));
                    }
                }
                kept.push(p);
            }
        }
    }
    (kept, raw, seqs)
}

/// Whether a paragraph of theirs opens an article: a heading style, or it opens with the
/// label pactum's headings in that language open with ("Article 6 …", "第六條 …").
fn looks_like_heading(p: &Para, ours: &[&str]) -> bool {
    if p.heading {
        return true;
    }
    let text = p.text.trim();
    text.chars().count() < 120 && label_len(text, ours) > 0
}

/// How many bytes of `heading` are its article label ("Article 6 ", "第六條"), as pactum's
/// headings in that language (`ours`) write theirs; 0 when it opens with none.
pub fn label_len(heading: &str, ours: &[&str]) -> usize {
    let numeral = |t: &str| {
        let t = t.trim_end_matches(['.', ':', ')']);
        !t.is_empty()
            && (t.chars().all(|c| c.is_ascii_digit()) || t.chars().all(|c| "IVXLCDM".contains(c)))
    };
    let mut words = heading.split_whitespace();
    if let (Some(first), Some(second)) = (words.next(), words.next())
        && numeral(second)
        && ours
            .iter()
            .any(|h| h.split_whitespace().next() == Some(first))
    {
        let at = heading.find(second).unwrap_or(0) + second.len();
        return at + (heading[at..].len() - heading[at..].trim_start().len());
    }
    if let Some(rest) = heading.strip_prefix('第')
        && let Some(end) = rest.find(['條', '条'])
        && rest[..end]
            .chars()
            .all(|c| "〇零一二三四五六七八九十百千0123456789".contains(c))
    {
        let at = '第'.len_utf8() + end + '條'.len_utf8();
        return at + (heading[at..].len() - heading[at..].trim_start().len());
    }
    0
}

/// Parts in another order are moved parts (`after:` the part they now follow); inserted
/// articles are matched across the language versions (the n-th of each). What the versions
/// do not agree on is unmapped.
pub(super) fn moves(
    old: &[(Key, Vec<Para>)],
    new_groups: &[(Key, Vec<Para>)],
    raw: Vec<Raw>,
    seqs: &Sequences,
    langs: &[String],
    taken: &[String],
    found: &mut Found,
) {
    let ours_of = |lang: &str| -> Vec<String> {
        old.iter()
            .filter_map(|(k, _)| k.as_ref())
            .filter(|(_, l)| l == lang)
            .map(|(id, _)| id.clone())
            .collect()
    };
    let empty = Vec::new();
    // Each language's moved parts, with what they now follow.
    let mut moved: BTreeMap<String, Vec<(String, Option<Placed>)>> = BTreeMap::new();
    for lang in langs {
        let seq = seqs.get(lang).unwrap_or(&empty);
        let theirs: Vec<String> = seq
            .iter()
            .filter_map(|p| match p {
                Placed::Part(id) => Some(id.clone()),
                Placed::New(_) => None,
            })
            .collect();
        let ours: Vec<String> = ours_of(lang)
            .into_iter()
            .filter(|id| theirs.contains(id))
            .collect();
        let ops = similar::capture_diff_slices(Algorithm::Myers, &ours, &theirs);
        for op in ops {
            let (tag, _, n) = op.as_tag_tuple();
            if tag == similar::DiffTag::Equal {
                continue;
            }
            for id in &theirs[n] {
                let at = seq.iter().position(|p| *p == Placed::Part(id.clone()));
                let before = at.and_then(|i| i.checked_sub(1)).map(|i| seq[i].clone());
                moved
                    .entry(id.clone())
                    .or_default()
                    .push((lang.clone(), before));
            }
        }
    }
    // Inserted articles: the n-th of each language is one article.
    let counts: Vec<usize> = langs
        .iter()
        .map(|l| raw.iter().filter(|r| &r.lang == l).count())
        .collect();
    let agreed = counts.iter().all(|c| *c == counts[0]);
    let mut taken: Vec<String> = taken.to_vec();
    let mut per_lang: BTreeMap<&str, usize> = BTreeMap::new();
    for r in &raw {
        let n = per_lang.entry(&r.lang).or_default();
        let k = *n;
        *n += 1;
        let after = seqs.get(&r.lang).and_then(|s| {
            let i = s.iter().position(|p| *p == Placed::New(k))?;
            s.get(i.checked_sub(1)?).cloned()
        });
        if !agreed || r.paras.is_empty() {
            let only: Vec<String> = (langs.iter().zip(&counts))
                .filter(|(_, c)| **c > k)
                .map(|(l, _)| super::language_name(l))
                .collect();
            found.changes.push(unmapped(
                "",
                &r.lang,
                "",
                &texts(&r.paras),
                &r.paras,
                &format!(
                    "an article inserted in {} only: an article needs its text in every language",
                    only.join(" and ")
                ),
            ));
            continue;
        }
        if found.inserted.len() <= k {
            found.inserted.push(Inserted::default());
        }
        let new = &mut found.inserted[k];
        if new.paras.is_empty() {
            new.after = after.clone();
        } else if new.after != after {
            new.after = None;
        }
        new.titles.insert(r.lang.clone(), title_of(&r.paras, old));
        new.paras.insert(r.lang.clone(), r.paras.clone());
    }
    // An id each, from the first heading that gives one.
    let mut ids = Vec::new();
    for new in &found.inserted {
        let base = langs
            .iter()
            .filter_map(|l| new.paras.get(l))
            .map(|ps| slug(&title_of(ps, old)))
            .find(|s| !s.is_empty())
            .unwrap_or_else(|| "inserted-article".to_string());
        let mut id = base.clone();
        let mut n = 2;
        while taken.contains(&id) || ids.contains(&id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        taken.push(id.clone());
        ids.push(id);
    }
    let name_of = |p: &Option<Placed>| -> Option<String> {
        match p {
            Some(Placed::Part(id)) => Some(id.clone()),
            Some(Placed::New(k)) => ids.get(*k).cloned(),
            None => None,
        }
    };
    for (k, new) in found.inserted.iter().enumerate() {
        for (lang, ps) in &new.paras {
            let refs: Vec<&Para> = ps.iter().collect();
            let (authors, dates, tracked) = authors(&refs);
            let (mapping, note) = match name_of(&new.after) {
                Some(a) => (Mapping::ArticleInserted, Some(format!("after {a}"))),
                None => (
                    Mapping::Unmapped,
                    Some("inserted at different places in the language versions".to_string()),
                ),
            };
            found.changes.push(Change {
                mapping,
                lang: lang.clone(),
                part: ids[k].clone(),
                term: None,
                before: String::new(),
                after: texts(ps),
                authors,
                dates,
                tracked,
                note,
            });
        }
    }
    found.new_ids = ids.clone();
    for (id, places) in moved {
        let everywhere = langs.iter().all(|l| places.iter().any(|(x, _)| x == l));
        let first = &places[0].1;
        let same = places.iter().all(|(_, p)| p == first);
        let after = name_of(first);
        let ours_after = |lang: &str| {
            let o = ours_of(lang);
            let i = o.iter().position(|x| *x == id).unwrap_or(0);
            i.checked_sub(1).map(|i| o[i].clone()).unwrap_or_default()
        };
        for (lang, _) in &places {
            let why = if !everywhere {
                Some(format!(
                    "moved in {} only: the parts' order is one for every language",
                    places
                        .iter()
                        .map(|(l, _)| super::language_name(l))
                        .collect::<Vec<_>>()
                        .join(" and ")
                ))
            } else if !same || after.is_none() {
                Some("moved to different places in the language versions".to_string())
            } else if matches!(
                id.as_str(),
                "title" | "preamble" | "signing" | "annexes" | "signatures"
            ) {
                Some(format!("the {id} part keeps its place"))
            } else {
                None
            };
            let para: Vec<Para> = Vec::new();
            let mut c = unmapped(
                &id,
                lang,
                &format!("after {}", ours_after(lang)),
                &format!("after {}", after.clone().unwrap_or_default()),
                &para,
                "",
            );
            let k: Key = Some((id.clone(), lang.clone()));
            if let Some((_, ps)) = new_groups.iter().find(|(x, _)| *x == k) {
                let refs: Vec<&Para> = ps
                    .iter()
                    .filter(|p| p.revisions.iter().any(|r| r.kind == "moved"))
                    .collect();
                (c.authors, c.dates, c.tracked) = authors(&refs);
            }
            match why {
                Some(why) => c.note = Some(why),
                None => {
                    c.mapping = Mapping::ArticleMoved;
                    c.note = None;
                }
            }
            found.changes.push(c);
        }
        if everywhere
            && same
            && let Some(a) = after
        {
            found.moved.insert(id, a);
        }
    }
    // Their order, the first language's, for the entries that order parts.
    if let Some(seq) = langs.first().and_then(|l| seqs.get(l)) {
        found.order = seq.clone();
    }
}

/// An inserted article's title: its heading paragraph without the article label.
fn title_of(paras: &[Para], old: &[(Key, Vec<Para>)]) -> String {
    let Some(first) = paras.first() else {
        return String::new();
    };
    let ours: Vec<&str> = old
        .iter()
        .flat_map(|(_, ps)| ps.iter().filter(|p| p.heading).map(|p| p.was.trim()))
        .collect();
    let text = first.text.trim();
    text[label_len(text, &ours)..].trim().to_string()
}

/// An article id from a title: lower-case ASCII letters and digits, words joined by hyphens,
/// at most five words ("Data retention" → `data-retention`); empty when it has no such letters.
pub fn slug(title: &str) -> String {
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    for c in title.chars() {
        let c = match c {
            'å' | 'ä' | 'à' | 'á' | 'â' | 'Å' | 'Ä' | 'À' | 'Á' | 'Â' => 'a',
            'ö' | 'ó' | 'ò' | 'ô' | 'Ö' | 'Ó' | 'Ò' | 'Ô' => 'o',
            'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'ę' | 'Ę' => 'e',
            'ü' | 'ú' | 'ù' | 'Ü' | 'Ú' => 'u',
            'ł' | 'Ł' => 'l',
            'ś' | 'Ś' => 's',
            'ż' | 'ź' | 'Ż' | 'Ź' => 'z',
            'ń' | 'Ń' => 'n',
            'ć' | 'Ć' => 'c',
            'ß' => 's',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            word.push(c.to_ascii_lowercase());
        } else if !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words.truncate(5);
    let id = words.join("-");
    if id.starts_with(|c: char| c.is_ascii_digit()) {
        format!("article-{id}")
    } else {
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_article_label_is_read_as_pactum_writes_it_in_that_language() {
        let ours = ["Article 1 Purpose", "Article 2 Principles"];
        assert_eq!(
            label_len("Article 6 Data retention", &ours),
            "Article 6 ".len()
        );
        assert_eq!(label_len("Article VI. Data", &ours), "Article VI. ".len());
        assert_eq!(label_len("Artikel 6 Daten", &ours), 0);
        assert_eq!(label_len("Article on data", &ours), 0);
        assert_eq!(label_len("第六條 資料保存", &[]), "第六條 ".len());
        assert_eq!(label_len("第三方", &[]), 0);
    }

    #[test]
    fn an_id_is_made_from_a_title() {
        assert_eq!(slug("Data retention"), "data-retention");
        assert_eq!(
            slug("Datenschutz und Öffentlichkeit"),
            "datenschutz-und-offentlichkeit"
        );
        assert_eq!(slug("2028 review"), "article-2028-review");
        assert_eq!(slug("資料保存"), "");
    }
}
