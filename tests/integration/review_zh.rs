//! The Traditional Chinese texts as the 2026-12 review's Taiwanese reader asked for them, read
//! back from the PDFs: one formula for the originals that says what is printed (K1), the
//! parties named 雙方 / 一方 / 他方 and the country before the city (S14), 得 for "may" and no
//! 將 before 生效 (P6), in every template.

use crate::common;

use std::path::Path;

use common::{no_ws, pdf_text, shipped};

/// The Chinese text (all whitespace removed) of `terms` rendered with `options`, written as
/// `dir/<name>/round.yaml`: only the Chinese version with `--language zh-TW`.
fn chinese(dir: &Path, name: &str, terms: &str, options: &[&str]) -> String {
    let folder = dir.join(name);
    std::fs::create_dir_all(&folder).unwrap();
    let file = folder.join("round.yaml");
    std::fs::write(&file, terms).unwrap();
    let pdf = folder.join("out.pdf");
    common::render_with(&file, &pdf, options);
    no_ws(&pdf_text(&pdf))
}

/// `text` with each `(from, to)` replaced once, each `from` required to be there.
fn edited(text: &str, edits: &[(&str, &str)]) -> String {
    let mut out = text.to_string();
    for (from, to) in edits {
        assert!(out.contains(from), "{from:?} not in the terms");
        out = out.replacen(from, to, 1);
    }
    out
}

/// Whether the languages article of a Chinese text (whitespace removed) is exactly `article`:
/// its heading, then `article`, and no more of it after that.
fn says(text: &str, article: &str) -> bool {
    let at = format!("語文及正本{article}");
    text.find(&at).is_some_and(|i| {
        let after = &text[i + at.len()..];
        !["如解釋上有歧異", "各種文字", "兩種文字", "，"]
            .iter()
            .any(|more| after.starts_with(more))
    })
}

/// A variant of the terms: its name, its edits (`from`, `to`), and the article it must print.
type Case<'a> = (&'a str, Vec<(&'a str, &'a str)>, &'a str);

const LUND: &str = "agreements/lund-tainan/round-2.yaml";

#[test]
fn the_shipped_final_copy_says_two_originals_each_in_all_three_languages() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    common::render_with(
        &common::root().join("agreements/lund-tainan"),
        &out,
        &["--final"],
    );
    let text = no_ws(&pdf_text(&out.join("round-2-final.pdf")));
    assert!(
        says(
            &text,
            "本協定書於2027年10月15日在隆德簽署，一式兩份，每份均以中文、瑞典文及英文繕製，\
             雙方各執一份。各種文字本同一作準。"
        ),
        "{text}"
    );
    // Two originals in all, not two in each language; 文字本, not the treaty's 約本.
    assert!(!text.contains("各繕") && !text.contains("約本"), "{text}");
}

#[test]
fn the_originals_formula_follows_count_counterparts_and_per_language() {
    let dir = tempfile::tempdir().unwrap();
    let lund = shipped(LUND);
    let count = |n: &str| {
        (
            "originals:\n  count: 2\n",
            format!("originals:\n  count: {n}\n"),
        )
    };
    let (c1, c1to) = count("1");
    let (c4, c4to) = count("4");
    let (pl, plto) = count("2\n  per_language: true");
    let (pl4, pl4to) = count("4\n  per_language: true");
    let counterparts = ("counterparts: false", "counterparts: true");
    let cases: &[Case] = &[
        (
            "one",
            vec![(c1, c1to.as_str())],
            "本協定書於2027年10月15日在隆德簽署，以中文、瑞典文及英文繕製正本一份。各種文字本同一作準。",
        ),
        (
            "four",
            vec![(c4, c4to.as_str())],
            "本協定書於2027年10月15日在隆德簽署，一式四份，每份均以中文、瑞典文及英文繕製，\
             雙方各執兩份。各種文字本同一作準。",
        ),
        (
            "counterparts",
            vec![counterparts],
            "本協定書於2027年10月15日在隆德簽署，一式兩份，每份均以中文、瑞典文及英文繕製，\
             並均為正本，雙方各執一份。各種文字本同一作準。",
        ),
        (
            "per-language",
            vec![(pl, plto.as_str())],
            "本協定書於2027年10月15日在隆德簽署，以中文、瑞典文及英文各繕兩份，\
             雙方各執每種文字本一份。各種文字本同一作準。",
        ),
        (
            "per-language-four-counterparts",
            vec![(pl4, pl4to.as_str()), counterparts],
            "本協定書於2027年10月15日在隆德簽署，以中文、瑞典文及英文各繕四份，每份均為正本，\
             雙方各執每種文字本兩份。各種文字本同一作準。",
        ),
        (
            "prevailing",
            vec![(
                "originals:\n  count: 2\n",
                "originals:\n  count: 2\n  prevailing: en\n",
            )],
            "本協定書於2027年10月15日在隆德簽署，一式兩份，每份均以中文、瑞典文及英文繕製，\
             雙方各執一份。各種文字本同一作準。如解釋上有歧異，以英文本為準。",
        ),
        (
            "undated",
            vec![
                ("  place: {sv: Lund, zh-TW: 隆德, en: Lund}\n", ""),
                ("  date: 2027-10-15\n", ""),
            ],
            "本協定書一式兩份，每份均以中文、瑞典文及英文繕製，雙方各執一份。各種文字本同一作準。",
        ),
    ];
    for (name, edits, expected) in cases {
        let text = chinese(
            dir.path(),
            name,
            &edited(&lund, edits),
            &["--language", "zh-TW"],
        );
        assert!(says(&text, expected), "{name}: {expected}\nin\n{text}");
    }
}

