//! Starter terms files (`pactum new`): every term of a schema written out as YAML, each with its
//! description, type and whether it is required as a comment. Required terms get an example or
//! a `TODO` placeholder (a final copy refuses placeholders); optional terms are written out but
//! commented, so the starter checks clean and their clauses stay out until a drafter adds them.

use serde_json::Value;

use super::schema::{Schema, Spec};

/// The text of a starter `round-1.yaml` for `template`.
pub fn starter(template: &str, description: &str, schema: &Schema) -> String {
    let mut out = format!(
        "# Terms for a {template} agreement: {description}\n\
         # Replace every TODO. Optional terms are commented out: uncomment one to use it.\n\
         # Check with `pactum check round-1.yaml`, render with `pactum render round-1.yaml`.\n\
         template: {template}\n"
    );
    for (name, spec) in &schema.terms {
        out.push_str(&field(0, name, spec));
    }
    out
}

/// A term (or field) as YAML lines at `indent`, commented out when optional.
fn field(indent: usize, name: &str, spec: &Spec) -> String {
    let pad = " ".repeat(indent);
    let need = if spec.required {
        "required"
    } else {
        "optional"
    };
    let mut block = format!(
        "{pad}# {} ({}, {need})\n",
        spec.description,
        spec.type_name()
    );
    match spec.ty.as_str() {
        "object" => {
            block.push_str(&format!("{pad}{name}:\n"));
            for (n, f) in &spec.fields {
                block.push_str(&field(indent + 2, n, f));
            }
        }
        "list" => {
            block.push_str(&format!("{pad}{name}:\n"));
            let items = spec.items.as_deref().expect("lists have items");
            for _ in 0..spec.min_items.unwrap_or(1).max(1) {
                block.push_str(&item(indent + 2, items));
            }
        }
        _ => block.push_str(&format!("{pad}{name}: {}\n", scalar(spec))),
    }
    if spec.required {
        block
    } else {
        comment_out(&block, indent)
    }
}

/// One list item: `- value`, or an object's fields with the first live one on the dash line.
fn item(indent: usize, spec: &Spec) -> String {
    let pad = " ".repeat(indent);
    if spec.ty != "object" {
        return format!("{pad}- {}\n", scalar(spec));
    }
    let fields: String = spec
        .fields
        .iter()
        .map(|(n, f)| field(indent + 2, n, f))
        .collect();
    let mut out = String::new();
    let mut dashed = false;
    for line in fields.lines() {
        let live = !line.trim_start().starts_with('#');
        if !dashed && live {
            out.push_str(&format!("{pad}- {}\n", line.trim_start()));
            dashed = true;
        } else if !dashed {
            out.push_str(&format!("{pad}{}\n", line.trim_start()));
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    if !dashed {
        out.push_str(&format!("{pad}- {{}}\n"));
    }
    out
}

/// Comment every live line of a block, keeping its indentation.
fn comment_out(block: &str, indent: usize) -> String {
    block
        .lines()
        .map(|line| {
            let trimmed = line.trim_start();
            if trimmed.starts_with('#') {
                format!("{line}\n")
            } else {
                let inner = line.len() - trimmed.len();
                format!(
                    "{}# {}{trimmed}\n",
                    " ".repeat(indent),
                    " ".repeat(inner.saturating_sub(indent))
                )
            }
        })
        .collect()
}

fn scalar(spec: &Spec) -> String {
    match spec.example.clone().or_else(|| spec.default.clone()) {
        Some(Value::String(s)) => yaml_string(&s),
        Some(v) => v.to_string(),
        None => match spec.ty.as_str() {
            "integer" => spec.min.unwrap_or(1).to_string(),
            "boolean" => "false".into(),
            "date" => "2026-01-01".into(),
            "enum" => spec.values.first().cloned().unwrap_or_default(),
            _ => "TODO".into(),
        },
    }
}

/// A string as YAML: plain when that reads back as the same text, quoted otherwise.
fn yaml_string(s: &str) -> String {
    let plain = s.chars().next().is_some_and(|c| c.is_alphanumeric())
        && s.chars()
            .all(|c| c.is_alphanumeric() || " .,()'/-".contains(c))
        && !s.ends_with(' ')
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "true" | "false" | "null" | "yes" | "no" | "on" | "off"
        );
    if plain {
        s.to_string()
    } else {
        serde_json::to_string(s).unwrap_or_else(|_| "TODO".into())
    }
}
