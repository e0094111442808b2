//! The model as one self-contained HTML file: the style sheet inline ([`STYLE`]), nothing
//! loaded from elsewhere (no script, font or link outside the file; a letterhead image is
//! inside it, as a `data:` URL).
//!
//! Accessible by construction: `lang` on every language version, real headings (`h1` the
//! title, `h2` an article, `h3` an annex), real lists, `<ins>`/`<del>` for a redline's changes
//! (which screen readers announce), and a reference to an article is a link to it. The
//! parallel layout keeps each version one `<section lang>` in reading order; CSS subgrid lines
//! their parts up row by row, article beside article. Every text of the model (term values,
//! labels, notes) is escaped here: only this writer's own tags are markup.

use std::fmt::Write as _;

use crate::model::{
    Annexes, Article, Block, Change, Document, Inline, Item, Layout, Letterhead, Mode, Section,
    Signatory, Signatures, TitleBlock, Version,
};

/// The style sheet, on screen and in print.
pub const STYLE: &str = include_str!("html.css");

/// `doc` as a complete HTML document.
pub fn write(doc: &Document) -> String {
    let mut w = Html::default();
    let lang = doc.versions.first().map_or("en", |v| v.lang.as_str());
    w.raw("<!DOCTYPE html>\n");
    let _ = write!(w.out, "<html lang=\"{}\">\n<head>\n", attr(lang));
    w.raw("<meta charset=\"utf-8\">\n");
    w.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    w.raw("<meta name=\"generator\" content=\"pactum\">\n");
    // No script, and nothing fetched: what the file shows is what it holds.
    w.raw("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n");
    w.raw("<title>");
    w.text(&doc.title);
    w.raw("</title>\n<style>\n");
    w.raw(STYLE);
    // Each version in its language's fonts, as the PDF sets it (its words' `text.fonts`).
    for v in &doc.versions {
        let families: Vec<String> = (v.text.fonts.iter())
            .map(|f| format!("\"{}\"", css_string(f.name())))
            .collect();
        if !families.is_empty() {
            let _ = writeln!(
                w.out,
                ":lang({}) {{ font-family: {}, serif; }}",
                css_string(&v.lang),
                families.join(", ")
            );
        }
    }
    if let Some(footer) = &doc.footer {
        // Printed at the foot of every page, as the PDF's footer.
        let _ = writeln!(
            w.out,
            "@page {{ @bottom-center {{ content: \"{}\"; font: 8pt serif; color: #666; }} }}",
            css_string(footer)
        );
    }
    w.raw("</style>\n</head>\n");
    let class = match doc.mode {
        Mode::Draft => "draft",
        Mode::Final => "final",
    };
    let _ = writeln!(w.out, "<body class=\"{class}\">");
    if let Some(footer) = &doc.footer {
        w.raw("<p class=\"running\" role=\"note\">");
        w.text(footer);
        w.raw("</p>\n");
    }
    w.raw("<main>\n");
    if let Some(r) = &doc.redline {
        w.redline_head(r);
    }
    w.letterheads(&doc.letterheads);
    match doc.layout {
        Layout::Parallel => w.parallel(&doc.versions),
        Layout::Single | Layout::Consecutive => w.consecutive(&doc.versions),
    }
    w.signatures(&doc.signatures);
    w.annexes_of(doc);
    w.raw("</main>\n</body>\n</html>\n");
    w.out
}

#[derive(Default)]
struct Html {
    out: String,
}

impl Html {
    fn raw(&mut self, s: &str) {
        self.out.push_str(s);
    }

    /// Text, escaped: `&`, `<`, `>`, `"` and `'` are never markup here.
    fn text(&mut self, s: &str) {
        escape_into(&mut self.out, s);
    }

    /// `<p class="…">text</p>`: a paragraph of plain text.
    fn para(&mut self, class: &str, text: &str) {
        let _ = write!(self.out, "<p class=\"{class}\">");
        self.text(text);
        self.raw("</p>\n");
    }

    fn open_lang(&mut self, tag: &str, class: &str, lang: &str) {
        let _ = write!(
            self.out,
            "<{tag} class=\"{class}\" lang=\"{}\">",
            attr(lang)
        );
    }

    /// The parties' letterheads side by side, each image inside the file.
    fn letterheads(&mut self, letterheads: &[Letterhead]) {
        if letterheads.is_empty() {
            return;
        }
        self.raw("<header class=\"letterheads\">\n");
        for l in letterheads {
            self.raw("<div class=\"letterhead\">");
            if let Some(image) = &l.image {
                use base64::Engine as _;
                let data = base64::engine::general_purpose::STANDARD.encode(&image.bytes);
                let _ = write!(
                    self.out,
                    "<img src=\"data:{};base64,{data}\" alt=\"{}\">",
                    attr(&image.mime),
                    attr(&l.party)
                );
            }
            for line in &l.lines {
                self.raw("<p>");
                self.inlines(line, "");
                self.raw("</p>");
            }
            self.raw("</div>\n");
        }
        self.raw("</header>\n");
    }

