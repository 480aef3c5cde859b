//! The client against the hosted service's shapes, served by a canned HTTP/1.1
//! server on loopback: what it parses, how it maps errors, and what it sends.

use testkit::client_support;

use std::time::Duration;

use client_support::*;
use secrecy::SecretString;
use serde_json::{Value, json};
use voicedock::client::{ApiError, ServerMessage};
use voicedock::domain::{Account, AssistantDraft, Catalog, CatalogSource, Category};

#[tokio::test]
async fn flat_unauthorized_error_is_mapped_and_the_key_was_sent_as_bearer() {
    let (base, log) = serve(vec![(
        "GET",
        "/api/v1/byok",
        reply(
            401,
            r#"{"error":"Unauthorized","message":"Invalid or missing API key"}"#,
        ),
    )])
    .await;
    let err = client(&base).byok().await.unwrap_err();
    assert_eq!(
        err,
        ApiError::Unauthorized("Invalid or missing API key".into())
    );
    assert!(!err.to_string().contains(KEY));
    let req = &seen(&log)[0];
    assert_eq!(req.headers["authorization"], format!("Bearer {KEY}"));
    assert_eq!(
        req.headers["user-agent"],
        format!("voicedock/{}", env!("CARGO_PKG_VERSION"))
    );
    assert!(
        !req.headers.contains_key("content-type"),
        "no body, no type"
    );
}

#[tokio::test]
async fn byok_keys_with_an_extra_provider_are_kept_in_order() {
    let body = r#"{"byok_keys":{"deepgram_secret_id":"vault-id-1","openai_secret_id":"vault-id-2",
        "elevenlabs_secret_id":null,"resend_secret_id":null,"xai_secret_id":"vault-id-9"},
        "plan":"pro"}"#;
    let (base, _) = serve(vec![("GET", "/api/v1/byok", reply(200, body))]).await;
    let state = client(&base).byok().await.unwrap();
    assert_eq!(
        state.byok_keys.providers().collect::<Vec<_>>(),
        ["deepgram", "openai", "elevenlabs", "resend", "xai"]
    );
    assert_eq!(state.byok_keys.secret_id("xai"), Some("vault-id-9"));
    assert!(!state.byok_keys.is_configured("resend"));
    assert!(state.keys.is_empty(), "the hosted service sends no `keys`");
}

#[tokio::test]
async fn assistants_with_unknown_top_level_and_nested_fields_parse() {
    let body = r#"{"assistants":[{"id":"a1","name":"Front desk","voicemail":{"enabled":true},
        "stt_config":{"provider":"deepgram","model":"nova-3-general","language":"nl","endpointing":300},
        "llm_config":{"provider":"openai","model":"gpt-4o","tools":[{"type":"transfer"}],
                      "messages":[{"role":"system","content":"Be brief.","name":"x"}]},
        "tts_config":{"provider":"elevenlabs","voice_id":"v1","optimize_latency":3},
        "phone_numbers":["+31"]}],"total":1}"#;
    let (base, log) = serve(vec![("GET", "/api/v1/assistants", reply(200, body))]).await;
    let list = client(&base).list_assistants().await.unwrap();
    assert_eq!(list.len(), 1);
    let a = &list[0];
    assert_eq!((a.id.as_str(), a.name.as_str()), ("a1", "Front desk"));
    assert_eq!(
        a.stt_config.as_ref().unwrap().language.as_deref(),
        Some("nl")
    );
    let llm = a.llm_config.as_ref().unwrap();
    assert_eq!(llm.messages.as_ref().unwrap()[0].content, "Be brief.");
    assert_eq!(a.revision, None);
    // Asked once whether it is our server (it has no catalog), then for the
    // list without our paging query.
    let paths: Vec<String> = seen(&log).into_iter().map(|r| r.path).collect();
    assert_eq!(paths, ["/api/v1/catalog", "/api/v1/assistants"]);
}

