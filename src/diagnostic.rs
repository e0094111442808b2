//! Diagnostics: the one shape every stage reports a problem in, and the two ways it reaches a
//! person or a tool — rustc-style text with a source snippet (codespan-reporting) or JSON.
//!
//! A diagnostic names the file, the line and column (1-based), the term's path when the problem
//! is in a term (`parties[1].representative.name`) and a stable `kind` that tests and editors
//! can match on. This module knows nothing about YAML, templates or Typst.

use std::io::Write;

use codespan_reporting::diagnostic::{Diagnostic as Snippet, Label};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, termcolor};
use serde::Serialize;

/// Where in a source file a problem sits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    /// Byte range in the file's text (for the snippet); not serialized.
    #[serde(skip)]
    pub bytes: std::ops::Range<usize>,
}

impl Location {
    /// The location of a byte range in `text`.
    pub fn of_bytes(text: &str, bytes: std::ops::Range<usize>) -> Self {
        let start = floor_char_boundary(text, bytes.start.min(text.len()));
        let end = floor_char_boundary(text, bytes.end.clamp(start, text.len()));
        let before = &text[..start];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = text[line_start..start].chars().count() + 1;
        Self {
            line,
            column,
            bytes: start..end,
        }
    }

    /// The location of a 1-based line and column; the byte range runs to the end of the token.
    pub fn of_line_column(text: &str, line: usize, column: usize) -> Self {
        let line_start = text
            .split_inclusive('\n')
            .take(line.saturating_sub(1))
            .map(str::len)
            .sum::<usize>();
        let rest = &text[line_start.min(text.len())..];
        let start = line_start
            + rest
                .char_indices()
                .nth(column.saturating_sub(1))
                .map_or(rest.len(), |(i, _)| i);
        let start = start.min(text.len());
        let token = text[start..]
            .find(|c: char| c.is_whitespace() || c == ':' || c == ',')
            .unwrap_or(text.len() - start);
        // Past the end of the text (the parser's end-of-input mark), the line and column are
        // where the text ends, as the snippet shows them.
        Self::of_bytes(text, start..start + token)
    }
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The stable class of a problem: what tests, editors and scripts match on (`error[kind]`,
/// `"kind"` in JSON). The README lists every one; a test keeps the two in step.
macro_rules! kinds {
    ($($(#[$doc:meta])* $variant:ident => $name:literal,)*) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Kind {
            $($(#[$doc])* $variant,)*
        }

        impl Kind {
            /// Every kind, in the README's order.
            pub const ALL: &[Kind] = &[$(Kind::$variant,)*];

            /// The kind as printed: `unknown-key`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Kind::$variant => $name,)*
                }
            }
        }
    };
}

kinds! {
    /// The terms file is not valid YAML.
    YamlSyntax => "yaml-syntax",
    /// A term has the wrong type (text for a number, a list for a mapping, …).
    WrongType => "wrong-type",
    /// A term the template does not declare.
    UnknownKey => "unknown-key",
    /// A required term is missing.
    MissingTerm => "missing-term",
    /// A term's value is not allowed (out of range, not one of the choices, …).
    InvalidValue => "invalid-value",
    /// A final copy still holds a placeholder (`TODO`, `TBD`, …).
    Placeholder => "placeholder",
    /// The terms file is empty.
    EmptyFile => "empty-file",
    /// The terms file is not UTF-8 text.
    NotUtf8 => "not-utf8",
    /// The terms file is larger than pactum reads.
    TooLarge => "too-large",
    /// Values nested deeper than pactum reads.
    TooDeep => "too-deep",
    /// A key given twice in one mapping.
    DuplicateKey => "duplicate-key",
    /// A YAML anchor or alias (refused: terms are plain data).
    YamlAnchor => "yaml-anchor",
    /// A YAML tag (refused: terms are plain data).
    YamlTag => "yaml-tag",
    /// More than one YAML document in the file.
    MultiDocument => "multi-document",
    /// The file is not a mapping of terms.
    NotAMapping => "not-a-mapping",
    /// A control character in a key or value.
    ControlCharacter => "control-character",
    /// A bidirectional embedding or override character.
    BidiOverride => "bidi-override",
    /// A folder or special file where a terms file was expected.
    NotAFile => "not-a-file",
    /// A file could not be read.
    Io => "io",
    /// The terms name a template pactum does not have.
    UnknownTemplate => "unknown-template",
    /// A template is broken (handlebars syntax, an undeclared term).
    TemplateError => "template-error",
    /// Typst refused the filled document.
    TypstError => "typst-error",
    /// No font can show a character of the document.
    MissingFont => "missing-font",
    /// The layout prints text over text or at the page's edge (a final copy is refused).
    Layout => "layout",
    /// An output could not be written (or would overwrite a file).
    Output => "output",
    /// `pactum new` would overwrite an agreement folder.
    Exists => "exists",
    /// The command line names files that do not go together.
    Usage => "usage",
    /// `pactum.toml` is not valid.
    Config => "config",
    /// An agreement folder holds no `round-N.yaml`.
    NoRounds => "no-rounds",
    /// The round asked for does not exist.
    NoSuchRound => "no-such-round",
    /// A batch manifest cannot be read.
    Manifest => "manifest",
    /// A PDF pactum cannot read or did not render.
    Pdf => "pdf",
    /// A DOCX pactum cannot read or did not make, or one whose round changed since (`import`).
    Docx => "docx",
    /// Signing failed: the identity, its password or certificate, or the PDF.
    Sign => "sign",
    /// A warning: free text whose register contradicts the legal status ("the Participants
    /// intend" in a binding text), or a binding text that calls itself a memorandum.
    Register => "register",
    /// A warning: the language versions differ in a number, date, name, reference or list
    /// (a final copy is refused unless the terms accept it: `parity: {accept: …}`).
    Parity => "parity",
}

impl Kind {
    /// Whether problems of this kind are warnings (printed, and the exit code stays 0).
    pub fn is_warning(self) -> bool {
        matches!(self, Kind::Register | Kind::Parity)
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Kind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// One problem found in one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Stable class of the problem, e.g. `unknown-key`, `yaml-syntax`, `typst-error`.
    pub kind: Kind,
    /// What is wrong, in one sentence.
    pub message: String,
    /// The file as the user named it; none for a problem that is in no file (a flag, the
    /// terminal, a value that [`Diagnostic::in_file`] places later).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// Line and column, when the problem has one.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// The term's path, when the problem is in a term.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// What to do about it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn new(kind: Kind, file: impl Into<String>, message: impl Into<String>) -> Self {
        Self::general(kind, message).in_file(file)
    }

    /// A problem in no file.
    pub fn general(kind: Kind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            file: None,
            location: None,
            path: None,
            hint: None,
        }
    }

    pub fn in_file(mut self, file: impl Into<String>) -> Self {
        self.file = Some(file.into());
        self
    }

    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }

    pub fn at_path(mut self, path: impl Into<String>) -> Self {
        let path = path.into();
        if !path.is_empty() {
            self.path = Some(path);
        }
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// `file:line:column` (or just `file`); none for a problem in no file.
    pub fn position(&self) -> Option<String> {
        let file = self.file.as_deref()?;
        Some(match &self.location {
            Some(l) => format!("{file}:{}:{}", l.line, l.column),
            None => file.to_string(),
        })
    }
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let level = if self.kind.is_warning() {
            "warning"
        } else {
            "error"
        };
        if let Some(position) = self.position() {
            write!(f, "{position}: ")?;
        }
        write!(f, "{level}[{}]: {}", self.kind, self.message)?;
        if let Some(path) = &self.path {
            write!(f, " (term `{path}`)")?;
        }
        Ok(())
    }
}

/// Problems found, with the texts of the files they point into (for snippets).
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub diagnostics: Vec<Diagnostic>,
    pub sources: std::collections::BTreeMap<String, String>,
}

