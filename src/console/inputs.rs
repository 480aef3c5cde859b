//! The model's inputs from the server, set only through these methods, so
//! what derives from them (the Models tabs, the provider rows, who uses
//! which key, the assistants' rows shown) follows at once, in one place.

use crate::client::ApiError;
use crate::domain::{Assistant, ByokState, Catalog, CatalogSource};

use super::screens::AssistantRow;

use super::app::{Model, Remote};
use super::msg::{Cmd, RankJob};
use super::providers::{RowInputs, Usage};

impl Model {
    pub fn set_byok(&mut self, byok: Remote<ByokState>) {
        let loaded = matches!(byok, Remote::Loaded(_));
        self.byok = byok;
        if loaded {
            self.config_follows();
        }
        self.rows_follow();
    }

    pub fn set_catalog(&mut self, catalog: Catalog, source: CatalogSource) {
        self.catalog = catalog;
        self.catalog_source = source;
        self.config_follows();
        self.count_usage();
    }

    pub fn fail_config(&mut self, error: ApiError) {
        self.models.set_config(Remote::Failed(error));
        self.rows_follow();
    }

    pub fn fail_assistants(&mut self, error: ApiError) {
        self.assistants.fail(error);
        self.rows_follow();
    }

    /// A complete list of assistants in place of the one shown.
    pub fn set_assistants(&mut self, list: Vec<AssistantRow>) {
        let job = self.assistants.set(list);
        self.rank_off_thread(job);
        self.count_usage();
    }

    /// A page of a first load: shown at once; who uses which key is
    /// counted once the last page is in (`count_usage`).
    pub fn append_assistants(&mut self, page: Vec<AssistantRow>, first: bool, last: bool) {
        if first || !self.assistants.is_loaded() {
            let job = self.assistants.set(Vec::new());
            self.rank_off_thread(job);
        }
        let job = self.assistants.append(page, last);
        self.rank_off_thread(job);
    }

    pub fn remove_assistant(&mut self, id: &str) -> Option<AssistantRow> {
        let (gone, job) = self.assistants.remove(id);
        self.rank_off_thread(job);
        self.count_usage();
        gone
    }

    /// Replaces the assistant by id, or adds it.
    pub fn upsert_assistant(&mut self, assistant: &Assistant) {
        let job = self.assistants.upsert(assistant);
        self.rank_off_thread(job);
        self.count_usage();
    }

    /// A fresh copy of an assistant the list has.
    pub fn replace_assistant(&mut self, assistant: &Assistant) {
        if self.assistants.position(&assistant.id).is_none() {
            return;
        }
        let job = self.assistants.replace(assistant);
        self.rank_off_thread(job);
        self.count_usage();
    }

    /// Who uses which key, and so the provider rows, from the assistants
    /// there are and the catalog.
    pub fn count_usage(&mut self) {
        let usage = self
            .assistants
            .loaded()
            .map(|list| Usage::of_list(&self.catalog, list));
        self.providers.set_usage(
            usage,
            RowInputs {
                catalog: &self.catalog,
                byok: &self.byok,
                assistants_failed: self.assistants.is_failed(),
            },
        );
    }

    /// A ranking too long for the key path goes to the worker.
    pub fn rank_off_thread(&mut self, job: Option<RankJob>) {
        if let Some(job) = job {
            self.effects.push(Cmd::Rank(job));
        }
    }

    /// The Models screen's rows follow the catalog and which keys are set.
    fn config_follows(&mut self) {
        let byok = self.byok.loaded();
        let config = self
            .catalog
            .byok_config(|p| byok.is_some_and(|b| b.byok_keys.is_configured(p)));
        self.models.set_config(Remote::Loaded(config));
    }

    fn rows_follow(&mut self) {
        self.providers.set_inputs(RowInputs {
            catalog: &self.catalog,
            byok: &self.byok,
            assistants_failed: self.assistants.is_failed(),
        });
    }
}
