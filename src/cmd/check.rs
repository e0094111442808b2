//! `pactum check`: validate terms files and print every problem, or `ok`; warn where the
//! free text's register contradicts `legal_status` and where the language versions differ
//! ([`crate::parity`]).

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
                // Warnings: printed, the exit code stays 0. The parity check reads the
                // filled document; a template that cannot fill it is an error.
                let mut warnings = crate::terms::register::lint(&loaded.terms);
                match ctx.pipeline.parity(&loaded) {
                    Ok(found) => warnings.extend(found),
                    Err(report) => {
                        failed = true;
                        if format == Format::Human {
                            ctx.report(&report);
                        }
                        results.push(json!({
                            "file": file.display().to_string(),
                            "ok": false,
                            "diagnostics": diagnostic::to_json(&report.diagnostics),
                        }));
                        continue;
                    }
                }
                if format == Format::Human && !warnings.is_empty() {
                    let report = crate::diagnostic::Report::in_file(
                        warnings.clone(),
                        &loaded.terms.file,
                        &loaded.terms.text,
                    );
                    ctx.report(&report);
                }
                if format == Format::Human {
                    println!(
                        "ok: {} ({}, round {})",
                        file.display(),
                        loaded.template.name,
                        loaded.terms.round().unwrap_or(0)
                    );
                }
                results.push(json!({
                    "file": file.display().to_string(),
                    "ok": true,
                    "diagnostics": diagnostic::to_json(&warnings),
                }));
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
