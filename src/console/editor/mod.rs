//! The assistant editor's state: the fields as typed, and the exact request
//! body they turn into.

use ratatui_textarea::{CursorMove, TextArea, WrapMode};

use serde_json::{Map, Value};

use crate::domain::validate::{Authority, DraftKind, validate_draft};
use crate::domain::{
    Assistant, AssistantDraft, Catalog, FieldError, LlmConfig, Message, SttConfig, TtsConfig,
};

mod choices;
mod field;
mod hosted;

pub use field::Field;

pub use hosted::{HostedInputs, secret_shown, yes_no};

use super::msg::RequestId;

pub struct MessageDraft {
    pub role: String,
    pub content: TextArea<'static>,
    /// Fields of the message this build does not know; sent back untouched.
    pub extra: serde_json::Map<String, serde_json::Value>,
}

pub struct Editor {
    /// The server's version the edits are against; `None` for a new assistant.
    pub original: Option<Assistant>,
    pub etag: Option<String>,
    pub name: TextArea<'static>,
    pub first_message: TextArea<'static>,
    pub temperature: TextArea<'static>,
    pub voice_id: TextArea<'static>,
    /// Configs as last chosen; fields the editor does not show (keyterms,
    /// stability, …) ride along untouched.
    pub stt: Option<SttConfig>,
    pub llm: Option<LlmConfig>,
    pub tts: Option<TtsConfig>,
    /// The hosted fields (`is_active`, `webhook_url`, …) as last set;
    /// `hosted` holds the ones typed as text, written over these.
    pub extra: Map<String, Value>,
    pub hosted: HostedInputs,
    /// The TTS provider a voice typed before any TTS choice goes to: the
    /// catalog's first.
    pub default_tts: String,
    pub messages: Vec<MessageDraft>,
    pub message_index: usize,
    pub focus: Field,
    pub in_messages: bool,
    pub saving: Option<RequestId>,
    /// The whole form as it was when the save in flight was sent: edits
    /// made while it flies are told from it when the answer comes.
    pub sent: Option<AssistantDraft>,
    /// Kept by `refresh`; read by the view.
    pub derived: Derived,
    /// The server's answer to the last save, with the field it names.
    pub server_error: Option<FieldError>,
    /// A save met a newer version on the server (412).
    pub conflict: bool,
    /// Something the user should know that is not an error (what a reload merged).
    pub notice: Option<String>,
    /// On narrow terminals the JSON preview takes the form's place.
    pub preview: bool,
    /// How far the preview is scrolled down, in lines.
    pub preview_scroll: u16,
}

fn text_field(text: &str) -> TextArea<'static> {
    // split, not lines: a trailing line break or a CR is part of the text,
    // and dropping it would make an untouched assistant look edited.
    let mut area = TextArea::new(text.split('\n').map(str::to_owned).collect());
    area.set_cursor_line_style(ratatui::style::Style::default());
    area.move_cursor(CursorMove::Bottom);
    area.move_cursor(CursorMove::End);
    area
}

/// The top-level fields a draft sets, as the form names them.
fn changed_fields(draft: &AssistantDraft) -> Vec<&'static str> {
    [
        (draft.name.is_some(), "name"),
        (draft.first_message.is_some(), "first message"),
        (draft.stt_config.is_some(), "STT"),
        (draft.llm_config.is_some(), "LLM"),
        (draft.tts_config.is_some(), "TTS"),
    ]
    .into_iter()
    .filter_map(|(set, name)| set.then_some(name))
    .collect()
}

/// What a reload merged: their changes, and where both changed the same part.
fn rebase_notice(mine: &AssistantDraft, theirs: &AssistantDraft) -> Option<String> {
    let theirs = changed_fields(theirs);
    if theirs.is_empty() {
        return None;
    }
    let mine = changed_fields(mine);
    let both: Vec<&str> = theirs
        .iter()
        .copied()
        .filter(|f| mine.contains(f))
        .collect();
    let mut text = format!("Loaded their version; they changed {}.", theirs.join(", "));
    if !both.is_empty() {
        text.push_str(&format!(
            " You both changed {}: yours is shown and Ctrl-S saves it.",
            both.join(", ")
        ));
    }
    Some(text)
}

