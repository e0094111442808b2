//! The terms schema as a JSON Schema (draft-07), for editors: with a
//! `# yaml-language-server: $schema=…` comment, VS Code's YAML extension completes and checks
//! terms while they are typed. Mirrors what validation accepts: unknown keys are refused,
//! required terms without a default are required (unless the terms omit or replace the part
//! that alone needs them, or a sibling's value excuses them), text may be written as a bare
//! number.

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
    let mut conditions = Vec::new();
    for (name, spec) in &schema.terms {
        properties.insert(name.clone(), spec_schema(spec, &schema.languages));
        let needed_by: Vec<&str> = (schema.structure.entries.iter())
            .filter(|e| e.needs.contains(name))
            .map(|e| e.id.as_str())
            .collect();
        if !spec.required || spec.default.is_some() {
            continue;
        }
        if needed_by.is_empty() {
            required.push(Value::from(name.clone()));
        } else {
            // Required unless the terms omit or replace a part that alone needs it.
            let freed: Vec<Value> = needed_by
                .iter()
                .flat_map(|id| {
                    [
                        json!({"properties": {"omit": {"contains": {"const": id}}}, "required": ["omit"]}),
                        json!({"properties": {"articles": {"contains": {"properties": {"id": {"const": id}}, "required": ["id", "text"]}}}, "required": ["articles"]}),
                    ]
                })
                .collect();
            conditions.push(json!({"if": {"anyOf": freed}, "else": {"required": [name]}}));
        }
    }
    let mut out = json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": format!("pactum terms: {template}"),
        "description": description,
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": false,
    });
    if !conditions.is_empty() {
        out["allOf"] = conditions.into();
    }
    out
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
                .filter(|(_, f)| f.required && f.default.is_none() && f.unless.is_none())
                .map(|(name, _)| name)
                .collect();
            let mut s = json!({"type": "object", "properties": properties, "required": required, "additionalProperties": false});
            // Required unless siblings have given values (`unless: {signs: false}`).
            let conditions: Vec<Value> = (spec.fields.iter())
                .filter(|(_, f)| f.required && f.default.is_none())
                .filter_map(|(name, f)| {
                    let unless = f.unless.as_ref()?;
                    let consts: Map<String, Value> = unless
                        .iter()
                        .map(|(k, v)| (k.clone(), json!({"const": v})))
                        .collect();
                    let keys: Vec<&String> = unless.keys().collect();
                    Some(json!({"if": {"properties": consts, "required": keys}, "else": {"required": [name]}}))
                })
                .collect();
            if !conditions.is_empty() {
                s["allOf"] = conditions.into();
            }
            s
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
