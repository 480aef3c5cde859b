//! What each behaviour turns a provider's documented answers into.

use super::Behaviour;
use super::SLOW;
use super::http::Reply;

/// One endpoint's documented answers, for a request whose key (if any)
/// stood for `behaviour`.
pub struct Documented {
    /// `None`: no key, or one the provider does not know.
    pub behaviour: Option<Behaviour>,
    /// The refusal for a missing or unknown key.
    pub refused: fn(&Refusal) -> Reply,
    pub valid: Reply,
    /// The provider's limited case; `None` where the provider has none and
    /// a `Limited` key is answered as a valid one.
    pub limited: Option<Reply>,
    pub server_error: Reply,
    pub rate_limited: Reply,
}

/// Why the key is refused, for the body that says so.
pub enum Refusal {
    /// No credential in the documented header.
    Missing,
    /// This one, not known.
    Unknown(String),
}

impl Documented {
    pub fn reply(self, refusal: Refusal) -> Reply {
        match self.behaviour {
            None | Some(Behaviour::Invalid) => (self.refused)(&refusal),
            Some(Behaviour::Valid) => self.valid,
            Some(Behaviour::Limited) => self.limited.unwrap_or(self.valid),
            Some(Behaviour::Slow) => Reply::Late(SLOW, Box::new(self.valid)),
            Some(Behaviour::Dropped) => Reply::Drop,
            Some(Behaviour::Garbled) => self.valid.garbled(),
            Some(Behaviour::ServerError) => self.server_error,
            Some(Behaviour::RateLimited) => self.rate_limited,
        }
    }
}

/// The credential a header holds after `scheme` (`"Bearer "`, or `""` for a
/// header that holds only the key), and what it stands for.
pub fn credential(
    provider: &str,
    header: Option<&str>,
    scheme: &str,
) -> (Option<Behaviour>, Refusal) {
    match header.map(|h| h.strip_prefix(scheme)) {
        None => (None, Refusal::Missing),
        Some(None) => (None, Refusal::Unknown(header.unwrap_or("").to_owned())),
        Some(Some("")) => (None, Refusal::Missing),
        Some(Some(key)) => (
            super::keys::behaviour_of(provider, key),
            Refusal::Unknown(key.to_owned()),
        ),
    }
}

/// A 32-hex request id, as providers stamp their answers.
pub fn request_id(seed: &str) -> String {
    super::keys::filler(&format!("request/{seed}"), 32, b"0123456789abcdef")
}

/// `8-4-4-4-12` hex.
pub fn uuid(seed: &str) -> String {
    let h = request_id(seed);
    format!(
        "{}-{}-4{}-8{}-{}",
        &h[..8],
        &h[8..12],
        &h[13..16],
        &h[17..20],
        &h[20..]
    )
}
