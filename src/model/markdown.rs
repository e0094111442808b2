//! A language version's parts, read from the Markdown their files (or the terms' own texts)
//! fill to, into the model.
//!
//! Fill reads each part of a version alone ([`read`]): the structure that says which parts
//! there are, in which order and with which id, is declared, not written. A part's Markdown
//! (CommonMark, read by `pulldown-cmark`) holds sealed term values ([`super::sealed`]) and:
//! - `# Heading` on its first line: the part's heading;
//! - `## Title`: one annex each, in an annexes part;
//! - paragraphs, `1.` numbered and `-` bulleted lists (nested by indentation), `*emphasis*`,
//!   `**strong**`, a hard line break (a line ending in `\`); a list item that opens with
//!   `**Title**\` and a line break is a title-plus-description item;
//! - `[](#themes)`: a reference to the article `themes`, printed as its label ("Article 3")
//!   once [`Body::finish`] has numbered the articles.
//!
//! [`parse`] reads a whole version written as one text (`# Costs {#costs}` headings with ids,
//! `.signing` and `.annexes` classes): the form tests and benchmarks write their fixtures in.
//!
//! Whitespace runs become one space, as a reader sees them. Anything else Markdown offers
//! (code, HTML) is kept as plain text.

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::sealed::unseal;
use super::{Annex, Annexes, Article, Block, Inline, Item, List, Section, Words};

/// A version's text, in the model's parts.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Body {
    pub preamble: Vec<Block>,
    pub articles: Vec<Article>,
    pub signing: Option<Section>,
    pub annexes: Option<Annexes>,
}

/// One top-level piece of the Markdown: a heading or a block.
enum Piece {
    Heading {
        level: HeadingLevel,
        id: Option<String>,
        classes: Vec<String>,
        content: Vec<Inline>,
    },
    Block(Block),
}

/// Where the blocks being read go.
enum Part {
    Preamble,
    Article,
    Signing,
    Annexes,
}

/// Why a version's Markdown does not make an agreement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub message: String,
    /// The template text it is about (a heading, `{#id}`, `](#id)`), to find where it is written.
    pub quoted: String,
}

