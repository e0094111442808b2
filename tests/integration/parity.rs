//! The parity check across language versions (issue 29): held-out trilingual cases where one
//! number, one date (ROC in Chinese), one name or one list item differs in one language are
//! each found at their terms line; the consistent originals, every shipped round and every
//! form in every language give none; a final copy is refused until the finding is accepted,
//! and `verify` prints the reason; `diff` flags a change made in English only.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::{self, check_json, has, lacks, pactum};

/// The trilingual Lund–Tainan round 2 with one own article that counts, dates and lists.
fn trilingual() -> String {
    let base = common::shipped("agreements/lund-tainan/round-2.yaml");
    let article = r#"
articles:
  - id: delegations
    title: {sv: Delegationer, zh-TW: 代表團, en: Delegations}
    text:
      sv: |-
        Varje delegation omfattar högst 8 personer och anmäls minst 30 dagar i förväg.

        Ett år efter undertecknandet, senast den 1 december 2028, utvärderar parterna samarbetet enligt artikel 3 och väljer tre områden:

        1. kultur;
        2. utbildning;
        3. ungdom.
      zh-TW: |-
        每一代表團以8人為限，並應至少於30日前通知。

        雙方應於簽署後一年內，至遲於民國117年12月1日，依第三條評估合作，並選定三項領域：

        1. 文化；
        2. 教育；
        3. 青年。
      en: |-
        Each delegation has at most 8 members and is announced at least 30 days in advance.

        A year after signature, by 1 December 2028 at the latest, the Parties will evaluate the cooperation under Article 3 and choose three fields:

        1. culture;
        2. education;
        3. youth.
"#;
    assert!(
        base.contains("\nwitnesses:"),
        "example changed; update this test"
    );
    format!("{base}{article}")
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// The parity warnings `check --format json` gives for `terms`.
fn findings(terms: &Path) -> Vec<Value> {
    let (code, json) = check_json(terms);
    assert_eq!(code, Some(0), "{json:#}");
    json[0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["kind"] == "parity")
        .cloned()
        .collect()
}

/// The 1-based line of `terms` holding `needle` (exactly once in the file).
fn line_of(text: &str, needle: &str) -> u64 {
    assert_eq!(text.matches(needle).count(), 1, "{needle:?}");
    text.lines().position(|l| l.contains(needle)).unwrap() as u64 + 1
}

/// `original` with `from` replaced by `to` once (which must be there).
fn changed(original: &str, from: &str, to: &str) -> String {
    assert!(original.contains(from), "{from:?} not in the terms");
    original.replacen(from, to, 1)
}

#[test]
fn the_consistent_original_gives_no_finding() {
    let dir = tempfile::tempdir().unwrap();
    let terms = write(dir.path(), "round-2.yaml", &trilingual());
    assert_eq!(findings(&terms), Vec::<Value>::new());
}

#[test]
fn one_number_changed_in_english_is_found_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let text = changed(&trilingual(), "at least 30 days", "at least 60 days");
    let terms = write(dir.path(), "round-2.yaml", &text);
    let found = findings(&terms);
    assert_eq!(found.len(), 1, "{found:#?}");
    let d = &found[0];
    let message = d["message"].as_str().unwrap();
    has(message, "Article 7");
    has(message, "30 days in sv");
    has(message, "60 days in en");
    has(message, "30 days in zh-TW");
    assert_eq!(d["severity"], "warning");
    assert_eq!(d["line"], line_of(&text, "at least 60 days"), "{d:#}");
    assert_eq!(d["path"], "articles[0].text.en");
    // The human form names it too, with the file and line.
    let out = pactum().arg("check").arg(&terms).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    has(
        &err,
        "warning[parity]: Article 7: 30 days in sv, 30 days in zh-TW, 60 days in en",
    );
    has(
        &err,
        &format!("round-2.yaml:{}:", line_of(&text, "at least 60 days")),
    );
}

