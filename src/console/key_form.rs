//! The masked key-entry form. The typed key lives in the text area only
//! until it is sent; from then on it is a `SecretString`, and the text
//! area's buffer is zeroized. Every edit that drops text (clear, delete a
//! word, delete to the end) rebuilds the buffer and wipes the old one, so no
//! piece of a key stays behind in a yank buffer or an undo history.

use ratatui_textarea::{CursorMove, TextArea};
use secrecy::{ExposeSecret, SecretString};
use zeroize::Zeroize;

use crate::domain::catalog::KeyFormat;
use crate::domain::{
    Catalog, FieldError, KeyCheck, key_hint, validate_key_format, validate_provider_key,
};

use super::msg::RequestId;

pub const MASK: char = '•';

pub struct KeyForm {
    pub provider: String,
    /// One line, or a JSON document of several (`google_vertex`).
    pub format: KeyFormat,
    pub input: TextArea<'static>,
    /// The key while its save is in flight, to give it back on failure.
    pub sent: Option<(RequestId, SecretString)>,
    /// The server's or the network's answer to the last attempt.
    pub error: Option<String>,
    /// The last check of a key typed here.
    pub check: Option<FormCheck>,
    /// The check of the key in flight, when it was of that key: it becomes
    /// the stored key's check once the save lands.
    pub sent_check: Option<KeyCheck>,
    /// The settings step, while it is open (the key stays as typed).
    pub settings: Option<super::settings_step::SettingsStep>,
    /// Makes the fingerprints of this form's keys its own: a fingerprint
    /// seen elsewhere says nothing of the key.
    salt: [u8; 16],
}

/// A check of a key typed into the form, tied to that key by a salted
/// fingerprint so it is never shown for a key edited since.
#[derive(Debug, Clone, PartialEq)]
pub struct FormCheck {
    pub fingerprint: [u8; 32],
    pub state: FormCheckState,
}

#[derive(Debug, Clone, PartialEq)]
pub enum FormCheckState {
    Running(RequestId),
    Done(Box<KeyCheck>),
}

impl std::fmt::Debug for KeyForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyForm")
            .field("provider", &self.provider)
            .field("input", &"[redacted]")
            .field("sending", &self.sent.is_some())
            .field("error", &self.error)
            .field("check", &self.check)
            .finish()
    }
}

fn masked_input(lines: Vec<String>, cursor: Option<(usize, usize)>) -> TextArea<'static> {
    let mut input = TextArea::new(lines);
    input.set_mask_char(MASK);
    // Undo history would keep copies of the key beyond our reach.
    input.set_max_histories(0);
    input.set_placeholder_text("paste or type the key");
    input.set_cursor_line_style(ratatui::style::Style::default());
    match cursor {
        Some((row, col)) => input.move_cursor(CursorMove::Jump(
            u16::try_from(row).unwrap_or(u16::MAX),
            u16::try_from(col).unwrap_or(u16::MAX),
        )),
        None => {
            input.move_cursor(CursorMove::Bottom);
            input.move_cursor(CursorMove::End);
        }
    }
    input
}

/// What a paste the form refused says.
const TWO_LINES: &str =
    "the paste holds a line break: a key is one line, so nothing was added (copy the key alone)";

impl KeyForm {
    /// The request carrying the key, while one is in flight.
    pub fn sent_id(&self) -> Option<RequestId> {
        self.sent.as_ref().map(|(id, _)| *id)
    }

    pub fn new(provider: impl Into<String>, format: KeyFormat) -> Self {
        KeyForm {
            provider: provider.into(),
            format,
            input: masked_input(Vec::new(), None),
            settings: None,
            sent: None,
            error: None,
            check: None,
            sent_check: None,
            salt: *uuid::Uuid::new_v4().as_bytes(),
        }
    }

    /// The form for `provider` as the catalog describes its key; one a
    /// newer server offers that the catalog lacks takes a one-line token.
    pub fn for_provider(cat: &Catalog, provider: &str) -> Self {
        let format = cat
            .secret(provider)
            .map_or(KeyFormat::Token { prefix: None }, |s| s.key_format.clone());
        KeyForm::new(provider, format)
    }

    /// Whether closing the form would throw away something the user typed.
    pub fn has_typed(&self) -> bool {
        !self.typed().is_empty()
    }

    pub fn is_sending(&self) -> bool {
        self.sent.is_some()
    }

