//! The model as a Word document (docx-rs writes the XML and the package).
//!
//! An agreement is styled like the PDF: the parties' letterheads side by side above it (an SVG
//! drawn as a PNG, which Word takes), the title block centred, each article a heading
//! ("Article 3" above its title), lists with the model's own markers and a hanging indent, the
//! one signature table with the parties side by side, and each language version in a section
//! of its own, or, in the parallel layout, one table with a column per language and a row per
//! article.
//!
//! A redline is written as **tracked changes**: an `Ins` inline is a `w:ins` and a `Del` a
//! `w:del`, authored by [`Revision::author`] on the newer round's date, so that Word's and
//! LibreOffice's Accept and Reject work change by change. A whole inserted or deleted
//! article, item or annex has its paragraph marks tracked too, so rejecting it leaves no empty
//! paragraph. A moved article is a deletion where the older round had it and an insertion
//! where it stands now, each with a comment saying where it went or came from; the other
//! notes (merged, split) are comments as well. Accepting every change gives the newer round,
//! rejecting every change the older one.

use docx_rs::{
    AlignmentType, BreakType, Comment, Delete, Docx, Footer, Insert, LineSpacing, NumPages,
    PageMargin, PageNum, Paragraph, Run, RunFonts, Section, SpecialIndentType, Style, StyleType,
    Table, TableCell, TableRow, WidthType,
};

mod package;
pub mod record;
mod schema;

pub use record::{Anchor, AnchorKind, Record};

use crate::model::{
    Annexes, Article, Block, ChangeKind, Content, Document, Inline, Item, Layout, Letterhead,
    Origin, Section as ModelSection, Signatory, Signatures, Version,
};

/// Who and when a redline's tracked changes are by.
#[derive(Debug, Clone)]
pub struct Revision {
    /// "pactum".
    pub author: String,
    /// ISO 8601 (`2027-07-02T00:00:00Z`): the newer round's date.
    pub date: String,
}

impl Revision {
    /// Changes by pactum at midnight UTC on `date` (`YYYY-MM-DD`; the epoch when there is
    /// none or it is no such date).
    pub fn on(date: Option<&str>) -> Revision {
        let midnight = date
            .and_then(crate::terms::validate::iso_date)
            .and_then(|day| jiff::tz::Offset::UTC.to_timestamp(day.into()).ok())
            .unwrap_or(jiff::Timestamp::UNIX_EPOCH);
        Revision {
            author: "pactum".to_string(),
            date: midnight.to_string(),
        }
    }
}

/// `doc` as DOCX bytes. For a redline, `old` is the older round's document (where a moved
/// article stood). An agreement's copy with its `record` is anchored to come back (see
/// [`record`]).
pub fn write(
    doc: &Document,
    revision: &Revision,
    old: Option<&Document>,
    record: Option<&Record>,
) -> Result<Vec<u8>, String> {
    let mut w = Writer {
        rev: revision.clone(),
        next_comment: 1,
        measure: TEXT_WIDTH,
        anchors: (record.is_some() && doc.redline.is_none()).then(Anchoring::default),
    };
    let mut docx = Docx::new()
        .default_fonts(fonts(doc))
        .default_size(BODY_SIZE)
        .default_line_spacing(
            // The rule said outright: LibreOffice reads 276 with no rule as exactly 13.8 pt,
            // and sets a title's lines over each other.
            LineSpacing::new()
                .after(120)
                .line(276)
                .line_rule(docx_rs::LineSpacingType::Auto),
        )
        .page_margin(margins())
        .add_style(
            Style::new("Title", StyleType::Paragraph)
                .name("Title")
                .bold()
                .size(TITLE_SIZE)
                .align(AlignmentType::Center),
        )
        .add_style(
            // The lines of the title block under the title: the parties, "between", "and".
            Style::new("TitleBlock", StyleType::Paragraph)
                .name("Title block")
                .align(AlignmentType::Center),
        )
        .add_style(
            Style::new("Heading1", StyleType::Paragraph)
                .name("heading 1")
                .bold()
                .size(HEADING_SIZE)
                .align(AlignmentType::Center)
                .outline_lvl(0),
        )
        .add_style(
            Style::new("Heading2", StyleType::Paragraph)
                .name("heading 2")
                .bold()
                .size(22)
                .outline_lvl(1),
        )
        .add_style(
            // Small and grey, as the PDF's footer; its own line spacing, one line a paragraph.
            Style::new("Footer", StyleType::Paragraph)
                .name("footer")
                .size(17)
                .color("666666")
                .align(AlignmentType::Center)
                .line_spacing(auto_spacing().after(0)),
        )
        .created_at(&revision.date)
        .updated_at(&revision.date);
    if let Some(title) = Some(&doc.title).filter(|t| !t.is_empty()) {
        docx = docx.custom_property("Title", title.as_str());
    }
    let footer = footer(doc.footer.as_deref());
    docx = docx.footer(footer.clone());
    for p in doc.redline.iter().flat_map(|r| w.redline_head(r)) {
        docx = docx.add_paragraph(p);
    }
    if !doc.letterheads.is_empty() {
        docx = docx
            .add_table(letterheads(&doc.letterheads)?)
            .add_paragraph(Paragraph::new());
    }
    let old_of = |lang: &str| old.and_then(|o| o.versions.iter().find(|v| v.lang == lang));
    match doc.layout {
        Layout::Parallel => {
            w.measure = TEXT_WIDTH / doc.versions.len().max(1);
            let columns: Vec<Vec<Part>> = doc
                .versions
                .iter()
                .map(|v| {
                    w.in_version(&v.lang);
                    let parts = w.parts(v, old_of(&v.lang), true);
                    parts
                        .into_iter()
                        .map(|p| Part {
                            paragraphs: in_lang(p.paragraphs, &v.lang),
                            ..p
                        })
                        .collect()
                })
                .collect();
            docx = docx.add_table(parallel_table(columns));
            w.measure = TEXT_WIDTH;
        }
        Layout::Single | Layout::Consecutive => {
            let n = doc.versions.len();
            for (i, v) in doc.versions.iter().enumerate() {
                w.in_version(&v.lang);
                let paragraphs: Vec<Paragraph> = w
                    .parts(v, old_of(&v.lang), false)
                    .into_iter()
                    .flat_map(|p| p.paragraphs)
                    .collect();
                let paragraphs = in_lang(paragraphs, &v.lang);
                if i + 1 < n {
                    // Its own section, ending with a section break to the next version.
                    let mut section = Section::new().page_margin(margins());
                    section = section.footer(footer.clone());
                    for p in paragraphs {
                        section = section.add_paragraph(p);
                    }
                    docx = docx.add_section(section);
                } else {
                    for p in paragraphs {
                        docx = docx.add_paragraph(p);
                    }
                }
            }
            for v in &doc.versions {
                if let Some(s) = &v.signing {
                    w.in_version(&v.lang);
                    let section = w.part_of("signing", |w| w.section(s));
                    for p in in_lang(section, &v.lang) {
                        docx = docx.add_paragraph(p);
                    }
                }
            }
        }
    }
    w.in_version("");
    let mut first = true;
    for t in w.signatures(&doc.signatures) {
        docx = match t {
            // The signatures' anchor: where they start (a part no terms text replaces).
            SignaturePart::Paragraph(p) if std::mem::take(&mut first) => w
                .part_of("signatures", |_| vec![*p])
                .into_iter()
                .fold(docx, |d, p| d.add_paragraph(p)),
            SignaturePart::Paragraph(p) => docx.add_paragraph(*p),
            SignaturePart::Table(t) => docx.add_table(*t),
        };
    }
    for v in &doc.versions {
        if let Some(x) = &v.annexes {
            w.in_version(&v.lang);
            // On a new page.
            let annexes = w.part_of("annexes", |w| {
                let mut ps = w.annexes(x);
                if !ps.is_empty() {
                    let first = ps.remove(0).page_break_before(true);
                    ps.insert(0, first);
                }
                ps
            });
            for p in in_lang(annexes, &v.lang) {
                docx = docx.add_paragraph(p);
            }
        }
    }
    let terms: Vec<Anchor> = match (&w.anchors, record) {
        (Some(a), Some(record)) => {
            let json = serde_json::to_string(record).unwrap_or_default();
            docx = docx
                .custom_property(record::PROPERTY, json)
                // docx-rs puts the GUID in its braces.
                .add_custom_item(
                    "5F4C1E0B-7A3D-4C8E-9B21-50A7C6D3E901",
                    &record::custom_xml(record, &a.list),
                );
            (a.list.iter())
                .filter(|a| matches!(a.kind, AnchorKind::Term | AnchorKind::Date))
                .cloned()
                .collect()
        }
        _ => Vec::new(),
    };
    let langs: Vec<package::Lang> = doc.versions.iter().map(package::Lang::of).collect();
    let mut xml = docx.build();
    package::finish(&mut xml, &langs, &terms);
    xml.doc_props.core = package::core_properties(
        &String::from_utf8_lossy(&xml.doc_props.core),
        &doc.title,
        &w.rev.author,
    )
    .into_bytes();
    let mut bytes = std::io::Cursor::new(Vec::new());
    xml.pack(&mut bytes)
        .map_err(|e| format!("the Word document could not be packed: {e}"))?;
    package::without_orphans(bytes.into_inner())
}

