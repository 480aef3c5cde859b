//! A small HTTP/1.1 server on a tokio listener, written out by hand so a
//! stand-in can do what a framework would not: close the socket without an
//! answer, or sit on a request for seconds. Every answer says
//! `Connection: close`, so no client reuses a socket we are about to drop.

use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use super::Seen;

/// A request head and body is far below this; a client sending more is cut off.
const MAX_REQUEST: usize = 1 << 20;

pub struct Request {
    pub method: String,
    /// The path with its query, as sent.
    pub target: String,
    /// Names in lower case.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }

    /// A query parameter, percent-decoded.
    pub fn query(&self, name: &str) -> Option<String> {
        let query = self.target.split_once('?')?.1;
        form_pairs(query)
            .into_iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v)
    }
}

/// `a=1&b=x%20y` as pairs, `+` read as a space.
pub fn form_pairs(text: &str) -> Vec<(String, String)> {
    text.split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decoded(name), percent_decoded(value))
        })
        .collect()
}

fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let hex = |b: u8| (b as char).to_digit(16);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%' && i + 2 < bytes.len())
            .then(|| Some(hex(bytes[i + 1])? * 16 + hex(bytes[i + 2])?))
            .flatten();
        match (escaped, bytes[i]) {
            (Some(b), _) => {
                out.push(b as u8);
                i += 3;
                continue;
            }
            (None, b'+') => out.push(b' '),
            (None, b) => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// What a stand-in does with a request.
pub enum Reply {
    Answer {
        status: u16,
        headers: Vec<(&'static str, String)>,
        body: String,
    },
    /// Close the socket without a byte of answer.
    Drop,
    /// Answer, but only after this long.
    Late(Duration, Box<Reply>),
    /// A 200 of `bytes` bytes announced by no length, as a server that
    /// streams without end sends it; written until the client hangs up.
    Flood { bytes: usize },
}

impl Reply {
    pub fn json(status: u16, body: Value) -> Reply {
        Reply::Answer {
            status,
            headers: Vec::new(),
            body: body.to_string(),
        }
    }

    pub fn with_header(self, name: &'static str, value: &str) -> Reply {
        match self {
            Reply::Answer {
                status,
                mut headers,
                body,
            } => {
                headers.push((name, value.to_owned()));
                Reply::Answer {
                    status,
                    headers,
                    body,
                }
            }
            other => other,
        }
    }

    /// The same answer cut off half-way: a 200 whose body is not JSON, as a
    /// proxy that lost the upstream half-way sends it.
    pub fn garbled(self) -> Reply {
        match self {
            Reply::Answer {
                status,
                headers,
                body,
            } => {
                let cut: String = body.chars().take(body.chars().count() / 2).collect();
                Reply::Answer {
                    status,
                    headers,
                    body: cut,
                }
            }
            other => other,
        }
    }
}

pub type Handler = dyn Fn(&Request) -> Reply + Send + Sync;

/// Accepts connections on `listener` for ever, one task each.
pub async fn serve(
    provider: &'static str,
    listener: TcpListener,
    handler: Arc<Handler>,
    seen: Arc<std::sync::Mutex<Vec<Seen>>>,
) {
    loop {
        let Ok((socket, _)) = listener.accept().await else {
            continue;
        };
        let handler = handler.clone();
        let seen = seen.clone();
        tokio::spawn(async move {
            let mut socket = socket;
            let Some(request) = read_request(&mut socket).await else {
                return;
            };
            if let Ok(mut all) = seen.lock() {
                all.push(Seen {
                    provider: provider.to_owned(),
                    method: request.method.clone(),
                    path: request.target.clone(),
                    headers: request.headers.clone(),
                    body: request.body.clone(),
                });
            }
            let reply = handler(&request);
            answer(socket, reply).await;
        });
    }
}

async fn read_request(socket: &mut TcpStream) -> Option<Request> {
    let mut buf = Vec::new();
    let head_end = loop {
        if let Some(at) = find(&buf, b"\r\n\r\n") {
            break at;
        }
        if buf.len() > MAX_REQUEST || !read_some(socket, &mut buf).await {
            return None;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_owned();
    let target = first.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let body_start = head_end + 4;
    while buf.len() < body_start + length {
        if buf.len() > MAX_REQUEST || !read_some(socket, &mut buf).await {
            return None;
        }
    }
    let body = String::from_utf8_lossy(&buf[body_start..body_start + length]).into_owned();
    Some(Request {
        method,
        target,
        headers,
        body,
    })
}

/// Reads what has arrived; `false` at the end of the stream.
async fn read_some(socket: &mut TcpStream, buf: &mut Vec<u8>) -> bool {
    let mut chunk = [0u8; 8192];
    match socket.read(&mut chunk).await {
        Ok(0) | Err(_) => false,
        Ok(n) => {
            buf.extend_from_slice(&chunk[..n]);
            true
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

async fn answer(mut socket: TcpStream, mut reply: Reply) {
    while let Reply::Late(wait, later) = reply {
        tokio::time::sleep(wait).await;
        reply = *later;
    }
    if let Reply::Flood { bytes } = reply {
        return flood(socket, bytes).await;
    }
    let Reply::Answer {
        status,
        headers,
        body,
    } = reply
    else {
        // Dropping the socket closes it: the client gets no status line.
        return;
    };
    let mut head = format!(
        "HTTP/1.1 {status} {}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n",
        phrase(status),
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let _ = socket.write_all(head.as_bytes()).await;
    let _ = socket.write_all(body.as_bytes()).await;
    let _ = socket.shutdown().await;
    // Drain what the client still sends so the close is a FIN, not a reset.
    let mut rest = [0u8; 1024];
    let _ = tokio::time::timeout(Duration::from_millis(200), socket.read(&mut rest)).await;
}

async fn flood(mut socket: TcpStream, bytes: usize) {
    let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n";
    if socket.write_all(head.as_bytes()).await.is_err() {
        return;
    }
    let chunk = vec![b' '; 64 * 1024];
    let mut sent = 0;
    while sent < bytes {
        if socket.write_all(&chunk).await.is_err() {
            return;
        }
        sent += chunk.len();
    }
    let _ = socket.shutdown().await;
}

fn phrase(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Unknown",
    }
}
