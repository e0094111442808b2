//! Reading a terms file from disk into a YAML tree with positions, treating it as untrusted:
//! a size limit, UTF-8 (a BOM is allowed), no anchors or aliases (so no "billion laughs"),
//! no tags, no duplicate keys, a nesting limit. Every refusal is a [`Diagnostic`].

use std::path::Path;

use marked_yaml::{LoadError, LoaderOptions, Node};

use crate::diagnostic::{Diagnostic, Location, Report};

/// Terms files larger than this are refused before parsing.
pub const MAX_BYTES: usize = 1024 * 1024;
/// Deepest nesting of lists and mappings accepted.
pub const MAX_DEPTH: usize = 32;

/// A parsed but not yet validated terms file.
#[derive(Debug, Clone)]
pub struct RawTerms {
    /// The file as the user named it (used in every diagnostic).
    pub file: String,
    /// The file's text (BOM removed).
    pub text: String,
    /// The top-level mapping.
    pub root: Node,
}

/// Read and parse a terms file; problems come with the file's text for snippets.
pub fn read(path: &Path) -> Result<RawTerms, Report> {
    let file = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|e| io_error(&file, &e))?;
    if meta.is_dir() {
        return Err(
            Diagnostic::new("not-a-file", &file, "this is a folder, not a terms file")
                .with_hint("pass a round file such as round-1.yaml")
                .into(),
        );
    }
    if meta.len() > MAX_BYTES as u64 {
        return Err(too_large(&file, meta.len() as usize).into());
    }
    let bytes = std::fs::read(path).map_err(|e| io_error(&file, &e))?;
    // The text shown in snippets, with control characters masked so that a refused escape
    // sequence is not replayed to the terminal (same byte lengths, so locations still fit).
    let text: String = String::from_utf8_lossy(&bytes)
        .trim_start_matches('\u{feff}')
        .chars()
        .map(|c| match c {
            c if !is_refused_control(c) => c,
            c if c.len_utf8() == 1 => '?',
            _ => '¿',
        })
        .collect();
    parse(file.clone(), bytes).map_err(|d| Report::in_file(vec![d], &file, &text))
}

/// Parse terms from bytes (the file name is only for diagnostics).
pub fn parse(file: String, bytes: Vec<u8>) -> Result<RawTerms, Diagnostic> {
    if bytes.len() > MAX_BYTES {
        return Err(too_large(&file, bytes.len()));
    }
    let mut text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let good = String::from_utf8_lossy(&e.as_bytes()[..valid]);
            // Count the column as the report's text does: without a BOM.
            let good = good.strip_prefix('\u{feff}').unwrap_or(&good);
            return Err(
                Diagnostic::new("not-utf8", &file, "the file is not valid UTF-8 text")
                    .at(Location::of_bytes(good, good.len()..good.len()))
                    .with_hint("save the file as UTF-8 (most editors: \"Save with encoding\")"),
            );
        }
    };
    if let Some(rest) = text.strip_prefix('\u{feff}') {
        text = rest.to_string();
    }
    if text.trim().is_empty() {
        return Err(
            Diagnostic::new("empty-file", &file, "the terms file is empty")
                .with_hint("start from `pactum new <template> <dir>`"),
        );
    }
    if let Some(d) = check_control_chars(&file, &text) {
        return Err(d);
    }
    // The parser recurses once per level and would overflow the stack on `- - - …` long
    // before the depth check below runs, so refuse deep nesting from the text first.
    if let Some(at) = deep_nesting(&text, SCAN_DEPTH) {
        // Point where it first goes past the limit, as the check of the parsed tree would.
        let at = deep_nesting(&text, MAX_DEPTH + 1).unwrap_or(at);
        return Err(too_deep_at(&file, Location::of_bytes(&text, at..at + 1)));
    }
    let options = LoaderOptions::default()
        .error_on_duplicate_keys(true)
        .prevent_coercion(true);
    let parsed =
        std::panic::catch_unwind(|| marked_yaml::parse_yaml_with_options(0, &text, options));
    let root = match parsed {
        Ok(Ok(root)) => root,
        Ok(Err(e)) => return Err(load_error(&file, &text, e)),
        Err(_) => {
            return Err(
                Diagnostic::new("yaml-syntax", &file, "the YAML could not be read")
                    .with_hint("check the file is a single YAML document"),
            );
        }
    };
    match after_terms(&text, &root) {
        Some((at, true)) => {
            return Err(Diagnostic::new(
                "multi-document",
                &file,
                "a second YAML document starts here; a terms file is one document",
            )
            .at(Location::of_bytes(&text, at..at + 3))
            .with_hint(
                "give each round its own file (round-1.yaml, round-2.yaml, …), without `---` or `...` lines between terms",
            ));
        }
        Some((at, false)) => {
            return Err(Diagnostic::new(
                "yaml-syntax",
                &file,
                "the terms end before this line, so YAML would ignore it and everything after it",
            )
            .at(Location::of_bytes(&text, at..at + 1))
            .with_hint("start every top-level term in the same column as the first (usually the first column)"));
        }
        None => {}
    }
    if root.as_mapping().is_some_and(|m| m.is_empty()) {
        let only_comments = text.lines().all(|l| {
            let l = l.trim();
            l.is_empty() || l.starts_with('#') || l == "---" || l == "..."
        });
        let message = if only_comments {
            "the terms file holds only comments, no terms"
        } else {
            "the terms file holds no terms"
        };
        return Err(Diagnostic::new("empty-file", &file, message)
            .with_hint("start from `pactum new <template> <dir>`"));
    }
    if let Some(node) = too_deep(&root, 0) {
        let mut d = Diagnostic::new("too-deep", &file, too_deep_message());
        if let Some(loc) = node_location(&text, &node) {
            d = d.at(loc);
        }
        return Err(d);
    }
    if let Some((node, path, c)) = escaped_control(&root, "") {
        let mut d = Diagnostic::new(
            "control-character",
            &file,
            format!("`{path}` contains the control character U+{:04X}", c as u32),
        )
        .at_path(path)
        .with_hint(
            "remove the escape (such as `\\x07` or `\\e`); agreements can only hold printable text",
        );
        if let Some(loc) = node_location(&text, &node) {
            d = d.at(loc);
        }
        return Err(d);
    }
    Ok(RawTerms { file, text, root })
}

