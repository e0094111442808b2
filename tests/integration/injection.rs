//! Term values are data, never code: any string placed in any term appears verbatim in the
//! PDF's text and never runs as Typst (a `#panic(...)`, `#read(...)` or markup would change or
//! break the output); in the HTML it is text of pactum's own elements only (parsed as a
//! browser parses it), and in the DOCX text of well-formed WordprocessingML. Property-tested
//! over arbitrary strings built from Typst, handlebars, Markdown and HTML syntax and printable
//! Unicode, in several terms of the shipped example.

use crate::common;

use std::sync::OnceLock;

use common::{no_ws, pdf_bytes_text_with};
use pactum::pipeline::{Loaded, Pipeline};
use pactum::template::{Catalog, Mode};
use proptest::prelude::*;
use serde_json::Value;

fn pipeline() -> &'static Pipeline {
    static P: OnceLock<Pipeline> = OnceLock::new();
    P.get_or_init(|| Pipeline::new(Catalog::builtin()))
}

fn example() -> Loaded {
    let path = common::root().join("agreements/malmo-kaohsiung/round-1.yaml");
    pipeline()
        .load(&path)
        .unwrap_or_else(|r| panic!("{:?}", r.diagnostics))
}

/// Typst and handlebars syntax that would run or restyle text if it were spliced in as code.
const HOSTILE: &[&str] = &[
    "#",
    "$",
    "[",
    "]",
    "\\",
    "{{",
    "}}",
    "//",
    "/*",
    "*/",
    "<x>",
    "@x",
    "= ",
    "- ",
    "+ ",
    "/ ",
    "~",
    "'",
    "\"",
    "*",
    "_",
    "`",
    "#read(\"/etc/passwd\")",
    "#panic(\"pwned\")",
    "$x$",
    "*bold*",
    "= heading",
    "<label>",
    "@ref",
    "1. ",
    "---",
    "...",
    "https://example.com",
    "#{1+1}",
    "{{doc.round}}",
    "{{> shared/layout}}",
    // Markdown, which the templates are written in.
    "# ",
    "## Annex",
    "**",
    "[](#costs)",
    "[x](https://example.com)",
    "{#id .signing}",
    "> ",
    "<b>",
    "&amp;",
    "\\u{41}",
    ")",
    "(",
    ":",
    ";",
    "%",
    "&",
    "^",
    "|",
    "\n",
    "\n\n",
    "\t",
    "  ",
];

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(HOSTILE).prop_map(str::to_string),
        3 => "[a-zA-Z0-9 ]{1,8}",
        2 => "[À-ÿĀ-ſ]{1,4}",
        1 => "[ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩαβγδεζηθικλμνξοπρστυφχψω]{1,4}",
        1 => "[А-Яа-я]{1,4}",
        1 => prop::sample::select(vec!["Malmö", "Kaohsiung", "”citat”", "–", "—", "€", "§", "«»", "’"]).prop_map(str::to_string),
        // Chinese (the hanzi of the shipped Chinese clause text, which pactum's own font
        // covers, and full-width punctuation), Hebrew and Arabic (which pactum's own fonts
        // cover too: Libertinus Serif and DejaVu Sans Mono).
        2 => prop::collection::vec(prop::sample::select(hanzi()), 1..7).prop_map(String::from_iter),
        1 => prop::sample::select(vec!["高雄市政府", "臺南", "「引號」", "，", "。", "（括號）"]).prop_map(str::to_string),
        // A right-to-left run sits between Latin letters, so that no neutral character (space,
        // punctuation) touches it: pdftotext restores the reading order of the run itself but
        // may move neutrals at its edges (the PDF has the visual order, not the source's).
        1 => "[א-ת]{1,5}".prop_map(|s| format!("x{s}x")),
        // Arabic as whole words: a lam–alef ligature's two letters come back from pdftotext
        // in either order, which is the extractor's doing, not the PDF's.
        1 => prop::sample::select(vec!["مرحبا", "بكم", "مدينة", "كاوشيونغ"]).prop_map(|s| format!("x{s}x")),
    ]
}

/// Every CJK ideograph of the shipped Traditional Chinese clauses.
fn hanzi() -> Vec<char> {
    let dir = common::root().join("templates/shared/clauses/zh-TW");
    let mut out: Vec<char> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .flat_map(|e| {
            std::fs::read_to_string(e.path())
                .unwrap()
                .chars()
                .collect::<Vec<_>>()
        })
        .filter(|c| ('\u{4E00}'..='\u{9FFF}').contains(c))
        .collect();
    out.sort();
    out.dedup();
    assert!(out.len() > 100, "too few hanzi: {}", out.len());
    out
}

fn hostile_string() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 1..10)
        .prop_map(|p| p.concat())
        .prop_filter("has visible text", |s| {
            s.chars().any(|c| !c.is_whitespace())
        })
}

/// Where in the terms the string goes.
const PLACES: &[&str] = &[
    "/title",
    "/parties/0/official_name",
    "/parties/1/representative/name",
    "/parties/0/short_name",
];

