//! Big accounts through the client: our server's pages are read each once
//! and in order, a server that does not page is read in its one answer, and
//! 50,000 assistants (more than one answer of the list may carry) load.

mod common;

use std::collections::HashSet;
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::RawQuery;
use axum::http::StatusCode;
use axum::routing::get;
use common::TestServer;
use rusqlite::{Connection, params};
use secrecy::SecretString;
use serde_json::Value;
use voicedock::client::{ApiClient, PAGE_MAX};
use voicedock::domain::AssistantDraft;
use voicedock::server::DB_FILE;

fn seeded_id(i: usize) -> String {
    format!("00000000-0000-4000-8000-{i:012}")
}

/// `n` assistants of about 500 bytes (a typical one) for the test server's
/// account, written straight into its database: through the API each would
/// wait for its own fsync. The schema's triggers count them as an insert
/// through the store would.
fn seed(data_dir: &Path, n: usize) {
    let mut conn = Connection::open(data_dir.join(DB_FILE)).unwrap();
    let account: String = conn
        .query_row(
            "SELECT id FROM accounts WHERE company_name = 'Test Company'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let tx = conn.transaction().unwrap();
    {
        let mut insert = tx
            .prepare(
                "INSERT INTO assistants (id, account_id, body, created_at, updated_at, revision)
                 VALUES (?1, ?2, ?3, ?4, ?4, 1)",
            )
            .unwrap();
        let now = "2026-12-02T09:00:00Z";
        for i in 0..n {
            let id = seeded_id(i);
            let body = format!(
                r#"{{"id":"{id}","name":"Assistant {i}","first_message":"Hello, you are speaking with the front desk. How can I help?","stt_config":{{"provider":"deepgram","model":"nova-3-general","language":"nl"}},"llm_config":{{"provider":"openai","model":"gpt-4o","temperature":0.7,"messages":[{{"role":"system","content":"You are a helpful receptionist. Keep answers short and friendly."}}]}},"tts_config":{{"provider":"elevenlabs","voice_id":"voice-{i}"}}}}"#
            );
            insert.execute(params![id, account, body, now]).unwrap();
        }
    }
    tx.commit().unwrap();
}

fn client_of(server: &TestServer) -> ApiClient {
    ApiClient::new(&server.base_url, SecretString::from(server.api_key.clone())).unwrap()
}

fn assert_every_id_once_in_order(ids: &[String], expected: &[String]) {
    assert_eq!(ids.len(), expected.len());
    let distinct: HashSet<&String> = ids.iter().collect();
    assert_eq!(distinct.len(), ids.len(), "an assistant came twice");
    let first_wrong = ids.iter().zip(expected).position(|(a, b)| a != b);
    assert_eq!(first_wrong, None, "out of order");
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

/// A stand-in that answers every list request with its whole list, query or
/// not; `claims_ours` serves our catalog, so the client takes it for our
/// server and sends the paging query. It records each list request's query.
struct StandIn {
    base: String,
    queries: Arc<Mutex<Vec<Option<String>>>>,
}

async fn stand_in(n: usize, claims_ours: bool, pagination: Option<&'static str>) -> StandIn {
    let items: Vec<String> = (0..n)
        .map(|i| format!(r#"{{"id":"s{i}","name":"Stand-in {i}"}}"#))
        .collect();
    let extra = pagination.map_or(String::new(), |p| format!(r#","pagination":{p}"#));
    let body = Arc::new(format!(r#"{{"assistants":[{}]{extra}}}"#, items.join(",")));
    let queries: Arc<Mutex<Vec<Option<String>>>> = Arc::default();
    let seen = queries.clone();
    let list = get(move |RawQuery(query): RawQuery| {
        seen.lock().unwrap().push(query);
        let body = body.clone();
        async move { ([("content-type", "application/json")], body.to_string()) }
    });
    let mut app = Router::new().route("/api/v1/assistants", list);
    if claims_ours {
        let catalog = include_str!("../assets/catalog.json");
        app = app.route(
            "/api/v1/catalog",
            get(move || async move { ([("content-type", "application/json")], catalog) }),
        );
    }
    let app = app
        .fallback(|| async { (StatusCode::NOT_FOUND, r#"{"error":"Not Found"}"#) })
        .with_state(());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    StandIn { base, queries }
}

impl StandIn {
    fn client(&self) -> ApiClient {
        ApiClient::new(&self.base, SecretString::from("vd_test_key_0123456789")).unwrap()
    }

    fn queries(&self) -> Vec<Option<String>> {
        self.queries.lock().unwrap().clone()
    }
}

fn stand_in_ids(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("s{i}")).collect()
}

#[tokio::test]
async fn a_server_that_ignores_the_query_is_read_in_its_one_answer() {
    let n = 1200;
    // No `pagination` at all; and one sent, but with more rows than asked:
    // the query was ignored either way.
    for pagination in [None, Some(r#"{"total":1200,"limit":500,"offset":0}"#)] {
        let s = stand_in(n, true, pagination).await;
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
    let s = stand_in(3, false, None).await;
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
