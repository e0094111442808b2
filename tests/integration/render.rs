//! `pactum render`, `templates` and `new`, end to end: real PDFs read back with pdftotext.

use crate::common;

use std::path::Path;

use common::{no_ws, pactum, pdf_text};
use pactum::pipeline::Pipeline;
use pactum::template::{Catalog, Mode};

/// Every shipped example, its latest round.
fn examples() -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for dir in std::fs::read_dir(common::root().join("agreements"))
        .unwrap()
        .flatten()
    {
        let round = pactum::terms::rounds::pick(&dir.path(), None).unwrap();
        out.push(round.path);
    }
    out.sort();
    out
}

#[test]
fn example_pdf_holds_parties_theme_and_every_article_heading() {
    let pipeline = Pipeline::new(Catalog::builtin());
    let out = tempfile::tempdir().unwrap();
    for example in examples() {
        let loaded = pipeline
            .load(&example)
            .unwrap_or_else(|r| panic!("{:?}", r.diagnostics));
        let pdf = out.path().join("x.pdf");
        common::render(&example, &pdf);
        let text = no_ws(&pdf_text(&pdf));
        // Every language version: its party names and every article heading.
        let doc = pipeline.fill(&loaded, Mode::Draft).unwrap();
        for (lang, version) in loaded.terms.languages().iter().zip(&doc.versions) {
            let terms = loaded.terms.in_language(lang);
            for party in terms["parties"].as_array().unwrap() {
                let name = party["official_name"].as_str().unwrap();
                assert!(
                    text.contains(&no_ws(name)),
                    "{} lacks party {name}",
                    example.display()
                );
            }
            // A declaration in oath form has no articles; every other form has several.
            let declaration = loaded.template.name == "twinning-declaration";
            assert!(
                declaration || version.articles.len() >= 5,
                "{} has only {} articles",
                example.display(),
                version.articles.len()
            );
            for article in &version.articles {
                let heading = pactum::model::plain::inlines(&article.heading);
                for printed in [&heading, &article.label] {
                    assert!(
                        text.contains(&no_ws(printed)),
                        "{} lacks {printed:?}",
                        example.display(),
                    );
                }
            }
        }
        assert!(
            ["DRAFT", "UTKAST", "草案", "ENTWURF", "PROJEKT"]
                .iter()
                .any(|w| text.contains(w)),
            "draft marking missing in {}",
            example.display()
        );
    }
}

/// `pactum render` gets the document's fonts, languages and Typst's caches ready on another
/// core while it fills the document (`Engine::warm`); a pipeline used from the library does
/// not. The PDFs must not differ by a byte, in English and in Chinese.
#[test]
fn warming_the_engine_changes_no_byte() {
    let pipeline = Pipeline::new(Catalog::builtin());
    let out = tempfile::tempdir().unwrap();
    for example in ["malmo-kaohsiung/round-3.yaml", "lund-tainan/round-2.yaml"] {
        let path = common::root().join("agreements").join(example);
        let loaded = pipeline
            .load(&path)
            .unwrap_or_else(|r| panic!("{:?}", r.diagnostics));
        let cold = pipeline
            .render(&loaded, Mode::Draft)
            .unwrap_or_else(|r| panic!("{:?}", r.diagnostics));
        let pdf = out.path().join("warm.pdf");
        common::render(&path, &pdf);
        let warm = std::fs::read(&pdf).unwrap();
        assert!(warm.len() > 10_000, "{example}: {} bytes", warm.len());
        assert!(cold.pdf == warm, "{example}: the warmed render differs");
    }
}

#[test]
fn thematic_example_names_its_themes() {
    let example = common::root().join("agreements/malmo-kaohsiung/round-3.yaml");
    let pipeline = Pipeline::new(Catalog::builtin());
    let loaded = pipeline
        .load(&example)
        .unwrap_or_else(|r| panic!("{:?}", r.diagnostics));
    let rendered = pipeline
        .render(&loaded, Mode::Draft)
        .unwrap_or_else(|r| panic!("{:?}", r.diagnostics));
    let text = no_ws(&common::pdf_bytes_text(&rendered.pdf));
    let themes = loaded.terms.value["themes"]
        .as_array()
        .expect("themes listed");
    assert!(!themes.is_empty());
    for theme in themes {
        let title = theme["title"].as_str().or_else(|| theme.as_str()).unwrap();
        assert!(text.contains(&no_ws(title)), "theme {title} missing");
    }
}