impl Report {
    /// A report of problems in one file whose text is known.
    pub fn in_file(diagnostics: Vec<Diagnostic>, file: &str, text: &str) -> Self {
        let mut sources = std::collections::BTreeMap::new();
        sources.insert(file.to_string(), text.to_string());
        Self {
            diagnostics,
            sources,
        }
    }

    /// Print every diagnostic rustc-style.
    pub fn emit(&self, color: bool, out: &mut dyn Write) {
        emit(
            &self.diagnostics,
            &|f| self.sources.get(f).map(String::as_str),
            color,
            out,
        );
    }
}

impl From<Diagnostic> for Report {
    fn from(d: Diagnostic) -> Self {
        Self {
            diagnostics: vec![d],
            sources: Default::default(),
        }
    }
}

/// Print diagnostics rustc-style: a header, the source line with a caret, the term path and a
/// hint. `source_of` gives the text of a file a diagnostic points into, when it is known.
pub fn emit<'s>(
    diagnostics: &[Diagnostic],
    source_of: &dyn Fn(&str) -> Option<&'s str>,
    color: bool,
    out: &mut dyn Write,
) {
    let mut files = SimpleFiles::new();
    let mut ids = std::collections::HashMap::new();
    let config = term::Config::default();
    let mut writer = if color {
        termcolor::Buffer::ansi()
    } else {
        termcolor::Buffer::no_color()
    };
    for d in diagnostics {
        let snippet = if d.kind.is_warning() {
            Snippet::warning()
        } else {
            Snippet::error()
        };
        let mut report = snippet.with_code(d.kind.as_str()).with_message(&d.message);
        // A snippet of a very long line (a 1 MiB one-line file) would flood the terminal.
        let text = (d.file.as_deref())
            .and_then(source_of)
            .filter(|t| d.location.as_ref().is_some_and(|l| line_len(t, l) <= 400));
        if let (Some(loc), Some(text), Some(file)) = (&d.location, text, &d.file) {
            let id = *ids
                .entry(file.clone())
                .or_insert_with(|| files.add(file.clone(), text.to_string()));
            let label = match &d.path {
                Some(p) => format!("in term `{p}`"),
                None => String::new(),
            };
            report = report.with_labels(vec![
                Label::primary(id, loc.bytes.clone()).with_message(label),
            ]);
        } else {
            let notes = match (d.position(), &d.path) {
                (Some(at), Some(p)) => vec![format!("in {at}, term `{p}`")],
                (Some(at), None) => vec![format!("in {at}")],
                (None, Some(p)) => vec![format!("in term `{p}`")],
                (None, None) => Vec::new(),
            };
            report = report.with_notes(notes);
        }
        if let Some(hint) = &d.hint {
            report.notes.push(format!("help: {hint}"));
        }
        if term::emit(&mut writer, &config, &files, &report).is_err() {
            // The snippet could not be drawn (e.g. the file changed); fall back to one line.
            let _ = writeln!(writer, "{d}");
        }
    }
    let _ = out.write_all(writer.as_slice());
    let _ = out.flush();
}

