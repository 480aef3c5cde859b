//! `s` on a list: the next order by one of its columns. The filter decides
//! which rows are shown; the order, once one is chosen, decides how they
//! line up — with a filter too, so "newest first among the matches" works.
//! With no order chosen a fuzzy filter shows its best match first.

/// A list ordered by one of its columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    pub column: SortColumn,
    pub descending: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortColumn {
    Name,
    Updated,
    Id,
}

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
