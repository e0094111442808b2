//! One thin file per subcommand. Each turns parsed arguments into calls on the pipeline and
//! prints results; the exit code comes back to `main`.

mod batch;
mod check;
mod diff;
mod extract;
mod new;
mod render;
mod shell;
mod sign;
mod templates;
mod verify;

use std::io::IsTerminal;

use crate::cli::{Cli, ColorChoice, Command};
use crate::config::Config;
use crate::diagnostic::Report;
use crate::pipeline::Pipeline;
use crate::template::Catalog;

/// What every command gets: the pipeline and whether to colour output.
pub struct Context {
    pub pipeline: Pipeline,
    /// Colour on stderr (diagnostics).
    pub color: bool,
    /// Project defaults from pactum.toml.
    pub config: Config,
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

    /// A template named on the command line, or `None` after reporting why not.
    pub fn template(
        &self,
        name: &str,
        asked_by: &str,
    ) -> Option<std::sync::Arc<crate::template::Template>> {
        let found = self
            .pipeline
            .catalog
            .resolve(name, asked_by)
            .and_then(|n| self.pipeline.template(&n));
        found.map_err(|d| self.report(&d.into())).ok()
    }

    /// Print a report of problems to stderr.
    pub fn report(&self, report: &Report) {
        report.emit(self.color, &mut std::io::stderr().lock());
    }
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
                Some(text) => Report::in_file(vec![d.clone()], &d.file, &text),
                None => d.into(),
            };
            report.emit(color, &mut std::io::stderr().lock());
            return 2;
        }
    };
    let mut catalog = Catalog::builtin();
    for dir in config.templates.iter().chain(&cli.templates) {
        if let Err(d) = catalog.add_dir(dir) {
            Report::from(d).emit(color, &mut std::io::stderr().lock());
            return 2;
        }
    }
    let timeout = std::time::Duration::try_from_secs_f64(cli.timeout)
        .unwrap_or(crate::pipeline::DEFAULT_TIMEOUT);
    let layout = cli.layout.map(|l| match l {
        crate::cli::LayoutChoice::Parallel => "parallel".to_string(),
        crate::cli::LayoutChoice::Consecutive => "consecutive".to_string(),
    });
    let fonts = crate::render::FontSources {
        dirs: cli
            .font_paths
            .iter()
            .filter(|dir| !dir.is_empty())
            .map(std::path::PathBuf::from)
            .chain(config.font_paths.iter().cloned())
            .collect(),
        system: !cli.no_system_fonts,
    };
    let pipeline = Pipeline::new(catalog)
        .with_default_languages(config.languages.clone())
        .with_layout(layout)
        .with_font_sources(fonts)
        .with_timeout(timeout);
    let ctx = Context {
        pipeline,
        color,
        choice: cli.color,
        config,
    };
    match cli.command {
        Command::Check { files, format } => check::run(&ctx, &files, format),
        Command::Render {
            file,
            output,
            emit,
            final_copy,
        } => render::run(&ctx, &file, output.as_deref(), &emit, final_copy),
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
                Err(d) => {
                    ctx.report(&d.into());
                    return 1;
                }
            };
            let jobs =
                jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()));
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
        Command::Verify { pdf, manifest } => verify::run(&ctx, &pdf, manifest.as_deref()),
        Command::Extract { pdf, output, force } => {
            extract::run(&ctx, &pdf, output.as_deref(), force)
        }
        Command::Sign {
            pdf,
            identity,
            output,
            force,
        } => sign::run(&ctx, &pdf, &identity, output.as_deref(), force),
        Command::Templates { name } => templates::run(&ctx, name.as_deref()),
        Command::Schema { template } => templates::schema(&ctx, &template),
        Command::New { template, dir } => new::run(&ctx, &template, &dir),
        Command::Completions { shell } => shell::completions(shell),
        Command::Man => shell::man(),
    }
}

/// `NO_COLOR` is unset or empty (https://no-color.org).
fn no_color_unset() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}
