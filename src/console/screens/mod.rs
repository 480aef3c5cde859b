//! One struct per screen, each owning its list and the data derived from
//! its inputs: a setter recomputes what follows from what it sets, so no
//! caller refreshes anything by hand. (The Providers screen's is in
//! `providers.rs`, with its rows.)

pub mod assistant_row;
pub mod assistants;
pub mod models;

pub use assistant_row::AssistantRow;
pub use assistants::{AssistantsScreen, Incoming};
pub use models::ModelsScreen;
