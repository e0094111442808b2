//! Batch: render many agreements at once on a bounded pool of worker threads (never rayon's
//! `par_iter`: Typst lays pages out on the global rayon pool, and nesting documents there blows
//! memory), agreements of one kind next to each other, evicting all but the most recent of
//! Typst's memo cache between documents, skipping unchanged inputs, refusing to overwrite a
//! final copy that would change, and recording every output in a manifest. One failing
//! agreement never stops the others.

pub mod discover;
pub mod manifest;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

pub use discover::Shard;
pub use manifest::{Entry, Manifest};

use crate::diagnostic::Diagnostic;
use crate::output::write_atomic;
use crate::pipeline::{Loaded, Pipeline, pdf_name};
use crate::sign::{self, Identity, Signer as _, UtcTime};
use crate::template::Mode;
use crate::terms::rounds;
use crate::terms::settings::CopyId;

/// How to run a batch.
#[derive(Debug, Clone)]
pub struct Options {
    pub out: PathBuf,
    pub round: Option<u32>,
    pub jobs: usize,
    pub mode: Mode,
    pub force: bool,
    pub shard: Option<Shard>,
    /// Sign every final copy with this identity (`--sign ID.p12`).
    pub signer: Option<Arc<Identity>>,
}

/// What a batch did.
#[derive(Debug, Default)]
pub struct Summary {
    pub entries: Vec<Entry>,
}

impl Summary {
    pub fn count(&self, status: &str) -> usize {
        self.entries.iter().filter(|e| e.status == status).count()
    }

    pub fn failures(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(|e| e.status == "failed")
    }
}

/// Typst's memoized results unused for this many documents per worker are evicted.
const EVICT_AGE_PER_WORKER: usize = 3;

/// Render every agreement under `dirs`. `on_done` is called as each output finishes; `stop`
/// (set by Ctrl-C) ends the batch after the documents in flight.
pub fn run(
    pipeline: &Pipeline,
    dirs: &[PathBuf],
    opts: &Options,
    on_done: &(dyn Fn(&Entry, usize) + Sync),
    stop: &AtomicBool,
) -> Result<Summary, Diagnostic> {
    let mut agreements = discover::agreements(dirs)?;
    if let Some(shard) = opts.shard {
        agreements = shard.select(agreements);
    }
    let agreements = by_kind(agreements, opts.round);
    let manifest_path = opts.out.join(manifest::FILE);
    let previous = Manifest::read(&manifest_path)?;
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let results = Mutex::new(Vec::new());
    let workers = opts.jobs.clamp(1, agreements.len().max(1));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(dir) = agreements.get(i) else { break };
                    for entry in render_agreement(pipeline, dir, opts, &previous) {
                        on_done(&entry, done.fetch_add(1, Ordering::SeqCst) + 1);
                        results
                            .lock()
                            .unwrap_or_else(|e| e.into_inner())
                            .push(entry);
                    }
                    // Keep what each worker's last few documents memoized, drop everything
                    // older: memory stays flat however long the batch. Agreements share much
                    // of their layout (more so within a kind, which `by_kind` keeps together),
                    // and a batch mixing rounds and templates ran at twice the speed with
                    // 3 documents per worker than with 1 (BENCHMARKS.md).
                    crate::render::Engine::evict(EVICT_AGE_PER_WORKER * workers);
                }
            });
        }
    });
    let ours = results.into_inner().unwrap_or_else(|e| e.into_inner());
    let mut manifest = Manifest {
        pactum: env!("CARGO_PKG_VERSION").to_string(),
        entries: ours.clone(),
    };
    // Other shards may write the same manifest at the same time (on this machine or another
    // sharing the folder): read what is there now under a lock, add ours, write, unlock.
    let _lock = manifest::lock(&opts.out)?;
    let current = Manifest::read(&manifest_path)?;
    // Keep what an earlier batch (another shard, another round) recorded for other outputs.
    for old in current.entries {
        if old.status != "failed"
            && manifest.find(&old.pdf).is_none()
            && opts.out.join(&old.pdf).is_file()
        {
            manifest.entries.push(old);
        }
    }
    manifest.write(&manifest_path)?;
    // What this batch did, not what the manifest keeps from earlier ones.
    Ok(Summary { entries: ours })
}

