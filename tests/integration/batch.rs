//! `pactum batch` and `pactum verify`: many agreements in parallel, a manifest of checksums,
//! reproducible bytes, incremental runs, failures isolated, final copies never clobbered.

use crate::common;

use std::path::{Path, PathBuf};

use common::{manifest, no_ws, pactum, pdf_text};
use serde_json::Value;

const EXAMPLE: &str = "agreements/malmo-kaohsiung/round-3.yaml";

/// Write `n` agreements made from the shipped example with distinct party names.
fn generate(dir: &Path, n: usize) -> Vec<(String, String, String)> {
    let example = common::shipped(EXAMPLE);
    assert!(example.contains("City of Malmö") && example.contains("Kaohsiung City Government"));
    (0..n)
        .map(|i| {
            let name = format!("agreement-{i:03}");
            let a = format!("Municipality of Ystad {i}");
            let b = format!("Hualien County Government {i}");
            let text = example
                .replace("City of Malmö", &a)
                .replace("Kaohsiung City Government", &b);
            let folder = dir.join(&name);
            std::fs::create_dir_all(&folder).unwrap();
            std::fs::write(folder.join("round-1.yaml"), text).unwrap();
            (name, a, b)
        })
        .collect()
}

fn entries<'a>(m: &'a Value, status: &str) -> Vec<&'a Value> {
    m["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["status"] == status)
        .collect()
}

#[test]
fn batch_renders_fifty_five_agreements_each_with_its_own_names() {
    let work = tempfile::tempdir().unwrap();
    let agreements = work.path().join("agreements");
    let made = generate(&agreements, 55);
    let out = work.path().join("out");
    let run = pactum()
        .arg("batch")
        .arg(&agreements)
        .arg("-o")
        .arg(&out)
        .args(["-j", "2"])
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(String::from_utf8_lossy(&run.stdout).contains("55 rendered, 0 skipped"));
    let m = manifest(&out);
    assert_eq!(entries(&m, "rendered").len(), 55);
    for (name, a, b) in &made {
        let pdf = out.join(name).join("round-1.pdf");
        let text = no_ws(&pdf_text(&pdf));
        assert!(
            text.contains(&no_ws(a)) && text.contains(&no_ws(b)),
            "{name} lacks its parties"
        );
        let entry = m["entries"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["agreement"] == name.as_str())
            .unwrap();
        let bytes = std::fs::read(&pdf).unwrap();
        assert_eq!(entry["pdf_sha256"], pactum::batch::manifest::sha256(&bytes));
        // The manifest names the terms the PDF carries: the file without its comments.
        let carried = pactum().arg("extract").arg(&pdf).output().unwrap().stdout;
        let terms = std::fs::read_to_string(agreements.join(name).join("round-1.yaml")).unwrap();
        assert!(terms.contains("\n#") && !String::from_utf8_lossy(&carried).contains("\n#"));
        assert_eq!(
            entry["terms_sha256"],
            pactum::batch::manifest::sha256(&carried)
        );
        assert_eq!(entry["template"], "thematic-partnership");
        assert_eq!(entry["template_hash"].as_str().unwrap().len(), 64);
    }

    // Unchanged inputs are skipped the second time.
    let again = pactum()
        .arg("batch")
        .arg(&agreements)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert!(again.status.success());
    assert!(
        String::from_utf8_lossy(&again.stdout).contains("0 rendered, 55 skipped"),
        "{}",
        String::from_utf8_lossy(&again.stdout)
    );
}

#[test]
fn broken_agreements_fail_alone_and_are_listed() {
    let work = tempfile::tempdir().unwrap();
    let agreements = work.path().join("agreements");
    generate(&agreements, 3);
    let broken = [
        ("bad-yaml", "template: thematic-partnership\nround: [1\n"),
        ("bad-template", "template: lease\nround: 1\n"),
    ];
    for (name, text) in broken {
        std::fs::create_dir_all(agreements.join(name)).unwrap();
        std::fs::write(agreements.join(name).join("round-1.yaml"), text).unwrap();
    }
    let out = work.path().join("out");
    let run = pactum()
        .arg("batch")
        .arg(&agreements)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1));
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(
        err.contains("failed: bad-yaml: ") && err.contains("yaml-syntax"),
        "{err}"
    );
    assert!(
        err.contains("failed: bad-template: ") && err.contains("unknown template `lease`"),
        "{err}"
    );
    let m = manifest(&out);
    assert_eq!(entries(&m, "rendered").len(), 3);
    assert_eq!(entries(&m, "failed").len(), 2);
    assert!(
        !out.join("bad-yaml").exists(),
        "no output for a failed agreement"
    );
}

