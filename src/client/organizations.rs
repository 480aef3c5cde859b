//! Child organizations and retention. A new organization's key arrives once,
//! in the create's answer: it is taken out of the body before anything else
//! reads it, and the body is wiped.

use reqwest::Method;
use secrecy::SecretString;
use serde::Deserialize;
use serde_json::{Value, json};
use zeroize::Zeroize;

use super::wire::{decode, parse, to_body};
use super::{ApiClient, ApiError};
use crate::domain::{CreatedOrganization, RetentionRequest};

/// The create's answer without its key.
#[derive(Deserialize)]
struct Created {
    id: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    parent_org_id: Option<String>,
    #[serde(default)]
    created_at: Option<String>,
}

impl ApiClient {
    /// `POST /organizations {name}`: a child of this key's organization.
    /// Its key is a secret from the moment it is read.
    pub async fn create_organization(&self, name: &str) -> Result<CreatedOrganization, ApiError> {
        let body = to_body(&json!({ "name": name }))?;
        let mut answer = self
            .send(
                Method::POST,
                self.at(&["organizations"])?,
                Some(body),
                None,
                true,
            )
            .await?;
        let parsed = parse::<Value>(&answer.body);
        answer.body.zeroize();
        let mut value = parsed?;
        let org = match value.get_mut("organization") {
            Some(inner) if inner.is_object() => inner.take(),
            _ => value,
        };
        split_key(org, name)
    }

    /// `PATCH /organizations` with the retention given; the answer's body
    /// unchanged.
    pub async fn set_retention(&self, change: &RetentionRequest) -> Result<Value, ApiError> {
        let body = to_body(change)?;
        let answer = self
            .send(
                Method::PATCH,
                self.at(&["organizations"])?,
                Some(body),
                None,
                true,
            )
            .await?;
        super::wire::parse_or_null(&answer.body)
    }
}

fn split_key(mut org: Value, asked_name: &str) -> Result<CreatedOrganization, ApiError> {
    let api_key = match org.get_mut("api_key").map(Value::take) {
        Some(Value::String(key)) if !key.is_empty() => SecretString::from(key),
        _ => {
            return Err(ApiError::Malformed(
                "the server created the organization but sent no API key for it".into(),
            ));
        }
    };
    let created: Created = decode(org)?;
    Ok(CreatedOrganization {
        id: created.id,
        name: created.name.unwrap_or_else(|| asked_name.to_owned()),
        parent_org_id: created.parent_org_id,
        api_key,
        created_at: created.created_at.unwrap_or_default(),
    })
}
