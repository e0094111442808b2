//! A signed and countersigned final copy, changed afterwards by another PDF library
//! (pyHanko's incremental writer, `tests/tools/tamper.py`): `verify` must say MISMATCH and
//! name the change, `sign` must refuse to sign it again, and poppler's `pdfsig` and pyHanko
//! must agree that the signatures no longer cover the file. The untouched copy still
//! verifies, each signature reported against the revision it covers.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common;
use crate::seal::{final_copy_alone, identities, pdfsig, sign_with as sign, verify};

/// A final copy signed by Malmö's signatory, then countersigned by Kaohsiung's.
fn countersigned() -> (tempfile::TempDir, PathBuf) {
    let (dir, pdf) = final_copy_alone();
    identities(dir.path());
    let script = "openssl req -x509 -newkey rsa:2048 -nodes -keyout k2.pem -out c2.pem \
        -subj '/CN=Chen Mei-ling' -days 365 2>/dev/null && \
        openssl pkcs12 -export -inkey k2.pem -in c2.pem -passout pass:secret -out second.p12";
    let made = Command::new("sh")
        .args(["-c", script])
        .current_dir(dir.path())
        .status()
        .unwrap();
    assert!(made.success());
    let once = dir.path().join("once.pdf");
    let twice = dir.path().join("twice.pdf");
    let out = sign(dir.path(), &pdf, "signer.p12", &once);
    assert!(out.status.success(), "{out:?}");
    let out = sign(dir.path(), &once, "second.p12", &twice);
    assert!(out.status.success(), "{out:?}");
    (dir, twice)
}

/// What pyHanko makes of each signature (`tests/tools/pyhanko_check.py`).
fn pyhanko(pdf: &Path) -> String {
    let out = Command::new("python3")
        .arg(common::root().join("tests/tools/pyhanko_check.py"))
        .arg(pdf)
        .output()
        .expect("python3 with pyHanko (tests/run.sh installs it)");
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// `pdf` changed by `tests/tools/tamper.py CASE`.
fn tampered(pdf: &Path, case: &str, extra: Option<&Path>) -> PathBuf {
    let out = pdf.with_file_name(format!("{case}.pdf"));
    let mut cmd = Command::new("python3");
    cmd.arg(common::root().join("tests/tools/tamper.py"))
        .arg(case)
        .arg(pdf)
        .arg(&out);
    if let Some(extra) = extra {
        cmd.arg(extra);
    }
    let done = cmd.output().unwrap();
    assert!(done.status.success(), "tamper.py {case}: {done:?}");
    assert_ne!(std::fs::read(&out).unwrap(), std::fs::read(pdf).unwrap());
    out
}

#[test]
fn an_untouched_countersigned_copy_verifies_with_what_each_signature_covers() {
    let (_dir, pdf) = countersigned();
    let (code, text) = verify(&pdf);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("MATCH"), "{text}");
    assert!(
        text.contains("covers revision 2 of 3; revision 3 adds a signature by CN=Chen Mei-ling"),
        "{text}"
    );
    assert!(text.contains("covers the whole file"), "{text}");
    let report = pdfsig(&pdf);
    assert_eq!(report.matches("Signature is Valid").count(), 2, "{report}");
    assert!(report.contains("Total document signed"), "{report}");
    let report = pyhanko(&pdf);
    assert_eq!(report.matches("intact=True").count(), 2, "{report}");
    assert!(report.contains("coverage=ENTIRE_FILE"), "{report}");
    assert!(!report.contains("modifications=OTHER"), "{report}");
}

