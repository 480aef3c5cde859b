//! Clients that stop halfway: a body that never arrives is answered 408, and
//! such a request does not keep a graceful shutdown from finishing. Another
//! process reading the database does not stall the answers either.

use testkit::common;

use std::time::{Duration, Instant};

use common::disk::files_holding;
use common::{TestServer, provider_key};
use rusqlite::Connection;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Only so that a server lacking the behaviour under test fails the test
/// instead of hanging it; only the reader test measures how long anything
/// takes, with a generous bound.
const GUARD: Duration = Duration::from_secs(30);

/// A POST whose body stops after a few bytes. Returns once the server has
/// started reading the body: hyper answers `Expect: 100-continue` only then.
async fn stalled_request(server: &TestServer) -> TcpStream {
    let addr = server.base_url.trim_start_matches("http://");
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST /api/v1/assistants HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {}\r\n\
         Content-Type: application/json\r\nContent-Length: 100\r\nExpect: 100-continue\r\n\r\n",
        server.api_key
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let text = read_until(&mut stream, "\r\n\r\n").await;
    assert!(text.starts_with("HTTP/1.1 100"), "{text}");
    stream.write_all(b"{\"name\"").await.unwrap();
    stream
}

/// What the server sent until `marker` appeared or it closed the connection.
async fn read_until(stream: &mut TcpStream, marker: &str) -> String {
    let mut seen = Vec::new();
    let mut chunk = [0u8; 1024];
    let read = async {
        loop {
            let n = stream.read(&mut chunk).await.unwrap();
            seen.extend_from_slice(&chunk[..n]);
            if n == 0 || String::from_utf8_lossy(&seen).contains(marker) {
                break;
            }
        }
    };
    tokio::time::timeout(GUARD, read)
        .await
        .unwrap_or_else(|_| panic!("no {marker:?} from the server"));
    String::from_utf8_lossy(&seen).into_owned()
}

#[tokio::test]
async fn a_body_that_stops_arriving_is_answered_408() {
    let server = TestServer::start_with(|c| c.body_timeout = Duration::from_millis(50)).await;
    let mut stream = stalled_request(&server).await;
    let answer = read_until(&mut stream, "request_timeout").await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(
        answer.to_ascii_lowercase().contains("x-request-id"),
        "{answer}"
    );
}

#[tokio::test]
async fn shutdown_gives_up_on_a_stalled_request() {
    let mut server = TestServer::start_with(|c| {
        c.body_timeout = Duration::from_secs(3600);
        c.shutdown_timeout = Duration::from_millis(50);
    })
    .await;
    let _stalled = stalled_request(&server).await;
    tokio::time::timeout(GUARD, server.shutdown())
        .await
        .expect("shutdown waited for a request that never finishes");
}

#[tokio::test]
async fn a_reader_holding_the_wal_does_not_stall_a_destroy() {
    let server = TestServer::start().await;
    let set = json!({"provider": "openai", "api_key": provider_key("openai")});
    assert_eq!(server.post("/api/v1/byok", set).await.status, 200);
    let db = server.data_dir().join(voicedock::server::DB_FILE);
    let reader = Connection::open(&db).unwrap();
    let ciphertext: Vec<u8> = reader
        .query_row("SELECT ciphertext FROM secrets", [], |r| r.get(0))
        .unwrap();
    // Another process reading: its snapshot keeps the WAL from being truncated.
    reader.execute_batch("BEGIN").unwrap();
    let n: i64 = reader
        .query_row("SELECT COUNT(*) FROM secrets", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 1);

    let started = Instant::now();
    let r = server
        .delete("/api/v1/byok", Some(json!({"provider": "openai"})))
        .await;
    let took = started.elapsed();
    assert_eq!(r.status, 200, "{}", r.text);
    // Generous: waiting for the reader took a second.
    assert!(
        took < Duration::from_millis(500),
        "the destroy took {took:?}"
    );
    assert!(
        !files_holding(server.data_dir(), &ciphertext).is_empty(),
        "the reader did not hold the WAL, so this proves nothing"
    );

    reader.execute_batch("COMMIT").unwrap();
    let truncated = async {
        while !files_holding(server.data_dir(), &ciphertext).is_empty() {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    };
    tokio::time::timeout(GUARD, truncated)
        .await
        .expect("the WAL was never truncated after the reader let go");
}
