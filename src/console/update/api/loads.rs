//! Answers to the data loads. What a background reload finds the same is
//! left alone, so nothing derived from it is rebuilt.

use crate::client::ApiError;
use crate::domain::{Account, ByokState, Catalog, CatalogSource};

use super::super::super::app::{Incoming, Model, Remote};
use super::super::super::msg::{Cmd, Page};
use super::super::super::requests::Answered;
use super::{list_changed, load_failed, refresh_config};

pub fn account(model: &mut Model, answered: Answered, result: Result<Account, ApiError>) {
    match result {
        Ok(account) if model.server.account.loaded() == Some(&account) => {}
        Ok(account) => model.server.account = Remote::Loaded(account),
        Err(e) => load_failed(model, answered, |m| &mut m.server.account, "the account", e),
    }
}

pub fn byok(model: &mut Model, answered: Answered, result: Result<ByokState, ApiError>) {
    match result {
        Ok(state) if model.server.byok.loaded() == Some(&state) => {}
        Ok(state) => {
            model.server.byok = Remote::Loaded(state);
            refresh_config(model);
            super::super::super::providers::refresh_rows(model);
        }
        Err(e) => load_failed(model, answered, |m| &mut m.server.byok, "the keys", e),
    }
}

pub fn catalog(
    model: &mut Model,
    answered: Answered,
    result: Result<(Box<Catalog>, CatalogSource), ApiError>,
) {
    match result {
        Ok((catalog, source)) => {
            model.server.catalog = *catalog;
            model.server.catalog_source = source;
            refresh_config(model);
            super::super::lists::refresh_models(model);
            super::super::super::providers::refresh_usage(model);
        }
        Err(e) => load_failed(
            model,
            answered,
            |m| &mut m.server.config,
            "the model catalog",
            e,
        ),
    }
}

/// A page of assistants. A first load shows each page as it comes, so the
/// list is usable at once; a reload collects every page and replaces the
/// list only when it is complete (and only if it changed).
pub fn assistants(
    model: &mut Model,
    answered: Answered,
    result: Result<Page, ApiError>,
) -> Vec<Cmd> {
    let page = match result {
        Ok(page) => page,
        Err(e) => {
            let cut_short = model.server.incoming.take().is_some_and(|i| i.showing);
            if cut_short {
                first_load_cut_short(model, e);
            } else {
                load_failed(
                    model,
                    answered,
                    |m| &mut m.server.assistants,
                    "the assistants",
                    e,
                );
            }
            return Vec::new();
        }
    };
    let showing = match (&model.server.incoming, &model.server.assistants) {
        (Some(incoming), _) => incoming.showing,
        (None, Remote::Loaded(_)) => page.offset > 0,
        (None, _) => true,
    };
    if showing {
        return show_page(model, page);
    }
    let incoming = model.server.incoming.get_or_insert_with(Incoming::default);
    if page.offset == 0 {
        incoming.assistants.clear();
    }
    incoming.assistants.extend(page.assistants);
    incoming.total = page.total;
    if !page.last {
        return Vec::new();
    }
    let Some(complete) = model.server.incoming.take().map(|i| i.assistants) else {
        return Vec::new();
    };
    if model.server.assistants.loaded() == Some(&complete) {
        return Vec::new();
    }
    model.server.assistants = Remote::Loaded(complete);
    list_changed(model)
}

/// A first load that failed after some pages: what came is kept and said
/// to be partial; who uses which key is counted on what is there.
fn first_load_cut_short(model: &mut Model, error: ApiError) {
    let loaded = model.server.assistants.loaded().map_or(0, Vec::len);
    super::super::toast(
        model,
        format!("Loaded {loaded} assistants, then: {error}. The list is partial; r reloads it."),
        true,
    );
    super::super::super::providers::refresh_usage(model);
}

/// A page of a first load goes straight into the list; who uses which key
/// is counted once, when the last page is in.
fn show_page(model: &mut Model, page: Page) -> Vec<Cmd> {
    if page.offset == 0 || !matches!(model.server.assistants, Remote::Loaded(_)) {
        model.server.assistants = Remote::Loaded(Vec::new());
        model.server.haystacks = std::sync::Arc::new(Vec::new());
    }
    let Remote::Loaded(list) = &mut model.server.assistants else {
        return Vec::new();
    };
    let from = list.len();
    list.extend(page.assistants);
    model.server.incoming = (!page.last).then(|| Incoming {
        assistants: Vec::new(),
        total: page.total,
        showing: true,
    });
    let cmds = super::super::filter::assistants_appended(model, from);
    if page.last {
        super::super::super::providers::refresh_usage(model);
    }
    cmds
}
