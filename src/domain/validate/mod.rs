//! The validation rules of API.md, against a catalog. The server refuses
//! with these and the console checks its forms with the same functions as
//! the user types. What only the catalog knows (which providers, models,
//! languages, voices and fields exist) binds when the catalog is the
//! server's own; against any other it is a warning and the server decides.

use serde_json::Value;

use super::catalog::Catalog;
use super::{AssistantDraft, FieldError, LlmConfig, Message, quoted, validate_hosted};

pub const NAME_MAX: usize = 100;
pub const FIRST_MESSAGE_MAX: usize = 1_000;
pub const KEYTERMS_MAX: usize = 100;
pub const KEYTERM_MAX: usize = 100;
pub const MESSAGES_MAX: usize = 100;
pub const MESSAGE_CONTENT_MAX: usize = 32 * 1024;
pub const VOICE_ID_MAX: usize = 64;
pub const ROLES: [&str; 3] = ["system", "user", "assistant"];

mod configs;
mod speech;
mod text;
mod tools;

pub use speech::{END_CALL_PHRASE_MIN_ALNUM, counts_as_letter_or_digit};
pub use text::{ONE_LINE, validate_text};
pub use tools::{MCP_ALLOWED_TOOLS_MAX, MCP_SERVER_ID_MAX, MCP_TOOL_FIELDS};

type Check = Result<(), FieldError>;

/// Whether the draft creates an assistant (name required) or updates one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DraftKind {
    Create,
    Update,
}

/// Whose catalog the rules read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Authority {
    /// The server's own: what it does not list, it refuses.
    Binding,
    /// A copy (built in, or pieced together from `/byok/config`): what it
    /// does not list is a warning.
    Advisory,
}

/// The rules, with the warnings they found on the way.
pub(super) struct Checker<'c> {
    cat: &'c Catalog,
    authority: Authority,
    warnings: Vec<FieldError>,
    /// The config being checked (`llm_config`), which a warning's path
    /// starts with as an error's does.
    under: Option<&'static str>,
}

impl Checker<'_> {
    /// A finding only the catalog can make: an error when it binds.
    fn unlisted(&mut self, err: FieldError) -> Check {
        match self.authority {
            Authority::Binding => Err(err),
            Authority::Advisory => {
                let err = match self.under {
                    Some(parent) => err.under(parent),
                    None => err,
                };
                self.warnings.push(err);
                Ok(())
            }
        }
    }
}

/// Checks a draft against `cat`. Ok holds the warnings (always empty when
/// the catalog binds); Err the first rule broken, with its field path.
pub fn validate_draft(
    draft: &AssistantDraft,
    kind: DraftKind,
    cat: &Catalog,
    authority: Authority,
) -> Result<Vec<FieldError>, FieldError> {
    let mut c = Checker {
        cat,
        authority,
        warnings: Vec::new(),
        under: None,
    };
    match (&draft.name, kind) {
        (Some(name), _) => validate_name(name)?,
        (None, DraftKind::Create) => return Err(FieldError::new("name", "name is required")),
        (None, DraftKind::Update) => {}
    }
    if let Some(Some(text)) = &draft.first_message {
        validate_first_message(text)?;
    }
    text::validate_strings(&to_value(draft))?;
    validate_hosted(&draft.extra)?;
    c.assistant_fields(&draft.extra)?;
    super::secrets::check_secrets(draft)?;
    if let Some(Some(stt)) = &draft.stt_config {
        c.under = Some("stt_config");
        c.stt(stt).map_err(|e| e.under("stt_config"))?;
    }
    if let Some(Some(llm)) = &draft.llm_config {
        c.under = Some("llm_config");
        c.llm(llm).map_err(|e| e.under("llm_config"))?;
    }
    if let Some(Some(tts)) = &draft.tts_config {
        c.under = Some("tts_config");
        c.tts(tts).map_err(|e| e.under("tts_config"))?;
    }
    c.under = None;
    let llm = draft.llm_config.as_ref().and_then(Option::as_ref);
    let tts_given = matches!(draft.tts_config, Some(Some(_)));
    if let Some(llm) = llm {
        c.realtime_speaks_itself(llm, tts_given)?;
    }
    Ok(c.warnings)
}

/// The one rule that spans two configs, for a server that merges a PATCH
/// into what it holds: a realtime LLM speaks itself, so no TTS beside it.
pub fn validate_pairing(
    llm: Option<&LlmConfig>,
    tts_present: bool,
    cat: &Catalog,
    authority: Authority,
) -> Check {
    let mut c = Checker {
        cat,
        authority,
        warnings: Vec::new(),
        under: None,
    };
    match llm {
        Some(llm) => c.realtime_speaks_itself(llm, tts_present),
        None => Ok(()),
    }
}

pub fn validate_name(name: &str) -> Check {
    let len = name.trim().chars().count();
    if len == 0 {
        return Err(FieldError::new("name", "name must not be empty"));
    }
    if len > NAME_MAX {
        return Err(FieldError::new(
            "name",
            format!("name is at most {NAME_MAX} characters (got {len})"),
        ));
    }
    // A line break or tab inside a name breaks every list and table that
    // shows it; around it, they are trimmed like spaces.
    if name.trim().chars().any(char::is_control) {
        return Err(FieldError::new(
            "name",
            "name must be one line without control characters",
        ));
    }
    Ok(())
}

pub fn validate_first_message(text: &str) -> Check {
    let len = text.chars().count();
    if len > FIRST_MESSAGE_MAX {
        return Err(FieldError::new(
            "first_message",
            format!("first_message is at most {FIRST_MESSAGE_MAX} characters (got {len})"),
        ));
    }
    Ok(())
}

pub(super) fn named(value: &str, what: &str) -> String {
    quoted(value).map_or_else(|| format!("that {what}"), |q| format!("{what} {q}"))
}

pub(super) fn to_value<T: serde::Serialize>(config: &T) -> Value {
    serde_json::to_value(config).unwrap_or(Value::Null)
}

pub fn validate_message(m: &Message) -> Check {
    if !ROLES.contains(&m.role.as_str()) {
        return Err(FieldError::new(
            "role",
            format!("role is one of {}", ROLES.join(", ")),
        ));
    }
    if m.content.len() > MESSAGE_CONTENT_MAX {
        return Err(FieldError::new(
            "content",
            "a message's content is at most 32 KiB",
        ));
    }
    Ok(())
}

pub fn validate_voice_id(voice_id: &str) -> Check {
    let ok_chars = voice_id
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if voice_id.is_empty() || voice_id.len() > VOICE_ID_MAX || !ok_chars {
        return Err(FieldError::new(
            "voice_id",
            format!("voice_id is 1–{VOICE_ID_MAX} of A–Z, a–z, 0–9, _ and -"),
        ));
    }
    Ok(())
}

pub(super) fn in_range(field: &str, value: f64, min: f64, max: f64) -> Check {
    // NaN fails both comparisons, so it is rejected too.
    if value >= min && value <= max {
        Ok(())
    } else {
        Err(FieldError::new(
            field,
            format!("{field} must be between {min} and {max}"),
        ))
    }
}
