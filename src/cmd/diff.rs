//! `pactum diff` and `pactum history`: compare negotiation rounds. Exit codes as diff(1):
//! 0 no differences, 1 differences, 2 trouble.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use super::{CmdResult, Context, Failure, Outcome};
use crate::cli::DiffFormat;
use crate::diagnostic::{Diagnostic, Kind, Report};
use crate::diff::{
    self,
    compare::{Compared, compare},
};
use crate::output::write_atomic;
use crate::terms::rounds;
use crate::write::Format;

/// Which two rounds to compare, as the user gave them.
pub struct Selection<'a> {
    pub first: &'a Path,
    pub second: Option<&'a Path>,
    pub from: Option<u32>,
    pub to: Option<u32>,
    /// Only this language version.
    pub language: Option<&'a str>,
}

pub fn run(ctx: &Context, sel: &Selection, format: DiffFormat, output: Option<&Path>) -> CmdResult {
    let (old, new) = pick(sel).map_err(trouble)?;
    let compared = compare(&ctx.pipeline, &old, &new, sel.language).map_err(trouble)?;
    let diff = &compared.diff;
    match format {
        DiffFormat::Human => {
            let color = ctx.color_stdout();
            diff::terminal::write_terminal(diff, &mut std::io::stdout().lock(), color).map_err(
                |e| {
                    trouble(Diagnostic::general(
                        Kind::Output,
                        format!("cannot write the diff: {e}"),
                    ))
                },
            )?;
        }
        DiffFormat::Json => {
            let text = serde_json::to_string_pretty(&diff::json::to_json(diff)).unwrap_or_default();
            println!("{text}");
        }
        DiffFormat::Pdf => write_redline(ctx, &compared, Format::Pdf, (&old, &new), output)?,
        DiffFormat::Html => write_redline(ctx, &compared, Format::Html, (&old, &new), output)?,
        DiffFormat::Docx => write_redline(ctx, &compared, Format::Docx, (&old, &new), output)?,
    }
    Ok(if diff.is_empty() {
        Outcome::Done
    } else {
        Outcome::No
    })
}

/// `pactum history`: every round with a one-line summary of what changed in it.
pub fn history(ctx: &Context, dir: &Path) -> CmdResult {
    let all = rounds::rounds(dir).map_err(trouble)?;
    let mut previous: Option<PathBuf> = None;
    for round in &all {
        let date = ctx
            .pipeline
            .load(&round.path)
            .ok()
            .and_then(|l| l.terms.date().map(str::to_string));
        let summary = match &previous {
            None => "first round".to_string(),
            Some(prev) => match compare(&ctx.pipeline, prev, &round.path, None) {
                Ok(c) => c.diff.summary_read(),
                Err(report) => {
                    ctx.report(&report);
                    "cannot compare (see above)".to_string()
                }
            },
        };
        println!(
            "round {:<3} {:<10}  {summary}",
            round.number,
            date.unwrap_or_default()
        );
        previous = Some(round.path.clone());
    }
    Ok(Outcome::Done)
}

fn pick(sel: &Selection) -> Result<(PathBuf, PathBuf), Diagnostic> {
    if let Some(second) = sel.second {
        return Ok((sel.first.to_path_buf(), second.to_path_buf()));
    }
    if !sel.first.is_dir() {
        return Err(Diagnostic::new(Kind::Usage, sel.first.display().to_string(), "compare two terms files, or give an agreement folder")
            .with_hint("pactum diff round-1.yaml round-2.yaml, or pactum diff agreements/<name> [--from N --to M]"));
    }
    let all = rounds::rounds(sel.first)?;
    let find = |n: u32| {
        all.iter()
            .find(|r| r.number == n)
            .map(|r| r.path.clone())
            .ok_or_else(|| {
                Diagnostic::new(
                    Kind::NoSuchRound,
                    sel.first.display().to_string(),
                    format!("there is no round-{n}.yaml here"),
                )
            })
    };
    let last = all.last().map_or(1, |r| r.number);
    let to = sel.to.unwrap_or(last);
    let from = match sel.from {
        Some(n) => n,
        None => all
            .iter()
            .rev()
            .map(|r| r.number)
            .find(|n| *n < to)
            .ok_or_else(|| {
                Diagnostic::new(
                    Kind::NoSuchRound,
                    sel.first.display().to_string(),
                    "only one round: nothing to compare with",
                )
            })?,
    };
    Ok((find(from)?, find(to)?))
}

/// The redline as a file: `-o FILE`, or `out/<agreement>/redline-<old>-<new>.<ext>`.
fn write_redline(
    ctx: &Context,
    compared: &Compared,
    format: Format,
    (old, new): (&Path, &Path),
    output: Option<&Path>,
) -> Result<(), Failure> {
    let ident = format!("redline/{}/{}", old.display(), new.display());
    let written = compared
        .redline(&ctx.pipeline, format, &ident)
        .map_err(trouble)?;
    let path = match output {
        Some(p) => p.to_path_buf(),
        None => {
            let agreement = rounds::agreement_name(new);
            let stem = |p: &Path| {
                p.file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default()
            };
            ctx.config.output_or(None).join(agreement).join(format!(
                "redline-{}-{}.{}",
                stem(old),
                stem(new),
                format.extension()
            ))
        }
    };
    write_atomic(&path, written.bytes()).map_err(trouble)?;
    eprintln!("wrote {}", path.display());
    Ok(())
}

/// Trouble comparing (not a difference): diff(1)'s exit 2.
fn trouble(problem: impl Into<Report>) -> Failure {
    Failure::Setup(problem.into())
}

/// Whether stdout gets colour (diff output goes to stdout).
pub fn stdout_is_tty() -> bool {
    std::io::stdout().is_terminal()
}
