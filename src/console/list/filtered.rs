//! A list with a filter, an order and a selection. Its rows shown
//! (`visible`) are derived from the items, the filter and the order, and
//! recomputed here whenever one of them is set, never by a caller; a frame
//! only reads them.
//!
//! The filter is kept off the key path: a keystroke changes the filter
//! text at once; ranking more than `inline` candidates is handed out as a
//! `RankJob` for a worker thread, and its answer is shown only when it is
//! still the latest.

use std::sync::Arc;

use super::cursor::Cursor;
use super::haystacks::Haystacks;
use super::sort::{Sort, SortColumn, reverse_keeping_ties};
use crate::console::fuzzy::narrows;
use crate::console::msg::{RankJob, Ranked};

/// A change to a filter's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FilterEdit {
    /// A character typed: the best match is selected.
    Push(char),
    Pop,
    Paste(String),
    Clear,
}

/// What a list needs of its items.
pub trait Listed {
    /// The text the filter matches.
    fn haystack(&self) -> String;
    /// What `column` orders by.
    fn sort_key(&self, column: SortColumn) -> String;
}

/// How the rows a filter keeps line up when no order is chosen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Order {
    /// The best match first.
    #[default]
    BestFirst,
    /// The items' own order (a short list whose grouping matters more).
    Kept,
}

/// What became of a ranking the worker finished.
#[derive(Debug)]
pub enum Ranking {
    /// Not the one awaited: the list moved on since it was asked for.
    Stale,
    /// Shown, or kept for its prefix; the filter may have grown since, and
    /// then the rest is asked for.
    Applied(Option<RankJob>),
}

#[derive(Debug)]
pub struct FilteredList<T> {
    items: Vec<T>,
    /// Each item's filter text, built once per item; shared with a ranking
    /// on the worker.
    haystacks: Arc<Haystacks>,
    filter: String,
    /// Whether keys go to the filter.
    pub filtering: bool,
    /// The order chosen with `s`; none is the items' (or the ranking's).
    sort: Option<Sort>,
    order: Order,
    /// Indices into `items` that pass the filter, in the order shown.
    visible: Vec<usize>,
    /// A position within `visible`.
    cursor: Cursor,
    /// Earlier results of this filter's prefixes, shortest first: typing
    /// on ranks only what the last step matched, and Backspace goes back
    /// to a result already known instead of ranking everything again.
    ranked: Vec<(String, Arc<Vec<usize>>)>,
    /// A ranking handed out and not answered yet.
    ranking: Option<u64>,
    generation: u64,
    /// Up to this many candidates are ranked inline; more are handed out.
    inline: usize,
    /// Whether `=text` filters exactly; a picker's filter is fuzzy only.
    exact: bool,
}

impl<T> Default for FilteredList<T> {
    fn default() -> Self {
        FilteredList::new(Order::BestFirst, usize::MAX)
    }
}

impl<T> FilteredList<T> {
    pub fn new(order: Order, inline: usize) -> Self {
        FilteredList {
            items: Vec::new(),
            haystacks: Arc::new(Haystacks::default()),
            filter: String::new(),
            filtering: false,
            sort: None,
            order,
            visible: Vec::new(),
            cursor: Cursor::default(),
            ranked: Vec::new(),
            ranking: None,
            generation: 0,
            inline,
            exact: true,
        }
    }

    /// A list whose filter is fuzzy only, `=` included.
    pub fn fuzzy_only(mut self) -> Self {
        self.exact = false;
        self
    }

    pub fn items(&self) -> &[T] {
        &self.items
    }

    pub fn filter(&self) -> &str {
        &self.filter
    }

    /// Whether the list gives a line to its filter.
    pub fn filter_shown(&self) -> bool {
        self.filtering || !self.filter.is_empty()
    }

    /// The text of an exact filter (`=text`), lowercased; `None` for a
    /// fuzzy one.
    pub fn exact_filter(&self) -> Option<String> {
        crate::console::fuzzy::exact(&self.filter).filter(|_| self.exact)
    }

    pub fn sort(&self) -> Option<Sort> {
        self.sort
    }

