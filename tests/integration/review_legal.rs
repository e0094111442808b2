//! The legal-wording findings of the 2026-12 review (S1, S2, S4, S5, S7, S13), read back from
//! the rendered PDFs as a Swedish municipal lawyer reads them: the instrument's name follows
//! its title and legal status, the opening and final formulas, the GDPR transfer basis that
//! the terms must choose, the action plan's annex, the charter's pledge, and the Swedish
//! calques.

use crate::common;

use std::path::Path;

use common::{check_json, has, lacks, pdf_text, shipped, squash};

/// Render `terms` (written to `dir`) as a final copy with `args` and read its text back, words
/// hyphenated at a line's end joined again.
fn rendered(dir: &Path, terms: &str, args: &[&str]) -> String {
    let file = dir.join("round-1.yaml");
    std::fs::write(&file, terms).unwrap();
    let pdf = dir.join("out.pdf");
    let args = [args, &["--final", "--force"]].concat();
    common::render_with(&file, &pdf, &args);
    squash(&pdf_text(&pdf).replace("\u{ad}\n", "").replace('\u{ad}', ""))
}

/// S1, S13: a non-binding Swedish text is an "överenskommelse" from its title to its signing
/// text, declares rather than agrees, and its texts have "lika giltighet".
#[test]
fn lund_tainan_is_an_overenskommelse_in_swedish() {
    let dir = tempfile::tempdir().unwrap();
    let lund = shipped("agreements/lund-tainan/round-2.yaml");
    let sv = rendered(dir.path(), &lund, &["--language", "sv"]);
    has(&sv, "Överenskommelse om upprättande av en vänortsrelation");
    lacks(&sv, "vänortsrelationer");
    has(&sv, "förklarar följande: Artikel 1");
    lacks(&sv, "samförstånd");
    lacks(&sv, "avtal");
    has(
        &sv,
        "Denna överenskommelse är ett uttryck för städernas gemensamma avsikter. Den är inte rättsligt bindande",
    );
    has(
        &sv,
        "Vardera staden får säga upp denna överenskommelse genom skriftligt meddelande",
    );
    has(
        &sv,
        "Denna överenskommelse har undertecknats i Lund den 15 oktober 2027 i två original, vart och ett på svenska, kinesiska och engelska, varav städerna har tagit var sitt. Samtliga texter har lika giltighet.",
    );
    // S13: the budget sentence's subject is the activities; the signing text is a sentence.
    has(
        &sv,
        "Alla aktiviteter genomförs i enlighet med respektive stads budgetförfaranden och förutsätter att medel finns tillgängliga.",
    );
    has(
        &sv,
        "Denna överenskommelse har undertecknats av behöriga företrädare för städerna.",
    );
    lacks(&sv, "Undertecknat för");

    // The English: a non-binding Agreement declares; its texts are equally authentic.
    let en = rendered(dir.path(), &lund, &["--language", "en"]);
    has(&en, "declare as follows: Article 1");
    lacks(&en, "understanding:");
    has(
        &en,
        "in two originals, each in the Swedish, Chinese and English languages, each City retaining one. All texts are equally authentic.",
    );
    lacks(&en, "equally valid");
}

/// S1, S13: Berg–Berg's Swedish text calls itself what its title does.
#[test]
fn berg_berg_names_its_instrument_as_its_title_does() {
    let dir = tempfile::tempdir().unwrap();
    let berg = shipped("agreements/berg-berg/round-1.yaml");
    let sv = rendered(dir.path(), &berg, &["--language", "sv"]);
    has(&sv, "förklarar följande:");
    lacks(&sv, "avtal");
    has(
        &sv,
        "Denna överenskommelse är ett uttryck för kommunernas gemensamma avsikter.",
    );
    has(&sv, "Båda texterna har lika giltighet.");
    has(
        &sv,
        "Denna överenskommelse har undertecknats av behöriga företrädare för kommunerna.",
    );
}

/// S1: the Swedish noun follows the legal status: "avtal" only when binding, "avsiktsförklaring"
/// for a memorandum.
#[test]
fn the_swedish_noun_follows_the_legal_status() {
    let dir = tempfile::tempdir().unwrap();
    let berg = shipped("agreements/berg-berg/round-1.yaml")
        .replace("legal_status: non-binding", "legal_status: binding");
    let sv = rendered(dir.path(), &berg, &["--language", "sv"]);
    has(&sv, "har kommit överens om följande:");
    has(&sv, "Detta avtal har undertecknats i");
    has(&sv, "Båda texterna har lika giltighet.");
    lacks(&sv, "förklarar följande");

    let malmo = shipped("agreements/malmo-kaohsiung/round-3.yaml")
        .replace("languages: [en]", "languages: [sv]")
        .replace("prevailing: en", "prevailing: sv");
    let sv = rendered(dir.path(), &malmo, &[]);
    has(&sv, "förklarar följande:");
    has(&sv, "Denna avsiktsförklaring är ett uttryck för");
    lacks(&sv, "avtal");
    // A Memorandum of Understanding keeps its own English formula.
    let en = rendered(
        dir.path(),
        &shipped("agreements/malmo-kaohsiung/round-3.yaml"),
        &[],
    );
    has(&en, "have reached the following understanding:");
}

