//! One check's calls to a provider: each bounded by what is left of the
//! check's time and of its byte budget (all answers together), and recorded
//! without its query or headers.

use std::time::Instant;

use reqwest::header::{HeaderName, HeaderValue};
use reqwest::{Method, RequestBuilder};
use serde_json::Value;

use crate::domain::CheckCall;
use crate::domain::text::MAX_ANSWER_BYTES;

/// An answer from the provider: its status and JSON body (`Null` when the
/// body was not JSON).
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub body: Value,
}

impl Answer {
    pub fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// A string at a JSON pointer, made safe to show.
    pub fn text(&self, pointer: &str) -> Option<String> {
        self.body
            .pointer(pointer)
            .and_then(Value::as_str)
            .map(|s| crate::domain::plain_text(s, 200))
    }
}

/// Why no answer came, as the end of "… did not answer: {why}".
#[derive(Debug)]
pub struct Unreached(pub String);

pub struct Probe {
    http: reqwest::Client,
    pub base: String,
    deadline: Instant,
    /// Bytes the check may still read: an endless voice library stops
    /// here, not when memory runs out.
    budget: usize,
    pub calls: Vec<CheckCall>,
}

/// A header whose value is a secret: marked sensitive so no `Debug` shows it.
pub fn secret_header(name: &'static str, value: &str) -> Option<(HeaderName, HeaderValue)> {
    let mut value = HeaderValue::from_str(value).ok()?;
    value.set_sensitive(true);
    Some((HeaderName::from_static(name), value))
}

impl Probe {
    pub fn new(http: reqwest::Client, base: &str, deadline: Instant) -> Probe {
        Probe {
            http,
            base: base.to_owned(),
            deadline,
            budget: MAX_ANSWER_BYTES,
            calls: Vec::new(),
        }
    }

    pub async fn get(
        &mut self,
        path: &str,
        auth: &(HeaderName, HeaderValue),
    ) -> Result<Answer, Unreached> {
        let request = self
            .http
            .request(Method::GET, self.url(path))
            .header(auth.0.clone(), auth.1.clone());
        self.send(Method::GET, path, request).await
    }

    /// A form POST that changes nothing (a token exchange).
    pub async fn post_form(
        &mut self,
        path: &str,
        form: &[(&str, &str)],
    ) -> Result<Answer, Unreached> {
        let body = form
            .iter()
            .map(|(k, v)| format!("{}={}", percent_encoded(k), percent_encoded(v)))
            .collect::<Vec<_>>()
            .join("&");
        let request = self
            .http
            .request(Method::POST, self.url(path))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body);
        self.send(Method::POST, path, request).await
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    async fn send(
        &mut self,
        method: Method,
        path: &str,
        request: RequestBuilder,
    ) -> Result<Answer, Unreached> {
        let started = Instant::now();
        let left = self.deadline.saturating_duration_since(started);
        let shown = format!("{}{}", self.base, path.split('?').next().unwrap_or(path));
        let mut record = |status: Option<u16>| {
            self.calls.push(CheckCall {
                method: method.to_string(),
                url: shown.clone(),
                status,
                millis: started.elapsed().as_millis() as u64,
            });
        };
        if left.is_zero() {
            record(None);
            return Err(Unreached("no time was left for the call".into()));
        }
        let budget = self.budget;
        let outcome = tokio::time::timeout(left, async {
            let mut response = request
                .header("accept", "application/json")
                .send()
                .await
                .map_err(why)?;
            let status = response.status().as_u16();
            let mut bytes = Vec::new();
            while let Some(chunk) = response.chunk().await.map_err(why)? {
                if bytes.len() + chunk.len() > budget {
                    return Err(Unreached(format!(
                        "its answers were over {} MiB in all",
                        MAX_ANSWER_BYTES >> 20
                    )));
                }
                bytes.extend_from_slice(&chunk);
            }
            let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
            Ok((Answer { status, body }, bytes.len()))
        })
        .await;
        match outcome {
            Ok(Ok((answer, read))) => {
                record(Some(answer.status));
                self.budget -= read;
                Ok(answer)
            }
            Ok(Err(e)) => {
                record(None);
                Err(e)
            }
            Err(_) => {
                record(None);
                Err(Unreached(format!(
                    "no answer within {:.1} s",
                    (self.deadline - started).as_secs_f64()
                )))
            }
        }
    }
}

/// A transport failure in a few words, never reqwest's text (it carries
/// the URL, and a URL may carry a key).
fn why(e: reqwest::Error) -> Unreached {
    let text = if e.is_timeout() {
        "it timed out"
    } else if e.is_connect() {
        "the connection was refused or could not be made"
    } else if e.is_body() || e.is_decode() {
        "the connection dropped during the answer"
    } else if e.is_request() {
        "the connection dropped before an answer"
    } else {
        "the exchange failed"
    };
    Unreached(text.to_owned())
}

/// Letters, digits and `-._~` as they are, everything else percent-encoded:
/// a form value (`application/x-www-form-urlencoded`) or a query value.
pub fn percent_encoded(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_form_value_is_percent_encoded() {
        assert_eq!(
            super::percent_encoded("urn:ietf:params:oauth:grant-type:jwt-bearer"),
            "urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer"
        );
    }
}
