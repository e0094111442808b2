//! The one Typst `World` in pactum: the layout served from memory as `/main.typ`, the model and
//! files served from memory by fixed names, fonts from the shared [`super::Engine`], a fixed
//! `today()`, and no other I/O — except files inside the template's own folder, when the
//! template came from disk. Packages and paths outside that folder are refused.

use std::path::Path;
use std::sync::LazyLock;

use typst::diag::{FileError, FileResult, PackageError};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, World};

use super::Engine;

/// `/main.typ`, interned once per process (the interner never frees ids).
pub static MAIN_ID: LazyLock<FileId> = LazyLock::new(|| project_id("/main.typ"));

fn project_id(path: &str) -> FileId {
    let vpath = VirtualPath::new(path).expect("fixed path is valid");
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

/// One document's world.
pub struct PactumWorld<'a> {
    engine: &'a Engine,
    main: Source,
    data: Vec<(FileId, Bytes)>,
    today: Option<Datetime>,
    assets: Option<&'a Path>,
}

impl<'a> PactumWorld<'a> {
    pub fn new(engine: &'a Engine, doc: &super::Document<'a>) -> Self {
        let main = Source::new(*MAIN_ID, doc.source.to_string());
        let data = doc
            .files
            .iter()
            .map(|(path, bytes)| (project_id(path), Bytes::new(bytes.to_vec())))
            .collect();
        let today = doc.date.and_then(|(y, m, d)| Datetime::from_ymd(y, m, d));
        Self {
            engine,
            main,
            data,
            today,
            assets: doc.assets,
        }
    }

    /// The main source (for mapping diagnostics).
    pub fn main_source(&self) -> &Source {
        &self.main
    }

    fn asset(&self, id: FileId) -> FileResult<Bytes> {
        let rooted = id.get();
        if let VirtualRoot::Package(spec) = rooted.root() {
            return Err(FileError::Package(PackageError::NotFound(spec.clone())));
        }
        let vpath = rooted.vpath();
        let not_found = || FileError::NotFound(std::path::PathBuf::from(vpath.get_with_slash()));
        let root = self.assets.ok_or_else(not_found)?;
        let root = root.canonicalize().map_err(|_| not_found())?;
        let real = vpath.realize(&root).map_err(FileError::Realize)?;
        let real = real.canonicalize().map_err(|_| not_found())?;
        if !real.starts_with(&root) {
            return Err(FileError::AccessDenied);
        }
        std::fs::read(&real)
            .map(Bytes::new)
            .map_err(|e| FileError::from_io(e, &real))
    }
}

impl World for PactumWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.engine.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        self.engine.fonts.book()
    }

    fn main(&self) -> FileId {
        *MAIN_ID
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == *MAIN_ID {
            return Ok(self.main.clone());
        }
        let bytes = self.file(id)?;
        let text = std::str::from_utf8(&bytes).map_err(|_| FileError::InvalidUtf8)?;
        Ok(Source::new(id, text.to_string()))
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == *MAIN_ID {
            return Ok(Bytes::from_string(self.main.clone()));
        }
        if let Some((_, bytes)) = self.data.iter().find(|(d, _)| *d == id) {
            return Ok(bytes.clone());
        }
        self.asset(id)
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.engine.fonts.font(index)
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        self.today
    }
}
