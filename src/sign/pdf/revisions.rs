//! Where each revision of a PDF ends. lopdf counts the revisions of a file
//! ([`lopdf::Document::revision_count`]) but does not say where each one ends, so the
//! candidates are the `%%EOF` markers: a revision ends at one whose prefix lopdf reads as a
//! complete PDF with its cross-reference chain intact and one revision more than the
//! revision before it, which ends before its cross-reference section begins.
//! Whatever follows the last complete revision, but for white space, is not a revision.

use lopdf::Document;

use super::{Repair, Result, bad, find, guarded, load};

/// `%%EOF` markers tried before giving up (hostile files could hold thousands).
const MAX_CANDIDATES: usize = 64;

/// One complete revision: the document as of it, and where it ends in the file.
pub(crate) struct Revision {
    /// Offset just after its `%%EOF`.
    pub(crate) end: usize,
    /// The same plus the end-of-line marker after it, if any.
    pub(crate) end_with_eol: usize,
    pub(crate) doc: Document,
}

/// The file cut into its revisions, oldest first.
pub(crate) struct Revisions {
    pub(crate) revisions: Vec<Revision>,
    /// Bytes after the last complete revision that are not white space: neither a
    /// revision nor part of one (junk, or a truncated update).
    pub(crate) trailing: usize,
}

/// Every complete revision of `pdf`, oldest first, and what follows the last one.
pub(crate) fn revisions(pdf: &[u8]) -> Result<Revisions> {
    guarded(|| {
        let mut ends = Vec::new();
        let mut from = 0;
        while let Some(at) = find(pdf, b"%%EOF", from) {
            from = at + 5;
            ends.push(from);
            if ends.len() > MAX_CANDIDATES {
                return Err(bad(format!(
                    "it has more than {MAX_CANDIDATES} '%%EOF' markers"
                )));
            }
        }
        // Every prefix that reads as a complete PDF, as written.
        let mut complete: Vec<Revision> = Vec::new();
        for end in ends {
            if let Ok(doc) = load(&pdf[..end], Repair::XrefIntact)
                && doc.xref_recovery.is_none()
            {
                complete.push(Revision {
                    end,
                    end_with_eol: with_eol(pdf, end),
                    doc,
                });
            }
        }
        let Some(last) = complete.pop() else {
            return Err(bad(
                "no revision of it reads as a complete PDF (is it truncated?)",
            ));
        };
        // Walk back from the newest: the revision before one is the latest complete prefix
        // that ends before its cross-reference section and has one revision fewer. (A
        // linearized first revision has two sections, and its `revision_count` is still 1.)
        let mut chain = vec![last];
        loop {
            let newest = &chain[chain.len() - 1];
            if newest.doc.revision_count() == 1 {
                break;
            }
            let at = complete.iter().rposition(|r| {
                r.end_with_eol <= newest.doc.xref_start
                    && r.doc.revision_count() + 1 == newest.doc.revision_count()
            });
            let Some(at) = at else {
                return Err(bad(format!(
                    "revision {} does not follow on from an earlier one that can be read",
                    newest.doc.revision_count()
                )));
            };
            let found = complete.swap_remove(at);
            complete.truncate(at);
            chain.push(found);
        }
        chain.reverse();
        let end = chain[chain.len() - 1].end_with_eol;
        let trailing = pdf[end..]
            .iter()
            .rposition(|b| !b.is_ascii_whitespace() && *b != 0)
            .map_or(0, |p| p + 1);
        Ok(Revisions {
            revisions: chain,
            trailing,
        })
    })
}

/// End of the oldest revision: (offset just after its `%%EOF`, same plus the EOL if any).
pub(crate) fn first_revision_end(pdf: &[u8]) -> Result<(usize, usize)> {
    let all = revisions(pdf)?;
    let first = &all.revisions[0];
    Ok((first.end, first.end_with_eol))
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