/// The text's width on the page, in twentieths of a point.
const TEXT_WIDTH: usize = 9412;
/// The sizes of the body text, the title and an article's heading, in half-points.
const BODY_SIZE: usize = 22;
const TITLE_SIZE: usize = 34;
const HEADING_SIZE: usize = 23;

/// `p` with every run in it (in a content control, an insertion or a deletion too) set at
/// `size` half-points.
fn sized(mut p: Paragraph, size: usize) -> Paragraph {
    use docx_rs::{DeleteChild, InsertChild, ParagraphChild, StructuredDataTagChild};
    let set = |r: &mut Box<Run>| **r = r.as_ref().clone().size(size);
    for child in &mut p.children {
        match child {
            ParagraphChild::Run(r) => set(r),
            ParagraphChild::StructuredDataTag(t) => t.children.iter_mut().for_each(|c| {
                if let StructuredDataTagChild::Run(r) = c {
                    set(r)
                }
            }),
            ParagraphChild::Insert(i) => i.children.iter_mut().for_each(|c| {
                if let InsertChild::Run(r) = c {
                    set(r)
                }
            }),
            ParagraphChild::Delete(d) => d.children.iter_mut().for_each(|c| {
                if let DeleteChild::Run(r) = c {
                    set(r)
                }
            }),
            _ => {}
        }
    }
    p
}

/// `paragraphs` marked as the version in `lang`'s, for [`package::finish`] to write their
/// `w:lang` on every run.
fn in_lang(paragraphs: Vec<Paragraph>, lang: &str) -> Vec<Paragraph> {
    let marker = package::marker(lang);
    paragraphs
        .into_iter()
        .map(|mut p| {
            p.property.run_property = p.property.run_property.clone().style(&marker);
            p
        })
        .collect()
}

/// Every page's footer: the document's footer text (a draft's round), if any, and under it
/// the page number and the number of pages ("3 / 10"), as fields that Word and LibreOffice
/// update, centred.
fn footer(text: Option<&str>) -> Footer {
    let mut footer = Footer::new();
    if let Some(t) = text {
        footer = footer.add_paragraph(
            Paragraph::new()
                .style("Footer")
                .add_run(Run::new().add_text(t)),
        );
    }
    footer.add_paragraph(
        Paragraph::new()
            .style("Footer")
            .add_page_num(PageNum::new())
            .add_run(Run::new().add_text(" / "))
            .add_num_pages(NumPages::new()),
    )
}

