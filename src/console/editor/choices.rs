//! The editor's choices from the catalog: provider and model per config,
//! the voice where a provider has a list, the STT language, and going back
//! to the platform's defaults. Each keeps what still fits the new choice and
//! says what it had to drop.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::{Editor, Field, text_field, text_of};
use crate::domain::{Catalog, LlmConfig, SectionId, SttConfig, TtsConfig};

/// `config` moved to `provider`: the fields the new provider takes are kept,
/// the others dropped and named (the old provider's voice, turn detection,
/// a token limit the new one has no field for).
fn carried<T: Serialize + DeserializeOwned + Default>(
    config: T,
    section: SectionId,
    provider: &str,
    cat: &Catalog,
) -> (T, Vec<String>) {
    let Ok(Value::Object(mut fields)) = serde_json::to_value(&config) else {
        return (config, Vec::new());
    };
    let mut dropped = Vec::new();
    if cat.knows_fields_of(section, provider) {
        fields.retain(|name, _| {
            let kept = matches!(name.as_str(), "provider" | "model")
                || cat.config_field(section, provider, name).is_some();
            if !kept {
                dropped.push(name.clone());
            }
            kept
        });
    }
    fields.insert("provider".into(), Value::String(provider.to_owned()));
    match serde_json::from_value(Value::Object(fields)) {
        Ok(moved) => (moved, dropped),
        Err(_) => (T::default(), dropped),
    }
}

/// `"… does not take x, y: removed"`, or nothing when nothing went.
fn dropped_notice(what: &str, dropped: &[String]) -> Option<String> {
    (!dropped.is_empty()).then(|| format!("{what} does not take {}: removed", dropped.join(", ")))
}

impl Editor {
    /// Chooses the STT model; returns what it had to drop and why: a
    /// language the new model does not offer, fields the new provider does
    /// not take.
    pub fn set_stt_model(&mut self, provider: &str, model: &str, cat: &Catalog) -> Option<String> {
        let language = self.stt.as_ref().and_then(|s| s.language.clone());
        let languages = &cat.stt.languages;
        let supported = cat.stt.provider(provider).is_none()
            || languages.is_empty()
            || language.as_ref().is_none_or(|l| languages.contains(l));
        let (base, moved_out) = match self.stt.take() {
            Some(s) if s.provider != provider => carried(s, SectionId::Stt, provider, cat),
            other => (other.unwrap_or_default(), Vec::new()),
        };
        // A language the new model lacks would only fail on save.
        let (kept, dropped) = if supported {
            (language, None)
        } else {
            (None, language)
        };
        self.stt = Some(SttConfig {
            provider: provider.to_owned(),
            model: Some(model.to_owned()),
            language: kept,
            ..base
        });
        let language = dropped.map(|language| {
            format!(
                "{model} does not offer {language}: the language is back to the model's default"
            )
        });
        [language, dropped_notice(provider, &moved_out)]
            .into_iter()
            .flatten()
            .reduce(|a, b| format!("{a}; {b}"))
    }

    /// Chooses the LLM. The prompt and temperature stay whatever the
    /// provider; a realtime model speaks by itself, so the TTS config goes
    /// (said in the returned notice) and the model's default voice is set.
    pub fn set_llm_model(&mut self, provider: &str, model: &str, cat: &Catalog) -> Option<String> {
        let (base, moved_out) = match self.llm.take() {
            Some(l) if l.provider != provider => carried(l, SectionId::Llm, provider, cat),
            other => (other.unwrap_or_default(), Vec::new()),
        };
        let mut extra = base.extra.clone();
        let info = cat.llm.provider(provider);
        let mut notice = dropped_notice(provider, &moved_out);
        if let Some(p) = info.filter(|p| p.is_realtime()) {
            let voice_ok = extra
                .get("voice")
                .and_then(Value::as_str)
                .is_some_and(|v| p.voices.iter().any(|x| x == v));
            if !voice_ok
                && let Some(voice) = p
                    .default_voice
                    .clone()
                    .or_else(|| p.voices.first().cloned())
            {
                extra.insert("voice".into(), Value::String(voice));
            }
            if self.tts.is_some() || !text_of(&self.voice_id).trim().is_empty() {
                let cleared = format!(
                    "{} speaks by itself: the TTS settings were cleared",
                    p.label
                );
                notice = Some(match notice {
                    Some(n) => format!("{cleared}; {n}"),
                    None => cleared,
                });
            }
            self.tts = None;
            self.voice_id = text_field("");
        }
        self.llm = Some(LlmConfig {
            provider: provider.to_owned(),
            model: Some(model.to_owned()),
            extra,
            ..base
        });
        notice
    }

