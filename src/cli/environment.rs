//! Every environment variable the binary reads, with what it does, for
//! `--help` and the man page (a test finds each `VOICEDOCK_` name the
//! source spells in this list).

use crate::checks::{CHECK_TIMEOUT_VAR, UPSTREAM_VAR_PREFIX};
use crate::config::{
    API_KEY_VAR, BASE_URL_VAR, CACHE_DIR_VAR, CONFIG_DIR_VAR, DATA_DIR_VAR, STATE_DIR_VAR,
};
use crate::server::{MASTER_KEY_ENV, MASTER_KEY_FILE_ENV};

use super::COMPLETE_VAR;

/// (name, what it does); a name ending in `_` is a prefix.
pub fn variables() -> Vec<(String, &'static str)> {
    let named = |name: &str, meaning| (name.to_owned(), meaning);
    vec![
        named(
            BASE_URL_VAR,
            "The service to talk to instead of a profile, with VOICEDOCK_API_KEY (set both \
             or neither).",
        ),
        named(
            API_KEY_VAR,
            "The account key for VOICEDOCK_BASE_URL: the way to give a script its key.",
        ),
        named(
            CONFIG_DIR_VAR,
            "Where config.toml and credentials.toml are.",
        ),
        named(
            DATA_DIR_VAR,
            "The embedded and reference server's data dir (database, master.key).",
        ),
        named(CACHE_DIR_VAR, "Where the voice libraries are cached."),
        named(
            STATE_DIR_VAR,
            "Where the console's activity log is written.",
        ),
        named(
            MASTER_KEY_ENV,
            "The vault's master key, base64 of 32 bytes, instead of a key file (`serve`, \
             `vault`, the embedded server).",
        ),
        named(
            MASTER_KEY_FILE_ENV,
            "The master key file (default <data dir>/master.key).",
        ),
        (
            format!("{UPSTREAM_VAR_PREFIX}<PROVIDER>"),
            "Where a provider's API is for key checks, e.g. \
             VOICEDOCK_UPSTREAM_OPENAI=http://127.0.0.1:9000 (a proxy).",
        ),
        named(
            CHECK_TIMEOUT_VAR,
            "A key check's time limit in milliseconds (default 5000).",
        ),
        named(
            "VOICEDOCK_ACTIVITY_LOG",
            "Console: `off` keeps the activity log on screen only.",
        ),
        named(
            "VOICEDOCK_REFRESH_SECONDS",
            "Console: how often it reloads by itself (0: never), over config.toml's.",
        ),
        named(
            COMPLETE_VAR,
            "Set by a `completions --dynamic` script when it asks for candidates.",
        ),
        named("RUST_LOG", "`serve`: the log filter (default info)."),
        named(
            "TERM, COLORTERM, NO_COLOR",
            "Console: whether it can run, and the colours it uses.",
        ),
        named(
            "VISUAL, EDITOR",
            "Console: the editor an assistant is edited in as JSON (default vi).",
        ),
        named(
            "SSH_TTY, SSH_CONNECTION, TMUX, PATH",
            "Console: how a copy reaches the clipboard (OSC 52 over SSH, else a program on \
             PATH).",
        ),
    ]
}