impl Error {
    fn new(message: String, quoted: String) -> Self {
        Error { message, quoted }
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// Read a whole version written as one Markdown text (fixtures), numbering articles and
/// annexes and labelling references in `words`' language. Errors name what is wrong (a heading without an id, an id used twice, a
/// reference to no article).
pub fn parse(text: &str, words: &Words) -> Result<Body, Error> {
    let options = Options::ENABLE_HEADING_ATTRIBUTES;
    let mut events = Parser::new_ext(text, options).peekable();
    let mut pieces = Vec::new();
    while let Some(event) = events.next() {
        match event {
            Event::Start(Tag::Heading {
                level, id, classes, ..
            }) => pieces.push(Piece::Heading {
                level,
                id: id.map(|i| i.to_string()),
                classes: classes.iter().map(|c| c.to_string()).collect(),
                content: tidy(inlines(&mut events)),
            }),
            other => {
                if let Some(block) = block(other, &mut events) {
                    pieces.push(Piece::Block(block));
                }
            }
        }
    }
    let mut body = Body::default();
    let mut part = Part::Preamble;
    for piece in pieces {
        match piece {
            Piece::Heading {
                level: HeadingLevel::H1,
                id,
                classes,
                content,
            } => {
                let has = |c: &str| classes.iter().any(|k| k == c);
                if has("signing") {
                    body.signing = Some(Section {
                        heading: content,
                        blocks: Vec::new(),
                    });
                    part = Part::Signing;
                } else if has("annexes") {
                    body.annexes = Some(Annexes {
                        heading: content,
                        separator: words.title_separator.clone(),
                        items: Vec::new(),
                    });
                    part = Part::Annexes;
                } else {
                    let plain = super::plain::inlines(&content);
                    let id = id.ok_or_else(|| {
                        let message = format!(
                            "the article heading `{plain}` has no id: write `# {plain} {{#some-id}}`"
                        );
                        Error::new(message, format!("# {plain}"))
                    })?;
                    if body.articles.iter().any(|a| a.id == id) {
                        let message = format!("two articles have the id `{id}`");
                        return Err(Error::new(message, format!("{{#{id}")));
                    }
                    let number = body.articles.len() as u32 + 1;
                    body.articles.push(Article {
                        id,
                        number,
                        label: words.article_label(number),
                        was: None,
                        heading: content,
                        blocks: Vec::new(),
                        change: None,
                    });
                    part = Part::Article;
                }
            }
            Piece::Heading { content, .. } => match (&part, body.annexes.as_mut()) {
                (Part::Annexes, Some(annexes)) => {
                    let number = annexes.items.len() as u32 + 1;
                    annexes.items.push(Annex {
                        number,
                        label: words.label(&words.annex, number),
                        title: content,
                        blocks: Vec::new(),
                        change: None,
                    });
                }
                _ => push(
                    &mut body,
                    &part,
                    Block::Paragraph {
                        content: vec![Inline::Strong { content }],
                    },
                ),
            },
            Piece::Block(b) => push(&mut body, &part, b),
        }
    }
    let labels = references(&body.articles, words);
    resolve(&mut body, &labels)?;
    Ok(body)
}

/// How the text refers to each article, by id ("Article 3"; with `numbering: none`, its
/// heading).
fn references(articles: &[Article], words: &Words) -> Vec<(String, String)> {
    articles
        .iter()
        .map(|a| {
            let heading = super::plain::inlines(&a.heading);
            (a.id.clone(), words.reference_to(a.number, &heading))
        })
        .collect()
}

/// One part of a version as one file (or one own text) writes it: an optional `#` heading
/// first, its blocks, and the `##` sections after them (the annexes).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Written {
    pub heading: Option<Vec<Inline>>,
    pub blocks: Vec<Block>,
    pub sections: Vec<(Vec<Inline>, Vec<Block>)>,
}

/// Read one part's Markdown. Heading attributes (`{#id}`) are not read: the part's id is
/// declared, not written. A later `#` heading is bold text.
pub fn read(text: &str) -> Written {
    let mut events = Parser::new_ext(text, Options::ENABLE_HEADING_ATTRIBUTES).peekable();
    let mut out = Written::default();
    let mut first = true;
    while let Some(event) = events.next() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                let content = tidy(inlines(&mut events));
                if level == HeadingLevel::H1 && first {
                    out.heading = Some(content);
                } else if level == HeadingLevel::H2 {
                    out.sections.push((content, Vec::new()));
                } else {
                    let b = Block::Paragraph {
                        content: vec![Inline::Strong { content }],
                    };
                    match out.sections.last_mut() {
                        Some((_, blocks)) => blocks.push(b),
                        None => out.blocks.push(b),
                    }
                }
            }
            other => {
                if let Some(b) = block(other, &mut events) {
                    match out.sections.last_mut() {
                        Some((_, blocks)) => blocks.push(b),
                        None => out.blocks.push(b),
                    }
                }
            }
        }
        first = false;
    }
    out
}

impl Body {
    /// Add an article (numbered by [`Body::finish`]).
    pub fn article(&mut self, id: String, heading: Vec<Inline>, blocks: Vec<Block>) {
        self.articles.push(Article {
            id,
            number: 0,
            label: String::new(),
            was: None,
            heading,
            blocks,
            change: None,
        });
    }

    /// Set the annexes: the written sections, each one annex (text before the first is an
    /// untitled first annex).
    pub fn annexes(&mut self, heading: Vec<Inline>, written: Written, words: &Words) {
        let mut items = Vec::new();
        if !written.blocks.is_empty() {
            items.push(Annex {
                number: 0,
                label: String::new(),
                title: Vec::new(),
                blocks: written.blocks,
                change: None,
            });
        }
        for (title, blocks) in written.sections {
            let number = items.iter().filter(|a: &&Annex| a.number > 0).count() as u32 + 1;
            items.push(Annex {
                number,
                label: words.label(&words.annex, number),
                title,
                blocks,
                change: None,
            });
        }
        self.annexes = Some(Annexes {
            heading,
            separator: words.title_separator.clone(),
            items,
        });
    }

    /// Number the articles in order, give every reference its article's label and every list
    /// item its marker, in `words`' language. A reference to no article is an error.
    pub fn finish(mut self, words: &Words) -> Result<Body, Error> {
        for (i, a) in self.articles.iter_mut().enumerate() {
            a.number = i as u32 + 1;
            a.label = words.article_label(a.number);
        }
        let labels = references(&self.articles, words);
        resolve(&mut self, &labels)?;
        for blocks in all_blocks(&mut self) {
            mark(blocks, words, 0);
        }
        Ok(self)
    }
}

