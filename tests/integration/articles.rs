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
        let source = common::shipped(format!("agreements/{agreement}/round-{latest}.yaml"));
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
fn omit_leaves_any_article_out_and_refuses_an_unknown_one() {
    let dir = tempfile::tempdir().unwrap();
    let source = common::shipped("agreements/lund-tainan/round-2.yaml");
    let terms = dir.path().join("round-3.yaml");
    std::fs::write(&terms, format!("{source}\nomit: [means]\n")).unwrap();
    let pdf = dir.path().join("out.pdf");
    common::render(&terms, &pdf);
    let text = squash(&pdf_text(&pdf));
    assert!(!text.contains("Means of exchange"), "omitted");
    assert!(text.contains("Fields of exchange"));

    // Any part, the core ones too: the agreement is the parties'.
    std::fs::write(&terms, format!("{source}\nomit: [fields, languages]\n")).unwrap();
    common::render(&terms, &pdf);
    let text = squash(&pdf_text(&pdf));
    assert!(!text.contains("Fields of exchange"), "omitted:\n{text}");
    assert!(!text.contains("equally authentic"), "omitted:\n{text}");
    assert!(text.contains("Means of exchange"));

    std::fs::write(&terms, format!("{source}\nomit: [languages, mean]\n")).unwrap();
    let (code, d) = common::check_json(&terms);
    assert_eq!(code, Some(1));
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
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].0, "omit[1]");
    assert!(
        problems[0].1.contains("did you mean `means`"),
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

// ---- The parties' own structure (the Minneapolis–Cuernavaca example) ----

const OWN: &str = "agreements/minneapolis-cuernavaca";

/// A final copy of the example's latest round in `format`, in `dir`.
fn own_final(dir: &std::path::Path, format: &str) -> std::path::PathBuf {
    let out = dir.join(format!("final.{format}"));
    pactum()
        .current_dir(common::root())
        .args([
            "render",
            &format!("{OWN}/round-2.yaml"),
            "--final",
            "--format",
            format,
            "-o",
        ])
        .arg(&out)
        .assert()
        .success();
    out
}

/// The example's own article holds a numbered list whose items have bold titles, two with
/// bullets of their own; it replaces the built-in fields article under its own title (so
/// `fields:` is not needed), an own article follows it and refers to it, the signing text is
/// omitted, and the association that is a party but does not sign is named in the title and
/// preamble and has no signature block.
#[test]
fn the_parties_own_articles_lists_and_signatories_in_the_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = own_final(dir.path(), "pdf");
    let text = squash(&pdf_text(&pdf));
    for (want, what) in [
        (
            "Article 2 Commitments The Cities intend to pursue the following commitments: 1. Fields of cooperation Cooperation will be promoted",
            "the list under its title",
        ),
        (
            "2. Schools and organisations The Cities support friendship affiliations between schools and organisations, including: • Rotary International; • Lions Clubs.",
            "a nested bulleted list",
        ),
        ("6. Later matters", "round 2's item"),
        (
            "Article 3 Implementation by the associations",
            "the own article after it",
        ),
        ("as set out in Article 2.", "its reference"),
        (
            "with the participation of Minneapolis Sister City Association, hereinafter “the Association”, which does not sign",
            "the party that does not sign, in the preamble, with no representative",
        ),
        ("For the City of Cuernavaca", "a signing party's block"),
        ("For the City of Minneapolis", "the other's"),
    ] {
        assert!(text.contains(want), "{what}: {want:?} in\n{text}");
    }
    for absent in [
        "Fields of exchange",
        "Exchange in other fields may be decided",
        "Signed by the undersigned",
        "For the Minneapolis Sister City Association",
        "and Minneapolis Sister City Association",
        "represented by ,",
    ] {
        assert!(!text.contains(absent), "{absent:?} in\n{text}");
    }
    // Two signature blocks, each one signature line: the association signs nothing.
    assert_eq!(text.matches("Signature").count(), 2, "{text}");
}

