//! The assistants filter, kept off the key path: a keystroke changes the
//! filter text at once; ranking a large list runs on a worker thread and
//! its answer replaces the list when it is still the latest.

use std::sync::Arc;

use crate::domain::Assistant;

use super::super::app::{ListState, Model};
use super::super::fuzzy::{contains, exact, narrows, rank, rank_within};
use super::super::msg::{Cmd, RankJob, Ranked};
use super::sort::order_assistants;

/// Up to this many candidates are ranked inline (well under a millisecond);
/// more go to a worker thread.
pub const INLINE_RANK: usize = 2_000;

pub fn assistant_haystack(a: &Assistant) -> String {
    let stt = a
        .stt_config
        .as_ref()
        .and_then(|c| c.model.as_deref())
        .unwrap_or("");
    let llm = a
        .llm_config
        .as_ref()
        .and_then(|c| c.model.as_deref())
        .unwrap_or("");
    let tts = a
        .tts_config
        .as_ref()
        .map(|c| c.voice_id.as_deref().unwrap_or(""))
        .unwrap_or("");
    format!("{} {stt} {llm} {tts}", a.name)
}

/// The assistants changed: their filter texts are built again, once.
pub fn assistants_changed(model: &mut Model) -> Vec<Cmd> {
    model.server.haystacks = Arc::new(
        model
            .server
            .assistants
            .loaded()
            .map(|list| list.iter().map(assistant_haystack).collect())
            .unwrap_or_default(),
    );
    rerank(model)
}

/// One assistant changed in place (a fetch brought its current version).
pub fn assistant_replaced(model: &mut Model, index: usize) -> Vec<Cmd> {
    let Some(assistant) = model.server.assistants.loaded().and_then(|l| l.get(index)) else {
        return Vec::new();
    };
    let text = assistant_haystack(assistant);
    if let Some(slot) = Arc::make_mut(&mut model.server.haystacks).get_mut(index) {
        if *slot == text {
            return Vec::new();
        }
        *slot = text;
    }
    rerank(model)
}

/// The texts changed under the filter: what was ranked, and a rank in
/// flight, are of another list now. Until the new rank lands, the rows
/// shown are the old result cut to the indices that still exist.
fn rerank(model: &mut Model) -> Vec<Cmd> {
    let list = &mut model.server.assistant_list;
    list.ranking = None;
    list.ranked.clear();
    let count = model.server.haystacks.len();
    list.visible.retain(|&i| i < count);
    list.clamp();
    refresh_assistants(model)
}

/// Assistants from `from` on are new at the end of the list (a page of a
/// first load): only their filter texts are built.
pub fn assistants_appended(model: &mut Model, from: usize) -> Vec<Cmd> {
    let Some(list) = model.server.assistants.loaded() else {
        return Vec::new();
    };
    let haystacks = Arc::make_mut(&mut model.server.haystacks);
    haystacks.truncate(from);
    haystacks.extend(list[from.min(list.len())..].iter().map(assistant_haystack));
    let count = haystacks.len();
    if model.server.assistant_list.filter.trim().is_empty() {
        let list = &mut model.server.assistant_list;
        list.visible.retain(|&i| i < from);
        list.visible.extend(from..count);
        order_assistants(model);
        model.server.assistant_list.clamp();
        Vec::new()
    } else {
        rerank(model)
    }
}

/// Ranks the assistants for the filter, on what an earlier step already
/// narrowed where it can: typing on filters the last result, Backspace
/// returns to one already known. A rank of many goes to the worker, one at
/// a time: keys typed meanwhile are ranked when its answer comes, and the
/// list on screen stays as it was until then. What is shown is then put in
/// the chosen order, if there is one.
pub fn refresh_assistants(model: &mut Model) -> Vec<Cmd> {
    let cmds = rank_assistants(model);
    order_assistants(model);
    cmds
}

fn rank_assistants(model: &mut Model) -> Vec<Cmd> {
    let list = &mut model.server.assistant_list;
    let filter = list.filter.trim().to_owned();
    if filter.is_empty() {
        list.ranking = None;
        list.ranked.clear();
        list.visible = (0..model.server.haystacks.len()).collect();
        list.clamp();
        return Vec::new();
    }
    while list
        .ranked
        .last()
        .is_some_and(|(known, _)| !narrows(known, &filter))
    {
        list.ranked.pop();
    }
    let within = match list.ranked.last() {
        Some((known, visible)) if *known == filter => {
            list.ranking = None;
            list.visible = visible.to_vec();
            list.clamp();
            return Vec::new();
        }
        Some((_, within)) => Some(within.clone()),
        None => None,
    };
    if list.ranking.is_some() {
        return Vec::new();
    }
    let candidates = within
        .as_ref()
        .map_or(model.server.haystacks.len(), |w| w.len());
    let job = RankJob {
        generation: model.server.rank_generation,
        pattern: filter,
        haystacks: model.server.haystacks.clone(),
        within,
    };
    model.server.rank_generation += 1;
    if candidates <= INLINE_RANK {
        let ranked = job.run();
        keep(list, ranked.pattern, Arc::new(ranked.visible), true);
    } else {
        list.ranking = Some(job.generation);
        return vec![Cmd::Rank(job)];
    }
    Vec::new()
}

/// A rank the worker finished. Its result is kept for its filter; if the
/// filter has moved on since, the rest is ranked from there.
pub fn ranked(model: &mut Model, ranked: Ranked) -> Vec<Cmd> {
    let list = &mut model.server.assistant_list;
    if list.ranking != Some(ranked.generation) {
        return Vec::new();
    }
    list.ranking = None;
    let current = list.filter.trim() == ranked.pattern;
    keep(list, ranked.pattern, Arc::new(ranked.visible), current);
    if current {
        order_assistants(model);
        Vec::new()
    } else {
        refresh_assistants(model)
    }
}

/// Remembers `visible` as the result of `pattern`, and shows it if `show`.
fn keep(list: &mut ListState, pattern: String, visible: Arc<Vec<usize>>, show: bool) {
    let extends = list
        .ranked
        .last()
        .is_none_or(|(known, _)| narrows(known, &pattern) && *known != pattern);
    if show {
        list.visible = visible.to_vec();
        list.clamp();
    }
    if extends {
        list.ranked.push((pattern, visible));
    }
}

impl RankJob {
    /// The ranking itself: pure, so the worker and the tests run the same.
    pub fn run(self) -> Ranked {
        let visible = match (exact(&self.pattern), &self.within) {
            (Some(text), within) => {
                let all: Vec<usize>;
                let candidates = match within {
                    Some(within) => within.as_slice(),
                    None => {
                        all = (0..self.haystacks.len()).collect();
                        &all
                    }
                };
                contains(&text, &self.haystacks, candidates)
            }
            (None, Some(within)) => rank_within(&self.pattern, &self.haystacks, within),
            (None, None) => rank(&self.pattern, self.haystacks.iter().map(String::as_str)),
        };
        Ranked {
            generation: self.generation,
            pattern: self.pattern,
            visible,
        }
    }
}
