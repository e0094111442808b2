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
    if !template.builtin_articles.is_empty() {
        // The ids `articles:` (to replace a text or place an article `after`) and `omit:` use.
        let rules = &template.article_rules;
        println!("built-in articles (ids for `articles:` and `omit:`), in order:");
        let first_final =
            (template.builtin_articles.iter()).find(|id| rules.final_clauses.contains(id));
        for id in &template.builtin_articles {
            let mut notes = Vec::new();
            if rules.required.contains(id) {
                notes.push("required");
            }
            if first_final == Some(id) {
                notes.push("your own articles go before the final clauses, from here, unless `after` says otherwise");
            }
            if notes.is_empty() {
                println!("  {id}");
            } else {
                println!("  {id}  ({})", notes.join("; "));
            }
        }
        println!("languages: {}\n", template.languages.join(", "));
    }
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
