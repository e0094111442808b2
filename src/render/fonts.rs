//! Fonts, resolved in one fixed order: pactum's own (Typst's embedded Latin, Greek and Cyrillic
//! faces and pactum's Traditional Chinese subset of Noto Serif CJK TC, both built into the
//! binary), then the folders the user names (`--font-path`, `PACTUM_FONT_PATH`, `font_paths` in
//! pactum.toml), then the system's font folders (unless `--no-system-fonts`). Typst picks the
//! first face of a family, so text pactum's own fonts cover prints the same on every machine.
//! Folders are scanned for metadata only (typst-kit's scan: a font file is read in full only
//! when a document uses it), each group in sorted path order. pactum's own faces are listed
//! from their recorded metadata (`fonts/infos.json`) and parsed when a document first uses
//! them. Which characters a store's faces cover is indexed once, when it is built
//! ([`Coverage`]). Also owns reading a laid-out document back: which fonts it used (recorded
//! in the batch manifest) and which characters no font could show (a `.notdef` box: such a
//! document is refused).

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Mutex;

use sha2::{Digest, Sha256};
use typst::foundations::Bytes;
use typst::layout::{Frame, FrameItem};
use typst::text::{Font, FontInfo, FontStyle, TextItem};
use typst_kit::fonts::{FontPath, FontSource, FontStore};
use typst_layout::PagedDocument;

/// pactum's Traditional Chinese faces (regular, bold): a subset of Noto Serif CJK TC built by
/// `fonts/subset.py` (the characters agreements need; the OFL text is beside them).
static OWN_CJK: [&[u8]; 2] = [
    include_bytes!("../../fonts/NotoSerifCJKtc-Regular.subset.otf"),
    include_bytes!("../../fonts/NotoSerifCJKtc-Bold.subset.otf"),
];

// `OWN_FONT_SHA256`: the sha256 of each of `own_files()`, computed by build.rs.
include!(concat!(env!("OUT_DIR"), "/own_font_hashes.rs"));

/// pactum's own font files, in their fixed order: Typst's embedded set, then the Chinese faces.
fn own_files() -> impl Iterator<Item = &'static [u8]> {
    typst_assets::fonts().chain(OWN_CJK)
}

/// Where fonts beyond pactum's own come from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FontSources {
    /// Folders named by the user, searched first.
    pub dirs: Vec<PathBuf>,
    /// Also search the system's font folders.
    pub system: bool,
    /// Of `dirs`, the folders whose fonts a copy carries (a templates folder's `fonts/`): a
    /// font from one is attached to the PDF, so that the copy verifies where it is missing.
    pub carried: Vec<PathBuf>,
}

/// A font file a copy carries: its attachment name, its sha256 and its bytes.
pub struct CarriedFont {
    pub name: String,
    pub sha256: String,
    pub bytes: Vec<u8>,
}

/// A font file of a `carried` folder: its attachment name, its sha256 and where it is.
#[derive(Debug, Clone)]
pub struct CarriedFile {
    name: String,
    sha256: String,
    path: PathBuf,
}

/// The font files of the `carried` folders, each named by its file name (made plain: letters,
/// digits, `.`, `-`, `_`) and hashed once; of two files with the same bytes, the first.
pub fn carried_files(dirs: &[PathBuf]) -> Vec<CarriedFile> {
    let mut files: Vec<PathBuf> = (dirs.iter())
        .filter_map(|d| std::fs::read_dir(d).ok())
        .flatten()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let ext = p.extension().and_then(|e| e.to_str()).unwrap_or_default();
            matches!(
                ext.to_ascii_lowercase().as_str(),
                "otf" | "ttf" | "otc" | "ttc"
            )
        })
        .collect();
    files.sort();
    let mut out: Vec<CarriedFile> = Vec::new();
    for path in files {
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let sha256 = crate::template::hex(&Sha256::digest(&bytes));
        if out.iter().any(|c| c.sha256 == sha256) {
            continue;
        }
        let file = path.file_name().and_then(|n| n.to_str()).unwrap_or("font");
        let plain: String = (file.chars())
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        out.push(CarriedFile {
            name: format!("pactum-font-{plain}"),
            sha256,
            path,
        });
    }
    out
}

/// Of `files`, those a document typeset with `used` is set in, with their bytes.
pub fn carried(files: &[CarriedFile], used: &[FontUse]) -> Vec<CarriedFont> {
    (files.iter())
        .filter(|f| used.iter().any(|u| u.sha256 == f.sha256))
        .filter_map(|f| {
            Some(CarriedFont {
                name: f.name.clone(),
                sha256: f.sha256.clone(),
                bytes: std::fs::read(&f.path).ok()?,
            })
        })
        .collect()
}

