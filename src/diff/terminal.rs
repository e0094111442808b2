//! Terminal output of a [`RoundDiff`], git/delta style.
//!
//! Owns [`write_terminal`]: a header with both sides, the terms changes, then each changed
//! clause with its redlined heading and the paragraphs that changed (runs of unchanged
//! paragraphs shown as `…`), then one line for all unchanged clauses ("Articles 1–2, 5
//! unchanged") and one for renumbering ("Articles 4–7 (were 3–6) renumbered"). Deletions are
//! `[-…-]` and insertions `{+…+}` without colour; with colour they are red struck-through and
//! green underlined (style carries the meaning too, for colour-blind readers). Whether to use
//! colour is the caller's decision (NO_COLOR, tty); this module never looks at the environment.

use std::io::{self, Write};

use anstyle::{AnsiColor, Effects, Style};

use crate::diff::clauses::PREAMBLE_ID;
use crate::diff::summary::Reader;
use crate::diff::text::{ClauseDiff, ClauseStatus};
use crate::diff::words::{Segment, SegmentKind};
use crate::diff::{RoundDiff, Side, status_word};

struct Styles {
    bold: Style,
    del: Style,
    ins: Style,
    dim: Style,
}

impl Styles {
    fn new(color: bool) -> Self {
        if !color {
            let plain = Style::new();
            return Styles {
                bold: plain,
                del: plain,
                ins: plain,
                dim: plain,
            };
        }
        Styles {
            bold: Style::new().effects(Effects::BOLD),
            del: Style::new()
                .fg_color(Some(AnsiColor::Red.into()))
                .effects(Effects::STRIKETHROUGH),
            ins: Style::new()
                .fg_color(Some(AnsiColor::Green.into()))
                .effects(Effects::UNDERLINE),
            dim: Style::new().effects(Effects::DIMMED),
        }
    }
}

/// Writes the diff for a terminal (or a pipe, with `color == false`): the header in the first
/// version's language, then each version's changed terms and articles in its own.
pub fn write_terminal(diff: &RoundDiff, out: &mut dyn Write, color: bool) -> io::Result<()> {
    let st = Styles::new(color);
    let b = st.bold;
    let first = diff.reader(None);
    let side = |s: &Side| first.map_or_else(|| side_line(s), |r| r.dated(s));
    writeln!(out, "{b}--- {}{b:#}", side(&diff.old))?;
    writeln!(out, "{b}+++ {}{b:#}", side(&diff.new))?;
    if diff.is_empty() {
        let said = first.map_or("No changes.", |r| r.words.redline.no_changes.as_str());
        writeln!(out, "\n{said}")?;
        return Ok(());
    }

    let terms = |reader: Option<Reader>, out: &mut dyn Write| -> io::Result<()> {
        if diff.terms.is_empty() {
            return Ok(());
        }
        match reader {
            Some(r) => {
                writeln!(out, "\n{b}{}{b:#}", r.words.redline.changed_terms)?;
                for line in r.terms(diff) {
                    writeln!(out, "  {line}")?;
                }
            }
            None => {
                writeln!(out, "\n{b}Terms: {} changed{b:#}", diff.terms.len())?;
                for change in &diff.terms {
                    writeln!(out, "  {change}")?;
                }
            }
        }
        Ok(())
    };
    let several = diff.clauses.iter().any(|c| c.language.is_some());
    if !several {
        terms(first, out)?;
    }
    for version in diff.clauses.chunk_by(|a, b| a.language == b.language) {
        let reader = match &version[0].language {
            Some(lang) => diff.reader(Some(lang)),
            None => first,
        };
        if let Some(lang) = &version[0].language {
            // The version's name in its own language ("svenska", "中文").
            let name = (reader.and_then(|r| r.words.languages.get(lang)))
                .or(diff.language_names.get(lang))
                .unwrap_or(lang);
            writeln!(out, "\n{b}=== {name} ({lang}) ==={b:#}")?;
            terms(reader, out)?;
        }
        for c in version.iter().filter(|c| c.is_change()) {
            writeln!(out)?;
            write_clause(c, reader, out, &st, color)?;
        }
        writeln!(out)?;
        let words = reader.map(|r| r.words);
        if let Some(line) = unchanged_line_in(version, words) {
            writeln!(out, "{}{line}{:#}", st.dim, st.dim)?;
        }
        let renumbered = match reader {
            Some(r) => r.renumbered(version),
            None => renumbered_line(version),
        };
        if let Some(line) = renumbered {
            writeln!(out, "{}{line}{:#}", st.dim, st.dim)?;
        }
    }
    if diff.is_approximate() {
        writeln!(
            out,
            "Note: approximate diff (time budget exceeded); marks may be coarser than needed."
        )?;
    }
    Ok(())
}

