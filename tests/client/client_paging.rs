//! Big accounts through the client: our server's pages are read each once
//! and in order, a server that does not page is read in its one answer, a
//! rate limit met half-way is waited out, and 50,000 assistants (more than
//! one answer of the list may carry) load.

use testkit::common;
use testkit::paging_support;

use std::process::Command;

use axum::Router;
use axum::routing::get;
use common::TestServer;
use paging_support::*;
use secrecy::SecretString;
use serde_json::Value;
use voicedock::client::{ApiClient, ApiError, PAGE_MAX};
use voicedock::domain::AssistantDraft;

fn client_of(server: &TestServer) -> ApiClient {
    ApiClient::new(&server.base_url, SecretString::from(server.api_key.clone())).unwrap()
}

#[tokio::test]
async fn every_page_of_our_server_is_read_once_and_in_order() {
    let server = TestServer::start().await;
    let seeded = 2 * PAGE_MAX as usize + 201;
    seed(server.data_dir(), seeded);
    let client = client_of(&server);
    let mut expected: Vec<String> = (0..seeded).map(seeded_id).collect();
    for name in ["Made later", "Made last"] {
        let draft = AssistantDraft {
            name: Some(name.into()),
            ..AssistantDraft::default()
        };
        expected.push(client.create_assistant(&draft).await.unwrap().id);
    }
    let total = expected.len() as u64;

    let all = client.list_assistants().await.unwrap();
    let ids: Vec<String> = all.iter().map(|a| a.id.clone()).collect();
    assert_every_id_once_in_order(&ids, &expected);
    assert_eq!(all[0].name, "Assistant 0");
    assert_eq!(all.last().unwrap().name, "Made last");

    let first = client.assistants_page(PAGE_MAX, 0).await.unwrap();
    assert_eq!(first.total, Some(total));
    assert_eq!(first.assistants.len(), PAGE_MAX as usize);
    assert_eq!(first.next_offset(), Some(u64::from(PAGE_MAX)));
    let last = client.assistants_page(PAGE_MAX, 1000).await.unwrap();
    assert_eq!((last.offset, last.total), (1000, Some(total)));
    assert_eq!(last.assistants.len(), 203);
    assert_eq!(last.assistants[0].id, expected[1000]);
    assert_eq!(last.next_offset(), None);

    let json = client.list_assistants_json().await.unwrap();
    let json_ids: Vec<String> = json["assistants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_owned())
        .collect();
    assert_every_id_once_in_order(&json_ids, &expected);
    assert_eq!(json.get("pagination"), None, "the shape of the whole list");

    let table = voicedock(&server, &["assistants", "ls"]).await;
    let listed: Vec<&str> = table
        .lines()
        .skip(1)
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(listed, expected);
    let printed: Value =
        serde_json::from_str(&voicedock(&server, &["assistants", "ls", "--json"]).await).unwrap();
    assert_eq!(printed, json);
}

/// The binary's output, run against `server` through the environment.
async fn voicedock(server: &TestServer, args: &[&str]) -> String {
    let config = tempfile::tempdir().unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_voicedock"));
    command
        .args(args)
        .env("VOICEDOCK_CONFIG_DIR", config.path())
        .env("VOICEDOCK_BASE_URL", &server.base_url)
        .env("VOICEDOCK_API_KEY", &server.api_key)
        .env_remove("VOICEDOCK_DATA_DIR")
        .env_remove("VOICEDOCK_MASTER_KEY");
    let out = tokio::task::spawn_blocking(move || command.output().unwrap())
        .await
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[tokio::test]
async fn a_server_that_ignores_the_query_is_read_in_its_one_answer() {
    let n = 1200;
    // No `pagination` at all; and one sent, but with more rows than asked:
    // the query was ignored either way.
    for pagination in [None, Some(r#"{"total":1200,"limit":500,"offset":0}"#)] {
        let s = stand_in(n, true, Answers::Whole(pagination)).await;
        let client = s.client();
        let all = client.list_assistants().await.unwrap();
        let ids: Vec<String> = all.into_iter().map(|a| a.id).collect();
        assert_every_id_once_in_order(&ids, &stand_in_ids(n));
        assert_eq!(
            s.queries(),
            [Some(format!("limit={PAGE_MAX}&offset=0"))],
            "asked once, for the first page"
        );

        let page = client.assistants_page(10, 20).await.unwrap();
        assert_eq!((page.total, page.offset), (None, 0));
        assert_eq!(page.assistants.len(), n);
        assert_eq!(page.next_offset(), None);
    }
}

#[tokio::test]
async fn a_server_that_is_not_ours_is_asked_without_the_query() {
    let s = stand_in(3, false, Answers::Whole(None)).await;
    let client = s.client();
    let all = client.list_assistants().await.unwrap();
    assert_eq!(all.len(), 3);
    let json = client.list_assistants_json().await.unwrap();
    assert_eq!(json["assistants"].as_array().unwrap().len(), 3);
    // Known by now not to be ours: a page is asked for without the query.
    let page = client.assistants_page(2, 0).await.unwrap();
    assert_eq!((page.total, page.assistants.len()), (None, 3));
    assert_eq!(s.queries(), [None, None, None]);
}

#[tokio::test]
async fn a_wrong_type_deep_in_a_big_list_is_named_by_its_path() {
    let bad = r#"{"assistants":[{"id":"a","name":"A"},{"id":"b","name":7}]}"#;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app: Router = Router::new().route(
        "/api/v1/assistants",
        get(move || async move { ([("content-type", "application/json")], bad) }),
    );
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let client = ApiClient::new(&base, SecretString::from("vd_test_key_0123456789")).unwrap();
    let err = client.list_assistants().await.unwrap_err().to_string();
    assert!(err.contains("assistants[1].name"), "{err}");
}

#[tokio::test]
async fn fifty_thousand_assistants_load_through_the_client() {
    const N: usize = 50_000;
    let server = TestServer::start().await;
    seed(server.data_dir(), N);
    let client = client_of(&server);
    let all = client.list_assistants().await.unwrap();
    let ids: Vec<String> = all.iter().map(|a| a.id.clone()).collect();
    let expected: Vec<String> = (0..N).map(seeded_id).collect();
    assert_every_id_once_in_order(&ids, &expected);
    let voices = all
        .iter()
        .filter(|a| {
            a.tts_config
                .as_ref()
                .and_then(|t| t.voice_id.as_deref())
                .is_some()
        })
        .count();
    assert_eq!(voices, N, "every assistant whole");
}

#[tokio::test]
async fn a_rate_limit_met_half_way_through_the_pages_is_waited_out_once() {
    let n = 2 * PAGE_MAX as usize + 1;
    let s = stand_in(
        n,
        true,
        Answers::Pages {
            offset: 500,
            refusals: 1,
        },
    )
    .await;
    let ids: Vec<String> = s
        .client()
        .list_assistants()
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.id)
        .collect();
    assert_every_id_once_in_order(&ids, &stand_in_ids(n));
    assert_eq!(s.offsets(), [0, 500, 500, 1000]);

    let refusing = stand_in(
        n,
        true,
        Answers::Pages {
            offset: 500,
            refusals: 2,
        },
    )
    .await;
    let err = refusing.client().list_assistants().await.unwrap_err();
    assert!(matches!(err, ApiError::RateLimited { .. }), "{err}");
    assert_eq!(
        refusing.offsets(),
        [0, 500, 500],
        "one wait, then the refusal"
    );
}

#[tokio::test]
async fn a_rate_limit_on_the_first_page_is_the_callers_to_handle() {
    let s = stand_in(
        3,
        true,
        Answers::Pages {
            offset: 0,
            refusals: 1,
        },
    )
    .await;
    let err = s.client().list_assistants().await.unwrap_err();
    assert!(matches!(err, ApiError::RateLimited { .. }), "{err}");
    assert_eq!(s.offsets(), [0]);
}
