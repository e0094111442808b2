//! What `verify` says about each signature, as data (for `--format json`) and in words: who
//! signed, the claimed signing time, the timestamp's time and authority, which revision it
//! covers and what was added after, the chain to a trust anchor given with `--trust` (or "not
//! trusted: no anchor given"), whether the certificates were valid at the proven time (the
//! timestamp's, else the claimed one), what revocation data is embedded, and what it says of
//! each certificate of the signer's chain and the timestamp authority's at the proven time
//! (`revocation`): good, revoked on a date, or no revocation data.
//!
//! Trust is judged only as far as pactum can: the chain is built from the certificates the
//! signature, the DSS and the anchors carry, each link's signature checked (RSA or ECDSA
//! P-256 with SHA-256). A certificate revoked at or before the proven time makes the
//! signature not hold.

use serde::Serialize;
use x509_cert::Certificate;

use der::{Decode, DecodePem, Encode};

use super::audit::{Audit, Covered};
use super::cms::{self, Parts};
use super::pdf::{self, Dss};
use super::revocation::{self, CertificateRevocation};
use super::signer::validity;
use super::tsa::tst_info;
use super::{SignError, UtcTime};

/// One signature (or document timestamp) as `verify` reports it.
#[derive(Debug, Clone, Serialize)]
pub struct SignatureReport {
    pub field: String,
    /// `signature` or `document timestamp`.
    pub kind: &'static str,
    /// The signer certificate's subject (for a document timestamp, the TSA's).
    pub signer: Option<String>,
    /// The signing time the signature claims (`/M`), in UTC.
    pub claimed_time: Option<String>,
    pub timestamp: Option<Timestamp>,
    /// The bytes it covers are unchanged since it was made.
    pub intact: bool,
    /// The revision it covers (1-based), and how many the file has.
    pub revision: Option<usize>,
    pub revisions: usize,
    /// What each later revision adds, in words.
    pub added_after: Vec<String>,
    pub trust: Trust,
    pub validity: Validity,
    pub revocation: Revocation,
    /// Intact, its timestamp intact, its certificates valid and not revoked at the proven
    /// time, and (when anchors were given) trusted.
    pub valid: bool,
}

