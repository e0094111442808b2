//! The next round's terms: round N's YAML text edited where each mapped change applies, so
//! that its comments, key order and formatting stay. A value is replaced at its scalar's
//! place (a double-quoted YAML string: the value is data, whatever it holds); a value given
//! per language changes in that language only, and a value the same for all languages
//! becomes one per language when it changes in some; a list entry is cut out with its lines;
//! a replaced part's text is added under `articles:`. A comment at the top names where the
//! proposal came from.

use marked_yaml::Node;

use crate::terms::node_at;

/// One edit of the text: bytes `range` replaced by `with`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub range: std::ops::Range<usize>,
    pub with: String,
}

/// `text` with `edits` applied (overlapping ones: the first kept).
pub fn apply(text: &str, mut edits: Vec<Edit>) -> String {
    edits.sort_by_key(|e| (e.range.start, e.range.end));
    let mut kept: Vec<Edit> = Vec::new();
    for e in edits {
        if kept.last().is_some_and(|k| e.range.start < k.range.end) {
            continue;
        }
        kept.push(e);
    }
    let mut out = text.to_string();
    for e in kept.iter().rev() {
        out.replace_range(e.range.clone(), &e.with);
    }
    out
}

/// `s` as a double-quoted YAML string.
pub fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

/// The byte offset of a node's start in `text`.
fn start_of(text: &str, node: &Node) -> Option<usize> {
    let m = node.span().start()?;
    // By line and column (from 1): a marker's character count drifts from the text's own
    // after some characters.
    let line_start = if m.line() <= 1 {
        0
    } else {
        text.match_indices('\n').nth(m.line() - 2)?.0 + 1
    };
    text[line_start..]
        .char_indices()
        .map(|(i, _)| line_start + i)
        .chain(std::iter::once(text.len()))
        .nth(m.column().saturating_sub(1))
}

/// The bytes of the scalar that starts at `start`: a quoted string to its closing quote, a
/// block scalar (`|`, `>`) through its more indented lines, a plain one to the end of its
/// line (or, in a flow collection, to the next `,`, `}` or `]`) and its continuation lines.
pub fn scalar_range(text: &str, start: usize) -> std::ops::Range<usize> {
    let rest = &text[start..];
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let indent = text[line_start..].chars().take_while(|c| *c == ' ').count();
    let first = rest.chars().next().unwrap_or(' ');
    let eol = |from: usize| text[from..].find('\n').map_or(text.len(), |i| from + i);
    match first {
        '"' | '\'' => {
            let mut escaped = false;
            let mut chars = rest.char_indices().skip(1).peekable();
            while let Some((i, c)) = chars.next() {
                if first == '"' && c == '\\' && !escaped {
                    escaped = true;
                    continue;
                }
                if c == first && !escaped {
                    if first == '\'' && chars.peek().is_some_and(|(_, n)| *n == '\'') {
                        chars.next();
                        continue;
                    }
                    return start..start + i + 1;
                }
                escaped = false;
            }
            start..text.len()
        }
        '|' | '>' => {
            let mut end = eol(start);
            let mut at = end;
            while at < text.len() {
                let next = at + 1;
                let line_end = eol(next);
                let line = &text[next..line_end];
                let ind = line.chars().take_while(|c| *c == ' ').count();
                if line.trim().is_empty() {
                    at = line_end;
                    continue;
                }
                if ind <= indent {
                    break;
                }
                end = line_end;
                at = line_end;
            }
            start..end
        }
        _ => {
            let flow = text[line_start..start].matches(['{', '[']).count()
                > text[line_start..start].matches(['}', ']']).count();
            let line_end = eol(start);
            let mut end = start;
            let line = &text[start..line_end];
            let mut stop = line.len();
            if let Some(i) = line.find(" #") {
                stop = i;
            }
            if flow && let Some(i) = line.find([',', '}', ']']) {
                stop = stop.min(i);
            }
            end += line[..stop].trim_end().len();
            if !flow && stop == line.len() {
                // Continuation lines, more indented than the key.
                let mut at = line_end;
                while at < text.len() {
                    let next = at + 1;
                    let le = eol(next);
                    let l = &text[next..le];
                    let ind = l.chars().take_while(|c| *c == ' ').count();
                    if l.trim().is_empty() || ind <= indent || l.trim_start().starts_with('#') {
                        break;
                    }
                    end = next + l.trim_end().len();
                    at = le;
                }
            }
            start..end
        }
    }
}

