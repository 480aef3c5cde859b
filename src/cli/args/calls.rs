//! `calls …` and `numbers …`: their subcommands and flags.

use clap::Subcommand;

#[derive(Debug, Subcommand)]
pub enum CallsCommand {
    /// The account's calls, newest first.
    ///
    /// --json: {"calls": [...]}, the calls the table would show.
    Ls {
        /// Only calls that failed: ended-with-error, insufficient-credits
        /// or rejected.
        #[arg(long, conflicts_with = "live")]
        failed: bool,
        /// Only calls under way: dialing, ringing or in-progress.
        #[arg(long)]
        live: bool,
        /// Only calls made on or after DATE (ISO 8601: 2026-12-08 or
        /// 2026-12-08T10:00:00Z).
        #[arg(long, value_name = "DATE")]
        since: Option<String>,
        /// Only calls of this assistant: its id or name, as `assistants get`
        /// finds it.
        #[arg(long, value_name = "NAME")]
        assistant: Option<String>,
    },
    /// One call: its transcript, error, end reason, summary and recording.
    ///
    /// --json: the body of GET /calls/{id}.
    Get {
        /// The call's id.
        id: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum NumbersCommand {
    /// The account's phone numbers.
    ///
    /// --json: the body of GET /numbers.
    Ls,
}
