//! Every validation rule of API.md, and every malformed request, rejected
//! with the documented status, code and param.

use testkit::common;

use common::{TestServer, seed_assistant};
use serde_json::{Value, json};

/// The seed's assistant with `path` (dotted, `[i]` for list items) set to
/// `value`, or removed when `value` is `None`.
fn with(path: &str, value: Option<Value>) -> Value {
    let mut body = seed_assistant();
    let mut node = &mut body;
    let parts: Vec<&str> = path.split('.').collect();
    for (i, part) in parts.iter().enumerate() {
        let (key, index) = match part.split_once('[') {
            Some((k, rest)) => (
                k,
                Some(rest.trim_end_matches(']').parse::<usize>().unwrap()),
            ),
            None => (*part, None),
        };
        let last = i + 1 == parts.len();
        if last && index.is_none() {
            let object = node.as_object_mut().unwrap();
            match value {
                Some(v) => object.insert(key.to_owned(), v),
                None => object.remove(key),
            };
            return body;
        }
        node = &mut node[key];
        if let Some(index) = index {
            if last {
                node[index] = value.unwrap();
                return body;
            }
            node = &mut node[index];
        }
    }
    body
}

fn long(n: usize) -> Value {
    Value::String("x".repeat(n))
}

#[tokio::test]
async fn each_assistant_rule_is_enforced_on_create() {
    let server = TestServer::start().await;
    let message = |role: &str, content: Value| json!({"role": role, "content": content});
    let cases: Vec<(&str, Option<Value>, &str, &str)> = vec![
        ("name", None, "invalid_request", "name"),
        ("name", Some(json!("")), "invalid_request", "name"),
        ("name", Some(json!("   ")), "invalid_request", "name"),
        ("name", Some(long(101)), "invalid_request", "name"),
        ("name", Some(json!(null)), "invalid_request", "name"),
        (
            "name",
            Some(json!("Line\nbreak")),
            "invalid_request",
            "name",
        ),
        ("name", Some(json!("Tab\there")), "invalid_request", "name"),
        ("name", Some(json!(5)), "invalid_request", "name"),
        (
            "first_message",
            Some(long(1001)),
            "invalid_request",
            "first_message",
        ),
        (
            "stt_config.provider",
            Some(json!("openai")),
            "invalid_request",
            "stt_config.provider",
        ),
        (
            "stt_config.provider",
            Some(json!("acme")),
            "unsupported_provider",
            "stt_config.provider",
        ),
        (
            "stt_config.provider",
            None,
            "invalid_request",
            "stt_config.provider",
        ),
        (
            "stt_config.model",
            Some(json!("nova-9")),
            "invalid_request",
            "stt_config.model",
        ),
        (
            "stt_config.model",
            None,
            "invalid_request",
            "stt_config.model",
        ),
        (
            "stt_config.language",
            Some(json!("xx")),
            "invalid_request",
            "stt_config.language",
        ),
        (
            "stt_config.keyterms",
            Some(json!(vec!["k"; 101])),
            "invalid_request",
            "stt_config.keyterms",
        ),
        (
            "stt_config.keyterms",
            Some(json!(["a", "b", "c", "x".repeat(101)])),
            "invalid_request",
            "stt_config.keyterms[3]",
        ),
        (
            "stt_config.keyterms",
            Some(json!("one")),
            "invalid_request",
            "stt_config.keyterms",
        ),
        (
            "llm_config.provider",
            Some(json!("deepgram")),
            "invalid_request",
            "llm_config.provider",
        ),
        (
            "llm_config.provider",
            Some(json!("acme")),
            "unsupported_provider",
            "llm_config.provider",
        ),
        (
            "llm_config.model",
            Some(json!("gpt-9")),
            "invalid_request",
            "llm_config.model",
        ),
        (
            "llm_config.temperature",
            Some(json!(2.01)),
            "invalid_request",
            "llm_config.temperature",
        ),
        (
            "llm_config.temperature",
            Some(json!(-0.1)),
            "invalid_request",
            "llm_config.temperature",
        ),
        (
            "llm_config.temperature",
            Some(json!("hot")),
            "invalid_request",
            "llm_config.temperature",
        ),
        (
            "llm_config.messages",
            Some(json!(vec![message("user", json!("hi")); 101])),
            "invalid_request",
            "llm_config.messages",
        ),
        (
            "llm_config.messages[0]",
            Some(message("robot", json!("hi"))),
            "invalid_request",
            "llm_config.messages[0].role",
        ),
        (
            "llm_config.messages[0]",
            Some(message("user", long(32 * 1024 + 1))),
            "invalid_request",
            "llm_config.messages[0].content",
        ),
        (
            "llm_config.messages[0]",
            Some(message("user", json!(7))),
            "invalid_request",
            "llm_config.messages[0].content",
        ),
        (
            "llm_config.max_completion_tokens",
            Some(json!(0)),
            "invalid_request",
            "llm_config.max_completion_tokens",
        ),
        (
            "llm_config.max_completion_tokens",
            Some(json!(32769)),
            "invalid_request",
            "llm_config.max_completion_tokens",
        ),
        (
            "llm_config.max_completion_tokens",
            Some(json!(-1)),
            "invalid_request",
            "llm_config.max_completion_tokens",
        ),
        (
            "tts_config.provider",
            Some(json!("openai")),
            "invalid_request",
            "tts_config.provider",
        ),
        (
            "tts_config.voice_id",
            None,
            "invalid_request",
            "tts_config.voice_id",
        ),
        (
            "tts_config.voice_id",
            Some(json!("")),
            "invalid_request",
            "tts_config.voice_id",
        ),
        (
            "tts_config.voice_id",
            Some(json!("bad id!")),
            "invalid_request",
            "tts_config.voice_id",
        ),
        (
            "tts_config.voice_id",
            Some(long(65)),
            "invalid_request",
            "tts_config.voice_id",
        ),
        (
            "tts_config.model",
            Some(json!("eleven_v9")),
            "invalid_request",
            "tts_config.model",
        ),
        (
            "tts_config.stability",
            Some(json!(1.1)),
            "invalid_request",
            "tts_config.stability",
        ),
        (
            "tts_config.similarity_boost",
            Some(json!(-0.1)),
            "invalid_request",
            "tts_config.similarity_boost",
        ),
        (
            "tts_config.style",
            Some(json!(2)),
            "invalid_request",
            "tts_config.style",
        ),
        (
            "tts_config.speed",
            Some(json!(0.49)),
            "invalid_request",
            "tts_config.speed",
        ),
        (
            "tts_config.speed",
            Some(json!(2.01)),
            "invalid_request",
            "tts_config.speed",
        ),
        (
            "tts_config.use_speaker_boost",
            Some(json!("yes")),
            "invalid_request",
            "tts_config.use_speaker_boost",
        ),
        (
            "stt_config",
            Some(json!("deepgram")),
            "invalid_request",
            "stt_config",
        ),
        // A typo never passes silently, at any depth.
        ("nam", Some(json!("x")), "unknown_field", "nam"),
        (
            "llm_config.temprature",
            Some(json!(0.5)),
            "unknown_field",
            "llm_config.temprature",
        ),
        (
            "stt_config.langauge",
            Some(json!("nl")),
            "unknown_field",
            "stt_config.langauge",
        ),
        (
            "tts_config.voiceid",
            Some(json!("v")),
            "unknown_field",
            "tts_config.voiceid",
        ),
        (
            "llm_config.messages[0]",
            Some(json!({"role": "user", "content": "x", "name": "n"})),
            "unknown_field",
            "llm_config.messages[0].name",
        ),
    ];
    for (path, value, code, param) in cases {
        let shown = format!("{path} = {value:?}");
        let r = server.post("/api/v1/assistants", with(path, value)).await;
        assert_eq!(
            r.error(),
            (400, code.to_owned(), Some(param.to_owned())),
            "{shown}: {}",
            r.text
        );
    }
    // Nothing rejected was stored.
    let r = server.get("/api/v1/assistants").await;
    assert_eq!(r.body["assistants"], json!([]));
}