/// 48 cases in CI; `PACTUM_PROPTEST_CASES=2000` for a long run.
fn cases() -> u32 {
    std::env::var("PACTUM_PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(48)
}

fn render_with(value: &str, place: &str) -> String {
    let text = pdf_bytes_text_with(&render_pdf(value, place), &[]);
    assert!(!text.is_empty());
    text
}

/// Right-to-left letters (Hebrew, Arabic).
fn is_rtl(c: char) -> bool {
    matches!(c as u32, 0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF)
}

/// Whether `value` is in the PDF's text verbatim, whitespace aside. pdftotext's default mode
/// puts right-to-left runs back in reading order (marking them with bidi controls, dropped
/// here) but joins a line ending in `-` to the next; `-raw` keeps every character but leaves
/// right-to-left runs in visual order. So text without right-to-left letters is read with
/// `-raw`, and text with them in the default mode, where hyphens are not compared. A word the
/// layout hyphenated at a line's end shows a soft hyphen there, which is not the text's.
fn found_verbatim(pdf: &[u8], value: &str) -> Result<(), String> {
    let rtl = value.chars().any(is_rtl);
    let text = pdf_bytes_text_with(pdf, if rtl { &[] } else { &["-raw"] });
    let norm = |s: &str| -> String {
        no_ws(s)
            .chars()
            .filter(|c| !matches!(*c as u32, 0xAD | 0x200E | 0x200F | 0x202A..=0x202E | 0x2066..=0x2069))
            .filter(|c| !(rtl && *c == '-'))
            .collect()
    };
    if norm(&text).contains(&norm(value)) {
        Ok(())
    } else {
        Err(format!("{value:?} not found verbatim in:\n{text}"))
    }
}

fn render_pdf(value: &str, place: &str) -> Vec<u8> {
    let mut loaded = example();
    let slot = loaded
        .terms
        .value
        .pointer_mut(place)
        .unwrap_or_else(|| panic!("example has {place}"));
    *slot = Value::String(value.to_string());
    let rendered = pipeline().render(&loaded, Mode::Draft).unwrap_or_else(|r| {
        panic!(
            "render failed for {value:?} in {place}: {:?}",
            r.diagnostics
        )
    });
    rendered.pdf
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_term_text_appears_verbatim(value in hostile_string(), place in prop::sample::select(PLACES)) {
        let pdf = render_pdf(&value, place);
        let found = found_verbatim(&pdf, &value);
        prop_assert!(found.is_ok(), "in {}: {}", place, found.unwrap_err());
    }
}

#[test]
fn known_attacks_print_literally() {
    for attack in [
        "#read(\"/etc/passwd\")",
        "#panic(\"pwned\")",
        "*bold* ] [ $x$ \\ // <label> @ref",
        "= heading",
    ] {
        let text = render_with(attack, "/title");
        assert!(
            no_ws(&text).contains(&no_ws(attack)),
            "{attack:?} not verbatim:\n{text}"
        );
        assert!(!text.contains("root:x:0:0"), "/etc/passwd was read");
    }
}

// ---- the same values in the HTML and DOCX writers ----

/// The elements pactum's HTML writer makes; anything else would be a term value read as markup.
const HTML_ELEMENTS: &[&str] = &[
    "html", "head", "meta", "title", "style", "body", "main", "header", "section", "article",
    "div", "p", "h1", "h2", "h3", "ol", "ul", "li", "span", "strong", "em", "a", "br", "ins",
    "del",
];
const HTML_ATTRIBUTES: &[&str] = &[
    "lang",
    "class",
    "id",
    "href",
    "style",
    "charset",
    "name",
    "content",
    "http-equiv",
    "role",
];

fn filled_with(value: &str, place: &str) -> pactum::model::Document {
    let mut loaded = example();
    *loaded.terms.value.pointer_mut(place).unwrap() = Value::String(value.to_string());
    pipeline()
        .fill(&loaded, Mode::Draft)
        .unwrap_or_else(|r| panic!("fill failed for {value:?}: {:?}", r.diagnostics))
}

/// The text of a DOCX's body, and whether its XML has only elements of Word's own.
fn docx_text(bytes: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml)
        .unwrap();
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut text = String::new();
    loop {
        match reader.read_event().expect("well-formed XML") {
            quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                assert!(
                    name.starts_with("w:") || name.starts_with("w14:") || name.starts_with("wp:"),
                    "<{name}> in document.xml"
                );
            }
            quick_xml::events::Event::Text(t) => {
                text.push_str(&t.decode().unwrap());
            }
            quick_xml::events::Event::GeneralRef(r) => {
                let name = String::from_utf8_lossy(&r).into_owned();
                text.push_str(match name.as_str() {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" => "'",
                    other => panic!("entity &{other};"),
                });
            }
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    text
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases() * 4, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_term_text_is_text_in_html_and_docx(value in hostile_string(), place in prop::sample::select(PLACES)) {
        let doc = filled_with(&value, place);
        let html = pactum::write::html::write(&doc);
        let parsed = scraper::Html::parse_document(&html);
        let mut body = String::new();
        for el in parsed.root_element().descendants().filter_map(scraper::ElementRef::wrap) {
            let name = el.value().name();
            prop_assert!(HTML_ELEMENTS.contains(&name), "<{}> from {:?}", name, value);
            for (attr, _) in el.value().attrs() {
                prop_assert!(HTML_ATTRIBUTES.contains(&attr), "{}= from {:?}", attr, value);
            }
            if name == "body" {
                body = el.text().collect();
            }
        }
        let norm = |s: &str| no_ws(s).replace('\u{fffd}', "");
        prop_assert!(norm(&body).contains(&norm(&value)), "{:?} not in the HTML's text", value);

        let docx = pactum::write::docx::write(&doc, &pactum::write::docx::Revision::on(None), None, None).unwrap();
        let text = docx_text(&docx);
        prop_assert!(no_ws(&text).contains(&no_ws(&value)), "{:?} not in the DOCX's text", value);
    }
}