/// The letterheads, one borderless cell each, images 1.4 cm high at most.
fn letterheads(letterheads: &[Letterhead]) -> Result<Table, String> {
    const HEIGHT: u32 = 504_000; // 1.4 cm, in EMU
    let n = letterheads.len().max(1);
    let width = 9412 / n; // twentieths of a point
    let max_width = width as u32 * 635 * 9 / 10; // EMU, a little inside the cell
    let mut cells = Vec::new();
    for l in letterheads {
        let mut cell = TableCell::new().width(width, WidthType::Dxa);
        if let Some(image) = &l.image {
            let png = match image.mime.as_str() {
                "image/svg+xml" => svg_as_png(&image.bytes)?,
                _ => image.bytes.clone(),
            };
            let (w, h) = (image.width.max(1) as u64, image.height.max(1) as u64);
            let (mut ew, mut eh) = ((HEIGHT as u64 * w / h) as u32, HEIGHT);
            if ew > max_width {
                eh = (eh as u64 * max_width as u64 / ew as u64) as u32;
                ew = max_width;
            }
            let pic =
                docx_rs::Pic::new_with_dimensions(png, image.width, image.height).size(ew, eh);
            // Line spacing proportional (not fixed), so the line grows to the image.
            cell = cell.add_paragraph(
                Paragraph::new()
                    .align(AlignmentType::Center)
                    .line_spacing(auto_spacing().after(60))
                    .add_run(Run::new().add_image(pic)),
            );
        }
        for line in &l.lines {
            let text = crate::model::plain::inlines(line);
            cell = cell.add_paragraph(
                Paragraph::new()
                    .align(AlignmentType::Center)
                    .line_spacing(auto_spacing().after(0))
                    .add_run(Run::new().add_text(text).size(17)),
            );
        }
        cells.push(cell);
    }
    Ok(Table::without_borders(vec![TableRow::new(cells)])
        .set_grid(vec![width; n])
        .width(9412, WidthType::Dxa))
}

/// Single line spacing, proportional to what the line holds.
fn auto_spacing() -> LineSpacing {
    LineSpacing::new()
        .line_rule(docx_rs::LineSpacingType::Auto)
        .line(240)
}

/// An SVG drawn as a PNG about three times the size it prints at.
fn svg_as_png(svg: &[u8]) -> Result<Vec<u8>, String> {
    let tree =
        crate::terms::assets::parse_svg(svg).map_err(|e| format!("a letterhead SVG: {e}"))?;
    let size = tree.size();
    let scale = 160.0 / size.height().max(1.0);
    let (w, h) = (
        (size.width() * scale).ceil().clamp(1.0, 4000.0) as u32,
        (size.height() * scale).ceil().clamp(1.0, 4000.0) as u32,
    );
    let mut pixmap = resvg::tiny_skia::Pixmap::new(w, h).ok_or("a letterhead SVG is empty")?;
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| format!("a letterhead SVG could not be drawn: {e}"))
}

fn margins() -> PageMargin {
    // 2.5 cm top and bottom, 2.2 cm at the sides, in twentieths of a point.
    PageMargin::new()
        .top(1417)
        .bottom(1417)
        .left(1247)
        .right(1247)
}

/// The faces Word users have: Times New Roman for Latin text; for Han, the face the document's
/// CJK language names for word processors (its words' `text.office_font`: PMingLiU, 新細明體,
/// for Traditional Chinese), else the first family it names.
fn fonts(doc: &Document) -> RunFonts {
    let cjk = doc.versions.iter().find(|v| v.text.cjk);
    let east_asia = cjk
        .and_then(|v| v.text.office_font.clone())
        .or_else(|| {
            cjk.and_then(|v| {
                (v.text.fonts.iter()).find_map(|f| match f {
                    crate::model::FontFamily::Name(name) => Some(name.clone()),
                    crate::model::FontFamily::Covering { .. } => None,
                })
            })
        })
        .unwrap_or_else(|| "PMingLiU".to_string());
    RunFonts::new()
        .ascii("Times New Roman")
        .hi_ansi("Times New Roman")
        .cs("Times New Roman")
        .east_asia(east_asia)
}

/// One part of a version (the title block, the preamble, an article, the signing text): a row
/// of the parallel table, or a run of paragraphs in a section.
struct Part {
    paragraphs: Vec<Paragraph>,
    /// Kept whole on one page (the signing text, as a row of the parallel table).
    keep: bool,
}

enum SignaturePart {
    Paragraph(Box<Paragraph>),
    Table(Box<Table>),
}

fn parallel_table(columns: Vec<Vec<Part>>) -> Table {
    let n = columns.len().max(1);
    let rows = columns.iter().map(Vec::len).max().unwrap_or(0);
    let width = 9412 / n; // the text width, in twentieths of a point
    let mut columns: Vec<std::vec::IntoIter<Part>> =
        columns.into_iter().map(Vec::into_iter).collect();
    let table_rows = (0..rows)
        .map(|_| {
            let mut keep = false;
            let row = TableRow::new(
                columns
                    .iter_mut()
                    .map(|c| {
                        let mut cell = TableCell::new().width(width, WidthType::Dxa);
                        let part = c.next();
                        keep |= part.as_ref().is_some_and(|p| p.keep);
                        let paragraphs = part.map(|p| p.paragraphs).unwrap_or_default();
                        if paragraphs.is_empty() {
                            cell = cell.add_paragraph(Paragraph::new());
                        }
                        for p in paragraphs {
                            cell = cell.add_paragraph(p);
                        }
                        cell
                    })
                    .collect(),
            );
            if keep { row.cant_split() } else { row }
        })
        .collect();
    Table::without_borders(table_rows)
        .set_grid(vec![width; n])
        .width(9412, WidthType::Dxa)
}

/// Which side of a redline a run belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mark {
    Same,
    Ins,
    Del,
}

/// A run's look, as inlines nest.
#[derive(Debug, Clone, Copy)]
struct Look {
    bold: bool,
    italic: bool,
    mark: Mark,
}

const PLAIN: Look = Look {
    bold: false,
    italic: false,
    mark: Mark::Same,
};

/// A piece of a paragraph: text in a look, a term's value, or a line break.
enum Piece {
    Text(Look, String),
    /// A term value: anchored (bookmark and content control) when the writer anchors.
    Value(Look, String, Origin),
    /// A date as the language writes it, and the date term it prints when fill knows it (one
    /// term holds that date): anchored as a date.
    Date(Look, String, Option<Origin>),
    Break(Look),
}

/// Which side of a redline to keep when a whole article moved: its text where it stands now
/// (insertions kept, deletions dropped) or where it stood (the other way round).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Both,
    New,
    Old,
}

/// How a whole block is tracked: as it is, or (an inserted or deleted article, item or annex)
/// every run and paragraph mark inserted or deleted.
#[derive(Debug, Clone, Copy)]
struct Whole {
    side: Side,
    mark: Mark,
}

const AS_IS: Whole = Whole {
    side: Side::Both,
    mark: Mark::Same,
};