/// The edits giving the term at `path` the value `value` in the languages `langs` (of all
/// `languages`), or why they cannot be made.
pub fn set_value(
    text: &str,
    root: &Node,
    path: &str,
    langs: &[&str],
    languages: &[String],
    value: &str,
) -> Result<Vec<Edit>, String> {
    let node =
        node_at(root, path).ok_or_else(|| format!("`{path}` is not written in the terms"))?;
    match node {
        Node::Scalar(_) => {
            let start = start_of(text, node).ok_or("no position")?;
            let range = scalar_range(text, start);
            let all = languages.iter().all(|l| langs.contains(&l.as_str()));
            if all || languages.len() <= 1 {
                return Ok(vec![Edit {
                    range,
                    with: quoted(value),
                }]);
            }
            // One value for all languages, changed in some: one per language.
            let old = node
                .as_scalar()
                .map(|s| s.as_str().to_string())
                .unwrap_or_default();
            let old = old.split_whitespace().collect::<Vec<_>>().join(" ");
            let entries: Vec<String> = languages
                .iter()
                .map(|l| {
                    let v = if langs.contains(&l.as_str()) {
                        value
                    } else {
                        &old
                    };
                    format!("{l}: {}", quoted(v))
                })
                .collect();
            Ok(vec![Edit {
                range,
                with: format!("{{{}}}", entries.join(", ")),
            }])
        }
        Node::Mapping(map) => {
            let mut edits = Vec::new();
            for l in langs {
                let n = map
                    .get_node(l)
                    .ok_or_else(|| format!("`{path}` has no {l} text"))?;
                let start = start_of(text, n).ok_or("no position")?;
                edits.push(Edit {
                    range: scalar_range(text, start),
                    with: quoted(value),
                });
            }
            Ok(edits)
        }
        Node::Sequence(_) => Err(format!("`{path}` is a list")),
    }
}

/// The edit that cuts the list entry at `path` (`fields[4]`) out with its lines.
pub fn remove_entry(text: &str, root: &Node, path: &str) -> Result<Edit, String> {
    let node =
        node_at(root, path).ok_or_else(|| format!("`{path}` is not written in the terms"))?;
    let start = start_of(text, node).ok_or("no position")?;
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let head = &text[line_start..start];
    let dash = head
        .find("- ")
        .ok_or_else(|| format!("`{path}` is not a block list entry"))?;
    if !head[..dash].trim().is_empty() {
        return Err(format!("`{path}` is not a block list entry"));
    }
    let end = entry_end(text, start, dash);
    Ok(Edit {
        range: line_start..end,
        with: String::new(),
    })
}

/// Where the list entry whose dash stands in column `dash` and whose value starts at `start`
/// ends: after its lines, before the first later line indented no more than its dash.
fn entry_end(text: &str, start: usize, dash: usize) -> usize {
    let mut at = text[start..].find('\n').map_or(text.len(), |i| start + i);
    while at < text.len() {
        let next = at + 1;
        let le = text[next..].find('\n').map_or(text.len(), |i| next + i);
        let l = &text[next..le];
        let ind = l.chars().take_while(|c| *c == ' ').count();
        if !l.trim().is_empty() && ind <= dash {
            break;
        }
        at = le;
    }
    (at + 1).min(text.len())
}

