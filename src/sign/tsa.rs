//! RFC 3161 timestamps: asking a timestamp authority (TSA) for a token over a SHA-256
//! digest, and reading a token's `TSTInfo` (its time, imprint and nonce). A token is
//! accepted only when the TSA granted it, it is over the digest asked for, and it carries
//! the nonce sent; its CMS signature is checked by the caller against the very bytes it
//! covers ([`super::cms::inspect`]), as `verify` checks it later.

use std::time::Duration;

use cms::content_info::ContentInfo;
use cms::signed_data::SignedData;
use der::asn1::{Any, ObjectIdentifier, OctetString, Uint};
use der::{Decode, Encode, Sequence, Tag, Tagged};
use sha2::{Digest, Sha256};
use spki::AlgorithmIdentifierOwned;

use super::{SignError, UtcTime};

const ID_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
const ID_SIGNED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2");
const ID_CT_TST_INFO: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.1.4");

/// The largest token accepted (its certificates included).
pub(crate) const MAX_TOKEN: usize = 12 * 1024 - 64;

/// A timestamp authority, reached over HTTP within a time limit.
#[derive(Debug, Clone)]
pub struct Tsa {
    pub url: String,
    pub limit: Duration,
}

#[derive(Sequence)]
struct MessageImprint {
    hash_algorithm: AlgorithmIdentifierOwned,
    hashed_message: OctetString,
}

/// `TimeStampReq` with a nonce and `certReq` TRUE (the TSA's certificate in the token).
#[derive(Sequence)]
struct TimeStampReq {
    version: u8,
    message_imprint: MessageImprint,
    nonce: Uint,
    cert_req: bool,
}

/// `PKIStatusInfo`; the status string and failure bits are read only to be reported.
#[derive(Sequence)]
struct PkiStatusInfo<'a> {
    status: u8,
    #[asn1(optional = "true")]
    status_string: Option<Vec<der::asn1::Utf8StringRef<'a>>>,
    #[asn1(optional = "true")]
    fail_info: Option<der::asn1::BitString>,
}

/// What a token's `TSTInfo` says.
#[derive(Debug, Clone)]
pub(crate) struct TstInfo {
    pub(crate) imprint_is_sha256: bool,
    pub(crate) imprint: Vec<u8>,
    pub(crate) gen_time: UtcTime,
    pub(crate) nonce: Option<Vec<u8>>,
}

impl Tsa {
    /// A token over `parts` (their SHA-256), its CMS signature checked against them.
    pub(crate) fn stamp_bytes(&self, parts: &[&[u8]]) -> Result<Vec<u8>, SignError> {
        let mut hasher = Sha256::new();
        for p in parts {
            hasher.update(p);
        }
        let token = self.stamp(&hasher.finalize().into())?;
        let check = super::cms::inspect(&token, parts)?;
        if !(check.digest_matches && check.signature_valid) {
            return Err(SignError::BadTimestamp {
                url: self.url.clone(),
                why: "its token's signature does not verify".into(),
            });
        }
        Ok(token)
    }

    /// A token over `digest` (SHA-256), checked as the module doc says: DER `ContentInfo`.
    pub fn stamp(&self, digest: &[u8; 32]) -> Result<Vec<u8>, SignError> {
        let bad = |why: String| SignError::BadTimestamp {
            url: self.url.clone(),
            why,
        };
        let seed = Sha256::new()
            .chain_update(digest)
            .chain_update(
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap_or_default()
                    .as_nanos()
                    .to_be_bytes(),
            )
            .finalize();
        let mut nonce = seed[..8].to_vec();
        nonce[0] = (nonce[0] & 0x7f) | 0x01;
        let request = TimeStampReq {
            version: 1,
            message_imprint: MessageImprint {
                hash_algorithm: AlgorithmIdentifierOwned {
                    oid: ID_SHA256,
                    parameters: None,
                },
                hashed_message: OctetString::new(digest.to_vec())
                    .map_err(|e| SignError::Internal(e.to_string()))?,
            },
            nonce: Uint::new(&nonce).map_err(|e| SignError::Internal(e.to_string()))?,
            cert_req: true,
        }
        .to_der()
        .map_err(|e| SignError::Internal(e.to_string()))?;
        let answer = super::net::post(
            &self.url,
            "application/timestamp-query",
            &request,
            self.limit,
        )?;
        let token = token_of(&answer).map_err(bad)?;
        let info = tst_info(&token).ok_or_else(|| bad("its token does not read".into()))?;
        if !info.imprint_is_sha256 || info.imprint != digest {
            return Err(bad("its token is over other data than was sent".into()));
        }
        if info.nonce.as_deref().map(strip) != Some(strip(&nonce)) {
            return Err(bad(
                "its token does not carry the nonce that was sent".into()
            ));
        }
        if token.len() > MAX_TOKEN {
            return Err(bad(format!("its token is larger than {MAX_TOKEN} bytes")));
        }
        Ok(token)
    }
}

