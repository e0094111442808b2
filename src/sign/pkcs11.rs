//! A key on a smart card, USB token or HSM, through its PKCS#11 module (`cryptoki`): the
//! token found by its label, the user logged in with the PIN, the private key and its
//! certificate found by their label. The key never leaves the token: the token signs the
//! signed attributes itself (CKM_SHA256_RSA_PKCS or CKM_ECDSA_SHA256).

use std::path::Path;

use cryptoki::context::{CInitializeArgs, Pkcs11};
use cryptoki::error::{Error as P11Error, RvError};
use cryptoki::mechanism::Mechanism;
use cryptoki::object::{Attribute, AttributeType, KeyType, ObjectClass, ObjectHandle};
use cryptoki::session::{Session, UserType};
use cryptoki::types::AuthPin;
use der::Decode;
use spki::AlgorithmIdentifierOwned;
use x509_cert::Certificate;

use super::SignError;
use super::identity::{ECDSA_WITH_SHA256, SHA256_WITH_RSA};
use super::signer::Signer;

/// Certificates read from a token at most, besides the signer's.
const MAX_TOKEN_CERTS: usize = 32;

/// A private key on a PKCS#11 token, with its certificate.
pub struct TokenKey {
    // Dropped before the context: the session is closed, then the module finalized.
    session: Session,
    key: ObjectHandle,
    kind: TokenKeyKind,
    cert: Certificate,
    /// The other certificates on the token (its CA certificates, as a card usually carries).
    chain: Vec<Certificate>,
    _context: Pkcs11,
}

enum TokenKeyKind {
    /// RSA, with the modulus length in bytes.
    Rsa(usize),
    EcP256,
}

impl std::fmt::Debug for TokenKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenKey")
            .field("subject", &self.cert.tbs_certificate.subject.to_string())
            .finish_non_exhaustive()
    }
}

fn token_error(what: &str, e: P11Error) -> SignError {
    SignError::Token(match e {
        P11Error::LibraryLoading(e) => format!("the PKCS#11 module does not load ({e})"),
        P11Error::Pkcs11(RvError::PinIncorrect, _) => "the PIN is wrong".into(),
        P11Error::Pkcs11(RvError::PinLocked, _) => "the token's PIN is locked".into(),
        P11Error::Pkcs11(rv, _) => format!("{what} failed: {rv:?}"),
        other => format!("{what} failed: {other}"),
    })
}