/// A timestamp token: the time it proves and who issued it.
#[derive(Debug, Clone, Serialize)]
pub struct Timestamp {
    pub time: String,
    pub authority: Option<String>,
    /// The token is over the data it stamps, and its signature verifies.
    pub intact: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Trust {
    /// `None` when no anchor was given.
    pub trusted: Option<bool>,
    /// Subjects from the signer up, as far as issuers were found.
    pub chain: Vec<String>,
    pub note: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Validity {
    /// The time the certificates are judged at, in UTC.
    pub at: String,
    /// `timestamp`, `claimed signing time`, or `now`.
    pub basis: &'static str,
    pub valid: bool,
    /// The certificates that were not valid then, with their validity.
    pub problems: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Revocation {
    pub embedded: bool,
    pub ocsp_responses: usize,
    pub crls: usize,
    pub certificates: usize,
    /// What that data says of each certificate of the signer's chain, then of the timestamp
    /// authority's, at the proven time.
    pub per_certificate: Vec<CertificateRevocation>,
}

impl Revocation {
    /// A certificate of the chains was revoked at or before the proven time.
    pub fn revoked(&self) -> Option<&CertificateRevocation> {
        self.per_certificate
            .iter()
            .find(|c| c.revoked_before_proven_time)
    }
}

/// Reads trust anchors from PEM (one or more certificates) or DER bytes.
pub fn anchors_from_pem_or_der(bytes: &[u8]) -> Result<Vec<Certificate>, String> {
    if bytes.starts_with(b"-----BEGIN") {
        let text = std::str::from_utf8(bytes).map_err(|_| "not a PEM file".to_string())?;
        let mut out = Vec::new();
        let mut rest = text;
        while let Some(start) = rest.find("-----BEGIN CERTIFICATE-----") {
            let end_marker = "-----END CERTIFICATE-----";
            let end = rest[start..]
                .find(end_marker)
                .ok_or("a PEM certificate has no END line")?
                + start
                + end_marker.len();
            out.push(
                Certificate::from_pem(&rest[start..end])
                    .map_err(|e| format!("a certificate does not read: {e}"))?,
            );
            rest = &rest[end..];
        }
        if out.is_empty() {
            return Err("it holds no PEM certificate".into());
        }
        Ok(out)
    } else {
        Certificate::from_der(bytes)
            .map(|c| vec![c])
            .map_err(|e| format!("not a certificate (PEM or DER): {e}"))
    }
}

/// Every signature of `pdf` (as `audit` found them), reported against `anchors`.
pub fn report(
    pdf: &[u8],
    audit: &Audit,
    anchors: &[Certificate],
) -> Result<Vec<SignatureReport>, SignError> {
    let dss = pdf::read_dss(pdf).unwrap_or_default();
    let dss_certs: Vec<Certificate> = dss
        .certs
        .iter()
        .filter_map(|d| Certificate::from_der(d).ok())
        .collect();
    Ok(audit
        .signatures
        .iter()
        .map(|c| one(audit, c, &dss, &dss_certs, anchors))
        .collect())
}

fn one(
    audit: &Audit,
    c: &Covered,
    dss: &Dss,
    dss_certs: &[Certificate],
    anchors: &[Certificate],
) -> SignatureReport {
    let s = &c.signature;
    let parts = cms::parts(&s.contents);
    let is_token = parts.as_ref().is_some_and(|p| p.is_token);
    let timestamp = parts.as_ref().and_then(|p| timestamp_of(p, &s.contents));
    let claimed = s.pdf_date.as_deref().and_then(parse_pdf_date);
    let (at, basis) = match (&timestamp, claimed) {
        (Some((_, t)), _) => (*t, "timestamp"),
        (None, Some(t)) => (t, "claimed signing time"),
        (None, None) => (UtcTime::now(), "now"),
    };
    let mut pool: Vec<Certificate> = parts
        .as_ref()
        .map(|p| p.certificates.clone())
        .unwrap_or_default();
    pool.extend(dss_certs.iter().cloned());
    pool.extend(anchors.iter().cloned());
    let signer_cert = parts.as_ref().and_then(|p| p.signer.clone());
    let chain = signer_cert
        .as_ref()
        .map(|cert| build_chain(cert, &pool))
        .unwrap_or_default();
    let trust = judge_trust(&chain, anchors);
    let problems: Vec<String> = chain
        .iter()
        .filter_map(|cert| {
            let (from, to) = validity(cert);
            (at < from || at > to).then(|| {
                format!(
                    "{} is valid from {from} to {to}",
                    cert.tbs_certificate.subject
                )
            })
        })
        .collect();
    let validity = Validity {
        at: at.to_string(),
        basis,
        valid: signer_cert.is_some() && problems.is_empty(),
        problems,
    };
    let tsa_chain = parts
        .as_ref()
        .filter(|p| !p.is_token)
        .and_then(|p| p.timestamp_token.as_deref())
        .and_then(cms::parts)
        .and_then(|token| {
            let mut pool = pool.clone();
            pool.extend(token.certificates);
            Some(build_chain(&token.signer?, &pool))
        })
        .unwrap_or_default();
    let signer_role = if is_token {
        "timestamp authority"
    } else {
        "signer"
    };
    let per_certificate = judge_revocation(
        &[(&chain, signer_role), (&tsa_chain, "timestamp authority")],
        dss,
        at,
    );
    let revocation = Revocation {
        embedded: !dss.ocsps.is_empty() || !dss.crls.is_empty(),
        ocsp_responses: dss.ocsps.len(),
        crls: dss.crls.len(),
        certificates: dss.certs.len(),
        per_certificate,
    };
    let intact = s.is_intact();
    let timestamp = timestamp.map(|(t, _)| t);
    let valid = intact
        && timestamp.as_ref().is_none_or(|t| t.intact)
        && validity.valid
        && revocation.revoked().is_none()
        && trust.trusted != Some(false);
    SignatureReport {
        field: s.field_name.clone(),
        kind: if is_token {
            "document timestamp"
        } else {
            "signature"
        },
        signer: s.signer.clone(),
        claimed_time: claimed.map(|t| t.to_string()),
        timestamp,
        intact,
        revision: c.revision,
        revisions: audit.revisions,
        added_after: audit.added_after(c),
        trust,
        validity,
        revocation,
        valid,
    }
}

/// What the DSS says of each certificate of `chains` (each from its end entity, of the role
/// given, up through its CAs) at `at`; a certificate in two chains (a shared root) once.
fn judge_revocation(
    chains: &[(&[Certificate], &'static str)],
    dss: &Dss,
    at: UtcTime,
) -> Vec<CertificateRevocation> {
    let mut seen: Vec<&Certificate> = Vec::new();
    let mut out = Vec::new();
    for (chain, role) in chains {
        for (i, cert) in chain.iter().enumerate() {
            if seen.contains(&cert) {
                continue;
            }
            seen.push(cert);
            let role = if i == 0 { role } else { "CA" };
            let issuer = chain.get(i + 1);
            out.push(revocation::judge(
                cert, issuer, role, &dss.ocsps, &dss.crls, at,
            ));
        }
    }
    out
}

/// The timestamp a CMS carries (its own token for a document timestamp), and its time.
fn timestamp_of(parts: &Parts, contents: &[u8]) -> Option<(Timestamp, UtcTime)> {
    let token = if parts.is_token {
        trimmed(contents)?
    } else {
        parts.timestamp_token.clone()?
    };
    // A document timestamp's integrity is the signature's own (checked by the audit); a
    // signature timestamp must be over the signature value.
    let intact = parts.is_token
        || cms::inspect(&token, &[&parts.signature_value])
            .is_ok_and(|i| i.digest_matches && i.signature_valid);
    let info = tst_info(&token)?;
    let authority = cms::parts(&token)
        .and_then(|p| p.signer)
        .map(|c| c.tbs_certificate.subject.to_string());
    let stamp = Timestamp {
        time: info.gen_time.to_string(),
        authority,
        intact,
    };
    Some((stamp, info.gen_time))
}

/// The DER value at the start of zero-padded `/Contents`.
fn trimmed(contents: &[u8]) -> Option<Vec<u8>> {
    let mut reader = der::SliceReader::new(contents).ok()?;
    let any = der::Any::decode(&mut reader).ok()?;
    any.to_der().ok()
}

/// From `cert` up through the issuers found in `pool`, each link's signature checked.
fn build_chain(cert: &Certificate, pool: &[Certificate]) -> Vec<Certificate> {
    let mut chain = vec![cert.clone()];
    for _ in 0..10 {
        let last = &chain[chain.len() - 1];
        if last.tbs_certificate.issuer == last.tbs_certificate.subject {
            break; // self-issued: the top
        }
        match pool.iter().find(|i| cms::issued_by(last, i)) {
            Some(issuer) if !chain.contains(issuer) => chain.push(issuer.clone()),
            _ => break,
        }
    }
    chain
}

fn judge_trust(chain: &[Certificate], anchors: &[Certificate]) -> Trust {
    let names = chain
        .iter()
        .map(|c| c.tbs_certificate.subject.to_string())
        .collect();
    if anchors.is_empty() {
        return Trust {
            trusted: None,
            chain: names,
            note: "not trusted: no anchor given".into(),
        };
    }
    let anchor = chain.iter().find(|c| anchors.contains(c));
    match anchor {
        Some(a) => Trust {
            trusted: Some(true),
            chain: names,
            note: format!(
                "trusted: chains to the anchor {}",
                a.tbs_certificate.subject
            ),
        },
        None => Trust {
            trusted: Some(false),
            chain: names,
            note: "not trusted: no chain to an anchor given".into(),
        },
    }
}

/// `D:YYYYMMDDHHmmSS` with `Z`, `+HH'mm'` or `-HH'mm'` (or nothing: taken as UTC), in UTC.
fn parse_pdf_date(s: &str) -> Option<UtcTime> {
    let d = s.strip_prefix("D:").unwrap_or(s);
    let local = super::tsa::ymdhms(d)?;
    let n = |a: usize, b: usize| d.get(a..b)?.parse::<u16>().ok();
    let offset_minutes: i64 = match d.get(14..15) {
        Some(sign @ ("+" | "-")) => {
            let h = i64::from(n(15, 17)?);
            let m = d
                .get(18..20)
                .and_then(|m| m.parse::<i64>().ok())
                .unwrap_or(0);
            let total = h * 60 + m;
            if sign == "+" { total } else { -total }
        }
        _ => 0,
    };
    local
        .0
        .checked_sub(jiff::Span::new().minutes(offset_minutes))
        .ok()
        .map(UtcTime)
}

impl SignatureReport {
    /// The report in words: a first line as `verify` always printed it, then one line each.
    pub fn lines(&self) -> Vec<String> {
        let signer = self.signer.as_deref().unwrap_or("an unnamed signer");
        let what = if self.kind == "signature" {
            "signature"
        } else {
            "document timestamp"
        };
        let coverage = match self.revision {
            None => "covers a range that does not end at a revision".to_string(),
            Some(r) if r == self.revisions => "covers the whole file".to_string(),
            Some(r) => {
                let mut out = format!("covers revision {r} of {}", self.revisions);
                for added in &self.added_after {
                    out.push_str("; ");
                    out.push_str(added);
                }
                out
            }
        };
        let mut lines = vec![format!(
            "{what} `{}` by {signer} ({}): {}, {coverage}",
            self.field,
            self.claimed_time.as_deref().unwrap_or("no claimed time"),
            if self.intact {
                "intact"
            } else {
                "NOT INTACT (the bytes it covers changed)"
            },
        )];
        if let Some(claimed) = &self.claimed_time {
            lines.push(format!("  claimed signing time: {claimed}"));
        }
        match &self.timestamp {
            Some(t) => lines.push(format!(
                "  timestamp: {} by {}{}",
                t.time,
                t.authority.as_deref().unwrap_or("an unnamed authority"),
                if t.intact { "" } else { " (NOT INTACT)" }
            )),
            None => lines.push("  timestamp: none".into()),
        }
        lines.push(format!("  chain: {}", self.trust.chain.join(" <- ")));
        lines.push(format!("  {}", self.trust.note));
        if self.validity.valid {
            lines.push(format!(
                "  certificates valid at {} ({})",
                self.validity.at, self.validity.basis
            ));
        } else {
            lines.push(format!(
                "  certificates NOT valid at {} ({}): {}",
                self.validity.at,
                self.validity.basis,
                self.validity.problems.join("; ")
            ));
        }
        lines.push(if self.revocation.embedded {
            format!(
                "  revocation data embedded: {} OCSP response(s), {} CRL(s), {} certificate(s) in the DSS",
                self.revocation.ocsp_responses, self.revocation.crls, self.revocation.certificates
            )
        } else {
            "  revocation data: none embedded".into()
        });
        for c in &self.revocation.per_certificate {
            lines.push(format!(
                "  revocation of {} ({}): {}",
                c.subject,
                c.role,
                c.verdict()
            ));
        }
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdf_dates_in_utc() {
        let t = |s: &str| parse_pdf_date(s).map(|t| t.to_string());
        assert_eq!(
            t("D:20270101120000+00'00'").unwrap(),
            "2027-01-01 12:00:00 UTC"
        );
        assert_eq!(
            t("D:20270101120000+02'00'").unwrap(),
            "2027-01-01 10:00:00 UTC"
        );
        assert_eq!(
            t("D:20270101003000-01'30'").unwrap(),
            "2027-01-01 02:00:00 UTC"
        );
        assert_eq!(t("D:20270101120000Z").unwrap(), "2027-01-01 12:00:00 UTC");
        assert!(t("D:2027").is_none());
    }

    #[test]
    fn anchors_must_be_certificates() {
        assert!(anchors_from_pem_or_der(b"-----BEGIN X-----").is_err());
        assert!(anchors_from_pem_or_der(b"garbage").is_err());
    }
}
