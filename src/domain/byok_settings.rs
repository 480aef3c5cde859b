//! `POST /api/v1/byok/config`: a provider's settings beside its stored key,
//! merged into what is stored and never read back (SDK 2.2). The platform
//! documents neither their names nor their values, only that they cannot be
//! read back, like the keys: so they are treated as secrets (the server
//! seals them like keys, `Debug` names no value), and the rules here are the
//! same for every provider — none is documented per provider.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::FieldError;

/// More than any provider's settings need; bounds what one account stores.
pub const MAX_SETTINGS: usize = 32;
/// A setting's name: short, and plain enough to be shown and typed.
pub const MAX_SETTING_NAME: usize = 64;
/// One setting's value as JSON text: room for a certificate or a service
/// account's key, far below the 64 KiB of a request body.
pub const MAX_SETTING_BYTES: usize = 16 * 1024;

/// `POST /api/v1/byok/config`. A `null` setting removes it; any other
/// replaces it whole.
#[derive(Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetSettingsRequest {
    pub provider: String,
    #[schema(value_type = Object)]
    pub config: Map<String, Value>,
}

impl std::fmt::Debug for SetSettingsRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SetSettingsRequest")
            .field("provider", &self.provider)
            .field("config", &self.config.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// The answer: the platform's `byok_config` with the provider's entry, whose
/// values the reference server withholds (an empty object), and (ours) the
/// names of the settings now stored.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SettingsSaved {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub success: Option<bool>,
    #[schema(value_type = BTreeMap<String, Object>)]
    pub byok_config: BTreeMap<String, Value>,
    /// (ours) Sorted; values are never answered.
    #[serde(default)]
    pub stored: Vec<String>,
}

impl SettingsSaved {
    /// The names of the provider's settings now stored: ours says them in
    /// `stored`; the hosted service echoes its settings, of which only the
    /// names are ever shown.
    pub fn names(&self, provider: &str) -> Vec<String> {
        if !self.stored.is_empty() {
            return self.stored.clone();
        }
        let mut names: Vec<String> = self
            .byok_config
            .get(provider)
            .and_then(Value::as_object)
            .map(|settings| settings.keys().cloned().collect())
            .unwrap_or_default();
        names.sort();
        names
    }
}

/// The request's own settings, each checked where it stands
/// (`config.<name>`).
pub fn validate_settings(config: &Map<String, Value>) -> Result<(), FieldError> {
    if config.len() > MAX_SETTINGS {
        return Err(FieldError::new(
            "config",
            format!("At most {MAX_SETTINGS} settings per provider."),
        ));
    }
    for (name, value) in config {
        let plain = name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'));
        if name.is_empty() || name.len() > MAX_SETTING_NAME || !plain {
            // The name is not repeated: a key pasted in the wrong place
            // must not come back in the answer.
            return Err(FieldError::new(
                "config",
                format!(
                    "A setting's name is 1-{MAX_SETTING_NAME} letters, digits, `_`, `-` or `.`."
                ),
            ));
        }
        let bytes = serde_json::to_string(value).map_or(usize::MAX, |text| text.len());
        if bytes > MAX_SETTING_BYTES {
            return Err(FieldError::new(
                format!("config.{name}"),
                format!(
                    "A setting's value is at most {} KiB of JSON.",
                    MAX_SETTING_BYTES / 1024
                ),
            ));
        }
    }
    Ok(())
}

/// `update` merged into `stored`: a `null` removes the setting, any other
/// value replaces it. Refused whole when the result holds too many.
pub fn merge_settings(
    stored: &mut Map<String, Value>,
    update: Map<String, Value>,
) -> Result<(), FieldError> {
    let mut merged = stored.clone();
    for (name, value) in update {
        if value.is_null() {
            merged.remove(&name);
        } else {
            merged.insert(name, value);
        }
    }
    if merged.len() > MAX_SETTINGS {
        return Err(FieldError::new(
            "config",
            format!("At most {MAX_SETTINGS} settings per provider; remove some with `null`."),
        ));
    }
    *stored = merged;
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn object(value: Value) -> Map<String, Value> {
        value.as_object().unwrap().clone()
    }

    #[test]
    fn a_merge_replaces_adds_and_removes_by_null() {
        let mut stored = object(json!({"region": "eu", "organization": "org-1"}));
        merge_settings(
            &mut stored,
            object(json!({"region": "us", "organization": null, "project": "p"})),
        )
        .unwrap();
        assert_eq!(
            Value::Object(stored),
            json!({"region": "us", "project": "p"})
        );
    }

    #[test]
    fn names_and_sizes_are_checked_where_they_stand() {
        let long = "x".repeat(MAX_SETTING_BYTES);
        let err = validate_settings(&object(json!({"region": long}))).unwrap_err();
        assert_eq!(err.param, "config.region");
        let err = validate_settings(&object(json!({"sk-pasted key": 1}))).unwrap_err();
        assert_eq!(err.param, "config");
        assert!(!err.message.contains("sk-pasted"));
    }

    #[test]
    fn debug_names_settings_but_never_their_values() {
        let req: SetSettingsRequest = serde_json::from_value(
            json!({"provider": "openai", "config": {"organization": "org-secret"}}),
        )
        .unwrap();
        let debug = format!("{req:?}");
        assert!(debug.contains("organization") && !debug.contains("org-secret"));
    }
}
