//! The configs' provider-specific fields, from the catalog the server
//! checks against: each config schema lists every field some provider of
//! its section takes, says which providers take it, and points to
//! `GET /api/v1/catalog` for the table itself.

use std::collections::BTreeMap;

use utoipa::openapi::schema::{
    AdditionalProperties, AnyOfBuilder, ArrayBuilder, KnownFormat, ObjectBuilder, SchemaFormat,
    SchemaType,
};
use utoipa::openapi::{OpenApi, RefOr, Schema, Type};

use super::doc_hosted::{SECRET_NOTE, schema_mut};
use crate::domain::catalog::FieldSpec;
use crate::domain::{Catalog, SectionId};

/// A JSON Schema of one catalog field type; `range` is the catalog's
/// `params` bounds, which apply when the field type gives none.
fn field_schema(spec: &FieldSpec, range: (Option<f64>, Option<f64>)) -> Schema {
    let kind = match spec.kind.as_str() {
        "boolean" => Type::Boolean,
        "integer" => Type::Integer,
        "number" => Type::Number,
        "string" => Type::String,
        "array" => Type::Array,
        _ => Type::Object,
    };
    if kind == Type::Array {
        let items = spec.items.as_deref().map_or_else(
            || {
                ObjectBuilder::new()
                    .schema_type(SchemaType::AnyValue)
                    .into()
            },
            |items| field_schema(items, (None, None)),
        );
        return ArrayBuilder::new()
            .items(RefOr::T(items))
            .max_items(spec.max_items)
            .into();
    }
    let mut object = ObjectBuilder::new()
        .schema_type(kind)
        .minimum(spec.minimum.or(range.0))
        .maximum(spec.maximum.or(range.1))
        .max_length(spec.max_length);
    if !spec.allowed.is_empty() {
        object = object.enum_values(Some(spec.allowed.clone()));
    }
    for (name, property) in &spec.properties {
        object = object.property(name, field_schema(property, (None, None)));
    }
    if !spec.properties.is_empty() {
        // `FieldSpec::check` refuses a property the type does not list.
        object = object.additional_properties(Some(AdditionalProperties::FreeForm(false)));
    }
    object.into()
}

fn who_takes(providers: &[&str]) -> String {
    match providers {
        _ if providers.contains(&"*") => "Taken by every provider.".to_owned(),
        [one] => format!("Only for provider {one}."),
        _ => format!("Only for providers {}.", providers.join(", ")),
    }
}

/// What the catalog decides about a field beyond its type.
const NOTES: [(SectionId, &str, &str); 3] = [
    (
        SectionId::Llm,
        "voice",
        " One of the provider's `voices`; a realtime LLM speaks by itself, so `tts_config` stays null.",
    ),
    (
        SectionId::Tts,
        "voice_id",
        " 1–64 of `[A-Za-z0-9_-]`; one of the provider's `voices` where its `voice_id` is `enum`.",
    ),
    (
        SectionId::Stt,
        "language",
        " One of the catalog's `stt.languages`.",
    ),
];

fn describe(section: SectionId, name: &str, providers: &[&str]) -> String {
    let note = NOTES
        .iter()
        .find(|(s, n, _)| *s == section && *n == name)
        .map_or("", |(_, _, note)| note);
    format!("{}{note}", who_takes(providers))
}

/// A tool as far as the server looks into it: where its secret is
/// (`domain::secrets`). The rest of a tool is the platform's business.
fn tool_schema() -> Schema {
    let secret = ObjectBuilder::new()
        .schema_type(Type::String)
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Password)))
        .description(Some(SECRET_NOTE));
    let server = ObjectBuilder::new()
        .schema_type(Type::Object)
        .property("url", ObjectBuilder::new().schema_type(Type::String))
        .property("secret", secret);
    ObjectBuilder::new()
        .schema_type(Type::Object)
        .property("server", server)
        .into()
}

