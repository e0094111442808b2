//! Benchmark: diffing two generated ~50-page drafts (200 articles, ~24,000 words) with
//! `pactum::diff::diff_documents` (their document models merged into the redline document, and
//! the clause view read off it), against a baseline run in the same process: one
//! whole-document word diff with `similar` (what a prose diff tool does, without structure).
//!
//! Run: `cargo bench --bench diff` (results go in BENCHMARKS.md).

use std::time::{Duration, Instant};

use std::collections::BTreeMap;

use pactum::diff::{Round, Side, diff_documents};
use pactum::model::{Document, Words, markdown};
use serde_json::json;

/// One generated article: its id, heading and text.
#[derive(Clone)]
struct Clause {
    id: String,
    heading: String,
    text: String,
}

fn english() -> Words {
    serde_yaml_ng::from_str(include_str!("../templates/shared/words/en.yaml")).unwrap()
}

/// The clauses as a one-version document model, read from Markdown as a template's would be.
fn model(clauses: &[Clause], words: &Words) -> Document {
    let text: String = clauses
        .iter()
        .map(|c| format!("# {} {{#{}}}\n\n{}\n\n", c.heading, c.id, c.text))
        .collect();
    markdown::document(&text, "en", words).unwrap()
}

const WORDS: &[&str] = &[
    "the",
    "Participants",
    "will",
    "cooperate",
    "on",
    "green",
    "transition",
    "and",
    "countering",
    "disinformation",
    "within",
    "their",
    "respective",
    "competences",
    "exchange",
    "of",
    "experience",
    "seminars",
    "delegations",
    "costs",
    "each",
    "Participant",
    "bears",
    "its",
    "own",
    "subject",
    "to",
    "budget",
    "annual",
    "review",
    "working",
    "group",
    "climate-friendly",
    "technology",
    "trade",
    "ports",
    "energy",
    "youth",
    "schools",
    "universities",
    "municipal",
    "council",
    "decision",
    "2027",
    "three",
    "years",
    "notice",
    "six",
    "months",
    "written",
    "consent",
    "amendment",
    "in",
    "a",
    "for",
];

/// A small deterministic generator (no dependency, same documents every run).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize
    }
}

fn document(n_clauses: usize, words: usize, seed: u64) -> Vec<Clause> {
    let mut rng = Lcg(seed);
    (0..n_clauses)
        .map(|i| {
            let mut text = String::new();
            for w in 0..words {
                if w > 0 {
                    text.push_str(if w % 40 == 0 { ".\n\n" } else { " " });
                }
                text.push_str(WORDS[rng.next() % WORDS.len()]);
            }
            text.push('.');
            Clause {
                id: format!("article-{i}"),
                heading: format!("Heading {i}"),
                text,
            }
        })
        .collect()
}

/// Round N+1: ~20 light word edits, 3 rewritten paragraphs, 2 inserted and 1 deleted article,
/// 1 moved article.
fn next_round(old: &[Clause]) -> Vec<Clause> {
    let mut new = old.to_vec();
    let mut rng = Lcg(7);
    for k in 0..20 {
        let c = &mut new[(k * 9 + 3) % old.len()];
        let mut words: Vec<String> = c.text.split(' ').map(str::to_string).collect();
        let at = rng.next() % words.len();
        words[at] = "amended".into();
        c.text = words.join(" ");
    }
    for k in 0..3 {
        let c = &mut new[50 + k * 40];
        c.text = document(1, 120, 99 + k as u64)[0].text.clone();
    }
    let moved = new.remove(120);
    new.insert(30, moved);
    new.remove(150);
    for k in 0..2 {
        let mut inserted = document(1, 120, 500 + k)[0].clone();
        inserted.id = format!("inserted-{k}");
        new.insert(80 + k as usize * 50, inserted);
    }
    new
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn time(runs: usize, mut f: impl FnMut()) -> Duration {
    f();
    median(
        (0..runs)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed()
            })
            .collect(),
    )
}

fn main() {
    let old = document(200, 120, 1);
    let new = next_round(&old);
    let words: usize = old.iter().map(|c| c.text.split_whitespace().count()).sum();
    let side = |label: &str| Side {
        label: label.into(),
        round: None,
        date: None,
    };
    let terms = json!({});
    let w = english();
    let notes = BTreeMap::from([("en".to_string(), w.clone())]);
    let (old_doc, new_doc) = (model(&old, &w), model(&new, &w));
    let pactum = time(21, || {
        let d = diff_documents(
            Round {
                side: side("old"),
                terms: &terms,
                doc: &old_doc,
            },
            Round {
                side: side("new"),
                terms: &terms,
                doc: &new_doc,
            },
            &notes,
            None,
        );
        assert!(!d.is_empty());
    });
    let old_text: String = old
        .iter()
        .map(|c| c.text.as_str())
        .collect::<Vec<_>>()
        .join("\n\n");
    let new_text: String = new
        .iter()
        .map(|c| c.text.as_str())
        .collect::<Vec<_>>()
        .join("\n\n");
    let baseline = time(21, || {
        let d = similar::TextDiff::configure()
            .timeout(Duration::from_secs(10))
            .diff_unicode_words(old_text.as_str(), new_text.as_str());
        assert!(d.ratio() < 1.0);
    });
    println!(
        "diff of two generated drafts: {} articles, {words} words each (~50 pages)",
        old.len()
    );
    println!(
        "  pactum diff_documents (model redline, word-level) median of 21: {:.2} ms",
        pactum.as_secs_f64() * 1e3
    );
    println!(
        "  baseline: whole-document similar unicode-word diff, median of 21: {:.2} ms",
        baseline.as_secs_f64() * 1e3
    );
    println!(
        "  ratio pactum / baseline: {:.2}",
        pactum.as_secs_f64() / baseline.as_secs_f64()
    );
}
