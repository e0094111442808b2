//! The CMS (PKCS#7) part of a PAdES-B-B signature: building a detached SignedData
//! over a SHA-256 digest with the signed attributes ETSI EN 319 142-1 asks for
//! (content-type, message-digest, ESS signing-certificate-v2; no signing-time, the
//! time goes into the PDF's `/M`), and reading one back to check it.

use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::content_info::{CmsVersion, ContentInfo};
use cms::signed_data::{
    CertificateSet, EncapsulatedContentInfo, SignedData, SignerIdentifier, SignerInfo, SignerInfos,
};
use der::asn1::{ObjectIdentifier, OctetString, SetOfVec};
use der::{Any, Decode, Encode, Sequence};
use pkcs8::DecodePublicKey;
use rsa::signature::Verifier;
use sha2::{Digest, Sha256, Sha384, Sha512};
use spki::AlgorithmIdentifierOwned;
use x509_cert::Certificate;
use x509_cert::attr::Attribute;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::serial_number::SerialNumber;

use super::SignError;
use super::identity::{ECDSA_WITH_SHA256, SHA256_WITH_RSA};
use super::signer::{Signer, certificates};
use super::tsa::Tsa;

const ID_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.1");
const ID_SIGNED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2");
const ID_CONTENT_TYPE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.3");
const ID_MESSAGE_DIGEST: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.4");
const ID_SIGNING_CERTIFICATE_V2: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.47");
const ID_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
const ID_SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.2");
const ID_SHA512: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.3");
/// RFC 3161 `id-ct-TSTInfo`: the content of a timestamp token (a document timestamp).
const ID_CT_TST_INFO: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.1.4");
const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");

/// RFC 5035 `SigningCertificateV2` (the `policies` field is not used).
#[derive(Sequence)]
struct SigningCertificateV2 {
    certs: Vec<EssCertIdV2>,
}

/// RFC 5035 `ESSCertIDv2`; `hashAlgorithm` is omitted because SHA-256 is its DEFAULT.
#[derive(Sequence)]
struct EssCertIdV2 {
    cert_hash: OctetString,
    issuer_serial: IssuerSerial,
}

#[derive(Sequence)]
struct IssuerSerial {
    issuer: Vec<GeneralName>,
    serial_number: SerialNumber,
}

fn internal(e: impl std::fmt::Display) -> SignError {
    SignError::Internal(format!("could not encode the signature: {e}"))
}

fn attribute(oid: ObjectIdentifier, value: Any) -> Result<Attribute, SignError> {
    let values = SetOfVec::try_from(vec![value]).map_err(internal)?;
    Ok(Attribute { oid, values })
}

/// Space to reserve in the PDF for the DER CMS of this identity.
pub(crate) fn reserved_len(id: &dyn Signer) -> usize {
    let certs: usize = certificates(id)
        .map(|c| {
            c.encoded_len()
                .map(|l| u32::from(l) as usize)
                .unwrap_or(8192)
        })
        .sum();
    // Signed attributes (~ issuer name + 100), structure overhead, the signature.
    (certs + 2 * id.max_signature_len() + 4096).max(8192)
}

/// RFC 3161 `id-aa-signatureTimeStampToken`: an unsigned attribute holding a timestamp
/// token over the signature value (PAdES-B-T).
const ID_AA_SIGNATURE_TIME_STAMP_TOKEN: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.14");

