//! The account header: `GET /organizations` (the hosted service's current
//! route), else the deprecated `GET /account` that older servers have.

use std::sync::atomic::Ordering;

use serde::Deserialize;
use serde_json::Value;

use super::wire::{decode, parse};
use super::{ApiClient, ApiError};
use crate::domain::{Account, ChildOrganization};

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
    #[serde(default)]
    monthly_usage_minutes: Option<f64>,
    #[serde(default)]
    active_calls: Option<u64>,
    #[serde(default)]
    children: Option<Vec<ChildOrganization>>,
}

impl Organization {
    fn split(self) -> (Account, Vec<ChildOrganization>) {
        let account = Account {
            id: self.id,
            company_name: self.company_name.or(self.name),
            active_agents: self.active_agents,
            minutes_balance: self.minutes_balance,
            parent_org_id: self.parent_org_id,
            monthly_usage_minutes: self.monthly_usage_minutes,
            active_calls: self.active_calls,
        };
        (account, self.children.unwrap_or_default())
    }
}

/// The organization (or account), bare as documented or wrapped as the
/// other resources are (`{"organization": {...}}`).
fn organization(body: &[u8]) -> Result<Account, ApiError> {
    Ok(organization_tree(body)?.0)
}

fn organization_tree(body: &[u8]) -> Result<(Account, Vec<ChildOrganization>), ApiError> {
    let value: Value = parse(body)?;
    let org: Organization = match value.get("organization") {
        Some(inner) if inner.is_object() => decode(inner.clone())?,
        _ => decode(value)?,
    };
    Ok(org.split())
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

    /// The key's organization and the child organizations it runs
    /// (`?include_children=true`); a server without organizations has none.
    pub async fn organization_tree(&self) -> Result<(Account, Vec<ChildOrganization>), ApiError> {
        let mut url = self.at(&["organizations"])?;
        url.set_query(Some("include_children=true"));
        match self.send(reqwest::Method::GET, url, None, None, true).await {
            Ok(answer) => organization_tree(&answer.body),
            Err(e) if route_missing(&e) => Ok((self.account().await?, Vec::new())),
            Err(e) => Err(e),
        }
    }
}
