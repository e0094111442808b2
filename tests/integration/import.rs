//! `pactum import` (issue 28): the other side edits pactum's DOCX in LibreOffice (driven
//! headless through python3-uno by `tests/tools/lo_edit.py`), with change tracking on and
//! off, and sends it back; the import writes the next round. Read back with pactum's own
//! commands (`check`, `diff`), the YAML, and python-docx (`tests/tools/docx_read.py`).

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_yaml_ng::Value;

use crate::common::{copy_dir, files_under, has, lacks, pactum, root};

/// `agreement` copied into `dir`, and its round `n` rendered there as DOCX.
fn docx_of(dir: &Path, agreement: &str, n: u32) -> (PathBuf, PathBuf) {
    let folder = dir.join(agreement);
    std::fs::create_dir_all(&folder).unwrap();
    copy_dir(&root().join("agreements").join(agreement), &folder);
    let docx = dir.join(format!("{agreement}-{n}.docx"));
    let o = pactum()
        .arg("render")
        .arg(folder.join(format!("round-{n}.yaml")))
        .args(["--format", "docx", "-o"])
        .arg(&docx)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    (folder, docx)
}

/// `docx` edited in LibreOffice with `edits` (see lo_edit.py), into `out`.
fn edit(docx: &Path, out: &Path, edits: serde_json::Value, track: bool) {
    edit_with(docx, out, edits, if track { &["--track"] } else { &[] });
}

