//! How each editor field reads when it is not being typed into: models
//! with their marks and the key they run on, choices, yes/no fields, and the
//! webhook secret as its redaction only.

use super::editor::EditorView;
use crate::console::checks::voice_missing;
use crate::console::editor::{Editor, Field, secret_shown, text_of, yes_no};
use crate::console::format::short_time;
use crate::console::key_state::KeyState;
use crate::console::keymap::{Action, Scope};
use crate::console::layout::editor::TAKES;
use crate::domain::catalog::with_language_name;
use crate::domain::{Catalog, SectionId};

/// The line under the fields: what the chosen voice provider asks of you.
pub(super) fn voice_note(editor: &Editor, ctx: &EditorView) -> String {
    let cat = ctx.cat;
    // Only a chosen TTS: a voice typed before any choice is not yet ElevenLabs'.
    let tts = editor.tts.as_ref().map(|t| t.provider.as_str());
    let realtime = editor
        .llm
        .as_ref()
        .and_then(|l| cat.llm.provider(&l.provider))
        .is_some_and(|p| p.is_realtime());
    if realtime {
        "  A realtime LLM speaks by itself: no TTS voice is used".into()
    } else if let Some(tts @ "elevenlabs") = tts {
        let select = ctx.keymap.key_of(Scope::Editor, Action::Select);
        match ctx.checks.library(tts) {
            Some(l) => format!(
                "  ElevenLabs: only voices in your Voice Library work; {select} on the voice picks from the {} listed {}",
                l.voices.len(),
                short_time(&l.fetched_at)
            ),
            None => "  ElevenLabs: only voices in your Voice Library work; check the key on Providers to list them".into(),
        }
    } else {
        String::new()
    }
}

/// A model with its marks: `gpt-4o (legacy)`, `gpt-5.4 (default)`.
fn model_text(cat: &Catalog, section: SectionId, provider: &str, model: &str) -> String {
    let Some(p) = cat.section(section).provider(provider) else {
        return model.to_owned();
    };
    let mark = if p.is_legacy(model) {
        " (legacy)"
    } else if p.is_default(model) {
        " (default)"
    } else {
        ""
    };
    format!("{model}{mark}, {}", p.label)
}

/// The key a chosen model runs on, and what is known of it:
/// `key: OpenAI (● stored, not checked)`, in the vocabulary of `KeyState`.
fn key_text(ctx: &EditorView, section: SectionId, provider: &str, model: Option<&str>) -> String {
    let secrets = ctx.cat.secrets_for(section, provider, model);
    let names: Vec<String> = secrets
        .iter()
        .map(|s| {
            let id = ctx.cat.provider_of_secret(s);
            let label = ctx.cat.secret(id).map_or(id, |i| i.label.as_str());
            let set = ctx.byok.map(|b| b.byok_keys.is_configured(id));
            let check = ctx.checks.last(id).map(|c| c.result);
            format!("{label} ({})", KeyState::of(set, check).marked())
        })
        .collect();
    match names.len() {
        0 => String::new(),
        _ => format!("key: {}", names.join(" or ")),
    }
}

pub(super) fn value_of(editor: &Editor, ctx: &EditorView, field: Field) -> String {
    let cat = ctx.cat;
    let default = || "platform default".to_owned();
    match field {
        Field::Name => text_of(&editor.name),
        Field::FirstMessage => text_of(&editor.first_message),
        Field::Temperature => text_of(&editor.temperature),
        Field::VoiceId => {
            let voice = text_of(&editor.voice_id);
            match voice_missing(editor.tts_provider(), &voice, ctx.checks) {
                Some(l) => format!(
                    "{voice}\n⚠ not in your voice library as listed {}",
                    short_time(&l.fetched_at)
                ),
                None => voice,
            }
        }
        Field::SttModel => editor.stt.as_ref().map_or_else(default, |s| {
            let model = s.model.as_deref().unwrap_or("model default");
            let text = model_text(cat, SectionId::Stt, &s.provider, model);
            text + "\n" + &key_text(ctx, SectionId::Stt, &s.provider, s.model.as_deref())
        }),
        Field::SttLanguage => match &editor.stt {
            None => "platform default".into(),
            Some(s) => s
                .language
                .as_deref()
                .map_or_else(|| "model default".into(), with_language_name),
        },
        Field::LlmModel => editor.llm.as_ref().map_or_else(default, |l| {
            let model = l.model.as_deref().unwrap_or("model default");
            let text = model_text(cat, SectionId::Llm, &l.provider, model);
            text + "\n" + &key_text(ctx, SectionId::Llm, &l.provider, l.model.as_deref())
        }),
        Field::LlmVoice => match editor.llm.as_ref().and_then(|l| l.extra.get("voice")) {
            Some(v) => v.as_str().unwrap_or("?").to_owned(),
            None => "— (a text LLM speaks through TTS)".into(),
        },
        Field::TtsProvider => match &editor.tts {
            Some(t) => cat
                .tts
                .provider(&t.provider)
                .map_or_else(|| t.provider.clone(), |p| p.label.clone()),
            // A voice typed before any choice goes to the catalog's first.
            None if !text_of(&editor.voice_id).trim().is_empty() => cat
                .tts
                .provider(&editor.default_tts)
                .map_or_else(|| editor.default_tts.clone(), |p| p.label.clone()),
            None => default(),
        },
        Field::TtsModel => editor.tts.as_ref().map_or_else(default, |t| {
            let model = t.model.as_deref().unwrap_or("provider default");
            let mut text = model_text(cat, SectionId::Tts, &t.provider, model);
            text += "\n";
            text += &key_text(ctx, SectionId::Tts, &t.provider, t.model.as_deref());
            if !editor.derived.tts_settings.is_empty() {
                text += &format!("\n{TAKES}{}", editor.derived.tts_settings);
            }
            text
        }),
        Field::Messages => String::new(),
        Field::Speech(i) => super::editor_speech::value(editor, ctx, usize::from(i)),
        Field::WebhookSecret => secret_shown(&editor.extra, &editor.hosted.webhook_secret),
        toggle if toggle.is_toggle() => toggle
            .hosted_name()
            .map_or_else(String::new, |n| yes_no(&editor.extra, n)),
        other => other
            .hosted_name()
            .and_then(|n| editor.hosted.area(n))
            .map(text_of)
            .unwrap_or_default(),
    }
}
