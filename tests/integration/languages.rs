//! Agreements in several languages (sv / zh-TW / en): per-language terms, the clause text of
//! each language, parallel and consecutive layouts, Chinese with a real CJK font (never a
//! .notdef box), Swedish and Chinese conventions, and the redline per language. PDFs are read
//! back with pdftotext and pdffonts. Chinese prints with pactum's own font (no font to install).

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{no_ws, pactum, pdf_text, pdf_text_with};
use serde_json::Value;

const TRILINGUAL: &str = "agreements/lund-tainan/round-2.yaml";

fn example() -> String {
    common::shipped(TRILINGUAL)
}

/// Write `text` as `round-N.yaml` in `dir` and return its path.
fn terms_file(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// Run pactum with `args`, expect exit `code`, parse its JSON output.
fn json_output(args: &[&std::ffi::OsStr], code: i32) -> Value {
    let out = pactum()
        .args(args)
        .assert()
        .code(code)
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&out).unwrap()
}

fn pdffonts(pdf: &Path) -> String {
    let out = Command::new("pdffonts").arg(pdf).output().unwrap();
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn trilingual_example_has_every_language_and_a_cjk_font() {
    let out = tempfile::tempdir().unwrap();
    let pdf = out.path().join("tri.pdf");
    common::render(&common::root().join(TRILINGUAL), &pdf);
    let text = no_ws(&pdf_text(&pdf));
    for name in [
        // Party names and a field of exchange, in Swedish, Chinese and English.
        "Lundskommun",
        "Tainansstadsförvaltning",
        "隆德市",
        "臺南市",
        "CityofLund",
        "TainanCityGovernment",
        "Turism",
        "觀光",
        "Tourism",
        // Article headings in each language's own form.
        "Artikel1",
        "第一條",
        "Article1",
        // Dates: Swedish and Chinese forms.
        "15oktober2027",
        "2027年10月15日",
        "15October2027",
    ] {
        assert!(
            text.contains(name),
            "{name} missing from the trilingual PDF"
        );
    }
    let fonts = pdffonts(&pdf);
    assert!(
        fonts.contains("NotoSerifCJK"),
        "the CJK font is not embedded:\n{fonts}"
    );
}

#[test]
fn two_languages_stand_in_parallel_columns_article_by_article() {
    let dir = tempfile::tempdir().unwrap();
    let text = example().replace("languages: [sv, zh-TW, en]", "languages: [sv, en]");
    // Per-language values may give languages the agreement does not use: not here.
    let text = strip_language(&text, "zh-TW");
    let terms = terms_file(dir.path(), "round-2.yaml", &text);
    let pdf = dir.path().join("sv-en.pdf");
    common::render(&terms, &pdf);
    let layout = pdf_text_with(&pdf, &["-layout"]);
    for (sv, en) in [
        ("Artikel 1", "Article 1"),
        ("Artikel 2", "Article 2"),
        ("Artikel 8", "Article 8"),
    ] {
        assert!(
            layout
                .lines()
                .any(|l| l.contains(sv) && l.contains(en) && l.find(sv) < l.find(en)),
            "{sv} and {en} are not side by side:\n{layout}"
        );
    }
    // Consecutive instead: the Swedish text ends before the English one begins.
    let pdf = dir.path().join("sv-en-consecutive.pdf");
    common::render_with(&terms, &pdf, &["--layout", "consecutive"]);
    let plain = pdf_text(&pdf);
    let last_sv = plain.rfind("Artikel 1").unwrap();
    let first_en = plain.find("Article 1").unwrap();
    assert!(
        last_sv < first_en,
        "consecutive layout interleaves languages"
    );
}

/// Drop one language from every per-language value (lines `  <lang>: …` inside mappings and
/// `<lang>: …` inside flow mappings).
fn strip_language(text: &str, lang: &str) -> String {
    let flow = format!(", {lang}: ");
    text.lines()
        .filter(|l| !l.trim_start().starts_with(&format!("{lang}: ")))
        .map(|l| match l.find(&flow) {
            Some(i) => {
                let rest = &l[i + flow.len()..];
                let end = rest.find([',', '}']).unwrap_or(rest.len());
                format!("{}{}", &l[..i], &rest[end..])
            }
            None => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn chinese_dates_can_follow_the_roc_calendar() {
    let dir = tempfile::tempdir().unwrap();
    let text = example().replace(
        "languages: [sv, zh-TW, en]",
        "languages: [sv, zh-TW, en]\nzh_calendar: roc",
    );
    let terms = terms_file(dir.path(), "round-2.yaml", &text);
    let pdf = dir.path().join("roc.pdf");
    common::render(&terms, &pdf);
    let text = no_ws(&pdf_text(&pdf));
    assert!(text.contains("民國116年10月15日"), "no ROC date");
    assert!(
        !text.contains("2027年10月15日"),
        "Gregorian date in the Chinese text"
    );
    assert!(
        text.contains("15oktober2027"),
        "the Swedish date changed too"
    );
}

#[test]
fn a_per_language_value_must_give_every_language_and_only_those() {
    let dir = tempfile::tempdir().unwrap();
    let text = example()
        .replace("  zh-TW: 締結姊妹市關係協定書\n", "")
        .replace(
            "short_name: {sv: Tainan, zh-TW: 臺南, en: Tainan}",
            "short_name: {sv: Tainan, zh-tw: 臺南, en: Tainan}",
        );
    let terms = terms_file(dir.path(), "round-2.yaml", &text);
    let (code, v) = common::check_json(&terms);
    assert_eq!(code, Some(1), "{v:#}");
    let diags = v[0]["diagnostics"].as_array().unwrap();
    let find = |path: &str| {
        diags
            .iter()
            .find(|d| d["path"] == path)
            .unwrap_or_else(|| panic!("no diagnostic at {path}: {v:#}"))
    };
    let title = find("title");
    assert_eq!(title["kind"], "missing-term");
    assert!(title["message"].as_str().unwrap().contains("no zh-TW text"));
    let typo = find("parties[1].short_name.zh-tw");
    assert_eq!(typo["kind"], "unknown-key");
    assert!(
        typo["hint"]
            .as_str()
            .unwrap()
            .contains("did you mean `zh-TW`?")
    );
    assert!(typo["line"].as_u64().is_some());
}

#[test]
fn a_script_no_font_covers_is_refused_and_leaves_no_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let text = example().replace(
        "name: {sv: Wang Shu-fen, zh-TW: 王淑芬, en: Wang Shu-fen}",
        "name: {sv: Wang Shu-fen, zh-TW: 王淑芬, en: \"𐀀𐀁 Wang\"}",
    );
    let terms = terms_file(dir.path(), "round-2.yaml", &text);
    let pdf = dir.path().join("out.pdf");
    // pactum's own fonts and an empty font folder: nothing covers Linear B.
    let empty = tempfile::tempdir().unwrap();
    let assert = pactum()
        .args(["render", "--no-system-fonts", "--font-path"])
        .arg(empty.path())
        .arg(&terms)
        .arg("-o")
        .arg(&pdf)
        .assert()
        .code(1);
    let err = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(err.contains("no font can show"), "{err}");
    assert!(err.contains("U+10000"), "{err}");
    assert!(err.contains("parties[1].representative.name.en"), "{err}");
    assert!(err.contains("a Noto font for this script"), "{err}");
    assert!(!pdf.exists(), "a PDF with empty boxes was written");

    // A rare hanzi in a name (U+5803, Big5 level 2) is beyond pactum's own Chinese font:
    // without the system's fonts it is refused, and the hint names the font package that has
    // it. (Written as an escape: fonts/subset.py adds every Chinese character the tree holds.)
    let text = example().replace("王淑芬", "王淑\u{5803}");
    let terms = terms_file(dir.path(), "round-2.yaml", &text);
    let assert = pactum()
        .args(["render", "--no-system-fonts"])
        .arg(&terms)
        .arg("-o")
        .arg(&pdf)
        .assert()
        .code(1);
    let err = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(err.contains("U+5803"), "{err}");
    assert!(err.contains("Noto Serif CJK TC"), "{err}");
    assert!(err.contains("fonts-noto-cjk"), "{err}");
    assert!(!pdf.exists());
}

/// sha256 of a file, as the manifest records it.
fn sha256_of(path: &Path) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(std::fs::read(path).unwrap());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The manifest's font records of a batch over one terms file, with extra arguments.
fn fonts_used(terms: &Path, args: &[&str]) -> (Vec<Value>, Vec<u8>) {
    let src = tempfile::tempdir().unwrap();
    let agreement = src.path().join("lund-tainan");
    std::fs::create_dir(&agreement).unwrap();
    std::fs::copy(terms, agreement.join("round-2.yaml")).unwrap();
    let out = tempfile::tempdir().unwrap();
    pactum()
        .args(args)
        .arg("batch")
        .arg(&agreement)
        .arg("-o")
        .arg(out.path())
        .assert()
        .success();
    let manifest = common::manifest(out.path());
    let pdf = std::fs::read(out.path().join("lund-tainan/round-2.pdf")).unwrap();
    (
        manifest["entries"][0]["fonts"].as_array().unwrap().clone(),
        pdf,
    )
}

#[test]
fn chinese_prints_with_pactums_own_font_on_every_machine() {
    let own = sha256_of(&common::root().join("fonts/NotoSerifCJKtc-Regular.subset.otf"));
    let own_bold = sha256_of(&common::root().join("fonts/NotoSerifCJKtc-Bold.subset.otf"));
    let cjk = |fonts: &[Value]| -> Vec<String> {
        fonts
            .iter()
            .filter(|f| f["family"] == "Noto Serif CJK TC")
            .map(|f| f["sha256"].as_str().unwrap().to_string())
            .collect()
    };
    let terms = common::root().join(TRILINGUAL);
    // No font folder at all: pactum's own font alone prints the Chinese text.
    let (alone, alone_pdf) = fonts_used(&terms, &["--no-system-fonts"]);
    assert_eq!(cjk(&alone), [own.clone(), own_bold.clone()], "{alone:?}");
    // With the system's fonts (and Noto CJK's own folder, where the machine has it): the
    // same bytes.
    let mut args = vec![];
    if Path::new("/usr/share/fonts/opentype/noto").is_dir() {
        args = vec!["--font-path", "/usr/share/fonts/opentype/noto"];
    }
    let (system, system_pdf) = fonts_used(&terms, &args);
    assert_eq!(cjk(&system), cjk(&alone));
    assert!(
        alone_pdf == system_pdf,
        "the system's fonts changed the PDF"
    );

    // A document that needs a font folder (a name in Inuktitut syllabics, Iqaluit's, which
    // only the system's DejaVu Sans covers here) still prints its Chinese with pactum's font:
    // pactum's own fonts come first.
    let dir = tempfile::tempdir().unwrap();
    let text = example().replace(
        "name: {sv: Wang Shu-fen, zh-TW: 王淑芬, en: Wang Shu-fen}",
        "name: {sv: Wang Shu-fen, zh-TW: 王淑芬, en: \"Wang ᐃᖃᓗᐃᑦ\"}",
    );
    let mixed = terms_file(dir.path(), "round-2.yaml", &text);
    let (fonts, _) = fonts_used(&mixed, &args);
    assert_eq!(cjk(&fonts), cjk(&alone), "{fonts:?}");
    assert!(
        fonts.iter().any(|f| f["family"] == "DejaVu Sans"),
        "the system's DejaVu Sans did not print the syllabics: {fonts:?}"
    );
}

#[test]
fn the_redline_shows_a_change_in_every_language_version() {
    let dir = common::root().join("agreements/lund-tainan");
    let v = json_output(
        &[
            "diff".as_ref(),
            "--format".as_ref(),
            "json".as_ref(),
            dir.as_os_str(),
        ],
        1,
    );
    let clauses = v["clauses"].as_array().unwrap();
    for lang in ["sv", "zh-TW", "en"] {
        let termination = clauses
            .iter()
            .find(|c| c["language"] == lang && c["id"] == "termination")
            .unwrap_or_else(|| panic!("no {lang} termination clause"));
        assert_eq!(termination["status"], "inserted", "{lang}");
    }
    let tourism =
        |lang: &str, word: &str| {
            clauses.iter().any(|c| {
                c["language"] == lang
                    && c["id"] == "fields"
                    && c["segments"].as_array().unwrap().iter().any(|s| {
                        s["kind"] == "insert" && s["text"].as_str().unwrap().contains(word)
                    })
            })
        };
    assert!(tourism("sv", "Turism") && tourism("zh-TW", "觀光") && tourism("en", "Tourism"));

    // One language only.
    let v = json_output(
        &[
            "diff".as_ref(),
            "--format".as_ref(),
            "json".as_ref(),
            "--language".as_ref(),
            "zh-TW".as_ref(),
            dir.as_os_str(),
        ],
        1,
    );
    assert!(
        v["clauses"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["language"] == "zh-TW")
    );
}

#[test]
fn the_manifest_records_the_fonts_of_each_pdf() {
    let src = tempfile::tempdir().unwrap();
    let agreement = src.path().join("lund-tainan");
    std::fs::create_dir(&agreement).unwrap();
    std::fs::copy(
        common::root().join(TRILINGUAL),
        agreement.join("round-2.yaml"),
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    pactum()
        .arg("batch")
        .arg(&agreement)
        .arg("-o")
        .arg(out.path())
        .assert()
        .success();
    let manifest = common::manifest(out.path());
    let fonts = manifest["entries"][0]["fonts"].as_array().unwrap();
    let families: Vec<&str> = fonts
        .iter()
        .map(|f| f["family"].as_str().unwrap())
        .collect();
    assert!(families.contains(&"Noto Serif CJK TC"), "{families:?}");
    assert!(families.contains(&"Libertinus Serif"), "{families:?}");
    assert!(
        fonts
            .iter()
            .all(|f| f["sha256"].as_str().unwrap().len() == 64)
    );
}

#[test]
fn a_final_copy_that_prints_text_over_text_is_refused_and_a_draft_warned() {
    // A layout that places a line of words over the title: the layout check reads the boxes
    // of the laid-out words and refuses the execution copy, naming the page and the words.
    let dir = tempfile::tempdir().unwrap();
    let templates = dir.path().join("templates");
    common::copy_dir(&common::root().join("templates"), &templates);
    let layout = templates.join("shared/layout.typ");
    let text = std::fs::read_to_string(&layout).unwrap();
    std::fs::write(
        &layout,
        format!("{text}\n#place(top + left, dy: 1.2cm + 4pt)[#h(5.5cm) Overprinted words here]\n"),
    )
    .unwrap();
    let run = |args: &[&str], pdf: &Path| {
        let out = pactum()
            .arg("--templates")
            .arg(&templates)
            .args(["render", "--layout", "consecutive"])
            .args(args)
            .arg(common::root().join(TRILINGUAL))
            .arg("-o")
            .arg(pdf)
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let pdf = dir.path().join("final.pdf");
    let (code, err) = run(&["--final"], &pdf);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("error[layout]"), "{err}");
    assert!(err.contains("page 10: “"), "{err}");
    assert!(err.contains("is printed over"), "{err}");
    assert!(!pdf.exists(), "a broken execution copy was written");

    let draft = dir.path().join("draft.pdf");
    let (code, err) = run(&[], &draft);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        err.contains("warning:") && err.contains("printed over"),
        "{err}"
    );
    assert!(draft.exists());
}

#[test]
fn long_names_in_every_language_pair_order_and_layout_never_overprint() {
    // Party names and titles twice as long, two and three languages in either order, both
    // layouts, final copies: every one passes the layout check (which refuses a final copy
    // with text over text or at the page's edge), and the signature block holds every name.
    let dir = tempfile::tempdir().unwrap();
    let mut text = example();
    for long in [
        "Lunds kommun",
        "City of Lund",
        "Tainans stad",
        "Tainan City",
        "kommunstyrelsens ordförande",
        "Chair of the Municipal Executive Board",
        "ordförande i Tainans stadsfullmäktige",
        "Speaker of the Tainan City Council",
    ] {
        text = text.replace(long, &format!("{long} {long}"));
    }
    let orders: [&[&str]; 8] = [
        &["en", "sv"],
        &["sv", "en"],
        &["en", "zh-TW"],
        &["zh-TW", "en"],
        &["sv", "zh-TW"],
        &["zh-TW", "sv"],
        &["sv", "zh-TW", "en"],
        &["zh-TW", "en", "sv"],
    ];
    for languages in orders {
        for layout in ["parallel", "consecutive"] {
            let terms = only_languages(&text, languages);
            let file = terms_file(dir.path(), "round-2.yaml", &terms);
            let pdf = dir.path().join("final.pdf");
            let out = pactum()
                .args(["render", "--final", "--force", "--layout", layout])
                .arg(&file)
                .arg("-o")
                .arg(&pdf)
                .output()
                .unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(out.status.success(), "{languages:?} {layout}: {err}");
            let printed = common::no_ws(&common::pdf_text(&pdf));
            assert!(
                printed.contains(&common::no_ws("Tainan City Tainan City"))
                    || !languages.contains(&"en"),
                "{languages:?} {layout}"
            );
            // Chinese lines keep their rules: none starts with closing punctuation or ends
            // with an opening bracket.
            if languages == ["zh-TW", "en"] && layout == "consecutive" {
                let lines = common::pdf_text(&pdf);
                for line in lines.lines().map(str::trim).filter(|l| !l.is_empty()) {
                    assert!(
                        !line.starts_with(['、', '。', '」', '，', '；', '：', '）']),
                        "{line}"
                    );
                    assert!(!line.ends_with(['「', '（']), "{line}");
                }
            }
        }
    }
    // The German–Swedish example with names of some 60 characters, in both orders and layouts.
    let berg = common::shipped("agreements/berg-berg/round-1.yaml").replace(
        "official_name: {sv: Bergs kommun, de: Gemeinde Berg}",
        "official_name: {sv: Bergs kommun i Jämtlands län med kommunstyrelsens förvaltning, \
         de: Gemeinde Berg im Landkreis Starnberg mit der Verwaltungsgemeinschaft}",
    );
    assert!(berg.contains("Verwaltungsgemeinschaft"));
    for order in ["[sv, de]", "[de, sv]"] {
        for layout in ["parallel", "consecutive"] {
            let terms = berg.replace("languages: [sv, de]", &format!("languages: {order}"));
            let file = terms_file(dir.path(), "round-1.yaml", &terms);
            let pdf = dir.path().join("berg.pdf");
            let out = pactum()
                .args(["render", "--final", "--force", "--layout", layout])
                .arg(&file)
                .arg("-o")
                .arg(&pdf)
                .output()
                .unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(out.status.success(), "{order} {layout}: {err}");
        }
    }
}

/// Terms with only `languages`: every per-language text keeps those.
fn only_languages(text: &str, languages: &[&str]) -> String {
    fn keep(v: &mut serde_yaml_ng::Value, languages: &[&str]) {
        match v {
            serde_yaml_ng::Value::Mapping(m) => {
                let per_language = !m.is_empty()
                    && m.keys().all(|k| {
                        k.as_str()
                            .is_some_and(|k| ["en", "sv", "zh-TW"].contains(&k))
                    });
                if per_language {
                    m.retain(|k, _| k.as_str().is_some_and(|k| languages.contains(&k)));
                } else {
                    m.values_mut().for_each(|v| keep(v, languages));
                }
            }
            serde_yaml_ng::Value::Sequence(s) => s.iter_mut().for_each(|v| keep(v, languages)),
            _ => {}
        }
    }
    let mut value: serde_yaml_ng::Value = serde_yaml_ng::from_str(text).unwrap();
    keep(&mut value, languages);
    value["languages"] = languages
        .iter()
        .map(|l| serde_yaml_ng::Value::from(*l))
        .collect();
    serde_yaml_ng::to_string(&value).unwrap()
}

#[test]
fn counterparts_of_a_trilingual_agreement_name_each_party_in_each_language() {
    // Short names given per language used to yield no copy at all (and exit 0).
    let dir = tempfile::tempdir().unwrap();
    let text = example().replace("counterparts: false", "counterparts: true");
    let terms = terms_file(dir.path(), "round-2.yaml", &text);
    let out = dir.path().join("out");
    common::render_with(&terms, &out, &["--final"]);
    let lund = pdf_text_with(&out.join("round-2-final-lund.pdf"), &["-raw"]);
    let tainan = pdf_text_with(&out.join("round-2-final-tainan.pdf"), &["-raw"]);
    for (text, sv, zh, en) in [
        (
            &lund,
            "Original för Lund",
            "正本（隆德收執）",
            "Original for Lund",
        ),
        (
            &tainan,
            "Original för Tainan",
            "正本（臺南收執）",
            "Original for Tainan",
        ),
    ] {
        assert!(text.contains(sv), "{sv}");
        assert!(text.contains(zh), "{zh}");
        assert!(text.contains(en), "{en}");
    }
}

#[test]
fn each_version_is_set_in_its_own_language() {
    // Chinese first: the Swedish and English versions keep their own quote marks; Chinese
    // dates (the template's and those in a term's own words) have no spaces; the signature
    // block is printed once, with its labels in every language.
    let dir = tempfile::tempdir().unwrap();
    let text = example().replace("languages: [sv, zh-TW, en]", "languages: [zh-TW, sv, en]");
    let terms = terms_file(dir.path(), "round-2.yaml", &text);
    let pdf = dir.path().join("x.pdf");
    common::render(&terms, &pdf);
    let printed = pdf_text_with(&pdf, &["-raw"]);
    let words = common::squash(&printed);
    assert!(words.contains("nedan kallad ”Lund”"), "Swedish quotes");
    assert!(words.contains("hereinafter “Lund”"), "English quotes");
    // Chinese lines break anywhere: compare without the line breaks.
    let chinese = no_ws(&printed);
    assert!(chinese.contains("以下簡稱「隆德」"), "Chinese quotes");
    // Dates: pdftotext shows Typst's CJK–Latin spacing as a space, so the raw text is checked.
    assert!(
        printed.contains("於2027年8月26日"),
        "a date in a term's words"
    );
    assert!(
        printed.contains("本協定書於2027年10月15日"),
        "a date the template writes"
    );
    // Each party's place and date once: its co-signatory signs where and when its
    // representative does, under a label of their own capacity.
    assert_eq!(
        printed
            .matches("簽署地點及日期 / Ort och datum / Place and date")
            .count(),
        2,
        "one signature block: two parties' places and dates, labels in every language"
    );
    assert_eq!(printed.matches("會同簽署").count(), 2, "co-signatories");
}

/// A language pactum has no words for is one error, at `languages`, saying how a language is
/// added; the texts given in it are not refused again one by one.
#[test]
fn an_unknown_language_is_one_error_that_says_how_to_add_it() {
    let dir = tempfile::tempdir().unwrap();
    let terms = common::shipped("agreements/lund-tainan/round-2.yaml")
        .replace("languages: [sv, zh-TW, en]", "languages: [fi, zh-TW, en]")
        .replace("sv:", "fi:");
    assert!(
        terms.matches("fi:").count() > 10,
        "texts are given in Finnish"
    );
    let file = dir.path().join("round-2.yaml");
    std::fs::write(&file, &terms).unwrap();
    let (code, d) = common::check_json(&file);
    assert_eq!(code, Some(1));
    one_problem_at_languages(&d, "--templates DIR");
}

/// A check's JSON report holds one problem, at `languages[0]`, whose hint says `hint`.
fn one_problem_at_languages(report: &Value, hint: &str) {
    let problems = report[0]["diagnostics"].as_array().unwrap();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0]["path"], "languages[0]");
    assert!(
        problems[0]["hint"].as_str().unwrap().contains(hint),
        "{problems:?}"
    );
}

#[test]
fn fonts_are_the_languages_own_and_a_final_copy_keeps_to_them() {
    // A pack whose CJK language is not Traditional Chinese but still names pactum's face (a
    // Japanese pack begun from the Chinese words): the draft renders, the final copy is refused.
    let dir = tempfile::tempdir().unwrap();
    let templates = dir.path().join("templates");
    common::copy_dir(&common::root().join("templates"), &templates);
    let words = templates.join("shared/words/zh-TW.yaml");
    let chinese = std::fs::read_to_string(&words).unwrap();
    std::fs::write(&words, chinese.replace("  region: TW\n", "  region: CN\n")).unwrap();
    let terms = terms_file(dir.path(), "round-2.yaml", &example());
    let out = dir.path().join("out");
    let run = |extra: &[&str]| {
        let mut cmd = pactum();
        cmd.args(["render", "--no-system-fonts", "--templates"])
            .arg(&templates)
            .args(extra)
            .arg(&terms)
            .arg("-o")
            .arg(&out);
        cmd.output().unwrap()
    };
    assert!(run(&[]).status.success(), "a draft is set as the pack says");
    let refused = run(&["--final"]);
    let err = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(1), "{err}");
    assert!(err.contains("Traditional Chinese face"), "{err}");
    assert!(err.contains("text.fonts"), "{err}");
    assert!(
        !common::files_under(&out)
            .iter()
            .any(|f| f.to_string_lossy().contains("final")),
        "nothing written"
    );

    // The language's own first family is the one a missing Han character's hint names; kana
    // are Japanese whatever the pack.
    std::fs::write(
        &words,
        chinese.replace(
            "Noto Serif CJK TC, Noto Serif TC]",
            "Noto Serif CJK JP, Noto Serif CJK TC]",
        ),
    )
    .unwrap();
    let text = example().replace("王淑芬", "王淑\u{5803}");
    let terms = terms_file(dir.path(), "round-2.yaml", &text);
    let missing = pactum()
        .args(["render", "--no-system-fonts", "--templates"])
        .arg(&templates)
        .arg(&terms)
        .arg("-o")
        .arg(dir.path().join("x.pdf"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&missing.stderr);
    assert!(
        err.contains("U+5803") && err.contains("Noto Serif CJK JP"),
        "{err}"
    );
    assert!(!err.contains("Noto Serif CJK TC ("), "{err}");

    // The DOCX's East Asian face is the one the words name for word processors.
    let docx_of = |templates: &Path| {
        let docx = dir.path().join("x.docx");
        common::succeeds(
            pactum()
                .args(["render", "--format", "docx", "--force", "--templates"])
                .arg(templates)
                .arg(terms_file(dir.path(), "round-2.yaml", &example()))
                .arg("-o")
                .arg(&docx),
        );
        let mut zip = zip::ZipArchive::new(std::fs::File::open(&docx).unwrap()).unwrap();
        let mut styles = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("word/styles.xml").unwrap(), &mut styles)
            .unwrap();
        styles
    };
    assert!(docx_of(&common::root().join("templates")).contains("w:eastAsia=\"PMingLiU\""));
    std::fs::write(
        &words,
        chinese.replace("  office_font: PMingLiU", "  office_font: Yu Mincho"),
    )
    .unwrap();
    assert!(docx_of(&templates).contains("w:eastAsia=\"Yu Mincho\""));
}

