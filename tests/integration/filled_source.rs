//! Snapshots of the filled document model, one per template: a change to a template's output
//! is a reviewed change (`cargo insta review`).

use crate::common;

use pactum::pipeline::Pipeline;
use pactum::template::{Catalog, Mode};

fn filled(example: &str, mode: Mode) -> String {
    let pipeline = Pipeline::new(Catalog::builtin());
    let loaded = pipeline
        .load(&common::root().join(example))
        .unwrap_or_else(|r| panic!("{:?}", r.diagnostics));
    let doc = pipeline
        .fill(&loaded, mode)
        .unwrap_or_else(|r| panic!("{:?}", r.diagnostics));
    serde_json::to_string_pretty(&doc).unwrap()
}

#[test]
fn thematic_partnership_source() {
    insta::assert_snapshot!(
        "thematic-partnership",
        filled("agreements/malmo-kaohsiung/round-3.yaml", Mode::Draft)
    );
}

#[test]
fn sister_city_source() {
    insta::assert_snapshot!(
        "sister-city",
        filled("agreements/lund-tainan/round-1.yaml", Mode::Final)
    );
}
