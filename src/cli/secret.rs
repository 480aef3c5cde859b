//! Reading a key without it ever touching argv: a masked prompt on a
//! terminal (one `*` per character), otherwise exactly one line of stdin or
//! of a file; a JSON credential document whole from a file or stdin.

use std::io::{self, IsTerminal, Read, Write};
use std::path::Path;
use std::time::Duration;

use anyhow::{Context, bail};
use crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};
use crossterm::terminal;
use secrecy::{ExposeSecret, SecretString};
use zeroize::{Zeroize, Zeroizing};

use super::output::never_show;
use crate::domain::catalog::SecretInfo;
use crate::domain::text::KeyPieces;
use crate::domain::{MAX_CREDENTIAL_LEN, MIN_KEY_LEN};

/// Far above any real key; the buffer is reserved up front so it never
/// reallocates and leaves copies of the key in freed memory.
pub(super) const MAX_KEY: usize = 4096;

/// How long input may keep arriving after Enter and still count as part of
/// the same paste: a terminal delivers a paste in one burst, a person does
/// not type this fast.
const PASTE_BURST: Duration = Duration::from_millis(50);

/// A provider's key as `voicedock byok <command> PROVIDER` reads it: a JSON
/// credential (`google_vertex`) whole, any other key as one line. `known`
/// is what this build's catalog says of the provider, if it knows it.
pub(crate) fn read_provider_key(
    known: Option<&SecretInfo>,
    provider: &str,
    command: &str,
    file: Option<&Path>,
) -> anyhow::Result<SecretString> {
    match known {
        Some(info) if info.key_format.is_multi_line() => read_document(
            provider,
            &format!("voicedock byok {command} {provider}"),
            file,
        ),
        _ => {
            let label = known.map_or(provider, |p| p.label.as_str());
            read_key(&format!("{label} API key: "), file, MIN_KEY_LEN)
        }
    }
}

/// An account key of the hosted service is `fl_live_` and more; none is
/// shorter than this.
pub(crate) const MIN_ACCOUNT_KEY_LEN: usize = 16;

/// A key from the masked prompt when stdin is a terminal, else from stdin;
/// from `file` (one line) when given. One shorter than `min_len` characters
/// is refused.
pub(crate) fn read_key(
    prompt: &str,
    file: Option<&Path>,
    min_len: usize,
) -> anyhow::Result<SecretString> {
    let key = match file {
        Some(path) if path != Path::new("-") => {
            let shown = path.display();
            let f = std::fs::File::open(path).with_context(|| format!("cannot read '{shown}'"))?;
            one_line(f).with_context(|| format!("in '{shown}'"))
        }
        // `--file -` on a terminal too: read as a line, the key would echo.
        _ if io::stdin().is_terminal() => prompt_masked(prompt),
        _ => one_line(io::stdin().lock()),
    }?;
    // Refused before it becomes something to hide: a short "key" (a stray
    // `e`) would otherwise be blanked out of every message that follows.
    let length = key.expose_secret().chars().count();
    if length < min_len {
        bail!(
            "invalid api_key: the key must be at least {min_len} characters (got {length}); \
             nothing was sent"
        );
    }
    never_show(&KeyPieces::of(key.expose_secret()));
    Ok(key)
}

/// Exactly one non-empty line, surrounding whitespace trimmed. A second
/// line with text is refused, never joined: a paste of two keys (or of a
/// key broken in two) must not become one wrong key.
pub(crate) fn one_line(reader: impl Read) -> anyhow::Result<SecretString> {
    let mut bytes = Zeroizing::new(Vec::with_capacity(MAX_KEY + 1));
    reader
        .take(MAX_KEY as u64 + 1)
        .read_to_end(&mut bytes)
        .context("cannot read the key")?;
    if bytes.len() > MAX_KEY {
        bail!("the input holds more than {MAX_KEY} bytes; expected one line with the key");
    }
    let Ok(text) = std::str::from_utf8(&bytes) else {
        bail!("the key is not UTF-8 text");
    };
    let mut lines = text
        .split(['\n', '\r'])
        .map(str::trim)
        .filter(|l| !l.is_empty());
    let Some(key) = lines.next() else {
        bail!(
            "no key on stdin; pipe one line with the key, or run this in a terminal to be prompted"
        );
    };
    let more = lines.count();
    if more > 0 {
        bail!(
            "the input holds {} lines with text; expected exactly one line with the key \
             (two lines are never joined into one key)",
            more + 1
        );
    }
    Ok(SecretString::from(key.to_owned()))
}

