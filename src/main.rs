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
    let code = pactum::cmd::run(cli);
    exit(code)
}

/// Leave without tearing the process down: flush stdout, then end it with `_exit`, so that no
/// exit handler runs. The outputs are written and closed by now; what is left is memory the
/// kernel frees at once, and mimalloc's exit handler would walk and return it page by page
/// (half a millisecond of a 40 ms render).
fn exit(code: i32) -> ! {
    use std::io::Write;
    let _ = std::io::stdout().flush();
    #[cfg(unix)]
    // SAFETY: `_exit` only ends the process; every file pactum writes is complete (written
    // atomically and closed) before `cmd::run` returns, and stdout is flushed above.
    unsafe {
        libc::_exit(code)
    }
    #[cfg(not(unix))]
    std::process::exit(code)
}