    /// The key as it would be sent: surrounding whitespace trimmed; a JSON
    /// credential keeps its lines.
    fn typed(&self) -> String {
        self.input.lines().join("\n").trim().to_owned()
    }

    pub fn typed_len(&self) -> usize {
        match &self.sent {
            Some((_, key)) => key.expose_secret().chars().count(),
            None => self.typed().chars().count(),
        }
    }

    pub fn line_count(&self) -> usize {
        self.input
            .lines()
            .iter()
            .filter(|l| !l.trim().is_empty())
            .count()
    }

    /// What is about to be saved, as the server will show it (`sk-…WXYZ`).
    pub fn hint(&self, cat: &Catalog) -> Option<String> {
        let mut typed = self.typed();
        let hint = (!typed.is_empty()).then(|| key_hint(cat.secret(&self.provider), &typed));
        typed.zeroize();
        hint
    }

    /// Inline validation; nothing to say about an empty field yet.
    pub fn validation(&self, cat: &Catalog) -> Option<FieldError> {
        let mut typed = self.typed();
        if typed.is_empty() {
            return None;
        }
        // A provider this build does not document gets the common rules;
        // the server has the last word on it.
        let found = match cat.secret(&self.provider) {
            Some(_) => validate_provider_key(cat, &self.provider, &typed).err(),
            None => validate_key_format(&typed, None).err(),
        };
        typed.zeroize();
        found
    }

    pub fn can_submit(&self, cat: &Catalog) -> bool {
        !self.is_sending() && self.has_typed() && self.validation(cat).is_none()
    }

