//! Term values are data, never code: any string placed in any term appears verbatim in the
//! PDF's text and never runs as Typst (a `#panic(...)`, `#read(...)` or markup would change or
//! break the output). Property-tested over arbitrary strings built from Typst and handlebars
//! syntax and printable Unicode, in several terms of the shipped example.

mod common;

use std::sync::OnceLock;

use common::{no_ws, pdf_bytes_text};
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
    ]
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

fn render_with(value: &str, place: &str) -> String {
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
    pdf_bytes_text(&rendered.pdf)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_term_text_appears_verbatim(value in hostile_string(), place in prop::sample::select(PLACES)) {
        let text = render_with(&value, place);
        prop_assert!(no_ws(&text).contains(&no_ws(&value)), "{value:?} in {place} not found verbatim in:\n{text}");
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
