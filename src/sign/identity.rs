//! The signer's identity: the private key and certificate chain read from a
//! PKCS#12 (`.p12` / `.pfx`) file, and the few things signing needs from them
//! (subject, validity, raw signatures).

use der::{Decode, Encode};
use pkcs8::{DecodePrivateKey, DecodePublicKey, ObjectIdentifier};
use rsa::signature::{SignatureEncoding, Signer as _};
use rsa::traits::PublicKeyParts;
use sha2::Sha256;
use spki::AlgorithmIdentifierOwned;
use x509_cert::Certificate;

use super::signer::Signer;
use super::{SignError, UtcTime};

const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const SECP256R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
pub(crate) const SHA256_WITH_RSA: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11");
pub(crate) const ECDSA_WITH_SHA256: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2");

enum Key {
    Rsa(Box<rsa::pkcs1v15::SigningKey<Sha256>>, usize),
    P256(p256::ecdsa::SigningKey),
}

/// A private key with its certificate (and any CA certificates that came with it).
pub struct Identity {
    key: Key,
    cert: Certificate,
    chain: Vec<Certificate>,
}

impl std::fmt::Debug for Identity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Identity")
            .field("subject", &self.subject())
            .finish_non_exhaustive()
    }
}

impl Identity {
    /// Opens a PKCS#12 file (OpenSSL 3 default PBES2/AES or `-legacy` 3DES/RC2) with its password.
    pub fn from_pkcs12(der: &[u8], password: &str) -> Result<Identity, SignError> {
        if pkcs12::pfx::Pfx::from_der(der).is_err() {
            return Err(SignError::NotPkcs12);
        }
        let store = p12_keystore::KeyStore::from_pkcs12(der, password).map_err(map_p12_error)?;
        let (_, entry) = store.private_key_chain().ok_or(SignError::NoPrivateKey)?;
        let mut certs = entry
            .chain()
            .iter()
            .map(|c| Certificate::from_der(c.as_der()))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| SignError::BadCertificate)?;
        if certs.is_empty() {
            return Err(SignError::NoCertificate);
        }
        let cert = certs.remove(0);
        let key = Key::from_pkcs8(entry.key(), &cert)?;
        Ok(Identity {
            key,
            cert,
            chain: certs,
        })
    }

    /// The certificate's subject as an RFC 4514 string, e.g. `O=Lunds kommun,CN=Test Signer`.
    pub fn subject(&self) -> String {
        self.cert.tbs_certificate.subject.to_string()
    }

    /// The subject's common name (CN), if the certificate has one.
    pub fn common_name(&self) -> Option<String> {
        common_name(&self.cert)
    }

    /// The first instant the certificate is valid.
    pub fn not_before(&self) -> UtcTime {
        super::signer::validity(&self.cert).0
    }

    /// The last instant the certificate is valid.
    pub fn not_after(&self) -> UtcTime {
        super::signer::validity(&self.cert).1
    }

    /// Refuses a signing time outside the certificate's validity.
    pub fn check_valid_at(&self, when: UtcTime) -> Result<(), SignError> {
        super::signer::check_valid_at(&self.cert, when)
    }
}

impl Signer for Identity {
    fn certificate(&self) -> &Certificate {
        &self.cert
    }

    fn chain(&self) -> &[Certificate] {
        &self.chain
    }

    fn max_signature_len(&self) -> usize {
        match &self.key {
            Key::Rsa(_, bytes) => *bytes,
            Key::P256(_) => 72,
        }
    }

    fn signature_algorithm(&self) -> AlgorithmIdentifierOwned {
        match &self.key {
            Key::Rsa(..) => AlgorithmIdentifierOwned {
                oid: SHA256_WITH_RSA,
                parameters: Some(der::Any::null()),
            },
            Key::P256(_) => AlgorithmIdentifierOwned {
                oid: ECDSA_WITH_SHA256,
                parameters: None,
            },
        }
    }

