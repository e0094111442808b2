//! Reading a DOCX as untrusted input: the zip read under limits (entries, each part's size,
//! the whole unpacked size, the compression ratio of a zip bomb), each XML part parsed with no
//! DTD (so no external entities and no entity expansion), then `word/document.xml` walked into
//! paragraphs: each paragraph's text with every tracked change accepted and with every one
//! rejected, the part it stands in (by pactum's bookmarks), where each term value's bookmark
//! covers, the tracked changes with author and date, and the comments with what they mark.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use roxmltree::{Document, Node, ParsingOptions};

use crate::write::docx::record::{NAMESPACE, PROPERTY};
use crate::write::docx::{Anchor, AnchorKind, Record};

/// A part larger than this is refused (the same limit as a terms file's, times eight: a
/// trilingual agreement's document part is about 400 KB).
pub const MAX_PART: u64 = 8 * crate::terms::source::MAX_BYTES as u64;
/// All parts read together, unpacked.
pub const MAX_TOTAL: u64 = 4 * MAX_PART;
/// A DOCX of more entries than this is refused.
pub const MAX_ENTRIES: usize = 1000;
/// A part that unpacks to more than this many times its packed size is a zip bomb.
pub const MAX_RATIO: u64 = 100;
/// XML nodes per part.
pub const MAX_NODES: u32 = 2_000_000;

/// Why a file is not a DOCX pactum can read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused(pub String);

/// A DOCX, read.
#[derive(Debug, Default)]
pub struct Docx {
    /// pactum's record (`None`: a document pactum did not make).
    pub record: Option<Result<Record, String>>,
    /// The anchors its record part lists (empty when the part was lost).
    pub anchors: Vec<Anchor>,
    pub paragraphs: Vec<Para>,
    pub comments: Vec<Comment>,
}

/// One paragraph of the body (in a table cell or not), in document order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Para {
    /// The bookmark of the part it stands in (`pactum_a3`), if any.
    pub part: Option<String>,
    /// The list item bookmarks it stands in.
    pub items: Vec<String>,
    /// Its text with every tracked change accepted.
    pub text: String,
    /// Its text with every tracked change rejected (what pactum wrote, when tracked).
    pub was: String,
    /// Its paragraph mark is a tracked deletion (the paragraph goes when accepted).
    pub mark_deleted: bool,
    /// It is indented (a list item's text under its first line, or a nested item).
    pub indented: bool,
    /// It is styled as a heading (`Heading1`, or any style with an outline level).
    pub heading: bool,
    /// Each term value's bookmark in `was`: (start, end, bookmark name).
    pub values: Vec<(usize, usize, String)>,
    pub revisions: Vec<Revision>,
}

/// A tracked change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    /// `inserted`, `deleted`, `moved`.
    pub kind: &'static str,
    pub author: String,
    pub date: String,
    pub text: String,
}

/// A comment and what it marks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    pub author: String,
    pub date: String,
    pub text: String,
    /// The text it is anchored to.
    pub anchored: String,
    /// The part bookmark the anchor stands in.
    pub part: Option<String>,
}

