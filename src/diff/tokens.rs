//! Tokens for the word diff: paragraphs, Unicode words, and what kind of token each is.
//!
//! Owns the normalisation (paragraphs split at blank lines, whitespace runs collapsed, so
//! whitespace is never a change) and the tokeniser: UAX #29 word bounds (via
//! `unicode-segmentation`, with an equivalent fast path for space-free ASCII), whitespace
//! dropped and remembered as the separator before each token. Also the token predicates the
//! readability rules in `crate::diff::words` use (word, compound part, sentence end).

use unicode_segmentation::UnicodeSegmentation;

/// Whitespace before a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sep {
    None,
    Space,
    Para,
}

impl Sep {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Sep::None => "",
            Sep::Space => " ",
            Sep::Para => "\n\n",
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Tok<'a> {
    pub(crate) text: &'a str,
    pub(crate) sep: Sep,
}

/// Paragraphs of `text` (split at blank lines), each with whitespace runs collapsed.
pub fn paragraphs(text: &str) -> Vec<String> {
    let mut paras = Vec::new();
    let mut cur = String::new();
    for line in text.split('\n') {
        if line.trim().is_empty() {
            if !cur.trim().is_empty() {
                paras.push(normalise_ws(&cur));
            }
            cur.clear();
        } else {
            cur.push(' ');
            cur.push_str(line);
        }
    }
    if !cur.trim().is_empty() {
        paras.push(normalise_ws(&cur));
    }
    paras
}

/// `text` with whitespace normalised: paragraphs joined by `"\n\n"`, single spaces inside.
pub fn normalise(text: &str) -> String {
    paragraphs(text).join("\n\n")
}

pub(crate) fn tokenize(paras: &[String]) -> Vec<Tok<'_>> {
    let mut out = Vec::new();
    for (p, para) in paras.iter().enumerate() {
        // Paragraphs are normalised: words are separated by single ASCII spaces.
        for (w, chunk) in para.split(' ').enumerate() {
            let mut sep = match (p, w) {
                (_, w) if w > 0 => Sep::Space,
                (0, _) => Sep::None,
                _ => Sep::Para,
            };
            let mut push = |text| {
                out.push(Tok { text, sep });
                sep = Sep::None;
            };
            if chunk.is_ascii() {
                ascii_word_bounds(chunk, &mut push);
            } else {
                chunk
                    .split_word_bounds()
                    .filter(|t| !t.chars().all(char::is_whitespace))
                    .for_each(push);
            }
        }
    }
    out
}

/// UAX #29 word-boundary classes of the ASCII characters that matter.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Wb {
    Letter,
    Numeric,
    /// `.` and `'` (MidNumLet, Single_Quote)
    MidNumLetQ,
    /// `:` (MidLetter)
    MidLetter,
    /// `,` and `;` (MidNum)
    MidNum,
    /// `_` (ExtendNumLet)
    ExtendNumLet,
    Other,
}

fn wb(b: Option<&u8>) -> Wb {
    match b {
        Some(b'a'..=b'z' | b'A'..=b'Z') => Wb::Letter,
        Some(b'0'..=b'9') => Wb::Numeric,
        Some(b'.' | b'\'') => Wb::MidNumLetQ,
        Some(b':') => Wb::MidLetter,
        Some(b',' | b';') => Wb::MidNum,
        Some(b'_') => Wb::ExtendNumLet,
        _ => Wb::Other,
    }
}

/// `str::split_word_bounds` for a space-free ASCII string, about ten times faster (the word
/// diff spends most of its time tokenising otherwise). Rules WB5–WB13b of UAX #29.
fn ascii_word_bounds<'a>(s: &'a str, push: &mut impl FnMut(&'a str)) {
    use Wb::*;
    let b = s.as_bytes();
    let at = |i: usize| wb(b.get(i));
    let before = |i: usize| if i >= 2 { wb(b.get(i - 2)) } else { Other };
    let mut start = 0;
    for i in 1..b.len() {
        let (a, c) = (at(i - 1), at(i));
        let joined = matches!((a, c), (Letter | Numeric, Letter | Numeric))
            || (a == Letter && matches!(c, MidLetter | MidNumLetQ) && at(i + 1) == Letter)
            || (before(i) == Letter && matches!(a, MidLetter | MidNumLetQ) && c == Letter)
            || (before(i) == Numeric && matches!(a, MidNum | MidNumLetQ) && c == Numeric)
            || (a == Numeric && matches!(c, MidNum | MidNumLetQ) && at(i + 1) == Numeric)
            || (matches!(a, Letter | Numeric | ExtendNumLet) && c == ExtendNumLet)
            || (a == ExtendNumLet && matches!(c, Letter | Numeric));
        if !joined {
            push(&s[start..i]);
            start = i;
        }
    }
    if start < b.len() {
        push(&s[start..]);
    }
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF | 0x2E80..=0x2FFF | 0x3040..=0x30FF | 0x3100..=0x31FF | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF
        | 0x20000..=0x3FFFF)
}

