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
        let token = text[start.min(text.len())..]
            .find(|c: char| c.is_whitespace() || c == ':' || c == ',')
            .unwrap_or(text.len() - start.min(text.len()));
        Self {
            line,
            column,
            bytes: start..start + token,
        }
    }
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// One problem found in one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Stable class of the problem, e.g. `unknown-key`, `yaml-syntax`, `typst-error`.
    pub kind: &'static str,
    /// What is wrong, in one sentence.
    pub message: String,
    /// The file as the user named it.
    pub file: String,
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
    pub fn new(kind: &'static str, file: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            file: file.into(),
            location: None,
            path: None,
            hint: None,
        }
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

    /// `file:line:column` (or just `file`).
    pub fn position(&self) -> String {
        match &self.location {
            Some(l) => format!("{}:{}:{}", self.file, l.line, l.column),
            None => self.file.clone(),
        }
    }
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: error[{}]: {}",
            self.position(),
            self.kind,
            self.message
        )?;
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
        let mut report = Snippet::error().with_code(d.kind).with_message(&d.message);
        // A snippet of a very long line (a 1 MiB one-line file) would flood the terminal.
        let text = source_of(&d.file)
            .filter(|t| d.location.as_ref().is_some_and(|l| line_len(t, l) <= 400));
        if let (Some(loc), Some(text)) = (&d.location, text) {
            let id = *ids
                .entry(d.file.clone())
                .or_insert_with(|| files.add(d.file.clone(), text.to_string()));
            let label = match &d.path {
                Some(p) => format!("in term `{p}`"),
                None => String::new(),
            };
            report = report.with_labels(vec![
                Label::primary(id, loc.bytes.clone()).with_message(label),
            ]);
        } else {
            let mut note = format!("in {}", d.position());
            if let Some(p) = &d.path {
                note.push_str(&format!(", term `{p}`"));
            }
            report = report.with_notes(vec![note]);
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
    serde_json::to_value(diagnostics).unwrap_or(serde_json::Value::Null)
}
