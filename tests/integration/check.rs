//! `pactum check`: every problem reported with file:line:column and the term's path, exit 1.

use crate::common;

use common::pactum;

/// The shipped round-1 example with three problems put in: a wrong type (`round: three`),
/// an unknown key (`titel`, so `title` is also missing) and a missing signatory name.
fn three_problem_file(dir: &std::path::Path) -> std::path::PathBuf {
    let example = common::shipped("agreements/malmo-kaohsiung/round-1.yaml");
    let broken = example
        .replacen("round: 1\n", "round: three\n", 1)
        .replacen("title: Memorandum", "titel: Memorandum", 1)
        .replacen("      name: Lin Chia-hao\n", "", 1);
    assert_eq!(
        broken.matches("three").count(),
        example.matches("three").count() + 1
    );
    assert!(
        broken.contains("titel:") && !broken.contains("Lin Chia-hao"),
        "example changed; update this test"
    );
    let path = dir.join("round-1.yaml");
    std::fs::write(&path, broken).unwrap();
    path
}

fn line_of(path: &std::path::Path, needle: &str) -> usize {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .position(|l| l.contains(needle))
        .unwrap()
        + 1
}

#[test]
fn reports_unknown_key_missing_term_and_wrong_type_together() {
    let dir = tempfile::tempdir().unwrap();
    let file = three_problem_file(dir.path());
    let shown = file.display().to_string();
    let out = pactum().arg("check").arg(&file).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    // Wrong type: `round: three`.
    assert!(
        err.contains("error[wrong-type]: `round` must be a whole number, found `three`"),
        "{err}"
    );
    assert!(
        err.contains(&format!("{shown}:{}:8", line_of(&file, "round: three"))),
        "{err}"
    );
    // Unknown key with a suggestion.
    assert!(
        err.contains("error[unknown-key]: unknown term `titel`"),
        "{err}"
    );
    assert!(
        err.contains(&format!("{shown}:{}:1", line_of(&file, "titel:"))),
        "{err}"
    );
    assert!(err.contains("did you mean `title`?"), "{err}");
    // Missing required terms: `title`, and the second party's signatory name (pointed at its
    // sibling `title: Mayor`).
    assert!(err.contains("required term `title` is missing"), "{err}");
    assert!(
        err.contains("required term `parties[1].representative.name` is missing"),
        "{err}"
    );
    assert!(
        err.contains(&format!("{shown}:{}:7", line_of(&file, "title: Mayor"))),
        "{err}"
    );
    assert!(err.contains("4 problem(s)"), "exactly these four: {err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn reports_yaml_syntax_error_with_location() {
    let out = pactum()
        .args(["check", "tests/fixtures/yaml-syntax.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("error[yaml-syntax]"), "{err}");
    assert!(err.contains("tests/fixtures/yaml-syntax.yaml:4:"), "{err}");
}

#[test]
fn all_four_kinds_in_one_run_and_json() {
    let dir = tempfile::tempdir().unwrap();
    let out = pactum()
        .args(["check", "--format", "json"])
        .arg(three_problem_file(dir.path()))
        .arg("tests/fixtures/yaml-syntax.yaml")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    let kinds: Vec<&str> = json
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["diagnostics"].as_array().unwrap())
        .map(|d| d["kind"].as_str().unwrap())
        .collect();
    for kind in ["unknown-key", "missing-term", "wrong-type", "yaml-syntax"] {
        assert!(kinds.contains(&kind), "{kind} missing from {kinds:?}");
    }
    let first = &json[0]["diagnostics"][0];
    assert!(
        first["line"].as_u64().is_some() && first["column"].as_u64().is_some(),
        "{first}"
    );
    assert!(first["path"].as_str().is_some(), "{first}");
}

#[test]
fn shipped_examples_pass() {
    let examples = common::shipped_rounds();
    assert!(
        examples.len() >= 4,
        "expected shipped example rounds, found {examples:?}"
    );
    pactum().arg("check").args(&examples).assert().success();
}
