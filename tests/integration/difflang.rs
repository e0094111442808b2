//! The redline and the terminal diff in the reader's language (issue 31, S21): the changed
//! terms as sentences in the document's first language (in the terminal, each version's in
//! its own), no English verbs, internal ids, file names, enum values, raw keys or ISO dates.

use crate::common::{self, has, lacks, pactum, pdf_text, squash};

/// The first page of the redline PDF of `args`, read back with pdftotext, and every page.
fn redline(args: &[&str]) -> (String, String) {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("redline.pdf");
    pactum()
        .arg("diff")
        .args(args)
        .args(["--format", "pdf", "-o"])
        .arg(&pdf)
        .assert()
        .code(1);
    let text = pdf_text(&pdf);
    let first = squash(text.split('\u{c}').next().unwrap());
    (first, squash(&text))
}

/// Whether `text` holds a date written `YYYY-MM-DD`.
fn has_iso_date(text: &str) -> bool {
    let b = text.as_bytes();
    (0..b.len().saturating_sub(9)).any(|i| {
        let d = |k: usize| b[i + k].is_ascii_digit();
        d(0) && d(1)
            && d(2)
            && d(3)
            && b[i + 4] == b'-'
            && d(5)
            && d(6)
            && b[i + 7] == b'-'
            && d(8)
            && d(9)
    })
}

#[test]
fn a_swedish_first_redline_summarises_in_swedish() {
    let (first, all) = redline(&["agreements/lund-tainan"]);
    has(
        &first,
        "Ändringar: omgång 1 (14 juni 2027) → omgång 2 (5 juli 2027)",
    );
    has(&first, "Ändrade villkor");
    has(&first, "Artikel 2 ”Utbytesområden”: tillägg ”5. Turism:");
    has(
        &first,
        "Artikel 4 ”Genomförande”: tillägg ”De utsedda enheterna kommer att sammanträda som en gemensam vänortskommitté",
    );
    has(
        &first,
        "Artikel 9 ”Uppsägning” har lagts till: ”Vardera staden",
    );
    has(&first, "sex månaders uppsägningstid");
    // The head is the summary; the English version's text comes later in the document.
    let head = first.split("Artiklarna").next().unwrap();
    for english in [
        "Article",
        " added",
        "removed",
        "field",
        "joint committee",
        "notice months",
        "yes",
        "Redline",
        "round",
        "Changed terms",
        "Inserted",
    ] {
        lacks(head, english);
    }
    // The footer on every page: the rounds in Swedish.
    has(&all, "Ändringar omgång 1 → omgång 2");
    lacks(&all, "Redline");
}

#[test]
fn an_english_redline_shows_no_enum_value_raw_key_or_iso_date() {
    for from in ["1", "2"] {
        let (first, _) = redline(&["agreements/malmo-kaohsiung", "--from", from, "--to", "3"]);
        let head = first.split("Memorandum of Understanding").next().unwrap();
        has(head, "Changed terms");
        assert!(!has_iso_date(head), "an ISO date in: {head}");
        for raw in [
            "contact-details-only",
            "contact details only",
            "personal data:",
            "laws:",
            "party:",
            "Term, years",
            "alternating:",
            "action plan years",
            ": yes",
            ": no",
            "form 6",
            "youth;", // the enum value of the form removed, not its text
        ] {
            lacks(head, raw);
        }
        has(
            head,
            "Signatures: “Malmö, 20 May 2027” → “Malmö, 10 June 2027”",
        );
        has(
            head,
            "Article 5 “Forms of cooperation”: removed “• exchanges between young people",
        );
        if from == "1" {
            has(
                head,
                "“a period of three years.” → “a period of four years.”",
            );
            has(
                head,
                "Article 7 “Working group” inserted: “The Participants will establish",
            );
        }
    }
}

