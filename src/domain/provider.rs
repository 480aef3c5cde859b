use serde::{Deserialize, Serialize};

use super::catalog::{Catalog, KeyFormat, SecretInfo};
use super::{ErrorCode, FieldError, quoted};

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
pub(crate) const MAX_KEY_LEN: usize = 512;
/// A service-account document is a few KiB; this leaves room and no more.
pub const MAX_CREDENTIAL_LEN: usize = 16 * 1024;

/// The save-time check of a provider key (API.md, "key check on save").
/// The message never quotes the key.
pub fn validate_provider_key(cat: &Catalog, provider: &str, key: &str) -> Result<(), FieldError> {
    let Some(info) = cat.secret(provider) else {
        return Err(unsupported_provider(cat, provider));
    };
    match &info.key_format {
        KeyFormat::JsonCredential {
            required_fields,
            document_type,
        } => validate_json_credential(key, required_fields, document_type.as_deref()),
        KeyFormat::Token { prefix } => {
            validate_key_format(key, prefix.as_deref().map(|p| (info.label.as_str(), p)))
        }
    }
}

/// The rules every one-line key follows, plus the documented prefix when
/// there is one (`(provider name, prefix)`). Clients use it alone for
/// providers a newer server offers that this build's catalog does not know.
pub fn validate_key_format(key: &str, prefix: Option<(&str, &str)>) -> Result<(), FieldError> {
    let err = |message: String| Err(FieldError::new("api_key", message));
    if key.is_empty() {
        return err("api_key is required".into());
    }
    if key.contains(['\n', '\r']) {
        return err("the key must be one line: it holds a line break".into());
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

/// A credential document: a JSON object, at most 16 KiB, with each of
/// `required` as a non-empty string. Names what is missing, never a value.
pub fn validate_json_credential(
    text: &str,
    required: &[String],
    document_type: Option<&str>,
) -> Result<(), FieldError> {
    let err = |message: String| Err(FieldError::new("api_key", message));
    if text.trim().is_empty() {
        return err("api_key is required".into());
    }
    if text.len() > MAX_CREDENTIAL_LEN {
        return err(format!(
            "the credential is at most {} KiB",
            MAX_CREDENTIAL_LEN / 1024
        ));
    }
    let Ok(serde_json::Value::Object(doc)) = serde_json::from_str::<serde_json::Value>(text) else {
        return err("the credential must be a JSON object (the service-account key file)".into());
    };
    let missing: Vec<&str> = required
        .iter()
        .filter(|f| {
            doc.get(f.as_str())
                .and_then(|v| v.as_str())
                .is_none_or(str::is_empty)
        })
        .map(String::as_str)
        .collect();
    let found = doc.get("type").and_then(|v| v.as_str());
    if let (Some(expected), Some(found)) = (document_type, found)
        && found != expected
    {
        let named = quoted(found).map_or_else(String::new, |q| format!(" {q}"));
        return err(format!(
            "the credential is of another type{named}: a {expected} key file is needed"
        ));
    }
    if !missing.is_empty() {
        return err(format!("the credential lacks {}", missing.join(", ")));
    }
    Ok(())
}

pub(crate) fn unsupported_provider(cat: &Catalog, provider: &str) -> FieldError {
    let valid: Vec<&str> = cat.byok_provider_ids().collect();
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
/// (if any), an ellipsis and the last four characters. A JSON credential is
/// named by its service account, which is no secret.
pub fn key_hint(provider: Option<&SecretInfo>, key: &str) -> String {
    if provider.is_some_and(|p| p.key_format.is_multi_line()) {
        let doc: Option<serde_json::Value> = serde_json::from_str(key).ok();
        let email = doc
            .as_ref()
            .and_then(|d| d.get("client_email"))
            .and_then(|v| v.as_str());
        return match email {
            Some(email) => format!("JSON credential of {email}"),
            None => "JSON credential".to_owned(),
        };
    }
    let prefix = provider
        .and_then(|p| p.key_format.prefix())
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
        let cat = Catalog::builtin();
        assert_eq!(
            key_hint(cat.secret("openai"), "sk-proj-abcdefghijklmnopWXYZ"),
            "sk-…WXYZ"
        );
        assert_eq!(
            key_hint(cat.secret("deepgram"), "0123456789abcdefa1b2"),
            "…a1b2"
        );
        let doc = r#"{"type":"service_account","client_email":"vd@p.iam.gserviceaccount.com","private_key":"-----BEGIN"}"#;
        let hint = key_hint(cat.secret("google_vertex"), doc);
        assert_eq!(hint, "JSON credential of vd@p.iam.gserviceaccount.com");
    }

    #[test]
    fn key_rules_follow_the_table() {
        let cat = Catalog::builtin();
        let check = |p: &str, k: &str| validate_provider_key(&cat, p, k);
        assert!(check("openai", "sk-0123456789abcdefghij").is_ok());
        assert_eq!(
            check("openai", "pk-0123456789abcdefghij")
                .unwrap_err()
                .param,
            "api_key"
        );
        assert!(check("resend", "re_0123456789abcdefghij").is_ok());
        assert!(check("resend", "sk-0123456789abcdefghij").is_err());
        assert!(check("deepgram", "short").is_err());
        assert!(check("deepgram", "0123456789 abcdefghij").is_err());
        assert!(check("deepgram", "0123456789abcdéfghijk").is_err());
        let two_lines = check("deepgram", "0123456789abcdefghij\n0123456789abcdefghij");
        assert!(two_lines.unwrap_err().message.contains("one line"));
        assert!(check("xai", "xai-0123456789abcdefghij").is_ok());
        assert_eq!(check("acme", "whatever").unwrap_err().param, "provider");
    }

    #[test]
    fn a_json_credential_needs_its_fields() {
        let cat = Catalog::builtin();
        let check = |k: &str| validate_provider_key(&cat, "google_vertex", k);
        let good = "{\n  \"type\": \"service_account\",\n  \"project_id\": \"p\",\n  \"private_key\": \"-----BEGIN PRIVATE KEY-----\\nabc\\n\",\n  \"client_email\": \"a@p.iam.gserviceaccount.com\"\n}\n";
        assert!(check(good).is_ok());
        let err = check(r#"{"type": "service_account", "project_id": "p"}"#).unwrap_err();
        assert_eq!(
            err.message,
            "the credential lacks private_key, client_email"
        );
        assert!(
            check("AIzaSyA-not-a-json-document")
                .unwrap_err()
                .message
                .contains("JSON object")
        );
        assert!(
            check(&format!(
                "{{\"x\": \"{}\"}}",
                "a".repeat(MAX_CREDENTIAL_LEN)
            ))
            .is_err()
        );
        let user = check(r#"{"type": "authorized_user", "client_id": "x"}"#).unwrap_err();
        assert_eq!(
            user.message,
            "the credential is of another type \"authorized_user\": a service_account key file is needed"
        );
    }
}
