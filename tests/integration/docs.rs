//! The documentation works as written: every `pactum …` command in a ```sh block of
//! `README.md` and `docs/*.md` runs in a copy of the shipped agreements and succeeds, every
//! link points at a file and heading that exist, and `docs/terms-reference.md` lists every
//! term and part of every template's schema (it is generated from them:
//! `PACTUM_WRITE_DOCS=1 cargo test --test integration -- docs::terms_reference` rewrites it).
//!
//! How a page's commands are run, in order, in a fresh copy of `agreements/` and `templates/`:
//! - `pactum …` runs the binary and must exit 0; when its comment says `exits 1` it may exit 1
//!   too (`diff` when rounds differ, `check` on a problem), never 2 (a usage error) or anything
//!   else (a crash). A comment with `not run:` skips it (say why).
//! - `pactum watch …` must start, render and report that it is watching; then it is stopped.
//! - `cp`, `mkdir` and `openssl` lines run through `sh` and must succeed (they make what later
//!   commands use: a templates folder, a test signing identity); `export NAME=VALUE` sets the
//!   environment of the commands after it. Other lines (`cargo …`, `bash …`) are not run.
//! - A command may use `'…'` and `"…"` quotes, `*` globs, a trailing `\` to continue on the
//!   next line and `> FILE` for its output; other shell syntax (`|`, `&&`, `$`) must be marked
//!   `not run:`.

use crate::common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The pages whose commands are run: the README and every page under `docs/`.
fn pages() -> Vec<PathBuf> {
    let root = common::root();
    let mut pages: Vec<PathBuf> = std::fs::read_dir(root.join("docs"))
        .expect("docs/ exists")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    pages.sort();
    pages.insert(0, root.join("README.md"));
    pages
}

fn shown(page: &Path) -> String {
    page.strip_prefix(common::root())
        .unwrap_or(page)
        .display()
        .to_string()
}

// ---------------------------------------------------------------------------------------------
// Commands

/// One line of a ```sh block, as the test runs it.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    /// `pactum ARGS [> FILE]`.
    Pactum {
        words: Vec<Word>,
        stdout_to: Option<String>,
        may_exit_one: bool,
    },
    /// A helper (`cp`, `mkdir`, `openssl`), run through `sh`.
    Helper(String),
    /// `export NAME=VALUE`.
    Export(String, String),
    /// Marked `not run:`, or a line the test does not run.
    Skip,
    /// A `pactum` line the test cannot run as shown.
    Unsupported(String),
}

/// A word of a command; `glob` when it holds an unquoted `*` or `?`.
#[derive(Debug, Clone, PartialEq)]
struct Word {
    text: String,
    glob: bool,
}

/// Every line of every ```sh block of a page, continuation lines joined, with its line number.
fn sh_lines(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut in_sh = false;
    let mut pending: Option<(usize, String)> = None;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.starts_with("```") {
            in_sh = !in_sh && line == "```sh";
            continue;
        }
        if !in_sh {
            continue;
        }
        let (start, mut joined) = pending.take().unwrap_or((i + 1, String::new()));
        if let Some(head) = line.strip_suffix('\\') {
            joined.push_str(head);
            joined.push(' ');
            pending = Some((start, joined));
        } else {
            joined.push_str(line);
            out.push((start, joined));
        }
    }
    out
}

/// Split a line into the command and its comment (`# …` outside quotes).
fn split_comment(line: &str) -> (&str, &str) {
    let (mut single, mut double) = (false, false);
    let mut prev_space = true;
    for (i, c) in line.char_indices() {
        match c {
            '\'' if !double => single = !single,
            '"' if !single => double = !double,
            '#' if !single && !double && prev_space => return (line[..i].trim(), &line[i..]),
            _ => {}
        }
        prev_space = c.is_whitespace();
    }
    (line.trim(), "")
}

