//! `pactum watch`: render a terms file again on every save, as `typst watch` does.
//!
//! One pipeline lives for the whole session: its fonts are loaded once, and Typst's memo
//! cache (comemo's, the process's) keeps whatever a change did not touch, so a save costs the
//! layout of what changed. The terms file's folder is watched (editors that save by renaming a
//! new file into place are seen too), and with an agreement folder a new round is picked up as
//! it appears. Template folders on disk (`--templates`, pactum.toml) are watched as well: an
//! edit there reads the templates again, keeping the fonts. Every output is written
//! atomically, so a viewer never reads half a file; when a save has problems they are printed
//! and the last good output stays. Ctrl-C ends the session (exit 0) after the render in
//! flight.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use notify::{EventKind, RecursiveMode, Watcher};

use super::render::{Replace, Request, latest_round, write_copies};
use super::{CmdResult, Context, Failure, Outcome};
use crate::cli::DocFormat;
use crate::diagnostic::{Diagnostic, Kind};
use crate::template::Mode;

/// What wakes the loop.
enum Signal {
    Changed(Vec<PathBuf>),
    Stop,
}

/// Saves come in bursts (write, rename, change of mode): what arrives this soon after the
/// first event belongs to the same save.
const SETTLE: Duration = Duration::from_millis(8);

pub fn run(
    ctx: &Context,
    target: &Path,
    output: Option<&Path>,
    format: DocFormat,
    final_copy: bool,
) -> CmdResult {
    let mode = if final_copy { Mode::Final } else { Mode::Draft };
    let (tx, rx) = mpsc::channel();
    let stop = tx.clone();
    ctrlc::set_handler(move || {
        let _ = stop.send(Signal::Stop);
    })
    .map_err(|e| Failure::system(format!("cannot catch Ctrl-C: {e}")))?;
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        if let Ok(event) = res
            && matches!(
                event.kind,
                EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_)
            )
        {
            let _ = tx.send(Signal::Changed(event.paths));
        }
    })
    .map_err(|e| Failure::system(format!("cannot watch files: {e}")))?;

    let folder = if target.is_dir() {
        target.to_path_buf()
    } else {
        match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        }
    };
    let watch = |w: &mut notify::RecommendedWatcher, dir: &Path, mode: RecursiveMode| {
        w.watch(&absolute(dir), mode).map_err(|e| {
            let d = Diagnostic::new(
                Kind::Io,
                dir.display().to_string(),
                format!("cannot watch this folder: {e}"),
            );
            Failure::Setup(d.into())
        })
    };
    watch(&mut watcher, &folder, RecursiveMode::NonRecursive)?;
    let template_dirs: Vec<PathBuf> = ctx.template_dirs.iter().map(|d| absolute(d)).collect();
    for dir in &template_dirs {
        watch(&mut watcher, dir, RecursiveMode::Recursive)?;
    }

    let mut file = latest_round(target)?;
    let mut reloaded: Option<Context> = None;
    render_once(ctx, &file, output, format, mode);
    eprintln!(
        "watching {} for changes (Ctrl-C to stop)",
        if target.is_dir() { target } else { &file }.display()
    );
    while let Ok(signal) = rx.recv() {
        let Signal::Changed(mut paths) = signal else {
            break;
        };
        let mut stopped = false;
        while let Ok(more) = rx.recv_timeout(SETTLE) {
            match more {
                Signal::Changed(p) => paths.extend(p),
                Signal::Stop => stopped = true,
            }
        }
        if stopped {
            break;
        }
        let templates = paths
            .iter()
            .any(|p| template_dirs.iter().any(|d| p.starts_with(d)));
        let terms = paths.iter().any(|p| is_terms(p, target, &file));
        if !templates && !terms {
            continue;
        }
        if templates {
            match super::catalog(&ctx.template_dirs) {
                Ok(catalog) => {
                    reloaded = Some(Context {
                        pipeline: ctx.pipeline.reloaded(catalog),
                        color: ctx.color,
                        config: ctx.config.clone(),
                        template_dirs: ctx.template_dirs.clone(),
                        choice: ctx.choice,
                    });
                }
                Err(d) => {
                    ctx.report(&d.into());
                    continue;
                }
            }
        }
        if target.is_dir()
            && let Ok(latest) = latest_round(target)
            && latest != file
        {
            eprintln!("now watching {}", latest.display());
            file = latest;
        }
        render_once(
            reloaded.as_ref().unwrap_or(ctx),
            &file,
            output,
            format,
            mode,
        );
    }
    eprintln!("stopped watching");
    Ok(Outcome::Done)
}

/// Render once; problems are printed and the last good output stays.
fn render_once(ctx: &Context, file: &Path, output: Option<&Path>, format: DocFormat, mode: Mode) {
    let started = Instant::now();
    let request = Request {
        output,
        format,
        emit: &[],
        mode,
        replace: Replace::Unsigned,
        language: None,
    };
    match write_copies(ctx, file, request, None) {
        Ok(_) => eprintln!("rendered in {} ms", started.elapsed().as_millis()),
        Err(failure) => {
            ctx.report(failure.report());
            eprintln!("not rendered: the last good output stays");
        }
    }
}

/// Whether a changed path is the terms being watched: the file itself, or with an agreement
/// folder any of its rounds (a new one included).
fn is_terms(changed: &Path, target: &Path, file: &Path) -> bool {
    if target.is_dir() {
        let name = changed.file_name().map(|n| n.to_string_lossy());
        changed.parent() == Some(absolute(target).as_path())
            && name.is_some_and(|n| n.starts_with("round-") && n.ends_with(".yaml"))
    } else {
        changed == absolute(file)
    }
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}
