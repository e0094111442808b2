//! Word-level redline of two short texts (one clause, one heading).
//!
//! Owns the rules that make a prose diff readable to a negotiator (see
//! `shared/design/redline.md` §2) on top of the tokens of `crate::diff::tokens` (UAX #29
//! words, so "50,000", "can't" and single CJK ideographs are units and punctuation is its own
//! token; whitespace left out of the comparison): Myers with a deadline, the two confetti
//! rules, and widening changes to whole hyphenated/slashed/dotted compounds. It knows nothing
//! about clauses or terms.
//!
//! The output is a list of [`Segment`]s. Joining the `Equal` and `Delete` texts gives the old
//! text, joining `Equal` and `Insert` gives the new one (up to whitespace). `Delete`/`Insert`
//! texts never start or end with whitespace; any text may contain `"\n\n"` (a paragraph break),
//! which renderers must turn into a new paragraph rather than run a mark across it. A `Delete`
//! directly followed by an `Insert` is one replacement; renderers put a small gap between them.

use std::ops::Range;
use std::time::Instant;

use similar::{Algorithm, DiffTag};

use crate::diff::tokens::{Sep, Tok, compound_links, is_terminator, is_word, paragraphs, tokenize};

/// A sentence pair whose token similarity is below this is shown as one delete + one insert.
pub const REWRITE_SIMILARITY: f32 = 0.4;

/// What a [`Segment`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SegmentKind {
    /// In both texts.
    Equal,
    /// Only in the old text.
    Delete,
    /// Only in the new text.
    Insert,
}

/// A run of text with one [`SegmentKind`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Segment {
    pub kind: SegmentKind,
    pub text: String,
}

impl Segment {
    pub fn new(kind: SegmentKind, text: impl Into<String>) -> Self {
        Segment {
            kind,
            text: text.into(),
        }
    }
}

/// The redline of two texts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WordDiff {
    pub segments: Vec<Segment>,
    /// Number of separate changes (a replacement counts once).
    pub changes: usize,
    /// The deadline fired: the diff is correct but may be coarser than minimal.
    pub approximate: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Chunk {
    equal: bool,
    old: Range<usize>,
    new: Range<usize>,
}

/// Word-diffs `old` against `new` (see the module docs), giving up on minimality at
/// `deadline`.
pub fn diff_words(old: &str, new: &str, deadline: Instant) -> WordDiff {
    let old_paras = paragraphs(old);
    let new_paras = paragraphs(new);
    if old_paras == new_paras {
        // The common case (most clauses of two rounds are the same): nothing to tokenise.
        let text = new_paras.join("\n\n");
        return WordDiff {
            segments: if text.is_empty() {
                Vec::new()
            } else {
                vec![Segment::new(SegmentKind::Equal, text)]
            },
            changes: 0,
            approximate: false,
        };
    }
    let o = tokenize(&old_paras);
    let n = tokenize(&new_paras);
    let old_keys: Vec<&str> = o.iter().map(|t| t.text).collect();
    let new_keys: Vec<&str> = n.iter().map(|t| t.text).collect();
    let ops = similar::capture_diff_slices_deadline(
        Algorithm::Myers,
        &old_keys,
        &new_keys,
        Some(deadline),
    );
    let approximate = Instant::now() > deadline;

    let mut chunks: Vec<Chunk> = Vec::new();
    for op in &ops {
        let (tag, old_range, new_range) = op.as_tag_tuple();
        push_chunk(&mut chunks, tag == DiffTag::Equal, old_range, new_range);
    }
    let chunks = collapse_rewrites(chunks, &n);
    let chunks = absorb_small_equals(chunks, &o, &n);
    let chunks = widen_compounds(chunks, &o, &n);
    let changes = chunks.iter().filter(|c| !c.equal).count();
    WordDiff {
        segments: segments(&chunks, &o, &n),
        changes,
        approximate,
    }
}

