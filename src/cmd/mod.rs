//! One thin file per subcommand. Each turns parsed arguments into calls on the pipeline,
//! prints results and returns a [`CmdResult`]; [`exit_code`] is the one place that prints a
//! command's problems and turns its result into the process's exit code (as typst-cli's
//! `dispatch` does).

mod batch;
mod check;
mod diff;
mod extract;
mod import;
mod new;
mod render;
mod shell;
mod sign;
mod templates;
mod timestamp;
mod verify;
mod watch;

use std::io::IsTerminal;

use crate::cli::{Cli, ColorChoice, Command};
use crate::config::Config;
use crate::diagnostic::{Diagnostic, Kind, Report};
use crate::pipeline::Pipeline;
use crate::template::{Catalog, Mode};

/// What every command gets: the pipeline and whether to colour output.
pub struct Context {
    pub pipeline: Pipeline,
    /// Colour on stderr (diagnostics).
    pub color: bool,
    /// Project defaults from pactum.toml.
    pub config: Config,
    /// Template folders on disk (pactum.toml's and `--templates`), in the catalogue's order.
    pub template_dirs: Vec<std::path::PathBuf>,
    choice: ColorChoice,
}

impl Context {
    /// Whether output on stdout gets colour.
    pub fn color_stdout(&self) -> bool {
        match self.choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => no_color_unset() && diff::stdout_is_tty(),
        }
    }

    /// A template named on the command line.
    pub fn template(
        &self,
        name: &str,
    ) -> Result<std::sync::Arc<crate::template::Template>, Failure> {
        let found = self
            .pipeline
            .catalog
            .resolve(name, None)
            .and_then(|n| self.pipeline.template(&n));
        Ok(found?)
    }

    /// Print a report of problems to stderr.
    pub fn report(&self, report: &Report) {
        report.emit(self.color, &mut std::io::stderr().lock());
    }
}

/// How a command that ran to its end came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Done as asked: exit 0.
    Done,
    /// An answer that is "no", already printed: the rounds differ (`diff`), MISMATCH
    /// (`verify`), some terms files have problems (`check`), some outputs failed (`batch`):
    /// exit 1.
    No,
    /// `verify`: the terms MATCH, but a signature does not hold (it does not cover its bytes,
    /// or, with `--trust`, it does not chain to an anchor or its certificate was not valid
    /// when it signed): exit 3.
    SignatureInvalid,
    /// Stopped by Ctrl-C after finishing what was in flight: exit 130.
    Interrupted,
}

/// Why a command could not do what it was asked.
#[derive(Debug)]
pub enum Failure {
    /// The input has problems (all of them are in the report): exit 1.
    Input(Report),
    /// The command could not run at all (a usage or set-up problem): exit 2.
    Setup(Report),
}

impl From<Report> for Failure {
    fn from(report: Report) -> Self {
        Failure::Input(report)
    }
}

impl From<crate::diagnostic::Diagnostic> for Failure {
    fn from(d: crate::diagnostic::Diagnostic) -> Self {
        Failure::Input(d.into())
    }
}

impl Failure {
    /// The problems, whichever exit code they lead to.
    pub fn report(&self) -> &Report {
        match self {
            Failure::Input(r) | Failure::Setup(r) => r,
        }
    }

    /// A command line that cannot be carried out (the message names the flag): exit 2.
    pub fn usage(message: impl Into<String>) -> Failure {
        Failure::Setup(Diagnostic::general(Kind::Usage, message).into())
    }

    /// What this machine would not do for the command (watch files, catch Ctrl-C): exit 2.
    pub fn system(message: impl Into<String>) -> Failure {
        Failure::Setup(Diagnostic::general(Kind::Io, message).into())
    }
}

/// What every command returns.
pub type CmdResult = Result<Outcome, Failure>;

/// The one place where a command's result becomes an exit code; its problems go to stderr.
pub fn exit_code(color: bool, result: CmdResult) -> i32 {
    let emit = |report: &Report| report.emit(color, &mut std::io::stderr().lock());
    match result {
        Ok(Outcome::Done) => 0,
        Ok(Outcome::No) => 1,
        Ok(Outcome::SignatureInvalid) => 3,
        Ok(Outcome::Interrupted) => 130,
        Err(Failure::Input(report)) => {
            emit(&report);
            1
        }
        Err(Failure::Setup(report)) => {
            emit(&report);
            2
        }
    }
}

/// The built-in templates, then those in `dirs`.
pub fn catalog(dirs: &[std::path::PathBuf]) -> Result<Catalog, crate::diagnostic::Diagnostic> {
    let mut catalog = Catalog::builtin();
    for dir in dirs {
        catalog.add_dir(dir)?;
    }
    Ok(catalog)
}

