//! Reading one language's text for what the parity check compares: numbers (plain, counts of
//! a unit, percentages, amounts with their currency), dates and references to articles. How
//! the language writes each comes from its words ([`Words`]): number words (`cardinals`,
//! `ordinals`, `parity.numbers`), units, percent signs and currency words (`parity`), dates
//! (`date`, `date_roc`, `parity.dates`), article labels (`article`, `reference`). Nothing here
//! knows a language by name.

use std::collections::HashMap;

use super::numerals::{self, Read};
use crate::model::Words;
use crate::model::words::Numerals;

/// One thing a text says that every version must say too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fact {
    /// A number on its own ("30", "thirty", 三十, "third").
    Plain(String),
    /// A count of a unit, in the unit's base (`month`): "a year" and "12 months" are both
    /// 12 months. `raw` is the number as written.
    Count {
        raw: String,
        base: u64,
        unit: String,
    },
    Percent(String),
    Amount {
        value: String,
        currency: String,
    },
    /// A date; 0 where a part is not written ("26 August").
    Date {
        y: u64,
        m: u64,
        d: u64,
    },
    /// A reference to an article by its number.
    Ref(u64),
    /// A party named (by its index), in any of its names.
    Party(usize),
}

impl Fact {
    /// The fact in a reader's words, the same in every language ("30", "12 months", "10%",
    /// "5000 EUR", "2027-08-26", "Article 4").
    pub fn show(&self) -> String {
        match self {
            Fact::Plain(v) => v.clone(),
            Fact::Count { base, unit, .. } => {
                format!("{base} {unit}{}", if *base == 1 { "" } else { "s" })
            }
            Fact::Percent(v) => format!("{v}%"),
            Fact::Amount { value, currency } => format!("{value} {currency}"),
            Fact::Date { y, m, d } => match (y, m, d) {
                (y, 0, 0) => y.to_string(),
                (0, m, d) => format!("--{m:02}-{d:02}"),
                (y, m, 0) => format!("{y}-{m:02}"),
                (y, m, d) => format!("{y}-{m:02}-{d:02}"),
            },
            Fact::Ref(n) => format!("Article {n}"),
            Fact::Party(i) => format!("party {}", i + 1),
        }
    }

    /// Whether `other`, in another version, says the same: a count matches the number it is
    /// written with or amounts to, an amount the bare number, a date without its year the
    /// same day in any year.
    pub fn matches(&self, other: &Fact) -> bool {
        use Fact::*;
        match (self, other) {
            (Plain(a), Plain(b)) => a == b,
            (Plain(a), Count { raw, base, .. }) | (Count { raw, base, .. }, Plain(a)) => {
                a == raw || *a == base.to_string()
            }
            (
                Count {
                    base: a, unit: u, ..
                },
                Count {
                    base: b, unit: v, ..
                },
            ) => a == b && u == v,
            (Percent(a), Percent(b)) => a == b,
            (
                Amount {
                    value: a,
                    currency: c,
                },
                Amount {
                    value: b,
                    currency: d,
                },
            ) => a == b && c == d,
            (Plain(a), Amount { value, .. }) | (Amount { value, .. }, Plain(a)) => a == value,
            (
                Date { y, m, d },
                Date {
                    y: y2,
                    m: m2,
                    d: d2,
                },
            ) => {
                (y == y2 || *y == 0 || *y2 == 0)
                    && (m == m2 || *m == 0 || *m2 == 0)
                    && (d == d2 || *d == 0 || *d2 == 0)
                    && (m == m2 || (d == d2 && *d != 0))
            }
            (Ref(a), Ref(b)) => a == b,
            (Party(a), Party(b)) => a == b,
            _ => false,
        }
    }

    /// Numbers, dates or references: what a finding groups.
    pub fn category(&self) -> Category {
        match self {
            Fact::Date { .. } => Category::Date,
            Fact::Ref(_) => Category::Reference,
            Fact::Party(_) => Category::Name,
            _ => Category::Number,
        }
    }
}

/// What a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Category {
    Number,
    Date,
    Name,
    Reference,
    Items,
}

/// A fact and the text it was read from (to find it in the terms).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub fact: Fact,
    pub surface: String,
}

/// A slot or a literal of a date or label pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Lit(String),
    Day,
    Month,
    MonthName,
    Year,
    Roc,
    Number,
}

