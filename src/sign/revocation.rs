//! Revocation judged per certificate, from the validation data a PDF embeds (its DSS), at the
//! proven time (the timestamp's, else the claimed signing time). For a certificate and its
//! issuer, pactum looks for:
//! - an OCSP response (RFC 6960, read with `x509-ocsp`) whose CertID names the certificate
//!   (issuer name and key hashes, serial number), signed by the issuer or by a responder the
//!   issuer delegated to (a certificate it issued with id-kp-OCSPSigning);
//! - a CRL (RFC 5280) signed by the issuer, listing the serial number or not.
//!
//! A revocation is final, whenever it was published. "Good" must speak for the proven time:
//! the answer was given at or after it (thisUpdate), or its window (thisUpdate to nextUpdate)
//! holds it. Data that cannot be used for one of these reasons is set aside, and said why.

use der::asn1::ObjectIdentifier;
use der::{Decode, Encode};
use serde::Serialize;
use sha2::Digest;
use x509_cert::Certificate;
use x509_cert::crl::CertificateList;
use x509_cert::ext::pkix::ExtendedKeyUsage;
use x509_ocsp::{BasicOcspResponse, CertId, CertStatus, OcspResponse, OcspResponseStatus};

use super::{UtcTime, cms};

const ID_PKIX_OCSP_BASIC: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.48.1.1");
const ID_KP_OCSP_SIGNING: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.9");
const ID_CE_EXT_KEY_USAGE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.37");
const ID_SHA1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.14.3.2.26");
const ID_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");

/// What the embedded data says of one certificate at the proven time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CertificateRevocation {
    /// The certificate's subject (RFC 4514).
    pub subject: String,
    /// `signer`, `timestamp authority`, or `CA` (of either).
    pub role: &'static str,
    /// `good`, `revoked`, `unknown` (the responder does not know it), `no revocation data`,
    /// or `root` (a self-signed anchor: nothing above it revokes it).
    pub status: &'static str,
    /// `OCSP` or `CRL`, when the data said something.
    pub source: Option<&'static str>,
    /// When that was said: the OCSP response's producedAt, or the CRL's thisUpdate.
    pub issued: Option<String>,
    /// When it was revoked.
    pub revoked_on: Option<String>,
    /// Revoked at or before the proven time: what it signed then does not hold.
    pub revoked_before_proven_time: bool,
    /// Embedded data about it that was set aside, and why.
    pub set_aside: Vec<String>,
}

impl CertificateRevocation {
    /// The verdict in words: `good (OCSP, <producedAt>)`, `revoked on <date>`, …
    pub fn verdict(&self) -> String {
        let said = || {
            format!(
                "{}, {}",
                self.source.unwrap_or("?"),
                self.issued.as_deref().unwrap_or("?")
            )
        };
        let mut out = match self.status {
            "good" => format!("good ({})", said()),
            "revoked" => format!(
                "revoked on {} ({}){}",
                self.revoked_on.as_deref().unwrap_or("?"),
                said(),
                if self.revoked_before_proven_time {
                    ""
                } else {
                    ", after the proven time"
                }
            ),
            "unknown" => format!("unknown to the OCSP responder ({})", said()),
            "root" => "a self-signed root: nothing above it revokes it".into(),
            _ => "no revocation data".into(),
        };
        if !self.set_aside.is_empty() {
            out.push_str(&format!(" (set aside: {})", self.set_aside.join("; ")));
        }
        out
    }
}

/// What one OCSP response or CRL says of a certificate.
#[derive(Clone, Copy)]
enum Verdict {
    Good {
        source: &'static str,
        issued: UtcTime,
    },
    Revoked {
        source: &'static str,
        issued: UtcTime,
        on: UtcTime,
    },
    Unknown {
        issued: UtcTime,
    },
}

