//! Execution copies that prove themselves: the terms attached to every PDF (read back with
//! poppler's pdfdetach and lopdf), `verify` with nothing but the PDF, `extract`, `sign` checked
//! by poppler's `pdfsig`, `batch --final --sign`, and shards run concurrently into one folder.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::pactum;

const EXAMPLE: &str = "agreements/malmo-kaohsiung/round-3.yaml";

/// Render `terms` (a path under the repository) into `dir`; returns the PDF's path.
fn render(terms: &Path, dir: &Path, extra: &[&str]) -> PathBuf {
    let out = pactum()
        .arg("render")
        .arg(terms)
        .args(extra)
        .arg("-o")
        .arg(dir)
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    let line = stdout.lines().find(|l| l.ends_with(".pdf")).unwrap();
    PathBuf::from(line.trim_start_matches("wrote "))
}

/// A final copy of the largest example, alone in a fresh folder.
pub(crate) fn final_copy_alone() -> (tempfile::TempDir, PathBuf) {
    let work = tempfile::tempdir().unwrap();
    let pdf = render(&common::root().join(EXAMPLE), work.path(), &["--final"]);
    let alone = tempfile::tempdir().unwrap();
    let copy = alone.path().join("copy.pdf");
    std::fs::copy(&pdf, &copy).unwrap();
    (alone, copy)
}

pub(crate) fn verify(pdf: &Path) -> (i32, String) {
    let out = pactum().arg("verify").arg(pdf).output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), text)
}

/// `bytes` with the byte at `at` changed.
fn flipped(bytes: &[u8], at: usize) -> Vec<u8> {
    let mut out = bytes.to_vec();
    out[at] = if out[at] == b'7' { b'8' } else { b'7' };
    out
}

#[test]
fn a_final_copy_alone_verifies_and_one_changed_byte_does_not() {
    let (dir, pdf) = final_copy_alone();
    let (code, text) = verify(&pdf);
    assert_eq!(code, 0, "{text}");
    assert!(text.starts_with("MATCH"), "{text}");
    assert!(text.contains("round-3.yaml"), "{text}");

    let bytes = std::fs::read(&pdf).unwrap();
    // A byte in the page content, in the middle of the file, and one at its very end.
    for at in [bytes.len() / 2, bytes.len() / 3, bytes.len() - 1] {
        let changed = dir.path().join(format!("changed-{at}.pdf"));
        std::fs::write(&changed, flipped(&bytes, at)).unwrap();
        let (code, text) = verify(&changed);
        assert_eq!(code, 1, "byte {at}: {text}");
        assert!(text.contains("MISMATCH"), "{text}");
    }
}

#[test]
fn extract_gives_the_terms_back_without_comments_or_as_kept_and_never_overwrites() {
    // A terms file with a byte order mark and CRLF line ends comes back as it was, its
    // comments left out unless --keep-comments keeps them.
    let src = tempfile::tempdir().unwrap();
    let folder = src.path().join("malmo-kaohsiung");
    std::fs::create_dir(&folder).unwrap();
    let original = common::shipped(EXAMPLE);
    let terms: Vec<u8> = ["\u{feff}", &original.replace('\n', "\r\n")]
        .concat()
        .into_bytes();
    let path = folder.join("round-3.yaml");
    std::fs::write(&path, &terms).unwrap();
    // A final copy goes to the other party: it carries the terms without the negotiators'
    // notes (the file's comments), each line otherwise as it was.
    let lines: String = (original.replace('\n', "\r\n").split_inclusive('\n'))
        .filter(|l| !l.trim_start().starts_with('#'))
        .map(|l| match l.find(" # ") {
            Some(at) => format!("{}\r\n", &l[..at]),
            None => l.to_string(),
        })
        .collect();
    let without_notes = format!("\u{feff}{lines}").into_bytes();
    assert!(String::from_utf8_lossy(&terms).contains("# Proposed by"));
    let keep = ["--final", "--keep-comments"];
    for (extra, terms) in [
        (&[][..], &without_notes),
        (&["--final"][..], &without_notes),
        (&keep[..], &terms),
    ] {
        let out = tempfile::tempdir().unwrap();
        let pdf = render(&path, out.path(), extra);
        let got = pactum().arg("extract").arg(&pdf).output().unwrap();
        assert!(got.status.success());
        assert!(
            got.stdout == *terms,
            "extract changed the terms ({extra:?}):\n{}",
            String::from_utf8_lossy(&got.stdout)
        );
        assert_eq!(verify(&pdf).0, 0, "{}", verify(&pdf).1);
        // The record says which: comments removed (the default) or kept.
        let record = pactum::provenance::read(&std::fs::read(&pdf).unwrap())
            .unwrap()
            .record;
        let said = if extra.contains(&"--keep-comments") {
            "kept"
        } else {
            "removed"
        };
        assert_eq!(record.terms_comments, said);
        // poppler sees the attachment under the terms file's name.
        let list = Command::new("pdfdetach")
            .arg("-list")
            .arg(&pdf)
            .output()
            .unwrap();
        let list = String::from_utf8_lossy(&list.stdout);
        assert!(list.contains("round-3.yaml"), "{list}");
        assert!(list.contains("pactum.json"), "{list}");

        let target = out.path().join("back.yaml");
        std::fs::write(&target, "mine").unwrap();
        pactum()
            .arg("extract")
            .arg(&pdf)
            .arg("-o")
            .arg(&target)
            .assert()
            .code(1);
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "mine");
        pactum()
            .arg("extract")
            .arg(&pdf)
            .arg("-o")
            .arg(&target)
            .arg("--force")
            .assert()
            .success();
        assert!(std::fs::read(&target).unwrap() == *terms);
    }
}

