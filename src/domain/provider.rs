use serde::{Deserialize, Serialize};

use super::{ErrorCode, FieldError, quoted};
use crate::catalog::{CatalogProvider, catalog};

/// What a provider is used for. Unknown categories from a newer server are
/// kept as `Other` so the console can still show the provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    Stt,
    Llm,
    Tts,
    Email,
    #[serde(other)]
    Other,
}

impl Category {
    pub fn label(self) -> &'static str {
        match self {
            Category::Stt => "STT",
            Category::Llm => "LLM",
            Category::Tts => "TTS",
            Category::Email => "Email",
            Category::Other => "Other",
        }
    }
}

pub(crate) const MIN_KEY_LEN: usize = 20;
const MAX_KEY_LEN: usize = 512;

/// The save-time check of a provider key (API.md, "key check on save").
/// The message never quotes the key.
pub fn validate_provider_key(provider: &str, key: &str) -> Result<(), FieldError> {
    let Some(info) = catalog().provider(provider) else {
        return Err(unsupported_provider(provider));
    };
    validate_key_format(
        key,
        info.key_prefix.as_deref().map(|p| (info.name.as_str(), p)),
    )
}

/// The rules every key follows, plus the documented prefix when there is
/// one (`(provider name, prefix)`). Clients use it alone for providers a
/// newer server offers that this build's catalog does not know.
pub fn validate_key_format(key: &str, prefix: Option<(&str, &str)>) -> Result<(), FieldError> {
    let err = |message: String| Err(FieldError::new("api_key", message));
    if key.is_empty() {
        return err("api_key is required".into());
    }
    if key.chars().any(|c| c.is_whitespace()) {
        return err("the key must not contain whitespace".into());
    }
    if !key.chars().all(|c| c.is_ascii_graphic()) {
        return err("the key must be printable ASCII".into());
    }
    if key.len() < MIN_KEY_LEN || key.len() > MAX_KEY_LEN {
        return err(format!(
            "the key must be {MIN_KEY_LEN}–{MAX_KEY_LEN} characters (got {})",
            key.len()
        ));
    }
    if let Some((name, prefix)) = prefix
        && !key.starts_with(prefix)
    {
        return err(format!("{name} keys start with {prefix}"));
    }
    Ok(())
}

pub(crate) fn unsupported_provider(provider: &str) -> FieldError {
    let valid: Vec<&str> = catalog().provider_ids().collect();
    let named = quoted(provider).map_or_else(String::new, |q| format!(" {q}"));
    FieldError::new(
        "provider",
        format!(
            "unsupported provider{named}; valid providers: {}",
            valid.join(", ")
        ),
    )
    .with_code(ErrorCode::UnsupportedProvider)
}

/// The only part of a key that ever leaves the server: the documented prefix
/// (if any), an ellipsis and the last four characters.
pub fn key_hint(provider: Option<&CatalogProvider>, key: &str) -> String {
    let prefix = provider
        .and_then(|p| p.key_prefix.as_deref())
        .filter(|p| key.starts_with(p))
        .unwrap_or("");
    let tail_start = key.char_indices().rev().nth(3).map_or(0, |(i, _)| i);
    format!("{prefix}…{}", &key[tail_start..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hints_show_prefix_and_last_four_only() {
        let openai = catalog().provider("openai");
        assert_eq!(key_hint(openai, "sk-proj-abcdefghijklmnopWXYZ"), "sk-…WXYZ");
        assert_eq!(
            key_hint(catalog().provider("deepgram"), "0123456789abcdefa1b2"),
            "…a1b2"
        );
    }

    #[test]
    fn key_rules_follow_the_table() {
        assert!(validate_provider_key("openai", "sk-0123456789abcdefghij").is_ok());
        assert_eq!(
            validate_provider_key("openai", "pk-0123456789abcdefghij")
                .unwrap_err()
                .param,
            "api_key"
        );
        assert!(validate_provider_key("resend", "re_0123456789abcdefghij").is_ok());
        assert!(validate_provider_key("resend", "sk-0123456789abcdefghij").is_err());
        assert!(validate_provider_key("deepgram", "short").is_err());
        assert!(validate_provider_key("deepgram", "0123456789 abcdefghij").is_err());
        assert!(validate_provider_key("deepgram", "0123456789abcdéfghijk").is_err());
        assert_eq!(
            validate_provider_key("xai", "whatever").unwrap_err().param,
            "provider"
        );
    }
}
