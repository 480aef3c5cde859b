//! The seed document's four steps, request by request, against a real server.

use testkit::common;

use common::{TestServer, provider_key, seed_assistant};
use serde_json::json;
use voicedock::domain::ByokKeys;

/// The seed's four, first; then the rest of the platform's BYOK secrets:
/// the catalog's order.
use testkit::PROVIDERS as SEED_ORDER;

/// `byok_keys` in the order the server wrote it, whether or not serde_json's
/// Value keeps key order.
fn byok_keys(text: &str) -> ByokKeys {
    #[derive(serde::Deserialize)]
    struct Answer {
        byok_keys: ByokKeys,
    }
    serde_json::from_str::<Answer>(text).unwrap().byok_keys
}

#[tokio::test]
async fn the_seed_steps_work_as_documented() {
    let server = TestServer::start().await;

    // Step 2, for openai exactly as shown, then "repeat for each provider you
    // want to configure" (the seed's Step 3 answer has deepgram configured too).
    // The seed's "sk-..." is a placeholder; a real-length key stands in for it.
    let r = server
        .post(
            "/api/v1/byok",
            json!({"provider": "openai", "api_key": provider_key("openai")}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["success"], json!(true));
    let r = server
        .post(
            "/api/v1/byok",
            json!({"provider": "deepgram", "api_key": provider_key("deepgram")}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);

    // Step 3: exactly the seed's shape.
    let r = server.get("/api/v1/byok").await;
    assert_eq!(r.status, 200, "{}", r.text);
    let keys = byok_keys(&r.text);
    assert_eq!(keys.providers().collect::<Vec<_>>(), SEED_ORDER);
    let object = r.body["byok_keys"].as_object().unwrap();
    assert_eq!(object.len(), SEED_ORDER.len());
    assert!(object["deepgram_secret_id"].is_string());
    assert!(object["openai_secret_id"].is_string());
    assert!(object["elevenlabs_secret_id"].is_null());
    assert!(object["resend_secret_id"].is_null());
    assert!(
        r.body.get("success").is_none(),
        "GET carries no success flag"
    );
    // (ours) keys: one entry per configured provider, hint only.
    let described = r.body["keys"].as_array().unwrap();
    assert_eq!(described.len(), 2);
    let openai = described
        .iter()
        .find(|k| k["provider"] == "openai")
        .unwrap();
    assert_eq!(openai["secret_id"], object["openai_secret_id"]);
    assert_eq!(openai["key_hint"], json!("sk-…0001"));
    assert!(openai["updated_at"].is_string());
    assert!(!r.text.contains(&provider_key("openai")));

    // Step 4: the seed's assistant.
    let r = server.post("/api/v1/assistants", seed_assistant()).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let a = &r.body["assistant"];
    assert!(uuid::Uuid::parse_str(a["id"].as_str().unwrap()).is_ok());
    assert_eq!(a["name"], "My Assistant");
    assert_eq!(a["stt_config"], seed_assistant()["stt_config"]);
    assert_eq!(a["llm_config"], seed_assistant()["llm_config"]);
    assert_eq!(a["tts_config"], seed_assistant()["tts_config"]);
    assert_eq!(a["revision"], 1);
    assert!(a["created_at"].is_string() && a["updated_at"].is_string());

    // Removing BYOK configuration, exactly as shown.
    let r = server
        .delete("/api/v1/byok", Some(json!({"provider": "openai"})))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["success"], json!(true));
    let keys = byok_keys(&r.text);
    assert_eq!(keys.providers().collect::<Vec<_>>(), SEED_ORDER);
    assert!(!keys.is_configured("openai"));
    assert!(keys.is_configured("deepgram"));
    assert_eq!(r.body["keys"].as_array().unwrap().len(), 1);
    let r = server.get("/api/v1/byok").await;
    assert!(r.body["byok_keys"]["openai_secret_id"].is_null());

    // Deleting again: nothing is configured for it.
    let r = server
        .delete("/api/v1/byok", Some(json!({"provider": "openai"})))
        .await;
    assert_eq!(
        r.error(),
        (404, "not_found".into(), Some("provider".into()))
    );
}

#[tokio::test]
async fn the_seed_placeholder_key_is_refused_by_the_save_check() {
    let server = TestServer::start().await;
    let r = server
        .post(
            "/api/v1/byok",
            json!({"provider": "openai", "api_key": "sk-..."}),
        )
        .await;
    assert_eq!(
        r.error(),
        (400, "invalid_request".into(), Some("api_key".into()))
    );
}

#[tokio::test]
async fn every_provider_can_be_configured_and_shows_in_catalog_order() {
    let server = TestServer::start().await;
    for provider in SEED_ORDER.iter().rev() {
        let r = server
            .post(
                "/api/v1/byok",
                json!({"provider": provider, "api_key": provider_key(provider)}),
            )
            .await;
        assert_eq!(r.status, 200, "{provider}: {}", r.text);
    }
    let r = server.get("/api/v1/byok").await;
    let keys = byok_keys(&r.text);
    assert_eq!(keys.providers().collect::<Vec<_>>(), SEED_ORDER);
    assert!(SEED_ORDER.iter().all(|p| keys.is_configured(p)));
    let described: Vec<_> = r.body["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["provider"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(described, SEED_ORDER);
    assert_eq!(r.body["keys"][3]["key_hint"], json!("re_…0002"));
    assert_eq!(
        r.body["keys"][9]["key_hint"],
        json!("JSON credential of vd@vd-test.iam.gserviceaccount.com")
    );
}

#[tokio::test]
async fn byok_config_lists_the_catalog_with_configured_flags() {
    let server = TestServer::start().await;
    server
        .post(
            "/api/v1/byok",
            json!({"provider": "deepgram", "api_key": provider_key("deepgram")}),
        )
        .await;
    let r = server.get("/api/v1/byok/config").await;
    assert_eq!(r.status, 200, "{}", r.text);
    let providers = r.body["providers"].as_array().unwrap();
    let ids: Vec<_> = providers
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "deepgram",
            "elevenlabs",
            "gladia",
            "mistral",
            "google", // stt
            "openai",
            "xai",
            "mistral",
            "google",
            "google_realtime",
            "xai_realtime",
            "openai_live",
            "elevenlabs",
            "inworld",
            "google",
            "xai",
            "voicedock", // tts
            "resend",
        ],
        "one entry per provider of each section, in catalog order"
    );
    let deepgram = &providers[0];
    assert_eq!(deepgram["name"], "Deepgram");
    assert_eq!(deepgram["category"], "stt");
    assert_eq!(deepgram["docsUrl"], "https://developers.deepgram.com/");
    assert_eq!(deepgram["configured"], true);
    let nova = &deepgram["models"][1];
    assert_eq!(
        (nova["id"].as_str(), nova["default"].as_bool()),
        (Some("nova-3-general"), Some(false))
    );
    assert_eq!(deepgram["models"][0]["default"], true);
    assert!(nova["languages"].as_array().unwrap().contains(&json!("nl")));
    let openai = providers.iter().find(|p| p["id"] == "openai").unwrap();
    assert_eq!(openai["configured"], false);
    let gpt4o = openai["models"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == "gpt-4o")
        .unwrap();
    assert!(
        gpt4o.get("languages").is_none(),
        "no languages for LLM models"
    );
}