/// Split a command into words as `sh` would, for the little shell syntax the pages use.
/// Returns the words, the file after `>`, or what the test cannot handle.
fn words(command: &str) -> Result<(Vec<Word>, Option<String>), String> {
    let mut out: Vec<Word> = Vec::new();
    let mut redirect = false;
    let mut stdout_to = None;
    let mut word = String::new();
    let (mut started, mut quoted, mut glob) = (false, false, false);
    let mut chars = command.chars().peekable();
    let mut finish = |word: &mut String,
                      started: &mut bool,
                      quoted: &mut bool,
                      glob: &mut bool,
                      redirect: &mut bool|
     -> Result<(), String> {
        if *started {
            if *redirect {
                stdout_to = Some(std::mem::take(word));
                *redirect = false;
            } else {
                out.push(Word {
                    text: std::mem::take(word),
                    glob: *glob && !*quoted,
                });
            }
        }
        *started = false;
        *quoted = false;
        *glob = false;
        Ok(())
    };
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => finish(
                &mut word,
                &mut started,
                &mut quoted,
                &mut glob,
                &mut redirect,
            )?,
            '\'' => {
                started = true;
                quoted = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => word.push(c),
                        None => return Err("an unclosed ' quote".into()),
                    }
                }
            }
            '"' => {
                started = true;
                quoted = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(c @ ('"' | '\\' | '$' | '`')) => word.push(c),
                            Some(c) => {
                                word.push('\\');
                                word.push(c);
                            }
                            None => return Err("an unclosed \" quote".into()),
                        },
                        Some('$' | '`') => return Err("a shell expansion ($ or `)".into()),
                        Some(c) => word.push(c),
                        None => return Err("an unclosed \" quote".into()),
                    }
                }
            }
            '\\' => {
                started = true;
                if let Some(c) = chars.next() {
                    word.push(c);
                }
            }
            '>' => {
                finish(
                    &mut word,
                    &mut started,
                    &mut quoted,
                    &mut glob,
                    &mut redirect,
                )?;
                if chars.peek() == Some(&'>') || chars.peek() == Some(&'&') {
                    return Err("a redirection other than `> FILE`".into());
                }
                redirect = true;
            }
            '|' | '&' | ';' | '<' | '$' | '`' | '(' | ')' => {
                return Err(format!("the shell syntax `{c}`"));
            }
            c => {
                started = true;
                if c == '*' || c == '?' {
                    glob = true;
                }
                word.push(c);
            }
        }
    }
    finish(
        &mut word,
        &mut started,
        &mut quoted,
        &mut glob,
        &mut redirect,
    )?;
    if redirect {
        return Err("`>` without a file".into());
    }
    Ok((out, stdout_to))
}

/// What the test does with one line of a ```sh block.
fn step(line: &str) -> Step {
    let (command, comment) = split_comment(line);
    if command.is_empty() {
        return Step::Skip;
    }
    let first = command.split_whitespace().next().unwrap_or("");
    if first == "pactum" {
        if comment.contains("not run:") {
            return Step::Skip;
        }
        return match words(command) {
            Ok((words, stdout_to)) => Step::Pactum {
                words: words[1..].to_vec(),
                stdout_to,
                may_exit_one: comment.contains("exits 1") || comment.contains("exit 1"),
            },
            Err(why) => Step::Unsupported(why),
        };
    }
    if comment.contains("not run:") {
        return Step::Skip;
    }
    match first {
        "cp" | "mkdir" | "openssl" => Step::Helper(command.to_string()),
        "export" => {
            let assignment = command["export".len()..].trim();
            match assignment.split_once('=') {
                Some((name, value)) => Step::Export(
                    name.to_string(),
                    value.trim_matches(|c| c == '\'' || c == '"').to_string(),
                ),
                None => Step::Skip,
            }
        }
        _ => Step::Skip,
    }
}

/// `*` and `?` in one path segment.
fn matches(pattern: &[char], name: &[char]) -> bool {
    match (pattern.first(), name.first()) {
        (None, None) => true,
        (Some('*'), _) => {
            matches(&pattern[1..], name) || (!name.is_empty() && matches(pattern, &name[1..]))
        }
        (Some('?'), Some(_)) => matches(&pattern[1..], &name[1..]),
        (Some(p), Some(n)) if p == n => matches(&pattern[1..], &name[1..]),
        _ => false,
    }
}