fn strip(b: &[u8]) -> &[u8] {
    let zeros = b.iter().take_while(|&&x| x == 0).count();
    &b[zeros..]
}

/// The token in a DER `TimeStampResp`, when the TSA granted one.
fn token_of(answer: &[u8]) -> Result<Vec<u8>, String> {
    use der::Reader;
    let unreadable = |_| "its answer is not a timestamp response".to_string();
    let mut reader = der::SliceReader::new(answer).map_err(unreadable)?;
    let (status, token) = reader
        .sequence(|r| {
            let status: PkiStatusInfo = r.decode()?;
            let token: Option<Any> = r.decode()?;
            Ok((status, token))
        })
        .map_err(unreadable)?;
    if status.status > 1 {
        let text: Vec<&str> = status
            .status_string
            .iter()
            .flatten()
            .map(|s| s.as_str())
            .collect();
        return Err(format!(
            "it refused (status {}{})",
            status.status,
            if text.is_empty() {
                String::new()
            } else {
                format!(": {}", text.join("; "))
            }
        ));
    }
    let token = token.ok_or("its answer holds no token")?;
    token.to_der().map_err(|e| e.to_string())
}

/// The `TSTInfo` of a DER timestamp token.
pub(crate) fn tst_info(token: &[u8]) -> Option<TstInfo> {
    let info = ContentInfo::from_der(token).ok()?;
    if info.content_type != ID_SIGNED_DATA {
        return None;
    }
    let sd: SignedData = info.content.decode_as().ok()?;
    if sd.encap_content_info.econtent_type != ID_CT_TST_INFO {
        return None;
    }
    let tst = sd
        .encap_content_info
        .econtent?
        .decode_as::<OctetString>()
        .ok()?;
    parse_tst_info(tst.as_bytes())
}

fn parse_tst_info(der_bytes: &[u8]) -> Option<TstInfo> {
    use der::Reader;
    let mut reader = der::SliceReader::new(der_bytes).ok()?;
    reader
        .sequence(|r| {
            let _version: der::asn1::Int = r.decode()?;
            let _policy: ObjectIdentifier = r.decode()?;
            let imprint: MessageImprint = r.decode()?;
            let _serial: der::asn1::Int = r.decode()?;
            let gen_time: Any = r.decode()?;
            let mut nonce = None;
            while !r.is_finished() {
                let any: Any = r.decode()?;
                if any.tag() == Tag::Integer && nonce.is_none() {
                    nonce = Some(any.value().to_vec());
                }
            }
            Ok((imprint, gen_time, nonce))
        })
        .ok()
        .and_then(|(imprint, gen_time, nonce)| {
            if gen_time.tag() != Tag::GeneralizedTime {
                return None;
            }
            Some(TstInfo {
                imprint_is_sha256: imprint.hash_algorithm.oid == ID_SHA256,
                imprint: imprint.hashed_message.as_bytes().to_vec(),
                gen_time: generalized_time(gen_time.value())?,
                nonce,
            })
        })
}

/// `YYYYMMDDHHMMSS[.fff]Z`, fractions dropped.
fn generalized_time(v: &[u8]) -> Option<UtcTime> {
    let s = std::str::from_utf8(v).ok()?;
    if !s.ends_with('Z') || s.len() < 15 {
        return None;
    }
    ymdhms(s)
}

/// The time `YYYYMMDDHHmmSS` at the start of `s` (a GeneralizedTime's, a PDF date's digits).
pub(crate) fn ymdhms(s: &str) -> Option<UtcTime> {
    let n = |a: usize, b: usize| s.get(a..b)?.parse::<u16>().ok();
    let u = |a: usize, b: usize| n(a, b).and_then(|x| u8::try_from(x).ok());
    UtcTime::new(
        n(0, 4)?,
        u(4, 6)?,
        u(6, 8)?,
        u(8, 10)?,
        u(10, 12)?,
        u(12, 14)?,
    )
    .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_generalized_times_with_and_without_fractions() {
        let t = generalized_time(b"20270102030405Z").unwrap();
        assert_eq!(t.to_string(), "2027-01-02 03:04:05 UTC");
        let t = generalized_time(b"20270102030405.123Z").unwrap();
        assert_eq!(t.to_string(), "2027-01-02 03:04:05 UTC");
        assert!(generalized_time(b"2027010203Z").is_none());
        assert!(generalized_time(b"20271302030405Z").is_none());
    }

    #[test]
    fn a_refusal_or_garbage_is_no_token() {
        // TimeStampResp { status { 2 (rejection) } }
        let refused = [0x30, 0x05, 0x30, 0x03, 0x02, 0x01, 0x02];
        assert!(
            token_of(&refused)
                .unwrap_err()
                .contains("refused (status 2")
        );
        assert!(token_of(b"<html>").is_err());
        // granted, but no token
        let empty = [0x30, 0x05, 0x30, 0x03, 0x02, 0x01, 0x00];
        assert!(token_of(&empty).unwrap_err().contains("no token"));
    }
}
