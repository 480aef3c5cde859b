//! Child organizations: each one an account of its own, made by its
//! parent's key, whose key is answered once; retention by the documented
//! choices.

use reqwest::Method;
use serde_json::json;
use testkit::common::{self, TestServer, provider_key};

const ORGS: &str = "/api/v1/organizations";

#[tokio::test]
async fn a_child_key_is_its_own_account_and_is_answered_only_once() {
    let server = TestServer::start().await;
    let parent = server.get(ORGS).await;
    let parent_id = parent.body["id"].as_str().unwrap().to_owned();
    assert!(
        server
            .post(
                "/api/v1/byok",
                json!({"provider": "openai", "api_key": provider_key("openai")})
            )
            .await
            .status
            == 200
    );
    assert_eq!(
        server
            .post("/api/v1/assistants", common::seed_assistant())
            .await
            .status,
        201
    );

    let created = server
        .post(
            ORGS,
            json!({"name": "Client Co", "parent_org_id": parent_id}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    assert_eq!(created.header("cache-control"), Some("no-store"));
    assert_eq!(created.body["name"], "Client Co");
    assert_eq!(created.body["parent_org_id"], parent_id.as_str());
    assert!(created.body["created_at"].is_string());
    let child_id = created.body["id"].as_str().unwrap().to_owned();
    let child_key = created.body["api_key"].as_str().unwrap().to_owned();
    assert!(child_key.starts_with("vd_live_"), "a key as any account's");

    // The child sees its own organization and none of the parent's data.
    let own = server.call_as(&child_key, Method::GET, ORGS, None).await;
    assert_eq!(own.status, 200);
    assert_eq!(own.body["id"], child_id.as_str());
    assert_eq!(own.body["parent_org_id"], parent_id.as_str());
    assert_eq!(own.body["active_agents"], 0);
    let byok = server
        .call_as(&child_key, Method::GET, "/api/v1/byok", None)
        .await;
    assert_eq!(
        byok.body["byok_keys"]["openai_secret_id"],
        serde_json::Value::Null
    );
    let assistants = server
        .call_as(&child_key, Method::GET, "/api/v1/assistants", None)
        .await;
    assert_eq!(assistants.body["assistants"], json!([]));
    // Nor does the parent's key act on the child: its data stays its own.
    assert_eq!(
        server.get("/api/v1/assistants").await.body["assistants"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // The parent lists the child by id and name; no later answer, to either
    // key, carries the child's key again.
    let listed = server.get(&format!("{ORGS}?include_children=true")).await;
    assert_eq!(listed.status, 200);
    assert_eq!(
        listed.body["children"],
        json!([{"id": child_id, "name": "Client Co", "created_at": created.body["created_at"]}])
    );
    let later = [
        listed,
        server.get(ORGS).await,
        server.get("/api/v1/account").await,
        own,
        server
            .call_as(
                &child_key,
                Method::GET,
                &format!("{ORGS}?include_children=true"),
                None,
            )
            .await,
        server
            .patch(ORGS, json!({"content_retention_days": 30}))
            .await,
    ];
    for r in &later {
        assert!(
            !r.text.contains(&child_key),
            "the key came back: {}",
            r.text
        );
    }
    assert!(
        server.get(ORGS).await.body.get("children").is_none(),
        "only when asked"
    );
    // Stored as a hash, as every account key is.
    let db = std::fs::read(server.data_dir().join("voicedock.db")).unwrap();
    assert!(
        !db.windows(child_key.len())
            .any(|w| w == child_key.as_bytes())
    );
}

#[tokio::test]
async fn a_parent_other_than_the_caller_is_refused_and_nothing_is_made() {
    let server = TestServer::start().await;
    let other_key = server.new_account("Other Agency");
    let other_id = server
        .call_as(&other_key, Method::GET, ORGS, None)
        .await
        .body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // Another account's organization and none at all are told alike.
    for parent in [other_id.as_str(), "no-such-organization"] {
        let r = server
            .post(ORGS, json!({"name": "Sneaky", "parent_org_id": parent}))
            .await;
        assert_eq!(
            r.error(),
            (
                404,
                "not_found".to_owned(),
                Some("parent_org_id".to_owned())
            ),
            "{}",
            r.text
        );
    }
    for (body, param) in [
        (json!({"name": "  "}), "name"),
        (json!({"name": "Two\nlines"}), "name"),
        (json!({"name": "A", "plan": "gold"}), "plan"),
        (json!({}), "name"),
    ] {
        let r = server.post(ORGS, body.clone()).await;
        assert_eq!(r.status, 400, "{body}: {}", r.text);
        assert_eq!(r.error().2.as_deref(), Some(param), "{body}: {}", r.text);
    }
    let listed = server.get(&format!("{ORGS}?include_children=true")).await;
    assert_eq!(listed.body["children"], json!([]));
    let other = server
        .call_as(
            &other_key,
            Method::GET,
            &format!("{ORGS}?include_children=true"),
            None,
        )
        .await;
    assert_eq!(other.body["children"], json!([]));
    let bad = server.get(&format!("{ORGS}?include_children=yes")).await;
    assert_eq!(bad.error().2.as_deref(), Some("include_children"));
}

#[tokio::test]
async fn retention_takes_the_documented_choices_and_refuses_others_by_field() {
    let server = TestServer::start().await;
    let set = server
        .patch(
            ORGS,
            json!({"content_retention_days": 90, "metadata_retention_days": 730}),
        )
        .await;
    assert_eq!(set.status, 200, "{}", set.text);
    assert_eq!(set.body["content_retention_days"], 90);
    assert_eq!(set.body["metadata_retention_days"], 730);

    let refused = [
        (
            json!({"content_retention_days": 60}),
            400,
            "content_retention_days",
        ),
        (
            json!({"content_retention_days": 730}),
            400,
            "content_retention_days",
        ),
        (
            json!({"metadata_retention_days": 1}),
            400,
            "metadata_retention_days",
        ),
        (
            json!({"content_retention_days": "90"}),
            400,
            "content_retention_days",
        ),
        // Left out keeps a retention; null is not a second way to say so.
        (
            json!({"metadata_retention_days": 365, "content_retention_days": null}),
            400,
            "content_retention_days",
        ),
        (
            json!({"content_retention_days": 365, "metadata_retention_days": 180}),
            400,
            "content_retention_days",
        ),
        // Valid alone, but content would outlive the stored metadata.
        (
            json!({"metadata_retention_days": 30}),
            409,
            "metadata_retention_days",
        ),
        (json!({"retention_days": 30}), 400, "retention_days"),
    ];
    for (body, status, param) in refused {
        let r = server.patch(ORGS, body.clone()).await;
        assert_eq!(r.status, status, "{body}: {}", r.text);
        assert_eq!(r.error().2.as_deref(), Some(param), "{body}: {}", r.text);
    }
    assert_eq!(server.patch(ORGS, json!({})).await.status, 400);
    // Nothing refused was kept.
    let now = server.get(ORGS).await;
    assert_eq!(now.body["content_retention_days"], 90);
    assert_eq!(now.body["metadata_retention_days"], 730);
    let shorter = server
        .patch(ORGS, json!({"metadata_retention_days": 90}))
        .await;
    assert_eq!(shorter.status, 200, "{}", shorter.text);
}