/// A credential document (a service-account JSON file, several lines) read
/// whole from `file` or, when stdin is not a terminal, from stdin until EOF.
/// Never from a terminal: typed or pasted there it would be echoed. `how`
/// is the command that reads it (`voicedock byok set google_vertex`), for
/// the message that says how to give it.
fn read_document(provider: &str, how: &str, file: Option<&Path>) -> anyhow::Result<SecretString> {
    let mut bytes = Zeroizing::new(Vec::with_capacity(MAX_CREDENTIAL_LEN + 1));
    let limit = MAX_CREDENTIAL_LEN as u64 + 1;
    let shown = match file {
        Some(path) if path != Path::new("-") => {
            let shown = format!("'{}'", path.display());
            std::fs::File::open(path)
                .and_then(|f| f.take(limit).read_to_end(&mut bytes))
                .with_context(|| format!("cannot read {shown}"))?;
            shown
        }
        _ if io::stdin().is_terminal() => bail!(
            "{provider} takes a JSON credential document (the service account's key file): \
             give it with `{how} --file PATH`, or pipe it on stdin: `{how} < credential.json`"
        ),
        _ => {
            io::stdin()
                .lock()
                .take(limit)
                .read_to_end(&mut bytes)
                .context("cannot read the credential from stdin")?;
            "stdin".to_owned()
        }
    };
    if bytes.len() > MAX_CREDENTIAL_LEN {
        bail!(
            "{shown} holds more than {} KiB; a credential document is smaller",
            MAX_CREDENTIAL_LEN / 1024
        );
    }
    let Ok(text) = std::str::from_utf8(&bytes) else {
        bail!("{shown} is not UTF-8 text");
    };
    let text = text.trim();
    if text.is_empty() {
        bail!("{shown} is empty; expected the JSON credential document");
    }
    never_show(&KeyPieces::of_credential(text));
    Ok(SecretString::from(text.to_owned()))
}

/// Leaves raw mode and bracketed paste however the prompt ends: Enter,
/// cancel, error or panic.
struct RawMode {
    bracketed: bool,
}

impl RawMode {
    fn enable() -> io::Result<RawMode> {
        terminal::enable_raw_mode()?;
        // With bracketed paste a paste arrives whole, so one of several
        // lines can be refused as such. Only where the escape reaches the
        // terminal, not a file stderr was sent to.
        let bracketed = io::stderr().is_terminal()
            && crossterm::execute!(io::stderr(), event::EnableBracketedPaste).is_ok();
        Ok(RawMode { bracketed })
    }
}

impl Drop for RawMode {
    fn drop(&mut self) {
        // Nothing more can be done if the terminal refuses; the shell's
        // `reset` recovers it.
        if self.bracketed {
            let _ = crossterm::execute!(io::stderr(), event::DisableBracketedPaste);
        }
        let _ = terminal::disable_raw_mode();
    }
}

pub(super) fn prompt_masked(prompt: &str) -> anyhow::Result<SecretString> {
    let mut err = io::stderr();
    let mut key = Zeroizing::new(String::with_capacity(MAX_KEY));
    let outcome = {
        // Echo is off before the prompt shows: a key typed or pasted the
        // moment it appears must not be echoed by the terminal.
        let _raw = RawMode::enable().context("cannot switch the terminal to raw mode")?;
        write!(err, "{prompt}")?;
        err.flush()?;
        read_masked(&mut key, &mut err)
    };
    writeln!(err)?;
    outcome?;
    let key = key.trim();
    if key.is_empty() {
        bail!("no key entered");
    }
    Ok(SecretString::from(key.to_owned()))
}

