//! Our part of the catalog document: what a console needs to know of each
//! BYOK secret, and the provider-specific config fields with their types.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::domain::Category;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Ours {
    /// Every BYOK secret the platform keeps, in the order `GET /byok` lists them.
    #[serde(default)]
    pub byok_secrets: Vec<SecretInfo>,
    /// Section → provider (or `*` for every provider of it) → field → type.
    /// A config field named nowhere here is unknown to the platform.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub config_fields: BTreeMap<String, BTreeMap<String, BTreeMap<String, FieldSpec>>>,
    /// Section → provider → models this server accepts that the hosted
    /// platform no longer offers (the seed's `gpt-4o`): ours, and said so
    /// wherever a hosted service is the one asked.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[schema(value_type = Object)]
    pub ours_only_models: BTreeMap<String, BTreeMap<String, Vec<String>>>,
    /// The assistant's structured fields beside the configs
    /// (`speech_config`, `recording_consent`) with their types and ranges.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[schema(value_type = Object)]
    pub assistant_fields: BTreeMap<String, FieldSpec>,
}

/// One BYOK secret: `openai_secret_id` is set with `{"provider": "openai"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SecretInfo {
    pub secret: String,
    pub provider: String,
    pub label: String,
    pub categories: Vec<Category>,
    #[serde(default)]
    pub docs_url: String,
    #[serde(default)]
    pub keys_url: String,
    /// "Get your key" steps, shown in the key form.
    #[serde(default)]
    pub setup: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    pub key_format: KeyFormat,
}

/// What a key looks like, checked before it is stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum KeyFormat {
    /// One line of printable ASCII, with a documented prefix where there is one.
    Token {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        prefix: Option<String>,
    },
    /// A JSON document of several lines (a service-account key) with these
    /// string fields, and its `type` when the provider takes only one kind.
    JsonCredential {
        required_fields: Vec<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        document_type: Option<String>,
    },
}

impl KeyFormat {
    pub fn prefix(&self) -> Option<&str> {
        match self {
            KeyFormat::Token { prefix } => prefix.as_deref(),
            KeyFormat::JsonCredential { .. } => None,
        }
    }

    pub fn is_multi_line(&self) -> bool {
        matches!(self, KeyFormat::JsonCredential { .. })
    }
}

/// The type of a provider-specific config field: the subset of JSON Schema
/// the platform's own `schemas` use for them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FieldSpec {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum: Option<f64>,
    #[serde(default, rename = "enum", skip_serializing_if = "Vec::is_empty")]
    #[schema(value_type = Vec<Object>)]
    pub allowed: Vec<Value>,
    #[serde(default, rename = "maxItems", skip_serializing_if = "Option::is_none")]
    pub max_items: Option<usize>,
    #[serde(default, rename = "minItems", skip_serializing_if = "Option::is_none")]
    pub min_items: Option<usize>,
    #[serde(default, rename = "maxLength", skip_serializing_if = "Option::is_none")]
    pub max_length: Option<usize>,
    #[serde(default, rename = "minLength", skip_serializing_if = "Option::is_none")]
    pub min_length: Option<usize>,
    /// `null` is taken too: it puts the platform's default back.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub nullable: bool,
    /// The properties an object must hold.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub required: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Object)]
    pub items: Option<Box<FieldSpec>>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[schema(value_type = Object)]
    pub properties: BTreeMap<String, FieldSpec>,
}

impl FieldSpec {
    /// Checks `value` against this type. The error is `(path below the field,
    /// sentence)`; the sentence never repeats the value.
    pub fn check(&self, value: &Value) -> Result<(), (String, String)> {
        let fail = |m: String| Err((String::new(), m));
        if value.is_null() && self.nullable {
            return Ok(());
        }
        let type_ok = match self.kind.as_str() {
            "boolean" => value.is_boolean(),
            // `5.0` is an integer to JSON Schema too.
            "integer" => value.as_f64().is_some_and(|f| f.fract() == 0.0),
            "number" => value.is_number(),
            "string" => value.is_string(),
            "array" => value.is_array(),
            "object" => value.is_object(),
            _ => true,
        };
        if !type_ok {
            let article = if self.kind == "integer" || self.kind == "object" || self.kind == "array"
            {
                "an"
            } else {
                "a"
            };
            return fail(format!("must be {article} {}", self.kind));
        }
        if !self.allowed.is_empty() && !self.allowed.iter().any(|a| same(a, value)) {
            let names: Vec<String> = self.allowed.iter().map(Value::to_string).collect();
            return fail(format!("must be one of {}", names.join(", ")));
        }
        if let Some(n) = value.as_f64() {
            let below = self.minimum.is_some_and(|min| n < min);
            let above = self.maximum.is_some_and(|max| n > max);
            if below || above {
                return fail(range_text(self.minimum, self.maximum));
            }
        }
        if let Some(s) = value.as_str() {
            let len = s.chars().count();
            if let Some(max) = self.max_length
                && len > max
            {
                return fail(format!("is at most {max} characters"));
            }
            if let Some(min) = self.min_length
                && len < min
            {
                return fail(format!("is at least {min} characters"));
            }
        }
        if let Some(items) = value.as_array() {
            if let Some(max) = self.max_items
                && items.len() > max
            {
                return fail(format!("takes at most {max} items"));
            }
            if let Some(min) = self.min_items
                && items.len() < min
            {
                return fail(format!("takes at least {min} items"));
            }
            if let Some(spec) = &self.items {
                for (i, item) in items.iter().enumerate() {
                    spec.check(item)
                        .map_err(|(path, m)| (format!("[{i}]{path}"), m))?;
                }
            }
        }
        if let Some(object) = value.as_object()
            && let Some(missing) = self.required.iter().find(|r| !object.contains_key(*r))
        {
            return Err((format!(".{missing}"), "is required".to_owned()));
        }
        if let (false, Some(object)) = (self.properties.is_empty(), value.as_object()) {
            for (name, item) in object {
                let Some(spec) = self.properties.get(name) else {
                    // A name that may be a secret sent in the wrong place is
                    // not repeated, not even in the path.
                    return Err(match crate::domain::quoted(name) {
                        Some(_) => (format!(".{name}"), "is not a known field".to_owned()),
                        None => (
                            String::new(),
                            "has a field it does not know (its name is not repeated)".to_owned(),
                        ),
                    });
                };
                spec.check(item)
                    .map_err(|(path, m)| (format!(".{name}{path}"), m))?;
            }
        }
        Ok(())
    }
}

/// `16000` and `16000.0` are the same sample rate.
fn same(a: &Value, b: &Value) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

pub(crate) fn range_text(min: Option<f64>, max: Option<f64>) -> String {
    match (min, max) {
        (Some(min), Some(max)) => format!("must be between {min} and {max}"),
        (Some(min), None) => format!("must be at least {min}"),
        (None, Some(max)) => format!("must be at most {max}"),
        (None, None) => "is out of range".to_owned(),
    }
}
