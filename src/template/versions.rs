//! Several language versions in one document. Each version is the template filled in one
//! language; this module puts them together one after another ([`Layout::Consecutive`]) or
//! side by side, article by article, in parallel columns ([`Layout::Parallel`]). It works on
//! the filled Typst source through its syntax tree (never evaluating it): labels and
//! references get a language suffix so every version keeps its own (`<costs-sv>`), and a
//! version is cut into sections at its article headings so that the same article of every
//! language shares a row.

use typst_syntax::{LinkedNode, SyntaxKind, SyntaxNode, ast};

use super::clauses::{clause_heading, label_after};
use crate::terms::Terms;
use crate::terms::settings::LayoutChoice;

/// How the language versions of a document are arranged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// One language: nothing to arrange.
    Single,
    /// Columns side by side, one row per article.
    Parallel,
    /// One whole version after another, each with its own signatures.
    Consecutive,
}

impl Layout {
    /// The layout the terms ask for (`layout`), else parallel for two languages and
    /// consecutive for three or more.
    pub fn of(terms: &Terms, languages: usize) -> Self {
        if languages <= 1 {
            return Layout::Single;
        }
        match terms.settings.layout {
            Some(LayoutChoice::Parallel) => Layout::Parallel,
            Some(LayoutChoice::Consecutive) => Layout::Consecutive,
            _ if languages == 2 => Layout::Parallel,
            _ => Layout::Consecutive,
        }
    }

    /// How many versions stand side by side.
    pub fn columns(self, languages: usize) -> usize {
        match self {
            Layout::Parallel => languages,
            _ => 1,
        }
    }
}

/// The whole document: the layout's set-up (`head`) and every language's filled body.
pub fn assemble(
    head: &str,
    languages: &[String],
    bodies: &[String],
    layout: Layout,
) -> Result<String, String> {
    let mut out = String::from(head);
    out.push('\n');
    match layout {
        Layout::Single => out.push_str(&bodies[0]),
        Layout::Consecutive => {
            for (i, (lang, body)) in languages.iter().zip(bodies).enumerate() {
                if i > 0 {
                    out.push_str("\n#pagebreak()\n");
                }
                out.push_str(&format!("#language-version(\"{lang}\")[\n"));
                out.push_str(&with_language_labels(body, lang));
                out.push_str("\n]\n");
            }
        }
        Layout::Parallel => {
            let versions: Vec<Vec<Section>> = languages
                .iter()
                .zip(bodies)
                .map(|(lang, body)| sections(&with_language_labels(body, lang), lang))
                .collect();
            let ids = |v: &[Section]| v.iter().map(|s| s.id.clone()).collect::<Vec<_>>();
            let first = &versions[0];
            for (lang, version) in languages.iter().zip(&versions).skip(1) {
                if ids(version) != ids(first) {
                    return Err(format!(
                        "the {lang} text has other articles than the {} text, so they cannot stand \
                         side by side: {} against {}",
                        languages[0],
                        ids(version).join(", "),
                        ids(first).join(", ")
                    ));
                }
            }
            for (row, section) in first.iter().enumerate() {
                out.push_str("#parallel-row(\n");
                for version in &versions {
                    out.push_str("[\n");
                    out.push_str(&version[row].text);
                    out.push_str("\n],\n");
                }
                out.push_str(")\n");
                if section.break_after {
                    out.push_str("#pagebreak(weak: true)\n");
                }
            }
        }
    }
    Ok(out)
}

/// A body with every label and reference suffixed by the language: `<costs>` → `<costs-sv>`,
/// `@costs` → `@costs-sv`, so that the versions of one document never share a label.
pub fn with_language_labels(body: &str, lang: &str) -> String {
    let root = typst_syntax::parse(body);
    let mut edits: Vec<usize> = Vec::new();
    collect_label_ends(&LinkedNode::new(&root), &mut edits);
    let mut out = body.to_string();
    let suffix = format!("-{lang}");
    for at in edits.into_iter().rev() {
        out.insert_str(at, &suffix);
    }
    out
}

