//! The OpenAPI 3.1 document, generated from the handlers' annotations. What
//! every route shares (the rate-limit and request-id headers, 429 and 500)
//! is added here once rather than repeated in every annotation; what the
//! types cannot describe themselves is added in `doc_hosted`, and the rules
//! the server checks, from the catalog and the validation's constants, in
//! `doc_config` (per provider), `doc_fields` (the typed assistant fields) and `doc_rules`.

use serde_json::{Value, json};
use utoipa::openapi::header::{Header, HeaderBuilder};
use utoipa::openapi::path::{Operation, PathItem};
use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::schema::AdditionalProperties;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Object, Ref, RefOr, Schema, Type};
use utoipa::{Modify, OpenApi};

use super::doc_config::add_config_schemas;
use super::doc_fields::add_assistant_fields;
use super::doc_hosted::{CreateNeedsName, HostedFields};
use super::doc_rules::add_rules;
use super::{account, assistants, byok, calls, check, mcp, mcp_test, meta, organizations};
use crate::domain::Catalog;

#[derive(OpenApi)]
#[openapi(
    info(title = "VoiceDock API", description = "BYOK provider keys and voice assistants. A method a path does not have is answered 405 with `Allow` and the documented error body."),
    paths(
        meta::health,
        meta::openapi,
        account::get,
        organizations::get,
        organizations::create,
        organizations::update,
        byok::get_byok,
        byok::set_key,
        byok::delete_key,
        byok::config,
        byok::set_settings,
        byok::catalog,
        check::check_key,
        assistants::create,
        assistants::list,
        assistants::get,
        assistants::update,
        assistants::delete,
        mcp::list,
        mcp::create,
        mcp::get,
        mcp::update,
        mcp::delete,
        mcp_test::test,
        calls::list,
        calls::get,
        calls::outbound,
        calls::numbers,
    ),
    modifiers(&BearerAuth, &SharedResponses, &ServedValuesOnly, &HostedFields, &CreateNeedsName)
)]
pub struct ApiDoc;

/// The document as a server on `cat` serves it: which providers, models and
/// config fields exist depends on the catalog, so they are stated from the
/// one it checks against.
pub fn document(cat: &Catalog) -> Result<Value, serde_json::Error> {
    let mut doc = serde_json::to_value(ApiDoc::openapi())?;
    add_config_schemas(&mut doc, cat);
    add_assistant_fields(&mut doc, cat);
    add_rules(&mut doc, cat);
    add_statuses(&mut doc);
    Ok(doc)
}

const WWW_AUTHENTICATE: &str = "WWW-Authenticate";

/// What the middleware answers before a handler runs: 401 says how to
/// authenticate, and a body in an encoding the server does not decode is 415.
/// And what every write may answer: 507 when the store cannot write.
fn add_statuses(doc: &mut Value) {
    doc["components"]["headers"][WWW_AUTHENTICATE] = json!({
        "description": "`Bearer`: how to authenticate",
        "schema": {"type": "string"},
    });
    let shared: Value = EVERY_RESPONSE
        .iter()
        .map(|(name, _, _)| {
            (
                name.to_string(),
                json!({"$ref": header_ref(name).ref_location}),
            )
        })
        .collect::<serde_json::Map<_, _>>()
        .into();
    let error =
        json!({"application/json": {"schema": {"$ref": "#/components/schemas/ApiErrorBody"}}});
    for item in doc["paths"]
        .as_object_mut()
        .into_iter()
        .flat_map(|p| p.values_mut())
    {
        for (method, op) in item.as_object_mut().into_iter().flat_map(|i| i.iter_mut()) {
            let has_body = op.get("requestBody").is_some();
            let secured = op.get("security").is_some();
            let writes = matches!(method.as_str(), "post" | "patch" | "delete")
                && op["operationId"] != CHECK_WRITES_NOTHING;
            let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else {
                continue;
            };
            if secured {
                let two_keys = "more than one Authorization header";
                match responses.get_mut("400") {
                    Some(bad) => {
                        let said = bad["description"].as_str().unwrap_or_default();
                        bad["description"] = format!("{said}; or {two_keys}").into();
                    }
                    None => {
                        responses.insert(
                            "400".into(),
                            json!({
                                "description": format!("The request has {two_keys}"),
                                "headers": shared,
                                "content": error,
                            }),
                        );
                    }
                }
            }
            if let Some(unauthorized) = responses.get_mut("401") {
                unauthorized["description"] = "No, malformed, unknown or revoked API key".into();
                unauthorized["headers"][WWW_AUTHENTICATE] =
                    json!({"$ref": header_ref(WWW_AUTHENTICATE).ref_location});
            }
            if has_body {
                responses.insert("415".into(), json!({
                    "description": "A body not declared as `application/json` (a charset, if given, is UTF-8), a body with no Content-Type, or a `Content-Encoding` the server does not decode",
                    "headers": shared,
                    "content": error,
                }));
            }
            if writes {
                responses.insert("507".into(), json!({
                    "description": "(ours) The server's disk is full or its store could not write: nothing was changed",
                    "headers": shared,
                    "content": error,
                }));
            }
        }
    }
}

