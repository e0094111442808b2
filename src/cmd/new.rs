//! `pactum new`: start an agreement folder with a commented `round-1.yaml`.

use std::path::Path;

use super::Context;
use crate::diagnostic::Diagnostic;
use crate::output::write_atomic;
use crate::terms::starter::starter;

pub fn run(ctx: &Context, template: &str, dir: &Path) -> i32 {
    let Some(template) = ctx.template(template, "pactum new") else {
        return 1;
    };
    let path = dir.join("round-1.yaml");
    if path.exists() {
        let d = Diagnostic::new(
            "exists",
            path.display().to_string(),
            "already exists; not overwritten",
        )
        .with_hint("start the next round as round-2.yaml instead");
        ctx.report(&d.into());
        return 1;
    }
    let text = starter(&template.name, &template.description, &template.schema);
    if let Err(d) = write_atomic(&path, text.as_bytes()) {
        ctx.report(&d.into());
        return 1;
    }
    println!("wrote {}", path.display());
    0
}