/// Prompts are long prose: wrapped, not scrolled sideways.
fn message_field(text: &str) -> TextArea<'static> {
    let mut area = text_field(text);
    area.set_wrap_mode(WrapMode::WordOrGlyph);
    area
}

pub fn text_of(area: &TextArea) -> String {
    area.lines().join("\n")
}

impl Editor {
    pub fn new_assistant(cat: &Catalog) -> Self {
        Editor::blank(default_tts(cat))
    }

    fn blank(default_tts: String) -> Self {
        Editor {
            extra: Map::new(),
            hosted: HostedInputs::from_extra(&Map::new()),
            default_tts,
            original: None,
            etag: None,
            name: text_field(""),
            first_message: text_field(""),
            temperature: text_field(""),
            voice_id: text_field(""),
            stt: None,
            llm: None,
            tts: None,
            messages: Vec::new(),
            message_index: 0,
            focus: Field::Name,
            in_messages: false,
            saving: None,
            sent: None,
            derived: Derived::default(),
            server_error: None,
            conflict: false,
            preview: false,
            preview_scroll: 0,
            notice: None,
        }
    }

    pub fn open(assistant: Assistant, etag: Option<String>, cat: &Catalog) -> Self {
        Editor::open_with(assistant, etag, default_tts(cat))
    }

    fn open_with(assistant: Assistant, etag: Option<String>, default_tts: String) -> Self {
        let mut editor = Editor::blank(default_tts);
        editor.apply(&AssistantDraft::from_assistant(&assistant));
        editor.original = Some(assistant);
        editor.etag = etag;
        editor
    }

    /// Puts every field present in `draft` into the form.
    fn apply(&mut self, draft: &AssistantDraft) {
        if let Some(name) = &draft.name {
            self.name = text_field(name);
        }
        if let Some(first) = &draft.first_message {
            self.first_message = text_field(first.as_deref().unwrap_or(""));
        }
        if let Some(stt) = &draft.stt_config {
            self.stt = stt.clone();
        }
        if let Some(llm) = &draft.llm_config {
            self.llm = llm.clone();
            let t = llm.as_ref().and_then(|l| l.temperature);
            self.temperature = text_field(&t.map(|t| t.to_string()).unwrap_or_default());
            let messages = llm
                .as_ref()
                .and_then(|l| l.messages.clone())
                .unwrap_or_default();
            self.messages = messages
                .into_iter()
                .map(|m| MessageDraft {
                    role: m.role,
                    content: message_field(&m.content),
                    extra: m.extra,
                })
                .collect();
            self.message_index = 0;
        }
        if let Some(tts) = &draft.tts_config {
            self.tts = tts.clone();
            let voice = tts
                .as_ref()
                .and_then(|t| t.voice_id.as_deref())
                .unwrap_or("");
            self.voice_id = text_field(voice);
        }
        if !draft.extra.is_empty() {
            self.extra.extend(draft.extra.clone());
            self.hosted = HostedInputs::from_extra(&self.extra);
        }
    }

    /// Someone else saved a newer version: take theirs, then put this user's
    /// changes back on top, so nothing typed is lost.
    /// Fails, changing nothing, when the form cannot be read as a draft (a
    /// temperature that is not a number): the user fixes that first.
    pub fn rebase(&mut self, theirs: Assistant, etag: Option<String>) -> Result<(), FieldError> {
        let draft = self.draft()?;
        let Some(original) = &self.original else {
            return Ok(());
        };
        let mine = AssistantDraft::changes(original, &draft);
        let their_changes =
            AssistantDraft::changes(original, &AssistantDraft::from_assistant(&theirs));
        let focus = self.focus;
        let mut rebased = Editor::open_with(theirs, etag, self.default_tts.clone());
        rebased.apply(&mine);
        rebased.focus = focus;
        rebased.notice = rebase_notice(&mine, &their_changes);
        *self = rebased;
        Ok(())
    }

    pub fn kind(&self) -> DraftKind {
        if self.original.is_some() {
            DraftKind::Update
        } else {
            DraftKind::Create
        }
    }

    pub fn is_new(&self) -> bool {
        self.original.is_none()
    }

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

    pub fn is_dirty(&self) -> bool {
        self.dirty_with(&self.draft())
    }

