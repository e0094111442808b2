//! Accounting for every byte of a signed PDF: which revision each signature covers, what
//! every later revision changes, and whether each change is one PAdES allows after signing
//! (a further signature that covers all before it, a document timestamp, validation data).
//! `verify` reports it and refuses anything else; `sign` refuses to sign such a file.

use std::fmt::Write as _;

use super::pdf::{self, Update};
use super::{SignError, SignedRevision, signed_revisions};

/// What a PDF's revisions hold, and how its signatures cover them.
pub struct Audit {
    /// The number of complete revisions (the render is revision 1).
    pub revisions: usize,
    /// End of the first revision, just after its `%%EOF`, and the same with its line end.
    first_end: (usize, usize),
    /// Every signature, oldest first, with the revision it covers.
    pub signatures: Vec<Covered>,
    /// Revisions 2.. and what each adds, worded for a person ("adds a signature by …").
    updates: Vec<Update>,
    /// What a signature does not allow: each names one problem. Empty when every byte
    /// after the first revision is a signature, a timestamp or validation data.
    pub problems: Vec<String>,
}

/// One signature and the revision it covers (1-based), if its range ends at one.
pub struct Covered {
    pub signature: SignedRevision,
    pub revision: Option<usize>,
}

impl Audit {
    /// The first revision (what `pactum render` wrote), with its line end if any.
    pub fn original<'a>(&self, pdf: &'a [u8]) -> &'a [u8] {
        &pdf[..self.first_end.1]
    }

    /// Whether `rendered` is exactly the first revision. A rendered file that ends right at
    /// `%%EOF` (as Typst's do) also matches when signing added the line break.
    pub fn is_original(&self, pdf: &[u8], rendered: &[u8]) -> bool {
        let (bare, with_eol) = self.first_end;
        (rendered.len() == bare || rendered.len() == with_eol) && pdf.starts_with(rendered)
    }

    /// What `covered` covers, in words: "covers the whole file", or "covers revision 2 of
    /// 3; revision 3 adds a signature by …".
    pub fn coverage(&self, covered: &Covered) -> String {
        let Some(at) = covered.revision else {
            return "covers a range that does not end at a revision".into();
        };
        if at == self.revisions {
            return "covers the whole file".into();
        }
        let mut out = format!("covers revision {at} of {}", self.revisions);
        for later in at + 1..=self.revisions {
            let _ = write!(out, "; revision {later} {}", self.describe(later));
        }
        out
    }

    /// What each revision after the one `covered` covers adds, in words: "revision 3 adds a
    /// signature by …".
    pub fn added_after(&self, covered: &Covered) -> Vec<String> {
        let Some(at) = covered.revision else {
            return Vec::new();
        };
        (at + 1..=self.revisions)
            .map(|later| format!("revision {later} {}", self.describe(later)))
            .collect()
    }

    /// What revision `n` (2 or later) adds.
    fn describe(&self, n: usize) -> String {
        let signer = || {
            self.signatures
                .iter()
                .find(|c| c.revision == Some(n))
                .and_then(|c| c.signature.signer.clone())
                .unwrap_or_else(|| "an unnamed signer".into())
        };
        match &self.updates[n - 2] {
            Update::Signature => format!("adds a signature by {}", signer()),
            Update::DocumentTimestamp => "adds a document timestamp".into(),
            Update::ValidationData => "adds validation data".into(),
            Update::Nothing => "changes nothing".into(),
            Update::Changed(what) => format!("changes {}", what.join(", ")),
        }
    }
}

/// Reads every revision and signature of `pdf` and accounts for what follows each signature.
pub fn audit(pdf: &[u8]) -> Result<Audit, SignError> {
    let split = pdf::revisions(pdf)?;
    let revisions = split.revisions.len();
    let updates: Vec<Update> = split
        .revisions
        .windows(2)
        .map(|pair| pdf::classify(&pair[0].doc, &pair[1].doc))
        .collect();
    let signatures: Vec<Covered> = signed_revisions(pdf)?
        .into_iter()
        .map(|signature| {
            let revision = split
                .revisions
                .iter()
                .position(|r| {
                    signature.revision_len == r.end || signature.revision_len == r.end_with_eol
                })
                .map(|i| i + 1);
            Covered {
                signature,
                revision,
            }
        })
        .collect();
    let first = &split.revisions[0];
    let mut audit = Audit {
        revisions,
        first_end: (first.end, first.end_with_eol),
        signatures,
        updates,
        problems: Vec::new(),
    };
    audit.problems = problems(&audit, split.trailing);
    Ok(audit)
}

fn problems(audit: &Audit, trailing: usize) -> Vec<String> {
    let mut out = Vec::new();
    let newest_signed = audit
        .signatures
        .iter()
        .filter_map(|c| c.revision)
        .max()
        .unwrap_or(0);
    for c in &audit.signatures {
        if c.revision.is_none() {
            out.push(format!(
                "the signature `{}` covers bytes that do not end where a revision ends",
                c.signature.field_name
            ));
        }
    }
    for (i, update) in audit.updates.iter().enumerate() {
        let n = i + 2;
        match update {
            Update::Changed(what) if newest_signed == 0 => out.push(format!(
                "changed after it was rendered (revision {n} of {}): {}",
                audit.revisions,
                what.join(", ")
            )),
            Update::Changed(what) if n > newest_signed => out.push(format!(
                "changed after the last signature (revision {n} of {}): {}",
                audit.revisions,
                what.join(", ")
            )),
            Update::Changed(what) => out.push(format!(
                "revision {n} of {} changes what was rendered or signed before it: {}",
                audit.revisions,
                what.join(", ")
            )),
            Update::Signature | Update::DocumentTimestamp
                if !audit.signatures.iter().any(|c| c.revision == Some(n)) =>
            {
                out.push(format!(
                    "revision {n} adds a signature field whose signature does not cover it"
                ));
            }
            _ => {}
        }
    }
    if trailing > 0 {
        out.push(format!(
            "{trailing} bytes after the end of revision {} are not a complete update: the \
             file was cut short while it was being changed, or something was appended to it",
            audit.revisions
        ));
    }
    out
}
