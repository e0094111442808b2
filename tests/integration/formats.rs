//! The formats negotiators exchange, read back by the clients they are for: the HTML by
//! headless Chromium (Debian's `chromium`), the DOCX by headless LibreOffice (Debian's
//! `soffice`). `tests/run.sh` installs both. A one-word change between two rounds must come
//! out as `<ins>`/`<del>` in the browser's own DOM and as a tracked insertion and deletion in
//! LibreOffice's reading of the Word file.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{pactum, squash};

const OLD_WORD: &str = "time-limited";
const NEW_WORD: &str = "lasting";

/// An agreement folder whose round 2 changes one word of round 1 (the Malmö–Kaohsiung
/// memorandum's purpose).
fn one_word_change() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let agreement = dir.path().join("malmo-kaohsiung");
    std::fs::create_dir_all(&agreement).unwrap();
    let round = common::shipped("agreements/malmo-kaohsiung/round-3.yaml");
    let first = round.replace("round: 3", "round: 1");
    assert_eq!(
        first.matches(OLD_WORD).count(),
        1,
        "the word is in the purpose only"
    );
    let second = round
        .replace("round: 3", "round: 2")
        .replace("date: 2027-03-29", "date: 2027-04-12")
        .replace(OLD_WORD, NEW_WORD);
    std::fs::write(agreement.join("round-1.yaml"), first).unwrap();
    std::fs::write(agreement.join("round-2.yaml"), second).unwrap();
    dir
}