/// S2: the Memorandum states the basis its terms chose, in forward-looking words, and no
/// standard clauses that no one has concluded.
#[test]
fn malmo_kaohsiung_transfers_personal_data_only_with_consent() {
    let dir = tempfile::tempdir().unwrap();
    let malmo = shipped("agreements/malmo-kaohsiung/round-3.yaml");
    let en = rendered(dir.path(), &malmo, &[]);
    has(
        &en,
        "Personal data will be transferred from a Participant in the European Union or the European Economic Area to a Participant outside it in accordance with Chapter V of the General Data Protection Regulation (EU) 2016/679 and only with the explicit consent of the person concerned.",
    );
    lacks(&en, "standard data protection clauses");

    let clauses = malmo.replace(
        "transfer_basis: consent",
        "transfer_basis: standard-clauses",
    );
    let en = rendered(dir.path(), &clauses, &[]);
    has(
        &en,
        "and only after the Participants have concluded standard data protection clauses adopted by the European Commission.",
    );
    let sv = rendered(
        dir.path(),
        &clauses
            .replace("languages: [en]", "languages: [sv]")
            .replace("prevailing: en", "prevailing: sv"),
        &[],
    );
    has(
        &sv,
        "och endast sedan deltagarna har ingått standardiserade dataskyddsbestämmelser som har antagits av Europeiska kommissionen.",
    );

    let inside = malmo.replace("transfer_basis: consent", "transfer_basis: not-needed");
    let en = rendered(dir.path(), &inside, &[]);
    lacks(&en, "Chapter V");
}

/// S2: with no `transfer_basis`, `check` asks for one at the `data_protection` line, naming the
/// choices.
#[test]
fn check_asks_for_a_transfer_basis() {
    let dir = tempfile::tempdir().unwrap();
    let malmo = shipped("agreements/malmo-kaohsiung/round-3.yaml");
    let without: String = malmo
        .lines()
        .filter(|l| !l.trim_start().starts_with("transfer_basis:"))
        .map(|l| format!("{l}\n"))
        .collect();
    let line = without
        .lines()
        .position(|l| l.starts_with("data_protection:"))
        .unwrap()
        + 1;
    let file = dir.path().join("round-3.yaml");
    std::fs::write(&file, &without).unwrap();
    let (code, json) = check_json(&file);
    assert_eq!(code, Some(1), "{json}");
    let d = &json[0]["diagnostics"];
    assert_eq!(d.as_array().map(Vec::len), Some(1), "{json}");
    let d = &d[0];
    assert_eq!(d["severity"], "error", "{d}");
    assert_eq!(d["path"], "data_protection.transfer_basis", "{d}");
    assert_eq!(d["line"].as_u64(), Some(line as u64), "{d}");
    let hint = d["hint"].as_str().unwrap();
    for choice in ["standard-clauses", "adequacy", "consent", "not-needed"] {
        assert!(hint.contains(choice), "{hint}");
    }

    // Every shipped example makes the choice.
    for round in common::shipped_rounds() {
        let (code, json) = check_json(&common::root().join(&round));
        assert_eq!(code, Some(0), "{round}: {json}");
    }
}

/// S4, S5: Malmö–Kaohsiung round 3 no longer lists youth exchanges, and its action plan is
/// updated as the working-group article says.
#[test]
fn malmo_kaohsiung_is_consistent_on_youth_and_the_action_plan() {
    let dir = tempfile::tempdir().unwrap();
    let malmo = shipped("agreements/malmo-kaohsiung/round-3.yaml");
    let en = rendered(dir.path(), &malmo, &[]);
    lacks(&en, "young people");
    lacks(&en, "Youth exchange");
    has(
        &en,
        "It will prepare a joint action plan covering two years, to be approved by both Participants.",
    );
    has(
        &en,
        "This annex is indicative. It may be updated in accordance with Article 7 without amending this Memorandum.",
    );
    lacks(&en, "updated by the contact points");
}

