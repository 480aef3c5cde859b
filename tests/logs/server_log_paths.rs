//! The request log names the route a request took, never the path or the
//! query it came with: a key pasted into a URL stays out of the logs.
//!
//! Alone in its test binary for the reason tests/server_logs.rs gives.

use testkit::common;

use common::TestServer;
use reqwest::Method;

// A current-thread runtime: the server's tasks run on this thread, where the
// capturing subscriber is the default.
#[tokio::test(flavor = "current_thread")]
async fn keys_in_paths_and_queries_never_reach_the_logs() {
    let (logs, _guard) = common::logs::on_this_thread();

    let server = TestServer::start().await;
    let in_route = "sk-proj-PathKeyInARoute000000000001";
    let unrouted = "sk-proj-PathKeyNoRoute0000000000002";
    let in_query = "sk-proj-QueryKey00000000000000000003";
    let in_method = "SKPROJMETHODKEY0000000000000004";
    let key = Some(server.api_key.as_str());
    let requests = [
        (Method::GET, format!("/api/v1/assistants/{in_route}")),
        (Method::PATCH, format!("/api/v1/byok/{in_route}/check")),
        (Method::GET, format!("/api/v1/{unrouted}")),
        (
            Method::GET,
            format!("/api/v1/assistants?api_key={in_query}"),
        ),
        (
            Method::from_bytes(in_method.as_bytes()).unwrap(),
            "/api/v1/byok".to_owned(),
        ),
    ];
    for (method, path) in requests {
        let r = server.raw(method.clone(), &path, key, None, &[]).await;
        assert!(r.status >= 200, "{method} {path}");
    }

    let text = String::from_utf8(logs.bytes()).unwrap();
    // The capture works, and names the routes.
    for route in [
        "/api/v1/assistants/{id}",
        "/api/v1/byok/{provider}/check",
        "/api/v1/assistants",
        "(no route)",
    ] {
        assert!(text.contains(route), "{route} missing in:\n{text}");
    }
    for secret in [in_route, unrouted, in_query, in_method, "api_key="] {
        assert!(!text.contains(secret), "{secret} is in the logs:\n{text}");
    }
}
