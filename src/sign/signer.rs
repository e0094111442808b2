//! What signs: a private key, wherever it lives (a PKCS#12 file read into memory, or a
//! smart card, USB token or HSM behind PKCS#11), with its certificate chain. The CMS is
//! built the same for every kind; only the raw signature comes from the key.

use spki::AlgorithmIdentifierOwned;
use x509_cert::Certificate;

use super::{SignError, UtcTime};

/// A key that signs, and the certificates that name it.
pub trait Signer {
    /// The signer's own certificate.
    fn certificate(&self) -> &Certificate;
    /// The CA certificates that came with it (may be empty).
    fn chain(&self) -> &[Certificate];
    /// The CMS signature algorithm (sha256WithRSAEncryption or ecdsa-with-SHA256).
    fn signature_algorithm(&self) -> AlgorithmIdentifierOwned;
    /// Upper bound of a signature value's length in bytes.
    fn max_signature_len(&self) -> usize;
    /// Signs `msg` (hashed with SHA-256 by the scheme itself).
    fn sign(&self, msg: &[u8]) -> Result<Vec<u8>, SignError>;
}

/// The signer's certificate followed by the rest of the chain.
pub(crate) fn certificates(s: &dyn Signer) -> impl Iterator<Item = &Certificate> {
    std::iter::once(s.certificate()).chain(s.chain().iter())
}

/// The first and last instants a certificate is valid.
pub(crate) fn validity(cert: &Certificate) -> (UtcTime, UtcTime) {
    let v = &cert.tbs_certificate.validity;
    (
        UtcTime::from_der(v.not_before.to_date_time()),
        UtcTime::from_der(v.not_after.to_date_time()),
    )
}

/// Refuses a signing time outside the certificate's validity.
pub fn check_valid_at(cert: &Certificate, when: UtcTime) -> Result<(), SignError> {
    let (not_before, not_after) = validity(cert);
    let subject = super::identity::common_name(cert)
        .unwrap_or_else(|| cert.tbs_certificate.subject.to_string());
    if when < not_before {
        return Err(SignError::CertificateNotYetValid {
            subject,
            not_before,
            when,
        });
    }
    if when > not_after {
        return Err(SignError::CertificateExpired {
            subject,
            not_after,
            when,
        });
    }
    Ok(())
}
