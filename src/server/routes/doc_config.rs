//! The configs, one schema per provider, from the catalog the server checks
//! against: each says which models, languages, voices and fields that
//! provider takes, with the ranges the rules apply, so a config the
//! document allows is one the server accepts and the other way round.
//! `SttConfig`, `LlmConfig` and `TtsConfig` become the choice between them.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::doc_hosted::SECRET_NOTE;
use super::doc_rules::{nullable, voice_id_schema};
use crate::domain::catalog::{CatalogProvider, FieldSpec};
use crate::domain::validate::{
    KEYTERM_MAX, KEYTERMS_MAX, MCP_ALLOWED_TOOLS_MAX, MCP_SERVER_ID_MAX, MESSAGES_MAX,
};
use crate::domain::{Catalog, SectionId};

pub fn schema_name(section: SectionId) -> &'static str {
    match section {
        SectionId::Stt => "SttConfig",
        SectionId::Llm => "LlmConfig",
        SectionId::Tts => "TtsConfig",
    }
}

/// A JSON Schema of one catalog field type; `range` is the catalog's
/// `params` bounds, which the rules apply on top of the type's own.
pub(super) fn field_schema(spec: &FieldSpec, range: (Option<f64>, Option<f64>)) -> Value {
    let schema = typed_schema(spec, range);
    if spec.nullable {
        nullable(schema)
    } else {
        schema
    }
}

fn typed_schema(spec: &FieldSpec, range: (Option<f64>, Option<f64>)) -> Value {
    let kind = match spec.kind.as_str() {
        kind @ ("boolean" | "integer" | "number" | "string" | "array" | "object") => kind,
        // `FieldSpec::check` lets a type it does not know take any value.
        _ => return json!({}),
    };
    let mut schema = Map::new();
    schema.insert("type".into(), kind.into());
    if kind == "array" {
        let items = spec
            .items
            .as_deref()
            .map_or_else(|| json!({}), |items| field_schema(items, (None, None)));
        schema.insert("items".into(), items);
        if let Some(max) = spec.max_items {
            schema.insert("maxItems".into(), max.into());
        }
        if let Some(min) = spec.min_items {
            schema.insert("minItems".into(), min.into());
        }
        return Value::Object(schema);
    }
    let tighter = |a: Option<f64>, b: Option<f64>, pick: fn(f64, f64) -> f64| match (a, b) {
        (Some(a), Some(b)) => Some(pick(a, b)),
        (a, b) => a.or(b),
    };
    if let Some(min) = tighter(spec.minimum, range.0, f64::max) {
        schema.insert("minimum".into(), number(min));
    }
    if let Some(max) = tighter(spec.maximum, range.1, f64::min) {
        schema.insert("maximum".into(), number(max));
    }
    if let Some(max) = spec.max_length {
        schema.insert("maxLength".into(), max.into());
    }
    if let Some(min) = spec.min_length {
        schema.insert("minLength".into(), min.into());
    }
    if !spec.allowed.is_empty() {
        schema.insert("enum".into(), spec.allowed.clone().into());
    }
    if !spec.properties.is_empty() {
        let properties: Map<String, Value> = spec
            .properties
            .iter()
            .map(|(name, p)| (name.clone(), field_schema(p, (None, None))))
            .collect();
        schema.insert("properties".into(), properties.into());
        // `FieldSpec::check` refuses a property the type does not list.
        schema.insert("additionalProperties".into(), false.into());
    }
    if !spec.required.is_empty() {
        schema.insert("required".into(), spec.required.clone().into());
    }
    Value::Object(schema)
}

/// Whole bounds as integers, so `maximum: 5000` reads as written.
fn number(n: f64) -> Value {
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        // Checked whole and in range just above.
        #[allow(clippy::cast_possible_truncation)]
        Value::from(n as i64)
    } else {
        Value::from(n)
    }
}

