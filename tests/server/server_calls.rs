//! Calls and numbers: the account's recorded calls, newest first, with the
//! platform's filters and paging; none of another account's; no number and
//! no outbound call, for want of a telephone line.

use reqwest::Method;
use serde_json::{Value, json};
use testkit::common::TestServer;
use testkit::common::calls::call;

const CALLS: &str = "/api/v1/calls";

fn ids(body: &Value) -> Vec<&str> {
    body["calls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn an_account_without_calls_lists_none_and_has_no_numbers() {
    let server = TestServer::start().await;
    let list = server.get(CALLS).await;
    assert_eq!(list.status, 200, "{}", list.text);
    assert_eq!(list.body["calls"], json!([]));
    assert_eq!(
        list.body["pagination"],
        json!({"total": 0, "limit": 100, "offset": 0})
    );
    let numbers = server.get("/api/v1/numbers").await;
    assert_eq!(numbers.status, 200, "{}", numbers.text);
    assert_eq!(numbers.body, json!({"numbers": []}));
}

#[tokio::test]
async fn recorded_calls_are_listed_newest_first_filtered_and_paged() {
    let server = TestServer::start().await;
    server.record_call(&call("c1", "ended", "2026-12-01T09:00:00Z"));
    server.record_call(&call("c2", "ended-with-error", "2026-12-03T09:00:00Z"));
    server.record_call(&call("c3", "ended", "2026-12-05T09:00:00+01:00"));
    server.record_call(&call("c4", "in-progress", "2026-12-07T23:30:00Z"));

    let all = server.get(CALLS).await;
    assert_eq!(ids(&all.body), ["c4", "c3", "c2", "c1"]);
    assert_eq!(all.body["pagination"]["total"], 4);
    let first = &all.body["calls"][2];
    assert_eq!(first["status"], "ended-with-error");
    assert!(first["error"].as_str().unwrap().contains("ElevenLabs"));
    assert!(first["messages"].is_array());

    let ended = server.get(&format!("{CALLS}?status=ended")).await;
    assert_eq!(ids(&ended.body), ["c3", "c1"]);
    assert_eq!(ended.body["pagination"]["total"], 2);

    let dated = server
        .get(&format!(
            "{CALLS}?start_date=2026-12-02&end_date=2026-12-05"
        ))
        .await;
    assert_eq!(ids(&dated.body), ["c3", "c2"]);
    let to_the_second = server
        .get(&format!("{CALLS}?start_date=2026-12-07T23:30:00Z"))
        .await;
    assert_eq!(ids(&to_the_second.body), ["c4"]);
    let backwards = server
        .get(&format!(
            "{CALLS}?start_date=2026-12-05&end_date=2026-12-01"
        ))
        .await;
    assert_eq!(backwards.status, 200, "{}", backwards.text);
    assert_eq!(ids(&backwards.body), Vec::<&str>::new());

    let page = server.get(&format!("{CALLS}?limit=2&offset=1")).await;
    assert_eq!(ids(&page.body), ["c3", "c2"]);
    assert_eq!(
        page.body["pagination"],
        json!({"total": 4, "limit": 2, "offset": 1})
    );

    let one = server.get(&format!("{CALLS}/c2")).await;
    assert_eq!(one.status, 200, "{}", one.text);
    assert_eq!(one.body["id"], "c2");
    assert_eq!(one.body["end_reason"], "error");
    assert!(one.body["recording_url"].is_string());
    assert!(one.body["summary"].is_string());
    assert!(one.body["analysis_result"].is_object());
}

#[tokio::test]
async fn another_accounts_call_is_not_found_and_not_listed() {
    let server = TestServer::start().await;
    let other = server.new_account("Other Co");
    server.record_call_as(&other, &call("theirs", "ended", "2026-12-01T09:00:00Z"));

    let got = server.get(&format!("{CALLS}/theirs")).await;
    assert_eq!(got.error().0, 404);
    assert_eq!(got.error().1, "not_found");
    assert_eq!(ids(&server.get(CALLS).await.body), Vec::<&str>::new());
    let own = server
        .call_as(&other, Method::GET, &format!("{CALLS}/theirs"), None)
        .await;
    assert_eq!(own.status, 200);
}

#[tokio::test]
async fn an_outbound_call_is_refused_for_want_of_a_telephone_line() {
    let server = TestServer::start().await;
    let placed = server
        .post(
            &format!("{CALLS}/outbound"),
            json!({"destination": "+31612345678"}),
        )
        .await;
    let (status, code, _) = placed.error();
    assert_eq!((status, code.as_str()), (501, "not_implemented"));
    let message = placed.body["error"]["message"].as_str().unwrap();
    assert!(message.contains("no telephone line"), "{message}");
    assert!(message.contains("api.hmsovereign.com"), "{message}");
}

#[tokio::test]
async fn bad_filters_are_refused_by_parameter() {
    let server = TestServer::start().await;
    for (query, param) in [
        ("status=finished", "status"),
        ("status=", "status"),
        ("start_date=yesterday", "start_date"),
        ("start_date=2026-13-01", "start_date"),
        ("end_date=2026-12-08T10:00:00", "end_date"),
        ("limit=0", "limit"),
        ("limit=501", "limit"),
        ("offset=-1", "offset"),
    ] {
        let refused = server.get(&format!("{CALLS}?{query}")).await;
        let (status, code, named) = refused.error();
        assert_eq!(
            (status, code.as_str(), named.as_deref()),
            (400, "invalid_request", Some(param)),
            "{query}"
        );
    }
}
