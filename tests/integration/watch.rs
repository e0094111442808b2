//! `pactum watch` as a drafter uses it: the first render, a saved change that reaches the PDF
//! within 3 seconds, a save with a mistake that is reported while the last good PDF stays, no
//! temporary file left beside it, and Ctrl-C (a real SIGINT) that ends the session cleanly.

use crate::common;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{pdf_text, squash};

/// A running `pactum watch` and what it has printed on stderr so far.
struct Watch {
    child: Child,
    stderr: Arc<Mutex<String>>,
    /// The thread copying stderr, done once pactum has exited and its stderr is read to the end.
    reader: Option<std::thread::JoinHandle<()>>,
}

impl Watch {
    fn start(terms: &Path, out: &Path) -> Watch {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("pactum"))
            .current_dir(common::root())
            .env("NO_COLOR", "1")
            .arg("watch")
            .arg(terms)
            .arg("-o")
            .arg(out)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let (stderr, reader) = common::follow_stderr(&mut child);
        Watch {
            child,
            stderr,
            reader: Some(reader),
        }
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// All pactum printed on stderr, once it has exited.
    fn all_stderr(&mut self) -> String {
        if let Some(reader) = self.reader.take() {
            reader.join().unwrap();
        }
        self.stderr()
    }

    /// Wait until `ok` holds, at most `limit`; how long it took.
    fn until(&self, limit: Duration, what: &str, ok: impl Fn() -> bool) -> Duration {
        let start = Instant::now();
        while !ok() {
            assert!(
                start.elapsed() < limit,
                "{what} within {limit:?}; stderr:\n{}",
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
        start.elapsed()
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

fn text(pdf: &Path) -> String {
    if pdf.is_file() {
        squash(&pdf_text(pdf))
    } else {
        String::new()
    }
}

#[test]
fn a_saved_change_reaches_the_pdf_and_ctrl_c_ends_the_session() {
    let dir = tempfile::tempdir().unwrap();
    let terms = dir.path().join("round-1.yaml");
    let original = common::shipped("agreements/malmo-kaohsiung/round-3.yaml");
    std::fs::write(&terms, &original).unwrap();
    let out_dir = dir.path().join("out");
    let pdf = out_dir.join("draft.pdf");

    let started = Instant::now();
    let mut watch = Watch::start(&terms, &pdf);
    watch.until(Duration::from_secs(60), "the first render", || {
        watch.stderr().contains("watching") && text(&pdf).contains("Memorandum of Understanding")
    });
    let first = started.elapsed();

    // A saved change reaches the PDF.
    let saved = Instant::now();
    std::fs::write(
        &terms,
        original.replace(
            "title: Memorandum of Understanding",
            "title: Memorandum of Cooperation",
        ),
    )
    .unwrap();
    let took = watch.until(
        Duration::from_secs(3),
        "the saved change in the PDF",
        || text(&pdf).contains("Memorandum of Cooperation"),
    );
    eprintln!("first render {first:?}; a save reached the PDF in {took:?}");
    assert!(saved.elapsed() < Duration::from_secs(3));

    // A save with a mistake: reported with its place, and the last good PDF stays.
    let good = std::fs::read(&pdf).unwrap();
    std::fs::write(&terms, original.replace("round: 3", "round: three")).unwrap();
    watch.until(Duration::from_secs(10), "the mistake reported", || {
        watch.stderr().contains("the last good output stays")
    });
    let err = watch.stderr();
    assert!(
        err.contains("round-1.yaml:"),
        "names the file and line:\n{err}"
    );
    assert!(err.contains("round"), "names the term:\n{err}");
    assert_eq!(
        std::fs::read(&pdf).unwrap(),
        good,
        "the last good PDF stays"
    );

    // Fixed again: rendered again.
    std::fs::write(&terms, &original).unwrap();
    watch.until(Duration::from_secs(10), "the fixed save rendered", || {
        text(&pdf).contains("Memorandum of Understanding")
    });
    let names: Vec<String> = std::fs::read_dir(&out_dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["draft.pdf"], "nothing half-written beside it");

    // Ctrl-C: a real SIGINT, which the session reports ending on.
    Command::new("kill")
        .args(["-INT", &watch.child.id().to_string()])
        .status()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = watch.child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "watch ended on Ctrl-C");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(0), "{status:?}");
    // Printed only when the Ctrl-C handler's message ends the loop (a SIGINT that missed the
    // handler would kill pactum with no exit code at all).
    let err = watch.all_stderr();
    assert_eq!(
        err.lines().last(),
        Some("stopped watching"),
        "the interrupt landed in pactum's handler:\n{err}"
    );
}

#[test]
fn watching_an_agreement_folder_follows_a_new_round() {
    let dir = tempfile::tempdir().unwrap();
    let agreement = dir.path().join("malmo-kaohsiung");
    std::fs::create_dir_all(&agreement).unwrap();
    let round = |n: u32| common::shipped(format!("agreements/malmo-kaohsiung/round-{n}.yaml"));
    std::fs::write(agreement.join("round-2.yaml"), round(2)).unwrap();
    let out = dir.path().join("out");
    let watch = Watch::start(&agreement, &out);
    let pdf2 = out.join("round-2.pdf");
    watch.until(Duration::from_secs(60), "round 2 rendered", || {
        pdf2.is_file()
    });
    assert!(!text(&pdf2).contains("Data protection and confidentiality"));
    // The next round arrives: it is the one watched now.
    std::fs::write(agreement.join("round-3.yaml"), round(3)).unwrap();
    let pdf3 = out.join("round-3.pdf");
    watch.until(Duration::from_secs(10), "round 3 rendered", || {
        text(&pdf3).contains("Data protection and confidentiality")
    });
    assert!(
        watch.stderr().contains("now watching"),
        "{}",
        watch.stderr()
    );
}