    fn dirty_with(&self, draft: &Result<AssistantDraft, FieldError>) -> bool {
        match (&self.original, draft) {
            (Some(original), Ok(draft)) => !AssistantDraft::changes(original, draft).is_empty(),
            (None, Ok(draft)) => !draft_is_blank(draft),
            (_, Err(_)) => true,
        }
    }

    /// Reads the form once and keeps what the screen shows of it: whether
    /// it changed, the body a save would send and its check. `update` calls
    /// this after every change, so a frame reads and never rebuilds.
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
        self.derived = Derived {
            dirty,
            body,
            checked,
        };
    }

    pub fn text_area_mut(&mut self, field: Field) -> Option<&mut TextArea<'static>> {
        match field {
            Field::Name => Some(&mut self.name),
            Field::FirstMessage => Some(&mut self.first_message),
            Field::Temperature => Some(&mut self.temperature),
            Field::VoiceId => Some(&mut self.voice_id),
            other => other.hosted_name().and_then(|n| self.hosted.area_mut(n)),
        }
    }

    /// Enter on a yes/no field.
    /// The realtime LLM chosen, if it is one: it speaks by itself.
    pub fn realtime_llm<'c>(
        &self,
        cat: &'c Catalog,
    ) -> Option<&'c crate::domain::catalog::CatalogProvider> {
        let llm = self.llm.as_ref()?;
        cat.llm.provider(&llm.provider).filter(|p| p.is_realtime())
    }

    pub fn toggle(&mut self, field: Field) {
        if let Some(name) = field.hosted_name() {
            hosted::toggle(&mut self.extra, name);
        }
    }

    pub fn add_message(&mut self) {
        let role = if self.messages.is_empty() {
            "system"
        } else {
            "user"
        };
        let at = if self.messages.is_empty() {
            0
        } else {
            self.message_index + 1
        };
        self.messages.insert(
            at,
            MessageDraft {
                role: role.into(),
                content: message_field(""),
                extra: Default::default(),
            },
        );
        self.message_index = at;
    }

    pub fn remove_message(&mut self) {
        if self.message_index < self.messages.len() {
            self.messages.remove(self.message_index);
            self.message_index = self
                .message_index
                .min(self.messages.len().saturating_sub(1));
        }
        if self.messages.is_empty() {
            self.in_messages = false;
        }
    }
}

/// Where a voice typed before any TTS choice goes: the catalog's first.
fn default_tts(cat: &Catalog) -> String {
    cat.tts.provider_ids().next().unwrap_or_default().to_owned()
}

/// What the screen shows of the form, kept by `Editor::refresh`.
#[derive(Debug, Clone)]
pub struct Derived {
    pub dirty: bool,
    pub body: Result<AssistantDraft, FieldError>,
    pub checked: Checked,
}

impl Default for Derived {
    fn default() -> Self {
        Derived {
            dirty: false,
            body: Ok(AssistantDraft::default()),
            checked: Checked::default(),
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

    fn seed_assistant() -> Assistant {
        serde_json::from_value(serde_json::json!({
            "id": "a1", "name": "My Assistant",
            "stt_config": {"provider": "deepgram", "model": "nova-3-general", "language": "nl", "keyterms": ["VoiceDock"]},
            "llm_config": {"provider": "openai", "model": "gpt-4o", "temperature": 0.7,
                           "messages": [{"role": "system", "content": "Be brief."}]},
            "tts_config": {"provider": "elevenlabs", "voice_id": "v1"},
            "revision": 3
        }))
        .unwrap()
    }

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
    fn rebase_keeps_my_edits_on_top_of_theirs() {
        let mut editor = Editor::open(seed_assistant(), Some("\"3\"".into()), &Catalog::builtin());
        editor.name = text_field("Mine");
        let mut theirs = seed_assistant();
        theirs.first_message = Some("Theirs".into());
        theirs.revision = Some(4);
        editor.rebase(theirs, Some("\"4\"".into())).unwrap();
        assert_eq!(text_of(&editor.name), "Mine");
        assert_eq!(text_of(&editor.first_message), "Theirs");
        assert_eq!(editor.etag.as_deref(), Some("\"4\""));
        assert_eq!(
            serde_json::to_string(&editor.request_body().unwrap()).unwrap(),
            r#"{"name":"Mine"}"#
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
