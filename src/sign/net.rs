//! The network, used only when asked (`--tsa`, `--ltv`): one HTTP or HTTPS request with a
//! time limit and a size limit on the answer, through `ureq`. Plain HTTP is what most
//! timestamp authorities, OCSP responders and CRL distribution points serve (their answers are
//! signed); some timestamp authorities serve only HTTPS. TLS is rustls (on ring), trusting
//! the system's root certificates as `rustls-native-certs` finds them: the platform's store,
//! or the PEM file in `SSL_CERT_FILE` (and the folders in `SSL_CERT_DIR`) when set.

use std::sync::OnceLock;
use std::time::Duration;

use ureq::tls::{RootCerts, TlsConfig};

use super::SignError;

/// The most an answer may hold (a CRL of a large CA is a few MB).
const MAX_ANSWER: u64 = 16 << 20;

/// POSTs `body` as `content_type` to `url` and returns the answer's bytes.
pub(crate) fn post(
    url: &str,
    content_type: &str,
    body: &[u8],
    limit: Duration,
) -> Result<Vec<u8>, SignError> {
    let answer = agent(url, limit)?
        .post(url)
        .header("Content-Type", content_type)
        .send(body)
        .map_err(|e| failed(url, limit, &e))?;
    read(url, limit, answer)
}

/// GETs `url` and returns the answer's bytes.
pub(crate) fn get(url: &str, limit: Duration) -> Result<Vec<u8>, SignError> {
    let answer = agent(url, limit)?
        .get(url)
        .call()
        .map_err(|e| failed(url, limit, &e))?;
    read(url, limit, answer)
}

fn agent(url: &str, limit: Duration) -> Result<ureq::Agent, SignError> {
    let config = ureq::Agent::config_builder().timeout_global(Some(limit));
    let is_https = url
        .get(..8)
        .is_some_and(|s| s.eq_ignore_ascii_case("https://"));
    let config = if is_https {
        let roots = system_roots().map_err(|why| SignError::Network {
            url: url.to_string(),
            why,
        })?;
        config.tls_config(TlsConfig::builder().root_certs(roots).build())
    } else {
        config
    };
    Ok(config.build().into())
}

/// The system's trusted root certificates, read once (reading a store can take a while).
fn system_roots() -> Result<RootCerts, String> {
    static ROOTS: OnceLock<Result<RootCerts, String>> = OnceLock::new();
    ROOTS
        .get_or_init(|| {
            let found = rustls_native_certs::load_native_certs();
            if found.certs.is_empty() {
                let why: Vec<String> = found.errors.iter().map(ToString::to_string).collect();
                return Err(format!(
                    "no trusted root certificates were found on this system{}; set \
                     SSL_CERT_FILE to a PEM file of the ones to trust",
                    if why.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", why.join("; "))
                    }
                ));
            }
            Ok(RootCerts::from(found.certs.iter().map(|c| {
                ureq::tls::Certificate::from_der(c.as_ref()).to_owned()
            })))
        })
        .clone()
}

fn read(
    url: &str,
    limit: Duration,
    answer: ureq::http::Response<ureq::Body>,
) -> Result<Vec<u8>, SignError> {
    answer
        .into_body()
        .with_config()
        .limit(MAX_ANSWER)
        .read_to_vec()
        .map_err(|e| failed(url, limit, &e))
}

fn failed(url: &str, limit: Duration, e: &ureq::Error) -> SignError {
    let why = match e {
        ureq::Error::Timeout(_) => format!("no answer within {} seconds", limit.as_secs_f64()),
        ureq::Error::StatusCode(code) => format!("it answered with HTTP status {code}"),
        ureq::Error::BodyExceedsLimit(_) => format!("its answer is larger than {MAX_ANSWER} bytes"),
        ureq::Error::Rustls(e) => format!("the TLS connection failed: {e}"),
        ureq::Error::Io(io) if io.get_ref().is_some_and(|i| i.is::<rustls::Error>()) => {
            format!(
                "the TLS connection failed: {}",
                io.get_ref().map(ToString::to_string).unwrap_or_default()
            )
        }
        ureq::Error::Tls(e) => format!("the TLS connection failed: {e}"),
        other => other.to_string(),
    };
    SignError::Network {
        url: url.to_string(),
        why,
    }
}
