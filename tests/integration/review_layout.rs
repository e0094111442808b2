//! The layout findings of the 2026-12 review (`review-2026-12.md`), read back from rendered
//! PDFs: K3 (no hyphenated titles, headings or party names; names break at their spaces and
//! never over the margin; Chinese lines neither letter-spaced nor broken against the
//! line-breaking rules), K2 (a co-signatory signs in their own capacity), S17 (a list item's
//! title is not left at the foot of a page), S18 (the parties' signature rows line up) and
//! S19 (the twinning oath's signatures do not stand on a page of their own).

use std::path::{Path, PathBuf};

use serde_yaml_ng::Value;

use crate::common::{self, pactum, pdf_text_with, squash};

const LUND_TAINAN: &str = "agreements/lund-tainan/round-2.yaml";
const BERG_BERG: &str = "agreements/berg-berg/round-1.yaml";

/// The right edge of the text area: A4 less the layout's 2.6 cm side margin, in points.
const TEXT_RIGHT: f64 = 595.28 - 73.70;

/// Where the Chinese column of the trilingual parallel layout (sv, zh-TW, en) stands, in
/// points from the left edge (13 ems wide, between two Latin columns), with a little room
/// either side.
const CHINESE_COLUMN: (f64, f64) = (222.0, 373.0);

/// Render `terms` with `options` to `pdf`; the exit status and what pactum printed on stderr.
fn render(terms: &Path, pdf: &Path, options: &[&str]) -> (bool, String) {
    let out = pactum()
        .arg("render")
        .arg(terms)
        .args(options)
        .args(["--force", "-o"])
        .arg(pdf)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Render and expect success without any warning of a broken layout.
fn render_clean(terms: &Path, pdf: &Path, options: &[&str]) {
    let (ok, err) = render(terms, pdf, options);
    assert!(ok, "{} {options:?}: {err}", terms.display());
    assert!(
        !err.contains("layout is broken"),
        "{} {options:?}: {err}",
        terms.display()
    );
}

fn shipped_terms(path: &str) -> PathBuf {
    common::root().join(path)
}

/// The PDF's pages as pdftotext reads them (`-layout`, optionally cropped to `x`..`x + w`).
fn pages(pdf: &Path, crop: Option<(f64, f64)>) -> Vec<String> {
    let mut flags: Vec<String> = vec!["-layout".into()];
    if let Some((from, to)) = crop {
        flags.extend(
            [
                "-x",
                &format!("{from:.0}"),
                "-y",
                "0",
                "-W",
                &format!("{:.0}", to - from),
                "-H",
                "842",
            ]
            .map(String::from),
        );
    }
    let flags: Vec<&str> = flags.iter().map(String::as_str).collect();
    pdf_text_with(pdf, &flags)
        .split('\u{c}')
        .map(str::to_string)
        .filter(|p| !p.trim().is_empty())
        .collect()
}

/// One word as `pdftotext -bbox` places it: left, top, right, and its text.
struct Placed {
    x0: f64,
    y0: f64,
    x1: f64,
    text: String,
}

/// Every word of every page, as `pdftotext -bbox` reads them (one list per page).
fn placed_words(pdf: &Path) -> Vec<Vec<Placed>> {
    let html = pdf_text_with(pdf, &["-bbox"]);
    let attr = |tag: &str, name: &str| -> f64 {
        let start = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        let end = start + tag[start..].find('"').unwrap();
        tag[start..end].parse().unwrap()
    };
    let mut out: Vec<Vec<Placed>> = Vec::new();
    for line in html.lines() {
        let line = line.trim();
        if line.starts_with("<page") {
            out.push(Vec::new());
        } else if let Some(rest) = line.strip_prefix("<word ") {
            let (tag, text) = rest.split_once('>').unwrap();
            let text = text.trim_end_matches("</word>");
            let text = text
                .replace("&amp;", "&")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"");
            out.last_mut().unwrap().push(Placed {
                x0: attr(tag, "xMin"),
                y0: attr(tag, "yMin"),
                x1: attr(tag, "xMax"),
                text,
            });
        }
    }
    out
}

