//! Signing agreement PDFs as PAdES-B-B (ETSI EN 319 142-1) and reading the
//! signatures back.
//!
//! [`sign_pdf`] appends an incremental update to the PDF (the original bytes stay a
//! byte-for-byte prefix of the result): an invisible signature field on the first
//! page, an `/AcroForm` with `/SigFlags 3`, and a signature dictionary
//! (`/Filter /Adobe.PPKLite`, `/SubFilter /ETSI.CAdES.detached`, `/M`) whose
//! `/Contents` is a detached CMS SignedData over the `/ByteRange` with SHA-256.
//! Nothing here touches the disk: bytes in, bytes out.
//!
//! Layout: `identity` reads PKCS#12 files, `cms` builds and checks the CMS,
//! `pdf` reads PDFs and appends the update (both through `lopdf`), and `audit` accounts
//! for every revision after the render: which signature covers it, and whether what it
//! changes is allowed after signing.
//!
//! A test identity can be made with the OpenSSL 3 CLI:
//!
//! ```sh
//! openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem \
//!     -subj "/CN=Test Signer/O=Lunds kommun" -days 365
//! openssl pkcs12 -export -inkey key.pem -in cert.pem -passout pass:secret -out signer.p12
//! # add -legacy for a 3DES/RC2 file; an expired certificate needs `openssl ca -selfsign
//! # -startdate 20200101000000Z -enddate 20210101000000Z` (x509 -not_after needs 3.4+).
//! ```

mod audit;
mod cms;
mod identity;
mod ltv;
mod net;
mod pdf;
mod pkcs11;
mod report;
mod revocation;
mod signer;
mod tsa;

use std::fmt;

use sha2::{Digest, Sha256};

pub use audit::{Audit, Covered, audit};
pub use identity::{Identity, common_name, organization};
pub use ltv::{RevocationSources, add_validation_data};
pub use pkcs11::TokenKey;
pub use report::{SignatureReport, anchors_from_pem_or_der, report};
pub use revocation::CertificateRevocation;
pub use signer::{Signer, check_valid_at};
pub use tsa::Tsa;

/// Why signing (or reading a signature) failed, worded for the person running pactum.
#[derive(Debug, thiserror::Error)]
pub enum SignError {
    #[error("the identity file is not a PKCS#12 (.p12/.pfx) file")]
    NotPkcs12,
    #[error("the password for the identity file is wrong")]
    WrongPassword,
    #[error(
        "the identity file could not be read ({0}); export it again with OpenSSL or your certificate tool"
    )]
    UnsupportedPkcs12(String),
    #[error("the identity file contains no private key together with its certificate")]
    NoPrivateKey,
    #[error("the identity file contains no certificate")]
    NoCertificate,
    #[error("the certificate in the identity file is damaged")]
    BadCertificate,
    #[error("the private key in the identity file does not belong to its certificate")]
    KeyMismatch,
    #[error(
        "the identity file holds a key pactum cannot sign with ({0}); use an RSA (2048 bits or more) or ECDSA P-256 key"
    )]
    UnsupportedKey(String),
    #[error(
        "the certificate of {subject} expired on {not_after}; it cannot sign at {when}. Ask for a renewed certificate"
    )]
    CertificateExpired {
        subject: String,
        not_after: UtcTime,
        when: UtcTime,
    },
    #[error(
        "the certificate of {subject} is not valid until {not_before}; it cannot sign at {when}. Check the computer's clock"
    )]
    CertificateNotYetValid {
        subject: String,
        not_before: UtcTime,
        when: UtcTime,
    },
    #[error("{0} is not a valid date and time")]
    InvalidTime(String),
    #[error("the file is not a PDF")]
    NotPdf,
    #[error("the PDF is damaged or built in a way pactum cannot read: {0}")]
    BadPdf(String),
    #[error("the PDF is encrypted or password-protected; pactum cannot sign it")]
    Encrypted,
    #[error("the PDF is certified against any further change, so it cannot be signed again")]
    CertifiedNoChanges,
    #[error("a signature in the PDF cannot be read")]
    BadSignature,
    #[error("{url} could not be used: {why}; nothing was written")]
    Network { url: String, why: String },
    #[error(
        "the timestamp authority at {url} gave no usable timestamp: {why}; nothing was written"
    )]
    BadTimestamp { url: String, why: String },
    #[error("the PKCS#11 token cannot sign: {0}; nothing was written")]
    Token(String),
    #[error("the validation data cannot be embedded: {0}; nothing was written")]
    BadRevocationData(String),
    #[error("signing failed unexpectedly: {0}")]
    Internal(String),
}

