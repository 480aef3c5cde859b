//! What the derives cannot see of an assistant: the hosted fields (kept in
//! `extra` by the types, described here from `HOSTED_FIELDS` so there is
//! one source) and the name a create requires.

use utoipa::Modify;
use utoipa::openapi::schema::{ArrayBuilder, KnownFormat, ObjectBuilder, SchemaFormat, SchemaType};
use utoipa::openapi::{OpenApi, Ref, RefOr, Schema, Type};

use crate::domain::{HOSTED_FIELDS, HostedField, HostedKind};

/// Says what `format: password` and the encryption mean for a secret.
/// `writeOnly` would say the value is never answered, which is not so here:
/// the hosted service answers `webhook_secret` as sent, and so do we.
/// `format: password` (the OpenAPI format registry's "a hint to obscure the
/// value") is what a client should do with it: mask it unless asked.
pub(super) const SECRET_NOTE: &str = "A secret: stored encrypted and never logged; answered exactly as sent \
    (as the hosted service does), so a client should mask it unless asked to reveal it.";

fn nullable(kind: Type, nullable: bool) -> SchemaType {
    if nullable {
        SchemaType::Array(vec![kind, Type::Null])
    } else {
        SchemaType::Type(kind)
    }
}

fn hosted_schema(f: &HostedField) -> Schema {
    let object = |kind: Type| ObjectBuilder::new().schema_type(nullable(kind, f.nullable));
    let schema: Schema = match f.kind {
        HostedKind::Bool => object(Type::Boolean).into(),
        HostedKind::Count => object(Type::Integer)
            .minimum(Some(1))
            .maximum(Some(utoipa::Number::UInt(u64::MAX as usize)))
            .into(),
        HostedKind::Text { max } => object(Type::String).max_length(Some(max)).into(),
        // What `validate_hosted` checks, no more: a `format` would claim a
        // syntax the server does not hold addresses and URLs to.
        HostedKind::Email => object(Type::String)
            .pattern(Some("^[^@]+@[\\s\\S]*\\.[\\s\\S]*$"))
            .max_length(Some(254))
            .description(Some(
                "An email address: something, `@`, and a domain with a dot",
            ))
            .into(),
        HostedKind::Url => object(Type::String)
            .pattern(Some(format!(
                "^https?://[^{}]*$",
                super::doc_rules::WHITE_SPACE
            )))
            .max_length(Some(2_048))
            .description(Some("An http(s) URL without white space"))
            .into(),
        HostedKind::Texts { max_items } => ArrayBuilder::new()
            .schema_type(nullable(Type::Array, f.nullable))
            .items(ObjectBuilder::new().schema_type(Type::String))
            .max_items(Some(max_items))
            .into(),
        HostedKind::Object => object(Type::Object).into(),
    };
    match (f.secret, schema) {
        (true, Schema::Object(mut o)) => {
            o.format = Some(SchemaFormat::KnownFormat(KnownFormat::Password));
            o.description = Some(SECRET_NOTE.to_owned());
            Schema::Object(o)
        }
        (_, schema) => schema,
    }
}

pub(super) fn schema_mut<'a>(
    openapi: &'a mut OpenApi,
    name: &str,
) -> Option<&'a mut utoipa::openapi::schema::Object> {
    match openapi.components.as_mut()?.schemas.get_mut(name)? {
        RefOr::T(Schema::Object(object)) => Some(object),
        _ => None,
    }
}

/// Every hosted field, with its type and whether it may be null, on the
/// assistant as answered and on the bodies that write it.
pub struct HostedFields;

impl Modify for HostedFields {
    fn modify(&self, openapi: &mut OpenApi) {
        for name in ["Assistant", "AssistantDraft"] {
            if let Some(object) = schema_mut(openapi, name) {
                for f in HOSTED_FIELDS {
                    object
                        .properties
                        .insert(f.name.to_owned(), RefOr::T(hosted_schema(f)));
                }
            }
        }
    }
}

pub const NEW_ASSISTANT: &str = "NewAssistant";

/// A create takes the same fields as an update, but `name` is required
/// (API.md: "only `name` is required"); one schema cannot say both, so the
/// create body gets a copy of the draft that requires it.
pub struct CreateNeedsName;

impl Modify for CreateNeedsName {
    fn modify(&self, openapi: &mut OpenApi) {
        let Some(draft) = schema_mut(openapi, "AssistantDraft") else {
            return;
        };
        let mut create = draft.clone();
        create.required = vec!["name".to_owned()];
        create.description = Some(
            "The body of POST /api/v1/assistants: only `name` is required; a config left out or \
             null means the platform's defaults."
                .to_owned(),
        );
        if let Some(components) = openapi.components.as_mut() {
            components
                .schemas
                .insert(NEW_ASSISTANT.to_owned(), RefOr::T(Schema::Object(create)));
        }
        let body = openapi
            .paths
            .paths
            .get_mut("/api/v1/assistants")
            .and_then(|item| item.post.as_mut())
            .and_then(|op| op.request_body.as_mut());
        let bodies = body.into_iter().filter_map(|b| match b {
            RefOr::T(body) => Some(body),
            RefOr::Ref(_) => None,
        });
        for content in bodies.flat_map(|b| b.content.values_mut()) {
            if let RefOr::T(content) = content {
                content.schema = Some(RefOr::Ref(Ref::from_schema_name(NEW_ASSISTANT)));
            }
        }
    }
}
