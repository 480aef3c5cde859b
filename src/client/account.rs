//! The account header: `GET /organizations` (the hosted service's current
//! route), else the deprecated `GET /account` that older servers have.

use std::sync::atomic::Ordering;

use serde::Deserialize;
use serde_json::Value;

use super::wire::{decode, parse};
use super::{ApiClient, ApiError};
use crate::domain::Account;

/// An organization as the hosted service describes it (`name`, balances,
/// counters) or as ours does (`company_name`, the fields of `/account`).
#[derive(Deserialize)]
struct Organization {
    id: String,
    #[serde(default)]
    company_name: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    active_agents: Option<u64>,
    #[serde(default)]
    minutes_balance: Option<f64>,
    #[serde(default)]
    parent_org_id: Option<String>,
}

impl From<Organization> for Account {
    fn from(org: Organization) -> Account {
        Account {
            id: org.id,
            company_name: org.company_name.or(org.name),
            active_agents: org.active_agents,
            minutes_balance: org.minutes_balance,
            parent_org_id: org.parent_org_id,
        }
    }
}

/// The organization (or account), bare as documented or wrapped as the
/// other resources are (`{"organization": {...}}`).
fn organization(body: &[u8]) -> Result<Account, ApiError> {
    let value: Value = parse(body)?;
    let org: Organization = match value.get("organization") {
        Some(inner) if inner.is_object() => decode(inner.clone())?,
        _ => decode(value)?,
    };
    Ok(org.into())
}

/// A server without the route: the older `/account` is what it has.
fn route_missing(e: &ApiError) -> bool {
    matches!(
        e,
        ApiError::NotFound(_) | ApiError::Http { status: 405, .. }
    )
}

impl ApiClient {
    /// Who the key belongs to. After one 404 or 405 from `/organizations`
    /// this client asks `/account` directly, so a refresh costs one request.
    pub async fn account(&self) -> Result<Account, ApiError> {
        if !self.inner.no_organizations.load(Ordering::Relaxed) {
            let url = self.at(&["organizations"])?;
            match self.send(reqwest::Method::GET, url, None, None, true).await {
                Ok(answer) => return organization(&answer.body),
                Err(e) if route_missing(&e) => {
                    self.inner.no_organizations.store(true, Ordering::Relaxed);
                }
                Err(e) => return Err(e),
            }
        }
        let url = self.at(&["account"])?;
        let answer = self
            .send(reqwest::Method::GET, url, None, None, true)
            .await?;
        organization(&answer.body)
    }
}