impl TokenKey {
    /// Opens the token labelled `token` in `module`, logs in with `pin`, and finds the key
    /// and certificate labelled `key`.
    pub fn open(module: &Path, token: &str, key: &str, pin: &str) -> Result<TokenKey, SignError> {
        if !module.is_file() {
            return Err(SignError::Token(format!(
                "the PKCS#11 module {} does not exist",
                module.display()
            )));
        }
        let context = Pkcs11::new(module).map_err(|e| token_error("loading the module", e))?;
        context
            .initialize(CInitializeArgs::OsThreads)
            .map_err(|e| token_error("initializing the module", e))?;
        let slots = context
            .get_slots_with_token()
            .map_err(|e| token_error("listing the tokens", e))?;
        let mut labels = Vec::new();
        let mut found = None;
        for slot in slots {
            if let Ok(info) = context.get_token_info(slot) {
                let label = info.label().trim().to_string();
                if label == token {
                    found = Some(slot);
                    break;
                }
                labels.push(label);
            }
        }
        let slot = found.ok_or_else(|| {
            SignError::Token(format!(
                "no token labelled `{token}` (found: {})",
                if labels.is_empty() {
                    "none".to_string()
                } else {
                    labels.join(", ")
                }
            ))
        })?;
        let session = context
            .open_ro_session(slot)
            .map_err(|e| token_error("opening a session", e))?;
        session
            .login(UserType::User, Some(&AuthPin::new(pin.to_string())))
            .map_err(|e| token_error("logging in", e))?;
        let label = Attribute::Label(key.as_bytes().to_vec());
        let find = |class: ObjectClass| {
            session
                .find_objects(&[Attribute::Class(class), label.clone()])
                .map_err(|e| token_error("searching the token", e))
        };
        let private = find(ObjectClass::PRIVATE_KEY)?
            .into_iter()
            .next()
            .ok_or_else(|| {
                SignError::Token(format!("the token holds no private key labelled `{key}`"))
            })?;
        let cert_handle = find(ObjectClass::CERTIFICATE)?
            .into_iter()
            .next()
            .ok_or_else(|| {
                SignError::Token(format!("the token holds no certificate labelled `{key}`"))
            })?;
        let read_cert = |handle: ObjectHandle| -> Result<Certificate, SignError> {
            let der = session
                .get_attributes(handle, &[AttributeType::Value])
                .map_err(|e| token_error("reading a certificate", e))?
                .into_iter()
                .find_map(|a| match a {
                    Attribute::Value(v) => Some(v),
                    _ => None,
                })
                .ok_or(SignError::BadCertificate)?;
            Certificate::from_der(&der).map_err(|_| SignError::BadCertificate)
        };
        let cert = read_cert(cert_handle)?;
        let chain = session
            .find_objects(&[Attribute::Class(ObjectClass::CERTIFICATE)])
            .map_err(|e| token_error("searching the token", e))?
            .into_iter()
            .take(MAX_TOKEN_CERTS)
            .filter(|h| *h != cert_handle)
            .filter_map(|h| read_cert(h).ok())
            .filter(|c| *c != cert)
            .collect();
        let key_type = session
            .get_attributes(private, &[AttributeType::KeyType])
            .map_err(|e| token_error("reading the key", e))?
            .into_iter()
            .find_map(|a| match a {
                Attribute::KeyType(t) => Some(t),
                _ => None,
            });
        let spki = &cert.tbs_certificate.subject_public_key_info;
        let kind = match key_type {
            Some(KeyType::RSA) => {
                let bits = spki.subject_public_key.raw_bytes().len() * 8;
                TokenKeyKind::Rsa(bits / 8)
            }
            Some(KeyType::EC) => TokenKeyKind::EcP256,
            other => {
                return Err(SignError::UnsupportedKey(format!(
                    "a token key of type {other:?}"
                )));
            }
        };
        Ok(TokenKey {
            session,
            key: private,
            kind,
            cert,
            chain,
            _context: context,
        })
    }
}

impl Signer for TokenKey {
    fn certificate(&self) -> &Certificate {
        &self.cert
    }

    fn chain(&self) -> &[Certificate] {
        &self.chain
    }

    fn signature_algorithm(&self) -> AlgorithmIdentifierOwned {
        match self.kind {
            TokenKeyKind::Rsa(_) => AlgorithmIdentifierOwned {
                oid: SHA256_WITH_RSA,
                parameters: Some(der::Any::null()),
            },
            TokenKeyKind::EcP256 => AlgorithmIdentifierOwned {
                oid: ECDSA_WITH_SHA256,
                parameters: None,
            },
        }
    }

    fn max_signature_len(&self) -> usize {
        match self.kind {
            TokenKeyKind::Rsa(n) => n,
            TokenKeyKind::EcP256 => 72,
        }
    }

    fn sign(&self, msg: &[u8]) -> Result<Vec<u8>, SignError> {
        match self.kind {
            TokenKeyKind::Rsa(_) => self
                .session
                .sign(&Mechanism::Sha256RsaPkcs, self.key, msg)
                .map_err(|e| token_error("signing on the token", e)),
            TokenKeyKind::EcP256 => {
                let raw = self
                    .session
                    .sign(&Mechanism::EcdsaSha256, self.key, msg)
                    .map_err(|e| token_error("signing on the token", e))?;
                let sig = p256::ecdsa::Signature::from_slice(&raw)
                    .map_err(|e| SignError::Token(format!("the token's signature: {e}")))?;
                Ok(sig.to_der().as_bytes().to_vec())
            }
        }
    }
}
