//! The German findings of the 2026-12 review (S8–S12, and P7, P13 for Berg–Berg), each read
//! back from the rendered PDF as a German municipal lawyer reads it: the representative's
//! title in the party clause, the article before a party's name in the phrases built around it
//! (words `name_forms`, a party's own `forms`), the final clauses, the relationship noun, and
//! the Berg–Berg example itself.

use crate::common;

use std::path::Path;

use common::{has, lacks, pdf_text, shipped, squash};

/// Render `terms` (written to `dir`) with `args` and read its text back, words hyphenated at a
/// line's end joined again.
fn rendered(dir: &Path, terms: &str, args: &[&str]) -> String {
    let file = dir.join("round-1.yaml");
    std::fs::write(&file, terms).unwrap();
    let pdf = dir.join("out.pdf");
    // Each test renders several variants to the same file.
    let args = [args, &["--force"]].concat();
    common::render_with(&file, &pdf, &args);
    squash(&pdf_text(&pdf).replace("\u{ad}\n", "").replace('\u{ad}', ""))
}

/// The German version of `terms` alone, as a final copy.
fn german(dir: &Path, terms: &str) -> String {
    rendered(dir, terms, &["--final", "--language", "de"])
}

fn berg_berg() -> String {
    shipped("agreements/berg-berg/round-1.yaml")
}

#[test]
fn the_representative_is_named_with_the_title_in_apposition() {
    // S8: "vertreten durch Hans Köhler, Erster Bürgermeister" put the title in the nominative
    // after "durch".
    let dir = tempfile::tempdir().unwrap();
    let text = german(dir.path(), &berg_berg());
    has(
        &text,
        "Die Gemeinde Berg, Jämtland, Schweden, vertreten durch Anders Mattsson (Vorsitzender \
         des Gemeindevorstands), im Folgenden „Berg (Jämtland)“;",
    );
    has(
        &text,
        "und die Gemeinde Berg, Landkreis Hof, Freistaat Bayern, Deutschland, vertreten durch \
         Hans Köhler (Erster Bürgermeister), im Folgenden „Berg (Bayern)“,",
    );
    lacks(&text, "Köhler, Erster Bürgermeister");
}

#[test]
fn the_party_takes_its_article_after_fuer_and_zwischen() {
    // S9: "Für Gemeinde Berg" had no article; the title block's "zwischen / Gemeinde Berg"
    // neither.
    let dir = tempfile::tempdir().unwrap();
    let text = german(dir.path(), &berg_berg());
    has(&text, "Für die Gemeinde Berg, Jämtland, Schweden");
    has(
        &text,
        "Für die Gemeinde Berg, Landkreis Hof, Freistaat Bayern, Deutschland",
    );
    has(
        &text,
        "zwischen der Gemeinde Berg Jämtland, Schweden und der Gemeinde Berg",
    );
    lacks(&text, "Für Gemeinde");
    // The parallel copy, both languages: the Swedish names take no article.
    let text = rendered(dir.path(), &berg_berg(), &["--final"]);
    has(&text, "Für die Gemeinde Berg, Jämtland, Schweden");
    has(&text, "För Bergs kommun, Jämtland, Sverige");
    lacks(&text, "Für Gemeinde");
}

#[test]
fn counties_are_between_dem_landkreis_and_dem_landkreis() {
    // The words give the article by the name's head noun, in the case of each phrase.
    let dir = tempfile::tempdir().unwrap();
    let terms = berg_berg()
        .replacen(
            "official_name: {sv: Bergs kommun, de: Gemeinde Berg}",
            "official_name: {sv: Powiat Ostródzki, de: Landkreis Ostróda}",
            1,
        )
        .replacen(
            "official_name: {sv: Bergs kommun, de: Gemeinde Berg}",
            "official_name: {sv: Landkreis Osterode am Harz, de: Landkreis Osterode am Harz}",
            1,
        )
        .replace("parties_called: municipalities", "parties_called: counties")
        .lines()
        .filter(|l| !l.contains("country_label"))
        .collect::<Vec<_>>()
        .join("\n");
    let text = german(dir.path(), &terms);
    has(
        &text,
        "zwischen dem Landkreis Ostróda und dem Landkreis Osterode am Harz",
    );
    has(
        &text,
        "Der Landkreis Ostróda, vertreten durch Anders Mattsson",
    );
    has(&text, "und der Landkreis Osterode am Harz, vertreten durch");
    has(&text, "Für den Landkreis Ostróda");
    has(&text, "Für den Landkreis Osterode am Harz");
    has(&text, "begründen hiermit eine Kreispartnerschaft");
    has(&text, "Jeder Landkreis erhält eine Urschrift.");
    // Swedish has no such forms: the names as given.
    let text = rendered(dir.path(), &terms, &["--final", "--language", "sv"]);
    has(&text, "För Landkreis Osterode am Harz");
    lacks(&text, "dem Landkreis");
}

#[test]
fn a_party_gives_the_form_its_name_takes_in_a_case() {
    // A name no words file can decline: the party's terms give the German forms.
    let dir = tempfile::tempdir().unwrap();
    let terms = berg_berg().replacen(
        "  - official_name: {sv: Bergs kommun, de: Gemeinde Berg}\n",
        "  - official_name: {sv: Powiat Ostródzki, de: Powiat Ostródzki}\n    forms:\n      - \
         language: de\n        nominative: der Powiat Ostródzki\n        accusative: den Powiat \
         Ostródzki\n        dative: dem Powiat Ostródzki\n",
        1,
    );
    assert!(terms.contains("forms:"));
    let text = german(dir.path(), &terms);
    has(&text, "zwischen dem Powiat Ostródzki");
    has(
        &text,
        "Der Powiat Ostródzki, Jämtland, Schweden, vertreten durch",
    );
    has(&text, "Für den Powiat Ostródzki");
    // And a bare place name takes none.
    let bare = berg_berg().replace("de: Gemeinde Berg}", "de: Berg}");
    let text = german(dir.path(), &bare);
    has(&text, "Für Berg, Jämtland, Schweden");
    lacks(&text, "die Berg");
}

