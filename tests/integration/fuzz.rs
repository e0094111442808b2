//! In-tree fuzz harness over the terms loader and the escaping step: arbitrary bytes, and
//! mutations of a real terms file, go through reading, validation and filling; nothing may
//! panic, every refusal must be a diagnostic with a kind, and filled source must never carry
//! a term's text unescaped. CI runs a short burst; run it long with
//! `PACTUM_FUZZ_CASES=200000 cargo nextest run --release -E 'binary(fuzz)'`.

use crate::common;

use std::sync::OnceLock;

use pactum::diagnostic::Kind;
use pactum::pipeline::Pipeline;
use pactum::template::{Catalog, Mode, Template, escape};
use pactum::terms::{self, source};
use proptest::prelude::*;

fn cases() -> u32 {
    std::env::var("PACTUM_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256)
}

fn template() -> &'static Template {
    static T: OnceLock<std::sync::Arc<Template>> = OnceLock::new();
    T.get_or_init(|| {
        Pipeline::new(Catalog::builtin())
            .template("thematic-partnership")
            .unwrap()
    })
}

fn example() -> &'static str {
    static E: OnceLock<String> = OnceLock::new();
    E.get_or_init(|| {
        std::fs::read_to_string(common::root().join("agreements/malmo-kaohsiung/round-1.yaml"))
            .unwrap()
    })
}

/// Read, validate and fill; every failure must be a located, classified diagnostic.
fn exercise(bytes: Vec<u8>) {
    let raw = match source::parse("fuzz.yaml".into(), bytes) {
        Ok(raw) => raw,
        Err(d) => {
            assert!(Kind::ALL.contains(&d.kind) && !d.message.is_empty());
            return;
        }
    };
    let t = template();
    match terms::check(
        &raw,
        std::path::Path::new("fuzz/round-1.yaml"),
        "thematic-partnership",
        &t.schema,
    ) {
        Ok(terms) => {
            // Valid terms fill; whatever they hold is escaped in the source.
            let filled = t.fill(&terms, Mode::Draft, None);
            if let Ok(source) = filled
                && let Some(title) = terms.value["title"].as_str()
                && title.chars().any(|c| c.is_ascii_punctuation())
            {
                assert!(source.contains(&escape::markup(title)), "title not escaped");
            }
        }
        Err(problems) => assert!(problems.iter().all(|d| !d.message.is_empty())),
    }
}

/// Byte-level mutations of the shipped example: flips, insertions, deletions, splices.
fn mutated() -> impl Strategy<Value = Vec<u8>> {
    let base = example().as_bytes().to_vec();
    prop::collection::vec((any::<usize>(), any::<u8>(), 0u8..4), 1..8).prop_map(move |edits| {
        let mut bytes = base.clone();
        for (at, byte, op) in edits {
            if bytes.is_empty() {
                break;
            }
            let at = at % bytes.len();
            match op {
                0 => bytes[at] = byte,
                1 => bytes.insert(at, byte),
                2 => {
                    bytes.remove(at);
                }
                _ => {
                    let tail = bytes[at..].to_vec();
                    bytes.truncate(at);
                    bytes.extend_from_slice(b"\n  - [&a, *a, {? x}] !tag \"\\x1b\"\t");
                    bytes.extend_from_slice(&tail);
                }
            }
        }
        bytes
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        exercise(bytes);
    }

    #[test]
    fn mutated_terms_never_panic(bytes in mutated()) {
        exercise(bytes);
    }

    #[test]
    fn yaml_shaped_noise_never_panics(text in "([a-z_]{1,8}: |- |  |\\[|\\]|\\{|\\}|, |&a |\\*a |!t |\"|'|#|\n|[0-9]{1,3}|-{3}|\\.{3}|\t|\\?){0,60}") {
        exercise(text.into_bytes());
    }

    #[test]
    fn escaping_is_lossless(text in any::<String>()) {
        // Unescaping the markup form gives the text back (line breaks become spaces).
        let escaped = escape::markup(&text);
        let mut back = String::new();
        let mut chars = escaped.chars();
        while let Some(c) = chars.next() {
            if c == '\\' { back.push(chars.next().expect("escape is never last")); } else { back.push(c); }
        }
        let expected: String = text.chars().map(|c| if matches!(c, '\n' | '\r' | '\u{0b}' | '\u{0c}' | '\u{85}' | '\u{2028}' | '\u{2029}') { ' ' } else { c }).collect();
        prop_assert_eq!(back, expected);
        // And every ASCII punctuation character is escaped.
        let mut prev_backslash = false;
        for c in escaped.chars() {
            if c.is_ascii_punctuation() && c != '\\' { prop_assert!(prev_backslash, "{c} unescaped in {escaped:?}"); }
            prev_backslash = c == '\\' && !prev_backslash;
        }
    }
}
