//! The network, used only when asked (`--tsa`, `--ltv`): one HTTP request with a time limit
//! and a size limit on the answer, through `ureq`. Plain HTTP is what timestamp authorities,
//! OCSP responders and CRL distribution points serve (their answers are signed).

use std::time::Duration;

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
    let agent = agent(limit);
    let answer = agent
        .post(url)
        .header("Content-Type", content_type)
        .send(body)
        .map_err(|e| failed(url, limit, &e))?;
    read(url, limit, answer)
}

/// GETs `url` and returns the answer's bytes.
pub(crate) fn get(url: &str, limit: Duration) -> Result<Vec<u8>, SignError> {
    let answer = agent(limit)
        .get(url)
        .call()
        .map_err(|e| failed(url, limit, &e))?;
    read(url, limit, answer)
}

fn agent(limit: Duration) -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(limit))
        .build()
        .into()
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
        other => other.to_string(),
    };
    SignError::Network {
        url: url.to_string(),
        why,
    }
}