#[test]
fn the_parties_own_lists_are_lists_in_html_and_docx() {
    let dir = tempfile::tempdir().unwrap();
    let seen = crate::formats::browse(&own_final(dir.path(), "html"));
    let items: Vec<(String, u64, String)> = seen["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["list"].as_str().unwrap().to_string(),
                i["depth"].as_u64().unwrap(),
                i["text"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let item = |list: &str, depth: u64, text: &str| {
        items
            .iter()
            .any(|(l, d, t)| l == list && *d == depth && t.contains(text))
    };
    assert!(item("ol", 1, "Fields of cooperation"), "{items:?}");
    assert!(item("ol", 1, "Later matters"), "{items:?}");
    assert!(item("ul", 2, "Rotary International"), "{items:?}");
    assert!(item("ul", 2, "humanitarian assistance"), "{items:?}");
    assert_eq!(
        items
            .iter()
            .filter(|(l, d, _)| l == "ol" && *d == 1)
            .count(),
        6
    );

    let docx = own_final(dir.path(), "docx");
    let txt =
        std::fs::read_to_string(crate::formats::soffice(&docx, "txt:Text (encoded):UTF8")).unwrap();
    let lines: Vec<&str> = txt.lines().map(str::trim).collect();
    for want in [
        "1.\tFields of cooperation",
        "•\tRotary International;",
        "6.\tLater matters",
    ] {
        assert!(
            lines.contains(&want),
            "{want:?} a line of its own in\n{txt}"
        );
    }
}

/// Round 2 adds a sixth commitment: the redline marks an inserted item, and the terms
/// summary names the article and the line added, not the whole text twice.
#[test]
fn an_added_item_of_an_own_list_is_an_added_item_in_the_redline() {
    let out = pactum()
        .current_dir(common::root())
        .args(["diff", OWN, "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let d: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let changed: Vec<&serde_json::Value> = d["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] != "unchanged")
        .collect();
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert_eq!(changed[0]["id"], "fields");
    assert_eq!(changed[0]["notes"][0]["kind"], "inserted", "{changed:?}");
    let inserted: String = changed[0]["segments"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["kind"] == "insert")
        .map(|s| s["text"].as_str().unwrap())
        .collect();
    assert!(inserted.contains("Later matters"), "{inserted}");
    assert!(!inserted.contains("Visits"), "{inserted}");
    let line = d["terms"][0]["line"].as_str().unwrap();
    assert!(
        line.starts_with("Article 2 ‘Commitments’, text: added “6. Later matters: ")
            && line.ends_with("” after “and citizens.”"),
        "{line}"
    );
}

/// A retitled built-in article keeps its text; `title: ""` gives an article no heading; an
/// own article with no `title` key, or one that changes nothing, is an error at its line.
#[test]
fn retitle_untitled_and_a_missing_title() {
    let dir = tempfile::tempdir().unwrap();
    let source = common::shipped("agreements/malmo-kaohsiung/round-3.yaml");
    let terms = dir.path().join("round-4.yaml");
    std::fs::write(
        &terms,
        format!(
            "{source}\narticles:\n  - id: themes\n    title: Our themes\n  - id: note\n    title: \"\"\n    text: A note with no heading.\n"
        ),
    )
    .unwrap();
    let pdf = dir.path().join("out.pdf");
    common::render(&terms, &pdf);
    let text = squash(&pdf_text(&pdf));
    assert!(
        text.contains(
            "Our themes The partnership covers the following themes: 1. Countering disinformation"
        ),
        "retitled, its text kept:\n{text}"
    );
    assert!(!text.contains("Themes of the partnership"), "{text}");
    assert!(
        regex_like_arabic(&text, "A note with no heading."),
        "an article with a number and no heading:\n{text}"
    );

    let broken =
        format!("{source}\narticles:\n  - id: note\n    text: No title.\n  - id: purpose\n");
    std::fs::write(&terms, &broken).unwrap();
    let (code, d) = common::check_json(&terms);
    assert_eq!(code, Some(1));
    let problems: Vec<(String, String, u64)> = d[0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["path"].as_str().unwrap_or_default().to_string(),
                p["message"].as_str().unwrap_or_default().to_string(),
                p["line"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    let line_of =
        |needle: &str| broken.lines().position(|l| l.contains(needle)).unwrap() as u64 + 1;
    assert_eq!(
        problems,
        [
            (
                "articles[0]".to_string(),
                "the article `note` has no `title`".to_string(),
                line_of("- id: note")
            ),
            (
                "articles[1].id".to_string(),
                "`purpose` changes nothing".to_string(),
                line_of("- id: purpose")
            ),
        ]
    );
}

/// "Article N" directly followed by `text`: a numbered article with no heading.
fn regex_like_arabic(text: &str, after: &str) -> bool {
    text.match_indices(after).any(|(i, _)| {
        let before = text[..i].trim_end();
        let digits: String = before
            .chars()
            .rev()
            .take_while(char::is_ascii_digit)
            .collect();
        !digits.is_empty()
            && before[..before.len() - digits.len()]
                .trim_end()
                .ends_with("Article")
    })
}

/// A replaced built-in article no longer needs its terms; a party that signs needs a
/// representative; one party at least signs.
#[test]
fn a_replaced_article_frees_its_terms_and_signatories_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    let source = common::shipped(format!("{OWN}/round-1.yaml"));
    let terms = dir.path().join("round-1.yaml");
    std::fs::write(&terms, source.replace("\n    signs: false", "")).unwrap();
    let out = pactum().arg("check").arg(&terms).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("required term `parties[2].representative` is missing")
            && err.contains("`signs: false`"),
        "{err}"
    );
    let none_sign = source.replace(
        "    representative:\n      name: Ana",
        "    signs: false\n    representative:\n      name: Ana",
    );
    let none_sign = none_sign.replace(
        "    representative:\n      name: Jacob Morales\n      title: Mayor\n",
        "    signs: false\n",
    );
    std::fs::write(&terms, none_sign).unwrap();
    let out = pactum().arg("check").arg(&terms).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no party signs"), "{err}");
    // Without the replacement of `fields`, `fields:` is required again.
    let builtin = source.replace(
        "  - id: fields\n    title: Commitments\n",
        "  - id: commitments\n    title: Commitments\n",
    );
    std::fs::write(&terms, builtin).unwrap();
    let out = pactum().arg("check").arg(&terms).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("required term `fields` is missing"), "{err}");
}

/// A blank line splits paragraphs whichever YAML style the text is written in: literal,
/// folded or quoted (YAML itself folds it into one line break in the last two).
#[test]
fn a_blank_line_splits_paragraphs_in_every_yaml_style() {
    let dir = tempfile::tempdir().unwrap();
    let source = common::shipped("agreements/malmo-kaohsiung/round-3.yaml");
    let terms = dir.path().join("round-4.yaml");
    let mut articles = String::from("articles:\n");
    for (id, text) in [
        ("literal", "|\n      First one.\n\n      Second one.\n"),
        (
            "folded",
            ">-\n      First\n      one.\n\n      Second one.\n",
        ),
        ("quoted", "\"First one.\n\n      Second one.\"\n"),
    ] {
        articles.push_str(&format!("  - id: {id}\n    title: {id}\n    text: {text}"));
    }
    std::fs::write(&terms, format!("{source}\n{articles}")).unwrap();
    let pdf = dir.path().join("out.pdf");
    common::render_with(&terms, &pdf, &["--emit", "typ"]);
    let model: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("out.json")).unwrap()).unwrap();
    for id in ["literal", "folded", "quoted"] {
        let article = model["versions"][0]["articles"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["id"] == id)
            .unwrap_or_else(|| panic!("no article {id}"));
        let paragraphs: Vec<String> = article["blocks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| {
                assert_eq!(b["kind"], "paragraph", "{id}: {b}");
                b["content"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| c["text"].as_str().unwrap_or_default())
                    .collect()
            })
            .collect();
        assert_eq!(paragraphs, ["First one.", "Second one."], "{id}");
    }
    let text = squash(&pdf_text(&pdf));
    assert!(text.contains("First one. Second one."), "{text}");
}

