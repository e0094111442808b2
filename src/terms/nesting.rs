//! Estimating how deeply a YAML text nests before it is parsed. The parser recurses once per
//! level, so a file of a few thousand `- - -` (two bytes a level) would exhaust the stack; this
//! scan refuses such text first, cheaply, and points at where it gets too deep.

use super::source::MAX_DEPTH;

/// Nesting the text pre-scan refuses outright: well above [`MAX_DEPTH`] (which the parsed tree
/// is held to) so the scan's estimate never refuses a legitimate file, and far below the few
/// hundred levels at which the recursive parser exhausts a worker thread's stack.
pub const SCAN_DEPTH: usize = 4 * MAX_DEPTH;

/// The byte offset where the text's nesting first exceeds `limit`, estimated before parsing.
///
/// Follows YAML's block structure by indentation (`- `, `? `, `: ` and `key:` open block
/// collections; a line less indented closes them) and counts flow brackets, skipping
/// comments and the text of quoted, block (`|`, `>`) and multi-line plain scalars. It may
/// count a level or two more than the parser would, never fewer in a way the parser accepts.
pub fn deep_nesting(text: &str, limit: usize) -> Option<usize> {
    let mut blocks: Vec<(usize, bool)> = Vec::new(); // open block collections: (column, is a list)
    let mut flow = 0; // open `[` and `{`
    let mut quote = None; // the quote of a quoted scalar running on into the next line
    let mut scalar_at = None; // in a multi-line scalar of a node at this column
    let mut offset = 0;
    // YAML breaks lines at `\n`, `\r\n` and a lone `\r`.
    for line in text.split_inclusive(['\n', '\r']) {
        let start = offset;
        offset += line.len();
        let body = line.trim_end_matches(['\n', '\r']);
        let indent = skip_blanks(body, 0);
        let rest = &body[indent..];
        if let Some(col) = scalar_at {
            if rest.is_empty() || indent > col {
                continue;
            }
            scalar_at = None;
        }
        if quote.is_some() || flow > 0 {
            let room = limit.saturating_sub(blocks.len());
            if let Some(i) = scan_inline(body, &mut flow, &mut quote, room) {
                return Some(start + i);
            }
            continue;
        }
        if rest.is_empty() || rest.starts_with('#') {
            continue;
        }
        let mut p = indent;
        if indent == 0 && ["---", "..."].iter().any(|m| is_indicator(rest, m)) {
            blocks.clear();
            p = 3;
        }
        let dash = is_indicator(rest, "-");
        while let Some(&(col, list)) = blocks.last() {
            if col > indent || (col == indent && list && !dash) {
                blocks.pop();
            } else {
                break;
            }
        }
        // Indicators (`- - ? x`) and properties (`&a`, `!t`), then perhaps a key, then a value.
        let mut node = indent;
        loop {
            p = skip_blanks(body, p);
            let s = &body[p..];
            if let Some(m) = ["-", "?", ":"].into_iter().find(|m| is_indicator(s, m)) {
                if open_block(&mut blocks, p, m == "-") > limit {
                    return Some(start + p);
                }
                node = p;
                p += 1;
            } else if s.starts_with(['&', '!']) {
                p += s.find([' ', '\t']).unwrap_or(s.len());
            } else {
                break;
            }
        }
        if let Some(k) = key_end(&body[p..]) {
            if open_block(&mut blocks, p, false) > limit {
                return Some(start + p);
            }
            node = p;
            p += k + 1;
            loop {
                p = skip_blanks(body, p);
                if !body[p..].starts_with(['&', '!']) {
                    break;
                }
                p += body[p..].find([' ', '\t']).unwrap_or(body.len() - p);
            }
        }
        match body[p..].chars().next() {
            Some('[' | '{' | '"' | '\'') => {
                let room = limit.saturating_sub(blocks.len());
                if let Some(i) = scan_inline(&body[p..], &mut flow, &mut quote, room) {
                    return Some(start + p + i);
                }
            }
            None | Some('#') => {}
            // A block scalar or plain text: lines indented past its node are its text.
            Some(_) => scalar_at = Some(node),
        }
    }
    None
}

fn skip_blanks(s: &str, from: usize) -> usize {
    from + s[from..].len() - s[from..].trim_start_matches([' ', '\t']).len()
}

/// `s` starts with indicator `m` followed by a blank or the end of the line.
pub fn is_indicator(s: &str, m: &str) -> bool {
    s.strip_prefix(m)
        .is_some_and(|r| r.is_empty() || r.starts_with([' ', '\t']))
}

/// Open a block collection at `col` unless the innermost open one is it; the depth after.
/// A list may sit at its parent key's own column (`key:` / `- item`).
fn open_block(blocks: &mut Vec<(usize, bool)>, col: usize, list: bool) -> usize {
    if blocks
        .last()
        .is_none_or(|&(c, l)| c < col || (c == col && list && !l))
    {
        blocks.push((col, list));
    }
    blocks.len()
}

