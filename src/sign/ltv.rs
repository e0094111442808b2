//! Long-term validation data (PAdES-B-LT): after the newest signature, an incremental update
//! with a DSS holding every certificate its CMS (and its timestamp token) carries, and an OCSP
//! response or CRL for each certificate that names where to get one: asked of the OCSP
//! responder in its Authority Information Access, else downloaded from its CRL distribution
//! point. Given files (`--ocsp`, `--crl`) replace the network entirely (offline signing).
//! A fetched OCSP response must say the certificate is good (revoked or unknown stops
//! signing); its signature and freshness are judged by `verify` (`revocation`) and the
//! validators. Requests and responses are read and written with `x509-ocsp`.

use std::time::Duration;

use der::asn1::{Any, ObjectIdentifier, OctetString};
use der::{Decode, Encode};
use sha2::Digest;
use spki::AlgorithmIdentifierOwned;
use x509_cert::Certificate;
use x509_cert::ext::pkix::name::{DistributionPointName, GeneralName};
use x509_cert::ext::pkix::{AuthorityInfoAccessSyntax, CrlDistributionPoints};
use x509_ocsp::{
    CertId, CertStatus, OcspRequest, OcspResponse, OcspResponseStatus, Request, TbsRequest,
};

use super::{SignError, UtcTime, cms, net, pdf, revocation};

const ID_SHA1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.14.3.2.26");
const ID_PE_AUTHORITY_INFO_ACCESS: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.1.1");
const ID_AD_OCSP: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.48.1");
const ID_CE_CRL_DISTRIBUTION_POINTS: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.31");

/// Where revocation data comes from.
pub struct RevocationSources {
    /// OCSP responses (DER) to embed as they are; with `crl_files`, no network is used.
    pub ocsp_files: Vec<Vec<u8>>,
    /// CRLs (DER or PEM) to embed as they are.
    pub crl_files: Vec<Vec<u8>>,
    /// Time limit for each request.
    pub limit: Duration,
}

/// Appends a DSS update with the validation data of the newest signature of `pdf`.
pub fn add_validation_data(pdf: &[u8], sources: &RevocationSources) -> Result<Vec<u8>, SignError> {
    let newest = super::signed_revisions(pdf)?
        .into_iter()
        .max_by_key(|s| s.revision_len)
        .ok_or(SignError::BadSignature)?;
    let parts = cms::parts(&newest.contents).ok_or(SignError::BadSignature)?;
    let mut certs = parts.certificates.clone();
    if let Some(token) = parts.timestamp_token.as_deref().and_then(cms::parts) {
        certs.extend(token.certificates);
    }
    certs.dedup();
    let mut dss = pdf::Dss::default();
    for c in &certs {
        let der = c.to_der().map_err(|e| SignError::Internal(e.to_string()))?;
        if !dss.certs.contains(&der) {
            dss.certs.push(der);
        }
    }
    if !sources.ocsp_files.is_empty() || !sources.crl_files.is_empty() {
        dss.ocsps = sources.ocsp_files.clone();
        for crl in &sources.crl_files {
            dss.crls.push(crl_der(crl)?);
        }
    } else {
        for cert in &certs {
            if cert.tbs_certificate.subject == cert.tbs_certificate.issuer {
                continue; // a root: nothing to revoke it
            }
            let issuer = certs.iter().find(|i| cms::issued_by(cert, i));
            match (ocsp_url(cert), issuer, crl_url(cert)) {
                (Some(url), Some(issuer), _) => {
                    dss.ocsps.push(ask_ocsp(&url, cert, issuer, sources.limit)?);
                }
                (_, _, Some(url)) => dss.crls.push(crl_der(&net::get(&url, sources.limit)?)?),
                (Some(_), None, None) => {
                    return Err(SignError::BadRevocationData(format!(
                        "the certificate of {} names an OCSP responder, but its issuer's \
                         certificate is not with it (put the CA certificates in the identity file)",
                        cert.tbs_certificate.subject
                    )));
                }
                (None, _, None) => {}
            }
        }
    }
    if dss.ocsps.is_empty() && dss.crls.is_empty() {
        return Err(SignError::BadRevocationData(
            "the certificates name no OCSP responder or CRL; give them with --ocsp or --crl".into(),
        ));
    }
    refuse_revoked(&certs, &dss, UtcTime::now())?;
    let seed = sha2::Sha256::new()
        .chain_update(pdf)
        .chain_update("DSS")
        .finalize();
    let mut new_id = [0u8; 16];
    new_id.copy_from_slice(&seed[..16]);
    pdf::append_dss(pdf, &dss, new_id)
}

/// Refuses validation data (fetched or given) that says a certificate of the new signature
/// was revoked by `now`: the signature would not hold.
fn refuse_revoked(certs: &[Certificate], dss: &pdf::Dss, now: UtcTime) -> Result<(), SignError> {
    for cert in certs {
        let issuer = certs.iter().find(|i| cms::issued_by(cert, i));
        let judged = revocation::judge(cert, issuer, "", &dss.ocsps, &dss.crls, now);
        if judged.revoked_before_proven_time {
            return Err(SignError::BadRevocationData(format!(
                "the validation data says the certificate of {} is revoked (since {})",
                judged.subject,
                judged.revoked_on.unwrap_or_default()
            )));
        }
    }
    Ok(())
}

