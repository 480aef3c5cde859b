//! Listeners on 127.0.0.1, a port for each provider, served on a thread of
//! their own with its own runtime (so async tests and tests that run the
//! binary both use them) until dropped.

use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use super::Seen;
use super::http::{self, Handler};

pub struct Listening {
    ports: Vec<(&'static str, u16)>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Listening {
    /// Serves each of `providers` with the handler `handler_for` gives it,
    /// recording every request into `seen`.
    pub fn start(
        providers: impl IntoIterator<Item = &'static str>,
        handler_for: impl Fn(&'static str) -> Arc<Handler> + Send + 'static,
        seen: Arc<Mutex<Vec<Seen>>>,
    ) -> Listening {
        let mut bound = Vec::new();
        for provider in providers {
            let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            listener.set_nonblocking(true).unwrap();
            bound.push((provider, listener));
        }
        let ports = bound
            .iter()
            .map(|(p, l)| (*p, l.local_addr().unwrap().port()))
            .collect();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                for (provider, listener) in bound {
                    let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                    let handler = handler_for(provider);
                    tokio::spawn(http::serve(provider, listener, handler, seen.clone()));
                }
                let _ = stopped.await;
            });
            // Dropping the runtime cancels the requests still being held.
        });
        Listening {
            ports,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    pub fn ports(&self) -> &[(&'static str, u16)] {
        &self.ports
    }

    pub fn base(&self, provider: &str) -> String {
        let port = self
            .ports
            .iter()
            .find(|(p, _)| *p == provider)
            .unwrap_or_else(|| panic!("no stand-in for {provider:?}"))
            .1;
        format!("http://127.0.0.1:{port}")
    }
}

impl Drop for Listening {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
