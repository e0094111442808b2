//! A corpus of bad terms files (`tests/corpus/`), each refused with its own stable `kind`, at
//! the right line, column and term path, exit code 1 and never a panic. Terms files are
//! untrusted (README, "Security model"), so each way in is pinned here. The large and deeply
//! nested cases are generated at run time instead of committed.

use crate::common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::pactum;
use pactum::terms::source::{MAX_BYTES, MAX_DEPTH};
use serde_json::Value;

/// One bad input and what `pactum check --format json` must say about it: the single
/// diagnostic's kind, `(line, column)` and term path where it has them, and words from its
/// message or hint.
struct Case {
    file: &'static str,
    kind: &'static str,
    at: Option<(u64, u64)>,
    path: Option<&'static str>,
    says: &'static str,
}

const fn case(
    file: &'static str,
    kind: &'static str,
    at: Option<(u64, u64)>,
    path: Option<&'static str>,
    says: &'static str,
) -> Case {
    Case {
        file,
        kind,
        at,
        path,
        says,
    }
}

#[rustfmt::skip]
const CASES: &[Case] = &[
    // Syntax and types.
    case("yaml-syntax.yaml", "yaml-syntax", Some((19, 7)), None, "YAML syntax error"),
    case("wrong-type.yaml", "wrong-type", Some((3, 8)), Some("round"), "must be a whole number, found `two`"),
    case("quoted-number.yaml", "wrong-type", Some((3, 8)), Some("round"), "write it without quotes"),
    case("not-a-mapping.yaml", "not-a-mapping", Some((2, 1)), None, "must be a mapping"),
    // Terms against the schema.
    case("unknown-key-near-miss.yaml", "unknown-key", Some((17, 1)), Some("recitels"), "did you mean `recitals`?"),
    case("unknown-key-no-near-miss.yaml", "unknown-key", Some((17, 1)), Some("colour_scheme"), "known terms here: round, date,"),
    case("missing-term-top.yaml", "missing-term", Some((2, 1)), Some("date"), "required term `date` is missing"),
    // Points at the signatory's other key, `title: Mayor`.
    case("missing-term-nested.yaml", "missing-term", Some((15, 7)), Some("parties[1].representative.name"), "is missing"),
    // Column 6 is where marked-yaml starts the top-level mapping (src/terms/mod.rs points
    // there); column 1, the first key, would read better.
    case("missing-template.yaml", "missing-term", Some((2, 6)), Some("template"), "do not name their template"),
    case("invalid-enum.yaml", "invalid-value", Some((17, 15)), Some("relationship"), "did you mean `sister-city`?"),
    case("invalid-date.yaml", "invalid-value", Some((4, 7)), Some("date"), "YYYY-MM-DD, found `2027-02-30`"),
    case("integer-below-min.yaml", "invalid-value", Some((3, 8)), Some("round"), "must be at least 1, found 0"),
    case("integer-too-large.yaml", "invalid-value", Some((3, 8)), Some("round"), "far too large"),
    // The file itself.
    case("empty.yaml", "empty-file", None, None, "is empty"),
    case("whitespace-only.yaml", "empty-file", None, None, "is empty"),
    case("comments-only.yaml", "empty-file", None, None, "only comments, no terms"),
    // The first byte of Latin-1 `ö` in `Ekström`.
    case("not-utf8.yaml", "not-utf8", Some((9, 24)), None, "not valid UTF-8"),
    case("tabs.yaml", "yaml-syntax", Some((20, 2)), None, "indent with spaces, not tabs"),
    case("duplicate-key.yaml", "duplicate-key", Some((5, 1)), None, "first given on line 3"),
    case("duplicate-key-escaped.yaml", "duplicate-key", Some((18, 1)), None, "`\\u{1b}]0;pwned\\u{7}` is given twice"),
    case("multi-document.yaml", "multi-document", Some((22, 1)), None, "a second YAML document starts here"),
    case("dedent.yaml", "yaml-syntax", Some((22, 1)), None, "YAML would ignore it"),
    // Features of YAML that terms have no use for.
    case("billion-laughs.yaml", "yaml-anchor", Some((3, 7)), None, "anchors and aliases"),
    case("alias-without-anchor.yaml", "yaml-anchor", Some((5, 8)), None, "anchors and aliases"),
    case("yaml-tag.yaml", "yaml-tag", Some((17, 8)), None, "tags (`!tag`) are not allowed"),
    case("control-raw.yaml", "control-character", Some((13, 20)), None, "control character U+001B"),
    case("control-escape.yaml", "control-character", Some((21, 12)), Some("fields[1].title"), "control character U+0007"),
    // The key is shown with the escape spelt out, never the raw ESC.
    case("control-escape-key.yaml", "control-character", Some((17, 1)), Some("ti\\u{1b}[2Jtle"), "control character U+001B"),
    // Bidi embeddings and overrides would print a term in another order than it is written.
    case("bidi-override-raw.yaml", "bidi-override", Some((15, 13)), Some("parties[1].representative.name"), "U+202E (RIGHT-TO-LEFT OVERRIDE)"),
    case("bidi-override-escape.yaml", "bidi-override", Some((21, 12)), Some("fields[1].title"), "U+202D (LEFT-TO-RIGHT OVERRIDE)"),
    // Template names.
    case("template-traversal.yaml", "unknown-template", Some((2, 11)), Some("template"), "`../../etc/passwd` is not a template name"),
    case("template-absolute.yaml", "unknown-template", Some((2, 11)), Some("template"), "`/etc/passwd` is not a template name"),
    case("template-near-miss.yaml", "unknown-template", Some((2, 11)), Some("template"), "did you mean `sister-city`?"),
];