/// `numbering: none`: articles print their headings alone (or, untitled, their text alone) in
/// the PDF, HTML and DOCX, and a reference names the heading in the language's quotation
/// marks. A replaced text cannot be empty.
#[test]
fn articles_without_numbers_and_references_by_heading() {
    let dir = tempfile::tempdir().unwrap();
    let source = common::shipped("agreements/malmo-kaohsiung/round-3.yaml");
    let terms = dir.path().join("round-4.yaml");
    let own = "\nnumbering: none\narticles:\n  - id: note\n    title: \"\"\n    text: A note with no heading, after [](#themes).\n";
    std::fs::write(&terms, format!("{source}{own}")).unwrap();
    let pdf = dir.path().join("out.pdf");
    common::render(&terms, &pdf);
    let text = squash(&pdf_text(&pdf));
    assert!(!text.contains("Article "), "no article numbers:\n{text}");
    assert!(
        text.contains("A note with no heading, after “Themes of the partnership”."),
        "{text}"
    );
    let html = dir.path().join("out.html");
    common::render_with(&terms, &html, &["--format", "html"]);
    let html = std::fs::read_to_string(&html).unwrap();
    assert!(
        !html.contains("<span class=\"label\"></span> </h2>"),
        "no empty heading"
    );
    assert!(html.contains("A note with no heading"));

    let empty = format!("{source}\narticles:\n  - id: themes\n    text: \"\"\n");
    std::fs::write(&terms, &empty).unwrap();
    let out = pactum().arg("check").arg(&terms).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("`articles[0].text` is empty"));
}

