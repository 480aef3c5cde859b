//! The masked key-entry form. The typed key lives in the text area only
//! until it is sent; from then on it is a `SecretString`, and the text
//! area's buffer is zeroized.

use ratatui_textarea::TextArea;
use secrecy::{ExposeSecret, SecretString};
use zeroize::Zeroize;

use crate::domain::{Catalog, FieldError, validate_key_format, validate_provider_key};

use super::msg::RequestId;

pub const MASK: char = '•';

pub struct KeyForm {
    pub provider: String,
    pub input: TextArea<'static>,
    /// The key while its save is in flight, to give it back on failure.
    pub sent: Option<(RequestId, SecretString)>,
    /// The server's or the network's answer to the last attempt.
    pub error: Option<String>,
}

impl std::fmt::Debug for KeyForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyForm")
            .field("provider", &self.provider)
            .field("input", &"[redacted]")
            .field("sending", &self.sent.is_some())
            .field("error", &self.error)
            .finish()
    }
}

fn masked_input(text: Option<&str>) -> TextArea<'static> {
    let mut input = TextArea::new(text.map(|t| vec![t.to_owned()]).unwrap_or_default());
    input.set_mask_char(MASK);
    // Undo history would keep copies of the key beyond our reach.
    input.set_max_histories(0);
    input.set_placeholder_text("paste or type the key");
    input.set_cursor_line_style(ratatui::style::Style::default());
    input.move_cursor(ratatui_textarea::CursorMove::End);
    input
}

impl KeyForm {
    pub fn new(provider: impl Into<String>) -> Self {
        KeyForm {
            provider: provider.into(),
            input: masked_input(None),
            sent: None,
            error: None,
        }
    }

    /// Whether closing the form would throw away something the user typed.
    pub fn has_typed(&self) -> bool {
        !self.typed().is_empty()
    }

    pub fn is_sending(&self) -> bool {
        self.sent.is_some()
    }

    /// The key as it would be sent: surrounding whitespace trimmed.
    fn typed(&self) -> &str {
        self.input.lines().first().map_or("", |l| l.trim())
    }

    pub fn typed_len(&self) -> usize {
        match &self.sent {
            Some((_, key)) => key.expose_secret().chars().count(),
            None => self.typed().chars().count(),
        }
    }

    /// Inline validation; nothing to say about an empty field yet.
    pub fn validation(&self, cat: &Catalog) -> Option<FieldError> {
        let typed = self.typed();
        if typed.is_empty() {
            return None;
        }
        // A provider this build does not document gets the common rules;
        // the server has the last word on it.
        match cat.secret(&self.provider) {
            Some(_) => validate_provider_key(cat, &self.provider, typed).err(),
            None => validate_key_format(typed, None).err(),
        }
    }

    pub fn can_submit(&self, cat: &Catalog) -> bool {
        !self.is_sending() && !self.typed().is_empty() && self.validation(cat).is_none()
    }

    /// Pasted text may carry a trailing newline or spaces: only the key goes in.
    pub fn paste(&mut self, text: &str) {
        let mut clean: String = text.trim().chars().filter(|c| !c.is_control()).collect();
        self.input.insert_str(&clean);
        clean.zeroize();
    }

    /// Moves the key out of the text area into a secret for sending.
    pub fn take_key(&mut self) -> SecretString {
        let old = std::mem::replace(&mut self.input, masked_input(None));
        let mut lines = old.into_lines();
        let secret = SecretString::from(lines.first().map_or("", |l| l.trim()).to_owned());
        lines.iter_mut().for_each(|l| l.zeroize());
        self.error = None;
        secret
    }

    /// The key is on its way as request `id`; kept to give back on failure.
    pub fn sending(&mut self, id: RequestId, key: SecretString) {
        self.sent = Some((id, key));
    }

    /// The save failed: the user gets their key back, untouched.
    pub fn restore(&mut self, error: String) {
        if let Some((_, key)) = self.sent.take() {
            self.input = masked_input(Some(key.expose_secret()));
        }
        self.error = Some(error);
    }
}

impl Drop for KeyForm {
    fn drop(&mut self) {
        let input = std::mem::take(&mut self.input);
        input.into_lines().iter_mut().for_each(|l| l.zeroize());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_send_gives_the_key_back() {
        let mut form = KeyForm::new("openai");
        form.paste("  sk-0123456789abcdefghijkl \n");
        assert!(form.can_submit(&Catalog::builtin()));
        let secret = form.take_key();
        form.sending(7, secret.clone());
        assert_eq!(secret.expose_secret(), "sk-0123456789abcdefghijkl");
        assert!(form.input.is_empty());
        form.restore("unreachable".into());
        assert_eq!(form.input.lines(), ["sk-0123456789abcdefghijkl"]);
        assert_eq!(form.error.as_deref(), Some("unreachable"));
    }

    #[test]
    fn inline_validation_uses_the_provider_rules() {
        let mut form = KeyForm::new("resend");
        form.paste("sk-0123456789abcdefghijkl");
        assert_eq!(
            form.validation(&Catalog::builtin()).unwrap().param,
            "api_key"
        );
        assert!(!form.can_submit(&Catalog::builtin()));
    }
}
