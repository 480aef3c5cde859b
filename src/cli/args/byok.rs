//! `byok …`: its subcommands and their flags.

use std::path::PathBuf;

use clap::Subcommand;

use super::RefusedKey;
use super::values::ProviderName;

#[derive(Debug, Subcommand)]
pub enum ByokCommand {
    /// Which providers have a key.
    Ls,
    /// Add or rotate a provider key, read from a masked prompt or one line of stdin;
    /// a JSON credential (google_vertex) from --file or all of stdin.
    Set {
        /// Provider id, or its name in any case ("openai", "OpenAI").
        #[arg(value_parser = ProviderName::Byok)]
        provider: String,
        /// Read the key or JSON credential from this file ("-": stdin).
        #[arg(long = "file", short = 'f', value_name = "PATH")]
        file: Option<PathBuf>,
        #[command(flatten)]
        refused: RefusedKey,
    },
    /// Remove a provider key (back to the platform's default key).
    /// Exit 1 when none is stored, unless --if-present.
    Rm {
        /// Provider id, or its name in any case ("openai", "OpenAI").
        #[arg(value_parser = ProviderName::Byok)]
        provider: String,
        /// No key stored is no error: say so and exit 0 (for scripts that
        /// make sure a key is gone).
        #[arg(long)]
        if_present: bool,
    },
    /// Merge settings into a provider's stored ones (its key must be stored
    /// first): a JSON object read from --file or stdin ("-"); a `null`
    /// removes a setting. Write-only: settings are never read back.
    Config {
        /// Provider id, or its name in any case ("openai", "OpenAI").
        #[arg(value_parser = ProviderName::Byok)]
        provider: String,
        /// The JSON object of settings ("-": stdin).
        #[arg(long = "file", short = 'f', value_name = "PATH")]
        file: PathBuf,
    },
    /// Check a provider key with the provider itself, read as `set` reads it;
    /// --stored asks the server to check the key it stores.
    /// Exit 0 valid, 1 invalid or limited, 3 unknown (no verdict).
    Test {
        /// Provider id, or its name in any case ("openai", "OpenAI").
        #[arg(value_parser = ProviderName::Byok)]
        provider: String,
        /// Read the key or JSON credential from this file ("-": stdin).
        #[arg(
            long = "file",
            short = 'f',
            value_name = "PATH",
            conflicts_with = "stored"
        )]
        file: Option<PathBuf>,
        /// Have the server check the key it stores for PROVIDER (nothing is read here).
        #[arg(long)]
        stored: bool,
        #[command(flatten)]
        refused: RefusedKey,
    },
}