#[tokio::test]
async fn delete_accepts_200_success_and_204() {
    let (base, log) = serve(vec![
        (
            "DELETE",
            "/api/v1/assistants/a1",
            reply(200, r#"{"success": true}"#),
        ),
        ("DELETE", "/api/v1/assistants/a2", reply(204, "")),
        (
            "DELETE",
            "/api/v1/assistants/a3",
            reply(200, r#"{"success": false}"#),
        ),
    ])
    .await;
    let c = client(&base);
    c.delete_assistant("a1").await.unwrap();
    c.delete_assistant("a2").await.unwrap();
    assert!(matches!(
        c.delete_assistant("a3").await,
        Err(ApiError::Http { status: 200, .. })
    ));
    assert!(seen(&log).iter().all(|r| r.method == "DELETE"));
}

#[tokio::test]
async fn byok_config_without_extension_fields_parses() {
    let body = r#"{"providers":[
        {"id":"deepgram","name":"Deepgram","category":"stt","docsUrl":"https://developers.deepgram.com/",
         "models":[{"id":"nova-3-general","name":"Nova 3 General","default":true}]},
        {"id":"xai","name":"xAI","category":"llm","models":[{"id":"grok-3","name":"Grok 3","default":true}]},
        {"id":"cartesia","name":"Cartesia","category":"voice","models":[]}]}"#;
    let (base, _) = serve(vec![("GET", "/api/v1/byok/config", reply(200, body))]).await;
    let config = client(&base).byok_config().await.unwrap();
    let dg = &config.providers[0];
    assert_eq!(dg.configured, None);
    assert_eq!(dg.models[0].languages, None);
    assert!(dg.models[0].default);
    assert_eq!(config.providers[1].category, Category::Llm);
    assert_eq!(config.providers[2].category, Category::Other);
}

#[tokio::test]
async fn rate_limit_carries_retry_after() {
    let mut limited = reply(
        429,
        r#"{"error":{"code":"rate_limit_exceeded","message":"Too many requests","param":null,"type":"rate_limit_error"}}"#,
    );
    limited.headers.push(("Retry-After", "30".into()));
    let (base, _) = serve(vec![("GET", "/api/v1/account", limited)]).await;
    let err = client(&base).account().await.unwrap_err();
    assert_eq!(
        err,
        ApiError::RateLimited {
            message: "Too many requests".into(),
            retry_after: Some(Duration::from_secs(30)),
        }
    );
    assert!(err.to_string().contains("retry in 30 s"), "{err}");
}

#[tokio::test]
async fn server_error_with_an_html_body_uses_the_status_reason() {
    let (base, _) = serve(vec![(
        "GET",
        "/api/v1/account",
        reply(
            500,
            "<html><body><h1>500 Internal Server Error</h1></body></html>",
        ),
    )])
    .await;
    assert_eq!(
        client(&base).account().await.unwrap_err(),
        ApiError::Server {
            status: 500,
            message: "Internal Server Error".into()
        }
    );
}

