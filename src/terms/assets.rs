//! Files the terms name beside themselves: a party's letterhead image (`letterhead.image`).
//! Owns reading them and checking them as untrusted input, each at its term: a plain file
//! name in the terms' own folder (no path), a size limit, and content that is what its name
//! says (a PNG whose header reads, or an SVG that parses with nothing fetched from outside
//! it). What passes is kept in memory: nothing later reads the folder again.

use std::path::Path;

use serde_json::Value;

use crate::diagnostic::{Diagnostic, Kind};

/// The largest image a letterhead may be.
pub const MAX_BYTES: usize = 2 * 1024 * 1024;
/// The largest width or height, in pixels, of a PNG letterhead.
pub const MAX_PIXELS: u32 = 6000;

/// A checked file the terms name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    /// Its file name, as the terms give it (plain: letters, digits, `.`, `-`, `_`).
    pub name: String,
    pub bytes: Vec<u8>,
    pub kind: ImageKind,
    /// Its size in pixels (an SVG's at 96 dpi).
    pub width: u32,
    pub height: u32,
}

/// What an image is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageKind {
    Png,
    Svg,
}

impl ImageKind {
    pub fn mime(self) -> &'static str {
        match self {
            ImageKind::Png => "image/png",
            ImageKind::Svg => "image/svg+xml",
        }
    }
}

/// Every letterhead image the validated terms name, read from `folder` (the terms' own) and
/// checked; problems at the term path of each (`parties[0].letterhead.image`).
pub fn read(value: &Value, folder: &Path) -> Result<Vec<Asset>, Vec<Diagnostic>> {
    let mut assets: Vec<Asset> = Vec::new();
    let mut problems = Vec::new();
    let parties = value.get("parties").and_then(Value::as_array);
    for (i, party) in parties.into_iter().flatten().enumerate() {
        let Some(name) = party.pointer("/letterhead/image").and_then(Value::as_str) else {
            continue;
        };
        let path = format!("parties[{i}].letterhead.image");
        if assets.iter().any(|a| a.name == name) {
            continue;
        }
        match read_one(name, folder) {
            Ok(asset) => assets.push(asset),
            Err((message, hint)) => problems.push(
                Diagnostic::general(Kind::InvalidValue, message)
                    .at_path(path)
                    .with_hint(hint),
            ),
        }
    }
    if problems.is_empty() {
        Ok(assets)
    } else {
        Err(problems)
    }
}

/// Whether a file name is plain: letters, digits, `.`, `-`, `_`, not hidden. Such a name
/// cannot leave the folder, and may stand in Typst source and a PDF as it is.
pub fn is_plain(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 100
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
}

fn read_one(name: &str, folder: &Path) -> Result<Asset, (String, String)> {
    if !is_plain(name) {
        return Err((
            format!("`{name}` is not a file name beside the terms"),
            "put the image in the terms file's folder and give its name only (letters, digits, `.`, `-`, `_`)".into(),
        ));
    }
    let kind = match name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()) {
        Some(e) if e == "png" => ImageKind::Png,
        Some(e) if e == "svg" => ImageKind::Svg,
        _ => {
            return Err((
                format!("`{name}` is neither a PNG nor an SVG file"),
                "a letterhead image is a .png or an .svg file".into(),
            ));
        }
    };
    let path = folder.join(name);
    let size = std::fs::metadata(&path)
        .map_err(|e| {
            (
                format!("cannot read `{name}` beside the terms: {e}"),
                format!("looked for {}", path.display()),
            )
        })?
        .len();
    if size > MAX_BYTES as u64 {
        return Err((
            format!("`{name}` is {size} bytes; a letterhead image may be {MAX_BYTES} at most"),
            "export it smaller".into(),
        ));
    }
    let bytes =
        std::fs::read(&path).map_err(|e| (format!("cannot read `{name}`: {e}"), String::new()))?;
    let (width, height) = match kind {
        ImageKind::Png => png_size(&bytes),
        ImageKind::Svg => svg_size(&bytes),
    }
    .map_err(|why| {
        (
            format!(
                "`{name}` is not a usable {} image: {why}",
                match kind {
                    ImageKind::Png => "PNG",
                    ImageKind::Svg => "SVG",
                }
            ),
            "export the letterhead again as PNG or SVG".to_string(),
        )
    })?;
    Ok(Asset {
        name: name.to_string(),
        bytes,
        kind,
        width,
        height,
    })
}

fn png_size(bytes: &[u8]) -> Result<(u32, u32), String> {
    let reader = png::Decoder::new(std::io::Cursor::new(bytes))
        .read_info()
        .map_err(|e| e.to_string())?;
    let info = reader.info();
    if info.width > MAX_PIXELS || info.height > MAX_PIXELS {
        return Err(format!(
            "{}×{} pixels, more than {MAX_PIXELS} a side",
            info.width, info.height
        ));
    }
    Ok((info.width, info.height))
}

fn svg_size(bytes: &[u8]) -> Result<(u32, u32), String> {
    let tree = parse_svg(bytes)?;
    let size = tree.size();
    Ok((size.width().ceil() as u32, size.height().ceil() as u32))
}

/// An SVG parsed with nothing fetched from outside it: no files, no fonts (text is not read
/// from the system), no images but those inside it. One that links to a file is refused
/// (Typst would refuse it when it draws it).
pub fn parse_svg(bytes: &[u8]) -> Result<resvg::usvg::Tree, String> {
    use std::sync::{Arc, Mutex};
    let linked: Arc<Mutex<Option<String>>> = Arc::default();
    let seen = linked.clone();
    let options = resvg::usvg::Options {
        resources_dir: None,
        image_href_resolver: resvg::usvg::ImageHrefResolver {
            resolve_data: resvg::usvg::ImageHrefResolver::default_data_resolver(),
            resolve_string: Box::new(move |href, _| {
                if let Ok(mut first) = seen.lock() {
                    first.get_or_insert_with(|| href.chars().take(80).collect());
                }
                None
            }),
        },
        ..resvg::usvg::Options::default()
    };
    let tree = resvg::usvg::Tree::from_data(bytes, &options).map_err(|e| e.to_string())?;
    if let Some(href) = linked.lock().ok().and_then(|l| l.clone()) {
        return Err(format!(
            "it links to a file outside itself ({href}); embed the image in the SVG"
        ));
    }
    Ok(tree)
}
