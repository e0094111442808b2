//! `pactum templates`: list the templates, or print one template's terms schema.

use super::Context;

pub fn run(ctx: &Context, name: Option<&str>) -> i32 {
    let Some(name) = name else {
        for name in ctx.pipeline.catalog.names() {
            match ctx.pipeline.template(&name) {
                Ok(t) => println!("{name:<24} {}", t.description),
                Err(d) => println!("{name:<24} (broken: {})", d.message),
            }
        }
        return 0;
    };
    let template = match ctx
        .pipeline
        .catalog
        .resolve(name, "pactum templates")
        .and_then(|n| ctx.pipeline.template(&n))
    {
        Ok(t) => t,
        Err(d) => {
            ctx.report(&d.into());
            return 1;
        }
    };
    println!("{}: {}\n", template.name, template.description);
    println!(
        "{:<44} {:<28} {:<9} description",
        "term", "type", "required"
    );
    for row in template.schema.outline() {
        let required = if row.required { "yes" } else { "no" };
        let default = row
            .default
            .map(|d| format!(" (default: {d})"))
            .unwrap_or_default();
        println!(
            "{:<44} {:<28} {:<9} {}{default}",
            row.path, row.type_name, required, row.description
        );
    }
    0
}
