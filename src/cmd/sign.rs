//! `pactum sign`: sign a PDF pactum rendered, or countersign a signed one, as PAdES-B-B (B-T
//! with `--tsa`, B-LT with `--ltv`) with a PKCS#12 identity or a PKCS#11 key, as an incremental
//! update (every earlier byte stays as it was, so `verify` still proves the render and every
//! earlier signature still holds). The signature goes into a field named after the party whose
//! signatory (or organisation) the certificate names, on the page of the signature block.
//! Also owns opening the identity: the password comes from `PACTUM_SIGN_PASSWORD`, or from a
//! prompt when standard input is a terminal. Nothing is written when anything is wrong, and
//! never over the input.

use crate::diagnostic::Kind;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::{CmdResult, Outcome};
use crate::cli::SignArgs;
use crate::diagnostic::Diagnostic;
use crate::output::write_atomic;
use crate::sign::{self, Identity, Signer as _, UtcTime};

/// The environment variable holding the identity file's password.
pub const PASSWORD_VAR: &str = "PACTUM_SIGN_PASSWORD";
/// The environment variable holding the PKCS#11 token's PIN.
pub const PIN_VAR: &str = "PACTUM_PKCS11_PIN";

/// A secret from the environment variable `var`, or asked for on a terminal.
fn secret(var: &str, prompt: &str) -> Result<String, String> {
    match std::env::var(var) {
        Ok(p) => Ok(p),
        Err(_) if std::io::stdin().is_terminal() => {
            rpassword::prompt_password(prompt).map_err(|e| format!("cannot read it: {e}"))
        }
        Err(_) => Err(format!(
            "no PIN or password: set {var}, or run pactum on a terminal to be asked for it"
        )),
    }
}

pub fn run(args: &SignArgs) -> CmdResult {
    let out = args
        .output
        .clone()
        .unwrap_or_else(|| signed_name(&args.pdf, "signed"));
    let signer = sign_file(args, &out)?;
    println!("wrote {} (signed by {signer})", out.display());
    Ok(Outcome::Done)
}

/// Refuses to write over the input (a signed PDF is never changed in place) or, without
/// `--force`, over any existing file.
pub(super) fn check_output(pdf: &Path, out: &Path, force: bool) -> Result<(), Diagnostic> {
    let same = match (std::fs::canonicalize(pdf), std::fs::canonicalize(out)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if same {
        return Err(Diagnostic::new(
            Kind::Output,
            out.display().to_string(),
            "this is the PDF being signed; a signed PDF is never changed in place, nothing was written",
        )
        .with_hint("name another file with -o FILE"));
    }
    if out.exists() && !force {
        return Err(Diagnostic::new(
            Kind::Output,
            out.display().to_string(),
            "the file exists; nothing was written",
        )
        .with_hint("pass --force to overwrite it, or -o FILE"));
    }
    Ok(())
}

fn sign_file(args: &SignArgs, out: &Path) -> Result<String, Diagnostic> {
    let pdf = &args.pdf;
    let fail = |message: String| Diagnostic::new(Kind::Sign, pdf.display().to_string(), message);
    check_output(pdf, out, args.force)?;
    let bytes = std::fs::read(pdf).map_err(|e| fail(format!("cannot read: {e}")))?;
    let audit = sign::audit(&bytes).map_err(|e| fail(e.to_string()))?;
    refuse_changed(&audit).map_err(fail)?;
    let attached = crate::provenance::read(audit.original(&bytes)).map_err(|e| {
        fail(format!(
            "{e}; pactum signs only the copies it rendered (they carry their terms)"
        ))
    })?;
    let signer = open_signer(args)?;
    let tsa = args.tsa.as_ref().map(|url| sign::Tsa {
        url: url.clone(),
        limit: network_limit(args.network_timeout),
    });
    // The signature goes into the field of the party whose signature block it signs.
    let cert = signer.certificate();
    let request = sign::Request {
        stamp: tsa.as_ref(),
        ..sign::Request::at(UtcTime::now())
    }
    .in_party_field(&attached.terms, cert);
    let mut signed =
        sign::sign_with(&bytes, signer.as_ref(), &request).map_err(|e| fail(e.to_string()))?;
    if args.ltv {
        let sources = sign::RevocationSources {
            ocsp_files: read_all(&args.ocsp)?,
            crl_files: read_all(&args.crl)?,
            limit: network_limit(args.network_timeout),
        };
        signed = sign::add_validation_data(&signed, &sources).map_err(|e| fail(e.to_string()))?;
    }
    write_atomic(out, &signed)?;
    Ok(cert.tbs_certificate.subject.to_string())
}

/// The files given with `--ocsp` / `--crl`, read.
fn read_all(paths: &[PathBuf]) -> Result<Vec<Vec<u8>>, Diagnostic> {
    paths
        .iter()
        .map(|p| {
            std::fs::read(p).map_err(|e| {
                Diagnostic::new(
                    Kind::Sign,
                    p.display().to_string(),
                    format!("cannot read: {e}"),
                )
            })
        })
        .collect()
}

/// `--network-timeout` as a duration (30 s when it is not a usable number).
pub(super) fn network_limit(seconds: f64) -> Duration {
    Duration::try_from_secs_f64(seconds)
        .ok()
        .filter(|d| !d.is_zero())
        .unwrap_or(Duration::from_secs(30))
}

/// The key that signs: a PKCS#12 file, or a key on a PKCS#11 token.
fn open_signer(args: &SignArgs) -> Result<Box<dyn sign::Signer>, Diagnostic> {
    match (&args.identity, &args.pkcs11) {
        (Some(identity), _) => Ok(Box::new(open_identity(identity)?)),
        (None, Some(module)) => {
            let token = args.token.as_deref().unwrap_or_default();
            let key = args.key.as_deref().unwrap_or_default();
            let fail = |m: String| Diagnostic::new(Kind::Sign, module.display().to_string(), m);
            let pin = secret(PIN_VAR, &format!("PIN for the token `{token}`: "))
                .map_err(|m| fail(m.to_string()))?;
            let key =
                sign::TokenKey::open(module, token, key, &pin).map_err(|e| fail(e.to_string()))?;
            sign::check_valid_at(key.certificate(), UtcTime::now())
                .map_err(|e| fail(e.to_string()))?;
            Ok(Box::new(key))
        }
        (None, None) => Err(Diagnostic::general(
            Kind::Usage,
            "give the signer's key: --identity ID.p12, or --pkcs11 MODULE.so --token LABEL --key LABEL",
        )),
    }
}

/// A copy whose signatures no longer hold, or that was changed after its render in a way
/// signing does not allow, is not signed again: the new signature would vouch for it.
pub(super) fn refuse_changed(audit: &sign::Audit) -> Result<(), String> {
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

/// `x.pdf` → `x-signed.pdf` (or another `suffix`), beside it.
pub(super) fn signed_name(pdf: &Path, suffix: &str) -> PathBuf {
    let stem = pdf
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "agreement".into());
    pdf.with_file_name(format!("{stem}-{suffix}.pdf"))
}
