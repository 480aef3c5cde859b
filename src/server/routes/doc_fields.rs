//! The assistant's typed fields beside its configs (`speech_config`,
//! `recording_consent`), stated from the catalog's types as the configs are,
//! with what `validate::speech` checks beyond them.

use serde_json::Value;

use super::doc_config::field_schema;
use crate::domain::Catalog;
use crate::domain::validate::END_CALL_PHRASE_MIN_ALNUM;

/// What `validate::speech` checks beyond the types: a phrase's letters or
/// digits as a pattern, the delays' order in words (JSON Schema cannot
/// compare two fields).
fn speech_rules(schema: &mut Value) {
    let counted = format!(
        "[^{}{}\\x21-\\x2f\\x3a-\\x40\\x5b-\\x60\\x7b-\\x7e]",
        super::doc_rules::WHITE_SPACE,
        super::doc_text::control_class(&[])
    );
    let phrase = &mut schema["properties"]["end_call_phrases"]["items"];
    let pattern = (1..END_CALL_PHRASE_MIN_ALNUM)
        .fold(counted.clone(), |p, _| format!("{p}[\\s\\S]*{counted}"));
    phrase["pattern"] = pattern.into();
    phrase["description"] =
        "At least two letters or digits: not only spaces, punctuation and control characters"
            .into();
    schema["properties"]["turn_taking"]["description"] =
        "`endpointing_max_delay` is not below `endpointing_min_delay`".into();
}

/// The assistant's structured fields (`speech_config`, `recording_consent`)
/// as the catalog types them, on the assistant and on the bodies that write it.
pub fn add_assistant_fields(doc: &mut Value, cat: &Catalog) {
    for (name, spec) in &cat.voicedock.assistant_fields {
        let mut schema = field_schema(spec, (None, None));
        if name == "speech_config" {
            speech_rules(&mut schema);
        }
        for owner in [
            "Assistant",
            "AssistantDraft",
            super::doc_hosted::NEW_ASSISTANT,
        ] {
            let properties = &mut doc["components"]["schemas"][owner]["properties"];
            if properties.get(name.as_str()).is_some() {
                properties[name.as_str()] = schema.clone();
            }
        }
    }
}
