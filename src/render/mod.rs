//! Render: Typst source → PDF, in-process. Owns the one [`world::PactumWorld`], the fonts
//! ([`fonts`]: pactum's own, plus font folders when a document needs more), the PDF
//! options that make output reproducible (fixed date, ident and creator; PDF/A-3a for final
//! copies), refusing a document with a character no font can show, and turning Typst
//! diagnostics into byte ranges of the source, and warming an engine for a document
//! ([`Engine::warm`]) on another core. Knows nothing about terms or templates.

pub mod fonts;
pub mod layout_check;
pub mod world;

use std::ops::Range;
use std::path::Path;
use std::sync::{Arc, mpsc};
use std::time::Duration;

use typst::diag::{Severity, SourceDiagnostic};
use typst::foundations::{Datetime, Smart};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, WorldExt};
use typst_kit::fonts::FontStore;
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

pub use fonts::{CarriedFont, FontSources, FontUse};
use world::{MAIN_ID, PactumWorld};

/// The few lines [`Engine::warm`] compiles.
const WARM_SOURCE: &str = r#"#let data = json("/warm.json")
#set page(width: 12cm, height: auto, margin: 1cm)
#set text(font: data.families, size: 11pt)
#set par(justify: true)
#for (lang, region) in data.languages {
  text(lang: lang, region: region, hyphenate: true)[#data.text *#data.text* _#data.text _]
}
"#;

/// What `Creator` says in every PDF (fixed, so output does not change with the Typst patch).
pub const CREATOR: &str = concat!("pactum ", env!("CARGO_PKG_VERSION"));

/// Shared, read-only state for compiling many documents: fonts and the standard library.
pub struct Engine {
    pub(crate) fonts: FontStore,
    pub(crate) library: LazyHash<Library>,
    hashes: fonts::FontHashes,
    coverage: fonts::Coverage,
    /// The folders whose fonts a copy carries ([`FontSources::carried`]), and their files
    /// (read and hashed when a copy first needs them).
    carried: Vec<std::path::PathBuf>,
    carried_files: std::sync::OnceLock<Vec<fonts::CarriedFile>>,
}

/// A compiled document: the PDF and the fonts it was typeset with.
pub struct Output {
    pub pdf: Vec<u8>,
    pub fonts: Vec<FontUse>,
    /// What the layout check found in a draft (a final copy with any is refused).
    pub clashes: Vec<layout_check::Clash>,
}

/// One document to compile.
pub struct Document<'a> {
    /// The Typst source, served as `/main.typ`.
    pub source: &'a str,
    /// Extra in-memory files by absolute virtual path (`/redline.json`).
    pub files: &'a [(&'a str, &'a [u8])],
    /// Document date (year, month, day): `today()` and the PDF's date.
    pub date: Option<(i32, u8, u8)>,
    /// A stable identifier of the document (hashed into the PDF's /ID).
    pub ident: &'a str,
    /// Produce PDF/A-3a (archival and accessible: tagged, each version in its language; requires a date).
    pub pdf_a: bool,
    /// The family to suggest for Han characters no font covers: the one the document's CJK
    /// language names first (none: pactum's Traditional Chinese face).
    pub han: Option<&'a str>,
    /// A template's own folder on disk, the only place files may be read from.
    pub assets: Option<&'a Path>,
}

/// A Typst error, located in the main source when it points there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub message: String,
    pub hints: Vec<String>,
    /// Byte range in `/main.typ`, when the error is located there.
    pub range: Option<Range<usize>>,
    /// Characters no font could show (the document was refused for them).
    pub missing: Vec<char>,
    /// Where the layout prints text over text (a final copy was refused for it).
    pub clashes: Vec<layout_check::Clash>,
}

impl Problem {
    fn new(message: impl Into<String>, hints: Vec<String>) -> Self {
        Problem {
            message: message.into(),
            hints,
            range: None,
            missing: Vec::new(),
            clashes: Vec::new(),
        }
    }
}

impl Default for Engine {
    /// pactum's own fonts only.
    fn default() -> Self {
        Self::new(&FontSources::default())
    }
}

impl Engine {
    /// pactum's own fonts (their recorded metadata; a face is parsed when first used), then
    /// the faces of `sources` (see [`fonts::add_sources`]), and the standard library.
    pub fn new(sources: &FontSources) -> Self {
        let (mut store, hashes) = fonts::own();
        fonts::add_sources(&mut store, sources);
        Self {
            coverage: fonts::Coverage::of(&store),
            fonts: store,
            library: LazyHash::new(Library::builder().build()),
            hashes,
            carried: sources.carried.clone(),
            carried_files: std::sync::OnceLock::new(),
        }
    }

