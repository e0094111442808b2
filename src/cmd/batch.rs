//! `pactum batch`: render many agreements, show progress (a bar on a terminal, plain lines
//! otherwise), print a summary with every failure and its reason. Ctrl-C stops after the
//! documents in flight; nothing half-written is left.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use indicatif::{ProgressBar, ProgressStyle};

use super::{CmdResult, Context, Failure, Outcome};
use crate::batch::{self, Entry, Options};

pub fn run(ctx: &Context, dirs: &[PathBuf], opts: &Options) -> CmdResult {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    // A second handler cannot be installed in the same process (tests); ignore that case.
    let _ = ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst));

    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = ProgressBar::new_spinner();
        bar.set_style(
            ProgressStyle::with_template("{spinner} [{elapsed_precise}] {pos} rendered  {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar
    });
    let on_done = |entry: &Entry, n: usize| match &bar {
        Some(bar) => {
            bar.set_position(n as u64);
            bar.set_message(format!("{} {}", entry.status, entry.pdf));
        }
        None => eprintln!("[{n}] {} {}", entry.status, describe(entry)),
    };
    let summary = batch::run(&ctx.pipeline, dirs, opts, &on_done, &stop);
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let summary = summary.map_err(|d| Failure::Setup(d.into()))?;
    let failed: Vec<&Entry> = summary.failures().collect();
    println!(
        "{} rendered, {} skipped (unchanged), {} failed; manifest: {}",
        summary.count("rendered"),
        summary.count("skipped"),
        failed.len(),
        opts.out.join(batch::manifest::FILE).display()
    );
    for entry in &failed {
        eprintln!(
            "failed: {}: {}",
            entry.agreement,
            entry.error.as_deref().unwrap_or("unknown error")
        );
    }
    if stop.load(Ordering::SeqCst) {
        eprintln!("interrupted: the batch stopped early; outputs written so far are complete");
        return Ok(Outcome::Interrupted);
    }
    Ok(if failed.is_empty() {
        Outcome::Done
    } else {
        Outcome::No
    })
}

fn describe(entry: &Entry) -> String {
    match &entry.error {
        Some(e) => format!("{}: {e}", entry.agreement),
        None => entry.pdf.clone(),
    }
}
