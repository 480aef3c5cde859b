//! Assistants: create, read with ETag, partial updates, If-Match, delete,
//! and paging that neither repeats nor skips.

use testkit::common;

use std::collections::HashSet;

use common::{TestServer, seed_assistant};
use reqwest::Method;
use serde_json::json;

const JSON: (&str, &str) = ("Content-Type", "application/json");

async fn create(server: &TestServer, body: serde_json::Value) -> String {
    let r = server.post("/api/v1/assistants", body).await;
    assert_eq!(r.status, 201, "{}", r.text);
    r.body["assistant"]["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn read_update_delete_round_trip() {
    let server = TestServer::start().await;
    let id = create(&server, seed_assistant()).await;
    let path = format!("/api/v1/assistants/{id}");

    let r = server.get(&path).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("etag"), Some("\"1\""));
    let original = r.body["assistant"].clone();
    assert_eq!(original["name"], "My Assistant");

    // Only the name changes.
    let r = server.patch(&path, json!({"name": "Renamed"})).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let a = &r.body["assistant"];
    assert_eq!(a["name"], "Renamed");
    assert_eq!(a["revision"], 2);
    assert_eq!(r.header("etag"), Some("\"2\""));
    for field in [
        "stt_config",
        "llm_config",
        "tts_config",
        "first_message",
        "created_at",
        "id",
    ] {
        assert_eq!(a[field], original[field], "{field} unchanged");
    }

    // A config given replaces that config whole.
    let r = server
        .patch(
            &path,
            json!({"llm_config": {"provider": "openai", "model": "gpt-4o-mini"}}),
        )
        .await;
    assert_eq!(
        r.body["assistant"]["llm_config"],
        json!({"provider": "openai", "model": "gpt-4o-mini"})
    );
    assert_eq!(r.body["assistant"]["stt_config"], original["stt_config"]);

    // null clears a config and the first message.
    server
        .patch(&path, json!({"first_message": "Hello, how can I help?"}))
        .await;
    let r = server
        .patch(&path, json!({"stt_config": null, "first_message": null}))
        .await;
    assert!(r.body["assistant"]["stt_config"].is_null());
    assert!(r.body["assistant"]["first_message"].is_null());
    assert_eq!(r.body["assistant"]["revision"], 5);

    // Persisted, not just echoed.
    let r = server.get(&path).await;
    assert_eq!(r.body["assistant"]["name"], "Renamed");
    assert!(r.body["assistant"]["stt_config"].is_null());
    assert_eq!(r.header("etag"), Some("\"5\""));

    let r = server.delete(&path, None).await;
    assert_eq!((r.status, r.text.as_str()), (204, ""));
    assert_eq!(server.get(&path).await.error().1, "not_found");
    assert_eq!(server.delete(&path, None).await.error().0, 404);
    assert_eq!(
        server.patch(&path, json!({"name": "x"})).await.error().0,
        404
    );
}