/// What Typst knows of each face of pactum's own font files (family, variant, coverage), in
/// `own_files()` order, recorded in `fonts/infos.json` by the test
/// `fonts::tests::recorded_infos_are_the_faces_own` (`PACTUM_RECORD_FONT_INFOS=1` rewrites it).
/// Reading them costs a fraction of a millisecond; computing them parses 19 faces and their
/// character maps (2–3 ms, on every run).
static RECORDED_INFOS: &str = include_str!("../../fonts/infos.json");

/// One font file's faces as recorded, for the file with this sha256.
#[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
struct RecordedFile {
    sha256: String,
    /// (index in the file, what Typst reads of that face).
    faces: Vec<(u32, FontInfo)>,
}

/// The faces of one of pactum's own files, computed from its bytes.
fn faces_of(data: &'static [u8]) -> Vec<(u32, FontInfo)> {
    let count = ttf_parser::fonts_in_collection(data).unwrap_or(1);
    (0..count)
        .filter_map(|index| FontInfo::new(data, index).map(|info| (index, info)))
        .collect()
}

/// A face of one of pactum's own files, parsed the first time a document uses it.
struct OwnFace {
    data: &'static [u8],
    index: u32,
}

impl FontSource for OwnFace {
    fn load(&self) -> Option<Font> {
        Font::new(Bytes::new(self.data), self.index)
    }
}

/// A store holding pactum's own fonts, and their files' hashes (known from the build). The
/// faces' metadata is the recorded one ([`RECORDED_INFOS`]) when the file's hash matches, else
/// computed; a face itself is parsed only when a document uses it.
pub fn own() -> (FontStore, FontHashes) {
    let recorded: Vec<RecordedFile> = serde_json::from_str(RECORDED_INFOS).unwrap_or_default();
    let mut store = FontStore::new();
    let hashes = FontHashes::default();
    for (n, (data, sha256)) in own_files().zip(OWN_FONT_SHA256).enumerate() {
        hashes.known(data, sha256);
        let faces = match recorded.get(n) {
            Some(file) if file.sha256 == *sha256 => file.faces.clone(),
            _ => faces_of(data),
        };
        store.extend(
            faces
                .into_iter()
                .map(|(index, info)| (OwnFace { data, index }, info)),
        );
    }
    (store, hashes)
}

/// Add the faces of `sources` to `store`: the user's folders first, then the system's, each
/// group in sorted path order (a scanner's directory order is the file system's).
pub fn add_sources(store: &mut FontStore, sources: &FontSources) {
    for dir in &sources.dirs {
        push_sorted(store, typst_kit::fonts::scan(dir));
    }
    if sources.system {
        push_sorted(store, typst_kit::fonts::system());
    }
}

fn push_sorted(store: &mut FontStore, faces: impl Iterator<Item = (FontPath, FontInfo)>) {
    let mut faces: Vec<_> = faces.collect();
    faces.sort_by(|(a, _), (b, _)| (&a.path, a.index).cmp(&(&b.path, b.index)));
    store.extend(faces);
}

/// A set of characters: a bit per character of the Basic Multilingual Plane, a sorted list
/// beyond it. Typst keeps a face's coverage as a run-length list searched from its start,
/// which costs thousands of steps a character for a Chinese face; this is one lookup.
#[derive(Debug, Default)]
pub struct CharSet {
    bmp: Vec<u64>,
    astral: Vec<u32>,
}

impl CharSet {
    fn from_codepoints(codepoints: impl Iterator<Item = u32>) -> Self {
        let mut set = CharSet {
            bmp: vec![0; 1024],
            astral: Vec::new(),
        };
        for c in codepoints {
            match c as usize {
                n if n < 0x10000 => set.bmp[n / 64] |= 1 << (n % 64),
                _ => set.astral.push(c),
            }
        }
        set.astral.sort_unstable();
        set.astral.dedup();
        set
    }

    pub fn contains(&self, c: char) -> bool {
        match c as usize {
            n if n < 0x10000 => self.bmp[n / 64] & (1 << (n % 64)) != 0,
            _ => self.astral.binary_search(&(c as u32)).is_ok(),
        }
    }
}

/// What a store's faces cover, indexed once when the store is built.
#[derive(Debug, Default)]
pub struct Coverage {
    /// Characters some face covers.
    any: CharSet,
    /// Characters the layout's Chinese face covers and its Latin face does not: a document
    /// holding one is typeset with the Chinese face.
    chinese_only: CharSet,
}