/// Byte offsets where a label's or reference's name ends.
fn collect_label_ends(node: &LinkedNode, out: &mut Vec<usize>) {
    match node.kind() {
        SyntaxKind::Label => out.push(node.range().end - 1),
        SyntaxKind::RefMarker => out.push(node.range().end),
        _ => {
            for child in node.children() {
                collect_label_ends(&child, out);
            }
        }
    }
}

/// One row of a parallel layout: an article (or the preamble, or an unnumbered section).
#[derive(Debug, PartialEq)]
struct Section {
    /// The heading's label without its language suffix, `preamble`, or `#n` when unlabelled.
    id: String,
    text: String,
    /// A page break stood at the end of this section (it cannot stand inside a column).
    break_after: bool,
}

/// Cut a filled body at its article headings (level 1, markup or `#heading` call). A
/// top-level `#pagebreak(..)` is lifted out of the text and remembered.
fn sections(body: &str, lang: &str) -> Vec<Section> {
    let suffix = format!("-{lang}");
    let root = typst_syntax::parse(body);
    let children: Vec<&SyntaxNode> = root.children().collect();
    let mut out = vec![Section {
        id: "preamble".into(),
        text: String::new(),
        break_after: false,
    }];
    let mut offset = 0;
    let mut i = 0;
    while i < children.len() {
        let node = children[i];
        let is_hash = node.kind() == SyntaxKind::Hash;
        let code = if is_hash { children.get(i + 1) } else { None };
        let target = code.copied().unwrap_or(node);
        let len = node.len() + code.map_or(0, |c| c.len());
        let text = &body[offset..offset + len];
        if is_pagebreak(target) {
            if let Some(last) = out.last_mut() {
                last.break_after = true;
            }
        } else if clause_heading(target).is_some() {
            let rest: Vec<&SyntaxNode> = children[i + 1 + usize::from(code.is_some())..].to_vec();
            let id = label_after(&rest)
                .map(|l| l.strip_suffix(&suffix).unwrap_or(l).to_string())
                .unwrap_or_else(|| format!("#{}", out.len()));
            out.push(Section {
                id,
                text: text.to_string(),
                break_after: false,
            });
        } else if let Some(last) = out.last_mut() {
            last.text.push_str(text);
        }
        offset += len;
        i += 1 + usize::from(code.is_some());
    }
    if out[0].text.trim().is_empty() && !out[0].break_after {
        out.remove(0);
    }
    out
}

fn is_pagebreak(node: &SyntaxNode) -> bool {
    node.cast::<ast::FuncCall>().is_some_and(
        |call| matches!(call.callee(), ast::Expr::Ident(i) if i.as_str() == "pagebreak"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_and_references_get_the_language() {
        let body =
            "= Costs <costs>\nSee @terms and \\@not-a-ref.\n#heading(numbering: none)[X] <x>";
        assert_eq!(
            with_language_labels(body, "zh-TW"),
            "= Costs <costs-zh-TW>\nSee @terms-zh-TW and \\@not-a-ref.\n#heading(numbering: none)[X] <x-zh-TW>"
        );
    }

    #[test]
    fn a_body_splits_at_its_articles_and_lifts_page_breaks() {
        let body = "Title\n\n= A <a>\nText a.\n\n= B <b-sv>\nText b.\n#pagebreak(weak: true)\n#heading(numbering: none)[Annexes] <annexes-sv>\nX\n";
        let s = sections(body, "sv");
        let ids: Vec<&str> = s.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["preamble", "a", "b", "annexes"]);
        assert!(s[2].break_after && !s[1].break_after);
        assert!(!s[2].text.contains("pagebreak"));
        assert!(s[3].text.starts_with("#heading(numbering: none)[Annexes]"));
        assert_eq!(s[1].text, "= A <a>\nText a.\n\n");
    }
}