/// A token that counts as a word (for word counts): any letter or digit.
pub(crate) fn is_word(t: &str) -> bool {
    t.chars().any(char::is_alphanumeric)
}

/// A word that can be part of a compound ("long-term", "2026-11-26"): not CJK.
pub(crate) fn is_compound_word(t: &str) -> bool {
    is_word(t) && !t.chars().any(is_cjk)
}

pub(crate) fn is_connector(t: &str) -> bool {
    matches!(t, "-" | "/" | "." | "\u{2010}" | "\u{2011}" | "\u{2013}")
}

pub(crate) fn is_terminator(t: &str) -> bool {
    matches!(t, "." | "!" | "?" | ";" | "。" | "！" | "？" | "；")
}

/// `links[i]`: tokens `i` and `i + 1` belong to one compound.
pub(crate) fn compound_links(toks: &[Tok<'_>]) -> Vec<bool> {
    let glued = |i: usize| toks.get(i).is_some_and(|t| t.sep == Sep::None);
    let word = |i: usize| toks.get(i).is_some_and(|t| is_compound_word(t.text));
    let conn = |i: usize| toks.get(i).is_some_and(|t| is_connector(t.text));
    (0..toks.len())
        .map(|i| {
            glued(i + 1)
                && ((word(i) && word(i + 1))
                    || (word(i) && conn(i + 1) && glued(i + 2) && word(i + 2))
                    || (conn(i) && word(i + 1) && i > 0 && glued(i) && word(i - 1)))
        })
        .collect()
}

/// Every whitespace run as one space, none at the ends.
fn normalise_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_fast_path_matches_uax29() {
        let alphabet = b"aZ09.',:;_-/()$%\"!?x7";
        let mut state = 12345u64;
        for _ in 0..20_000 {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1);
            let len = 1 + (state >> 60) as usize;
            let word: String = (0..len)
                .map(|k| {
                    let r = (state >> (k * 4 % 56)) as usize;
                    alphabet[r % alphabet.len()] as char
                })
                .collect();
            let mut fast = Vec::new();
            ascii_word_bounds(&word, &mut |t| fast.push(t));
            let slow: Vec<&str> = word.split_word_bounds().collect();
            assert_eq!(fast, slow, "{word:?}");
        }
        for word in [
            "50,000",
            "1,000,000.00",
            "3.2",
            "can't",
            "i.e.",
            "a:b",
            "x_1",
            "2026-11-26",
        ] {
            let mut fast = Vec::new();
            ascii_word_bounds(word, &mut |t| fast.push(t));
            assert_eq!(
                fast,
                word.split_word_bounds().collect::<Vec<_>>(),
                "{word:?}"
            );
        }
    }

    #[test]
    fn tokens_and_separators() {
        let paras = paragraphs("  One,  two\n three.\n\n\n Four  ");
        assert_eq!(paras, ["One, two three.", "Four"]);
        let toks = tokenize(&paras);
        let shown: Vec<(&str, Sep)> = toks.iter().map(|t| (t.text, t.sep)).collect();
        assert_eq!(
            shown,
            [
                ("One", Sep::None),
                (",", Sep::None),
                ("two", Sep::Space),
                ("three", Sep::Space),
                (".", Sep::None),
                ("Four", Sep::Para)
            ]
        );
        let cjk = vec!["本協議有效期為三年。".to_string()];
        assert_eq!(tokenize(&cjk).len(), 10);
    }
}
