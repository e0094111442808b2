//! The batch manifest, `OUTDIR/manifest.json`: per output, which agreement and round it came
//! from, the template and a hash of its files, the sha256 of the terms file and of the PDF, and
//! the fonts (family, variant, sha256 of the file) the PDF was typeset with.
//! Anyone holding a signed PDF can prove which terms it came from (`pactum verify`). The
//! manifest has no timestamps, so the same batch gives the same manifest. Shards writing into
//! one folder merge their entries under a file lock (`.manifest.lock`).

use crate::diagnostic::Kind;
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::diagnostic::Diagnostic;
use crate::output::write_atomic;
use crate::render::FontUse;
use crate::terms::settings::CopyId;

/// The manifest file name inside the output folder.
pub const FILE: &str = "manifest.json";

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Manifest {
    /// pactum version that rendered the outputs.
    pub pactum: String,
    pub entries: Vec<Entry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub agreement: String,
    pub round: String,
    /// The terms file, as given to the batch.
    pub terms: String,
    pub terms_sha256: String,
    pub template: String,
    pub template_hash: String,
    /// `draft` or `final`.
    pub mode: String,
    /// Which copy: the party whose counterpart (`copy_for`), the language whose original
    /// (`language`) it is.
    #[serde(flatten)]
    pub copy: CopyId,
    /// The PDF, relative to the manifest's folder.
    pub pdf: String,
    /// sha256 of the PDF; empty when it failed.
    pub pdf_sha256: String,
    /// The fonts the PDF was typeset with (part of what makes it reproducible).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fonts: Vec<FontUse>,
    /// Who signed the PDF (`batch --final --sign`): the certificate's subject.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed_by: Option<String>,
    /// `rendered`, `skipped` (unchanged) or `failed`.
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl Entry {
    /// Same inputs, same pactum: the output would be the same bytes.
    pub fn same_inputs(&self, other: &Entry) -> bool {
        self.terms_sha256 == other.terms_sha256
            && self.template_hash == other.template_hash
            && self.mode == other.mode
            && self.copy == other.copy
            && self.pdf == other.pdf
    }
}

impl Manifest {
    /// Read a manifest; a missing file is an empty manifest.
    pub fn read(path: &Path) -> Result<Self, Diagnostic> {
        match std::fs::read(path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| {
                Diagnostic::new(
                    Kind::Manifest,
                    path.display().to_string(),
                    format!("not a pactum manifest: {e}"),
                )
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(e) => Err(Diagnostic::new(
                Kind::Io,
                path.display().to_string(),
                format!("cannot read: {e}"),
            )),
        }
    }

    /// Write the manifest atomically, entries sorted by PDF path.
    pub fn write(&mut self, path: &Path) -> Result<(), Diagnostic> {
        self.entries.sort_by(|a, b| a.pdf.cmp(&b.pdf));
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        write_atomic(path, text.as_bytes())
    }

    /// The entry for a PDF (path relative to the manifest's folder).
    pub fn find(&self, pdf: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.pdf == pdf)
    }
}

/// The lock file beside the manifest that shards take while they merge their entries.
pub const LOCK: &str = ".manifest.lock";

/// Take the output folder's manifest lock (an advisory lock on [`LOCK`]), waiting for any
/// other batch that holds it; released when the returned file is dropped.
pub fn lock(out: &Path) -> Result<std::fs::File, Diagnostic> {
    let path = out.join(LOCK);
    let fail = |e: std::io::Error| {
        Diagnostic::new(
            Kind::Output,
            path.display().to_string(),
            format!("cannot lock the manifest: {e}"),
        )
    };
    std::fs::create_dir_all(out).map_err(fail)?;
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(fail)?;
    file.lock().map_err(fail)?;
    Ok(file)
}

/// Lower-case hex sha256 of bytes.
pub fn sha256(bytes: &[u8]) -> String {
    crate::template::hex(&Sha256::digest(bytes))
}
