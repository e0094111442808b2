//! The `pactum` binary: parse arguments, run the command, exit with its code.

use clap::Parser;

/// mimalloc: Typst allocates and frees many small objects, and a render is 5–8 % faster with
/// it than with glibc's allocator (BENCHMARKS.md, "Chinese with pactum's own font").
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    // Die quietly on a closed pipe (`pactum templates x | head`), like other Unix tools,
    // instead of panicking on the failed write.
    #[cfg(unix)]
    // SAFETY: called first thing in main, before any thread exists; SIG_DFL is always valid.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = pactum::cli::Cli::parse();
    std::process::exit(pactum::cmd::run(cli));
}