/// Every list item's marker, as `words` marks a list at its depth.
fn mark(blocks: &mut [Block], words: &Words, depth: usize) {
    for b in blocks {
        if let Block::List(list) = b {
            for (i, item) in list.items.iter_mut().enumerate() {
                item.marker = words.list_marker(list.ordered, depth, i as u32 + 1);
                mark(&mut item.blocks, words, depth + 1);
            }
        }
    }
}

/// The block lists of a body: preamble, articles, signing text, annexes.
fn all_blocks(body: &mut Body) -> Vec<&mut Vec<Block>> {
    let mut all: Vec<&mut Vec<Block>> = vec![&mut body.preamble];
    for a in &mut body.articles {
        all.push(&mut a.blocks);
    }
    if let Some(s) = &mut body.signing {
        all.push(&mut s.blocks);
    }
    if let Some(x) = &mut body.annexes {
        for a in &mut x.items {
            all.push(&mut a.blocks);
        }
    }
    all
}

fn push(body: &mut Body, part: &Part, block: Block) {
    let target = match part {
        Part::Preamble => Some(&mut body.preamble),
        Part::Article => body.articles.last_mut().map(|a| &mut a.blocks),
        Part::Signing => body.signing.as_mut().map(|s| &mut s.blocks),
        Part::Annexes => match body.annexes.as_mut() {
            Some(a) if !a.items.is_empty() => a.items.last_mut().map(|i| &mut i.blocks),
            _ => None,
        },
    };
    if let Some(blocks) = target {
        blocks.push(block);
    } else if let Some(annexes) = body.annexes.as_mut() {
        // Text between the Annexes heading and the first annex: an untitled first annex.
        annexes.items.push(Annex {
            number: 0,
            label: String::new(),
            title: Vec::new(),
            blocks: vec![block],
            change: None,
        });
    }
}

/// Give every reference the label of the article it names.
fn resolve(body: &mut Body, labels: &[(String, String)]) -> Result<(), Error> {
    for blocks in all_blocks(body) {
        for b in blocks.iter_mut() {
            resolve_block(b, labels)?;
        }
    }
    Ok(())
}

fn resolve_block(block: &mut Block, labels: &[(String, String)]) -> Result<(), Error> {
    match block {
        Block::Paragraph { content } => resolve_inlines(content, labels),
        Block::List(list) => {
            for item in &mut list.items {
                if let Some(t) = &mut item.title {
                    resolve_inlines(t, labels)?;
                }
                for b in &mut item.blocks {
                    resolve_block(b, labels)?;
                }
            }
            Ok(())
        }
    }
}

fn resolve_inlines(inlines: &mut [Inline], labels: &[(String, String)]) -> Result<(), Error> {
    for inline in inlines {
        match inline {
            Inline::Ref { id, label } => {
                *label = labels
                    .iter()
                    .find(|(i, _)| i == id)
                    .map(|(_, l)| l.clone())
                    .ok_or_else(|| {
                        let message =
                            format!("`[](#{id})` refers to no article with the id `{id}`");
                        Error::new(message, format!("](#{id})"))
                    })?;
            }
            Inline::Emph { content } | Inline::Strong { content } => {
                resolve_inlines(content, labels)?
            }
            _ => {}
        }
    }
    Ok(())
}

/// A one-version document of Markdown alone, in `words`' language: no title block, no
/// signatories (what tests and benchmarks compare).
pub fn document(text: &str, lang: &str, words: &Words) -> Result<super::Document, Error> {
    use super::{Document, Layout, Mode, Signatures, TitleBlock, Version};
    let body = parse(text, words)?;
    Ok(Document {
        format: super::FORMAT.into(),
        title: String::new(),
        mode: Mode::Draft,
        layout: Layout::Single,
        footer: None,
        letterheads: Vec::new(),
        versions: vec![Version {
            lang: lang.into(),
            text: words.text.clone(),
            copy_for: None,
            title: TitleBlock {
                title: Vec::new(),
                subtitle: None,
                between: String::new(),
                and: String::new(),
                parties: Vec::new(),
            },
            preamble: body.preamble,
            articles: body.articles,
            signing: body.signing,
            annexes: body.annexes,
        }],
        signatures: Signatures {
            execution: false,
            place_date: String::new(),
            signature: String::new(),
            parties: Vec::new(),
            witnesses_label: None,
            witnesses: Vec::new(),
        },
        redline: None,
    })
}