fn is_han(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// No word of the PDF reaches past the right margin (a hyphen or punctuation mark may hang
/// into it by a few points).
fn assert_within_margin(pdf: &Path, what: &str) {
    for (n, page) in placed_words(pdf).iter().enumerate() {
        for w in page {
            assert!(
                w.x1 <= TEXT_RIGHT + 4.0,
                "{what} p.{}: “{}” runs past the right margin ({:.1} > {TEXT_RIGHT:.1})",
                n + 1,
                w.text,
                w.x1
            );
        }
    }
}

/// A trilingual parallel final copy: the review's `lt-par`.
fn lund_tainan_parallel(dir: &Path) -> PathBuf {
    let pdf = dir.join("lt-par.pdf");
    render_clean(
        &shipped_terms(LUND_TAINAN),
        &pdf,
        &["--final", "--layout", "parallel"],
    );
    pdf
}

/// The three columns of the trilingual parallel layout (sv, zh-TW, en), in points.
const COLUMNS: [(f64, f64); 3] = [(70.0, 216.0), CHINESE_COLUMN, (379.0, 526.0)];

/// `whole` as it reads back when a line ends inside one of its words: with a soft hyphen
/// (or a hyphen) and then the line break, which `squash` makes a space.
fn broken_forms(whole: &str) -> Vec<String> {
    let mut out = Vec::new();
    let words: Vec<&str> = whole.split(' ').collect();
    for (i, w) in words.iter().enumerate() {
        let chars: Vec<char> = w.chars().collect();
        for k in 2..chars.len().saturating_sub(1) {
            let (a, b): (String, String) =
                (chars[..k].iter().collect(), chars[k..].iter().collect());
            for hyphen in ["\u{ad}", "-"] {
                let mut parts: Vec<String> = words.iter().map(|w| w.to_string()).collect();
                parts[i] = format!("{a}{hyphen} {b}");
                out.push(parts.join(" "));
            }
        }
    }
    out
}

#[test]
fn k3_titles_headings_item_titles_and_party_names_are_not_hyphenated() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = lund_tainan_parallel(dir.path());
    // Each column on its own, its lines joined: a title broken at a space reads back whole,
    // one broken inside a word does not ("upprät\u{ad} tande").
    let columns: Vec<String> = COLUMNS
        .iter()
        .map(|c| squash(&pages(&pdf, Some(*c)).join("\n")))
        .collect();
    let [sv, zh, en] = [&columns[0], &columns[1], &columns[2]];
    for (column, whole) in [
        // titles (p.1)
        (sv, "Överenskommelse om upprättande av en vänortsrelation"),
        (
            en,
            "Agreement on the Establishment of Sister City Relations",
        ),
        // party names in the title block, the preamble and the recitals
        (sv, "Tainans stad"),
        (sv, "Lunds kommun"),
        (en, "Tainan City"),
        // article headings and list-item titles
        (sv, "Upprättande av relationen"),
        (en, "Establishment of the relationship"),
        (sv, "Utbildning och forskning"),
        (en, "Education and research"),
        (sv, "Näringsliv och innovation"),
        (en, "Business and innovation"),
        // signatories' names in the preamble
        (sv, "Wang Shu-fen"),
        (en, "Wang Shu-fen"),
        (en, "Johan Ekström"),
    ] {
        assert!(column.contains(whole), "“{whole}” is not whole: {column}");
        for broken in broken_forms(whole) {
            assert!(!column.contains(&broken), "hyphenated: “{broken}”");
        }
    }
    // The Chinese title stands whole, not "締結姊妹市關係協 / 定書".
    assert!(zh.contains("締結姊妹市關係協定書"), "{zh}");
    assert_within_margin(&pdf, "lt-par");
}