#[tokio::test]
async fn a_stale_if_match_gets_412_and_changes_nothing() {
    let server = TestServer::start().await;
    let id = create(&server, seed_assistant()).await;
    let path = format!("/api/v1/assistants/{id}");
    let key = Some(server.api_key.as_str());
    let patch = |name: &str| serde_json::to_vec(&json!({"name": name})).unwrap();

    let r = server
        .raw(
            Method::PATCH,
            &path,
            key,
            Some(patch("First")),
            &[JSON, ("If-Match", "\"1\"")],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["assistant"]["revision"], 2);

    // A second writer still holding revision 1 loses.
    let r = server
        .raw(
            Method::PATCH,
            &path,
            key,
            Some(patch("Second")),
            &[JSON, ("If-Match", "\"1\"")],
        )
        .await;
    assert_eq!(r.error(), (412, "precondition_failed".into(), None));
    let r = server.get(&path).await;
    assert_eq!(
        (r.body["assistant"]["name"].as_str(), r.header("etag")),
        (Some("First"), Some("\"2\""))
    );

    let r = server
        .raw(
            Method::PATCH,
            &path,
            key,
            Some(patch("Third")),
            &[JSON, ("If-Match", "\"2\"")],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = server
        .raw(
            Method::PATCH,
            &path,
            key,
            Some(patch("Fourth")),
            &[JSON, ("If-Match", "*")],
        )
        .await;
    assert_eq!(r.body["assistant"]["revision"], 4);
}

#[tokio::test]
async fn malformed_ids_are_not_found() {
    let server = TestServer::start().await;
    for id in ["not-a-uuid", "1", "00000000-0000-0000-0000-000000000000"] {
        let r = server.get(&format!("/api/v1/assistants/{id}")).await;
        assert_eq!(r.error(), (404, "not_found".into(), None), "{id}");
    }
}

#[tokio::test]
async fn paging_walks_every_assistant_once_in_creation_order() {
    let server = TestServer::start().await;
    let mut created = Vec::new();
    for i in 0..250 {
        created.push(create(&server, json!({"name": format!("Assistant {i:03}")})).await);
    }

    let r = server.get("/api/v1/assistants").await;
    let all: Vec<String> = r.body["assistants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(all, created, "the full list is oldest first");

    // An odd page size, so the last page is partial.
    let mut walked = Vec::new();
    let mut offset = 0;
    loop {
        let r = server
            .get(&format!("/api/v1/assistants?limit=7&offset={offset}"))
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
        assert_eq!(
            r.body["pagination"],
            json!({"total": 250, "limit": 7, "offset": offset})
        );
        let page = r.body["assistants"].as_array().unwrap();
        if page.is_empty() {
            break;
        }
        assert!(page.len() <= 7);
        walked.extend(page.iter().map(|a| a["id"].as_str().unwrap().to_owned()));
        offset += page.len();
    }
    assert_eq!(walked.len(), 250);
    assert_eq!(
        walked.iter().collect::<HashSet<_>>().len(),
        250,
        "no duplicates"
    );
    assert_eq!(walked, created, "no gaps, in order");

    let r = server.get("/api/v1/assistants?limit=500").await;
    assert_eq!(r.body["assistants"].as_array().unwrap().len(), 250);
    assert_eq!(r.body["pagination"]["offset"], 0);
    let r = server.get("/api/v1/account").await;
    assert_eq!(r.body["active_agents"], 250);
}

#[tokio::test]
async fn a_name_is_stored_without_surrounding_whitespace() {
    let server = TestServer::start().await;
    let r = server
        .post("/api/v1/assistants", json!({"name": "  Front desk \n"}))
        .await;
    assert_eq!(r.body["assistant"]["name"], "Front desk", "{}", r.text);
    let path = format!(
        "/api/v1/assistants/{}",
        r.body["assistant"]["id"].as_str().unwrap()
    );
    let r = server.patch(&path, json!({"name": "\tBack office "})).await;
    assert_eq!(r.body["assistant"]["name"], "Back office", "{}", r.text);
    assert_eq!(
        server.get(&path).await.body["assistant"]["name"],
        "Back office"
    );
}

#[tokio::test]
async fn an_update_that_changes_nothing_is_not_a_revision() {
    let server = TestServer::start().await;
    let id = create(&server, seed_assistant()).await;
    let path = format!("/api/v1/assistants/{id}");
    let before = server.get(&path).await.body["assistant"].clone();
    for body in [
        json!({}),
        json!({"name": "My Assistant"}),
        json!({"name": " My Assistant ", "tts_config": seed_assistant()["tts_config"]}),
    ] {
        let r = server.patch(&path, body.clone()).await;
        assert_eq!(r.status, 200, "{body}: {}", r.text);
        assert_eq!(r.body["assistant"], before, "{body}");
        assert_eq!(r.header("etag"), Some("\"1\""), "{body}");
    }
    assert_eq!(server.get(&path).await.body["assistant"], before);
    let r = server.patch(&path, json!({"name": "Changed"})).await;
    assert_eq!(r.body["assistant"]["revision"], 2);
}

#[tokio::test]
async fn if_match_must_be_well_formed_and_a_412_carries_the_current_etag() {
    let server = TestServer::start().await;
    let id = create(&server, seed_assistant()).await;
    let path = format!("/api/v1/assistants/{id}");
    let key = Some(server.api_key.as_str());
    let body = |name: &str| Some(serde_json::to_vec(&json!({"name": name})).unwrap());
    for bad in [
        "1\"",
        "\"1",
        "1",
        "W/1",
        "",
        "\"1\" \"2\"",
        "'1'",
        "*, \"1\"",
    ] {
        let r = server
            .raw(
                Method::PATCH,
                &path,
                key,
                body("New"),
                &[JSON, ("If-Match", bad)],
            )
            .await;
        assert_eq!(r.error(), (400, "invalid_request".into(), None), "{bad:?}");
    }
    assert_eq!(
        server.patch(&path, json!({"name": "Second"})).await.status,
        200
    );
    // The comparison is strong: a weak tag never matches, the current one
    // included.
    for stale in [
        "\"1\"",
        "W/\"1\"",
        "\"0\", W/\"1\"",
        "W/\"2\"",
        "\"1\", W/\"2\"",
    ] {
        let r = server
            .raw(
                Method::PATCH,
                &path,
                key,
                body("Third"),
                &[JSON, ("If-Match", stale)],
            )
            .await;
        assert_eq!(
            r.error(),
            (412, "precondition_failed".into(), None),
            "{stale:?}"
        );
        assert_eq!(r.header("etag"), Some("\"2\""), "{stale:?}");
    }
    let r = server
        .raw(
            Method::PATCH,
            &path,
            key,
            body("Third"),
            &[JSON, ("If-Match", "W/\"1\", \"2\"")],
        )
        .await;
    assert_eq!(r.body["assistant"]["revision"], 3, "{}", r.text);
}

#[tokio::test]
async fn delete_honours_if_match_as_patch_does() {
    let server = TestServer::start().await;
    let id = create(&server, seed_assistant()).await;
    let path = format!("/api/v1/assistants/{id}");
    let key = Some(server.api_key.as_str());
    let (server, path) = (&server, &path);
    let delete = |if_match: &'static str| async move {
        let headers = [("If-Match", if_match)];
        server.raw(Method::DELETE, path, key, None, &headers).await
    };
    for bad in ["1", "\"1", "W/1", "", "*, \"1\""] {
        let r = delete(bad).await;
        assert_eq!(r.error(), (400, "invalid_request".into(), None), "{bad:?}");
    }
    for stale in ["\"999\"", "W/\"1\"", "\"0\", W/\"1\""] {
        let r = delete(stale).await;
        assert_eq!(
            r.error(),
            (412, "precondition_failed".into(), None),
            "{stale:?}"
        );
        assert_eq!(r.header("etag"), Some("\"1\""), "{stale:?}");
    }
    assert_eq!(
        server.get(path).await.status,
        200,
        "a refused delete deleted"
    );
    assert_eq!(
        server.patch(path, json!({"name": "Second"})).await.status,
        200
    );
    let r = delete("\"1\"").await;
    assert_eq!(r.error(), (412, "precondition_failed".into(), None));
    assert_eq!(r.header("etag"), Some("\"2\""));
    let r = delete("W/\"1\", \"2\"").await;
    assert_eq!((r.status, r.text.as_str()), (204, ""));
    assert_eq!(server.get(path).await.error().0, 404);
    assert_eq!(delete("*").await.error().0, 404);
}

/// A PATCH and a DELETE based on the same revision, sent at once: the
/// revision check and the write are one step each, so one of them loses.
#[tokio::test]
async fn a_delete_and_an_update_of_the_same_revision_never_both_succeed() {
    let server = TestServer::start().await;
    let key = Some(server.api_key.as_str());
    for round in 0..20 {
        let id = create(&server, seed_assistant()).await;
        let path = format!("/api/v1/assistants/{id}");
        let patch = Some(serde_json::to_vec(&json!({"name": "Renamed"})).unwrap());
        let patch_headers = [("If-Match", "\"1\""), ("Content-Type", "application/json")];
        let delete_headers = [("If-Match", "\"1\"")];
        let (updated, deleted) = tokio::join!(
            server.raw(Method::PATCH, &path, key, patch, &patch_headers),
            server.raw(Method::DELETE, &path, key, None, &delete_headers),
        );
        let outcomes = (updated.status, deleted.status);
        assert!(
            matches!(outcomes, (200, 412) | (404, 204) | (412, 204)),
            "round {round}: {outcomes:?}: {} / {}",
            updated.text,
            deleted.text
        );
    }
}