impl Coverage {
    pub fn of(store: &FontStore) -> Self {
        let book = store.book();
        let infos: Vec<&FontInfo> = (0..).map_while(|i| book.info(i)).collect();
        let any = CharSet::from_codepoints(infos.iter().flat_map(|info| info.coverage.iter()));
        let family = |name: &'static str| {
            let faces = infos.iter().filter(move |info| info.family == name);
            faces.flat_map(|info| info.coverage.iter())
        };
        let latin = CharSet::from_codepoints(family(LATIN));
        let only = family(CJK).filter(|&c| char::from_u32(c).is_some_and(|c| !latin.contains(c)));
        Coverage {
            any,
            chinese_only: CharSet::from_codepoints(only),
        }
    }

    /// Whether some face has a glyph for every visible character of `text`.
    pub fn covers(&self, text: &str) -> bool {
        text.chars()
            .filter(|c| !c.is_whitespace() && !c.is_control())
            .all(|c| self.any.contains(c))
    }

    /// Whether `text` needs the layout's Chinese face.
    fn needs_chinese(&self, text: &str) -> bool {
        text.chars().any(|c| self.only_chinese(c))
    }

    /// Whether the layout's Chinese face covers `c` and its Latin face does not.
    pub fn only_chinese(&self, c: char) -> bool {
        self.chinese_only.contains(c)
    }
}

/// One font a document was typeset with.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct FontUse {
    /// Family name, e.g. `Noto Serif CJK TC`.
    pub family: String,
    /// Style, weight and stretch, e.g. `normal 700`.
    pub variant: String,
    /// sha256 of the font file the face came from.
    pub sha256: String,
}

/// The fonts a laid-out document uses, and the characters it shows as `.notdef` boxes.
pub fn inspect(document: &PagedDocument, hashes: &FontHashes) -> (Vec<FontUse>, Vec<char>) {
    let mut fonts = BTreeMap::new();
    let mut missing = Vec::new();
    for page in document.pages() {
        walk(&page.frame, &mut |item| {
            let font = item.font.font();
            let info = font.info();
            let key = (info.family.clone(), format!("{:?}", info.variant));
            fonts.entry(key).or_insert_with(|| font.clone());
            for glyph in item.glyphs.iter().filter(|g| g.id == 0) {
                for c in item.text[glyph.range()].chars() {
                    if !c.is_whitespace() && !missing.contains(&c) {
                        missing.push(c);
                    }
                }
            }
        });
    }
    let mut uses: Vec<FontUse> = fonts
        .into_values()
        .map(|font| font_use(&font, hashes))
        .collect();
    uses.sort();
    (uses, missing)
}

fn font_use(font: &Font, hashes: &FontHashes) -> FontUse {
    let v = font.info().variant;
    FontUse {
        family: font.info().family.clone(),
        variant: format!("{:?} {}", v.style, v.weight.to_number()).to_lowercase(),
        sha256: hashes.of(font),
    }
}