/// `round-2.yaml (round 2, 2026-03-01)`: without words.
fn side_line(side: &Side) -> String {
    let mut extra = Vec::new();
    if let Some(r) = side.round {
        extra.push(format!("round {r}"));
    }
    if let Some(d) = &side.date {
        extra.push(d.clone());
    }
    if extra.is_empty() {
        side.label.clone()
    } else {
        format!("{} ({})", side.label, extra.join(", "))
    }
}

/// `Article 3 (costs)`, `Former Article 4 (costs)` when deleted, `Preamble`,
/// `Signatures (signatures)`.
pub fn clause_title(c: &ClauseDiff) -> String {
    // The version's own label ("Artikel 3", "第三條"), or "Article N".
    let label = |n: u32| {
        c.label()
            .map_or_else(|| format!("Article {n}"), str::to_string)
    };
    match c.number() {
        Some(n) if c.status == ClauseStatus::Deleted => format!("Former {} ({})", label(n), c.id),
        Some(n) => format!("{} ({})", label(n), c.id),
        None if c.id == PREAMBLE_ID => "Preamble".to_string(),
        None => format!("{} ({})", c.heading(), c.id),
    }
}

/// `changed, was Article 3`, `moved from Article 2`, `inserted`.
fn status_phrase(c: &ClauseDiff) -> String {
    let word = status_word(c.status);
    let was = |o: u32| {
        c.old_label
            .clone()
            .unwrap_or_else(|| format!("Article {o}"))
    };
    match (c.status, c.old_number, c.new_number) {
        (ClauseStatus::Moved, Some(o), _) => format!("moved from {}", was(o)),
        (ClauseStatus::Changed | ClauseStatus::Unchanged, Some(o), Some(n)) if o != n => {
            format!("{word}, was {}", was(o))
        }
        (ClauseStatus::Changed, Some(_), None) => format!("{word}, now unnumbered"),
        (ClauseStatus::Changed, None, Some(_)) => format!("{word}, now numbered"),
        _ => word.to_string(),
    }
}

fn write_clause(
    c: &ClauseDiff,
    reader: Option<Reader>,
    out: &mut dyn Write,
    st: &Styles,
    color: bool,
) -> io::Result<()> {
    let b = st.bold;
    match reader {
        Some(r) => writeln!(out, "{b}{}{b:#}", r.clause_line(c))?,
        None => writeln!(out, "{b}{} {}{b:#}", clause_title(c), status_phrase(c))?,
    }
    if !c.heading_segments.is_empty() && c.id != PREAMBLE_ID {
        write!(out, "  ")?;
        write_segments(&c.heading_segments, out, st, color)?;
        writeln!(out)?;
    }
    let whole = matches!(c.status, ClauseStatus::Inserted | ClauseStatus::Deleted);
    let paras = split_paragraphs(&c.segments);
    // Each note beside the paragraph it marks: an inserted item at the first wholly inserted
    // paragraph, a deleted one at the first wholly deleted one, the others at a changed one.
    let mut notes: Vec<Option<&str>> = vec![None; paras.len()];
    let mut from = 0;
    for note in (c.notes.iter()).filter(|n| n.kind != crate::model::ChangeKind::Moved) {
        let fits = |p: &[Segment]| match note.kind {
            crate::model::ChangeKind::Inserted => p.iter().all(|s| s.kind == SegmentKind::Insert),
            crate::model::ChangeKind::Deleted => p.iter().all(|s| s.kind == SegmentKind::Delete),
            _ => p.iter().any(|s| s.kind != SegmentKind::Equal),
        };
        let at = (from..paras.len()).find(|&k| notes[k].is_none() && fits(&paras[k]));
        match at {
            Some(k) => {
                notes[k] = Some(note.note.as_str());
                from = k + 1;
            }
            None => writeln!(out, "  [{}]", note.note)?,
        }
    }
    let mut skipped = false;
    for (para, note) in paras.iter().zip(&notes) {
        let changed = para.iter().any(|s| s.kind != SegmentKind::Equal);
        if !changed && !whole {
            skipped = true;
            continue;
        }
        if skipped {
            writeln!(out, "  {}…{:#}", st.dim, st.dim)?;
            skipped = false;
        }
        write!(out, "  ")?;
        write_segments(para, out, st, color)?;
        if let Some(note) = note {
            write!(out, "  [{note}]")?;
        }
        writeln!(out)?;
    }
    if skipped {
        writeln!(out, "  {}…{:#}", st.dim, st.dim)?;
    }
    Ok(())
}