#[tokio::test]
async fn the_limits_themselves_are_accepted() {
    let server = TestServer::start().await;
    let keyterm = "k".repeat(100);
    let cases: Vec<(&str, Option<Value>)> = vec![
        ("name", Some(long(100))),
        ("name", Some(json!(format!("  {}  ", "n".repeat(100))))),
        ("first_message", Some(long(1000))),
        ("stt_config.keyterms", Some(json!(vec![keyterm; 100]))),
        ("llm_config.temperature", Some(json!(0))),
        ("llm_config.temperature", Some(json!(2))),
        (
            "llm_config.messages",
            Some(json!(vec![
                json!({"role": "assistant", "content": "x".repeat(32 * 1024)})
            ])),
        ),
        ("llm_config.max_completion_tokens", Some(json!(32768))),
        ("tts_config.voice_id", Some(json!("a".repeat(64)))),
        ("tts_config.speed", Some(json!(0.5))),
        ("tts_config.model", Some(json!("eleven_flash_v2_5"))),
        ("stt_config", Some(json!(null))),
        ("llm_config", None),
        ("tts_config", Some(json!(null))),
    ];
    for (path, value) in cases {
        let shown = format!("{path} = {value:?}");
        let r = server.post("/api/v1/assistants", with(path, value)).await;
        assert_eq!(r.status, 201, "{shown}: {}", r.text);
    }
    let r = server
        .post("/api/v1/assistants", json!({"name": "Only a name"}))
        .await;
    assert_eq!(r.status, 201, "only name is required: {}", r.text);
    assert!(r.body["assistant"]["stt_config"].is_null());
}

