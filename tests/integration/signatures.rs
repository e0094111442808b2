//! Signatures that last, by both parties (issue 30): countersigning into each party's own
//! field, `verify`'s report of every signature (`--trust`, `--format json`, exit 3), RFC 3161
//! timestamps from a local TSA (`openssl ts -reply` behind `tests/tools/tsa_server.py`),
//! validation data from a local OCSP responder (`openssl ocsp`) or files, document timestamps,
//! and PKCS#11 keys in SoftHSM2 — each level judged by poppler's `pdfsig` and by pyHanko
//! (`tests/tools/pyhanko_levels.py`, and `pyhanko sign adesverify` for the long-term levels).
//! Nothing uses the network beyond 127.0.0.1.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use crate::common::{self, pactum};
use crate::seal::{final_copy_alone, pdfsig};

/// A folder with the test PKI (`tests/tools/pki.sh`) and a final copy, `copy.pdf`.
struct Pki {
    dir: tempfile::TempDir,
    /// The port the certificates name for their OCSP responder.
    ocsp_port: u16,
}

impl Pki {
    fn new() -> Pki {
        let (dir, pdf) = final_copy_alone();
        std::fs::rename(&pdf, dir.path().join("copy.pdf")).unwrap();
        let ocsp_port = free_port();
        let made = Command::new("sh")
            .arg(common::root().join("tests/tools/pki.sh"))
            .arg(format!("http://127.0.0.1:{ocsp_port}/"))
            .current_dir(dir.path())
            .output()
            .expect("openssl is installed (tests/run.sh installs it)");
        assert!(made.status.success(), "pki.sh: {made:?}");
        Pki { dir, ocsp_port }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// `pactum sign IN --identity ID -o OUT EXTRA…` (password `secret`).
    fn sign(&self, input: &str, id: &str, out: &str, extra: &[&str]) -> Output {
        pactum()
            .env("PACTUM_SIGN_PASSWORD", "secret")
            .arg("sign")
            .arg(self.path(input))
            .arg("--identity")
            .arg(self.path(id))
            .arg("-o")
            .arg(self.path(out))
            .args(extra)
            .output()
            .unwrap()
    }

    /// `pactum verify PDF EXTRA…`: exit code, stdout and stderr.
    fn verify(&self, pdf: &str, extra: &[&str]) -> (i32, String) {
        let out = pactum()
            .arg("verify")
            .arg(self.path(pdf))
            .args(extra)
            .output()
            .unwrap();
        (out.status.code().unwrap_or(-1), text(&out))
    }

    fn trust(&self) -> String {
        self.path("ca.pem").display().to_string()
    }

    /// What `tests/tools/pyhanko_levels.py` says of every signature, trusting the test CA.
    fn pyhanko(&self, pdf: &str) -> String {
        let out = Command::new("python3")
            .arg(common::root().join("tests/tools/pyhanko_levels.py"))
            .arg(self.path(pdf))
            .arg(self.path("ca.pem"))
            .output()
            .expect("python3 with pyHanko (tests/run.sh installs it)");
        text(&out)
    }

    /// pyHanko's AdES long-term validation (`pyhanko sign adesverify`, revocation data
    /// required, nothing fetched): (passed, what it printed).
    fn adesverify(&self, pdf: &str) -> (bool, String) {
        let out = Command::new("pyhanko")
            .args(["sign", "adesverify", "--trust"])
            .arg(self.path("ca.pem"))
            .args(["--trust-replace", "--executive-summary"])
            .arg(self.path(pdf))
            .output()
            .expect("pyhanko-cli (tests/run.sh installs it)");
        (out.status.success(), text(&out))
    }

    /// A local OCSP responder (`openssl ocsp`) on the port the certificates name. It serves
    /// one connection at a time, so it is not probed: it is ready once it says `ACCEPT`.
    fn ocsp_responder(&self) -> Server {
        let mut child = Command::new("openssl")
            .args(["ocsp", "-index", "index.txt", "-port"])
            .arg(self.ocsp_port.to_string())
            .args(["-rsigner", "ocsp.pem", "-rkey", "ocsp.key", "-CA", "ca.pem"])
            .args(["-ndays", "1"])
            .current_dir(self.dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert!(line.starts_with("ACCEPT"), "openssl ocsp: {line}");
        Server(child)
    }

    /// A local TSA answering as `mode` says (see `tests/tools/tsa_server.py`); its URL.
    fn tsa(&self, mode: &str) -> (Server, String) {
        self.tsa_with(mode, &[])
    }

    /// A local TSA answering as `mode` says, `tls` the extra arguments (a certificate and its
    /// key for HTTPS); its URL.
    fn tsa_with(&self, mode: &str, tls: &[&str]) -> (Server, String) {
        let scheme = if tls.is_empty() { "http" } else { "https" };
        let mut child = Command::new("python3")
            .arg(common::root().join("tests/tools/tsa_server.py"))
            .arg(self.dir.path())
            .arg(mode)
            .args(tls)
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port: u16 = line.trim().parse().expect("the TSA prints its port");
        (Server(child), format!("{scheme}://127.0.0.1:{port}/"))
    }
}

/// A process the test started, ended when the test is done with it.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn ok(out: &Output) {
    assert!(out.status.success(), "{}", text(out));
}

/// A refusal: exit 1, `error[sign]`, and no output file.
fn refused(pki: &Pki, out: &Output, file: &str, reason: &str) {
    let said = text(out);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(said.contains("error[sign]"), "{said}");
    assert!(said.contains(reason), "expected `{reason}` in {said}");
    assert!(!pki.path(file).exists(), "{file} was written");
}

/// Two parties in turn: Malmö's signatory, then Kaohsiung's.
fn countersigned(pki: &Pki) {
    ok(&pki.sign("copy.pdf", "karin.p12", "once.pdf", &[]));
    ok(&pki.sign("once.pdf", "lin.p12", "twice.pdf", &[]));
}

#[test]
fn two_parties_sign_in_turn_each_into_its_own_field_and_both_signatures_hold() {
    let pki = Pki::new();
    countersigned(&pki);
    let once = std::fs::read(pki.path("once.pdf")).unwrap();
    let twice = std::fs::read(pki.path("twice.pdf")).unwrap();
    assert!(
        twice.starts_with(&once),
        "the countersignature rewrote bytes"
    );

    let report = pdfsig(&pki.path("twice.pdf"));
    assert_eq!(report.matches("Signature is Valid").count(), 2, "{report}");
    assert!(
        report.contains("Signature Field Name: Signature Malmö"),
        "{report}"
    );
    assert!(
        report.contains("Signature Field Name: Signature Kaohsiung"),
        "{report}"
    );
    let report = pki.pyhanko("twice.pdf");
    assert_eq!(
        report
            .matches("valid=True intact=True trusted=True")
            .count(),
        2,
        "{report}"
    );
    // Each in its party's field, on the page of the signature block (the last page where
    // pdftotext finds both signatories' names).
    let pages = common::pdf_text(&pki.path("copy.pdf"))
        .split('\u{c}')
        .map(|page| page.contains("Karin Bergqvist") && page.contains("Lin Chia-hao"))
        .collect::<Vec<_>>();
    let block = pages.iter().rposition(|p| *p).expect("a signature block") + 1;
    assert!(block > 1, "the signature block is not on the first page");
    for field in ["Signature Malmö", "Signature Kaohsiung"] {
        let line = report
            .lines()
            .find(|l| l.starts_with(field))
            .unwrap_or_default();
        assert!(
            line.ends_with(&format!("page={block}")),
            "{field} not on page {block}: {report}"
        );
    }

    let (code, said) = pki.verify("twice.pdf", &["--trust", &pki.trust()]);
    assert_eq!(code, 0, "{said}");
    assert!(said.contains("MATCH"), "{said}");
    for who in ["CN=Karin Bergqvist", "CN=Lin Chia-hao"] {
        assert!(said.contains(who), "{who} not named: {said}");
    }
    assert!(
        said.contains("covers revision 2 of 3; revision 3 adds a signature by"),
        "{said}"
    );
    assert_eq!(
        said.matches("trusted: chains to the anchor CN=Test Root CA")
            .count(),
        2,
        "{said}"
    );
    let (code, said) = pki.verify("twice.pdf", &[]);
    assert_eq!(code, 0, "{said}");
    assert_eq!(
        said.matches("not trusted: no anchor given").count(),
        2,
        "{said}"
    );

    // The same as data.
    let (code, said) = pki.verify("twice.pdf", &["--trust", &pki.trust(), "--format", "json"]);
    assert_eq!(code, 0, "{said}");
    let json: serde_json::Value = serde_json::from_str(&said).unwrap();
    assert_eq!(json["result"], "match");
    let sigs = json["signatures"].as_array().unwrap();
    assert_eq!(sigs.len(), 2);
    assert_eq!(sigs[0]["field"], "Signature Malmö");
    assert_eq!(sigs[1]["field"], "Signature Kaohsiung");
    assert_eq!(sigs[0]["revision"], 2);
    assert_eq!(sigs[1]["revision"], 3);
    assert_eq!(sigs[1]["revisions"], 3);
    assert_eq!(sigs[0]["trust"]["trusted"], true);
    assert_eq!(sigs[0]["validity"]["valid"], true);
    assert_eq!(sigs[0]["revocation"]["embedded"], false);
    assert!(sigs[1]["signer"].as_str().unwrap().contains("Lin Chia-hao"));

    // A signed PDF is never written over.
    let out = pki.sign("twice.pdf", "karin.p12", "twice.pdf", &["--force"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("never changed in place"),
        "{}",
        text(&out)
    );
    assert_eq!(std::fs::read(pki.path("twice.pdf")).unwrap(), twice);
}

#[test]
fn batch_signs_each_copy_into_the_signing_partys_field_and_the_other_party_countersigns() {
    let pki = Pki::new();
    let agreement = pki.path("agreements/malmo-kaohsiung");
    std::fs::create_dir_all(&agreement).unwrap();
    let terms = common::shipped("agreements/malmo-kaohsiung/round-3.yaml");
    assert!(terms.contains("counterparts: false"));
    std::fs::write(
        agreement.join("round-3.yaml"),
        terms.replace("counterparts: false", "counterparts: true"),
    )
    .unwrap();
    let out = pactum()
        .env("PACTUM_SIGN_PASSWORD", "secret")
        .args(["batch", "--final", "--sign"])
        .arg(pki.path("karin.p12"))
        .arg(pki.path("agreements"))
        .arg("-o")
        .arg(pki.path("out"))
        .output()
        .unwrap();
    ok(&out);
    let mut copies: Vec<PathBuf> = std::fs::read_dir(pki.path("out/malmo-kaohsiung"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    copies.sort();
    assert_eq!(copies.len(), 2, "one original per party: {copies:?}");
    for (i, copy) in copies.iter().enumerate() {
        // Karin signs each party's original in Malmö's field.
        let report = pdfsig(copy);
        assert_eq!(report.matches("Signature is Valid").count(), 1, "{report}");
        assert!(
            report.contains("Signature Field Name: Signature Malmö"),
            "{report}"
        );
        let once = format!("batch-{i}.pdf");
        std::fs::copy(copy, pki.path(&once)).unwrap();
        let report = pki.pyhanko(&once);
        assert!(
            report.contains("Signature Malmö kind=signature valid=True intact=True trusted=True"),
            "{report}"
        );
        // Lin countersigns the batch copy into Kaohsiung's field; both hold.
        let twice = format!("batch-{i}-twice.pdf");
        ok(&pki.sign(&once, "lin.p12", &twice, &[]));
        let report = pdfsig(&pki.path(&twice));
        assert_eq!(report.matches("Signature is Valid").count(), 2, "{report}");
        assert!(
            report.contains("Signature Field Name: Signature Kaohsiung"),
            "{report}"
        );
        let report = pki.pyhanko(&twice);
        for field in ["Signature Malmö", "Signature Kaohsiung"] {
            assert!(
                report.contains(&format!(
                    "{field} kind=signature valid=True intact=True trusted=True"
                )),
                "{field}: {report}"
            );
        }
        let (code, said) = pki.verify(&twice, &["--trust", &pki.trust()]);
        assert_eq!(code, 0, "{said}");
    }
    let manifest = std::fs::read_to_string(pki.path("out/manifest.json")).unwrap();
    assert_eq!(
        manifest.matches("CN=Karin Bergqvist").count(),
        2,
        "{manifest}"
    );
}

#[test]
fn one_changed_byte_after_the_second_signature_is_reported_by_pdfsig_pyhanko_and_verify() {
    let pki = Pki::new();
    countersigned(&pki);
    let mut bytes = std::fs::read(pki.path("twice.pdf")).unwrap();
    let once_len = std::fs::read(pki.path("once.pdf")).unwrap().len();
    // A digit of the second signature's /M, in the revision it signs.
    let at = bytes
        .windows(5)
        .rposition(|w| w == b"(D:20")
        .expect("a signing date")
        + 5;
    assert!(at > once_len);
    bytes[at] = if bytes[at] == b'1' { b'2' } else { b'1' };
    std::fs::write(pki.path("changed.pdf"), &bytes).unwrap();

    let report = pdfsig(&pki.path("changed.pdf"));
    assert_eq!(report.matches("Signature is Valid").count(), 1, "{report}");
    let report = pki.pyhanko("changed.pdf");
    assert!(
        report.contains("Signature Malmö kind=signature valid=True intact=True"),
        "{report}"
    );
    assert!(
        report.contains("Signature Kaohsiung kind=signature") && report.contains("intact=False"),
        "{report}"
    );
    // The terms still match; the second signature does not hold: exit 3.
    let (code, said) = pki.verify("changed.pdf", &["--trust", &pki.trust()]);
    assert_eq!(code, 3, "{said}");
    assert!(said.contains("MATCH"), "{said}");
    assert!(
        said.contains("SIGNATURE INVALID") && said.contains("`Signature Kaohsiung` by"),
        "{said}"
    );
    assert!(said.contains("does not match the bytes it signs"), "{said}");
    let (code, said) = pki.verify("changed.pdf", &["--format", "json"]);
    assert_eq!(code, 3, "{said}");
    let json: serde_json::Value = serde_json::from_str(&said).unwrap();
    assert_eq!(json["result"], "signature_invalid");
    assert_eq!(json["signatures"][1]["intact"], false);
    assert_eq!(json["signatures"][0]["intact"], true);
}

#[test]
fn a_signature_timestamped_by_a_local_tsa_is_pades_b_t_and_a_bad_tsa_writes_nothing() {
    let pki = Pki::new();
    let (_tsa, url) = pki.tsa("good");
    ok(&pki.sign("copy.pdf", "karin.p12", "bt.pdf", &["--tsa", &url]));
    let report = pki.pyhanko("bt.pdf");
    assert!(
        report.contains("valid=True intact=True trusted=True timestamp=valid"),
        "{report}"
    );
    let report = pdfsig(&pki.path("bt.pdf"));
    assert!(report.contains("Signature is Valid"), "{report}");
    let (code, said) = pki.verify("bt.pdf", &["--trust", &pki.trust()]);
    assert_eq!(code, 0, "{said}");
    assert!(
        said.contains("timestamp: ") && said.contains("by CN=Test TSA"),
        "{said}"
    );
    assert!(
        said.contains("(timestamp)"),
        "validity judged at the timestamp: {said}"
    );

    // A TSA that answers garbage, a token over other data, too late, or not at all.
    for (mode, reason) in [
        ("garbage", "not a timestamp response"),
        ("other", "over other data"),
    ] {
        let (_bad, url) = pki.tsa(mode);
        let out = pki.sign("copy.pdf", "karin.p12", "bad.pdf", &["--tsa", &url]);
        refused(&pki, &out, "bad.pdf", reason);
    }
    let (_slow, url) = pki.tsa("slow");
    let out = pki.sign(
        "copy.pdf",
        "karin.p12",
        "bad.pdf",
        &["--tsa", &url, "--network-timeout", "1"],
    );
    refused(&pki, &out, "bad.pdf", "no answer within 1 seconds");
    let closed = format!("http://127.0.0.1:{}/", free_port());
    let out = pki.sign("copy.pdf", "karin.p12", "bad.pdf", &["--tsa", &closed]);
    refused(&pki, &out, "bad.pdf", "could not be used");
    let out = pactum()
        .args(["timestamp"])
        .arg(pki.path("bt.pdf"))
        .args(["--tsa", &closed, "-o"])
        .arg(pki.path("bad.pdf"))
        .output()
        .unwrap();
    refused(&pki, &out, "bad.pdf", "could not be used");
}

#[test]
fn validation_data_from_a_local_ocsp_responder_then_a_document_timestamp_pass_long_term_validation()
{
    let pki = Pki::new();
    let (_tsa, url) = pki.tsa("good");
    // B-T alone does not pass long-term validation: no revocation data.
    ok(&pki.sign("copy.pdf", "karin.p12", "bt.pdf", &["--tsa", &url]));
    let (passed, said) = pki.adesverify("bt.pdf");
    assert!(!passed, "{said}");
    let _ocsp = pki.ocsp_responder();
    ok(&pki.sign("copy.pdf", "karin.p12", "lt.pdf", &["--tsa", &url, "--ltv"]));
    let (passed, said) = pki.adesverify("lt.pdf");
    assert!(passed && said.contains(":VALID"), "{said}");
    let (code, said) = pki.verify("lt.pdf", &["--trust", &pki.trust()]);
    assert_eq!(code, 0, "{said}");
    assert!(said.contains("revision 3 adds validation data"), "{said}");
    assert!(
        said.contains("revocation data embedded: 2 OCSP response(s)"),
        "{said}"
    );
    // Each certificate judged: Karin's and the TSA's by the responder's answers, the root
    // not at all.
    for (who, role) in [
        ("CN=Karin Bergqvist", "signer"),
        ("CN=Test TSA", "timestamp authority"),
    ] {
        assert!(
            said.lines().any(|l| l.contains("revocation of ")
                && l.contains(who)
                && l.contains(&format!("({role}): good (OCSP, 20"))),
            "{who}: {said}"
        );
    }
    assert!(
        said.contains("revocation of CN=Test Root CA (CA): a self-signed root"),
        "{said}"
    );

    // B-LTA: a document timestamp over it all.
    let out = pactum()
        .arg("timestamp")
        .arg(pki.path("lt.pdf"))
        .args(["--tsa", &url, "-o"])
        .arg(pki.path("lta.pdf"))
        .output()
        .unwrap();
    ok(&out);
    let (passed, said) = pki.adesverify("lta.pdf");
    assert!(passed && said.contains(":VALID"), "{said}");
    assert!(!said.contains("Document timestamp chain failed"), "{said}");
    let report = pki.pyhanko("lta.pdf");
    assert!(
        report.contains("Timestamp kind=doc-timestamp valid=True intact=True trusted=True"),
        "{report}"
    );
    let report = pdfsig(&pki.path("lta.pdf"));
    assert!(report.contains("Signature is Valid"), "{report}");
    let (code, said) = pki.verify("lta.pdf", &["--trust", &pki.trust()]);
    assert_eq!(code, 0, "{said}");
    assert!(
        said.contains("document timestamp `Timestamp` by CN=Test TSA"),
        "{said}"
    );
    assert!(
        said.contains("revision 4 adds a document timestamp"),
        "{said}"
    );

    // A revoked certificate: the responder says so, and nothing is written.
    let revoked = Command::new("openssl")
        .args([
            "ca", "-config", "ca.cnf", "-cert", "ca.pem", "-keyfile", "ca.key",
        ])
        .args(["-revoke", "lin.pem"])
        .current_dir(pki.dir.path())
        .output()
        .unwrap();
    assert!(revoked.status.success(), "{revoked:?}");
    drop(_ocsp);
    let _ocsp = pki.ocsp_responder();
    let out = pki.sign("copy.pdf", "lin.p12", "bad.pdf", &["--tsa", &url, "--ltv"]);
    refused(&pki, &out, "bad.pdf", "is revoked");
}

#[test]
fn offline_validation_data_comes_from_the_files_given() {
    let pki = Pki::new();
    let script = "openssl ocsp -issuer ca.pem -cert karin.pem -reqout req.der && \
        openssl ocsp -index index.txt -rsigner ocsp.pem -rkey ocsp.key -CA ca.pem \
        -reqin req.der -respout resp.der -ndays 1";
    let made = Command::new("sh")
        .args(["-c", script])
        .current_dir(pki.dir.path())
        .output()
        .unwrap();
    assert!(made.status.success(), "{made:?}");
    let (resp, crl) = (pki.path("resp.der"), pki.path("ca.crl"));
    let out = pki.sign(
        "copy.pdf",
        "karin.p12",
        "lt.pdf",
        &["--ltv", "--ocsp", path(&resp), "--crl", path(&crl)],
    );
    ok(&out);
    let (code, said) = pki.verify("lt.pdf", &[]);
    assert_eq!(code, 0, "{said}");
    assert!(said.contains("1 OCSP response(s), 1 CRL(s)"), "{said}");
    let report = pki.pyhanko("lt.pdf");
    assert!(
        report.contains("valid=True intact=True trusted=True"),
        "{report}"
    );
    // A file that is no CRL is refused.
    let out = pki.sign(
        "copy.pdf",
        "karin.p12",
        "bad.pdf",
        &["--ltv", "--crl", path(&pki.path("ca.pem"))],
    );
    refused(&pki, &out, "bad.pdf", "a CRL does not read");
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// SoftHSM2's PKCS#11 module, where Debian puts it.
const SOFTHSM: &str = "/usr/lib/softhsm/libsofthsm2.so";

/// A SoftHSM2 token `pactum` (user PIN 1234) holding Karin's key and certificate as `karin`,
/// the expired one as `old`, and the CA's certificate, imported with softhsm2-util and OpenSC's
/// pkcs11-tool.
fn token(pki: &Pki) -> PathBuf {
    let conf = pki.path("softhsm2.conf");
    std::fs::create_dir_all(pki.path("tokens")).unwrap();
    std::fs::write(
        &conf,
        format!(
            "directories.tokendir = {}\nobjectstore.backend = file\nlog.level = ERROR\n",
            pki.path("tokens").display()
        ),
    )
    .unwrap();
    let script = format!(
        "set -e
softhsm2-util --init-token --free --label pactum --pin 1234 --so-pin 5678 >/dev/null
for n in karin old; do
  openssl pkcs8 -topk8 -nocrypt -in $n.key -out $n.p8
  softhsm2-util --import $n.p8 --token pactum --label $n --id 0$((${{#n}})) --pin 1234 >/dev/null
  openssl x509 -in $n.pem -outform DER -out $n.der
  pkcs11-tool --module {SOFTHSM} --token-label pactum --login --pin 1234 \
    --write-object $n.der --type cert --label $n --id 0$((${{#n}})) >/dev/null
done
openssl x509 -in ca.pem -outform DER -out ca.der
pkcs11-tool --module {SOFTHSM} --token-label pactum --login --pin 1234 \
  --write-object ca.der --type cert --label ca --id 09 >/dev/null"
    );
    let made = Command::new("sh")
        .args(["-c", &script])
        .env("SOFTHSM2_CONF", &conf)
        .current_dir(pki.dir.path())
        .output()
        .expect("softhsm2 and opensc are installed (tests/run.sh installs them)");
    assert!(made.status.success(), "{made:?}");
    conf
}

#[test]
fn a_key_in_softhsm2_signs_through_pkcs11_and_bad_tokens_write_nothing() {
    let pki = Pki::new();
    let conf = token(&pki);
    let sign = |module: &str, key: &str, pin: &str, out: &str, extra: &[&str]| {
        pactum()
            .env("SOFTHSM2_CONF", &conf)
            .env("PACTUM_PKCS11_PIN", pin)
            .arg("sign")
            .arg(pki.path("copy.pdf"))
            .args(["--pkcs11", module, "--token", "pactum", "--key", key, "-o"])
            .arg(pki.path(out))
            .args(extra)
            .output()
            .unwrap()
    };
    ok(&sign(SOFTHSM, "karin", "1234", "hsm.pdf", &[]));
    let report = pki.pyhanko("hsm.pdf");
    assert!(
        report.contains("Signature Malmö kind=signature valid=True intact=True trusted=True"),
        "{report}"
    );
    let report = pdfsig(&pki.path("hsm.pdf"));
    assert!(report.contains("Signature is Valid"), "{report}");
    let (code, said) = pki.verify("hsm.pdf", &["--trust", &pki.trust()]);
    assert_eq!(code, 0, "{said}");
    assert!(said.contains("CN=Karin Bergqvist"), "{said}");

    // With the CA certificate on the token, the chain is complete: B-LT from the token.
    let (_tsa, url) = pki.tsa("good");
    let _ocsp = pki.ocsp_responder();
    ok(&sign(
        SOFTHSM,
        "karin",
        "1234",
        "hsm-lt.pdf",
        &["--tsa", &url, "--ltv"],
    ));
    let (passed, said) = pki.adesverify("hsm-lt.pdf");
    assert!(passed && said.contains(":VALID"), "{said}");

    let ca = pki.trust();
    for (module, key, pin, reason) in [
        (SOFTHSM, "karin", "9999", "the PIN is wrong"),
        (
            SOFTHSM,
            "nobody",
            "1234",
            "no private key labelled `nobody`",
        ),
        (ca.as_str(), "karin", "1234", "does not load"),
        ("/nonexistent/module.so", "karin", "1234", "does not exist"),
        (SOFTHSM, "old", "1234", "expired"),
    ] {
        let out = sign(module, key, pin, "bad.pdf", &[]);
        refused(&pki, &out, "bad.pdf", reason);
    }
}

/// `openssl` in the PKI's folder; its output.
fn openssl(pki: &Pki, args: &[&str]) -> Output {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(pki.dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "openssl {args:?}: {}", text(&out));
    out
}

/// Lin's certificate revoked in the CA's index on 2020-01-01, before anything was signed.
fn revoke_lin_in_2020(pki: &Pki) {
    openssl(
        pki,
        &[
            "ca", "-config", "ca.cnf", "-cert", "ca.pem", "-keyfile", "ca.key", "-revoke",
            "lin.pem",
        ],
    );
    let index = std::fs::read_to_string(pki.path("index.txt")).unwrap();
    let index: String = index
        .lines()
        .map(|line| {
            let mut fields: Vec<&str> = line.split('\t').collect();
            if fields[0] == "R" {
                fields[2] = "200101000000Z";
            }
            fields.join("\t") + "\n"
        })
        .collect();
    assert_eq!(index.matches("\t200101000000Z\t").count(), 1, "{index}");
    std::fs::write(pki.path("index.txt"), index).unwrap();
}

/// The line `verify` prints about the revocation of the certificate named `who`, in the
/// report of the signature in `field`.
fn revocation_line(said: &str, field: &str, who: &str) -> String {
    let report = said
        .split("signature `")
        .find(|s| s.starts_with(&format!("{field}`")))
        .unwrap_or_default();
    report
        .lines()
        .find(|l| l.contains("revocation of ") && l.contains(who))
        .unwrap_or_default()
        .to_string()
}

#[test]
fn revocation_is_judged_per_certificate_from_an_ocsp_responder_and_from_a_crl() {
    let pki = Pki::new();
    // Lin signs; nothing is embedded about his certificate yet.
    ok(&pki.sign("copy.pdf", "lin.p12", "once.pdf", &[]));
    let (code, said) = pki.verify("once.pdf", &["--trust", &pki.trust()]);
    assert_eq!(code, 0, "{said}");
    assert!(
        revocation_line(&said, "Signature Kaohsiung", "CN=Lin Chia-hao")
            .ends_with(": no revocation data"),
        "{said}"
    );

    // His certificate turns out to have been revoked in 2020. The local responder, asked
    // about his and Karin's, says so; Karin countersigns and embeds that answer.
    revoke_lin_in_2020(&pki);
    let responder = pki.ocsp_responder();
    let url = format!("http://127.0.0.1:{}/", pki.ocsp_port);
    let asked = openssl(
        &pki,
        &[
            "ocsp",
            "-issuer",
            "ca.pem",
            "-cert",
            "lin.pem",
            "-cert",
            "karin.pem",
            "-url",
            &url,
            "-CAfile",
            "ca.pem",
            "-respout",
            "both.der",
        ],
    );
    drop(responder);
    let answer = text(&asked);
    assert!(
        answer.contains("lin.pem: revoked") && answer.contains("karin.pem: good"),
        "{answer}"
    );
    let both = pki.path("both.der");
    ok(&pki.sign(
        "once.pdf",
        "karin.p12",
        "ocsp.pdf",
        &["--ltv", "--ocsp", path(&both)],
    ));
    let (code, said) = pki.verify("ocsp.pdf", &["--trust", &pki.trust()]);
    assert_eq!(
        code, 3,
        "a revoked signer's signature does not hold: {said}"
    );
    let lin = revocation_line(&said, "Signature Kaohsiung", "CN=Lin Chia-hao");
    assert!(
        lin.contains("(signer): revoked on 2020-01-01 00:00:00 UTC (OCSP, "),
        "{said}"
    );
    let karin = revocation_line(&said, "Signature Malmö", "CN=Karin Bergqvist");
    assert!(karin.contains("(signer): good (OCSP, 20"), "{said}");
    let root = revocation_line(&said, "Signature Malmö", "CN=Test Root CA");
    assert!(root.contains("(CA): a self-signed root"), "{said}");
    assert!(
        said.contains("SIGNATURE INVALID")
            && said.contains("`Signature Kaohsiung` by")
            && said.contains("was revoked on 2020-01-01 00:00:00 UTC, before the proven time"),
        "{said}"
    );
    assert_eq!(said.matches("SIGNATURE INVALID").count(), 1, "{said}");
    let (code, said) = pki.verify("ocsp.pdf", &["--format", "json"]);
    assert_eq!(code, 3, "{said}");
    let json: serde_json::Value = serde_json::from_str(&said).unwrap();
    assert_eq!(json["result"], "signature_invalid");
    let lin = &json["signatures"][0]["revocation"]["per_certificate"][0];
    assert_eq!(lin["status"], "revoked", "{said}");
    assert_eq!(lin["source"], "OCSP");
    assert_eq!(lin["revoked_on"], "2020-01-01 00:00:00 UTC");
    assert_eq!(lin["revoked_before_proven_time"], true);
    assert_eq!(json["signatures"][0]["valid"], false);
    let karin = &json["signatures"][1]["revocation"]["per_certificate"][0];
    assert_eq!(karin["status"], "good", "{said}");
    assert_eq!(karin["source"], "OCSP");
    assert_eq!(json["signatures"][1]["valid"], true);

    // An answer signed by a certificate the CA did not name a responder (Karin's) is set
    // aside: it proves nothing either way.
    openssl(
        &pki,
        &[
            "ocsp", "-issuer", "ca.pem", "-cert", "lin.pem", "-reqout", "req.der",
        ],
    );
    openssl(
        &pki,
        &[
            "ocsp",
            "-index",
            "index.txt",
            "-rsigner",
            "karin.pem",
            "-rkey",
            "karin.key",
            "-CA",
            "ca.pem",
            "-reqin",
            "req.der",
            "-respout",
            "forged.der",
            "-ndays",
            "1",
        ],
    );
    let forged = pki.path("forged.der");
    ok(&pki.sign(
        "once.pdf",
        "karin.p12",
        "forged.pdf",
        &["--ltv", "--ocsp", path(&forged)],
    ));
    let (code, said) = pki.verify("forged.pdf", &["--trust", &pki.trust()]);
    assert_eq!(code, 0, "{said}");
    let lin = revocation_line(&said, "Signature Kaohsiung", "CN=Lin Chia-hao");
    assert!(
        lin.contains("no revocation data (set aside: an OCSP response about it is signed neither"),
        "{said}"
    );

    // The CA's new CRL lists him; embedded, it says the same.
    openssl(
        &pki,
        &[
            "ca",
            "-config",
            "ca.cnf",
            "-cert",
            "ca.pem",
            "-keyfile",
            "ca.key",
            "-gencrl",
            "-out",
            "revoked.crl",
        ],
    );
    let crl = pki.path("revoked.crl");
    ok(&pki.sign(
        "once.pdf",
        "karin.p12",
        "crl.pdf",
        &["--ltv", "--crl", path(&crl)],
    ));
    let (code, said) = pki.verify("crl.pdf", &["--trust", &pki.trust()]);
    assert_eq!(code, 3, "{said}");
    let lin = revocation_line(&said, "Signature Kaohsiung", "CN=Lin Chia-hao");
    assert!(
        lin.contains("(signer): revoked on 2020-01-01 00:00:00 UTC (CRL, 20"),
        "{said}"
    );
    let karin = revocation_line(&said, "Signature Malmö", "CN=Karin Bergqvist");
    assert!(karin.contains("(signer): good (CRL, 20"), "{said}");
    // Lin cannot sign with validation data that says he is revoked.
    let out = pki.sign(
        "copy.pdf",
        "lin.p12",
        "bad.pdf",
        &["--ltv", "--crl", path(&crl)],
    );
    refused(
        &pki,
        &out,
        "bad.pdf",
        "is revoked (since 2020-01-01 00:00:00 UTC)",
    );

    // Revoked only after the proven time (a date to come): the signature still holds, and
    // the revocation is reported.
    let index = std::fs::read_to_string(pki.path("index.txt")).unwrap();
    std::fs::write(
        pki.path("index.txt"),
        index.replace("\t200101000000Z\t", "\t491231000000Z\t"),
    )
    .unwrap();
    openssl(
        &pki,
        &[
            "ocsp",
            "-index",
            "index.txt",
            "-rsigner",
            "ocsp.pem",
            "-rkey",
            "ocsp.key",
            "-CA",
            "ca.pem",
            "-reqin",
            "req.der",
            "-respout",
            "later.der",
            "-ndays",
            "1",
        ],
    );
    let later = pki.path("later.der");
    ok(&pki.sign(
        "once.pdf",
        "karin.p12",
        "later.pdf",
        &["--ltv", "--ocsp", path(&later)],
    ));
    let (code, said) = pki.verify("later.pdf", &["--trust", &pki.trust()]);
    assert_eq!(code, 0, "{said}");
    let lin = revocation_line(&said, "Signature Kaohsiung", "CN=Lin Chia-hao");
    assert!(
        lin.contains("revoked on 2049-12-31 00:00:00 UTC (OCSP, 20")
            && lin.ends_with(", after the proven time"),
        "{said}"
    );
}

#[test]
fn a_tsa_behind_https_is_used_when_its_ca_is_trusted_and_refused_when_not() {
    let pki = Pki::new();
    // A CA for TLS only, and the TSA's server certificate for 127.0.0.1 from it.
    let script = "set -e
openssl req -x509 -newkey rsa:2048 -nodes -keyout tls-ca.key -out tls-ca.pem \
  -subj '/CN=Test TLS CA' -days 30 -addext basicConstraints=critical,CA:true 2>/dev/null
openssl req -newkey rsa:2048 -nodes -keyout tls.key -out tls.csr -subj '/CN=127.0.0.1' 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' > tls.ext
openssl x509 -req -in tls.csr -CA tls-ca.pem -CAkey tls-ca.key -CAcreateserial -days 30 \
  -extfile tls.ext -out tls.pem 2>/dev/null";
    let made = Command::new("sh")
        .args(["-c", script])
        .current_dir(pki.dir.path())
        .output()
        .unwrap();
    assert!(made.status.success(), "{made:?}");
    let (_tsa, url) = pki.tsa_with("good", &["tls.pem", "tls.key"]);
    assert!(url.starts_with("https://"), "{url}");
    let sign = |trusted: &str, out: &str| {
        pactum()
            .env("PACTUM_SIGN_PASSWORD", "secret")
            .env("SSL_CERT_FILE", pki.path(trusted))
            .env_remove("SSL_CERT_DIR")
            .arg("sign")
            .arg(pki.path("copy.pdf"))
            .arg("--identity")
            .arg(pki.path("karin.p12"))
            .args(["--tsa", &url, "-o"])
            .arg(pki.path(out))
            .output()
            .unwrap()
    };
    ok(&sign("tls-ca.pem", "bt.pdf"));
    let report = pki.pyhanko("bt.pdf");
    assert!(
        report.contains("valid=True intact=True trusted=True timestamp=valid"),
        "{report}"
    );
    // Trusting another CA only: the TLS handshake fails, named with the URL.
    let out = sign("ca.pem", "bad.pdf");
    refused(&pki, &out, "bad.pdf", &url);
    let said = text(&out);
    assert!(
        said.contains("the TLS connection failed") && said.contains("UnknownIssuer"),
        "{said}"
    );
    // The time limit holds over HTTPS too.
    let (_slow, slow) = pki.tsa_with("slow", &["tls.pem", "tls.key"]);
    let out = pactum()
        .env("PACTUM_SIGN_PASSWORD", "secret")
        .env("SSL_CERT_FILE", pki.path("tls-ca.pem"))
        .arg("sign")
        .arg(pki.path("copy.pdf"))
        .arg("--identity")
        .arg(pki.path("karin.p12"))
        .args(["--tsa", &slow, "--network-timeout", "1", "-o"])
        .arg(pki.path("bad.pdf"))
        .output()
        .unwrap();
    refused(&pki, &out, "bad.pdf", "no answer within 1 seconds");
}
