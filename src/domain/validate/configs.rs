//! The rules of each config (STT, LLM, TTS) against the catalog: provider
//! per section, model, language, voice, the fields the provider takes with
//! their types and ranges, the settings a TTS model takes.

use serde_json::Value;

use super::{
    Check, Checker, KEYTERM_MAX, KEYTERMS_MAX, MESSAGES_MAX, in_range, named, to_value,
    validate_message, validate_voice_id,
};
use crate::domain::catalog::{CatalogProvider, SectionId, range_text};
use crate::domain::{ErrorCode, FieldError, LlmConfig, SttConfig, TtsConfig, quoted};

impl<'c> Checker<'c> {
    /// The catalog entry of `provider` in `section`; `None` when the
    /// catalog does not list it (and does not bind).
    pub(super) fn provider(
        &mut self,
        section: SectionId,
        provider: &str,
    ) -> Result<Option<&'c CatalogProvider>, FieldError> {
        let cat = self.cat;
        if let Some(p) = cat.section(section).provider(provider) {
            return Ok(Some(p));
        }
        let known: Vec<&str> = cat.section(section).provider_ids().collect();
        // A provider of another section is a mix-up; one of none is unknown.
        let elsewhere = SectionId::ALL
            .iter()
            .any(|&other| cat.section(other).provider(provider).is_some())
            || cat.secret(provider).is_some();
        let code = if elsewhere {
            ErrorCode::InvalidRequest
        } else {
            ErrorCode::UnsupportedProvider
        };
        let err = FieldError::new(
            "provider",
            format!(
                "{} is not a {} provider; known: {}",
                named(provider, "provider"),
                section.category().label(),
                known.join(", ")
            ),
        )
        .with_code(code);
        self.unlisted(err)?;
        Ok(None)
    }

    fn model(
        &mut self,
        section: SectionId,
        p: &CatalogProvider,
        model: Option<&str>,
        required: bool,
    ) -> Check {
        match model {
            None if required => Err(FieldError::new("model", "model is required")),
            None => Ok(()),
            Some(id) if p.has_model(id) => {
                self.ours_only(section, p, id);
                Ok(())
            }
            Some(id) => {
                let err = FieldError::new(
                    "model",
                    format!(
                        "{} is not a {} model; known: {}",
                        named(id, "model"),
                        p.label,
                        p.models.join(", ")
                    ),
                );
                self.unlisted(err)
            }
        }
    }

    /// A model only this server keeps is fine on it; against any other
    /// catalog (a hosted service's), the platform will refuse it: a warning.
    fn ours_only(&mut self, section: SectionId, p: &CatalogProvider, model: &str) {
        if self.authority == super::Authority::Advisory
            && self.cat.is_ours_only(section, &p.id, model)
        {
            let warning = FieldError::new(
                "model",
                format!(
                    "{} is not offered by the hosted platform (VoiceDock's own server keeps it, as legacy)",
                    named(model, "model")
                ),
            );
            self.warnings.push(match self.under {
                Some(parent) => warning.under(parent),
                None => warning,
            });
        }
    }

    /// Every field of the config other than provider and model must be one
    /// the catalog lists for the provider, of its type and range.
    fn fields(&mut self, section: SectionId, provider: &str, config: Value) -> Check {
        let cat = self.cat;
        let Value::Object(fields) = config else {
            return Ok(());
        };
        let judged = cat.knows_fields_of(section, provider);
        for (name, value) in &fields {
            if name == "provider" || name == "model" {
                continue;
            }
            match cat.config_field(section, provider, name) {
                Some(spec) => {
                    spec.check(value).map_err(|(below, m)| {
                        FieldError::new(format!("{name}{below}"), format!("{name}{below} {m}"))
                    })?;
                    let (min, max) = cat.range(section, name);
                    if let Some(n) = value.as_f64()
                        && (min.is_some_and(|m| n < m) || max.is_some_and(|m| n > m))
                    {
                        return Err(FieldError::new(
                            name.as_str(),
                            format!("{name} {}", range_text(min, max)),
                        ));
                    }
                }
                None if judged => {
                    // A name that may be a secret is not repeated, not even as
                    // the path; one the catalog lists for some provider is public.
                    let public = quoted(name).is_some() || cat.any_provider_takes(section, name);
                    let param = if public { name.clone() } else { String::new() };
                    let err = FieldError::new(
                        param,
                        if public {
                            format!("{provider} does not take {name}")
                        } else {
                            format!("{provider} does not take {}", named(name, "field"))
                        },
                    )
                    .with_code(ErrorCode::UnknownField);
                    self.unlisted(err)?;
                }
                None => {}
            }
        }
        Ok(())
    }

    pub(super) fn stt(&mut self, stt: &SttConfig) -> Check {
        let Some(p) = self.provider(SectionId::Stt, &stt.provider)? else {
            return Ok(());
        };
        self.model(SectionId::Stt, p, stt.model.as_deref(), true)?;
        let languages = &self.cat.stt.languages;
        if let Some(language) = &stt.language
            && !languages.is_empty()
            && !languages.iter().any(|l| l == language)
        {
            let err = FieldError::new(
                "language",
                format!(
                    "{} does not support {}",
                    p.label,
                    named(language, "language")
                ),
            );
            self.unlisted(err)?;
        }
        if let Some(terms) = &stt.keyterms {
            if terms.len() > KEYTERMS_MAX {
                return Err(FieldError::new(
                    "keyterms",
                    format!("at most {KEYTERMS_MAX} keyterms"),
                ));
            }
            if let Some(i) = terms.iter().position(|t| t.chars().count() > KEYTERM_MAX) {
                return Err(FieldError::new(
                    format!("keyterms[{i}]"),
                    format!("a keyterm is at most {KEYTERM_MAX} characters"),
                ));
            }
        }
        self.fields(SectionId::Stt, &p.id, to_value(stt))
    }

    pub(super) fn llm(&mut self, llm: &LlmConfig) -> Check {
        if let Some(t) = llm.temperature {
            let (min, max) = self.cat.range(SectionId::Llm, "temperature");
            in_range("temperature", t, min.unwrap_or(0.0), max.unwrap_or(2.0))?;
        }
        if let Some(messages) = &llm.messages {
            if messages.len() > MESSAGES_MAX {
                return Err(FieldError::new(
                    "messages",
                    format!("at most {MESSAGES_MAX} messages"),
                ));
            }
            for (i, m) in messages.iter().enumerate() {
                validate_message(m).map_err(|e| FieldError {
                    param: format!("messages[{i}].{}", e.param),
                    ..e
                })?;
            }
        }
        if let Some(tools) = llm.extra.get("tools") {
            super::tools::validate_tools(tools)?;
        }
        if let Some(n) = llm.max_completion_tokens {
            let (min, max) = self.cat.range(SectionId::Llm, "max_completion_tokens");
            in_range(
                "max_completion_tokens",
                f64::from(n),
                min.unwrap_or(1.0),
                max.unwrap_or(32_768.0),
            )?;
        }
        let Some(p) = self.provider(SectionId::Llm, &llm.provider)? else {
            return Ok(());
        };
        self.model(SectionId::Llm, p, llm.model.as_deref(), true)?;
        if p.voices_are_enum()
            && let Some(voice) = llm.extra.get("voice")
        {
            let listed = voice
                .as_str()
                .is_some_and(|v| p.voices.iter().any(|x| x == v));
            if !listed {
                let err = FieldError::new(
                    "voice",
                    format!("{} speaks with one of: {}", p.label, p.voices.join(", ")),
                );
                self.unlisted(err)?;
            }
        }
        self.fields(SectionId::Llm, &p.id, to_value(llm))
    }

    pub(super) fn tts(&mut self, tts: &TtsConfig) -> Check {
        for (field, value) in [
            ("stability", tts.stability),
            ("similarity_boost", tts.similarity_boost),
            ("style", tts.style),
            ("speed", tts.speed),
        ] {
            if let Some(v) = value {
                let (min, max) = self.cat.range(SectionId::Tts, field);
                let (lo, hi) = if field == "speed" {
                    (0.5, 2.0)
                } else {
                    (0.0, 1.0)
                };
                in_range(field, v, min.unwrap_or(lo), max.unwrap_or(hi))?;
            }
        }
        match &tts.voice_id {
            None => return Err(FieldError::new("voice_id", "voice_id is required")),
            Some(v) => validate_voice_id(v)?,
        }
        let Some(p) = self.provider(SectionId::Tts, &tts.provider)? else {
            return Ok(());
        };
        self.model(SectionId::Tts, p, tts.model.as_deref(), false)?;
        if p.voices_are_enum()
            && let Some(v) = &tts.voice_id
            && !p.voices.iter().any(|x| x == v)
        {
            let err = FieldError::new(
                "voice_id",
                format!("{} voices are: {}", p.label, p.voices.join(", ")),
            );
            self.unlisted(err)?;
        }
        let config = to_value(tts);
        if let Some(takes) = p.settings_for(tts.model.as_deref().or(p.default_model.as_deref())) {
            let given = config.as_object().into_iter().flat_map(|o| o.keys());
            for setting in given.filter(|k| p.settings.contains(k)) {
                if !takes.contains(setting) {
                    let model = tts
                        .model
                        .as_deref()
                        .or(p.default_model.as_deref())
                        .unwrap_or("this model");
                    let err = FieldError::new(
                        setting.as_str(),
                        format!(
                            "{model} does not take {setting}; it takes {}",
                            takes.join(", ")
                        ),
                    );
                    self.unlisted(err)?;
                }
            }
        }
        self.fields(SectionId::Tts, &p.id, config)
    }

    pub(super) fn realtime_speaks_itself(&mut self, llm: &LlmConfig, tts_present: bool) -> Check {
        let realtime = self
            .cat
            .llm
            .provider(&llm.provider)
            .filter(|p| p.is_realtime());
        match realtime {
            Some(p) if tts_present => {
                let err = FieldError::new(
                    "tts_config",
                    format!("{} speaks by itself: tts_config must be null", p.label),
                );
                self.unlisted(err)
            }
            _ => Ok(()),
        }
    }
}