#[test]
fn the_final_clauses_read_as_german_not_as_english() {
    // S10.
    let dir = tempfile::tempdir().unwrap();
    let text = german(dir.path(), &berg_berg());
    has(
        &text,
        "Diese Vereinbarung wird mit ihrer Unterzeichnung durch beide Gemeinden wirksam.",
    );
    lacks(&text, "wirksam werden");
    has(
        &text,
        "Geschehen zu Berg (Bayern) am 16. Juli 2000 in zwei Urschriften, jede in schwedischer \
         und deutscher Sprache, wobei jeder Wortlaut gleichermaßen maßgeblich ist. Jede Gemeinde \
         erhält eine Urschrift.",
    );
    lacks(&text, "eine davon");
    lacks(&text, "wurde in Berg");
    has(&text, "Für die Gemeinden unterzeichnen:");
    lacks(&text, "Unterschrieben von den Unterzeichneten");
    // The termination article (P7): present-tense passive, not "werden … werden".
    has(
        &text,
        "Jede Gemeinde kann diese Vereinbarung durch schriftliche Mitteilung an die andere \
         Gemeinde unter Einhaltung einer Frist von sechs Monaten kündigen.",
    );
    has(&text, "werden wie geplant abgeschlossen, sofern");
    // Binding: in Kraft, verbindlich, Zu Urkund dessen.
    let binding = berg_berg()
        .replace("legal_status: non-binding", "legal_status: binding")
        .replace(
            "signing:\n  place: {sv: Berg (Bayern), de: Berg (Bayern)}\n  date: 2000-07-16\n",
            "",
        );
    let text = german(dir.path(), &binding);
    has(
        &text,
        "Diese Vereinbarung tritt mit ihrer Unterzeichnung durch beide Gemeinden in Kraft.",
    );
    has(
        &text,
        "Unterzeichnet in zwei Urschriften, jede in schwedischer und deutscher Sprache, wobei \
         jeder Wortlaut gleichermaßen verbindlich ist.",
    );
    has(&text, "sollen wie geplant abgeschlossen werden");
    has(
        &text,
        "Zu Urkund dessen haben die hierzu gehörig befugten Unterzeichneten",
    );
}

#[test]
fn the_relationship_is_what_the_parties_are_and_the_title_says() {
    // S11: "Beziehungen als Freundschaftsstädte" between two Gemeinden, under a
    // "Partnerschaftsvereinbarung".
    let dir = tempfile::tempdir().unwrap();
    let text = german(dir.path(), &berg_berg());
    has(&text, "Partnerschaftsvereinbarung");
    has(
        &text,
        "Berg (Jämtland) und Berg (Bayern) begründen hiermit eine Gemeindepartnerschaft auf der \
         Grundlage",
    );
    lacks(&text, "Freundschaftsstädte");
    // A friendship between municipalities is a Gemeindefreundschaft.
    let friendship =
        berg_berg().replace("relationship: partnership", "relationship: friendship-city");
    let text = german(dir.path(), &friendship);
    has(&text, "begründen hiermit eine Gemeindefreundschaft");
}

#[test]
fn berg_berg_names_its_parties_and_recites_the_council_decisions() {
    // S12, P13.
    let dir = tempfile::tempdir().unwrap();
    let text = german(dir.path(), &berg_berg());
    has(&text, "Landkreis Hof, Freistaat Bayern, Deutschland");
    has(
        &text,
        "genannt, in Erinnerung an den Besuch einer Delegation aus Berg (Bayern)",
    );
    has(&text, "; mit Genugtuung feststellend, dass");
    has(&text, "; in dem Wunsch, diese Beziehungen");
    has(
        &text,
        "auf der Grundlage des Beschlusses der Gemeindevertretung von Berg (Jämtland) vom 29. Mai \
         2000 und des Beschlusses des Gemeinderats von Berg (Bayern) vom 23. Mai 2000, diese \
         Vereinbarung zu schließen, erklären Folgendes:",
    );
    has(&text, "Unterrichtung der Einwohnerinnen und Einwohner");
}

#[test]
fn the_german_twinning_declaration_names_its_signatories_the_same_way() {
    // The declaration's charter form has the same party clause and final formula.
    let dir = tempfile::tempdir().unwrap();
    let terms = shipped("agreements/krostitz-vernassal/round-1.yaml")
        .replace("languages: [en]", "languages: [de]")
        .replace("form: oath", "form: charter")
        .replace("instrument: oath", "instrument: charter");
    let text = rendered(dir.path(), &terms, &["--final"]);
    has(
        &text,
        "vertreten durch Wolfgang Frauendorf (Mayor) und Birgit Heinemann (Chair of the Twinning \
         Committee of Krostitz), im Folgenden „Krostitz“",
    );
    has(
        &text,
        "Geschehen zu Krostitz am 24. Oktober 2010 in zwei Urschriften in deutscher Sprache. Jede \
         Stadt erhält eine Urschrift.",
    );
    // The oath keeps its own closing words.
    let oath = shipped("agreements/krostitz-vernassal/round-1.yaml")
        .replace("languages: [en]", "languages: [de]");
    let text = rendered(dir.path(), &oath, &["--final"]);
    has(
        &text,
        "Geschehen zu Krostitz am 24. Oktober 2010 in zwei Urschriften in deutscher Sprache, \
         eine für jede unserer Städte.",
    );
}