    fn redline_head(&mut self, r: &crate::model::Redline) {
        self.raw("<header class=\"redline\">\n<h1>");
        self.text(&r.title);
        self.raw("</h1>\n<p class=\"legend\">");
        for (i, l) in r.legend.iter().enumerate() {
            let tag = if i == 0 { "ins" } else { "del" };
            let _ = write!(self.out, "<{tag}>");
            self.text(l);
            let _ = write!(self.out, "</{tag}> ");
        }
        self.raw("</p>\n");
        if let Some(h) = &r.terms_heading {
            self.raw("<h2>");
            self.text(h);
            self.raw("</h2>\n<ul>\n");
            for t in &r.terms {
                self.raw("<li>");
                self.text(t);
                self.raw("</li>\n");
            }
            self.raw("</ul>\n");
        }
        if let Some(u) = &r.unchanged {
            self.raw("<p><em>");
            self.text(u);
            self.raw("</em></p>\n");
        }
        self.raw("</header>\n");
    }

    /// One whole version after another, then each version's signing text.
    fn consecutive(&mut self, versions: &[Version]) {
        for v in versions {
            self.open_lang("section", "version", &v.lang);
            self.raw("\n");
            self.title_block(v);
            self.blocks(&v.preamble, &v.lang);
            for a in &v.articles {
                self.article(a, &v.lang);
            }
            self.raw("</section>\n");
        }
        for v in versions {
            if let Some(s) = &v.signing {
                self.open_lang("section", "signing", &v.lang);
                self.section(s, &v.lang);
                self.raw("</section>\n");
            }
        }
    }

    /// The versions side by side: each one `<section lang>` whose parts (title block,
    /// preamble, each article, signing text) are rows of one grid, so that the same article
    /// of every language stands on one row.
    fn parallel(&mut self, versions: &[Version]) {
        let articles = versions.iter().map(|v| v.articles.len()).max().unwrap_or(0);
        let _ = writeln!(
            self.out,
            "<div class=\"parallel\" style=\"--columns: {}; --rows: {}\">",
            versions.len().max(1),
            articles + 3
        );
        for v in versions {
            self.open_lang("section", "version", &v.lang);
            self.raw("\n<div class=\"part\">");
            self.title_block(v);
            self.raw("</div>\n<div class=\"part\">");
            self.blocks(&v.preamble, &v.lang);
            self.raw("</div>\n");
            for i in 0..articles {
                match v.articles.get(i) {
                    Some(a) => self.article(a, &v.lang),
                    None => self.raw("<div class=\"part\"></div>\n"),
                }
            }
            self.raw("<div class=\"part\">");
            if let Some(s) = &v.signing {
                self.section(s, &v.lang);
            }
            self.raw("</div>\n</section>\n");
        }
        self.raw("</div>\n");
    }

    fn title_block(&mut self, v: &Version) {
        let t: &TitleBlock = &v.title;
        self.raw("<header class=\"title\">\n");
        if let Some(c) = &v.copy_for {
            self.para("copy-for", c);
        }
        self.raw("<h1>");
        self.inlines(&t.title, &v.lang);
        self.raw("</h1>\n");
        if let Some(s) = &t.subtitle {
            self.raw("<p class=\"subtitle\">");
            self.inlines(s, &v.lang);
            self.raw("</p>\n");
        }
        if !t.between.is_empty() {
            self.para("between", &t.between);
        }
        let n = t.parties.len();
        for (i, p) in t.parties.iter().enumerate() {
            if i == n - 1 && i > 0 {
                self.para("between", &t.and);
            }
            self.raw("<p class=\"party\"><strong>");
            self.inlines(&p.name, &v.lang);
            self.raw("</strong>");
            if let Some(c) = &p.country {
                self.raw("<br>");
                self.inlines(c, &v.lang);
            }
            self.raw("</p>\n");
        }
        self.raw("</header>\n");
    }

    fn article(&mut self, a: &Article, lang: &str) {
        let class = match &a.change {
            Some(c) => format!("part article {}", change_class(c)),
            None => "part article".to_string(),
        };
        let _ = writeln!(
            self.out,
            "<article class=\"{class}\" id=\"{}\">",
            anchor(&a.id, lang)
        );
        // `numbering: none` with `title: ""`: an article of text alone.
        if a.label.is_empty() && a.was.is_none() && a.heading.is_empty() {
            self.note(a.change.as_ref());
            self.blocks(&a.blocks, lang);
            self.raw("</article>\n");
            return;
        }
        self.raw("<h2><span class=\"label\">");
        match &a.was {
            Some(was) => {
                self.raw("<del>");
                self.text(was);
                self.raw("</del> <ins>");
                self.text(&a.label);
                self.raw("</ins>");
            }
            None => self.text(&a.label),
        }
        self.raw("</span> ");
        self.inlines(&a.heading, lang);
        self.raw("</h2>\n");
        self.note(a.change.as_ref());
        self.blocks(&a.blocks, lang);
        self.raw("</article>\n");
    }