/// The edit that sets the top-level `key`'s scalar to `value` (written as is: a number).
pub fn set_top(text: &str, root: &Node, key: &str, value: &str) -> Option<Edit> {
    let node = root.as_mapping()?.get_node(key)?;
    let start = start_of(text, node)?;
    Some(Edit {
        range: scalar_range(text, start),
        with: value.to_string(),
    })
}

/// The edit that adds `entries` (YAML list items, each indented two spaces) to the top-level
/// `articles:` list, or adds that list at the end.
pub fn add_articles(text: &str, root: &Node, entries: &str) -> Result<Edit, String> {
    let Some(node) = root.as_mapping().and_then(|m| m.get_node("articles")) else {
        let sep = if text.ends_with('\n') { "" } else { "\n" };
        return Ok(Edit {
            range: text.len()..text.len(),
            with: format!("{sep}articles:\n{entries}"),
        });
    };
    let seq = node.as_sequence().ok_or("`articles` is not a list")?;
    let last = seq.iter().last().ok_or("`articles` is an empty list")?;
    let start = start_of(text, last).ok_or("no position")?;
    // After the last entry's lines: the first later line indented no more than its dash.
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let dash = text[line_start..start]
        .find('-')
        .ok_or("`articles` is not a block list")?;
    let pos = entry_end(text, start, dash);
    let entries = if dash == 2 {
        entries.to_string()
    } else {
        entries
            .lines()
            .map(|l| format!("{}{}\n", " ".repeat(dash.saturating_sub(2)), l))
            .collect()
    };
    let sep = if pos == text.len() && !text.ends_with('\n') {
        "\n"
    } else {
        ""
    };
    Ok(Edit {
        range: pos..pos,
        with: format!("{sep}{entries}"),
    })
}

/// The edit that gives the `i`-th entry of `articles:` the place `after: <after>`: its
/// `after:` value replaced, or an `after:` line added under its `id:`.
pub fn set_after(text: &str, root: &Node, i: usize, after: &str) -> Result<Edit, String> {
    let entry = node_at(root, &format!("articles[{i}]"))
        .and_then(Node::as_mapping)
        .ok_or_else(|| format!("`articles[{i}]` is not a block entry"))?;
    if let Some(node) = entry.get_node("after") {
        let start = start_of(text, node).ok_or("no position")?;
        return Ok(Edit {
            range: scalar_range(text, start),
            with: after.to_string(),
        });
    }
    let id = entry.get_node("id").ok_or("no id")?;
    let start = start_of(text, id).ok_or("no position")?;
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let head = &text[line_start..start];
    let column = head
        .find("id:")
        .ok_or_else(|| format!("`articles[{i}]` is not a block entry"))?;
    if head[..column].contains('{') {
        return Err(format!("`articles[{i}]` is not a block entry"));
    }
    let end = text[start..].find('\n').map_or(text.len(), |e| start + e);
    Ok(Edit {
        range: end..end,
        with: format!("\n{}after: {after}", " ".repeat(column)),
    })
}

/// The edit that adds `id` to the top-level `omit:` list (flow or block), or adds that list.
pub fn add_omit(text: &str, root: &Node, id: &str) -> Result<Edit, String> {
    let Some(node) = root.as_mapping().and_then(|m| m.get_node("omit")) else {
        let sep = if text.ends_with('\n') || text.is_empty() {
            ""
        } else {
            "\n"
        };
        return Ok(Edit {
            range: text.len()..text.len(),
            with: format!("{sep}omit: [{id}]\n"),
        });
    };
    let seq = node.as_sequence().ok_or("`omit` is not a list")?;
    let start = start_of(text, node).ok_or("no position")?;
    if text[start..].starts_with('[') {
        let close = start + text[start..].find(']').ok_or("`omit` is not closed")?;
        let sep = if seq.is_empty() { "" } else { ", " };
        return Ok(Edit {
            range: close..close,
            with: format!("{sep}{id}"),
        });
    }
    let last = seq.iter().last().ok_or("`omit` is an empty list")?;
    let at = start_of(text, last).ok_or("no position")?;
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let dash = text[line_start..at]
        .find('-')
        .ok_or("`omit` is not a block list")?;
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    Ok(Edit {
        range: end..end,
        with: format!("\n{}- {id}", " ".repeat(dash)),
    })
}

