//! `pactum check`: validate terms files and print every problem, or `ok`.

use std::path::PathBuf;

use serde_json::json;

use super::{CmdResult, Context, Outcome};
use crate::cli::Format;
use crate::diagnostic;

pub fn run(ctx: &Context, files: &[PathBuf], format: Format) -> CmdResult {
    let mut failed = false;
    let mut results = Vec::new();
    for file in files {
        match ctx.pipeline.load(file) {
            Ok(loaded) => {
                if format == Format::Human {
                    println!(
                        "ok: {} ({}, round {})",
                        file.display(),
                        loaded.template.name,
                        loaded.terms.round().unwrap_or(0)
                    );
                }
                results.push(
                    json!({"file": file.display().to_string(), "ok": true, "diagnostics": []}),
                );
            }
            Err(report) => {
                failed = true;
                if format == Format::Human {
                    ctx.report(&report);
                    eprintln!(
                        "{}: {} problem(s)",
                        file.display(),
                        report.diagnostics.len()
                    );
                }
                results.push(json!({
                    "file": file.display().to_string(),
                    "ok": false,
                    "diagnostics": diagnostic::to_json(&report.diagnostics),
                }));
            }
        }
    }
    if format == Format::Json {
        println!(
            "{}",
            serde_json::to_string_pretty(&results).unwrap_or_default()
        );
    }
    Ok(if failed { Outcome::No } else { Outcome::Done })
}