/// A glob relative to `dir`, as `sh` expands it (sorted; the pattern itself if nothing matches).
fn glob(dir: &Path, pattern: &str) -> Vec<String> {
    let mut found = vec![String::new()];
    for segment in pattern.split('/') {
        let mut next = Vec::new();
        for prefix in &found {
            let join = |name: &str| {
                if prefix.is_empty() {
                    name.to_string()
                } else {
                    format!("{prefix}/{name}")
                }
            };
            if !segment.contains(['*', '?']) {
                next.push(join(segment));
                continue;
            }
            let pat: Vec<char> = segment.chars().collect();
            let mut names: Vec<String> = std::fs::read_dir(dir.join(prefix))
                .map(|entries| {
                    entries
                        .flatten()
                        .map(|e| e.file_name().to_string_lossy().into_owned())
                        .filter(|n| !n.starts_with('.'))
                        .filter(|n| matches(&pat, &n.chars().collect::<Vec<_>>()))
                        .collect()
                })
                .unwrap_or_default();
            names.sort();
            next.extend(names.iter().map(|n| join(n)));
        }
        found = next;
    }
    found.retain(|p| dir.join(p).exists());
    if found.is_empty() {
        vec![pattern.to_string()]
    } else {
        found
    }
}

/// A fresh copy of the project's agreements and templates, as the pages expect to find them.
fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for folder in ["agreements", "templates"] {
        std::fs::create_dir_all(dir.path().join(folder)).unwrap();
        common::copy_dir(&common::root().join(folder), &dir.path().join(folder));
    }
    dir
}

fn tail(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(12)..].join("\n")
}

/// `pactum watch …` starts, renders and says it is watching; then it is stopped.
fn run_watch(dir: &Path, args: &[String], env: &BTreeMap<String, String>) -> Result<(), String> {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("pactum"))
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("PACTUM_TEMPLATES")
        .env_remove("PACTUM_FONT_PATH")
        .envs(env)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| e.to_string())?;
    let (stderr, reader) = common::follow_stderr(&mut child);
    let start = Instant::now();
    let result = loop {
        if stderr.lock().unwrap().contains("watching") {
            break Ok(());
        }
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            let _ = reader.join();
            break Err(format!(
                "ended by itself ({status}) before watching:\n{}",
                stderr.lock().unwrap()
            ));
        }
        if start.elapsed() > Duration::from_secs(300) {
            break Err(format!(
                "not watching after 300 s:\n{}",
                stderr.lock().unwrap()
            ));
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let _ = child.kill();
    let _ = child.wait();
    result
}

/// Run one page's steps in order in a fresh workspace; what failed, and how many commands ran.
fn run_page(page: &Path) -> (Vec<String>, usize) {
    let text = std::fs::read_to_string(page).unwrap();
    let dir = workspace();
    let mut env: BTreeMap<String, String> = BTreeMap::new();
    let mut failures = Vec::new();
    let mut ran = 0;
    for (line_no, line) in sh_lines(&text) {
        let here = format!("{}:{line_no}: `{line}`", shown(page));
        match step(&line) {
            Step::Skip => {}
            Step::Unsupported(why) => failures.push(format!(
                "{here}: the test cannot run {why}; write the command plainly, or mark it \
                 `# not run: <why>`"
            )),
            Step::Export(name, value) => {
                env.insert(name, value);
            }
            Step::Helper(command) => {
                let out = Command::new("sh")
                    .args(["-c", &command])
                    .current_dir(dir.path())
                    .envs(&env)
                    .output()
                    .expect("sh runs");
                if !out.status.success() {
                    failures.push(format!(
                        "{here}: failed ({})\n{}",
                        out.status,
                        tail(&out.stderr)
                    ));
                }
            }
            Step::Pactum {
                words,
                stdout_to,
                may_exit_one,
            } => {
                ran += 1;
                let args: Vec<String> = words
                    .iter()
                    .flat_map(|w| {
                        if w.glob {
                            glob(dir.path(), &w.text)
                        } else {
                            vec![w.text.clone()]
                        }
                    })
                    .collect();
                if args.first().map(String::as_str) == Some("watch") {
                    if let Err(why) = run_watch(dir.path(), &args, &env) {
                        failures.push(format!("{here}: {why}"));
                    }
                    continue;
                }
                let out = common::pactum()
                    .current_dir(dir.path())
                    .env_remove("PACTUM_TEMPLATES")
                    .env_remove("PACTUM_FONT_PATH")
                    .env_remove("PACTUM_SIGN_PASSWORD")
                    .envs(&env)
                    .args(&args)
                    .write_stdin("")
                    .timeout(Duration::from_secs(600))
                    .output()
                    .expect("pactum runs");
                let code = out.status.code();
                let ok = code == Some(0) || (may_exit_one && code == Some(1));
                if !ok {
                    let why = match code {
                        Some(1) => "exited 1 (a problem with the input); if the page means \
                                    that, say `exits 1` in the command's comment"
                            .to_string(),
                        Some(2) => "exited 2 (a usage error)".to_string(),
                        Some(c) => format!("exited {c}"),
                        None => "was killed (a crash or a time-out)".to_string(),
                    };
                    failures.push(format!(
                        "{here}: {why}\n{}\n{}",
                        tail(&out.stdout),
                        tail(&out.stderr)
                    ));
                }
                if let Some(file) = stdout_to {
                    std::fs::write(dir.path().join(file), &out.stdout).unwrap();
                }
            }
        }
    }
    (failures, ran)
}

