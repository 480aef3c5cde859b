//! How a key check reads wherever it is shown: the verdict with its mark
//! and colour, and what the check found in a few short lines.

use ratatui::text::Span;

use crate::console::format::short_time;
use crate::console::key_state::KeyState;
use crate::console::theme::Theme;
use crate::domain::KeyCheck;

/// `✓ checked valid`, coloured as every key state is.
pub fn verdict(check: &KeyCheck, theme: &Theme) -> Span<'static> {
    let state = KeyState::checked(check.result);
    Span::styled(state.marked(), state.style(theme).bold())
}

/// `10:03:12 UTC`, or the time as sent when it is not UTC.
pub fn when(check: &KeyCheck) -> String {
    let full = short_time(&check.checked_at);
    full.split_once(' ')
        .map_or(full.clone(), |(_, time)| time.to_owned())
}

/// What the check found, most useful first: what assistants miss, then the
/// quota, the models and voices, then the provider's own facts.
pub fn found(check: &KeyCheck) -> Vec<String> {
    let f = &check.found;
    let mut lines = Vec::new();
    if !f.missing_models.is_empty() {
        lines.push(format!("missing models: {}", f.missing_models.join(", ")));
    }
    if !f.missing_voices.is_empty() {
        lines.push(format!("missing voices: {}", f.missing_voices.join(", ")));
    }
    if let Some(models) = &f.models {
        lines.push(format!("{} models", models.len()));
    }
    if let Some(voices) = &f.voices {
        lines.push(format!("{} voices in the library", voices.len()));
    }
    lines.extend(f.facts.iter().cloned());
    lines
}