fn too_deep_message() -> String {
    format!("values are nested more than {MAX_DEPTH} levels deep")
}

fn too_deep_at(file: &str, at: Location) -> Diagnostic {
    Diagnostic::new("too-deep", file, too_deep_message()).at(at)
}

/// What follows the terms' top-level mapping, when that is more than comments: the parser
/// reads one YAML document and stops where its top level ends, so the rest of the file (a second
/// document after `---`, or lines indented less than the first term) would be silently dropped.
/// The byte offset of the first such line, and whether it is a second document.
fn after_terms(text: &str, root: &Node) -> Option<(usize, bool)> {
    let end = root.span().end()?.character();
    let mut offset = text.char_indices().nth(end).map_or(text.len(), |(i, _)| i);
    // A flow mapping's span ends at its closing brace.
    if text[offset..].starts_with('}') {
        offset += 1;
    }
    let mut ended = false;
    for line in text[offset..].split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let content = line.trim();
        let at = start + line.len() - line.trim_start().len();
        if is_indicator(content, "---") || content.starts_with('%') {
            return Some((at, true));
        } else if is_indicator(content, "...") {
            ended = true;
        } else if !content.is_empty() && !content.starts_with('#') {
            return Some((at, ended));
        }
    }
    None
}

/// Nesting the text pre-scan refuses outright: well above [`MAX_DEPTH`] (which the parsed tree
/// is held to) so the scan's estimate never refuses a legitimate file, and far below the few
/// hundred levels at which the recursive parser exhausts a worker thread's stack.
const SCAN_DEPTH: usize = 4 * MAX_DEPTH;