/// A term printed by two parts by turns (the twinning oath's and the charter's pledges) is
/// free once the part that prints it is replaced, and needed while the other prints.
#[test]
fn a_term_is_free_when_every_part_that_prints_it_is_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let source = common::shipped("agreements/krostitz-vernassal/round-1.yaml");
    assert!(source.contains("form: oath"), "the example is an oath");
    let without: String = {
        let mut lines = source.lines().peekable();
        let mut out = String::new();
        while let Some(l) = lines.next() {
            if l.starts_with("pledges:") {
                while lines
                    .peek()
                    .is_some_and(|n| n.starts_with(' ') || n.starts_with('-'))
                {
                    lines.next();
                }
                continue;
            }
            out.push_str(l);
            out.push('\n');
        }
        out
    };
    let terms = dir.path().join("round-2.yaml");
    std::fs::write(&terms, &without).unwrap();
    let out = pactum().arg("check").arg(&terms).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "the oath prints the pledges");
    let replaced =
        format!("{without}articles:\n  - id: oath\n    text: We pledge our own words.\n");
    std::fs::write(&terms, &replaced).unwrap();
    let out = pactum().arg("check").arg(&terms).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Published agreements pactum had not seen (`tests/real-agreements/`, as a new user wrote
/// them): each checks, renders as a signable final copy whose signatories are all there, and
/// verifies.
#[test]
fn published_agreements_come_out_as_signable_originals() {
    let root = common::root().join("tests/real-agreements");
    let out = tempfile::tempdir().unwrap();
    let mut seen = 0;
    for entry in std::fs::read_dir(&root).unwrap().flatten() {
        let terms = entry.path().join("round-1.yaml");
        if !terms.is_file() {
            continue;
        }
        seen += 1;
        let name = entry.file_name().to_string_lossy().into_owned();
        let dir = out.path().join(&name);
        let made = pactum()
            .args(["render", "--final", "-o"])
            .arg(&dir)
            .arg(&terms)
            .output()
            .unwrap();
        assert!(
            made.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&made.stderr)
        );
        let source = std::fs::read_to_string(&terms).unwrap();
        for pdf in common::files_under(&dir) {
            let text = squash(&pdf_text(&pdf));
            // Every signatory the terms name signs.
            for line in source
                .lines()
                .filter(|l| l.trim_start().starts_with("name:"))
            {
                let signer = line.trim_start().trim_start_matches("name:").trim();
                assert!(text.contains(signer), "{name}: {signer} in\n{text}");
            }
            assert!(!text.contains("DRAFT"), "{name}");
            let verified = pactum().arg("verify").arg(&pdf).output().unwrap();
            assert_eq!(verified.status.code(), Some(0), "{name}");
        }
    }
    assert!(seen >= 5, "the reproductions are there");
    let takasaki = squash(&pdf_text(
        &out.path()
            .join("takasaki-muntinlupa-2006/round-1-final.pdf"),
    ));
    assert!(
        !takasaki.contains("Article"),
        "no article numbers:\n{takasaki}"
    );
    assert!(
        takasaki.starts_with("Sister City Agreement We, the undersigned mayors"),
        "the title alone (title_names_parties: false):\n{takasaki}"
    );
    assert!(
        takasaki
            .contains("economic and environmental activities. This agreement is to take effect")
    );
    // Each in the form its kind has, with no workaround: no twinning oath.
    for (name, template) in [
        ("takasaki-muntinlupa-2006", "sister-city"),
        ("tacoma-fuzhou-1994", "sister-city"),
        ("ceco-teco-covid-partnership-2020", "thematic-partnership"),
    ] {
        let source = std::fs::read_to_string(root.join(name).join("round-1.yaml")).unwrap();
        assert!(
            source.contains(&format!("\ntemplate: {template}\n")),
            "{name}"
        );
        assert!(!source.contains("pledges"), "{name}: no unprinted terms");
        let text = squash(&pdf_text(&out.path().join(name).join("round-1-final.pdf")));
        // As the originals: under each line the name, title and body, and no labels.
        for label in ["Place and date", "Signature", "For ", "Article"] {
            assert!(!text.contains(label), "{name}: {label} in\n{text}");
        }
    }
    let tacoma = squash(&pdf_text(
        &out.path().join("tacoma-fuzhou-1994/round-1-final.pdf"),
    ));
    assert!(
        tacoma.contains("Mayor City of Tacoma")
            && tacoma.contains("Doug Otjen Chair Sister Cities Council"),
        "the council's chair signs in a place of his own:\n{tacoma}"
    );
    let ceco = squash(&pdf_text(
        &out.path()
            .join("ceco-teco-covid-partnership-2020/round-1-final.pdf"),
    ));
    assert!(
        ceco.contains("Representative Czech Economic and Cultural Office in Taipei"),
        "{ceco}"
    );
}