/// Judges `cert` (issued by `issuer`, when its certificate was found) at `at` from the
/// embedded OCSP responses and CRLs (DER).
pub(crate) fn judge(
    cert: &Certificate,
    issuer: Option<&Certificate>,
    role: &'static str,
    ocsps: &[Vec<u8>],
    crls: &[Vec<u8>],
    at: UtcTime,
) -> CertificateRevocation {
    let mut out = CertificateRevocation {
        subject: cert.tbs_certificate.subject.to_string(),
        role,
        status: "no revocation data",
        source: None,
        issued: None,
        revoked_on: None,
        revoked_before_proven_time: false,
        set_aside: Vec::new(),
    };
    if cert.tbs_certificate.subject == cert.tbs_certificate.issuer {
        out.status = "root";
        return out;
    }
    let Some(issuer) = issuer else {
        out.set_aside
            .push("its issuer's certificate is not embedded, so no answer can be checked".into());
        return out;
    };
    let mut verdicts = Vec::new();
    for der in ocsps {
        match from_ocsp(der, cert, issuer, at) {
            Ok(Some(v)) => verdicts.push(v),
            Ok(None) => {}
            Err(why) => out.set_aside.push(why),
        }
    }
    for der in crls {
        match from_crl(der, cert, issuer, at) {
            Ok(Some(v)) => verdicts.push(v),
            Ok(None) => {}
            Err(why) => out.set_aside.push(why),
        }
    }
    // A revocation outweighs any "good"; OCSP answers come first, so a good one is named
    // before a CRL's.
    let chosen = verdicts.iter().min_by_key(|v| match v {
        Verdict::Revoked { .. } => 0,
        Verdict::Good { .. } => 1,
        Verdict::Unknown { .. } => 2,
    });
    match chosen {
        Some(Verdict::Revoked { source, issued, on }) => {
            out.status = "revoked";
            out.source = Some(source);
            out.issued = Some(issued.to_string());
            out.revoked_on = Some(on.to_string());
            out.revoked_before_proven_time = *on <= at;
        }
        Some(Verdict::Good { source, issued }) => {
            out.status = "good";
            out.source = Some(source);
            out.issued = Some(issued.to_string());
        }
        Some(Verdict::Unknown { issued }) => {
            out.status = "unknown";
            out.source = Some("OCSP");
            out.issued = Some(issued.to_string());
        }
        None => {}
    }
    out
}

/// "Good" speaks for `at` when it was said at or after `at`, or `at` lies in its window.
fn covers(at: UtcTime, this_update: UtcTime, next_update: Option<UtcTime>) -> bool {
    at <= this_update.max(next_update.unwrap_or(this_update))
}

fn time(t: &x509_ocsp::OcspGeneralizedTime) -> UtcTime {
    UtcTime::from_der(t.0.to_date_time())
}

/// What an OCSP response says of `cert`: `None` when it is not about it.
fn from_ocsp(
    der: &[u8],
    cert: &Certificate,
    issuer: &Certificate,
    at: UtcTime,
) -> Result<Option<Verdict>, String> {
    let Some(basic) = basic_response(der) else {
        return Ok(None);
    };
    let data = &basic.tbs_response_data;
    let Some(single) = data
        .responses
        .iter()
        .find(|s| names(&s.cert_id, cert, issuer))
    else {
        return Ok(None);
    };
    if !signed_by_issuer_or_delegate(&basic, issuer) {
        return Err(
            "an OCSP response about it is signed neither by its issuer nor by a responder its \
             issuer delegated to"
                .into(),
        );
    }
    let issued = time(&data.produced_at);
    let this_update = time(&single.this_update);
    let next_update = single.next_update.as_ref().map(time);
    Ok(Some(match single.cert_status {
        CertStatus::Revoked(info) => Verdict::Revoked {
            source: "OCSP",
            issued,
            on: time(&info.revocation_time),
        },
        CertStatus::Unknown(_) => Verdict::Unknown { issued },
        CertStatus::Good(_) if covers(at, this_update, next_update) => Verdict::Good {
            source: "OCSP",
            issued,
        },
        CertStatus::Good(_) => {
            return Err(format!(
                "an OCSP response valid from {this_update}{} does not speak for {at}",
                next_update.map(|n| format!(" to {n}")).unwrap_or_default()
            ));
        }
    }))
}

/// The basic response of a successful OCSP response (DER).
pub(crate) fn basic_response(der: &[u8]) -> Option<BasicOcspResponse> {
    let response = OcspResponse::from_der(der).ok()?;
    if response.response_status != OcspResponseStatus::Successful {
        return None;
    }
    let bytes = response.response_bytes?;
    if bytes.response_type != ID_PKIX_OCSP_BASIC {
        return None;
    }
    BasicOcspResponse::from_der(bytes.response.as_bytes()).ok()
}

/// The status a (signed, as a validator will check) OCSP response gives `cert`: `None` when
/// it says nothing of it.
pub(crate) fn ocsp_status(
    der: &[u8],
    cert: &Certificate,
    issuer: &Certificate,
) -> Option<CertStatus> {
    let basic = basic_response(der)?;
    let single = basic
        .tbs_response_data
        .responses
        .iter()
        .find(|s| names(&s.cert_id, cert, issuer))?;
    Some(single.cert_status)
}