#[tokio::test]
async fn a_malformed_2xx_body_is_malformed() {
    let (base, _) = serve(vec![
        (
            "GET",
            "/api/v1/account",
            reply(200, r#"{"id": "acc_1", "company_name": "#),
        ),
        ("GET", "/api/v1/byok", reply(200, r#"{"byok_keys": []}"#)),
        ("GET", "/api/v1/health", reply(200, "ok")),
    ])
    .await;
    let c = client(&base);
    assert!(matches!(c.account().await, Err(ApiError::Malformed(_))));
    let err = c.byok().await.unwrap_err();
    assert!(
        matches!(&err, ApiError::Malformed(m) if m.contains("byok_keys")),
        "{err:?}"
    );
    assert!(matches!(c.health().await, Err(ApiError::Malformed(_))));
}

#[tokio::test]
async fn a_base_url_with_the_api_suffix_is_not_doubled() {
    let (base, log) = serve(vec![(
        "GET",
        "/api/v1/organizations",
        reply(
            200,
            r#"{"id":"acc_1","company_name":"Acme","active_agents":2,"balance_cents":1200}"#,
        ),
    )])
    .await;
    for given in [
        format!("{base}/api/v1"),
        format!("{base}/api/v1/"),
        format!("{base}/"),
    ] {
        let c = client(&given);
        assert_eq!(c.base_url(), base);
        let account = c.account().await.unwrap();
        assert_eq!(account.company_name.as_deref(), Some("Acme"));
    }
    assert!(seen(&log).iter().all(|r| r.path == "/api/v1/organizations"));
}

#[tokio::test]
async fn an_update_sends_only_the_changes_and_the_etag() {
    let assistant = json!({"assistant": {
        "id": "a1", "name": "Old", "first_message": "Hi",
        "llm_config": {"provider": "openai", "model": "gpt-4o", "temperature": 0.7, "tools": ["x"]},
        "hosted_only": {"keep": true}, "revision": 3}});
    let mut get = reply(200, &assistant.to_string());
    get.headers.push(("ETag", "\"3\"".into()));
    let mut updated = assistant.clone();
    updated["assistant"]["name"] = json!("New");
    updated["assistant"]["revision"] = json!(4);
    let (base, log) = serve(vec![
        ("GET", "/api/v1/assistants/a1", get),
        (
            "PATCH",
            "/api/v1/assistants/a1",
            reply(200, &updated.to_string()),
        ),
    ])
    .await;
    let c = client(&base);
    let (current, etag) = c.get_assistant("a1").await.unwrap();
    assert_eq!(etag.as_deref(), Some("\"3\""));
    let mut edited = AssistantDraft::from_assistant(&current);
    edited.name = Some("New".into());
    let changes = AssistantDraft::changes(&current, &edited);
    let after = c
        .update_assistant("a1", &changes, etag.as_deref())
        .await
        .unwrap();
    assert_eq!((after.name.as_str(), after.revision), ("New", Some(4)));

    let patch = seen(&log)
        .into_iter()
        .find(|r| r.method == "PATCH")
        .unwrap();
    assert_eq!(patch.path, "/api/v1/assistants/a1");
    assert_eq!(patch.headers["if-match"], "\"3\"");
    assert_eq!(patch.headers["content-type"], "application/json");
    assert_eq!(patch.headers["authorization"], format!("Bearer {KEY}"));
    let sent: Value = serde_json::from_str(&patch.body).unwrap();
    assert_eq!(sent, json!({"name": "New"}));
}

#[tokio::test]
async fn a_bare_success_on_byok_writes_is_followed_by_a_read() {
    let state = r#"{"byok_keys":{"openai_secret_id":null,"xai_secret_id":"v9"}}"#;
    let (base, log) = serve(vec![
        ("DELETE", "/api/v1/byok", reply(200, r#"{"success": true}"#)),
        ("GET", "/api/v1/byok", reply(200, state)),
    ])
    .await;
    let after = client(&base).delete_key("openai").await.unwrap();
    assert!(!after.byok_keys.is_configured("openai"));
    let requests = seen(&log);
    assert_eq!(requests[0].method, "DELETE");
    assert_eq!(
        serde_json::from_str::<Value>(&requests[0].body).unwrap(),
        json!({"provider": "openai"})
    );
    assert_eq!(requests[0].headers["content-type"], "application/json");
    assert_eq!(
        (requests[1].method.as_str(), requests[1].path.as_str()),
        ("GET", "/api/v1/byok")
    );
}

#[tokio::test]
async fn raw_keeps_unknown_fields_and_the_servers_order() {
    let body = r#"{"zeta":1,"byok_keys":{"openai_secret_id":"v2","deepgram_secret_id":null},"alpha":{"nested":true}}"#;
    let (base, log) = serve(vec![
        ("GET", "/api/v1/byok", reply(200, body)),
        ("DELETE", "/api/v1/assistants/a1", reply(204, "")),
    ])
    .await;
    let c = client(&base);
    let value = c.raw(reqwest::Method::GET, "/byok", None).await.unwrap();
    assert_eq!(serde_json::to_string(&value).unwrap(), body);
    let gone = c
        .raw(reqwest::Method::DELETE, "/api/v1/assistants/a1", None)
        .await
        .unwrap();
    assert_eq!(gone, Value::Null);
    assert_eq!(seen(&log)[1].path, "/api/v1/assistants/a1");
}

#[tokio::test]
async fn unknown_config_fields_are_sent_back_with_an_edited_config() {
    let assistant = json!({"assistant": {
        "id": "a1", "name": "Desk",
        "llm_config": {"provider": "openai", "model": "gpt-4o", "temperature": 0.7,
                       "tools": [{"type": "transfer", "number": "+31"}],
                       "messages": [{"role": "system", "content": "Be brief.", "name": "greeter"}]}}});
    let (base, log) = serve(vec![
        (
            "GET",
            "/api/v1/assistants/a1",
            reply(200, &assistant.to_string()),
        ),
        (
            "PATCH",
            "/api/v1/assistants/a1",
            reply(200, &assistant.to_string()),
        ),
    ])
    .await;
    let c = client(&base);
    let (current, _) = c.get_assistant("a1").await.unwrap();
    let mut edited = AssistantDraft::from_assistant(&current);
    let mut llm = current.llm_config.clone().unwrap();
    llm.temperature = Some(0.2);
    edited.llm_config = Some(Some(llm));
    let changes = AssistantDraft::changes(&current, &edited);
    c.update_assistant("a1", &changes, None).await.unwrap();

    let patch = seen(&log)
        .into_iter()
        .find(|r| r.method == "PATCH")
        .unwrap();
    let sent: Value = serde_json::from_str(&patch.body).unwrap();
    let mut expected = assistant["assistant"]["llm_config"].clone();
    expected["temperature"] = json!(0.2);
    assert_eq!(sent, json!({"llm_config": expected}));
}

/// The flat error shape of the hosted service, with `details`.
fn flat(label: &str, message: &str, details: &[&str]) -> String {
    json!({"error": label, "message": message, "details": details}).to_string()
}

#[tokio::test]
async fn flat_400_and_422_errors_keep_their_details() {
    let (base, _) = serve(vec![
        (
            "POST",
            "/api/v1/assistants",
            reply(
                400,
                &flat(
                    "Bad Request",
                    "Validation failed",
                    &["name is required", "llm_config.model is unknown"],
                ),
            ),
        ),
        (
            "PATCH",
            "/api/v1/assistants/a1",
            reply(
                422,
                &flat(
                    "Unprocessable Entity",
                    "Cannot apply",
                    &["voice is not in the list"],
                ),
            ),
        ),
    ])
    .await;
    let c = client(&base);
    let err = c
        .create_assistant(&AssistantDraft::default())
        .await
        .unwrap_err();
    assert_eq!(
        err,
        ApiError::Validation {
            code: "invalid_request".into(),
            message: ServerMessage::new(
                "Validation failed",
                vec![
                    "name is required".into(),
                    "llm_config.model is unknown".into()
                ]
            ),
            param: None,
        }
    );
    assert_eq!(
        err.to_string(),
        "invalid request: Validation failed: name is required; llm_config.model is unknown"
    );
    let draft = AssistantDraft {
        name: Some("A".into()),
        ..AssistantDraft::default()
    };
    let err = c.update_assistant("a1", &draft, None).await.unwrap_err();
    assert_eq!(
        err,
        ApiError::Unprocessable {
            message: ServerMessage::new("Cannot apply", vec!["voice is not in the list".into()]),
            param: None,
        }
    );
    assert_eq!(
        err.to_string(),
        "the server cannot process the request: change it as it says and send it again \
         (Cannot apply: voice is not in the list)"
    );
}

#[tokio::test]
async fn each_hosted_status_has_its_own_kind_and_sentence() {
    type Kind = fn(&ApiError) -> bool;
    let cases: [(u16, Kind, &str); 6] = [
        (
            402,
            |e| matches!(e, ApiError::InsufficientCredits(_)),
            "the account has run out of credits: top up its balance with the service, then try again (M: d1; d2)",
        ),
        (
            403,
            |e| matches!(e, ApiError::Forbidden(_)),
            "this API key is not allowed to do that: use a key of the organization that owns it, or ask its administrator for access (M: d1; d2)",
        ),
        (
            409,
            |e| matches!(e, ApiError::Conflict(_)),
            "that conflicts with the current state, for example because it is still in use: release or detach it first, then try again (M: d1; d2)",
        ),
        (
            502,
            |e| matches!(e, ApiError::Upstream { status: 502, .. }),
            "the service's gateway got no valid answer from it (HTTP 502): try again in a minute (M: d1; d2)",
        ),
        (
            503,
            |e| matches!(e, ApiError::Upstream { status: 503, .. }),
            "the service is temporarily unavailable (HTTP 503): try again in a minute (M: d1; d2)",
        ),
        (
            504,
            |e| matches!(e, ApiError::Upstream { status: 504, .. }),
            "the service took too long behind its gateway (HTTP 504): a change may still have been made, so reload before trying again (M: d1; d2)",
        ),
    ];
    for (status, kind, sentence) in cases {
        let body = flat("Label", "M", &["d1", "d2"]);
        let (base, _) = serve(vec![("GET", "/api/v1/byok", reply(status, &body))]).await;
        let err = client(&base).byok().await.unwrap_err();
        assert!(kind(&err), "{status}: {err:?}");
        assert_eq!(err.to_string(), sentence, "{status}");
    }
    // Without a body the status's reason stands in for the server's word.
    let (base, _) = serve(vec![("GET", "/api/v1/byok", reply(402, ""))]).await;
    let err = client(&base).byok().await.unwrap_err();
    assert_eq!(
        err,
        ApiError::InsufficientCredits("Payment Required".into())
    );
}

#[tokio::test]
async fn a_retry_after_in_the_body_counts_when_there_is_no_header() {
    let mut both = reply(429, r#"{"error":"Too Many Requests","retry_after":12}"#);
    both.headers.push(("Retry-After", "30".into()));
    let (base, _) = serve(vec![
        (
            "GET",
            "/api/v1/byok",
            reply(
                429,
                r#"{"error":"Too Many Requests","message":"Slow down","retry_after":12}"#,
            ),
        ),
        ("GET", "/api/v1/assistants", both),
        (
            "GET",
            "/api/v1/byok/config",
            reply(503, r#"{"error":"Service Unavailable","retry_after":40}"#),
        ),
    ])
    .await;
    let c = client(&base);
    let err = c.byok().await.unwrap_err();
    assert_eq!(
        err,
        ApiError::RateLimited {
            message: "Slow down".into(),
            retry_after: Some(Duration::from_secs(12)),
        }
    );
    assert_eq!(
        err.to_string(),
        "rate limit exceeded: Slow down; retry in 12 s"
    );
    assert!(matches!(
        c.list_assistants().await,
        Err(ApiError::RateLimited { retry_after: Some(wait), .. }) if wait == Duration::from_secs(30)
    ));
    let err = c.byok_config().await.unwrap_err();
    assert!(err.to_string().contains("try again in 40 s"), "{err}");
}

#[tokio::test]
async fn an_echoed_key_never_reaches_the_new_errors() {
    let provider_key = "sk-0123456789abcdefghij";
    for status in [400, 402, 403, 409, 422, 429, 502, 503, 504] {
        let body = json!({
            "error": format!("bad {KEY}"),
            "message": format!("account key {KEY} and provider key {provider_key}"),
            "details": [format!("echo {KEY}"), format!("echo {provider_key}")],
            "param": KEY,
        });
        let nested =
            json!({"error": {"code": KEY, "message": KEY, "param": KEY, "details": [KEY]}});
        for body in [body, nested] {
            let (base, _) = serve(vec![(
                "POST",
                "/api/v1/byok",
                reply(status, &body.to_string()),
            )])
            .await;
            let err = client(&base)
                .set_key("openai", &SecretString::from(provider_key))
                .await
                .unwrap_err();
            let text = format!("{err} {err:?}");
            assert!(
                !text.contains(KEY) && !text.contains(provider_key),
                "{status}: {text}"
            );
            assert!(text.contains("[redacted]"), "{status}: {text}");
        }
    }
}

#[tokio::test]
async fn an_empty_byok_keys_after_a_write_is_read_again() {
    let listed = r#"{"byok_keys":{"openai_secret_id":"vault-7","deepgram_secret_id":null}}"#;
    let (base, log) = serve(vec![
        (
            "POST",
            "/api/v1/byok",
            reply(200, r#"{"success":true,"byok_keys":{}}"#),
        ),
        (
            "DELETE",
            "/api/v1/byok",
            reply(200, r#"{"success":true,"byok_keys":{}}"#),
        ),
        ("GET", "/api/v1/byok", reply(200, listed)),
    ])
    .await;
    let c = client(&base);
    let after = c
        .set_key("openai", &SecretString::from("sk-0123456789abcdefghij"))
        .await
        .unwrap();
    assert_eq!(after.byok_keys.secret_id("openai"), Some("vault-7"));
    c.delete_key("deepgram").await.unwrap();
    let calls: Vec<_> = seen(&log)
        .into_iter()
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert_eq!(
        calls,
        [
            "POST /api/v1/byok",
            "GET /api/v1/byok",
            "DELETE /api/v1/byok",
            "GET /api/v1/byok"
        ]
    );
}

#[tokio::test]
async fn the_account_comes_from_organizations_in_the_hosted_shape() {
    let org = r#"{"id":"org_1","name":"Acme BV","minutes_balance":312.5,"monthly_usage_minutes":40,
        "active_numbers":2,"active_agents":3,"active_calls":0,"parent_org_id":"org_0"}"#;
    let wrapped = r#"{"organization":{"id":"org_2","name":"Child","active_agents":1}}"#;
    let (base, log) = serve(vec![("GET", "/api/v1/organizations", reply(200, org))]).await;
    let account = client(&base).account().await.unwrap();
    assert_eq!(
        account,
        Account {
            id: "org_1".into(),
            company_name: Some("Acme BV".into()),
            active_agents: Some(3),
            minutes_balance: Some(312.5),
            parent_org_id: Some("org_0".into()),
            monthly_usage_minutes: Some(40.0),
            active_calls: Some(0),
        }
    );
    assert_eq!(seen(&log).len(), 1, "no fallback after a good answer");
    let (base, _) = serve(vec![("GET", "/api/v1/organizations", reply(200, wrapped))]).await;
    let account = client(&base).account().await.unwrap();
    assert_eq!(
        (account.id.as_str(), account.company_name.as_deref()),
        ("org_2", Some("Child"))
    );
}

#[tokio::test]
async fn the_account_falls_back_to_account_after_a_404_or_405() {
    let ours = r#"{"id":"acc_1","company_name":"Acme","active_agents":2}"#;
    for status in [404, 405] {
        let (base, log) = serve(vec![
            (
                "GET",
                "/api/v1/organizations",
                reply(status, r#"{"error":"Not here"}"#),
            ),
            ("GET", "/api/v1/account", reply(200, ours)),
        ])
        .await;
        let c = client(&base);
        let account = c.account().await.unwrap();
        assert_eq!(account.company_name.as_deref(), Some("Acme"));
        assert_eq!(account.minutes_balance, None);
        c.clone().account().await.unwrap();
        let paths: Vec<_> = seen(&log).into_iter().map(|r| r.path).collect();
        assert_eq!(
            paths,
            [
                "/api/v1/organizations",
                "/api/v1/account",
                "/api/v1/account"
            ],
            "{status}: the missing route is remembered"
        );
    }
    // Any other failure is the answer, not a reason to try elsewhere.
    let (base, log) = serve(vec![(
        "GET",
        "/api/v1/organizations",
        reply(401, r#"{"error":"Unauthorized"}"#),
    )])
    .await;
    assert!(matches!(
        client(&base).account().await,
        Err(ApiError::Unauthorized(_))
    ));
    assert_eq!(seen(&log).len(), 1);
}

#[tokio::test]
async fn a_byok_config_of_another_shape_or_method_leaves_the_built_in_catalog() {
    let builtin = Catalog::builtin();
    let settings = r#"{"openai":{"organization":"org-x"},"deepgram":{}}"#;
    for answer in [
        reply(405, r#"{"error":"Method Not Allowed"}"#),
        reply(200, settings),
    ] {
        let (base, log) = serve(vec![("GET", "/api/v1/byok/config", answer)]).await;
        let c = client(&base);
        let (cat, source) = c.catalog(&builtin).await.unwrap();
        assert_eq!(source, CatalogSource::BuiltIn);
        assert_eq!(cat, builtin);
        assert!(!c.is_reference_server().await);
        assert_eq!(seen(&log).len(), 2, "/catalog and /byok/config, no probe");
    }
}

#[tokio::test]
async fn a_missing_catalog_then_a_providers_array_is_the_byok_config_source() {
    let body = r#"{"providers":[{"id":"openai","name":"OpenAI","category":"llm",
        "models":[{"id":"gpt-5.4","name":"GPT-5.4","default":true}]}]}"#;
    let (base, log) = serve(vec![("GET", "/api/v1/byok/config", reply(200, body))]).await;
    let (_, source) = client(&base).catalog(&Catalog::builtin()).await.unwrap();
    assert_eq!(source, CatalogSource::ByokConfig);
    assert_eq!(seen(&log)[0].path, "/api/v1/catalog");
}

#[tokio::test]
async fn clearing_stt_or_llm_config_is_refused_on_a_hosted_server() {
    let assistant = r#"{"assistant":{"id":"a1","name":"Desk"}}"#;
    let (base, log) = serve(vec![
        ("PATCH", "/api/v1/assistants/a1", reply(200, assistant)),
        ("POST", "/api/v1/assistants", reply(201, assistant)),
    ])
    .await;
    let c = client(&base);
    let clear_stt = AssistantDraft {
        stt_config: Some(None),
        tts_config: Some(None),
        ..AssistantDraft::default()
    };
    let err = c
        .update_assistant("a1", &clear_stt, None)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, ApiError::Validation { param: Some(p), .. } if p == "stt_config"),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "invalid stt_config: the hosted service cannot clear stt_config (only tts_config may be \
         null there); choose a speech-to-text provider instead"
    );
    let clear_llm = AssistantDraft {
        llm_config: Some(None),
        ..AssistantDraft::default()
    };
    let err = c
        .update_assistant("a1", &clear_llm, None)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("cannot clear llm_config"), "{err}");
    assert!(!c.is_reference_server().await);

    // Only tts_config may be null: that update goes through as asked.
    let clear_tts = AssistantDraft {
        tts_config: Some(None),
        ..AssistantDraft::default()
    };
    c.update_assistant("a1", &clear_tts, None).await.unwrap();
    // On create a null config means the defaults, which leaving it out says too.
    let create = AssistantDraft {
        name: Some("Desk".into()),
        stt_config: Some(None),
        llm_config: Some(None),
        ..AssistantDraft::default()
    };
    c.create_assistant(&create).await.unwrap();

    let requests = seen(&log);
    let calls: Vec<_> = requests
        .iter()
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert_eq!(
        calls,
        [
            "GET /api/v1/catalog",
            "PATCH /api/v1/assistants/a1",
            "POST /api/v1/assistants"
        ],
        "asked once, refused without sending"
    );
    for r in &requests[1..] {
        let sent: Value = serde_json::from_str(&r.body).unwrap();
        assert!(sent.get("stt_config").is_none(), "{}", r.body);
        assert!(sent.get("llm_config").is_none(), "{}", r.body);
    }
    let sent: Value = serde_json::from_str(&requests[1].body).unwrap();
    assert_eq!(sent, json!({"tts_config": null}));
}

#[tokio::test]
async fn clearing_a_config_is_sent_to_our_reference_server() {
    let catalog = serde_json::to_string(&Catalog::builtin()).unwrap();
    let assistant = r#"{"assistant":{"id":"a1","name":"Desk","revision":2}}"#;
    let (base, log) = serve(vec![
        ("GET", "/api/v1/catalog", reply(200, &catalog)),
        ("PATCH", "/api/v1/assistants/a1", reply(200, assistant)),
    ])
    .await;
    let c = client(&base);
    assert!(c.clone().is_reference_server().await);
    let changes = AssistantDraft {
        stt_config: Some(None),
        llm_config: Some(None),
        ..AssistantDraft::default()
    };
    c.update_assistant("a1", &changes, None).await.unwrap();
    let requests = seen(&log);
    assert_eq!(requests.len(), 2, "the answer is shared by clones");
    let sent: Value = serde_json::from_str(&requests[1].body).unwrap();
    assert_eq!(sent, json!({"stt_config": null, "llm_config": null}));
}

#[tokio::test]
async fn a_child_organization_and_its_key_come_from_the_hosted_create() {
    let (base, hosted) = testkit::hosted_support::start().await;
    let hosted_client = voicedock::client::ApiClient::new(
        &base,
        SecretString::from(testkit::hosted_support::HOSTED_KEY),
    )
    .unwrap();
    let created = hosted_client
        .create_organization("Client Co")
        .await
        .unwrap();
    assert_eq!(created.name, "Client Co");
    assert_eq!(
        created.parent_org_id.as_deref(),
        Some(testkit::hosted_support::HOSTED_ORG_ID)
    );
    let key = hosted.lock().unwrap().child_keys[0].clone();
    use secrecy::ExposeSecret;
    assert_eq!(created.api_key.expose_secret(), key);
    assert!(
        !format!("{created:?}").contains(&key),
        "Debug hides the key"
    );

    let (org, children) = hosted_client.organization_tree().await.unwrap();
    assert_eq!(org.minutes_balance, Some(120.5));
    assert_eq!(children.len(), 1);
    assert_eq!(children[0].id, created.id);

    let refused = hosted_client
        .set_retention(&voicedock::domain::RetentionRequest {
            content_retention_days: Some(365),
            metadata_retention_days: Some(90),
        })
        .await
        .unwrap_err();
    assert!(
        refused.to_string().contains("content_retention_days"),
        "the platform's details are shown: {refused}"
    );
}