impl Whole {
    /// How an article, item or annex that a redline notes as `change` is tracked: an
    /// inserted or deleted one wholly; a moved article, where it stands now, as its newer text
    /// all inserted (the older is deleted where it stood); anything else as it is marked.
    fn of(change: Option<ChangeKind>) -> Whole {
        let (side, mark) = match change {
            Some(ChangeKind::Inserted) => (Side::Both, Mark::Ins),
            Some(ChangeKind::Deleted) => (Side::Both, Mark::Del),
            Some(ChangeKind::Moved) => (Side::New, Mark::Ins),
            _ => return AS_IS,
        };
        Whole { side, mark }
    }
}

struct Writer {
    rev: Revision,
    next_comment: usize,
    /// The width of the column the text is set in, in twentieths of a point (the page's
    /// text width, or a parallel layout's column).
    measure: usize,
    /// What an anchored copy's bookmarks anchor so far (`None`: not anchored).
    anchors: Option<Anchoring>,
}

/// The anchors written so far, and where the writer is.
#[derive(Default)]
struct Anchoring {
    list: Vec<Anchor>,
    /// The language version being written ("" for the signatures).
    lang: String,
    /// The part being written (`costs`), and how many list items it has had.
    part: String,
    items: usize,
}

impl Writer {
    fn in_version(&mut self, lang: &str) {
        if let Some(a) = &mut self.anchors {
            a.lang = lang.to_string();
        }
    }

    /// A new bookmark anchoring `id` as `kind`: its id and name (none when not anchoring).
    fn anchor(
        &mut self,
        kind: AnchorKind,
        id: &str,
        lang: Option<&str>,
    ) -> Option<(usize, String)> {
        let a = self.anchors.as_mut()?;
        let n = a.list.len() + 1;
        let prefix = match kind {
            AnchorKind::Part => "a",
            AnchorKind::Item => "i",
            AnchorKind::Term | AnchorKind::Date => "t",
        };
        let name = format!("pactum_{prefix}{n}");
        a.list.push(Anchor {
            name: name.clone(),
            kind,
            lang: lang.map_or_else(|| a.lang.clone(), str::to_string),
            id: id.to_string(),
        });
        // Bookmark ids start after the comments' (which never reach this many).
        Some((100_000 + n, name))
    }

    /// The part `id` as `make` writes it, inside one bookmark anchoring it (its list items
    /// are numbered from 1).
    fn part_of(
        &mut self,
        id: &str,
        make: impl FnOnce(&mut Self) -> Vec<Paragraph>,
    ) -> Vec<Paragraph> {
        if let Some(a) = &mut self.anchors {
            a.part = id.to_string();
            a.items = 0;
        }
        let paragraphs = make(self);
        self.wrap(paragraphs, AnchorKind::Part, id)
    }

    /// The id of the next list item of the part being written (`fields/3`).
    fn next_item(&mut self) -> String {
        match &mut self.anchors {
            Some(a) => {
                a.items += 1;
                format!("{}/{}", a.part, a.items)
            }
            None => String::new(),
        }
    }

    fn wrap(
        &mut self,
        mut paragraphs: Vec<Paragraph>,
        kind: AnchorKind,
        id: &str,
    ) -> Vec<Paragraph> {
        if paragraphs.is_empty() {
            return paragraphs;
        }
        let Some((n, name)) = self.anchor(kind, id, None) else {
            return paragraphs;
        };
        let first = &mut paragraphs[0];
        let start = docx_rs::ParagraphChild::BookmarkStart(docx_rs::BookmarkStart::new(n, name));
        if first.property.page_break_before.unwrap_or(false) {
            // LibreOffice drops a bookmark at the start of a paragraph after a page break.
            first.children.push(start);
        } else {
            first.children.insert(0, start);
        }
        if let Some(last) = paragraphs.pop() {
            paragraphs.push(last.add_bookmark_end(n));
        }
        paragraphs
    }

    fn comment(&mut self, text: &str) -> Comment {
        let id = self.next_comment;
        self.next_comment += 1;
        Comment::new(id)
            .author(&self.rev.author)
            .date(&self.rev.date)
            .add_paragraph(Paragraph::new().add_run(Run::new().add_text(text)))
    }

    /// A paragraph of `content`, its runs tracked as they are marked (or all as `whole`).
    fn paragraph(&mut self, content: &[Inline], look: Look, whole: Whole) -> Paragraph {
        let mut pieces = Vec::new();
        flatten(content, look, whole.side, &mut pieces);
        self.paragraph_of(pieces, whole)
    }

    fn paragraph_of(&mut self, pieces: Vec<Piece>, whole: Whole) -> Paragraph {
        let mut p = Paragraph::new();
        for piece in pieces.into_iter().flat_map(upright_cjk) {
            let (kind, id, lang) = match &piece {
                Piece::Value(_, _, origin) => (
                    AnchorKind::Term,
                    origin.path.clone(),
                    (!origin.lang.is_empty()).then(|| origin.lang.clone()),
                ),
                Piece::Date(_, _, Some(origin)) => (
                    AnchorKind::Date,
                    origin.path.clone(),
                    Some(origin.lang.clone()),
                ),
                _ => (AnchorKind::Date, String::new(), None),
            };
            let piece = match piece {
                Piece::Value(look, text, _) | Piece::Date(look, text, _) => {
                    match self.anchor(kind, &id, lang.as_deref()) {
                        Some((n, name)) if whole.mark == Mark::Same => {
                            let mut sdt = docx_rs::StructuredDataTag::new().alias(&name);
                            // Italic, but CJK upright (Chinese has no italic).
                            for (t, cjk) in cjk_pieces(&text) {
                                let mut run = Run::new().add_text(t);
                                if look.bold {
                                    run = run.bold();
                                }
                                if look.italic && !cjk {
                                    run = run.italic();
                                }
                                sdt = sdt.add_run(run);
                            }
                            p = p
                                .add_bookmark_start(n, name)
                                .add_structured_data_tag(sdt)
                                .add_bookmark_end(n);
                            continue;
                        }
                        _ => Piece::Text(look, text),
                    }
                }
                other => other,
            };
            let (look, run) = match piece {
                Piece::Value(..) | Piece::Date(..) => continue,
                Piece::Text(look, text) => {
                    let mark = if whole.mark == Mark::Same {
                        look.mark
                    } else {
                        whole.mark
                    };
                    let run = if mark == Mark::Del {
                        Run::new().add_delete_text(text)
                    } else {
                        Run::new().add_text(text)
                    };
                    (Look { mark, ..look }, run)
                }
                Piece::Break(look) => {
                    let mark = if whole.mark == Mark::Same {
                        look.mark
                    } else {
                        whole.mark
                    };
                    (
                        Look { mark, ..look },
                        Run::new().add_break(BreakType::TextWrapping),
                    )
                }
            };
            let mut run = run;
            if look.bold {
                run = run.bold();
            }
            if look.italic {
                run = run.italic();
            }
            p = match look.mark {
                Mark::Same => p.add_run(run),
                Mark::Ins => p.add_insert(
                    Insert::new(run)
                        .author(&self.rev.author)
                        .date(&self.rev.date),
                ),
                Mark::Del => p.add_delete(
                    Delete::new()
                        .add_run(run)
                        .author(&self.rev.author)
                        .date(&self.rev.date),
                ),
            };
        }
        match whole.mark {
            Mark::Same => p,
            Mark::Ins => p.insert(&self.rev.author, &self.rev.date),
            Mark::Del => p.delete(&self.rev.author, &self.rev.date),
        }
    }