/// The CertID names `cert` as issued by `issuer` (SHA-1 or SHA-256 hashes).
fn names(id: &CertId, cert: &Certificate, issuer: &Certificate) -> bool {
    let hash = |data: &[u8]| -> Option<Vec<u8>> {
        if id.hash_algorithm.oid == ID_SHA1 {
            Some(sha1::Sha1::digest(data).to_vec())
        } else if id.hash_algorithm.oid == ID_SHA256 {
            Some(sha2::Sha256::digest(data).to_vec())
        } else {
            None
        }
    };
    let Ok(name) = issuer.tbs_certificate.subject.to_der() else {
        return false;
    };
    let key = issuer
        .tbs_certificate
        .subject_public_key_info
        .subject_public_key
        .raw_bytes();
    id.serial_number == cert.tbs_certificate.serial_number
        && hash(&name).is_some_and(|h| h == id.issuer_name_hash.as_bytes())
        && hash(key).is_some_and(|h| h == id.issuer_key_hash.as_bytes())
}

/// The response is signed by `issuer`, or by a certificate it carries that `issuer` issued
/// for signing OCSP responses.
fn signed_by_issuer_or_delegate(basic: &BasicOcspResponse, issuer: &Certificate) -> bool {
    let Ok(tbs) = basic.tbs_response_data.to_der() else {
        return false;
    };
    let Some(signature) = basic.signature.as_bytes() else {
        return false;
    };
    let signs = |who: &Certificate| cms::verify(who, &basic.signature_algorithm, &tbs, signature);
    signs(issuer)
        || basic.certs.iter().flatten().any(|responder| {
            cms::issued_by(responder, issuer) && may_sign_ocsp(responder) && signs(responder)
        })
}

/// The certificate's extended key usage holds id-kp-OCSPSigning.
fn may_sign_ocsp(cert: &Certificate) -> bool {
    cert.tbs_certificate
        .extensions
        .iter()
        .flatten()
        .filter(|e| e.extn_id == ID_CE_EXT_KEY_USAGE)
        .filter_map(|e| ExtendedKeyUsage::from_der(e.extn_value.as_bytes()).ok())
        .any(|eku| eku.0.contains(&ID_KP_OCSP_SIGNING))
}

/// What a CRL says of `cert`: `None` when it is not its issuer's.
fn from_crl(
    der: &[u8],
    cert: &Certificate,
    issuer: &Certificate,
    at: UtcTime,
) -> Result<Option<Verdict>, String> {
    let Ok(crl) = CertificateList::from_der(der) else {
        return Ok(None);
    };
    let list = &crl.tbs_cert_list;
    if list.issuer != cert.tbs_certificate.issuer {
        return Ok(None);
    }
    let signed = list.to_der().is_ok_and(|tbs| {
        crl.signature
            .as_bytes()
            .is_some_and(|sig| cms::verify(issuer, &crl.signature_algorithm, &tbs, sig))
    });
    if !signed {
        return Err("a CRL in its issuer's name is not signed by its issuer".into());
    }
    let this_update = UtcTime::from_der(list.this_update.to_date_time());
    let next_update = list
        .next_update
        .map(|t| UtcTime::from_der(t.to_date_time()));
    let listed = list
        .revoked_certificates
        .iter()
        .flatten()
        .find(|r| r.serial_number == cert.tbs_certificate.serial_number);
    if let Some(entry) = listed {
        return Ok(Some(Verdict::Revoked {
            source: "CRL",
            issued: this_update,
            on: UtcTime::from_der(entry.revocation_date.to_date_time()),
        }));
    }
    if covers(at, this_update, next_update) {
        Ok(Some(Verdict::Good {
            source: "CRL",
            issued: this_update,
        }))
    } else {
        Err(format!(
            "a CRL valid from {this_update}{} does not speak for {at}",
            next_update.map(|n| format!(" to {n}")).unwrap_or_default()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn good_speaks_for_the_proven_time_only_from_its_window_on() {
        let t = |d: u8| UtcTime::new(2027, 1, d, 0, 0, 0).unwrap();
        // Said after the proven time: it was not revoked then.
        assert!(covers(t(1), t(2), None));
        // Said before, valid until after.
        assert!(covers(t(2), t(1), Some(t(3))));
        // Said before, expired before.
        assert!(!covers(t(3), t(1), Some(t(2))));
        assert!(!covers(t(2), t(1), None));
    }
}