#[test]
fn a_final_copy_is_pdf_a_3a_with_its_terms_as_source() {
    let (_dir, pdf) = final_copy_alone();
    let bytes = std::fs::read(&pdf).unwrap();
    let doc = lopdf::Document::load_mem(&bytes).unwrap();
    let catalog = doc.catalog().unwrap();
    // The catalog's associated files name the terms, with relationship Source and a MIME type.
    let af = catalog.get_deref(b"AF", &doc).unwrap().as_array().unwrap();
    let mut found = Vec::new();
    for spec in af {
        let (_, spec) = doc.dereference(spec).unwrap();
        let spec = spec.as_dict().unwrap();
        let name = spec.get(b"UF").or_else(|_| spec.get(b"F")).unwrap();
        let name = lopdf::decode_text_string(name).unwrap();
        let rel = spec.get(b"AFRelationship").unwrap().as_name().unwrap();
        let ef = spec.get_deref(b"EF", &doc).unwrap().as_dict().unwrap();
        let stream = ef.get_deref(b"F", &doc).unwrap().as_stream().unwrap();
        let subtype = stream.dict.get(b"Subtype").unwrap().as_name().unwrap();
        found.push((name, rel.to_vec(), subtype.to_vec()));
        assert!(spec.get(b"Desc").is_ok(), "no description");
    }
    found.sort();
    assert_eq!(
        found,
        [
            (
                "pactum.json".to_string(),
                b"Supplement".to_vec(),
                b"application/json".to_vec()
            ),
            (
                "round-3.yaml".to_string(),
                b"Source".to_vec(),
                b"application/yaml".to_vec()
            ),
        ]
    );
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.contains("<pdfaid:part>3</pdfaid:part>"), "not PDF/A-3");
    assert!(
        text.contains("<pdfaid:conformance>A</pdfaid:conformance>"),
        "not PDF/A-3a (accessible: tagged)"
    );
}

/// Test identities made with the OpenSSL CLI: `signer.p12` (valid for a year) and
/// `expired.p12` (2020–2021), both with the password `secret`.
pub(crate) fn identities(dir: &Path) {
    let script = r#"
set -e
openssl req -x509 -newkey rsa:2048 -nodes -keyout k.pem -out c.pem \
  -subj "/CN=Anna Lindqvist/O=Malmo stad" -days 365 2>/dev/null
openssl pkcs12 -export -inkey k.pem -in c.pem -passout pass:secret -out signer.p12
mkdir -p ca && : > ca/index.txt && echo 01 > ca/serial
printf '[ca]\ndefault_ca = d\n[d]\ndatabase = ca/index.txt\nserial = ca/serial\nnew_certs_dir = ca\ndefault_md = sha256\npolicy = p\nunique_subject = no\n[p]\ncommonName = supplied\n' > ca.cnf
openssl req -new -key k.pem -subj "/CN=Expired Signer" -out e.csr
openssl ca -batch -config ca.cnf -selfsign -keyfile k.pem -in e.csr -notext \
  -startdate 20200101000000Z -enddate 20210101000000Z -out e.pem 2>/dev/null
openssl pkcs12 -export -inkey k.pem -in e.pem -passout pass:secret -out expired.p12
"#;
    let status = Command::new("sh")
        .args(["-c", script])
        .current_dir(dir)
        .status()
        .expect("openssl is installed (tests/run.sh installs it)");
    assert!(status.success());
}