/// The languages of a PDF's structure elements (`/Lang`), and the catalog's.
fn structure_languages(pdf: &Path) -> (String, std::collections::BTreeSet<String>) {
    let doc = lopdf::Document::load(pdf).unwrap();
    let catalog = doc.catalog().unwrap();
    let lang = |d: &lopdf::Dictionary| {
        d.get(b"Lang")
            .ok()
            .and_then(|l| lopdf::decode_text_string(l).ok())
    };
    let main = lang(catalog).unwrap_or_default();
    let mut found = std::collections::BTreeSet::new();
    let mut todo = vec![catalog.get(b"StructTreeRoot").unwrap().clone()];
    while let Some(node) = todo.pop() {
        let node = match node {
            lopdf::Object::Reference(id) => doc.get_object(id).unwrap().clone(),
            other => other,
        };
        match node {
            lopdf::Object::Array(items) => todo.extend(items),
            lopdf::Object::Dictionary(d) => {
                found.extend(lang(&d));
                if let Ok(k) = d.get(b"K") {
                    todo.push(k.clone());
                }
            }
            _ => {}
        }
    }
    (main, found)
}

#[test]
fn a_final_copy_is_tagged_with_each_versions_language() {
    let dir = tempfile::tempdir().unwrap();
    let terms = terms_file(dir.path(), "round-2.yaml", &example());
    let out = dir.path().join("out");
    common::render_with(&terms, &out, &["--final"]);
    let pdf = out.join("round-2-final.pdf");
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(String::from_utf8_lossy(&bytes).contains("<pdfaid:conformance>A</pdfaid:conformance>"));
    let (main, others) = structure_languages(&pdf);
    assert_eq!(
        main, "sv-SE",
        "the first version's language is the document's"
    );
    assert!(
        others.contains("zh-TW") && others.iter().any(|l| l.starts_with("en")),
        "{others:?}"
    );
    // poppler reads the structure: headings and paragraphs are tagged as such.
    let tree = std::process::Command::new("pdfinfo")
        .arg("-struct")
        .arg(&pdf)
        .output()
        .unwrap();
    let tree = String::from_utf8_lossy(&tree.stdout);
    assert!(tree.contains("H1") && tree.contains("P (block)"), "{tree}");
    // Lists are lists: each item a list item with its label and its body, in every version.
    let count = |tag: &str| tree.lines().filter(|l| l.trim() == tag).count();
    let items = count("LI (block)");
    assert!(count("L (block):") + count("L (block)") >= 3, "{tree}");
    assert!(items >= 3 * 4, "{items} list items: {tree}");
    assert_eq!(count("Lbl (block)"), items, "{tree}");
    assert_eq!(count("LBody (block)"), items, "{tree}");
}

