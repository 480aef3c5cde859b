//! The rules the server checks, as the served OpenAPI document states them:
//! per provider from the catalog, from the validation's constants, and
//! patterns that accept exactly what the server accepts.

use testkit::common;

use std::collections::BTreeSet;

use common::TestServer;
use common::openapi::{document, variants};
use reqwest::Method;
use serde_json::{Map, Value, json};
use voicedock::domain::validate::validate_name;
use voicedock::domain::{Catalog, SectionId, validate_hosted, validate_provider_key};

#[tokio::test]
async fn each_provider_has_its_config_with_its_models_and_fields() {
    let doc = document().await;
    let cat = Catalog::builtin();
    for section in SectionId::ALL {
        let name = match section {
            SectionId::Stt => "SttConfig",
            SectionId::Llm => "LlmConfig",
            SectionId::Tts => "TtsConfig",
        };
        let about = doc["components"]["schemas"][name]["description"]
            .as_str()
            .unwrap();
        assert!(
            about.contains("/api/v1/catalog") && about.contains("config_fields"),
            "{about}"
        );
        let found = variants(&doc, name);
        let fields = &cat.voicedock.config_fields[section.key()];
        for p in &cat.section(section).providers {
            let mine: Vec<&Value> = found
                .iter()
                .filter(|(id, _)| *id == p.id)
                .map(|(_, v)| *v)
                .collect();
            assert!(!mine.is_empty(), "{name} has no variant for {}", p.id);
            let mut models = BTreeSet::new();
            for v in &mine {
                let listed = v["properties"]["model"]["enum"]
                    .as_array()
                    .into_iter()
                    .flatten();
                models.extend(listed.filter_map(Value::as_str).map(str::to_owned));
                let properties = v["properties"].as_object().unwrap();
                for field in fields["*"].keys().chain(fields[&p.id].keys()) {
                    let refused_setting = p.settings.contains(field)
                        && v["properties"]["model"]["enum"]
                            .as_array()
                            .is_some_and(|m| {
                                m.iter().filter_map(Value::as_str).all(|m| {
                                    p.settings_for(Some(m)).is_some_and(|s| !s.contains(field))
                                })
                            });
                    assert!(
                        properties.contains_key(field) || refused_setting,
                        "{name}.{} lacks {field}",
                        p.id
                    );
                }
                for field in properties
                    .keys()
                    .filter(|f| *f != "provider" && *f != "model")
                {
                    assert!(
                        fields["*"].contains_key(field) || fields[&p.id].contains_key(field),
                        "{name}.{} states {field}, which it does not take",
                        p.id
                    );
                }
            }
            let expected: BTreeSet<String> = p.models.iter().cloned().collect();
            assert_eq!(models, expected, "{name}.{} models", p.id);
        }
    }
    let (_, openai) = variants(&doc, "LlmConfig")
        .into_iter()
        .find(|(id, _)| id == "openai")
        .unwrap();
    let openai = &openai["properties"];
    assert_eq!(openai["temperature"]["maximum"], 2);
    assert_eq!(
        openai["max_completion_tokens"]["minimum"], 1,
        "the catalog's bounds"
    );
    assert_eq!(openai["messages"]["maxItems"], 100);
    assert_eq!(
        openai["tools"]["items"]["properties"]["server"]["properties"]["secret"]["format"],
        "password"
    );
    let message = &doc["components"]["schemas"]["Message"]["properties"];
    assert_eq!(
        message["role"]["enum"],
        json!(["system", "user", "assistant"])
    );
    assert_eq!(message["content"]["maxLength"], 32 * 1024);
    let (_, deepgram) = variants(&doc, "SttConfig")
        .into_iter()
        .find(|(id, _)| id == "deepgram")
        .unwrap();
    assert_eq!(deepgram["properties"]["endpointing"]["maximum"], 5000);
    assert_eq!(
        deepgram["properties"]["language"]["enum"]
            .as_array()
            .unwrap()
            .last(),
        Some(&Value::Null)
    );
    let (_, google) = variants(&doc, "TtsConfig")
        .into_iter()
        .find(|(id, _)| id == "google")
        .unwrap();
    let voices: Vec<&str> = google["properties"]["voice_id"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(voices, cat.tts.provider("google").unwrap().voices);
    assert!(
        google["required"]
            .as_array()
            .unwrap()
            .contains(&Value::from("voice_id"))
    );
}

#[tokio::test]
async fn the_key_bodies_and_parameters_state_what_the_server_takes() {
    let doc = document().await;
    let cat = Catalog::builtin();
    let providers: Vec<Value> = cat.byok_provider_ids().map(Value::from).collect();
    let schemas = &doc["components"]["schemas"];
    let set: Vec<Value> = schemas["SetKeyRequest"]["oneOf"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["properties"]["provider"]["enum"][0].clone())
        .collect();
    assert_eq!(set, providers, "one body per BYOK provider of the catalog");
    let openai = &schemas["SetKeyRequest"]["oneOf"][1]["properties"]["api_key"];
    assert_eq!(
        (openai["minLength"].clone(), openai["maxLength"].clone()),
        (json!(20), json!(512))
    );
    assert!(
        openai["pattern"].as_str().unwrap().starts_with("^sk"),
        "{openai}"
    );
    assert_eq!(
        schemas["DeleteKeyRequest"]["properties"]["provider"]["enum"],
        Value::from(providers.clone())
    );
    let check = &doc["paths"]["/api/v1/byok/{provider}/check"]["post"];
    assert_eq!(
        check["parameters"][0]["schema"]["enum"],
        Value::from(providers)
    );
    assert_eq!(
        check["requestBody"]["required"], false,
        "an empty body is fine"
    );

    let list = doc["paths"]["/api/v1/assistants"]["get"]["parameters"]
        .as_array()
        .unwrap();
    let limit = list.iter().find(|p| p["name"] == "limit").unwrap();
    assert_eq!(
        (
            limit["schema"]["minimum"].clone(),
            limit["schema"]["maximum"].clone()
        ),
        (json!(1), json!(500))
    );
    let offset = list.iter().find(|p| p["name"] == "offset").unwrap();
    assert_eq!(offset["schema"]["maximum"], i64::MAX);

    let name = &schemas["NewAssistant"]["properties"]["name"];
    let pattern = name["pattern"].as_str().unwrap();
    assert!(
        pattern.contains("{0,98}"),
        "1–100 characters after trimming: {pattern}"
    );
    assert_eq!(
        schemas["NewAssistant"]["properties"]["first_message"]["maxLength"],
        1000
    );
    let realtime = schemas["AssistantDraft"]["if"]["properties"]["llm_config"]["properties"]["provider"]["enum"]
        .as_array()
        .unwrap()
        .clone();
    let expected: Vec<Value> = cat
        .llm
        .providers
        .iter()
        .filter(|p| p.is_realtime())
        .map(|p| Value::from(p.id.as_str()))
        .collect();
    assert_eq!(realtime, expected);
    assert_eq!(
        schemas["AssistantDraft"]["then"]["properties"]["tts_config"]["type"],
        "null"
    );
}

/// The document's regular expression at `pointer`, compiled as a client would.
fn pattern(doc: &Value, pointer: &str) -> regex::Regex {
    let text = doc.pointer(pointer).and_then(Value::as_str);
    regex::Regex::new(text.unwrap_or_else(|| panic!("no pattern at {pointer}"))).unwrap()
}

#[tokio::test]
async fn the_patterns_accept_exactly_what_the_server_accepts() {
    let doc = document().await;
    let name = pattern(
        &doc,
        "/components/schemas/NewAssistant/properties/name/pattern",
    );
    let long = "n".repeat(100);
    let names = [
        "a".to_owned(),
        " My Assistant ".to_owned(),
        "\t\u{3000}x\u{85}\n".to_owned(),
        "a b".to_owned(),
        format!("  {long}  "),
        format!("{long}n"),
        String::new(),
        " \u{2003} ".to_owned(),
        "a\tb".to_owned(),
        "a\u{0}".to_owned(),
        "x\u{9f}y".to_owned(),
        "\u{1c}x".to_owned(),
    ];
    for n in &names {
        assert_eq!(name.is_match(n), validate_name(n).is_ok(), "name {n:?}");
    }

    let schemas = "/components/schemas/NewAssistant/properties";
    for (field, samples) in [
        (
            "notification_email",
            &["a@b.c", "a@.", "@b.c", "a@bc", "a@b@c.d", "ä@ö.ü"][..],
        ),
        (
            "webhook_url",
            &[
                "https://x.y/h",
                "http://",
                "ftp://x",
                "https://a b",
                "https://a\u{2028}",
            ][..],
        ),
    ] {
        let re = pattern(&doc, &format!("{schemas}/{field}/pattern"));
        for s in samples {
            let extra = Map::from_iter([(field.to_owned(), Value::from(*s))]);
            assert_eq!(
                re.is_match(s),
                validate_hosted(&extra).is_ok(),
                "{field} {s:?}"
            );
        }
    }

    let cat = Catalog::builtin();
    let openai = pattern(
        &doc,
        "/components/schemas/SetKeyRequest/oneOf/1/properties/api_key/pattern",
    );
    let body = "x".repeat(30);
    for key in [
        format!("sk-{body}"),
        format!("sk-{body} "),
        format!("sx-{body}"),
        format!("sk-{body}é"),
    ] {
        let within = (20..=512).contains(&key.chars().count());
        let stated = openai.is_match(&key) && within;
        assert_eq!(
            stated,
            validate_provider_key(&cat, "openai", &key).is_ok(),
            "{key:?}"
        );
    }

    // If-Match is judged by the server itself: a value it refuses is 400.
    let server = TestServer::start().await;
    let created = server
        .post("/api/v1/assistants", json!({"name": "a"}))
        .await;
    let path = format!(
        "/api/v1/assistants/{}",
        created.body["assistant"]["id"].as_str().unwrap()
    );
    let if_match = pattern(
        &doc,
        "/paths/~1api~1v1~1assistants~1{id}/patch/parameters/1/schema/pattern",
    );
    for value in [
        "*",
        "\"1\"",
        "W/\"1\"",
        "\"7\", \"1\"",
        ",\"1\",",
        "1",
        "\"1",
        "W/1",
        "\"a,b\"",
        "*, \"1\"",
        "",
    ] {
        let body = serde_json::to_vec(&json!({"name": "b"})).unwrap();
        let headers = [("Content-Type", "application/json"), ("If-Match", value)];
        let r = server
            .raw(
                Method::PATCH,
                &path,
                Some(&server.api_key),
                Some(body),
                &headers,
            )
            .await;
        assert_eq!(
            if_match.is_match(value),
            r.status != 400,
            "If-Match {value:?}: {}",
            r.text
        );
    }
}

/// The settings body states the provider list and the names and number of
/// settings the server takes, so generated valid bodies are not refused.
#[tokio::test]
async fn the_settings_body_states_what_the_server_takes() {
    let doc = document().await;
    let cat = Catalog::builtin();
    let providers: Vec<Value> = cat.byok_provider_ids().map(Value::from).collect();
    let body = &doc["components"]["schemas"]["SetSettingsRequest"];
    assert_eq!(
        body["properties"]["provider"]["enum"],
        Value::from(providers)
    );
    let config = &body["properties"]["config"];
    assert_eq!(config["maxProperties"], json!(32), "{config}");
    let pattern = config["propertyNames"]["pattern"].as_str().unwrap();
    let names = regex::Regex::new(pattern).unwrap();
    assert!(names.is_match("organization") && names.is_match("api.version-2"));
    assert!(!names.is_match("") && !names.is_match("bad name") && !names.is_match(&"x".repeat(65)));
}
