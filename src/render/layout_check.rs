//! The layout check, run on the laid-out pages before any PDF is written: no word may be
//! printed over another, none may sit at the page's edge, and none may run past the right
//! margin (a name or word too long for its column, set unbreakable). Words are read off Typst's
//! frames: each text run split at spaces, each word first as wide as its glyphs' advances and
//! as tall as its font's capitals. Words whose such boxes touch are then measured by
//! the ink of their glyphs (the font's bounding box of each glyph, where it is printed), so
//! that the spacing Typst puts between Chinese and Latin letters is not mistaken for a clash
//! and outlines are read only for the few words that need it. Text set at an angle (the DRAFT
//! watermark) is decoration and not checked. The margins are read off the text itself: the
//! left one is where the leftmost word of the document starts, and the right one is taken to
//! be as wide (pactum's layouts have equal side margins). A final copy that fails is refused;
//! a draft gets a warning.

use std::collections::HashMap;

use typst::layout::{Abs, Frame, FrameItem, Point, Transform};
use typst::text::{FontInstance, TextItem};
use typst_layout::PagedDocument;

/// Nothing may come closer to a page's edge than this.
const EDGE: f64 = 28.35; // 1 cm in points

/// Two words clash when their ink overlaps by at least this much in both directions.
const MIN_OVERLAP: f64 = 0.75; // points

/// How far a word's ink may reach past the right margin: punctuation and hyphens hang into
/// the margin by design (Typst's overhang), a name that does not fit reaches much further.
const MARGIN_SLACK: f64 = 4.0; // points

/// A box in page coordinates (points): left, right, top, bottom.
type Rect = [f64; 4];

/// One glyph of a word: its font, its id, and its origin in the run's coordinates.
#[derive(Debug, Clone)]
struct Glyph {
    font: FontInstance,
    id: u16,
    x: Abs,
    baseline: Abs,
    size: Abs,
}

/// One word where it was printed.
#[derive(Debug, Clone)]
struct Word {
    text: String,
    /// The advance and cap-height box.
    em: Rect,
    glyphs: Vec<Glyph>,
    ts: Transform,
}

/// A problem the check found: a page (1-based) and what is wrong there, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clash {
    pub page: usize,
    pub what: String,
}

impl std::fmt::Display for Clash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "page {}: {}", self.page, self.what)
    }
}

/// Every clash in a laid-out document (at most a few per page).
pub fn check(document: &PagedDocument) -> Vec<Clash> {
    let mut out = Vec::new();
    let mut ink = Ink::default();
    let pages: Vec<Vec<Word>> = document
        .pages()
        .iter()
        .map(|page| {
            let mut words = Vec::new();
            collect(&page.frame, Transform::identity(), &mut words);
            words
        })
        .collect();
    // The left margin: where the leftmost word starts (a word at the page's edge is reported
    // as such, and does not move the margin).
    let margin = pages
        .iter()
        .flatten()
        .map(|w| w.em[0])
        .filter(|left| *left >= EDGE)
        .reduce(f64::min);
    for (i, (page, mut words)) in document.pages().iter().zip(pages).enumerate() {
        let page_no = i + 1;
        let (width, height) = (page.frame.width().to_pt(), page.frame.height().to_pt());
        let mut found = 0;
        for w in &words {
            let [left, right, top, bottom] = w.em;
            if left < EDGE || right > width - EDGE || top < 0.0 || bottom > height {
                let [left, right, top, bottom] = ink.of_word(w);
                if left < EDGE || right > width - EDGE || top < 0.0 || bottom > height {
                    let what = format!("“{}” sits at the page's edge or off the page", w.text);
                    out.push(Clash {
                        page: page_no,
                        what,
                    });
                    found += 1;
                    continue;
                }
            }
            if let Some(margin) = margin
                && right > width - margin + MARGIN_SLACK
                && ink.of_word(w)[1] > width - margin + MARGIN_SLACK
                && found < 3
            {
                let what = format!("“{}” runs past the right margin", w.text);
                out.push(Clash {
                    page: page_no,
                    what,
                });
                found += 1;
            }
        }
        words.sort_by(|a, b| a.em[2].total_cmp(&b.em[2]));
        'outer: for (n, a) in words.iter().enumerate() {
            let later = words[n + 1..].iter();
            for b in later.take_while(|b| b.em[2] < a.em[3] - MIN_OVERLAP) {
                if overlap(a.em, b.em) && overlap(ink.of_word(a), ink.of_word(b)) {
                    out.push(Clash {
                        page: page_no,
                        what: format!("“{}” is printed over “{}”", a.text, b.text),
                    });
                    found += 1;
                    if found >= 3 {
                        break 'outer;
                    }
                }
            }
        }
    }
    out
}