/// A DER `ContentInfo` holding a detached SignedData over `digest` (SHA-256 of the ByteRange);
/// with `stamp`, the signature value is timestamped and the token added unsigned.
pub(crate) fn sign_detached(
    id: &dyn Signer,
    digest: &[u8; 32],
    stamp: Option<&Tsa>,
) -> Result<Vec<u8>, SignError> {
    let cert = id.certificate();
    let sha256 = AlgorithmIdentifierOwned {
        oid: ID_SHA256,
        parameters: None,
    };

    let cert_der = cert.to_der().map_err(internal)?;
    let ess = SigningCertificateV2 {
        certs: vec![EssCertIdV2 {
            cert_hash: OctetString::new(Sha256::digest(&cert_der).to_vec()).map_err(internal)?,
            issuer_serial: IssuerSerial {
                issuer: vec![GeneralName::DirectoryName(
                    cert.tbs_certificate.issuer.clone(),
                )],
                serial_number: cert.tbs_certificate.serial_number.clone(),
            },
        }],
    };
    let signed_attrs = SetOfVec::try_from(vec![
        attribute(
            ID_CONTENT_TYPE,
            Any::encode_from(&ID_DATA).map_err(internal)?,
        )?,
        attribute(
            ID_MESSAGE_DIGEST,
            Any::encode_from(&OctetString::new(digest.to_vec()).map_err(internal)?)
                .map_err(internal)?,
        )?,
        attribute(
            ID_SIGNING_CERTIFICATE_V2,
            Any::encode_from(&ess).map_err(internal)?,
        )?,
    ])
    .map_err(internal)?;
    let signature = id.sign(&signed_attrs.to_der().map_err(internal)?)?;

    let signer_info = SignerInfo {
        version: CmsVersion::V1,
        sid: SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
            issuer: cert.tbs_certificate.issuer.clone(),
            serial_number: cert.tbs_certificate.serial_number.clone(),
        }),
        digest_alg: sha256.clone(),
        signed_attrs: Some(signed_attrs),
        signature_algorithm: id.signature_algorithm(),
        unsigned_attrs: match stamp {
            Some(stamp) => {
                let token = stamp.stamp_bytes(&[&signature])?;
                let token = Any::from_der(&token).map_err(internal)?;
                Some(
                    SetOfVec::try_from(vec![attribute(ID_AA_SIGNATURE_TIME_STAMP_TOKEN, token)?])
                        .map_err(internal)?,
                )
            }
            None => None,
        },
        signature: OctetString::new(signature).map_err(internal)?,
    };
    let certificates = certificates(id)
        .map(|c| CertificateChoices::Certificate(c.clone()))
        .collect::<Vec<_>>();
    let signed_data = SignedData {
        version: CmsVersion::V1,
        digest_algorithms: SetOfVec::try_from(vec![sha256]).map_err(internal)?,
        encap_content_info: EncapsulatedContentInfo {
            econtent_type: ID_DATA,
            econtent: None,
        },
        certificates: Some(CertificateSet(
            SetOfVec::try_from(certificates).map_err(internal)?,
        )),
        crls: None,
        signer_infos: SignerInfos(SetOfVec::try_from(vec![signer_info]).map_err(internal)?),
    };
    ContentInfo {
        content_type: ID_SIGNED_DATA,
        content: Any::encode_from(&signed_data).map_err(internal)?,
    }
    .to_der()
    .map_err(internal)
}

/// What a CMS signature says about the bytes it was found with.
pub(crate) struct Inspection {
    pub(crate) signer: Option<Certificate>,
    /// The message-digest attribute equals the digest of the covered bytes.
    pub(crate) digest_matches: bool,
    /// The signer's key verifies the signature over the signed attributes.
    pub(crate) signature_valid: bool,
}