/// A moment in UTC, to the second: the signing time, certificate validity bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UtcTime(jiff::civil::DateTime);

impl UtcTime {
    /// A checked date and time (year 1970–9999).
    pub fn new(
        year: u16,
        month: u8,
        day: u8,
        hour: u8,
        minute: u8,
        second: u8,
    ) -> Result<UtcTime, SignError> {
        let checked = || {
            let part = |n: u8| i8::try_from(n).ok();
            let year = i16::try_from(year)
                .ok()
                .filter(|y| (1970..=9999).contains(y))?;
            let date = jiff::civil::Date::new(year, part(month)?, part(day)?).ok()?;
            let time = jiff::civil::Time::new(part(hour)?, part(minute)?, part(second)?, 0).ok()?;
            Some(UtcTime(date.to_datetime(time)))
        };
        checked().ok_or_else(|| {
            SignError::InvalidTime(format!(
                "{year:04}-{month:02}-{day:02} {hour:02}:{minute:02}:{second:02}"
            ))
        })
    }

    /// The current time from the system clock.
    pub fn now() -> UtcTime {
        let now = jiff::Timestamp::now();
        let second = jiff::Timestamp::from_second(now.as_second()).unwrap_or(now);
        UtcTime(jiff::tz::Offset::UTC.to_datetime(second))
    }

    pub(crate) fn from_der(t: der::DateTime) -> UtcTime {
        UtcTime::new(
            t.year(),
            t.month(),
            t.day(),
            t.hour(),
            t.minutes(),
            t.seconds(),
        )
        .unwrap_or(UtcTime(jiff::civil::date(1970, 1, 1).into()))
    }

    /// The PDF date string, `D:YYYYMMDDHHmmSS+00'00'`.
    fn pdf_date(&self) -> String {
        self.0.strftime("D:%Y%m%d%H%M%S+00'00'").to_string()
    }
}

impl fmt::Display for UtcTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.strftime("%Y-%m-%d %H:%M:%S UTC"))
    }
}

/// Signs `pdf` as PAdES-B-B with `id` at time `when`; returns the original bytes plus
/// the appended signed revision. Refuses a certificate not valid at `when`.
pub fn sign_pdf(
    pdf: &[u8],
    id: &Identity,
    when: UtcTime,
    reason: Option<&str>,
) -> Result<Vec<u8>, SignError> {
    let request = Request {
        reason,
        ..Request::at(when)
    };
    sign_with(pdf, id, &request)
}

/// How to sign: when, why, into which field, and whether to timestamp the signature.
pub struct Request<'a> {
    /// The signing time claimed in the signature dictionary's `/M`.
    pub when: UtcTime,
    pub reason: Option<&'a str>,
    /// The signature field's name (` 2`, ` 3`… added when it is taken); `Signature1`,
    /// `Signature2`… when `None`.
    pub field: Option<String>,
    /// Texts (the signatories' names): the widget goes on the last page that shows one of
    /// them, else on the first page.
    pub look_for: Vec<String>,
    /// Gets a signature timestamp (PAdES-B-T) over the signature value.
    pub stamp: Option<&'a Tsa>,
}