/// The byte offset where the text's nesting first exceeds `limit`, estimated before parsing.
///
/// Follows YAML's block structure by indentation (`- `, `? `, `: ` and `key:` open block
/// collections; a line less indented closes them) and counts flow brackets, skipping
/// comments and the text of quoted, block (`|`, `>`) and multi-line plain scalars. It may
/// count a level or two more than the parser would, never fewer in a way the parser accepts.
fn deep_nesting(text: &str, limit: usize) -> Option<usize> {
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
fn is_indicator(s: &str, m: &str) -> bool {
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

/// The location of a node's start, if it has one.
pub fn node_location(text: &str, node: &Node) -> Option<Location> {
    let m = node.span().start()?;
    Some(Location::of_line_column(text, m.line(), m.column()))
}

fn too_deep(node: &Node, depth: usize) -> Option<Node> {
    if depth > MAX_DEPTH {
        return Some(node.clone());
    }
    match node {
        Node::Mapping(m) => m.values().find_map(|v| too_deep(v, depth + 1)),
        Node::Sequence(s) => s.iter().find_map(|v| too_deep(v, depth + 1)),
        Node::Scalar(_) => None,
    }
}

/// A control character written as an escape (`"\x07"`, `"\e"`), which the check of the raw text
/// cannot see: the node, the term's path (control characters in it shown as `\u{7}`) and the
/// character. Keys are checked too, since problems echo them.
fn escaped_control(node: &Node, path: &str) -> Option<(Node, String, char)> {
    let bad = |s: &str| s.chars().find(|&c| is_refused_control(c));
    match node {
        Node::Scalar(s) => bad(s.as_str()).map(|c| (node.clone(), path.to_string(), c)),
        Node::Mapping(m) => m.iter().find_map(|(k, v)| {
            let key = if path.is_empty() {
                printable(k.as_str())
            } else {
                format!("{path}.{}", printable(k.as_str()))
            };
            match bad(k.as_str()) {
                Some(c) => Some((Node::from(k.clone()), key, c)),
                None => escaped_control(v, &key),
            }
        }),
        Node::Sequence(s) => s
            .iter()
            .enumerate()
            .find_map(|(i, v)| escaped_control(v, &format!("{path}[{i}]"))),
    }
}

/// `s` with control characters spelt out (`\u{1b}`), for echoing untrusted text in a message.
fn printable(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

fn is_refused_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// Refuse C0/C1 control characters other than tab, newline and carriage return: they cannot
/// be printed, so a term holding one could never appear verbatim in the agreement.
fn check_control_chars(file: &str, text: &str) -> Option<Diagnostic> {
    let (i, c) = text.char_indices().find(|&(_, c)| is_refused_control(c))?;
    Some(
        Diagnostic::new(
            "control-character",
            file,
            format!("the file contains the control character U+{:04X}", c as u32),
        )
        .at(Location::of_bytes(text, i..i + c.len_utf8()))
        .with_hint("remove it; agreements can only hold printable text"),
    )
}

/// Nested brackets deeper than the parser's own limit would otherwise be reported as a generic
/// syntax error; say what the limit is.
fn load_error(file: &str, text: &str, e: LoadError) -> Diagnostic {
    use LoadError::*;
    let at = |m: &marked_yaml::Marker| Location::of_line_column(text, m.line(), m.column());
    match e {
        TopLevelMustBeMapping(m) | TopLevelMustBeSequence(m) => Diagnostic::new(
            "not-a-mapping",
            file,
            "the terms file must be a mapping of `key: value` lines",
        )
        .at(at(&m)),
        UnexpectedAnchor(m) => Diagnostic::new(
            "yaml-anchor",
            file,
            "YAML anchors and aliases (`&name`, `*name`) are not allowed in terms",
        )
        .at(property_location(text, at(&m), '&'))
        .with_hint("write each value out in full"),
        UnexpectedTag(m) => Diagnostic::new(
            "yaml-tag",
            file,
            "YAML tags (`!tag`) are not allowed in terms",
        )
        .at(property_location(text, at(&m), '!'))
        .with_hint("write the value as plain text, without `!…`"),
        MappingKeyMustBeScalar(m) => {
            Diagnostic::new("yaml-syntax", file, "a key must be plain text").at(at(&m))
        }
        DuplicateKey(inner) => {
            let first = inner
                .prev_key
                .span()
                .start()
                .map(|m| format!(" (first given on line {})", m.line()));
            let mut d = Diagnostic::new(
                "duplicate-key",
                file,
                format!(
                    "the key `{}` is given twice{}",
                    printable(inner.key.as_str()),
                    first.unwrap_or_default()
                ),
            );
            if let Some(m) = inner.key.span().start() {
                d = d.at(at(m));
            }
            d.with_hint("keep one of them")
        }
        ScanError(m, e) => {
            let info = e.info().to_string();
            let mut d = Diagnostic::new("yaml-syntax", file, format!("YAML syntax error: {info}"))
                .at(at(&m));
            if info.contains("recursion limit") {
                d = too_deep_at(file, at(&m));
            } else if info.contains("tab") {
                d = d.with_hint("indent with spaces, not tabs");
            } else if info.contains("anchor") || info.contains("alias") {
                d = Diagnostic::new(
                    "yaml-anchor",
                    file,
                    "YAML anchors and aliases (`&name`, `*name`) are not allowed in terms",
                )
                .at(at(&m))
                .with_hint("write each value out in full");
            }
            d
        }
    }
}

/// The parser reports a tag (`!`) or an anchor (`&`) at the node after it; point at the
/// property itself when it is on the same line (`x: !!python/object {}`): the last `sigil` there
/// that starts a word.
fn property_location(text: &str, node: Location, sigil: char) -> Location {
    let line_start = text[..node.bytes.start].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..node.bytes.start];
    let Some(at) = before
        .char_indices()
        .filter(|&(i, c)| {
            c == sigil && (i == 0 || before[..i].ends_with([' ', '\t', '[', '{', ',']))
        })
        .map(|(i, _)| i)
        .next_back()
    else {
        return node;
    };
    let start = line_start + at;
    let len = text[start..].find(char::is_whitespace).unwrap_or(1);
    Location::of_bytes(text, start..start + len)
}

fn too_large(file: &str, len: usize) -> Diagnostic {
    Diagnostic::new(
        "too-large",
        file,
        format!("the terms file is {len} bytes; the limit is {MAX_BYTES} bytes (1 MiB)"),
    )
    .with_hint("a terms file holds terms, not documents: move long annexes out")
}

fn io_error(file: &str, e: &std::io::Error) -> Diagnostic {
    Diagnostic::new("io", file, format!("cannot read the file: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

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