#[test]
fn every_command_in_the_docs_runs_as_shown() {
    let pages = pages();
    let results: Vec<(PathBuf, Vec<String>, usize)> = std::thread::scope(|s| {
        let handles: Vec<_> = pages
            .iter()
            .map(|page| {
                s.spawn(move || {
                    let (failures, ran) = run_page(page);
                    (page.clone(), failures, ran)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let failures: Vec<String> = results.iter().flat_map(|(_, f, _)| f.clone()).collect();
    assert!(
        failures.is_empty(),
        "{} command(s) in the docs do not work as shown:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
    let ran: usize = results.iter().map(|(_, _, n)| n).sum();
    assert!(ran >= 50, "only {ran} pactum commands found in the docs");
    for page in [
        "README.md",
        "docs/first-agreement.md",
        "docs/negotiating-rounds.md",
    ] {
        let n = results
            .iter()
            .find(|(p, _, _)| shown(p) == page)
            .map(|(_, _, n)| *n)
            .unwrap_or(0);
        assert!(n > 0, "{page} has no pactum command the test ran");
    }
}

/// The little shell the test understands, on the forms the pages use.
#[test]
fn commands_are_read_as_sh_reads_them() {
    let w = |t: &str, glob: bool| Word {
        text: t.into(),
        glob,
    };
    assert_eq!(
        step("pactum diff agreements/x --format pdf   # exits 1: the rounds differ"),
        Step::Pactum {
            words: vec![
                w("diff", false),
                w("agreements/x", false),
                w("--format", false),
                w("pdf", false)
            ],
            stdout_to: None,
            may_exit_one: true,
        }
    );
    assert_eq!(
        step("pactum check 'a b.yaml' agreements/*/round-*.yaml > out.txt"),
        Step::Pactum {
            words: vec![
                w("check", false),
                w("a b.yaml", false),
                w("agreements/*/round-*.yaml", true)
            ],
            stdout_to: Some("out.txt".into()),
            may_exit_one: false,
        }
    );
    assert_eq!(
        step("pactum sign x.pdf   # not run: needs an identity"),
        Step::Skip
    );
    assert!(matches!(
        step("pactum batch -j \"$N\""),
        Step::Unsupported(_)
    ));
    assert!(matches!(
        step("pactum render x | less"),
        Step::Unsupported(_)
    ));
    assert_eq!(step("cargo run -- render x"), Step::Skip);
    assert_eq!(
        step("export PACTUM_SIGN_PASSWORD=secret"),
        Step::Export("PACTUM_SIGN_PASSWORD".into(), "secret".into())
    );
    assert_eq!(
        sh_lines("```sh\npactum render \\\n  a.yaml\n```\n```yaml\npactum: x\n```\n"),
        vec![(2, "pactum render  a.yaml".to_string())]
    );
    let dir = workspace();
    let found = glob(dir.path(), "agreements/*/round-*.yaml");
    assert!(found.contains(&"agreements/malmo-kaohsiung/round-3.yaml".to_string()));
    assert!(
        found
            .iter()
            .all(|f| f.starts_with("agreements/") && f.ends_with(".yaml"))
    );
}

// ---------------------------------------------------------------------------------------------
// Links

/// A heading's anchor, as GitHub makes it.
fn anchor(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == ' ' || *c == '-' || *c == '_')
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

fn anchors(text: &str) -> Vec<String> {
    let mut in_code = false;
    let mut out = Vec::new();
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
        } else if !in_code && line.starts_with('#') {
            out.push(anchor(line.trim_start_matches('#')));
        }
    }
    out
}

/// A page without its code: fenced blocks and `code spans` (where `[](#id)` is an example).
fn prose(text: &str) -> String {
    let mut out = String::new();
    let mut in_code = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if !in_code {
            let outside: Vec<&str> = line.split('`').step_by(2).collect();
            out.push_str(&outside.join(" "));
            out.push('\n');
        }
    }
    out
}

#[test]
fn links_in_the_docs_point_at_files_and_headings_that_exist() {
    let mut broken = Vec::new();
    let mut pages = pages();
    pages.push(common::root().join("BENCHMARKS.md"));
    for page in pages {
        let text = prose(&std::fs::read_to_string(&page).unwrap());
        let mut rest = text.as_str();
        while let Some(at) = rest.find("](") {
            rest = &rest[at + 2..];
            let Some(end) = rest.find(')') else { break };
            let target = &rest[..end];
            if target.is_empty() || target.contains("://") || target.starts_with("mailto:") {
                continue;
            }
            let (file, fragment) = target.split_once('#').unwrap_or((target, ""));
            let path = if file.is_empty() {
                page.clone()
            } else {
                page.parent().unwrap().join(file)
            };
            if !path.exists() {
                broken.push(format!("{}: {target} (no such file)", shown(&page)));
                continue;
            }
            if !fragment.is_empty() && path.extension().is_some_and(|x| x == "md") {
                let there = std::fs::read_to_string(&path).unwrap();
                if !anchors(&there).iter().any(|a| a == fragment) {
                    broken.push(format!("{}: {target} (no such heading)", shown(&page)));
                }
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

// ---------------------------------------------------------------------------------------------
// The terms reference

/// One term as `pactum templates <name>` prints it.
#[derive(Debug, Clone, PartialEq)]
struct Term {
    path: String,
    value: String,
    description: String,
}

/// One template as `pactum templates <name>` prints it.
#[derive(Debug)]
struct Schema {
    name: String,
    summary: String,
    parts: Vec<(String, String)>,
    languages: String,
    terms: Vec<Term>,
}

fn stdout(args: &[&str]) -> String {
    let out = common::pactum().args(args).output().unwrap();
    assert!(out.status.success(), "pactum {args:?} failed");
    String::from_utf8(out.stdout).unwrap()
}

/// The templates `pactum templates` lists.
fn template_names() -> Vec<String> {
    let names: Vec<String> = stdout(&["templates"])
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .map(str::to_string)
        .collect();
    assert!(names.len() >= 3, "pactum templates lists {names:?}");
    names
}

/// Read what `pactum templates <name>` prints: a summary, the parts, the languages, then each
/// term's path and value (`parties[].official_name  (text, required)`) with its description
/// indented below.
fn schema(name: &str) -> Schema {
    let text = stdout(&["templates", name]);
    let mut lines = text.lines();
    let first = lines.next().unwrap_or_default();
    let summary = first
        .strip_prefix(&format!("{name}: "))
        .unwrap_or_else(|| panic!("`pactum templates {name}` starts with {first:?}"))
        .to_string();
    let mut schema = Schema {
        name: name.to_string(),
        summary,
        parts: Vec::new(),
        languages: String::new(),
        terms: Vec::new(),
    };
    let mut in_parts = false;
    for line in lines {
        if line.trim().is_empty() {
            continue;
        }
        if line.starts_with("parts (") {
            in_parts = true;
        } else if let Some(languages) = line.strip_prefix("languages: ") {
            in_parts = false;
            schema.languages = languages.to_string();
        } else if in_parts && line.starts_with("  ") {
            let part = line.trim();
            let (id, note) = part.split_once("  (").unwrap_or((part, ""));
            let note = note.strip_suffix(')').unwrap_or(note);
            schema.parts.push((id.to_string(), note.to_string()));
        } else if let Some(description) = line.strip_prefix("    ") {
            let term = schema
                .terms
                .last_mut()
                .unwrap_or_else(|| panic!("a description before any term: {line:?}"));
            if !term.description.is_empty() {
                term.description.push(' ');
            }
            term.description.push_str(description.trim());
        } else {
            let (path, value) = line.split_once("  (").unwrap_or_else(|| {
                panic!("not a term line of `pactum templates {name}`: {line:?}")
            });
            let value = value.strip_suffix(')').unwrap_or(value);
            schema.terms.push(Term {
                path: path.to_string(),
                value: value.to_string(),
                description: String::new(),
            });
        }
    }
    assert!(
        schema.terms.len() >= 10 && !schema.parts.is_empty() && !schema.languages.is_empty(),
        "`pactum templates {name}` was not read: {schema:?}"
    );
    schema
}

/// A table cell: `|` escaped, and `<` outside code spans (so "<party>" is not taken for HTML).
fn cell(text: &str) -> String {
    text.split('`')
        .enumerate()
        .map(|(i, piece)| {
            if i % 2 == 0 {
                piece.replace('<', "&lt;").replace('|', "\\|")
            } else {
                piece.replace('|', "\\|")
            }
        })
        .collect::<Vec<_>>()
        .join("`")
}

/// A part's note as `pactum templates` prints it (`required; when `x` is given; …`), as the
/// reference's two columns: when the part is printed, and the rest.
fn part_note(note: &str) -> (String, String) {
    let (mut when, mut rest) = (Vec::new(), Vec::new());
    for piece in note.split("; ").filter(|p| !p.is_empty()) {
        if piece == "required" {
            rest.push("required: cannot be left out".to_string());
        } else if piece.starts_with("when ") || piece.starts_with("unless ") {
            when.push(piece.to_string());
        } else {
            rest.push(piece.to_string());
        }
    }
    let when = if when.is_empty() {
        "always".to_string()
    } else {
        when.join("; ")
    };
    (when, rest.join("; "))
}

fn term_table(terms: &[&Term]) -> String {
    let mut out = String::from("| Term | Value | What it is |\n|---|---|---|\n");
    for t in terms {
        out.push_str(&format!(
            "| `{}` | {} | {} |\n",
            t.path,
            cell(&t.value),
            cell(&t.description)
        ));
    }
    out
}

/// docs/terms-reference.md, made from the schemas.
fn terms_reference(schemas: &[Schema]) -> String {
    let first = &schemas[0];
    let in_all = |path: &str| {
        schemas
            .iter()
            .all(|s| s.terms.iter().any(|t| t.path == path))
    };
    let same_in_all = |term: &Term| schemas.iter().all(|s| s.terms.contains(term));
    let common: Vec<&Term> = first.terms.iter().filter(|t| same_in_all(t)).collect();
    let differing: Vec<&Term> = first
        .terms
        .iter()
        .filter(|t| in_all(&t.path) && !same_in_all(t))
        .collect();

    let mut out = String::new();
    out.push_str("# Terms reference\n\n");
    out.push_str(
        "<!-- Generated from the templates' schemas (what `pactum templates <name>` prints) by\n     \
         tests/integration/docs.rs. Do not edit by hand: after changing a schema, run\n     \
         PACTUM_WRITE_DOCS=1 cargo test --test integration -- docs::terms_reference -->\n\n",
    );
    out.push_str(
        "Every term a terms file may hold, for each template pactum ships. This page is made \
         from the\ntemplates themselves (it is what `pactum templates <name>` prints), and a \
         test fails when it\nfalls behind them.\n\n",
    );
    out.push_str("How to read the tables:\n\n");
    out.push_str(
        "- **Term** is where the term goes. `parties[].official_name` is the `official_name` of \
         each item\n  of the list `parties`; `term.years` is `years` inside `term`.\n",
    );
    out.push_str(
        "- **Value** says what the value must be (text, a whole number, a date `YYYY-MM-DD`, \
         one of the\n  words listed, a list, a mapping of named terms), whether it is \
         required, and the default\n  used when it is left out. A required term inside an \
         optional one is required only when\n  that one is given.\n",
    );
    out.push_str(
        "- **Text** may be given once for all languages, or once per language: \
         `{sv: …, zh-TW: …, en: …}`.\n",
    );
    out.push_str(
        "- **Parts** are the pieces of the document, by id: the ids that `articles:` and \
         `omit:` name\n  (see [your own articles](own-articles.md)).\n\n",
    );
    let links: Vec<String> = schemas
        .iter()
        .map(|s| format!("[`{}`](#{})", s.name, s.name))
        .collect();
    out.push_str(&format!(
        "The templates: {}. A templates folder of your own (`--templates DIR`) may add \
         others;\n`pactum templates` lists them and `pactum templates <name>` prints their \
         terms.\n\n",
        links.join(", ")
    ));
    out.push_str("## Terms every template takes\n\n");
    out.push_str("These are the same in every template.\n\n");
    out.push_str(&term_table(&common));
    if !differing.is_empty() {
        let names: Vec<String> = differing.iter().map(|t| format!("`{}`", t.path)).collect();
        out.push_str(&format!(
            "\nEvery template also takes {}, each with a description, values or default of its \
             own: see the template below.\n",
            names.join(", ")
        ));
    }
    for s in schemas {
        out.push_str(&format!("\n## `{}`\n\n{}\n\n", s.name, cell(&s.summary)));
        out.push_str(&format!("Languages: {}.\n\n", s.languages));
        out.push_str("### Parts, in order\n\n| Part | Printed | Notes |\n|---|---|---|\n");
        for (id, note) in &s.parts {
            let (printed, notes) = part_note(note);
            out.push_str(&format!(
                "| `{id}` | {} | {} |\n",
                cell(&printed),
                cell(&notes)
            ));
        }
        let own: Vec<&Term> = s.terms.iter().filter(|t| !common.contains(t)).collect();
        out.push_str(&format!(
            "\n### Terms of `{}`\n\nBesides the terms every template takes:\n\n",
            s.name
        ));
        out.push_str(&term_table(&own));
    }
    out
}

fn schemas() -> Vec<Schema> {
    template_names().iter().map(|n| schema(n)).collect()
}

fn reference_path() -> PathBuf {
    common::root().join("docs").join("terms-reference.md")
}

/// The section of the reference under `## heading`, up to the next `## `.
fn section<'a>(text: &'a str, heading: &str) -> &'a str {
    let start = text
        .find(&format!("\n## {heading}\n"))
        .unwrap_or_else(|| panic!("docs/terms-reference.md has no section `## {heading}`"));
    let rest = &text[start + 1..];
    let end = rest[3..].find("\n## ").map_or(rest.len(), |e| e + 3);
    &rest[..end]
}

/// The first cells of a section's table rows (`| `x` | …`).
fn rows(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split_once("` |"))
        .map(|(id, _)| id.to_string())
        .collect()
}

/// Every term path and part that `pactum templates <name>` prints is in the reference, under
/// the common terms or the template's own section, and the reference lists nothing else.
#[test]
fn terms_reference_lists_every_term_of_every_template() {
    let text = std::fs::read_to_string(reference_path()).expect("docs/terms-reference.md exists");
    let schemas = schemas();
    let common = rows(section(&text, "Terms every template takes"));
    let mut problems = Vec::new();
    for s in &schemas {
        let own = rows(section(&text, &format!("`{}`", s.name)));
        for t in &s.terms {
            if !common.contains(&t.path) && !own.contains(&t.path) {
                problems.push(format!("{}: term `{}` is missing", s.name, t.path));
            }
        }
        for (id, _) in &s.parts {
            if !own.contains(id) {
                problems.push(format!("{}: part `{id}` is missing", s.name));
            }
        }
        for row in &own {
            if !s.terms.iter().any(|t| &t.path == row) && !s.parts.iter().any(|(id, _)| id == row) {
                problems.push(format!(
                    "{}: `{row}` is listed but not in the schema",
                    s.name
                ));
            }
        }
    }
    for row in &common {
        if !schemas
            .iter()
            .all(|s| s.terms.iter().any(|t| &t.path == row))
        {
            problems.push(format!("common term `{row}` is not in every template"));
        }
    }
    assert!(
        problems.is_empty(),
        "docs/terms-reference.md has fallen behind the schemas (rewrite it with \
         `PACTUM_WRITE_DOCS=1 cargo test --test integration -- docs::terms_reference`):\n{}",
        problems.join("\n")
    );
}

/// The reference is exactly what the schemas make; `PACTUM_WRITE_DOCS=1` rewrites it.
#[test]
fn terms_reference_is_generated_from_the_schemas() {
    let made = terms_reference(&schemas());
    let path = reference_path();
    if std::env::var_os("PACTUM_WRITE_DOCS").is_some() {
        std::fs::write(&path, &made).unwrap();
        return;
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == made,
        "docs/terms-reference.md differs from what the templates' schemas make; rewrite it \
         with `PACTUM_WRITE_DOCS=1 cargo test --test integration -- docs::terms_reference`"
    );
}