/// Checks a (zero-padded) DER CMS from a `/Contents` against the covered byte ranges.
pub(crate) fn inspect(contents: &[u8], covered: &[&[u8]]) -> Result<Inspection, SignError> {
    let unreadable = |_| SignError::BadSignature;
    let mut reader = der::SliceReader::new(contents).map_err(unreadable)?;
    let info = ContentInfo::decode(&mut reader).map_err(unreadable)?;
    if info.content_type != ID_SIGNED_DATA {
        return Err(SignError::BadSignature);
    }
    let sd: SignedData = info.content.decode_as().map_err(unreadable)?;
    let si = sd
        .signer_infos
        .0
        .iter()
        .next()
        .ok_or(SignError::BadSignature)?;

    let signer = match (&si.sid, &sd.certificates) {
        (SignerIdentifier::IssuerAndSerialNumber(ias), Some(set)) => {
            set.0.iter().find_map(|c| match c {
                CertificateChoices::Certificate(c)
                    if c.tbs_certificate.issuer == ias.issuer
                        && c.tbs_certificate.serial_number == ias.serial_number =>
                {
                    Some(c.clone())
                }
                _ => None,
            })
        }
        _ => None,
    };

    let mut all = Vec::new();
    for part in covered {
        all.extend_from_slice(part);
    }
    // A timestamp token (a document timestamp) signs its TSTInfo, whose message imprint is
    // the digest of the covered bytes; a signature signs the covered bytes' digest itself.
    let (digest, imprint_matches) = if sd.encap_content_info.econtent_type == ID_CT_TST_INFO {
        let tst = sd
            .encap_content_info
            .econtent
            .as_ref()
            .and_then(|c| c.decode_as::<OctetString>().ok())
            .ok_or(SignError::BadSignature)?;
        let imprint = message_imprint(tst.as_bytes()).ok_or(SignError::BadSignature)?;
        let matches = digest_with(imprint.hash_algorithm.oid, &all)
            .is_some_and(|d| d == imprint.hashed_message.as_bytes());
        (digest_with(si.digest_alg.oid, tst.as_bytes()), matches)
    } else {
        (digest_with(si.digest_alg.oid, &all), true)
    };
    let claimed = si.signed_attrs.as_ref().and_then(|attrs| {
        attrs
            .iter()
            .find(|a| a.oid == ID_MESSAGE_DIGEST)
            .and_then(|a| a.values.iter().next())
            .and_then(|v| v.decode_as::<OctetString>().ok())
    });
    let digest_matches = imprint_matches
        && matches!((&digest, &claimed), (Some(d), Some(c)) if d.as_slice() == c.as_bytes());

    let signature_valid = match (&signer, &si.signed_attrs) {
        (Some(cert), Some(attrs)) if si.digest_alg.oid == ID_SHA256 => attrs
            .to_der()
            .map(|msg| verify(cert, &si.signature_algorithm, &msg, si.signature.as_bytes()))
            .unwrap_or(false),
        _ => false,
    };
    Ok(Inspection {
        signer,
        digest_matches,
        signature_valid,
    })
}

/// The digest of `data` with the algorithm `oid` names (SHA-2 only).
fn digest_with(oid: ObjectIdentifier, data: &[u8]) -> Option<Vec<u8>> {
    if oid == ID_SHA256 {
        Some(Sha256::digest(data).to_vec())
    } else if oid == ID_SHA384 {
        Some(Sha384::digest(data).to_vec())
    } else if oid == ID_SHA512 {
        Some(Sha512::digest(data).to_vec())
    } else {
        None
    }
}

/// RFC 3161 `MessageImprint`.
#[derive(Sequence)]
struct MessageImprint {
    hash_algorithm: AlgorithmIdentifierOwned,
    hashed_message: OctetString,
}

/// The message imprint of a DER `TSTInfo` (version, policy, imprint, and the rest unread).
fn message_imprint(tst_info: &[u8]) -> Option<MessageImprint> {
    use der::Reader;
    let mut reader = der::SliceReader::new(tst_info).ok()?;
    reader
        .sequence(|r| {
            let _version: der::asn1::Int = r.decode()?;
            let _policy: ObjectIdentifier = r.decode()?;
            let imprint: MessageImprint = r.decode()?;
            let rest = r.remaining_len();
            r.read_slice(rest)?;
            Ok(imprint)
        })
        .ok()
}

