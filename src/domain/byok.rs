use secrecy::{ExposeSecret, SecretString};
use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::Category;

/// `POST /api/v1/byok`. The key is a secret from the moment it is parsed:
/// its `Debug` is redacted and it is exposed only to encrypt or to send.
#[derive(Debug, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetKeyRequest {
    pub provider: String,
    #[serde(serialize_with = "expose")]
    #[schema(value_type = String)]
    pub api_key: SecretString,
}

fn expose<S: Serializer>(secret: &SecretString, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(secret.expose_secret())
}

/// `DELETE /api/v1/byok`.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeleteKeyRequest {
    pub provider: String,
}

/// The seed's `byok_keys` object: `"<provider>_secret_id": "<id>" | null`, in
/// the server's order. Any `*_secret_id` entry is a provider, known or not.
#[derive(Debug, Clone, Default, PartialEq, Eq, utoipa::ToSchema)]
#[schema(value_type = std::collections::BTreeMap<String, Option<String>>)]
pub struct ByokKeys(pub Vec<(String, Option<String>)>);

/// How a BYOK secret's name ends: `openai` is `openai_secret_id`.
pub(crate) const SECRET_ID_SUFFIX: &str = "_secret_id";

impl ByokKeys {
    pub fn secret_id(&self, provider: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(p, _)| p == provider)
            .and_then(|(_, id)| id.as_deref())
    }

    pub fn is_configured(&self, provider: &str) -> bool {
        self.secret_id(provider).is_some()
    }

    pub fn providers(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(p, _)| p.as_str())
    }
}

impl Serialize for ByokKeys {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (provider, id) in &self.0 {
            map.serialize_entry(&format!("{provider}{SECRET_ID_SUFFIX}"), id)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for ByokKeys {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeysVisitor;
        impl<'de> Visitor<'de> for KeysVisitor {
            type Value = ByokKeys;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object of <provider>_secret_id entries")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ByokKeys, A::Error> {
                let mut keys = Vec::new();
                while let Some(name) = map.next_key::<String>()? {
                    // Anything else a newer server puts here is not ours to judge.
                    let value: serde_json::Value = map.next_value()?;
                    if let Some(provider) = name.strip_suffix(SECRET_ID_SUFFIX) {
                        let id = value.as_str().map(str::to_owned);
                        keys.push((provider.to_owned(), id));
                    }
                }
                Ok(ByokKeys(keys))
            }
        }
        d.deserialize_map(KeysVisitor)
    }
}

/// A configured provider as the reference server describes it (ours).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct KeyInfo {
    pub provider: String,
    pub secret_id: String,
    #[serde(default)]
    pub key_hint: Option<String>,
    #[serde(default)]
    pub updated_at: Option<String>,
}

/// The answer of GET, POST and DELETE on `/api/v1/byok`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ByokState {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub success: Option<bool>,
    pub byok_keys: ByokKeys,
    #[serde(default)]
    pub keys: Vec<KeyInfo>,
}

impl ByokState {
    pub fn key_info(&self, provider: &str) -> Option<&KeyInfo> {
        self.keys.iter().find(|k| k.provider == provider)
    }
}

/// `GET /api/v1/byok/config`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ByokConfig {
    pub providers: Vec<ProviderConfig>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ProviderConfig {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default = "other_category")]
    pub category: Category,
    #[serde(rename = "docsUrl", default, skip_serializing_if = "Option::is_none")]
    pub docs_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub configured: Option<bool>,
    #[serde(default)]
    pub models: Vec<ModelInfo>,
}

fn other_category() -> Category {
    Category::Other
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ModelInfo {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub default: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub languages: Option<Vec<String>>,
    /// (ours) Still accepted, but on its way out.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub legacy: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byok_keys_keep_order_and_accept_unknown_providers() {
        let json =
            r#"{"deepgram_secret_id":"a","openai_secret_id":null,"xai_secret_id":"x","note":1}"#;
        let keys: ByokKeys = serde_json::from_str(json).unwrap();
        assert_eq!(
            keys.providers().collect::<Vec<_>>(),
            ["deepgram", "openai", "xai"]
        );
        assert!(keys.is_configured("xai"));
        assert!(!keys.is_configured("openai"));
        let back = serde_json::to_string(&keys).unwrap();
        assert_eq!(
            back,
            r#"{"deepgram_secret_id":"a","openai_secret_id":null,"xai_secret_id":"x"}"#
        );
    }

    #[test]
    fn set_key_request_debug_is_redacted() {
        let req: SetKeyRequest =
            serde_json::from_str(r#"{"provider":"openai","api_key":"sk-verysecret"}"#).unwrap();
        assert!(!format!("{req:?}").contains("verysecret"));
        assert!(
            serde_json::to_string(&req)
                .unwrap()
                .contains("sk-verysecret")
        );
    }
}
