//! Calls and numbers through the client: typed, filtered and paged; a
//! status this version does not know is kept, not refused.

use secrecy::SecretString;
use testkit::common::TestServer;
use testkit::common::calls::call;
use voicedock::client::{ApiClient, ApiError, CallQuery};
use voicedock::domain::CallStatus;

fn client_of(server: &TestServer) -> ApiClient {
    ApiClient::new(&server.base_url, SecretString::from(server.api_key.clone())).unwrap()
}

#[tokio::test]
async fn calls_are_listed_with_filters_and_paging_and_read_one_by_one() {
    let server = TestServer::start().await;
    for day in 1..=5 {
        let status = if day % 2 == 0 {
            "ended-with-error"
        } else {
            "ended"
        };
        server.record_call(&call(
            &format!("c{day}"),
            status,
            &format!("2026-12-0{day}T12:00:00Z"),
        ));
    }
    server.record_call(&call("c6", "voicemail", "2026-12-06T12:00:00Z"));
    let client = client_of(&server);

    let page = client
        .calls_page(&CallQuery {
            limit: Some(2),
            offset: Some(1),
            ..CallQuery::default()
        })
        .await
        .unwrap();
    let ids: Vec<&str> = page.calls.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["c5", "c4"]);
    assert_eq!(page.pagination.total, 6);

    let walk = client
        .list_calls(&CallQuery {
            limit: Some(2),
            status: Some("ended-with-error".into()),
            start_date: Some("2026-12-03".into()),
            ..CallQuery::default()
        })
        .await
        .unwrap();
    let ids: Vec<&str> = walk.calls.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["c4"]);
    assert!(walk.calls[0].status.failed());
    assert!(!walk.truncated);

    let all = client.list_calls(&CallQuery::default()).await.unwrap();
    assert_eq!(all.calls.len(), 6);
    assert_eq!(all.calls[0].status, CallStatus::Other("voicemail".into()));

    let one = client.get_call("c2").await.unwrap();
    assert_eq!(one.status, CallStatus::EndedWithError);
    assert!(one.error.unwrap().contains("ElevenLabs"));
    assert_eq!(one.messages.unwrap().len(), 2);
    assert!(matches!(
        client.get_call("nope").await,
        Err(ApiError::NotFound(_))
    ));
    assert!(client.numbers().await.unwrap().is_empty());
}
