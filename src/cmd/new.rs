//! `pactum new`: start an agreement folder with a commented `round-1.yaml`; `pactum
//! new-language`: start a language's files in a templates folder.

use crate::diagnostic::Kind;
use std::path::Path;

use super::{CmdResult, Context, Outcome};
use crate::diagnostic::Diagnostic;
use crate::output::write_atomic;
use crate::terms::json_schema::json_schema;
use crate::terms::starter::starter;

pub fn run(ctx: &Context, template: &str, dir: &Path) -> CmdResult {
    let template = ctx.template(template)?;
    let path = dir.join("round-1.yaml");
    if path.exists() {
        let d = Diagnostic::new(
            Kind::Exists,
            path.display().to_string(),
            "already exists; not overwritten",
        )
        .with_hint("start the next round as round-2.yaml instead");
        return Err(d.into());
    }
    // The JSON Schema beside the starter, named in its first line, lets VS Code's YAML
    // extension complete and check terms while they are typed.
    let schema_name = format!("{}.schema.json", template.name);
    let schema = json_schema(&template.name, &template.description, &template.schema);
    let schema_text = serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n";
    let text = format!(
        "# yaml-language-server: $schema=./{schema_name}\n{}",
        starter(&template.name, &template.description, &template.schema)
    );
    for (file, bytes) in [
        (dir.join(&schema_name), schema_text.as_bytes()),
        (path, text.as_bytes()),
    ] {
        write_atomic(&file, bytes)?;
        println!("wrote {}", file.display());
    }
    Ok(Outcome::Done)
}

/// Write every file of a new language `code`, made from `from`, under the templates folder
/// `dir` (see [`crate::template::packs::skeleton`]). Refuses, writing nothing, when any of
/// them exists.
pub fn language(ctx: &Context, code: &str, from: &str, dir: &Path) -> CmdResult {
    let files = crate::template::packs::skeleton(&ctx.pipeline.catalog, code, from)?;
    if let Some((rel, _)) = files.iter().find(|(rel, _)| dir.join(rel).exists()) {
        let d = Diagnostic::new(
            Kind::Exists,
            dir.join(rel).display().to_string(),
            "already exists; nothing was written",
        )
        .with_hint("write the language into a new folder, or finish the one there");
        return Err(d.into());
    }
    for (rel, text) in &files {
        write_atomic(&dir.join(rel), text.as_bytes())?;
    }
    println!(
        "wrote {} files for `{code}` under {} (from `{from}`): translate each, then
  \
         pactum check --templates {}",
        files.len(),
        dir.display(),
        dir.display()
    );
    Ok(Outcome::Done)
}