/// How one language is read, prepared once from its words.
pub struct Reader {
    dates: Vec<Vec<Piece>>,
    labels: Vec<Vec<Piece>>,
    numbered: Vec<Vec<Piece>>,
    words: HashMap<String, u64>,
    months: Vec<String>,
    units: Vec<(String, u64, String)>,
    percent: Vec<String>,
    percent_before: Vec<String>,
    currencies: Vec<(String, String)>,
    ignore: Vec<String>,
    group: String,
    decimal: String,
    chinese: bool,
    /// The first letters (lower-cased) of every phrase and pattern above: where nothing
    /// starts with one of these, a digit or a numeral, only a number word can.
    firsts: Vec<char>,
    /// The longest number word, in bytes.
    longest: usize,
}

fn pieces(pattern: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut rest = pattern;
    while !rest.is_empty() {
        let slot = [
            ("{d}", Piece::Day),
            ("{m}", Piece::Month),
            ("{month}", Piece::MonthName),
            ("{y}", Piece::Year),
            ("{roc}", Piece::Roc),
            ("{n}", Piece::Number),
        ]
        .into_iter()
        .find(|(s, _)| rest.starts_with(s));
        match slot {
            Some((s, piece)) => {
                out.push(piece);
                rest = &rest[s.len()..];
            }
            None => {
                let c = rest.chars().next().unwrap_or(' ');
                match out.last_mut() {
                    Some(Piece::Lit(l)) => l.push(c),
                    _ => out.push(Piece::Lit(c.to_string())),
                }
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    out
}

/// A letter or digit of a word written between spaces: not Han, kana or Hangul, whose
/// characters join numbers without a space ("の2027年", "2027년").
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() && !joins_numbers(c)
}

fn joins_numbers(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x9FFF | 0xF900..=0xFAFF | 0x3007 // Han
        | 0x3040..=0x30FF | 0x31F0..=0x31FF | 0xFF66..=0xFF9F // kana
        | 0xAC00..=0xD7AF | 0x1100..=0x11FF | 0x3130..=0x318F) // Hangul
}

/// `text` at `at` starts with `lit`, letters compared without case and any run of spaces for a
/// space; the length matched.
fn literal(text: &str, at: usize, lit: &str) -> Option<usize> {
    let mut t = text[at..].char_indices().peekable();
    let mut end = 0;
    for c in lit.chars() {
        if c.is_whitespace() {
            let mut any = false;
            while let Some((i, tc)) = t.peek().copied() {
                if tc.is_whitespace() {
                    any = true;
                    end = i + tc.len_utf8();
                    t.next();
                } else {
                    break;
                }
            }
            if !any {
                return None;
            }
            continue;
        }
        let (i, tc) = t.next()?;
        if tc != c && !tc.to_lowercase().eq(c.to_lowercase()) {
            return None;
        }
        end = i + tc.len_utf8();
    }
    Some(end)
}

/// Whether `text` has a word boundary at byte `at` (between a letter or digit and something
/// else, or at either end).
fn boundary_before(text: &str, at: usize) -> bool {
    !text[..at].chars().next_back().is_some_and(is_word_char)
}

fn boundary_after(text: &str, at: usize) -> bool {
    !text[at..].chars().next().is_some_and(is_word_char)
}

impl Reader {
    pub fn new(words: &Words) -> Self {
        let p = &words.parity;
        let mut dates: Vec<Vec<Piece>> = std::iter::once(&words.date)
            .chain(&words.date_roc)
            .chain(&p.dates)
            .map(|d| pieces(d))
            .collect();
        dates.sort_by_key(|d| std::cmp::Reverse(d.len()));
        let labels = [&words.article, &words.reference]
            .into_iter()
            .map(|l| pieces(l))
            .filter(|l| l.contains(&Piece::Number))
            .collect();
        let mut numbers: HashMap<String, u64> = HashMap::new();
        for (i, w) in words.cardinals.iter().enumerate() {
            numbers.insert(w.to_lowercase(), i as u64);
        }
        for (i, w) in words.ordinals.iter().enumerate() {
            numbers.insert(w.to_lowercase(), i as u64 + 1);
        }
        for (w, n) in &p.numbers {
            numbers.insert(w.to_lowercase(), *n);
        }
        let mut units: Vec<(String, u64, String)> = (p.units.iter())
            .map(|(w, (n, base))| (w.clone(), *n, base.clone()))
            .collect();
        units.sort_by_key(|(w, _, _)| std::cmp::Reverse(w.len()));
        let mut currencies: Vec<(String, String)> = p
            .currencies
            .iter()
            .map(|(w, c)| (w.clone(), c.clone()))
            .collect();
        currencies.sort_by_key(|(w, _)| std::cmp::Reverse(w.len()));
        let mut ignore = p.ignore.clone();
        ignore.sort_by_key(|w| std::cmp::Reverse(w.len()));
        let mut percent = p.percent.clone();
        percent.sort_by_key(|w| std::cmp::Reverse(w.len()));
        let lower = |s: &str| s.chars().next().and_then(|c| c.to_lowercase().next());
        let mut firsts: Vec<char> = Vec::new();
        let leading = |pattern: &Vec<Piece>, months: &[String]| -> Vec<char> {
            match pattern.first() {
                Some(Piece::Lit(l)) => lower(l).into_iter().collect(),
                Some(Piece::MonthName) => months.iter().filter_map(|m| lower(m)).collect(),
                _ => Vec::new(),
            }
        };
        let months: Vec<String> = words.months.iter().map(|m| m.to_lowercase()).collect();
        let numbered: Vec<Vec<Piece>> = p.labels.iter().map(|l| pieces(l)).collect();
        for pattern in dates.iter().chain(&labels).chain(&numbered) {
            firsts.extend(leading(pattern, &months));
        }
        for phrase in ignore
            .iter()
            .chain(&p.percent_before)
            .chain(currencies.iter().map(|(w, _)| w))
        {
            firsts.extend(lower(phrase));
        }
        firsts.sort_unstable();
        firsts.dedup();
        Reader {
            longest: numbers.keys().map(String::len).max().unwrap_or(0),
            firsts,
            dates,
            labels,
            numbered,
            words: numbers,
            months,
            units,
            percent,
            percent_before: p.percent_before.clone(),
            currencies,
            ignore,
            group: words.amount.group.clone(),
            decimal: words.amount.decimal.clone(),
            chinese: words.numerals == Numerals::Chinese || words.text.cjk,
        }
    }

    /// Every fact in `text`, in order.
    pub fn read(&self, text: &str) -> Vec<Found> {
        let mut out = Vec::new();
        let mut at = 0;
        while at < text.len() {
            let c = text[at..].chars().next().unwrap_or(' ');
            let numeral = c.is_ascii_digit() || (self.chinese && numerals::is_chinese_numeral(c));
            let starts = numeral
                || c.to_lowercase()
                    .next()
                    .is_some_and(|l| self.firsts.contains(&l));
            if starts && let Some(len) = self.ignored(text, at) {
                at += len;
                continue;
            }
            if starts && let Some((len, fact)) = self.date_or_label(text, at) {
                out.push(Found {
                    fact,
                    surface: text[at..at + len].to_string(),
                });
                at += len;
                continue;
            }
            let word = is_word_char(c) && boundary_before(text, at);
            if (starts || word)
                && let Some((len, fact)) = self.number(text, at)
            {
                if let Some(fact) = fact {
                    out.push(Found {
                        fact,
                        surface: text[at..at + len].trim().to_string(),
                    });
                }
                at += len.max(1);
                continue;
            }
            // On to the next word (a letter inside a word starts nothing).
            let c = text[at..].chars().next().unwrap_or(' ');
            at += c.len_utf8();
            if is_word_char(c) {
                while let Some(c) = text[at..].chars().next().filter(|c| is_word_char(*c)) {
                    at += c.len_utf8();
                }
            }
        }
        out
    }

    fn ignored(&self, text: &str, at: usize) -> Option<usize> {
        let start = boundary_before(text, at);
        self.ignore.iter().find_map(|phrase| {
            if phrase.starts_with(is_word_char) && !start {
                return None;
            }
            let len = literal(text, at, phrase)?;
            // A phrase of several words may end inside a word ("två städer" in "två
            // städernas"); one word is whole.
            let whole = phrase.chars().last().is_some_and(is_word_char) && !phrase.contains(' ');
            (!whole || boundary_after(text, at + len)).then_some(len)
        })
    }

    /// A date or an article label starting at `at`: the longest pattern that matches.
    fn date_or_label(&self, text: &str, at: usize) -> Option<(usize, Fact)> {
        if !boundary_before(text, at) && text[at..].starts_with(is_word_char) {
            return None;
        }
        let mut best: Option<(usize, Fact)> = None;
        for pattern in &self.dates {
            if let Some((len, slots)) = self.matched(pattern, text, at) {
                let y = slots
                    .year
                    .or(slots.roc.map(|r| r.saturating_add(1911)))
                    .unwrap_or(0);
                let (m, d) = (slots.month.unwrap_or(0), slots.day.unwrap_or(0));
                let valid = (m <= 12) && (d <= 31) && (y > 0 || m > 0) && (d == 0 || m > 0);
                let fact = if m == 0 && d == 0 {
                    Fact::Plain(y.to_string())
                } else {
                    Fact::Date { y, m, d }
                };
                if valid && best.as_ref().is_none_or(|(l, _)| len > *l) {
                    best = Some((len, fact));
                }
            }
        }
        for pattern in &self.labels {
            if let Some((len, slots)) = self.matched(pattern, text, at)
                && let Some(n) = slots.number
                && best.as_ref().is_none_or(|(l, _)| len > *l)
            {
                best = Some((len, Fact::Ref(n)));
            }
        }
        for pattern in &self.numbered {
            if let Some((len, slots)) = self.matched(pattern, text, at)
                && let Some(n) = slots.number
                && best.as_ref().is_none_or(|(l, _)| len > *l)
            {
                best = Some((len, Fact::Plain(n.to_string())));
            }
        }
        best
    }

    fn matched(&self, pattern: &[Piece], text: &str, at: usize) -> Option<(usize, Slots)> {
        let mut slots = Slots::default();
        let mut pos = at;
        for (i, piece) in pattern.iter().enumerate() {
            match piece {
                Piece::Lit(l) => {
                    // A pattern may end in a space that the text need not have.
                    pos += literal(text, pos, l)?;
                }
                Piece::MonthName => {
                    let rest = &text[pos..];
                    let (n, len) = (self.months.iter().enumerate())
                        .filter_map(|(n, m)| Some((n, literal(rest, 0, m)?)))
                        .filter(|(_, len)| boundary_after(rest, *len))
                        .max_by_key(|(_, len)| *len)?;
                    slots.month = Some(n as u64 + 1);
                    pos += len;
                }
                slot => {
                    let read = self.numeral(&text[pos..], matches!(slot, Piece::Number))?;
                    let n = read.int?;
                    match slot {
                        Piece::Day => slots.day = Some(n),
                        Piece::Month => slots.month = Some(n),
                        Piece::Year => slots.year = Some(n),
                        Piece::Roc => slots.roc = Some(n),
                        _ => slots.number = Some(n),
                    }
                    pos += read.len;
                    if i + 1 == pattern.len() && !boundary_after(text, pos) {
                        return None;
                    }
                }
            }
        }
        Some((pos - at, slots))
    }

    /// A number in digits or numerals at the start of `s` (Roman ones too for labels).
    fn numeral(&self, s: &str, label: bool) -> Option<Read> {
        numerals::digits(s, "", "")
            .or_else(|| self.chinese.then(|| numerals::chinese(s)).flatten())
            .or_else(|| label.then(|| numerals::roman(s)).flatten())
    }

    /// A number starting at `at` and what follows it (a unit, a percent sign, a currency):
    /// the length read, and the fact, if it is one (a "one" that counts no unit is not).
    fn number(&self, text: &str, at: usize) -> Option<(usize, Option<Fact>)> {
        let rest = &text[at..];
        // A percentage written before its number (百分之十).
        for before in &self.percent_before {
            if let Some(len) = literal(text, at, before)
                && let Some(read) = self.numeral(&text[at + len..], false)
            {
                return Some((len + read.len, Some(Fact::Percent(read.value))));
            }
        }
        // A currency before its amount ("EUR 5,000").
        if boundary_before(text, at)
            && let Some((len, currency)) = self.currency(text, at)
        {
            let spaces = space_len(&text[at + len..]);
            if let Some(read) =
                numerals::digits(&text[at + len + spaces..], &self.group, &self.decimal)
            {
                let end = len + spaces + read.len;
                return Some((
                    end,
                    Some(Fact::Amount {
                        value: read.value,
                        currency,
                    }),
                ));
            }
        }
        let (read, word) = if rest.starts_with(|c: char| c.is_ascii_digit()) {
            if !boundary_before(text, at) {
                return None;
            }
            (numerals::digits(rest, &self.group, &self.decimal)?, false)
        } else if self.chinese && rest.starts_with(numerals::is_chinese_numeral) {
            (numerals::chinese(rest)?, true)
        } else if boundary_before(text, at) && rest.starts_with(is_word_char) {
            let len = rest
                .char_indices()
                .find(|(_, c)| !is_word_char(*c))
                .map_or(rest.len(), |(i, _)| i);
            let word = &rest[..len];
            if len > self.longest {
                return None;
            }
            let n = match self.words.get(word) {
                Some(n) => *n,
                None if word.chars().any(char::is_uppercase) => {
                    *self.words.get(&word.to_lowercase())?
                }
                None => return None,
            };
            (
                Read {
                    value: n.to_string(),
                    int: Some(n),
                    len,
                },
                true,
            )
        } else {
            return None;
        };
        let mut end = read.len;
        // An ordinal's ending in digits ("2nd", "3:e", "4.").
        if !word {
            for suffix in ["st", "nd", "rd", "th", ":e"] {
                if rest[end..].starts_with(suffix) && boundary_after(rest, end + suffix.len()) {
                    end += suffix.len();
                }
            }
        }
        let gap = space_len(&rest[end..]);
        let after = end + gap;
        if let Some(len) = self.percent_after(rest, after) {
            return Some((after + len, Some(Fact::Percent(read.value))));
        }
        if let Some((len, currency)) = self.currency(rest, after) {
            return Some((
                after + len,
                Some(Fact::Amount {
                    value: read.value,
                    currency,
                }),
            ));
        }
        // A count of a unit; a year ("2027年") is no count of years.
        if let Some(n) = read.int.filter(|n| *n < 1000)
            && let Some((len, factor, unit)) = self.unit(rest, after)
        {
            return Some((
                after + len,
                Some(Fact::Count {
                    raw: read.value,
                    base: n.saturating_mul(factor),
                    unit: unit.clone(),
                }),
            ));
        }
        // "one" and "a" count only a unit: on their own they are articles and pronouns.
        if word && read.int.is_some_and(|n| n <= 1) {
            return Some((end, None));
        }
        Some((end, Some(Fact::Plain(read.value))))
    }

    fn percent_after(&self, s: &str, at: usize) -> Option<usize> {
        self.percent.iter().find_map(|p| {
            let len = literal(s, at, p)?;
            let latin = p.chars().last().is_some_and(is_word_char);
            (!latin || boundary_after(s, at + len)).then_some(len)
        })
    }

    /// An ISO currency code (three capitals) or a currency word at `at`.
    fn currency(&self, s: &str, at: usize) -> Option<(usize, String)> {
        let rest = &s[at..];
        let code = rest.bytes().take(3).all(|b| b.is_ascii_uppercase())
            && rest.len() >= 3
            && boundary_after(rest, 3);
        if code {
            return Some((3, rest[..3].to_string()));
        }
        self.currencies.iter().find_map(|(w, c)| {
            let len = literal(s, at, w)?;
            let latin = w.chars().last().is_some_and(is_word_char);
            (!latin || boundary_after(s, at + len)).then(|| (len, c.clone()))
        })
    }

    fn unit(&self, s: &str, at: usize) -> Option<(usize, u64, &String)> {
        self.units.iter().find_map(|(w, n, unit)| {
            let len = literal(s, at, w)?;
            let latin = w.chars().last().is_some_and(is_word_char);
            (!latin || boundary_after(s, at + len)).then_some((len, *n, unit))
        })
    }
}

/// The length of the spaces at the start of `s`.
fn space_len(s: &str) -> usize {
    s.char_indices()
        .find(|(_, c)| !c.is_whitespace())
        .map_or(s.len(), |(i, _)| i)
}

#[derive(Default)]
struct Slots {
    day: Option<u64>,
    month: Option<u64>,
    year: Option<u64>,
    roc: Option<u64>,
    number: Option<u64>,
}
