//! The served OpenAPI document, walked as JSON: a valid 3.1 document that
//! describes every route of API.md with the statuses and headers it answers.

use testkit::common;

use std::collections::BTreeSet;

use std::sync::Arc;

use common::openapi::{document, document_with, resolve, variants};
use serde_json::Value;
use voicedock::domain::{Catalog, HOSTED_FIELDS, HostedKind};

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// API.md's routes, every one of them.
const ROUTES: [(&str, &str); 28] = [
    ("get", "/api/v1/health"),
    ("get", "/api/openapi.json"),
    ("get", "/api/v1/account"),
    ("get", "/api/v1/organizations"),
    ("post", "/api/v1/organizations"),
    ("patch", "/api/v1/organizations"),
    ("get", "/api/v1/catalog"),
    ("get", "/api/v1/byok"),
    ("post", "/api/v1/byok"),
    ("delete", "/api/v1/byok"),
    ("get", "/api/v1/byok/config"),
    ("post", "/api/v1/byok/config"),
    ("post", "/api/v1/byok/{provider}/check"),
    ("post", "/api/v1/assistants"),
    ("get", "/api/v1/assistants"),
    ("get", "/api/v1/assistants/{id}"),
    ("patch", "/api/v1/assistants/{id}"),
    ("delete", "/api/v1/assistants/{id}"),
    ("get", "/api/v1/mcp-servers"),
    ("post", "/api/v1/mcp-servers"),
    ("get", "/api/v1/mcp-servers/{id}"),
    ("patch", "/api/v1/mcp-servers/{id}"),
    ("delete", "/api/v1/mcp-servers/{id}"),
    ("post", "/api/v1/mcp-servers/{id}/test"),
    ("get", "/api/v1/calls"),
    ("get", "/api/v1/calls/{id}"),
    ("post", "/api/v1/calls/outbound"),
    ("get", "/api/v1/numbers"),
];

/// `(method, path, operation)` of every operation in the document.
fn operations(doc: &Value) -> Vec<(String, String, &Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in METHODS {
            if let Some(op) = item.get(method) {
                out.push((method.to_owned(), path.clone(), op));
            }
        }
    }
    out
}

