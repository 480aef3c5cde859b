//! Answers to the data loads. A reload that finds the same data changes
//! nothing, so the frame after it sends nothing. The assistants may need a
//! ranking on the worker, which their answer returns.

use crate::client::ApiError;
use crate::domain::{Account, ByokState, Catalog, CatalogSource};

use super::super::super::app::{Model, Remote};
use super::super::super::msg::{Cmd, Page};
use super::super::super::requests::Answered;
use super::super::super::screens::Incoming;
use super::load_failed;

pub fn account(model: &mut Model, answered: Answered, result: Result<Account, ApiError>) {
    match result {
        Ok(account) if model.server.account.loaded() == Some(&account) => {}
        Ok(account) => model.server.account = Remote::Loaded(account),
        Err(e) => {
            let loaded = model.server.account.loaded().is_some();
            let fail = |m: &mut Model, e| m.server.account = Remote::Failed(e);
            load_failed(model, answered, loaded, fail, "the account", e)
        }
    }
}

pub fn byok(model: &mut Model, answered: Answered, result: Result<ByokState, ApiError>) {
    match result {
        Ok(state) if model.server.byok.loaded() == Some(&state) => {}
        Ok(state) => model.server.set_byok(Remote::Loaded(state)),
        Err(e) => {
            let loaded = model.server.byok.loaded().is_some();
            let fail = |m: &mut Model, e| m.server.set_byok(Remote::Failed(e));
            load_failed(model, answered, loaded, fail, "the keys", e)
        }
    }
}

pub fn catalog(
    model: &mut Model,
    answered: Answered,
    result: Result<(Box<Catalog>, CatalogSource), ApiError>,
) {
    match result {
        Ok((catalog, source)) => model.server.set_catalog(*catalog, source),
        Err(e) => {
            let loaded = model.server.models.config().loaded().is_some();
            let fail = |m: &mut Model, e| m.server.fail_config(e);
            load_failed(model, answered, loaded, fail, "the model catalog", e)
        }
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
            let cut_short = model
                .server
                .assistants
                .incoming
                .take()
                .is_some_and(|i| i.showing);
            if cut_short {
                first_load_cut_short(model, e);
            } else {
                let loaded = model.server.assistants.is_loaded();
                let fail = |m: &mut Model, e| m.server.fail_assistants(e);
                load_failed(model, answered, loaded, fail, "the assistants", e);
            }
            return Vec::new();
        }
    };
    model.server.assistants.listed_at = Some(page.listed_at);
    let showing = match &model.server.assistants.incoming {
        Some(incoming) => incoming.showing,
        None if model.server.assistants.is_loaded() => page.offset > 0,
        None => true,
    };
    if showing {
        return show_page(model, page);
    }
    let incoming = model
        .server
        .assistants
        .incoming
        .get_or_insert_with(Incoming::default);
    if page.offset == 0 {
        incoming.assistants.clear();
    }
    incoming.assistants.extend(page.assistants);
    incoming.total = page.total;
    if !page.last {
        return Vec::new();
    }
    let Some(complete) = model
        .server
        .assistants
        .incoming
        .take()
        .map(|i| i.assistants)
    else {
        return Vec::new();
    };
    if model.server.assistants.loaded() == Some(complete.as_slice()) {
        return Vec::new();
    }
    model.server.set_assistants(complete)
}

/// A first load that failed after some pages: what came is kept and said
/// to be partial; who uses which key is counted on what is there.
fn first_load_cut_short(model: &mut Model, error: ApiError) {
    let loaded = model.server.assistants.loaded().map_or(0, <[_]>::len);
    super::super::toast(
        model,
        format!("Loaded {loaded} assistants, then: {error}. The list is partial; r reloads it."),
        true,
    );
    model.server.count_usage();
}

/// A page of a first load goes straight into the list; who uses which key
/// is counted once, when the last page is in.
fn show_page(model: &mut Model, page: Page) -> Vec<Cmd> {
    let cmds = model
        .server
        .append_assistants(page.assistants, page.offset == 0, page.last);
    model.server.assistants.incoming = (!page.last).then(|| Incoming {
        assistants: Vec::new(),
        total: page.total,
        showing: true,
    });
    if page.last {
        model.server.count_usage();
    }
    cmds
}