/// The parts of the package, read under the limits.
fn unzip(bytes: &[u8]) -> Result<HashMap<String, String>, Refused> {
    let refuse = |m: String| Refused(m);
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| refuse(format!("this is not a DOCX (not a zip package: {e})")))?;
    if zip.len() > MAX_ENTRIES {
        return Err(refuse(format!(
            "the package has {} entries; a DOCX pactum reads has at most {MAX_ENTRIES}",
            zip.len()
        )));
    }
    let wanted = |name: &str| {
        name == "word/document.xml"
            || name == "word/comments.xml"
            || name == "docProps/custom.xml"
            || (name.starts_with("customXml/item") && name.ends_with(".xml"))
    };
    let mut parts = HashMap::new();
    let mut total = 0u64;
    for i in 0..zip.len() {
        let file = zip
            .by_index(i)
            .map_err(|e| refuse(format!("the package is damaged: {e}")))?;
        let name = file.name().to_string();
        if !wanted(&name) {
            continue;
        }
        let size = file.size();
        let packed = file.compressed_size().max(1);
        if size > MAX_PART {
            return Err(refuse(format!(
                "the part {name} is {size} bytes unpacked; the limit is {MAX_PART}"
            )));
        }
        if size / packed > MAX_RATIO && size > 1024 * 1024 {
            return Err(refuse(format!(
                "the part {name} unpacks to {} times its packed size (a zip bomb?)",
                size / packed
            )));
        }
        total += size;
        if total > MAX_TOTAL {
            return Err(refuse(format!(
                "the package unpacks to more than {MAX_TOTAL} bytes"
            )));
        }
        // The header's size may lie: never read more than the limit.
        let mut text = Vec::new();
        file.take(MAX_PART + 1)
            .read_to_end(&mut text)
            .map_err(|e| refuse(format!("the part {name} could not be read: {e}")))?;
        if text.len() as u64 > MAX_PART {
            return Err(refuse(format!(
                "the part {name} is larger unpacked than its header says; the limit is {MAX_PART}"
            )));
        }
        let text =
            String::from_utf8(text).map_err(|_| refuse(format!("the part {name} is not UTF-8")))?;
        parts.insert(name, text);
    }
    if !parts.contains_key("word/document.xml") {
        return Err(refuse(
            "this is not a DOCX (it has no word/document.xml)".to_string(),
        ));
    }
    Ok(parts)
}

/// `text` parsed as XML: no DTD (no entities), a node limit.
fn parse<'a>(name: &str, text: &'a str) -> Result<Document<'a>, Refused> {
    let options = ParsingOptions {
        allow_dtd: false,
        nodes_limit: MAX_NODES,
        ..ParsingOptions::default()
    };
    Document::parse_with_options(text, options)
        .map_err(|e| Refused(format!("the part {name} is not XML pactum reads: {e}")))
}

/// Read a DOCX's bytes.
pub fn read(bytes: &[u8]) -> Result<Docx, Refused> {
    let parts = unzip(bytes)?;
    let mut docx = Docx::default();
    // The record: the custom XML part first, else the custom property.
    for (name, text) in parts.iter().filter(|(n, _)| n.starts_with("customXml/")) {
        let doc = parse(name, text)?;
        let root = doc.root_element();
        if root.tag_name().namespace() != Some(NAMESPACE) {
            continue;
        }
        for n in root.descendants().filter(|n| n.is_element()) {
            match n.tag_name().name() {
                "record" => {
                    let json = n.text().unwrap_or_default();
                    docx.record = Some(
                        serde_json::from_str(json)
                            .map_err(|e| format!("its record is damaged: {e}")),
                    );
                }
                "anchor" => docx.anchors.push(Anchor {
                    name: n.attribute("name").unwrap_or_default().to_string(),
                    kind: match n.attribute("kind") {
                        Some("part") => AnchorKind::Part,
                        Some("item") => AnchorKind::Item,
                        Some("date") => AnchorKind::Date,
                        _ => AnchorKind::Term,
                    },
                    lang: n.attribute("lang").unwrap_or_default().to_string(),
                    id: n.attribute("id").unwrap_or_default().to_string(),
                }),
                _ => {}
            }
        }
    }
    if docx.record.is_none()
        && let Some(text) = parts.get("docProps/custom.xml")
    {
        let doc = parse("docProps/custom.xml", text)?;
        for p in doc.descendants().filter(|n| n.has_tag_name("property")) {
            if p.attribute("name") == Some(PROPERTY) {
                let json: String = p.descendants().filter_map(|n| n.text()).collect();
                docx.record = Some(
                    serde_json::from_str(&json).map_err(|e| format!("its record is damaged: {e}")),
                );
            }
        }
    }
    let comments = match parts.get("word/comments.xml") {
        Some(text) => comments(&parse("word/comments.xml", text)?),
        None => HashMap::new(),
    };
    let text = &parts["word/document.xml"];
    let doc = parse("word/document.xml", text)?;
    let (paragraphs, found) = body(&doc, &comments);
    docx.paragraphs = paragraphs;
    docx.comments = found;
    Ok(docx)
}