/// Every value under `key` anywhere in `value`, with the JSON pointer to it.
fn find_all<'a>(value: &'a Value, key: &str, at: String, out: &mut Vec<(String, &'a Value)>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let here = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
                if k == key {
                    out.push((here.clone(), v));
                }
                find_all(v, key, here, out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                find_all(v, key, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

fn header_names(doc: &Value, response: &Value) -> BTreeSet<String> {
    resolve(doc, response)["headers"]
        .as_object()
        .map(|h| h.keys().map(|k| k.to_ascii_lowercase()).collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn the_document_is_valid_openapi_3_1() {
    let doc = document().await;
    assert!(
        doc["openapi"].as_str().unwrap().starts_with("3.1"),
        "{}",
        doc["openapi"]
    );
    let license = &doc["info"]["license"];
    assert!(
        license.is_null() || license["name"].as_str().is_some_and(|n| !n.is_empty()),
        "a license object needs a name: {license}"
    );

    let mut ids = BTreeSet::new();
    for (method, path, op) in operations(&doc) {
        let id = op["operationId"].as_str().unwrap_or_default();
        assert!(!id.is_empty(), "{method} {path} has no operationId");
        assert!(ids.insert(id.to_owned()), "operationId {id} is used twice");
        let responses = op["responses"].as_object().unwrap();
        assert!(!responses.is_empty(), "{method} {path} has no responses");
    }

    // Every response object, in operations and in components alike.
    let mut responses = Vec::new();
    find_all(&doc, "responses", String::new(), &mut responses);
    for (at, map) in responses {
        for (status, response) in map.as_object().unwrap() {
            let response = resolve(&doc, response);
            assert!(
                response["description"]
                    .as_str()
                    .is_some_and(|d| !d.is_empty()),
                "{at}/{status} has no description"
            );
        }
    }

    let mut refs = Vec::new();
    find_all(&doc, "$ref", String::new(), &mut refs);
    assert!(!refs.is_empty());
    for (at, target) in refs {
        let target = target.as_str().unwrap();
        assert!(
            target.starts_with("#/components/"),
            "{at}: {target} points outside components"
        );
        assert!(
            doc.pointer(&target[1..]).is_some(),
            "{at}: {target} does not resolve"
        );
    }

    let served: BTreeSet<(String, String)> = operations(&doc)
        .into_iter()
        .map(|(m, p, _)| (m, p))
        .collect();
    let documented: BTreeSet<(String, String)> = ROUTES
        .iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    assert_eq!(served, documented);
}

#[tokio::test]
async fn statuses_and_headers_are_documented_where_they_occur() {
    let doc = document().await;
    let common = [
        "x-ratelimit-limit",
        "x-ratelimit-remaining",
        "x-ratelimit-reset",
        "x-request-id",
    ];
    for (method, path, op) in operations(&doc) {
        let responses = op["responses"].as_object().unwrap();
        for (status, response) in responses {
            let names = header_names(&doc, response);
            for header in common {
                assert!(
                    names.contains(header),
                    "{method} {path} {status} lacks {header}"
                );
            }
        }
        let limited = responses
            .get("429")
            .unwrap_or_else(|| panic!("{method} {path} has no 429"));
        assert!(header_names(&doc, limited).contains("retry-after"));
        if op.get("security").is_some() {
            assert!(responses.contains_key("401"), "{method} {path} has no 401");
            assert!(responses.contains_key("500"), "{method} {path} has no 500");
        }
        if let Some(unauthorized) = responses.get("401") {
            assert!(
                header_names(&doc, unauthorized).contains("www-authenticate"),
                "{method} {path} 401"
            );
        }
        let writes = method != "get" && op["operationId"] != "check_byok_key";
        assert_eq!(
            responses.contains_key("507"),
            writes,
            "{method} {path}: 507 on the writes only"
        );
        if op.get("requestBody").is_some() {
            assert!(responses.contains_key("415"), "{method} {path} has no 415");
            assert!(responses.contains_key("408"), "{method} {path} has no 408");
            assert!(responses.contains_key("413"), "{method} {path} has no 413");
            assert!(responses.contains_key("400"), "{method} {path} has no 400");
        }
    }

    let assistant = &doc["paths"]["/api/v1/assistants/{id}"];
    for (op, status) in [
        (&assistant["get"], "200"),
        (&assistant["patch"], "200"),
        (&assistant["patch"], "412"),
        (&doc["paths"]["/api/v1/assistants"]["post"], "201"),
    ] {
        let names = header_names(&doc, &op["responses"][status]);
        assert!(names.contains("etag"), "{} {status}", op["operationId"]);
    }

    let draft = resolve(
        &doc,
        &doc["components"]["schemas"]["AssistantDraft"]["properties"]["name"],
    );
    assert_eq!(draft["type"], "string", "the server refuses a null name");
    let schemas = &doc["components"]["schemas"];
    assert_eq!(schemas["Message"]["additionalProperties"], false);
    for config in ["SttConfig", "LlmConfig", "TtsConfig"] {
        for variant in schemas[config]["oneOf"].as_array().unwrap() {
            assert_eq!(
                resolve(&doc, variant)["additionalProperties"],
                false,
                "the server refuses fields a {config} provider does not take: {variant}"
            );
        }
    }
    for name in ["AssistantDraft", "NewAssistant"] {
        assert_eq!(schemas[name]["additionalProperties"], false, "{name}");
    }
    let category = &doc["components"]["schemas"]["Category"]["enum"];
    assert!(
        !category.as_array().unwrap().contains(&Value::from("other")),
        "{category}"
    );
}

/// `type` of a schema as a list (`"string"` and `["string", "null"]` alike).
fn types(schema: &Value) -> Vec<&str> {
    match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

#[tokio::test]
async fn every_hosted_field_is_described_with_its_type() {
    let doc = document().await;
    let schemas = &doc["components"]["schemas"];
    for name in ["Assistant", "AssistantDraft", "NewAssistant"] {
        for f in HOSTED_FIELDS {
            let p = &schemas[name]["properties"][f.name];
            let kind = match f.kind {
                HostedKind::Bool => "boolean",
                HostedKind::Count => "integer",
                HostedKind::Text { .. } | HostedKind::Email | HostedKind::Url => "string",
                HostedKind::Texts { .. } => "array",
                HostedKind::Object => "object",
            };
            let mut expected = vec![kind];
            if f.nullable {
                expected.push("null");
            }
            assert_eq!(types(p), expected, "{name}.{}: {p}", f.name);
            match f.kind {
                HostedKind::Count => {
                    assert_eq!(p["minimum"], 1, "{}", f.name);
                    assert_eq!(p["maximum"], u64::MAX, "{}", f.name);
                }
                HostedKind::Text { max } => assert_eq!(p["maxLength"], max, "{}", f.name),
                HostedKind::Texts { max_items } => {
                    assert_eq!(p["maxItems"], max_items, "{}", f.name);
                    assert_eq!(p["items"]["type"], "string");
                }
                // The checks the server makes, as patterns: no `format`
                // claims a syntax it does not hold values to.
                HostedKind::Email => assert!(p["pattern"].as_str().unwrap().contains('@')),
                HostedKind::Url => {
                    assert!(p["pattern"].as_str().unwrap().starts_with("^https?://"))
                }
                _ => {}
            }
            if f.secret {
                assert_eq!(p["format"], "password", "{name}.{} is masked", f.name);
                assert!(p["description"].as_str().unwrap().contains("encrypted"));
            } else {
                assert_ne!(p["format"], "password", "{name}.{}", f.name);
            }
        }
    }
}

#[tokio::test]
async fn a_create_requires_a_non_null_name_and_an_update_does_not() {
    let doc = document().await;
    let body = |method: &str, path: &str| {
        let op = &doc["paths"][path][method];
        resolve(
            &doc,
            &op["requestBody"]["content"]["application/json"]["schema"],
        )
        .clone()
    };
    let create = body("post", "/api/v1/assistants");
    assert!(
        create["required"]
            .as_array()
            .unwrap()
            .contains(&Value::from("name"))
    );
    assert_eq!(
        types(&create["properties"]["name"]),
        ["string"],
        "never null"
    );
    let update = body("patch", "/api/v1/assistants/{id}");
    assert!(update.get("required").is_none(), "{update}");
    assert_eq!(types(&update["properties"]["name"]), ["string"]);
    assert_eq!(
        create["properties"]
            .as_object()
            .unwrap()
            .keys()
            .collect::<Vec<_>>(),
        update["properties"]
            .as_object()
            .unwrap()
            .keys()
            .collect::<Vec<_>>(),
        "the same fields otherwise"
    );
}

#[tokio::test]
async fn the_catalog_and_organizations_routes_render() {
    let doc = document().await;
    let catalog = &doc["paths"]["/api/v1/catalog"]["get"]["responses"]["200"];
    let schema = resolve(&doc, &catalog["content"]["application/json"]["schema"]);
    let text = schema.to_string();
    for part in ["Section", "Ours", "version"] {
        assert!(text.contains(part), "{part} in {text}");
    }
    let orgs = &doc["paths"]["/api/v1/organizations"]["get"]["responses"]["200"];
    let schema = &orgs["content"]["application/json"]["schema"]["$ref"];
    assert_eq!(schema, "#/components/schemas/Organization");
    let retention = &doc["components"]["schemas"]["RetentionRequest"];
    assert_eq!(
        retention["properties"]["metadata_retention_days"]["enum"],
        serde_json::json!([30, 90, 180, 365, 730])
    );
    let created = &doc["paths"]["/api/v1/organizations"]["post"]["responses"]["201"];
    assert!(created["description"].as_str().unwrap().contains("once"));
}

#[tokio::test]
async fn the_document_follows_the_servers_catalog() {
    let mut cat = Catalog::builtin();
    let deepgram = cat.voicedock.config_fields.get_mut("stt").unwrap();
    let spec = deepgram["deepgram"]["smart_format"].clone();
    deepgram
        .get_mut("deepgram")
        .unwrap()
        .insert("diarize".into(), spec);
    let doc = document_with(|c| c.catalog = Arc::new(cat)).await;
    let (_, deepgram) = variants(&doc, "SttConfig")
        .into_iter()
        .find(|(id, _)| id == "deepgram")
        .unwrap();
    let p = &deepgram["properties"]["diarize"];
    assert_eq!(p["type"], "boolean", "{p}");
}
