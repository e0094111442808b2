//! Fonts: Typst's embedded set (Latin, Greek, Cyrillic) and, for everything else, font files
//! found in the folders the user names (`--font-path`, `PACTUM_FONT_PATH`, `font_paths` in
//! pactum.toml) and the system's font folders (unless `--no-system-fonts`). Folders are
//! scanned in sorted path order, so one machine always builds the same font book. Also owns
//! reading a laid-out document back: which fonts it used (recorded in the batch manifest) and
//! which characters no font could show (a `.notdef` box: such a document is refused).

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use sha2::{Digest, Sha256};
use typst::layout::{Frame, FrameItem};
use typst::text::{Font, FontInfo, TextItem};
use typst_kit::fonts::{FontPath, FontStore};
use typst_layout::PagedDocument;

/// Where fonts beyond the embedded set come from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FontSources {
    /// Folders named by the user, searched first.
    pub dirs: Vec<PathBuf>,
    /// Also search the system's font folders.
    pub system: bool,
}

impl FontSources {
    /// The folders to scan, user folders first, each once.
    pub fn folders(&self) -> Vec<PathBuf> {
        let mut out: Vec<PathBuf> = self.dirs.clone();
        if self.system {
            out.extend(system_folders());
        }
        let mut seen = Vec::new();
        out.retain(|d| {
            let fresh = !seen.contains(d);
            seen.push(d.clone());
            fresh
        });
        out
    }
}

/// The usual font folders of Linux, macOS and Windows (those that exist are scanned).
fn system_folders() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = [
        "/usr/share/fonts",
        "/usr/local/share/fonts",
        "/Library/Fonts",
        "/System/Library/Fonts",
        "C:\\Windows\\Fonts",
    ]
    .iter()
    .map(PathBuf::from)
    .collect();
    if let Some(home) = std::env::var_os("HOME") {
        let home = PathBuf::from(home);
        dirs.extend([
            home.join(".local/share/fonts"),
            home.join(".fonts"),
            home.join("Library/Fonts"),
        ]);
    }
    dirs
}

/// Add every font face found under `folders` to `store`, in sorted path order.
pub fn add_folders(store: &mut FontStore, folders: &[PathBuf]) {
    for folder in folders {
        let mut files = Vec::new();
        font_files(folder, 0, &mut files);
        files.sort();
        for path in files {
            let Ok(data) = std::fs::read(&path) else {
                continue;
            };
            let faces = (0..).map_while(|index| FontInfo::new(&data, index).map(|i| (index, i)));
            for (index, info) in faces {
                let source = FontPath {
                    path: path.clone(),
                    index,
                };
                store.push((source, info));
            }
        }
    }
}

fn font_files(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() && depth < 8 {
            font_files(&path, depth + 1, out);
        } else {
            let ext = path
                .extension()
                .map(|e| e.to_string_lossy().to_ascii_lowercase());
            if matches!(ext.as_deref(), Some("ttf" | "otf" | "ttc" | "otc")) {
                out.push(path);
            }
        }
    }
}

/// Whether some font of `store` has a glyph for every visible character of `text`.
pub fn covers(store: &FontStore, text: &str) -> bool {
    let book = store.book();
    let infos: Vec<_> = (0..).map_while(|i| book.info(i)).collect();
    let mut checked = std::collections::HashSet::new();
    text.chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .filter(|c| checked.insert(*c))
        .all(|c| infos.iter().any(|info| info.coverage.contains(c as u32)))
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
    let uses = fonts
        .into_values()
        .map(|font| {
            let v = font.info().variant;
            FontUse {
                family: font.info().family.clone(),
                variant: format!("{:?} {}", v.style, v.weight.to_number()).to_lowercase(),
                sha256: hashes.of(&font),
            }
        })
        .collect();
    (uses, missing)
}

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

/// sha256 of font files, computed once per font per process.
#[derive(Default)]
pub struct FontHashes(Mutex<HashMap<(usize, u32), String>>);

impl FontHashes {
    fn of(&self, font: &Font) -> String {
        let key = (font.data().as_ptr() as usize, font.index());
        let mut cache = self.0.lock().unwrap_or_else(|e| e.into_inner());
        cache
            .entry(key)
            .or_insert_with(|| crate::template::hex(&Sha256::digest(font.data().as_slice())))
            .clone()
    }
}

/// A font a reader would install for `c`, and the Debian/Ubuntu package that has it.
pub fn suggestion(c: char) -> (&'static str, &'static str) {
    match c as u32 {
        0x2E80..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF | 0x20000..=0x3FFFF => {
            ("Noto Serif CJK TC", "fonts-noto-cjk")
        }
        0xAC00..=0xD7AF => ("Noto Serif CJK KR", "fonts-noto-cjk"),
        0x0600..=0x06FF | 0x0750..=0x077F | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF => {
            ("Noto Naskh Arabic", "fonts-noto-core")
        }
        0x0590..=0x05FF => ("Noto Serif Hebrew", "fonts-noto-core"),
        0x1F000..=0x1FAFF | 0x2600..=0x27BF => ("Noto Color Emoji", "fonts-noto-color-emoji"),
        _ => ("a Noto font for this script", "fonts-noto-core"),
    }
}
