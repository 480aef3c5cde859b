//! The assistant's structured fields beside its configs (`speech_config`,
//! `recording_consent`): their types and ranges come from the catalog
//! (`voicedock.assistant_fields`), and the rules a type cannot say are here.

use serde_json::{Map, Value};

use super::{Check, Checker};
use crate::domain::FieldError;

/// An end-call phrase must be something a caller can say: at least this
/// many letters or digits, not spaces and punctuation alone.
pub const END_CALL_PHRASE_MIN_ALNUM: usize = 2;

/// A character that counts as a letter or digit of a phrase: anything but
/// white space, ASCII punctuation and control characters. Stated so (rather
/// than as Unicode's letter classes) because a regular expression that
/// ECMA-262 and Python read alike can say exactly this, and the OpenAPI
/// document says it.
pub fn counts_as_letter_or_digit(c: char) -> bool {
    !c.is_whitespace() && !c.is_ascii_punctuation() && !c.is_control()
}

impl Checker<'_> {
    /// Each field of `extra` the catalog types, checked against its type;
    /// the error's path goes down to the value at fault.
    pub(super) fn assistant_fields(&self, extra: &Map<String, Value>) -> Check {
        for (name, value) in extra {
            let Some(spec) = self.cat.assistant_field(name) else {
                continue;
            };
            spec.check(value).map_err(|(below, m)| {
                FieldError::new(format!("{name}{below}"), format!("{name}{below} {m}"))
            })?;
        }
        if let Some(speech) = extra.get("speech_config") {
            speech_rules(speech).map_err(|e| e.under("speech_config"))?;
        }
        Ok(())
    }
}

fn speech_rules(speech: &Value) -> Check {
    let turn = &speech["turn_taking"];
    let min = turn["endpointing_min_delay"].as_f64();
    if let (Some(min), Some(max)) = (min, turn["endpointing_max_delay"].as_f64())
        && max < min
    {
        return Err(FieldError::new(
            "turn_taking.endpointing_max_delay",
            format!(
                "turn_taking.endpointing_max_delay must not be below endpointing_min_delay ({min})"
            ),
        ));
    }
    let phrases = speech["end_call_phrases"].as_array().into_iter().flatten();
    for (i, phrase) in phrases.enumerate() {
        let alnum = phrase.as_str().map_or(0, |p| {
            p.chars().filter(|c| counts_as_letter_or_digit(*c)).count()
        });
        if alnum < END_CALL_PHRASE_MIN_ALNUM {
            let path = format!("end_call_phrases[{i}]");
            return Err(FieldError::new(
                path.as_str(),
                format!("{path} must hold at least {END_CALL_PHRASE_MIN_ALNUM} letters or digits"),
            ));
        }
    }
    Ok(())
}
