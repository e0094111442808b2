//! Errors in a template (trusted, but written by people) are reported with the template file
//! and line, never as a panic: Typst errors in the layout, handlebars syntax errors, Markdown
//! that does not make an agreement.

use crate::common;

use std::path::{Path, PathBuf};

use common::pactum;

const EXAMPLE: &str = "agreements/malmo-kaohsiung/round-1.yaml";
const CLAUSE: &str = "thematic-partnership/clauses/en/purpose.hbs";
const MANIFEST: &str = "thematic-partnership/template.yaml";
const LAYOUT: &str = "shared/layout.typ";

/// A copy of the built-in templates with `line` inserted after line `after` of `file`.
fn templates_with(file: &str, after: usize, line: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&common::root().join("templates"), dir.path());
    let path = dir.path().join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    lines.insert(after, line);
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    (dir, path)
}

fn render_with(templates: &Path) -> (Option<i32>, String) {
    let out = tempfile::tempdir().unwrap();
    let run = pactum()
        .arg("--templates")
        .arg(templates)
        .args(["render", EXAMPLE, "-o"])
        .arg(out.path())
        .output()
        .unwrap();
    let left: Vec<_> = std::fs::read_dir(out.path()).unwrap().collect();
    assert!(left.is_empty(), "no output file on failure");
    (
        run.status.code(),
        String::from_utf8_lossy(&run.stderr).into_owned(),
    )
}

#[test]
fn typst_error_points_at_the_layout_line() {
    let (dir, path) = templates_with(LAYOUT, 3, "#this-function-does-not-exist(1)");
    let (code, err) = render_with(dir.path());
    assert_eq!(code, Some(1));
    assert!(
        err.contains("error[typst-error]: Typst: unknown variable: this-function-does-not-exist"),
        "{err}"
    );
    assert!(
        err.contains(&format!("{}:4:", path.display())),
        "names the layout file and line 4: {err}"
    );
    assert!(!err.contains("panicked"));
}

#[test]
fn handlebars_syntax_error_points_at_the_template_line() {
    let (dir, path) = templates_with(CLAUSE, 2, "{{#if title}} unclosed block");
    let (code, err) = render_with(dir.path());
    assert_eq!(code, Some(1));
    assert!(err.contains("error[template-error]"), "{err}");
    assert!(err.contains(&path.display().to_string()), "{err}");
}

#[test]
fn a_declared_part_without_its_file_is_a_template_error_at_its_line() {
    let text = common::shipped(format!("templates/{MANIFEST}"));
    let after = text
        .lines()
        .position(|l| l.contains("{id: purpose"))
        .unwrap()
        + 1;
    let (dir, path) = templates_with(MANIFEST, after, "  - {id: exchange-of-staff}");
    let (code, err) = render_with(dir.path());
    assert_eq!(code, Some(1));
    assert!(err.contains("error[template-error]"), "{err}");
    assert!(
        err.contains("the part `exchange-of-staff` has no file `exchange-of-staff`"),
        "{err}"
    );
    assert!(
        err.contains(&format!("{}:{}:", path.display(), after + 1)),
        "{err}"
    );
}

#[test]
fn a_template_reference_to_an_undeclared_term_is_an_error_not_a_blank() {
    let (dir, path) = templates_with(CLAUSE, 3, "{{no_such_term}}");
    let (code, err) = render_with(dir.path());
    assert_eq!(code, Some(1));
    assert!(
        err.contains("no_such_term") && err.contains(&path.display().to_string()),
        "{err}"
    );
}

#[test]
fn a_runaway_template_loop_is_stopped_by_the_time_limit() {
    let (dir, _) = templates_with(LAYOUT, 3, "#for i in range(2000000000) { }");
    let out = tempfile::tempdir().unwrap();
    let started = std::time::Instant::now();
    let run = pactum()
        .arg("--templates")
        .arg(dir.path())
        .args(["--timeout", "1", "render", EXAMPLE, "-o"])
        .arg(out.path())
        .output()
        .unwrap();
    assert!(
        started.elapsed() < std::time::Duration::from_secs(20),
        "stopped promptly"
    );
    assert_eq!(run.status.code(), Some(1));
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(err.contains("did not finish within 1 s"), "{err}");
    assert_eq!(
        std::fs::read_dir(out.path()).unwrap().count(),
        0,
        "no output"
    );
}