    fn note(&mut self, change: Option<&Change>) {
        if let Some(c) = change {
            let _ = write!(self.out, "<p class=\"note {}\">[", change_class(c));
            self.text(&c.note);
            self.raw("]</p>\n");
        }
    }

    fn section(&mut self, s: &Section, lang: &str) {
        self.raw("<h2>");
        self.inlines(&s.heading, lang);
        self.raw("</h2>\n");
        self.blocks(&s.blocks, lang);
    }

    fn blocks(&mut self, blocks: &[Block], lang: &str) {
        for b in blocks {
            match b {
                Block::Paragraph { content } => {
                    self.raw("<p>");
                    self.inlines(content, lang);
                    self.raw("</p>\n");
                }
                Block::List(list) => {
                    let tag = if list.ordered { "ol" } else { "ul" };
                    let _ = writeln!(self.out, "<{tag}>");
                    for item in &list.items {
                        self.item(item, lang);
                    }
                    let _ = writeln!(self.out, "</{tag}>");
                }
            }
        }
    }

    fn item(&mut self, item: &Item, lang: &str) {
        match &item.change {
            Some(c) => {
                let _ = write!(self.out, "<li class=\"{}\">", change_class(c));
            }
            None => self.raw("<li>"),
        }
        self.raw("<span class=\"marker\">");
        match item.change.as_ref().map(|c| c.kind) {
            Some(crate::model::ChangeKind::Inserted) => self.marked("ins", &item.marker),
            Some(crate::model::ChangeKind::Deleted) => self.marked("del", &item.marker),
            _ => self.text(&item.marker),
        }
        self.raw("</span><div class=\"body\">");
        if let Some(title) = &item.title {
            self.raw("<p class=\"item-title\"><strong>");
            self.inlines(title, lang);
            self.raw("</strong></p>\n");
        }
        self.blocks(&item.blocks, lang);
        self.note(item.change.as_ref());
        self.raw("</div></li>\n");
    }

    fn marked(&mut self, tag: &str, text: &str) {
        let _ = write!(self.out, "<{tag}>");
        self.text(text);
        let _ = write!(self.out, "</{tag}>");
    }

    fn inlines(&mut self, items: &[Inline], lang: &str) {
        for i in items {
            match i {
                Inline::Text { text, .. } => self.text(text),
                Inline::Emph { content } => self.wrapped("em", content, lang),
                Inline::Strong { content } => self.wrapped("strong", content, lang),
                Inline::Ref { id, label } => {
                    let _ = write!(self.out, "<a class=\"ref\" href=\"#{}\">", anchor(id, lang));
                    self.text(label);
                    self.raw("</a>");
                }
                Inline::Date { text, .. } => {
                    self.raw("<span class=\"date\">");
                    self.text(text);
                    self.raw("</span>");
                }
                Inline::Name { text } => {
                    self.raw("<span class=\"name\">");
                    self.text(text);
                    self.raw("</span>");
                }
                Inline::Break => self.raw("<br>"),
                Inline::Ins { content } => self.wrapped("ins", content, lang),
                Inline::Del { content } => self.wrapped("del", content, lang),
            }
        }
    }

    fn wrapped(&mut self, tag: &str, content: &[Inline], lang: &str) {
        let _ = write!(self.out, "<{tag}>");
        self.inlines(content, lang);
        let _ = write!(self.out, "</{tag}>");
    }

    /// The one signature block, across the full width: the parties side by side.
    fn signatures(&mut self, sig: &Signatures) {
        self.raw("<section class=\"signatures\">\n<div class=\"grid\">\n");
        for p in &sig.parties {
            self.raw("<div class=\"party\">\n");
            for l in &p.for_lines {
                self.raw("<p class=\"for\"><strong>");
                self.inlines(l, "");
                self.raw("</strong></p>\n");
            }
            for s in &p.people {
                self.signatory(s, sig);
            }
            self.raw("</div>\n");
        }
        self.raw("</div>\n");
        if let Some(label) = &sig.witnesses_label {
            self.raw("<p class=\"witnesses\">");
            self.text(label);
            self.raw("</p>\n<div class=\"grid\">\n");
            for s in &sig.witnesses {
                self.raw("<div class=\"party\">\n");
                self.signatory(s, sig);
                self.raw("</div>\n");
            }
            self.raw("</div>\n");
        }
        self.raw("</section>\n");
    }

