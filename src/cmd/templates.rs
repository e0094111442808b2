//! `pactum templates`: list the templates, or print one template's terms schema.

use super::{CmdResult, Context, Outcome};
use crate::terms::json_schema::json_schema;
use crate::terms::structure::{Condition, Role};

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
    let template = ctx.template(name)?;
    println!("{}: {}\n", template.name, template.description);
    let structure = &template.schema.structure;
    // The ids `articles:` (to retitle, replace or move a part, or place one `after`) and
    // `omit:` use.
    println!("parts (ids for `articles:` and `omit:`), in order:");
    let first_final = (structure.entries.iter()).position(|e| e.role == Role::Final);
    for (i, e) in structure.entries.iter().enumerate() {
        let mut notes = Vec::new();
        match e.role {
            Role::Preamble => notes.push("the preamble".to_string()),
            Role::Signing => notes.push("the signing text".to_string()),
            Role::Annex => notes.push("the annexes".to_string()),
            Role::Body | Role::Final => {}
        }
        if let Some(when) = &e.when {
            notes.push(format!("when {}", condition(when)));
        }
        if let Some(unless) = &e.unless {
            notes.push(format!("unless {}", condition(unless)));
        }
        if first_final == Some(i) {
            notes.push(
                "the final clauses start here: your own articles go before them unless `after` says otherwise"
                    .into(),
            );
        }
        if notes.is_empty() {
            println!("  {}", e.id);
        } else {
            println!("  {}  ({})", e.id, notes.join("; "));
        }
    }
    println!("languages: {}\n", template.languages.join(", "));
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
    let template = ctx.template(name)?;
    let schema = json_schema(&template.name, &template.description, &template.schema);
    println!(
        "{}",
        serde_json::to_string_pretty(&schema).unwrap_or_default()
    );
    Ok(Outcome::Done)
}

/// A condition as `template.yaml` writes it.
fn condition(c: &Condition) -> String {
    match c {
        Condition::Given(path) => format!("`{path}` is given"),
        Condition::Equals(map) => map
            .iter()
            .map(|(k, v)| {
                format!(
                    "`{k}` is {}",
                    v.as_str().map_or(v.to_string(), str::to_string)
                )
            })
            .collect::<Vec<_>>()
            .join(" and "),
    }
}
