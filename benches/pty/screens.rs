//! The keys the harness presses and the text it waits for. Screen numbers
//! and labels change as the console evolves: adjust them here. The waits
//! prefer text that follows from the data (provider names, assistant names)
//! over the console's own wording.

use crate::serve::SEED_NAME;
use crate::term::{Seen, last_row};

/// Opens the Assistants screen.
pub const ASSISTANTS_KEY: &str = "3";
/// Starts filtering the list on screen.
pub const FILTER_KEY: &str = "/";
/// What a terminal sends for the Backspace key.
pub const BACKSPACE: &str = "\x7f";
/// Typed into the filter one key at a time, then taken back one Backspace
/// at a time: every key changes the query, so every key changes the screen.
pub const FILTER_QUERY: &str = "support 12";

/// Names from the catalog the Providers screen lists once it has drawn.
const PROVIDER_NAMES: [&str; 4] = ["Deepgram", "OpenAI", "ElevenLabs", "Resend"];
/// Shown (in any case) wherever an answer is still awaited: the header's
/// company, a provider's key status, its usage, the assistant list.
const STILL_LOADING: &str = "loading";
/// The status bar while answers are awaited.
const STATUS_BUSY: [&str; 2] = ["connecting", "in flight"];
/// Status bar states that will not settle by themselves.
const STATUS_FAILED: [&str; 3] = ["unreachable", "unauthorized", "rate limited"];
/// Shown (in any case) where an answer failed and will not come by waiting.
const LOAD_FAILED: [&str; 2] = ["could not load", "unavailable"];
/// Rows with a seeded name on screen that mean the list is drawn, not just
/// the few names the Providers screen gives as users of a key.
const LIST_ROWS: usize = 10;

/// The start-up screen is complete: every provider is listed with its key
/// status and usage, the account is named, and no request is in flight.
pub fn start_complete(screen: &vt100::Screen) -> Seen {
    let text = screen.contents();
    let complete = PROVIDER_NAMES.iter().all(|name| text.contains(name))
        && !text.to_lowercase().contains(STILL_LOADING)
        && status_settled(screen);
    verdict(screen, complete)
}

/// The assistant list is on screen with its rows.
pub fn list_shown(screen: &vt100::Screen) -> Seen {
    let rows = screen
        .rows(0, crate::term::COLS)
        .filter(|row| row.contains(SEED_NAME))
        .count();
    verdict(screen, rows >= LIST_ROWS && status_settled(screen))
}

/// Any change at all: what a key press is answered with.
pub fn changed_from(before: String) -> impl Fn(&vt100::Screen) -> Seen {
    move |screen| verdict(screen, screen.contents() != before)
}

fn status_settled(screen: &vt100::Screen) -> bool {
    let status = last_row(screen);
    !status.trim().is_empty() && !STATUS_BUSY.iter().any(|busy| status.contains(busy))
}

/// A failure on screen stops the wait rather than let it time out.
fn verdict(screen: &vt100::Screen, done: bool) -> Seen {
    let status = last_row(screen);
    let text = screen.contents().to_lowercase();
    if STATUS_FAILED.iter().any(|f| status.contains(f)) {
        Seen::Failed(status.trim().to_owned())
    } else if let Some(f) = LOAD_FAILED.iter().find(|f| text.contains(*f)) {
        Seen::Failed(format!("the screen says {f:?}"))
    } else if done {
        Seen::Done
    } else {
        Seen::NotYet
    }
}
