//! The validation rules of API.md, against a catalog. The server refuses
//! with these and the console checks its forms with the same functions as
//! the user types. What only the catalog knows (which providers, models,
//! languages, voices and fields exist) binds when the catalog is the
//! server's own; against any other it is a warning and the server decides.

use serde_json::Value;

use super::catalog::{Catalog, CatalogProvider, SectionId, range_text};
use super::{
    AssistantDraft, ErrorCode, FieldError, LlmConfig, Message, SttConfig, TtsConfig, quoted,
    validate_hosted,
};

pub const NAME_MAX: usize = 100;
pub const FIRST_MESSAGE_MAX: usize = 1_000;
pub const KEYTERMS_MAX: usize = 100;
pub const KEYTERM_MAX: usize = 100;
pub const MESSAGES_MAX: usize = 100;
pub const MESSAGE_CONTENT_MAX: usize = 32 * 1024;
pub const VOICE_ID_MAX: usize = 64;
pub const ROLES: [&str; 3] = ["system", "user", "assistant"];

type Check = Result<(), FieldError>;

/// Whether the draft creates an assistant (name required) or updates one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DraftKind {
    Create,
    Update,
}

/// Whose catalog the rules read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Authority {
    /// The server's own: what it does not list, it refuses.
    Binding,
    /// A copy (built in, or pieced together from `/byok/config`): what it
    /// does not list is a warning.
    Advisory,
}

/// The rules, with the warnings they found on the way.
struct Checker<'c> {
    cat: &'c Catalog,
    authority: Authority,
    warnings: Vec<FieldError>,
    /// The config being checked (`llm_config`), which a warning's path
    /// starts with as an error's does.
    under: Option<&'static str>,
}

impl Checker<'_> {
    /// A finding only the catalog can make: an error when it binds.
    fn unlisted(&mut self, err: FieldError) -> Check {
        match self.authority {
            Authority::Binding => Err(err),
            Authority::Advisory => {
                let err = match self.under {
                    Some(parent) => err.under(parent),
                    None => err,
                };
                self.warnings.push(err);
                Ok(())
            }
        }
    }
}

/// Checks a draft against `cat`. Ok holds the warnings (always empty when
/// the catalog binds); Err the first rule broken, with its field path.
pub fn validate_draft(
    draft: &AssistantDraft,
    kind: DraftKind,
    cat: &Catalog,
    authority: Authority,
) -> Result<Vec<FieldError>, FieldError> {
    let mut c = Checker {
        cat,
        authority,
        warnings: Vec::new(),
        under: None,
    };
    match (&draft.name, kind) {
        (Some(name), _) => validate_name(name)?,
        (None, DraftKind::Create) => return Err(FieldError::new("name", "name is required")),
        (None, DraftKind::Update) => {}
    }
    if let Some(Some(text)) = &draft.first_message {
        validate_first_message(text)?;
    }
    validate_hosted(&draft.extra)?;
    if let Some(Some(stt)) = &draft.stt_config {
        c.under = Some("stt_config");
        c.stt(stt).map_err(|e| e.under("stt_config"))?;
    }
    if let Some(Some(llm)) = &draft.llm_config {
        c.under = Some("llm_config");
        c.llm(llm).map_err(|e| e.under("llm_config"))?;
    }
    if let Some(Some(tts)) = &draft.tts_config {
        c.under = Some("tts_config");
        c.tts(tts).map_err(|e| e.under("tts_config"))?;
    }
    c.under = None;
    let llm = draft.llm_config.as_ref().and_then(Option::as_ref);
    let tts_given = matches!(draft.tts_config, Some(Some(_)));
    if let Some(llm) = llm {
        c.realtime_speaks_itself(llm, tts_given)?;
    }
    Ok(c.warnings)
}

/// The one rule that spans two configs, for a server that merges a PATCH
/// into what it holds: a realtime LLM speaks itself, so no TTS beside it.
pub fn validate_pairing(
    llm: Option<&LlmConfig>,
    tts_present: bool,
    cat: &Catalog,
    authority: Authority,
) -> Check {
    let mut c = Checker {
        cat,
        authority,
        warnings: Vec::new(),
        under: None,
    };
    match llm {
        Some(llm) => c.realtime_speaks_itself(llm, tts_present),
        None => Ok(()),
    }
}

