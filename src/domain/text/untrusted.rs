//! The one boundary for text from a provider or a server we do not own
//! (ids, names, labels, facts, error text): it passes here before it is
//! stored, cached, answered, logged or drawn. What comes out holds no
//! terminal control, is bounded, and holds no form of a secret this process
//! holds — a value that held one is withheld whole, since what surrounds an
//! echoed key (a label built from it, a URL around it) is no longer data
//! the operator can trust either.

use super::{KeyPieces, plain_text, terminal_safe};

/// What a withheld value is replaced by.
pub const WITHHELD: &str = "[withheld]";
/// What the operator reads once when any value was withheld.
pub const ECHOED: &str = "the provider echoed your key; values withheld";
/// The most items of one list kept of an answer (voices, models).
pub const MAX_LISTED: usize = 5_000;
/// The most bytes read of a provider's answers in one check, all pages
/// together, and the most a cache of them may hold.
pub const MAX_ANSWER_BYTES: usize = 4 << 20;

/// One value made fit to keep and show, or `Withheld` when it held a secret.
pub fn untrusted(text: &str, secrets: &KeyPieces, max_chars: usize) -> Result<String, Withheld> {
    // Both before and after the controls go: an escape sequence between two
    // halves of a key puts letters between them that the terminal never
    // shows.
    let safe = terminal_safe(text);
    if secrets.found_in(text) || secrets.found_in(&safe) {
        return Err(Withheld);
    }
    Ok(plain_text(&safe, max_chars))
}

/// A value that held a form of a secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Withheld;

/// Scrubs values one by one, remembering whether any was withheld.
pub struct Scrubber<'a> {
    secrets: &'a KeyPieces,
    pub withheld: bool,
}

impl<'a> Scrubber<'a> {
    pub fn new(secrets: &'a KeyPieces) -> Scrubber<'a> {
        Scrubber {
            secrets,
            withheld: false,
        }
    }

    /// `text` fit to keep, or `[withheld]`.
    pub fn value(&mut self, text: &str, max_chars: usize) -> String {
        untrusted(text, self.secrets, max_chars).unwrap_or_else(|Withheld| {
            self.withheld = true;
            WITHHELD.to_owned()
        })
    }

    /// A sentence of ours that may quote the provider: kept, with any form
    /// of a secret in it hidden.
    pub fn sentence(&mut self, text: &str, max_chars: usize) -> String {
        let safe = plain_text(text, max_chars);
        let hidden = self.secrets.hide(&safe);
        if hidden != safe {
            self.withheld = true;
        }
        hidden.into_owned()
    }

    /// At most `MAX_LISTED` of `items`, each scrubbed by `each`; says
    /// whether some were left off.
    pub fn list<T>(
        &mut self,
        items: Vec<T>,
        mut each: impl FnMut(&mut Self, T) -> T,
    ) -> (Vec<T>, bool) {
        let over = items.len() > MAX_LISTED;
        let kept = items
            .into_iter()
            .take(MAX_LISTED)
            .map(|item| each(self, item))
            .collect();
        (kept, over)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "xi-Qw7Rt9Yu3Io5Pa1SdFgHjKl";

    #[test]
    fn a_value_holding_any_form_of_the_key_is_withheld() {
        let secrets = KeyPieces::of(KEY);
        let mut scrub = Scrubber::new(&secrets);
        assert_eq!(scrub.value("Rachel", 80), "Rachel");
        assert!(!scrub.withheld);
        let split = "Qw7Rt\u{1b}[0m9Yu3Io5";
        assert_eq!(scrub.value(split, 80), WITHHELD);
        assert!(scrub.withheld);
        assert_eq!(untrusted(&KEY.to_uppercase(), &secrets, 80), Err(Withheld));
    }

    #[test]
    fn controls_go_and_length_is_bounded() {
        let secrets = KeyPieces::default();
        assert_eq!(
            untrusted("a\u{202e}b\u{9b}31mc\nd", &secrets, 3),
            Ok("abc".to_owned())
        );
    }

    #[test]
    fn a_sentence_keeps_its_words_and_loses_the_key() {
        let secrets = KeyPieces::of(KEY);
        let mut scrub = Scrubber::new(&secrets);
        let said = scrub.sentence(&format!("the key {KEY} is wrong"), 200);
        assert_eq!(said, "the key [redacted] is wrong");
        assert!(scrub.withheld);
    }
}
