//! Starter terms files (`pactum new`): every term of a schema written out as YAML, each with its
//! description, type and whether it is required as a comment, and an example or placeholder
//! value that a drafter replaces.

use serde_json::Value;

use super::schema::{Schema, Spec};

/// The text of a starter `round-1.yaml` for `template`.
pub fn starter(template: &str, description: &str, schema: &Schema) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "# Terms for a {template} agreement: {description}\n"
    ));
    out.push_str(
        "# Replace every TODO. Optional terms can be deleted; their clauses then disappear.\n",
    );
    out.push_str(
        "# Check with `pactum check round-1.yaml`, render with `pactum render round-1.yaml`.\n",
    );
    out.push_str(&format!("template: {template}\n"));
    for (name, spec) in &schema.terms {
        field(&mut out, 0, name, spec);
    }
    out
}

fn comment(out: &mut String, indent: usize, spec: &Spec) {
    let need = if spec.required {
        "required"
    } else {
        "optional"
    };
    out.push_str(&format!(
        "{:indent$}# {} ({}, {need})\n",
        "",
        spec.description,
        spec.type_name()
    ));
}

fn field(out: &mut String, indent: usize, name: &str, spec: &Spec) {
    comment(out, indent, spec);
    match spec.ty.as_str() {
        "object" => {
            out.push_str(&format!("{:indent$}{name}:\n", ""));
            for (n, f) in &spec.fields {
                field(out, indent + 2, n, f);
            }
        }
        "list" => {
            out.push_str(&format!("{:indent$}{name}:\n", ""));
            let items = spec.items.as_deref().expect("lists have items");
            let count = spec.min_items.unwrap_or(1).max(1);
            for _ in 0..count {
                item(out, indent + 2, items);
            }
        }
        _ => out.push_str(&format!("{:indent$}{name}: {}\n", "", scalar(spec))),
    }
}

fn item(out: &mut String, indent: usize, spec: &Spec) {
    match spec.ty.as_str() {
        "object" => {
            let mut first = true;
            for (n, f) in &spec.fields {
                let mut sub = String::new();
                field(&mut sub, indent + 2, n, f);
                if first {
                    // Put the first field on the dash line: `- name: value`.
                    let mut lines = sub.lines();
                    for line in lines.by_ref() {
                        if line.trim_start().starts_with('#') {
                            out.push_str(line);
                            out.push('\n');
                        } else {
                            out.push_str(&format!("{:indent$}- {}\n", "", line.trim_start()));
                            break;
                        }
                    }
                    for line in lines {
                        out.push_str(line);
                        out.push('\n');
                    }
                    first = false;
                } else {
                    out.push_str(&sub);
                }
            }
        }
        _ => out.push_str(&format!("{:indent$}- {}\n", "", scalar(spec))),
    }
}

fn scalar(spec: &Spec) -> String {
    let value = spec.example.clone().or_else(|| spec.default.clone());
    match value {
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

fn yaml_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "TODO".into())
}