#[test]
fn k3_chinese_lines_are_neither_letter_spaced_nor_broken_against_the_rules() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = lund_tainan_parallel(dir.path());
    // The Chinese column alone, line by line: its words by baseline, left to right. (Plain
    // `pdftotext` splits a line where compressed punctuation makes two glyphs overlap, and
    // would read "「雙方」，分稱" as two lines.)
    let mut lines = 0;
    for (n, page) in placed_words(&pdf).iter().enumerate() {
        let mut rows: std::collections::BTreeMap<i64, Vec<&Placed>> = Default::default();
        for w in page
            .iter()
            .filter(|w| w.x0 >= CHINESE_COLUMN.0 - 1.0 && w.x0 < CHINESE_COLUMN.1)
        {
            rows.entry((w.y0 * 2.0).round() as i64).or_default().push(w);
        }
        for row in rows.values_mut() {
            row.sort_by(|a, b| a.x0.total_cmp(&b.x0));
            let line: String = row.iter().map(|w| w.text.as_str()).collect();
            if !line.chars().any(is_han) {
                continue;
            }
            lines += 1;
            let first = line.chars().next().unwrap();
            let last = line.chars().last().unwrap();
            assert!(
                !"、。，；：」』）！？".contains(first),
                "p.{}: a line starts with {first}: {line}",
                n + 1
            );
            assert!(
                !"「『（".contains(last),
                "p.{}: a line ends with {last}: {line}",
                n + 1
            );
        }
    }
    assert!(lines > 60, "the Chinese column was read: {lines} lines");
    // Letter-spaced lines read back as single characters set apart ("考 量 隆 德 市 議 會
    // 於"): on no line of the Chinese column do three single Han characters stand apart.
    for (n, page) in placed_words(&pdf).iter().enumerate() {
        let mut rows: std::collections::BTreeMap<i64, Vec<&Placed>> = Default::default();
        for w in page
            .iter()
            .filter(|w| w.x0 >= CHINESE_COLUMN.0 && w.x1 <= CHINESE_COLUMN.1)
        {
            rows.entry((w.y0 * 2.0).round() as i64).or_default().push(w);
        }
        for row in rows.values() {
            let apart = row
                .iter()
                .filter(|w| w.text.chars().count() == 1 && w.text.chars().all(is_han))
                .count();
            let text: Vec<&str> = row.iter().map(|w| w.text.as_str()).collect();
            assert!(apart < 3, "p.{}: letter-spaced: {text:?}", n + 1);
        }
    }
    // Dates keep no space between their numbers and 年, 月, 日, and the line before one is
    // not stretched (above): "考量隆德市議會於2027年8月" reads as one run.
    let raw = common::no_ws(&pdf_text_with(&pdf, &["-raw"]));
    assert!(raw.contains("於2027年8月26日"), "{raw}");
    assert!(raw.contains("本協定書於2027年10月15日"), "{raw}");
    // A reference to an article breaks as Chinese text does: the line before "第九條" is not
    // stretched to leave it whole on the next (second reading, K3's leftover).
    let layout = pdf_text_with(&pdf, &["-layout"]);
    let line = (layout.lines())
        .find(|l| l.contains("本關係不設期限"))
        .expect("the duration clause");
    assert!(line.contains("至依第"), "{line}");
}

