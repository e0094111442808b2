//! Real agreements fit: the forms pactum offers (three templates, the declaration in oath and
//! charter form), entry into force, the parties' designation, a new language added as a
//! folder with no Rust, German as the proof, the register lint, and the defects a municipal
//! lawyer and a Taiwanese drafter found, each read back from the rendered PDF.

use crate::common;

use std::path::{Path, PathBuf};

use common::{check_json, no_ws, pactum, pdf_text, shipped, squash};

/// `terms` written as `round-9.yaml` in `dir` (a temporary folder); the file's path.
fn written(dir: &Path, terms: &str) -> PathBuf {
    let file = dir.join("round-9.yaml");
    std::fs::write(&file, terms).unwrap();
    file
}

/// Render `terms` (written to a temporary folder) and read its text back.
fn rendered(dir: &Path, terms: &str, args: &[&str]) -> String {
    let file = written(dir, terms);
    let pdf = dir.join("out.pdf");
    common::render_with(&file, &pdf, args);
    squash(&pdf_text(&pdf))
}

#[test]
fn templates_offers_three_forms() {
    let out = pactum().arg("templates").output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    for form in [
        "sister-city",
        "thematic-partnership",
        "twinning-declaration",
    ] {
        assert!(text.contains(form), "{form} listed:\n{text}");
    }
}

#[test]
fn the_declaration_in_oath_form_pledges_in_the_mayors_words() {
    let dir = tempfile::tempdir().unwrap();
    let text = rendered(
        dir.path(),
        &shipped("agreements/krostitz-vernassal/round-1.yaml"),
        &[],
    );
    assert!(
        text.contains("We, Wolfgang Frauendorf, Mayor of Krostitz"),
        "{text}"
    );
    assert!(text.contains("solemnly pledge"), "{text}");
    // And in German, the language of the real oath.
    let german = shipped("agreements/krostitz-vernassal/round-1.yaml")
        .replace("languages: [en]", "languages: [de]");
    let text = rendered(dir.path(), &german, &[]);
    assert!(text.contains("Wir, Wolfgang Frauendorf"), "{text}");
    assert!(text.contains("geloben"), "{text}");
}

#[test]
fn entry_into_force_follows_the_choice_in_every_language() {
    let dir = tempfile::tempdir().unwrap();
    let base = shipped("agreements/lund-tainan/round-2.yaml");
    // The Swedish text is a non-binding "överenskommelse", so "den" (review 2026-12, S1).
    for (choice, en, sv, zh) in [
        (
            "on: signature",
            "take effect on the date of its signature by both Cities",
            "börjar gälla den dag då den har undertecknats av båda städerna",
            "自雙方簽署之日起生效",
        ),
        (
            "on: date\n  date: 2028-01-01",
            "take effect on 1 January 2028",
            "börjar gälla den 1 januari 2028",
            "自2028年1月1日起生效",
        ),
        (
            "on: approval",
            "that their councils have approved it",
            "har godkänts av deras fullmäktige",
            "業經各自議會同意之日起生效",
        ),
        (
            "on: ratification",
            "that their councils have ratified it",
            "har ratificerat den",
            "業經各自議會批准",
        ),
    ] {
        let terms = format!("{base}\nentry_into_force:\n  {choice}\n");
        let text = rendered(dir.path(), &terms, &[]);
        assert!(text.contains(en), "{choice}: {en}");
        assert!(text.contains(sv), "{choice}: {sv}");
        assert!(no_ws(&text).contains(zh), "{choice}: {zh}");
    }
    // A date before the signing, or none with `on: date`, is refused at its term.
    for (choice, path) in [
        ("on: date\n  date: 2020-01-01", "entry_into_force.date"),
        ("on: date", "entry_into_force.date"),
    ] {
        let (code, d) = check_json(&written(
            dir.path(),
            &format!("{base}\nentry_into_force:\n  {choice}\n"),
        ));
        assert_eq!(code, Some(1), "{choice}");
        assert_eq!(d[0]["diagnostics"][0]["path"], path, "{choice}: {d}");
    }
}

