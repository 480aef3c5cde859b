//! `assistants …`: its subcommands and their flags.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use clap_complete::ArgValueCandidates;

use super::super::complete;

#[derive(Debug, Subcommand)]
pub enum AssistantsCommand {
    /// List assistants.
    Ls {
        #[command(flatten)]
        reveal: Reveal,
    },
    /// Show one assistant, by id or by name: the exact name, else the name
    /// in any case, else the one name that starts so (as the console's
    /// `:edit`); a name several fit lists them.
    Get {
        #[arg(value_name = "ID|NAME", add = ArgValueCandidates::new(complete::assistant_names))]
        assistant: String,
        #[command(flatten)]
        reveal: Reveal,
    },
    /// Delete an assistant.
    Rm {
        #[arg(add = ArgValueCandidates::new(complete::assistant_ids))]
        id: String,
    },
    /// Create (no "id" in the file) or update (with "id": only the changed fields are sent).
    /// A secret left redacted ("••••…") in the file means "unchanged".
    Apply {
        /// JSON assistant body, bare or as `get --json` prints it; "-" reads stdin.
        #[arg(short = 'f', long = "file", value_name = "FILE")]
        file: PathBuf,
        /// Apply even if the assistant changed on the server since the file was read.
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        reveal: Reveal,
    },
    /// Write an assistant to a file that `apply -f` takes back.
    ///
    /// Secrets are redacted unless --reveal; applied back, a redacted secret
    /// means "keep the server's". The file is written with mode 0600, whole or
    /// not at all; one that exists is replaced (and that is said on stderr).
    Pull {
        /// The assistant's id.
        #[arg(add = ArgValueCandidates::new(complete::assistant_ids))]
        id: String,
        /// The file to write ("-": stdout).
        #[arg(short = 'o', long = "out", value_name = "FILE")]
        out: PathBuf,
        /// Write the secrets (webhook_secret, tool server secrets) in full.
        #[arg(long)]
        reveal: bool,
    },
    /// Show what `apply -f FILE` would change, field by field.
    ///
    /// Each change is a line `PATH: SERVER'S VALUE → FILE'S VALUE`; a secret is
    /// only said to be "changed" or "unchanged". Nothing is sent but a read.
    /// Exit 0 when nothing would change, 1 when something would, 2 on trouble
    /// (as diff(1)).
    ///
    /// --json: {"id", "action": "update"|"create", "changes": [{"field", "from", "to"}
    /// or {"field", "secret": "changed"|"unchanged"}], "unchanged": bool, "notes": [...]}.
    Diff {
        /// JSON assistant body, as `apply` takes it; "-" reads stdin.
        #[arg(short = 'f', long = "file", value_name = "FILE")]
        file: PathBuf,
    },
}

/// Whether `--json` output shows the secrets inside assistants
/// (`webhook_secret`, a tool's `server.secret`) or their redaction.
#[derive(Debug, Clone, Copy, Args)]
pub struct Reveal {
    /// With --json: print secrets (webhook_secret, tool server secrets) in full.
    #[arg(long = "reveal")]
    pub reveal: bool,
}
