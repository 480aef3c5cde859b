//! A selection among `len` rows and the first row on screen.

/// The first row on screen moves only when the selection would leave the
/// screen, so the highlight moves and the rows stay still.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cursor {
    selected: usize,
    offset: usize,
}

impl Cursor {
    pub fn selected(&self) -> usize {
        self.selected
    }

    pub fn offset(&self) -> usize {
        self.offset
    }

    /// Moves by `delta` rows among `len`, keeping the selection on a page
    /// of `page` rows.
    pub fn move_by(&mut self, delta: isize, len: usize, page: usize) {
        let last = len.saturating_sub(1);
        self.selected = self.selected.saturating_add_signed(delta).min(last);
        self.follow(page);
    }

    /// Selects `position` (clamped to `len`) without moving the rows unless
    /// they must.
    pub fn select(&mut self, position: usize, len: usize) {
        self.selected = position;
        self.clamp(len);
    }

    /// A click: the row chosen, with the rows where the frame drew them.
    pub fn select_on_screen(&mut self, position: usize, offset: usize, len: usize) {
        self.selected = position;
        self.offset = offset;
        self.clamp(len);
    }

    pub fn follow(&mut self, page: usize) {
        self.offset = follow(self.offset, self.selected, page);
    }

    /// Keeps the selection and the first row within `len` rows.
    pub fn clamp(&mut self, len: usize) {
        self.selected = self.selected.min(len.saturating_sub(1));
        self.offset = self.offset.min(self.selected);
    }
}

/// The first row to show so that `selected` is on a page of `page` rows
/// starting as close to `offset` as possible.
pub fn follow(offset: usize, selected: usize, page: usize) -> usize {
    let page = page.max(1);
    if selected < offset {
        selected
    } else if selected >= offset.saturating_add(page) {
        selected + 1 - page
    } else {
        offset
    }
}
