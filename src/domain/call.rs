//! Calls and phone numbers as the platform describes them (`GET /calls`,
//! `GET /calls/{id}`, `GET /numbers`). Our server has no telephone line: it
//! keeps the calls something recorded and has no numbers of its own.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::Pagination;

/// A call's status. The platform may add statuses; one this version does
/// not know is kept as sent rather than refused, so a list still reads.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum CallStatus {
    Dialing,
    Ringing,
    InProgress,
    Ended,
    EndedWithError,
    Transferred,
    Rejected,
    InsufficientCredits,
    Other(String),
}

impl CallStatus {
    /// The statuses the platform documents, as `?status=` takes them.
    pub const DOCUMENTED: [&'static str; 8] = [
        "dialing",
        "ringing",
        "in-progress",
        "ended",
        "ended-with-error",
        "transferred",
        "rejected",
        "insufficient-credits",
    ];

    pub fn parse(text: &str) -> CallStatus {
        match text {
            "dialing" => CallStatus::Dialing,
            "ringing" => CallStatus::Ringing,
            "in-progress" => CallStatus::InProgress,
            "ended" => CallStatus::Ended,
            "ended-with-error" => CallStatus::EndedWithError,
            "transferred" => CallStatus::Transferred,
            "rejected" => CallStatus::Rejected,
            "insufficient-credits" => CallStatus::InsufficientCredits,
            other => CallStatus::Other(other.to_owned()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            CallStatus::Dialing => "dialing",
            CallStatus::Ringing => "ringing",
            CallStatus::InProgress => "in-progress",
            CallStatus::Ended => "ended",
            CallStatus::EndedWithError => "ended-with-error",
            CallStatus::Transferred => "transferred",
            CallStatus::Rejected => "rejected",
            CallStatus::InsufficientCredits => "insufficient-credits",
            CallStatus::Other(text) => text,
        }
    }

    /// A call that did not go as meant: it ended on an error, or never
    /// started for want of credits or because it was refused.
    pub fn failed(&self) -> bool {
        matches!(
            self,
            CallStatus::EndedWithError | CallStatus::InsufficientCredits | CallStatus::Rejected
        )
    }

    /// A call still on the line or on its way there.
    pub fn live(&self) -> bool {
        matches!(
            self,
            CallStatus::Dialing | CallStatus::Ringing | CallStatus::InProgress
        )
    }
}

impl Serialize for CallStatus {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for CallStatus {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(CallStatus::parse(&String::deserialize(d)?))
    }
}

impl utoipa::PartialSchema for CallStatus {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .description(Some(
                "dialing, ringing, in-progress, ended, ended-with-error, transferred, \
                 rejected or insufficient-credits; a client keeps one it does not know",
            ))
            .into()
    }
}

impl utoipa::ToSchema for CallStatus {}

/// One turn of a call's transcript.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CallMessage {
    #[serde(default)]
    pub role: Option<String>,
    /// Some servers name the text `message`.
    #[serde(default, alias = "message")]
    pub content: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Call {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caller_phone: Option<String>,
    #[serde(default)]
    pub assistant_phone: Option<String>,
    pub status: CallStatus,
    /// inbound, outbound or web.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direction: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_seconds: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub analysis_result: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub messages: Option<Vec<CallMessage>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub room_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recording_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    pub created_at: String,
    #[serde(default)]
    pub updated_at: Option<String>,
}

/// `GET /calls`: a page, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CallList {
    pub calls: Vec<Call>,
    pub pagination: Pagination,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PhoneNumber {
    pub id: String,
    pub phone_number: String,
    #[serde(default)]
    pub agent_id: Option<String>,
    #[serde(default)]
    pub agent_name: Option<String>,
    #[serde(default)]
    pub workflow_id: Option<String>,
    #[serde(default)]
    pub workflow_name: Option<String>,
    #[serde(default)]
    pub transfer_trunk_id: Option<String>,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub is_active: Option<bool>,
}

/// `GET /numbers`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct NumberList {
    pub numbers: Vec<PhoneNumber>,
}
