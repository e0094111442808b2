//! Placeholders left in terms (`TODO`, `TBD`, `TBC`, `XXX`, `...`): fine in a draft, refused in
//! a final copy, each reported at its line with its term path.

use super::Terms;
use super::source::node_location;
use crate::diagnostic::Diagnostic;
use crate::diagnostic::Kind;

const MARKERS: &[&str] = &["TODO", "TBD", "TBC", "XXX", "FIXME"];

/// Every placeholder value in the terms.
pub fn find(terms: &Terms) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    super::each_text(&terms.root, &mut |path, node, text| {
        if !is_placeholder(text) {
            return;
        }
        let text = text.trim();
        let mut d = Diagnostic::new(
            Kind::Placeholder,
            &terms.file,
            format!(
                "`{path}` still holds the placeholder `{text}`; a final copy needs the agreed value"
            ),
        )
        .at_path(path);
        if let Some(loc) = node_location(&terms.text, node) {
            d = d.at(loc);
        }
        found.push(d);
    });
    found
}

fn is_placeholder(text: &str) -> bool {
    let t = text.trim();
    t == "..."
        || t == "…"
        || t.split(|c: char| !c.is_alphanumeric())
            .any(|w| MARKERS.contains(&w))
}