#[test]
fn the_terminal_diff_speaks_each_versions_language() {
    let out = pactum()
        .args(["diff", "agreements/lund-tainan"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    // The rounds by number and date, in the first language; no file names.
    assert!(
        text.starts_with("--- omgång 1 (14 juni 2027)\n+++ omgång 2 (5 juli 2027)\n"),
        "{text}"
    );
    lacks(&text, ".yaml");
    let section = |from: &str, to: &str| {
        let rest = text
            .split(from)
            .nth(1)
            .unwrap_or_else(|| panic!("{from} in {text}"));
        rest.split(to).next().unwrap().to_string()
    };
    let sv = section("=== svenska (sv) ===", "===");
    let zh = section("=== 中文 (zh-TW) ===", "===");
    let en = section("=== English (en) ===", "\u{0}");
    for (s, heading) in [
        (&sv, "Ändrade villkor"),
        (&zh, "修改之條款"),
        (&en, "Changed terms"),
    ] {
        has(s, heading);
        // No internal ids.
        for id in [
            "(fields)",
            "(implementation)",
            "(termination)",
            "(duration)",
        ] {
            lacks(s, id);
        }
    }
    for s in [&sv, &zh] {
        for english in [
            " changed",
            " inserted",
            " unchanged",
            " renumbered",
            "Article",
            "Preamble",
            "Terms:",
            " added",
        ] {
            lacks(s, english);
        }
    }
    has(&sv, "Artikel 2 har ändrats");
    has(&sv, "Artikel 9 har lagts till");
    has(&sv, "Artikel 10 (tidigare Artikel 9) har fått nytt nummer");
    has(
        &sv,
        "Artiklarna 1, 3, 5–7, 10, Ingressen och Underskrifter är oförändrade",
    );
    has(&zh, "第二條已修改");
    has(&zh, "新增第九條");
    has(&zh, "第十條（原第九條）重新編號");
    has(&en, "Article 9 inserted");
    // A note stands at the item it marks, not under the heading.
    has(&sv, "{+5. Turism+}  [Ny]");
    has(&zh, "  [新增]");
    assert!(
        !sv.lines().any(|l| l.trim() == "[Ny]"),
        "a note alone under the heading: {sv}"
    );
}

#[test]
fn every_shipped_language_words_its_summary() {
    // A redline written in each shipped language's words has no English summary word.
    for (agreement, words) in [
        (
            "agreements/ostroda-osterode",
            ["Zmiany: runda 1", "Zmienione postanowienia"],
        ),
        (
            "agreements/jonkoping-bodo-svendborg-kuopio",
            ["Ändringar: omgång 1", "Ändrade villkor"],
        ),
    ] {
        let (first, _) = redline(&[agreement]);
        for w in words {
            has(&first, w);
        }
        let head = first.split(words[1]).nth(1).unwrap().to_string();
        for english in [" inserted", " added", "removed", "Redline", "round "] {
            lacks(head.split("Bez zmian").next().unwrap(), english);
        }
    }
    let _ = common::root();
}

/// A Chinese-first draft: Lund–Tainan's round 2 with the Chinese version first.
fn chinese_first(dir: &std::path::Path) -> std::path::PathBuf {
    let text = common::shipped("agreements/lund-tainan/round-2.yaml");
    let (before, after) = text.split_once("\nlanguages: ").expect("a languages line");
    let rest = after.split_once('\n').map_or("", |(_, r)| r);
    let path = dir.join("round-2.yaml");
    std::fs::write(
        &path,
        format!("{before}\nlanguages: [zh-TW, sv, en]\n{rest}"),
    )
    .unwrap();
    path
}

#[test]
fn a_chinese_first_drafts_mark_is_chinese_drawn_as_outlines() {
    use pactum::pipeline::Pipeline;
    use pactum::template::{Catalog, Mode};
    let dir = tempfile::tempdir().unwrap();
    let path = chinese_first(dir.path());
    let pipeline = Pipeline::new(Catalog::builtin());
    let loaded = pipeline.load(&path).unwrap();
    let doc = pipeline.fill(&loaded, Mode::Draft).unwrap();
    assert_eq!(doc.versions[0].lang, "zh-TW");
    let word = pactum::write::mark::word(&doc, &loaded.template.words);
    assert_eq!(word.as_deref(), Some("草案"));
    // The mark is drawn from the outlines of 草 and 案 in the Chinese face: two glyphs'
    // worth of curves, each a closed outline.
    let svg = pactum::write::mark::svg(pipeline.engine(), &doc, "草案").expect("outlines");
    assert!(svg.matches('M').count() >= 10, "{svg}");
    assert!(svg.matches('Z').count() >= 10, "{svg}");
    let latin = pactum::write::mark::svg(pipeline.engine(), &doc, "DRAFT").unwrap();
    assert_ne!(svg, latin);
    // The PDF: the mark is drawn, not set, so the draft's text holds no mark word; the
    // model the layout reads carries the Chinese mark's outlines.
    let pdf = dir.path().join("zh.pdf");
    pactum()
        .arg("render")
        .arg(&path)
        .arg("-o")
        .arg(&pdf)
        .assert()
        .success();
    let text = pdf_text(&pdf);
    lacks(&text, "DRAFT");
    let model = pactum::write::pdf::write(
        &pactum::write::pdf::Press {
            engine: pipeline.engine(),
            timeout: std::time::Duration::from_secs(60),
            date: None,
            ident: "test",
            pdf_a: false,
            folder: None,
            han: None,
        },
        &loaded.template,
        &doc,
        None,
    )
    .map_err(|_| "typeset")
    .unwrap()
    .model;
    let model: serde_json::Value = serde_json::from_slice(&model).unwrap();
    assert_eq!(model["draft_mark"].as_str(), Some(svg.as_str()));
}

#[test]
fn every_shipped_language_has_a_draft_mark_of_its_own() {
    let root = common::root().join("templates/shared/words");
    for (lang, mark) in [
        ("en", "DRAFT"),
        ("sv", "UTKAST"),
        ("zh-TW", "草案"),
        ("de", "ENTWURF"),
        ("pl", "PROJEKT"),
    ] {
        let text = std::fs::read_to_string(root.join(format!("{lang}.yaml"))).unwrap();
        has(&text, &format!("\ndraft_mark: {mark}\n"));
    }
}
