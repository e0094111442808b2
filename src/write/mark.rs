//! The DRAFT mark of a PDF draft in the document's first language ("UTKAST", "草案",
//! "ENTWURF"): the words file's `draft_mark`, drawn as the outlines of its letters in the
//! first version's own faces, an SVG the layout places behind every page. Outlines, not
//! text: text extracted from a draft (copy-paste, pdftotext, the redline) is the agreement's
//! text only.

use std::fmt::Write as _;

use typst::text::{FontStyle, FontVariant, FontWeight};

use crate::model::{Document, FontFamily, Words};
use crate::render::Engine;

/// The mark's word for `doc`: its first version's words' `draft_mark`, else what its draft
/// footer says before the round ("UTKAST" of "UTKAST — omgång {n}").
pub fn word(doc: &Document, words: &std::collections::BTreeMap<String, Words>) -> Option<String> {
    let w = words.get(&doc.versions.first()?.lang)?;
    let word = match &w.draft_mark {
        Some(mark) => mark.clone(),
        None => w.draft.split(['—', '{']).next()?.trim().to_string(),
    };
    (!word.is_empty()).then_some(word)
}

/// The SVG of `word` in the faces of `doc`'s first version (any face that has a letter the
/// others lack), light grey; `None` when some letter is in no face.
pub fn svg(engine: &Engine, doc: &Document, word: &str) -> Option<String> {
    let families: Vec<String> = (doc.versions.first()?.text.fonts.iter())
        .map(|f| match f {
            FontFamily::Name(name) => name.to_lowercase(),
            FontFamily::Covering { name, .. } => name.to_lowercase(),
        })
        .collect();
    let bold = FontVariant::new(FontStyle::Normal, FontWeight::BOLD, Default::default());
    let book = engine.fonts.book();
    let fonts: Vec<typst::text::Font> = (families.iter())
        .filter_map(|f| book.select(f, bold))
        .filter_map(|i| engine.fonts.font(i))
        .collect();
    let faces: Vec<ttf_parser::Face> = (fonts.iter())
        .filter_map(|f| ttf_parser::Face::parse(f.data(), f.index()).ok())
        .collect();
    // The word's letters side by side, each at 1000 units to the em.
    let (mut d, mut x, em) = (String::new(), 0.0_f64, 1000.0_f64);
    for c in word.chars() {
        if c.is_whitespace() {
            x += em / 3.0;
            continue;
        }
        let (ttf, glyph) = faces
            .iter()
            .find_map(|f| f.glyph_index(c).map(|g| (f, g)))?;
        let scale = em / f64::from(ttf.units_per_em());
        let ascender = f64::from(ttf.ascender()) * scale;
        let mut path = Path {
            d: &mut d,
            x,
            top: ascender,
            scale,
        };
        ttf.outline_glyph(glyph, &mut path);
        x += f64::from(ttf.glyph_hor_advance(glyph).unwrap_or(0)) * scale;
    }
    if d.is_empty() {
        return None;
    }
    let height = em * 1.25;
    Some(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {x:.0} {height:.0}\" \
         width=\"{x:.0}\" height=\"{height:.0}\"><path fill=\"#e2e2e2\" fill-rule=\"nonzero\" \
         d=\"{d}\"/></svg>"
    ))
}

/// An outline written as SVG path data, flipped to SVG's downward y and placed at `x`.
struct Path<'a> {
    d: &'a mut String,
    x: f64,
    top: f64,
    scale: f64,
}

impl Path<'_> {
    fn point(&self, x: f32, y: f32) -> (f64, f64) {
        (
            self.x + f64::from(x) * self.scale,
            self.top - f64::from(y) * self.scale,
        )
    }
}

impl ttf_parser::OutlineBuilder for Path<'_> {
    fn move_to(&mut self, x: f32, y: f32) {
        let (x, y) = self.point(x, y);
        let _ = write!(self.d, "M{x:.1} {y:.1}");
    }
    fn line_to(&mut self, x: f32, y: f32) {
        let (x, y) = self.point(x, y);
        let _ = write!(self.d, "L{x:.1} {y:.1}");
    }
    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        let (x1, y1) = self.point(x1, y1);
        let (x, y) = self.point(x, y);
        let _ = write!(self.d, "Q{x1:.1} {y1:.1} {x:.1} {y:.1}");
    }
    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        let (x1, y1) = self.point(x1, y1);
        let (x2, y2) = self.point(x2, y2);
        let (x, y) = self.point(x, y);
        let _ = write!(self.d, "C{x1:.1} {y1:.1} {x2:.1} {y2:.1} {x:.1} {y:.1}");
    }
    fn close(&mut self) {
        self.d.push('Z');
    }
}
