//! `pactum diff` and `history` on the shipped negotiation rounds: the terms diff names exactly
//! the terms that changed, the redline marks exactly the words that changed in the right
//! articles, an inserted article is one insertion (no cascade), and the redline PDF carries
//! both deleted and inserted words with the changed terms on its first page.

use crate::common;

use common::{pactum, pdf_text, squash};
use serde_json::Value;
use std::path::PathBuf;

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
            ("duration", "changed"),
            // The action plan annex now defers to the working group's article (review S5).
            ("annexes", "changed")
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
            // With the youth area, the youth form of cooperation goes (review S4).
            ("forms[5]", "removed"),
            ("data_protection", "added")
        ])
    );
    assert_eq!(
        changed_clauses(&d),
        pairs(&[
            ("areas", "changed"),
            ("forms", "changed"),
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
    // The term told by what it changed in the text, not by its key.
    assert!(
        text.contains("“a period of three years.” → “a period of four years.”"),
        "{text}"
    );
    assert!(!text.contains("Term, years"), "{text}");
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
        "Signatures: “Malmö, 20 May 2027” → “Malmö, 10 June 2027”",
        "Article 4 “Areas of cooperation”: removed “5. Youth exchange:",
        "Article 8 “Data protection and confidentiality” inserted:",
    ] {
        assert!(
            first_page.contains(term),
            "first page lacks {term}: {first_page}"
        );
    }
    assert!(
        first_page.contains("Redline: round 2 (22 February 2027) → round 3 (29 March 2027)"),
        "the rounds and their dates in the header: {first_page}"
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
    assert!(lines[1].contains("Article 7 inserted"), "{text}");
    assert!(lines[2].contains("Article 8 inserted"), "{text}");
    // A clause changed in each of three language versions is one change in the summary, said
    // in the first version's language.
    let out = pactum()
        .args(["history", "agreements/lund-tainan"])
        .current_dir(common::root())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.lines().nth(1).is_some_and(|l| l.ends_with(
            "Ändrade villkor: 3; Artikel 2 har ändrats, Artikel 4 har ändrats, \
             Artikel 8 har ändrats, Artikel 9 har lagts till"
        )),
        "{text}"
    );
}

/// The words a PDF prints, running footers aside: Latin words split at spaces (hyphenation
/// undone), each Han character a word of its own.
fn printed_words(pdf: &std::path::Path) -> Vec<String> {
    let text = pdf_text(pdf).replace("\u{ad}\n", "").replace('\u{ad}', "");
    let footer = |line: &str| {
        let t = line.trim();
        ["DRAFT —", "UTKAST —", "草案 —", "Redline "]
            .iter()
            .any(|m| t.contains(m))
            || t.split('/').count() == 2 && t.split('/').all(|n| n.trim().parse::<u32>().is_ok())
    };
    let mut words = Vec::new();
    for line in text.lines().filter(|l| !footer(l)) {
        for word in line.split_whitespace() {
            let mut latin = String::new();
            for c in word.chars() {
                if ('\u{2e80}'..='\u{9fff}').contains(&c)
                    || ('\u{3000}'..='\u{303f}').contains(&c)
                    || ('\u{ff00}'..='\u{ffef}').contains(&c)
                {
                    if !latin.is_empty() {
                        words.push(std::mem::take(&mut latin));
                    }
                    words.push(c.to_string());
                } else {
                    latin.push(c);
                }
            }
            if !latin.is_empty() {
                words.push(latin);
            }
        }
    }
    words
}

fn four_grams(words: &[String]) -> Vec<String> {
    words.windows(4).map(|w| w.join(" ")).collect()
}

#[test]
fn the_redline_holds_what_each_round_prints() {
    // Every word 4-gram each of the two latest rounds prints (footers aside) is in the
    // redline's text: the redline is the agreement as printed, with the changes marked in
    // place (numbers, bullets, titles, references and the signature table included).
    let dir = tempfile::tempdir().unwrap();
    for agreement in ["agreements/malmo-kaohsiung", "agreements/lund-tainan"] {
        let rounds = pactum::terms::rounds::rounds(&common::root().join(agreement)).unwrap();
        let [.., old, new] = rounds.as_slice() else {
            panic!("two rounds")
        };
        let redline = dir.path().join("redline.pdf");
        pactum()
            .arg("diff")
            .arg(&old.path)
            .arg(&new.path)
            .args(["--format", "pdf", "-o"])
            .arg(&redline)
            .assert()
            .code(1);
        let in_redline: std::collections::HashSet<String> =
            four_grams(&printed_words(&redline)).into_iter().collect();
        for round in [old, new] {
            let pdf = dir.path().join("round.pdf");
            common::render(&round.path, &pdf);
            let grams = four_grams(&printed_words(&pdf));
            let missing: Vec<&String> = grams.iter().filter(|g| !in_redline.contains(*g)).collect();
            let coverage = 1.0 - missing.len() as f64 / grams.len() as f64;
            assert!(
                coverage >= 0.96,
                "{}: {:.1}% of its 4-grams in the redline; missing e.g. {:?}",
                round.path.display(),
                coverage * 100.0,
                &missing[..missing.len().min(12)]
            );
            eprintln!("{}: {:.1}%", round.path.display(), coverage * 100.0);
        }
    }
}

/// Two rounds of the Lund–Tainan agreement: round 2 moves the implementation article to
/// follow the establishment (`articles: [{id: implementation, after: establishment}]`),
/// merges two means of exchange into one and splits another in two. (folder, templates,
/// round 1, round 2)
pub fn merged_split_and_moved() -> (tempfile::TempDir, PathBuf, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let templates = dir.path().join("templates");
    common::copy_dir(&common::root().join("templates"), &templates);

    let source = common::shipped("agreements/lund-tainan/round-2.yaml");
    let mut old: serde_yaml_ng::Value = serde_yaml_ng::from_str(&source).unwrap();
    old["round"] = 1.into();
    old["implementation"]["joint_committee"] = false.into();
    let mut new = old.clone();
    new["round"] = 2.into();
    new["implementation"]["joint_committee"] = true.into();
    new["articles"] =
        serde_yaml_ng::from_str("[{id: implementation, after: establishment}]").unwrap();
    let means = old["means"].as_sequence().unwrap().clone();
    let lang = |item: &serde_yaml_ng::Value, l: &str| item[l].as_str().unwrap().to_string();
    let mut merged = serde_yaml_ng::Mapping::new();
    let mut first = serde_yaml_ng::Mapping::new();
    let mut second = serde_yaml_ng::Mapping::new();
    for (l, and) in [("sv", " och "), ("zh-TW", "及"), ("en", " and ")] {
        let a = lang(&means[0], l);
        let a = a.trim_end_matches([';', '；']);
        merged.insert(l.into(), format!("{a}{and}{}", lang(&means[1], l)).into());
        let last = lang(&means[3], l);
        let (x, y) = last.split_once(and).unwrap();
        first.insert(l.into(), format!("{x};").into());
        second.insert(l.into(), y.to_string().into());
    }
    new["means"] = serde_yaml_ng::Value::Sequence(vec![
        merged.into(),
        means[2].clone(),
        first.into(),
        second.into(),
    ]);
    let write = |name: &str, v: &serde_yaml_ng::Value| {
        let path = dir.path().join("agreements/trial").join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, serde_yaml_ng::to_string(v).unwrap()).unwrap();
        path
    };
    let (r1, r2) = (write("round-1.yaml", &old), write("round-2.yaml", &new));

    (dir, templates, r1, r2)
}

