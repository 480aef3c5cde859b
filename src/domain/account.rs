use serde::{Deserialize, Serialize};

/// `GET /api/v1/account`, and what a client reads of `GET /api/v1/organizations`.
/// The hosted service adds balances and counters; unknown fields are ignored.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Account {
    pub id: String,
    #[serde(default)]
    pub company_name: Option<String>,
    #[serde(default)]
    pub active_agents: Option<u64>,
    /// The hosted organization's `minutes_balance`: calling minutes left.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minutes_balance: Option<f64>,
    /// Set on the hosted service when this is a child organization of an agency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_org_id: Option<String>,
    /// The hosted organization's minutes used this month.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monthly_usage_minutes: Option<f64>,
    /// The hosted organization's calls in progress.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active_calls: Option<u64>,
}

/// `GET /api/v1/health`: `status` is `ok`, or (ours) `degraded` while the
/// store cannot write.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Health {
    pub status: String,
    pub version: String,
    /// (ours) `writes_failing` since a write failed for want of disk space
    /// or by an I/O error, until a write succeeds again; absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub store: Option<String>,
}

/// `{"success": true}`, which the hosted service answers on some deletes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Success {
    pub success: bool,
}