/// The faces a document holding `text` is most likely typeset with, before it is laid out:
/// the layout's Latin face in regular, bold and italic, and its Chinese face in regular and
/// bold when the text has a character only that face covers. (The record attached to a PDF
/// names its fonts; a wrong guess costs a second compile, never a wrong record.)
pub fn likely(
    store: &FontStore,
    hashes: &FontHashes,
    coverage: &Coverage,
    text: &str,
) -> Vec<FontUse> {
    let mut out: Vec<FontUse> = likely_faces(store, coverage, text)
        .iter()
        .map(|font| font_use(font, hashes))
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The faces of [`likely`], as fonts.
pub fn likely_faces(store: &FontStore, coverage: &Coverage, text: &str) -> Vec<Font> {
    let book = store.book();
    let chinese = coverage.needs_chinese(text);
    let wanted = |info: &FontInfo| {
        let v = info.variant;
        let italic = v.style == FontStyle::Italic;
        let weight = v.weight.to_number();
        match info.family.as_str() {
            LATIN => matches!((italic, weight), (false, 400) | (false, 700) | (true, 400)),
            CJK => chinese && !italic && matches!(weight, 400 | 700),
            _ => false,
        }
    };
    (0..)
        .map_while(|i| book.info(i).map(|info| (i, info)))
        .filter(|(_, info)| wanted(info))
        .filter_map(|(i, _)| store.font(i))
        .collect()
}

/// The layout's Latin and Chinese faces (pactum's own).
const LATIN: &str = "Libertinus Serif";
const CJK: &str = CJK_FAMILY;
/// The family of pactum's own Chinese face: Traditional Chinese forms.
pub const CJK_FAMILY: &str = "Noto Serif CJK TC";

/// Every run of text in a frame and its groups.
fn walk(frame: &Frame, visit: &mut dyn FnMut(&TextItem)) {
    for (_, item) in frame.items() {
        match item {
            FrameItem::Group(group) => walk(&group.frame, visit),
            FrameItem::Text(text) => visit(text),
            _ => {}
        }
    }
}

/// sha256 of font files by where their bytes are: pactum's own are known from the build, any
/// other is computed once per process, the first time a document uses it.
#[derive(Default)]
pub struct FontHashes(Mutex<HashMap<usize, String>>);

impl FontHashes {
    fn known(&self, data: &'static [u8], sha256: &str) {
        let mut cache = self.0.lock().unwrap_or_else(|e| e.into_inner());
        cache.insert(data.as_ptr() as usize, sha256.to_string());
    }

    fn of(&self, font: &Font) -> String {
        let key = font.data().as_ptr() as usize;
        let mut cache = self.0.lock().unwrap_or_else(|e| e.into_inner());
        cache
            .entry(key)
            .or_insert_with(|| crate::template::hex(&Sha256::digest(font.data().as_slice())))
            .clone()
    }
}

/// A font a reader would install for `c`, and the Debian/Ubuntu package that has it. Han
/// characters are shared by Chinese, Japanese and Korean: `han` is the family the document's
/// CJK language names first (its words file's `text.fonts`), pactum's Traditional Chinese
/// face when it names none. Kana are Japanese, Hangul Korean.
pub fn suggestion(c: char, han: Option<&str>) -> (String, &'static str) {
    let (font, package) = match c as u32 {
        0x3040..=0x30FF | 0x31F0..=0x31FF => ("Noto Serif CJK JP", "fonts-noto-cjk"),
        0xAC00..=0xD7AF | 0x1100..=0x11FF | 0x3130..=0x318F => {
            ("Noto Serif CJK KR", "fonts-noto-cjk")
        }
        0x2E80..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF | 0x20000..=0x3FFFF => {
            let family = han.unwrap_or(CJK);
            let package = if family.starts_with("Noto") && family.contains("CJK") {
                "fonts-noto-cjk"
            } else {
                "the package that has it"
            };
            return (family.to_string(), package);
        }
        0x0600..=0x06FF | 0x0750..=0x077F | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF => {
            ("Noto Naskh Arabic", "fonts-noto-core")
        }
        0x0590..=0x05FF => ("Noto Serif Hebrew", "fonts-noto-core"),
        0x1F000..=0x1FAFF | 0x2600..=0x27BF => ("Noto Color Emoji", "fonts-noto-color-emoji"),
        _ => ("a Noto font for this script", "fonts-noto-core"),
    };
    (font.to_string(), package)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `fonts/infos.json` must say of each own face what Typst reads from it; with
    /// `PACTUM_RECORD_FONT_INFOS=1` this test writes it instead (after a font or Typst update).
    #[test]
    fn recorded_infos_are_the_faces_own() {
        let computed: Vec<RecordedFile> = own_files()
            .zip(OWN_FONT_SHA256)
            .map(|(data, sha256)| RecordedFile {
                sha256: sha256.to_string(),
                faces: faces_of(data),
            })
            .collect();
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/fonts/infos.json");
        if std::env::var_os("PACTUM_RECORD_FONT_INFOS").is_some_and(|v| !v.is_empty()) {
            let json = serde_json::to_string(&computed).unwrap() + "\n";
            std::fs::write(path, json).unwrap();
            return;
        }
        let recorded: Vec<RecordedFile> = serde_json::from_str(RECORDED_INFOS)
            .expect("fonts/infos.json reads: rewrite it with PACTUM_RECORD_FONT_INFOS=1");
        assert!(
            recorded == computed,
            "fonts/infos.json is out of date: rewrite it with PACTUM_RECORD_FONT_INFOS=1 cargo nextest run --lib recorded_infos"
        );
        // And a store built from the record has the faces themselves behind it.
        let (store, _) = own();
        let book = store.book();
        for i in (0..).take_while(|&i| book.info(i).is_some()) {
            let font = store.font(i).expect("every recorded face loads");
            assert_eq!(font.info(), book.info(i).unwrap());
        }
    }

    #[test]
    fn coverage_answers_as_the_faces_do() {
        let (store, _) = own();
        let coverage = Coverage::of(&store);
        let book = store.book();
        let infos: Vec<&FontInfo> = (0..).map_while(|i| book.info(i)).collect();
        let by_faces = |c: char| infos.iter().any(|i| i.coverage.contains(c as u32));
        for c in [
            'A',
            'ö',
            'ß',
            '§',
            '協',
            '議',
            '。',
            '（',
            'ا',
            'א',
            '😀',
            '\u{20000}',
        ] {
            assert_eq!(coverage.any.contains(c), by_faces(c), "{c:?}");
        }
        assert!(coverage.covers("Avtal mellan Lund och 臺南市"));
        assert!(
            !coverage.covers("ስምምነት 합의"),
            "Ethiopic and Hangul are not pactum's"
        );
        assert!(coverage.needs_chinese("臺南市政府"));
        assert!(!coverage.needs_chinese("Agreement between Malmö and Kaohsiung, 2026–2028"));
    }
}
