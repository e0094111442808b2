//! A diff in a reader's words, in one language: the rounds compared, each changed term as a
//! sentence, what happened to each article, the renumbered ones, and the flag on a text
//! changed in one language only. Every word comes from the language's words file (its
//! `redline:` key) and every number, label, heading and date from the document or through the
//! language's own patterns, so a new language is a words file, not Rust.
//!
//! A term written into a part of the document (its [`TermChange::clause`]) is told by what
//! changed in that part's text: in the reader's version, or, for a text changed in one
//! language only, in that language's ("Artikel 4 ”Genomförande”: tillägg ”De utsedda
//! enheterna …”"). Any other term is named by its label (`redline.terms`, else the part it
//! belongs to, never its key) and shows its values as the document prints them: dates through
//! the language's date pattern, yes or no in its words, texts quoted; a choice among the
//! schema's values is not shown, only that it changed.

use serde_json::Value;

use crate::diff::clauses::PREAMBLE_ID;
use crate::diff::text::{ClauseDiff, ClauseStatus};
use crate::diff::words::{Segment, SegmentKind};
use crate::diff::{ChangeKind, RoundDiff, Side, TermChange};
use crate::model::Words;
use crate::model::words::RedlineWords;
use crate::terms::LOCALIZED;

/// How many characters of a quoted text a sentence shows.
const SHOWN: usize = 160;
/// How many separate changes of one text a sentence lists before "…".
const HUNKS: usize = 3;
/// How many words around a replaced word are quoted with it.
const CONTEXT: usize = 3;

/// One reader: the language version read and its words.
#[derive(Clone, Copy)]
pub struct Reader<'a> {
    pub lang: &'a str,
    pub words: &'a Words,
    /// `zh_calendar: roc`: Chinese dates in the ROC calendar.
    pub roc: bool,
}

