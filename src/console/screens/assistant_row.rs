//! An assistant as the list keeps it. A list of a hundred thousand holds
//! only what its screens show, filter, order and count by, in few
//! allocations: provider and model names shared among the rows (a load
//! interns them), the rest in boxed strings. The whole assistant stays as
//! compact JSON, read back when one is opened, copied or edited by name.

use std::collections::HashSet;
use std::sync::Arc;

use crate::domain::{Assistant, LlmConfig, SectionUse};

/// What one section (STT, LLM or TTS) of an assistant uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Uses {
    pub provider: Arc<str>,
    pub model: Option<Arc<str>>,
    /// The STT language, the LLM's own voice (a realtime model) or the
    /// TTS voice id.
    pub detail: Option<Box<str>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssistantRow {
    pub id: Box<str>,
    pub name: Box<str>,
    pub stt: Option<Uses>,
    pub llm: Option<Uses>,
    pub tts: Option<Uses>,
    /// `updated_at`, else `created_at` (`time_is_created`): what the list
    /// orders by time.
    time: Option<Box<str>>,
    time_is_created: bool,
    json: Box<[u8]>,
}

/// Shares equal names among the rows of a load: a few dozen providers and
/// models stand for hundreds of thousands of fields.
#[derive(Debug, Default)]
pub struct Names(HashSet<Arc<str>>);

impl Names {
    fn intern(&mut self, name: &str) -> Arc<str> {
        if let Some(known) = self.0.get(name) {
            return known.clone();
        }
        let name: Arc<str> = Arc::from(name);
        self.0.insert(name.clone());
        name
    }
}

impl AssistantRow {
    pub fn new(a: &Assistant, names: &mut Names) -> AssistantRow {
        let mut uses = |provider: &str, model: Option<&str>, detail: Option<&str>| Uses {
            provider: names.intern(provider),
            model: model.map(|m| names.intern(m)),
            detail: detail.map(Box::from),
        };
        let stt = a
            .stt_config
            .as_ref()
            .map(|c| uses(&c.provider, c.model.as_deref(), c.language.as_deref()));
        let llm = a
            .llm_config
            .as_ref()
            .map(|c| uses(&c.provider, c.model.as_deref(), LlmConfig::voice(c)));
        let tts = a
            .tts_config
            .as_ref()
            .map(|c| uses(&c.provider, c.model.as_deref(), c.voice_id.as_deref()));
        let time = a.updated_at.as_deref().or(a.created_at.as_deref());
        AssistantRow {
            id: a.id.as_str().into(),
            name: a.name.as_str().into(),
            stt,
            llm,
            tts,
            time: time.map(Box::from),
            time_is_created: a.updated_at.is_none(),
            // An assistant that came from JSON goes back to it.
            json: serde_json::to_vec(a).unwrap_or_default().into(),
        }
    }

    /// The whole assistant, as the server sent it.
    pub fn assistant(&self) -> Option<Assistant> {
        serde_json::from_slice(&self.json).ok()
    }

    /// When it was last updated, as the server wrote it.
    pub fn updated_at(&self) -> Option<&str> {
        self.time.as_deref().filter(|_| !self.time_is_created)
    }

    /// When it was updated, else created: the order by time.
    pub fn changed_at(&self) -> Option<&str> {
        self.time.as_deref()
    }

    /// The provider and model of each section, for the keys they need.
    pub fn models(&self) -> [Option<(&str, Option<&str>)>; 3] {
        [&self.stt, &self.llm, &self.tts]
            .map(|u| u.as_ref().map(|u| (&*u.provider, u.model.as_deref())))
    }

    /// The provider, model and voice of each section, for what a key check
    /// asks of a key.
    pub fn uses(&self) -> [SectionUse<'_>; 3] {
        [
            self.stt
                .as_ref()
                .map(|u| (&*u.provider, u.model.as_deref(), None)),
            self.llm
                .as_ref()
                .map(|u| (&*u.provider, u.model.as_deref(), None)),
            self.tts
                .as_ref()
                .map(|u| (&*u.provider, u.model.as_deref(), u.detail.as_deref())),
        ]
    }
}

impl From<&Assistant> for AssistantRow {
    fn from(a: &Assistant) -> Self {
        AssistantRow::new(a, &mut Names::default())
    }
}

/// A page's assistants as rows, interned with the load's names.
pub fn rows_of(page: Vec<Assistant>, names: &mut Names) -> Vec<AssistantRow> {
    page.iter().map(|a| AssistantRow::new(a, names)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::console::list::Listed;
    use crate::console::screens::assistants::assistant_haystack;

    fn assistant(id: &str, extra: serde_json::Value) -> Assistant {
        let mut value = serde_json::json!({
            "id": id, "name": "Reception \"NL\"", "first_message": "Hello",
            "stt_config": {"provider": "deepgram", "model": "nova-3-general", "language": "nl"},
            "llm_config": {"provider": "openai", "model": "gpt-4o", "voice": "alloy",
                           "messages": [{"role": "system", "content": "You are helpful."}]},
            "tts_config": {"provider": "elevenlabs", "voice_id": "voice-1", "stability": 0.5},
            "created_at": "2026-11-26T09:00:00Z", "revision": 3
        });
        if let (Some(all), Some(more)) = (value.as_object_mut(), extra.as_object()) {
            all.extend(more.clone());
        }
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn the_whole_assistant_comes_back_from_its_row() {
        let a = assistant("a-1", serde_json::json!({"unknown_field": [1, 2]}));
        let row = AssistantRow::from(&a);
        assert_eq!(row.assistant(), Some(a.clone()));
        assert_eq!(row.haystack(), assistant_haystack(&a));
        assert_eq!(
            row.llm.as_ref().and_then(|u| u.detail.as_deref()),
            Some("alloy")
        );
    }

    #[test]
    fn a_never_updated_assistant_orders_by_its_creation_and_shows_no_update() {
        let row = AssistantRow::from(&assistant("a-1", serde_json::json!({})));
        assert_eq!(row.updated_at(), None);
        assert_eq!(row.changed_at(), Some("2026-11-26T09:00:00Z"));
    }

    #[test]
    fn rows_of_one_load_share_their_names() {
        let page = vec![
            assistant("a-1", serde_json::json!({})),
            assistant("a-2", serde_json::json!({})),
        ];
        let rows = rows_of(page, &mut Names::default());
        let provider = |r: &AssistantRow| r.stt.as_ref().map(|u| u.provider.clone());
        let (first, second) = (provider(&rows[0]).unwrap(), provider(&rows[1]).unwrap());
        assert!(Arc::ptr_eq(&first, &second));
    }
}