/// S7: a charter without a legal-status article pledges; only a binding one undertakes.
#[test]
fn the_charter_pledges_unless_binding() {
    let dir = tempfile::tempdir().unwrap();
    let koto = shipped("agreements/koto-surrey/round-1.yaml");
    let en = rendered(dir.path(), &koto, &[]);
    has(&en, "The Cities solemnly pledge: 1.");
    lacks(&en, "undertake");

    let binding = format!("{koto}legal_status: binding\n");
    let en = rendered(dir.path(), &binding, &[]);
    has(&en, "The Cities solemnly undertake: 1.");

    let sv = rendered(
        dir.path(),
        &koto.replace("languages: [en]", "languages: [sv]"),
        &[],
    );
    has(&sv, "lovar högtidligen: 1.");
    lacks(&sv, "förbinder");
}

/// The German and Chinese versions say what the English one says (review S2, S5): the
/// transfer basis the terms chose, and the action plan updated under its article.
#[test]
fn german_and_chinese_follow_the_transfer_basis_and_the_action_plan_article() {
    let dir = tempfile::tempdir().unwrap();
    let terms = common::shipped("agreements/malmo-kaohsiung/round-3.yaml")
        .replace("languages: [en]", "languages: [de, zh-TW]")
        .replace("  prevailing: en", "  prevailing: de");
    let file = dir.path().join("round-3.yaml");
    std::fs::write(&file, terms).unwrap();
    let pdf = dir.path().join("out.pdf");
    common::render_with(&file, &pdf, &[]);
    let text = common::no_ws(&common::pdf_text(&pdf)).replace('\u{ad}', "");
    for said in [
        "nurmitderausdrücklichenEinwilligungderbetroffenenPersonübermittelt",
        "SiekannnachArtikel7aktualisiertwerden",
        "並僅於當事人明示同意時為之",
        "依第七條之規定更新",
    ] {
        assert!(text.contains(said), "{said} in\n{text}");
    }
}

/// The sister-city form offers the data-protection article too (review S3): in every language,
/// with the transfer basis `check` asks for.
#[test]
fn a_sister_city_agreement_can_protect_the_personal_data_it_exchanges() {
    let dir = tempfile::tempdir().unwrap();
    // The shipped example has one (S3); here it is written anew.
    let shipped = common::shipped("agreements/lund-tainan/round-2.yaml");
    let start = shipped.find("data_protection:\n").unwrap();
    let end = start + shipped[start..].find("\ncosts:").unwrap() + 1;
    let base = format!("{}{}", &shipped[..start], &shipped[end..]);
    let terms =
        format!("{base}data_protection:\n  personal_data: limited\n  transfer_basis: consent\n");
    let file = dir.path().join("round-3.yaml");
    std::fs::write(&file, &terms).unwrap();
    let pdf = dir.path().join("out.pdf");
    common::render_with(&file, &pdf, &[]);
    let text = common::no_ws(&common::pdf_text(&pdf)).replace('\u{ad}', "");
    for said in [
        "Dataskyddochkonfidentialitet",
        "個人資料保護及保密",
        "Dataprotectionandconfidentiality",
        "onlywiththeexplicitconsentofthepersonconcerned",
    ] {
        assert!(text.contains(said), "{said} in\n{text}");
    }
    std::fs::write(
        &file,
        format!("{base}data_protection:\n  personal_data: limited\n"),
    )
    .unwrap();
    let (code, d) = common::check_json(&file);
    assert_eq!(code, Some(1), "{d}");
    assert!(d.to_string().contains("transfer_basis"), "{d}");
}

/// N1 (second reading): a party that does not sign takes part in the memorandum, but it is not
/// one of "the Cities" whose signatures bring it into effect and who keep its originals; the
/// memorandum calls itself what its title calls it.
#[test]
fn a_party_that_does_not_sign_is_not_one_of_the_cities() {
    let dir = tempfile::tempdir().unwrap();
    let terms = std::fs::read_to_string(
        common::root().join("agreements/minneapolis-cuernavaca/round-2.yaml"),
    )
    .unwrap();
    let text = common::no_ws(&rendered(dir.path(), &terms, &[]));
    let said = |s: &str| text.contains(&common::no_ws(s));
    assert!(
        said(
            "hereinafter “Minneapolis”, together referred to as “the Cities” and each as “a City”, with the participation of Minneapolis Sister City Association, hereinafter “the Association”, which does not sign,"
        ),
        "{text}"
    );
    assert!(said(
        "This Memorandum will take effect on the date of its signature by both Cities."
    ));
    assert!(
        said(
            "between City of Cuernavaca Morelos, Mexico and City of Minneapolis Minnesota, United States of America City of Cuernavaca,"
        ),
        "the title names the two that conclude it: {text}"
    );
    assert!(said(
        "in two originals in the English language, each City retaining one."
    ));
    assert!(
        !text.contains("thisAgreement") && !text.contains("ThisAgreement"),
        "{text}"
    );
}
