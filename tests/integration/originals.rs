//! Originals per language (`originals: {per_language: true}`) and one language version of any
//! agreement (`render --language`): each copy holds one language's title, text and signing
//! text, is named for its language (and party), and verifies; `batch` and its manifest handle
//! them; an unknown language is refused.

use crate::common;

use std::path::{Path, PathBuf};

use common::{no_ws, pactum, pdf_text, squash};

/// The three-language Lund–Tainan round with originals per language and counterparts, in
/// `dir/lund-tainan/round-2.yaml`.
fn per_language(dir: &Path) -> PathBuf {
    let source = common::shipped("agreements/lund-tainan/round-2.yaml");
    assert!(source.contains("\noriginals:\n") && source.contains("\ncounterparts: false\n"));
    let folder = dir.join("lund-tainan");
    std::fs::create_dir_all(&folder).unwrap();
    let terms = folder.join("round-2.yaml");
    std::fs::write(
        &terms,
        source
            .replace("\noriginals:\n", "\noriginals:\n  per_language: true\n")
            .replace("\ncounterparts: false\n", "\ncounterparts: true\n"),
    )
    .unwrap();
    terms
}

/// What marks each language's version in its text: its title.
const VERSIONS: &[(&str, &str)] = &[
    ("sv", "Överenskommelse om upprättande av en vänortsrelation"),
    ("zh-TW", "締結姊妹市關係協定書"),
    (
        "en",
        "Agreement on the Establishment of Sister City Relations",
    ),
];

#[test]
fn originals_per_language_with_counterparts_make_six_copies_each_in_one_language() {
    let dir = tempfile::tempdir().unwrap();
    let terms = per_language(dir.path());
    let out = dir.path().join("out");
    common::render_with(&terms, &out, &["--final"]);
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "round-2-final-en-lund.pdf",
            "round-2-final-en-tainan.pdf",
            "round-2-final-sv-lund.pdf",
            "round-2-final-sv-tainan.pdf",
            "round-2-final-zh-TW-lund.pdf",
            "round-2-final-zh-TW-tainan.pdf",
        ]
    );
    for (lang, _) in VERSIONS {
        for party in ["lund", "tainan"] {
            let pdf = out.join(format!("round-2-final-{lang}-{party}.pdf"));
            let text = squash(&pdf_text(&pdf));
            for (other, other_title) in VERSIONS {
                assert_eq!(
                    text.contains(other_title),
                    other == lang,
                    "{}: the {other} title in\n{text}",
                    pdf.display()
                );
            }
            let verified = pactum().arg("verify").arg(&pdf).output().unwrap();
            assert_eq!(
                verified.status.code(),
                Some(0),
                "{}: {}",
                pdf.display(),
                String::from_utf8_lossy(&verified.stdout)
            );
            // The MATCH line names the copy it proves.
            let said = String::from_utf8_lossy(&verified.stdout);
            let name = if party == "lund" { "Lund" } else { "Tainan" };
            assert!(
                said.starts_with("MATCH")
                    && said.contains(&format!(
                        "(the final copy: the {lang} original, {name}'s counterpart)"
                    )),
                "{said}"
            );
        }
    }
    // Each says whose original it is, in its own language, and the text that every language
    // is an original of its own.
    let en = squash(&pdf_text(&out.join("round-2-final-en-tainan.pdf")));
    assert!(en.contains("Original for Tainan"), "{en}");
    assert!(
        en.contains("in each of the Swedish, Chinese and English languages")
            && en.contains("retaining one in each language"),
        "{en}"
    );
    let zh = no_ws(&pdf_text(&out.join("round-2-final-zh-TW-lund.pdf")));
    assert!(
        zh.contains("各繕兩份") && zh.contains("各執每種文字本一份"),
        "{zh}"
    );
    let sv = squash(&pdf_text(&out.join("round-2-final-sv-lund.pdf")));
    assert!(sv.contains("har tagit var sitt på varje språk"), "{sv}");
}

#[test]
fn batch_writes_and_records_each_language_original() {
    let dir = tempfile::tempdir().unwrap();
    per_language(dir.path());
    pactum()
        .current_dir(dir.path())
        .args(["batch", ".", "--final", "-o", "out"])
        .assert()
        .success();
    let manifest = common::manifest(&dir.path().join("out"));
    let mut copies: Vec<(String, String, String)> = manifest["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            assert_eq!(e["status"], "rendered", "{e}");
            (
                e["language"].as_str().unwrap().to_string(),
                e["copy_for"].as_str().unwrap().to_string(),
                e["pdf"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    copies.sort();
    assert_eq!(copies.len(), 6, "{copies:?}");
    assert_eq!(
        copies[0],
        (
            "en".to_string(),
            "Lund".to_string(),
            "lund-tainan/round-2-final-en-lund.pdf".to_string()
        )
    );
    // A second run finds every copy as it left it.
    let again = pactum()
        .current_dir(dir.path())
        .args(["batch", ".", "--final", "-o", "out"])
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(0));
    let manifest = common::manifest(&dir.path().join("out"));
    assert!(
        manifest["entries"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["status"] == "skipped"),
        "{manifest}"
    );
}

#[test]
fn render_language_writes_one_version_of_a_draft_and_refuses_an_unknown_language() {
    let dir = tempfile::tempdir().unwrap();
    pactum()
        .current_dir(common::root())
        .args(["render", "agreements/lund-tainan", "--language", "sv", "-o"])
        .arg(dir.path())
        .assert()
        .success();
    let text = squash(&pdf_text(&dir.path().join("round-2-sv.pdf")));
    assert!(
        text.contains("Överenskommelse om upprättande av en vänortsrelation"),
        "{text}"
    );
    assert!(text.contains("UTKAST"), "a draft: {text}");
    assert!(
        !text.contains("締結姊妹市關係協定書") && !text.contains("Agreement on the"),
        "{text}"
    );
    // The text still says which languages the agreement is in.
    assert!(
        text.contains("på svenska, kinesiska och engelska"),
        "{text}"
    );

    let out = pactum()
        .current_dir(common::root())
        .args(["render", "agreements/lund-tainan", "--language", "de", "-o"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--language de: not one of this agreement's languages (sv, zh-TW, en)"),
        "{err}"
    );
}
