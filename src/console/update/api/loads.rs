//! Answers to the data loads. Each returns whether anything on screen
//! changed, so a background reload that finds the same data draws nothing.

use crate::client::ApiError;
use crate::domain::{Account, ByokState, Catalog, CatalogSource};

use super::super::super::app::{Model, Remote};
use super::super::super::msg::Page;
use super::super::super::requests::Answered;
use super::super::super::screens::Incoming;
use super::load_failed;

pub fn account(model: &mut Model, answered: Answered, result: Result<Account, ApiError>) -> bool {
    match result {
        Ok(account) if model.account.loaded() == Some(&account) => false,
        Ok(account) => {
            model.account = Remote::Loaded(account);
            true
        }
        Err(e) => {
            let loaded = model.account.loaded().is_some();
            let fail = |m: &mut Model, e| m.account = Remote::Failed(e);
            load_failed(model, answered, loaded, fail, "the account", e)
        }
    }
}

pub fn byok(model: &mut Model, answered: Answered, result: Result<ByokState, ApiError>) -> bool {
    match result {
        Ok(state) if model.byok.loaded() == Some(&state) => false,
        Ok(state) => {
            model.set_byok(Remote::Loaded(state));
            true
        }
        Err(e) => {
            let loaded = model.byok.loaded().is_some();
            let fail = |m: &mut Model, e| m.set_byok(Remote::Failed(e));
            load_failed(model, answered, loaded, fail, "the keys", e)
        }
    }
}

pub fn catalog(
    model: &mut Model,
    answered: Answered,
    result: Result<(Box<Catalog>, CatalogSource), ApiError>,
) -> bool {
    match result {
        Ok((catalog, source)) => {
            model.set_catalog(*catalog, source);
            true
        }
        Err(e) => {
            let loaded = model.models.config().loaded().is_some();
            let what = "the model catalog";
            load_failed(model, answered, loaded, Model::fail_config, what, e)
        }
    }
}

/// A page of assistants. A first load shows each page as it comes, so the
/// list is usable at once; a reload collects every page and replaces the
/// list only when it is complete (and only if it changed).
pub fn assistants(model: &mut Model, answered: Answered, result: Result<Page, ApiError>) -> bool {
    let page = match result {
        Ok(page) => page,
        Err(e) => {
            let cut_short = model.assistants.incoming.take().is_some_and(|i| i.showing);
            if cut_short {
                return first_load_cut_short(model, e);
            }
            let loaded = model.assistants.is_loaded();
            let fail = Model::fail_assistants;
            return load_failed(model, answered, loaded, fail, "the assistants", e);
        }
    };
    let showing = match &model.assistants.incoming {
        Some(incoming) => incoming.showing,
        None if model.assistants.is_loaded() => page.offset > 0,
        None => true,
    };
    if showing {
        return show_page(model, page);
    }
    let incoming = model
        .assistants
        .incoming
        .get_or_insert_with(Incoming::default);
    if page.offset == 0 {
        incoming.assistants.clear();
    }
    incoming.assistants.extend(page.assistants);
    incoming.total = page.total;
    if !page.last {
        return false;
    }
    let Some(complete) = model.assistants.incoming.take().map(|i| i.assistants) else {
        return false;
    };
    if model.assistants.loaded() == Some(complete.as_slice()) {
        return false;
    }
    model.set_assistants(complete);
    true
}

/// A first load that failed after some pages: what came is kept and said
/// to be partial; who uses which key is counted on what is there.
fn first_load_cut_short(model: &mut Model, error: ApiError) -> bool {
    let loaded = model.assistants.loaded().map_or(0, <[_]>::len);
    super::super::toast(
        model,
        format!("Loaded {loaded} assistants, then: {error}. The list is partial; r reloads it."),
        true,
    );
    model.count_usage();
    true
}

/// A page of a first load goes straight into the list; who uses which key
/// is counted once, when the last page is in.
fn show_page(model: &mut Model, page: Page) -> bool {
    model.append_assistants(page.assistants, page.offset == 0, page.last);
    model.assistants.incoming = (!page.last).then(|| Incoming {
        assistants: Vec::new(),
        total: page.total,
        showing: true,
    });
    if page.last {
        model.count_usage();
    }
    true
}
