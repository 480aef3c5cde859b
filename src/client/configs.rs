//! `"stt_config": null` and `"llm_config": null`: what they mean, and which
//! servers can be told. Ours takes null for any config (API.md: "null clears
//! it"); the hosted service's create takes no null config and its update
//! takes null for `tts_config` alone.

use std::borrow::Cow;

use super::ApiError;
use crate::domain::AssistantDraft;

/// `draft` without its null `stt_config` / `llm_config`. On create a null
/// config and a missing one mean the same, the platform's defaults, so they
/// are left out for every server without first asking which one it is.
pub(super) fn for_create(draft: &AssistantDraft) -> Cow<'_, AssistantDraft> {
    if draft.stt_config != Some(None) && draft.llm_config != Some(None) {
        return Cow::Borrowed(draft);
    }
    let mut draft = draft.clone();
    if draft.stt_config == Some(None) {
        draft.stt_config = None;
    }
    if draft.llm_config == Some(None) {
        draft.llm_config = None;
    }
    Cow::Owned(draft)
}

/// The first config `changes` clears that the hosted service cannot clear,
/// with what to choose instead.
pub(super) fn cleared(changes: &AssistantDraft) -> Option<(&'static str, &'static str)> {
    if changes.stt_config == Some(None) {
        Some(("stt_config", "a speech-to-text provider"))
    } else if changes.llm_config == Some(None) {
        Some(("llm_config", "a language model provider"))
    } else {
        None
    }
}

/// The refusal of an update that clears `field` on a server that is not ours.
pub(super) fn cannot_clear(field: &str, instead: &str) -> ApiError {
    ApiError::Validation {
        code: "invalid_request".into(),
        message: format!(
            "the hosted service cannot clear {field} (only tts_config may be null there); \
             choose {instead} instead"
        )
        .into(),
        param: Some(field.to_owned()),
    }
}
