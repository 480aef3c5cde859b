//! The key form's settings step: a JSON object of the provider's settings,
//! typed here (masked, as the key is: settings may hold secrets) or written
//! in the user's editor, sent to be merged into what the server stores.
//! Settings are write-only: nothing is ever read back, so the step starts
//! empty and, once saved, knows only the names the server says it keeps.

use ratatui_textarea::TextArea;
use serde_json::{Map, Value};
use zeroize::{Zeroize, Zeroizing};

use super::key_form::MASK;
use super::msg::RequestId;

pub struct SettingsStep {
    pub input: TextArea<'static>,
    /// The save in flight; the typed text stays until it lands.
    pub sent: Option<RequestId>,
    pub error: Option<String>,
    /// The names of the settings stored, as the last save answered.
    pub stored: Option<Vec<String>>,
    /// The user's editor has the text; its result is this step's.
    pub editing: bool,
}

impl std::fmt::Debug for SettingsStep {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SettingsStep")
            .field("input", &"[redacted]")
            .field("sending", &self.sent.is_some())
            .field("error", &self.error)
            .field("stored", &self.stored)
            .finish()
    }
}

fn masked(lines: Vec<String>) -> TextArea<'static> {
    let mut input = TextArea::new(lines);
    input.set_mask_char(MASK);
    // An undo history would keep copies beyond our reach.
    input.set_max_histories(0);
    input.set_placeholder_text(r#"a JSON object, e.g. {"region": "eu"}"#);
    input.set_cursor_line_style(ratatui::style::Style::default());
    input.move_cursor(ratatui_textarea::CursorMove::Bottom);
    input.move_cursor(ratatui_textarea::CursorMove::End);
    input
}

impl Default for SettingsStep {
    fn default() -> Self {
        SettingsStep {
            input: masked(Vec::new()),
            sent: None,
            error: None,
            stored: None,
            editing: false,
        }
    }
}

impl SettingsStep {
    pub fn text(&self) -> Zeroizing<String> {
        Zeroizing::new(self.input.lines().join("\n"))
    }

    pub fn has_typed(&self) -> bool {
        self.input.lines().iter().any(|l| !l.trim().is_empty())
    }

    /// The typed settings, or what is wrong with them (never quoting them).
    pub fn parsed(&self) -> Result<Map<String, Value>, String> {
        let text = self.text();
        if text.trim().is_empty() {
            return Err(
                r#"type the settings as a JSON object first, e.g. {"region": "eu"}"#.into(),
            );
        }
        match serde_json::from_str::<Value>(&text) {
            Ok(Value::Object(settings)) => Ok(settings),
            Ok(_) => Err(r#"settings are one JSON object, like {"region": "eu"}"#.into()),
            Err(e) => Err(format!(
                "not valid JSON (line {}, column {}); nothing was sent",
                e.line(),
                e.column()
            )),
        }
    }

    /// Replaces the text (an editor's result), wiping the old.
    pub fn replace_text(&mut self, text: &str) {
        let lines = text.trim_end().split('\n').map(str::to_owned).collect();
        let old = std::mem::replace(&mut self.input, masked(lines));
        old.into_lines().iter_mut().for_each(|l| l.zeroize());
    }

    /// A save landed: the text goes, only the names stay.
    pub fn saved(&mut self, stored: Vec<String>) {
        self.replace_text("");
        self.sent = None;
        self.error = None;
        self.stored = Some(stored);
    }
}

impl Drop for SettingsStep {
    fn drop(&mut self) {
        let input = std::mem::take(&mut self.input);
        input.into_lines().iter_mut().for_each(|l| l.zeroize());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_json_object_is_taken_and_errors_never_quote_the_text() {
        let mut step = SettingsStep::default();
        assert!(step.parsed().is_err());
        step.replace_text(r#"["sk-secret-thing"]"#);
        let err = step.parsed().unwrap_err();
        assert!(!err.contains("sk-secret"), "{err}");
        step.replace_text("{\"region\":\n \"eu\"}");
        assert_eq!(step.parsed().unwrap()["region"], "eu");
        step.saved(vec!["region".into()]);
        assert!(!step.has_typed());
    }
}
