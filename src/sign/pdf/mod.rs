//! Just enough PDF for signing, on top of `lopdf`: lopdf reads the file (the whole
//! cross-reference chain — classic tables, xref streams, object streams, hybrid
//! files — and every object) and writes the incremental update that adds one
//! signature, after the original bytes, which are never touched.
//!
//! What is written here by hand is only what lopdf has no notion of: the
//! fixed-width `/ByteRange` and `/Contents` placeholders and their patching in
//! place (`update`), cutting a file into its revisions (`revisions`), judging what an
//! update changes (`changes`) by who owns each object (`owners`), and the signature-field
//! walk that collects `/ByteRange` and `/Contents` (`fields`).

mod changes;
mod dss;
mod fields;
mod owners;
mod revisions;
mod update;

pub(crate) use changes::{Update, classify};
pub(crate) use dss::{Dss, append as append_dss, read as read_dss};
pub(crate) use fields::{check_byte_range, signatures};
pub(crate) use revisions::{first_revision_end, revisions};
pub(crate) use update::{SigKind, SigPlan, prepare};

use std::panic::{AssertUnwindSafe, catch_unwind};

use lopdf::Document;
use lopdf::xref::XrefRecovery;

use super::SignError;

fn bad(msg: impl Into<String>) -> SignError {
    SignError::BadPdf(msg.into())
}

type Result<T> = std::result::Result<T, SignError>;

/// Nesting limit for the signature-field tree walk.
const MAX_DEPTH: usize = 64;

/// Runs `f`, which reads or writes a PDF through lopdf, turning a panic into
/// [`SignError::BadPdf`]. lopdf does not promise to be panic-free on hostile input
/// (none was seen when fuzzing it with damaged Typst, signed, linearized and
/// object-stream files), and a damaged PDF must give pactum an error, never a crash.
/// Every call into lopdf from this module happens inside `guarded`; nothing that `f`
/// touches outlives it, so no broken state can be observed after a panic. (The panic
/// hook still prints the panic's message.)
fn guarded<T>(f: impl FnOnce() -> Result<T>) -> Result<T> {
    catch_unwind(AssertUnwindSafe(f))
        .unwrap_or_else(|_| Err(bad("the PDF reader gave up on this file (internal error)")))
}

/// How much repair lopdf may do while reading.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Repair {
    /// Anything lopdf can read: enough to look at a file's signatures.
    Any,
    /// The cross-reference chain must be readable as written (a nearby `startxref`
    /// correction is fine, since the update's `/Prev` then names the section lopdf
    /// really read); a file whose table had to be rebuilt by scanning is refused.
    /// Needed to append an update, and to say where a revision ends.
    XrefIntact,
}

/// Loads `data` with lopdf (call inside [`guarded`]). Refuses non-PDFs and
/// encrypted files.
fn load(data: &[u8], repair: Repair) -> Result<Document> {
    // lopdf itself skips junk before `%PDF-`, which would shift every offset.
    if !data.starts_with(b"%PDF-") {
        return Err(SignError::NotPdf);
    }
    let doc = Document::load_mem(data).map_err(|e| match e {
        lopdf::Error::Decryption(_) | lopdf::Error::InvalidPassword => SignError::Encrypted,
        e => bad(e.to_string()),
    })?;
    if doc.trailer.has(b"Encrypt") || doc.encryption_state.is_some() {
        return Err(SignError::Encrypted);
    }
    if repair == Repair::XrefIntact && doc.xref_recovery == Some(XrefRecovery::Reconstructed) {
        return Err(bad(
            "its cross-reference table is damaged (the file may be truncated)",
        ));
    }
    Ok(doc)
}

/// Offset of the first `needle` in `hay` at or after `from`.
fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_non_pdf_and_garbage() {
        let load = |d: &[u8]| guarded(|| load(d, Repair::XrefIntact));
        assert!(matches!(load(b"hello"), Err(SignError::NotPdf)));
        assert!(matches!(
            load(b"%PDF-1.7\n1 0 obj"),
            Err(SignError::BadPdf(_))
        ));
        assert!(matches!(
            load(b"%PDF-1.7\nstartxref\n999999\n%%EOF"),
            Err(SignError::BadPdf(_))
        ));
    }

    #[test]
    fn guarded_turns_panics_into_errors() {
        let r: Result<()> = guarded(|| panic!("boom"));
        assert!(matches!(r, Err(SignError::BadPdf(_))));
    }
}
