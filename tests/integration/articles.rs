//! The terms' own articles (`articles:`), built-in ones left out (`omit:`) and Roman numbering,
//! as a drafter uses them on the shipped examples: `check` passes, the article prints in every
//! language version under its number, Latin-script headings and references use Roman
//! numerals (Chinese keeps 第N條), `diff` shows the article inserted, and mistakes are reported
//! at their term.

use crate::common;

use common::{pactum, pdf_text, squash};

/// The bespoke article of the issue, as a drafter adds it (no `after`), in every language the
/// round has.
fn with_policies(round: &str, languages: &[&str]) -> String {
    let title: Vec<String> = languages
        .iter()
        .map(|l| {
            let t = match *l {
                "sv" => "Riktlinjer för samarbetet",
                "zh-TW" => "政策及準則",
                _ => "Policies and guidelines",
            };
            format!("{l}: \"{t}\"")
        })
        .collect();
    let text: Vec<String> = languages
        .iter()
        .map(|l| {
            let t = match *l {
                "sv" => "Parterna följer den ena stadens riktlinjer för vänortsrelationer.\\n\\nSe även [](#languages).",
                "zh-TW" => "雙方遵循一方城市之姊妹市關係政策。\\n\\n另見[](#languages)。",
                _ => "The Parties will follow one city's policy on sister-city relations.\\n\\nSee also [](#languages).",
            };
            format!("{l}: \"{t}\"")
        })
        .collect();
    let next = round
        .lines()
        .find_map(|l| l.strip_prefix("round: "))
        .and_then(|n| n.trim().parse::<u32>().ok())
        .unwrap()
        + 1;
    let round = round.replacen(
        &format!("round: {}", next - 1),
        &format!("round: {next}"),
        1,
    );
    format!(
        "{round}\nnumbering: roman\narticles:\n  - id: policies\n    title: {{{}}}\n    text: {{{}}}\n",
        title.join(", "),
        text.join(", ")
    )
}

#[test]
fn a_bespoke_article_with_roman_numbering_on_each_shipped_example() {
    for (agreement, latest, languages) in [
        ("malmo-kaohsiung", 3, &["en"][..]),
        ("lund-tainan", 2, &["sv", "zh-TW", "en"][..]),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join(agreement);
        std::fs::create_dir_all(&folder).unwrap();
        let source = std::fs::read_to_string(
            common::root().join(format!("agreements/{agreement}/round-{latest}.yaml")),
        )
        .unwrap();
        std::fs::write(folder.join(format!("round-{latest}.yaml")), &source).unwrap();
        let next = folder.join(format!("round-{}.yaml", latest + 1));
        std::fs::write(&next, with_policies(&source, languages)).unwrap();

        pactum().arg("check").arg(&next).assert().success();
        let pdf = dir.path().join("next.pdf");
        common::render(&next, &pdf);
        let text = squash(&pdf_text(&pdf));
        for lang in languages {
            let (heading, body) = match *lang {
                "sv" => ("Riktlinjer för samarbetet", "den ena stadens riktlinjer"),
                "zh-TW" => ("政策及準則", "雙方遵循一方城市之姊妹市關係政策"),
                _ => (
                    "Policies and guidelines",
                    "one city's policy on sister-city relations",
                ),
            };
            assert!(
                text.contains(heading),
                "{agreement}: {lang} heading in\n{text}"
            );
            assert!(text.contains(body), "{agreement}: {lang} text");
        }
        // Latin-script headings and references in Roman numerals; Chinese keeps 第N條.
        assert!(text.contains("Article I "), "{agreement}: {text}");
        assert!(!text.contains("Article 1 "), "{agreement}");
        if languages.contains(&"sv") {
            assert!(text.contains("Artikel II "), "{text}");
            assert!(text.contains("第二條"), "{text}");
        }
        // The reference to the languages article prints its (Roman) number.
        assert!(
            regex_like(&text, "See also Article ", "."),
            "{agreement}: a reference in Roman numerals:\n{text}"
        );

        let out = pactum()
            .arg("diff")
            .arg(&folder)
            .args(["--format", "json"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        let d: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let inserted: Vec<&serde_json::Value> = d["clauses"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["id"] == "policies")
            .collect();
        assert_eq!(
            inserted.len(),
            languages.len(),
            "{agreement}: one per version"
        );
        assert!(
            inserted.iter().all(|c| c["status"] == "inserted"),
            "{agreement}: {inserted:?}"
        );
        // The terminal's summary numbers the unchanged articles as the round prints them.
        let out = pactum().arg("diff").arg(&folder).output().unwrap();
        let terminal = String::from_utf8_lossy(&out.stdout);
        let summary = terminal
            .lines()
            .find(|l| l.starts_with("Articles ") && l.ends_with(" unchanged"))
            .unwrap_or_else(|| panic!("{agreement}: no summary line in\n{terminal}"));
        assert!(summary.starts_with("Articles I–"), "{agreement}: {summary}");
    }
}

/// Whether `text` holds `before`, then a Roman numeral, then `after`.
fn regex_like(text: &str, before: &str, after: &str) -> bool {
    text.match_indices(before).any(|(i, _)| {
        let rest = &text[i + before.len()..];
        let numeral: String = rest.chars().take_while(|c| "IVXLC".contains(*c)).collect();
        !numeral.is_empty() && rest[numeral.len()..].starts_with(after)
    })
}

#[test]
fn omit_leaves_an_article_out_and_refuses_a_required_one() {
    let dir = tempfile::tempdir().unwrap();
    let source =
        std::fs::read_to_string(common::root().join("agreements/lund-tainan/round-2.yaml"))
            .unwrap();
    let terms = dir.path().join("round-3.yaml");
    std::fs::write(&terms, format!("{source}\nomit: [means]\n")).unwrap();
    let pdf = dir.path().join("out.pdf");
    common::render(&terms, &pdf);
    let text = squash(&pdf_text(&pdf));
    assert!(!text.contains("Means of exchange"), "omitted");
    assert!(text.contains("Fields of exchange"));

    std::fs::write(&terms, format!("{source}\nomit: [languages, mean]\n")).unwrap();
    let out = pactum()
        .arg("check")
        .arg(&terms)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let d: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let problems: Vec<(String, String, u64)> = d[0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["path"].as_str().unwrap_or_default().to_string(),
                format!(
                    "{} {}",
                    p["message"].as_str().unwrap_or_default(),
                    p["hint"].as_str().unwrap_or_default()
                ),
                p["line"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    let lines = source.lines().count() as u64;
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert_eq!(problems[0].0, "omit[0]");
    assert!(problems[0].1.contains("cannot be omitted"), "{problems:?}");
    assert_eq!(problems[1].0, "omit[1]");
    assert!(
        problems[1].1.contains("did you mean `means`"),
        "{problems:?}"
    );
    assert!(
        problems.iter().all(|p| p.2 > lines),
        "at the omit line: {problems:?}"
    );
}

#[test]
fn templates_lists_the_built_in_article_ids() {
    let out = pactum()
        .args(["templates", "sister-city"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    for id in [
        "establishment",
        "fields",
        "means",
        "implementation",
        "duration",
        "languages",
    ] {
        assert!(
            text.lines().any(|l| l.trim_start().starts_with(id)),
            "{id} listed:\n{text}"
        );
    }
}
