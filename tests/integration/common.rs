//! Helpers shared by the integration tests: run the binary, read a PDF's text back.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

/// The `pactum` binary under test, run from the repository root.
pub fn pactum() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("pactum").expect("binary built");
    cmd.current_dir(root()).env("NO_COLOR", "1");
    cmd
}

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The text of a file shipped in the repository, named by its path from the root
/// (`agreements/lund-tainan/round-2.yaml`, `templates/sister-city/template.yaml`).
pub fn shipped(path: impl AsRef<Path>) -> String {
    let path = root().join(path);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every round of every shipped example agreement (`agreements/*/*.yaml`), as paths from the
/// repository root, sorted.
pub fn shipped_rounds() -> Vec<String> {
    let mut out = Vec::new();
    for dir in std::fs::read_dir(root().join("agreements"))
        .unwrap()
        .flatten()
    {
        for f in std::fs::read_dir(dir.path()).unwrap().flatten() {
            let p = f.path();
            if p.extension().is_some_and(|e| e == "yaml") {
                out.push(p.strip_prefix(root()).unwrap().display().to_string());
            }
        }
    }
    out.sort();
    out
}

/// The text of a PDF, as `pdftotext` (poppler-utils) reads it.
pub fn pdf_text(pdf: &Path) -> String {
    pdf_text_with(pdf, &[])
}

/// The text of a PDF with extra pdftotext flags (`-raw`: content order, and no joining of a
/// line that ends in `-` with the next, which the default mode does).
pub fn pdf_text_with(pdf: &Path, flags: &[&str]) -> String {
    let out = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .args(flags)
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext is installed (poppler-utils; .ci/run installs it)");
    assert!(
        out.status.success(),
        "pdftotext failed on {}",
        pdf.display()
    );
    String::from_utf8(out.stdout).expect("pdftotext prints UTF-8")
}

/// The text of PDF bytes.
pub fn pdf_bytes_text(pdf: &[u8]) -> String {
    pdf_bytes_text_with(pdf, &[])
}

/// The text of PDF bytes, with extra pdftotext flags.
pub fn pdf_bytes_text_with(pdf: &[u8], flags: &[&str]) -> String {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, pdf).expect("write pdf");
    pdf_text_with(&path, flags)
}

/// Collapse every run of whitespace to one space.
pub fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Remove all whitespace (line breaks may fall anywhere a space or a break opportunity is).
pub fn no_ws(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Copy a folder tree (e.g. the built-in templates, to break one in a test).
pub fn copy_dir(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// What a running `child` (spawned with its stderr piped) prints on stderr, collected line by
/// line as it comes; the thread collecting it ends when stderr closes, as the child exits (join
/// it to read all there was).
pub fn follow_stderr(child: &mut Child) -> (Arc<Mutex<String>>, JoinHandle<()>) {
    let stderr = Arc::new(Mutex::new(String::new()));
    let sink = stderr.clone();
    let pipe = child.stderr.take().expect("stderr piped");
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(pipe).lines().map_while(Result::ok) {
            let mut s = sink.lock().unwrap();
            s.push_str(&line);
            s.push('\n');
        }
    });
    (stderr, reader)
}

/// Every file under `dir`, recursively (hidden and temporary files included).
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files_under(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// The manifest a batch wrote into the output folder `out` (`manifest.json`), parsed.
pub fn manifest(out: &Path) -> serde_json::Value {
    let path = out.join("manifest.json");
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `pactum check --format json TERMS`: the exit code and the JSON printed (an array with an
/// entry per file, each with its `diagnostics`).
pub fn check_json(terms: &Path) -> (Option<i32>, serde_json::Value) {
    let out = pactum()
        .args(["check", "--format", "json"])
        .arg(terms)
        .output()
        .unwrap();
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "pactum check printed no JSON ({e}):\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code(), json)
}

/// `pactum render TERMS -o OUT` (a PDF, or a folder), which must succeed.
pub fn render(terms: &Path, out: &Path) {
    render_with(terms, out, &[]);
}

/// `pactum render TERMS OPTIONS -o OUT` (a file, or a folder for several copies), which must
/// succeed.
pub fn render_with(terms: &Path, out: &Path, options: &[&str]) {
    pactum()
        .arg("render")
        .arg(terms)
        .args(options)
        .arg("-o")
        .arg(out)
        .assert()
        .success();
}

/// Asserts that `text` holds `wanted`, showing the text when it does not.
pub fn has(text: &str, wanted: &str) {
    assert!(text.contains(wanted), "wanted {wanted:?} in:\n{text}");
}

/// Asserts that `text` no longer holds `unwanted`, showing the text when it does.
pub fn lacks(text: &str, unwanted: &str) {
    assert!(!text.contains(unwanted), "{unwanted:?} still in:\n{text}");
}

/// A copy of the Word document `src` at `dst` with its `word/document.xml` as `edit` makes
/// it; every other part copied as it is.
pub fn docx_with_document(src: &Path, dst: &Path, mut edit: impl FnMut(&str) -> String) {
    use std::io::{Read, Write};
    let mut zip = zip::ZipArchive::new(std::fs::File::open(src).unwrap()).unwrap();
    let mut w = zip::ZipWriter::new(std::fs::File::create(dst).unwrap());
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let name = f.name().to_string();
        let mut b = Vec::new();
        f.read_to_end(&mut b).unwrap();
        if name == "word/document.xml" {
            b = edit(&String::from_utf8(b).unwrap()).into_bytes();
        }
        w.start_file(name, opts).unwrap();
        w.write_all(&b).unwrap();
    }
    w.finish().unwrap();
}

/// `cmd` run to its end, and its output; the test fails with its error output if it did not
/// succeed.
pub fn succeeds(cmd: &mut assert_cmd::Command) -> std::process::Output {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}