/// `terms` (a shipped example) with every party's official and short name, and the first
/// representative's name, about `len` characters long in every language (Chinese half as
/// many characters, each twice as wide).
fn long_names(terms: &str, len: usize) -> String {
    let mut doc: Value = serde_yaml_ng::from_str(&common::shipped(terms)).unwrap();
    let long: [(&str, &str); 8] = [
        (
            "sv",
            "Lunds kommun genom kommunstyrelsen och kommunfullmäktige i Skåne län",
        ),
        (
            "zh-TW",
            "瑞典王國斯科訥省隆德市政府暨市議會及市執行委員會國際關係辦公室",
        ),
        (
            "en",
            "City of Lund, acting through its Municipal Executive Board in Skåne",
        ),
        (
            "de",
            "Kommunalverwaltungsgemeinschaft Bergs kommun, Provinz Jämtland, Norrland",
        ),
        (
            "sv",
            "Tainans stadsförvaltning genom sekretariatets internationella sektion",
        ),
        (
            "zh-TW",
            "中華民國臺灣臺南市政府秘書處國際事務科暨觀光旅遊局國際交流辦公室",
        ),
        (
            "en",
            "Tainan City Government through its Secretariat, International Affairs",
        ),
        (
            "de",
            "Gemeinde Berg im Landkreis Hof, Regierungsbezirk Oberfranken, Freistaat",
        ),
    ];
    let cut = |s: &str, cjk: bool| -> String {
        if cjk {
            return s.chars().take(len / 2).collect();
        }
        words_up_to(s, len)
    };
    let languages: Vec<String> = doc["languages"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap().to_string())
        .collect();
    let parties = doc["parties"].as_sequence_mut().unwrap();
    for (i, party) in parties.iter_mut().enumerate() {
        let names = &long[i * 4..i * 4 + 4];
        let mut per_language = serde_yaml_ng::Mapping::new();
        for lang in &languages {
            let (_, name) = names.iter().find(|(l, _)| l == lang).unwrap();
            per_language.insert(lang.as_str().into(), cut(name, lang == "zh-TW").into());
        }
        party["official_name"] = Value::Mapping(per_language.clone());
        party["short_name"] = Value::Mapping(per_language);
    }
    parties[0]["representative"]["name"] = "Maria-Theresia Johanna Ekström-Hohenzollern".into();
    serde_yaml_ng::to_string(&doc).unwrap()
}

#[test]
fn k3_sixty_character_names_in_parallel_columns_break_at_their_spaces_and_are_not_refused() {
    // The review's stress: two- and three-language parallel copies with party names of
    // about 60 characters (official and short names, and a long signatory's name). Before
    // the fix, pactum's own layout check refused such final copies: unbreakable names ran
    // over the margin and over the next column.
    let dir = tempfile::tempdir().unwrap();
    for (example, len, options) in [
        (LUND_TAINAN, 60, &["--final", "--layout", "parallel"][..]),
        (BERG_BERG, 60, &["--final", "--layout", "parallel"][..]),
        (LUND_TAINAN, 45, &["--layout", "parallel"][..]),
        (BERG_BERG, 60, &["--final", "--layout", "consecutive"][..]),
    ] {
        let terms = dir.path().join(format!("round-{len}.yaml"));
        std::fs::write(&terms, long_names(example, len)).unwrap();
        let pdf = dir.path().join("stress.pdf");
        render_clean(&terms, &pdf, options);
        let what = format!("{example} {len} {options:?}");
        assert_within_margin(&pdf, &what);
        // The long names are printed whole, broken at their spaces only.
        let words = squash(&pdf_text_with(&pdf, &["-raw"]));
        let name = if example == LUND_TAINAN {
            "Tainan City Government through its Secretariat, International Affairs"
        } else {
            "Gemeinde Berg im Landkreis Hof, Regierungsbezirk Oberfranken, Freistaat"
        };
        let name = words_up_to(name, len);
        assert!(words.contains(&name), "{what}: “{name}” broken: {words}");
    }
}

#[test]
fn k2_a_co_signatory_signs_in_their_own_capacity() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("lt.pdf");
    render_clean(&shipped_terms(LUND_TAINAN), &pdf, &["--final"]);
    let pages = pages(&pdf, None);
    let last = pages.last().unwrap();
    for label in [
        "Med kontrasignation av",
        "會同簽署",
        "With the co-signature of",
    ] {
        assert_eq!(last.matches(label).count(), 2, "{label}: {last}");
    }
    // Tainan's column of the signature page: the Speaker stands under the capacity label,
    // after the Mayor, not as a second name under "For Tainan City".
    let right = self::pages(&pdf, Some((310.0, 530.0)));
    let column: Vec<&str> = right
        .last()
        .unwrap()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let at = |s: &str| {
        column
            .iter()
            .position(|l| l.contains(s))
            .unwrap_or_else(|| panic!("{s}: {column:?}"))
    };
    assert!(at("For Tainan City") < at("Wang Shu-fen"));
    assert!(at("Wang Shu-fen") < at("會同簽署"));
    assert!(at("會同簽署") < at("Tsai Ming-hsiung"));
    assert_eq!(
        column.iter().filter(|l| l.contains("代表")).count(),
        1,
        "one 臺南市代表 heading, the Mayor's: {column:?}"
    );
    // German, in Berg–Berg.
    let pdf = dir.path().join("bb.pdf");
    render_clean(&shipped_terms(BERG_BERG), &pdf, &["--final"]);
    let text = pdf_text_with(&pdf, &["-raw"]);
    assert!(text.contains("Unter Mitzeichnung von"), "{text}");
    // HTML and DOCX carry the same label.
    let html = dir.path().join("lt.html");
    render_clean(&shipped_terms(LUND_TAINAN), &html, &["--format", "html"]);
    let html = std::fs::read_to_string(html).unwrap();
    assert_eq!(html.matches("With the co-signature of").count(), 2);
}

