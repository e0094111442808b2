//! Reading a terms file from disk into a YAML tree with positions, treating it as untrusted:
//! a size limit, UTF-8 (a BOM is allowed), no anchors or aliases (so no "billion laughs"),
//! no tags, no duplicate keys, a nesting limit. Every refusal is a [`Diagnostic`].

use std::path::Path;

use marked_yaml::{LoadError, LoaderOptions, Node};

use super::nesting::{SCAN_DEPTH, deep_nesting, is_indicator};
use crate::diagnostic::{Diagnostic, Kind, Location, Report};

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
    /// Whether the file began with a byte order mark (so its bytes can be given back).
    pub bom: bool,
    /// The top-level mapping.
    pub root: Node,
}

/// Read and parse a terms file; problems come with the file's text for snippets.
pub fn read(path: &Path) -> Result<RawTerms, Report> {
    let file = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|e| io_error(&file, &e))?;
    if meta.is_dir() {
        return Err(
            Diagnostic::new(Kind::NotAFile, &file, "this is a folder, not a terms file")
                .with_hint("pass a round file such as round-1.yaml")
                .into(),
        );
    }
    if meta.len() > MAX_BYTES as u64 {
        return Err(too_large(&file, meta.len() as usize).into());
    }
    let bytes = std::fs::read(path).map_err(|e| io_error(&file, &e))?;
    // The text shown in snippets, with control characters and bidi overrides masked so that a
    // refused escape sequence is not replayed to the terminal, nor a line shown reordered (same
    // byte lengths, so locations still fit).
    let text: String = String::from_utf8_lossy(&bytes)
        .trim_start_matches('\u{feff}')
        .chars()
        .map(|c| match c {
            c if !is_refused_control(c) && !is_bidi_override(c) => c,
            c if c.len_utf8() == 1 => '?',
            c if c.len_utf8() == 2 => '¿',
            _ => '\u{FFFD}',
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
                Diagnostic::new(Kind::NotUtf8, &file, "the file is not valid UTF-8 text")
                    .at(Location::of_bytes(good, good.len()..good.len()))
                    .with_hint("save the file as UTF-8 (most editors: \"Save with encoding\")"),
            );
        }
    };
    let bom = text.starts_with('\u{feff}');
    if let Some(rest) = text.strip_prefix('\u{feff}') {
        text = rest.to_string();
    }
    if text.trim().is_empty() {
        return Err(
            Diagnostic::new(Kind::EmptyFile, &file, "the terms file is empty")
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
                Diagnostic::new(Kind::YamlSyntax, &file, "the YAML could not be read")
                    .with_hint("check the file is a single YAML document"),
            );
        }
    };
    match after_terms(&text, &root) {
        Some((at, true)) => {
            return Err(Diagnostic::new(
                Kind::MultiDocument,
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
                Kind::YamlSyntax,
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
        return Err(Diagnostic::new(Kind::EmptyFile, &file, message)
            .with_hint("start from `pactum new <template> <dir>`"));
    }
    if let Some(node) = too_deep(&root, 0) {
        let d = Diagnostic::new(Kind::TooDeep, &file, too_deep_message());
        return Err(at_node(d, &text, &node));
    }
    if let Some((node, path, c)) = find_char(&root, is_refused_control) {
        let message = format!("`{path}` contains the control character U+{:04X}", c as u32);
        let d = Diagnostic::new(Kind::ControlCharacter, &file, message)
            .at_path(path)
            .with_hint(
                "remove the escape (such as `\\x07` or `\\e`); agreements can only hold printable text",
            );
        return Err(at_node(d, &text, &node));
    }
    if let Some((node, path, c)) = find_char(&root, is_bidi_override) {
        let message = format!(
            "`{path}` contains U+{:04X} ({}), which makes its text print in a different order from the order it is written in",
            c as u32,
            bidi_name(c)
        );
        let d = Diagnostic::new(Kind::BidiOverride, &file, message)
            .at_path(path)
            .with_hint(
                "remove it: right-to-left scripts are ordered by themselves; where a mixed-direction run needs help, use the isolates U+2066–U+2069 or the marks U+200E/U+200F",
            );
        return Err(at_node(d, &text, &node));
    }
    Ok(RawTerms {
        file,
        text,
        bom,
        root,
    })
}

fn too_deep_message() -> String {
    format!("values are nested more than {MAX_DEPTH} levels deep")
}

fn too_deep_at(file: &str, at: Location) -> Diagnostic {
    Diagnostic::new(Kind::TooDeep, file, too_deep_message()).at(at)
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

/// `d` placed at `node` (when the node has a position).
fn at_node(d: Diagnostic, text: &str, node: &Node) -> Diagnostic {
    match node_location(text, node) {
        Some(loc) => d.at(loc),
        None => d,
    }
}

/// The location of a node's start, if it has one.
pub fn node_location(text: &str, node: &Node) -> Option<Location> {
    let m = node.span().start()?;
    Some(Location::of_line_column(text, m.line(), m.column()))
}

/// A text scalar's value with its paragraphs as the user typed them. YAML folds a blank line
/// into one line break in a folded (`>`), quoted or plain scalar, so there a lone break is a
/// paragraph break and becomes a blank line; a literal (`|`) scalar keeps its breaks as they are.
/// A folded scalar's more-indented lines keep their own breaks, as YAML keeps them.
pub fn as_typed(text: &str, node: &Node, value: &str) -> String {
    if !value.contains('\n') || is_literal(text, node) {
        return value.to_string();
    }
    let chars: Vec<char> = value.chars().collect();
    let mut out = String::with_capacity(value.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        out.push(c);
        let lone = c == '\n'
            && i > 0
            && chars[i - 1] != '\n'
            && chars.get(i + 1).is_some_and(|n| !n.is_whitespace());
        if lone {
            out.push('\n');
        }
    }
    out
}

/// Whether `node` is a literal block scalar: the last word before its content, on an earlier
/// line, is a `|` indicator (`|`, `|-`, `|+`, `|2`), a comment after it aside.
fn is_literal(text: &str, node: &Node) -> bool {
    let Some(start) = node_location(text, node).map(|l| l.bytes.start) else {
        return false;
    };
    let before = text.get(..start).unwrap_or_default();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    if !before[line_start..].trim().is_empty() {
        return false; // the value starts on its key's line: plain or quoted
    }
    let header = before.trim_end().rsplit('\n').next().unwrap_or_default();
    let header = header.split(" #").next().unwrap_or_default();
    header.split_whitespace().last().is_some_and(|word| {
        word.starts_with('|')
            && word[1..]
                .chars()
                .all(|c| matches!(c, '-' | '+' | '1'..='9'))
    })
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

/// The first key or value holding a `refused` character: the node, the term's path (control
/// characters in it shown as `\u{7}`) and the character. This finds a control character written
/// as an escape (`"\x07"`, `"\e"`), which the check of the raw text cannot see. Keys are
/// checked too, since problems echo them.
fn find_char(node: &Node, refused: fn(char) -> bool) -> Option<(Node, String, char)> {
    let (hit, mut steps, c) = find_in(node, refused)?;
    steps.reverse();
    let mut path = String::new();
    for step in steps {
        match step {
            Step::Key(k) => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(&printable(k));
            }
            Step::Index(i) => path.push_str(&format!("[{i}]")),
        }
    }
    Some((hit, path, c))
}

/// One step of a term's path, innermost first as [`find_in`] returns them.
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// What [`find_in`] found: the node, the path to it (innermost step first), the character.
type Found<'a> = (Node, Vec<Step<'a>>, char);

/// [`find_char`]'s walk: the path is only spelt out for the node found (a terms file without
/// refused characters, nearly every one, costs no allocation per key).
fn find_in(node: &Node, refused: fn(char) -> bool) -> Option<Found<'_>> {
    let bad = |s: &str| s.chars().find(|&c| refused(c));
    fn with<'a>(found: Option<Found<'a>>, step: Step<'a>) -> Option<Found<'a>> {
        found.map(|(n, mut steps, c)| {
            steps.push(step);
            (n, steps, c)
        })
    }
    match node {
        Node::Scalar(s) => bad(s.as_str()).map(|c| (node.clone(), Vec::new(), c)),
        Node::Mapping(m) => m.iter().find_map(|(k, v)| match bad(k.as_str()) {
            Some(c) => Some((Node::from(k.clone()), vec![Step::Key(k.as_str())], c)),
            None => with(find_in(v, refused), Step::Key(k.as_str())),
        }),
        Node::Sequence(s) => s
            .iter()
            .enumerate()
            .find_map(|(i, v)| with(find_in(v, refused), Step::Index(i))),
    }
}

/// `s` with control characters spelt out (`\u{1b}`), for echoing untrusted text in a message.
fn printable(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() || is_bidi_override(c) {
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

/// Bidirectional embeddings and overrides (U+202A–U+202E): they make a printed term read in a
/// different order from its characters (what a diff, a search or a copy-paste sees), the
/// "Trojan Source" trick. Isolates and directional marks only order neutral characters, and
/// mixed Hebrew/Arabic and Latin text may need them, so they stay allowed.
fn is_bidi_override(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}')
}

fn bidi_name(c: char) -> &'static str {
    match c {
        '\u{202A}' => "LEFT-TO-RIGHT EMBEDDING",
        '\u{202B}' => "RIGHT-TO-LEFT EMBEDDING",
        '\u{202C}' => "POP DIRECTIONAL FORMATTING",
        '\u{202D}' => "LEFT-TO-RIGHT OVERRIDE",
        _ => "RIGHT-TO-LEFT OVERRIDE",
    }
}

/// Refuse C0/C1 control characters other than tab, newline and carriage return: they cannot
/// be printed, so a term holding one could never appear verbatim in the agreement.
fn check_control_chars(file: &str, text: &str) -> Option<Diagnostic> {
    let (i, c) = text.char_indices().find(|&(_, c)| is_refused_control(c))?;
    Some(
        Diagnostic::new(
            Kind::ControlCharacter,
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
            Kind::NotAMapping,
            file,
            "the terms file must be a mapping of `key: value` lines",
        )
        .at(at(&m)),
        UnexpectedAnchor(m) => Diagnostic::new(
            Kind::YamlAnchor,
            file,
            "YAML anchors and aliases (`&name`, `*name`) are not allowed in terms",
        )
        .at(property_location(text, at(&m), '&'))
        .with_hint("write each value out in full"),
        UnexpectedTag(m) => Diagnostic::new(
            Kind::YamlTag,
            file,
            "YAML tags (`!tag`) are not allowed in terms",
        )
        .at(property_location(text, at(&m), '!'))
        .with_hint("write the value as plain text, without `!…`"),
        MappingKeyMustBeScalar(m) => {
            Diagnostic::new(Kind::YamlSyntax, file, "a key must be plain text").at(at(&m))
        }
        DuplicateKey(inner) => {
            let first = inner
                .prev_key
                .span()
                .start()
                .map(|m| format!(" (first given on line {})", m.line()));
            let mut d = Diagnostic::new(
                Kind::DuplicateKey,
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
            let mut d =
                Diagnostic::new(Kind::YamlSyntax, file, format!("YAML syntax error: {info}"))
                    .at(at(&m));
            if info.contains("recursion limit") {
                d = too_deep_at(file, at(&m));
            } else if info.contains("tab") {
                d = d.with_hint("indent with spaces, not tabs");
            } else if info.contains("anchor") || info.contains("alias") {
                d = Diagnostic::new(
                    Kind::YamlAnchor,
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
        Kind::TooLarge,
        file,
        format!("the terms file is {len} bytes; the limit is {MAX_BYTES} bytes (1 MiB)"),
    )
    .with_hint("a terms file holds terms, not documents: move long annexes out")
}

fn io_error(file: &str, e: &std::io::Error) -> Diagnostic {
    Diagnostic::new(Kind::Io, file, format!("cannot read the file: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each style's value of `key`, as typed.
    fn typed(yaml: &str, key: &str) -> String {
        let raw = parse("f.yaml".into(), yaml.as_bytes().to_vec()).unwrap();
        let node = raw.root.as_mapping().unwrap().get_node(key).unwrap();
        as_typed(&raw.text, node, node.as_scalar().unwrap().as_str())
    }

    #[test]
    fn a_blank_line_is_a_paragraph_break_in_every_style() {
        let yaml = "folded: >-\n  one\n  two\n\n  three\n\
                    quoted: \"one\n\n  two\"\n\
                    single: 'one\n\n  two'\n\
                    plain: one\n  more\n\n  two\n\
                    literal: |-\n  one\n  two\n\n  three\n\
                    commented: |- # a note\n  one\n  two\n\
                    nested: >\n  intro\n\n    - kept\n    - as is\n";
        assert_eq!(typed(yaml, "folded"), "one two\n\nthree");
        assert_eq!(typed(yaml, "quoted"), "one\n\ntwo");
        assert_eq!(typed(yaml, "single"), "one\n\ntwo");
        assert_eq!(typed(yaml, "plain"), "one more\n\ntwo");
        assert_eq!(typed(yaml, "literal"), "one\ntwo\n\nthree");
        assert_eq!(typed(yaml, "commented"), "one\ntwo");
        assert_eq!(typed(yaml, "nested"), "intro\n\n  - kept\n  - as is\n");
    }
}
