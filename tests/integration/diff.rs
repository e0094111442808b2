//! `pactum diff` and `history` on the shipped negotiation rounds: the terms diff names exactly
//! the terms that changed, the redline marks exactly the words that changed in the right
//! articles, an inserted article is one insertion (no cascade), and the redline PDF carries
//! both deleted and inserted words with the changed terms on its first page.

use crate::common;

use common::{pactum, pdf_text, squash};
use serde_json::Value;

const AGREEMENT: &str = "agreements/malmo-kaohsiung";

fn diff_json(args: &[&str]) -> Value {
    let out = pactum()
        .arg("diff")
        .arg(AGREEMENT)
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "rounds differ: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json")
}

fn terms(d: &Value) -> Vec<(String, String)> {
    d["terms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["path"].as_str().unwrap().into(),
                t["kind"].as_str().unwrap().into(),
            )
        })
        .collect()
}

fn changed_clauses(d: &Value) -> Vec<(String, String)> {
    d["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] != "unchanged")
        .map(|c| {
            (
                c["id"].as_str().unwrap().into(),
                c["status"].as_str().unwrap().into(),
            )
        })
        .collect()
}

fn clause<'a>(d: &'a Value, id: &str) -> &'a Value {
    d["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap()
}

/// The deleted and inserted texts of a clause, in order.
fn marks(c: &Value) -> (Vec<String>, Vec<String>) {
    let of = |kind: &str| {
        c["segments"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["kind"] == kind)
            .map(|s| squash(s["text"].as_str().unwrap()))
            .collect()
    };
    (of("delete"), of("insert"))
}

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn round_1_to_2_names_exactly_the_changed_terms_and_words() {
    let d = diff_json(&["--from", "1", "--to", "2"]);
    assert_eq!(d["version"], 1);
    assert_eq!(
        terms(&d),
        pairs(&[
            ("areas[0].activities[0]", "changed"),
            ("term.years", "changed"),
            ("working_group", "added")
        ])
    );
    assert_eq!(
        changed_clauses(&d),
        pairs(&[
            ("areas", "changed"),
            ("working-group", "inserted"),
            ("duration", "changed")
        ])
    );
    assert_eq!(
        marks(clause(&d, "duration")),
        (vec!["three".to_string()], vec!["four".to_string()])
    );
    let (deleted, inserted) = marks(clause(&d, "areas"));
    assert_eq!(deleted, vec!["security"]);
    assert_eq!(inserted, vec![", security", "preparedness", ", analysing"]);
}

#[test]
fn inserted_article_in_the_middle_is_one_insertion_not_a_cascade() {
    let d = diff_json(&[]);
    assert_eq!(d["old"]["round"], 2);
    assert_eq!(d["new"]["round"], 3);
    assert_eq!(
        terms(&d),
        pairs(&[
            ("signing.date", "changed"),
            ("areas[4]", "removed"),
            ("data_protection", "added")
        ])
    );
    assert_eq!(
        changed_clauses(&d),
        pairs(&[
            ("areas", "changed"),
            ("data-protection", "inserted"),
            ("languages", "changed"),
            ("signatures", "changed")
        ])
    );
    let inserted = clause(&d, "data-protection");
    let (old_n, new_n) = (
        inserted["old_number"].clone(),
        inserted["new_number"].as_u64().unwrap(),
    );
    assert!(old_n.is_null());
    let total = d["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["new_number"].is_u64())
        .count() as u64;
    assert!(
        new_n > 2 && new_n < total,
        "article {new_n} of {total} is in the middle"
    );
    // Every later article is renumbered, and none of them is reported as changed for it.
    let renumbered = d["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| {
            c["old_number"].is_u64()
                && c["new_number"].is_u64()
                && c["old_number"] != c["new_number"]
        })
        .count();
    assert!(renumbered >= 5, "later articles renumbered: {renumbered}");
    // The dropped area's words are marked deleted, in the areas article only.
    let (deleted, inserted) = marks(clause(&d, "areas"));
    assert!(inserted.is_empty(), "{inserted:?}");
    assert!(deleted.concat().contains("Youth exchange"), "{deleted:?}");
    assert_eq!(
        marks(clause(&d, "languages")),
        (vec!["20 May".to_string()], vec!["10 June".to_string()])
    );
}

#[test]
fn terminal_output_marks_words_without_colour_when_piped() {
    let out = pactum()
        .args(["diff", AGREEMENT, "--from", "1", "--to", "2"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Term, years: 3 → 4"), "{text}");
    assert!(text.contains("[-three-]{+four+}"), "{text}");
    assert!(!text.contains('\u{1b}'), "no escape codes when piped");
    let coloured = pactum()
        .args(["--color", "always", "diff", AGREEMENT])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&coloured.stdout).contains('\u{1b}'));
}

#[test]
fn exit_codes_follow_diff() {
    let same = format!("{AGREEMENT}/round-2.yaml");
    pactum().args(["diff", &same, &same]).assert().code(0);
    pactum()
        .args(["diff", &same, "no/such/round-9.yaml"])
        .assert()
        .code(2);
    pactum()
        .args(["diff", AGREEMENT, "--from", "7"])
        .assert()
        .code(2);
}

#[test]
fn redline_pdf_shows_both_sides_and_summarises_terms_first() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("redline.pdf");
    pactum()
        .args(["diff", AGREEMENT, "--format", "pdf", "-o"])
        .arg(&pdf)
        .assert()
        .code(1);
    let text = pdf_text(&pdf);
    let first_page = squash(text.split('\u{c}').next().unwrap());
    for term in [
        "Signing, date: 2027-05-20 → 2027-06-10",
        "Article 4, area 5 ‘Youth exchange’ removed",
        "Article 8 ‘Data protection and confidentiality’ added",
    ] {
        assert!(
            first_page.contains(term),
            "first page lacks {term}: {first_page}"
        );
    }
    assert!(
        first_page.contains("2027-02-22") && first_page.contains("2027-03-29"),
        "dates in the header"
    );
    let all = squash(&text);
    assert!(all.contains("Youth exchange"), "deleted words kept");
    assert!(
        all.contains("Data protection and confidentiality"),
        "inserted article shown"
    );
    assert!(all.contains("20 May") && all.contains("10 June"));
}

#[test]
fn history_summarises_each_round() {
    let out = pactum().args(["history", AGREEMENT]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(lines[0].contains("first round"));
    assert!(lines[1].contains("working-group inserted"), "{text}");
    assert!(
        lines[2].contains("data-protection inserted") || lines[2].contains("1 inserted"),
        "{text}"
    );
}