/// The one POST that only reads.
const CHECK_WRITES_NOTHING: &str = "check_byok_key";

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
    }
}

/// Headers the middleware puts on every response, whatever the route.
const EVERY_RESPONSE: [(&str, Type, &str); 4] = [
    (
        "X-RateLimit-Limit",
        Type::Integer,
        "Requests allowed per minute for this key (or this address without one)",
    ),
    (
        "X-RateLimit-Remaining",
        Type::Integer,
        "Requests left in the current window",
    ),
    (
        "X-RateLimit-Reset",
        Type::Integer,
        "When the current window ends, in Unix seconds",
    ),
    (
        "x-request-id",
        Type::String,
        "Names this request in the server's log",
    ),
];
const RETRY_AFTER: &str = "Retry-After";
const RATE_LIMITED: &str = "RateLimited";
const INTERNAL: &str = "Internal";

fn header(schema_type: Type, description: &str) -> RefOr<Header> {
    RefOr::T(
        HeaderBuilder::new()
            .schema(Some(Object::with_type(schema_type)))
            .description(Some(description))
            .build(),
    )
}

fn header_ref(name: &str) -> Ref {
    Ref::new(format!("#/components/headers/{name}"))
}

fn error_response(description: &str) -> ResponseBuilder {
    ResponseBuilder::new().description(description).content(
        "application/json",
        ContentBuilder::new()
            .schema(Some(Ref::from_schema_name("ApiErrorBody")))
            .build(),
    )
}

fn stamp(response: &mut Response) {
    for (name, _, _) in EVERY_RESPONSE {
        response
            .headers
            .entry(name.to_owned())
            .or_insert_with(|| RefOr::Ref(header_ref(name)));
    }
}

fn operations(item: &mut PathItem) -> impl Iterator<Item = &mut Operation> {
    [
        &mut item.get,
        &mut item.put,
        &mut item.post,
        &mut item.delete,
        &mut item.options,
        &mut item.head,
        &mut item.patch,
        &mut item.trace,
    ]
    .into_iter()
    .flatten()
}

/// 429 can answer any request (the limit counts anonymous callers too); 500
/// any that reaches the database, which is every authenticated one.
struct SharedResponses;

impl Modify for SharedResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        for (name, schema_type, description) in EVERY_RESPONSE {
            components
                .headers
                .insert(name.to_owned(), header(schema_type, description));
        }
        components.headers.insert(
            RETRY_AFTER.to_owned(),
            header(Type::Integer, "Seconds until the window ends"),
        );
        let mut limited = error_response("Over the per-key rate limit")
            .header_ref(RETRY_AFTER, header_ref(RETRY_AFTER))
            .build();
        stamp(&mut limited);
        components
            .responses
            .insert(RATE_LIMITED.to_owned(), RefOr::T(limited));
        let mut internal = error_response("The server failed; the body carries no detail").build();
        stamp(&mut internal);
        components
            .responses
            .insert(INTERNAL.to_owned(), RefOr::T(internal));

        for item in openapi.paths.paths.values_mut() {
            for op in operations(item) {
                let responses = &mut op.responses.responses;
                for response in responses.values_mut() {
                    if let RefOr::T(response) = response {
                        stamp(response);
                    }
                }
                responses.insert(
                    "429".to_owned(),
                    RefOr::Ref(Ref::from_response_name(RATE_LIMITED)),
                );
                if op.security.is_some() {
                    responses.insert(
                        "500".to_owned(),
                        RefOr::Ref(Ref::from_response_name(INTERNAL)),
                    );
                }
            }
        }
    }
}

/// The document describes what this server does, where the shared types
/// are more liberal for the client's sake: no license it does not have
/// (utoipa fills in an empty one from Cargo.toml); not the `other` category,
/// which only lets a client keep a newer server's categories; and no
/// additional fields in configs, which a client keeps but this server refuses.
struct ServedValuesOnly;

const CLOSED_OBJECTS: [&str; 1] = ["Message"];

impl Modify for ServedValuesOnly {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        if openapi
            .info
            .license
            .as_ref()
            .is_some_and(|l| l.name.is_empty())
        {
            openapi.info.license = None;
        }
        let Some(components) = openapi.components.as_mut() else {
            return;
        };
        if let Some(RefOr::T(Schema::Object(object))) = components.schemas.get_mut("Category")
            && let Some(values) = &mut object.enum_values
        {
            values.retain(|v| v != "other");
        }
        for name in CLOSED_OBJECTS {
            if let Some(RefOr::T(Schema::Object(object))) = components.schemas.get_mut(name) {
                object.additional_properties =
                    Some(Box::new(AdditionalProperties::FreeForm(false)));
            }
        }
    }
}