#[test]
fn one_language_prints_its_originals_without_comparing_texts() {
    let dir = tempfile::tempdir().unwrap();
    // A Chinese-only agreement: the shipped terms with only their Chinese texts.
    fn chinese_only(v: serde_yaml_ng::Value) -> serde_yaml_ng::Value {
        use serde_yaml_ng::Value;
        match v {
            Value::Mapping(m) => {
                let zh = Value::String("zh-TW".into());
                if m.contains_key(&zh)
                    && m.keys()
                        .all(|k| matches!(k.as_str(), Some("sv" | "zh-TW" | "en")))
                {
                    return m[&zh].clone();
                }
                Value::Mapping(m.into_iter().map(|(k, v)| (k, chinese_only(v))).collect())
            }
            Value::Sequence(items) => {
                Value::Sequence(items.into_iter().map(chinese_only).collect())
            }
            other => other,
        }
    }
    let terms: serde_yaml_ng::Value = serde_yaml_ng::from_str(&shipped(LUND)).unwrap();
    let mut terms = chinese_only(terms);
    terms["languages"] = serde_yaml_ng::from_str("[zh-TW]").unwrap();
    let terms = serde_yaml_ng::to_string(&terms).unwrap();
    let text = chinese(dir.path(), "zh", &terms, &[]);
    assert!(
        says(
            &text,
            "本協定書於2027年10月15日在隆德簽署，以中文繕製，一式兩份，雙方各執一份。"
        ),
        "{text}"
    );
    assert!(
        !text.contains("同一作準"),
        "one language, nothing to compare:\n{text}"
    );
}

/// A term's Chinese text: its `zh-TW` value, or the value itself when it is one for all.
fn zh(v: &serde_yaml_ng::Value) -> String {
    let v = v.get("zh-TW").unwrap_or(v);
    v.as_str().expect("a text").to_string()
}

/// How the Chinese preamble must name the party `p` of the terms: country, name, short name,
/// representative (without spaces, as the text is compared).
fn party_line(p: &serde_yaml_ng::Value) -> String {
    let r = &p["representative"];
    no_ws(&format!(
        "{}{}（以下簡稱「{}」），由{}{}代表",
        zh(&p["country_label"]),
        zh(&p["official_name"]),
        zh(&p["short_name"]),
        zh(&r["title"]),
        zh(&r["name"])
    ))
}

