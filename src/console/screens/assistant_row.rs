//! An assistant as the list keeps it. A list of a hundred thousand holds
//! only what its screens show, filter, order and count by, in few
//! allocations: provider and model names shared among the rows (a load
//! interns them), the rest in boxed strings. What else the assistant has
//! (its prompt, its settings) stays as JSON with those fields taken out,
//! interned too, since many assistants share it: the whole assistant is
//! put back together when one is opened, copied or edited by name.

use std::collections::HashSet;
use std::sync::Arc;

use crate::domain::{Assistant, LlmConfig, SectionUse};

/// What one section (STT, LLM or TTS) of an assistant uses.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Uses {
    pub provider: Arc<str>,
    pub model: Option<Arc<str>>,
    /// The STT language, the LLM's own voice (a realtime model) or the
    /// TTS voice id.
    pub detail: Option<Box<str>>,
}

/// An assistant's id: a UUID as servers write them in its 16 bytes,
/// anything else as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowId {
    Uuid([u8; 16]),
    Text(Box<str>),
}

impl RowId {
    fn new(id: &str) -> RowId {
        match uuid::Uuid::try_parse(id) {
            Ok(uuid) if written_as(uuid, id) => RowId::Uuid(uuid.into_bytes()),
            _ => RowId::Text(id.into()),
        }
    }

    /// Whether this is `id`, written the same way.
    pub fn is(&self, id: &str) -> bool {
        match self {
            RowId::Uuid(bytes) => written_as(uuid::Uuid::from_bytes(*bytes), id),
            RowId::Text(text) => **text == *id,
        }
    }
}

/// Whether `id` is `uuid` as servers write it: lowercase, hyphenated.
fn written_as(uuid: uuid::Uuid, id: &str) -> bool {
    let mut buffer = uuid::Uuid::encode_buffer();
    uuid.hyphenated().encode_lower(&mut buffer) == id
}

impl std::fmt::Display for RowId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RowId::Uuid(bytes) => uuid::Uuid::from_bytes(*bytes).hyphenated().fmt(f),
            RowId::Text(text) => f.write_str(text),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssistantRow {
    pub id: RowId,
    pub name: Box<str>,
    /// Few STT and LLM set-ups recur across an account: shared.
    pub stt: Option<Arc<Uses>>,
    pub llm: Option<Arc<Uses>>,
    /// A TTS voice is often the assistant's own: kept in the row.
    pub tts: Option<Uses>,
    /// One string when the two times are the same.
    created_at: Option<Arc<str>>,
    updated_at: Option<Arc<str>>,
    /// The assistant as JSON without what the fields above hold.
    rest: Arc<str>,
}

/// Shares equal names among the rows of a load: a few dozen providers and
/// models stand for hundreds of thousands of fields.
#[derive(Debug, Default)]
pub struct Names {
    names: HashSet<Arc<str>>,
    uses: HashSet<Arc<Uses>>,
}

impl Names {
    fn intern(&mut self, name: &str) -> Arc<str> {
        if let Some(known) = self.names.get(name) {
            return known.clone();
        }
        let name: Arc<str> = Arc::from(name);
        self.names.insert(name.clone());
        name
    }

    fn share(&mut self, uses: Uses) -> Arc<Uses> {
        if let Some(known) = self.uses.get(&uses) {
            return known.clone();
        }
        let uses = Arc::new(uses);
        self.uses.insert(uses.clone());
        uses
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
        let (stt, llm) = (stt.map(|u| names.share(u)), llm.map(|u| names.share(u)));
        let created_at: Option<Arc<str>> = a.created_at.as_deref().map(Arc::from);
        let updated_at = match (&created_at, a.updated_at.as_deref()) {
            (Some(created), Some(updated)) if **created == *updated => Some(created.clone()),
            (_, updated) => updated.map(Arc::from),
        };
        // An assistant that came from JSON goes back to it.
        let rest = serde_json::to_string(&without_row_fields(a.clone())).unwrap_or_default();
        AssistantRow {
            id: RowId::new(&a.id),
            name: a.name.as_str().into(),
            stt,
            llm,
            tts,
            created_at,
            updated_at,
            rest: names.intern(&rest),
        }
    }

