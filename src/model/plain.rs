//! The text a reader sees in a part of the model, as plain strings: what the redline compares
//! and what font coverage is checked against. Paragraphs are joined with `"\n\n"`; a list item
//! starts with its marker ("1.", "•") and its title is a paragraph of its own.

use super::{Block, Document, Inline};

/// Inline content as text.
pub fn inlines(content: &[Inline]) -> String {
    let mut out = String::new();
    push_inlines(&mut out, content);
    out
}

fn push_inlines(out: &mut String, content: &[Inline]) {
    for inline in content {
        match inline {
            Inline::Text { text, .. } | Inline::Date { text, .. } | Inline::Name { text } => {
                out.push_str(text)
            }
            Inline::Ref { label, .. } => out.push_str(label),
            Inline::Emph { content }
            | Inline::Strong { content }
            | Inline::Ins { content }
            | Inline::Del { content } => push_inlines(out, content),
            Inline::Break => out.push(' '),
        }
    }
}

/// Blocks as paragraphs.
pub fn paragraphs(blocks: &[Block]) -> Vec<String> {
    let mut out = Vec::new();
    push_blocks(&mut out, blocks, "");
    out
}

fn push_blocks(out: &mut Vec<String>, blocks: &[Block], prefix: &str) {
    for (i, block) in blocks.iter().enumerate() {
        let lead = if i == 0 { prefix } else { "" };
        match block {
            Block::Paragraph { content } => out.push(format!("{lead}{}", inlines(content))),
            Block::List(list) => {
                for item in &list.items {
                    let marker = format!("{} ", item.marker);
                    match &item.title {
                        Some(title) => {
                            out.push(format!("{marker}{}", inlines(title)));
                            push_blocks(out, &item.blocks, "");
                        }
                        None => push_blocks(out, &item.blocks, &marker),
                    }
                }
            }
        }
    }
}

/// Every character the document prints (for choosing fonts before layout).
pub fn document(doc: &Document) -> String {
    // The serialised model holds every printed string; its syntax is ASCII.
    String::from_utf8(doc.to_json()).unwrap_or_default()
}
