//! The terms without the negotiators' notes. A final copy goes to the other party and becomes
//! an official document, so the terms it attaches leave out the file's comments (`# …`): the
//! notes one side wrote for itself ("Proposed by …, after the legal unit reviewed round 2")
//! stay in its own file. Only comments go; every value stays as written, and
//! [`super::check`] keeps the result only when it validates to the same terms.

use marked_yaml::Node;

use super::RawTerms;
use super::source::node_location;

/// The file's text with every comment removed, and the lines that held only a comment; `None`
/// when it has none. A `#` inside a value (quoted, or a block of text) is the value's.
pub fn without_comments(raw: &RawTerms) -> Option<String> {
    let text = &raw.text;
    let mut values: Vec<std::ops::Range<usize>> = Vec::new();
    collect(&raw.root, text, &mut values);
    let inside = |i: usize| values.iter().any(|r| r.contains(&i));
    let mut out = String::with_capacity(text.len());
    let mut found = false;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let comment = line.char_indices().find(|&(i, c)| {
            c == '#'
                && line[..i]
                    .chars()
                    .next_back()
                    .is_none_or(char::is_whitespace)
                && !inside(offset + i)
        });
        offset += line.len();
        let Some((at, _)) = comment else {
            out.push_str(line);
            continue;
        };
        found = true;
        let kept = line[..at].trim_end();
        if !kept.is_empty() {
            out.push_str(kept);
            // The line keeps its own ending (`\r\n` or `\n`, or none at the end of the file).
            out.push_str(&line[line.trim_end_matches(['\r', '\n']).len()..]);
        }
    }
    found.then_some(out)
}

/// The byte ranges of every scalar, keys included.
fn collect(node: &Node, text: &str, out: &mut Vec<std::ops::Range<usize>>) {
    match node {
        Node::Mapping(map) => {
            for (key, child) in map.iter() {
                out.extend(range(&Node::from(key.clone()), text));
                collect(child, text, out);
            }
        }
        Node::Sequence(seq) => seq.iter().for_each(|child| collect(child, text, out)),
        Node::Scalar(_) => out.extend(range(node, text)),
    }
}

/// Where a value that may hold a `#` of its own runs: a quoted scalar to its closing quote,
/// a block scalar (`|`, `>`) over its indented lines. A plain scalar ends where a comment
/// starts, so it protects nothing.
fn range(node: &Node, text: &str) -> Option<std::ops::Range<usize>> {
    let at = node_location(text, node)?;
    let start = at.bytes.start;
    let rest = &text[start..];
    match rest.chars().next()? {
        '"' => Some(start..start + 1 + closing(&rest[1..], '"')?),
        '\'' => Some(start..start + 1 + closing(&rest[1..], '\'')?),
        _ if block_start(text, start) => {
            // Its lines are those indented at least as far as its first one, blank lines
            // among them.
            let indent = at.column - 1;
            let mut end = start;
            for line in text[start - indent..].split_inclusive('\n') {
                let blank = line.trim().is_empty();
                let deep = line.len() - line.trim_start_matches(' ').len() >= indent;
                if !blank && !deep {
                    break;
                }
                end += line.len();
            }
            Some(start..(end - indent).max(start + 1))
        }
        _ => None,
    }
}

/// The length up to and including the quote that closes a quoted scalar.
fn closing(after_open: &str, quote: char) -> Option<usize> {
    let mut chars = after_open.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' if quote == '"' => {
                chars.next();
            }
            '\'' if quote == '\'' && chars.peek().is_some_and(|&(_, n)| n == '\'') => {
                chars.next();
            }
            c if c == quote => return Some(i + c.len_utf8()),
            _ => {}
        }
    }
    None
}

/// Whether the value at `start` is a block scalar: its content starts on a line after its key.
fn block_start(text: &str, start: usize) -> bool {
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    text[line_start..start].trim().is_empty()
        && text[..line_start]
            .trim_end()
            .rsplit('\n')
            .next()
            .and_then(|header| header.split(" #").next())
            .and_then(|header| header.split_whitespace().last())
            .is_some_and(|word| word.starts_with(['|', '>']))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stripped(yaml: &str) -> Option<String> {
        let raw = super::super::source::parse("f.yaml".into(), yaml.as_bytes().to_vec()).unwrap();
        without_comments(&raw)
    }

    #[test]
    fn comments_go_and_values_stay() {
        let yaml = "# Proposed by: Malmö, after the legal unit's review\n\
                    title: \"A # in quotes\" # a note\n\
                    text: |  # the header's note\n  # a heading in the text\n  Body # kept\n\
                    list:\n  - one # first\n  # between\n  - two#three\n";
        assert_eq!(
            stripped(yaml).as_deref(),
            Some(
                "title: \"A # in quotes\"\n\
                 text: |\n  # a heading in the text\n  Body # kept\n\
                 list:\n  - one\n  - two#three\n"
            )
        );
        assert_eq!(stripped("a: b\n"), None);
        assert_eq!(
            stripped("# x\r\na: b # y\r\nc: d").as_deref(),
            Some("a: b\r\nc: d")
        );
    }
}
