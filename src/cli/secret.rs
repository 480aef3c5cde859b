//! Reading a key without it ever touching argv: a masked prompt on a
//! terminal (one `*` per character), otherwise exactly one line of stdin.

use std::io::{self, IsTerminal, Read, Write};

use anyhow::{Context, bail};
use crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};
use crossterm::terminal;
use secrecy::SecretString;
use zeroize::Zeroizing;

/// Far above any real key; the buffer is reserved up front so it never
/// reallocates and leaves copies of the key in freed memory.
const MAX_KEY: usize = 4096;

/// A key from the masked prompt when stdin is a terminal, else from stdin.
pub(crate) fn read_key(prompt: &str) -> anyhow::Result<SecretString> {
    if io::stdin().is_terminal() {
        prompt_masked(prompt)
    } else {
        one_line(io::stdin().lock())
    }
}

/// Exactly one non-empty line, surrounding whitespace trimmed.
pub(crate) fn one_line(reader: impl Read) -> anyhow::Result<SecretString> {
    let mut bytes = Zeroizing::new(Vec::with_capacity(MAX_KEY + 1));
    reader
        .take(MAX_KEY as u64 + 1)
        .read_to_end(&mut bytes)
        .context("cannot read the key from stdin")?;
    if bytes.len() > MAX_KEY {
        bail!("stdin holds more than {MAX_KEY} bytes; expected one line with the key");
    }
    let Ok(text) = std::str::from_utf8(&bytes) else {
        bail!("the key on stdin is not UTF-8 text");
    };
    let key = text.trim();
    if key.is_empty() {
        bail!(
            "no key on stdin; pipe one line with the key, or run this in a terminal to be prompted"
        );
    }
    if key.contains('\n') {
        bail!(
            "stdin holds {} lines; expected exactly one line with the key",
            key.lines().count()
        );
    }
    Ok(SecretString::from(key.to_owned()))
}

/// Leaves raw mode however the prompt ends: Enter, cancel, error or panic.
struct RawMode;

impl RawMode {
    fn enable() -> io::Result<RawMode> {
        terminal::enable_raw_mode()?;
        Ok(RawMode)
    }
}

impl Drop for RawMode {
    fn drop(&mut self) {
        // Nothing more can be done if the terminal refuses; the shell's
        // `reset` recovers it.
        let _ = terminal::disable_raw_mode();
    }
}

fn prompt_masked(prompt: &str) -> anyhow::Result<SecretString> {
    let mut err = io::stderr();
    write!(err, "{prompt}")?;
    err.flush()?;
    let mut key = Zeroizing::new(String::with_capacity(MAX_KEY));
    let outcome = {
        let _raw = RawMode::enable().context("cannot switch the terminal to raw mode")?;
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

fn read_masked(key: &mut String, out: &mut impl Write) -> anyhow::Result<()> {
    loop {
        let typed: Vec<char> = match event::read()? {
            Event::Key(k) if k.kind != KeyEventKind::Release => {
                let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
                match k.code {
                    KeyCode::Enter => return Ok(()),
                    KeyCode::Esc => bail!("cancelled"),
                    KeyCode::Char('c' | 'd') if ctrl => bail!("cancelled"),
                    KeyCode::Char('u') if ctrl => {
                        for _ in 0..key.chars().count() {
                            write!(out, "\x08 \x08")?;
                        }
                        key.clear();
                        Vec::new()
                    }
                    KeyCode::Backspace => {
                        if key.pop().is_some() {
                            write!(out, "\x08 \x08")?;
                        }
                        Vec::new()
                    }
                    KeyCode::Char(c) if !ctrl => vec![c],
                    _ => Vec::new(),
                }
            }
            Event::Paste(text) => text.chars().filter(|c| !c.is_control()).collect(),
            _ => Vec::new(),
        };
        for c in typed {
            if key.len() + c.len_utf8() > MAX_KEY {
                break;
            }
            key.push(c);
            write!(out, "*")?;
        }
        out.flush()?;
    }
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
        assert!(one_line(&vec![b'k'; MAX_KEY + 1][..]).is_err());
    }
}
