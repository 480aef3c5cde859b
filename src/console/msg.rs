//! What flows into `update` (Msg) and what flows out of it (Cmd).

use std::time::Instant;

use ratatui::crossterm::event::{KeyEvent, MouseEvent};
use secrecy::SecretString;

use super::screens::AssistantRow;
use crate::client::ApiError;
use crate::domain::{
    Account, Assistant, AssistantDraft, ByokState, Catalog, CatalogSource, CheckNeeds,
    ChildOrganization, KeyCheck, SettingsSaved,
};

/// Tags each API call so a reply can be matched to what asked for it and
/// replies to superseded requests can be dropped.
pub type RequestId = u64;

#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    /// A click or the wheel; only while mouse capture is on.
    Mouse(MouseEvent),
    Paste(Pasted),
    Resize(u16, u16),
    /// Sent only while something animates (a spinner, a countdown, a toast).
    Tick(Instant),
    /// Time for the background check of the server and reload of the lists.
    Refresh(Instant),
    /// A ranking the worker finished.
    Ranked(Ranked),
    Api {
        id: RequestId,
        received: Instant,
        reply: Reply,
    },
    /// The session `:profile NAME` asked for is open and waits for
    /// `Effect::CommitSwitch` (or `CancelSwitch`).
    SwitchReady {
        profile: String,
    },
    /// `:profile NAME` could not open NAME; the current session goes on.
    SwitchFailed {
        profile: String,
        reason: String,
    },
    /// The profiles as config.toml names them now (`Effect::ReadProfiles`),
    /// or why it could not be read.
    Profiles {
        read: Result<Vec<String>, String>,
        then: ProfilesFor,
    },
    /// How a copy went, when the event loop has more to say than the
    /// "copied …" shown when it was asked for (a failed program).
    Copied(super::clipboard::Notice),
    /// What the user's editor left of an `Effect::EditJson`.
    Edited(super::external_edit::Edited),
    /// Calls that ended, for the activity log (or its file's failure).
    Activity(super::activity::Report),
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
// A handful live at a time and only on their way to the worker: boxing
// the call would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum Cmd {
    Api {
        id: RequestId,
        call: Call,
    },
    /// A load that a newer one superseded: stop it, its answer is not wanted.
    Cancel(RequestId),
    /// Rank a long list for the filter, off the key path.
    Rank(RankJob),
    /// Done by the event loop, not the worker: it needs the terminal or
    /// the sessions.
    Console(Effect),
}

/// What `:profile` does with the profiles once they are read again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProfilesFor {
    /// `:profile`: offers them in the picker.
    Pick,
    /// `:profile NAME`: switches to NAME.
    Switch(String),
    /// Tab (`true`) or Shift-Tab on `:profile …`: completes the name.
    Complete(bool),
}

/// What only the event loop can do.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// `:profile NAME`: open a session on NAME while this one goes on; the
    /// loop answers `Msg::SwitchReady` or `Msg::SwitchFailed`.
    SwitchProfile(String),
    /// Read the profiles again (another shell may have added or removed
    /// one since); the loop answers `Msg::Profiles`.
    ReadProfiles(ProfilesFor),
    /// Move to the session opened for the switch: this one ends here.
    CommitSwitch,
    /// Close the session opened for the switch; this one goes on.
    CancelSwitch,
    /// Put `text` on the clipboard; `what` names it ("assistant id a-1")
    /// in anything said about it. Never a secret: see `clipboard::build`.
    Copy { what: String, text: String },
    /// Open `text` as the file `name` in the user's editor, with the
    /// terminal handed over; the result comes back as `Msg::Edited`.
    EditJson {
        name: String,
        text: super::external_edit::JsonText,
    },
    /// `:mouse`: the terminal reports clicks and the wheel, or stops.
    Mouse(bool),
    /// Ctrl-Z: the terminal goes back to the shell until `fg`.
    Suspend,
    /// The console ends; whatever asked has already made sure nothing
    /// unsaved is lost unseen.
    Quit,
}

/// A ranking for the worker: the filter, the texts and, when the filter
/// only grew, the earlier result to rank within.
#[derive(Debug)]
pub struct RankJob {
    pub generation: u64,
    pub pattern: String,
    pub haystacks: std::sync::Arc<super::list::Haystacks>,
    pub within: Option<std::sync::Arc<Vec<usize>>>,
    /// Whether `=text` asks for an exact match (every list but a picker).
    pub exact: bool,
}

/// What a `RankJob` found, best first.
#[derive(Debug)]
pub struct Ranked {
    pub generation: u64,
    pub pattern: String,
    pub visible: Vec<usize>,
}