/// A CRL as DER, from DER or PEM; refuses anything else.
fn crl_der(bytes: &[u8]) -> Result<Vec<u8>, SignError> {
    let der = if bytes.starts_with(b"-----BEGIN X509 CRL-----") {
        use base64::Engine;
        let text = String::from_utf8_lossy(bytes);
        let body: String = text.lines().filter(|l| !l.starts_with("-----")).collect();
        base64::engine::general_purpose::STANDARD
            .decode(body.trim())
            .map_err(|_| SignError::BadRevocationData("a PEM CRL does not decode".into()))?
    } else {
        bytes.to_vec()
    };
    x509_cert::crl::CertificateList::from_der(&der)
        .map_err(|e| SignError::BadRevocationData(format!("a CRL does not read: {e}")))?;
    Ok(der)
}

/// The OCSP responder's URL in the certificate's Authority Information Access.
fn ocsp_url(cert: &Certificate) -> Option<String> {
    let ext = cert
        .tbs_certificate
        .extensions
        .iter()
        .flatten()
        .find(|e| e.extn_id == ID_PE_AUTHORITY_INFO_ACCESS)?;
    let aia = AuthorityInfoAccessSyntax::from_der(ext.extn_value.as_bytes()).ok()?;
    aia.0.iter().find_map(|ad| match &ad.access_location {
        GeneralName::UniformResourceIdentifier(uri) if ad.access_method == ID_AD_OCSP => {
            Some(uri.to_string())
        }
        _ => None,
    })
}

/// The first HTTP URL among the certificate's CRL distribution points.
fn crl_url(cert: &Certificate) -> Option<String> {
    let ext = cert
        .tbs_certificate
        .extensions
        .iter()
        .flatten()
        .find(|e| e.extn_id == ID_CE_CRL_DISTRIBUTION_POINTS)?;
    let dps = CrlDistributionPoints::from_der(ext.extn_value.as_bytes()).ok()?;
    dps.0.iter().find_map(|dp| match &dp.distribution_point {
        Some(DistributionPointName::FullName(names)) => names.iter().find_map(|n| match n {
            GeneralName::UniformResourceIdentifier(uri) if uri.as_str().starts_with("http") => {
                Some(uri.to_string())
            }
            _ => None,
        }),
        _ => None,
    })
}

/// Asks the responder at `url` about `cert`; returns its DER answer when it is `successful`.
fn ask_ocsp(
    url: &str,
    cert: &Certificate,
    issuer: &Certificate,
    limit: Duration,
) -> Result<Vec<u8>, SignError> {
    let internal = |e: der::Error| SignError::Internal(e.to_string());
    let name = issuer.tbs_certificate.subject.to_der().map_err(internal)?;
    let key = issuer
        .tbs_certificate
        .subject_public_key_info
        .subject_public_key
        .raw_bytes();
    let request = OcspRequest {
        tbs_request: TbsRequest {
            request_list: vec![Request {
                req_cert: CertId {
                    hash_algorithm: AlgorithmIdentifierOwned {
                        oid: ID_SHA1,
                        parameters: Some(Any::null()),
                    },
                    issuer_name_hash: OctetString::new(sha1::Sha1::digest(&name).to_vec())
                        .map_err(internal)?,
                    issuer_key_hash: OctetString::new(sha1::Sha1::digest(key).to_vec())
                        .map_err(internal)?,
                    serial_number: cert.tbs_certificate.serial_number.clone(),
                },
                single_request_extensions: None,
            }],
            ..TbsRequest::default()
        },
        optional_signature: None,
    }
    .to_der()
    .map_err(internal)?;
    let answer = net::post(url, "application/ocsp-request", &request, limit)?;
    let response = OcspResponse::from_der(&answer).map_err(|_| {
        SignError::BadRevocationData(format!("{url} answered with no OCSP response"))
    })?;
    if response.response_status != OcspResponseStatus::Successful {
        return Err(SignError::BadRevocationData(format!(
            "the OCSP responder at {url} refused ({:?})",
            response.response_status
        )));
    }
    let subject = &cert.tbs_certificate.subject;
    match revocation::ocsp_status(&answer, cert, issuer) {
        Some(CertStatus::Good(_)) => Ok(answer),
        Some(CertStatus::Revoked(_)) => Err(SignError::BadRevocationData(format!(
            "the OCSP responder at {url} says the certificate of {subject} is revoked"
        ))),
        Some(CertStatus::Unknown(_)) => Err(SignError::BadRevocationData(format!(
            "the OCSP responder at {url} does not know the certificate of {subject}"
        ))),
        None => Err(SignError::BadRevocationData(format!(
            "the OCSP response from {url} says nothing about the certificate of {subject}"
        ))),
    }
}
