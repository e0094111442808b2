//! Word's element order. docx-rs writes a paragraph's properties with the paragraph mark's run
//! properties (`w:rPr`) first, a section's footer reference last, a style's run properties
//! before its paragraph's, and the settings in an order of its own; pactum adds its own
//! elements (`w:autoSpaceDE`, `w:autoHyphenation`) where it can. The schema (ISO/IEC 29500
//! transitional: `CT_PPr`, `CT_SectPr`, `CT_Style`, `CT_Settings`) makes each a sequence,
//! which Word reads strictly. Here their children are put in the schema's order, and the one
//! attribute docx-rs writes that the schema lacks (a grid column's `w:type`) is dropped;
//! nothing else changes.

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

/// `CT_SectPr`'s children (the header and footer references, any number, first).
const SECT_PR: &[&str] = &[
    "headerReference",
    "footerReference",
    "footnotePr",
    "endnotePr",
    "type",
    "pgSz",
    "pgMar",
    "paperSrc",
    "pgBorders",
    "lnNumType",
    "pgNumType",
    "cols",
    "formProt",
    "vAlign",
    "noEndnote",
    "titlePg",
    "textDirection",
    "bidi",
    "rtlGutter",
    "docGrid",
    "printerSettings",
    "sectPrChange",
];

/// `CT_Style`'s children.
const STYLE: &[&str] = &[
    "name",
    "aliases",
    "basedOn",
    "next",
    "link",
    "autoRedefine",
    "hidden",
    "uiPriority",
    "semiHidden",
    "unhideWhenUsed",
    "qFormat",
    "locked",
    "personal",
    "personalCompose",
    "personalReply",
    "rsid",
    "pPr",
    "rPr",
    "tblPr",
    "trPr",
    "tcPr",
    "tblStylePr",
];

/// `CT_Settings`'s children up to the compatibility settings (those docx-rs and pactum
/// write among them; one not named here keeps its place after them).
const SETTINGS: &[&str] = &[
    "writeProtection",
    "view",
    "zoom",
    "removePersonalInformation",
    "removeDateAndTime",
    "doNotDisplayPageBoundaries",
    "displayBackgroundShape",
    "mirrorMargins",
    "gutterAtTop",
    "hideSpellingErrors",
    "hideGrammaticalErrors",
    "proofState",
    "attachedTemplate",
    "documentType",
    "revisionView",
    "trackRevisions",
    "doNotTrackMoves",
    "doNotTrackFormatting",
    "documentProtection",
    "defaultTabStop",
    "autoHyphenation",
    "consecutiveHyphenLimit",
    "hyphenationZone",
    "doNotHyphenateCaps",
    "evenAndOddHeaders",
    "characterSpacingControl",
    "updateFields",
    "footnotePr",
    "endnotePr",
    "compat",
    "docVars",
    "rsids",
];

/// `xml` (the document, a header or a footer) with every paragraph's and section's
/// properties in the schema's order, and no grid column's `w:type`.
pub fn ordered(xml: &str) -> String {
    let xml = in_order(&in_order(xml, "pPr", PPR), "sectPr", SECT_PR);
    const GRID_COL: &str = "<w:gridCol ";
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml.as_str();
    while let Some(i) = rest.find(GRID_COL) {
        let end = rest[i..].find('>').map_or(rest.len(), |e| i + e + 1);
        out.push_str(&rest[..i]);
        out.push_str(&rest[i..end].replace(r#" w:type="dxa""#, ""));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// `styles` (`word/styles.xml`) with each style's children and paragraph properties in the
/// schema's order, and no run properties among a style's paragraph properties (docx-rs
/// writes an empty one, where the schema has none).
pub fn ordered_styles(styles: &str) -> String {
    // Sorted, an empty `w:rPr` ends its paragraph properties.
    in_order(&in_order(styles, "style", STYLE), "pPr", PPR).replace("<w:rPr /></w:pPr>", "</w:pPr>")
}

/// `settings` (`word/settings.xml`) in the schema's order.
pub fn ordered_settings(settings: &str) -> String {
    in_order(settings, "settings", SETTINGS)
}

/// `xml` with the children of each `<w:parent>` sorted as `order` names them (one it does
/// not name after those it does, in its place among them).
fn in_order(xml: &str, parent: &str, order: &[&str]) -> String {
    let open = format!("<w:{parent}");
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    while let Some(i) = rest.find(&open) {
        let after_name = &rest[i + open.len()..];
        let Some(end) = after_name.find('>').map(|e| i + open.len() + e + 1) else {
            break;
        };
        out.push_str(&rest[..end]);
        let tag = &rest[i..end];
        rest = &rest[end..];
        // Another element whose name begins the same (`w:pPrChange`), or an empty one.
        if !after_name.starts_with([' ', '>']) || tag.ends_with("/>") {
            continue;
        }
        let (children, after) = children(rest);
        let mut sorted = children.clone();
        sorted.sort_by_key(|(name, _)| order.iter().position(|n| n == name).unwrap_or(order.len()));
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

    #[test]
    fn a_section_a_table_grid_a_style_and_the_settings_come_in_the_schemas_order() {
        let section = r#"<w:sectPr><w:pgSz w:w="11906" /><w:cols w:space="425" /><w:footerReference w:type="default" r:id="f" /></w:sectPr><w:tblGrid><w:gridCol w:w="4706" w:type="dxa" /></w:tblGrid>"#;
        assert_eq!(
            ordered(section),
            r#"<w:sectPr><w:footerReference w:type="default" r:id="f" /><w:pgSz w:w="11906" /><w:cols w:space="425" /></w:sectPr><w:tblGrid><w:gridCol w:w="4706" /></w:tblGrid>"#
        );
        let styles = r#"<w:styles><w:docDefaults><w:pPrDefault><w:pPr><w:rPr /><w:spacing w:after="120" /></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title" /><w:rPr><w:b /></w:rPr><w:pPr><w:rPr /><w:jc w:val="center" /><w:suppressAutoHyphens w:val="0" /></w:pPr><w:qFormat /></w:style></w:styles>"#;
        assert_eq!(
            ordered_styles(styles),
            r#"<w:styles><w:docDefaults><w:pPrDefault><w:pPr><w:spacing w:after="120" /></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title" /><w:qFormat /><w:pPr><w:suppressAutoHyphens w:val="0" /><w:jc w:val="center" /></w:pPr><w:rPr><w:b /></w:rPr></w:style></w:styles>"#
        );
        let settings = r#"<w:settings xmlns:w="w"><w:autoHyphenation w:val="true" /><w:defaultTabStop w:val="840" /><w:zoom w:percent="100" /><w:compat><w:useFELayout /></w:compat></w:settings>"#;
        assert_eq!(
            ordered_settings(settings),
            r#"<w:settings xmlns:w="w"><w:zoom w:percent="100" /><w:defaultTabStop w:val="840" /><w:autoHyphenation w:val="true" /><w:compat><w:useFELayout /></w:compat></w:settings>"#
        );
    }
}
