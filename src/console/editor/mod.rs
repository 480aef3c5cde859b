//! The assistant editor's state: the fields as typed, and the exact request
//! body they turn into.

use ratatui_textarea::{CursorMove, TextArea};

use serde_json::{Map, Value};

use crate::domain::validate::DraftKind;
use crate::domain::{
    Assistant, AssistantDraft, Catalog, FieldError, LlmConfig, SttConfig, TtsConfig,
};

mod choices;
mod draft;
mod field;
mod hosted;
mod json;
pub mod json_notice;
mod json_scan;
mod json_secrets;
mod messages;
mod rebase;
mod speech;

pub use draft::{Checked, Derived};
pub use field::Field;

pub use hosted::{HostedInputs, secret_shown, yes_no};
pub use json::{JsonEdit, Problem};
pub use messages::MessageDraft;
pub use speech::{SPEECH_SETTINGS, SpeechInputs, range_of};

use super::msg::RequestId;
use messages::message_field;

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
    /// The speech settings typed as text, written into `speech_config`.
    pub speech: SpeechInputs,
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
    pub sent: Option<[u8; 32]>,
    /// The body of the save in flight, to tell what the server did not keep.
    pub sent_body: Option<serde_json::Value>,
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
    /// A JSON edit in the user's editor that could not be taken.
    pub json_edit: JsonEdit,
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
            speech: SpeechInputs::from_extra(&Map::new()),
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
            sent_body: None,
            derived: Derived::default(),
            server_error: None,
            conflict: false,
            preview: false,
            preview_scroll: 0,
            notice: None,
            json_edit: JsonEdit::default(),
        }
    }

    /// The TTS provider the voice field belongs to: the chosen one, else
    /// the one a typed voice goes to.
    pub fn tts_provider(&self) -> &str {
        self.tts
            .as_ref()
            .map_or(self.default_tts.as_str(), |t| t.provider.as_str())
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
            self.speech = SpeechInputs::from_extra(&self.extra);
        }
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

    pub fn text_area_mut(&mut self, field: Field) -> Option<&mut TextArea<'static>> {
        match field {
            Field::Name => Some(&mut self.name),
            Field::FirstMessage => Some(&mut self.first_message),
            Field::Temperature => Some(&mut self.temperature),
            Field::VoiceId => Some(&mut self.voice_id),
            Field::Speech(i) => self.speech.areas.get_mut(usize::from(i)),
            other => other.hosted_name().and_then(|n| self.hosted.area_mut(n)),
        }
    }

    /// The realtime LLM chosen, if it is one: it speaks by itself.
    pub fn realtime_llm<'c>(
        &self,
        cat: &'c Catalog,
    ) -> Option<&'c crate::domain::catalog::CatalogProvider> {
        let llm = self.llm.as_ref()?;
        cat.llm.provider(&llm.provider).filter(|p| p.is_realtime())
    }

    /// Enter on a yes/no field.
    pub fn toggle(&mut self, field: Field) {
        if let Some(name) = field.hosted_name() {
            hosted::toggle(&mut self.extra, name);
        }
    }
}

/// Where a voice typed before any TTS choice goes: the catalog's first.
fn default_tts(cat: &Catalog) -> String {
    cat.tts.provider_ids().next().unwrap_or_default().to_owned()
}

/// An assistant with a field the editor does not show (`keyterms`), for the
/// tests of every part of the editor.
#[cfg(test)]
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
