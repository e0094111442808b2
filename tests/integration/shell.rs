//! Shell integration: completions for every shell and the man page mention every subcommand;
//! colours follow `--color` and `NO_COLOR`.

use crate::common;

use clap::CommandFactory;
use common::pactum;

fn subcommands() -> Vec<String> {
    pactum::cli::Cli::command()
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect()
}

#[test]
fn completions_mention_every_subcommand() {
    let names = subcommands();
    assert!(names.len() >= 10, "{names:?}");
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let out = pactum().args(["completions", shell]).output().unwrap();
        assert!(out.status.success(), "{shell}");
        let script = String::from_utf8_lossy(&out.stdout);
        for name in &names {
            assert!(
                script.contains(name.as_str()),
                "{shell} completions lack `{name}`"
            );
        }
    }
}

#[test]
fn man_page_mentions_every_subcommand() {
    let out = pactum().arg("man").output().unwrap();
    assert!(out.status.success());
    let page = String::from_utf8_lossy(&out.stdout);
    assert!(page.starts_with(".ie") || page.contains(".TH"), "roff");
    for name in subcommands() {
        // roff writes a hyphen as `\-`.
        assert!(
            page.contains(&name.replace('-', "\\-")),
            "man page lacks `{name}`"
        );
    }
}

#[test]
fn colours_follow_the_flag_and_no_color() {
    let bad = ["check", "tests/fixtures/yaml-syntax.yaml"];
    let plain = pactum().args(bad).output().unwrap();
    assert!(
        !String::from_utf8_lossy(&plain.stderr).contains('\u{1b}'),
        "NO_COLOR / not a tty: no escapes"
    );
    let forced = pactum().arg("--color=always").args(bad).output().unwrap();
    assert!(
        String::from_utf8_lossy(&forced.stderr).contains('\u{1b}'),
        "--color always"
    );
    let never = pactum()
        .arg("--color=never")
        .args(bad)
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&never.stderr).contains('\u{1b}'));
}