/// RSA PKCS#1 v1.5 or ECDSA P-256, both with SHA-256.
pub(crate) fn verify(
    cert: &Certificate,
    alg: &AlgorithmIdentifierOwned,
    msg: &[u8],
    sig: &[u8],
) -> bool {
    let Ok(spki) = cert.tbs_certificate.subject_public_key_info.to_der() else {
        return false;
    };
    if alg.oid == SHA256_WITH_RSA || alg.oid == RSA_ENCRYPTION {
        let Ok(key) = rsa::RsaPublicKey::from_public_key_der(&spki) else {
            return false;
        };
        let Ok(sig) = rsa::pkcs1v15::Signature::try_from(sig) else {
            return false;
        };
        rsa::pkcs1v15::VerifyingKey::<Sha256>::new(key)
            .verify(msg, &sig)
            .is_ok()
    } else if alg.oid == ECDSA_WITH_SHA256 {
        let Ok(key) = p256::ecdsa::VerifyingKey::from_public_key_der(&spki) else {
            return false;
        };
        let Ok(sig) = p256::ecdsa::Signature::from_der(sig) else {
            return false;
        };
        key.verify(msg, &sig).is_ok()
    } else {
        false
    }
}

/// What a signature's CMS carries, for the report: its certificates, the signer's, and the
/// signature timestamp (or, for a document timestamp, the token itself).
pub(crate) struct Parts {
    pub(crate) certificates: Vec<Certificate>,
    pub(crate) signer: Option<Certificate>,
    /// The content is a `TSTInfo`: this CMS is a timestamp token (a document timestamp).
    pub(crate) is_token: bool,
    /// The signature value (what a signature timestamp is over).
    pub(crate) signature_value: Vec<u8>,
    /// The DER token in the `signatureTimeStampToken` unsigned attribute, if any.
    pub(crate) timestamp_token: Option<Vec<u8>>,
}

/// Reads the parts of a (zero-padded) DER CMS.
pub(crate) fn parts(contents: &[u8]) -> Option<Parts> {
    let mut reader = der::SliceReader::new(contents).ok()?;
    let info = ContentInfo::decode(&mut reader).ok()?;
    if info.content_type != ID_SIGNED_DATA {
        return None;
    }
    let sd: SignedData = info.content.decode_as().ok()?;
    let si = sd.signer_infos.0.iter().next()?;
    let certificates: Vec<Certificate> = sd
        .certificates
        .iter()
        .flat_map(|set| set.0.iter())
        .filter_map(|c| match c {
            CertificateChoices::Certificate(c) => Some(c.clone()),
            _ => None,
        })
        .collect();
    let signer = match &si.sid {
        SignerIdentifier::IssuerAndSerialNumber(ias) => certificates
            .iter()
            .find(|c| {
                c.tbs_certificate.issuer == ias.issuer
                    && c.tbs_certificate.serial_number == ias.serial_number
            })
            .cloned(),
        _ => None,
    };
    let timestamp_token = si.unsigned_attrs.as_ref().and_then(|attrs| {
        attrs
            .iter()
            .find(|a| a.oid == ID_AA_SIGNATURE_TIME_STAMP_TOKEN)
            .and_then(|a| a.values.iter().next())
            .and_then(|v| v.to_der().ok())
    });
    Some(Parts {
        certificates,
        signer,
        is_token: sd.encap_content_info.econtent_type == ID_CT_TST_INFO,
        signature_value: si.signature.as_bytes().to_vec(),
        timestamp_token,
    })
}

/// Whether `issuer`'s key verifies `cert`'s signature (RSA or ECDSA P-256 with SHA-256).
pub(crate) fn issued_by(cert: &Certificate, issuer: &Certificate) -> bool {
    if cert.tbs_certificate.issuer != issuer.tbs_certificate.subject {
        return false;
    }
    let Ok(tbs) = cert.tbs_certificate.to_der() else {
        return false;
    };
    let Some(sig) = cert.signature.as_bytes() else {
        return false;
    };
    verify(issuer, &cert.signature_algorithm, &tbs, sig)
}