    fn signatory(&mut self, s: &Signatory, sig: &Signatures) {
        self.raw("<div class=\"signatory\">\n");
        // A co-signatory's own capacity, in the place of the party's "For …" heading.
        if !s.capacity.is_empty() {
            self.raw("<p class=\"for\"><strong>");
            for (i, c) in s.capacity.iter().enumerate() {
                if i > 0 {
                    self.raw("<br>");
                }
                self.text(c);
            }
            self.raw("</strong></p>\n");
        }
        if s.dated {
            if !sig.place_date.is_empty() {
                self.raw("<p class=\"label\">");
                self.text(&sig.place_date);
                self.raw("</p>\n");
            }
            self.raw("<p class=\"place-date\">");
            if s.place_date.is_empty() {
                self.raw("<span class=\"blank\"></span>");
            }
            for (i, l) in s.place_date.iter().enumerate() {
                if i > 0 {
                    self.raw("<br>");
                }
                self.inlines(l, "");
            }
            self.raw("</p>\n");
        }
        self.raw("<div class=\"line\"></div>\n");
        if !sig.signature.is_empty() {
            self.raw("<p class=\"label\">");
            self.text(&sig.signature);
            self.raw("</p>\n");
        }
        self.raw("<p class=\"names\">");
        for (i, n) in s.names.iter().enumerate() {
            if i > 0 {
                self.raw("<br>");
            }
            self.inlines(n, "");
        }
        for t in &s.titles {
            self.raw("<br><em>");
            self.inlines(t, "");
            self.raw("</em>");
        }
        for a in &s.affiliation {
            self.raw("<br>");
            self.inlines(a, "");
        }
        self.raw("</p>\n</div>\n");
    }

    /// Each version's annexes, after the signature block, each version on its own.
    fn annexes_of(&mut self, doc: &Document) {
        for v in &doc.versions {
            if let Some(x) = &v.annexes {
                self.open_lang("section", "annexes", &v.lang);
                self.raw("\n");
                self.annexes(x, &v.lang);
                self.raw("</section>\n");
            }
        }
    }

    fn annexes(&mut self, x: &Annexes, lang: &str) {
        self.raw("<h2>");
        self.inlines(&x.heading, lang);
        self.raw("</h2>\n");
        for a in &x.items {
            if !a.label.is_empty() {
                self.raw("<h3>");
                self.text(&a.label);
                if !a.title.is_empty() {
                    self.text(&x.separator);
                    self.inlines(&a.title, lang);
                }
                self.raw("</h3>\n");
            }
            self.note(a.change.as_ref());
            self.blocks(&a.blocks, lang);
        }
    }
}

fn change_class(c: &Change) -> &'static str {
    use crate::model::ChangeKind::*;
    match c.kind {
        Inserted => "inserted",
        Deleted => "deleted",
        Moved => "moved",
        Merged => "merged",
        Split => "split",
    }
}

/// The element id of an article in one language version (`costs-zh-TW`): ids are unique in
/// the file, and a reference links to the article in its own language.
fn anchor(id: &str, lang: &str) -> String {
    let mut out = String::new();
    for c in id.chars().chain(['-']).chain(lang.chars()) {
        if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
            out.push(c);
        } else {
            let _ = write!(out, "_{:x}", c as u32);
        }
    }
    out.trim_end_matches('-').to_string()
}

fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // A NUL or other C0 control is not text HTML can hold; shown as the Unicode
            // replacement character rather than dropped silently.
            '\0'..='\u{8}' | '\u{b}' | '\u{e}'..='\u{1f}' | '\u{7f}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
}

/// Text inside a CSS string in a `<style>` element: quotes, backslashes, line ends and `<`
/// (which could close the element) as CSS escapes.
fn css_string(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match c {
            '"' | '\\' | '<' | '>' | '&' | '\0'..='\u{1f}' | '\u{7f}' => {
                let _ = write!(out, "\\{:x} ", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// An attribute value, escaped.
fn attr(s: &str) -> String {
    let mut out = String::new();
    escape_into(&mut out, s);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        let mut out = String::new();
        escape_into(&mut out, "<script>alert('x') & \"y\"</script>");
        assert_eq!(
            out,
            "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;"
        );
    }

    #[test]
    fn css_strings_cannot_close_the_style() {
        assert_eq!(css_string("a\"</style>"), "a\\22 \\3c /style\\3e ");
    }

    #[test]
    fn anchors_are_plain() {
        assert_eq!(anchor("costs", "zh-TW"), "costs-zh-TW");
        assert_eq!(anchor("a b\"", "en"), "a_20b_22-en");
    }
}