    /// Pasted text may carry a trailing newline or spaces: only the key goes
    /// in. A paste with a line break inside is refused whole, never joined:
    /// two keys pasted together would make one wrong key nobody can see.
    /// A JSON credential keeps its lines.
    pub fn paste(&mut self, text: &str) -> Result<(), String> {
        if self.format.is_multi_line() {
            let mut clean: String = text
                .trim()
                .chars()
                .filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))
                .collect();
            self.input.insert_str(&clean);
            clean.zeroize();
            return Ok(());
        }
        let trimmed = text.trim();
        if trimmed.contains(['\n', '\r']) {
            return Err(TWO_LINES.to_owned());
        }
        let mut clean: String = trimmed.chars().filter(|c| !c.is_control()).collect();
        self.input.insert_str(&clean);
        clean.zeroize();
        Ok(())
    }

    /// Ctrl-U: the whole field goes, wiped.
    pub fn clear(&mut self) {
        self.replace(Vec::new(), None);
    }

    /// Ctrl-W: the word before the cursor (and the spaces after it) goes.
    pub fn delete_word(&mut self) {
        let ratatui_textarea::DataCursor(row, col) = self.input.cursor();
        let mut lines: Vec<String> = self.input.lines().to_vec();
        if let Some(line) = lines.get_mut(row) {
            let chars: Vec<char> = line.chars().collect();
            let mut start = col.min(chars.len());
            while start > 0 && chars[start - 1].is_whitespace() {
                start -= 1;
            }
            while start > 0 && !chars[start - 1].is_whitespace() {
                start -= 1;
            }
            let kept: String = chars[..start]
                .iter()
                .chain(&chars[col.min(chars.len())..])
                .collect();
            line.zeroize();
            *line = kept;
            self.replace(lines, Some((row, start)));
        }
    }

    /// Ctrl-K: from the cursor to the end of the line goes.
    pub fn delete_to_end(&mut self) {
        let ratatui_textarea::DataCursor(row, col) = self.input.cursor();
        let mut lines: Vec<String> = self.input.lines().to_vec();
        if let Some(line) = lines.get_mut(row) {
            let kept: String = line.chars().take(col).collect();
            line.zeroize();
            *line = kept;
            self.replace(lines, Some((row, col)));
        }
    }

    /// A new buffer with `lines`; the old one is wiped.
    fn replace(&mut self, lines: Vec<String>, cursor: Option<(usize, usize)>) {
        let old = std::mem::replace(&mut self.input, masked_input(lines, cursor));
        old.into_lines().iter_mut().for_each(|l| l.zeroize());
    }

    /// The typed key's fingerprint, `None` when nothing is typed.
    pub fn fingerprint(&self) -> Option<[u8; 32]> {
        use sha2::Digest;
        let mut typed = self.typed();
        let print = (!typed.is_empty()).then(|| {
            let mut hash = sha2::Sha256::new();
            hash.update(self.salt);
            hash.update(typed.as_bytes());
            hash.finalize().into()
        });
        typed.zeroize();
        print
    }

    /// A copy of the typed key to check, and its fingerprint.
    pub fn key_to_check(&self) -> Option<(SecretString, [u8; 32])> {
        let print = self.fingerprint()?;
        Some((SecretString::from(self.typed()), print))
    }

    /// The finished check of the key as typed now; a check of a key edited
    /// since does not count.
    pub fn current_check(&self) -> Option<&KeyCheck> {
        let check = self.check.as_ref()?;
        match &check.state {
            FormCheckState::Done(result) if Some(check.fingerprint) == self.fingerprint() => {
                Some(result)
            }
            _ => None,
        }
    }

    /// Whether a check of the key as typed now is running.
    pub fn is_checking(&self) -> bool {
        self.check.as_ref().is_some_and(|c| {
            matches!(c.state, FormCheckState::Running(_))
                && Some(c.fingerprint) == self.fingerprint()
        })
    }

    /// Moves the key out of the text area into a secret for sending.
    pub fn take_key(&mut self) -> SecretString {
        self.sent_check = self.current_check().cloned();
        let secret = SecretString::from(self.typed());
        self.replace(Vec::new(), None);
        self.error = None;
        secret
    }

    /// The key is on its way as request `id`; kept to give back on failure.
    pub fn sending(&mut self, id: RequestId, key: SecretString) {
        self.sent = Some((id, key));
    }

    /// The save failed: the user gets their key back, untouched (and its
    /// check still applies, the fingerprint being the same).
    pub fn restore(&mut self, error: String) {
        self.sent_check = None;
        if let Some((_, key)) = self.sent.take() {
            let lines = key.expose_secret().split('\n').map(str::to_owned).collect();
            self.replace(lines, None);
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

    fn form(provider: &str) -> KeyForm {
        KeyForm::for_provider(&Catalog::builtin(), provider)
    }

    #[test]
    fn a_failed_send_gives_the_key_back() {
        let mut form = form("openai");
        form.paste("  sk-0123456789abcdefghijkl \n").unwrap();
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
        let mut form = form("resend");
        form.paste("sk-0123456789abcdefghijkl").unwrap();
        assert_eq!(
            form.validation(&Catalog::builtin()).unwrap().param,
            "api_key"
        );
        assert!(!form.can_submit(&Catalog::builtin()));
    }

    #[test]
    fn a_two_line_paste_is_refused_whole() {
        let mut form = form("deepgram");
        form.paste("old-part").unwrap();
        let err = form
            .paste("0123456789abcdefghij\n0123456789abcdefghij")
            .unwrap_err();
        assert!(err.contains("line break"));
        assert_eq!(form.input.lines(), ["old-part"], "nothing was added");
    }

    #[test]
    fn clear_word_and_end_edit_the_masked_buffer() {
        let mut form = form("deepgram");
        form.paste("stale new-key-0123456789abcdef").unwrap();
        form.delete_word();
        assert_eq!(form.input.lines(), ["stale "]);
        form.paste("fresh-0123456789abcdefghij").unwrap();
        form.input.move_cursor(CursorMove::Head);
        form.input.move_cursor(CursorMove::WordForward);
        form.delete_to_end();
        assert_eq!(form.input.lines(), ["stale "]);
        form.clear();
        assert!(form.input.is_empty());
        assert!(!form.has_typed());
    }

    #[test]
    fn the_hint_shows_what_is_about_to_be_saved() {
        let mut form = form("openai");
        form.paste("sk-proj-0123456789abcdefWXYZ").unwrap();
        assert_eq!(form.hint(&Catalog::builtin()).as_deref(), Some("sk-…WXYZ"));
    }

    #[test]
    fn a_json_credential_keeps_its_lines() {
        let mut form = form("google_vertex");
        let doc = "{\n  \"type\": \"service_account\",\n  \"project_id\": \"p\",\n  \"private_key\": \"-----BEGIN-----\",\n  \"client_email\": \"a@p.iam.gserviceaccount.com\"\n}\n";
        form.paste(doc).unwrap();
        assert_eq!(form.line_count(), 6);
        assert!(form.can_submit(&Catalog::builtin()));
        assert_eq!(form.take_key().expose_secret(), doc.trim());
        form.paste("{\"type\": \"service_account\"}").unwrap();
        let err = form.validation(&Catalog::builtin()).unwrap();
        assert!(err.message.contains("project_id"), "{}", err.message);
    }
}
