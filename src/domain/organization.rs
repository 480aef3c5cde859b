//! Organizations: an account, the child organizations it runs (an agency's
//! clients, each with its own key and data) and how long it keeps calls.

use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize, Serializer};

use super::FieldError;

/// What the platform allows for a call's content (recordings, transcripts).
pub const CONTENT_RETENTION_DAYS: [u32; 4] = [30, 90, 180, 365];
/// What it allows for a call's metadata, which may outlive the content.
pub const METADATA_RETENTION_DAYS: [u32; 5] = [30, 90, 180, 365, 730];

pub const ORGANIZATION_NAME_MAX: usize = 200;

/// An organization's name as stored: trimmed, one line, 1 to 200
/// characters. `field` is how an error names it.
pub fn checked_organization_name(field: &str, name: &str) -> Result<String, FieldError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(FieldError::new(field, format!("{field} must not be empty")));
    }
    if name.chars().count() > ORGANIZATION_NAME_MAX {
        return Err(FieldError::new(
            field,
            format!("{field} is at most {ORGANIZATION_NAME_MAX} characters"),
        ));
    }
    super::validate::validate_text(field, name, false)?;
    Ok(name.to_owned())
}

/// `GET /api/v1/organizations` on our server, and `PATCH`'s answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Organization {
    pub id: String,
    pub name: String,
    /// The same as `name`, for clients of `/account`.
    pub company_name: String,
    pub active_agents: u64,
    /// The organization this one bills to; null for a top-level one.
    pub parent_org_id: Option<String>,
    pub created_at: String,
    /// Null until set: the platform's default applies.
    pub content_retention_days: Option<u32>,
    pub metadata_retention_days: Option<u32>,
    /// Only with `?include_children=true`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub children: Option<Vec<ChildOrganization>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ChildOrganization {
    pub id: String,
    pub name: String,
    pub created_at: String,
}

/// `POST /api/v1/organizations`: a child of the caller's organization.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateOrganizationRequest {
    pub name: String,
    /// May only name the caller's own organization, which is the parent
    /// either way.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_org_id: Option<String>,
}

/// The answer to a create: the only time the new organization's key is
/// ever sent.
#[derive(Debug, Deserialize, Serialize, utoipa::ToSchema)]
pub struct CreatedOrganization {
    pub id: String,
    pub name: String,
    pub parent_org_id: Option<String>,
    #[serde(serialize_with = "expose")]
    #[schema(value_type = String)]
    pub api_key: SecretString,
    pub created_at: String,
}

fn expose<S: Serializer>(secret: &SecretString, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(secret.expose_secret())
}

/// `PATCH /api/v1/organizations`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RetentionRequest {
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "days_not_null"
    )]
    pub content_retention_days: Option<u32>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "days_not_null"
    )]
    pub metadata_retention_days: Option<u32>,
}

/// A retention is left out to keep it; `null` would read as "keep" too,
/// silently, where the operator may have meant "the default": refused.
fn days_not_null<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    u32::deserialize(d).map(Some)
}

/// The retention an organization ends up with after `change`, or what is
/// wrong with it by field. `stored` is what it has now: a change of one
/// field is checked against the other as stored.
pub fn checked_retention(
    change: &RetentionRequest,
    stored: (Option<u32>, Option<u32>),
) -> Result<(Option<u32>, Option<u32>), FieldError> {
    if change.content_retention_days.is_none() && change.metadata_retention_days.is_none() {
        return Err(FieldError::new(
            "",
            "Give content_retention_days, metadata_retention_days or both.",
        ));
    }
    let allowed = |field: &str, days: Option<u32>, choices: &[u32]| match days {
        Some(d) if !choices.contains(&d) => Err(FieldError::new(
            field,
            format!("{field} must be one of {}.", list(choices)),
        )),
        _ => Ok(()),
    };
    allowed(
        "content_retention_days",
        change.content_retention_days,
        &CONTENT_RETENTION_DAYS,
    )?;
    allowed(
        "metadata_retention_days",
        change.metadata_retention_days,
        &METADATA_RETENTION_DAYS,
    )?;
    let content = change.content_retention_days.or(stored.0);
    let metadata = change.metadata_retention_days.or(stored.1);
    if let (Some(c), Some(m)) = (content, metadata)
        && c > m
    {
        // The field named is the one this request set; when it set both,
        // the content is what is kept too long. Valid alone but not beside
        // what is stored is a conflict, as for an assistant.
        let both_given =
            change.content_retention_days.is_some() && change.metadata_retention_days.is_some();
        let field = if change.content_retention_days.is_some() {
            "content_retention_days"
        } else {
            "metadata_retention_days"
        };
        let error = FieldError::new(
            field,
            format!(
                "Content cannot be kept longer than its metadata: {c} days of content against {m} days of metadata."
            ),
        );
        return Err(if both_given {
            error
        } else {
            error.with_code(super::ErrorCode::Conflict)
        });
    }
    Ok((content, metadata))
}

fn list(choices: &[u32]) -> String {
    choices
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(content: Option<u32>, metadata: Option<u32>) -> RetentionRequest {
        RetentionRequest {
            content_retention_days: content,
            metadata_retention_days: metadata,
        }
    }

    #[test]
    fn retention_is_checked_by_field_and_against_what_is_stored() {
        assert_eq!(
            checked_retention(&change(Some(90), Some(730)), (None, None)),
            Ok((Some(90), Some(730)))
        );
        let param = |c, m, stored| checked_retention(&change(c, m), stored).unwrap_err().param;
        assert_eq!(
            param(Some(60), None, (None, None)),
            "content_retention_days"
        );
        assert_eq!(
            param(Some(730), None, (None, None)),
            "content_retention_days"
        );
        assert_eq!(
            param(None, Some(7), (None, None)),
            "metadata_retention_days"
        );
        assert_eq!(
            param(Some(365), Some(90), (None, None)),
            "content_retention_days"
        );
        assert_eq!(
            param(None, Some(30), (Some(90), None)),
            "metadata_retention_days"
        );
        assert_eq!(param(None, None, (None, None)), "");
        let stored_conflict =
            checked_retention(&change(Some(365), None), (None, Some(90))).unwrap_err();
        assert_eq!(stored_conflict.code, crate::domain::ErrorCode::Conflict);
        assert_eq!(
            checked_retention(&change(None, Some(180)), (Some(90), Some(365))),
            Ok((Some(90), Some(180)))
        );
    }
}