/// A tool as far as the server looks into it: where its secret is
/// (`domain::secrets`). The rest of a tool is the platform's business, so
/// nothing else about it is stated, not even that it is an object.
/// An MCP tool (`"type": "mcp"`) is typed in full (`validate::tools`).
fn tool_schema() -> Value {
    json!({
        "properties": {"server": {"properties": {
            "secret": {"type": ["string", "null"], "format": "password", "description": SECRET_NOTE}
        }}},
        "if": {"type": "object", "required": ["type"], "properties": {"type": {"const": "mcp"}}},
        "then": {
            "type": "object",
            "required": ["type", "mcp_server_id"],
            "additionalProperties": false,
            "properties": {
                "type": {"const": "mcp"},
                "mcp_server_id": {
                    "type": "string",
                    "pattern": format!("^[A-Za-z0-9_-]{{1,{MCP_SERVER_ID_MAX}}}$"),
                    "description": "The MCP server's id; only its form is checked here",
                },
                "allowed_tools": {
                    "type": ["array", "null"],
                    "items": {"type": "string"},
                    "maxItems": MCP_ALLOWED_TOOLS_MAX,
                },
                "required": {"type": ["boolean", "null"], "default": true},
            },
        },
    })
}

/// What the rules check of a field beyond its catalog type.
fn rule(section: SectionId, name: &str, p: &CatalogProvider, cat: &Catalog, schema: &mut Value) {
    let range = |lo: f64, hi: f64, schema: &mut Value| {
        let (min, max) = cat.range(section, name);
        schema["minimum"] = number(min.unwrap_or(lo));
        schema["maximum"] = number(max.unwrap_or(hi));
    };
    match (section, name) {
        (SectionId::Stt, "language") if !cat.stt.languages.is_empty() => {
            schema["enum"] = cat.stt.languages.clone().into();
        }
        (SectionId::Stt, "keyterms") => {
            let max = schema["maxItems"]
                .as_u64()
                .map_or(KEYTERMS_MAX as u64, |m| m.min(KEYTERMS_MAX as u64));
            schema["maxItems"] = max.into();
            schema["items"]["type"] = "string".into();
            schema["items"]["maxLength"] = KEYTERM_MAX.into();
        }
        (SectionId::Llm, "temperature") => range(0.0, 2.0, schema),
        (SectionId::Llm, "max_completion_tokens") => range(1.0, 32_768.0, schema),
        (SectionId::Llm, "messages") => {
            schema["items"] = json!({"$ref": "#/components/schemas/Message"});
            schema["maxItems"] = MESSAGES_MAX.into();
        }
        (SectionId::Llm, "tools") => schema["items"] = tool_schema(),
        (SectionId::Llm, "voice") if p.voices_are_enum() => {
            schema["enum"] = p.voices.clone().into();
        }
        (SectionId::Tts, "stability" | "similarity_boost" | "style") => range(0.0, 1.0, schema),
        (SectionId::Tts, "speed") => range(0.5, 2.0, schema),
        (SectionId::Tts, "voice_id") => *schema = voice_id_schema(p),
        _ => {}
    }
}

/// The models of one provider that take the same TTS settings: `(models,
/// whether the model may be left out, the settings they take)`. The default
/// model decides for a config that names none.
type Group<'c> = (Vec<&'c str>, bool, Option<&'c [String]>);

fn model_groups(section: SectionId, p: &CatalogProvider) -> Vec<Group<'_>> {
    let models = p.models.iter().map(String::as_str);
    if section != SectionId::Tts {
        return vec![(models.collect(), false, None)];
    }
    let unnamed = p.settings_for(p.default_model.as_deref());
    let mut groups: Vec<Group> = Vec::new();
    for model in models {
        let takes = p.settings_for(Some(model));
        match groups.iter_mut().find(|(_, _, t)| *t == takes) {
            Some((list, _, _)) => list.push(model),
            None => groups.push((vec![model], takes == unnamed, takes)),
        }
    }
    if !groups.iter().any(|(_, absent, _)| *absent) {
        groups.push((Vec::new(), true, unnamed));
    }
    groups
}

fn model_schema(models: &[&str], absent_ok: bool) -> Value {
    match (models.is_empty(), absent_ok) {
        (true, _) => json!({"type": "null"}),
        (false, false) => json!({"type": "string", "enum": models}),
        (false, true) => {
            let mut values: Vec<Value> = models.iter().map(|m| Value::from(*m)).collect();
            values.push(Value::Null);
            json!({"type": ["string", "null"], "enum": values})
        }
    }
}

/// The fields `p` takes: those of every provider of the section, then its own.
fn taken<'c>(cat: &'c Catalog, section: SectionId, p: &str) -> BTreeMap<&'c str, &'c FieldSpec> {
    let fields = cat.voicedock.config_fields.get(section.key());
    let mut taken = BTreeMap::new();
    for who in ["*", p] {
        let specs = fields.and_then(|f| f.get(who)).into_iter().flatten();
        taken.extend(specs.map(|(name, spec)| (name.as_str(), spec)));
    }
    taken
}