#[test]
fn the_parties_are_named_as_what_they_are() {
    let dir = tempfile::tempdir().unwrap();
    let base = shipped("agreements/lund-tainan/round-2.yaml");
    // Both parties counties, by their kind.
    let counties = base.replace(
        "  - official_name:\n",
        "  - kind: county\n    official_name:\n",
    );
    assert_eq!(counties.matches("kind: county").count(), 2);
    let text = rendered(dir.path(), &counties, &[]);
    assert!(
        text.contains("together referred to as “the Counties” and each as “a County”"),
        "{text}"
    );
    assert!(text.contains("gemensamt kallade ”regionerna”"), "{text}");
    assert!(
        no_ws(&text).contains("以下合稱「雙方」，分稱「一方」"),
        "{text}"
    );
    // A city and an association: the Parties.
    let mixed = base.replacen(
        "  - official_name:\n",
        "  - kind: city\n    official_name:\n",
        1,
    );
    let mixed = mixed.replacen(
        "  - official_name:\n",
        "  - kind: association\n    official_name:\n",
        1,
    );
    let text = rendered(dir.path(), &mixed, &[]);
    assert!(text.contains("“the Parties”"), "{text}");
    // Said outright.
    let text = rendered(
        dir.path(),
        &format!("{base}\nparties_called: municipalities\n")
            .replace("relationship: sister-city", "relationship: partnership"),
        &[],
    );
    assert!(text.contains("“the Municipalities”"), "{text}");
    assert!(
        text.contains("hereby establish a partnership between them"),
        "{text}"
    );
}

/// A templates folder whose one new language, Dutch, is a folder of clause text and a words
/// file, copied from German and relabelled: no Rust knows `nl`.
fn with_dutch(dir: &Path) -> PathBuf {
    let templates = dir.join("templates");
    common::copy_dir(&common::root().join("templates"), &templates);
    for folder in [
        "shared/clauses",
        "sister-city/clauses",
        "thematic-partnership/clauses",
        "twinning-declaration/clauses",
    ] {
        let from = templates.join(folder).join("de");
        let to = templates.join(folder).join("nl");
        std::fs::create_dir_all(&to).unwrap();
        common::copy_dir(&from, &to);
    }
    let words = std::fs::read_to_string(templates.join("shared/words/de.yaml"))
        .unwrap()
        .replace("lang: de, region: DE", "lang: nl, region: NL")
        .replace("Artikel {n}", "Artikel {n} (NL)")
        .replace("\nlanguages:", "\nnamed_in: {en: Dutch}\nlanguages:");
    std::fs::write(templates.join("shared/words/nl.yaml"), words).unwrap();
    templates
}

#[test]
fn a_new_language_is_a_folder() {
    let dir = tempfile::tempdir().unwrap();
    let templates = with_dutch(dir.path());
    let terms = shipped("agreements/malmo-kaohsiung/round-3.yaml")
        .replace("languages: [en]", "languages: [nl, en]")
        .replace("prevailing: en", "prevailing: nl");
    let text = rendered(
        dir.path(),
        &terms,
        &["--templates", templates.to_str().unwrap()],
    );
    assert!(text.contains("Artikel 1 (NL)"), "{text}");
    assert!(text.contains("Article 1"), "{text}");
    // The built-in templates alone do not know it.
    let (code, d) = check_json(&written(dir.path(), &terms));
    assert_eq!(code, Some(1), "{d}");
}

