//! The layout check, run on the laid-out pages before any PDF is written: no word may be
//! printed over another, and none may sit at the page's edge. Words are read off Typst's
//! frames: each text run split at spaces, each word as large as the ink of its glyphs (the
//! font's bounding box of each glyph, where it is printed). Text set at an angle (the DRAFT
//! watermark) is decoration and not checked. A final copy that fails is refused; a draft gets a warning.

use std::collections::HashMap;

use typst::layout::{Abs, Frame, FrameItem, Point, Transform};
use typst_layout::PagedDocument;

/// Nothing may come closer to a page's edge than this.
const EDGE: f64 = 28.35; // 1 cm in points

/// Two words clash when their boxes overlap by at least this much in both directions.
const MIN_OVERLAP: f64 = 0.75; // points

/// One word where it was printed.
#[derive(Debug, Clone)]
struct Word {
    text: String,
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
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
    for (i, page) in document.pages().iter().enumerate() {
        let mut words = Vec::new();
        collect(&page.frame, Transform::identity(), &mut ink, &mut words);
        let (width, height) = (page.frame.width().to_pt(), page.frame.height().to_pt());
        let mut found = 0;
        for w in &words {
            if w.left < EDGE || w.right > width - EDGE || w.top < 0.0 || w.bottom > height {
                out.push(Clash {
                    page: i + 1,
                    what: format!("“{}” sits at the page's edge or off the page", w.text),
                });
                found += 1;
            }
        }
        words.sort_by(|a, b| a.top.total_cmp(&b.top));
        'outer: for (n, a) in words.iter().enumerate() {
            for b in words[n + 1..]
                .iter()
                .take_while(|b| b.top < a.bottom - MIN_OVERLAP)
            {
                let across = a.right.min(b.right) - a.left.max(b.left);
                let down = a.bottom.min(b.bottom) - a.top.max(b.top);
                if across >= MIN_OVERLAP && down >= MIN_OVERLAP {
                    out.push(Clash {
                        page: i + 1,
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

/// Glyph bounding boxes in font units, by font and glyph (a CFF glyph's box means reading its
/// outline, so each is read once per document).
#[derive(Default)]
struct Ink(HashMap<(usize, u16), Option<ttf_parser::Rect>>);

impl Ink {
    fn of(&mut self, font: &typst::text::FontInstance, glyph: u16) -> Option<ttf_parser::Rect> {
        let key = (font.font().data().as_ptr() as usize, glyph);
        *self
            .0
            .entry(key)
            .or_insert_with(|| font.ttf().glyph_bounding_box(ttf_parser::GlyphId(glyph)))
    }
}

/// The words of a frame and its groups, in page coordinates.
fn collect(frame: &Frame, ts: Transform, ink: &mut Ink, out: &mut Vec<Word>) {
    for (pos, item) in frame.items() {
        match item {
            FrameItem::Group(group) => {
                let inner = ts
                    .pre_concat(Transform::translate(pos.x, pos.y))
                    .pre_concat(group.transform);
                // Rotated or skewed text is decoration (the DRAFT watermark).
                if inner.kx.get() == 0.0 && inner.ky.get() == 0.0 {
                    collect(&group.frame, inner, ink, out);
                }
            }
            FrameItem::Text(text) => words_of(text, *pos, ts, ink, out),
            _ => {}
        }
    }
}

/// Split one run of text into words, each as large as the ink of its glyphs (the font's box
/// of each glyph, placed where the glyph is printed).
fn words_of(
    text: &typst::text::TextItem,
    pos: Point,
    ts: Transform,
    inks: &mut Ink,
    out: &mut Vec<Word>,
) {
    let size = text.size;
    let font = &text.font;
    let units = |v: i16| font.to_em(v).at(size);
    let mut x = pos.x;
    // The word so far: its text and ink box (left, right, top, bottom) in the run's space.
    let mut word: Option<(String, [Abs; 4])> = None;
    let flush = |word: &mut Option<(String, [Abs; 4])>, out: &mut Vec<Word>| {
        if let Some((s, [left, right, top, bottom])) = word.take() {
            let a = Point::new(left, top).transform(ts);
            let b = Point::new(right, bottom).transform(ts);
            out.push(Word {
                text: s,
                left: a.x.to_pt().min(b.x.to_pt()),
                right: a.x.to_pt().max(b.x.to_pt()),
                top: a.y.to_pt().min(b.y.to_pt()),
                bottom: a.y.to_pt().max(b.y.to_pt()),
            });
        }
    };
    for glyph in &text.glyphs {
        let chars = &text.text[glyph.range()];
        let origin = x + glyph.x_offset.at(size);
        let baseline = pos.y - glyph.y_offset.at(size);
        x += glyph.x_advance.at(size);
        let ink = inks.of(font, glyph.id);
        let (true, Some(ink)) = (!chars.chars().all(char::is_whitespace), ink) else {
            flush(&mut word, out);
            continue;
        };
        let b = [
            origin + units(ink.x_min),
            origin + units(ink.x_max),
            baseline - units(ink.y_max),
            baseline - units(ink.y_min),
        ];
        match &mut word {
            Some((s, w)) => {
                s.push_str(chars);
                *w = [
                    w[0].min(b[0]),
                    w[1].max(b[1]),
                    w[2].min(b[2]),
                    w[3].max(b[3]),
                ];
            }
            None => word = Some((chars.to_string(), b)),
        }
    }
    flush(&mut word, out);
}