impl Request<'_> {
    /// Signing at `when`, into a `Signature<n>` field on the first page, without a timestamp.
    pub fn at(when: UtcTime) -> Self {
        Request {
            when,
            reason: None,
            field: None,
            look_for: Vec::new(),
            stamp: None,
        }
    }

    /// Into the field of the party whose signature block `cert` signs: the party of `terms`
    /// (the YAML a copy attaches) whose signatory the certificate's common name is, or whose
    /// name its organisation is. The field is `Signature <short name>`, on the page of the
    /// block; unchanged (a `Signature<n>` field) when the certificate names no party.
    pub fn in_party_field(mut self, terms: &[u8], cert: &x509_cert::Certificate) -> Self {
        let parties = crate::terms::signers::signing_parties(terms);
        if let Some(party) = crate::terms::signers::party_of(
            &parties,
            common_name(cert).as_deref(),
            organization(cert).as_deref(),
        ) {
            self.field = Some(format!("Signature {}", party.short_name));
            self.look_for = party.people.clone();
        }
        self
    }
}

/// Bytes reserved for a timestamp token (its TSA certificates included).
const TOKEN_ROOM: usize = 12 * 1024;

/// Signs `pdf` as PAdES-B-B (B-T with a stamp) with `signer`, as `request` says; returns the
/// original bytes plus the appended signed revision. Refuses a certificate not valid then.
pub fn sign_with(pdf: &[u8], signer: &dyn Signer, request: &Request) -> Result<Vec<u8>, SignError> {
    check_valid_at(signer.certificate(), request.when)?;
    let pdf_date = request.when.pdf_date();
    let seed = Sha256::new()
        .chain_update(pdf)
        .chain_update(&pdf_date)
        .chain_update(signer.certificate().tbs_certificate.subject.to_string())
        .finalize();
    let mut new_id = [0u8; 16];
    new_id.copy_from_slice(&seed[..16]);
    let plan = pdf::SigPlan {
        kind: pdf::SigKind::Signature {
            pdf_date,
            reason: request.reason,
        },
        field: request.field.as_deref(),
        look_for: &request.look_for,
        contents_len: cms::reserved_len(signer)
            + if request.stamp.is_some() {
                TOKEN_ROOM
            } else {
                0
            },
        new_id,
    };
    let mut prepared = pdf::prepare(pdf, &plan)?;
    let [head, tail] = prepared.fix_byte_range()?;
    let digest: [u8; 32] = Sha256::new()
        .chain_update(&prepared.bytes[head])
        .chain_update(&prepared.bytes[tail])
        .finalize()
        .into();
    let signature = cms::sign_detached(signer, &digest, request.stamp)?;
    prepared.finish(&signature)
}

/// Adds a document timestamp (PAdES-B-LTA's, `/Type /DocTimeStamp`) over the whole of `pdf`:
/// a token from `tsa` over the new revision's signed bytes.
pub fn timestamp_pdf(pdf: &[u8], tsa: &Tsa) -> Result<Vec<u8>, SignError> {
    let seed = Sha256::new()
        .chain_update(pdf)
        .chain_update("DocTimeStamp")
        .finalize();
    let mut new_id = [0u8; 16];
    new_id.copy_from_slice(&seed[..16]);
    let plan = pdf::SigPlan {
        kind: pdf::SigKind::DocTimestamp,
        field: Some("Timestamp"),
        look_for: &[],
        contents_len: TOKEN_ROOM,
        new_id,
    };
    let mut prepared = pdf::prepare(pdf, &plan)?;
    let [head, tail] = prepared.fix_byte_range()?;
    let token = tsa.stamp_bytes(&[&prepared.bytes[head], &prepared.bytes[tail]])?;
    prepared.finish(&token)
}