#[test]
fn german_is_shipped_for_every_form_with_an_example() {
    let dir = tempfile::tempdir().unwrap();
    let text = rendered(
        dir.path(),
        &shipped("agreements/berg-berg/round-1.yaml"),
        &[],
    );
    assert!(text.contains("Partnerschaftsvereinbarung"), "{text}");
    assert!(text.contains("Överenskommelse"), "{text}");
    // Berg–Berg is the sister-city form in German; the English examples of the other forms
    // are rendered in German (their texts, given once, serve every language).
    for (template, example) in [
        (
            "thematic-partnership",
            "agreements/malmo-kaohsiung/round-3.yaml",
        ),
        (
            "twinning-declaration",
            "agreements/koto-surrey/round-1.yaml",
        ),
        (
            "twinning-declaration",
            "agreements/krostitz-vernassal/round-1.yaml",
        ),
    ] {
        let terms = shipped(example)
            .replace("languages: [en]", "languages: [de]")
            .replace("prevailing: en", "prevailing: de");
        assert!(terms.contains("languages: [de]"), "{example}");
        let text = rendered(dir.path(), &terms, &[]);
        assert!(text.contains("ENTWURF — Runde"), "{template}: {text}");
        let articles = text.matches("Artikel ").count();
        assert!(
            articles >= 2 || example.contains("krostitz"),
            "{template}: German articles in\n{text}"
        );
    }
}

#[test]
fn check_warns_of_a_register_that_contradicts_the_legal_status() {
    let dir = tempfile::tempdir().unwrap();
    let binding = shipped("agreements/malmo-kaohsiung/round-3.yaml")
        .replace("legal_status: non-binding", "legal_status: binding");
    let (code, d) = check_json(&written(dir.path(), &binding));
    assert_eq!(code, Some(0), "warnings only: {d}");
    let warnings: Vec<(&str, &str)> = d[0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            assert_eq!(w["severity"], "warning");
            assert_eq!(w["kind"], "register");
            (w["path"].as_str().unwrap(), w["message"].as_str().unwrap())
        })
        .collect();
    assert!(
        warnings
            .iter()
            .any(|(p, m)| *p == "title" && m.contains("memorandum")),
        "{warnings:?}"
    );
    assert!(
        warnings
            .iter()
            .any(|(p, m)| *p == "annexes[0].intro" && m.contains("participants")),
        "{warnings:?}"
    );
    // The shipped, non-binding rounds are quiet.
    let (_, d) = check_json(&written(
        dir.path(),
        &shipped("agreements/malmo-kaohsiung/round-3.yaml"),
    ));
    assert_eq!(d[0]["diagnostics"], serde_json::json!([]));
}