    /// Indices into `items` of the rows shown, in their order.
    pub fn visible(&self) -> &[usize] {
        &self.visible
    }

    /// The rows shown, in their order.
    pub fn shown(&self) -> impl Iterator<Item = &T> {
        self.visible.iter().filter_map(|&i| self.items.get(i))
    }

    /// A ranking handed out and not answered yet.
    pub fn ranking(&self) -> Option<u64> {
        self.ranking
    }

    /// The selection, a position among the rows shown.
    pub fn selected(&self) -> usize {
        self.cursor.selected()
    }

    pub fn offset(&self) -> usize {
        self.cursor.offset()
    }

    /// The index into `items` of the selected row.
    pub fn selected_index(&self) -> Option<usize> {
        self.visible.get(self.cursor.selected()).copied()
    }

    pub fn selected_item(&self) -> Option<&T> {
        self.items.get(self.selected_index()?)
    }

    pub fn move_by(&mut self, delta: isize, page: usize) {
        self.cursor.move_by(delta, self.visible.len(), page);
    }

    pub fn select(&mut self, position: usize) {
        self.cursor.select(position, self.visible.len());
    }

    pub fn select_on_screen(&mut self, position: usize, offset: usize) {
        self.cursor
            .select_on_screen(position, offset, self.visible.len());
    }

    /// Selects the row showing `items[index]`, if it is shown.
    pub fn select_index(&mut self, index: usize, page: usize) {
        if let Some(at) = self.visible.iter().position(|&i| i == index) {
            self.select(at);
            self.cursor.follow(page);
        }
    }

    /// Gives back what growing page by page reserved beyond the items.
    pub fn shrink_to_fit(&mut self) {
        self.items.shrink_to_fit();
        if let Some(haystacks) = Arc::get_mut(&mut self.haystacks) {
            haystacks.shrink_to_fit();
        }
        self.visible.shrink_to_fit();
    }

    fn clamp(&mut self) {
        self.cursor.clamp(self.visible.len());
    }
}

impl<T: Listed> FilteredList<T> {
    /// New items: their filter texts are built again and the rows shown
    /// follow. Until a ranking handed out lands, the rows shown are the
    /// old result cut to the indices that still exist.
    #[must_use]
    pub fn set_items(&mut self, items: Vec<T>) -> Option<RankJob> {
        self.haystacks = Arc::new(items.iter().map(Listed::haystack).collect());
        self.items = items;
        self.rerank()
    }

    /// Changes the items in place (a removal, an insertion); as `set_items`.
    #[must_use]
    pub fn edit_items<R>(&mut self, edit: impl FnOnce(&mut Vec<T>) -> R) -> (R, Option<RankJob>) {
        let out = edit(&mut self.items);
        self.haystacks = Arc::new(self.items.iter().map(Listed::haystack).collect());
        (out, self.rerank())
    }

    /// One item changed in place: only its filter text is built again.
    #[must_use]
    pub fn replace(&mut self, index: usize, item: T) -> Option<RankJob> {
        let text = item.haystack();
        let slot = self.items.get_mut(index)?;
        *slot = item;
        if self.haystacks.get(index) == Some(text.as_str()) {
            return None;
        }
        Arc::make_mut(&mut self.haystacks).replace(index, &text);
        self.rerank()
    }

    /// Items new at the end (a page of a first load): only their filter
    /// texts are built; with no filter they are shown at once.
    #[must_use]
    pub fn append(&mut self, more: Vec<T>) -> Option<RankJob> {
        let from = self.items.len();
        let haystacks = Arc::make_mut(&mut self.haystacks);
        haystacks.truncate(from);
        haystacks.extend(more.iter().map(Listed::haystack));
        self.items.extend(more);
        if !self.filter.trim().is_empty() {
            return self.rerank();
        }
        let count = self.items.len();
        self.visible.retain(|&i| i < from);
        self.visible.extend(from..count);
        self.order();
        self.clamp();
        None
    }

    #[must_use]
    pub fn edit_filter(&mut self, edit: FilterEdit) -> Option<RankJob> {
        match edit {
            FilterEdit::Push(c) => {
                self.filter.push(c);
                self.cursor.select(0, 0);
            }
            FilterEdit::Pop => {
                self.filter.pop();
            }
            FilterEdit::Paste(text) => self.filter.push_str(&text),
            FilterEdit::Clear => self.filter.clear(),
        }
        self.refresh()
    }

