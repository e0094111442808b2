//! `pactum templates`: list the templates, or print one template's terms schema.

use super::{CmdResult, Context, Outcome};
use crate::terms::json_schema::json_schema;

pub fn run(ctx: &Context, name: Option<&str>) -> CmdResult {
    let Some(name) = name else {
        for name in ctx.pipeline.catalog.names() {
            match ctx.pipeline.template(&name) {
                Ok(t) => println!("{name:<24} {}", t.description),
                Err(d) => println!("{name:<24} (broken: {})", d.message),
            }
        }
        return Ok(Outcome::Done);
    };
    let template = ctx.template(name, "pactum templates")?;
    println!("{}: {}\n", template.name, template.description);
    for row in template.schema.outline() {
        let need = if row.required { "required" } else { "optional" };
        let default = row
            .default
            .map(|d| format!(", default {d}"))
            .unwrap_or_default();
        println!("{}  ({}, {need}{default})", row.path, row.type_name);
        println!("    {}", row.description);
    }
    Ok(Outcome::Done)
}

/// `pactum schema <template>`: the terms' JSON Schema on stdout.
pub fn schema(ctx: &Context, name: &str) -> CmdResult {
    let template = ctx.template(name, "pactum schema")?;
    let schema = json_schema(&template.name, &template.description, &template.schema);
    println!(
        "{}",
        serde_json::to_string_pretty(&schema).unwrap_or_default()
    );
    Ok(Outcome::Done)
}
