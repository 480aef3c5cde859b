//! The form read as an assistant body: the draft, what a save sends, its
//! check against the catalog, and what `refresh` keeps of it for the view.

use crate::domain::validate::{Authority, validate_draft};
use crate::domain::{AssistantDraft, Catalog, FieldError, LlmConfig, Message, TtsConfig};

use super::{Editor, text_of};

impl Editor {
    /// Everything the form holds, as a full assistant body.
    pub fn draft(&self) -> Result<AssistantDraft, FieldError> {
        let name = text_of(&self.name).trim().to_owned();
        let first_message = text_of(&self.first_message);
        let temperature_text = text_of(&self.temperature);
        let temperature = match temperature_text.trim() {
            "" => None,
            t => Some(t.parse::<f64>().map_err(|_| {
                FieldError::new(
                    "llm_config.temperature",
                    "temperature is a number, e.g. 0.7",
                )
            })?),
        };
        // A message left blank was never written: it is not sent.
        let messages: Vec<Message> = self
            .messages
            .iter()
            .filter(|m| !text_of(&m.content).trim().is_empty())
            .map(|m| Message {
                role: m.role.clone(),
                content: text_of(&m.content),
                extra: m.extra.clone(),
            })
            .collect();
        let llm = match &self.llm {
            Some(base) => {
                let had_messages = base.messages.is_some();
                Some(LlmConfig {
                    temperature,
                    messages: (had_messages || !messages.is_empty()).then_some(messages),
                    ..base.clone()
                })
            }
            None if temperature.is_some() || !messages.is_empty() => {
                return Err(FieldError::new(
                    "llm_config.model",
                    "choose an LLM model first",
                ));
            }
            None => None,
        };
        let voice = text_of(&self.voice_id).trim().to_owned();
        let tts = match (&self.tts, voice.is_empty()) {
            (Some(base), _) => Some(TtsConfig {
                voice_id: (!voice.is_empty()).then_some(voice),
                ..base.clone()
            }),
            (None, false) => Some(TtsConfig {
                provider: self.default_tts.clone(),
                voice_id: Some(voice),
                ..TtsConfig::default()
            }),
            (None, true) => None,
        };
        Ok(AssistantDraft {
            name: Some(name),
            first_message: Some((!first_message.is_empty()).then_some(first_message)),
            stt_config: Some(self.stt.clone()),
            llm_config: Some(llm),
            tts_config: Some(tts),
            extra: {
                let mut extra = self.extra.clone();
                self.hosted.overlay(&mut extra)?;
                self.speech.overlay(&mut extra)?;
                extra
            },
        })
    }

    /// What Ctrl-S sends: the whole body for a new assistant (nulls left
    /// out), only the changed fields for an existing one.
    pub fn request_body(&self) -> Result<AssistantDraft, FieldError> {
        Ok(self.body_of(self.draft()?))
    }

    fn body_of(&self, draft: AssistantDraft) -> AssistantDraft {
        match &self.original {
            Some(original) => AssistantDraft::changes(original, &draft),
            None => AssistantDraft {
                name: draft.name,
                first_message: draft.first_message.filter(Option::is_some),
                stt_config: draft.stt_config.filter(Option::is_some),
                llm_config: draft.llm_config.filter(Option::is_some),
                tts_config: draft.tts_config.filter(Option::is_some),
                extra: draft.extra,
            },
        }
    }

    /// The form checked by the server's own rules against `cat`: the first
    /// problem that blocks a save, and what the catalog does not list but
    /// only the server can refuse (when the catalog is not the server's).
    pub fn check(&self, cat: &Catalog, authority: Authority) -> Checked {
        self.check_body(&self.request_body(), cat, authority)
    }

    fn check_body(
        &self,
        body: &Result<AssistantDraft, FieldError>,
        cat: &Catalog,
        authority: Authority,
    ) -> Checked {
        let body = match body {
            Ok(body) => body,
            Err(e) => {
                return Checked {
                    error: Some(e.clone()),
                    warnings: Vec::new(),
                };
            }
        };
        match validate_draft(body, self.kind(), cat, authority) {
            Ok(warnings) => Checked {
                error: None,
                warnings,
            },
            Err(e) => Checked {
                error: Some(e),
                warnings: Vec::new(),
            },
        }
    }

    /// The first problem that blocks a save.
    pub fn validation(&self, cat: &Catalog, authority: Authority) -> Option<FieldError> {
        self.check(cat, authority).error
    }

    /// Whether leaving would lose anything: a changed form, or a JSON
    /// edit kept because it could not be taken.
    pub fn is_dirty(&self) -> bool {
        self.dirty_with(&self.draft()) || self.json_edit.kept.is_some()
    }

    fn dirty_with(&self, draft: &Result<AssistantDraft, FieldError>) -> bool {
        match (&self.original, draft) {
            (Some(original), Ok(draft)) => !AssistantDraft::changes(original, draft).is_empty(),
            (None, Ok(draft)) => !draft_is_blank(draft),
            (_, Err(_)) => true,
        }
    }

