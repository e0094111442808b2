//! Mapping a line of filled Typst source back to the template file and line it came from, so
//! a Typst error in a template is reported where the template author can fix it. A template
//! line matches a filled line when its literal text (everything outside `{{…}}`) appears in
//! the filled line in order; the line with the most literal text matched wins.

use super::Template;

/// Where in a template file a line of filled source came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateLine {
    pub label: String,
    pub line: usize,
    pub text: String,
}

impl Template {
    /// The template line that produced `filled_line`, if one is recognisable.
    pub fn locate(&self, filled_line: &str) -> Option<TemplateLine> {
        let target = filled_line.trim();
        if target.is_empty() {
            return None;
        }
        let mut best: Option<(usize, TemplateLine)> = None;
        for file in &self.files {
            if !file.rel.ends_with(".hbs") {
                continue;
            }
            for (i, line) in file.text.lines().enumerate() {
                let Some(score) = literal_match(line, target) else {
                    continue;
                };
                if best.as_ref().is_none_or(|(s, _)| score > *s) {
                    let found = TemplateLine {
                        label: file.label.clone(),
                        line: i + 1,
                        text: line.to_string(),
                    };
                    best = Some((score, found));
                }
            }
        }
        best.map(|(_, line)| line)
    }
}

/// How many literal characters of `template_line` match `filled`, if all its pieces do.
fn literal_match(template_line: &str, filled: &str) -> Option<usize> {
    let pieces = literal_pieces(template_line);
    let total: usize = pieces.iter().map(|p| p.len()).sum();
    if total < 3 {
        return None;
    }
    let mut rest = filled;
    for piece in &pieces {
        let at = rest.find(piece.as_str())?;
        rest = &rest[at + piece.len()..];
    }
    Some(total)
}

fn literal_pieces(line: &str) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut rest = line.trim();
    while let Some(open) = rest.find("{{") {
        pieces.push(rest[..open].trim().to_string());
        rest = match rest[open..].find("}}") {
            Some(close) => &rest[open + close + 2..],
            None => "",
        };
    }
    pieces.push(rest.trim().to_string());
    pieces.into_iter().filter(|p| !p.is_empty()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_skip_expressions() {
        assert_eq!(literal_pieces("= {{title}} <costs>"), vec!["=", "<costs>"]);
        assert_eq!(
            literal_match("#set text(size: {{x}}pt)", "#set text(size: 11pt)"),
            Some(18)
        );
        assert_eq!(literal_match("#foo()", "#bar()"), None);
    }
}
