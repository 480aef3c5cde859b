//! The server state's inputs, set only through these methods, so what
//! derives from them (the Models tabs, the provider rows, who uses which
//! key, the assistants' rows shown) follows at once, in one place. A change
//! to the assistants may need a ranking too long for the key path: those
//! methods return it as the worker's command, for `update` to hand out.

use crate::client::ApiError;
use crate::domain::{Assistant, ByokState, Catalog, CatalogSource};

use super::screens::AssistantRow;

use super::app::Remote;
use super::msg::{Cmd, RankJob};
use super::providers::{RowInputs, Usage};
use super::server_state::ServerState;

impl ServerState {
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
    #[must_use]
    pub fn set_assistants(&mut self, list: Vec<AssistantRow>) -> Vec<Cmd> {
        let job = self.assistants.set(list);
        self.count_usage();
        off_thread(job)
    }

    /// A page of a first load: shown at once; who uses which key is
    /// counted once the last page is in (`count_usage`).
    #[must_use]
    pub fn append_assistants(
        &mut self,
        page: Vec<AssistantRow>,
        first: bool,
        last: bool,
    ) -> Vec<Cmd> {
        let mut cmds = Vec::new();
        if first || !self.assistants.is_loaded() {
            cmds.extend(off_thread(self.assistants.set(Vec::new())));
        }
        cmds.extend(off_thread(self.assistants.append(page, last)));
        cmds
    }

    #[must_use]
    pub fn remove_assistant(&mut self, id: &str) -> (Option<AssistantRow>, Vec<Cmd>) {
        let (gone, job) = self.assistants.remove(id);
        self.count_usage();
        (gone, off_thread(job))
    }

    /// Replaces the assistant by id, or adds it.
    #[must_use]
    pub fn upsert_assistant(&mut self, assistant: &Assistant) -> Vec<Cmd> {
        let job = self.assistants.upsert(assistant);
        self.count_usage();
        off_thread(job)
    }

    /// A fresh copy of an assistant the list has.
    #[must_use]
    pub fn replace_assistant(&mut self, assistant: &Assistant) -> Vec<Cmd> {
        if self.assistants.position(&assistant.id).is_none() {
            return Vec::new();
        }
        let job = self.assistants.replace(assistant);
        self.count_usage();
        off_thread(job)
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

    /// The Models screen's rows follow the catalog and which keys are set.
    fn config_follows(&mut self) {
        let byok = self.byok.loaded();
        let config = self
            .catalog
            .byok_config(|p| byok.is_some_and(|b| b.byok_keys.is_configured(p)));
        self.models.set_config(Remote::Loaded(config));
    }

    pub(super) fn rows_follow(&mut self) {
        self.providers.set_inputs(RowInputs {
            catalog: &self.catalog,
            byok: &self.byok,
            assistants_failed: self.assistants.is_failed(),
        });
    }
}

/// A ranking too long for the key path goes to the worker.
pub fn off_thread(job: Option<RankJob>) -> Vec<Cmd> {
    job.map(Cmd::Rank).into_iter().collect()
}
