//! The vocabulary the server and the client share: one definition of every
//! wire type of the API, the provider rules, and the validation both sides run.

mod account;
mod assistant;
mod assistant_name;
mod byok;
mod byok_settings;
mod call;
pub mod catalog;
mod check;
mod check_scrub;
mod error;
mod hosted;
pub mod json_diff;
mod known;
pub mod mcp;
mod organization;
mod provider;
pub mod safe_json;
pub mod secrets;
pub mod text;
pub mod validate;

pub use account::{Account, Health, Success};
pub use assistant::{
    Assistant, AssistantDraft, AssistantEnvelope, AssistantList, LlmConfig, Message, Pagination,
    SttConfig, TtsConfig,
};
pub use assistant_name::{NameLookup, find_assistant};
pub use byok::{
    ByokConfig, ByokKeys, ByokState, DeleteKeyRequest, KeyInfo, ModelInfo, ProviderConfig,
    SetKeyRequest,
};
pub use byok_settings::{
    MAX_SETTING_BYTES, MAX_SETTING_NAME, MAX_SETTINGS, SetSettingsRequest, SettingsSaved,
    merge_settings, validate_settings,
};
pub use call::{Call, CallList, CallMessage, CallStatus, NumberList, PhoneNumber};
pub use catalog::{Catalog, CatalogSource, SectionId};
pub use check::{
    CheckCall, CheckKeyRequest, CheckNeeds, Found, KeyCheck, LibraryVoice, Quota, SectionUse,
    Verdict,
};
pub use error::{ApiErrorBody, ErrorCode, ErrorDetail, FieldError, quoted, without_string_value};
pub use hosted::{
    HOSTED_FIELDS, HostedField, HostedKind, hosted_field, is_writable, validate_hosted,
};
pub use known::UnknownField;
pub use organization::{
    CONTENT_RETENTION_DAYS, ChildOrganization, CreateOrganizationRequest, CreatedOrganization,
    METADATA_RETENTION_DAYS, ORGANIZATION_NAME_MAX, Organization, RetentionRequest,
    checked_organization_name, checked_retention,
};
pub(crate) use provider::unsupported_provider;
pub use provider::{
    Category, MAX_CREDENTIAL_LEN, key_hint, validate_key_format, validate_provider_key,
};
pub(crate) use provider::{MAX_KEY_LEN, MIN_KEY_LEN};
pub use text::plain_text;
