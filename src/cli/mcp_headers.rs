//! MCP header values for `mcp add`, read as keys are (`secret.rs`): each
//! at a masked prompt on a terminal, else one line of stdin per header.

use std::io::{self, IsTerminal, Read};

use anyhow::{Context, bail};
use secrecy::{ExposeSecret, SecretString};
use zeroize::Zeroizing;

use super::output::never_show;
use super::secret::{MAX_KEY, prompt_masked};
use crate::domain::text::KeyPieces;

/// One value per header name, read as keys are: each at a masked prompt on
/// a terminal, otherwise one line of stdin per name, in the order given.
/// Never from argv.
pub(crate) fn read_header_values(names: &[String]) -> anyhow::Result<Vec<SecretString>> {
    if names.is_empty() {
        return Ok(Vec::new());
    }
    let values = if io::stdin().is_terminal() {
        names
            .iter()
            .map(|name| prompt_masked(&format!("Value of header {name}: ")))
            .collect::<anyhow::Result<Vec<_>>>()?
    } else {
        lines_of(io::stdin().lock(), names.len())?
    };
    for value in &values {
        never_show(&KeyPieces::of(value.expose_secret()));
    }
    Ok(values)
}

/// Exactly `count` non-empty lines, each trimmed; more or fewer is refused
/// rather than guessed at.
fn lines_of(reader: impl Read, count: usize) -> anyhow::Result<Vec<SecretString>> {
    let limit = MAX_KEY * count.max(1);
    let mut bytes = Zeroizing::new(Vec::with_capacity(limit + 1));
    reader
        .take(limit as u64 + 1)
        .read_to_end(&mut bytes)
        .context("cannot read the header values")?;
    if bytes.len() > limit {
        bail!("the input holds more than {limit} bytes; expected one line per header value");
    }
    let Ok(text) = std::str::from_utf8(&bytes) else {
        bail!("the header values are not UTF-8 text");
    };
    let lines: Vec<SecretString> = text
        .split(['\n', '\r'])
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| SecretString::from(l.to_owned()))
        .collect();
    if lines.len() != count {
        bail!(
            "stdin holds {} lines with text; expected exactly {count}, one value per --header, in order",
            lines.len()
        );
    }
    Ok(lines)
}