/// The order to render in: agreements of one kind (template, languages, layout) next to each
/// other, in discovery order within a kind, so that each is laid out mostly from what Typst
/// memoized for the one before (taken in turn, five kinds ran at half the speed of one kind).
/// Which agreements run, and what each produces, does not change.
fn by_kind(agreements: Vec<PathBuf>, round: Option<u32>) -> Vec<PathBuf> {
    // Reading every round before the first render is the batch's one serial step: read them
    // on every core (plain jobs: a read never waits on another job).
    let mut keyed: Vec<(String, PathBuf)> = agreements
        .into_par_iter()
        .map(|dir| (kind(&dir, round), dir))
        .collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    keyed.into_iter().map(|(_, dir)| dir).collect()
}

/// The kind of the round that will be rendered (empty when it cannot be read: rendering it
/// reports why).
fn kind(dir: &Path, round: Option<u32>) -> String {
    let Ok(round) = rounds::pick(dir, round) else {
        return String::new();
    };
    let Ok(raw) = crate::terms::source::read(&round.path) else {
        return String::new();
    };
    ["template", "languages", "layout"]
        .iter()
        .map(|key| {
            let node = raw.root.as_mapping().and_then(|m| m.get_node(key));
            let mut text = String::new();
            if let Some(node) = node {
                crate::terms::each_text(node, &mut |_, _, s| {
                    text.push_str(s);
                    text.push(',');
                });
            }
            text
        })
        .collect::<Vec<_>>()
        .join("|")
}

/// Render one agreement: one output, or one per party for counterparts of a final copy.
fn render_agreement(
    pipeline: &Pipeline,
    dir: &Path,
    opts: &Options,
    previous: &Manifest,
) -> Vec<Entry> {
    let agreement = rounds::agreement_name(&dir.join("x"));
    let mut base = Entry {
        agreement,
        round: String::new(),
        terms: String::new(),
        terms_sha256: String::new(),
        template: String::new(),
        template_hash: String::new(),
        mode: opts.mode.as_str().into(),
        copy: CopyId::whole(),
        pdf: String::new(),
        pdf_sha256: String::new(),
        fonts: Vec::new(),
        signed_by: None,
        status: "failed".into(),
        error: None,
    };
    let round = match rounds::pick(dir, opts.round) {
        Ok(r) => r,
        Err(d) => return vec![failed(base, d.to_string())],
    };
    base.terms = round.path.display().to_string();
    base.round = round
        .path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    base.pdf = format!("{}/{}.pdf", base.agreement, base.round);
    match std::fs::read(&round.path) {
        Ok(bytes) => base.terms_sha256 = manifest::sha256(&bytes),
        Err(e) => {
            return vec![failed(
                base,
                format!("cannot read {}: {e}", round.path.display()),
            )];
        }
    }
    let loaded = match pipeline.load(&round.path) {
        Ok(l) => l,
        Err(report) => return vec![failed(base, first_problem(&report.diagnostics))],
    };
    // What the copies attach (without the comments, unless kept) is what the record names.
    base.terms_sha256 = manifest::sha256(&loaded.terms.attached(loaded.overrides.keep_comments));
    base.template = loaded.template.name.clone();
    base.template_hash = loaded.template.hash();
    loaded
        .copies(opts.mode, None)
        .into_iter()
        .map(|copy| {
            let mut entry = base.clone();
            entry.pdf = format!(
                "{}/{}",
                entry.agreement,
                pdf_name(&entry.round, opts.mode, &copy)
            );
            entry.copy = copy;
            render_copy(pipeline, &loaded, entry, opts, previous)
        })
        .collect()
}

