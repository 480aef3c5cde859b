//! The Assistants screen: the account's assistants as a list of compact
//! rows, whether they have loaded, and a load in progress.

use crate::client::ApiError;
use crate::domain::Assistant;

use super::super::app::Remote;
use super::super::list::{FilterEdit, FilteredList, Listed, Order, SortColumn};
use super::super::msg::RankJob;
use super::assistant_row::AssistantRow;

/// Up to this many candidates are ranked inline (under a millisecond, which
/// spares a ranking within a few thousand matches the trip to the worker
/// and back); more go to a worker thread.
pub const INLINE_RANK: usize = 5_000;

/// What the filter matches: the name, the STT and LLM models and the TTS
/// voice.
fn haystack(name: &str, stt: Option<&str>, llm: Option<&str>, tts: Option<&str>) -> String {
    let [stt, llm, tts] = [stt, llm, tts].map(|s| s.unwrap_or(""));
    format!("{name} {stt} {llm} {tts}")
}

/// The filter text of a whole assistant, as its row has it.
pub fn assistant_haystack(a: &Assistant) -> String {
    haystack(
        &a.name,
        a.stt_config.as_ref().and_then(|c| c.model.as_deref()),
        a.llm_config.as_ref().and_then(|c| c.model.as_deref()),
        a.tts_config.as_ref().and_then(|c| c.voice_id.as_deref()),
    )
}

impl Listed for AssistantRow {
    fn haystack(&self) -> String {
        haystack(
            &self.name,
            self.stt.as_ref().and_then(|u| u.model.as_deref()),
            self.llm.as_ref().and_then(|u| u.model.as_deref()),
            self.tts.as_ref().and_then(|u| u.detail.as_deref()),
        )
    }

    /// Names in any case; RFC 3339 times in UTC order as text, an
    /// assistant never updated by its creation, none as oldest.
    fn sort_key(&self, column: SortColumn) -> String {
        match column {
            SortColumn::Updated => self.changed_at().unwrap_or("").to_owned(),
            SortColumn::Name | SortColumn::Id => self.name.to_lowercase(),
        }
    }
}

/// A load in progress: the assistants received so far and how many the
/// server says there are. A first load shows them as they come; a reload
/// replaces the list only once complete.
#[derive(Debug, Default)]
pub struct Incoming {
    /// A reload's pages so far (a first load puts them in the list at once).
    pub assistants: Vec<AssistantRow>,
    pub total: Option<u64>,
    /// Whether the pages go straight into the list (a first load).
    pub showing: bool,
}

#[derive(Debug)]
pub struct AssistantsScreen {
    /// Whether the list has loaded (its items are `list`'s), or why not.
    pub status: Remote<()>,
    pub list: FilteredList<AssistantRow>,
    pub incoming: Option<Incoming>,
    /// When the last page came, by the wall clock: "updated 3m ago" is
    /// told against it.
    pub listed_at: Option<std::time::SystemTime>,
}

impl Default for AssistantsScreen {
    fn default() -> Self {
        AssistantsScreen {
            status: Remote::Loading,
            list: FilteredList::new(Order::BestFirst, INLINE_RANK),
            incoming: None,
            listed_at: None,
        }
    }
}

impl AssistantsScreen {
    /// The assistants, once loaded (a first load: those so far).
    pub fn loaded(&self) -> Option<&[AssistantRow]> {
        self.status.loaded().map(|()| self.list.items())
    }

    pub fn is_loaded(&self) -> bool {
        matches!(self.status, Remote::Loaded(_))
    }

    pub fn is_failed(&self) -> bool {
        matches!(self.status, Remote::Failed(_))
    }

    pub fn fail(&mut self, error: ApiError) {
        self.status = Remote::Failed(error);
    }

    /// A whole new list.
    #[must_use]
    pub fn set(&mut self, assistants: Vec<AssistantRow>) -> Option<RankJob> {
        self.status = Remote::Loaded(());
        self.list.set_items(assistants)
    }

    /// A page of a first load, at the end of what came before.
    #[must_use]
    pub fn append(&mut self, page: Vec<AssistantRow>, last: bool) -> Option<RankJob> {
        let job = self.list.append(page);
        if last {
            self.list.shrink_to_fit();
        }
        job
    }

    /// Where the assistant `id` is in the list.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.loaded()?.iter().position(|a| a.id.is(id))
    }

    #[must_use]
    pub fn remove(&mut self, id: &str) -> (Option<AssistantRow>, Option<RankJob>) {
        let Some(at) = self.position(id) else {
            return (None, None);
        };
        let (gone, job) = self.list.edit_items(|items| items.remove(at));
        (Some(gone), job)
    }

    /// Replaces the assistant by id, or adds it at the end.
    #[must_use]
    pub fn upsert(&mut self, assistant: &Assistant) -> Option<RankJob> {
        if !self.is_loaded() {
            return None;
        }
        let at = self.position(&assistant.id);
        let row = AssistantRow::from(assistant);
        self.list
            .edit_items(|items| match at {
                Some(at) => items[at] = row,
                None => items.push(row),
            })
            .1
    }

    /// Replaces the assistant by id if the list has it.
    #[must_use]
    pub fn replace(&mut self, assistant: &Assistant) -> Option<RankJob> {
        let at = self.position(&assistant.id)?;
        self.list.replace(at, AssistantRow::from(assistant))
    }

    #[must_use]
    pub fn edit_filter(&mut self, edit: FilterEdit) -> Option<RankJob> {
        self.list.edit_filter(edit)
    }
}
