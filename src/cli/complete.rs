//! Completion that asks this binary at each TAB (clap_complete's engine):
//! the script `completions SHELL --dynamic` prints calls back with
//! `VOICEDOCK_COMPLETE` set, and the binary answers with the candidates
//! instead of running a command. Beside commands and flags it offers what
//! a static script cannot know: the profiles, and the assistants on the
//! server of the profile in use.

use std::sync::Arc;
use std::time::Duration;

use clap::CommandFactory;
use clap_complete::env::Shells;
use clap_complete::{CompleteEnv, CompletionCandidate, Shell};

use super::{Cli, Failure, Outcome, print};
use crate::config::{self, Config, LOCAL};
use crate::domain::Catalog;
use crate::domain::text::one_line;
use crate::session::Session;

/// Set by the registration script when it asks for candidates.
pub const COMPLETE_VAR: &str = "VOICEDOCK_COMPLETE";

const BIN: &str = "voicedock";

/// A TAB waits no longer than this for the server; past it, no names.
const ASK_AT_MOST: Duration = Duration::from_secs(3);

/// When the shell asks (`VOICEDOCK_COMPLETE` set), prints the candidates
/// and exits; otherwise returns at once. First thing in `main`, before
/// anything is printed.
pub fn complete_if_asked() {
    CompleteEnv::with_factory(Cli::command)
        .var(COMPLETE_VAR)
        .bin(BIN)
        .complete();
}

/// The script a shell sources to complete through this binary.
pub(super) fn registration(shell: Shell) -> Outcome {
    let name = shell.to_string();
    let shells = Shells::builtins();
    let completer = shells
        .completer(&name)
        .ok_or_else(|| Failure::failed(format!("no dynamic completion for {name}")))?;
    // The binary that printed the script answers its questions, wherever
    // it is installed and whatever PATH holds then.
    let exe = std::env::current_exe().map_or_else(|_| BIN.to_owned(), |p| p.display().to_string());
    let mut script = Vec::new();
    completer.write_registration(COMPLETE_VAR, BIN, BIN, &exe, &mut script)?;
    print(&String::from_utf8_lossy(&script))
}

/// Assistant names, each with its id as the description (`get` takes names).
pub(super) fn assistant_names() -> Vec<CompletionCandidate> {
    assistants()
        .into_iter()
        .map(|(id, name)| CompletionCandidate::new(name).help(Some(id.into())))
        .collect()
}

/// Assistant ids, each with its name as the description.
pub(super) fn assistant_ids() -> Vec<CompletionCandidate> {
    assistants()
        .into_iter()
        .map(|(id, name)| CompletionCandidate::new(id).help(Some(name.into())))
        .collect()
}

/// The profiles of config.toml and the built-in `local`.
pub(super) fn profile_names() -> Vec<CompletionCandidate> {
    let configured = config::paths()
        .and_then(|paths| Config::load(&paths.config_file))
        .map(|c| c.profiles.into_keys().collect())
        .unwrap_or_else(|_| Vec::new());
    std::iter::once(LOCAL.to_owned())
        .chain(configured)
        .map(|name| CompletionCandidate::new(one_line(&name).into_owned()))
        .collect()
}

/// (id, name) of each assistant on the server the command line being
/// completed would talk to; none when it cannot be reached in time. What
/// the server sent is one line of plain text before the shell sees it.
fn assistants() -> Vec<(String, String)> {
    let profile = profile_in(std::env::args());
    // A TAB never makes the local workspace: without one there is nothing
    // to offer.
    let Ok(paths) = config::paths() else {
        return Vec::new();
    };
    match config::resolve(&paths, profile.as_deref()) {
        Ok(Some(_)) => {}
        Ok(None) if paths.data_dir.exists() => {}
        _ => return Vec::new(),
    }
    let Ok(runtime) = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    else {
        return Vec::new();
    };
    let listed = runtime.block_on(async {
        let ask = async {
            let catalog = || Arc::new(Catalog::builtin());
            let session = Session::open(profile.as_deref(), catalog).await.ok()?;
            let listed = session.client.list_assistants().await.ok();
            session.close().await;
            listed
        };
        tokio::time::timeout(ASK_AT_MOST, ask).await.ok().flatten()
    });
    runtime.shutdown_background();
    listed
        .unwrap_or_default()
        .into_iter()
        .map(|a| (one_line(&a.id).into_owned(), one_line(&a.name).into_owned()))
        .collect()
}

/// The `--profile` of the command line being completed, if it has one.
fn profile_in(args: impl Iterator<Item = String>) -> Option<String> {
    let mut args = args.skip_while(|a| a != "--");
    let mut profile = None;
    while let Some(arg) = args.next() {
        if arg == "--profile" {
            profile = args.next();
        } else if let Some(name) = arg.strip_prefix("--profile=") {
            profile = Some(name.to_owned());
        }
    }
    profile.filter(|p| !p.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_profile_is_read_from_the_line_being_completed() {
        let line = |words: &[&str]| words.iter().map(|w| w.to_string()).collect::<Vec<_>>();
        let args = line(&[
            "bin",
            "--",
            "voicedock",
            "--profile",
            "prod",
            "assistants",
            "get",
        ]);
        assert_eq!(profile_in(args.into_iter()).as_deref(), Some("prod"));
        let args = line(&[
            "bin",
            "--",
            "voicedock",
            "assistants",
            "--profile=eu",
            "get",
        ]);
        assert_eq!(profile_in(args.into_iter()).as_deref(), Some("eu"));
        let args = line(&["bin", "--", "voicedock", "assistants", "get", ""]);
        assert_eq!(profile_in(args.into_iter()), None);
    }
}
