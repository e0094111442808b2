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
    let text = String::from_utf8_lossy(&bytes)
        .trim_start_matches('\u{feff}')
        .to_string();
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
            let good = String::from_utf8_lossy(&e.as_bytes()[..valid]).into_owned();
            return Err(
                Diagnostic::new("not-utf8", &file, "the file is not valid UTF-8 text")
                    .at(Location::of_bytes(&good, valid..valid))
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
    if let Some(node) = too_deep(&root, 0) {
        let loc = node_location(&text, &node);
        let mut d = Diagnostic::new(
            "too-deep",
            &file,
            format!("values are nested more than {MAX_DEPTH} levels deep"),
        );
        if let Some(loc) = loc {
            d = d.at(loc);
        }
        return Err(d);
    }
    Ok(RawTerms { file, text, root })
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

/// Refuse C0/C1 control characters other than tab, newline and carriage return: they cannot
/// be printed, so a term holding one could never appear verbatim in the agreement.
fn check_control_chars(file: &str, text: &str) -> Option<Diagnostic> {
    let (i, c) = text
        .char_indices()
        .find(|&(_, c)| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))?;
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
        .at(at(&m))
        .with_hint("write each value out in full"),
        UnexpectedTag(m) => Diagnostic::new(
            "yaml-tag",
            file,
            "YAML tags (`!tag`) are not allowed in terms",
        )
        .at(at(&m)),
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
                    inner.key.as_str(),
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
            if info.contains("tab") {
                d = d.with_hint("indent with spaces, not tabs");
            } else if info.contains("anchor") || info.contains("alias") {
                d = Diagnostic::new(
                    "yaml-anchor",
                    file,
                    "YAML anchors and aliases (`&name`, `*name`) are not allowed in terms",
                )
                .at(at(&m));
            }
            d
        }
    }
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