    /// Chooses the TTS model; returns the settings and fields it had to drop
    /// because the new model or provider does not take them.
    pub fn set_tts_model(
        &mut self,
        provider: &str,
        model: Option<&str>,
        cat: &Catalog,
    ) -> Vec<String> {
        let (mut base, mut dropped) = match self.tts.take() {
            Some(t) if t.provider != provider => carried(t, SectionId::Tts, provider, cat),
            other => (other.unwrap_or_default(), Vec::new()),
        };
        if let Some(p) = cat.tts.provider(provider)
            && let Some(takes) = p.settings_for(model.or(p.default_model.as_deref()))
        {
            let takes: Vec<String> = takes.to_vec();
            let mut drop_if = |name: &str, present: bool| {
                let gone = present
                    && p.settings.iter().any(|s| s == name)
                    && !takes.iter().any(|s| s == name);
                if gone {
                    dropped.push(name.to_owned());
                }
                gone
            };
            if drop_if("stability", base.stability.is_some()) {
                base.stability = None;
            }
            if drop_if("similarity_boost", base.similarity_boost.is_some()) {
                base.similarity_boost = None;
            }
            if drop_if("style", base.style.is_some()) {
                base.style = None;
            }
            if drop_if("speed", base.speed.is_some()) {
                base.speed = None;
            }
            if drop_if("use_speaker_boost", base.use_speaker_boost.is_some()) {
                base.use_speaker_boost = None;
            }
            let extra_names: Vec<String> = base.extra.keys().cloned().collect();
            for name in extra_names {
                if drop_if(&name, true) {
                    base.extra.remove(&name);
                }
            }
        }
        // An enum voice of another provider would only fail on save.
        if let Some(p) = cat.tts.provider(provider).filter(|p| p.voices_are_enum()) {
            let voice = text_of(&self.voice_id);
            if !p.voices.iter().any(|v| *v == voice.trim()) {
                // Typed text is never lost unsaid.
                if !voice.trim().is_empty() {
                    dropped.push(format!("voice {:?}", voice.trim()));
                }
                let default = p.default_voice.clone().unwrap_or_default();
                self.voice_id = text_field(&default);
            }
        }
        self.tts = Some(TtsConfig {
            provider: provider.to_owned(),
            model: model.map(str::to_owned),
            ..base
        });
        dropped
    }

    /// Chooses the TTS provider: its default model, and the voice kept only
    /// if it is one of the provider's listed voices (else its default, or
    /// none). Returns what no longer fit and was cleared, typed text
    /// included, for the user to see.
    pub fn set_tts_provider(&mut self, provider: &str, cat: &Catalog) -> Option<String> {
        let same = self.tts_provider() == provider;
        let model = self.tts.as_ref().and_then(|t| t.model.clone());
        let voice = text_of(&self.voice_id).trim().to_owned();
        let listed = cat.tts.provider(provider).filter(|p| p.voices_are_enum());
        let voice_fits = match listed {
            Some(p) => p.voices.contains(&voice),
            // An id from one provider's account means nothing to another's.
            None => same,
        };
        let mut cleared = Vec::new();
        if let Some(model) = model.filter(|_| !same) {
            cleared.push(format!("model {model}"));
        }
        if !voice.is_empty() && !voice_fits {
            cleared.push(format!("voice {voice:?}"));
            self.voice_id = text_field("");
        }
        let model = if same {
            self.tts.as_ref().and_then(|t| t.model.clone())
        } else {
            None
        };
        let dropped = self.set_tts_model(provider, model.as_deref(), cat);
        cleared.extend(dropped);
        let label = cat
            .tts
            .provider(provider)
            .map_or(provider, |p| p.label.as_str());
        (!cleared.is_empty())
            .then(|| format!("{label} does not take the {}: cleared", cleared.join(", ")))
    }

    /// The voices to pick from for `field`, when its provider has a list.
    pub fn voice_choices(&self, field: Field, cat: &Catalog) -> Option<Vec<String>> {
        let provider = match field {
            Field::LlmVoice => cat.llm.provider(&self.llm.as_ref()?.provider),
            Field::VoiceId => cat.tts.provider(self.tts_provider()),
            _ => None,
        }?;
        provider.voices_are_enum().then(|| provider.voices.clone())
    }

    /// Sets the voice `field` picks.
    pub fn set_voice(&mut self, field: Field, voice: &str) {
        match field {
            Field::LlmVoice => {
                if let Some(llm) = &mut self.llm {
                    llm.extra
                        .insert("voice".into(), Value::String(voice.to_owned()));
                }
            }
            Field::VoiceId => self.voice_id = text_field(voice),
            _ => {}
        }
    }

    /// The languages the chosen STT model offers.
    pub fn languages(&self, cat: &Catalog) -> Vec<String> {
        let Some(stt) = &self.stt else {
            return Vec::new();
        };
        match cat.stt.provider(&stt.provider) {
            Some(_) => cat.stt.languages.clone(),
            None => Vec::new(),
        }
    }

    /// Back to the platform's defaults for the focused config field.
    pub fn clear_choice(&mut self, field: Field) {
        match field {
            Field::SttModel => self.stt = None,
            Field::SttLanguage => {
                if let Some(stt) = &mut self.stt {
                    stt.language = None;
                }
            }
            Field::LlmModel => self.llm = None,
            Field::LlmVoice => {
                if let Some(llm) = &mut self.llm {
                    llm.extra.remove("voice");
                }
            }
            Field::WebhookSecret => {
                self.hosted.clear_secret();
                if self.extra.contains_key("webhook_secret") {
                    self.extra.insert("webhook_secret".into(), Value::Null);
                }
            }
            toggle if toggle.is_toggle() => {
                if let Some(name) = toggle.hosted_name() {
                    let had = self
                        .original
                        .as_ref()
                        .is_some_and(|o| o.extra.contains_key(name));
                    let nullable = crate::domain::hosted_field(name).is_some_and(|f| f.nullable);
                    match (had, nullable) {
                        (true, true) => {
                            self.extra.insert(name.into(), Value::Null);
                        }
                        // Only an unsaved choice can go back to "not set".
                        (false, _) => {
                            self.extra.remove(name);
                        }
                        (true, false) => {}
                    }
                }
            }
            // Back to the platform's TTS altogether, as the other model
            // fields do; the voice belonged to the provider that goes.
            Field::TtsProvider | Field::TtsModel => {
                self.tts = None;
                self.voice_id = text_field("");
            }
            _ => {}
        }
    }
}
