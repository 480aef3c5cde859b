//! The validation rules of API.md. The server rejects with these and the
//! console checks its forms with the same functions as the user types.

use super::provider::unsupported_provider;
use super::{
    AssistantDraft, Category, FieldError, LlmConfig, Message, SttConfig, TtsConfig, quoted,
};
use crate::catalog::{Catalog, CatalogProvider, catalog};

pub const NAME_MAX: usize = 100;
pub const FIRST_MESSAGE_MAX: usize = 1_000;
pub const KEYTERMS_MAX: usize = 100;
pub const KEYTERM_MAX: usize = 100;
pub const MESSAGES_MAX: usize = 100;
pub const MESSAGE_CONTENT_MAX: usize = 32 * 1024;
pub const VOICE_ID_MAX: usize = 64;
pub const ROLES: [&str; 3] = ["system", "user", "assistant"];

type Check = Result<(), FieldError>;

/// Whether the draft creates an assistant (name required) or updates one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DraftKind {
    Create,
    Update,
}

/// Checks a draft against this build's catalog (what the reference server accepts).
pub fn validate_draft(draft: &AssistantDraft, kind: DraftKind) -> Check {
    validate_draft_in(draft, kind, catalog())
}

/// Checks a draft against `cat`: a client validates against the catalog its
/// server publishes, which may offer models this build does not know.
pub fn validate_draft_in(draft: &AssistantDraft, kind: DraftKind, cat: &Catalog) -> Check {
    match (&draft.name, kind) {
        (Some(name), _) => validate_name(name)?,
        (None, DraftKind::Create) => return Err(FieldError::new("name", "name is required")),
        (None, DraftKind::Update) => {}
    }
    if let Some(Some(text)) = &draft.first_message {
        validate_first_message(text)?;
    }
    if let Some(Some(stt)) = &draft.stt_config {
        validate_stt(stt, cat).map_err(|e| e.under("stt_config"))?;
    }
    if let Some(Some(llm)) = &draft.llm_config {
        validate_llm(llm, cat).map_err(|e| e.under("llm_config"))?;
    }
    if let Some(Some(tts)) = &draft.tts_config {
        validate_tts(tts, cat).map_err(|e| e.under("tts_config"))?;
    }
    Ok(())
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

/// The catalog entry of `provider`, which must be of `category`. Paths are
/// relative to the config (`provider`), the caller adds the parent.
fn provider_of<'c>(
    cat: &'c Catalog,
    provider: &str,
    category: Category,
) -> Result<&'c CatalogProvider, FieldError> {
    let info = cat
        .provider(provider)
        .ok_or_else(|| unsupported_provider(provider))?;
    if info.category != category {
        return Err(FieldError::new(
            "provider",
            format!(
                "{} is a {} provider, not {}",
                info.name,
                info.category.label(),
                category.label()
            ),
        ));
    }
    Ok(info)
}

fn model_in<'a>(
    info: &'a CatalogProvider,
    model: Option<&str>,
    required: bool,
) -> Result<Option<&'a crate::catalog::CatalogModel>, FieldError> {
    match model {
        None if required => Err(FieldError::new("model", "model is required")),
        None => Ok(None),
        Some(id) => info.model(id).map(Some).ok_or_else(|| {
            let known: Vec<&str> = info.models.iter().map(|m| m.id.as_str()).collect();
            let named = quoted(id).map_or_else(String::new, |q| format!(" {q}"));
            FieldError::new(
                "model",
                format!(
                    "unknown {} model{named}; known: {}",
                    info.name,
                    known.join(", ")
                ),
            )
        }),
    }
}

pub fn validate_stt(stt: &SttConfig, cat: &Catalog) -> Check {
    let info = provider_of(cat, &stt.provider, Category::Stt)?;
    let model = model_in(info, stt.model.as_deref(), true)?;
    // A model whose languages are not published cannot be checked here.
    if let (Some(model), Some(language)) = (model, &stt.language)
        && !model.languages.is_empty()
        && !model.languages.iter().any(|l| l == language)
    {
        let named = quoted(language)
            .map_or_else(|| "that language".to_owned(), |q| format!("language {q}"));
        return Err(FieldError::new(
            "language",
            format!("{} does not support {named}", model.id),
        ));
    }
    if let Some(terms) = &stt.keyterms {
        if terms.len() > KEYTERMS_MAX {
            return Err(FieldError::new(
                "keyterms",
                format!("at most {KEYTERMS_MAX} keyterms"),
            ));
        }
        if let Some(i) = terms.iter().position(|t| t.chars().count() > KEYTERM_MAX) {
            return Err(FieldError::new(
                format!("keyterms[{i}]"),
                format!("a keyterm is at most {KEYTERM_MAX} characters"),
            ));
        }
    }
    Ok(())
}

pub fn validate_llm(llm: &LlmConfig, cat: &Catalog) -> Check {
    let info = provider_of(cat, &llm.provider, Category::Llm)?;
    model_in(info, llm.model.as_deref(), true)?;
    if let Some(t) = llm.temperature {
        validate_temperature(t)?;
    }
    if let Some(messages) = &llm.messages {
        if messages.len() > MESSAGES_MAX {
            return Err(FieldError::new(
                "messages",
                format!("at most {MESSAGES_MAX} messages"),
            ));
        }
        for (i, m) in messages.iter().enumerate() {
            validate_message(m).map_err(|e| FieldError {
                param: format!("messages[{i}].{}", e.param),
                ..e
            })?;
        }
    }
    if let Some(n) = llm.max_completion_tokens
        && !(1..=32_768).contains(&n)
    {
        return Err(FieldError::new(
            "max_completion_tokens",
            "max_completion_tokens is 1–32768",
        ));
    }
    Ok(())
}

pub fn validate_temperature(t: f64) -> Check {
    in_range("temperature", t, 0.0, 2.0)
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

pub fn validate_tts(tts: &TtsConfig, cat: &Catalog) -> Check {
    let info = provider_of(cat, &tts.provider, Category::Tts)?;
    match &tts.voice_id {
        None => return Err(FieldError::new("voice_id", "voice_id is required")),
        Some(v) => validate_voice_id(v)?,
    }
    model_in(info, tts.model.as_deref(), false)?;
    for (field, value) in [
        ("stability", tts.stability),
        ("similarity_boost", tts.similarity_boost),
        ("style", tts.style),
    ] {
        if let Some(v) = value {
            in_range(field, v, 0.0, 1.0)?;
        }
    }
    if let Some(speed) = tts.speed {
        in_range("speed", speed, 0.5, 2.0)?;
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

fn in_range(field: &str, value: f64, min: f64, max: f64) -> Check {
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