/// Text that means the binary crashed rather than reported.
const CRASH: &[&str] = &[
    "panicked",
    "RUST_BACKTRACE",
    "overflow",
    "fatal runtime error",
];

/// `pactum check --format json FILE`: the exit code, the diagnostics and stderr.
fn check_json(file: &Path) -> (Option<i32>, Vec<Value>, String) {
    let out = pactum()
        .args(["check", "--format", "json"])
        .arg(file)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let json: Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("{}: not JSON ({e}): {stdout}\n{stderr}", file.display()));
    let result = &json.as_array().expect("an array of files")[0];
    assert_eq!(result["file"], file.display().to_string());
    let diagnostics = result["diagnostics"].as_array().unwrap().clone();
    (out.status.code(), diagnostics, stderr)
}

/// `pactum check FILE` (human output): the exit code and stderr.
fn check_human(file: &Path) -> (Option<i32>, String) {
    let out = pactum()
        .arg("check")
        .arg(file)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn assert_no_crash(what: &str, stderr: &str) {
    for sign in CRASH {
        assert!(!stderr.contains(sign), "{what}: crashed:\n{stderr}");
    }
}

/// Run `file` through both output formats and check it is refused as `case` says.
fn assert_refused(file: &Path, case: &Case) {
    let name = file.display().to_string();
    let (code, diagnostics, stderr) = check_json(file);
    assert_eq!(code, Some(1), "{name}: exit code\n{stderr}");
    assert_no_crash(&name, &stderr);
    assert_eq!(
        diagnostics.len(),
        1,
        "{name}: one problem: {diagnostics:#?}"
    );
    let d = &diagnostics[0];
    assert_eq!(d["kind"], case.kind, "{name}: {d:#}");
    assert_eq!(d["file"], name, "{name}: {d:#}");
    let at = d["line"].as_u64().zip(d["column"].as_u64());
    assert_eq!(at, case.at, "{name}: (line, column): {d:#}");
    assert_eq!(d["path"].as_str(), case.path, "{name}: term path: {d:#}");
    let text = format!(
        "{} {}",
        d["message"].as_str().unwrap(),
        d["hint"].as_str().unwrap_or("")
    );
    assert!(text.contains(case.says), "{name}: `{}` in {d:#}", case.says);
    assert!(
        !text.chars().any(|c| reorders_or_controls(c) && c != '\n'),
        "{name}: control characters echoed: {text:?}"
    );

    let (code, stderr) = check_human(file);
    assert_eq!(code, Some(1), "{name}: exit code (human)\n{stderr}");
    assert_no_crash(&name, &stderr);
    assert!(
        stderr.contains(&format!("error[{}]", case.kind)),
        "{name}:\n{stderr}"
    );
    // NO_COLOR is set, so any control character here came from the input.
    assert!(
        !stderr.chars().any(|c| reorders_or_controls(c) && c != '\n'),
        "{name}: control characters reach the terminal:\n{stderr:?}"
    );
    if let Some((line, column)) = case.at {
        assert!(
            stderr.contains(&format!("{name}:{line}:{column}")),
            "{name}: position in human output:\n{stderr}"
        );
    }
}

/// A character that must never be echoed: a control character, or a bidi embedding or
/// override (which would show the message's text reordered).
fn reorders_or_controls(c: char) -> bool {
    c.is_control() || ('\u{202A}'..='\u{202E}').contains(&c)
}

fn corpus(file: &str) -> PathBuf {
    Path::new("tests/corpus").join(file)
}

#[test]
fn every_corpus_file_is_refused_with_its_own_kind_and_position() {
    for case in CASES {
        assert_refused(&corpus(case.file), case);
    }
}

#[test]
fn every_corpus_file_is_in_the_table() {
    let mut listed: Vec<&str> = CASES.iter().map(|c| c.file).collect();
    listed.extend(["valid.yaml", "bom.yaml", "bidi-isolates.yaml"]);
    for entry in std::fs::read_dir(common::root().join("tests/corpus")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(listed.contains(&name.as_str()), "{name} has no case");
    }
}

#[test]
fn the_valid_base_its_bom_copy_and_bidi_isolates_pass() {
    for file in ["valid.yaml", "bom.yaml", "bidi-isolates.yaml"] {
        let (code, diagnostics, stderr) = check_json(&corpus(file));
        assert_eq!(code, Some(0), "{file}: {diagnostics:#?}\n{stderr}");
        assert!(diagnostics.is_empty());
    }
    let bytes = std::fs::read(common::root().join("tests/corpus/bom.yaml")).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "bom.yaml keeps its BOM");
}