fn is_nullable(schema: &Value) -> bool {
    match &schema["type"] {
        Value::Array(types) => types.iter().any(|t| t == "null"),
        _ => schema["oneOf"]
            .as_array()
            .is_some_and(|s| s.iter().any(|s| s["type"] == "null")),
    }
}

fn provider_schema(
    section: SectionId,
    p: &CatalogProvider,
    group: &Group,
    shared: &Map<String, Value>,
    cat: &Catalog,
) -> Value {
    let (models, absent_ok, settings) = group;
    let judged = cat.knows_fields_of(section, &p.id);
    let mut ids = vec![Value::from(p.id.as_str())];
    let aliases = &cat.section(section).aliases;
    ids.extend(
        aliases
            .iter()
            .filter(|(_, to)| **to == p.id)
            .map(|(alias, _)| Value::from(alias.as_str())),
    );
    let mut properties = Map::new();
    properties.insert("provider".into(), json!({"type": "string", "enum": ids}));
    properties.insert("model".into(), model_schema(models, *absent_ok));
    let refused_setting = |name: &str| {
        settings
            .is_some_and(|s| p.settings.iter().any(|x| x == name) && !s.iter().any(|x| x == name))
    };
    let fields = taken(cat, section, &p.id);
    for (name, spec) in &fields {
        if matches!(*name, "provider" | "model") || refused_setting(name) {
            continue;
        }
        let mut schema = field_schema(spec, cat.range(section, name));
        rule(section, name, p, cat, &mut schema);
        // The shared types read `null` as "not given"; a catalog field is never null.
        if shared.get(*name).is_some_and(is_nullable)
            && !(section == SectionId::Tts && *name == "voice_id")
        {
            schema = nullable(schema);
        }
        properties.insert((*name).to_owned(), schema);
    }
    // The catalog judges the fields as sent, `null` or not: a shared field
    // the provider does not take is refused either way.
    if !judged {
        for (name, schema) in shared {
            properties
                .entry(name.clone())
                .or_insert_with(|| schema.clone());
        }
    }
    let mut required = vec!["provider"];
    match section {
        SectionId::Tts => required.push("voice_id"),
        _ => required.push("model"),
    }
    // Only the default model's group takes a config that names no model.
    if section == SectionId::Tts && !absent_ok {
        required.push("model");
    }
    let takes = if judged {
        format!(
            "the fields {} takes (`GET /api/v1/catalog`, `voicedock.config_fields`)",
            p.label
        )
    } else {
        "any field: the catalog does not list this provider's".to_owned()
    };
    json!({
        "type": "object",
        "title": p.label,
        "description": format!("{} {} config: {takes}.", p.label, section.category().label()),
        "required": required,
        "properties": properties,
        "additionalProperties": !judged,
    })
}

/// Replaces each config schema by the choice between its providers'.
pub fn add_config_schemas(doc: &mut Value, cat: &Catalog) {
    for section in SectionId::ALL {
        let base = schema_name(section);
        let pointer = format!("/components/schemas/{base}/properties");
        let shared = doc
            .pointer(&pointer)
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let mut variants = Vec::new();
        for p in &cat.section(section).providers {
            // A model is required outside TTS: a provider without models
            // cannot be configured at all.
            if section != SectionId::Tts && p.models.is_empty() {
                continue;
            }
            for (i, group) in model_groups(section, p).iter().enumerate() {
                let name = match (i, group.0.first()) {
                    (0, _) => format!("{base}.{}", p.id),
                    (_, Some(model)) => format!("{base}.{}.{model}", p.id),
                    (_, None) => format!("{base}.{}.unnamed", p.id),
                };
                let schema = provider_schema(section, p, group, &shared, cat);
                doc["components"]["schemas"][name.as_str()] = schema;
                variants.push(json!({"$ref": format!("#/components/schemas/{name}")}));
            }
        }
        let settings = if section == SectionId::Tts {
            " A setting the chosen model does not take (the provider's `model_settings`) is refused."
        } else {
            ""
        };
        doc["components"]["schemas"][base] = json!({
            "description": format!(
                "One of the catalog's {} providers, each with the models and fields it takes; \
                 `GET /api/v1/catalog` lists them under `{}` and `voicedock.config_fields.{}`. \
                 A field the chosen provider does not take is refused (`unknown_field`).{settings}",
                section.category().label(),
                section.key(),
                section.key()
            ),
            "oneOf": variants,
        });
    }
}