    /// Reads the form once and keeps what the screen shows of it: whether
    /// it changed, the body a save would send (as JSON, secrets redacted)
    /// and its check. `update` calls this after every change, so a frame
    /// reads and never rebuilds; no secret is kept by it.
    pub fn refresh(&mut self, cat: &Catalog, authority: Authority) {
        let draft = self.draft();
        let dirty = self.dirty_with(&draft);
        let body = draft.map(|d| self.body_of(d));
        // A blank new form is not an error yet; it becomes one once touched or saved.
        let checked = if dirty {
            self.check_body(&body, cat, authority)
        } else {
            Checked::default()
        };
        let tts_settings = self
            .tts
            .as_ref()
            .and_then(|t| {
                let provider = cat.tts.provider(&t.provider)?;
                provider.settings_for(t.model.as_deref().or(provider.default_model.as_deref()))
            })
            .map(|takes| takes.join(", "))
            .unwrap_or_default();
        self.derived = Derived {
            dirty,
            preview: body.map(|b| shown(&b)),
            checked,
            tts_settings,
        };
    }

    /// A fingerprint of the whole form, to tell later whether anything was
    /// typed since, without keeping what was typed (secrets included).
    pub fn fingerprint(&self) -> Option<[u8; 32]> {
        use sha2::Digest;
        let draft = self.draft().ok()?;
        let bytes = serde_json::to_vec(&draft).ok()?;
        Some(sha2::Sha256::digest(&bytes).into())
    }
}

/// The body as the preview shows it: pretty JSON, secrets redacted.
fn shown(body: &AssistantDraft) -> String {
    let mut value = match serde_json::to_value(body) {
        Ok(v) => v,
        Err(e) => return format!("cannot show the body: {e}"),
    };
    crate::domain::secrets::redact_secrets(&mut value);
    serde_json::to_string_pretty(&value).unwrap_or_else(|e| format!("cannot show the body: {e}"))
}

/// What the screen shows of the form, kept by `Editor::refresh`.
#[derive(Debug, Clone)]
pub struct Derived {
    pub dirty: bool,
    /// The request body as the preview shows it, or why there is none.
    pub preview: Result<String, FieldError>,
    pub checked: Checked,
    /// What the chosen TTS model takes (`stability, speed`), as the
    /// catalog lists it; empty for none.
    pub tts_settings: String,
}

impl Default for Derived {
    fn default() -> Self {
        Derived {
            dirty: false,
            preview: Ok("{}".to_owned()),
            checked: Checked::default(),
            tts_settings: String::new(),
        }
    }
}

/// The editor's verdict on its form.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Checked {
    pub error: Option<FieldError>,
    pub warnings: Vec<FieldError>,
}

/// What an untouched new-assistant form turns into.
fn draft_is_blank(draft: &AssistantDraft) -> bool {
    draft.name.as_deref().is_none_or(str::is_empty)
        && draft.first_message.as_ref().is_none_or(Option::is_none)
        && draft.stt_config.as_ref().is_none_or(Option::is_none)
        && draft.llm_config.as_ref().is_none_or(Option::is_none)
        && draft.tts_config.as_ref().is_none_or(Option::is_none)
        && draft.extra.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::console::editor::{Field, seed_assistant, text_field};

    #[test]
    fn an_untouched_assistant_is_clean_and_sends_nothing() {
        let editor = Editor::open(seed_assistant(), Some("\"3\"".into()), &Catalog::builtin());
        assert!(!editor.is_dirty());
        assert!(editor.request_body().unwrap().is_empty());
    }

    #[test]
    fn only_changed_fields_are_sent_and_hidden_fields_survive() {
        let mut editor = Editor::open(seed_assistant(), None, &Catalog::builtin());
        editor.set_stt_model("deepgram", "nova-3", &Catalog::builtin());
        let body = editor.request_body().unwrap();
        let json = serde_json::to_value(&body).unwrap();
        assert_eq!(json["stt_config"]["keyterms"][0], "VoiceDock");
        assert_eq!(json["stt_config"]["language"], "nl");
        assert!(json.get("name").is_none() && json.get("llm_config").is_none());
    }

    #[test]
    fn a_new_assistant_leaves_unset_configs_out() {
        let mut editor = Editor::new_assistant(&Catalog::builtin());
        editor.name.insert_str("Support");
        let json = serde_json::to_string(&editor.request_body().unwrap()).unwrap();
        assert_eq!(json, r#"{"name":"Support"}"#);
    }

    #[test]
    fn bad_temperature_is_reported_on_its_field() {
        let mut editor = Editor::open(seed_assistant(), None, &Catalog::builtin());
        editor.temperature = text_field("hot");
        let err = editor
            .validation(&Catalog::builtin(), Authority::Binding)
            .unwrap();
        assert_eq!(Field::for_param(&err.param), Some(Field::Temperature));
        editor.temperature = text_field("2.5");
        assert_eq!(
            editor
                .validation(&Catalog::builtin(), Authority::Binding)
                .unwrap()
                .param,
            "llm_config.temperature"
        );
    }

    #[test]
    fn fields_this_build_does_not_know_ride_along() {
        let mut a = seed_assistant();
        let llm = a.llm_config.as_mut().unwrap();
        llm.extra
            .insert("tools".into(), serde_json::json!([{"type": "transfer"}]));
        llm.messages.as_mut().unwrap()[0]
            .extra
            .insert("name".into(), serde_json::json!("rules"));
        let mut editor = Editor::open(a, None, &Catalog::builtin());
        editor.temperature = text_field("0.2");
        let json = serde_json::to_value(editor.request_body().unwrap()).unwrap();
        assert_eq!(json["llm_config"]["tools"][0]["type"], "transfer");
        assert_eq!(json["llm_config"]["messages"][0]["name"], "rules");
        assert_eq!(json["llm_config"]["temperature"], 0.2);
    }
}
