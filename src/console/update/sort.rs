//! `s` on a list: the next order by one of its columns. The filter decides
//! which rows are shown; the order, once one is chosen, decides how they
//! line up — with a filter too, so "newest first among the matches" works.
//! With no order chosen a fuzzy filter shows its best match first.

use super::super::app::{ListState, Model, Screen, Sort, SortColumn};
use super::super::msg::Cmd;

const fn by(column: SortColumn, descending: bool) -> Option<Sort> {
    Some(Sort { column, descending })
}

/// The orders `s` steps through on the Assistants list, the server's first.
pub const ASSISTANT_SORTS: [Option<Sort>; 5] = [
    None,
    by(SortColumn::Name, false),
    by(SortColumn::Name, true),
    by(SortColumn::Updated, true),
    by(SortColumn::Updated, false),
];

/// The orders on the Models list, the catalog's first.
pub const MODEL_SORTS: [Option<Sort>; 3] =
    [None, by(SortColumn::Id, false), by(SortColumn::Id, true)];

/// The order after `current` in `cycle`.
pub fn next(cycle: &[Option<Sort>], current: Option<Sort>) -> Option<Sort> {
    let at = cycle.iter().position(|s| *s == current).unwrap_or(0);
    cycle.get((at + 1) % cycle.len().max(1)).copied().flatten()
}

/// `s`: the next order, with the selected row still selected.
pub fn cycle(model: &mut Model) -> Vec<Cmd> {
    let (list, cycle): (&mut ListState, &[Option<Sort>]) = match model.session.screen {
        Screen::Assistants => (&mut model.server.assistant_list, &ASSISTANT_SORTS),
        Screen::Models => (&mut model.server.models.list, &MODEL_SORTS),
        Screen::Providers => return Vec::new(),
    };
    let selected = list.visible.get(list.selected).copied();
    list.sort = next(cycle, list.sort);
    let cmds = match model.session.screen {
        Screen::Assistants => super::filter::refresh_assistants(model),
        _ => {
            super::lists::refresh_models(model);
            Vec::new()
        }
    };
    let page = model.list_page();
    let list = match model.session.screen {
        Screen::Assistants => &mut model.server.assistant_list,
        _ => &mut model.server.models.list,
    };
    if let Some(at) = selected.and_then(|s| list.visible.iter().position(|&i| i == s)) {
        list.selected = at;
        list.follow(page);
    }
    cmds
}

/// Puts the assistants shown in the chosen order; ties keep the order
/// they had (the filter's ranking, or the server's).
pub fn order_assistants(model: &mut Model) {
    let Some(sort) = model.server.assistant_list.sort else {
        return;
    };
    let Some(all) = model.server.assistants.loaded() else {
        return;
    };
    let visible = &mut model.server.assistant_list.visible;
    let key = |i: &usize| all.get(*i).map(|a| key_of(a, sort.column));
    visible.sort_by_cached_key(key);
    if sort.descending {
        reverse_keeping_ties(visible, key);
    }
}

/// What a column sorts by: names in any case; RFC 3339 times in UTC order
/// as text, an assistant never updated by its creation, none as oldest.
fn key_of(a: &crate::domain::Assistant, column: SortColumn) -> String {
    match column {
        SortColumn::Updated => a
            .updated_at
            .as_deref()
            .or(a.created_at.as_deref())
            .unwrap_or("")
            .to_owned(),
        SortColumn::Name | SortColumn::Id => a.name.to_lowercase(),
    }
}

/// Reverses an ascending order into a descending one in which equal keys
/// still keep their earlier order.
pub fn reverse_keeping_ties<T: Copy, K: PartialEq>(items: &mut [T], key: impl Fn(&T) -> K) {
    items.reverse();
    let mut start = 0;
    while start < items.len() {
        let first = key(&items[start]);
        let mut end = start + 1;
        while end < items.len() && key(&items[end]) == first {
            end += 1;
        }
        items[start..end].reverse();
        start = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cycle_comes_back_to_the_natural_order() {
        let mut sort = None;
        let mut seen = Vec::new();
        for _ in 0..ASSISTANT_SORTS.len() {
            sort = next(&ASSISTANT_SORTS, sort);
            seen.push(sort);
        }
        assert_eq!(seen.last(), Some(&None));
        assert_eq!(seen[0], by(SortColumn::Name, false));
    }

    #[test]
    fn descending_keeps_equal_keys_in_their_order() {
        let mut items = [(1, 'a'), (1, 'b'), (2, 'c')];
        reverse_keeping_ties(&mut items, |x| x.0);
        assert_eq!(items, [(2, 'c'), (1, 'a'), (1, 'b')]);
    }
}
