//! The assistant fields of the hosted platform's SDK 2.2, on our server:
//! every provider of the catalog takes every field it lists, with the speech
//! settings, recording consent and an MCP tool beside it, and the document
//! says so (`server_fields_2_2_ranges`: each value out of range).

use testkit::common::TestServer;
use testkit::hosted_support::fields_2_2::{self, mcp_tool, recording_consent, speech_config};

use serde_json::{Map, Value, json};
use voicedock::domain::catalog::FieldSpec;
use voicedock::domain::{Catalog, SectionId};

/// A value of `spec`'s type within its bounds (and the catalog's `range`),
/// every property and one item of every list filled in.
fn sample(spec: &FieldSpec, range: (Option<f64>, Option<f64>)) -> Value {
    if let Some(first) = spec.allowed.first() {
        return first.clone();
    }
    let low = spec.minimum.or(range.0).unwrap_or(1.0);
    match spec.kind.as_str() {
        "boolean" => json!(true),
        "integer" => json!(low.ceil() as i64),
        "number" => json!(low),
        // One character and one item meet every minimum the catalog sets.
        "string" => json!("x"),
        "array" => {
            let item = spec
                .items
                .as_deref()
                .map_or(json!("x"), |items| sample(items, (None, None)));
            json!([item])
        }
        "object" => Value::Object(
            spec.properties
                .iter()
                .map(|(name, p)| (name.clone(), sample(p, (None, None))))
                .collect(),
        ),
        _ => json!(null),
    }
}

/// A config on `provider` with every field the catalog lists for it.
fn full_config(cat: &Catalog, section: SectionId, provider: &str) -> Value {
    let p = cat.section(section).provider(provider).unwrap();
    let mut config = Map::new();
    config.insert("provider".into(), json!(provider));
    if let Some(model) = &p.default_model {
        config.insert("model".into(), json!(model));
    }
    let fields = &cat.voicedock.config_fields[section.key()];
    for who in ["*", provider] {
        for (name, spec) in fields.get(who).into_iter().flatten() {
            let value = match name.as_str() {
                "model" => continue,
                "voice" | "voice_id" => json!(p.default_voice.clone().unwrap_or("v1".into())),
                "language" if section == SectionId::Stt => json!("nl"),
                "messages" => json!([{"role": "system", "content": "Be brief."}]),
                "tools" => json!([mcp_tool()]),
                _ => sample(spec, cat.range(section, name)),
            };
            config.insert(name.clone(), value);
        }
    }
    Value::Object(config)
}

fn with_2_2_fields(mut body: Value) -> Value {
    body["speech_config"] = speech_config();
    body["recording_consent"] = recording_consent();
    body["notification_emails"] = json!(["ops@example.com", "lead@example.com"]);
    body
}

#[tokio::test]
async fn every_provider_of_the_catalog_takes_every_field_it_lists_beside_the_2_2_fields() {
    let server = TestServer::start().await;
    let cat = Catalog::builtin();
    let text_llm = full_config(&cat, SectionId::Llm, "openai");
    let mut bodies = Vec::new();
    for p in &cat.llm.providers {
        let mut body = json!({"name": format!("LLM {}", p.id),
            "llm_config": full_config(&cat, SectionId::Llm, &p.id)});
        if p.is_realtime() {
            body["tts_config"] = Value::Null;
        }
        bodies.push(body);
    }
    for p in &cat.stt.providers {
        bodies.push(
            json!({"name": format!("STT {}", p.id), "llm_config": text_llm,
            "stt_config": full_config(&cat, SectionId::Stt, &p.id)}),
        );
    }
    for p in &cat.tts.providers {
        bodies.push(
            json!({"name": format!("TTS {}", p.id), "llm_config": text_llm,
            "tts_config": full_config(&cat, SectionId::Tts, &p.id)}),
        );
    }
    let served = server.get("/api/v1/catalog").await.body;
    // An MCP tool names a server of the account: the sample's id becomes one.
    let mcp = server
        .post(
            "/api/v1/mcp-servers",
            json!({"name": "Orders", "url": "https://mcp.example.com/mcp"}),
        )
        .await;
    assert_eq!(mcp.status, 201, "{}", mcp.text);
    let mcp_id = mcp.body["mcp_server"]["id"].as_str().unwrap().to_owned();
    for body in bodies {
        let body: Value = serde_json::from_str(
            &with_2_2_fields(body)
                .to_string()
                .replace(fields_2_2::MCP_SERVER_ID, &mcp_id),
        )
        .unwrap();
        // The served catalog's schema of this provider states each field sent.
        for (section, config) in [
            ("stt", "stt_config"),
            ("llm", "llm_config"),
            ("tts", "tts_config"),
        ] {
            let Some(sent) = body[config].as_object() else {
                continue;
            };
            let branch = served["schemas"][section]["oneOf"]
                .as_array()
                .and_then(|all| {
                    all.iter()
                        .find(|b| b["properties"]["provider"]["enum"][0] == sent["provider"])
                });
            let branch =
                branch.unwrap_or_else(|| panic!("no schema of {section} {}", sent["provider"]));
            for field in sent.keys() {
                assert!(
                    branch["properties"].get(field).is_some(),
                    "{section} {}: {field}",
                    sent["provider"]
                );
            }
            let listed = served[section]["providers"].as_array().unwrap();
            let listed = listed.iter().find(|p| p["id"] == sent["provider"]).unwrap();
            assert!(
                listed["pricing"]["units"].is_array(),
                "{section} {} is priced",
                sent["provider"]
            );
        }
        let r = server.post("/api/v1/assistants", body.clone()).await;
        assert_eq!(r.status, 201, "{body}: {}", r.text);
        let id = r.body["assistant"]["id"].as_str().unwrap().to_owned();
        let got = server.get(&format!("/api/v1/assistants/{id}")).await.body["assistant"].clone();
        for (field, sent) in body.as_object().unwrap() {
            assert_eq!(&got[field], sent, "{field} of {}", body["name"]);
        }
    }
}