fn overlap(a: Rect, b: Rect) -> bool {
    let across = a[1].min(b[1]) - a[0].max(b[0]);
    let down = a[3].min(b[3]) - a[2].max(b[2]);
    across >= MIN_OVERLAP && down >= MIN_OVERLAP
}

/// Glyph bounding boxes in font units, by font and glyph (a CFF glyph's box means reading its
/// outline, so each is read at most once per document).
#[derive(Default)]
struct Ink(HashMap<(usize, u16), Option<ttf_parser::Rect>>);

impl Ink {
    fn of(&mut self, font: &FontInstance, glyph: u16) -> Option<ttf_parser::Rect> {
        let key = (font.font().data().as_ptr() as usize, glyph);
        *self
            .0
            .entry(key)
            .or_insert_with(|| font.ttf().glyph_bounding_box(ttf_parser::GlyphId(glyph)))
    }

    /// The ink box of a word in page coordinates (its em box when no glyph has ink).
    fn of_word(&mut self, word: &Word) -> Rect {
        let mut ink: Option<[Abs; 4]> = None;
        for g in &word.glyphs {
            let Some(r) = self.of(&g.font, g.id) else {
                continue;
            };
            let units = |v: i16| g.font.to_em(v).at(g.size);
            let b = [
                g.x + units(r.x_min),
                g.x + units(r.x_max),
                g.baseline - units(r.y_max),
                g.baseline - units(r.y_min),
            ];
            ink = Some(match ink {
                Some(w) => [
                    w[0].min(b[0]),
                    w[1].max(b[1]),
                    w[2].min(b[2]),
                    w[3].max(b[3]),
                ],
                None => b,
            });
        }
        ink.map_or(word.em, |[l, r, t, b]| page_rect(word.ts, l, r, t, b))
    }
}

fn page_rect(ts: Transform, left: Abs, right: Abs, top: Abs, bottom: Abs) -> Rect {
    let a = Point::new(left, top).transform(ts);
    let b = Point::new(right, bottom).transform(ts);
    [
        a.x.to_pt().min(b.x.to_pt()),
        a.x.to_pt().max(b.x.to_pt()),
        a.y.to_pt().min(b.y.to_pt()),
        a.y.to_pt().max(b.y.to_pt()),
    ]
}

/// The words of a frame and its groups, in page coordinates.
fn collect(frame: &Frame, ts: Transform, out: &mut Vec<Word>) {
    for (pos, item) in frame.items() {
        match item {
            FrameItem::Group(group) => {
                let inner = ts
                    .pre_concat(Transform::translate(pos.x, pos.y))
                    .pre_concat(group.transform);
                // Rotated or skewed text is decoration (the DRAFT watermark).
                if inner.kx.get() == 0.0 && inner.ky.get() == 0.0 {
                    collect(&group.frame, inner, out);
                }
            }
            FrameItem::Text(text) => words_of(text, *pos, ts, out),
            _ => {}
        }
    }
}

/// Split one run of text into words at its spaces.
fn words_of(text: &TextItem, pos: Point, ts: Transform, out: &mut Vec<Word>) {
    let size = text.size;
    // The first, cheap box: cap height above the baseline, half the descender below. It
    // keeps the lines of a paragraph apart (a font's full ascender and descender may not), so
    // only words on one line, or really clashing, go on to be measured by their ink.
    let metrics = text.font.metrics();
    let (above, below) = (
        metrics.cap_height.at(size),
        -metrics.descender.at(size) / 2.0,
    );
    let mut x = pos.x;
    let mut word: Option<(String, Abs, Abs, Vec<Glyph>)> = None;
    let flush = |word: &mut Option<(String, Abs, Abs, Vec<Glyph>)>, out: &mut Vec<Word>| {
        if let Some((text, from, to, glyphs)) = word.take() {
            let em = page_rect(ts, from, to, pos.y - above, pos.y + below);
            out.push(Word {
                text,
                em,
                glyphs,
                ts,
            });
        }
    };
    for glyph in &text.glyphs {
        let chars = &text.text[glyph.range()];
        let origin = x + glyph.x_offset.at(size);
        x += glyph.x_advance.at(size);
        if chars.chars().all(char::is_whitespace) {
            flush(&mut word, out);
            continue;
        }
        let placed = Glyph {
            font: text.font.clone(),
            id: glyph.id,
            x: origin,
            baseline: pos.y - glyph.y_offset.at(size),
            size,
        };
        match &mut word {
            Some((s, _, to, glyphs)) => {
                s.push_str(chars);
                *to = x;
                glyphs.push(placed);
            }
            None => word = Some((chars.to_string(), origin, x, vec![placed])),
        }
    }
    flush(&mut word, out);
}