    /// `p` (of `content`, set at `size` half-points) with its runs set smaller when a word of
    /// it is wider than the column, as the PDF sets such a title, heading or name: as small
    /// as the word needs, down to four fifths. A title, heading or name is not hyphenated
    /// (its style says so); a word wider still breaks where the column ends. The width is an
    /// estimate, on the wide side of the serif faces Word and LibreOffice set it in.
    fn fitted(&self, p: Paragraph, content: &[Inline], size: usize) -> Paragraph {
        let text = crate::model::plain::inlines(content);
        // Twentieths of a point per half-point of size: 10 for a whole em.
        let width = |word: &str| -> usize {
            word.chars()
                .map(|c| if is_cjk(c) { 10 * size } else { 7 * size })
                .sum()
        };
        let widest = text.split_whitespace().map(width).max().unwrap_or(0);
        // A table cell's margins, a tenth of an inch each side (Word's are a little less).
        let room = self.measure.saturating_sub(288);
        if widest <= room {
            return p;
        }
        sized(p, (size * room / widest).max(size * 4 / 5))
    }

    /// A run of plain text (a label, a heading word): no inlines to flatten.
    fn text(&mut self, text: &str, look: Look, whole: Whole) -> Paragraph {
        self.paragraph_of(vec![Piece::Text(look, text.to_string())], whole)
    }

    fn redline_head(&mut self, r: &crate::model::Redline) -> Vec<Paragraph> {
        let mut out = vec![Paragraph::new().add_run(Run::new().add_text(&r.title).bold().size(24))];
        let mut legend = Paragraph::new();
        for (i, l) in r.legend.iter().enumerate() {
            let run = Run::new().add_text(l).size(18);
            legend = legend.add_run(if i == 0 {
                run.color("0B6B2F").underline("single")
            } else {
                run.color("B3261E").strike()
            });
            legend = legend.add_run(Run::new().add_text("   "));
        }
        out.push(legend);
        if let Some(h) = &r.terms_heading {
            out.push(Paragraph::new().add_run(Run::new().add_text(h).bold()));
            for t in &r.terms {
                out.push(
                    Paragraph::new()
                        .indent(Some(360), Some(SpecialIndentType::Hanging(240)), None, None)
                        .add_run(Run::new().add_text(format!("•\t{t}"))),
                );
            }
        }
        if let Some(u) = &r.unchanged {
            out.push(italic_runs(Paragraph::new(), u, |r| r));
        }
        out.push(Paragraph::new());
        out
    }

    /// A version's parts in reading order (with its signing text last when `with_signing`:
    /// in the parallel layout it is the table's last row; otherwise every version's follows
    /// all versions). A redline's moved articles also leave a deleted copy where the older
    /// round had them.
    fn parts(&mut self, v: &Version, old: Option<&Version>, with_signing: bool) -> Vec<Part> {
        let mut parts = vec![
            Part {
                paragraphs: self.part_of("title", |w| w.title_block(v)),
                keep: false,
            },
            Part {
                paragraphs: self.part_of("preamble", |w| w.blocks(&v.preamble, 0, AS_IS)),
                keep: false,
            },
        ];
        let moved: Vec<&Article> = v
            .articles
            .iter()
            .filter(|a| {
                a.change
                    .as_ref()
                    .is_some_and(|c| c.kind == ChangeKind::Moved)
            })
            .collect();
        // Where each moved article stood: after the article the older round had before it.
        let before = |a: &Article| -> Option<String> {
            let old = old?;
            let i = old.articles.iter().position(|o| o.id == a.id)?;
            Some(
                i.checked_sub(1)
                    .map_or_else(String::new, |j| old.articles[j].id.clone()),
            )
        };
        let ghosts_after = |parts: &mut Vec<Part>, w: &mut Writer, id: &str| {
            let mut queue = vec![id.to_string()];
            while let Some(id) = queue.pop() {
                for m in moved
                    .iter()
                    .filter(|m| before(m).as_deref() == Some(id.as_str()))
                {
                    parts.push(Part {
                        paragraphs: w.ghost(m),
                        keep: false,
                    });
                    queue.push(m.id.clone());
                }
            }
        };
        ghosts_after(&mut parts, self, "");
        for a in &v.articles {
            parts.push(Part {
                paragraphs: self.part_of(&a.id, |w| w.article(a)),
                keep: false,
            });
            ghosts_after(&mut parts, self, &a.id);
        }
        if with_signing && let Some(s) = &v.signing {
            parts.push(Part {
                paragraphs: self.part_of("signing", |w| w.section(s)),
                keep: true,
            });
        }
        parts
    }

