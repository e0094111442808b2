//! The terms schema as a JSON Schema (draft-07), for editors: with a
//! `# yaml-language-server: $schema=…` comment, VS Code's YAML extension completes and checks
//! terms while they are typed. Mirrors what validation accepts: unknown keys are refused,
//! required terms without a default are required, text may be written as a bare number.

use serde_json::{Map, Value, json};

use super::schema::{Schema, Spec};

/// The JSON Schema of a template's terms.
pub fn json_schema(template: &str, description: &str, schema: &Schema) -> Value {
    let mut properties = Map::new();
    properties.insert(
        "template".into(),
        json!({"const": template, "description": "The template these terms fill (see `pactum templates`)."}),
    );
    let mut required = vec![Value::from("template")];
    for (name, spec) in &schema.terms {
        properties.insert(name.clone(), spec_schema(spec, &schema.languages));
        if spec.required && spec.default.is_none() {
            required.push(Value::from(name.clone()));
        }
    }
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": format!("pactum terms: {template}"),
        "description": description,
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": false,
    })
}

fn spec_schema(spec: &Spec, languages: &[String]) -> Value {
    let mut s = match spec.ty.as_str() {
        // Once for all languages, or per language: `{sv: …, zh-TW: …, en: …}`.
        "text" => json!({"anyOf": [
            {"type": ["string", "number"]},
            {
                "type": "object",
                "propertyNames": {"enum": languages},
                "additionalProperties": {"type": ["string", "number"]},
                "minProperties": 1,
            },
        ]}),
        "integer" => {
            let mut s = json!({"type": "integer"});
            if let Some(min) = spec.min {
                s["minimum"] = min.into();
            }
            if let Some(max) = spec.max {
                s["maximum"] = max.into();
            }
            s
        }
        "boolean" => json!({"type": "boolean"}),
        "date" => {
            json!({"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "format": "date"})
        }
        "enum" => json!({"type": "string", "enum": spec.values}),
        "list" => {
            let mut s = json!({"type": "array"});
            if let Some(items) = &spec.items {
                s["items"] = spec_schema(items, languages);
            }
            if let Some(min) = spec.min_items {
                s["minItems"] = min.into();
            }
            s
        }
        _ => {
            let properties: Map<String, Value> = spec
                .fields
                .iter()
                .map(|(name, field)| (name.clone(), spec_schema(field, languages)))
                .collect();
            let required: Vec<&String> = spec
                .fields
                .iter()
                .filter(|(_, f)| f.required && f.default.is_none())
                .map(|(name, _)| name)
                .collect();
            json!({"type": "object", "properties": properties, "required": required, "additionalProperties": false})
        }
    };
    if !spec.description.is_empty() {
        s["description"] = spec.description.clone().into();
    }
    if let Some(default) = &spec.default {
        s["default"] = default.clone();
    }
    s
}
