//! `pactum sign`: sign a PDF pactum rendered as PAdES-B-B with a PKCS#12 identity, as an
//! incremental update (the rendered bytes stay as they were, so `verify` still proves them).
//! Also owns opening the identity: the password comes from `PACTUM_SIGN_PASSWORD`, or from a
//! prompt when standard input is a terminal. Nothing is written when anything is wrong.

use crate::diagnostic::Kind;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use super::{CmdResult, Outcome};
use crate::diagnostic::Diagnostic;
use crate::output::write_atomic;
use crate::sign::{self, Identity, UtcTime};

/// The environment variable holding the identity file's password.
pub const PASSWORD_VAR: &str = "PACTUM_SIGN_PASSWORD";

pub fn run(pdf: &Path, identity: &Path, output: Option<&Path>, force: bool) -> CmdResult {
    let out = output.map_or_else(|| signed_name(pdf), Path::to_path_buf);
    let signer = sign_file(pdf, identity, &out, force)?;
    println!("wrote {} (signed by {signer})", out.display());
    Ok(Outcome::Done)
}

fn sign_file(pdf: &Path, identity: &Path, out: &Path, force: bool) -> Result<String, Diagnostic> {
    let fail = |message: String| Diagnostic::new(Kind::Sign, pdf.display().to_string(), message);
    if out.exists() && !force {
        return Err(Diagnostic::new(
            Kind::Output,
            out.display().to_string(),
            "the file exists; nothing was written",
        )
        .with_hint("pass --force to overwrite it, or -o FILE"));
    }
    let bytes = std::fs::read(pdf).map_err(|e| fail(format!("cannot read: {e}")))?;
    let audit = sign::audit(&bytes).map_err(|e| fail(e.to_string()))?;
    refuse_changed(&audit).map_err(fail)?;
    crate::provenance::read(audit.original(&bytes)).map_err(|e| {
        fail(format!(
            "{e}; pactum signs only the copies it rendered (they carry their terms)"
        ))
    })?;
    let id = open_identity(identity)?;
    let signed =
        sign::sign_pdf(&bytes, &id, UtcTime::now(), None).map_err(|e| fail(e.to_string()))?;
    write_atomic(out, &signed)?;
    Ok(id.subject())
}

/// A copy whose signatures no longer hold, or that was changed after its render in a way
/// signing does not allow, is not signed again: the new signature would vouch for it.
fn refuse_changed(audit: &sign::Audit) -> Result<(), String> {
    if let Some(c) = audit.signatures.iter().find(|c| !c.signature.is_intact()) {
        return Err(format!(
            "the signature `{}` in it does not match the bytes it signs; it will not be \
             signed again",
            c.signature.field_name
        ));
    }
    if audit.problems.is_empty() {
        return Ok(());
    }
    Err(format!(
        "{}; it will not be signed",
        audit.problems.join("; ")
    ))
}

/// Open a PKCS#12 identity, asking for its password as [`PASSWORD_VAR`] or a prompt allows,
/// and check its certificate is valid now.
pub fn open_identity(path: &Path) -> Result<Identity, Diagnostic> {
    let fail = |message: String| Diagnostic::new(Kind::Sign, path.display().to_string(), message);
    let der = std::fs::read(path).map_err(|e| fail(format!("cannot read: {e}")))?;
    let password = match std::env::var(PASSWORD_VAR) {
        Ok(p) => p,
        Err(_) if std::io::stdin().is_terminal() => {
            rpassword::prompt_password(format!("Password for {}: ", path.display()))
                .map_err(|e| fail(format!("cannot read the password: {e}")))?
        }
        Err(_) => {
            return Err(
                fail("no password for the identity file".into()).with_hint(format!(
                    "set {PASSWORD_VAR}, or run pactum on a terminal to be asked for it"
                )),
            );
        }
    };
    let id = Identity::from_pkcs12(&der, &password).map_err(|e| fail(e.to_string()))?;
    id.check_valid_at(UtcTime::now())
        .map_err(|e| fail(e.to_string()))?;
    Ok(id)
}

/// `x.pdf` → `x-signed.pdf`, beside it.
fn signed_name(pdf: &Path) -> PathBuf {
    let stem = pdf
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "agreement".into());
    pdf.with_file_name(format!("{stem}-signed.pdf"))
}