#[test]
fn merged_and_split_items_and_a_moved_article_show_as_such_in_json_and_pdf() {
    let (dir, templates, r1, r2) = merged_split_and_moved();
    let json = pactum()
        .arg("--templates")
        .arg(&templates)
        .arg("diff")
        .arg(&r1)
        .arg(&r2)
        .args(["--language", "en", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        json.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&json.stderr)
    );
    let d: Value = serde_json::from_slice(&json.stdout).unwrap();
    let implementation = clause(&d, "implementation");
    assert_eq!(implementation["status"], "moved");
    let means = clause(&d, "means");
    let notes: Vec<(&str, &str)> = means["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["kind"].as_str().unwrap(), n["text"].as_str().unwrap()))
        .collect();
    assert_eq!(
        notes,
        [
            ("merged", "Merged from items 1 and 2"),
            ("split", "Split from item 4"),
            ("split", "Split from item 4")
        ]
    );

    let pdf = dir.path().join("redline.pdf");
    pactum()
        .arg("--templates")
        .arg(&templates)
        .arg("diff")
        .arg(&r1)
        .arg(&r2)
        .args(["--format", "pdf", "-o"])
        .arg(&pdf)
        .assert()
        .code(1);
    let text = squash(&pdf_text(&pdf));
    for note in [
        "[Merged from items 1 and 2]",
        "[Split from item 4]",
        "[Moved from Article 4]",
        "[Sammanslagen av punkterna 1 och 2]",
        "[由第一及二項合併]",
        "[由第四項分拆]",
        "[自第四條移來]",
    ] {
        assert!(text.contains(note), "{note} missing:\n{text}");
    }
}

/// The redline's head speaks the document's first language (review S21): the changed terms'
/// heading and what is unchanged, with the language's own names and "and".
#[test]
fn the_redline_head_is_in_the_documents_first_language() {
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("redline.html");
    let out = pactum()
        .current_dir(common::root())
        .args(["diff", "agreements/lund-tainan", "--format", "html", "-o"])
        .arg(&html)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&html).unwrap();
    assert!(text.contains("Ändrade villkor"), "{text}");
    assert!(
        text.contains("Artiklarna 1, 3, 5–7, 10, Ingressen och Underskrifter är oförändrade"),
        "{text}"
    );
    assert!(!text.contains("Changed terms") && !text.contains(" unchanged"));
}