fn push_chunk(chunks: &mut Vec<Chunk>, equal: bool, old: Range<usize>, new: Range<usize>) {
    if old.is_empty() && new.is_empty() {
        return;
    }
    if let Some(last) = chunks.last_mut()
        && last.equal == equal
    {
        last.old.end = old.end;
        last.new.end = new.end;
        return;
    }
    chunks.push(Chunk { equal, old, new });
}

/// Rule (a): a sentence pair with token similarity below [`REWRITE_SIMILARITY`] becomes one
/// change. Sentences end at unchanged terminators and at unchanged paragraph starts.
fn collapse_rewrites(chunks: Vec<Chunk>, n: &[Tok<'_>]) -> Vec<Chunk> {
    // Token-level alignment: (equal, old range, new range), equal items one token long.
    let mut items: Vec<Chunk> = Vec::new();
    for c in chunks {
        if c.equal {
            for k in 0..c.old.len() {
                let (i, j) = (c.old.start + k, c.new.start + k);
                items.push(Chunk {
                    equal: true,
                    old: i..i + 1,
                    new: j..j + 1,
                });
            }
        } else {
            items.push(c);
        }
    }
    let mut out: Vec<Chunk> = Vec::new();
    let mut start = 0;
    let mut k = 0;
    while k <= items.len() {
        let boundary_here = k == items.len()
            || (items[k].equal && n[items[k].new.start].sep == Sep::Para)
            || (items[k].equal && is_terminator(n[items[k].new.start].text));
        if !boundary_here {
            k += 1;
            continue;
        }
        // Region = items[start..k]; items[k] (if a terminator) stays equal on its own.
        let region = &items[start..k];
        let (mut eq, mut old_len, mut new_len, mut changed) = (0, 0, 0, false);
        for it in region {
            old_len += it.old.len();
            new_len += it.new.len();
            if it.equal {
                eq += 1;
            } else {
                changed = true;
            }
        }
        let similarity = if old_len + new_len == 0 {
            1.0
        } else {
            2.0 * eq as f32 / (old_len + new_len) as f32
        };
        if changed && similarity < REWRITE_SIMILARITY {
            if let (Some(first), Some(last)) = (region.first(), region.last()) {
                push_chunk(
                    &mut out,
                    false,
                    first.old.start..last.old.end,
                    first.new.start..last.new.end,
                );
            }
        } else {
            for it in region {
                push_chunk(&mut out, it.equal, it.old.clone(), it.new.clone());
            }
        }
        if let Some(it) = items.get(k) {
            if is_terminator(n[it.new.start].text) {
                push_chunk(&mut out, true, it.old.clone(), it.new.clone());
                start = k + 1;
            } else {
                // A paragraph start opens the next region.
                start = k;
            }
        }
        k += 1;
    }
    out
}

fn is_bracket_or_quote(c: char) -> bool {
    matches!(
        c,
        '(' | ')'
            | '['
            | ']'
            | '{'
            | '}'
            | '"'
            | '\''
            | '«'
            | '»'
            | '“'
            | '”'
            | '‘'
            | '’'
            | '「'
            | '」'
            | '『'
            | '』'
            | '（'
            | '）'
    )
}

fn words_in(toks: &[Tok<'_>], range: &Range<usize>) -> usize {
    toks[range.clone()]
        .iter()
        .filter(|t| is_word(t.text))
        .count()
}

/// Rule (b): an unchanged run between two changes joins them when it is punctuation only
/// (between two replacements, and not a bracket or quote) or has fewer words than both
/// changes. Never across paragraphs.
fn absorb_small_equals(mut chunks: Vec<Chunk>, o: &[Tok<'_>], n: &[Tok<'_>]) -> Vec<Chunk> {
    loop {
        let mut merged = false;
        for k in 1..chunks.len().saturating_sub(1) {
            let (left, mid, right) = (&chunks[k - 1], &chunks[k], &chunks[k + 1]);
            if !mid.equal || left.equal || right.equal {
                continue;
            }
            let crosses_para = n[mid.new.clone()].iter().any(|t| t.sep == Sep::Para)
                || n.get(mid.new.end).is_some_and(|t| t.sep == Sep::Para)
                || o.get(mid.old.end).is_some_and(|t| t.sep == Sep::Para);
            if crosses_para {
                continue;
            }
            let mid_words = words_in(n, &mid.new);
            let size = |c: &Chunk| words_in(o, &c.old).max(words_in(n, &c.new));
            let replacement = |c: &Chunk| !c.old.is_empty() && !c.new.is_empty();
            // Brackets and quotes stay put: "[-five-]{+ten+} ([-5-]{+10+})", not "[-five (5-]…".
            let bracket = n[mid.new.clone()]
                .iter()
                .any(|t| t.text.chars().any(is_bracket_or_quote));
            let absorb = if mid_words == 0 {
                !bracket && replacement(left) && replacement(right)
            } else {
                mid_words < size(left) && mid_words < size(right)
            };
            if absorb {
                let joined = Chunk {
                    equal: false,
                    old: left.old.start..right.old.end,
                    new: left.new.start..right.new.end,
                };
                chunks.splice(k - 1..=k + 1, [joined]);
                merged = true;
                break;
            }
        }
        if !merged {
            return chunks;
        }
    }
}

/// Widens each change to whole compounds: "ninety-[five]{nine}" → "[ninety-five]{ninety-nine}".
fn widen_compounds(mut chunks: Vec<Chunk>, o: &[Tok<'_>], n: &[Tok<'_>]) -> Vec<Chunk> {
    let old_links = compound_links(o);
    let new_links = compound_links(n);
    let linked = |links: &[bool], at: usize| at > 0 && links.get(at - 1).copied().unwrap_or(false);
    let mut k = 0;
    while k < chunks.len() {
        if chunks[k].equal {
            k += 1;
            continue;
        }
        // Left edge.
        while k > 0 && chunks[k - 1].equal && !chunks[k - 1].old.is_empty() {
            let c = &chunks[k];
            // The token before the change is glued into a compound with the change's first
            // token (or, on a side where the change is empty, with the token after it).
            let glued = linked(&new_links, c.new.start) || linked(&old_links, c.old.start);
            if !glued {
                break;
            }
            chunks[k - 1].old.end -= 1;
            chunks[k - 1].new.end -= 1;
            chunks[k].old.start -= 1;
            chunks[k].new.start -= 1;
            if chunks[k - 1].old.is_empty() {
                chunks.remove(k - 1);
                k -= 1;
                if k > 0 && !chunks[k - 1].equal {
                    chunks[k - 1].old.end = chunks[k].old.end;
                    chunks[k - 1].new.end = chunks[k].new.end;
                    chunks.remove(k);
                    k -= 1;
                }
            }
        }
        // Right edge.
        while k + 1 < chunks.len() && chunks[k + 1].equal && !chunks[k + 1].old.is_empty() {
            let c = &chunks[k];
            let glued = linked(&new_links, c.new.end) || linked(&old_links, c.old.end);
            if !glued {
                break;
            }
            chunks[k + 1].old.start += 1;
            chunks[k + 1].new.start += 1;
            chunks[k].old.end += 1;
            chunks[k].new.end += 1;
            if chunks[k + 1].old.is_empty() {
                chunks.remove(k + 1);
                if k + 1 < chunks.len() && !chunks[k + 1].equal {
                    chunks[k].old.end = chunks[k + 1].old.end;
                    chunks[k].new.end = chunks[k + 1].new.end;
                    chunks.remove(k + 1);
                }
            }
        }
        k += 1;
    }
    chunks
}

fn join(toks: &[Tok<'_>]) -> String {
    let mut s = String::new();
    for (i, t) in toks.iter().enumerate() {
        if i > 0 {
            s.push_str(t.sep.as_str());
        }
        s.push_str(t.text);
    }
    s
}

fn push_segment(out: &mut Vec<Segment>, kind: SegmentKind, text: &str) {
    if text.is_empty() {
        return;
    }
    match out.last_mut() {
        Some(last) if last.kind == kind => last.text.push_str(text),
        _ => out.push(Segment::new(kind, text)),
    }
}

fn segments(chunks: &[Chunk], o: &[Tok<'_>], n: &[Tok<'_>]) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut prev_pure_delete = false;
    for (k, c) in chunks.iter().enumerate() {
        if c.equal {
            // Spacing before an unchanged run follows the side that is shown next to it.
            let lead = if prev_pure_delete {
                o[c.old.start].sep
            } else {
                n[c.new.start].sep
            };
            let mut text = String::new();
            if k > 0 {
                text.push_str(lead.as_str());
            }
            text.push_str(&join(&n[c.new.clone()]));
            push_segment(&mut out, SegmentKind::Equal, &text);
            prev_pure_delete = false;
            continue;
        }
        if k > 0 {
            let lead = match (c.new.is_empty(), c.old.is_empty()) {
                (false, _) => n[c.new.start].sep,
                (true, false) => o[c.old.start].sep,
                (true, true) => Sep::None,
            };
            push_segment(&mut out, SegmentKind::Equal, lead.as_str());
        }
        push_segment(&mut out, SegmentKind::Delete, &join(&o[c.old.clone()]));
        push_segment(&mut out, SegmentKind::Insert, &join(&n[c.new.clone()]));
        prev_pure_delete = c.new.is_empty();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;
    use unicode_segmentation::UnicodeSegmentation;

    fn soon() -> Instant {
        Instant::now() + Duration::from_secs(1)
    }

    /// `[-old-]{+new+}` markers, as in `git diff --word-diff`.
    fn render(old: &str, new: &str) -> String {
        let d = diff_words(old, new, soon());
        let mut s = String::new();
        for seg in &d.segments {
            match seg.kind {
                SegmentKind::Equal => s.push_str(&seg.text),
                SegmentKind::Delete => s.push_str(&format!("[-{}-]", seg.text)),
                SegmentKind::Insert => s.push_str(&format!("{{+{}+}}", seg.text)),
            }
        }
        s
    }

    fn tokens_of(text: &str) -> Vec<String> {
        text.split_word_bounds()
            .filter(|w| !w.chars().all(char::is_whitespace))
            .map(str::to_string)
            .collect()
    }

    /// Equal+Delete spells the old text and Equal+Insert the new one, up to whitespace.
    fn assert_sides(old: &str, new: &str) {
        let d = diff_words(old, new, soon());
        let side = |skip: SegmentKind| {
            let text: String = d
                .segments
                .iter()
                .filter(|s| s.kind != skip)
                .map(|s| format!("{} ", s.text))
                .collect();
            tokens_of(&text)
        };
        assert_eq!(side(SegmentKind::Insert), tokens_of(old), "old side");
        assert_eq!(side(SegmentKind::Delete), tokens_of(new), "new side");
        for seg in &d.segments {
            if seg.kind != SegmentKind::Equal {
                assert_eq!(
                    seg.text.trim(),
                    seg.text,
                    "marked span with outer whitespace"
                );
            }
        }
    }

    #[test]
    fn number_change_marks_only_the_number() {
        let old = "This Agreement is concluded for a period of 3 years.";
        let new = "This Agreement is concluded for a period of 4 years.";
        assert_eq!(
            render(old, new),
            "This Agreement is concluded for a period of [-3-]{+4+} years."
        );
        assert_eq!(diff_words(old, new, soon()).changes, 1);
    }

    #[test]
    fn malmo_or_taipei_golden() {
        let old = "Meetings take place in Malmö or Taipei.";
        let new = "Meetings take place in Malmö and Taipei, or online.";
        assert_eq!(
            render(old, new),
            "Meetings take place in Malmö [-or-]{+and+} Taipei{+, or online+}."
        );
        assert_sides(old, new);
    }

    #[test]
    fn full_rewrite_is_one_delete_and_one_insert() {
        let old = "The Parties shall meet once a year to review the progress of the \
                   partnership and agree on the programme for the following year.";
        let new = "A joint committee of the two cities will assess all activities \
                   every spring and publish a report for the city councils.";
        let d = diff_words(old, new, soon());
        let kinds: Vec<SegmentKind> = d.segments.iter().map(|s| s.kind).collect();
        assert_eq!(
            kinds,
            [SegmentKind::Delete, SegmentKind::Insert, SegmentKind::Equal]
        );
        assert_eq!(d.segments[2].text, ".");
        assert_eq!(d.changes, 1);
        assert_sides(old, new);
    }

    #[test]
    fn light_edits_are_not_merged() {
        let old = "Each Party shall bear its own costs of travel and accommodation.";
        let new = "Each Party shall bear its own costs of travel, meals and accommodation.";
        assert_eq!(
            render(old, new),
            "Each Party shall bear its own costs of travel{+, meals+} and accommodation."
        );
    }

    #[test]
    fn confetti_between_changes_is_absorbed() {
        // "of" (1 word) sits between two 2-word replacements: one change, not two.
        let old = "to promote cultural exchange of young artists in both cities.";
        let new = "to promote sporting events of school teams in both cities.";
        assert_eq!(
            render(old, new),
            "to promote [-cultural exchange of young artists-]\
             {+sporting events of school teams+} in both cities."
        );
    }

    #[test]
    fn small_unchanged_words_survive_between_small_changes() {
        // latexdiff #151: a real unchanged "while" must stay unchanged ("fewer", not "at most").
        assert_eq!(
            render(
                "Malmö hosts while Taipei pays.",
                "Gdańsk hosts while Taipei funds."
            ),
            "[-Malmö-]{+Gdańsk+} hosts while Taipei [-pays-]{+funds+}."
        );
        // No whitespace is absorbed next to a pure insertion.
        assert_eq!(
            render("for one year", "for one year, renewable"),
            "for one year{+, renewable+}"
        );
    }

    #[test]
    fn punctuation_only_change() {
        let old = "Costs of travel, accommodation and meals are borne by the sending city.";
        let new = "Costs of travel, accommodation, and meals are borne by the sending city.";
        assert_eq!(
            render(old, new),
            "Costs of travel, accommodation{+,+} and meals are borne by the sending city."
        );
        let d = diff_words("(30) days.", "(60) days, net.", soon());
        assert_eq!(d.changes, 2);
        assert_eq!(
            render("(30) days.", "(60) days, net."),
            "([-30-]{+60+}) days{+, net+}."
        );
    }

    #[test]
    fn brackets_are_not_absorbed() {
        assert_eq!(
            render(
                "in force for five (5) years.",
                "in force for ten (10) years."
            ),
            "in force for [-five-]{+ten+} ([-5-]{+10+}) years."
        );
        // Other punctuation between two replacements is.
        assert_eq!(
            render("costs: travel, food.", "costs: lodging; meals."),
            "costs: [-travel, food-]{+lodging; meals+}."
        );
    }

    #[test]
    fn whitespace_only_change_is_no_change() {
        let old = "The Parties  agree\non the following:\n\n\n  culture";
        let new = "The Parties agree on the following:\n\nculture ";
        let d = diff_words(old, new, soon());
        assert_eq!(d.changes, 0);
        assert_eq!(
            d.segments,
            [Segment::new(
                SegmentKind::Equal,
                "The Parties agree on the following:\n\nculture"
            )]
        );
        // Spacing around punctuation alone is not a change either.
        assert_eq!(diff_words("a,b", "a, b", soon()).changes, 0);
    }

    #[test]
    fn case_is_a_change() {
        assert_eq!(
            render("The city SHALL pay.", "The city shall pay."),
            "The city [-SHALL-]{+shall+} pay."
        );
    }

    #[test]
    fn cjk_changes_per_ideograph() {
        assert_eq!(
            render("本協議有效期為三年。", "本協議有效期為五年。"),
            "本協議有效期為[-三-]{+五+}年。"
        );
        assert_sides(
            "雙方同意在台北舉行會議。",
            "雙方同意在馬爾默和台北舉行會議。",
        );
    }

    #[test]
    fn compounds_change_as_a_whole() {
        assert_eq!(
            render("within ninety-five days", "within ninety-nine days"),
            "within [-ninety-five-]{+ninety-nine+} days"
        );
        assert_eq!(
            render(
                "signed on 2026-11-26 in Malmö",
                "signed on 2026-12-01 in Malmö"
            ),
            "signed on [-2026-11-26-]{+2026-12-01+} in Malmö"
        );
        assert_eq!(
            render("a long-term plan", "a long-term and short-term plan"),
            "a long-term {+and short-term+} plan"
        );
        assert_eq!(
            render("the sum of 50,000 SEK", "the sum of 55,000 SEK"),
            "the sum of [-50,000-]{+55,000+} SEK"
        );
    }

    #[test]
    fn abbreviations_are_pinned() {
        // "i.e." is the token "i.e" plus ".": a change after it does not swallow it.
        assert_eq!(
            render("costs, i.e. travel", "costs, i.e. travel and meals"),
            "costs, i.e. travel {+and meals+}"
        );
    }

    #[test]
    fn paragraphs_keep_their_breaks() {
        let old = "First paragraph.\n\nSecond paragraph.\n\nThird.";
        let new = "First paragraph.\n\nThird.";
        assert_eq!(
            render(old, new),
            "First paragraph.\n\n[-Second paragraph.-]\n\nThird."
        );
        assert_eq!(
            render("One.\n\nTwo.", "One.\n\nNew.\n\nTwo."),
            "One.\n\n{+New.+}\n\nTwo."
        );
        assert_sides(old, new);
    }

    /// Nothing missed, nothing invented: random edits always give back both texts.
    #[test]
    fn random_edits_keep_both_sides() {
        let base = "The Parties shall meet at least once a year, alternately in Malmö and \
                    Taipei (the \"Cities\"). Costs of 50,000 SEK are borne by the long-term \
                    fund; see 2026-11-26.\n\nEach year the committee reports, i.e. in writing, \
                    to both city councils. 本協議有效期為三年。";
        let pool = [
            "twice",
            "(",
            ")",
            ",",
            ".",
            "ninety-five",
            "SEK",
            "the",
            "of",
            "and",
            "Gdańsk",
            "\n\n",
            "2027-01-01",
            "five",
            "年",
            "-",
            "online",
            "shall",
            "may",
        ];
        let words: Vec<&str> = base.split(' ').collect();
        let mut state = 99u64;
        let mut next = move |m: usize| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((state >> 33) as usize) % m
        };
        for _ in 0..400 {
            let mut edited: Vec<String> = words.iter().map(|w| w.to_string()).collect();
            for _ in 0..1 + next(6) {
                let at = next(edited.len());
                match next(4) {
                    0 => {
                        edited.remove(at);
                    }
                    1 => edited.insert(at, pool[next(pool.len())].to_string()),
                    2 => edited[at] = pool[next(pool.len())].to_string(),
                    _ => edited[at].push_str(pool[next(pool.len())]),
                }
                if edited.is_empty() {
                    edited.push("x".to_string());
                }
            }
            let new = edited.join(" ");
            assert_sides(base, &new);
            assert_sides(&new, base);
        }
    }

    #[test]
    fn empty_sides() {
        assert_eq!(render("", "New text."), "{+New text.+}");
        assert_eq!(render("Old text.", ""), "[-Old text.-]");
        assert!(diff_words("", "", soon()).segments.is_empty());
    }
}