    fn title_block(&mut self, v: &Version) -> Vec<Paragraph> {
        let mut out = Vec::new();
        if let Some(c) = &v.copy_for {
            let p = Paragraph::new().align(AlignmentType::Right);
            out.push(italic_runs(p, c, |r| r.size(19)));
        }
        let centred = |p: Paragraph| p.align(AlignmentType::Center).style("TitleBlock");
        let title = self.paragraph(&v.title.title, PLAIN, AS_IS).style("Title");
        out.push(self.fitted(title, &v.title.title, TITLE_SIZE));
        if let Some(s) = &v.title.subtitle {
            out.push(centred(self.paragraph(
                s,
                Look {
                    italic: true,
                    ..PLAIN
                },
                AS_IS,
            )));
        }
        if !v.title.between.is_empty() {
            out.push(centred(self.text(&v.title.between, PLAIN, AS_IS)));
        }
        let n = v.title.parties.len();
        for (i, p) in v.title.parties.iter().enumerate() {
            if i == n - 1 && i > 0 {
                out.push(centred(self.text(&v.title.and, PLAIN, AS_IS)));
            }
            let mut content = p.name.clone();
            if let Some(c) = &p.country {
                content.push(Inline::Break);
                content.extend(c.iter().cloned());
            }
            let name = self.paragraph(
                &content,
                Look {
                    bold: true,
                    ..PLAIN
                },
                AS_IS,
            );
            out.push(centred(self.fitted(name, &content, BODY_SIZE)));
        }
        out.push(Paragraph::new());
        out
    }

    fn article(&mut self, a: &Article) -> Vec<Paragraph> {
        let change = a.change.as_ref();
        let whole = Whole::of(change.map(|c| c.kind));
        self.article_as(a, whole, change.map(|c| c.note.clone()))
    }

    /// Where a moved article stood in the older round: its older text, all deleted.
    fn ghost(&mut self, a: &Article) -> Vec<Paragraph> {
        let mut old = a.clone();
        if let Some(was) = &a.was {
            old.label = was.clone();
            old.was = None;
        }
        let whole = Whole {
            side: Side::Old,
            mark: Mark::Del,
        };
        self.article_as(&old, whole, Some(format!("→ {}", a.label)))
    }

    fn article_as(&mut self, a: &Article, whole: Whole, note: Option<String>) -> Vec<Paragraph> {
        let mut heading = Vec::new();
        match (&a.was, whole.side) {
            (Some(was), Side::Both) => {
                heading.push(Inline::Del {
                    content: vec![Inline::text(was)],
                });
                heading.push(Inline::text(" "));
                heading.push(Inline::Ins {
                    content: vec![Inline::text(&a.label)],
                });
            }
            // `numbering: none`: no label, and no line for it.
            _ if a.label.is_empty() => {}
            _ => heading.push(Inline::text(&a.label)),
        }
        if !heading.is_empty() && !a.heading.is_empty() {
            heading.push(Inline::Break);
        }
        heading.extend(a.heading.iter().cloned());
        if heading.is_empty() && note.is_none() {
            return self.blocks(&a.blocks, 0, whole);
        }
        let h = self.paragraph(&heading, PLAIN, whole).style("Heading1");
        let mut h = self.fitted(h, &heading, HEADING_SIZE).keep_next(true);
        if let Some(note) = note {
            let c = self.comment(&note);
            let id = c.id();
            h = h.add_comment_start(c).add_comment_end(id);
        }
        let mut out = vec![h];
        out.extend(self.blocks(&a.blocks, 0, whole));
        out
    }

    /// The signing text (its heading and the introductions to the signatures): every
    /// paragraph kept with the next, so that it stands on the page with the signatures.
    fn section(&mut self, s: &ModelSection) -> Vec<Paragraph> {
        let mut out = vec![self.paragraph(&s.heading, PLAIN, AS_IS).style("Heading1")];
        out.extend(self.blocks(&s.blocks, 0, AS_IS));
        out.into_iter().map(|p| p.keep_next(true)).collect()
    }

    fn blocks(&mut self, blocks: &[Block], depth: i32, whole: Whole) -> Vec<Paragraph> {
        let mut out = Vec::new();
        for b in blocks {
            match b {
                Block::Paragraph { content } => {
                    let p = self
                        .paragraph(content, PLAIN, whole)
                        .align(AlignmentType::Both);
                    out.push(if depth > 0 {
                        indented(p, depth, false)
                    } else {
                        p
                    });
                }
                Block::List(list) => {
                    for item in &list.items {
                        out.extend(self.item(item, depth + 1, whole));
                    }
                }
            }
        }
        out
    }

    /// A list item: its marker and first paragraph on one line with a hanging indent, the
    /// rest indented under it.
    fn item(&mut self, item: &Item, depth: i32, outer: Whole) -> Vec<Paragraph> {
        let change = item.change.as_ref();
        // Inside a wholly tracked article, an item is tracked as its article is.
        let whole = if outer.mark != Mark::Same {
            outer
        } else {
            Whole::of(change.map(|c| c.kind))
        };
        let marker = Inline::text(format!("{}\t", item.marker));
        let mut first: Content = vec![marker];
        let mut rest: &[Block] = &item.blocks;
        let mut look = PLAIN;
        match (&item.title, item.blocks.first()) {
            (Some(title), _) => {
                first.extend(title.iter().cloned());
                look.bold = true;
            }
            (None, Some(Block::Paragraph { content })) => {
                first.extend(content.iter().cloned());
                rest = &item.blocks[1..];
            }
            _ => {}
        }
        let mut head = indented(self.paragraph(&first, look, whole), depth, true);
        if look.bold {
            // The title is bold, its marker too; the text under it is not.
            head = head.keep_next(true);
        }
        if let Some(c) =
            change.filter(|c| !matches!(c.kind, ChangeKind::Inserted | ChangeKind::Deleted))
        {
            let comment = self.comment(&c.note);
            let id = comment.id();
            head = head.add_comment_start(comment).add_comment_end(id);
        }
        // The rest stands under the item's text: `blocks` indents it `depth` levels.
        let id = self.next_item();
        let mut out = vec![head];
        out.extend(self.blocks(rest, depth, whole));
        if whole.mark == Mark::Same {
            out = self.wrap(out, AnchorKind::Item, &id);
        }
        out
    }

