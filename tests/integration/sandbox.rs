//! Typst's World serves the layout and the model from memory and nothing else, except files
//! inside a disk template's own folder: reads that leave the folder (relative escapes, absolute
//! paths, symlinks) and package imports are refused, and the error names the layout's line.

use crate::common;

use std::path::Path;

use common::pactum;

const EXAMPLE: &str = "agreements/malmo-kaohsiung/round-1.yaml";

/// A copy of the built-in templates with `line` added to the layout.
fn templates_with(line: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&common::root().join("templates"), dir.path());
    let main = dir.path().join("shared/layout.typ");
    let text = std::fs::read_to_string(&main).unwrap();
    std::fs::write(&main, format!("{text}\n{line}\n")).unwrap();
    std::fs::write(
        dir.path().join("thematic-partnership/inside.txt"),
        "inside the template",
    )
    .unwrap();
    dir
}

fn render(templates: &Path) -> (bool, String, String) {
    let out = tempfile::tempdir().unwrap();
    let pdf = out.path().join("x.pdf");
    let run = pactum()
        .arg("--templates")
        .arg(templates)
        .args(["render", EXAMPLE, "-o"])
        .arg(&pdf)
        .output()
        .unwrap();
    let text = if pdf.exists() {
        common::pdf_text(&pdf)
    } else {
        String::new()
    };
    (
        run.status.success(),
        String::from_utf8_lossy(&run.stderr).into_owned(),
        text,
    )
}

#[test]
fn files_inside_the_template_folder_can_be_read() {
    let dir = templates_with("#read(\"inside.txt\")");
    let (ok, err, text) = render(dir.path());
    assert!(ok, "{err}");
    assert!(text.contains("inside the template"));
}

#[test]
fn reads_outside_the_template_folder_are_refused() {
    for attempt in [
        "#read(\"../../../../etc/passwd\")",
        "#read(\"/etc/passwd\")",
        "#read(\"../shared/types.yaml\")",
    ] {
        let dir = templates_with(attempt);
        let (ok, err, _) = render(dir.path());
        assert!(!ok, "{attempt} must fail");
        assert!(err.contains("error[typst-error]"), "{attempt}: {err}");
        assert!(err.contains("layout.typ"), "names the layout file: {err}");
        assert!(!err.contains("root:x:0:0"));
    }
}

#[test]
fn symlinks_out_of_the_template_folder_are_refused() {
    let dir = templates_with("#read(\"link.txt\")");
    std::os::unix::fs::symlink(
        "/etc/hostname",
        dir.path().join("thematic-partnership/link.txt"),
    )
    .unwrap();
    let (ok, err, _) = render(dir.path());
    assert!(!ok && err.contains("error[typst-error]"), "{err}");
}

#[test]
fn packages_are_refused() {
    let dir = templates_with("#import \"@preview/cetz:0.4.2\": canvas");
    let (ok, err, _) = render(dir.path());
    assert!(!ok, "{err}");
    assert!(err.contains("package"), "{err}");
}