/// Length in bytes of the line a location is on.
fn line_len(text: &str, loc: &Location) -> usize {
    let start = text[..loc.bytes.start.min(text.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    text[start..].find('\n').unwrap_or(text.len() - start)
}

/// The diagnostics as a JSON array (for `--format json`).
pub fn to_json(diagnostics: &[Diagnostic]) -> serde_json::Value {
    let values = diagnostics.iter().map(|d| {
        let mut v = serde_json::to_value(d).unwrap_or(serde_json::Value::Null);
        if let serde_json::Value::Object(map) = &mut v {
            let severity = if d.kind.is_warning() {
                "warning"
            } else {
                "error"
            };
            map.insert("severity".into(), severity.into());
        }
        v
    });
    serde_json::Value::Array(values.collect())
}

#[cfg(test)]
mod tests {
    use super::Kind;

    /// The README's list of kinds is exactly [`Kind::ALL`], in order.
    #[test]
    fn the_readme_lists_every_kind() {
        let readme = include_str!("../README.md");
        let start = readme
            .find("Every diagnostic has a stable `kind`")
            .expect("README lists the kinds");
        let end = start
            + readme[start..]
                .find("The corpus in")
                .expect("end of the list");
        let listed: Vec<&str> = readme[start..end]
            .split('`')
            .skip(1)
            .step_by(2)
            .filter(|w| {
                !w.is_empty()
                    && w.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            })
            .filter(|w| {
                !matches!(
                    *w,
                    "kind" | "severity" | "file" | "line" | "column" | "path" | "message" | "hint"
                )
            })
            .collect();
        let all: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
        assert_eq!(listed, all);
    }
}