#[test]
fn a_block_with_labels_puts_the_before_an_office_and_takes_a_given_form() {
    let dir = tempfile::tempdir().unwrap();
    let real = common::root().join("tests/real-agreements/ceco-teco-covid-partnership-2020");
    let source = std::fs::read_to_string(real.join("round-1.yaml"))
        .unwrap()
        .replace(
            "signature_labels: false\n",
            "signing: {place: Taipei, date: 2020-04-01}\n",
        );
    let terms = dir.path().join("round-1.yaml");
    std::fs::write(&terms, &source).unwrap();
    let pdf = dir.path().join("labelled.pdf");
    common::render(&terms, &pdf);
    let text = squash(&pdf_text(&pdf));
    assert!(
        text.contains("For the Czech Economic and Cultural Office in Taipei")
            && text.contains("For the Taipei Economic and Cultural Office, Prague"),
        "{text}"
    );
    assert!(
        text.contains("Place and date") && text.contains("Signature"),
        "{text}"
    );

    // Without labels, a place and date the terms give still stand, unlabelled.
    std::fs::write(
        &terms,
        source.replace(
            "numbering: none\n",
            "numbering: none\nsignature_labels: false\n",
        ),
    )
    .unwrap();
    common::render(&terms, &pdf);
    let text = squash(&pdf_text(&pdf));
    assert!(text.contains("Taipei, 1 April 2020"), "{text}");
    assert!(!text.contains("Place and date"), "{text}");

    // A form the rule cannot know: the party's own English nominative.
    let own = source.replace(
        "    short_name: TECO\n",
        "    short_name: TECO\n    forms: [{language: en, nominative: \"our Prague office\"}]\n",
    );
    std::fs::write(&terms, own).unwrap();
    common::render(&terms, &pdf);
    let text = squash(&pdf_text(&pdf));
    assert!(text.contains("For our Prague office"), "{text}");
}

#[test]
fn the_oath_names_a_city_once_when_the_title_already_names_it() {
    let terms = common::root().join("tests/real-agreements/tries/ashiya-builtin-oath.yaml");
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("oath.pdf");
    common::render(&terms, &pdf);
    let text = squash(&pdf_text(&pdf)).replace("\u{ad} ", "");
    assert!(
        text.contains("Chairman of Sister-City Committee of Montebello, and Kiyoshi Utsumi"),
        "{text}"
    );
    assert!(
        text.contains("Mayor of the City of Ashiya, Hyogo Prefecture, Japan,"),
        "{text}"
    );
    assert!(!text.contains("of Montebello of Montebello"), "{text}");
    // Its block has no labels: a title that names the party is not followed by the party's
    // name again.
    assert!(!text.contains("Japan City of Ashiya"), "{text}");
}