    fn signatures(&mut self, sig: &Signatures) -> Vec<SignaturePart> {
        // The space above is kept with the signatures, as the signing text above it is.
        let mut out = vec![SignaturePart::Paragraph(Box::new(
            Paragraph::new().keep_next(true),
        ))];
        // Each party a column: the lines naming it (kept with its first signatory), then a
        // block per signatory, side by side with the other party's.
        let parties: Vec<Vec<Vec<Paragraph>>> = sig
            .parties
            .iter()
            .map(|p| {
                let for_lines = p.for_lines.iter().map(|l| {
                    let bold = Look {
                        bold: true,
                        ..PLAIN
                    };
                    self.paragraph(l, bold, AS_IS).keep_next(true)
                });
                let mut blocks = vec![for_lines.collect::<Vec<_>>()];
                blocks.extend(p.people.iter().map(|s| self.signatory(s, sig)));
                blocks
            })
            .collect();
        let witnessed = sig.witnesses_label.is_some();
        out.push(SignaturePart::Table(Box::new(signature_table(
            parties, witnessed,
        ))));
        if let Some(label) = &sig.witnesses_label {
            out.push(SignaturePart::Paragraph(Box::new(
                self.text(label, PLAIN, AS_IS).keep_next(true),
            )));
            let witnesses = sig
                .witnesses
                .iter()
                .map(|s| vec![self.signatory(s, sig)])
                .collect();
            out.push(SignaturePart::Table(Box::new(signature_table(
                witnesses, false,
            ))));
        }
        out
    }

    fn signatory(&mut self, s: &Signatory, sig: &Signatures) -> Vec<Paragraph> {
        let small =
            |t: &str| Paragraph::new().add_run(Run::new().add_text(t).size(17).color("464646"));
        let mut out = vec![Paragraph::new()];
        // A co-signatory's own capacity, in the place of the party's "For …" heading.
        for c in &s.capacity {
            out.push(self.text(
                c,
                Look {
                    bold: true,
                    ..PLAIN
                },
                AS_IS,
            ));
        }
        if s.dated {
            if !sig.place_date.is_empty() {
                out.push(small(&sig.place_date));
            }
            if s.place_date.is_empty() {
                out.push(Paragraph::new().add_run(Run::new().add_text("_".repeat(24))));
            }
            for l in &s.place_date {
                out.push(self.paragraph(l, PLAIN, AS_IS));
            }
        }
        out.push(Paragraph::new());
        out.push(Paragraph::new().add_run(Run::new().add_text("_".repeat(34))));
        if !sig.signature.is_empty() {
            out.push(small(&sig.signature));
        }
        for n in &s.names {
            out.push(self.paragraph(n, PLAIN, AS_IS));
        }
        for t in &s.titles {
            out.push(self.paragraph(
                t,
                Look {
                    italic: true,
                    ..PLAIN
                },
                AS_IS,
            ));
        }
        for a in &s.affiliation {
            out.push(self.paragraph(a, PLAIN, AS_IS));
        }
        out
    }

    fn annexes(&mut self, x: &Annexes) -> Vec<Paragraph> {
        let mut out = vec![
            self.paragraph(&x.heading, PLAIN, AS_IS)
                .style("Heading1")
                .keep_next(true),
        ];
        for a in &x.items {
            let whole = Whole::of(a.change.as_ref().map(|c| c.kind));
            if !a.label.is_empty() {
                let mut heading = vec![Inline::text(&a.label)];
                if !a.title.is_empty() {
                    heading.push(Inline::text(&x.separator));
                    heading.extend(a.title.iter().cloned());
                }
                out.push(
                    self.paragraph(&heading, PLAIN, whole)
                        .style("Heading2")
                        .keep_next(true),
                );
            }
            out.extend(self.blocks(&a.blocks, 0, whole));
        }
        out
    }
}

/// A paragraph indented `depth` list levels; `hanging` for an item's first line, whose marker
/// hangs in the margin before a tab.
fn indented(p: Paragraph, depth: i32, hanging: bool) -> Paragraph {
    let left = 480 * depth;
    if hanging {
        p.indent(
            Some(left),
            Some(SpecialIndentType::Hanging(480)),
            None,
            None,
        )
    } else {
        p.indent(Some(left), None, None, None)
    }
}

/// The signatures, two columns to a row as the PDF sets them: each column's blocks (a party's
/// lines naming it, then each signatory) side by side with the other column's, a row for each
/// block that no page break splits, and every row kept with the next (Word keeps a row whose
/// paragraphs keep with the next on the page of the row after it): the signatures stand on
/// one page. With `kept_with_next`, the last row too (the witnesses follow).
fn signature_table(columns: Vec<Vec<Vec<Paragraph>>>, kept_with_next: bool) -> Table {
    let cell = |paragraphs: Option<Vec<Paragraph>>| {
        let paragraphs = paragraphs.filter(|p| !p.is_empty());
        let paragraphs = paragraphs.unwrap_or_else(|| vec![Paragraph::new()]);
        paragraphs
            .into_iter()
            .fold(TableCell::new().width(4706, WidthType::Dxa), |c, p| {
                c.add_paragraph(p)
            })
    };
    let mut blocks_by_row: Vec<Vec<Option<Vec<Paragraph>>>> = Vec::new();
    let mut columns = columns.into_iter().peekable();
    while columns.peek().is_some() {
        let pair: Vec<Vec<Vec<Paragraph>>> = columns.by_ref().take(2).collect();
        let n = pair.iter().map(Vec::len).max().unwrap_or(0);
        let mut pair: Vec<_> = pair.into_iter().map(Vec::into_iter).collect();
        for _ in 0..n {
            let mut blocks: Vec<Option<Vec<Paragraph>>> =
                pair.iter_mut().map(Iterator::next).collect();
            if blocks.iter().all(|b| b.as_ref().is_none_or(Vec::is_empty)) {
                continue; // no party has lines naming it
            }
            blocks.resize(2, None);
            blocks_by_row.push(blocks);
        }
    }
    let last = blocks_by_row.len().saturating_sub(1);
    let rows = (blocks_by_row.into_iter().enumerate())
        .map(|(i, blocks)| {
            let cells = (blocks.into_iter())
                .map(|b| {
                    let b = b.filter(|p| !p.is_empty());
                    let b = b.unwrap_or_else(|| vec![Paragraph::new()]);
                    let keep = i != last || kept_with_next;
                    cell(Some(b.into_iter().map(|p| p.keep_next(keep)).collect()))
                })
                .collect();
            TableRow::new(cells).cant_split()
        })
        .collect();
    Table::without_borders(rows)
        .set_grid(vec![4706, 4706])
        .width(9412, WidthType::Dxa)
}

/// Whether `c` is Chinese, Japanese or Korean: a Han ideograph, kana, hangul, or CJK or
/// full-width punctuation.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF // Hangul Jamo
        | 0x2E80..=0x2FDF // radicals
        | 0x3000..=0x303F // CJK symbols and punctuation
        | 0x3040..=0x31FF // kana, bopomofo, Hangul compatibility Jamo
        | 0x3200..=0x9FFF // enclosed, compatibility, extension A, unified ideographs
        | 0xAC00..=0xD7AF // Hangul syllables
        | 0xF900..=0xFAFF // compatibility ideographs
        | 0xFE30..=0xFE4F // compatibility forms
        | 0xFF00..=0xFFEF // full-width forms
        | 0x20000..=0x3FFFF) // supplementary ideographs
}

