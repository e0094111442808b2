//! Writing results to disk so that nothing half-written is ever left behind: every file is
//! written to a temporary file in the same folder and renamed into place.

use crate::diagnostic::Kind;
use std::io::Write;
use std::path::Path;

use crate::diagnostic::Diagnostic;

/// Write `bytes` to `path` atomically, creating parent folders.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    let fail = |what: &str, e: &dyn std::fmt::Display| {
        Diagnostic::new(
            Kind::Output,
            path.display().to_string(),
            format!("cannot {what}: {e}"),
        )
        .with_hint("check the output folder exists and is writable (-o DIR)")
    };
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if let Some(file) = parent.ancestors().find(|a| a.is_file()) {
        let why = format!("{} is a file, not a folder", file.display());
        return Err(fail("create the output folder", &why));
    }
    std::fs::create_dir_all(parent).map_err(|e| fail("create the output folder", &e))?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".pactum-")
        .suffix(".partial")
        .tempfile_in(parent)
        .map_err(|e| fail("write to the output folder", &e))?;
    tmp.write_all(bytes).map_err(|e| fail("write", &e))?;
    // Temporary files are private (0600); outputs are documents for the office to read.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).map_or(0o644, |m| m.permissions().mode() & 0o777);
        let perms = std::fs::Permissions::from_mode(mode);
        tmp.as_file()
            .set_permissions(perms)
            .map_err(|e| fail("write", &e))?;
    }
    tmp.as_file().sync_all().map_err(|e| fail("write", &e))?;
    tmp.persist(path).map_err(|e| fail("write", &e.error))?;
    Ok(())
}