/// Signs `pdf` with the identity file `id` in `dir` (password `secret`), into `out`.
pub(crate) fn sign_with(dir: &Path, pdf: &Path, id: &str, out: &Path) -> std::process::Output {
    pactum()
        .env("PACTUM_SIGN_PASSWORD", "secret")
        .arg("sign")
        .arg(pdf)
        .arg("--identity")
        .arg(dir.join(id))
        .arg("-o")
        .arg(out)
        .output()
        .unwrap()
}

pub(crate) fn pdfsig(pdf: &Path) -> String {
    let out = Command::new("pdfsig").arg(pdf).output().unwrap();
    // pdfsig exits 0 whatever it finds: read what it says.
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn a_signed_copy_is_valid_for_pdfsig_and_verifies() {
    let (dir, pdf) = final_copy_alone();
    identities(dir.path());
    let signed = dir.path().join("signed.pdf");
    let done = sign_with(dir.path(), &pdf, "signer.p12", &signed);
    assert!(done.status.success(), "{done:?}");
    let original = std::fs::read(&pdf).unwrap();
    let bytes = std::fs::read(&signed).unwrap();
    assert!(
        bytes.starts_with(&original),
        "signing changed the rendered bytes"
    );
    let report = pdfsig(&signed);
    assert!(report.contains("Signature is Valid"), "{report}");
    assert!(report.contains("ETSI.CAdES.detached"), "{report}");
    assert!(report.contains("Anna Lindqvist"), "{report}");
    let (code, text) = verify(&signed);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("intact"), "{text}");

    // One changed byte inside the signed range: pdfsig no longer says valid, verify refuses.
    let tampered = dir.path().join("tampered.pdf");
    std::fs::write(&tampered, flipped(&bytes, original.len() / 2)).unwrap();
    let report = pdfsig(&tampered);
    assert!(!report.contains("Signature is Valid"), "{report}");
    let (code, text) = verify(&tampered);
    assert_eq!(code, 1, "{text}");
}

#[test]
fn signing_refuses_a_wrong_password_an_expired_certificate_and_a_foreign_pdf() {
    let (dir, pdf) = final_copy_alone();
    identities(dir.path());
    let out = dir.path().join("out.pdf");
    let sign = |pdf: &Path, id: &str, password: &str| {
        let assert = pactum()
            .env("PACTUM_SIGN_PASSWORD", password)
            .arg("sign")
            .arg(pdf)
            .arg("--identity")
            .arg(dir.path().join(id))
            .arg("-o")
            .arg(&out)
            .assert()
            .code(1);
        String::from_utf8_lossy(&assert.get_output().stderr).into_owned()
    };
    let err = sign(&pdf, "signer.p12", "wrong");
    assert!(err.contains("password"), "{err}");
    assert!(!out.exists());
    let err = sign(&pdf, "expired.p12", "secret");
    assert!(err.contains("expired"), "{err}");
    assert!(!out.exists());
    // A PDF pactum did not render (no attached terms): here, one poppler cannot even read.
    let foreign = dir.path().join("foreign.pdf");
    std::fs::write(&foreign, b"%PDF-1.7\nnot really\n%%EOF\n").unwrap();
    let err = sign(&foreign, "signer.p12", "secret");
    assert!(err.contains("error[sign]"), "{err}");
    assert!(!out.exists());
    // Without a password and without a terminal: a clear error, nothing written.
    let assert = pactum()
        .env_remove("PACTUM_SIGN_PASSWORD")
        .arg("sign")
        .arg(&pdf)
        .arg("--identity")
        .arg(dir.path().join("signer.p12"))
        .arg("-o")
        .arg(&out)
        .assert()
        .code(1);
    let err = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(err.contains("PACTUM_SIGN_PASSWORD"), "{err}");
    assert!(!out.exists());
}

