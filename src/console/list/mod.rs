//! The lists every screen and the activity log show: `FilteredList`
//! (items, the filter, the order and the selection, with the rows shown
//! kept as derived data), over its `Cursor` (a selection and the first row
//! on screen). Their invariants hold by construction: a selection is a
//! position among the rows shown, clamped whenever they change.

mod cursor;
mod filtered;
mod haystacks;
mod rank;
pub mod sort;
#[cfg(test)]
mod tests;

pub use cursor::{Cursor, follow};
pub use filtered::{FilterEdit, FilteredList, Listed, Order, Ranking};
pub use haystacks::Haystacks;
pub use sort::{Sort, SortColumn};