impl<'a> Reader<'a> {
    fn r(&self) -> &'a RedlineWords {
        &self.words.redline
    }

    /// "omgång 2", or the file's name when the round is not known.
    pub fn round(&self, s: &Side) -> String {
        match s.round {
            Some(n) => self.r().round.replace("{n}", &n.to_string()),
            None => s.label.clone(),
        }
    }

    /// "omgång 2 (5 juli 2027)".
    pub fn dated(&self, s: &Side) -> String {
        let round = self.round(s);
        match s.date.as_deref().and_then(|d| self.date(d)) {
            Some(d) => (self.r().dated)
                .replace("{round}", &round)
                .replace("{date}", &d),
            None => round,
        }
    }

    /// "Ändringar: omgång 1 (14 juni 2027) → omgång 2 (5 juli 2027)".
    pub fn title(&self, diff: &RoundDiff) -> String {
        (self.r().title)
            .replace("{old}", &self.dated(&diff.old))
            .replace("{new}", &self.dated(&diff.new))
    }

    /// "Ändringar omgång 1 → omgång 2".
    pub fn footer(&self, diff: &RoundDiff) -> String {
        (self.r().footer)
            .replace("{old}", &self.round(&diff.old))
            .replace("{new}", &self.round(&diff.new))
    }

    /// An ISO date as the document prints it in this language.
    fn date(&self, iso: &str) -> Option<String> {
        let lang = crate::template::helpers::Lang {
            code: self.lang,
            words: self.words,
            roc: self.roc,
            called: "",
            capital: false,
        };
        let v = crate::template::helpers::date(&[&Value::String(iso.to_string())], lang).ok()?;
        v.as_str().map(str::to_string)
    }

    fn quote(&self, text: &str) -> String {
        self.r().quote.replace("{text}", &shown(text))
    }

    fn place_in(&self, pattern: &str, place: &str) -> String {
        pattern.replace("{place}", place)
    }

    fn with_changes(&self, place: &str, changes: &str) -> String {
        (self.r().changes)
            .replace("{place}", place)
            .replace("{changes}", changes)
    }

    /// One sentence per changed term, in the diff's order, none twice.
    pub fn terms(&self, diff: &RoundDiff) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for t in &diff.terms {
            let line = self.term(t, diff);
            if !out.contains(&line) {
                out.push(line);
            }
        }
        out
    }

    /// The clause `id` of version `lang` (any, in a one-language diff).
    fn clause<'d>(&self, diff: &'d RoundDiff, id: &str, lang: &str) -> Option<&'d ClauseDiff> {
        (diff.clauses.iter())
            .find(|c| c.id == id && c.language.as_deref().is_none_or(|l| l == lang))
    }

    fn term(&self, t: &TermChange, diff: &RoundDiff) -> String {
        // A text changed in one language only is quoted in that language; any other change
        // as the reader's version reads.
        let text_lang = match &t.split {
            Some(_) => path_language(&t.path).unwrap_or(self.lang),
            None => self.lang,
        };
        let id = t.clause.as_deref();
        let here = id.and_then(|id| self.clause(diff, id, self.lang));
        let there = id.and_then(|id| self.clause(diff, id, text_lang));
        let line = match (here, there) {
            (Some(h), Some(x)) if x.is_change() => {
                let place = self.place(h, true);
                match x.status {
                    ClauseStatus::Inserted => {
                        let added = self.place_in(&self.r().added, &place);
                        let text = plain(&x.segments, |_| true, &self.words.title_separator);
                        if text.is_empty() {
                            added
                        } else {
                            self.with_changes(&added, &self.quote(&text))
                        }
                    }
                    ClauseStatus::Deleted => self.place_in(&self.r().removed, &place),
                    ClauseStatus::Moved => {
                        let from = x.old_label.clone().unwrap_or_default();
                        let moved = (self.r().moved)
                            .replace("{place}", &place)
                            .replace("{from}", &from);
                        match self.changes(&x.segments) {
                            Some(changes) => self.with_changes(&moved, &changes),
                            None => moved,
                        }
                    }
                    _ => match self.changes(&x.segments) {
                        Some(changes) => self.with_changes(&place, &changes),
                        None => self.place_in(&self.r().changed, &place),
                    },
                }
            }
            (Some(h), _) => self.by_value(t, self.place(h, true), text_lang),
            _ => self.by_value(t, self.label(&t.path), text_lang),
        };
        match &t.split {
            Some((changed, unchanged)) => format!(
                "{}{}{line}",
                self.one_language(changed, unchanged),
                self.words.title_separator
            ),
            None => line,
        }
    }

    /// "ändrad endast på engelska; svenska och kinesiska oförändrad".
    pub fn one_language(&self, changed: &[String], unchanged: &[String]) -> String {
        let list = |langs: &[String]| {
            let names: Vec<&str> = (langs.iter())
                .map(|l| {
                    self.words
                        .languages
                        .get(l)
                        .map_or(l.as_str(), String::as_str)
                })
                .collect();
            self.join(&names)
        };
        (self.r().one_language)
            .replace("{changed}", &list(changed))
            .replace("{unchanged}", &list(unchanged))
    }

    /// "a, b och c" in this language.
    fn join(&self, items: &[&str]) -> String {
        let w = self.words;
        let sep = w.join_separator.as_str();
        let cjk = sep.trim().is_empty() || !sep.is_ascii();
        let and = w.join_and.as_deref().unwrap_or(&w.and).trim();
        let and = if cjk {
            and.to_string()
        } else {
            format!(" {and} ")
        };
        match items.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{}{and}{last}", rest.join(sep)),
            _ => items.join(""),
        }
    }

    /// A term no text shows: named by its label, with its values where they read as words.
    fn by_value(&self, t: &TermChange, place: String, lang: &str) -> String {
        let r = self.r();
        let show = |v: &Option<Value>| v.as_ref().and_then(|v| self.value(v, lang));
        match t.kind {
            ChangeKind::Changed => match (show(&t.old), show(&t.new)) {
                (Some(o), Some(n)) => {
                    let changes = r.replaced.replace("{old}", &o).replace("{new}", &n);
                    self.with_changes(&place, &changes)
                }
                _ => self.place_in(&r.changed, &place),
            },
            ChangeKind::Added => match show(&t.new) {
                Some(v) => self.with_changes(&self.place_in(&r.added, &place), &v),
                None => self.place_in(&r.added, &place),
            },
            ChangeKind::Removed => self.place_in(&r.removed, &place),
        }
    }

    /// A value as the document prints it, or `None` where only the document's text could say
    /// it (a choice among the schema's values, a list, an object).
    fn value(&self, v: &Value, lang: &str) -> Option<String> {
        match v {
            Value::String(s) if crate::terms::validate::iso_date(s).is_some() => self.date(s),
            Value::String(s) if is_choice(s) => None,
            Value::String(s) => Some(self.quote(s)),
            Value::Bool(b) => Some(if *b { &self.r().yes } else { &self.r().no }.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Object(m) => {
                let text = |v: &Value| match v {
                    Value::String(s) => Some(s.clone()),
                    Value::Object(m) => {
                        (m.get(LOCALIZED).and_then(Value::as_object)).and_then(|t| {
                            (t.get(lang).or_else(|| t.values().next()))
                                .and_then(Value::as_str)
                                .map(str::to_string)
                        })
                    }
                    _ => None,
                };
                if m.contains_key(LOCALIZED) {
                    return text(v).map(|s| self.quote(&s));
                }
                ["title", "name", "official_name", "short_name"]
                    .iter()
                    .find_map(|k| m.get(*k).and_then(text))
                    .map(|s| self.quote(&s))
            }
            _ => None,
        }
    }

    /// A term's place by the labels of its keys ("Undertecknande, datum"), else "Villkoren".
    fn label(&self, path: &str) -> String {
        let path = match path_language(path) {
            Some(l) => path
                .trim_end()
                .strip_suffix(&format!(" ({l})"))
                .unwrap_or(path),
            None => path,
        };
        let labels: Vec<&str> = (path.split(['.', '[', ']']))
            .filter_map(|k| self.r().terms.get(k).map(String::as_str))
            .collect();
        if labels.is_empty() {
            self.r().the_terms.clone()
        } else {
            labels.join(&self.words.list_separator)
        }
    }

    /// "Artikel 4 ”Genomförande”" (with its heading) or "Artikel 4"; "Ingressen";
    /// "Underskrifter".
    pub fn place(&self, c: &ClauseDiff, heading: bool) -> String {
        if c.id == PREAMBLE_ID {
            return self.r().preamble.clone();
        }
        match c.label() {
            Some(label) if heading && !c.heading().is_empty() => {
                let space = if self.words.text.cjk { "" } else { " " };
                format!("{label}{space}{}", self.quote(c.heading()))
            }
            Some(label) => label.to_string(),
            None if c.heading().is_empty() => self.r().the_terms.clone(),
            None => c.heading().to_string(),
        }
    }

    /// What happened to a clause, as its line in the terminal: "Artikel 2 har ändrats",
    /// "Artikel 10 (tidigare Artikel 9) har ändrats", "Artikel 9 har lagts till".
    pub fn clause_line(&self, c: &ClauseDiff) -> String {
        let r = self.r();
        let place = self.place(c, false);
        let place = match (&c.old_label, c.label()) {
            (Some(old), Some(new))
                if c.status != ClauseStatus::Moved && c.old_number != c.new_number =>
            {
                r.was.replace("{new}", new).replace("{old}", old)
            }
            _ => place,
        };
        match c.status {
            ClauseStatus::Inserted => self.place_in(&r.added, &place),
            ClauseStatus::Deleted => self.place_in(&r.removed, &place),
            ClauseStatus::Moved => {
                let from = c.old_label.clone().unwrap_or_default();
                r.moved.replace("{place}", &place).replace("{from}", &from)
            }
            ClauseStatus::Changed | ClauseStatus::Unchanged => self.place_in(&r.changed, &place),
        }
    }

    /// "Artikel 10 (tidigare Artikel 9) har fått nytt nummer": the articles that kept their
    /// place but not their number, when some unchanged one did.
    pub fn renumbered(&self, clauses: &[ClauseDiff]) -> Option<String> {
        let r = self.r();
        let moved: Vec<&ClauseDiff> = (clauses.iter())
            .filter(|c| matches!(c.status, ClauseStatus::Unchanged | ClauseStatus::Changed))
            .filter(|c| c.old_number.is_some() && c.new_number.is_some())
            .filter(|c| c.old_number != c.new_number)
            .collect();
        if !moved.iter().any(|c| c.status == ClauseStatus::Unchanged) {
            return None;
        }
        let parts: Vec<String> = (moved.iter())
            .filter_map(|c| {
                let (old, new) = (c.old_label.as_deref()?, c.new_label.as_deref()?);
                Some(r.was.replace("{new}", new).replace("{old}", old))
            })
            .collect();
        let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
        Some(r.renumbered.replace("{parts}", &self.join(&parts)))
    }

    /// The separate changes of a text, each quoted with a few words around a replaced one:
    /// "tillägg ”…”; ”senast fyra månader före” ändras till ”senast sex månader före”".
    fn changes(&self, segs: &[Segment]) -> Option<String> {
        let r = self.r();
        let mut hunks = Vec::new();
        let mut i = 0;
        while i < segs.len() {
            if segs[i].kind == SegmentKind::Equal {
                i += 1;
                continue;
            }
            // A run of changes, across gaps of a word or two within a paragraph.
            let start = i;
            let mut end = i;
            let mut j = i;
            while j < segs.len() {
                match segs[j].kind {
                    SegmentKind::Equal
                        if is_gap(&segs[j].text)
                            && segs
                                .get(j + 1)
                                .is_some_and(|s| s.kind != SegmentKind::Equal) =>
                    {
                        j += 1
                    }
                    SegmentKind::Equal => break,
                    _ => {
                        j += 1;
                        end = j;
                    }
                }
            }
            let run = &segs[start..end];
            let sep = self.words.title_separator.as_str();
            let old = plain(run, |k| k != SegmentKind::Insert, sep);
            let new = plain(run, |k| k != SegmentKind::Delete, sep);
            let hunk = match (old.is_empty(), new.is_empty()) {
                (true, false) => Some(r.text_added.replace("{text}", &self.quote(&new))),
                (false, true) => Some(r.text_removed.replace("{text}", &self.quote(&old))),
                (false, false) => {
                    let lead = if start > 0 {
                        lead(&segs[start - 1].text)
                    } else {
                        String::new()
                    };
                    let trail = segs.get(end).map(|s| trail(&s.text)).unwrap_or_default();
                    let old = raw(run, |k| k != SegmentKind::Insert);
                    let new = raw(run, |k| k != SegmentKind::Delete);
                    let old = self.quote(&one_line(&format!("{lead}{old}{trail}"), sep));
                    let new = self.quote(&one_line(&format!("{lead}{new}{trail}"), sep));
                    Some(r.replaced.replace("{old}", &old).replace("{new}", &new))
                }
                (true, true) => None,
            };
            if let Some(h) = hunk
                && !hunks.contains(&h)
            {
                hunks.push(h);
            }
            i = end.max(i + 1);
        }
        if hunks.is_empty() {
            return None;
        }
        let more = hunks.len() > HUNKS;
        hunks.truncate(HUNKS);
        let sep = if self.words.text.cjk { "；" } else { "; " };
        let mut line = hunks.join(sep);
        if more {
            line.push_str(sep);
            line.push('…');
        }
        Some(line)
    }
}