#[tokio::test]
async fn every_2_2_field_may_be_cleared_with_null_on_update() {
    let server = TestServer::start().await;
    let r = server
        .post(
            "/api/v1/assistants",
            with_2_2_fields(json!({"name": "Clear"})),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let path = format!(
        "/api/v1/assistants/{}",
        r.body["assistant"]["id"].as_str().unwrap()
    );
    let mut defaults = speech_config();
    for section in defaults.as_object_mut().unwrap().values_mut() {
        *section = Value::Null;
    }
    for body in [
        json!({"speech_config": defaults}),
        json!({"speech_config": {"turn_taking": {"endpointing_min_delay": null}}}),
        json!({"speech_config": null, "recording_consent": null, "notification_emails": null}),
    ] {
        let r = server.patch(&path, body.clone()).await;
        assert_eq!(r.status, 200, "{body}: {}", r.text);
        for (field, sent) in body.as_object().unwrap() {
            assert_eq!(&r.body["assistant"][field], sent, "{field}");
        }
    }
    // A setting may be null; what names one (a pronunciation's word) not.
    let r = server
        .patch(
            &path,
            json!({"speech_config": {"pronunciation": [{"from": null, "to": "x"}]}}),
        )
        .await;
    let (status, _, param) = r.error();
    assert_eq!(
        (status, param.as_deref()),
        (400, Some("speech_config.pronunciation[0].from"))
    );
}

#[tokio::test]
async fn the_document_states_each_2_2_field_with_its_range() {
    let server = TestServer::start().await;
    let doc = server.get("/api/openapi.json").await.body;
    for owner in ["Assistant", "AssistantDraft", "NewAssistant"] {
        let speech = format!("/components/schemas/{owner}/properties/speech_config");
        let at = |path: &str| doc.pointer(&format!("{speech}/{path}")).cloned();
        let min_delay = "properties/turn_taking/properties/endpointing_min_delay";
        assert_eq!(
            at(&format!("{min_delay}/maximum")),
            Some(json!(5)),
            "{owner}"
        );
        assert_eq!(
            at(&format!("{min_delay}/minimum")),
            Some(json!(0.1)),
            "{owner}"
        );
        assert_eq!(
            at("properties/end_call_phrases/maxItems"),
            Some(json!(5)),
            "{owner}"
        );
        assert_eq!(at("additionalProperties"), Some(json!(false)), "{owner}");
        let consent = format!(
            "/components/schemas/{owner}/properties/recording_consent/properties/enabled/type"
        );
        assert_eq!(doc.pointer(&consent), Some(&json!("boolean")), "{owner}");
    }
    let openai = &doc["components"]["schemas"]["LlmConfig.openai"]["properties"]["tools"]["items"];
    assert_eq!(
        openai["then"]["properties"]["allowed_tools"]["maxItems"],
        json!(25)
    );
}