#[test]
fn one_roc_date_changed_in_chinese_is_found_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    // 民國117年 is 2028: the original agrees; a month off does not.
    let text = changed(&trilingual(), "民國117年12月1日", "民國117年11月1日");
    let terms = write(dir.path(), "round-2.yaml", &text);
    let found = findings(&terms);
    assert_eq!(found.len(), 1, "{found:#?}");
    let message = found[0]["message"].as_str().unwrap();
    has(
        message,
        "dates: 2028-12-01 in sv, 2028-11-01 in zh-TW, 2028-12-01 in en",
    );
    assert_eq!(found[0]["line"], line_of(&text, "民國117年11月1日"));
    // And the recital's Gregorian date, written in Chinese numerals, agrees.
    let text = changed(&trilingual(), "2027年8月26日", "二〇二七年八月二十六日");
    let terms = write(dir.path(), "round-2.yaml", &text);
    assert_eq!(findings(&terms), Vec::<Value>::new());
}

#[test]
fn one_name_changed_in_english_is_found_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let from = "Inspired by the long history of Lund and Tainan";
    let text = changed(
        &trilingual(),
        from,
        "Inspired by the long history of Lund and Kaohsiung",
    );
    let terms = write(dir.path(), "round-2.yaml", &text);
    let found = findings(&terms);
    assert_eq!(found.len(), 1, "{found:#?}");
    let message = found[0]["message"].as_str().unwrap();
    has(message, "Preamble");
    has(message, "none in en");
    has(message, "Tainan in sv");
    assert_eq!(found[0]["path"], "recitals[0].en");
    assert_eq!(found[0]["line"], line_of(&text, "Lund and Kaohsiung"));
}

#[test]
fn one_list_item_more_in_swedish_is_found_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let text = changed(
        &trilingual(),
        "        3. ungdom.",
        "        3. ungdom;\n        4. idrott.",
    );
    let terms = write(dir.path(), "round-2.yaml", &text);
    let found = findings(&terms);
    let items: Vec<&Value> = found
        .iter()
        .filter(|d| d["message"].as_str().unwrap().contains("list items"))
        .collect();
    assert_eq!(items.len(), 1, "{found:#?}");
    has(
        items[0]["message"].as_str().unwrap(),
        "Article 7: 4 list items in sv, 3 in zh-TW, 3 in en",
    );
    assert_eq!(items[0]["path"], "articles[0].text.sv");
    // The article's text in Swedish starts on the line after `sv: |-`.
    let at = items[0]["line"].as_u64().unwrap();
    assert!(
        at == line_of(&text, "högst 8 personer") || at == line_of(&text, "      sv: |-"),
        "{:#}",
        items[0]
    );
}

#[test]
fn an_ordinal_a_year_and_a_reference_are_read_through_the_words() {
    let dir = tempfile::tempdir().unwrap();
    // "A year" and 一年 against "12 månader"; "the third" against 3 and 三.
    let text = changed(
        &trilingual(),
        "Ett år efter undertecknandet",
        "Tolv månader efter undertecknandet",
    );
    let text = changed(&text, "väljer tre områden", "väljer tre (3) områden");
    let text = changed(
        &text,
        "choose three fields",
        "choose three fields, the third being youth",
    );
    let text = changed(&text, "選定三項領域", "選定三項領域，第三項為青年");
    let terms = write(dir.path(), "round-2.yaml", &text);
    assert_eq!(findings(&terms), Vec::<Value>::new());
    // A reference to another article in one language only is found.
    let text = changed(&trilingual(), "under Article 3", "under Article 4");
    let terms = write(dir.path(), "round-2.yaml", &text);
    let found = findings(&terms);
    assert_eq!(found.len(), 1, "{found:#?}");
    has(
        found[0]["message"].as_str().unwrap(),
        "references: Article 3 in sv",
    );
    has(found[0]["message"].as_str().unwrap(), "Article 4 in en");
    assert_eq!(found[0]["line"], line_of(&text, "under Article 4"));
}