#[test]
fn s17_a_list_items_title_is_never_the_last_line_of_a_page() {
    let dir = tempfile::tempdir().unwrap();
    let titles = [
        "Utbildning och forskning",
        "產業與創新",
        "Education and research",
        "Green ports and sustainable transport",
        "Culture and heritage",
        "Youth",
        "Tourism",
    ];
    for (terms, options) in [
        (LUND_TAINAN, &[][..]),
        ("agreements/malmo-kaohsiung/round-3.yaml", &[][..]),
    ] {
        let pdf = dir.path().join("s17.pdf");
        render_clean(&shipped_terms(terms), &pdf, options);
        for (n, page) in pages(&pdf, None).iter().enumerate() {
            let lines: Vec<&str> = page
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect();
            // The footer is the last line; the text ends on the one before.
            let last = lines[lines.len().saturating_sub(2)];
            assert!(
                !titles.iter().any(|t| last.ends_with(t)),
                "{terms} p.{}: a list item's title ends the page: {last}",
                n + 1
            );
        }
    }
}

#[test]
fn s18_the_parties_signature_rows_line_up() {
    // Kaohsiung's "For …" line wraps, Lund–Tainan's Tainan prints names in two scripts:
    // each row of the two parties' blocks still starts at the same height.
    let dir = tempfile::tempdir().unwrap();
    for (terms, label, count) in [
        ("agreements/malmo-kaohsiung/round-3.yaml", "Place", 2),
        (LUND_TAINAN, "會同簽署", 2),
        (LUND_TAINAN, "Ort", 2),
    ] {
        let pdf = dir.path().join("s18.pdf");
        render_clean(&shipped_terms(terms), &pdf, &["--final"]);
        let tops: Vec<f64> = placed_words(&pdf)
            .iter()
            .map(|page| {
                page.iter()
                    .filter(|w| w.text.starts_with(label))
                    .map(|w| w.y0)
                    .collect::<Vec<f64>>()
            })
            .max_by_key(Vec::len)
            .unwrap();
        assert_eq!(tops.len(), count, "{terms} {label}: {tops:?}");
        assert!(
            (tops[0] - tops[1]).abs() < 0.5,
            "{terms}: {label} at {tops:?}"
        );
    }
}

#[test]
fn s19_the_twinning_oaths_signatures_stand_with_its_text() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("kv.pdf");
    render_clean(
        &shipped_terms("agreements/krostitz-vernassal/round-1.yaml"),
        &pdf,
        &["--final"],
    );
    let pages = pages(&pdf, None);
    // One sheet: the pledges, the closing formula and all four signatures on one page.
    assert_eq!(pages.len(), 1, "{pages:?}");
    let page = squash(&pages[0]);
    for part in [
        "solemnly pledge",
        "European unity.",
        "Done at Krostitz",
        "Wolfgang Frauendorf",
        "Michel Chouvier",
        "Birgit Heinemann",
        "Jean Duroure",
    ] {
        assert!(page.contains(part), "{part}: {page}");
    }
}

/// The whole words of `s` that fit in `len` characters, without a trailing comma.
fn words_up_to(s: &str, len: usize) -> String {
    let mut out = String::new();
    for w in s.split(' ') {
        if !out.is_empty() && out.chars().count() + 1 + w.chars().count() > len {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out.trim_end_matches(',').to_string()
}