const SEVERAL_LINES: &str = "the paste holds more than one line with text; paste the key \
     alone (two lines are never joined into one key); nothing was sent";

fn read_masked(key: &mut String, out: &mut impl Write) -> anyhow::Result<()> {
    loop {
        let mut typed = Zeroizing::new(String::new());
        match event::read()? {
            Event::Key(k) if k.kind != KeyEventKind::Release => {
                let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
                // In raw mode a line feed reads as Ctrl-J: a line end all
                // the same, never a character to drop and join across.
                let line_end = k.code == KeyCode::Enter || (ctrl && k.code == KeyCode::Char('j'));
                if line_end {
                    if rest_of_paste()? {
                        bail!(SEVERAL_LINES);
                    }
                    return Ok(());
                }
                match k.code {
                    KeyCode::Esc => bail!("cancelled"),
                    KeyCode::Char('c' | 'd') if ctrl => bail!("cancelled"),
                    KeyCode::Char('u') if ctrl => {
                        for _ in 0..key.chars().count() {
                            write!(out, "\x08 \x08")?;
                        }
                        key.clear();
                    }
                    KeyCode::Backspace => {
                        let erased = key.pop().is_some();
                        if erased {
                            write!(out, "\x08 \x08")?;
                        }
                    }
                    KeyCode::Char(c) if !ctrl => typed.push(c),
                    _ => {}
                }
            }
            Event::Paste(mut text) => {
                let lines = text
                    .split(['\n', '\r'])
                    .filter(|l| !l.trim().is_empty())
                    .count();
                if lines > 1 {
                    text.zeroize();
                    bail!(SEVERAL_LINES);
                }
                typed.extend(text.chars().filter(|c| !c.is_control()));
                text.zeroize();
            }
            _ => {}
        }
        for c in typed.chars() {
            if key.len() + c.len_utf8() > MAX_KEY {
                break;
            }
            key.push(c);
            write!(out, "*")?;
        }
        out.flush()?;
    }
}

/// Whether text is still arriving right after Enter: the rest of a paste of
/// several lines, on a terminal without bracketed paste. It is read and
/// dropped here so that it reaches neither the key nor, once we exit, the
/// shell (which would run it as a command and keep it in its history).
fn rest_of_paste() -> anyhow::Result<bool> {
    /// A bound on a burst, so a stuck input cannot hold the prompt forever.
    const MAX_EVENTS: usize = 64 * 1024;
    let mut more = false;
    for _ in 0..MAX_EVENTS {
        if !event::poll(PASTE_BURST)? {
            break;
        }
        match event::read()? {
            Event::Key(k) if k.kind != KeyEventKind::Release => {
                more |= matches!(k.code, KeyCode::Char(c) if !c.is_whitespace());
            }
            Event::Paste(mut text) => {
                more |= !text.trim().is_empty();
                text.zeroize();
            }
            _ => {}
        }
    }
    Ok(more)
}

#[cfg(test)]
mod tests {
    use secrecy::ExposeSecret;

    use super::*;

    #[test]
    fn one_line_is_trimmed_and_more_is_refused() {
        let key = one_line(&b"  sk-0123456789abcdefghij\r\n"[..]).unwrap();
        assert_eq!(key.expose_secret(), "sk-0123456789abcdefghij");
        assert!(one_line(&b"\n\n"[..]).is_err());
        let err = one_line(&b"sk-first\nsk-second\n"[..])
            .unwrap_err()
            .to_string();
        assert!(err.contains("2 lines") && !err.contains("sk-"), "{err}");
        for joined in [&b"sk-first\rsk-second"[..], b"sk-first\n\n  sk-second\n"] {
            let err = one_line(joined).unwrap_err().to_string();
            assert!(err.contains("2 lines with text"), "{err}");
        }
        let key = one_line(&b"\n\n  sk-0123456789abcdefghij \n\n"[..]).unwrap();
        assert_eq!(key.expose_secret(), "sk-0123456789abcdefghij");
        assert!(one_line(&vec![b'k'; MAX_KEY + 1][..]).is_err());
    }
}