#[test]
fn a_new_language_starts_from_a_skeleton_and_check_lists_what_it_lacks() {
    let dir = tempfile::tempdir().unwrap();
    let pack = dir.path().join("pack");
    common::succeeds(
        pactum()
            .args(["new-language", "ja", "--from", "en", "-o"])
            .arg(&pack),
    );
    let words = std::fs::read_to_string(pack.join("shared/words/ja.yaml")).unwrap();
    assert!(
        words.contains("article:") && words.contains("months:"),
        "every key"
    );
    let fields = std::fs::read_to_string(pack.join("sister-city/clauses/ja/fields.hbs")).unwrap();
    assert!(
        fields.starts_with("{{!-- en (sister-city/clauses/en/fields.hbs):"),
        "{fields}"
    );
    // A second run writes nothing over it.
    let again = pactum()
        .args(["new-language", "ja", "-o"])
        .arg(&pack)
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(1));

    let check = |pack: &Path| {
        pactum()
            .args(["check", "--templates"])
            .arg(pack)
            .output()
            .unwrap()
    };
    let ok = check(&pack);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stdout)
    );
    std::fs::remove_file(pack.join("sister-city/clauses/ja/fields.hbs")).unwrap();
    let lacking = check(&pack);
    let out = String::from_utf8_lossy(&lacking.stdout);
    assert_eq!(lacking.status.code(), Some(1), "{out}");
    assert!(
        out.contains("ja lacks, in sister-city:")
            && out.contains("sister-city/clauses/ja/fields.hbs"),
        "{out}"
    );
    assert!(
        !out.contains("thematic-partnership"),
        "only what is missing: {out}"
    );

    // A language with words but no text in a form is one error, at `languages`.
    let words_only = dir.path().join("words-only");
    std::fs::create_dir_all(words_only.join("shared/words")).unwrap();
    std::fs::write(words_only.join("shared/words/ja.yaml"), &words).unwrap();
    let terms = terms_file(
        dir.path(),
        "round-1.yaml",
        &common::shipped("agreements/malmo-kaohsiung/round-1.yaml")
            .replace("languages: [en]", "languages: [ja]"),
    );
    let refused = pactum()
        .args(["check", "--format", "json", "--templates"])
        .arg(&words_only)
        .arg(&terms)
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&refused.stdout).unwrap();
    one_problem_at_languages(&report, "new-language");
}