    /// The fonts a document holding `text` is most likely typeset with ([`fonts::likely`]).
    pub fn likely_fonts(&self, text: &str) -> Vec<FontUse> {
        fonts::likely(&self.fonts, &self.hashes, &self.coverage, text)
    }

    /// The font files a copy typeset with `used` carries ([`fonts::carried`]).
    pub fn carried_fonts(&self, used: &[FontUse]) -> Vec<fonts::CarriedFont> {
        if self.carried.is_empty() {
            return Vec::new();
        }
        let files = (self.carried_files).get_or_init(|| fonts::carried_files(&self.carried));
        fonts::carried(files, used)
    }

    /// Do on this thread what Typst does once per process before it can lay out a document
    /// holding `text` in `languages` (ISO codes, `zh-TW`): hash the bytes of the faces it
    /// most likely uses (10 MB for the Chinese ones), load the line-breaking data and the
    /// languages' hyphenation patterns, build the standard library's caches. It compiles a
    /// few lines with those faces and languages; done on another core while a document is
    /// filled, that time is off the document's path.
    pub fn warm(&self, text: &str, languages: &[String]) {
        let faces = fonts::likely_faces(&self.fonts, &self.coverage, text);
        let chinese: String = text
            .chars()
            .filter(|&c| self.coverage.only_chinese(c))
            .take(40)
            .collect();
        let languages: Vec<(&str, Option<&str>)> = languages
            .iter()
            .map(|l| match l.split_once('-') {
                Some((lang, region)) => (lang, Some(region)),
                None => (l.as_str(), None),
            })
            .collect();
        let data = serde_json::json!({
            "families": faces.iter().map(|f| f.info().family.as_str()).collect::<Vec<_>>(),
            "text": format!("Agreement between the cities, signed {chinese}"),
            "languages": languages,
        });
        let data = data.to_string();
        let files = [("/warm.json", data.as_bytes())];
        let doc = Document {
            source: WARM_SOURCE,
            files: &files,
            date: None,
            ident: "warm",
            pdf_a: false,
            han: None,
            assets: None,
        };
        let world = PactumWorld::new(self, &doc);
        let _ = typst::compile::<PagedDocument>(&world);
    }

    /// Whether this engine's fonts can show every character of `text`.
    pub fn covers(&self, text: &str) -> bool {
        self.coverage.covers(text)
    }

    /// Compile `doc` and export it as PDF bytes. A document in which some character would
    /// print as a `.notdef` box is refused ([`Problem::missing`] names the characters).
    pub fn pdf(&self, doc: &Document) -> Result<Output, Vec<Problem>> {
        let world = PactumWorld::new(self, doc);
        let compiled = typst::compile::<PagedDocument>(&world).output;
        let document = compiled.map_err(|errors| problems(&world, &errors))?;
        let options = pdf_options(doc).map_err(|message| vec![Problem::new(message, vec![])])?;
        // The export and the checks only read the laid-out pages: the checks run on a thread of
        // their own meanwhile, and a refusal discards the exported bytes. Not on rayon's pool:
        // the export waits there on its own jobs, and a pool thread blocked in it while other
        // documents' exports wait on jobs queued behind it is a deadlock (a batch hung so).
        let (pdf, checked) = std::thread::scope(|scope| {
            let checks = scope.spawn(|| {
                (
                    fonts::inspect(&document, &self.hashes),
                    layout_check::check(&document),
                )
            });
            (typst_pdf::pdf(&document, &options), checks.join())
        });
        let ((used, missing), clashes) = checked
            .map_err(|_| vec![Problem::new("the layout check failed unexpectedly", vec![])])?;
        if !missing.is_empty() {
            return Err(vec![missing_glyphs(missing, doc.han)]);
        }
        if doc.pdf_a && !clashes.is_empty() {
            return Err(vec![broken_layout(&clashes)]);
        }
        let pdf = pdf.map_err(|errors| problems(&world, &errors))?;
        Ok(Output {
            pdf,
            fonts: used,
            clashes,
        })
    }

