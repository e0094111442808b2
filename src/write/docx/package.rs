//! What docx-rs cannot write, written into the package it built: each language version's
//! `w:lang` (and, in Chinese, Word's automatic spacing between Asian and Latin text turned
//! off), the document's default languages, automatic hyphenation (and whether each
//! paragraph style is hyphenated), the title and author Word shows, and no parts that
//! nothing relates.
//!
//! The writer marks every paragraph of a version with a run style on its paragraph mark,
//! [`marker`] of its language. Here each marked paragraph loses the marker, and every run
//! in it, and its mark, gets `<w:lang>`; a Chinese paragraph also gets `w:autoSpaceDE` and
//! `w:autoSpaceDN` off. The XML is docx-rs's, so plain text surgery on its known shapes is
//! enough. The parts are rewritten before docx-rs packs them; the unrelated parts are then
//! dropped from the package, every other entry copied as it was, byte for byte.

use std::io::{Cursor, Read, Write};

use zip::write::SimpleFileOptions;
use zip::{ZipArchive, ZipWriter};

/// The run style that marks a paragraph of the version in `lang` (removed here).
pub fn marker(lang: &str) -> String {
    format!("pactum-lang-{lang}")
}

/// A version's language as Word tags it: its words' language and region (`sv-SE`, `zh-TW`,
/// `ja-JP`), and whether it is East Asian text (`cjk` in its words).
#[derive(Debug, Clone)]
pub struct Lang {
    /// The terms' code of the language (`zh-TW`), as the paragraphs are marked.
    pub code: String,
    /// The BCP 47 tag Word reads (`zh-TW`).
    pub tag: String,
    pub east_asian: bool,
}

impl Lang {
    pub fn of(version: &crate::model::Version) -> Self {
        let t = &version.text;
        let tag = if t.region.is_empty() {
            t.lang.clone()
        } else {
            format!("{}-{}", t.lang, t.region)
        };
        Self {
            code: version.lang.clone(),
            tag,
            east_asian: t.cjk,
        }
    }

