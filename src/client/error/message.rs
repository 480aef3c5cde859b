//! What a server said about a failure, kept whole: its sentence and the list
//! of problems the hosted service's flat error shape may add (`details`).

use std::fmt;

/// A server's explanation. `Display` is the sentence followed by the details,
/// `"Validation failed: name is required; model is unknown"`, so no caller
/// that prints an error can drop them by accident.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ServerMessage {
    pub text: String,
    /// One entry per problem, in the server's order; usually empty.
    pub details: Vec<String>,
}

impl ServerMessage {
    pub fn new(text: impl Into<String>, details: Vec<String>) -> Self {
        ServerMessage {
            text: text.into(),
            details,
        }
    }

    /// The same message with its sentence and each detail through `text`.
    pub(crate) fn map_texts(self, text: &dyn Fn(String) -> String) -> ServerMessage {
        ServerMessage {
            text: text(self.text),
            details: self.details.into_iter().map(text).collect(),
        }
    }
}

impl fmt::Display for ServerMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)?;
        if !self.details.is_empty() {
            write!(f, ": {}", self.details.join("; "))?;
        }
        Ok(())
    }
}

// Most messages are made from a bare sentence (tests, client-side refusals);
// these keep `"…".into()` working wherever a message is expected.
impl From<&str> for ServerMessage {
    fn from(text: &str) -> Self {
        ServerMessage::new(text, Vec::new())
    }
}

impl From<String> for ServerMessage {
    fn from(text: String) -> Self {
        ServerMessage::new(text, Vec::new())
    }
}

/// The text as shown, details included, for places that hold plain strings.
impl From<ServerMessage> for String {
    fn from(message: ServerMessage) -> Self {
        message.to_string()
    }
}

impl PartialEq<str> for ServerMessage {
    fn eq(&self, other: &str) -> bool {
        self.details.is_empty() && self.text == other
    }
}

impl PartialEq<&str> for ServerMessage {
    fn eq(&self, other: &&str) -> bool {
        self == *other
    }
}
