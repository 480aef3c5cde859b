//! Enter on the editor's TTS provider and voice fields: the pickers they
//! open, or why there is none.

use crate::domain::{Catalog, LlmConfig};

use super::super::app::Model;
use super::super::checks::KeyChecks;
use super::super::editor::{Editor, Field, text_of};
use super::super::picker::{Choosing, Picker};

/// The catalog's TTS providers, the chosen one selected.
pub(super) fn pick_tts_provider(model: &mut Model) {
    let Some(editor) = &model.server.editor else {
        return;
    };
    let tts = &model.server.catalog.tts;
    let (labels, ids): (Vec<String>, Vec<String>) = tts
        .provider_ids()
        .filter_map(|id| tts.provider(id))
        .map(|p| (p.label.clone(), p.id.clone()))
        .unzip();
    let current = editor.tts.as_ref().map(|t| t.provider.clone());
    model.server.picker = Some(Picker::labelled(
        Choosing::TtsProvider,
        "TTS provider",
        labels,
        ids,
        current.as_deref(),
    ));
}

/// The voices of the field's provider: the catalog's list, else the
/// library its key's check listed, else why there is none.
pub(super) fn pick_voice(model: &mut Model, field: Field) {
    let Some(editor) = &model.server.editor else {
        return;
    };
    let Some(voices) = editor.voice_choices(field, &model.server.catalog) else {
        if field == Field::LlmVoice {
            let text =
                "Only a realtime LLM takes a voice: a text LLM speaks through the TTS voice below";
            super::toast(model, text, false);
        } else if let Some(picker) = library_picker(editor, &model.server.checks) {
            model.server.picker = Some(picker);
        } else {
            let text = no_voice_list(editor.tts_provider(), &model.server.catalog);
            super::toast(model, text, false);
        }
        return;
    };
    let (choosing, title, current) = match field {
        Field::LlmVoice => (
            Choosing::LlmVoice,
            "LLM voice",
            editor
                .llm
                .as_ref()
                .and_then(LlmConfig::voice)
                .map(str::to_owned),
        ),
        _ => (
            Choosing::TtsVoice,
            "TTS voice",
            Some(text_of(&editor.voice_id)),
        ),
    };
    model.server.picker = Some(Picker::new(choosing, title, voices, current.as_deref()));
}

/// Why Enter on the voice offers no list: the provider's voices are ids
/// from the user's own account, listed only once its key is checked.
fn no_voice_list(provider: &str, cat: &Catalog) -> String {
    let label = cat
        .tts
        .provider(provider)
        .map_or(provider, |p| p.label.as_str());
    let typed = format!("{label} voices are ids from your {label} account: type one");
    if crate::checks::LISTS_VOICES.contains(&provider) {
        format!("{typed}, or check the {label} key on Providers to pick from its voice library")
    } else {
        typed
    }
}

/// The voices of the TTS provider's library, as its key's last check listed
/// them: a voice id (any id is taken) picked by name. `None` when no list
/// is known.
fn library_picker(editor: &Editor, checks: &KeyChecks) -> Option<Picker> {
    let library = checks.library(editor.tts_provider())?;
    let (labels, ids): (Vec<String>, Vec<String>) = library
        .voices
        .iter()
        .map(|v| {
            let labels: Vec<String> = v
                .labels
                .iter()
                .map(|(k, value)| format!("{k}: {value}"))
                .collect();
            let labels = if labels.is_empty() {
                String::new()
            } else {
                format!(" · {}", labels.join(", "))
            };
            (
                format!("{} · {}{labels}", v.name, v.voice_id),
                v.voice_id.clone(),
            )
        })
        .unzip();
    let title = format!(
        "Voice library ({} voices, listed {})",
        ids.len(),
        crate::console::format::short_time(&library.fetched_at)
    );
    let current = text_of(&editor.voice_id);
    Some(Picker::labelled(
        Choosing::TtsVoice,
        title,
        labels,
        ids,
        Some(current.trim()),
    ))
}
