//! `POST /api/v1/byok/config`: a provider's settings, only beside its key,
//! merged, checked where they stand, sealed on disk, never answered.

use testkit::common;

use common::disk::files_holding;
use common::{TestServer, provider_key};
use serde_json::json;

const SECRET_SETTING: &str = "org-SettingNeverShown0042";

async fn store_key(server: &TestServer, provider: &str) {
    let r = server
        .post(
            "/api/v1/byok",
            json!({"provider": provider, "api_key": provider_key(provider)}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
}

#[tokio::test]
async fn settings_need_a_stored_key_first() {
    let server = TestServer::start().await;
    let r = server
        .post(
            "/api/v1/byok/config",
            json!({"provider": "openai", "config": {"organization": "org-1"}}),
        )
        .await;
    assert_eq!(
        r.error(),
        (404, "not_found".into(), Some("provider".into()))
    );
    store_key(&server, "openai").await;
    let r = server
        .post(
            "/api/v1/byok/config",
            json!({"provider": "openai", "config": {"organization": "org-1"}}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
}

#[tokio::test]
async fn settings_merge_and_are_never_answered_nor_stored_in_the_clear() {
    let server = TestServer::start().await;
    store_key(&server, "openai").await;
    let first = server
        .post(
            "/api/v1/byok/config",
            json!({"provider": "openai", "config": {"organization": SECRET_SETTING, "region": "eu"}}),
        )
        .await;
    assert_eq!(first.status, 200, "{}", first.text);
    assert_eq!(
        first.body,
        json!({"success": true, "byok_config": {"openai": {}}, "stored": ["organization", "region"]})
    );
    let merged = server
        .post(
            "/api/v1/byok/config",
            json!({"provider": "openai", "config": {"region": null, "project": "proj-1"}}),
        )
        .await;
    assert_eq!(
        merged.body["stored"],
        json!(["organization", "project"]),
        "{}",
        merged.text
    );
    for path in ["/api/v1/byok", "/api/v1/byok/config"] {
        let r = server.get(path).await;
        assert_eq!(r.status, 200);
        assert!(!r.text.contains(SECRET_SETTING), "{path}: {}", r.text);
        assert!(!r.text.contains("proj-1"), "{path}: {}", r.text);
    }
    assert!(!first.text.contains(SECRET_SETTING) && !merged.text.contains("proj-1"));
    assert_eq!(
        files_holding(server.data_dir(), SECRET_SETTING.as_bytes()),
        Vec::<String>::new()
    );
    // They go with the key: a key stored again starts without them.
    let r = server
        .delete("/api/v1/byok", Some(json!({"provider": "openai"})))
        .await;
    assert_eq!(r.status, 200);
    store_key(&server, "openai").await;
    let again = server
        .post(
            "/api/v1/byok/config",
            json!({"provider": "openai", "config": {"region": "us"}}),
        )
        .await;
    assert_eq!(again.body["stored"], json!(["region"]), "{}", again.text);
}

#[tokio::test]
async fn bad_settings_are_refused_by_path_and_change_nothing() {
    let server = TestServer::start().await;
    store_key(&server, "openai").await;
    let ok = server
        .post(
            "/api/v1/byok/config",
            json!({"provider": "openai", "config": {"region": "eu"}}),
        )
        .await;
    assert_eq!(ok.status, 200);
    let long = "x".repeat(20 * 1024);
    let too_many: serde_json::Map<String, serde_json::Value> =
        (0..40).map(|i| (format!("s{i}"), json!(i))).collect();
    let cases = [
        (
            json!({"provider": "openai", "config": "region=eu"}),
            "config",
        ),
        (json!({"provider": "openai", "config": [1]}), "config"),
        (json!({"provider": "openai"}), "config"),
        (
            json!({"provider": "openai", "config": {}, "extra": 1}),
            "extra",
        ),
        (
            json!({"provider": "openai", "config": {"region": long}}),
            "config.region",
        ),
        (
            json!({"provider": "openai", "config": {"bad name!": 1}}),
            "config",
        ),
        (json!({"provider": "openai", "config": too_many}), "config"),
        (
            json!({"provider": "nosuch", "config": {"a": 1}}),
            "provider",
        ),
    ];
    for (body, param) in cases {
        let r = server.post("/api/v1/byok/config", body.clone()).await;
        let (status, _, got) = r.error();
        assert!(
            status == 400 || status == 422 || status == 404,
            "{body}: {}",
            r.text
        );
        assert_eq!(got.as_deref(), Some(param), "{body}: {}", r.text);
    }
    let unchanged = server
        .post(
            "/api/v1/byok/config",
            json!({"provider": "openai", "config": {}}),
        )
        .await;
    assert_eq!(
        unchanged.body["stored"],
        json!(["region"]),
        "{}",
        unchanged.text
    );
}