#[test]
fn batch_signs_every_final_copy_each_counterpart_included() {
    let src = tempfile::tempdir().unwrap();
    identities(src.path());
    let agreement = src.path().join("agreements/malmo-kaohsiung");
    std::fs::create_dir_all(&agreement).unwrap();
    let text = common::shipped(EXAMPLE);
    std::fs::write(
        agreement.join("round-3.yaml"),
        text.replace("counterparts: false", "counterparts: true"),
    )
    .unwrap();
    let out = src.path().join("out");
    pactum()
        .env("PACTUM_SIGN_PASSWORD", "secret")
        .args(["batch", "--final", "--sign"])
        .arg(src.path().join("signer.p12"))
        .arg(src.path().join("agreements"))
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let pdfs: Vec<PathBuf> = std::fs::read_dir(out.join("malmo-kaohsiung"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    assert_eq!(pdfs.len(), 2, "one original per party: {pdfs:?}");
    for pdf in &pdfs {
        let report = pdfsig(pdf);
        assert!(report.contains("Signature is Valid"), "{report}");
        let (code, text) = verify(pdf);
        assert_eq!(code, 0, "{text}");
    }
    let manifest = std::fs::read_to_string(out.join("manifest.json")).unwrap();
    assert_eq!(manifest.matches("\"signed_by\"").count(), 2, "{manifest}");
}

/// Every PDF under `dir`, by path relative to it, with its bytes.
fn pdfs_under(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for agreement in std::fs::read_dir(dir).unwrap().flatten() {
        if !agreement.path().is_dir() {
            continue;
        }
        for file in std::fs::read_dir(agreement.path()).unwrap().flatten() {
            let rel = file.path().strip_prefix(dir).unwrap().display().to_string();
            out.push((rel, std::fs::read(file.path()).unwrap()));
        }
    }
    out.sort();
    out
}

#[test]
fn four_concurrent_shards_give_the_pdfs_and_manifest_of_one_run() {
    // Twelve agreements: copies of the two shipped ones under other names.
    let src = tempfile::tempdir().unwrap();
    for i in 0..12 {
        let (from, name) = if i % 2 == 0 {
            (EXAMPLE, "malmo-kaohsiung")
        } else {
            ("agreements/lund-tainan/round-2.yaml", "lund-tainan")
        };
        let folder = src.path().join(format!("{name}-{i:02}"));
        std::fs::create_dir(&folder).unwrap();
        std::fs::copy(common::root().join(from), folder.join("round-1.yaml")).unwrap();
    }
    let one = tempfile::tempdir().unwrap();
    pactum()
        .args(["batch", "-j", "1", "--final"])
        .arg(src.path())
        .arg("-o")
        .arg(one.path())
        .assert()
        .success();
    let shared = tempfile::tempdir().unwrap();
    let children: Vec<_> = (0..4)
        .map(|i| {
            Command::new(assert_cmd::cargo::cargo_bin("pactum"))
                .current_dir(common::root())
                .args(["batch", "-j", "1", "--final", "--shard"])
                .arg(format!("{i}/4"))
                .arg(src.path())
                .arg("-o")
                .arg(shared.path())
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut child in children {
        assert!(child.wait().unwrap().success());
    }
    let single = pdfs_under(one.path());
    assert_eq!(single.len(), 12);
    assert!(
        pdfs_under(shared.path()) == single,
        "the shards' PDFs differ"
    );
    let entries = |dir: &Path| -> Vec<(String, String)> {
        let m = common::manifest(dir);
        let mut e: Vec<(String, String)> = m["entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["pdf"].as_str().unwrap().to_string(),
                    e["pdf_sha256"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        e.sort();
        e
    };
    assert_eq!(
        entries(shared.path()).len(),
        12,
        "a manifest entry was lost"
    );
    assert_eq!(entries(shared.path()), entries(one.path()));
}

#[test]
fn verify_uses_the_changed_template_the_copy_carries() {
    // Render with a copy of the built-in templates whose clause text was edited...
    let templates = tempfile::tempdir().unwrap();
    common::copy_dir(&common::root().join("templates"), templates.path());
    let preamble = templates.path().join("shared/clauses/en/preamble.hbs");
    let text = std::fs::read_to_string(&preamble).unwrap();
    std::fs::write(&preamble, text.replacen("the ", "the said ", 1)).unwrap();
    let out = tempfile::tempdir().unwrap();
    let pdf = render(
        &common::root().join(EXAMPLE),
        out.path(),
        &["--final", "--templates", templates.path().to_str().unwrap()],
    );
    // ...then verify it with the built-in ones: the copy carries the one file that differs
    // (the others are pactum's own), and verify renders with it and says so.
    let (code, text) = verify(&pdf);
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains("with the 1 template files the PDF carries")
            && text.contains("0 missing here, 1 different here"),
        "{text}"
    );
}

#[test]
fn verify_names_a_different_font_as_the_reason_and_the_record_names_the_fonts_used() {
    // A party name in Inuktitut syllabics needs a font from a folder (DejaVu Sans).
    let src = tempfile::tempdir().unwrap();
    let folder = src.path().join("malmo-kaohsiung");
    std::fs::create_dir(&folder).unwrap();
    let text = common::shipped(EXAMPLE);
    let text = text.replace("short_name: Kaohsiung", "short_name: \"Kaohsiung ᐃᖃᓗᐃᑦ\"");
    let terms = folder.join("round-3.yaml");
    std::fs::write(&terms, text).unwrap();
    let fonts = |file: &str| {
        let dir = tempfile::tempdir().unwrap();
        let from = Path::new("/usr/share/fonts/truetype/dejavu").join(file);
        std::fs::copy(&from, dir.path().join("face.ttf")).expect("fonts-dejavu-core");
        dir
    };
    let regular = fonts("DejaVuSans.ttf");
    let condensed = fonts("DejaVuSansCondensed.ttf");
    let out = tempfile::tempdir().unwrap();
    let path = |d: &tempfile::TempDir| d.path().to_str().unwrap().to_string();
    let pdf = render(
        &terms,
        out.path(),
        &[
            "--final",
            "--no-system-fonts",
            "--font-path",
            &path(&regular),
        ],
    );
    let bytes = std::fs::read(&pdf).unwrap();
    let record = pactum::provenance::read(&bytes).unwrap().record;
    assert!(
        record.fonts.iter().any(|f| f.family == "DejaVu Sans"),
        "the record does not name the folder's font: {:?}",
        record.fonts
    );
    let verify_with = |dir: &tempfile::TempDir| {
        let out = pactum()
            .args(["verify", "--no-system-fonts", "--font-path", &path(dir)])
            .arg(&pdf)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stderr).into_owned()
            + &String::from_utf8_lossy(&out.stdout);
        (out.status.code(), text)
    };
    let (code, text) = verify_with(&regular);
    assert_eq!(code, Some(0), "{text}");
    let (code, text) = verify_with(&condensed);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("a font differs"), "{text}");
    assert!(text.contains("DejaVu Sans"), "{text}");
}

#[test]
fn verify_renders_with_the_layout_the_pdf_was_rendered_with() {
    // `--layout parallel` is not in the terms: the record keeps it, and verify uses it.
    let out = tempfile::tempdir().unwrap();
    let pdf = render(
        &common::root().join("agreements/lund-tainan/round-2.yaml"),
        out.path(),
        &["--layout", "parallel"],
    );
    let record = pactum::provenance::read(&std::fs::read(&pdf).unwrap())
        .unwrap()
        .record;
    assert_eq!(
        record.overrides.layout,
        Some(pactum::model::Layout::Parallel)
    );
    let (code, text) = verify(&pdf);
    assert_eq!(code, 0, "{text}");
}

#[test]
fn render_replaces_a_final_copy_or_a_signed_pdf_only_with_force() {
    let dir = tempfile::tempdir().unwrap();
    identities(dir.path());
    let terms = common::root().join(EXAMPLE);
    let render_to = |out: &Path, extra: &[&str]| {
        pactum()
            .arg("render")
            .arg(&terms)
            .args(extra)
            .arg("-o")
            .arg(out)
            .output()
            .unwrap()
    };
    // A draft is replaced as before, and a final copy may replace a draft.
    let pdf = dir.path().join("copy.pdf");
    assert!(render_to(&pdf, &[]).status.success());
    assert!(render_to(&pdf, &[]).status.success());
    assert!(render_to(&pdf, &["--final"]).status.success());
    // A final copy is not replaced: exit 1, the same bytes.
    let before = std::fs::read(&pdf).unwrap();
    let again = render_to(&pdf, &["--final"]);
    assert_eq!(again.status.code(), Some(1), "{again:?}");
    let err = String::from_utf8_lossy(&again.stderr);
    assert!(
        err.contains("error[exists]") && err.contains("--force"),
        "{err}"
    );
    assert_eq!(std::fs::read(&pdf).unwrap(), before);
    // A signed one is not replaced by a draft either, and --force says what is lost.
    let signed = dir.path().join("signed.pdf");
    let done = sign_with(dir.path(), &pdf, "signer.p12", &signed);
    assert!(done.status.success(), "{done:?}");
    let signed_bytes = std::fs::read(&signed).unwrap();
    let draft = render_to(&signed, &[]);
    assert_eq!(draft.status.code(), Some(1), "{draft:?}");
    assert!(String::from_utf8_lossy(&draft.stderr).contains("carries 1 signature"));
    assert_eq!(std::fs::read(&signed).unwrap(), signed_bytes);
    let forced = render_to(&signed, &["--final", "--force"]);
    assert!(forced.status.success(), "{forced:?}");
    let err = String::from_utf8_lossy(&forced.stderr);
    assert!(err.contains("1 signature; they are lost"), "{err}");
    assert_eq!(std::fs::read(&signed).unwrap(), before);
}