/// A text as a literal block scalar's lines, indented `indent` spaces.
pub fn block(text: &str, indent: usize) -> String {
    let pad = " ".repeat(indent);
    let mut out = String::from("|-\n");
    for l in text.lines() {
        if l.is_empty() {
            out.push('\n');
        } else {
            out.push_str(&format!("{pad}{l}\n"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root(t: &str) -> Node {
        marked_yaml::parse_yaml(0, t).unwrap()
    }

    #[test]
    fn a_value_changes_in_its_language_only() {
        let t = "# kept\nname: {sv: Wang, zh-TW: 王, en: Wang}  # note\nsame: Lund\n";
        let langs = ["sv".to_string(), "zh-TW".to_string(), "en".to_string()];
        let e = set_value(t, &root(t), "name", &["zh-TW"], &langs, "林").unwrap();
        assert_eq!(
            apply(t, e),
            "# kept\nname: {sv: Wang, zh-TW: \"林\", en: Wang}  # note\nsame: Lund\n"
        );
        let e = set_value(t, &root(t), "same", &["en"], &langs, "Lunda").unwrap();
        assert_eq!(
            apply(t, e),
            "# kept\nname: {sv: Wang, zh-TW: 王, en: Wang}  # note\nsame: {sv: \"Lund\", zh-TW: \"Lund\", en: \"Lunda\"}\n"
        );
    }

    #[test]
    fn a_list_entry_goes_with_its_lines_and_omit_grows() {
        let t = "themes:\n  - title: A\n    description: a\n  - title: B\n    description: b\nomit: [costs]\n";
        let e = remove_entry(t, &root(t), "themes[0]").unwrap();
        let e2 = add_omit(t, &root(t), "review").unwrap();
        assert_eq!(
            apply(t, vec![e, e2]),
            "themes:\n  - title: B\n    description: b\nomit: [costs, review]\n"
        );
        let t = "round: 1\n";
        assert_eq!(
            apply(t, vec![add_omit(t, &root(t), "x").unwrap()]),
            "round: 1\nomit: [x]\n"
        );
    }

    #[test]
    fn an_entry_gets_its_place() {
        let t = "articles:\n  - id: a\n    title: A\n  - id: b # x\n    after: c\n";
        let e = set_after(t, &root(t), 0, "costs").unwrap();
        let e2 = set_after(t, &root(t), 1, "forms").unwrap();
        assert_eq!(
            apply(t, vec![e, e2]),
            "articles:\n  - id: a\n    after: costs\n    title: A\n  - id: b # x\n    after: forms\n"
        );
    }

    #[test]
    fn a_value_is_found_after_many_characters_of_other_scripts() {
        let t = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/agreements/lund-tainan/round-2.yaml"
        ))
        .unwrap();
        let langs = ["sv".to_string(), "zh-TW".to_string(), "en".to_string()];
        let e = set_value(
            &t,
            &root(&t),
            "signing.date",
            &["sv", "zh-TW", "en"],
            &langs,
            "2027-10-22",
        );
        assert_eq!(&t[e.unwrap()[0].range.clone()], "2027-10-15");
    }

    #[test]
    fn scalars_end_where_yaml_ends_them() {
        let t = "a: plain value # note\nb: \"q \\\" x\"\nc: {sv: Lund, en: Lund}\nd: |\n  one\n  two\ne: x\n";
        let at = |s: &str| t.find(s).unwrap();
        assert_eq!(&t[scalar_range(t, at("plain"))], "plain value");
        assert_eq!(&t[scalar_range(t, at("\"q"))], "\"q \\\" x\"");
        assert_eq!(&t[scalar_range(t, at("Lund"))], "Lund");
        assert_eq!(&t[scalar_range(t, at("|"))], "|\n  one\n  two");
    }
}