pub fn validate_name(name: &str) -> Check {
    let len = name.trim().chars().count();
    if len == 0 {
        return Err(FieldError::new("name", "name must not be empty"));
    }
    if len > NAME_MAX {
        return Err(FieldError::new(
            "name",
            format!("name is at most {NAME_MAX} characters (got {len})"),
        ));
    }
    // A line break or tab inside a name breaks every list and table that
    // shows it; around it, they are trimmed like spaces.
    if name.trim().chars().any(char::is_control) {
        return Err(FieldError::new(
            "name",
            "name must be one line without control characters",
        ));
    }
    Ok(())
}

pub fn validate_first_message(text: &str) -> Check {
    let len = text.chars().count();
    if len > FIRST_MESSAGE_MAX {
        return Err(FieldError::new(
            "first_message",
            format!("first_message is at most {FIRST_MESSAGE_MAX} characters (got {len})"),
        ));
    }
    Ok(())
}

fn named(value: &str, what: &str) -> String {
    quoted(value).map_or_else(|| format!("that {what}"), |q| format!("{what} {q}"))
}

impl<'c> Checker<'c> {
    /// The catalog entry of `provider` in `section`; `None` when the
    /// catalog does not list it (and does not bind).
    fn provider(
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

    fn model(&mut self, p: &CatalogProvider, model: Option<&str>, required: bool) -> Check {
        match model {
            None if required => Err(FieldError::new("model", "model is required")),
            None => Ok(()),
            Some(id) if p.has_model(id) => Ok(()),
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
                    // A name that may be a secret is not repeated, not even as the path.
                    let param = quoted(name).map_or_else(String::new, |_| name.clone());
                    let err = FieldError::new(
                        param,
                        format!("{provider} does not take {}", named(name, "field")),
                    )
                    .with_code(ErrorCode::UnknownField);
                    self.unlisted(err)?;
                }
                None => {}
            }
        }
        Ok(())
    }

    fn stt(&mut self, stt: &SttConfig) -> Check {
        let Some(p) = self.provider(SectionId::Stt, &stt.provider)? else {
            return Ok(());
        };
        self.model(p, stt.model.as_deref(), true)?;
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

    fn llm(&mut self, llm: &LlmConfig) -> Check {
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
        self.model(p, llm.model.as_deref(), true)?;
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

    fn tts(&mut self, tts: &TtsConfig) -> Check {
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
        self.model(p, tts.model.as_deref(), false)?;
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

    fn realtime_speaks_itself(&mut self, llm: &LlmConfig, tts_present: bool) -> Check {
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

fn to_value<T: serde::Serialize>(config: &T) -> Value {
    serde_json::to_value(config).unwrap_or(Value::Null)
}

pub fn validate_temperature(t: f64, cat: &Catalog) -> Check {
    let (min, max) = cat.range(SectionId::Llm, "temperature");
    in_range("temperature", t, min.unwrap_or(0.0), max.unwrap_or(2.0))
}

pub fn validate_message(m: &Message) -> Check {
    if !ROLES.contains(&m.role.as_str()) {
        return Err(FieldError::new(
            "role",
            format!("role is one of {}", ROLES.join(", ")),
        ));
    }
    if m.content.len() > MESSAGE_CONTENT_MAX {
        return Err(FieldError::new(
            "content",
            "a message's content is at most 32 KiB",
        ));
    }
    Ok(())
}

pub fn validate_voice_id(voice_id: &str) -> Check {
    let ok_chars = voice_id
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if voice_id.is_empty() || voice_id.len() > VOICE_ID_MAX || !ok_chars {
        return Err(FieldError::new(
            "voice_id",
            format!("voice_id is 1–{VOICE_ID_MAX} of A–Z, a–z, 0–9, _ and -"),
        ));
    }
    Ok(())
}

fn in_range(field: &str, value: f64, min: f64, max: f64) -> Check {
    // NaN fails both comparisons, so it is rejected too.
    if value >= min && value <= max {
        Ok(())
    } else {
        Err(FieldError::new(
            field,
            format!("{field} must be between {min} and {max}"),
        ))
    }
}
