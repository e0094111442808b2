//! `pactum completions` and `pactum man`: shell integration generated from the clap model.

use clap::CommandFactory;

use super::{CmdResult, Outcome};
use crate::cli::Cli;
use crate::diagnostic::{Diagnostic, Kind};

pub fn completions(shell: clap_complete::Shell) -> CmdResult {
    clap_complete::generate(shell, &mut Cli::command(), "pactum", &mut std::io::stdout());
    Ok(Outcome::Done)
}

pub fn man() -> CmdResult {
    let page = clap_mangen::Man::new(Cli::command());
    match page.render(&mut std::io::stdout()) {
        Ok(()) => Ok(Outcome::Done),
        Err(e) => {
            let d = Diagnostic::general(Kind::Output, format!("cannot write the man page: {e}"));
            Err(d.into())
        }
    }
}