/// "the Parties" in a non-binding text is the user's wording unless the agreement itself is
/// called that way (`parties_called: parties`); the caret is under the word, on its line.
#[test]
fn the_register_lint_knows_the_agreements_own_designation_and_points_at_the_word() {
    let dir = tempfile::tempdir().unwrap();
    let note = "\narticles:\n  - id: note\n    title: Note\n    text: >-\n      Each city will keep\n      the other informed, as the Parties agreed.\n";
    let base = shipped("agreements/malmo-kaohsiung/round-3.yaml") + note;
    let (code, d) = check_json(&written(dir.path(), &base));
    assert_eq!(code, Some(0), "{d}");
    let warnings = d[0]["diagnostics"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    let w = &warnings[0];
    assert_eq!(w["path"], "articles[0].text");
    let (line, column) = base
        .lines()
        .enumerate()
        .find_map(|(i, l)| {
            l.find("Parties")
                .map(|c| (i + 1, l[..c].chars().count() + 1))
        })
        .unwrap();
    assert_eq!(
        (w["line"].as_u64(), w["column"].as_u64()),
        (Some(line as u64), Some(column as u64)),
        "{w}"
    );

    let called = format!("{base}parties_called: parties\n");
    let (code, d) = check_json(&written(dir.path(), &called));
    assert_eq!(
        (code, &d[0]["diagnostics"]),
        (Some(0), &serde_json::json!([]))
    );
}

#[test]
fn what_the_reviewers_sent_back_is_fixed() {
    let dir = tempfile::tempdir().unwrap();
    let malmo = shipped("agreements/malmo-kaohsiung/round-3.yaml");
    let text = rendered(dir.path(), &malmo, &[]);
    // A one-language agreement names no prevailing text.
    assert!(!text.contains("prevail"), "{text}");
    // Personal data leaving the EU/EEA has its GDPR transfer basis, the one the terms chose
    // (review 2026-12, S2: no clauses that no one has concluded).
    assert!(
        text.contains("in accordance with Chapter V of the General Data Protection Regulation")
    );
    assert!(text.contains("only with the explicit consent of the person concerned"));
    assert!(!text.contains("standard data protection clauses"));

    let lund = shipped("agreements/lund-tainan/round-2.yaml");
    let text = rendered(dir.path(), &lund, &[]);
    // The council chair co-signs; only the representative represents.
    assert!(
        text.contains(
            "represented by Johan Ekström, Chair of the Municipal Executive Board, hereinafter"
        ),
        "{text}"
    );
    assert!(text.contains("Maria Holmgren"), "co-signs");
    // The usual Chinese formulas; two originals in all, each in every language, as the other
    // texts say (一式兩份，每份均以…繕製), not two in each language (各繕兩份, six instruments:
    // review 2026-12, K1).
    let chinese = no_ws(&text);
    assert!(!chinese.contains("各繕"), "{chinese}");
    for formula in [
        "一式兩份，每份均以中文、瑞典文及英文繕製",
        "各種文字本同一作準",
        "自雙方簽署之日起生效",
        "以下合稱「雙方」",
    ] {
        assert!(chinese.contains(formula), "{formula} in\n{chinese}");
    }
    // No signing place: the Chinese sentence stays whole.
    let no_place = lund.replace("  place:", "  # place:");
    let text = no_ws(&rendered(dir.path(), &no_place, &[]));
    assert!(
        text.contains("本協定書於2027年10月15日簽署，一式兩份，每份均以中文"),
        "{text}"
    );
    let undated = no_place.replace("  date: 2027-10-15", "  # date");
    let text = no_ws(&rendered(dir.path(), &undated, &[]));
    assert!(
        text.contains("本協定書一式兩份，每份均以中文、瑞典文及英文繕製"),
        "{text}"
    );
    // In the presence of: the council chair among the witnesses.
    let presence = lund.replacen(
        "    co_signatory:\n",
        "    co_signatory_capacity: presence\n    co_signatory:\n",
        1,
    );
    let text = rendered(dir.path(), &presence, &[]);
    let witnesses = text.split("In the presence of").nth(1).unwrap_or_default();
    assert!(witnesses.contains("Maria Holmgren"), "{text}");
    // A country already in the official name is printed once.
    let usa = malmo
        .replace(
            "official_name: Kaohsiung City Government",
            "official_name: City of Springfield, United States of America",
        )
        .replace(
            "country_label: Taiwan",
            "country_label: United States of America",
        );
    let text = rendered(dir.path(), &usa, &[]);
    assert!(
        !text.contains("United States of America, United States of America"),
        "{text}"
    );
    assert!(text.contains("City of Springfield, United States of America"));
    // Three parties cannot share two originals equally.
    let (code, d) = check_json(&written(dir.path(), &three_parties(&malmo)));
    assert_eq!(code, Some(1), "{d}");
    assert_eq!(d[0]["diagnostics"][0]["path"], "originals.count", "{d}");
}

/// The Malmö–Kaohsiung memorandum with a third party.
fn three_parties(malmo: &str) -> String {
    let third = "  - official_name: City of Turku\n    short_name: Turku\n    country_label: Finland\n    representative:\n      name: Anna Virtanen\n      title: Mayor\nrecitals:";
    malmo.replacen("recitals:", third, 1)
}

#[test]
fn the_starter_title_names_its_instrument() {
    let dir = tempfile::tempdir().unwrap();
    for (template, instrument) in [
        ("sister-city", "Agreement"),
        ("thematic-partnership", "Memorandum"),
    ] {
        let folder = dir.path().join(template);
        pactum()
            .args(["new", template])
            .arg(&folder)
            .assert()
            .success();
        let text = std::fs::read_to_string(folder.join("round-1.yaml")).unwrap();
        let title = text.lines().find(|l| l.starts_with("title:")).unwrap();
        assert!(title.contains(instrument), "{template}: {title}");
    }
}