    /// Compile and export like [`Engine::pdf`], but give up after `limit`. Typst has no way to
    /// cancel a compile, so it runs on a thread of its own (with a roomy stack for deep
    /// layouts); past the limit the caller gets an error and the thread's late result is dropped.
    pub fn pdf_within(
        self: &Arc<Self>,
        doc: &Document,
        limit: Duration,
    ) -> Result<Output, Vec<Problem>> {
        let engine = Arc::clone(self);
        let source = doc.source.to_string();
        let files: Vec<(String, Vec<u8>)> = doc
            .files
            .iter()
            .map(|(p, b)| (p.to_string(), b.to_vec()))
            .collect();
        let (date, ident, pdf_a) = (doc.date, doc.ident.to_string(), doc.pdf_a);
        let assets = doc.assets.map(Path::to_path_buf);
        let han = doc.han.map(str::to_string);
        let (tx, rx) = mpsc::channel();
        let spawned = std::thread::Builder::new()
            .name("typst".into())
            .stack_size(64 << 20)
            .spawn(move || {
                let files: Vec<(&str, &[u8])> = files
                    .iter()
                    .map(|(p, b)| (p.as_str(), b.as_slice()))
                    .collect();
                let doc = Document {
                    source: &source,
                    files: &files,
                    date,
                    ident: &ident,
                    pdf_a,
                    han: han.as_deref(),
                    assets: assets.as_deref(),
                };
                let _ = tx.send(engine.pdf(&doc));
            });
        if let Err(e) = spawned {
            let message = format!("cannot start the Typst compiler: {e}");
            return Err(vec![Problem::new(message, vec![])]);
        }
        rx.recv_timeout(limit).unwrap_or_else(|_| {
            Err(vec![Problem::new(
                format!("Typst did not finish within {} s", limit.as_secs_f64()),
                vec![
                    "a template loop over too much data can run for a very long time".into(),
                    "raise the limit with --timeout SECS if the document is really that large"
                        .into(),
                ],
            )])
        })
    }

    /// Forget Typst's memoized results older than `max_age` compilations (0 = all).
    pub fn evict(max_age: usize) {
        typst::comemo::evict(max_age);
    }
}

fn pdf_options(doc: &Document) -> Result<PdfOptions, String> {
    let timestamp = doc
        .date
        .and_then(|(y, m, d)| Datetime::from_ymd_hms(y, m, d, 12, 0, 0))
        .map(Timestamp::new_utc);
    let standards = if doc.pdf_a {
        PdfStandards::new(&[PdfStandard::A_3a]).map_err(|e| e.message().to_string())?
    } else {
        PdfStandards::default()
    };
    Ok(PdfOptions {
        ident: Smart::Custom(doc.ident.to_string()),
        creator: Smart::Custom(Some(CREATOR.to_string())),
        timestamp,
        standards,
        ..PdfOptions::default()
    })
}

/// The refusal of a final copy whose layout prints text over text or at the page's edge.
fn broken_layout(clashes: &[layout_check::Clash]) -> Problem {
    let shown: Vec<String> = clashes.iter().take(4).map(ToString::to_string).collect();
    let mut problem = Problem::new(
        format!(
            "the execution copy's layout is broken: {}{}; no PDF was written",
            shown.join("; "),
            if clashes.len() > 4 { "; …" } else { "" }
        ),
        vec![
            "a long name or title does not fit where the layout puts it: shorten it, or try \
             the other layout (--layout consecutive or parallel)"
                .into(),
        ],
    );
    problem.clashes = clashes.to_vec();
    problem
}

/// The refusal of a document with characters no font covers, naming fonts that would.
fn missing_glyphs(missing: Vec<char>, han: Option<&str>) -> Problem {
    let shown: Vec<String> = missing
        .iter()
        .take(8)
        .map(|c| format!("`{c}` (U+{:04X})", *c as u32))
        .collect();
    let mut hints: Vec<String> = Vec::new();
    for c in &missing {
        let (font, package) = fonts::suggestion(*c, han);
        let hint = format!(
            "install a font that covers it, e.g. {font} (Debian/Ubuntu: `apt install {package}`), \
             then render again; pactum searches the system font folders and any --font-path DIR \
             (or PACTUM_FONT_PATH, or font_paths in pactum.toml)"
        );
        if !hints.contains(&hint) {
            hints.push(hint);
        }
    }
    Problem {
        message: format!(
            "no font can show {}{}; the PDF would print empty boxes, so none was written",
            shown.join(", "),
            if missing.len() > 8 { ", …" } else { "" }
        ),
        hints,
        range: None,
        missing,
        clashes: Vec::new(),
    }
}

fn problems(world: &PactumWorld, errors: &[SourceDiagnostic]) -> Vec<Problem> {
    errors
        .iter()
        .filter(|e| e.severity == Severity::Error)
        .map(|e| {
            let in_main = e.span.id() == Some(*MAIN_ID);
            let range = if in_main { world.range(e.span) } else { None };
            let hints = e.hints.iter().map(|h| h.v.to_string()).collect();
            Problem {
                message: e.message.to_string(),
                hints,
                range,
                missing: Vec::new(),
                clashes: Vec::new(),
            }
        })
        .collect()
}