fn edit_with(docx: &Path, out: &Path, edits: serde_json::Value, flags: &[&str]) {
    let edits_file = out.with_extension("json");
    std::fs::write(&edits_file, edits.to_string()).unwrap();
    let mut cmd = Command::new("/usr/bin/python3");
    cmd.arg(root().join("tests/tools/lo_edit.py"))
        .arg(docx)
        .arg(out)
        .arg(&edits_file)
        .args(flags);
    let o = cmd
        .output()
        .expect("python3-uno (tests/run.sh installs it)");
    assert!(
        o.status.success() && out.is_file(),
        "LibreOffice edit: {}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}

/// python-docx, an independent reader: `args` to docx_read.py, its output.
fn docx_read(args: &[&str]) -> String {
    let o = Command::new("python3")
        .arg(root().join("tests/tools/docx_read.py"))
        .args(args)
        .output()
        .expect("python3 with python-docx (tests/run.sh installs it)");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn sorted(mut v: Vec<PathBuf>) -> Vec<PathBuf> {
    v.sort();
    v
}

fn import(args: &[&dyn AsRef<std::ffi::OsStr>]) -> (Option<i32>, String, String) {
    let mut cmd = pactum();
    cmd.arg("import");
    for a in args {
        cmd.arg(a);
    }
    let o = cmd.output().unwrap();
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn yaml(path: &Path) -> Value {
    serde_yaml_ng::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn at<'a>(v: &'a Value, path: &[&str]) -> &'a Value {
    path.iter().fold(v, |v, k| match k.parse::<usize>() {
        Ok(i) => &v[i],
        Err(_) => &v[*k],
    })
}

fn run_ok(args: &[&dyn AsRef<std::ffi::OsStr>]) -> (Option<i32>, String) {
    let mut cmd = pactum();
    for a in args {
        cmd.arg(a);
    }
    let o = cmd.output().unwrap();
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
    )
}

/// The four edits of the issue on Malmö–Kaohsiung round 3, tracked or not: a representative's
/// name, a sentence of template text, a list item deleted (a theme: a term list entry), and
/// a comment.
fn their_edits_come_back(track: bool) {
    let dir = tempfile::tempdir().unwrap();
    let (folder, docx) = docx_of(dir.path(), "malmo-kaohsiung", 3);
    let edited = dir.path().join("edited.docx");
    edit(
        &docx,
        &edited,
        serde_json::json!([
            {"replace": "Lin Chia-hao", "with": "Lin Mei-ling"},
            {"replace": "Other forms of cooperation may be decided in writing by the Participants.",
             "with": "Other forms of cooperation may be agreed by e-mail between the Participants."},
            {"delete_paragraph": "Green transition", "count": 2},
        ]),
        track,
    );
    // A comment, as Word would add one (python-docx: LibreOffice through UNO cannot).
    let commented = dir.path().join("theirs.docx");
    docx_read(&[
        "comment",
        edited.to_str().unwrap(),
        commented.to_str().unwrap(),
        "have reached the following understanding",
        "Please check the translation.",
    ]);
    let (code, out, err) = import(&[&commented]);
    assert_eq!(code, Some(0), "{out}{err}");
    let next = folder.join("round-4.yaml");
    has(&out, &format!("wrote {}", next.display()));
    has(&out, "term parties[1].representative.name in en");
    has(&out, "standard text changed: articles: forms (en)");
    has(&out, "Please check the translation.");
    if track {
        has(&out, "(tracked)");
    }

    // The next round: the name is the new value, the sentence an override, the theme gone.
    let y = yaml(&next);
    assert_eq!(at(&y, &["round"]), &Value::from(4));
    assert_eq!(
        at(&y, &["parties", "1", "representative", "name"]).as_str(),
        Some("Lin Mei-ling")
    );
    let themes = at(&y, &["themes"]).as_sequence().unwrap();
    assert_eq!(themes.len(), 2, "{themes:?}");
    let text = std::fs::read_to_string(&next).unwrap();
    lacks(&text, "title: Green transition");
    has(&text, "# Imported from theirs.docx");
    let articles = at(&y, &["articles"]).as_sequence().unwrap();
    let forms = articles.iter().find(|a| a["id"] == "forms").unwrap();
    has(
        forms["text"].as_str().unwrap(),
        "agreed by e-mail between the Participants",
    );
    // Comments and formatting of round 3 are kept.
    let old = std::fs::read_to_string(folder.join("round-3.yaml")).unwrap();
    for line in old.lines().filter(|l| l.trim_start().starts_with('#')) {
        has(&text, line);
    }

    // It passes `check`, and `diff` shows each change.
    let (code, out) = run_ok(&[&"check", &next]);
    assert_eq!(code, Some(0), "{out}");
    let (code, out) = run_ok(&[&"diff", &folder]);
    assert_eq!(code, Some(1), "{out}");
    has(&out, "Lin [-Chia-hao-]{+Mei-ling+}");
    has(&out, "{+agreed by e-mail between+}");
    has(&out, "Green transition");

    // python-docx reads their document (every tracked change accepted in LibreOffice) and
    // ours of the imported round alike: the text they left is the text of the new round.
    let theirs = if track {
        let accepted = dir.path().join("accepted.docx");
        edit_with(&edited, &accepted, serde_json::json!([]), &["--accept"]);
        accepted
    } else {
        edited.clone()
    };
    {
        let ours = dir.path().join("round-4.docx");
        let (code, out) = run_ok(&[&"render", &next, &"--format", &"docx", &"-o", &ours]);
        assert!(code.is_some_and(|c| c <= 1), "{out}");
        let lines = |f: &Path| -> Vec<String> {
            docx_read(&["text", f.to_str().unwrap()])
                .lines()
                .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
                // Numbers are the writer's: LibreOffice keeps the old ones as text.
                .map(|l| match l.split_once(". ") {
                    Some((n, rest)) if n.chars().all(|c| c.is_ascii_digit()) => rest.to_string(),
                    _ => l,
                })
                .filter(|l| !l.is_empty() && !l.contains("round"))
                .collect()
        };
        assert_eq!(lines(&theirs), lines(&ours));
    }
}

#[test]
fn their_tracked_edits_come_back_as_the_next_round() {
    their_edits_come_back(true);
}

#[test]
fn their_untracked_edits_come_back_as_the_next_round() {
    their_edits_come_back(false);
}

#[test]
fn an_edit_in_the_chinese_version_only_changes_the_chinese_value() {
    let dir = tempfile::tempdir().unwrap();
    let (folder, docx) = docx_of(dir.path(), "lund-tainan", 2);
    let edited = dir.path().join("zh.docx");
    edit(
        &docx,
        &edited,
        serde_json::json!([{"replace": "王淑芬", "with": "林美玲"}]),
        true,
    );
    let (code, out, err) = import(&[&edited, &"--format", &"json"]);
    assert_eq!(code, Some(0), "{out}{err}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    let changes = report["changes"].as_array().unwrap();
    assert!(!changes.is_empty());
    for c in changes {
        assert_eq!(c["mapping"], "term-value", "{c}");
        assert_eq!(c["lang"], "zh-TW", "{c}");
        assert_eq!(c["term"], "parties[1].representative.name", "{c}");
        has(c["note"].as_str().unwrap(), "changed in 中文 only");
        has(c["note"].as_str().unwrap(), "Wang Shu-fen");
    }
    let next = folder.join("round-3.yaml");
    assert_eq!(report["written"].as_str(), Some(next.to_str().unwrap()));
    let y = yaml(&next);
    let name = at(&y, &["parties", "1", "representative", "name"]);
    assert_eq!(name["zh-TW"].as_str(), Some("林美玲"));
    assert_eq!(name["sv"].as_str(), Some("Wang Shu-fen"));
    assert_eq!(name["en"].as_str(), Some("Wang Shu-fen"));
    let (code, out) = run_ok(&[&"check", &next]);
    assert_eq!(code, Some(0), "{out}");
}

#[test]
fn no_edits_no_changes_and_nothing_written_and_a_hostile_value_survives() {
    let dir = tempfile::tempdir().unwrap();
    let (folder, _) = docx_of(dir.path(), "malmo-kaohsiung", 3);
    // A hostile value: markup of every format pactum writes, and XML.
    let hostile = r#"**x** </w:t><w:t>&amp; {{y}} #read("/etc/passwd") <script>"#;
    let path = folder.join("round-3.yaml");
    let text = std::fs::read_to_string(&path).unwrap().replace(
        "name: Erik Sandberg",
        &format!("name: {}", serde_json::to_string(hostile).unwrap()),
    );
    std::fs::write(&path, text).unwrap();
    let docx = dir.path().join("hostile.docx");
    let (code, out) = run_ok(&[&"render", &path, &"--format", &"docx", &"-o", &docx]);
    assert!(code.is_some_and(|c| c <= 1), "{out}");
    let before = sorted(files_under(&folder));
    let (code, out, err) = import(&[&docx]);
    assert_eq!(code, Some(0), "{out}{err}");
    has(&out, "no changes");
    assert_eq!(sorted(files_under(&folder)), before, "nothing written");
    has(&docx_read(&["text", docx.to_str().unwrap()]), hostile);

    // Their edit elsewhere: the hostile value comes back as it was.
    let edited = dir.path().join("edited.docx");
    edit(
        &docx,
        &edited,
        serde_json::json!([{"replace": "Lin Chia-hao", "with": "Lin Mei-ling"}]),
        false,
    );
    let (code, out, err) = import(&[&edited]);
    assert_eq!(code, Some(0), "{out}{err}");
    let next = std::fs::read_to_string(folder.join("round-4.yaml")).unwrap();
    has(&next, &serde_json::to_string(hostile).unwrap());
    fn holds(v: &Value, s: &str) -> bool {
        match v {
            Value::String(t) => t == s,
            Value::Sequence(items) => items.iter().any(|i| holds(i, s)),
            Value::Mapping(m) => m.values().any(|i| holds(i, s)),
            _ => false,
        }
    }
    assert!(holds(&yaml(&folder.join("round-4.yaml")), hostile));
}

#[test]
fn a_docx_pactum_did_not_make_and_hostile_packages_are_refused_and_nothing_written() {
    let dir = tempfile::tempdir().unwrap();
    let (folder, docx) = docx_of(dir.path(), "malmo-kaohsiung", 3);
    let before = sorted(files_under(&folder));
    let refused = |file: &Path, says: &str| {
        let (code, out, err) = import(&[&file]);
        assert_eq!(code, Some(2), "{}: {out}{err}", file.display());
        has(&err, "error[docx]");
        has(&err, says);
        assert_eq!(sorted(files_under(&folder)), before);
    };
    let foreign = dir.path().join("foreign.docx");
    docx_read(&["make", foreign.to_str().unwrap(), "A letter."]);
    refused(&foreign, "pactum did not make this DOCX");
    let not_docx = dir.path().join("not.docx");
    std::fs::write(&not_docx, "plain text").unwrap();
    refused(&not_docx, "not a DOCX");

    // A package rewritten with one part replaced.
    let with_part = |name: &str, bytes: &[u8], out: &Path| {
        use std::io::{Read, Write};
        let mut zip = zip::ZipArchive::new(std::fs::File::open(&docx).unwrap()).unwrap();
        let mut w = zip::ZipWriter::new(std::fs::File::create(out).unwrap());
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for i in 0..zip.len() {
            let mut f = zip.by_index(i).unwrap();
            let n = f.name().to_string();
            let mut b = Vec::new();
            f.read_to_end(&mut b).unwrap();
            w.start_file(n.clone(), opts).unwrap();
            w.write_all(if n == name { bytes } else { &b }).unwrap();
        }
        w.finish().unwrap();
    };
    let bomb = dir.path().join("bomb.docx");
    with_part("word/document.xml", &vec![b' '; 40 * 1024 * 1024], &bomb);
    refused(&bomb, "limit is");
    let xxe = dir.path().join("xxe.docx");
    let entity = br#"<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd"><!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&x;&b;</w:t></w:r></w:p></w:body></w:document>"#;
    with_part("word/document.xml", entity, &xxe);
    refused(&xxe, "not XML pactum reads");
    let damaged = dir.path().join("damaged.docx");
    with_part(
        "customXml/item1.xml",
        br#"<pactum xmlns="urn:pactum:docx-record:1"><record>{"format":</record></pactum>"#,
        &damaged,
    );
    refused(&damaged, "record is damaged");

    // The round's terms changed since: refused unless --force.
    let path = folder.join("round-3.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("{text}\n# a note\n")).unwrap();
    let before = sorted(files_under(&folder));
    let (code, _, err) = import(&[&docx]);
    assert_eq!(code, Some(2), "{err}");
    has(&err, "has changed since");
    assert_eq!(sorted(files_under(&folder)), before);
    let (code, out, err) = import(&[&docx, &"--force", &"--dry-run"]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert_eq!(sorted(files_under(&folder)), before);
}

#[test]
fn an_article_they_deleted_is_left_out() {
    let dir = tempfile::tempdir().unwrap();
    let (folder, docx) = docx_of(dir.path(), "malmo-kaohsiung", 3);
    let edited = dir.path().join("omitted.docx");
    // Article 2 (principles): its heading and its two paragraphs.
    edit(
        &docx,
        &edited,
        serde_json::json!([{"delete_paragraph": "Principles", "count": 3}]),
        true,
    );
    let (code, out, err) = import(&[&edited]);
    assert_eq!(code, Some(0), "{out}{err}");
    has(&out, "article left out: omit: [principles]");
    let next = folder.join("round-4.yaml");
    let y = yaml(&next);
    let omit: Vec<&str> = at(&y, &["omit"])
        .as_sequence()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(omit.contains(&"principles"), "{omit:?}");
    let (code, out) = run_ok(&[&"check", &next]);
    assert_eq!(code, Some(0), "{out}");
    let (code, out) = run_ok(&[&"diff", &folder]);
    assert_eq!(code, Some(1), "{out}");
    has(&out, "Principles");
}

/// Article 6 "Data retention", inserted between Articles 5 (forms) and 6 (contacts) of
/// Malmö–Kaohsiung round 3: a heading in LibreOffice's "Heading 1" and a paragraph.
fn an_inserted_article_comes_back(track: bool) {
    let dir = tempfile::tempdir().unwrap();
    let (folder, docx) = docx_of(dir.path(), "malmo-kaohsiung", 3);
    let edited = dir.path().join("inserted.docx");
    let mut edits = vec![serde_json::json!({
        "insert_after": "Other forms of cooperation may be decided",
        "paragraphs": ["Article 6\nData retention",
                       "Each Participant keeps the contact details it receives for no longer than the partnership lasts."],
        "heading_style": "Heading 1",
    })];
    if !track {
        // Untracked, they also renumber the article after it by hand (pactum's to number).
        edits.insert(
            0,
            serde_json::json!({"replace": "Article 6", "with": "Article 7", "first": true}),
        );
    }
    edit(&docx, &edited, serde_json::Value::Array(edits), track);
    let (code, out, err) = import(&[&edited]);
    assert_eq!(code, Some(0), "{out}{err}");
    has(
        &out,
        "article inserted: articles: data-retention (en), after forms",
    );
    lacks(&out, "standard text changed");
    if track {
        has(&out, "(tracked)");
    }
    let next = folder.join("round-4.yaml");
    let y = yaml(&next);
    let articles = at(&y, &["articles"]).as_sequence().unwrap();
    assert_eq!(articles.len(), 1, "{articles:?}");
    let a = &articles[0];
    assert_eq!(a["id"].as_str(), Some("data-retention"));
    assert_eq!(a["after"].as_str(), Some("forms"));
    assert_eq!(a["title"].as_str(), Some("Data retention"));
    assert_eq!(
        a["text"].as_str(),
        Some(
            "Each Participant keeps the contact details it receives for no longer than the partnership lasts."
        )
    );
    let (code, out) = run_ok(&[&"check", &next]);
    assert_eq!(code, Some(0), "{out}");
    let (code, out) = run_ok(&[&"diff", &folder]);
    assert_eq!(code, Some(1), "{out}");
    has(&out, "Article 6 inserted");
    // Rendered, the new round prints it where they put it (read by python-docx).
    let ours = dir.path().join("round-4.docx");
    let (code, out) = run_ok(&[&"render", &next, &"--format", &"docx", &"-o", &ours]);
    assert!(code.is_some_and(|c| c <= 1), "{out}");
    let text = docx_read(&["text", ours.to_str().unwrap()]);
    let at_ = |s: &str| text.find(s).unwrap_or_else(|| panic!("{s} in {text}"));
    assert!(at_("Other forms of cooperation") < at_("Data retention"));
    assert!(at_("Article 6") < at_("Data retention"));
    assert!(at_("Data retention") < at_("Article 7"));
}

#[test]
fn an_article_they_inserted_with_tracking_becomes_an_own_article() {
    an_inserted_article_comes_back(true);
}

#[test]
fn an_article_they_inserted_untracked_becomes_an_own_article() {
    an_inserted_article_comes_back(false);
}

/// Article 2 (principles) cut and pasted after Article 5 (forms), tracked and not; and then
/// (with its place) one of its sentences edited.
#[test]
fn an_article_they_moved_is_placed_after_the_part_before_it() {
    for (track, edited_too) in [(false, false), (true, false), (false, true), (true, true)] {
        let dir = tempfile::tempdir().unwrap();
        let (folder, docx) = docx_of(dir.path(), "malmo-kaohsiung", 3);
        let edited = dir.path().join("moved.docx");
        let mut edits = vec![serde_json::json!({
            "move_paragraphs": "Principles", "count": 3,
            "to_after": "Other forms of cooperation may be decided",
        })];
        if edited_too {
            edits.push(serde_json::json!({
                "replace": "reciprocity and mutual benefit", "with": "reciprocity and shared benefit",
                "last": true,
            }));
        }
        edit(&docx, &edited, serde_json::Value::Array(edits), track);
        if track && !edited_too {
            // The moved copy without the bookmark LibreOffice pasted with it (`_Copy_1`), as
            // another editor may leave it: its heading still says which article it is.
            let bare = dir.path().join("bare.docx");
            without_pasted_bookmarks(&edited, &bare);
            let (code, out, err) = import(&[&bare, &"--dry-run"]);
            assert_eq!(code, Some(0), "{out}{err}");
            has(&out, "article moved: articles: principles after forms");
            lacks(&out, "UNMAPPED");
        }
        let (code, out, err) = import(&[&edited]);
        assert_eq!(code, Some(0), "{out}{err}");
        has(&out, "article moved: articles: principles after forms");
        lacks(&out, "UNMAPPED");
        lacks(&out, "omit:");
        let next = folder.join("round-4.yaml");
        let y = yaml(&next);
        let articles = at(&y, &["articles"]).as_sequence().unwrap();
        assert_eq!(articles.len(), 1, "{articles:?}");
        let a = &articles[0];
        assert_eq!(a["id"].as_str(), Some("principles"));
        assert_eq!(a["after"].as_str(), Some("forms"));
        if track {
            has(&out, "(tracked)");
        }
        if edited_too {
            has(&out, "standard text changed: articles: principles (en)");
            has(
                a["text"].as_str().unwrap(),
                "reciprocity and shared benefit",
            );
        } else {
            lacks(&out, "standard text changed");
            assert!(a.get("text").is_none(), "{a:?}");
        }
        let (code, out) = run_ok(&[&"check", &next]);
        assert_eq!(code, Some(0), "{out}");
        let (code, out) = run_ok(&[&"diff", &folder]);
        assert_eq!(code, Some(1), "{out}");
        has(&out, "Article 5 moved from Article 2");
        if edited_too {
            has(&out, "{+shared+}");
        }
    }
}

/// The signing date edited where it is printed, read back in each language's date form:
/// all of Lund–Tainan's versions and signatures (tracked); the Chinese version alone in the
/// ROC calendar; Ostróda–Osterode's Polish and German (untracked); and a date no one can read.
#[test]
fn a_printed_date_they_edited_becomes_the_terms_date() {
    let date_of = |folder: &Path, n: u32| {
        let y = yaml(&folder.join(format!("round-{n}.yaml")));
        at(&y, &["signing", "date"]).as_str().unwrap().to_string()
    };
    let checked = |folder: &Path, n: u32| {
        let (code, out) = run_ok(&[&"check", &folder.join(format!("round-{n}.yaml"))]);
        assert_eq!(code, Some(0), "{out}");
    };
    // Every version and the signatures, tracked.
    let dir = tempfile::tempdir().unwrap();
    let (folder, docx) = docx_of(dir.path(), "lund-tainan", 2);
    let edited = dir.path().join("dated.docx");
    edit(
        &docx,
        &edited,
        serde_json::json!([
            {"replace": "15 October 2027", "with": "22 October 2027"},
            {"replace": "15 oktober 2027", "with": "22 oktober 2027"},
            {"replace": "2027年10月15日", "with": "2027年10月22日"},
        ]),
        true,
    );
    let (code, out, err) = import(&[&edited]);
    assert_eq!(code, Some(0), "{out}{err}");
    has(&out, "term signing.date in zh-TW");
    has(&out, "read as 2027-10-22");
    lacks(&out, "only");
    assert_eq!(date_of(&folder, 3), "2027-10-22");
    checked(&folder, 3);
    let (code, out) = run_ok(&[&"diff", &folder]);
    assert_eq!(code, Some(1), "{out}");
    has(&out, "{+22+}");

    // The Chinese version alone, in the ROC calendar (民國116年 is 2027).
    let dir = tempfile::tempdir().unwrap();
    let (folder, _) = docx_of(dir.path(), "lund-tainan", 2);
    let terms = folder.join("round-2.yaml");
    let text = std::fs::read_to_string(&terms).unwrap();
    std::fs::write(&terms, format!("{text}zh_calendar: roc\n")).unwrap();
    let docx = dir.path().join("roc.docx");
    let (code, out) = run_ok(&[&"render", &terms, &"--format", &"docx", &"-o", &docx]);
    assert!(code.is_some_and(|c| c <= 1), "{out}");
    let edited = dir.path().join("roc-edited.docx");
    edit(
        &docx,
        &edited,
        serde_json::json!([{"replace": "民國116年10月15日", "with": "民國116年11月1日", "first": true}]),
        false,
    );
    let (code, out, err) = import(&[&edited, &"--format", &"json"]);
    assert_eq!(code, Some(0), "{out}{err}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    let c = &report["changes"][0];
    assert_eq!(c["mapping"], "term-value", "{c}");
    assert_eq!(c["term"], "signing.date", "{c}");
    assert_eq!(c["lang"], "zh-TW", "{c}");
    has(c["note"].as_str().unwrap(), "changed in 中文 only");
    assert_eq!(date_of(&folder, 3), "2027-11-01");
    checked(&folder, 3);

    // Polish and German, untracked.
    let dir = tempfile::tempdir().unwrap();
    let (folder, docx) = docx_of(dir.path(), "ostroda-osterode", 2);
    let edited = dir.path().join("pl-de.docx");
    edit(
        &docx,
        &edited,
        serde_json::json!([
            {"replace": "19 czerwca 2015", "with": "3 lipca 2015"},
            {"replace": "19. Juni 2015", "with": "3. Juli 2015"},
        ]),
        false,
    );
    let (code, out, err) = import(&[&edited]);
    assert_eq!(code, Some(0), "{out}{err}");
    has(&out, "term signing.date in pl");
    has(&out, "term signing.date in de");
    assert_eq!(date_of(&folder, 3), "2015-07-03");
    checked(&folder, 3);

    // A date no one can read: unmapped, with before and after; the rest still comes back.
    let dir = tempfile::tempdir().unwrap();
    let (folder, docx) = docx_of(dir.path(), "malmo-kaohsiung", 3);
    let edited = dir.path().join("vague.docx");
    edit(
        &docx,
        &edited,
        serde_json::json!([{"replace": "10 June 2027", "with": "a day in June 2027", "first": true}]),
        false,
    );
    let (code, out, err) = import(&[&edited, &"--format", &"json"]);
    assert_eq!(code, Some(1), "{out}{err}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    let c = &report["changes"][0];
    assert_eq!(c["mapping"], "unmapped", "{c}");
    has(c["before"].as_str().unwrap(), "10 June 2027");
    has(c["after"].as_str().unwrap(), "a day in June 2027");
    assert_eq!(date_of(&folder, 4), "2027-06-10");
    checked(&folder, 4);
}

/// Lund–Tainan (sv, zh-TW, en): an article inserted after Article 4 in every version is one
/// own article with its title and text in each language; inserted in English only, it is
/// unmapped.
#[test]
fn an_article_inserted_in_every_version_is_one_article_and_in_one_version_is_unmapped() {
    let dir = tempfile::tempdir().unwrap();
    let (folder, docx) = docx_of(dir.path(), "lund-tainan", 2);
    let en = serde_json::json!({
        "insert_after": "Each City designates", "count": 4,
        "paragraphs": ["Article 5\nYouth exchange", "The Cities encourage exchanges between schools."],
        "heading_style": "Heading 1",
    });
    let all = serde_json::json!([
        {"insert_after": "Varje stad utser", "count": 4,
         "paragraphs": ["Artikel 5\nUngdomsutbyte", "Städerna uppmuntrar utbyten mellan skolor."],
         "heading_style": "Heading 1"},
        {"insert_after": "雙方分別指定下列單位", "count": 4,
         "paragraphs": ["第五條\n青年交流", "雙方鼓勵學校間之交流。"],
         "heading_style": "Heading 1"},
        en.clone(),
    ]);
    let edited = dir.path().join("everywhere.docx");
    edit(&docx, &edited, all, true);
    let (code, out, err) = import(&[&edited]);
    assert_eq!(code, Some(0), "{out}{err}");
    for lang in ["sv", "zh-TW", "en"] {
        has(
            &out,
            &format!("article inserted: articles: ungdomsutbyte ({lang}), after implementation"),
        );
    }
    lacks(&out, "standard text changed");
    let next = folder.join("round-3.yaml");
    let y = yaml(&next);
    let articles = at(&y, &["articles"]).as_sequence().unwrap();
    let a = articles
        .iter()
        .find(|a| a["id"] == "ungdomsutbyte")
        .unwrap();
    assert_eq!(a["after"].as_str(), Some("implementation"));
    assert_eq!(a["title"]["zh-TW"].as_str(), Some("青年交流"));
    assert_eq!(a["title"]["en"].as_str(), Some("Youth exchange"));
    assert_eq!(
        a["text"]["sv"].as_str(),
        Some("Städerna uppmuntrar utbyten mellan skolor.")
    );
    let (code, out) = run_ok(&[&"check", &next]);
    assert_eq!(code, Some(0), "{out}");

    std::fs::remove_file(&next).unwrap();
    let edited = dir.path().join("english.docx");
    edit(&docx, &edited, serde_json::json!([en]), false);
    let (code, out, err) = import(&[&edited]);
    assert_eq!(code, Some(1), "{out}{err}");
    has(&out, "an article inserted in English only");
    let text = std::fs::read_to_string(&next).unwrap();
    lacks(&text, "Youth exchange");
    let (code, out) = run_ok(&[&"check", &next]);
    assert_eq!(code, Some(0), "{out}");
}

/// `src` with every bookmark that LibreOffice pasted as a copy (`…_Copy_<n>`) taken out.
fn without_pasted_bookmarks(src: &Path, dst: &Path) {
    let mut dropped = 0;
    crate::common::docx_with_document(src, dst, |x| {
        let mut out = String::new();
        let mut rest = x;
        while let Some(i) = rest.find("<w:bookmarkStart") {
            let end = i + rest[i..].find("/>").unwrap() + 2;
            out.push_str(&rest[..i]);
            if rest[i..end].contains("_Copy_") {
                dropped += 1;
            } else {
                out.push_str(&rest[i..end]);
            }
            rest = &rest[end..];
        }
        out.push_str(rest);
        out
    });
    assert!(dropped > 0, "LibreOffice pasted no bookmark copies");
}
