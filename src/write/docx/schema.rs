//! Word's element order. docx-rs writes a paragraph's properties with the paragraph mark's run
//! properties (`w:rPr`) first, and pactum adds its own (`w:autoSpaceDE`) where it can; the
//! schema (ECMA-376, `CT_PPr`) is a sequence, which Word reads strictly. Here each `w:pPr`'s
//! children are put in the schema's order, nothing else changed.

/// `CT_PPr`'s children in the schema's order.
const PPR: &[&str] = &[
    "pStyle",
    "keepNext",
    "keepLines",
    "pageBreakBefore",
    "framePr",
    "widowControl",
    "numPr",
    "suppressLineNumbers",
    "pBdr",
    "shd",
    "tabs",
    "suppressAutoHyphens",
    "kinsoku",
    "wordWrap",
    "overflowPunct",
    "topLinePunct",
    "autoSpaceDE",
    "autoSpaceDN",
    "bidi",
    "adjustRightInd",
    "snapToGrid",
    "spacing",
    "ind",
    "contextualSpacing",
    "mirrorIndents",
    "suppressOverlap",
    "jc",
    "textDirection",
    "textAlignment",
    "textboxTightWrap",
    "outlineLvl",
    "divId",
    "cnfStyle",
    "rPr",
    "sectPr",
    "pPrChange",
];

/// `xml` (a part's XML) with every paragraph's properties in the schema's order.
pub fn ordered(xml: &str) -> String {
    const OPEN: &str = "<w:pPr>";
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    while let Some(i) = rest.find(OPEN) {
        out.push_str(&rest[..i + OPEN.len()]);
        rest = &rest[i + OPEN.len()..];
        let (children, after) = children(rest);
        let mut sorted = children.clone();
        sorted.sort_by_key(|(name, _)| PPR.iter().position(|n| n == name).unwrap_or(PPR.len()));
        for (_, text) in sorted {
            out.push_str(text);
        }
        rest = &rest[after..];
    }
    out.push_str(rest);
    out
}

/// The elements at the start of `xml` up to the first closing tag (`</w:pPr>`), each with its
/// name, and where they end.
fn children(xml: &str) -> (Vec<(&str, &str)>, usize) {
    let mut out = Vec::new();
    let mut at = 0;
    while xml[at..].starts_with("<w:") {
        let start = at;
        let name_end = xml[at + 3..]
            .find([' ', '>', '/'])
            .map_or(xml.len(), |e| at + 3 + e);
        let name = &xml[at + 3..name_end];
        let Some(tag_end) = xml[at..].find('>').map(|e| at + e + 1) else {
            break;
        };
        at = if xml[..tag_end].ends_with("/>") {
            tag_end
        } else {
            match close(&xml[tag_end..], name) {
                Some(e) => tag_end + e,
                None => break,
            }
        };
        out.push((name, &xml[start..at]));
    }
    (out, at)
}

/// Where the element `name` opened just before `xml` closes (after its `</w:name>`), counting
/// the elements of the same name inside it.
fn close(xml: &str, name: &str) -> Option<usize> {
    let (open, end) = (format!("<w:{name}"), format!("</w:{name}>"));
    let mut depth = 1;
    let mut at = 0;
    loop {
        let next_end = xml[at..].find(&end)? + at;
        // An element of the same name opened (not self-closed) before that end nests.
        let nested = xml[at..next_end].match_indices(&open).find(|(i, _)| {
            let rest = &xml[at + i + open.len()..];
            rest.starts_with([' ', '>']) && !rest[..rest.find('>').unwrap_or(0) + 1].ends_with("/>")
        });
        match nested {
            Some((i, _)) => {
                depth += 1;
                at += i + open.len();
            }
            None => {
                depth -= 1;
                at = next_end + end.len();
                if depth == 0 {
                    return Some(at);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_paragraphs_properties_come_in_the_schemas_order() {
        let p = r#"<w:p><w:pPr><w:rPr><w:lang w:val="sv-SE" /></w:rPr><w:autoSpaceDE w:val="0" /><w:pStyle w:val="Title" /><w:keepNext /><w:jc w:val="center" /></w:pPr><w:r><w:rPr><w:b /></w:rPr></w:r></w:p>"#;
        assert_eq!(
            ordered(p),
            r#"<w:p><w:pPr><w:pStyle w:val="Title" /><w:keepNext /><w:autoSpaceDE w:val="0" /><w:jc w:val="center" /><w:rPr><w:lang w:val="sv-SE" /></w:rPr></w:pPr><w:r><w:rPr><w:b /></w:rPr></w:r></w:p>"#
        );
        // A tracked change of the properties holds properties of its own: they stay in it.
        let tracked = r#"<w:pPr><w:pPrChange w:id="1"><w:pPr><w:jc w:val="left" /></w:pPr></w:pPrChange><w:rPr /><w:jc w:val="center" /></w:pPr>"#;
        assert_eq!(
            ordered(tracked),
            r#"<w:pPr><w:jc w:val="center" /><w:rPr /><w:pPrChange w:id="1"><w:pPr><w:jc w:val="left" /></w:pPr></w:pPrChange></w:pPr>"#
        );
    }
}
