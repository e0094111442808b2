//! The terms' own text (an own article, or a built-in one's text replaced) as Markdown for
//! the model's reader. Only its shape is read: paragraphs split by blank lines, `1.` and `-`
//! list items nested by indentation, an item's opening `**title**`, and `[](#id)` references.
//! Everything else is sealed ([`crate::model::sealed`]): it stays data, whatever it holds.

use crate::model::sealed::{Kind, seal};
use crate::terms::structure::is_id;

/// `text` as Markdown: its lists re-indented the way CommonMark nests them, every run of
/// text sealed but its references.
pub fn markdown(text: &str) -> String {
    let mut out = String::new();
    // Open list items: the user's indentation of the marker, and where their text starts here.
    let mut open: Vec<(usize, usize)> = Vec::new();
    let mut after_blank = false;
    for line in text.lines() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if trimmed.is_empty() {
            out.push('\n');
            after_blank = true;
            continue;
        }
        match marker(trimmed) {
            Some((mark, rest)) => {
                while open.last().is_some_and(|(u, _)| *u >= indent) {
                    open.pop();
                }
                let at = open.last().map_or(0, |(_, c)| *c);
                open.push((indent, at + mark.len() + 1));
                out.push_str(&" ".repeat(at));
                out.push_str(mark);
                out.push(' ');
                out.push_str(&item(rest, at + mark.len() + 1));
            }
            None => {
                if indent == 0 && after_blank {
                    open.clear();
                }
                let at = open.last().map_or(0, |(_, c)| *c);
                out.push_str(&" ".repeat(at));
                out.push_str(&sealed(trimmed));
            }
        }
        out.push('\n');
        after_blank = false;
    }
    out
}

/// A list item's marker (`-`, `*`, `1.`, `1)`) and the text after it.
fn marker(line: &str) -> Option<(&str, &str)> {
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    let len = match line.as_bytes().get(digits) {
        Some(b'.' | b')') if (1..=9).contains(&digits) => digits + 1,
        Some(b'-' | b'*') if digits == 0 => 1,
        _ => return None,
    };
    match line[len..].strip_prefix(' ') {
        Some(rest) => Some((&line[..len], rest.trim_start())),
        None if line.len() == len => Some((&line[..len], "")),
        None => None,
    }
}

/// An item's first line: a `**title**` opening it becomes the item's title (on its own line,
/// `at` the item's text column), the rest its text.
fn item(rest: &str, at: usize) -> String {
    let titled = rest
        .strip_prefix("**")
        .and_then(|r| r.split_once("**"))
        .filter(|(title, _)| !title.trim().is_empty());
    match titled {
        Some((title, after)) => {
            let after = after.trim_start_matches([':', '.', '–', '—']).trim_start();
            let mut s = format!("**{}**", seal(title.trim(), Kind::Text));
            if !after.is_empty() {
                s.push_str("\\\n");
                s.push_str(&" ".repeat(at));
                s.push_str(&sealed(after));
            }
            s
        }
        None => sealed(rest),
    }
}

/// A run of text sealed, its references (`[](#id)`) left for the reader.
fn sealed(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    loop {
        let reference = rest.find("[](#").and_then(|at| {
            let after = &rest[at + 4..];
            let end = after.find(')')?;
            is_id(&after[..end]).then(|| (at, &after[..end], &after[end + 1..]))
        });
        match reference {
            Some((at, id, after)) => {
                push_sealed(&mut out, &rest[..at]);
                out.push_str(&format!("[](#{id})"));
                rest = after;
            }
            None => {
                push_sealed(&mut out, rest);
                return out;
            }
        }
    }
}

/// `t` sealed onto `out`; the spaces around it are Markdown's, not the sealed text's.
fn push_sealed(out: &mut String, t: &str) {
    let core = t.trim();
    if t.starts_with(char::is_whitespace) && !out.is_empty() {
        out.push(' ');
    }
    if !core.is_empty() {
        out.push_str(&seal(core, Kind::Text));
    }
    if t.ends_with(char::is_whitespace) && !core.is_empty() {
        out.push(' ');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::markdown::read;
    use crate::model::{Block, Inline};

    fn plain(blocks: &[Block]) -> String {
        crate::model::plain::paragraphs(blocks).join("\n")
    }

    #[test]
    fn lists_nest_by_indentation_and_items_take_titles() {
        let text = "The Parties will:\n\n1. **Culture**: exchange artists\n  - music\n  - theatre\n2. cooperate on # schools, see [](#fields).\n\nClosing words.";
        let written = read(&markdown(text));
        assert_eq!(written.blocks.len(), 3, "{:?}", written.blocks);
        let Block::List(list) = &written.blocks[1] else {
            panic!("{:?}", written.blocks)
        };
        assert!(list.ordered);
        assert_eq!(list.items.len(), 2);
        assert_eq!(list.items[0].title, Some(vec![Inline::text("Culture")]));
        assert!(
            matches!(&list.items[0].blocks[1], Block::List(l) if !l.ordered && l.items.len() == 2)
        );
        let Block::Paragraph { content } = &list.items[1].blocks[0] else {
            panic!()
        };
        assert_eq!(content[0], Inline::text("cooperate on # schools, see "));
        assert!(matches!(&content[1], Inline::Ref { id, .. } if id == "fields"));
        assert!(plain(&written.blocks).contains("Closing words."));
    }

    #[test]
    fn nothing_else_is_read() {
        let text = "# not a heading\n\n**not bold** and *not emphasis* <b>x</b>\n\n> not a quote";
        let written = read(&markdown(text));
        assert_eq!(written.heading, None);
        assert_eq!(
            written.blocks,
            vec![
                Block::Paragraph {
                    content: vec![Inline::text("# not a heading")]
                },
                Block::Paragraph {
                    content: vec![Inline::text("**not bold** and *not emphasis* <b>x</b>")]
                },
                Block::Paragraph {
                    content: vec![Inline::text("> not a quote")]
                },
            ]
        );
    }
}
