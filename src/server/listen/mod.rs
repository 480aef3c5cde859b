//! The accept loop: HTTP/1.1 connections with a deadline for each request
//! head, a limit on idleness, and caps on how many connections are open
//! overall and per client address, so that clients holding sockets open
//! (idle, or dripping a header a byte at a time) cannot starve the others.
//!
//! When the server is full, the connection idle longest is closed to make
//! room (`open.rs`). A connection over its address's cap, or arriving when
//! every open one is busy, is accepted only to be told so: a short `503`
//! with `Retry-After` and `Connection: close`, written without waiting (a
//! fresh socket's buffer has room for it) and closed at once, so a refusal
//! holds its descriptor for no longer than the accept itself. While too many
//! connections are still closing, or the process has no descriptor left
//! even for a refusal, the loop waits and newcomers stay in the kernel's
//! backlog, where they cost the process nothing.

mod activity;
mod limits;
mod open;

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinSet;

use activity::Tracked;
pub use limits::ConnectionLimits;
use open::{OpenConnections, Slot};

/// How long the loop waits after the process ran out of descriptors (or
/// memory for a socket): long enough not to spin, short enough that a freed
/// descriptor is soon used.
const OUT_OF_DESCRIPTORS_BACKOFF: Duration = Duration::from_millis(50);

/// Serves `app` on `listener` until `stop` resolves, then stops accepting
/// and lets each connection finish its request in flight.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: ConnectionLimits,
    stop: impl Future<Output = ()>,
) -> io::Result<()> {
    let open = Arc::new(OpenConnections::default());
    let (stopping, stop_seen) = watch::channel(false);
    // Owned here, so a server task that is aborted closes every connection.
    let mut connections = JoinSet::new();
    tokio::pin!(stop);
    loop {
        tokio::select! {
            () = &mut stop => break,
            accepted = accept(&listener, &open, &limits) => match accepted {
                Ok((stream, peer)) => match open.admit(peer.ip(), &limits) {
                    Ok(slot) => {
                        let connection = Connection { peer, slot, limits, stop: stop_seen.clone() };
                        connections.spawn(connection.serve(stream, app.clone()));
                    }
                    Err(refusal) => {
                        tracing::debug!(?refusal, "refused a connection");
                        refuse(stream);
                    }
                },
                Err(e) => accept_failed(e).await,
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    drop(listener);
    // Fails only without receivers, and `stop_seen` is one.
    let _ = stopping.send(true);
    while connections.join_next().await.is_some() {}
    Ok(())
}

async fn accept(
    listener: &TcpListener,
    open: &OpenConnections,
    limits: &ConnectionLimits,
) -> io::Result<(TcpStream, SocketAddr)> {
    open.room_for_one_more(limits).await;
    listener.accept().await
}

struct Connection {
    peer: SocketAddr,
    slot: Slot,
    limits: ConnectionLimits,
    stop: watch::Receiver<bool>,
}

impl Connection {
    async fn serve(mut self, stream: TcpStream, app: Router) {
        let activity = Arc::clone(&self.slot.activity);
        let io = TokioIo::new(Tracked::new(stream, Arc::clone(&activity)));
        let peer = self.peer;
        let handled = Arc::clone(&activity);
        let service = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
            req.extensions_mut().insert(ConnectInfo(peer));
            let handling = handled.handling();
            let mut app = app.clone();
            async move {
                let response =
                    tower_service::Service::call(&mut app, req.map(axum::body::Body::new)).await;
                drop(handling);
                response
            }
        });
        let connection = hyper::server::conn::http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(self.limits.header_read_timeout)
            .serve_connection(io, service);
        tokio::pin!(connection);
        let mut closing = false;
        loop {
            tokio::select! {
                result = connection.as_mut() => {
                    // A client that goes away or times out is routine.
                    if let Err(e) = result {
                        tracing::debug!(error = %e, "connection ended");
                    }
                    return;
                }
                () = activity.idle_for(self.limits.idle_timeout) => {
                    tracing::debug!("closed an idle connection");
                    return;
                }
                () = self.slot.asked_to_make_room(), if !closing => {
                    if activity.idle_since().is_some() {
                        tracing::debug!("closed an idle connection to make room");
                        return;
                    }
                    // Busy after all: it leaves once this answer is out.
                    connection.as_mut().graceful_shutdown();
                    closing = true;
                }
                _ = self.stop.wait_for(|stop| *stop), if !closing => {
                    connection.as_mut().graceful_shutdown();
                    closing = true;
                }
            }
        }
    }
}

const BUSY_BODY: &str = r#"{"error":{"code":"server_busy","message":"Too many open connections; try again shortly.","type":"api_error"}}"#;

fn refuse(stream: TcpStream) {
    let answer = format!(
        "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nConnection: close\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{BUSY_BODY}",
        BUSY_BODY.len()
    );
    // Whatever request already arrived is read first: closing a socket with
    // unread data resets it, and the client may never see the answer.
    let mut discard = [0u8; 2048];
    let _ = stream.try_read(&mut discard);
    // A fresh socket's send buffer holds this; if not, the client only
    // misses the reason, not the refusal.
    let _ = stream.try_write(answer.as_bytes());
}

async fn accept_failed(e: io::Error) {
    let out_of_resources = matches!(
        e.raw_os_error(),
        Some(code) if is_out_of_resources(code)
    );
    if out_of_resources {
        tracing::warn!(error = %e, "cannot accept a connection; backing off");
        tokio::time::sleep(OUT_OF_DESCRIPTORS_BACKOFF).await;
    } else {
        // A connection reset before it was accepted, and the like: only
        // that one connection is lost.
        tracing::debug!(error = %e, "a connection failed while being accepted");
    }
}

#[cfg(unix)]
fn is_out_of_resources(code: i32) -> bool {
    [libc::EMFILE, libc::ENFILE, libc::ENOBUFS, libc::ENOMEM].contains(&code)
}

#[cfg(not(unix))]
fn is_out_of_resources(_code: i32) -> bool {
    true
}
