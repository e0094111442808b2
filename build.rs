//! Embeds the built-in templates (`templates/**.{yaml,hbs,typ}`) into the binary, so an
//! installed `pactum` needs no files beside it: each YAML file with the same data as JSON
//! (which reads ten times faster: a render reads about 25 kB of a template's YAML), each
//! handlebars file compiled (`src/template/precompiled.rs`). Records the sha256 of pactum's
//! own font files (Typst's embedded set, then `fonts/*.subset.otf`), so that no run hashes
//! them.

use std::path::Path;

use sha2::{Digest, Sha256};

// The form of a compiled handlebars template, shared with the crate (see its module doc).
#[allow(dead_code)]
#[path = "src/template/precompiled.rs"]
mod precompiled;

fn main() {
    // Read at run time: `env!` would freeze the folder the build script was compiled in, and a
    // second checkout sharing the target folder would embed the first one's templates.
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let root = Path::new(&manifest).join("templates");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    collect(&root, &root, &mut files);
    files.sort();
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let mut out = String::from(
        "/// Built-in template files: (path under templates/, contents, for a YAML file its data as\n/// JSON, for a handlebars file its compiled form).\npub static BUILTIN: &[(&str, &str, Option<&str>, Option<&str>)] = &[\n",
    );
    for (n, rel) in files.iter().enumerate() {
        let abs = root.join(rel);
        println!("cargo:rerun-if-changed={}", abs.display());
        let json = rel.ends_with(".yaml").then(|| as_json(&abs)).flatten();
        let json = embedded(&out_dir, &format!("builtin-{n}.json"), json);
        let compiled = rel.ends_with(".hbs").then(|| compiled_form(&abs)).flatten();
        let compiled = embedded(&out_dir, &format!("builtin-{n}.hbs.json"), compiled);
        out.push_str(&format!(
            "    ({rel:?}, include_str!({:?}), {json}, {compiled}),\n",
            abs.display().to_string()
        ));
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"))
        .join("builtin_templates.rs");
    std::fs::write(dest, out).expect("write builtin_templates.rs");

    let mut hashes = String::from(
        "/// sha256 of pactum's own font files, in the order `render::fonts::own_files` gives them.\npub static OWN_FONT_SHA256: &[&str] = &[\n",
    );
    let cjk: Vec<Vec<u8>> = OWN_CJK
        .iter()
        .map(|name| {
            let path = Path::new(&manifest).join("fonts").join(name);
            println!("cargo:rerun-if-changed={}", path.display());
            std::fs::read(&path).expect("pactum's own fonts are in fonts/")
        })
        .collect();
    let typst_fonts = typst_assets::fonts().map(Sha256::digest);
    for digest in typst_fonts.chain(cjk.iter().map(Sha256::digest)) {
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        hashes.push_str(&format!("    {hex:?},\n"));
    }
    hashes.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"))
        .join("own_font_hashes.rs");
    std::fs::write(dest, hashes).expect("write own_font_hashes.rs");
}

/// pactum's Traditional Chinese faces under `fonts/` (the same list as `render::fonts`).
const OWN_CJK: [&str; 2] = [
    "NotoSerifCJKtc-Regular.subset.otf",
    "NotoSerifCJKtc-Bold.subset.otf",
];

/// A YAML file's data as JSON, when it has a JSON form (string keys, no tags); the keys keep
/// their order (serde_json's `preserve_order`).
fn as_json(path: &Path) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    let value: serde_json::Value = serde_yaml_ng::from_str(&text).ok()?;
    serde_json::to_string(&value).ok()
}

fn collect(root: &Path, dir: &Path, files: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(root, &path, files);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "hbs" | "typ")
        ) {
            let rel = path
                .strip_prefix(root)
                .expect("under root")
                .to_string_lossy()
                .replace('\\', "/");
            files.push(rel);
        }
    }
}

/// `text` written to `out_dir/name`, as the Rust expression that embeds it (`None` without).
fn embedded(out_dir: &str, name: &str, text: Option<String>) -> String {
    let Some(text) = text else {
        return "None".into();
    };
    let path = Path::new(out_dir).join(name);
    std::fs::write(&path, text).expect("write a built-in template's data");
    format!("Some(include_str!({:?}))", path.display().to_string())
}

/// A handlebars file compiled, in the form `src/template/precompiled.rs` reads back: only when
/// it compiles and its form builds exactly what handlebars compiled (else it is compiled at
/// run time, and a syntax error is reported there).
fn compiled_form(path: &Path) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    let compiled = handlebars::Template::compile_with_name(&text, "x".into()).ok()?;
    let form = precompiled::form(&compiled)?;
    let same = precompiled::template(&form, "x")? == precompiled::without_mapping(&compiled);
    same.then(|| serde_json::to_string(&form).ok()).flatten()
}
