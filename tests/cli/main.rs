//! The command line through the real binary against a real server: what
//! each command prints, exits with and leaves in the local files.
// Tests fail loudly by design: a panic is the report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod cli_accounts;
mod cli_apply;
mod cli_assistants;
mod cli_byok;
mod cli_byok_rm_ls;
mod cli_byok_settings;
mod cli_calls;
mod cli_check;
mod cli_completions;
mod cli_hostile;
mod cli_local;
mod cli_mcp;
mod cli_models;
mod cli_orgs;
mod cli_profile;
mod cli_pull_diff;
mod config_files;