type Events<'a> = std::iter::Peekable<Parser<'a>>;

/// A block starting with `event`, read to its end; `None` for anything that is no block.
fn block(event: Event, events: &mut Events) -> Option<Block> {
    match event {
        Event::Start(Tag::Paragraph) => Some(Block::Paragraph {
            content: tidy(inlines(events)),
        }),
        Event::Start(Tag::List(start)) => Some(Block::List(list(start.is_some(), events))),
        Event::Start(Tag::CodeBlock(kind)) => {
            let mut text = String::new();
            if let CodeBlockKind::Fenced(info) = kind {
                text.push_str(&info);
            }
            for e in events.by_ref() {
                match e {
                    Event::Text(t) => text.push_str(&t),
                    Event::End(_) => break,
                    _ => {}
                }
            }
            Some(Block::Paragraph {
                content: tidy(unseal(&text)),
            })
        }
        Event::Start(_) => {
            // Block quotes, tables and the like: their text, as paragraphs.
            let content = tidy(inlines(events));
            (!content.is_empty()).then_some(Block::Paragraph { content })
        }
        Event::Text(t) | Event::Html(t) | Event::Code(t) => Some(Block::Paragraph {
            content: tidy(unseal(&t)),
        }),
        _ => None,
    }
}

fn list(ordered: bool, events: &mut Events) -> List {
    let mut items = Vec::new();
    while let Some(e) = events.next() {
        match e {
            Event::Start(Tag::Item) => {
                let n = items.len() + 1;
                let marker = if ordered {
                    format!("{n}.")
                } else {
                    "•".to_string()
                };
                items.push(item(marker, events));
            }
            Event::End(TagEnd::List(_)) => break,
            _ => {}
        }
    }
    List { ordered, items }
}

fn item(marker: String, events: &mut Events) -> Item {
    let mut blocks = Vec::new();
    let mut loose: Vec<Inline> = Vec::new();
    let flush = |loose: &mut Vec<Inline>, blocks: &mut Vec<Block>| {
        let content = tidy(std::mem::take(loose));
        if !content.is_empty() {
            blocks.push(Block::Paragraph { content });
        }
    };
    while let Some(e) = events.next() {
        match e {
            Event::End(TagEnd::Item) => break,
            Event::Start(Tag::Paragraph | Tag::List(_) | Tag::CodeBlock(_)) => {
                flush(&mut loose, &mut blocks);
                if let Some(b) = block(e, events) {
                    blocks.push(b);
                }
            }
            other => inline(other, events, &mut loose),
        }
    }
    flush(&mut loose, &mut blocks);
    let mut title = None;
    if let Some(Block::Paragraph { content }) = blocks.first_mut()
        && let [Inline::Strong { .. }, rest @ ..] = content.as_slice()
        && (rest.is_empty() || rest[0] == Inline::Break)
    {
        let mut content = std::mem::take(content);
        if let Inline::Strong { content: t } = content.remove(0) {
            title = Some(t);
        }
        let rest: Vec<Inline> = content.into_iter().skip(1).collect();
        if rest.is_empty() {
            blocks.remove(0);
        } else {
            blocks[0] = Block::Paragraph {
                content: tidy(rest),
            };
        }
    }
    Item {
        marker,
        title,
        blocks,
        change: None,
    }
}

/// Inline content up to the end of the enclosing tag.
fn inlines(events: &mut Events) -> Vec<Inline> {
    let mut out = Vec::new();
    while let Some(e) = events.next() {
        if let Event::End(_) = e {
            break;
        }
        inline(e, events, &mut out);
    }
    out
}

fn inline(event: Event, events: &mut Events, out: &mut Vec<Inline>) {
    match event {
        Event::Text(t) | Event::Code(t) | Event::InlineHtml(t) | Event::Html(t) => {
            out.extend(unseal(&t))
        }
        Event::SoftBreak => out.push(Inline::text(" ")),
        Event::HardBreak => out.push(Inline::Break),
        Event::Start(Tag::Emphasis) => out.push(Inline::Emph {
            content: inlines(events),
        }),
        Event::Start(Tag::Strong) => out.push(Inline::Strong {
            content: inlines(events),
        }),
        Event::Start(Tag::Link { dest_url, .. }) if dest_url.starts_with('#') => {
            let _ = inlines(events);
            out.push(Inline::Ref {
                id: dest_url[1..].to_string(),
                label: String::new(),
            });
        }
        Event::Start(_) => out.extend(inlines(events)),
        _ => {}
    }
}

