//! Finding the agreements a batch renders: each folder given is an agreement (it holds
//! `round-N.yaml` files) or a folder of agreements. The list is sorted, so `--shard I/N` picks
//! the same slice on every machine without coordination.

use crate::diagnostic::Kind;
use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::terms::rounds;

/// Agreement folders under the given paths, sorted and without duplicates.
pub fn agreements(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Diagnostic> {
    let mut found = Vec::new();
    for path in paths {
        if !path.is_dir() {
            return Err(
                Diagnostic::new(Kind::Io, path.display().to_string(), "not a folder")
                    .with_hint("pass agreement folders, or a folder of them such as agreements/"),
            );
        }
        if is_agreement(path) {
            found.push(path.clone());
            continue;
        }
        let entries = std::fs::read_dir(path).map_err(|e| {
            Diagnostic::new(
                Kind::Io,
                path.display().to_string(),
                format!("cannot read: {e}"),
            )
        })?;
        found.extend(
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.is_dir() && is_agreement(p)),
        );
    }
    found.sort();
    found.dedup();
    Ok(found)
}

fn is_agreement(dir: &Path) -> bool {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .any(|e| rounds::round_number(&e.path()).is_some())
        })
        .unwrap_or(false)
}

/// A deterministic 1/N slice of a batch: `--shard I/N`, I counted from 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: usize,
    pub count: usize,
}

impl std::str::FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let (i, n) = s
            .split_once('/')
            .ok_or("write the shard as I/N, e.g. 0/4")?;
        let index: usize = i
            .trim()
            .parse()
            .map_err(|_| format!("`{i}` is not a shard index"))?;
        let count: usize = n
            .trim()
            .parse()
            .map_err(|_| format!("`{n}` is not a shard count"))?;
        if count == 0 || index >= count {
            return Err(format!(
                "shard index must be 0..{count} (I counts from 0, as in a Kubernetes Indexed Job)"
            ));
        }
        Ok(Self { index, count })
    }
}

impl Shard {
    /// The items of this shard: every N-th item starting at I.
    pub fn select<T>(self, items: Vec<T>) -> Vec<T> {
        items
            .into_iter()
            .enumerate()
            .filter(|(i, _)| i % self.count == self.index)
            .map(|(_, t)| t)
            .collect()
    }
}