#[test]
fn a_copy_made_with_a_templates_folder_verifies_where_that_folder_is_not() {
    let dir = tempfile::tempdir().unwrap();
    let pack = dir.path().join("pack");
    std::fs::create_dir_all(pack.join("shared/words")).unwrap();
    let english = std::fs::read_to_string(common::root().join("templates/shared/words/en.yaml"))
        .unwrap()
        .replace("article: \"Article {n}\"", "article: \"Clause {n}\"");
    assert!(english.contains("Clause {n}"));
    std::fs::write(pack.join("shared/words/en.yaml"), &english).unwrap();
    let out = dir.path().join("out");
    common::succeeds(
        pactum()
            .args(["render", "--final", "--templates"])
            .arg(&pack)
            .arg(common::root().join("agreements/malmo-kaohsiung"))
            .arg("-o")
            .arg(&out),
    );
    let pdf = common::files_under(&out).pop().unwrap();
    assert!(common::pdf_text(&pdf).contains("Clause 1"));

    // Elsewhere, with no templates folder: the carried files are used, and verify says so.
    let elsewhere = tempfile::tempdir().unwrap();
    let verified = pactum()
        .current_dir(elsewhere.path())
        .arg("verify")
        .arg(&pdf)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&verified.stdout);
    assert_eq!(
        verified.status.code(),
        Some(0),
        "{said}{}",
        String::from_utf8_lossy(&verified.stderr)
    );
    assert!(said.starts_with("MATCH"), "{said}");
    assert!(said.contains("1 template files the PDF carries"), "{said}");

    // extract --templates writes them back, byte for byte; with them, verify needs nothing.
    let back = dir.path().join("back");
    common::succeeds(
        pactum()
            .args(["extract", "--templates"])
            .arg(&back)
            .arg(&pdf),
    );
    assert_eq!(
        std::fs::read_to_string(back.join("shared/words/en.yaml")).unwrap(),
        english
    );
    let verified = pactum()
        .args(["verify", "--templates"])
        .arg(&back)
        .arg(&pdf)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&verified.stdout);
    assert!(
        said.starts_with("MATCH") && !said.contains("carries"),
        "{said}"
    );
    // A copy made with pactum's own templates carries none.
    let own = dir.path().join("own.pdf");
    common::render(
        &common::root().join("agreements/malmo-kaohsiung/round-3.yaml"),
        &own,
    );
    let none = pactum()
        .args(["extract", "--templates"])
        .arg(dir.path().join("none"))
        .arg(&own)
        .output()
        .unwrap();
    assert_eq!(none.status.code(), Some(1));
    assert!(!dir.path().join("none").exists());
}