#[tokio::test]
async fn health_account_and_openapi() {
    let server = TestServer::start().await;
    let r = server
        .raw(reqwest::Method::GET, "/api/v1/health", None, None, &[])
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.body,
        json!({"status": "ok", "version": env!("CARGO_PKG_VERSION")})
    );

    server.post("/api/v1/assistants", seed_assistant()).await;
    let r = server.get("/api/v1/account").await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["company_name"], "Test Company");
    assert_eq!(r.body["active_agents"], 1);
    assert!(uuid::Uuid::parse_str(r.body["id"].as_str().unwrap()).is_ok());

    let r = server
        .raw(reqwest::Method::GET, "/api/openapi.json", None, None, &[])
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["openapi"], "3.1.0");
    let expected: [(&str, &[&str]); 17] = [
        ("/api/v1/health", &["get"]),
        ("/api/openapi.json", &["get"]),
        ("/api/v1/account", &["get"]),
        ("/api/v1/organizations", &["get", "post", "patch"]),
        ("/api/v1/catalog", &["get"]),
        ("/api/v1/byok", &["get", "post", "delete"]),
        ("/api/v1/byok/config", &["get"]),
        ("/api/v1/byok/{provider}/check", &["post"]),
        ("/api/v1/assistants", &["get", "post"]),
        ("/api/v1/assistants/{id}", &["get", "patch", "delete"]),
        ("/api/v1/mcp-servers", &["get", "post"]),
        ("/api/v1/mcp-servers/{id}", &["get", "patch", "delete"]),
        ("/api/v1/mcp-servers/{id}/test", &["post"]),
        ("/api/v1/calls", &["get"]),
        ("/api/v1/calls/{id}", &["get"]),
        ("/api/v1/calls/outbound", &["post"]),
        ("/api/v1/numbers", &["get"]),
    ];
    let paths = r.body["paths"].as_object().unwrap();
    for (path, methods) in expected {
        for method in methods {
            assert!(
                paths.get(path).and_then(|p| p.get(*method)).is_some(),
                "{method} {path} missing"
            );
        }
    }
    // Exhaustive: no path the server lacks, none it serves left out.
    assert_eq!(
        paths.len(),
        expected.len(),
        "{:?}",
        paths.keys().collect::<Vec<_>>()
    );
    assert!(r.body["components"]["securitySchemes"]["bearer"].is_object());
    assert!(r.body["components"]["schemas"]["ApiErrorBody"].is_object());
}