/// `text` cut where it changes between CJK and other script, each piece with whether it is
/// CJK; spaces and marks common to both go with the piece before them.
fn cjk_pieces(text: &str) -> Vec<(&str, bool)> {
    let mut out: Vec<(&str, bool)> = Vec::new();
    let mut start = 0;
    let mut cjk: Option<bool> = None;
    for (i, c) in text.char_indices() {
        let this = is_cjk(c);
        let neutral = !this && !c.is_alphabetic();
        match cjk {
            None if !neutral => cjk = Some(this),
            Some(was) if !neutral && was != this => {
                out.push((&text[start..i], was));
                start = i;
                cjk = Some(this);
            }
            _ => {}
        }
    }
    if start < text.len() {
        out.push((&text[start..], cjk.unwrap_or(false)));
    }
    out
}

/// A piece of italic text as pieces with its CJK upright: Chinese has no italic, and Word
/// and LibreOffice slant it synthetically.
fn upright_cjk(piece: Piece) -> Vec<Piece> {
    match piece {
        Piece::Text(look, text) if look.italic && text.chars().any(is_cjk) => cjk_pieces(&text)
            .into_iter()
            .map(|(t, cjk)| {
                let italic = !cjk;
                Piece::Text(Look { italic, ..look }, t.to_string())
            })
            .collect(),
        other => vec![other],
    }
}

/// `p` with `text` added in italic runs, its CJK upright; `style` sets the runs' other looks.
fn italic_runs(mut p: Paragraph, text: &str, style: impl Fn(Run) -> Run) -> Paragraph {
    for (t, cjk) in cjk_pieces(text) {
        let run = style(Run::new().add_text(t));
        p = p.add_run(if cjk { run } else { run.italic() });
    }
    p
}

/// Inlines as pieces of text, each in its look; `side` drops one side of a redline's marks
/// (a moved article's text where it stands now keeps no deletions, where it stood no
/// insertions) and keeps the other as plain text.
fn flatten(items: &[Inline], look: Look, side: Side, out: &mut Vec<Piece>) {
    for i in items {
        match i {
            Inline::Text { text, origins } if look.mark == Mark::Same && !origins.0.is_empty() => {
                let mut at = 0;
                for o in &origins.0 {
                    let (Some(before), Some(value)) =
                        (text.get(at..o.start), text.get(o.start..o.end))
                    else {
                        continue;
                    };
                    if !before.is_empty() {
                        out.push(Piece::Text(look, before.to_string()));
                    }
                    out.push(Piece::Value(look, value.to_string(), o.clone()));
                    at = o.end;
                }
                if let Some(rest) = text.get(at..).filter(|r| !r.is_empty()) {
                    out.push(Piece::Text(look, rest.to_string()));
                }
            }
            Inline::Date { text, origins } if look.mark == Mark::Same => {
                out.push(Piece::Date(look, text.clone(), origins.0.first().cloned()))
            }
            Inline::Text { text, .. } | Inline::Date { text, .. } | Inline::Name { text } => {
                out.push(Piece::Text(look, text.clone()))
            }
            Inline::Ref { label, .. } => out.push(Piece::Text(look, label.clone())),
            Inline::Break => out.push(Piece::Break(look)),
            Inline::Emph { content } => flatten(
                content,
                Look {
                    italic: true,
                    ..look
                },
                side,
                out,
            ),
            Inline::Strong { content } => flatten(content, Look { bold: true, ..look }, side, out),
            Inline::Ins { content } => match side {
                Side::Both => flatten(
                    content,
                    Look {
                        mark: Mark::Ins,
                        ..look
                    },
                    side,
                    out,
                ),
                Side::New => flatten(content, look, side, out),
                Side::Old => {}
            },
            Inline::Del { content } => match side {
                Side::Both => flatten(
                    content,
                    Look {
                        mark: Mark::Del,
                        ..look
                    },
                    side,
                    out,
                ),
                Side::Old => flatten(content, look, side, out),
                Side::New => {}
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_wider_than_its_column_is_set_smaller_down_to_four_fifths() {
        use docx_rs::BuildXML;
        let size_of = |measure: usize, word: &str| -> String {
            let w = Writer {
                rev: Revision::on(None),
                next_comment: 1,
                measure,
                anchors: None,
            };
            let p = Paragraph::new().add_run(Run::new().add_text(word));
            let xml =
                String::from_utf8(w.fitted(p, &[Inline::text(word)], TITLE_SIZE).build()).unwrap();
            xml.split(r#"<w:sz w:val=""#)
                .nth(1)
                .map_or("as the style".into(), |s| {
                    s.split('"').next().unwrap().into()
                })
        };
        // The page's width holds it; a half, at 17 pt, does not.
        assert_eq!(
            size_of(TEXT_WIDTH, "Partnerschaftsvereinbarung"),
            "as the style"
        );
        assert_eq!(size_of(TEXT_WIDTH / 2, "Partnerschaftsvereinbarung"), "27");
        assert_eq!(size_of(TEXT_WIDTH / 2, "Vereinbarung"), "as the style");
        // Ten CJK characters, a whole em each, in a third of the page.
        assert_eq!(size_of(TEXT_WIDTH / 3, "締結姊妹市關係協定書"), "28");
    }

    #[test]
    fn cjk_is_cut_from_latin_with_spaces_and_marks_kept_before() {
        assert_eq!(
            cjk_pieces("Chair 市長, Mayor"),
            vec![("Chair ", false), ("市長, ", true), ("Mayor", false)]
        );
        assert_eq!(
            cjk_pieces("代表，駐瑞典台北代表團"),
            vec![("代表，駐瑞典台北代表團", true)]
        );
        assert_eq!(cjk_pieces("(2027)"), vec![("(2027)", false)]);
        assert_eq!(
            cjk_pieces("於 2027 年 Lund"),
            vec![("於 2027 年 ", true), ("Lund", false)]
        );
        assert_eq!(cjk_pieces(""), vec![]);
    }
}