#[test]
fn a_countersignature_validation_data_and_a_timestamp_are_allowed_and_an_unsigned_change_is_named()
{
    let (dir, pdf) = countersigned();
    let thrice = tampered(&pdf, "countersign", Some(dir.path()));
    let (code, text) = verify(&thrice);
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains("covers revision 3 of 4; revision 4 adds a signature by CN=Chen Mei-ling"),
        "{text}"
    );
    let report = pyhanko(&thrice);
    assert_eq!(report.matches("intact=True").count(), 3, "{report}");
    assert!(!report.contains("modifications=OTHER"), "{report}");
    // Validation data (a DSS) after the last signature is allowed too.
    let with_dss = tampered(&pdf, "dss", None);
    let (code, text) = verify(&with_dss);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("revision 4 adds validation data"), "{text}");
    let report = pyhanko(&with_dss);
    assert!(report.contains("modifications=LTA_UPDATES"), "{report}");
    // So is a document timestamp over everything, its token checked against the bytes.
    let stamped = tampered(&pdf, "timestamp", Some(dir.path()));
    let (code, text) = verify(&stamped);
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains("revision 4 adds a document timestamp"),
        "{text}"
    );
    let report = pyhanko(&stamped);
    assert_eq!(report.matches("intact=True").count(), 3, "{report}");
    // A timestamp whose token does not match its bytes is not intact: one digit of the
    // modification date that pyHanko wrote in the timestamp's revision, changed.
    let mut bytes = std::fs::read(&stamped).unwrap();
    let needle = b"/ModDate (D\\072";
    let at = bytes
        .windows(needle.len())
        .rposition(|w| w == needle)
        .expect("pyHanko dates its update")
        + needle.len();
    assert!(
        at > std::fs::read(&pdf).unwrap().len(),
        "in the timestamp's revision"
    );
    bytes[at] = if bytes[at] == b'1' { b'2' } else { b'1' };
    let broken = stamped.with_file_name("broken-timestamp.pdf");
    std::fs::write(&broken, bytes).unwrap();
    let (code, text) = verify(&broken);
    // The terms still match; a signature that does not hold exits 3.
    assert_eq!(code, 3, "{text}");
    assert!(
        text.contains("Timestamp-") && text.contains("does not match the bytes it signs"),
        "{text}"
    );
    // The same change on a copy nobody signed: named as a change after the render.
    let (_alone, unsigned) = final_copy_alone();
    let changed = tampered(&unsigned, "text", None);
    let (code, text) = verify(&changed);
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains("changed after it was rendered (revision 2 of 2): page 1 content"),
        "{text}"
    );
}

#[test]
fn every_change_after_signing_is_a_mismatch_with_its_reason() {
    let (dir, pdf) = countersigned();
    let other_terms = dir.path().join("other.yaml");
    let text = common::shipped("agreements/malmo-kaohsiung/round-2.yaml");
    std::fs::write(&other_terms, text).unwrap();
    let cases: [(&str, Option<&Path>, &str); 6] = [
        ("text", None, "page 1 content"),
        (
            "annotation",
            None,
            "an annotation (FreeText) added on page 1",
        ),
        ("attachment", None, "attachment `pactum.json` replaced"),
        ("terms", Some(&other_terms), "replaced"),
        ("truncate", None, "not a complete update"),
        ("junk", None, "not a complete update"),
    ];
    for (case, extra, reason) in cases {
        let changed = tampered(&pdf, case, extra);
        let (code, text) = verify(&changed);
        assert_eq!(code, 1, "{case}: {text}");
        assert!(text.contains("MISMATCH"), "{case}: {text}");
        assert!(
            text.contains(reason),
            "{case}: expected `{reason}` in\n{text}"
        );
        // pdfsig: the newest signature no longer covers the whole file.
        let report = pdfsig(&changed);
        assert!(
            !report.contains("- Total document signed"),
            "{case}: pdfsig\n{report}"
        );
        // pyHanko: no signature covers the whole file any more (it also calls the
        // updates' modifications OTHER, and cannot read a cut file at all).
        let report = pyhanko(&changed);
        assert!(
            !report.contains("coverage=ENTIRE_FILE"),
            "{case}: pyHanko\n{report}"
        );
        // Signing it again is refused, and nothing is written.
        let out = dir.path().join(format!("{case}-signed.pdf"));
        let done = sign(dir.path(), &changed, "signer.p12", &out);
        assert_eq!(done.status.code(), Some(1), "{case}: {done:?}");
        assert!(!out.exists(), "{case}");
    }
}

#[test]
fn visible_text_names_its_font_and_the_last_signature() {
    let (_dir, pdf) = countersigned();
    let changed = tampered(&pdf, "text", None);
    assert!(common::pdf_text(&changed).contains("AMENDED AFTER SIGNING"));
    let (code, text) = verify(&changed);
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains("changed after the last signature (revision 4 of 4): page 1 content"),
        "{text}"
    );
    assert!(text.contains("1 font added on page 1"), "{text}");
}
