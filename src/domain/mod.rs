//! The vocabulary the server and the client share: one definition of every
//! wire type of the API, the provider rules, and the validation both sides run.

mod account;
mod assistant;
mod byok;
pub mod catalog;
mod check;
mod check_scrub;
mod error;
mod hosted;
pub mod json_diff;
mod known;
pub mod mcp;
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
pub use byok::{
    ByokConfig, ByokKeys, ByokState, DeleteKeyRequest, KeyInfo, ModelInfo, ProviderConfig,
    SetKeyRequest,
};
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
pub(crate) use provider::unsupported_provider;
pub use provider::{
    Category, MAX_CREDENTIAL_LEN, key_hint, validate_key_format, validate_provider_key,
};
pub(crate) use provider::{MAX_KEY_LEN, MIN_KEY_LEN};
pub use text::plain_text;
