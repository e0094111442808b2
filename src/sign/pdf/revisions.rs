//! Where the first revision of a PDF ends: after the `%%EOF` that closes the oldest
//! cross-reference section. lopdf counts the revisions of a file
//! ([`lopdf::Document::revision_count`]) but does not say where each one ends, so
//! the candidates are the `%%EOF` markers, and the first revision is the shortest
//! prefix ending at one that lopdf reads as a complete, intact one-revision PDF.

use super::{Repair, Result, bad, find, guarded, load};

/// `%%EOF` markers tried before giving up (hostile files could hold thousands).
const MAX_CANDIDATES: usize = 64;

/// End of the oldest revision: (offset just after its `%%EOF`, same plus the EOL if any).
pub(crate) fn first_revision_end(pdf: &[u8]) -> Result<(usize, usize)> {
    guarded(|| {
        let doc = load(pdf, Repair::XrefIntact)?;
        let mut ends = Vec::new();
        let mut from = 0;
        while let Some(at) = find(pdf, b"%%EOF", from) {
            from = at + 5;
            ends.push(from);
        }
        if doc.revision_count() == 1 {
            // The whole file is one revision (a linearized file's two sections included):
            // it ends at the last marker, which is the one lopdf read `startxref` from.
            let end = ends.last().ok_or_else(|| bad("no '%%EOF' in the file"))?;
            return Ok((*end, with_eol(pdf, *end)));
        }
        for &end in ends.iter().take(MAX_CANDIDATES) {
            if let Ok(prefix) = load(&pdf[..end], Repair::XrefIntact)
                && prefix.xref_recovery.is_none()
                && prefix.revision_count() == 1
            {
                return Ok((end, with_eol(pdf, end)));
            }
        }
        Err(bad("the end of the first revision cannot be found"))
    })
}

/// `end` plus the end-of-line marker that follows it, if any.
fn with_eol(pdf: &[u8], end: usize) -> usize {
    match pdf.get(end..end.saturating_add(2)) {
        Some(b"\r\n") => end + 2,
        _ => match pdf.get(end) {
            Some(b'\n' | b'\r') => end + 1,
            _ => end,
        },
    }
}