/// Adds every provider-specific field of `cat` to its config's schema, each
/// saying which providers take it, and says where the full table is.
pub fn add_config_fields(openapi: &mut OpenApi, cat: &Catalog) {
    for section in SectionId::ALL {
        let schema_name = match section {
            SectionId::Stt => "SttConfig",
            SectionId::Llm => "LlmConfig",
            SectionId::Tts => "TtsConfig",
        };
        let Some(object) = schema_mut(openapi, schema_name) else {
            continue;
        };
        let settings = if section == SectionId::Tts {
            " A setting the chosen model does not take (the provider's `model_settings`) is refused."
        } else {
            ""
        };
        object.description = Some(format!(
            "Which fields beyond `provider` and `model` this config takes depends on its provider: \
             `GET /api/v1/catalog` lists them per provider under `voicedock.config_fields.{}`, \
             beside the models, voices and languages each provider takes. Each property below \
             names the providers that take it; a field the chosen provider does not take is \
             refused (`unknown_field`).{settings}",
            section.key()
        ));
        // Field → the distinct types it has, each with the providers that use it.
        let mut fields: BTreeMap<&str, Vec<(&FieldSpec, Vec<&str>)>> = BTreeMap::new();
        let by_provider = cat.voicedock.config_fields.get(section.key());
        for (provider, specs) in by_provider.into_iter().flatten() {
            for (name, spec) in specs {
                let kinds = fields.entry(name.as_str()).or_default();
                match kinds.iter_mut().find(|(s, _)| *s == spec) {
                    Some((_, providers)) => providers.push(provider.as_str()),
                    None => kinds.push((spec, vec![provider.as_str()])),
                }
            }
        }
        for (name, kinds) in fields {
            let range = cat.range(section, name);
            let all: Vec<&str> = kinds.iter().flat_map(|(_, p)| p.iter().copied()).collect();
            match object.properties.get_mut(name) {
                // A field of the shared type: its schema stays, the providers are added.
                // The catalog's bounds are the ones checked, not the Rust type's.
                Some(RefOr::T(Schema::Object(typed))) => {
                    typed
                        .description
                        .get_or_insert_with(|| describe(section, name, &all));
                    typed.minimum = range.0.map(Into::into).or(typed.minimum.take());
                    typed.maximum = range.1.map(Into::into).or(typed.maximum.take());
                }
                Some(RefOr::T(Schema::Array(typed))) => {
                    typed
                        .description
                        .get_or_insert_with(|| describe(section, name, &all));
                }
                Some(_) => {}
                None => {
                    let schema = new_property(section, name, &kinds, range);
                    object.properties.insert(name.to_owned(), RefOr::T(schema));
                }
            }
        }
    }
}

/// A field the shared types do not have: one schema per distinct type the
/// providers give it (`endpointing` is milliseconds for one, seconds for another).
fn new_property(
    section: SectionId,
    name: &str,
    kinds: &[(&FieldSpec, Vec<&str>)],
    range: (Option<f64>, Option<f64>),
) -> Schema {
    let mut schemas: Vec<Schema> = kinds
        .iter()
        .map(|(spec, providers)| {
            let text = describe(section, name, providers);
            with_description(field_schema(spec, range), text)
        })
        .collect();
    let schema = if schemas.len() == 1 {
        schemas.remove(0)
    } else {
        let all: Vec<&str> = kinds.iter().flat_map(|(_, p)| p.iter().copied()).collect();
        schemas
            .into_iter()
            .fold(AnyOfBuilder::new(), AnyOfBuilder::item)
            .description(Some(describe(section, name, &all)))
            .into()
    };
    match schema {
        Schema::Array(mut tools) if section == SectionId::Llm && name == "tools" => {
            tools.items = RefOr::T(tool_schema()).into();
            Schema::Array(tools)
        }
        other => other,
    }
}

fn with_description(schema: Schema, description: String) -> Schema {
    match schema {
        Schema::Object(mut o) => {
            o.description = Some(description);
            Schema::Object(o)
        }
        Schema::Array(mut a) => {
            a.description = Some(description);
            Schema::Array(a)
        }
        other => other,
    }
}