fn write_segments(
    segs: &[Segment],
    out: &mut dyn Write,
    st: &Styles,
    color: bool,
) -> io::Result<()> {
    let mut prev = SegmentKind::Equal;
    for s in segs {
        match (s.kind, color) {
            (SegmentKind::Equal, _) => write!(out, "{}", s.text)?,
            (SegmentKind::Delete, false) => write!(out, "[-{}-]", s.text)?,
            (SegmentKind::Insert, false) => write!(out, "{{+{}+}}", s.text)?,
            (SegmentKind::Delete, true) => write!(out, "{}{}{:#}", st.del, s.text, st.del)?,
            (SegmentKind::Insert, true) => {
                // Keep "50,000" and "55,000" apart when only colour tells them apart.
                if prev == SegmentKind::Delete {
                    write!(out, " ")?;
                }
                write!(out, "{}{}{:#}", st.ins, s.text, st.ins)?;
            }
        }
        prev = s.kind;
    }
    Ok(())
}

/// Splits segments at paragraph breaks (`"\n\n"`), so no mark runs across paragraphs.
pub fn split_paragraphs(segs: &[Segment]) -> Vec<Vec<Segment>> {
    let mut paras: Vec<Vec<Segment>> = vec![Vec::new()];
    for s in segs {
        for (k, piece) in s.text.split("\n\n").enumerate() {
            if k > 0 {
                paras.push(Vec::new());
            }
            if !piece.is_empty()
                && let Some(last) = paras.last_mut()
            {
                last.push(Segment::new(s.kind, piece));
            }
        }
    }
    paras.retain(|p| !p.is_empty());
    paras
}

/// `1–2, 5` from sorted numbers (`I–II, V` in Roman numerals).
pub fn ranges(numbers: &[u32], roman: bool) -> String {
    let mut parts = Vec::new();
    let mut k = 0;
    while k < numbers.len() {
        let start = numbers[k];
        let mut end = start;
        while k + 1 < numbers.len() && numbers[k + 1] == end + 1 {
            k += 1;
            end = numbers[k];
        }
        parts.push(if start == end {
            numeral(start, roman)
        } else {
            format!("{}–{}", numeral(start, roman), numeral(end, roman))
        });
        k += 1;
    }
    parts.join(", ")
}

fn numeral(n: u32, roman: bool) -> String {
    if roman {
        crate::model::words::roman(n)
    } else {
        n.to_string()
    }
}

/// Whether a version's articles print Roman numerals (`numbering: roman`): its labels say so
/// ("Article III"; a Chinese label, 第三條, does not).
fn in_roman(clauses: &[ClauseDiff]) -> bool {
    clauses.iter().any(|c| {
        let (Some(n), Some(label)) = (c.new_number, c.new_label.as_deref()) else {
            return false;
        };
        label.ends_with(&crate::model::words::roman(n)) && !label.ends_with(&n.to_string())
    })
}

/// `Articles 1–2, 5, Preamble and Signatures unchanged`.
#[cfg(test)]
pub(crate) fn unchanged_line(clauses: &[ClauseDiff]) -> Option<String> {
    unchanged_line_in(clauses, None)
}

/// The same in a language's words (the redline's head, in the document's first language):
/// "Artiklarna 1, 3 och 5–6, Ingressen … är oförändrade", "第1、3條、前言未修改".
pub(crate) fn unchanged_line_in(
    clauses: &[ClauseDiff],
    words: Option<&crate::model::Words>,
) -> Option<String> {
    let (one, many, preamble, and, sep, pattern) = match words {
        Some(w) => (
            w.article.as_str(),
            w.redline.articles.as_str(),
            w.redline.preamble.as_str(),
            format!(" {} ", w.join_and.as_deref().unwrap_or(&w.and).trim()),
            w.join_separator.as_str(),
            w.redline.unchanged.as_str(),
        ),
        None => (
            "Article {n}",
            "Articles {n}",
            "Preamble",
            " and ".to_string(),
            ", ",
            "{parts} unchanged",
        ),
    };
    let cjk = sep.trim().is_empty() || !sep.is_ascii();
    let and = if cjk { and.trim().to_string() } else { and };
    let same: Vec<&ClauseDiff> = clauses.iter().filter(|c| !c.is_change()).collect();
    if same.is_empty() {
        return None;
    }
    let numbers: Vec<u32> = same.iter().filter_map(|c| c.new_number).collect();
    let roman = in_roman(clauses);
    let mut names = Vec::new();
    let numbered = ranges(&numbers, roman).replace(", ", sep);
    match numbers.len() {
        0 => {}
        1 => names.push(one.replace("{n}", &numbered)),
        _ => names.push(many.replace("{n}", &numbered)),
    }
    for c in same.iter().filter(|c| c.new_number.is_none()) {
        names.push(match c.id.as_str() {
            PREAMBLE_ID => preamble.to_string(),
            _ if c.heading().is_empty() => c.id.clone(),
            _ => c.heading().to_string(),
        });
    }
    let list = match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{}{and}{last}", rest.join(sep)),
        _ => names.join(""),
    };
    Some(pattern.replace("{parts}", &list))
}