#[test]
fn billion_laughs_is_refused_before_any_expansion() {
    let started = Instant::now();
    let (code, diagnostics, _) = check_json(&corpus("billion-laughs.yaml"));
    assert_eq!(code, Some(1));
    assert_eq!(diagnostics[0]["kind"], "yaml-anchor");
    // Expanded, the aliases would be 10^9 strings: minutes and gigabytes.
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn a_file_over_one_mib_is_refused_unread() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("round-1.yaml");
    let text = format!("template: sister-city\ntitle: {}\n", "x".repeat(MAX_BYTES));
    std::fs::write(&file, text).unwrap();
    assert_refused(
        &file,
        &case(
            "",
            "too-large",
            None,
            None,
            "the limit is 1048576 bytes (1 MiB)",
        ),
    );
}

/// Terms nested `levels` deep in one of the ways YAML nests, and where the 33rd level (one past
/// the limit) starts: `(line, column)`, or the line alone when the column depends on which
/// check catches it.
fn nested(shape: &str, levels: usize) -> (String, u64, Option<u64>) {
    let head = "template: sister-city\n";
    match shape {
        // title: [[[…]]]: the 33rd `[`.
        "flow lists" => (
            format!(
                "{head}title: {}{}\n",
                "[".repeat(levels),
                "]".repeat(levels)
            ),
            2,
            Some(8 + 32),
        ),
        // title: {a: {a: …1}}.
        "flow mappings" => (
            format!(
                "{head}title: {}1{}\n",
                "{a: ".repeat(levels),
                "}".repeat(levels)
            ),
            2,
            Some(8 + 32 * 4),
        ),
        // title:\n  - - - … x: the parser recurses per level and overflowed the stack here.
        "block lists" => (
            format!("{head}title:\n  {}x\n", "- ".repeat(levels)),
            3,
            Some(3 + 32 * 2),
        ),
        // title:\n a:\n  a:\n …: one more space per level.
        "indented mappings" => {
            let mut text = format!("{head}title:\n");
            for i in 0..levels {
                text.push_str(&format!("{}a:\n", " ".repeat(i + 1)));
            }
            (text, 35, None)
        }
        _ => unreachable!(),
    }
}