fn render_copy(
    pipeline: &Pipeline,
    loaded: &Loaded,
    mut entry: Entry,
    opts: &Options,
    previous: &Manifest,
) -> Entry {
    let path = opts.out.join(&entry.pdf);
    // What is on disk matters only when it may be kept (`--force` renders over it).
    let on_disk_bytes = (!opts.force).then(|| std::fs::read(&path).ok()).flatten();
    let on_disk = on_disk_bytes.as_deref().map(manifest::sha256);
    if !opts.force
        && previous.pactum == env!("CARGO_PKG_VERSION")
        && let (Some(old), Some(sha)) = (previous.find(&entry.pdf), &on_disk)
        && old.same_inputs(&entry)
        && old.status != "failed"
        && &old.pdf_sha256 == sha
        && (opts.signer.is_none() || old.signed_by.is_some())
    {
        entry.signed_by = old.signed_by.clone();
        entry.pdf_sha256 = sha.clone();
        entry.fonts = old.fonts.clone();
        entry.status = "skipped".into();
        return entry;
    }
    let rendered = match pipeline.render_copy(loaded, opts.mode, &entry.copy) {
        Ok(r) => r,
        Err(report) => return failed(entry, first_problem(&report.diagnostics)),
    };
    entry.fonts = rendered.fonts.clone();
    if opts.mode == Mode::Final
        && !opts.force
        && let Some(old) = &on_disk_bytes
    {
        // The copy on disk is this render (signed already, if signing is asked for): keep it,
        // unless it was changed after it was rendered or signed.
        let audit = sign::audit(old).ok();
        let signed = audit.as_ref().is_some_and(|a| !a.signatures.is_empty());
        let same = audit
            .as_ref()
            .is_some_and(|a| a.is_original(old, &rendered.pdf));
        if let Some(audit) = audit.as_ref().filter(|a| same && !a.problems.is_empty()) {
            return failed(
                entry,
                format!(
                    "{} exists and was changed after it was rendered: {}; not overwritten \
                     (use --force)",
                    path.display(),
                    audit.problems.join("; ")
                ),
            );
        }
        if same && (signed || opts.signer.is_none()) {
            entry.pdf_sha256 = manifest::sha256(old);
            entry.signed_by = signer_of(old);
            entry.status = "skipped".into();
            return entry;
        }
        if !same {
            return failed(
                entry,
                format!(
                    "FINAL COPY WOULD CHANGE: {} exists with different content; not overwritten (use --force)",
                    path.display()
                ),
            );
        }
    }
    let pdf = match &opts.signer {
        Some(id) if opts.mode == Mode::Final => {
            // Into the field of the party whose signature block the identity signs, as
            // `pactum sign` does: the other party countersigns into its own.
            let terms = loaded.terms.attached(loaded.overrides.keep_comments);
            let request =
                sign::Request::at(UtcTime::now()).in_party_field(&terms, id.certificate());
            match sign::sign_with(&rendered.pdf, id.as_ref(), &request) {
                Ok(signed) => {
                    entry.signed_by = Some(id.subject());
                    signed
                }
                Err(e) => return failed(entry, format!("cannot sign: {e}")),
            }
        }
        _ => rendered.pdf,
    };
    if let Err(d) = write_atomic(&path, &pdf) {
        return failed(entry, d.to_string());
    }
    entry.pdf_sha256 = manifest::sha256(&pdf);
    entry.status = "rendered".into();
    entry
}

/// Who signed a PDF (the first signature's signer), if anyone did.
fn signer_of(pdf: &[u8]) -> Option<String> {
    let signatures = sign::signed_revisions(pdf).ok()?;
    signatures.into_iter().find_map(|s| s.signer)
}

fn failed(mut entry: Entry, reason: String) -> Entry {
    entry.status = "failed".into();
    entry.error = Some(reason);
    entry
}

fn first_problem(diagnostics: &[Diagnostic]) -> String {
    let first = diagnostics
        .first()
        .map(ToString::to_string)
        .unwrap_or_else(|| "failed".into());
    match diagnostics.len() {
        0 | 1 => first,
        n => format!("{first} (and {} more)", n - 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agreement(root: &Path, name: &str, head: &str) -> PathBuf {
        let dir = root.join(name);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("round-1.yaml"), format!("{head}\ntitle: x\n")).unwrap();
        dir
    }

    #[test]
    fn agreements_of_one_kind_run_next_to_each_other_in_their_own_order() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        let thematic = "template: thematic-partnership";
        let twinning = "template: sister-city";
        let trilingual = "template: sister-city\nlanguages: [sv, zh-TW, en]";
        let dirs = vec![
            agreement(root, "a", twinning),
            agreement(root, "b", thematic),
            agreement(root, "c", trilingual),
            agreement(root, "d", twinning),
            agreement(root, "e", thematic),
            root.join("missing"),
        ];
        let names: Vec<String> = by_kind(dirs, None)
            .iter()
            .map(|d| d.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        // Unreadable first (rendering reports it), then grouped by template and languages,
        // keeping their order within a group.
        assert_eq!(names, ["missing", "c", "a", "d", "b", "e"]);
    }
}
