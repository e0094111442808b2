//! `pactum timestamp`: add a document timestamp (PAdES-B-LTA) from an RFC 3161 timestamp
//! authority to a PDF pactum rendered (usually signed, often with validation data), as an
//! incremental update written to a new file. The copy must be one `sign` would sign: every
//! signature intact, nothing changed after it that signing does not allow.

use std::path::Path;

use super::sign::{check_output, network_limit, signed_name};
use super::{CmdResult, Outcome};
use crate::diagnostic::{Diagnostic, Kind};
use crate::output::write_atomic;
use crate::sign;

pub fn run(
    pdf: &Path,
    tsa: &str,
    output: Option<&Path>,
    force: bool,
    network_timeout: f64,
) -> CmdResult {
    let out = output.map_or_else(|| signed_name(pdf, "timestamped"), Path::to_path_buf);
    let fail = |message: String| Diagnostic::new(Kind::Sign, pdf.display().to_string(), message);
    check_output(pdf, &out, force)?;
    let bytes = std::fs::read(pdf).map_err(|e| fail(format!("cannot read: {e}")))?;
    let audit = sign::audit(&bytes).map_err(|e| fail(e.to_string()))?;
    super::sign::refuse_changed(&audit).map_err(fail)?;
    let tsa = sign::Tsa {
        url: tsa.to_string(),
        limit: network_limit(network_timeout),
    };
    let stamped = sign::timestamp_pdf(&bytes, &tsa).map_err(|e| fail(e.to_string()))?;
    write_atomic(&out, &stamped)?;
    println!("wrote {} (timestamped by {})", out.display(), tsa.url);
    Ok(Outcome::Done)
}
