//! A canned HTTP/1.1 server on loopback: answers each route with a fixed
//! response and records every request the client sent.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use secrecy::SecretString;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use voicedock::client::ApiClient;

pub const KEY: &str = "fl_live_0123456789abcdef";

pub struct Canned {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: String,
}

pub fn reply(status: u16, body: &str) -> Canned {
    Canned {
        status,
        headers: Vec::new(),
        body: body.to_owned(),
    }
}

#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub headers: HashMap<String, String>,
    pub body: String,
}

pub type Log = Arc<Mutex<Vec<Seen>>>;

/// Answers each `(method, path)` with its canned response; anything else 404.
pub async fn serve(routes: Vec<(&'static str, &'static str, Canned)>) -> (String, Log) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let log: Log = Arc::default();
    let routes = Arc::new(routes);
    let seen = log.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let (routes, seen) = (routes.clone(), seen.clone());
            tokio::spawn(async move { answer(stream, &routes, &seen).await });
        }
    });
    (base, log)
}

async fn answer(mut stream: TcpStream, routes: &[(&str, &str, Canned)], log: &Log) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = stream.read(&mut chunk).await.unwrap();
        if n == 0 {
            return;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8(buf[..head_end].to_vec()).unwrap();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next().unwrap().split(' ');
    let method = request_line.next().unwrap().to_owned();
    let path = request_line.next().unwrap().to_owned();
    let headers: HashMap<String, String> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .get("content-length")
        .map_or(0, |v| v.parse().unwrap());
    while buf.len() < head_end + length {
        let n = stream.read(&mut chunk).await.unwrap();
        buf.extend_from_slice(&chunk[..n]);
    }
    let body = String::from_utf8(buf[head_end..head_end + length].to_vec()).unwrap();
    log.lock().unwrap().push(Seen {
        method: method.clone(),
        path: path.clone(),
        headers,
        body,
    });
    let not_found = reply(404, r#"{"error":"Not Found","message":"no route"}"#);
    let canned = routes
        .iter()
        .find(|(m, p, _)| *m == method && *p == path)
        .map_or(&not_found, |(_, _, c)| c);
    let mut out = format!(
        "HTTP/1.1 {} X\r\nContent-Length: {}\r\nConnection: close\r\n",
        canned.status,
        canned.body.len()
    );
    for (name, value) in &canned.headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str("\r\n");
    out.push_str(&canned.body);
    stream.write_all(out.as_bytes()).await.unwrap();
    stream.shutdown().await.unwrap();
}

pub fn client(base: &str) -> ApiClient {
    ApiClient::new(base, SecretString::from(KEY)).unwrap()
}

pub fn seen(log: &Log) -> Vec<Seen> {
    log.lock().unwrap().clone()
}