/// A bookmark's name without the `_Copy_<n>` LibreOffice gives a pasted copy of it.
fn original_name(name: &str) -> &str {
    match name.rfind("_Copy_") {
        Some(i) if name[i + 6..].chars().all(|c| c.is_ascii_digit()) => &name[..i],
        _ => name,
    }
}

type CommentText = (String, String, String);

fn comments(doc: &Document) -> HashMap<String, CommentText> {
    let mut out = HashMap::new();
    for c in doc.descendants().filter(|n| n.has_tag_name((W, "comment"))) {
        let id = attr(c, "id").unwrap_or_default().to_string();
        let mut text = String::new();
        for p in c.descendants().filter(|n| n.has_tag_name((W, "p"))) {
            if !text.is_empty() {
                text.push('\n');
            }
            for t in p.descendants().filter(|n| n.has_tag_name((W, "t"))) {
                text.push_str(t.text().unwrap_or_default());
            }
        }
        let author = attr(c, "author").unwrap_or_default().to_string();
        let date = attr(c, "date").unwrap_or_default().to_string();
        out.insert(id, (author, date, text));
    }
    out
}

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

fn attr<'a>(n: Node<'a, '_>, name: &str) -> Option<&'a str> {
    n.attribute((W, name))
}

/// What the walk through the body knows between paragraphs.
#[derive(Default)]
struct Walk {
    /// Bookmark id → name, for pactum's bookmarks that have started.
    open: HashMap<String, String>,
    part: Option<String>,
    items: Vec<String>,
    /// Comment id → (part, text so far), for comments whose range is open.
    comments: HashMap<String, (Option<String>, String)>,
    found: Vec<Comment>,
}

