//! Letterheads: a party's `letterhead` (lines, and a PNG or SVG beside the terms) prints above
//! the title in the PDF, the HTML (inside the file) and the DOCX (an SVG drawn as a PNG); the
//! images travel in the PDF, so `verify` needs nothing but the PDF; an image is checked like
//! any input, at its term.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{pactum, pdf_text};

/// A PNG of `w`×`h` pixels of one colour, made with the png crate.
fn png(w: u32, h: u32) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, w, h);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().unwrap();
    writer
        .write_image_data(&[30, 90, 160].repeat((w * h) as usize))
        .unwrap();
    drop(writer);
    out
}

const SVG: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="200" height="60"><rect width="200" height="60" fill="#2a7"/><circle cx="30" cy="30" r="20" fill="#fff"/></svg>"##;

/// The Minneapolis–Cuernavaca example with a letterhead for each city, in `dir/mc/`.
fn with_letterheads(dir: &Path) -> PathBuf {
    let folder = dir.join("mc");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("cuernavaca.png"), png(120, 40)).unwrap();
    std::fs::write(folder.join("minneapolis.svg"), SVG).unwrap();
    let source = common::shipped("agreements/minneapolis-cuernavaca/round-1.yaml");
    let terms = folder.join("round-1.yaml");
    std::fs::write(
        &terms,
        source
            .replacen(
                "    country_label: Morelos, Mexico\n",
                "    country_label: Morelos, Mexico\n    letterhead:\n      image: cuernavaca.png\n      lines: [Ayuntamiento de Cuernavaca, \"Morelos, México\"]\n",
                1,
            )
            .replacen(
                "    country_label: Minnesota, United States of America\n",
                "    country_label: Minnesota, United States of America\n    letterhead:\n      image: minneapolis.svg\n      lines: [Office of the Mayor]\n",
                1,
            ),
    )
    .unwrap();
    terms
}

#[test]
fn letterheads_print_above_the_title_and_travel_in_the_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let terms = with_letterheads(dir.path());
    let pdf = dir.path().join("final.pdf");
    common::render_with(&terms, &pdf, &["--final"]);
    let text = pdf_text(&pdf);
    let at = |s: &str| text.find(s).unwrap_or_else(|| panic!("{s:?} in\n{text}"));
    assert!(at("Ayuntamiento de Cuernavaca") < at("Memorandum of Understanding"));
    assert!(at("Office of the Mayor") < at("Memorandum of Understanding"));
    // The PNG is drawn as an image of its own size; the SVG as vectors.
    let images = Command::new("pdfimages")
        .arg("-list")
        .arg(&pdf)
        .output()
        .unwrap();
    let listed = String::from_utf8_lossy(&images.stdout);
    assert!(
        listed.lines().any(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            f.len() > 4 && f[0] == "1" && f[3] == "120" && f[4] == "40"
        }),
        "{listed}"
    );
    // Both images are attached beside the terms, and verify needs nothing else.
    let files = pactum::provenance::attachments(&std::fs::read(&pdf).unwrap()).unwrap();
    assert_eq!(files.get("cuernavaca.png"), Some(&png(120, 40)));
    assert_eq!(
        files
            .get("minneapolis.svg")
            .map(|b| String::from_utf8_lossy(b).into_owned()),
        Some(SVG.to_string())
    );
    std::fs::remove_file(dir.path().join("mc/cuernavaca.png")).unwrap();
    let verified = pactum().arg("verify").arg(&pdf).output().unwrap();
    assert_eq!(
        verified.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&verified.stdout)
    );
}

#[test]
fn letterheads_in_html_and_docx() {
    let dir = tempfile::tempdir().unwrap();
    let terms = with_letterheads(dir.path());
    let html = dir.path().join("agreement.html");
    common::render_with(&terms, &html, &["--format", "html"]);
    let seen = crate::formats::browse(&html);
    let images = seen["images"].as_array().unwrap();
    assert_eq!(images.len(), 2, "{seen}");
    assert!(
        images.iter().all(|i| i["width"].as_u64().unwrap() > 0),
        "drawn from inside the file: {seen}"
    );
    assert_eq!(images[0]["alt"], "City of Cuernavaca");
    assert!(
        seen["resources"].as_array().unwrap().is_empty(),
        "nothing fetched: {seen}"
    );

    let docx = dir.path().join("agreement.docx");
    common::render_with(&terms, &docx, &["--format", "docx"]);
    let odt = crate::formats::soffice(&docx, "odt");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&odt).unwrap()).unwrap();
    let pictures: Vec<String> = (0..zip.len())
        .map(|i| zip.by_index(i).unwrap().name().to_string())
        .filter(|n| n.starts_with("Pictures/"))
        .collect();
    assert_eq!(
        pictures.len(),
        2,
        "LibreOffice holds both images: {pictures:?}"
    );
    let txt =
        std::fs::read_to_string(crate::formats::soffice(&docx, "txt:Text (encoded):UTF8")).unwrap();
    let at = |s: &str| txt.find(s).unwrap_or_else(|| panic!("{s:?} in\n{txt}"));
    assert!(at("Ayuntamiento de Cuernavaca") < at("Memorandum of Understanding"));
}

#[test]
fn a_letterhead_image_is_checked_like_any_input() {
    let dir = tempfile::tempdir().unwrap();
    let terms = with_letterheads(dir.path());
    let source = std::fs::read_to_string(&terms).unwrap();
    std::fs::write(dir.path().join("secret.png"), png(4, 4)).unwrap();
    std::fs::write(dir.path().join("mc/fake.png"), "not a picture").unwrap();
    std::fs::write(
        dir.path().join("mc/linked.svg"),
        SVG.replace(
            "<circle",
            "<image href=\"file:///etc/hostname\" width=\"9\" height=\"9\"/><circle",
        ),
    )
    .unwrap();
    for (image, message) in [
        (
            "../secret.png",
            "`../secret.png` is not a file name beside the terms",
        ),
        (
            "/etc/hostname",
            "`/etc/hostname` is not a file name beside the terms",
        ),
        ("fake.png", "`fake.png` is not a usable PNG image"),
        ("missing.png", "cannot read `missing.png` beside the terms"),
        (
            "round-1.yaml",
            "`round-1.yaml` is neither a PNG nor an SVG file",
        ),
        (
            "linked.svg",
            "`linked.svg` is not a usable SVG image: it links to a file outside itself (file:///etc/hostname)",
        ),
    ] {
        std::fs::write(
            &terms,
            source.replace("image: cuernavaca.png", &format!("image: {image}")),
        )
        .unwrap();
        let (code, d) = common::check_json(&terms);
        assert_eq!(code, Some(1), "{image}");
        let problem = &d[0]["diagnostics"][0];
        assert_eq!(problem["path"], "parties[0].letterhead.image", "{d}");
        assert!(
            problem["message"].as_str().unwrap().starts_with(message),
            "{image}: {problem}"
        );
        let line = source
            .lines()
            .position(|l| l.contains("image: cuernavaca.png"))
            .unwrap() as u64
            + 1;
        assert_eq!(problem["line"], line, "{problem}");
    }
}
