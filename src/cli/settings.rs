//! The settings file of `byok config`: one JSON object, from a file or all
//! of stdin, bounded. Settings may hold secrets (their names are not
//! documented), so every text in them is hidden from this run's output and
//! they are never read from a terminal, where they would be echoed.

use std::io::{self, IsTerminal, Read};
use std::path::Path;

use anyhow::{Context, bail};
use serde_json::{Map, Value};
use zeroize::Zeroizing;

use super::output::never_show;
use crate::domain::text::KeyPieces;

/// A request body's limit on the server; a settings file is far smaller.
const MAX_SETTINGS_FILE: usize = 64 * 1024;

pub(super) fn read(file: &Path) -> anyhow::Result<Map<String, Value>> {
    let mut bytes = Zeroizing::new(Vec::with_capacity(4096));
    let limit = MAX_SETTINGS_FILE as u64 + 1;
    let shown = if file == Path::new("-") {
        if io::stdin().is_terminal() {
            bail!(
                "settings are read from a file or piped on stdin, never typed here: \
                 `voicedock byok config PROVIDER -f settings.json`, or `... -f - < settings.json`"
            );
        }
        io::stdin()
            .lock()
            .take(limit)
            .read_to_end(&mut bytes)
            .context("cannot read the settings from stdin")?;
        "stdin".to_owned()
    } else {
        let shown = format!("'{}'", file.display());
        std::fs::File::open(file)
            .and_then(|f| f.take(limit).read_to_end(&mut bytes))
            .with_context(|| format!("cannot read {shown}"))?;
        shown
    };
    if bytes.len() > MAX_SETTINGS_FILE {
        bail!(
            "{shown} holds more than {} KiB; settings are smaller",
            MAX_SETTINGS_FILE / 1024
        );
    }
    // serde_json's message quotes no value, only where it stopped.
    let value: Value = serde_json::from_slice(&bytes)
        .map_err(|e| anyhow::anyhow!("{shown} is not valid JSON: {e}"))?;
    let Value::Object(settings) = value else {
        bail!("{shown} must hold one JSON object of settings, like {{\"region\": \"eu\"}}");
    };
    hide_texts(&Value::Object(settings.clone()));
    Ok(settings)
}

fn hide_texts(value: &Value) {
    match value {
        Value::String(text) => never_show(&KeyPieces::of(text)),
        Value::Array(items) => items.iter().for_each(hide_texts),
        Value::Object(map) => map.values().for_each(hide_texts),
        _ => {}
    }
}