#[test]
fn default_output_path_and_emit_typ() {
    let work = tempfile::tempdir().unwrap();
    let agreement = work.path().join("agreements/trial");
    std::fs::create_dir_all(&agreement).unwrap();
    std::fs::copy(
        common::root().join("agreements/malmo-kaohsiung/round-1.yaml"),
        agreement.join("round-1.yaml"),
    )
    .unwrap();
    let mut cmd = pactum();
    cmd.current_dir(work.path())
        .args(["render", "agreements/trial/round-1.yaml", "--emit", "typ"]);
    cmd.assert().success();
    let pdf = work.path().join("out/trial/round-1.pdf");
    let typ = work.path().join("out/trial/round-1.typ");
    assert!(pdf.is_file() && typ.is_file());
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF-"));
    // The source is the layout, reading the document model written beside it.
    let source = std::fs::read_to_string(&typ).unwrap();
    assert!(
        source.starts_with("#let model = json(\"round-1.json\")\n"),
        "{source:.80}"
    );
    let model: serde_json::Value =
        serde_json::from_slice(&std::fs::read(work.path().join("out/trial/round-1.json")).unwrap())
            .unwrap();
    assert_eq!(model["format"], pactum::model::FORMAT);
    assert!(model["versions"][0]["articles"].as_array().unwrap().len() > 5);
    // Nothing half-written is left beside the outputs.
    let leftovers: Vec<_> = std::fs::read_dir(work.path().join("out/trial"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains("partial"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn final_copy_has_no_draft_marking() {
    let out = tempfile::tempdir().unwrap();
    let pdf = out.path().join("final.pdf");
    pactum()
        .args([
            "render",
            "agreements/malmo-kaohsiung/round-3.yaml",
            "--final",
            "-o",
        ])
        .arg(&pdf)
        .assert()
        .success();
    let text = pdf_text(&pdf);
    assert!(!text.contains("DRAFT"), "final copy still marked DRAFT");
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(
        String::from_utf8_lossy(&bytes).contains("pdfaid:part"),
        "final copy is PDF/A"
    );
}

#[test]
fn templates_lists_both_and_prints_schema() {
    let out = pactum().arg("templates").output().unwrap();
    let list = String::from_utf8_lossy(&out.stdout);
    assert!(
        list.contains("thematic-partnership") && list.contains("sister-city"),
        "{list}"
    );
    let out = pactum()
        .args(["templates", "sister-city"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let schema = String::from_utf8_lossy(&out.stdout);
    for row in [
        "parties[].official_name",
        "parties[].representative.name",
        "round",
    ] {
        assert!(schema.contains(row), "schema lacks {row}:\n{schema}");
    }
    pactum()
        .args(["templates", "../../etc/passwd"])
        .assert()
        .failure();
}

#[test]
fn new_writes_a_commented_starter_that_parses() {
    for template in ["thematic-partnership", "sister-city"] {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("agreement");
        pactum()
            .arg("new")
            .arg(template)
            .arg(&target)
            .assert()
            .success();
        let starter = std::fs::read_to_string(target.join("round-1.yaml")).unwrap();
        assert!(starter.contains(&format!("template: {template}")));
        assert!(
            starter
                .lines()
                .filter(|l| l.trim_start().starts_with("# "))
                .count()
                > 10,
            "{starter}"
        );
        // The starter is valid YAML with every required term present: check passes.
        pactum()
            .arg("check")
            .arg(target.join("round-1.yaml"))
            .assert()
            .success();
        // A second `new` never overwrites.
        pactum()
            .arg("new")
            .arg(template)
            .arg(&target)
            .assert()
            .failure();
    }
}

#[test]
fn an_agreement_folder_renders_its_latest_round() {
    let out = tempfile::tempdir().unwrap();
    common::render(Path::new("agreements/lund-tainan"), out.path());
    assert!(out.path().join("round-2.pdf").is_file());
}

/// A Latin-script agreement needs only the embedded fonts: no font folder is read for it (the
/// layout carries no Chinese words unless the document has a Chinese version).
#[test]
fn a_latin_script_agreement_needs_only_the_embedded_fonts() {
    let pipeline = Pipeline::new(Catalog::builtin());
    let example = common::root().join("agreements/malmo-kaohsiung/round-3.yaml");
    let loaded = pipeline.load(&example).unwrap();
    let doc = pipeline.fill(&loaded, Mode::Draft).unwrap();
    assert!(
        pipeline
            .engine()
            .covers(&pactum::model::plain::document(&doc))
    );
    let rendered = pipeline.render(&loaded, Mode::Draft).unwrap();
    assert!(
        rendered
            .fonts
            .iter()
            .all(|f| f.family == "Libertinus Serif"),
        "{:?}",
        rendered.fonts
    );
}

#[test]
fn counterpart_file_names_are_party_names_in_ascii() {
    use pactum::terms::settings::CopyId;
    let name = |party: &str| {
        let copy = CopyId {
            party: Some(party.to_string()),
            language: None,
        };
        pactum::pipeline::pdf_name("round-3", Mode::Final, &copy)
    };
    assert_eq!(name("Malmö"), "round-3-final-malmo.pdf");
    assert_eq!(name("Berg (Jämtland)"), "round-3-final-berg-jamtland.pdf");
    assert_eq!(name("Bodø"), "round-3-final-bodo.pdf");
    assert_eq!(name("Jönköping"), "round-3-final-jonkoping.pdf");
    assert_eq!(name("Straße"), "round-3-final-strasse.pdf");
    // Chinese is written in pinyin, syllable by syllable.
    assert_eq!(name("臺南市"), "round-3-final-tai-nan-shi.pdf");
    assert_eq!(name("高雄"), "round-3-final-gao-xiong.pdf");
    // A name deunicode cannot write gets a stable hash.
    let private = name("\u{e000}\u{e001}");
    assert!(private.starts_with("round-3-final-party-"), "{private}");
    assert_eq!(private.len(), "round-3-final-party-12345678.pdf".len());
    assert_eq!(private, name("\u{e000}\u{e001}"));
    assert_ne!(private, name("\u{e002}"));
}
