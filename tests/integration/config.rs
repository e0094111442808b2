//! `pactum.toml`: optional project defaults (output folder, extra template folders, default
//! languages), found in the working folder or a parent; flags win; a bad key is a clear error.

use crate::common;

use common::{pactum, pdf_text};

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let example = common::shipped("agreements/malmo-kaohsiung/round-1.yaml");
    // No `languages`, and no prevailing text among languages pactum.toml may set.
    let without_language: String = example
        .lines()
        .filter(|l| !l.starts_with("languages:") && !l.contains("prevailing:"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::create_dir_all(dir.path().join("agreements/trial")).unwrap();
    std::fs::write(
        dir.path().join("agreements/trial/round-1.yaml"),
        without_language,
    )
    .unwrap();
    // A user template folder: a copy of a built-in template under a new name.
    let own = dir.path().join("tpl/my-partnership");
    std::fs::create_dir_all(&own).unwrap();
    let manifest = common::shipped("templates/sister-city/template.yaml");
    let manifest = manifest.replacen("description:", "description: (ours)", 1);
    std::fs::write(own.join("template.yaml"), manifest).unwrap();
    std::fs::create_dir_all(own.join("clauses")).unwrap();
    common::copy_dir(
        &common::root().join("templates/sister-city/clauses"),
        &own.join("clauses"),
    );
    std::fs::write(
        dir.path().join("pactum.toml"),
        "output = \"pdfs\"\ntemplates = [\"tpl\"]\nlanguages = [\"sv\"]\n",
    )
    .unwrap();
    dir
}

#[test]
fn config_sets_output_templates_and_language() {
    let dir = project();
    let sub = dir.path().join("agreements");
    // Found from a subfolder too.
    pactum()
        .current_dir(&sub)
        .args(["render", "trial/round-1.yaml"])
        .assert()
        .success();
    let pdf = dir.path().join("pdfs/trial/round-1.pdf");
    assert!(pdf.is_file(), "output folder from pactum.toml");
    let text = pdf_text(&pdf);
    let months = [
        "januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
    ];
    assert!(
        months.iter().any(|m| text.contains(m)),
        "Swedish dates from the default language:\n{text}"
    );
    // pactum.toml's languages apply before the terms are checked: a prevailing text they do
    // not list is an error that says where the languages came from.
    let terms = dir.path().join("agreements/trial/round-1.yaml");
    let text = std::fs::read_to_string(&terms).unwrap();
    let with_prevailing = text.replace("  count: 2\n", "  count: 2\n  prevailing: en\n");
    assert_ne!(text, with_prevailing);
    std::fs::write(&terms, &with_prevailing).unwrap();
    let out = pactum()
        .current_dir(dir.path())
        .args(["check", "agreements/trial/round-1.yaml"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("the prevailing text `en` is not one of the agreement's languages")
            && stderr.contains("pactum.toml's `languages` lists sv"),
        "{stderr}"
    );
    std::fs::write(&terms, &text).unwrap();
    let list = pactum()
        .current_dir(dir.path())
        .arg("templates")
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&list.stdout).contains("my-partnership"),
        "user template listed"
    );
    // A flag wins over the file.
    pactum()
        .current_dir(dir.path())
        .args([
            "render",
            "agreements/trial/round-1.yaml",
            "-o",
            "elsewhere/x.pdf",
        ])
        .assert()
        .success();
    assert!(dir.path().join("elsewhere/x.pdf").is_file());
}

#[test]
fn works_without_config_and_rejects_bad_keys() {
    let dir = project();
    std::fs::remove_file(dir.path().join("pactum.toml")).unwrap();
    pactum()
        .current_dir(dir.path())
        .args(["render", "agreements/trial/round-1.yaml"])
        .assert()
        .success();
    assert!(dir.path().join("out/trial/round-1.pdf").is_file());
    std::fs::write(dir.path().join("pactum.toml"), "outptu = \"x\"\n").unwrap();
    let out = pactum()
        .current_dir(dir.path())
        .args(["check", "agreements/trial/round-1.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("pactum.toml:1:1") && err.contains("outptu"),
        "{err}"
    );
}
