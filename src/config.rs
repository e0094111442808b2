//! Project configuration: an optional `pactum.toml` in the working folder or any parent (or
//! `--config FILE`) with defaults for the output folder, extra template and font folders and
//! the default languages. Every command works without one; command-line flags win over it.
//!
//! ```toml
//! output = "out"                 # default output folder for render, diff --format pdf, batch
//! templates = ["my-templates"]   # template folders searched before the built-in ones
//! languages = ["sv", "en"]       # languages for terms files that do not set `languages`
//! font_paths = ["fonts"]         # font folders searched before the system's
//! ```

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diagnostic::{Diagnostic, Kind, Location};

/// The file name looked for.
pub const FILE: &str = "pactum.toml";

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Default output folder.
    #[serde(default)]
    pub output: Option<PathBuf>,
    /// Extra template folders (relative to the config file).
    #[serde(default)]
    pub templates: Vec<PathBuf>,
    /// Default `languages` for terms that do not give them.
    #[serde(default)]
    pub languages: Option<Vec<String>>,
    /// Font folders (relative to the config file), searched before the system's.
    #[serde(default)]
    pub font_paths: Vec<PathBuf>,
}

impl Config {
    /// Load `--config FILE`, else the nearest `pactum.toml`, else defaults.
    pub fn load(explicit: Option<&Path>) -> Result<Self, (Diagnostic, Option<String>)> {
        let path = match explicit {
            Some(p) => Some(p.to_path_buf()),
            None => find(&std::env::current_dir().unwrap_or_default()),
        };
        let Some(path) = path else {
            return Ok(Self::default());
        };
        let label = path.display().to_string();
        let text = std::fs::read_to_string(&path).map_err(|e| {
            (
                Diagnostic::new(Kind::Config, &label, format!("cannot read: {e}")),
                None,
            )
        })?;
        let mut config: Config = toml::from_str(&text).map_err(|e| {
            let mut d = Diagnostic::new(Kind::Config, &label, e.message().to_string());
            if let Some(span) = e.span() {
                d = d.at(Location::of_bytes(&text, span));
            }
            (d, Some(text.clone()))
        })?;
        let base = path.parent().unwrap_or(Path::new("."));
        config.templates = config.templates.iter().map(|t| base.join(t)).collect();
        config.output = config.output.map(|o| base.join(o));
        config.font_paths = config.font_paths.iter().map(|f| base.join(f)).collect();
        Ok(config)
    }

    /// The output folder: the flag, else the config, else `out`.
    pub fn output_or(&self, flag: Option<&Path>) -> PathBuf {
        flag.map(Path::to_path_buf)
            .or_else(|| self.output.clone())
            .unwrap_or_else(|| PathBuf::from("out"))
    }
}

fn find(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|d| d.join(FILE))
        .find(|p| p.is_file())
}