#[test]
fn every_shipped_round_agrees() {
    for round in common::shipped_rounds() {
        let found = findings(&common::root().join(&round));
        assert_eq!(found, Vec::<Value>::new(), "{round}");
    }
}

/// The English examples' own texts made the same in every language: numbers in words as
/// digits, dates as `YYYY-MM-DD`, so that what is compared is pactum's clause text.
fn language_neutral(yaml: &str) -> String {
    const WORDS: [&str; 13] = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve",
    ];
    const ORDINALS: [&str; 12] = [
        "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
        "tenth", "eleventh", "twelfth",
    ];
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let text = |value: &str| -> String {
        // Words and what stands between them.
        let mut tokens: Vec<String> = Vec::new();
        for c in value.chars() {
            let word = c.is_alphanumeric();
            match tokens.last_mut() {
                Some(t) if t.chars().last().is_some_and(|l| l.is_alphanumeric()) == word => {
                    t.push(c)
                }
                _ => tokens.push(c.to_string()),
            }
        }
        let mut out = String::new();
        let mut i = 0;
        while i < tokens.len() {
            let t = tokens[i].as_str();
            let month = tokens
                .get(i + 2)
                .and_then(|m| MONTHS.iter().position(|x| x == m));
            if let (Ok(d), Some(m), Some(y)) = (t.parse::<u32>(), month, tokens.get(i + 4))
                && tokens[i + 1] == " "
                && tokens[i + 3] == " "
                && y.len() == 4
                && y.chars().all(|c| c.is_ascii_digit())
            {
                out.push_str(&format!("{y}-{:02}-{d:02}", m + 1));
                i += 5;
                continue;
            }
            if let Some(n) = WORDS.iter().position(|w| *w == t) {
                out.push_str(&n.to_string());
            } else if let Some(n) = ORDINALS.iter().position(|w| *w == t) {
                out.push_str(&(n + 1).to_string());
            } else if t == "a" && tokens.get(i + 2).is_some_and(|w| w == "year") {
                out.push('1');
            } else {
                out.push_str(t);
            }
            i += 1;
        }
        out
    };
    yaml.lines()
        .map(|line| {
            let body = line.trim_start().trim_start_matches("- ");
            let value = match body.split_once(": ") {
                Some((key, value)) if !key.contains(' ') => value,
                _ => body,
            };
            if value.contains(' ')
                && !value.starts_with(['{', '[', '#'])
                && !line.trim_start().starts_with('#')
            {
                format!("{}{}", &line[..line.len() - value.len()], text(value))
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// Every form's clause text in every language: each shipped example in one language filled
/// in en, sv, zh-TW and de, its own texts made language-neutral, with Gregorian and ROC
/// dates. (The twinning declaration is checked without German: its German originals clause
/// does not fill with these terms yet.)
#[test]
fn every_form_in_every_language_agrees() {
    let dir = tempfile::tempdir().unwrap();
    let mut checked = std::collections::BTreeSet::new();
    for round in common::shipped_rounds() {
        let text = common::shipped(&round);
        let Some(line) = text.lines().find(|l| l.starts_with("languages: [")) else {
            continue;
        };
        if line.contains(',') {
            continue; // texts per language: the shipped-rounds test reads them as they are
        }
        let template = text
            .lines()
            .find_map(|l| l.strip_prefix("template: "))
            .unwrap()
            .to_string();
        let languages = if template == "twinning-declaration" {
            "languages: [en, sv, zh-TW]"
        } else {
            "languages: [en, sv, zh-TW, de]"
        };
        for calendar in ["gregorian", "roc"] {
            let all = language_neutral(&text.replace(line, languages))
                .replace("prevailing: de", "prevailing: en")
                + &format!("zh_calendar: {calendar}\n");
            let terms = write(dir.path(), &round.replace('/', "-"), &all);
            let found = findings(&terms);
            assert_eq!(found, Vec::<Value>::new(), "{round} ({calendar})");
        }
        checked.insert(template);
    }
    assert_eq!(checked.len(), 3, "{checked:?}");
}

/// Acknowledged in the terms: `parity: {accept: [{article, reason}]}`.
fn accepted(text: &str) -> String {
    format!(
        "{text}parity:\n  accept:\n    - article: delegations\n      reason: The English version allows more time by agreement.\n"
    )
}

#[test]
fn a_final_copy_is_refused_until_the_finding_is_accepted_and_verify_shows_why() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("lund-tainan");
    std::fs::create_dir_all(&folder).unwrap();
    let text = changed(&trilingual(), "at least 30 days", "at least 60 days");
    let terms = write(&folder, "round-2.yaml", &text);
    let out_dir = dir.path().join("out");
    let out = pactum()
        .arg("render")
        .arg(&terms)
        .args(["--final", "-o"])
        .arg(&out_dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    has(
        &err,
        "warning[parity]: Article 7: 30 days in sv, 30 days in zh-TW, 60 days in en",
    );
    has(&err, "parity: {accept:");
    assert!(!out_dir.join("round-2-final.pdf").exists());
    // A draft is rendered all the same.
    common::render(&terms, &out_dir);
    // Accepted: rendered, and the record keeps the reason.
    std::fs::write(&terms, accepted(&text)).unwrap();
    assert_eq!(findings(&terms), Vec::<Value>::new());
    common::render_with(&terms, &out_dir, &["--final"]);
    let pdf = out_dir.join("round-2-final.pdf");
    let out = pactum().arg("verify").arg(&pdf).output().unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{said}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    has(&said, "MATCH");
    has(
        &said,
        "language versions may differ in `delegations` (accepted): The English version allows more time by agreement.",
    );
}

#[test]
fn a_batch_of_final_copies_refuses_an_unaccepted_finding() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("agreements").join("lund-tainan");
    std::fs::create_dir_all(&folder).unwrap();
    let text = changed(&trilingual(), "at least 30 days", "at least 60 days");
    write(&folder, "round-2.yaml", &text);
    let out = pactum()
        .arg("batch")
        .arg(dir.path().join("agreements"))
        .args(["--final", "-o"])
        .arg(dir.path().join("out"))
        .output()
        .unwrap();
    assert_ne!(out.status.code(), Some(0));
    has(&String::from_utf8_lossy(&out.stderr), "warning[parity]");
}

#[test]
fn diff_flags_a_change_made_in_english_only() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("lund-tainan");
    std::fs::create_dir_all(&folder).unwrap();
    let old = trilingual();
    write(&folder, "round-2.yaml", &old);
    let new = changed(&old, "round: 2\n", "round: 3\n");
    let new = changed(
        &new,
        "en: Agreement on the Establishment of Sister City Relations",
        "en: Agreement on the Establishment of Friendship City Relations",
    );
    let new = changed(&new, "at least 30 days", "at least 60 days");
    write(&folder, "round-3.yaml", &new);
    // The data (JSON) names the languages by code; a reader reads the flag in the language
    // of the version they read (issue 31, S21).
    let flag = "changed in en only; sv and zh-TW unchanged";
    let sv_flag = "ändrad endast på engelska; oförändrad på svenska och kinesiska";
    let en_flag = "changed in English only; Swedish and Chinese unchanged";
    let zh_flag = "僅英文修改；瑞典文及中文未修改";
    // Terminal: listed first among each version's terms, in its language.
    let out = pactum().arg("diff").arg(&folder).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    for (heading, flag) in [
        ("Ändrade villkor", sv_flag),
        ("修改之條款", zh_flag),
        ("Changed terms", en_flag),
    ] {
        let terms = text.split(heading).nth(1).expect("a terms section");
        let first = terms.lines().nth(1).unwrap();
        has(first, flag);
        assert_eq!(
            terms.split("===").next().unwrap().matches(flag).count(),
            2,
            "{text}"
        );
    }
    lacks(&text, flag);
    // JSON.
    let out = pactum()
        .args(["diff", "--format", "json"])
        .arg(&folder)
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let terms = json["terms"].as_array().unwrap();
    assert_eq!(terms[0]["one_language"], flag, "{json:#}");
    has(terms[0]["line"].as_str().unwrap(), flag);
    assert!(terms.iter().all(|t| t["path"] != "round"));
    // The redline's head: HTML and PDF.
    let html = dir.path().join("redline.html");
    pactum()
        .args(["diff", "--format", "html", "-o"])
        .arg(&html)
        .arg(&folder)
        .assert()
        .code(1);
    // The redline is Swedish first: its flag is Swedish.
    has(&std::fs::read_to_string(&html).unwrap(), sv_flag);
    let pdf = dir.path().join("redline.pdf");
    pactum()
        .args(["diff", "--format", "pdf", "-o"])
        .arg(&pdf)
        .arg(&folder)
        .assert()
        .code(1);
    let pdf_text = common::squash(&common::pdf_text(&pdf));
    has(&pdf_text, sv_flag);
    lacks(&pdf_text, "changed in");
    // A change made in every language is no such change.
    let every = changed(&old, "round: 2\n", "round: 3\n");
    let every = changed(&every, "högst 8 personer", "högst 9 personer");
    let every = changed(&every, "以8人為限", "以9人為限");
    let every = changed(&every, "at most 8 members", "at most 9 members");
    write(&folder, "round-3.yaml", &every);
    let out = pactum().arg("diff").arg(&folder).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    lacks(&text, "only;");
    lacks(&text, "endast på");
}

/// What the check adds to `pactum check` on the trilingual example: loading the terms (what
/// `check` did before) against filling them and comparing the versions, median of 200 runs
/// each, in CPU time of the thread (this shared machine's load does not count) and in wall
/// time. Run by hand (see BENCHMARKS.md): `cargo test --test integration parity_time --
/// --ignored --nocapture`.
#[test]
#[ignore]
fn parity_time() {
    use pactum::pipeline::Pipeline;
    use pactum::template::Catalog;
    use std::time::Instant;
    fn cpu() -> f64 {
        let mut t = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: `t` is a valid timespec to write to.
        unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) };
        t.tv_sec as f64 * 1000.0 + t.tv_nsec as f64 / 1e6
    }
    let pipeline = Pipeline::new(Catalog::builtin());
    let path = common::root().join("agreements/lund-tainan/round-2.yaml");
    // Medians of (CPU, wall) milliseconds.
    let median = |f: &mut dyn FnMut()| {
        let (mut cpus, mut walls): (Vec<f64>, Vec<f64>) = (0..200)
            .map(|_| {
                let (c, t) = (cpu(), Instant::now());
                f();
                (cpu() - c, t.elapsed().as_secs_f64() * 1000.0)
            })
            .unzip();
        cpus.sort_by(f64::total_cmp);
        walls.sort_by(f64::total_cmp);
        (cpus[100], walls[100])
    };
    // Once per process, as `pactum check` runs it: the template's forms compiled on the way.
    let loaded = pipeline.load(&path).unwrap();
    let (c, t) = (cpu(), Instant::now());
    assert!(pipeline.parity(&loaded).unwrap().is_empty());
    let first = (cpu() - c, t.elapsed().as_secs_f64() * 1000.0);
    let load = median(&mut || {
        pipeline.load(&path).unwrap();
    });
    let parity = median(&mut || {
        assert!(pipeline.parity(&loaded).unwrap().is_empty());
    });
    let doc = pipeline
        .fill(&loaded, pactum::template::Mode::Draft)
        .unwrap();
    let words = &loaded.template.words;
    let compare = median(&mut || {
        pactum::parity::check(&doc, words, &pactum::parity::Names::default());
    });
    println!(
        "lund-tainan round 2, ms CPU (wall): load {:.3} ({:.3}); parity: fill + compare {:.3} ({:.3}), compare alone {:.3} ({:.3}); the first in the process {:.3} ({:.3})",
        load.0, load.1, parity.0, parity.1, compare.0, compare.1, first.0, first.1
    );
}
