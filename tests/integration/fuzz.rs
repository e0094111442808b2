//! In-tree fuzz harness over the terms loader and the sealing of term values: arbitrary bytes,
//! and mutations of a real terms file, go through reading, validation and filling; nothing may
//! panic, every refusal must be an error that says where it is (unless it is about the whole
//! file), terms that pass the check fill, and a term's text reaches the model as the same text,
//! whatever Markdown it looks like. CI runs a short burst; run it long with
//! `PACTUM_FUZZ_CASES=200000 cargo nextest run --release -E 'test(/^fuzz::/)'`.

use crate::common;

use std::sync::OnceLock;

use common::squash;
use pactum::diagnostic::{Diagnostic, Kind};
use pactum::model::{Block, Words, markdown, plain, sealed};
use pactum::pipeline::Pipeline;
use pactum::template::{Catalog, Mode, Template};
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
    E.get_or_init(|| common::shipped("agreements/malmo-kaohsiung/round-1.yaml"))
}

/// Kinds that are about the file as a whole, so they name no line: it is over the size limit,
/// or holds no terms at all (empty, blank, only comments, `{}`). Every other refusal of the
/// loader, and every problem validation finds, points at where it is (bad UTF-8 included: at
/// the first byte that is not).
const FILE_LEVEL: &[Kind] = &[Kind::TooLarge, Kind::EmptyFile];

/// A refusal is an error (not a warning) with something to say and, unless its kind is
/// [`FILE_LEVEL`], a line and column inside `text` (the bytes as read, for the loader's
/// refusals; the parsed text, for validation's).
fn assert_refusal(d: &Diagnostic, text: &str) {
    assert!(!d.kind.is_warning(), "a refusal that is a warning: {d:?}");
    assert!(
        !d.message.trim().is_empty(),
        "a refusal with no message: {d:?}"
    );
    match &d.location {
        Some(at) => {
            // A line of the file, and a column on it (at most just past its last character:
            // where the YAML parser reports what ends too soon, such as a bare `---`).
            let lines: Vec<&str> = text.split('\n').collect();
            let line = at.line.checked_sub(1).and_then(|i| lines.get(i));
            assert!(
                at.column >= 1
                    && line
                        .is_some_and(|l| at.column <= l.trim_end_matches('\r').chars().count() + 1),
                "{} refused at {}:{}, outside the file's {} line(s): {d:?}\n{text:?}",
                d.kind,
                at.line,
                at.column,
                lines.len()
            );
        }
        None => assert!(
            FILE_LEVEL.contains(&d.kind),
            "a {} refusal names no line and column: {d:?}\n{text:?}",
            d.kind
        ),
    }
}

/// Read, validate and fill; every failure must be a located, classified diagnostic.
fn exercise(bytes: Vec<u8>) {
    let read_as = String::from_utf8_lossy(&bytes).into_owned();
    let raw = match source::parse("fuzz.yaml".into(), bytes) {
        Ok(raw) => raw,
        Err(d) => {
            assert_refusal(&d, &read_as);
            return;
        }
    };
    let t = template();
    match terms::check(
        &raw,
        std::path::Path::new("fuzz/round-1.yaml"),
        "thematic-partnership",
        &t.schema,
        &Default::default(),
    ) {
        Ok(terms) => {
            // Valid terms fill; the title reaches the model as the text it is.
            let doc = t
                .fill(
                    &terms,
                    Mode::Draft,
                    &pactum::terms::settings::CopyId::whole(),
                )
                .unwrap_or_else(|d| panic!("terms that pass the check do not fill: {d:?}"));
            if let Some(title) = terms.value["title"].as_str() {
                assert_eq!(doc.title, squash(title));
            }
        }
        Err(problems) => {
            assert!(!problems.is_empty(), "refused without a problem");
            for d in &problems {
                assert_refusal(d, &raw.text);
            }
        }
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
    fn a_sealed_value_is_text_whatever_markdown_it_holds(text in any::<String>(), md in "(# |\\*\\*|\\*|_|\\[\\]\\(#x\\)|1\\. |- |\n|\n\n|> |`|<b>|\\\\|\\{#y\\}|[a-z ]{1,5}){0,12}") {
        let words: Words = serde_yaml_ng::from_str(include_str!("../../templates/shared/words/en.yaml")).unwrap();
        for value in [text, md] {
            let filled = format!("# A {{#a}}\n\nSee {} here.\n", sealed::seal(&value, sealed::Kind::Text));
            let body = markdown::parse(&filled, &words).unwrap();
            prop_assert_eq!(body.articles.len(), 1);
            let blocks = &body.articles[0].blocks;
            prop_assert_eq!(blocks.len(), 1);
            let Block::Paragraph { content } = &blocks[0] else { panic!("not a paragraph: {blocks:?}") };
            prop_assert_eq!(plain::inlines(content), pactum::terms::squash(&format!("See {value} here.")));
        }
    }

    #[test]
    fn an_own_articles_text_is_data_but_its_paragraphs(text in "(x|# |## |\\*\\*|\\*|_|\\[x\\]\\(#y\\)|> |`|<b>|\\\\|\\{#y\\}|\\{\\{x\\}\\}|#read\\(\"/etc\\)|[a-z ]{1,5}|\n|\n\n){0,16}") {
        // Every line opens with a letter, so that none is a list item: the rest is all data.
        let text: String = text.lines().map(|l| if l.trim().is_empty() { String::new() } else { format!("x{l}") }).collect::<Vec<_>>().join("\n");
        let written = markdown::read(&pactum::template::own::markdown(&text));
        let got: Vec<String> = written.blocks.iter().map(|b| match b {
            Block::Paragraph { content } => plain::inlines(content),
            other => panic!("not a paragraph: {other:?}"),
        }).collect();
        let want: Vec<String> = text.split("\n\n").map(squash).filter(|p| !p.is_empty()).collect();
        prop_assert_eq!(got, want);
        prop_assert!(written.heading.is_none() && written.sections.is_empty());
    }
}