#[test]
fn same_terms_give_identical_bytes_across_processes() {
    let out = tempfile::tempdir().unwrap();
    for mode in [&[][..], &["--final"][..]] {
        let a = out.path().join("a.pdf");
        let b = out.path().join("b.pdf");
        common::render_with(Path::new(EXAMPLE), &a, mode);
        common::render_with(Path::new(EXAMPLE), &b, mode);
        assert_eq!(
            std::fs::read(&a).unwrap(),
            std::fs::read(&b).unwrap(),
            "mode {mode:?} not reproducible"
        );
    }
}

#[test]
fn final_copies_are_not_clobbered_and_verify_proves_provenance() {
    let work = tempfile::tempdir().unwrap();
    let agreements = work.path().join("agreements");
    generate(&agreements, 2);
    let out = work.path().join("out");
    let batch = |extra: &[&str]| {
        pactum()
            .current_dir(work.path())
            .args(["batch", "agreements", "--final", "-o", "out"])
            .args(extra)
            .output()
            .unwrap()
    };
    // Drafts first, into the same folder: the final batch's summary counts its own work.
    let drafts = pactum()
        .current_dir(work.path())
        .args(["batch", "agreements", "-o", "out"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&drafts.stdout).starts_with("2 rendered, 0 skipped"));
    let first = batch(&[]);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let said = String::from_utf8_lossy(&first.stdout);
    assert!(said.starts_with("2 rendered, 0 skipped"), "{said}");
    let (finals, drafts): (Vec<PathBuf>, Vec<PathBuf>) =
        std::fs::read_dir(out.join("agreement-000"))
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .partition(|p| p.to_string_lossy().contains("-final"));
    assert_eq!(finals.len(), 1, "{finals:?}");
    assert_eq!(drafts.len(), 1, "the draft stays beside it: {drafts:?}");
    let pdf = finals[0].clone();
    assert!(!pdf_text(&pdf).contains("DRAFT"));

    // verify: the PDF came from the recorded terms.
    let ok = pactum()
        .current_dir(work.path())
        .arg("verify")
        .arg(&pdf)
        .output()
        .unwrap();
    assert!(
        ok.status.success(),
        "{}{}",
        String::from_utf8_lossy(&ok.stdout),
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(String::from_utf8_lossy(&ok.stdout).contains("MATCH"));

    // A change in the terms would change a final copy: refused loudly, file untouched.
    let before = std::fs::read(&pdf).unwrap();
    let terms = agreements.join("agreement-000/round-1.yaml");
    let changed = std::fs::read_to_string(&terms)
        .unwrap()
        .replace("Municipality of Ystad 0", "Municipality of Ystad Zero");
    std::fs::write(&terms, changed).unwrap();
    let second = batch(&[]);
    assert_eq!(second.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&second.stderr).contains("FINAL COPY WOULD CHANGE"));
    assert_eq!(std::fs::read(&pdf).unwrap(), before);
    // …and verify now reports the mismatch.
    let bad = pactum()
        .current_dir(work.path())
        .arg("verify")
        .arg(&pdf)
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("MISMATCH"));
    // --force overwrites.
    assert!(batch(&["--force"]).status.success());
    assert_ne!(std::fs::read(&pdf).unwrap(), before);
}

#[test]
fn shards_partition_the_batch() {
    let work = tempfile::tempdir().unwrap();
    let agreements = work.path().join("agreements");
    generate(&agreements, 5);
    let mut seen = Vec::new();
    for shard in ["0/2", "1/2"] {
        let out = work.path().join(format!("out-{}", &shard[..1]));
        pactum()
            .arg("batch")
            .arg(&agreements)
            .arg("-o")
            .arg(&out)
            .args(["--shard", shard])
            .assert()
            .success();
        let m = manifest(&out);
        seen.extend(
            entries(&m, "rendered")
                .iter()
                .map(|e| e["agreement"].as_str().unwrap().to_string()),
        );
    }
    seen.sort();
    let expected: Vec<String> = (0..5).map(|i| format!("agreement-{i:03}")).collect();
    assert_eq!(seen, expected);
    pactum()
        .arg("batch")
        .arg(&agreements)
        .args(["--shard", "2/2"])
        .assert()
        .failure();
}