#[test]
fn deep_nesting_is_refused_without_overflowing_the_stack() {
    let dir = tempfile::tempdir().unwrap();
    let shapes = [
        ("flow lists", &[100, 1000, 100_000][..]),
        ("flow mappings", &[100, 1000, 100_000]),
        // 500 000 levels is the deepest that fits in 1 MiB.
        ("block lists", &[100, 1000, 100_000, 500_000]),
        // 1000 levels take 500 KB.
        ("indented mappings", &[100, 1000]),
    ];
    for (shape, depths) in shapes {
        for &levels in depths {
            let (text, line, column) = nested(shape, levels);
            assert!(
                text.len() <= MAX_BYTES,
                "{shape} {levels}: over the size limit"
            );
            let file = dir
                .path()
                .join(format!("{}-{levels}.yaml", shape.replace(' ', "-")));
            std::fs::write(&file, &text).unwrap();
            let started = Instant::now();
            let (code, diagnostics, stderr) = check_json(&file);
            let what = format!("{shape}, {levels} levels");
            assert_eq!(code, Some(1), "{what}: exit code\n{stderr}");
            assert_no_crash(&what, &stderr);
            assert_eq!(diagnostics.len(), 1, "{what}: {diagnostics:#?}");
            let d = &diagnostics[0];
            assert_eq!(d["kind"], "too-deep", "{what}: {d:#}");
            let limit = format!("more than {MAX_DEPTH} levels");
            assert!(
                d["message"].as_str().unwrap().contains(&limit),
                "{what}: {d:#}"
            );
            assert_eq!(d["line"], line, "{what}: {d:#}");
            if let Some(column) = column {
                assert_eq!(d["column"], column, "{what}: {d:#}");
            }
            assert!(started.elapsed() < Duration::from_secs(10), "{what}: slow");
        }
    }
}

#[test]
fn a_missing_file_and_a_folder_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("round-9.yaml");
    assert_refused(
        &missing,
        &case("", "io", None, None, "cannot read the file"),
    );
    assert_refused(
        dir.path(),
        &case("", "not-a-file", None, None, "this is a folder"),
    );
}

#[test]
fn render_into_an_unwritable_place_fails_cleanly_and_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    // A name no other test uses, so `out/<agreement>` can be checked as well.
    let agreement = dir.path().join("corpus-unwritable-target");
    std::fs::create_dir(&agreement).unwrap();
    let terms = agreement.join("round-1.yaml");
    std::fs::copy(common::root().join("tests/corpus/valid.yaml"), &terms).unwrap();
    // Tests run as root, so permission bits would not stop the write: use a path whose
    // parent is a regular file.
    let blocker = dir.path().join("blocker");
    std::fs::write(&blocker, "a regular file").unwrap();

    let targets = [
        (blocker.join("out"), blocker.join("out/round-1.pdf"), false),
        (blocker.join("x.pdf"), blocker.join("x.pdf"), false),
        (blocker.join("out"), blocker.join("out/round-1.json"), true),
    ];
    for (output, named, emit_typ) in targets {
        let mut cmd = pactum();
        cmd.arg("render").arg(&terms).arg("-o").arg(&output);
        if emit_typ {
            cmd.args(["--emit", "typ"]);
        }
        let out = cmd.timeout(Duration::from_secs(120)).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        let what = format!("-o {}", output.display());
        assert_eq!(out.status.code(), Some(1), "{what}\n{stderr}");
        assert_no_crash(&what, &stderr);
        assert!(stderr.contains("error[output]"), "{what}\n{stderr}");
        assert!(
            stderr.contains(&named.display().to_string()),
            "{what}: names the path\n{stderr}"
        );
    }
    let files = common::files_under(dir.path());
    assert!(
        !files
            .iter()
            .any(|f| f.to_string_lossy().ends_with(".partial")),
        "a partial file was left: {files:#?}"
    );
    assert_eq!(files.len(), 2, "only the terms and the blocker: {files:#?}");
    assert_eq!(std::fs::read(&blocker).unwrap(), b"a regular file");
    assert!(!common::root().join("out/corpus-unwritable-target").exists());
}
