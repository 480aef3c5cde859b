//! What flows into `update` (Msg) and what flows out of it (Cmd).

use std::time::Instant;

use ratatui::crossterm::event::KeyEvent;
use secrecy::SecretString;

use crate::client::ApiError;
use crate::domain::{Account, Assistant, AssistantDraft, ByokState, Catalog, CatalogSource};

/// Tags each API call so a reply can be matched to what asked for it and
/// replies to superseded requests can be dropped.
pub type RequestId = u64;

#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    Paste(Pasted),
    Resize(u16, u16),
    /// Sent only while something animates (a spinner, a countdown, a toast).
    Tick(Instant),
    Api {
        id: RequestId,
        received: Instant,
        result: Result<Reply, ApiError>,
    },
}

/// Pasted text, which is often a key: redacted in `Debug`, wiped when dropped.
pub struct Pasted(pub String);

impl std::fmt::Debug for Pasted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Pasted([{} characters])", self.0.chars().count())
    }
}

impl From<&str> for Pasted {
    fn from(text: &str) -> Self {
        Pasted(text.to_owned())
    }
}

impl Drop for Pasted {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.0);
    }
}

/// An effect for the worker to perform.
#[derive(Debug)]
pub enum Cmd {
    Api { id: RequestId, call: Call },
}

impl Cmd {
    /// The id its reply will carry.
    pub fn id(&self) -> RequestId {
        match self {
            Cmd::Api { id, .. } => *id,
        }
    }
}

#[derive(Debug)]
pub enum Call {
    Account,
    Byok,
    Catalog,
    Assistants,
    SetKey {
        provider: String,
        key: SecretString,
    },
    DeleteKey {
        provider: String,
    },
    GetAssistant {
        id: String,
    },
    CreateAssistant {
        draft: AssistantDraft,
    },
    UpdateAssistant {
        id: String,
        changes: AssistantDraft,
        if_match: Option<String>,
    },
    DeleteAssistant {
        id: String,
    },
}

/// What a pending request was for, kept by the model so the
/// reply can be routed without the worker knowing anything about screens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallKind {
    Account,
    Byok,
    Catalog,
    Assistants,
    SetKey { provider: String },
    DeleteKey { provider: String },
    GetAssistant { id: String },
    CreateAssistant,
    UpdateAssistant { id: String },
    DeleteAssistant { id: String },
}

impl Call {
    /// Whether the call changes anything on the server.
    pub fn is_write(&self) -> bool {
        !matches!(
            self,
            Call::Account
                | Call::Byok
                | Call::Catalog
                | Call::Assistants
                | Call::GetAssistant { .. }
        )
    }

    pub fn kind(&self) -> CallKind {
        match self {
            Call::Account => CallKind::Account,
            Call::Byok => CallKind::Byok,
            Call::Catalog => CallKind::Catalog,
            Call::Assistants => CallKind::Assistants,
            Call::SetKey { provider, .. } => CallKind::SetKey {
                provider: provider.clone(),
            },
            Call::DeleteKey { provider } => CallKind::DeleteKey {
                provider: provider.clone(),
            },
            Call::GetAssistant { id } => CallKind::GetAssistant { id: id.clone() },
            Call::CreateAssistant { .. } => CallKind::CreateAssistant,
            Call::UpdateAssistant { id, .. } => CallKind::UpdateAssistant { id: id.clone() },
            Call::DeleteAssistant { id } => CallKind::DeleteAssistant { id: id.clone() },
        }
    }
}

#[derive(Debug, Clone)]
pub enum Reply {
    Account(Account),
    Byok(ByokState),
    Catalog(Box<Catalog>, CatalogSource),
    Assistants(Vec<Assistant>),
    Assistant {
        assistant: Box<Assistant>,
        etag: Option<String>,
    },
    Deleted,
}
