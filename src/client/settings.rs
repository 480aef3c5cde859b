//! `POST /byok/config`: a provider's settings, sent and never read back.
//! Their names are not documented, so every text in them is treated as a
//! secret: hidden from whatever the server says back, errors included.

use reqwest::Method;
use serde_json::{Map, Value};

use super::wire::{parse, to_body};
use super::{ApiClient, ApiError};
use crate::domain::{SetSettingsRequest, SettingsSaved};

impl ApiClient {
    /// Merges `config` into the provider's stored settings. The answer's
    /// values (the hosted service echoes them) are for no one to show; use
    /// [`SettingsSaved::names`].
    pub async fn set_settings(
        &self,
        provider: &str,
        config: Map<String, Value>,
    ) -> Result<SettingsSaved, ApiError> {
        let mut secrets = Vec::new();
        texts_in(&Value::Object(config.clone()), &mut secrets);
        let request = SetSettingsRequest {
            provider: provider.to_owned(),
            config,
        };
        let body = to_body(&request)?;
        let hiding = self.hiding(secrets.iter().map(String::as_str));
        let pieces = hiding.hidden_pieces().clone();
        let answer = hiding
            .send(
                Method::POST,
                self.at(&["byok", "config"])?,
                Some(body),
                None,
                true,
            )
            .await
            .map_err(|e| e.hidden(&pieces))?;
        parse::<SettingsSaved>(&answer.body).map_err(|e| e.hidden(&pieces))
    }
}

/// Every string in `value`, values and names alike.
fn texts_in(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(text) => out.push(text.clone()),
        Value::Array(items) => items.iter().for_each(|item| texts_in(item, out)),
        Value::Object(map) => {
            for (name, item) in map {
                out.push(name.clone());
                texts_in(item, out);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_of_the_settings_is_hidden() {
        let mut texts = Vec::new();
        texts_in(
            &serde_json::json!({"a": ["x1", {"b": "x2"}], "c": 3}),
            &mut texts,
        );
        assert_eq!(texts, ["a", "x1", "b", "x2", "c"]);
    }
}
