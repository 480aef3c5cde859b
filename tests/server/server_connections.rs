//! Clients that only hold sockets — idle, or dripping a request head a byte
//! at a time — cannot starve the others, even when they hold more sockets
//! than the server has descriptors.

use testkit::serve_support;

use std::net::{Ipv4Addr, SocketAddr};
use std::time::{Duration, Instant};

use serve_support::Serve;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

const MAX_FILES: u64 = 256;
const IDLE_SOCKETS: usize = 300;
const SLOWLORIS: usize = 100;
const HEADER_TIMEOUT_SECS: u64 = 2;
/// Only so that a server lacking the behaviour under test fails the test
/// instead of hanging it.
const GUARD: Duration = Duration::from_secs(30);

/// A connection from `127.0.0.<last>`: loopback has the whole 127/8, so
/// the attack comes from addresses other than the real client's.
async fn connect_from(last: u8, server: SocketAddr) -> TcpStream {
    let socket = TcpSocket::new_v4().unwrap();
    socket
        .bind(SocketAddr::from((Ipv4Addr::new(127, 0, 0, last), 0)))
        .unwrap();
    socket.connect(server).await.unwrap()
}

/// Sends a request head one byte a second, never finishing it; returns how
/// long after its first byte the server closed the connection.
async fn slowloris(mut stream: TcpStream) -> Duration {
    let head = b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Drip: ";
    let started = Instant::now();
    let drip = head.iter().chain(std::iter::repeat(&b'a'));
    let mut seen = [0u8; 1024];
    for byte in drip {
        if stream.write_all(&[*byte]).await.is_err() {
            return started.elapsed();
        }
        tokio::select! {
            read = stream.read(&mut seen) => match read {
                // An answer (a 408 or a refusal) comes before the close.
                Ok(n) if n > 0 => {}
                _ => return started.elapsed(),
            },
            () = tokio::time::sleep(Duration::from_secs(1)) => {}
        }
    }
    unreachable!("the drip never ends")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_and_dripping_connections_do_not_starve_a_real_client() {
    let header_timeout = HEADER_TIMEOUT_SECS.to_string();
    let server = Serve::start(
        &["--header-timeout", &header_timeout, "--idle-timeout", "4"],
        Some(MAX_FILES),
    );
    let addr: SocketAddr = server.addr().parse().unwrap();

    // Spread over five addresses, each within the per-client cap: only the
    // overall cap, below the descriptor limit, stands in their way.
    let mut idle = Vec::with_capacity(IDLE_SOCKETS);
    for i in 0..IDLE_SOCKETS {
        idle.push(connect_from(2 + (i % 5) as u8, addr).await);
    }
    let mut dripping = Vec::with_capacity(SLOWLORIS);
    for i in 0..SLOWLORIS {
        let stream = connect_from(7 + (i % 2) as u8, addr).await;
        dripping.push(tokio::spawn(slowloris(stream)));
    }
    // Time for the server to take them all from its backlog.
    tokio::time::sleep(Duration::from_millis(500)).await;

    let http = voicedock::client::http_builder().build().unwrap();
    let account = format!("{}/api/v1/account", server.base_url);
    let started = Instant::now();
    let answer = tokio::time::timeout(
        GUARD,
        http.get(&account).bearer_auth(&server.api_key).send(),
    )
    .await
    .expect("no answer")
    .unwrap();
    let waited = started.elapsed();
    assert_eq!(answer.status(), 200, "{}", server.stderr());
    assert!(
        waited < Duration::from_secs(1),
        "answered after {waited:?}:\n{}",
        server.stderr()
    );

    let limit = Duration::from_secs(HEADER_TIMEOUT_SECS);
    for drip in dripping {
        let open_for = tokio::time::timeout(GUARD, drip)
            .await
            .expect("a dripping connection was never closed")
            .unwrap();
        // Generous: the machine is shared, and the drip notices a close
        // only at its next byte.
        assert!(
            open_for < limit + Duration::from_secs(4),
            "a dripping connection stayed open {open_for:?}"
        );
    }
    // The server still has descriptors to spare after the attack.
    drop(idle);
    let again = http.get(&account).bearer_auth(&server.api_key).send();
    let again = tokio::time::timeout(GUARD, again).await.unwrap().unwrap();
    assert_eq!(again.status(), 200);
    let log = server.stderr();
    assert!(
        !log.contains("cannot accept"),
        "ran out of descriptors:\n{log}"
    );
}

#[tokio::test]
async fn one_address_over_its_share_is_told_to_come_back() {
    let server = Serve::start(&["--max-connections-per-client", "2"], None);
    let addr: SocketAddr = server.addr().parse().unwrap();
    let _first = connect_from(9, addr).await;
    let _second = connect_from(9, addr).await;
    let mut third = connect_from(9, addr).await;
    let mut answer = String::new();
    tokio::time::timeout(GUARD, third.read_to_string(&mut answer))
        .await
        .expect("the refusal never came")
        .unwrap();
    assert!(answer.starts_with("HTTP/1.1 503 "), "{answer}");
    let lower = answer.to_ascii_lowercase();
    assert!(lower.contains("retry-after: 1\r\n"), "{answer}");
    assert!(lower.contains("connection: close\r\n"), "{answer}");
    assert!(answer.contains(r#""code":"server_busy""#), "{answer}");
    // Another address is not held to the first one's share.
    let http = voicedock::client::http_builder().build().unwrap();
    let health = http
        .get(format!("{}/api/v1/health", server.base_url))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
}

#[tokio::test]
async fn a_kept_alive_connection_nobody_uses_is_closed_when_idle() {
    // Far longer than the idle limit: only idleness can close it in time.
    let server = Serve::start(&["--idle-timeout", "0.3", "--header-timeout", "60"], None);
    let addr: SocketAddr = server.addr().parse().unwrap();
    let mut stream = connect_from(10, addr).await;
    let request = format!("GET /api/v1/health HTTP/1.1\r\nHost: {addr}\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let started = Instant::now();
    let mut answer = Vec::new();
    tokio::time::timeout(GUARD, stream.read_to_end(&mut answer))
        .await
        .expect("an idle connection stayed open")
        .unwrap();
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 200 "), "{answer}");
    // Generous, and still far below the header deadline.
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "closed only after {:?}",
        started.elapsed()
    );
}