    /// The whole assistant, as the server sent it.
    pub fn assistant(&self) -> Option<Assistant> {
        let mut a: Assistant = serde_json::from_str(&self.rest).ok()?;
        a.id = self.id.to_string();
        a.name = self.name.to_string();
        let owned = |s: &Option<Arc<str>>| s.as_deref().map(str::to_owned);
        let detail = |u: &Uses| u.detail.as_deref().map(str::to_owned);
        if let (Some(c), Some(u)) = (&mut a.stt_config, &self.stt) {
            (c.provider, c.model, c.language) =
                (u.provider.to_string(), owned(&u.model), detail(u));
        }
        if let (Some(c), Some(u)) = (&mut a.llm_config, &self.llm) {
            (c.provider, c.model) = (u.provider.to_string(), owned(&u.model));
        }
        if let (Some(c), Some(u)) = (&mut a.tts_config, &self.tts) {
            (c.provider, c.model, c.voice_id) =
                (u.provider.to_string(), owned(&u.model), detail(u));
        }
        a.created_at = owned(&self.created_at);
        a.updated_at = owned(&self.updated_at);
        Some(a)
    }

    /// When it was last updated, as the server wrote it.
    pub fn updated_at(&self) -> Option<&str> {
        self.updated_at.as_deref()
    }

    /// When it was updated, else created: the order by time.
    pub fn changed_at(&self) -> Option<&str> {
        self.updated_at.as_deref().or(self.created_at.as_deref())
    }

    /// The provider and model of each section, for the keys they need.
    pub fn models(&self) -> [Option<(&str, Option<&str>)>; 3] {
        let [stt, llm] = [&self.stt, &self.llm].map(|u| u.as_deref());
        [stt, llm, self.tts.as_ref()].map(|u| u.map(|u| (&*u.provider, u.model.as_deref())))
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

/// What a row does not hold of `a`: the fields it holds emptied, so that
/// assistants alike in everything else share one string.
fn without_row_fields(mut a: Assistant) -> Assistant {
    a.id.clear();
    a.name.clear();
    if let Some(c) = &mut a.stt_config {
        (c.provider, c.model, c.language) = (String::new(), None, None);
    }
    if let Some(c) = &mut a.llm_config {
        (c.provider, c.model) = (String::new(), None);
    }
    if let Some(c) = &mut a.tts_config {
        (c.provider, c.model, c.voice_id) = (String::new(), None, None);
    }
    (a.created_at, a.updated_at) = (None, None);
    a
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
        let updated = assistant(
            "a-2",
            serde_json::json!({"updated_at": "2026-11-27T10:00:00Z"}),
        );
        assert_eq!(AssistantRow::from(&updated).assistant(), Some(updated));
        let bare: Assistant =
            serde_json::from_value(serde_json::json!({"id": "a-3", "name": ""})).unwrap();
        assert_eq!(AssistantRow::from(&bare).assistant(), Some(bare));
        assert_eq!(row.haystack(), assistant_haystack(&a));
        assert_eq!(
            row.llm.as_ref().and_then(|u| u.detail.as_deref()),
            Some("alloy")
        );
    }

    #[test]
    fn an_id_is_kept_as_written() {
        let uuid = "0b5c3a4e-9a1f-4c8e-9d2b-7f1e2d3c4b5a";
        for id in [uuid, "0B5C3A4E-9A1F-4C8E-9D2B-7F1E2D3C4B5A", "a-1"] {
            let row = AssistantRow::from(&assistant(id, serde_json::json!({})));
            assert_eq!(row.id.to_string(), id);
            assert!(row.id.is(id));
            assert_eq!(row.assistant().map(|a| a.id), Some(id.to_owned()));
        }
        assert!(matches!(RowId::new(uuid), RowId::Uuid(_)));
        assert!(!RowId::new(uuid).is("0B5C3A4E-9A1F-4C8E-9D2B-7F1E2D3C4B5A"));
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
        assert!(
            Arc::ptr_eq(&rows[0].rest, &rows[1].rest),
            "the same but for the id"
        );
        assert_eq!(rows[1].assistant().map(|a| a.id), Some("a-2".to_owned()));
    }
}
