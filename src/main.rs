//! The `pactum` binary: parse arguments, run the command, exit with its code.

use clap::Parser;

fn main() {
    let cli = pactum::cli::Cli::parse();
    std::process::exit(pactum::cmd::run(cli));
}