/// One signature found in a PDF, and what checking it against the file found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedRevision {
    /// The signature field's name, e.g. `Signature1`.
    pub field_name: String,
    /// Length of the prefix of the file that the signature covers (its revision, up to
    /// and including its `%%EOF` line); 0 when the `/ByteRange` is unusable.
    pub revision_len: usize,
    /// The signer certificate's subject (RFC 4514), if the CMS names one it carries.
    pub signer: Option<String>,
    /// The `/M` entry as written, e.g. `D:20270101120000+00'00'`.
    pub pdf_date: Option<String>,
    /// `/ByteRange` is `[0 a b c]` and excludes exactly the `/Contents` hex string.
    pub byte_range_ok: bool,
    /// The CMS message digest equals the digest of the `/ByteRange` bytes.
    pub digest_matches: bool,
    /// The signer's public key verifies the CMS signature (trust in the certificate is not checked).
    pub signature_valid: bool,
    /// The DER CMS from `/Contents` (zero-padded), read again for the report.
    pub(crate) contents: Vec<u8>,
}

impl SignedRevision {
    /// The covered bytes are unchanged since signing.
    pub fn is_intact(&self) -> bool {
        self.byte_range_ok && self.digest_matches && self.signature_valid
    }
}

/// Every signature in the PDF's signature fields, ordered by the revision it covers.
pub fn signed_revisions(pdf: &[u8]) -> Result<Vec<SignedRevision>, SignError> {
    let mut out = Vec::new();
    for sig in pdf::signatures(pdf)? {
        let ranges = pdf::check_byte_range(pdf, &sig.byte_range);
        let mut rev = SignedRevision {
            field_name: sig.field_name,
            revision_len: ranges.as_ref().map_or(0, |[_, tail]| tail.end),
            signer: None,
            pdf_date: sig.pdf_date,
            byte_range_ok: ranges.is_some(),
            digest_matches: false,
            signature_valid: false,
            contents: sig.contents.clone(),
        };
        if let Some([head, tail]) = ranges
            && let Ok(found) = cms::inspect(&sig.contents, &[&pdf[head], &pdf[tail]])
        {
            rev.signer = found.signer.map(|c| c.tbs_certificate.subject.to_string());
            rev.digest_matches = found.digest_matches;
            rev.signature_valid = found.signature_valid;
        }
        out.push(rev);
    }
    out.sort_by_key(|r| r.revision_len);
    Ok(out)
}

/// The PDF's first revision: the bytes up to and including the first revision's
/// `%%EOF` and the end-of-line after it, if any (what `pactum render` wrote).
pub fn original_revision(pdf: &[u8]) -> Result<&[u8], SignError> {
    let (_, with_eol) = pdf::first_revision_end(pdf)?;
    Ok(&pdf[..with_eol])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_time() {
        let a = UtcTime::new(2027, 1, 1, 9, 5, 0).unwrap();
        let b = UtcTime::new(2027, 1, 1, 10, 0, 0).unwrap();
        assert!(a < b);
        assert_eq!(a.pdf_date(), "D:20270101090500+00'00'");
        assert_eq!(a.to_string(), "2027-01-01 09:05:00 UTC");
        assert!(matches!(
            UtcTime::new(2027, 2, 29, 0, 0, 0),
            Err(SignError::InvalidTime(_))
        ));
        assert!(UtcTime::new(2028, 2, 29, 23, 59, 59).is_ok());
        for (y, mo, d, h, mi, s) in [(1969, 12, 31, 0, 0, 0), (2027, 1, 1, 24, 0, 0)] {
            assert_eq!(
                UtcTime::new(y, mo, d, h, mi, s).unwrap_err().to_string(),
                format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02} is not a valid date and time")
            );
        }
        assert!(UtcTime::new(2027, 1, 1, 0, 0, 60).is_err());
        assert!(UtcTime::new(2027, 1, 1, 0, 0, 200).is_err());
        assert!(UtcTime::now() > a.min(UtcTime::new(2020, 1, 1, 0, 0, 0).unwrap()));
    }
}