/// The position of the `:` ending an implicit key at the start of `s` (`key: value`,
/// `"a key": value`), if `s` starts with one.
fn key_end(s: &str) -> Option<usize> {
    let colon = |i: usize| {
        s[i..].starts_with(':')
            && s[i + 1..]
                .chars()
                .next()
                .is_none_or(|c| c == ' ' || c == '\t')
    };
    if let Some(q) = s.chars().next().filter(|c| matches!(c, '"' | '\'')) {
        let close = 1 + s[1..].find(q)?;
        let after = skip_blanks(s, close + 1);
        return colon(after).then_some(after);
    }
    if s.starts_with(['[', '{', '#', '|', '>']) {
        return None;
    }
    s.char_indices()
        .take_while(|&(i, c)| !(c == '#' && s[..i].ends_with([' ', '\t'])))
        .find(|&(i, _)| colon(i))
        .map(|(i, _)| i)
}

/// Scan a flow collection or quoted scalar from the start of `s` (or its continuation from
/// an earlier line), counting brackets outside quotes; stop where it ends. The offset where
/// the open brackets exceed `room`, if they do.
fn scan_inline(s: &str, flow: &mut usize, quote: &mut Option<char>, room: usize) -> Option<usize> {
    let mut chars = s.char_indices().peekable();
    let mut prev = ' ';
    while let Some((i, c)) = chars.next() {
        if i > 0 && *flow == 0 && quote.is_none() {
            return None;
        }
        match *quote {
            Some('\'') if c == '\'' => {
                if chars.peek().is_some_and(|&(_, n)| n == '\'') {
                    chars.next();
                } else {
                    *quote = None;
                }
            }
            Some('"') if c == '\\' => {
                chars.next();
            }
            Some('"') if c == '"' => *quote = None,
            Some(_) => {}
            None => match c {
                '[' | '{' => {
                    *flow += 1;
                    if *flow > room {
                        return Some(i);
                    }
                }
                ']' | '}' => *flow = flow.saturating_sub(1),
                '"' | '\'' if prev.is_whitespace() || "[{,:".contains(prev) => *quote = Some(c),
                '#' if prev.is_whitespace() => return None,
                _ => {}
            },
        }
        prev = c;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use marked_yaml::Node;

    /// The depth the pre-scan estimates: the least limit it does not refuse.
    fn estimate(text: &str) -> usize {
        (0..).find(|&d| deep_nesting(text, d).is_none()).unwrap()
    }

    /// Collections from the root down to the deepest value, the root included.
    fn depth(node: &Node) -> usize {
        match node {
            Node::Scalar(_) => 0,
            Node::Mapping(m) => 1 + m.values().map(depth).max().unwrap_or(0),
            Node::Sequence(s) => 1 + s.iter().map(depth).max().unwrap_or(0),
        }
    }

    fn real(text: &str) -> usize {
        depth(&marked_yaml::parse_yaml(0, text).expect("valid YAML"))
    }

    #[test]
    fn estimate_is_close_on_the_shipped_files() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        for dir in [
            "agreements/malmo-kaohsiung",
            "agreements/lund-tainan",
            "templates/shared",
        ] {
            for e in std::fs::read_dir(root.join(dir)).unwrap() {
                files.push(e.unwrap().path());
            }
        }
        files.push(root.join("templates/sister-city/template.yaml"));
        files.push(root.join("templates/thematic-partnership/template.yaml"));
        for f in files
            .iter()
            .filter(|f| f.extension().is_some_and(|e| e == "yaml"))
        {
            let text = std::fs::read_to_string(f).unwrap();
            let (est, real) = (estimate(&text), real(&text));
            assert!(
                est >= real && est <= real + 2,
                "{}: {est} vs {real}",
                f.display()
            );
        }
    }

    #[test]
    fn estimate_follows_yaml_structure() {
        let cases = [
            "a: 1\n",
            "a:\n- x\n- y\nb: 2\n",
            "a:\n  - - - x\n  - y\n",
            "a:\n- b:\n  - c:\n    - d: 1\n",
            "a: [1, [2, [3]]]\n",
            "a: {b: [c, {d: e}]}\n",
            "a: [1,\n  [2,\n    [3]]]\nb: 1\n",
            "? a\n: - - y\n",
            "x:\n- {a: [b]}\n- - - c\n",
            "a: \"[[[[ not # brackets\"\nb: '[[['' still'\n",
            "a: \"line one [[[\n  line two\"\nb: [x]\n",
            "a: |\n  - - - - text\n  [[[[\nb: >-\n  {{{{\n",
            "a: text [[[[\n  more text - - - -\nb: 1\n",
            "a: x # [[[[ comment\nb: [y] # ]]]\n",
            "a: it's [[[\n",
            "a:\r  - - - x\r",
            "a:\r\n  b:\r\n    - c\r\n",
        ];
        for text in cases {
            let (est, real) = (estimate(text), real(text));
            assert!(est >= real && est <= real + 2, "{text:?}: {est} vs {real}");
        }
    }

    #[test]
    fn deep_block_nesting_is_refused_before_parsing() {
        let seq = format!("a:\n  {}x\n", "- ".repeat(100_000));
        assert!(deep_nesting(&seq, SCAN_DEPTH).is_some());
        let map: String = (0..1000)
            .map(|i| format!("{}k:\n", " ".repeat(i)))
            .collect();
        assert!(deep_nesting(&map, SCAN_DEPTH).is_some());
        // Text that only looks like an open bracket does not hide what follows it.
        let hidden = format!(
            "a:\n  b: text\n    [unclosed\n  c:\n    {}x\n",
            "- ".repeat(1000)
        );
        assert!(deep_nesting(&hidden, SCAN_DEPTH).is_some());
    }
}