#[test]
fn a_twinning_declaration_fills_in_every_language_beside_english() {
    // The declaration has no legal status by default: no clause may ask for one.
    let dir = tempfile::tempdir().unwrap();
    let source = common::shipped("agreements/krostitz-vernassal/round-1.yaml");
    assert!(source.contains("languages: [en]\n"));
    for lang in ["sv", "de", "pl", "zh-TW"] {
        let file = terms_file(
            dir.path(),
            "round-1.yaml",
            &source.replace("languages: [en]\n", &format!("languages: [en, {lang}]\n")),
        );
        let pdf = dir.path().join(format!("{lang}.pdf"));
        let out = pactum()
            .arg("render")
            .arg(&file)
            .arg("-o")
            .arg(&pdf)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{lang}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// A Japanese pack written as a new user would (`pactum new-language ja --from en`, then
/// translated; `tests/fixtures/ja-pack`) ships its own font in `fonts/`: the final copy is set
/// in that one Japanese family, with no font of the system's, and it verifies in an empty
/// folder on a machine without the pack, from the templates and the font files it carries.
#[test]
fn a_japanese_pack_sets_its_final_copy_in_its_own_font_and_the_copy_verifies_anywhere() {
    let dir = tempfile::tempdir().unwrap();
    let pack = dir.path().join("ja-pack");
    common::copy_dir(&common::root().join("tests/fixtures/ja-pack"), &pack);
    let terms = pack.join("example/round-1.yaml");
    let out = dir.path().join("out");
    common::succeeds(
        pactum()
            .args(["render", "--final", "--no-system-fonts", "--templates"])
            .arg(&pack)
            .arg(&terms)
            .arg("-o")
            .arg(&out),
    );
    let pdf = out.join("round-1-final.pdf");
    let fonts = pdffonts(&pdf);
    assert!(fonts.contains("NotoSerifCJKjp-Regular"), "{fonts}");
    assert!(
        !fonts.to_lowercase().contains("cjktc"),
        "one CJK family: {fonts}"
    );
    let text = pdf_text(&pdf);
    assert!(text.contains("姉妹都市提携に関する協定書"), "{text}");
    assert!(text.contains("日本語及び英語"), "{text}");
    let (main, others) = structure_languages(&pdf);
    assert_eq!(
        main, "ja-JP",
        "the first version's language is the document's"
    );
    assert!(others.iter().any(|l| l.starts_with("en")), "{others:?}");

    // Elsewhere: no pack, no system font.
    let elsewhere = dir.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    let verified = pactum()
        .current_dir(&elsewhere)
        .args(["verify", "--no-system-fonts"])
        .arg(&pdf)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&verified.stdout);
    assert_eq!(
        verified.status.code(),
        Some(0),
        "{said}{}",
        String::from_utf8_lossy(&verified.stderr)
    );
    assert!(
        said.starts_with("MATCH") && said.contains("2 font files the PDF carries"),
        "{said}"
    );

    // `extract --templates` gives the pack back, fonts included, byte for byte.
    let back = dir.path().join("back");
    common::succeeds(
        pactum()
            .args(["extract", "--templates"])
            .arg(&back)
            .arg(&pdf),
    );
    for face in ["Regular", "Bold"] {
        let file = format!("fonts/NotoSerifCJKjp-{face}.subset.otf");
        assert_eq!(
            std::fs::read(back.join(&file)).unwrap(),
            std::fs::read(pack.join(&file)).unwrap(),
            "{file}"
        );
    }

    // The parity check reads a Japanese date after kana ("…の2027年8月31日"), and a name keeps
    // its ideographic space.
    let consistent = std::fs::read_to_string(&terms).unwrap();
    assert!(consistent.contains("の2027年8月30日") && consistent.contains("上田\u{3000}健一"));
    let odd = pack.join("example/odd.yaml");
    std::fs::write(
        &odd,
        consistent.replace("の2027年8月30日", "の2027年8月31日"),
    )
    .unwrap();
    let checked = pactum()
        .args(["check", "--format", "json", "--templates"])
        .arg(&pack)
        .arg(&odd)
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&checked.stdout).unwrap();
    let said = report[0]["diagnostics"].to_string();
    assert!(said.contains("2027-08-31 in ja"), "{said}");
    common::succeeds(
        pactum()
            .args(["render", "--emit", "typ", "--templates"])
            .arg(&pack)
            .arg(&terms)
            .arg("-o")
            .arg(dir.path().join("model")),
    );
    let json = std::fs::read_to_string(dir.path().join("model/round-1.json")).unwrap();
    assert!(json.contains("上田\u{3000}健一"), "the name as typed");

    // A language the others' words do not name is one error at `languages`, not a code in
    // the text ("in the ja and English languages").
    let words = pack.join("shared/words/ja.yaml");
    let ja = std::fs::read_to_string(&words).unwrap();
    assert!(ja.contains("\nnamed_in:"));
    std::fs::write(&words, ja.replace("\nnamed_in:", "\n# named_in:")).unwrap();
    let checked = pactum()
        .args(["check", "--format", "json", "--templates"])
        .arg(&pack)
        .arg(&terms)
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&checked.stdout).unwrap();
    one_problem_at_languages(&report, "named_in");
}