#[test]
fn the_parties_are_the_two_sides_country_first_and_may_is_de() {
    let dir = tempfile::tempdir().unwrap();
    let source = shipped(LUND);
    let terms: serde_yaml_ng::Value = serde_yaml_ng::from_str(&source).unwrap();
    let parties = terms["parties"].as_sequence().unwrap();
    let text = chinese(dir.path(), "lund", &source, &["--language", "zh-TW"]);
    // The country before the city, the short name straight after the name (S14):
    // 瑞典隆德市（以下簡稱「隆德」），由市執行委員會主席…代表；與臺灣臺南市政府…
    let preamble = format!(
        "{}；與{}，以下合稱「雙方」，分稱「一方」，",
        party_line(&parties[0]),
        party_line(&parties[1])
    );
    assert!(text.contains(&preamble), "{preamble} in\n{text}");
    for formula in [
        // Costs, legal status, termination: 任一方, 他方, 得 (S14, P6).
        "本協定書之任何內容均不構成任一方之支出承諾。",
        "亦不對任一方產生法律上之權利或義務。本協定書不影響任一方之權限",
        "任一方得於六個月前以書面通知他方，終止本協定書。",
        "隨彼此關係之發展，雙方得決定於其他領域進行交流。",
        // No 將 before 生效 (P6).
        "本協定書自雙方簽署之日起生效。本關係不設期限，至依第九條之規定終止時為止。",
    ] {
        assert!(text.contains(formula), "{formula} in\n{text}");
    }
    let named = |p: &serde_yaml_ng::Value| {
        format!("{}，{}", zh(&p["official_name"]), zh(&p["country_label"]))
    };
    for calque in ["一市", "另一市", "個別稱", "可於", "將自"]
        .map(String::from)
        .into_iter()
        .chain(parties.iter().map(named))
    {
        assert!(!text.contains(&calque), "{calque} in\n{text}");
    }
}

#[test]
fn three_parties_are_each_one_side_among_all_sides() {
    let dir = tempfile::tempdir().unwrap();
    let third = "  - official_name: {sv: Åbo stad, zh-TW: 土庫市, en: City of Turku}\n    \
                 short_name: {sv: Åbo, zh-TW: 土庫, en: Turku}\n    \
                 country_label: {sv: Finland, zh-TW: 芬蘭, en: Finland}\n    \
                 representative:\n      name: Minna Arve\n      \
                 title: {sv: borgmästare, zh-TW: 市長, en: Mayor}\nrecitals:";
    let terms = edited(
        &shipped(LUND),
        &[
            ("recitals:", third),
            ("originals:\n  count: 2\n", "originals:\n  count: 3\n"),
        ],
    );
    let text = chinese(dir.path(), "three", &terms, &["--language", "zh-TW"]);
    for formula in [
        "代表；與芬蘭土庫市（以下簡稱「土庫」），由市長MinnaArve代表，以下合稱「各方」，分稱「一方」，",
        "任何一方得於六個月前以書面通知其他各方，終止本協定書。",
        "一式三份，每份均以中文、瑞典文及英文繕製，各方各執一份。",
    ] {
        assert!(text.contains(formula), "{formula} in\n{text}");
    }
}

#[test]
fn the_memorandum_comes_into_effect_without_will_and_says_its_originals() {
    let dir = tempfile::tempdir().unwrap();
    // Malmö–Kaohsiung with a Chinese version (its texts fall back to English where the terms
    // give no Chinese: the clause text is what is read here).
    let terms = edited(
        &shipped("agreements/malmo-kaohsiung/round-3.yaml"),
        &[("languages: [en]", "languages: [zh-TW, en]")],
    );
    let text = chinese(dir.path(), "mk", &terms, &["--language", "zh-TW"]);
    for formula in [
        "本備忘錄自雙方簽署之日起實施，實施期間為",
        "個月前以書面通知他方，終止本備忘錄。",
        "任一方得以書面通知他方變更其聯絡窗口",
        "一式兩份，每份均以中文及英文繕製，雙方各執一份。兩種文字本同一作準。",
    ] {
        assert!(text.contains(formula), "{formula} in\n{text}");
    }
    assert!(!text.contains("將自") && !text.contains("各繕"), "{text}");
}

#[test]
fn the_twinning_oath_says_one_instrument_in_both_languages() {
    let dir = tempfile::tempdir().unwrap();
    let terms = edited(
        &shipped("agreements/krostitz-vernassal/round-1.yaml"),
        &[("languages: [en]", "languages: [zh-TW, en]")],
    );
    let text = chinese(dir.path(), "kv", &terms, &["--language", "zh-TW"]);
    assert!(
        text.contains("一式兩份，每份均以中文及英文繕製，兩鎮各執一份。兩種文字本同一作準。"),
        "{text}"
    );
    assert!(!text.contains("各繕") && !text.contains("約本"), "{text}");
}