#[derive(Debug)]
pub enum Call {
    Health,
    Account,
    Byok,
    Catalog,
    /// Every assistant, a page at a time where the server pages; each page
    /// is a reply of its own under the one request id.
    Assistants,
    SetKey {
        provider: String,
        key: SecretString,
    },
    DeleteKey {
        provider: String,
    },
    /// Merges settings into the provider's stored ones.
    SetSettings {
        provider: String,
        settings: Settings,
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
    /// Checks a key with its provider, from this machine. `held` says the
    /// key is the one stored this session (so the result is the stored
    /// key's), not one typed into the form.
    CheckKey {
        provider: String,
        key: SecretString,
        needs: CheckNeeds,
        held: bool,
    },
    /// Asks the server to check the key it stores (ours only).
    CheckStored {
        provider: String,
    },
    /// The child organizations, for `:orgs`.
    Organizations,
}

/// A provider's settings on their way to the server: they may hold secrets,
/// so `Debug` names them and shows no value.
pub struct Settings(pub serde_json::Map<String, serde_json::Value>);

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Settings")
            .field(&self.0.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// The data loads, of which only the latest of a kind matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Load {
    Health,
    Account,
    Byok,
    Catalog,
    Assistants,
}

impl Call {
    /// The load this call is, if it is one; writes are never superseded.
    pub fn load(&self) -> Option<Load> {
        match self {
            Call::Health => Some(Load::Health),
            Call::Account => Some(Load::Account),
            Call::Byok => Some(Load::Byok),
            Call::Catalog => Some(Load::Catalog),
            Call::Assistants => Some(Load::Assistants),
            _ => None,
        }
    }

    /// Whether the call changes anything on the server.
    pub fn is_write(&self) -> bool {
        !matches!(
            self,
            Call::GetAssistant { .. }
                | Call::CheckKey { .. }
                | Call::CheckStored { .. }
                | Call::Organizations
        ) && self.load().is_none()
    }
}

/// An assistant as the server answered it, with its `ETag` for `If-Match`.
#[derive(Debug, Clone)]
pub struct Versioned {
    pub assistant: Box<Assistant>,
    pub etag: Option<String>,
}

/// One page of the assistants list.
#[derive(Debug, Clone)]
pub struct Page {
    /// Made rows on the worker, so the whole assistants are dropped there.
    pub assistants: Vec<AssistantRow>,
    /// Where this page starts in the whole list.
    pub offset: u64,
    /// The whole list's length where the server says.
    pub total: Option<u64>,
    /// Whether this is the last page of the load.
    pub last: bool,
    /// The wall clock when the page came: how long ago each assistant was
    /// updated is told against it, so drawing needs no clock.
    pub listed_at: std::time::SystemTime,
}

/// One variant per call, each carrying the call's own result and what it
/// was about, so a reply is understood without looking anything up.
#[derive(Debug, Clone)]
pub enum Reply {
    Health(Result<(), ApiError>),
    Account(Result<Account, ApiError>),
    Byok(Result<ByokState, ApiError>),
    Catalog(Result<(Box<Catalog>, CatalogSource), ApiError>),
    Assistants(Result<Page, ApiError>),
    SetKey {
        provider: String,
        result: Result<ByokState, ApiError>,
    },
    DeleteKey {
        provider: String,
        result: Result<ByokState, ApiError>,
    },
    SetSettings {
        provider: String,
        result: Result<SettingsSaved, ApiError>,
    },
    GetAssistant {
        id: String,
        result: Result<Versioned, ApiError>,
    },
    CreateAssistant(Result<Versioned, ApiError>),
    UpdateAssistant {
        id: String,
        result: Result<Versioned, ApiError>,
    },
    DeleteAssistant {
        id: String,
        result: Result<(), ApiError>,
    },
    /// A check run from this machine: it always has a verdict (a provider
    /// that did not answer is `unknown`), and says nothing of our server.
    CheckKey {
        provider: String,
        held: bool,
        result: Box<KeyCheck>,
    },
    CheckStored {
        provider: String,
        result: Result<Box<KeyCheck>, ApiError>,
    },
    Organizations(Result<Vec<ChildOrganization>, ApiError>),
}

impl Reply {
    /// The failure, for the connection state every reply updates.
    pub fn error(&self) -> Option<&ApiError> {
        fn err<T>(r: &Result<T, ApiError>) -> Option<&ApiError> {
            r.as_ref().err()
        }
        match self {
            Reply::Health(r) | Reply::DeleteAssistant { result: r, .. } => err(r),
            Reply::Account(r) => err(r),
            Reply::Organizations(r) => err(r),
            Reply::Byok(r)
            | Reply::SetKey { result: r, .. }
            | Reply::DeleteKey { result: r, .. } => err(r),
            Reply::Catalog(r) => err(r),
            Reply::Assistants(r) => err(r),
            Reply::CheckKey { .. } => None,
            Reply::CheckStored { result: r, .. } => err(r),
            Reply::SetSettings { result: r, .. } => err(r),
            Reply::GetAssistant { result: r, .. }
            | Reply::CreateAssistant(r)
            | Reply::UpdateAssistant { result: r, .. } => err(r),
        }
    }

    /// Whether more replies will come under the same request id.
    pub fn is_partial(&self) -> bool {
        matches!(self, Reply::Assistants(Ok(page)) if !page.last)
    }
}