#[tokio::test]
async fn updates_are_validated_too() {
    let server = TestServer::start().await;
    let r = server.post("/api/v1/assistants", seed_assistant()).await;
    let path = format!(
        "/api/v1/assistants/{}",
        r.body["assistant"]["id"].as_str().unwrap()
    );
    let cases = [
        (json!({"name": ""}), "invalid_request", "name"),
        (json!({"name": null}), "invalid_request", "name"),
        (
            json!({"first_message": "x".repeat(1001)}),
            "invalid_request",
            "first_message",
        ),
        (
            json!({"llm_config": {"provider": "openai", "model": "gpt-4o", "temperature": 3}}),
            "invalid_request",
            "llm_config.temperature",
        ),
        (
            json!({"tts_config": {"provider": "elevenlabs"}}),
            "invalid_request",
            "tts_config.voice_id",
        ),
        (
            json!({"stt_config": {"provider": "deepgram", "model": "nova-3-general", "extra": 1}}),
            "unknown_field",
            "stt_config.extra",
        ),
        (json!({"revision": 9}), "unknown_field", "revision"),
        (json!({"id": "x"}), "unknown_field", "id"),
    ];
    for (body, code, param) in cases {
        let r = server.patch(&path, body.clone()).await;
        assert_eq!(
            r.error(),
            (400, code.to_owned(), Some(param.to_owned())),
            "{body}: {}",
            r.text
        );
    }
    let r = server.get(&path).await;
    assert_eq!(
        r.body["assistant"]["revision"], 1,
        "no rejected update was applied"
    );
    assert_eq!(r.body["assistant"]["name"], "My Assistant");
}

#[tokio::test]
async fn a_misspelt_required_field_is_reported_as_the_typo() {
    let server = TestServer::start().await;
    let cases = [
        (
            "llm_config.messages[0]",
            json!({"rol": "user", "content": "x"}),
            "llm_config.messages[0].rol",
        ),
        (
            "stt_config",
            json!({"provder": "deepgram", "model": "nova-3-general"}),
            "stt_config.provder",
        ),
        (
            "tts_config",
            json!({"provider": "elevenlabs", "voice_id": "v", "tools": []}),
            "tts_config.tools",
        ),
    ];
    for (path, value, param) in cases {
        let r = server
            .post("/api/v1/assistants", with(path, Some(value)))
            .await;
        assert_eq!(
            r.error(),
            (400, "unknown_field".to_owned(), Some(param.to_owned())),
            "{}",
            r.text
        );
    }
}

