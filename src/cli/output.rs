//! The one way out to the terminal. Whatever a command prints passes here:
//! text without control characters or escape sequences (a server's names
//! and messages cannot retitle a window, clear the screen or write the
//! clipboard), JSON with every control, bidirectional and zero-width
//! character escaped (`domain::safe_json`), and in both no
//! piece of 8 characters or more of a key this run has read or holds.

use std::io::{self, Write};
use std::sync::{Mutex, PoisonError};

use serde_json::Value;

use super::{Failure, Outcome};
use crate::domain::safe_json;
use crate::domain::text::{KeyPieces, WITHHELD, Withheld, terminal_safe, untrusted};

/// The keys of this run: the account's, and a provider key read for
/// `byok set` or `byok test`. A process-wide list because every line the
/// run prints, from any command, must leave them out.
static NEVER_SHOWN: Mutex<Option<KeyPieces>> = Mutex::new(None);

/// From now on, hides every long piece of `keys` from what is printed.
pub(crate) fn never_show(keys: &KeyPieces) {
    let mut hidden = NEVER_SHOWN.lock().unwrap_or_else(PoisonError::into_inner);
    hidden.get_or_insert_with(KeyPieces::default).merge(keys);
}

/// `text` as it may reach a terminal.
fn shown(text: &str) -> String {
    let safe = terminal_safe(text);
    let hidden = NEVER_SHOWN.lock().unwrap_or_else(PoisonError::into_inner);
    match hidden.as_ref() {
        Some(keys) => keys.hide(&safe).into_owned(),
        None => safe.into_owned(),
    }
}

/// A value from a server we do not own, through the one scrub boundary
/// (`domain::text::untrusted`): one line at most `max_chars` long, or
/// `[withheld]` when it held a form of a key this run holds.
pub(super) fn untrusted_value(text: &str, max_chars: usize) -> String {
    let hidden = NEVER_SHOWN.lock().unwrap_or_else(PoisonError::into_inner);
    let none = KeyPieces::default();
    untrusted(text, hidden.as_ref().unwrap_or(&none), max_chars)
        .unwrap_or_else(|Withheld| WITHHELD.to_owned())
}

/// Writes to stdout; a closed pipe (`| head`) ends output quietly.
pub(super) fn print(text: &str) -> Outcome {
    write_out(&shown(text))
}

/// A JSON body as the API sent it, keys hidden in its strings; an empty
/// body (204) prints nothing.
pub(super) fn print_json(value: &Value) -> Outcome {
    if value.is_null() {
        return Ok(());
    }
    let mut value = value.clone();
    if let Some(keys) = NEVER_SHOWN
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .as_ref()
    {
        hide_in_json(&mut value, keys);
    }
    let text = safe_json::to_string_pretty(&value)
        .map_err(|e| Failure::failed(format!("cannot print the answer: {e}")))?;
    write_out(&format!("{text}\n"))
}

/// One line (or several) on stderr, each as safe as stdout's.
pub(super) fn say(text: &str) {
    // Not eprintln: it panics when stderr is a terminal that hung up.
    let _ = writeln!(io::stderr().lock(), "{}", shown(text));
}

fn write_out(text: &str) -> Outcome {
    let mut out = io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}

fn hide_in_json(value: &mut Value, keys: &KeyPieces) {
    match value {
        Value::String(s) => {
            if let std::borrow::Cow::Owned(hidden) = keys.hide(s) {
                *s = hidden;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| hide_in_json(v, keys)),
        Value::Object(fields) => {
            let named_by_key = fields.keys().any(|k| keys.hide(k) != *k);
            if named_by_key {
                let taken = std::mem::take(fields);
                *fields = taken
                    .into_iter()
                    .map(|(k, v)| (keys.hide(&k).into_owned(), v))
                    .collect();
            }
            fields.values_mut().for_each(|v| hide_in_json(v, keys));
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_hidden_in_json_strings_and_field_names() {
        let keys = KeyPieces::of("vd_live_0123456789abcdef");
        let mut value = serde_json::json!({"a": ["x 89abcdef"], "vd_live_0123": 1});
        hide_in_json(&mut value, &keys);
        assert_eq!(
            value,
            serde_json::json!({"a": ["x [redacted]"], "[redacted]": 1})
        );
    }
}