fn body(doc: &Document, comment_texts: &HashMap<String, CommentText>) -> (Vec<Para>, Vec<Comment>) {
    let mut walk = Walk::default();
    let mut out = Vec::new();
    for p in doc.descendants().filter(|n| n.has_tag_name((W, "p"))) {
        // Paragraphs inside a text box are read with their own paragraph only once.
        if p.ancestors().skip(1).any(|a| a.has_tag_name((W, "p"))) {
            continue;
        }
        let mut para = Para {
            part: walk.part.clone(),
            items: walk.items.clone(),
            ..Para::default()
        };
        let mut value_starts: HashMap<String, usize> = HashMap::new();
        for n in p.descendants().filter(|n| n.is_element()) {
            if n.tag_name().namespace() != Some(W) {
                continue;
            }
            let inside = |tag: &str| n.ancestors().any(|a| a.has_tag_name((W, tag)));
            match n.tag_name().name() {
                "bookmarkStart" => {
                    // A copy LibreOffice pasted (a moved article's) names its bookmark
                    // `<name>_Copy_<n>`: it anchors what the original anchors.
                    let name = original_name(attr(n, "name").unwrap_or_default());
                    let id = attr(n, "id").unwrap_or_default().to_string();
                    if let Some(kind) = name.strip_prefix("pactum_").and_then(|s| s.chars().next())
                    {
                        walk.open.insert(id, name.to_string());
                        match kind {
                            'a' => {
                                walk.part = Some(name.to_string());
                                para.part = walk.part.clone();
                            }
                            'i' => {
                                walk.items.push(name.to_string());
                                para.items.push(name.to_string());
                            }
                            _ => {
                                value_starts.insert(name.to_string(), para.was.len());
                            }
                        }
                    }
                }
                "bookmarkEnd" => {
                    let id = attr(n, "id").unwrap_or_default();
                    // A part lasts until the next part starts: LibreOffice moves and
                    // splits the ends of bookmarks that span paragraphs.
                    if let Some(name) = walk.open.remove(id) {
                        walk.items.retain(|i| *i != name);
                        if let Some(start) = value_starts.remove(&name) {
                            para.values.push((start, para.was.len(), name));
                        }
                    }
                }
                "commentRangeStart" => {
                    let id = attr(n, "id").unwrap_or_default().to_string();
                    walk.comments.insert(id, (para.part.clone(), String::new()));
                }
                "commentRangeEnd" => {
                    let id = attr(n, "id").unwrap_or_default();
                    if let Some((part, anchored)) = walk.comments.remove(id) {
                        let (author, date, text) =
                            comment_texts.get(id).cloned().unwrap_or_default();
                        walk.found.push(Comment {
                            author,
                            date,
                            text,
                            anchored,
                            part,
                        });
                    }
                }
                "t" | "delText" | "tab" | "br" | "cr" => {
                    if inside("pPr") || inside("rPr") {
                        continue;
                    }
                    let s = match n.tag_name().name() {
                        "tab" => "\t",
                        "br" | "cr" => " ",
                        _ => n.text().unwrap_or_default(),
                    };
                    let deleted = inside("del") || inside("moveFrom");
                    let inserted = inside("ins") || inside("moveTo");
                    if !deleted {
                        para.text.push_str(s);
                        for (_, t) in walk.comments.values_mut() {
                            t.push_str(s);
                        }
                    }
                    if !inserted {
                        para.was.push_str(s);
                    }
                    if deleted || inserted {
                        let (kind, change) = if deleted {
                            (
                                if inside("moveFrom") {
                                    "moved"
                                } else {
                                    "deleted"
                                },
                                n.ancestors().find(|a| {
                                    a.has_tag_name((W, "del")) || a.has_tag_name((W, "moveFrom"))
                                }),
                            )
                        } else {
                            (
                                if inside("moveTo") {
                                    "moved"
                                } else {
                                    "inserted"
                                },
                                n.ancestors().find(|a| {
                                    a.has_tag_name((W, "ins")) || a.has_tag_name((W, "moveTo"))
                                }),
                            )
                        };
                        let author = change.and_then(|c| attr(c, "author")).unwrap_or_default();
                        let date = change.and_then(|c| attr(c, "date")).unwrap_or_default();
                        match para.revisions.last_mut() {
                            Some(r) if r.kind == kind && r.author == author && r.date == date => {
                                r.text.push_str(s)
                            }
                            _ => para.revisions.push(Revision {
                                kind,
                                author: author.to_string(),
                                date: date.to_string(),
                                text: s.to_string(),
                            }),
                        }
                    }
                }
                "pStyle" if n.parent().is_some_and(|r| r.has_tag_name((W, "pPr"))) => {
                    let style = attr(n, "val").unwrap_or_default().to_ascii_lowercase();
                    para.heading |= style.starts_with("heading");
                }
                "outlineLvl" if n.parent().is_some_and(|r| r.has_tag_name((W, "pPr"))) => {
                    para.heading = true;
                }
                "ind" if n.parent().is_some_and(|r| r.has_tag_name((W, "pPr"))) => {
                    para.indented = attr(n, "left")
                        .or_else(|| attr(n, "start"))
                        .and_then(|v| v.parse::<i64>().ok())
                        .is_some_and(|v| v > 0);
                }
                "del"
                    if n.parent().is_some_and(|r| r.has_tag_name((W, "rPr")))
                        && n.ancestors().any(|a| a.has_tag_name((W, "pPr"))) =>
                {
                    para.mark_deleted = true;
                }
                _ => {}
            }
        }
        out.push(para);
    }
    (out, walk.found)
}