/// A body that says one thing twice is refused whatever the key and however
/// deep: which copy a reader keeps must never decide what is stored.
#[tokio::test]
async fn a_key_twice_in_an_object_is_refused_at_any_depth_and_nothing_is_stored() {
    let server = TestServer::start().await;
    let key = Some(server.api_key.as_str());
    let json_type = [("Content-Type", "application/json")];
    let tool = r#"{"type":"function","function":{"name":"lookup","name":"lookup2"}}"#;
    let cases = [
        (r#"{"name":"A","name":"B"}"#.to_owned(), "name"),
        (
            r#"{"name":"A","webhook_secret":"whsec_1","webhook_secret":"whsec_2"}"#.to_owned(),
            "webhook_secret",
        ),
        (
            r#"{"name":"A","webhook_url":"https://a.example","webhook_url":"https://b.example"}"#
                .to_owned(),
            "webhook_url",
        ),
        (
            r#"{"name":"A","is_active":true,"is_active":false}"#.to_owned(),
            "is_active",
        ),
        (
            r#"{"name":"A","stt_config":{"provider":"deepgram","language":"nl","language":"en"}}"#
                .to_owned(),
            "stt_config.language",
        ),
        (
            format!(
                r#"{{"name":"A","llm_config":{{"provider":"openai","model":"gpt-4o","tools":[{tool}]}}}}"#
            ),
            "llm_config.tools[0].function.name",
        ),
    ];
    for (body, param) in &cases {
        let r = server
            .raw(
                reqwest::Method::POST,
                "/api/v1/assistants",
                key,
                Some(body.clone().into_bytes()),
                &json_type,
            )
            .await;
        assert_eq!(
            r.error(),
            (400, "invalid_request".into(), Some(param.to_string())),
            "{body}"
        );
        assert!(r.text.contains(&format!("`{param}`")), "{}", r.text);
        assert!(!r.text.contains("whsec_"), "{}", r.text);
    }
    let r = server.get("/api/v1/assistants").await;
    assert_eq!(r.body["assistants"], json!([]), "{}", r.text);

    let made = server.post("/api/v1/assistants", seed_assistant()).await;
    let path = format!(
        "/api/v1/assistants/{}",
        made.body["assistant"]["id"].as_str().unwrap()
    );
    let patch = r#"{"webhook_secret":"whsec_1","webhook_secret":"whsec_2"}"#;
    let r = server
        .raw(
            reqwest::Method::PATCH,
            &path,
            key,
            Some(patch.into()),
            &json_type,
        )
        .await;
    assert_eq!(
        r.error(),
        (400, "invalid_request".into(), Some("webhook_secret".into()))
    );
    assert_eq!(server.get(&path).await.body["assistant"]["revision"], 1);

    let openai = common::provider_key("openai");
    for (body, param) in [
        (
            format!(r#"{{"provider":"openai","api_key":"{openai}","api_key":"{openai}"}}"#),
            "api_key",
        ),
        (
            format!(r#"{{"provider":"resend","provider":"openai","api_key":"{openai}"}}"#),
            "provider",
        ),
    ] {
        let r = server
            .raw(
                reqwest::Method::POST,
                "/api/v1/byok",
                key,
                Some(body.into_bytes()),
                &json_type,
            )
            .await;
        assert_eq!(
            r.error(),
            (400, "invalid_request".into(), Some(param.into()))
        );
        assert!(!r.text.contains(&openai[8..]), "{}", r.text);
    }
    let r = server.get("/api/v1/byok").await;
    assert_eq!(r.body["keys"], json!([]), "{}", r.text);
}
