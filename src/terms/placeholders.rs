//! Placeholders left in terms (`TODO`, `TBD`, `TBC`, `XXX`, `...`): fine in a draft, refused in
//! a final copy, each reported at its line with its term path.

use marked_yaml::Node;

use super::Terms;
use super::source::node_location;
use crate::diagnostic::Diagnostic;

const MARKERS: &[&str] = &["TODO", "TBD", "TBC", "XXX", "FIXME"];

/// Every placeholder value in the terms.
pub fn find(terms: &Terms) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    walk(&terms.root, String::new(), &mut |path, node, text| {
        let mut d = Diagnostic::new(
            "placeholder",
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

fn walk(node: &Node, path: String, report: &mut dyn FnMut(&str, &Node, &str)) {
    match node {
        Node::Mapping(map) => {
            for (key, child) in map.iter() {
                let child_path = if path.is_empty() {
                    key.as_str().to_string()
                } else {
                    format!("{path}.{}", key.as_str())
                };
                walk(child, child_path, report);
            }
        }
        Node::Sequence(seq) => {
            for (i, child) in seq.iter().enumerate() {
                walk(child, format!("{path}[{i}]"), report);
            }
        }
        Node::Scalar(s) => {
            let text = s.as_str();
            if is_placeholder(text) {
                report(&path, node, text.trim());
            }
        }
    }
}

fn is_placeholder(text: &str) -> bool {
    let t = text.trim();
    t == "..."
        || t == "…"
        || t.split(|c: char| !c.is_alphanumeric())
            .any(|w| MARKERS.contains(&w))
}
