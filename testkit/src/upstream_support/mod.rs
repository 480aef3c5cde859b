//! Loopback stand-ins for the BYOK providers' key-check endpoints, each
//! answering as the provider's public documentation shows (bodies and
//! statuses in the provider files). They run on their own thread with their
//! own runtime, so async tests and tests that run the binary both use them.
//!
//! A key made by [`key`] stands for a [`Behaviour`]; any other key is one
//! the provider does not know and gets its documented refusal.

mod answers;
mod assert;
mod echo;
mod gemini;
pub mod http;
mod inworld;
mod keys;
mod listening;
mod llm;
mod resend;
mod stt;
mod vertex;
mod voice;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use voicedock::checks::{CHECK_TIMEOUT_VAR, GOOGLE_OAUTH, UPSTREAM_VAR_PREFIX, Upstreams};
use voicedock::domain::CheckNeeds;

pub use assert::{
    assert_keeps_secret, assert_key_only_in_header, assert_no_leak, assert_reason, checked,
    documented_header, leaked_piece, secret_of,
};
pub use echo::{HOSTILE, HostileStandIn, Hostility, PAGE_BYTES, echoed_forms, holds_a_form_of};
pub use inworld::INWORLD_CLONE;
pub use keys::{
    VERTEX_PRIVATE_KEY, VERTEX_PROJECT, VERTEX_ROTATED_KEY, key, vertex_account, vertex_key,
};
use listening::Listening;
pub use llm::{MISTRAL_NOT_FOR_LIMITED, models};
pub use stt::DEEPGRAM_PROJECT;
pub use voice::{library, library_labels};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Behaviour {
    /// A key that works and may do everything the assistants need.
    Valid,
    /// A key the provider does not know.
    Invalid,
    /// A working key that lacks something (each provider's own case).
    Limited,
    /// Answers as `Valid` does, but only after 10 s.
    Slow,
    /// Reads the request, then closes the connection without an answer.
    Dropped,
    /// A 200 whose body is cut off half-way.
    Garbled,
    /// The provider's documented 5xx.
    ServerError,
    /// The provider's documented 429.
    RateLimited,
}

impl Behaviour {
    pub const ALL: [Behaviour; 8] = [
        Behaviour::Valid,
        Behaviour::Invalid,
        Behaviour::Limited,
        Behaviour::Slow,
        Behaviour::Dropped,
        Behaviour::Garbled,
        Behaviour::ServerError,
        Behaviour::RateLimited,
    ];
}

pub use crate::PROVIDERS;

/// How long `Slow` sits on a request: far past any check's time limit.
pub const SLOW: Duration = Duration::from_secs(10);
/// The time limit the stand-ins' upstreams give a check: far above a
/// loopback answer even on a loaded machine, far below `SLOW`.
pub const TIMEOUT: Duration = Duration::from_secs(3);

/// One request a stand-in received, as it arrived.
#[derive(Debug, Clone)]
pub struct Seen {
    pub provider: String,
    pub method: String,
    /// With the query.
    pub path: String,
    /// Names in lower case.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

pub struct StandIns {
    listening: Listening,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl StandIns {
    /// One listener per provider and one for Google's token endpoint, each
    /// on 127.0.0.1 and a port of its own.
    pub fn start() -> StandIns {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let vertex = Arc::new(vertex::Tokens::default());
        let listening = Listening::start(
            PROVIDERS.into_iter().chain([GOOGLE_OAUTH]),
            move |provider| handler_for(provider, vertex.clone()),
            seen.clone(),
        );
        StandIns { listening, seen }
    }

    pub fn base(&self, provider: &str) -> String {
        self.listening.base(provider)
    }

    pub fn upstreams(&self) -> Upstreams {
        self.listening
            .ports()
            .iter()
            .fold(Upstreams::default(), |up, (p, _)| {
                up.with_base(p, &self.base(p))
            })
            .with_timeout(TIMEOUT)
    }

    pub fn env(&self) -> Vec<(String, String)> {
        let mut vars: Vec<(String, String)> = self
            .listening
            .ports()
            .iter()
            .map(|(p, _)| {
                (
                    format!("{UPSTREAM_VAR_PREFIX}{}", p.to_ascii_uppercase()),
                    self.base(p),
                )
            })
            .collect();
        vars.push((
            CHECK_TIMEOUT_VAR.to_owned(),
            TIMEOUT.as_millis().to_string(),
        ));
        vars
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

/// An address where nothing listens: the port was bound, then let go.
pub fn refused_base() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

/// Every provider and Google's token endpoint sent to [`refused_base`].
pub fn refused_upstreams() -> Upstreams {
    let base = refused_base();
    PROVIDERS
        .into_iter()
        .chain([GOOGLE_OAUTH])
        .fold(Upstreams::default(), |up, p| up.with_base(p, &base))
        .with_timeout(TIMEOUT)
}

/// What the assistants of these tests ask of each key: a `Valid` key gives
/// it all, and where a provider's `Limited` case is a missing model or
/// voice (Mistral, Inworld), the `Limited` key lacks these.
pub fn needs(provider: &str) -> CheckNeeds {
    let strings = |items: &[&str]| items.iter().map(|s| (*s).to_owned()).collect();
    match provider {
        "openai" => CheckNeeds {
            models: strings(&["gpt-5.4", "gpt-5.6-luna"]),
            voices: Vec::new(),
        },
        "xai" => CheckNeeds {
            models: strings(&["grok-4.3"]),
            voices: Vec::new(),
        },
        "mistral" => CheckNeeds {
            models: strings(&[llm::MISTRAL_NOT_FOR_LIMITED]),
            voices: Vec::new(),
        },
        "google" => CheckNeeds {
            models: strings(&["gemini-3.1-flash-live-preview"]),
            voices: Vec::new(),
        },
        "google_vertex" => CheckNeeds {
            models: strings(&["gemini-3.5-flash-lite"]),
            voices: Vec::new(),
        },
        "elevenlabs" => {
            let all = library();
            // One voice from the second page: found only by following it.
            CheckNeeds {
                models: Vec::new(),
                voices: vec![all[0].0.clone(), all[110].0.clone()],
            }
        }
        "inworld" => CheckNeeds {
            models: Vec::new(),
            voices: strings(&["Ashley", INWORLD_CLONE]),
        },
        _ => CheckNeeds::default(),
    }
}

fn handler_for(provider: &'static str, tokens: Arc<vertex::Tokens>) -> Arc<http::Handler> {
    match provider {
        "openai" => Arc::new(llm::openai),
        "xai" => Arc::new(llm::xai),
        "mistral" => Arc::new(llm::mistral),
        "google" => Arc::new(gemini::google),
        "deepgram" => Arc::new(stt::deepgram),
        "elevenlabs" => Arc::new(voice::elevenlabs),
        "gladia" => Arc::new(stt::gladia),
        "inworld" => Arc::new(inworld::inworld),
        "resend" => Arc::new(resend::resend),
        "google_vertex" => Arc::new(move |r: &http::Request| vertex::models(r, &tokens)),
        _ => Arc::new(move |r: &http::Request| vertex::token(r, &tokens)),
    }
}
