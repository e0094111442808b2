//! Where negotiation rounds live: an agreement is a folder of `round-N.yaml` files. Finds the
//! rounds of an agreement in order and the agreement a file belongs to.

use crate::diagnostic::Kind;
use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;

/// One round file of an agreement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Round {
    pub number: u32,
    pub path: PathBuf,
}

/// The round number in a file name `round-N.yaml` (or `.yml`).
pub fn round_number(path: &Path) -> Option<u32> {
    let name = path.file_name()?.to_str()?;
    let stem = name
        .strip_suffix(".yaml")
        .or_else(|| name.strip_suffix(".yml"))?;
    stem.strip_prefix("round-")?.parse().ok()
}

/// All rounds in an agreement folder, in round order.
pub fn rounds(dir: &Path) -> Result<Vec<Round>, Diagnostic> {
    let file = dir.display().to_string();
    let entries = std::fs::read_dir(dir).map_err(|e| {
        Diagnostic::new(
            Kind::Io,
            &file,
            format!("cannot read the agreement folder: {e}"),
        )
    })?;
    let mut rounds: Vec<Round> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter_map(|path| round_number(&path).map(|number| Round { number, path }))
        .collect();
    rounds.sort_by_key(|r| r.number);
    if rounds.is_empty() {
        return Err(Diagnostic::new(
            Kind::NoRounds,
            &file,
            "no round-N.yaml files in this folder",
        )
        .with_hint("an agreement folder holds round-1.yaml, round-2.yaml, ..."));
    }
    Ok(rounds)
}

/// The latest round of an agreement folder, or round `n` when asked.
pub fn pick(dir: &Path, n: Option<u32>) -> Result<Round, Diagnostic> {
    let all = rounds(dir)?;
    match n {
        None => Ok(all
            .last()
            .cloned()
            .expect("rounds() never returns an empty list")),
        Some(n) => all.into_iter().find(|r| r.number == n).ok_or_else(|| {
            Diagnostic::new(
                Kind::NoSuchRound,
                dir.display().to_string(),
                format!("there is no round-{n}.yaml here"),
            )
        }),
    }
}

/// The agreement a terms file belongs to: its folder's name.
pub fn agreement_name(path: &Path) -> String {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    abs.parent()
        .and_then(Path::file_name)
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "agreement".into())
}