/// Run a parsed command line; returns the process exit code.
pub fn run(cli: Cli) -> i32 {
    let color = match cli.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stderr().is_terminal()
        }
    };
    let config = match Config::load(cli.config.as_deref()) {
        Ok(c) => c,
        Err((d, text)) => {
            let report = match text {
                Some(text) => {
                    let file = d.file.clone().unwrap_or_default();
                    Report::in_file(vec![d], &file, &text)
                }
                None => d.into(),
            };
            return exit_code(color, Err(Failure::Setup(report)));
        }
    };
    // `extract --templates DIR` writes a PDF's template files there: no templates are read.
    let extracting = matches!(cli.command, Command::Extract { .. });
    let template_dirs: Vec<std::path::PathBuf> = config
        .templates
        .iter()
        .chain(cli.templates.iter().filter(|_| !extracting))
        .cloned()
        .collect();
    let catalog = match catalog(&template_dirs) {
        Ok(c) => c,
        Err(d) => return exit_code(color, Err(Failure::Setup(d.into()))),
    };
    let timeout = std::time::Duration::try_from_secs_f64(cli.timeout)
        .unwrap_or(crate::pipeline::DEFAULT_TIMEOUT);
    // A templates folder (a language pack) may ship its fonts in `fonts/`: searched after
    // the user's folders, and carried by the copies set in them.
    let pack_fonts: Vec<std::path::PathBuf> = (template_dirs.iter())
        .map(|d| d.join("fonts"))
        .filter(|d| d.is_dir())
        .collect();
    let fonts = crate::render::FontSources {
        dirs: cli
            .font_paths
            .iter()
            .filter(|dir| !dir.is_empty())
            .map(std::path::PathBuf::from)
            .chain(config.font_paths.iter().cloned())
            .chain(pack_fonts.iter().cloned())
            .collect(),
        system: !cli.no_system_fonts,
        carried: pack_fonts,
    };
    let pipeline = Pipeline::new(catalog)
        .with_default_languages(config.languages.clone())
        .with_layout(cli.layout)
        .with_keep_comments(cli.keep_comments)
        .with_font_sources(fonts)
        .with_timeout(timeout);
    let ctx = Context {
        pipeline,
        color,
        choice: cli.color,
        config,
        template_dirs,
    };
    let result = match cli.command {
        Command::Check { files, format } => check::run(&ctx, &files, format),
        Command::Render {
            file,
            output,
            format,
            emit,
            final_copy,
            force,
            language,
        } => render::run(
            &ctx,
            &file,
            render::Request {
                output: output.as_deref(),
                format,
                emit: &emit,
                mode: if final_copy { Mode::Final } else { Mode::Draft },
                replace: if force {
                    render::Replace::Any
                } else {
                    render::Replace::Drafts
                },
                language: language.as_deref(),
            },
        ),
        Command::Watch {
            file,
            output,
            format,
            final_copy,
        } => watch::run(&ctx, &file, output.as_deref(), format, final_copy),
        Command::Diff {
            first,
            second,
            from,
            to,
            format,
            output,
            language,
        } => {
            let sel = diff::Selection {
                first: &first,
                second: second.as_deref(),
                from,
                to,
                language: language.as_deref(),
            };
            diff::run(&ctx, &sel, format, output.as_deref())
        }
        Command::History { dir } => diff::history(&ctx, &dir),
        Command::Import {
            docx,
            into,
            dry_run,
            format,
            force,
        } => import::run(
            &ctx,
            &docx,
            &import::Options {
                into: into.as_deref(),
                dry_run,
                format,
                force,
            },
        ),
        Command::Batch {
            dirs,
            output,
            round,
            jobs,
            final_copy,
            force,
            shard,
            sign,
        } => {
            let signer = match sign.as_deref().map(sign::open_identity).transpose() {
                Ok(id) => id.map(std::sync::Arc::new),
                Err(d) => return exit_code(ctx.color, Err(d.into())),
            };
            // One worker more than the cores: each waits for part of every document (on
            // Typst's pool, for its layout), and the extra one fills that time (a mixed batch
            // of 100 ran 5 % faster on two cores than with one worker a core; BENCHMARKS.md).
            let jobs = jobs
                .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()) + 1);
            let mode = if final_copy {
                crate::template::Mode::Final
            } else {
                crate::template::Mode::Draft
            };
            let opts = crate::batch::Options {
                out: ctx.config.output_or(output.as_deref()),
                round,
                jobs,
                mode,
                force,
                shard,
                signer,
            };
            batch::run(&ctx, &dirs, &opts)
        }
        Command::Verify {
            pdf,
            manifest,
            trust,
            format,
        } => verify::run(
            &ctx,
            &pdf,
            manifest.as_deref(),
            &verify::SignatureChecks { trust, format },
        ),
        Command::Extract { pdf, output, force } => {
            extract::run(&pdf, output.as_deref(), cli.templates.as_deref(), force)
        }
        Command::Sign(args) => sign::run(&args),
        Command::Timestamp {
            pdf,
            tsa,
            output,
            force,
            network_timeout,
        } => timestamp::run(&pdf, &tsa, output.as_deref(), force, network_timeout),
        Command::Templates { name } => templates::run(&ctx, name.as_deref()),
        Command::Schema { template } => templates::schema(&ctx, &template),
        Command::New { template, dir } => new::run(&ctx, &template, &dir),
        Command::NewLanguage { code, from, output } => new::language(&ctx, &code, &from, &output),
        Command::Completions { shell } => shell::completions(shell),
        Command::Man => shell::man(),
    };
    exit_code(ctx.color, result)
}

/// `NO_COLOR` is unset or empty (https://no-color.org).
fn no_color_unset() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}