/// `Articles 4–7 (were 3–6) renumbered`: every clause that kept its place but not its number
/// (changed ones among them also say "was Article N" in their own title line); only printed
/// when some unchanged clause was renumbered.
fn renumbered_line(clauses: &[ClauseDiff]) -> Option<String> {
    let moves: Vec<(u32, u32)> = clauses
        .iter()
        .filter(|c| matches!(c.status, ClauseStatus::Unchanged | ClauseStatus::Changed))
        .filter_map(|c| match (c.old_number, c.new_number) {
            (Some(o), Some(n)) if o != n => Some((o, n)),
            _ => None,
        })
        .collect();
    let unchanged_renumbered = clauses.iter().any(|c| {
        c.status == ClauseStatus::Unchanged
            && c.old_number.is_some()
            && c.old_number != c.new_number
    });
    if moves.is_empty() || !unchanged_renumbered {
        return None;
    }
    let roman = in_roman(clauses);
    let n = |n: u32| numeral(n, roman);
    let mut groups: Vec<String> = Vec::new();
    let mut k = 0;
    while k < moves.len() {
        let (o0, n0) = moves[k];
        let mut len = 1;
        while k + len < moves.len() && moves[k + len] == (o0 + len as u32, n0 + len as u32) {
            len += 1;
        }
        let (o1, n1) = moves[k + len - 1];
        groups.push(if len == 1 {
            format!("{} (was {})", n(n0), n(o0))
        } else {
            format!("{}–{} (were {}–{})", n(n0), n(n1), n(o0), n(o1))
        });
        k += len;
    }
    let noun = if moves.len() == 1 {
        "Article"
    } else {
        "Articles"
    };
    Some(format!("{noun} {} renumbered", groups.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::tests::sample;

    fn render(color: bool) -> String {
        let mut buf = Vec::new();
        write_terminal(&sample(), &mut buf, color).expect("write to a Vec");
        String::from_utf8(buf).expect("utf-8")
    }

    #[test]
    fn plain_output() {
        let expected = "\
--- round 2
+++ round 3

Changed terms
  The terms: 3 → 4
  Article 2 “Areas”: removed “and youth exchange”

Article 2 changed
  Areas
  Culture [-and youth exchange-].

Article 3 inserted
  {+Youth+}
  {+Young people meet yearly.+}

Article 4 (was Article 3) changed
  Term
  This Agreement runs for [-3-]{+4+} years.

Article 1, Preamble and Signatures unchanged
";
        assert_eq!(render(false), expected);
    }

    #[test]
    fn renumbering_is_one_line() {
        let text = |ids: &[&str], changed: &str| -> String {
            ids.iter()
                .map(|id| {
                    let body = if *id == changed {
                        "Text c, changed."
                    } else {
                        "Text."
                    };
                    format!("# {id} {{#{id}}}\n\n{body}\n\n")
                })
                .collect()
        };
        let d = crate::diff::tests::diff_texts(
            &text(&["a", "b", "c", "d"], ""),
            &serde_json::json!({}),
            &text(&["a", "x", "b", "c", "d"], "c"),
            &serde_json::json!({}),
        )
        .clauses;
        assert_eq!(
            renumbered_line(&d).as_deref(),
            Some("Articles 3–5 (were 2–4) renumbered")
        );
        assert_eq!(
            unchanged_line(&d).as_deref(),
            Some("Articles 1, 3, 5 unchanged")
        );
    }

    #[test]
    fn colour_output_uses_ansi_and_no_markers() {
        let s = render(true);
        assert!(
            s.contains("\u{1b}[9m\u{1b}[31m3\u{1b}[0m \u{1b}[4m\u{1b}[32m4\u{1b}[0m"),
            "{s:?}"
        );
        assert!(!s.contains("[-"));
    }

    #[test]
    fn ranges_and_paragraph_split() {
        assert_eq!(ranges(&[1, 2, 5, 7, 8, 9], false), "1–2, 5, 7–9");
        assert_eq!(ranges(&[1, 2, 5, 7, 8, 9], true), "I–II, V, VII–IX");
        let segs = [
            Segment::new(SegmentKind::Equal, "A.\n\n"),
            Segment::new(SegmentKind::Delete, "B.\n\nC."),
        ];
        let paras = split_paragraphs(&segs);
        assert_eq!(paras.len(), 3);
        assert_eq!(paras[2], [Segment::new(SegmentKind::Delete, "C.")]);
    }
}