/// Chinese lists are numbered as Chinese legal text numbers them (review S16): 一、 at the
/// first level, （一） below it, never "1." or a bullet.
#[test]
fn chinese_lists_are_numbered_in_chinese_at_every_depth() {
    let dir = tempfile::tempdir().unwrap();
    let terms = format!(
        "{}\narticles:\n  - id: commitments\n    title: {{sv: Åtaganden, zh-TW: 承諾事項, en: Commitments}}\n    text:\n      sv: \"Städerna:\\n\\n1. utbyter\\n2. samarbetar\"\n      zh-TW: \"雙方：\\n\\n1. 交流\\n   - 學校\\n   - 大學\\n2. 合作\"\n      en: \"The Cities:\\n\\n1. exchange\\n2. cooperate\"\n",
        shipped("agreements/lund-tainan/round-2.yaml")
    );
    let text = chinese(dir.path(), "lists", &terms, &["--language", "zh-TW"]);
    assert!(
        text.contains("一、交流（一）學校（二）大學二、合作"),
        "{text}"
    );
    assert!(!text.contains("1.交流") && !text.contains("•"), "{text}");
}

/// The Chinese signature block in Chinese order (review S15): the country before the party,
/// the date before the place, the organisation before a witness's title; Swedish writes
/// "Lund den 15 oktober 2027".
#[test]
fn the_signature_block_reads_in_each_languages_order() {
    let dir = tempfile::tempdir().unwrap();
    let terms = shipped("agreements/lund-tainan/round-2.yaml");
    let text = chinese(dir.path(), "signatures", &terms, &["--final"]);
    for said in [
        "瑞典隆德市代表",
        "臺灣臺南市代表",
        "2027年10月15日於隆德",
        "駐瑞典台北代表團代表",
        "Lundden15oktober2027",
        // The title before the name, on one line (市長　王淑芬; spaces are squashed here).
        "市長王淑芬",
        "臺南市議會議長蔡明雄",
        "駐瑞典台北代表團代表周文欣",
    ] {
        assert!(text.contains(said), "{said} in\n{text}");
    }
    assert!(!text.contains("隆德市代表，瑞典"), "{text}");
}

/// The DRAFT mark is in the document's first language only (issue 31, item 8).
#[test]
fn the_draft_mark_is_in_the_first_language() {
    let dir = tempfile::tempdir().unwrap();
    let terms = shipped("agreements/lund-tainan/round-2.yaml");
    let text = chinese(dir.path(), "draft", &terms, &[]);
    assert!(text.contains("UTKAST—omgång2"), "{text}");
    assert!(
        !text.contains("草案—") && !text.contains("DRAFT—"),
        "{text}"
    );
}

/// The Chinese data-protection article names each party in Chinese (review N3): a law's
/// `party` given once, in Latin letters, names no party in zh-TW, and `check` says so there.
#[test]
fn a_law_names_its_party_in_every_language() {
    let dir = tempfile::tempdir().unwrap();
    let terms = shipped("agreements/lund-tainan/round-2.yaml");
    let text = chinese(dir.path(), "laws", &terms, &["--final"]);
    assert!(
        text.contains("就隆德而言") && text.contains("就臺南而言"),
        "{text}"
    );
    let plain = edited(
        &terms,
        &[(
            "- party: {sv: Tainan, zh-TW: 臺南, en: Tainan}\n      law:",
            "- party: Tainan\n      law:",
        )],
    );
    let file = dir.path().join("round-2.yaml");
    std::fs::write(&file, &plain).unwrap();
    let (code, report) = common::check_json(&file);
    assert_eq!(code, Some(1));
    let problems = report[0]["diagnostics"].as_array().unwrap();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0]["path"], "data_protection.laws[1].party");
    let line = plain
        .lines()
        .position(|l| l.trim_end().ends_with("- party: Tainan"))
        .unwrap()
        + 1;
    assert_eq!(problems[0]["line"], line as u64, "{problems:?}");
    assert!(
        problems[0]["message"].as_str().unwrap().contains("zh-TW"),
        "{problems:?}"
    );
}