/// Ctrl-C in the middle of a batch: a real SIGINT, sent once the first PDF is written (so
/// pactum's handler is in place and the batch is under way) and long before 400 agreements can
/// be done. The batch must say it was interrupted and exit 130, having stopped early, and leave
/// only complete PDFs, no temporary file, and a manifest of exactly the PDFs written.
#[test]
fn interrupted_batch_leaves_no_partial_pdf() {
    const AGREEMENTS: usize = 400;
    let work = tempfile::tempdir().unwrap();
    let agreements = work.path().join("agreements");
    generate(&agreements, AGREEMENTS);
    let out = work.path().join("out");
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("pactum"))
        .env("NO_COLOR", "1")
        .arg("batch")
        .arg(&agreements)
        .arg("-o")
        .arg(&out)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let pdfs_written = || -> Vec<PathBuf> {
        if !out.is_dir() {
            return Vec::new();
        }
        common::files_under(&out)
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
            .collect()
    };
    // Wait until a PDF is written, then press Ctrl-C.
    let started = std::time::Instant::now();
    while pdfs_written().is_empty() {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(60),
            "no PDF written within a minute"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let kill = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success(), "SIGINT sent");
    let run = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(130), "{:?}\n{stderr}", run.status);
    assert!(
        stderr
            .contains("interrupted: the batch stopped early; outputs written so far are complete"),
        "{stderr}"
    );

    let pdfs = pdfs_written();
    assert!(
        !pdfs.is_empty() && pdfs.len() < AGREEMENTS,
        "stopped early: {} of {AGREEMENTS} written",
        pdfs.len()
    );
    for pdf in &pdfs {
        let bytes = std::fs::read(pdf).unwrap();
        assert!(
            bytes.starts_with(b"%PDF-") && bytes.trim_ascii_end().ends_with(b"%%EOF"),
            "{} incomplete",
            pdf.display()
        );
    }
    // Nothing else: no temporary file of a PDF or of the manifest.
    for file in common::files_under(&out) {
        let rel = file.strip_prefix(&out).unwrap();
        let name = rel.to_string_lossy();
        assert!(
            file.extension().is_some_and(|e| e == "pdf")
                || name == "manifest.json"
                || name == ".manifest.lock",
            "leftover {name}"
        );
    }
    // The manifest lists exactly the PDFs written, each with its bytes' checksum.
    let m = manifest(&out);
    let listed = m["entries"].as_array().unwrap();
    assert!(
        listed.iter().all(|e| e["status"] == "rendered"),
        "{listed:?}"
    );
    let mut listed: Vec<(String, String)> = listed
        .iter()
        .map(|e| {
            (
                e["pdf"].as_str().unwrap().to_string(),
                e["pdf_sha256"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    listed.sort();
    let mut written: Vec<(String, String)> = pdfs
        .iter()
        .map(|pdf| {
            (
                pdf.strip_prefix(&out).unwrap().display().to_string(),
                pactum::batch::manifest::sha256(&std::fs::read(pdf).unwrap()),
            )
        })
        .collect();
    written.sort();
    assert_eq!(listed, written, "manifest lists exactly what was written");
    assert!(
        stdout.contains(&format!("{} rendered, 0 skipped", pdfs.len())),
        "{stdout}"
    );
}

#[test]
fn final_copies_refuse_placeholders_and_give_one_original_per_party() {
    let work = tempfile::tempdir().unwrap();
    let example = common::shipped(EXAMPLE);
    assert!(example.contains("counterparts: false"));
    let folder = work.path().join("agreements/pair");
    std::fs::create_dir_all(&folder).unwrap();
    let terms = folder.join("round-1.yaml");

    // A placeholder left in the terms: a draft renders, a final copy is refused with the term.
    std::fs::write(
        &terms,
        example.replace("name: Karin Bergqvist", "name: TBD"),
    )
    .unwrap();
    let out = work.path().join("out");
    common::render(&terms, &out);
    let refused = pactum()
        .arg("render")
        .arg(&terms)
        .arg("--final")
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(1));
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(
        err.contains("error[placeholder]") && err.contains("parties[0].representative.name"),
        "{err}"
    );
    assert!(!out.join("round-1-final.pdf").exists());

    // Counterparts: one original per party, each saying whose it is.
    std::fs::write(
        &terms,
        example.replace("counterparts: false", "counterparts: true"),
    )
    .unwrap();
    common::render_with(&terms, &out, &["--final"]);
    for (file, party) in [
        ("round-1-final-malmo.pdf", "Malmö"),
        ("round-1-final-kaohsiung.pdf", "Kaohsiung"),
    ] {
        let text = common::squash(&pdf_text(&out.join(file)));
        assert!(
            text.contains(&format!("Original for {party}")),
            "{file}: {text}"
        );
    }
    // The batch gives the same originals, listed in the manifest with whose copy each is.
    let batch_out = work.path().join("batch-out");
    pactum()
        .arg("batch")
        .arg(work.path().join("agreements"))
        .arg("--final")
        .arg("-o")
        .arg(&batch_out)
        .assert()
        .success();
    let m = manifest(&batch_out);
    let copies: Vec<&str> = entries(&m, "rendered")
        .iter()
        .map(|e| e["copy_for"].as_str().unwrap())
        .collect();
    assert_eq!(copies, vec!["Kaohsiung", "Malmö"]);
    for name in ["round-1-final-malmo.pdf", "round-1-final-kaohsiung.pdf"] {
        assert_eq!(
            std::fs::read(out.join(name)).unwrap(),
            std::fs::read(batch_out.join("pair").join(name)).unwrap()
        );
    }
}
