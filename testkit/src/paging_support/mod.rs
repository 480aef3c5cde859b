//! Big accounts for the paging tests: assistants seeded straight into a test
//! server's database, and stand-ins that answer the list their own way.

use std::collections::HashSet;
use std::path::Path;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::RawQuery;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use rusqlite::{Connection, params};
use secrecy::SecretString;
use voicedock::client::ApiClient;
use voicedock::server::DB_FILE;

pub fn seeded_id(i: usize) -> String {
    format!("00000000-0000-4000-8000-{i:012}")
}

/// `n` assistants of about 500 bytes (a typical one) for the test server's
/// account, written straight into its database: through the API each would
/// wait for its own fsync. The schema's triggers count them as an insert
/// through the store would.
pub fn seed(data_dir: &Path, n: usize) {
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

pub fn assert_every_id_once_in_order(ids: &[String], expected: &[String]) {
    assert_eq!(ids.len(), expected.len());
    let distinct: HashSet<&String> = ids.iter().collect();
    assert_eq!(distinct.len(), ids.len(), "an assistant came twice");
    let first_wrong = ids.iter().zip(expected).position(|(a, b)| a != b);
    assert_eq!(first_wrong, None, "out of order");
}

/// How a stand-in answers `GET /api/v1/assistants`.
#[derive(Clone, Copy)]
pub enum Answers {
    /// The whole list to every request, query or not, with this
    /// `pagination` object if any.
    Whole(Option<&'static str>),
    /// Pages as our server does, except that the first `refusals` requests
    /// for `offset` are refused with 429 and `Retry-After: 1`.
    Pages { offset: u64, refusals: usize },
}

/// A stand-in list of `n` assistants `s0`, `s1`, …; `claims_ours` serves
/// our catalog, so the client takes it for our server and sends the paging
/// query. It records the query of each list request.
pub struct StandIn {
    pub base: String,
    queries: Arc<Mutex<Vec<Option<String>>>>,
}

pub fn stand_in_ids(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("s{i}")).collect()
}

fn items(ids: &[String]) -> String {
    let items: Vec<String> = ids
        .iter()
        .map(|id| format!(r#"{{"id":"{id}","name":"Stand-in {id}"}}"#))
        .collect();
    items.join(",")
}

fn json(body: String) -> Response {
    ([("content-type", "application/json")], body).into_response()
}

/// `?limit=L&offset=O` as numbers; the client always sends both.
fn limit_and_offset(query: Option<&str>) -> (usize, usize) {
    let mut limit_offset = (usize::MAX, 0);
    for pair in query.unwrap_or("").split('&') {
        match pair.split_once('=') {
            Some(("limit", v)) => limit_offset.0 = v.parse().unwrap(),
            Some(("offset", v)) => limit_offset.1 = v.parse().unwrap(),
            _ => {}
        }
    }
    limit_offset
}

fn answer(ids: &[String], answers: Answers, query: Option<&str>, refused: &mut usize) -> Response {
    match answers {
        Answers::Whole(pagination) => {
            let extra = pagination.map_or(String::new(), |p| format!(r#","pagination":{p}"#));
            json(format!(r#"{{"assistants":[{}]{extra}}}"#, items(ids)))
        }
        Answers::Pages { offset, refusals } => {
            let (limit, from) = limit_and_offset(query);
            if from as u64 == offset && *refused < refusals {
                *refused += 1;
                let body = r#"{"error":{"code":"rate_limit_exceeded","message":"Too many requests","type":"rate_limit_error"}}"#;
                return (StatusCode::TOO_MANY_REQUESTS, [("retry-after", "1")], body)
                    .into_response();
            }
            let page = &ids[from.min(ids.len())..from.saturating_add(limit).min(ids.len())];
            json(format!(
                r#"{{"assistants":[{}],"pagination":{{"total":{},"limit":{limit},"offset":{from}}}}}"#,
                items(page),
                ids.len()
            ))
        }
    }
}

pub async fn stand_in(n: usize, claims_ours: bool, answers: Answers) -> StandIn {
    let ids = Arc::new(stand_in_ids(n));
    let queries: Arc<Mutex<Vec<Option<String>>>> = Arc::default();
    let refused = Arc::new(Mutex::new(0));
    let seen = queries.clone();
    let list = get(move |RawQuery(query): RawQuery| {
        seen.lock().unwrap().push(query.clone());
        let response = answer(
            &ids,
            answers,
            query.as_deref(),
            &mut refused.lock().unwrap(),
        );
        async move { response }
    });
    let mut app = Router::new().route("/api/v1/assistants", list);
    if claims_ours {
        let catalog = include_str!("../../../assets/catalog.json");
        app = app.route(
            "/api/v1/catalog",
            get(move || async move { json(catalog.to_owned()) }),
        );
    }
    let app = app.fallback(|| async { (StatusCode::NOT_FOUND, r#"{"error":"Not Found"}"#) });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    StandIn { base, queries }
}

impl StandIn {
    pub fn client(&self) -> ApiClient {
        ApiClient::new(&self.base, SecretString::from("vd_test_key_0123456789")).unwrap()
    }

    /// The `offset` of each list request, in the order they came.
    pub fn offsets(&self) -> Vec<usize> {
        self.queries()
            .iter()
            .map(|q| limit_and_offset(q.as_deref()).1)
            .collect()
    }

    pub fn queries(&self) -> Vec<Option<String>> {
        self.queries.lock().unwrap().clone()
    }
}