    /// The next order, with the selected row still selected.
    #[must_use]
    pub fn set_sort(&mut self, sort: Option<Sort>, page: usize) -> Option<RankJob> {
        let selected = self.selected_index();
        self.sort = sort;
        let job = self.refresh();
        if let Some(index) = selected {
            self.select_index(index, page);
        }
        job
    }

    /// A ranking handed out earlier. Its result is kept for its filter; if
    /// the filter has moved on since, the rest is ranked from there.
    #[must_use]
    pub fn apply_ranking(&mut self, ranked: Ranked) -> Ranking {
        if self.ranking != Some(ranked.generation) {
            return Ranking::Stale;
        }
        self.ranking = None;
        let current = self.filter.trim() == ranked.pattern;
        self.keep(ranked.pattern, Arc::new(ranked.visible), current);
        if current {
            self.order();
            Ranking::Applied(None)
        } else {
            Ranking::Applied(self.refresh())
        }
    }

    /// The texts changed under the filter: what was ranked, and a ranking
    /// handed out, are of other items now.
    fn rerank(&mut self) -> Option<RankJob> {
        self.ranking = None;
        self.ranked.clear();
        let count = self.items.len();
        self.visible.retain(|&i| i < count);
        self.clamp();
        self.refresh()
    }

    fn refresh(&mut self) -> Option<RankJob> {
        let job = self.rank();
        self.order();
        job
    }

    /// Ranks the items for the filter, on what an earlier step already
    /// narrowed where it can. A ranking of many is handed out, one at a
    /// time: keys typed meanwhile are ranked when its answer comes, and the
    /// rows shown stay as they were until then.
    fn rank(&mut self) -> Option<RankJob> {
        let filter = self.filter.trim().to_owned();
        if filter.is_empty() {
            self.ranking = None;
            self.ranked.clear();
            self.visible = (0..self.haystacks.len()).collect();
            self.clamp();
            return None;
        }
        while self
            .ranked
            .last()
            .is_some_and(|(known, _)| !narrows(known, &filter))
        {
            self.ranked.pop();
        }
        let within = match self.ranked.last() {
            Some((known, visible)) if *known == filter => {
                self.ranking = None;
                self.visible = visible.to_vec();
                self.clamp();
                return None;
            }
            Some((_, within)) => Some(within.clone()),
            None => None,
        };
        if self.ranking.is_some() {
            return None;
        }
        let candidates = within.as_ref().map_or(self.haystacks.len(), |w| w.len());
        let job = RankJob {
            generation: self.generation,
            pattern: filter,
            haystacks: self.haystacks.clone(),
            within,
            exact: self.exact,
        };
        self.generation += 1;
        if candidates <= self.inline {
            let ranked = job.run();
            self.keep(ranked.pattern, Arc::new(ranked.visible), true);
            None
        } else {
            self.ranking = Some(job.generation);
            Some(job)
        }
    }

    /// Remembers `visible` as the result of `pattern`, and shows it if `show`.
    fn keep(&mut self, pattern: String, visible: Arc<Vec<usize>>, show: bool) {
        let extends = self
            .ranked
            .last()
            .is_none_or(|(known, _)| narrows(known, &pattern) && *known != pattern);
        if show {
            self.visible = visible.to_vec();
            self.clamp();
        }
        if extends {
            self.ranked.push((pattern, visible));
        }
    }

    /// Puts the rows shown in the chosen order; ties keep the order they
    /// had (the ranking's, or the items').
    fn order(&mut self) {
        let items = &self.items;
        match (self.sort, self.order) {
            (Some(sort), _) => {
                let key = |i: &usize| items.get(*i).map(|t| t.sort_key(sort.column));
                self.visible.sort_by_cached_key(key);
                if sort.descending {
                    reverse_keeping_ties(&mut self.visible, key);
                }
            }
            (None, Order::Kept) => self.visible.sort_unstable(),
            (None, Order::BestFirst) => {}
        }
    }
}