fn run_pactum(args: &[&str], out: &Path) {
    let mut cmd = pactum();
    cmd.args(args).arg("-o").arg(out);
    let o = cmd.output().unwrap();
    assert!(
        o.status.code().is_some_and(|c| c <= 1),
        "pactum {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(out.is_file(), "{} written", out.display());
}

/// The trilingual example rendered as `format` in both layouts, into `dir`.
fn trilingual(dir: &Path, format: &str) -> Vec<(&'static str, PathBuf)> {
    ["parallel", "consecutive"]
        .into_iter()
        .map(|layout| {
            let out = dir.join(format!("{layout}.{format}"));
            let args = [
                "render",
                "agreements/lund-tainan",
                "--format",
                format,
                "--layout",
                layout,
            ];
            run_pactum(&args, &out);
            (layout, out)
        })
        .collect()
}

// ---- HTML in Chromium ----

/// Headless Chromium with a throw-away profile.
pub(crate) fn chromium(profile: &Path, args: &[&str]) -> std::process::Output {
    Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .output()
        .expect("chromium is installed (tests/run.sh installs Debian's chromium)")
}

/// What the browser made of an HTML file: the resources it loaded for it, the text of its
/// `<ins>` and `<del>` elements, the `lang` of its language versions, its headings, lists and
/// list items (their list, depth and text), its images (as drawn, and their alt text),
/// read by a script in a page that frames it (the file itself runs none).
pub(crate) fn browse(html: &Path) -> serde_json::Value {
    let dir = html.parent().unwrap();
    let probe = dir.join("probe.html");
    let name = html.file_name().unwrap().to_string_lossy();
    std::fs::write(
        &probe,
        format!(
            r#"<!DOCTYPE html><html><body><pre id="out">pending</pre>
<iframe id="f" src="{name}" width="1000" height="800"></iframe>
<script>
document.getElementById('f').addEventListener('load', () => {{
  const w = document.getElementById('f').contentWindow;
  const d = w.document;
  const all = s => [...d.querySelectorAll(s)];
  document.getElementById('out').textContent = JSON.stringify({{
    resources: w.performance.getEntriesByType('resource').map(e => e.name),
    ins: all('ins').map(e => e.textContent),
    del: all('del').map(e => e.textContent),
    langs: all('section.version').map(e => e.lang),
    h1: all('h1').length, h2: all('h2').length, lists: all('ol, ul').length,
    images: all('img').map(i => ({{ width: i.naturalWidth, alt: i.alt }})),
    items: all('li').map(li => ({{
      list: li.parentElement.tagName.toLowerCase(),
      depth: (() => {{ let n = 0; for (let e = li.parentElement; e; e = e.parentElement) if (e.tagName === 'OL' || e.tagName === 'UL') n++; return n; }})(),
      text: li.innerText.replace(/\s+/g, ' ').trim(),
    }})),
    text: d.body.innerText,
  }});
}});
</script></body></html>"#
        ),
    )
    .unwrap();
    let profile = tempfile::tempdir().unwrap();
    let out = chromium(
        profile.path(),
        &[
            "--allow-file-access-from-files",
            "--virtual-time-budget=10000",
            "--dump-dom",
            &format!("file://{}", probe.display()),
        ],
    );
    let dom = String::from_utf8_lossy(&out.stdout);
    let doc = scraper::Html::parse_document(&dom);
    let pre = scraper::Selector::parse("#out").unwrap();
    let json = doc
        .select(&pre)
        .next()
        .map(|e| e.text().collect::<String>())
        .unwrap_or_default();
    serde_json::from_str(&json).unwrap_or_else(|_| {
        panic!(
            "the probe did not report: {json:?}\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// The share of a screenshot's pixels that are not the page's background.
fn inked_share(png_file: &Path) -> f64 {
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(png_file).unwrap(),
    ));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    let pixels: Vec<&[u8]> = buf[..info.buffer_size()].chunks(channels).collect();
    let dark = pixels
        .iter()
        .filter(|p| p[..3].iter().all(|&c| c < 128))
        .count();
    dark as f64 / pixels.len() as f64
}

#[test]
fn the_html_redline_of_a_one_word_change_in_chromium() {
    let dir = one_word_change();
    let html = dir.path().join("redline.html");
    let agreement = dir.path().join("malmo-kaohsiung");
    run_pactum(
        &["diff", agreement.to_str().unwrap(), "--format", "html"],
        &html,
    );
    let seen = browse(&html);
    assert_eq!(seen["resources"], serde_json::json!([]), "loads nothing");
    let words = |key: &str| -> Vec<String> {
        seen[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| squash(v.as_str().unwrap()))
            .collect()
    };
    // The legend aside ("Inserted", "Deleted"), the one change: the new word inserted, the
    // old one deleted.
    assert_eq!(words("ins"), ["Inserted", NEW_WORD], "{seen}");
    assert_eq!(words("del"), ["Deleted", OLD_WORD], "{seen}");
    assert_eq!(seen["langs"], serde_json::json!(["en"]));
    assert!(seen["h2"].as_u64().unwrap() >= 10, "articles are headings");
    assert!(seen["lists"].as_u64().unwrap() >= 3, "lists are lists");

    // The file itself references nothing outside it.
    let text = std::fs::read_to_string(&html).unwrap();
    let doc = scraper::Html::parse_document(&text);
    for el in doc
        .root_element()
        .descendants()
        .filter_map(scraper::ElementRef::wrap)
    {
        let name = el.value().name();
        assert!(
            !matches!(
                name,
                "script"
                    | "img"
                    | "link"
                    | "iframe"
                    | "object"
                    | "embed"
                    | "video"
                    | "audio"
                    | "source"
            ),
            "<{name}> in the file"
        );
        for (attr, value) in el.value().attrs() {
            assert!(attr != "src", "src= in the file");
            if attr == "href" {
                assert!(value.starts_with('#'), "href={value}");
            }
        }
    }
    assert!(
        !text.contains("url(") && !text.contains("@import"),
        "the style sheet loads nothing"
    );

    // A screenshot is not blank.
    let profile = tempfile::tempdir().unwrap();
    let shot = dir.path().join("redline.png");
    chromium(
        profile.path(),
        &[
            &format!("--screenshot={}", shot.display()),
            "--window-size=1000,1400",
            &format!("file://{}", html.display()),
        ],
    );
    let inked = inked_share(&shot);
    assert!(
        inked > 0.01,
        "the screenshot is blank ({inked:.4} of it inked)"
    );
}

#[test]
fn the_html_agreement_has_every_language_version_with_its_lang() {
    let dir = tempfile::tempdir().unwrap();
    for (layout, html) in trilingual(dir.path(), "html") {
        let seen = browse(&html);
        assert_eq!(
            seen["langs"],
            serde_json::json!(["sv", "zh-TW", "en"]),
            "{layout}"
        );
        let text = seen["text"].as_str().unwrap();
        for name in ["Lunds kommun", "Tainans stad", "臺南市", "City of Lund"] {
            assert!(text.contains(name), "{layout}: {name} shown");
        }
        assert_eq!(seen["ins"], serde_json::json!([]));
    }
}

// ---- DOCX in LibreOffice ----

/// Convert with headless LibreOffice (its own throw-away profile, so that tests can run side
/// by side); the converted file's path.
pub(crate) fn soffice(file: &Path, to: &str) -> PathBuf {
    let profile = tempfile::tempdir().unwrap();
    let outdir = file.parent().unwrap();
    let out = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.path().display()
        ))
        .args(["--headless", "--norestore", "--convert-to", to, "--outdir"])
        .arg(outdir)
        .arg(file)
        .output()
        .expect(
            "LibreOffice is installed (tests/run.sh installs Debian's libreoffice-writer-nogui)",
        );
    let ext = to.split(':').next().unwrap();
    let converted = file.with_extension(ext);
    assert!(
        converted.is_file(),
        "LibreOffice converted {}: {}{}",
        file.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    converted
}

/// A part of a zip package (an ODT's `content.xml`).
fn zip_part(file: &Path, part: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(file).unwrap()).unwrap();
    let mut text = String::new();
    std::io::Read::read_to_string(&mut zip.by_name(part).unwrap(), &mut text).unwrap();
    text
}

/// The text of an ODF fragment: tags dropped, a paragraph's end, a tab, a line break and
/// ODF's spaces (`<text:s/>`, which holds a leading space) as spaces.
fn xml_text(xml: &str) -> String {
    let mut out = String::new();
    let mut tag = String::new();
    let mut in_tag = false;
    for c in xml.chars() {
        match c {
            '<' => {
                in_tag = true;
                tag.clear();
            }
            '>' if in_tag => {
                in_tag = false;
                let t = tag.as_str();
                if t.starts_with("text:s")
                    && !t.starts_with("text:span")
                    && !t.starts_with("text:soft")
                    || t.starts_with("text:tab")
                    || t.starts_with("text:line-break")
                    || t == "/text:p"
                    || t == "/text:h"
                {
                    out.push(' ');
                }
            }
            c if in_tag => tag.push(c),
            c => out.push(c),
        }
    }
    squash(
        &out.replace("&apos;", "'")
            .replace("&quot;", "\"")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&"),
    )
}

/// The tracked changes LibreOffice read, as (kind, author, text): a deletion's text is kept in
/// its region; an insertion's is the body between its change marks.
fn tracked_changes(content: &str) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for region in content.split("<text:changed-region").skip(1) {
        let region = &region[..region.find("</text:changed-region>").unwrap()];
        let id = region
            .split("text:id=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .unwrap();
        let author = region
            .split("<dc:creator>")
            .nth(1)
            .and_then(|s| s.split('<').next())
            .unwrap_or_default()
            .to_string();
        if region.contains("<text:deletion>") {
            let body = region
                .split("</office:change-info>")
                .nth(1)
                .unwrap_or_default();
            out.push(("deletion".into(), author, xml_text(body)));
        } else if region.contains("<text:insertion>") {
            let start = format!("<text:change-start text:change-id=\"{id}\"/>");
            let end = format!("<text:change-end text:change-id=\"{id}\"/>");
            let text = content
                .split(&start)
                .nth(1)
                .and_then(|s| s.split(&end).next())
                .map(xml_text)
                .unwrap_or_default();
            out.push(("insertion".into(), author, text));
        }
    }
    out
}

#[test]
fn the_docx_redline_of_a_one_word_change_is_tracked_in_libreoffice() {
    let dir = one_word_change();
    let docx = dir.path().join("redline.docx");
    let agreement = dir.path().join("malmo-kaohsiung");
    run_pactum(
        &["diff", agreement.to_str().unwrap(), "--format", "docx"],
        &docx,
    );
    let odt = soffice(&docx, "odt");
    let content = zip_part(&odt, "content.xml");
    let changes = tracked_changes(&content);
    assert_eq!(
        changes,
        [
            (
                "deletion".to_string(),
                "pactum".to_string(),
                OLD_WORD.to_string()
            ),
            (
                "insertion".to_string(),
                "pactum".to_string(),
                NEW_WORD.to_string()
            ),
        ],
        "exactly the one word, as a tracked deletion and insertion"
    );
    assert!(
        content.contains("2027-04-12"),
        "dated the newer round's day"
    );
    // Accepting every change gives the newer round's sentence.
    let body = content.split("</text:tracked-changes>").nth(1).unwrap();
    let accepted = xml_text(body);
    assert!(
        accepted.contains(&format!("to establish a {NEW_WORD} thematic partnership")),
        "{accepted}"
    );
}

#[test]
fn the_shipped_redlines_track_moves_and_whole_articles() {
    // Round 2 → 3 of Malmö–Kaohsiung inserts an article and removes a list item.
    let dir = tempfile::tempdir().unwrap();
    let docx = dir.path().join("redline.docx");
    run_pactum(
        &["diff", "agreements/malmo-kaohsiung", "--format", "docx"],
        &docx,
    );
    let content = zip_part(&soffice(&docx, "odt"), "content.xml");
    let changes = tracked_changes(&content);
    let text_of = |kind: &str| -> String {
        changes
            .iter()
            .filter(|c| c.0 == kind)
            .map(|c| c.2.clone())
            .collect::<Vec<_>>()
            .join(" ")
    };
    assert!(changes.iter().all(|c| c.1 == "pactum"), "{changes:?}");
    assert!(
        text_of("insertion").contains("Data protection and confidentiality"),
        "{changes:?}"
    );
    assert!(
        text_of("deletion").contains("Youth exchange"),
        "{changes:?}"
    );
    let body = content.split("</text:tracked-changes>").nth(1).unwrap();
    // The renumbered articles' old numbers are deleted, the new ones inserted.
    assert!(xml_text(body).contains("Data protection and confidentiality"));
}

#[test]
fn the_docx_agreement_holds_the_parties_and_every_version() {
    let dir = tempfile::tempdir().unwrap();
    for (layout, docx) in trilingual(dir.path(), "docx") {
        let txt = std::fs::read_to_string(soffice(&docx, "txt:Text (encoded):UTF8")).unwrap();
        for name in [
            "Lunds kommun",
            "Tainans stad",
            "臺南市",
            "City of Lund",
            "Johan Ekström",
            "Artikel 1",
            "第一條",
            "Article 1",
        ] {
            assert!(txt.contains(name), "{layout}: {name} in\n{txt}");
        }
        let content = zip_part(&soffice(&docx, "odt"), "content.xml");
        assert!(
            !content.contains("<text:tracked-changes"),
            "an agreement has no changes"
        );
    }
}

/// The text after accepting every tracked change (`accept`) or rejecting every one.
fn resolved_text(content: &str, accept: bool) -> String {
    let (changes, body) = content.split_once("</text:tracked-changes>").unwrap();
    if accept {
        return xml_text(body);
    }
    let mut body = body.to_string();
    for region in changes.split("<text:changed-region").skip(1) {
        let id = region
            .split("text:id=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .unwrap();
        if region.contains("<text:insertion>") {
            let start = format!("<text:change-start text:change-id=\"{id}\"/>");
            let end = format!("<text:change-end text:change-id=\"{id}\"/>");
            if let (Some(a), Some(b)) = (body.find(&start), body.find(&end)) {
                body.replace_range(a..b + end.len(), "");
            }
        } else if region.contains("<text:deletion>") {
            let deleted = region
                .split("</office:change-info>")
                .nth(1)
                .and_then(|s| s.split("</text:deletion>").next())
                .unwrap_or_default();
            let mark = format!("<text:change text:change-id=\"{id}\"/>");
            body = body.replace(&mark, &format!(" {deleted} "));
        }
    }
    xml_text(&body)
}

#[test]
fn a_moved_article_is_deleted_where_it_stood_and_inserted_where_it_stands() {
    let (dir, templates, r1, r2) = crate::diff::merged_split_and_moved();
    let docx = dir.path().join("redline.docx");
    let o = pactum()
        .arg("--templates")
        .arg(&templates)
        .arg("diff")
        .arg(&r1)
        .arg(&r2)
        .args(["--language", "en", "--format", "docx", "-o"])
        .arg(&docx)
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let content = zip_part(&soffice(&docx, "odt"), "content.xml");
    // The notes are comments by pactum.
    let comments: Vec<String> = content
        .split("<office:annotation")
        .skip(1)
        .filter(|a| !a.starts_with("-end"))
        .map(|a| xml_text(&a[..a.find("</office:annotation>").unwrap()]))
        .collect();
    for note in [
        "Moved from Article 4",
        "Merged from items 1 and 2",
        "Split from item 4",
    ] {
        assert!(
            comments
                .iter()
                .any(|c| c.contains(note) && c.contains("pactum")),
            "{note} in {comments:?}"
        );
    }
    let order = |text: &str| {
        // The document after the redline's head (whose summary names the articles too).
        let text = text
            .split_once(" unchanged ")
            .map_or(text, |(_, body)| body);
        let at = |h: &str| {
            assert_eq!(text.matches(h).count(), 1, "{h} once in\n{text}");
            text.find(h).unwrap()
        };
        at("Implementation") < at("Fields of exchange")
    };
    assert!(
        order(&resolved_text(&content, true)),
        "accepted: where it stands now"
    );
    assert!(
        !order(&resolved_text(&content, false)),
        "rejected: where it stood"
    );
    // Rejecting every change gives back the older round's means of exchange, accepting
    // every change the newer round's.
    // Without the comments (pactum's notes), which stand inside the text.
    let mut uncommented = String::new();
    let mut rest = content.as_str();
    while let Some((before, after)) = rest.split_once("<office:annotation") {
        uncommented.push_str(before);
        let end = if after.starts_with("-end") {
            "/>"
        } else {
            "</office:annotation>"
        };
        rest = after.split_once(end).map_or("", |(_, r)| r);
    }
    uncommented.push_str(rest);
    let accepted = resolved_text(&uncommented, true);
    let rejected = resolved_text(&uncommented, false);
    let r = |p: &Path| -> serde_yaml_ng::Value {
        serde_yaml_ng::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
    };
    // In the document, not the redline's head (whose summary quotes what changed; it used
    // to quote every old and new value whole, which is what this check then found). The
    // spaces `resolved_text` puts around a resolved deletion do not count before a stop.
    // Known gap (reported with issue 31): the paragraph break that splits an item is not a
    // tracked change, so rejecting everything leaves the split item's second half as an item
    // of its own ("… and • its people."); the words are compared, not the list marks.
    let body = |t: &str| -> String {
        let t = t.split_once(" unchanged ").map_or(t, |(_, body)| body);
        squash(&t.replace('•', " "))
            .replace(" ;", ";")
            .replace(" ,", ",")
            .replace(" .", ".")
    };
    for (round, text) in [(r(&r1), body(&rejected)), (r(&r2), body(&accepted))] {
        for means in round["means"].as_sequence().unwrap() {
            let en = squash(means["en"].as_str().unwrap());
            assert!(text.contains(&en), "{en} in\n{text}");
        }
    }
}

/// The HTML printed by the browser (second reading M2): numbered pages ("3 / 12"), and no
/// article's number or heading left at the foot of a page without its text.
#[test]
fn the_printed_html_numbers_its_pages_and_keeps_headings_with_their_text() {
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("lt.html");
    pactum()
        .args([
            "render",
            "agreements/lund-tainan/round-2.yaml",
            "--format",
            "html",
            "-o",
        ])
        .arg(&html)
        .current_dir(common::root())
        .assert()
        .success();
    let pdf = dir.path().join("printed.pdf");
    let out = chromium(
        &dir.path().join("profile"),
        &[
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-pdf-header-footer",
            &format!("--print-to-pdf={}", pdf.display()),
            &format!("file://{}", html.display()),
        ],
    );
    assert!(pdf.exists(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = common::pdf_text(&pdf);
    let pages: Vec<&str> = text
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .collect();
    assert!(pages.len() > 5, "{} pages", pages.len());
    let n = pages.len();
    for (i, page) in pages.iter().enumerate() {
        assert!(
            page.contains(&format!("{} / {n}", i + 1)),
            "page {}: {page}",
            i + 1
        );
        // The page's last line of text (above the footer lines) is not an article's label.
        let lines: Vec<&str> = (page.lines().map(str::trim))
            .filter(|l| !l.is_empty() && !l.contains(" / ") && !l.contains("UTKAST"))
            .collect();
        let last = lines.last().copied().unwrap_or_default();
        let label = ["Artikel ", "ARTIKEL ", "Article ", "ARTICLE "]
            .iter()
            .any(|a| last.starts_with(a) && last.len() < 12)
            || (last.starts_with('第') && last.ends_with('條'));
        assert!(!label, "page {} ends with {last:?}", i + 1);
    }
}
