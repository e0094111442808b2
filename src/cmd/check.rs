//! `pactum check`: validate terms files and print every problem, or `ok`; warn where the
//! free text's register contradicts `legal_status` and where the language versions differ
//! ([`crate::parity`]).

use std::path::PathBuf;

use serde_json::json;

use super::{CmdResult, Context, Outcome};
use crate::cli::Format;
use crate::diagnostic;

pub fn run(ctx: &Context, files: &[PathBuf], format: Format) -> CmdResult {
    if files.is_empty() {
        return templates(ctx, format);
    }
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

/// `pactum check --templates DIR` with no terms file: what each language still lacks, per
/// form (words keys, clause files); exit 1 when anything does.
fn templates(ctx: &Context, format: Format) -> CmdResult {
    if ctx.template_dirs.is_empty() {
        let d = crate::diagnostic::Diagnostic::general(
            crate::diagnostic::Kind::InvalidValue,
            "nothing to check: name a terms file",
        )
        .with_hint("or give --templates DIR to check a templates folder's languages");
        return Err(d.into());
    }
    let gaps = crate::template::packs::gaps(&ctx.pipeline.catalog, "en");
    if format == Format::Json {
        let gaps: Vec<_> = gaps
            .iter()
            .map(|g| json!({"language": g.language, "part": g.part, "missing": g.missing}))
            .collect();
        println!("{}", json!({ "ok": gaps.is_empty(), "missing": gaps }));
    } else if gaps.is_empty() {
        println!("ok: every language has every file each form needs");
    } else {
        for g in &gaps {
            println!("{} lacks, in {}:", g.language, g.part);
            for m in &g.missing {
                println!("  {m}");
            }
        }
    }
    Ok(if gaps.is_empty() {
        Outcome::Done
    } else {
        Outcome::No
    })
}