    fn sign(&self, msg: &[u8]) -> Result<Vec<u8>, SignError> {
        let fail = |e: rsa::signature::Error| SignError::Internal(format!("signing failed: {e}"));
        match &self.key {
            Key::Rsa(k, _) => Ok(k.try_sign(msg).map_err(fail)?.to_vec()),
            Key::P256(k) => {
                let sig: p256::ecdsa::Signature = k.try_sign(msg).map_err(fail)?;
                Ok(sig.to_der().as_bytes().to_vec())
            }
        }
    }
}

impl Key {
    fn from_pkcs8(der: &[u8], cert: &Certificate) -> Result<Key, SignError> {
        let info = pkcs8::PrivateKeyInfo::from_der(der).map_err(|_| SignError::NoPrivateKey)?;
        let spki = cert
            .tbs_certificate
            .subject_public_key_info
            .to_der()
            .map_err(|_| SignError::BadCertificate)?;
        if info.algorithm.oid == RSA_ENCRYPTION {
            let key =
                rsa::RsaPrivateKey::from_pkcs8_der(der).map_err(|_| SignError::NoPrivateKey)?;
            let public = rsa::RsaPublicKey::from_public_key_der(&spki)
                .map_err(|_| SignError::KeyMismatch)?;
            if rsa::RsaPublicKey::from(&key) != public {
                return Err(SignError::KeyMismatch);
            }
            let bits = public.n().bits();
            if bits < 2048 {
                return Err(SignError::UnsupportedKey(format!(
                    "RSA with only {bits} bits"
                )));
            }
            let len = public.size();
            Ok(Key::Rsa(Box::new(rsa::pkcs1v15::SigningKey::new(key)), len))
        } else if info.algorithm.oid == EC_PUBLIC_KEY {
            let curve = info.algorithm.parameters_oid().ok();
            if curve != Some(SECP256R1) {
                return Err(SignError::UnsupportedKey(
                    "an elliptic curve other than P-256".into(),
                ));
            }
            let key = p256::ecdsa::SigningKey::from_pkcs8_der(der)
                .map_err(|_| SignError::NoPrivateKey)?;
            let public = p256::ecdsa::VerifyingKey::from_public_key_der(&spki)
                .map_err(|_| SignError::KeyMismatch)?;
            if *key.verifying_key() != public {
                return Err(SignError::KeyMismatch);
            }
            Ok(Key::P256(key))
        } else {
            Err(SignError::UnsupportedKey(format!(
                "algorithm {}",
                info.algorithm.oid
            )))
        }
    }
}

/// The subject's common name (CN), if the certificate has one.
pub fn common_name(cert: &Certificate) -> Option<String> {
    const CN: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.3");
    subject_attribute(cert, CN)
}

/// The subject's organisation (O), if the certificate names one.
pub fn organization(cert: &Certificate) -> Option<String> {
    const O: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.10");
    subject_attribute(cert, O)
}

fn subject_attribute(cert: &Certificate, oid: ObjectIdentifier) -> Option<String> {
    cert.tbs_certificate
        .subject
        .0
        .iter()
        .flat_map(|rdn| rdn.0.iter())
        .find(|atv| atv.oid == oid)
        .and_then(|atv| {
            der::asn1::Utf8StringRef::try_from(&atv.value)
                .map(|s| s.as_str().to_string())
                .or_else(|_| {
                    der::asn1::PrintableStringRef::try_from(&atv.value)
                        .map(|s| s.as_str().to_string())
                })
                .ok()
        })
}

fn map_p12_error(e: p12_keystore::error::Error) -> SignError {
    use p12_keystore::error::Error as E;
    match e {
        // With a MAC the check fails cleanly; without one, decryption yields garbage.
        E::MacError(_) | E::UnpadError | E::Pkcs5Error(_) => SignError::WrongPassword,
        E::UnsupportedEncryptionScheme | E::UnsupportedMacAlgorithm => {
            SignError::UnsupportedPkcs12(e.to_string())
        }
        other => SignError::UnsupportedPkcs12(other.to_string()),
    }
}
