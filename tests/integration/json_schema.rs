//! `pactum schema`: the shipped examples validate against their template's emitted JSON Schema
//! with a real validator, and a misspelt key does not — the same verdicts `pactum check` gives.

use crate::common;

use common::pactum;
use serde_json::Value;

fn schema(template: &str) -> Value {
    let out = pactum().args(["schema", template]).output().unwrap();
    assert!(out.status.success());
    serde_json::from_slice(&out.stdout).expect("schema is JSON")
}

fn terms(path: &str) -> Value {
    let text = common::shipped(path);
    serde_yaml_ng::from_str(&text).expect("example is YAML")
}

/// Every shipped round, with the template it names.
fn examples() -> Vec<(String, String)> {
    common::shipped_rounds()
        .into_iter()
        .map(|rel| {
            let template = terms(&rel)["template"].as_str().unwrap().to_string();
            (rel, template)
        })
        .collect()
}

#[test]
fn shipped_examples_validate_against_their_schema() {
    let examples = examples();
    assert!(examples.len() >= 5);
    for (path, template) in examples {
        let validator = jsonschema::draft7::new(&schema(&template)).expect("valid schema");
        let errors: Vec<String> = validator
            .iter_errors(&terms(&path))
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{path}: {errors:?}");
    }
}

#[test]
fn unknown_or_missing_terms_fail_schema_validation() {
    let validator = jsonschema::draft7::new(&schema("thematic-partnership")).unwrap();
    let good = terms("agreements/malmo-kaohsiung/round-1.yaml");
    let mut typo = good.clone();
    let title = typo.as_object_mut().unwrap().remove("title").unwrap();
    typo["titel"] = title;
    assert!(!validator.is_valid(&typo), "unknown key `titel` must fail");
    let mut nested = good.clone();
    nested["parties"][0]["representative"]["nmae"] = "X".into();
    assert!(!validator.is_valid(&nested), "unknown nested key must fail");
    let mut wrong = good;
    wrong["round"] = "three".into();
    assert!(!validator.is_valid(&wrong), "wrong type must fail");
}

#[test]
fn new_writes_schema_and_editor_comment() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("a");
    pactum()
        .arg("new")
        .arg("sister-city")
        .arg(&target)
        .assert()
        .success();
    let starter = std::fs::read_to_string(target.join("round-1.yaml")).unwrap();
    assert!(
        starter.starts_with("# yaml-language-server: $schema=./sister-city.schema.json\n"),
        "{starter}"
    );
    let written: Value =
        serde_json::from_slice(&std::fs::read(target.join("sister-city.schema.json")).unwrap())
            .unwrap();
    assert_eq!(written, schema("sister-city"));
    // The starter itself is valid against it.
    let validator = jsonschema::draft7::new(&written).unwrap();
    let value: Value = serde_yaml_ng::from_str(&starter).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&value)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
}
