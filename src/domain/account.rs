use serde::{Deserialize, Serialize};

/// `GET /api/v1/account`. The hosted service adds balances and counters;
/// unknown fields are ignored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Account {
    pub id: String,
    #[serde(default)]
    pub company_name: Option<String>,
    #[serde(default)]
    pub active_agents: Option<u64>,
}

/// `GET /api/v1/health`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Health {
    pub status: String,
    pub version: String,
}

/// `{"success": true}`, which the hosted service answers on some deletes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Success {
    pub success: bool,
}