    /// The `w:lang` attributes: East Asian text in `w:eastAsia` as well.
    fn attributes(&self) -> String {
        if self.east_asian {
            format!(r#"w:val="{0}" w:eastAsia="{0}""#, self.tag)
        } else {
            format!(r#"w:val="{}""#, self.tag)
        }
    }
}

/// The language marked `code` among `langs`; an unknown code is tagged as it is.
fn find(langs: &[Lang], code: &str) -> Lang {
    langs
        .iter()
        .find(|l| l.code == code)
        .cloned()
        .unwrap_or_else(|| Lang {
            code: code.to_string(),
            tag: code.to_string(),
            east_asian: false,
        })
}

/// `xml` (docx-rs's parts, before they are packed) with the language tags for `langs` (the
/// versions', the first first) and automatic hyphenation.
pub fn finish(xml: &mut docx_rs::XMLDocx, langs: &[Lang], terms: &[super::Anchor]) {
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    let document = tag_controls(&text(&xml.document), terms);
    xml.document = super::schema::ordered(&tag_paragraphs(&document, langs)).into_bytes();
    for part in xml.footers.iter_mut().chain(xml.headers.iter_mut()) {
        *part = super::schema::ordered(&text(part)).into_bytes();
    }
    let styles = hyphenated_styles(&default_langs(&text(&xml.styles), langs));
    xml.styles = super::schema::ordered_styles(&styles).into_bytes();
    xml.settings = super::schema::ordered_settings(&hyphenation(&text(&xml.settings))).into_bytes();
}

/// `xml` with each term value's content control (written with its bookmark's name as its
/// alias) tagged `<path>@<lang>`, named by the path, and locked against its own deletion.
fn tag_controls(xml: &str, terms: &[super::Anchor]) -> String {
    if terms.is_empty() {
        return xml.to_string();
    }
    let by_name: std::collections::HashMap<&str, &super::Anchor> =
        terms.iter().map(|a| (a.name.as_str(), a)).collect();
    const OPEN: &str = r#"<w:alias w:val=""#;
    let mut out = String::with_capacity(xml.len() + terms.len() * 80);
    let mut rest = xml;
    while let Some(i) = rest.find(OPEN) {
        let after = &rest[i + OPEN.len()..];
        let name = after.split('"').next().unwrap_or_default();
        let end = after.find("/>").map(|e| i + OPEN.len() + e + 2);
        match (by_name.get(name), end) {
            (Some(a), Some(end)) => {
                let esc = super::record::escape;
                // A date whose term is not known is tagged `date`.
                let id = match a.kind {
                    super::AnchorKind::Date if a.id.is_empty() => "date",
                    _ => a.id.as_str(),
                };
                out.push_str(&rest[..i]);
                out.push_str(&format!(
                    r#"<w:alias w:val="{}" /><w:tag w:val="{}@{}" /><w:lock w:val="sdtLocked" />"#,
                    esc(id),
                    esc(id),
                    esc(&a.lang)
                ));
                rest = &rest[end..];
            }
            _ => {
                out.push_str(&rest[..i + OPEN.len()]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The packed `docx` without the parts no relationship of the document names (docx-rs
/// writes a numbering, a footnotes and a comments part whether or not the document uses
/// them), and without their content types; every other entry copied as it was.
pub fn without_orphans(docx: Vec<u8>) -> Result<Vec<u8>, String> {
    let err = |e: zip::result::ZipError| format!("the Word document could not be finished: {e}");
    let io = |e: std::io::Error| format!("the Word document could not be finished: {e}");
    let mut zip = ZipArchive::new(Cursor::new(&docx)).map_err(err)?;
    let mut read = |name: &str| -> Result<String, String> {
        let mut text = String::new();
        zip.by_name(name)
            .map_err(err)?
            .read_to_string(&mut text)
            .map_err(io)?;
        Ok(text)
    };
    let rels = read("word/_rels/document.xml.rels")?;
    let mut types = read("[Content_Types].xml")?;
    let orphans: Vec<&str> = [
        "word/numbering.xml",
        "word/footnotes.xml",
        "word/comments.xml",
    ]
    .into_iter()
    .filter(|p| !rels.contains(&format!("Target=\"{}\"", &p["word/".len()..])))
    .collect();
    if orphans.is_empty() {
        return Ok(docx);
    }
    for o in &orphans {
        types = drop_override(&types, o);
    }
    let mut out = ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let file = zip.by_index_raw(i).map_err(err)?;
        let name = file.name().to_string();
        if orphans.contains(&name.as_str()) {
            continue;
        }
        if name == "[Content_Types].xml" {
            let mut options = SimpleFileOptions::default().compression_method(file.compression());
            if let Some(t) = file.last_modified() {
                options = options.last_modified_time(t);
            }
            if let Some(m) = file.unix_mode() {
                options = options.unix_permissions(m);
            }
            drop(file);
            out.start_file(name, options).map_err(err)?;
            out.write_all(types.as_bytes()).map_err(io)?;
        } else {
            out.raw_copy_file(file).map_err(err)?;
        }
    }
    Ok(out.finish().map_err(err)?.into_inner())
}

/// Every marked paragraph of `xml` (`word/document.xml`) with its language written in.
fn tag_paragraphs(xml: &str, langs: &[Lang]) -> String {
    let mut out = String::with_capacity(xml.len() + xml.len() / 4);
    let mut rest = xml;
    while let Some(start) = find_paragraph(rest) {
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        let end = rest
            .find("</w:p>")
            .map_or(rest.len(), |e| e + "</w:p>".len());
        out.push_str(&tag_paragraph(&rest[..end], langs));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Where the next `<w:p>` or `<w:p …>` starts (not `<w:pPr>`, `<w:pStyle>`).
fn find_paragraph(xml: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = xml[from..].find("<w:p") {
        let at = from + i;
        match xml.as_bytes().get(at + 4) {
            Some(b'>' | b' ') => return Some(at),
            _ => from = at + 4,
        }
    }
    None
}

/// A paragraph (`<w:p …>…</w:p>`) with its language written in, if it is marked.
fn tag_paragraph(p: &str, langs: &[Lang]) -> String {
    const OPEN: &str = r#"<w:rStyle w:val="pactum-lang-"#;
    let Some(at) = p.find(OPEN) else {
        return p.to_string();
    };
    let Some(len) = p[at..].find("/>").map(|e| e + 2) else {
        return p.to_string();
    };
    let lang = p[at + OPEN.len()..at + len]
        .split('"')
        .next()
        .unwrap_or_default()
        .to_string();
    let mut p = format!("{}{}", &p[..at], &p[at + len..]);
    let lang = find(langs, &lang);
    let tag = format!("<w:lang {} />", lang.attributes());
    p = p
        .replace("</w:rPr>", &format!("{tag}</w:rPr>"))
        .replace("<w:rPr />", &format!("<w:rPr>{tag}</w:rPr>"));
    if lang.east_asian {
        p = no_auto_space(&p);
    }
    p
}

/// A paragraph with Word's automatic spacing between Asian text and Latin letters and
/// digits turned off ("2027年", not "2027 年"), after its style or its mark's properties.
fn no_auto_space(p: &str) -> String {
    const OFF: &str = r#"<w:autoSpaceDE w:val="0" /><w:autoSpaceDN w:val="0" />"#;
    let Some(ppr) = p.find("<w:pPr>") else {
        // No properties yet: they come first in the paragraph.
        return match p.find('>') {
            Some(i) => format!("{}<w:pPr>{OFF}</w:pPr>{}", &p[..=i], &p[i + 1..]),
            None => p.to_string(),
        };
    };
    let ppr_end = p[ppr..].find("</w:pPr>").map_or(p.len(), |e| ppr + e);
    let body = &p[ppr..ppr_end];
    let after = if let Some(s) = body.find("<w:pStyle") {
        body[s..].find("/>").map(|e| s + e + 2)
    } else if body.starts_with("<w:pPr><w:rPr>") {
        body.find("</w:rPr>").map(|e| e + "</w:rPr>".len())
    } else {
        None
    }
    .unwrap_or("<w:pPr>".len());
    let i = ppr + after;
    format!("{}{OFF}{}", &p[..i], &p[i..])
}

/// `word/styles.xml` with the document's default languages: the first version's, and
/// Chinese for East Asian text where a version is Chinese (the footer, the signatures and
/// a redline's summary hold every version's words).
fn default_langs(styles: &str, langs: &[Lang]) -> String {
    let latin = langs.iter().find(|l| !l.east_asian).or(langs.first());
    let asian = langs.iter().find(|l| l.east_asian);
    let mut attrs = Vec::new();
    if let Some(l) = latin {
        attrs.push(format!(r#"w:val="{}""#, l.tag));
    }
    if let Some(l) = asian {
        attrs.push(format!(r#"w:eastAsia="{}""#, l.tag));
    }
    if attrs.is_empty() {
        return styles.to_string();
    }
    let tag = format!("<w:lang {} />", attrs.join(" "));
    const DEFAULT: &str = "<w:rPrDefault><w:rPr>";
    match styles.find(DEFAULT) {
        Some(i) => {
            let rest = &styles[i..];
            let end = i + rest.find("</w:rPr>").unwrap_or(DEFAULT.len());
            format!("{}{tag}{}", &styles[..end], &styles[end..])
        }
        None => styles.to_string(),
    }
}

/// `styles` with every paragraph style saying whether it is hyphenated: the title, the
/// title block and the headings are not (review K3: no party name or heading is broken at
/// a hyphen), the rest is. Word hyphenates every paragraph that does not suppress it;
/// LibreOffice reads the title and headings as its own styles of those names, which are not
/// hyphenated, and the rest as hyphenated only when the style says so.
fn hyphenated_styles(styles: &str) -> String {
    const STYLE: &str = r#"<w:style w:type="paragraph""#;
    const PPR: &str = "<w:pPr>";
    const NOT: [&str; 4] = ["Title", "TitleBlock", "Heading1", "Heading2"];
    let mut out = String::with_capacity(styles.len() + 1024);
    let mut rest = styles;
    while let Some(i) = rest.find(STYLE) {
        let end = rest[i..].find("</w:style>").map_or(rest.len(), |e| i + e);
        let style = &rest[i..end];
        out.push_str(&rest[..i]);
        let id = style
            .split(r#"w:styleId=""#)
            .nth(1)
            .and_then(|s| s.split('"').next())
            .unwrap_or_default();
        let says = if NOT.contains(&id) {
            "<w:suppressAutoHyphens />"
        } else {
            r#"<w:suppressAutoHyphens w:val="0" />"#
        };
        match style.find(PPR) {
            Some(p) if !style.contains("<w:suppressAutoHyphens") => {
                let at = p + PPR.len();
                out.push_str(&style[..at]);
                out.push_str(says);
                out.push_str(&style[at..]);
            }
            _ => out.push_str(style),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// `core` (`docProps/core.xml`) with the document's `title` and `author` (docx-rs writes
/// "unknown" as the author and no title; Word shows both in the file's information).
pub fn core_properties(core: &str, title: &str, author: &str) -> String {
    let esc = super::record::escape;
    let core = core
        .replace(
            "<dc:creator>unknown</dc:creator>",
            &format!("<dc:creator>{}</dc:creator>", esc(author)),
        )
        .replace(
            "<cp:lastModifiedBy>unknown</cp:lastModifiedBy>",
            &format!("<cp:lastModifiedBy>{}</cp:lastModifiedBy>", esc(author)),
        );
    match core.find("</cp:coreProperties>") {
        Some(i) if !title.is_empty() && !core.contains("<dc:title>") => format!(
            "{}<dc:title>{}</dc:title>{}",
            &core[..i],
            esc(title),
            &core[i..]
        ),
        _ => core,
    }
}

/// `word/settings.xml` with automatic hyphenation on (Word hyphenates each paragraph in its
/// `w:lang`).
fn hyphenation(settings: &str) -> String {
    const ON: &str = r#"<w:autoHyphenation w:val="true" />"#;
    if settings.contains("<w:autoHyphenation") {
        return settings.to_string();
    }
    // Put in its place among the others by `schema::ordered_settings`.
    match settings.find("</w:settings>") {
        Some(i) => format!("{}{ON}{}", &settings[..i], &settings[i..]),
        None => settings.to_string(),
    }
}

/// `[Content_Types].xml` without the override for `part` (`word/numbering.xml`).
fn drop_override(types: &str, part: &str) -> String {
    let needle = format!("<Override PartName=\"/{part}\"");
    match types.find(&needle) {
        Some(i) => {
            let end = types[i..].find("/>").map_or(types.len(), |e| i + e + 2);
            format!("{}{}", &types[..i], &types[end..])
        }
        None => types.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Swedish and Traditional Chinese, as their words tag them.
    fn langs() -> Vec<Lang> {
        let lang = |code: &str, tag: &str, east_asian| Lang {
            code: code.into(),
            tag: tag.into(),
            east_asian,
        };
        vec![lang("sv", "sv-SE", false), lang("zh-TW", "zh-TW", true)]
    }

    #[test]
    fn a_marked_paragraph_has_its_language_on_every_run_and_its_mark() {
        let p = r#"<w:p w14:paraId="1"><w:pPr><w:rPr><w:rStyle w:val="pactum-lang-sv" /></w:rPr><w:pStyle w:val="Title" /></w:pPr><w:r><w:rPr /><w:t>Avtal</w:t></w:r><w:r><w:rPr><w:b /></w:rPr><w:t>x</w:t></w:r></w:p>"#;
        let tagged = tag_paragraphs(
            &format!("<w:body>{p}<w:p><w:r><w:rPr /></w:r></w:p></w:body>"),
            &langs(),
        );
        assert_eq!(
            tagged,
            r#"<w:body><w:p w14:paraId="1"><w:pPr><w:rPr><w:lang w:val="sv-SE" /></w:rPr><w:pStyle w:val="Title" /></w:pPr><w:r><w:rPr><w:lang w:val="sv-SE" /></w:rPr><w:t>Avtal</w:t></w:r><w:r><w:rPr><w:b /><w:lang w:val="sv-SE" /></w:rPr><w:t>x</w:t></w:r></w:p><w:p><w:r><w:rPr /></w:r></w:p></w:body>"#
        );
    }

    #[test]
    fn the_core_properties_name_the_title_and_author() {
        let core = r#"<cp:coreProperties xmlns:dc="d"><dc:creator>unknown</dc:creator><cp:lastModifiedBy>unknown</cp:lastModifiedBy></cp:coreProperties>"#;
        assert_eq!(
            core_properties(core, "Avtal <&> 協定書", "pactum"),
            r#"<cp:coreProperties xmlns:dc="d"><dc:creator>pactum</dc:creator><cp:lastModifiedBy>pactum</cp:lastModifiedBy><dc:title>Avtal &lt;&amp;&gt; 協定書</dc:title></cp:coreProperties>"#
        );
    }

    #[test]
    fn every_paragraph_style_says_whether_it_is_hyphenated() {
        let styles = r#"<w:styles><w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title" /><w:pPr><w:rPr /><w:jc w:val="center" /></w:pPr></w:style><w:style w:type="paragraph" w:styleId="Normal"><w:pPr /></w:style><w:style w:type="paragraph" w:styleId="Body"><w:pPr><w:rPr /></w:pPr></w:style><w:style w:type="character" w:styleId="c"><w:rPr /></w:style><w:style w:type="paragraph" w:styleId="Quiet"><w:pPr><w:suppressAutoHyphens /></w:pPr></w:style></w:styles>"#;
        assert_eq!(
            hyphenated_styles(styles),
            r#"<w:styles><w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title" /><w:pPr><w:suppressAutoHyphens /><w:rPr /><w:jc w:val="center" /></w:pPr></w:style><w:style w:type="paragraph" w:styleId="Normal"><w:pPr /></w:style><w:style w:type="paragraph" w:styleId="Body"><w:pPr><w:suppressAutoHyphens w:val="0" /><w:rPr /></w:pPr></w:style><w:style w:type="character" w:styleId="c"><w:rPr /></w:style><w:style w:type="paragraph" w:styleId="Quiet"><w:pPr><w:suppressAutoHyphens /></w:pPr></w:style></w:styles>"#
        );
    }

    #[test]
    fn a_chinese_paragraph_has_no_automatic_spacing() {
        let p = r#"<w:p><w:pPr><w:rPr><w:rStyle w:val="pactum-lang-zh-TW" /></w:rPr><w:jc w:val="both" /></w:pPr><w:r><w:rPr /><w:t>於2027年</w:t></w:r></w:p>"#;
        assert_eq!(
            tag_paragraphs(p, &langs()),
            r#"<w:p><w:pPr><w:rPr><w:lang w:val="zh-TW" w:eastAsia="zh-TW" /></w:rPr><w:autoSpaceDE w:val="0" /><w:autoSpaceDN w:val="0" /><w:jc w:val="both" /></w:pPr><w:r><w:rPr><w:lang w:val="zh-TW" w:eastAsia="zh-TW" /></w:rPr><w:t>於2027年</w:t></w:r></w:p>"#
        );
    }
}