/// Adjacent text merged, whitespace runs as one space, none at the edges or around breaks.
fn tidy(inlines: Vec<Inline>) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::new();
    for inline in inlines {
        match inline {
            Inline::Text { text, origins } => super::sealed::push_text(&mut out, text, origins),
            Inline::Emph { content } => out.push(Inline::Emph {
                content: tidy(content),
            }),
            Inline::Strong { content } => out.push(Inline::Strong {
                content: tidy(content),
            }),
            other => out.push(other),
        }
    }
    let n = out.len();
    for (i, inline) in out.iter_mut().enumerate() {
        if let Inline::Text { text, origins } = inline {
            let mut t = collapse(text);
            if i == 0 {
                t = t.trim_start().to_string();
            }
            if i + 1 == n {
                t = t.trim_end().to_string();
            }
            origins.follow(text, &t);
            *text = t;
        }
    }
    // Whitespace next to a line break is not printed.
    let retext = |inline: Option<&mut Inline>, f: fn(&str) -> &str| {
        if let Some(Inline::Text { text, origins }) = inline {
            let t = f(text).to_string();
            origins.follow(text, &t);
            *text = t;
        }
    };
    for i in 0..out.len() {
        if out[i] == Inline::Break {
            retext(i.checked_sub(1).and_then(|j| out.get_mut(j)), str::trim_end);
            retext(out.get_mut(i + 1), str::trim_start);
        }
    }
    out.retain(|i| !matches!(i, Inline::Text { text, .. } if text.is_empty()));
    out
}

/// `s` with each run of folding whitespace as one space ([`crate::terms::collapses`]); a
/// no-break or ideographic space is kept as it was typed.
fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if crate::terms::collapses(c) {
            space = true;
        } else {
            if space {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    if space {
        out.push(' ');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::sealed::{Kind, seal};

    fn words() -> Words {
        serde_yaml_ng::from_str(include_str!("../../templates/shared/words/en.yaml")).unwrap()
    }

    #[test]
    fn articles_lists_titles_and_references() {
        let title = seal("Youth **exchange**", Kind::Text);
        let text = format!(
            "Between us.\n\n# Themes {{#themes}}\n\nAs in [](#areas):\n\n1. **{title}**\\\n   Schools and\n   clubs.\n   - sport\n2. Other\n\n# Areas {{#areas}}\n\nSee [](#themes).\n\n# Signatures {{#signatures .signing}}\n\nSigned.\n\n# Annexes {{#annexes .annexes}}\n\n## Plan\n\nText.\n"
        );
        let body = parse(&text, &words()).unwrap();
        assert_eq!(body.preamble.len(), 1);
        assert_eq!(body.articles.len(), 2);
        let themes = &body.articles[0];
        assert_eq!(
            (themes.id.as_str(), themes.label.as_str()),
            ("themes", "Article 1")
        );
        let Block::Paragraph { content } = &themes.blocks[0] else {
            panic!()
        };
        assert_eq!(
            content[1],
            Inline::Ref {
                id: "areas".into(),
                label: "Article 2".into()
            }
        );
        let Block::List(list) = &themes.blocks[1] else {
            panic!()
        };
        assert!(list.ordered);
        assert_eq!(
            list.items[0].title,
            Some(vec![Inline::text("Youth **exchange**")])
        );
        assert_eq!(
            list.items[0].blocks[0],
            Block::Paragraph {
                content: vec![Inline::text("Schools and clubs.")]
            }
        );
        assert!(matches!(&list.items[0].blocks[1], Block::List(l) if !l.ordered));
        assert_eq!(list.items[1].marker, "2.");
        assert!(body.signing.is_some());
        let annexes = body.annexes.unwrap();
        assert_eq!(annexes.items[0].label, "Annex 1");
    }

    #[test]
    fn headings_need_ids_and_references_need_articles() {
        assert!(
            parse("# Costs\n\nx", &words())
                .unwrap_err()
                .message
                .contains("no id")
        );
        assert!(
            parse("# A {#a}\n\n[](#b)", &words())
                .unwrap_err()
                .message
                .contains("`b`")
        );
        assert!(
            parse("# A {#a}\n\n# B {#a}", &words())
                .unwrap_err()
                .message
                .contains("two articles")
        );
    }
}