/// The language a per-language term's path names (`title (sv)`).
fn path_language(path: &str) -> Option<&str> {
    let rest = path.strip_suffix(')')?;
    let at = rest.rfind(" (")?;
    Some(&rest[at + 2..])
}

/// A choice among a schema's values (`contact-details-only`, `parallel`): lowercase ASCII
/// words joined by hyphens.
fn is_choice(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// The text of the segments `keep` keeps, as one line: no emphasis marks, a paragraph that
/// ends without a stop (a list item's title) joined to the next by `sep`, others by a space.
fn plain(segs: &[Segment], keep: impl Fn(SegmentKind) -> bool, sep: &str) -> String {
    one_line(&raw(segs, keep), sep)
}

/// The text of the segments `keep` keeps, as they are.
fn raw(segs: &[Segment], keep: impl Fn(SegmentKind) -> bool) -> String {
    (segs.iter())
        .filter(|s| keep(s.kind))
        .map(|s| s.text.as_str())
        .collect()
}

/// A text as one line (see [`plain`]).
fn one_line(text: &str, sep: &str) -> String {
    let one = |p: &str| p.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = String::new();
    for para in text.replace("**", "").split("\n\n").map(one) {
        if para.is_empty() {
            continue;
        }
        if !out.is_empty() {
            let stopped = out.ends_with(['.', ';', ':', ',', '!', '?', '。', '；', '：', '，']);
            out.push_str(if stopped { " " } else { sep });
        }
        out.push_str(&para);
    }
    out
}

/// An unchanged stretch short enough to join the changes on either side into one.
fn is_gap(text: &str) -> bool {
    text.trim().is_empty()
        || (!text.contains("\n\n")
            && text.split_whitespace().count() <= 2
            && text.chars().count() <= 12)
}

/// Whether a text is written without spaces between words (Chinese).
fn unspaced(text: &str) -> bool {
    text.chars()
        .any(|c| matches!(c, '\u{3000}'..='\u{9fff}' | '\u{f900}'..='\u{faff}' | '\u{ff00}'..='\u{ffef}'))
}

/// The words just before a change, in its paragraph.
fn lead(text: &str) -> String {
    let para = text.rsplit("\n\n").next().unwrap_or("");
    if unspaced(para) {
        let chars: Vec<char> = para.chars().collect();
        return chars[chars.len().saturating_sub(2 * CONTEXT)..]
            .iter()
            .collect();
    }
    let words: Vec<&str> = para.split_whitespace().collect();
    let mut s = words[words.len().saturating_sub(CONTEXT)..].join(" ");
    if !s.is_empty() && para.ends_with(char::is_whitespace) {
        s.push(' ');
    }
    s
}

/// The words just after a change, in its paragraph.
fn trail(text: &str) -> String {
    let para = text.split("\n\n").next().unwrap_or("");
    if unspaced(para) {
        return para.chars().take(2 * CONTEXT).collect();
    }
    let words: Vec<&str> = para.split_whitespace().take(CONTEXT).collect();
    let mut s = words.join(" ");
    if !s.is_empty() && para.starts_with(char::is_whitespace) {
        s.insert(0, ' ');
    }
    s
}

/// `s` cut at [`SHOWN`] characters, between words (a text with no spaces, such as Chinese,
/// at the character).
fn shown(s: &str) -> String {
    if s.chars().count() <= SHOWN {
        return s.to_string();
    }
    let cut: String = s.chars().take(SHOWN + 1).collect();
    let cut = match cut.rfind(char::is_whitespace) {
        Some(at) if at > 0 => cut[..at].to_string(),
        _ => cut.chars().take(SHOWN).collect(),
    };
    format!(
        "{}…",
        cut.trim_end_matches([',', ';', ':', ' ', '，', '；'])
    )
}
