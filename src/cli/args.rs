//! The command line, as clap types. `main` parses it; `cli::run` acts on it.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};
use clap_complete::ArgValueCandidates;

use super::complete;

mod assistants;
mod byok;
mod calls;
mod values;
pub use assistants::{AssistantsCommand, Reveal};
pub use byok::ByokCommand;
pub use calls::{CallsCommand, NumbersCommand};
use values::ProviderName;

/// Without a subcommand: the console on the default profile, or on an
/// embedded local server when none is chosen (`profile use`).
#[derive(Debug, Parser)]
#[command(
    name = "voicedock",
    version,
    about = "Console, CLI and reference server for the VoiceDock BYOK and assistants API",
    after_help = "Environment variables and exit codes: voicedock --help (or voicedock man).",
    after_long_help = super::docs::after_long_help()
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    /// Console only: browse without changing anything on the server.
    #[arg(long)]
    pub read_only: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Args)]
pub struct Global {
    /// Profile to use instead of the default ("local": the embedded server).
    #[arg(long, global = true, value_name = "NAME", add = ArgValueCandidates::new(complete::profile_names))]
    pub profile: Option<String>,
    /// Print the API's response body instead of a table (secrets inside
    /// assistants redacted unless `--reveal`).
    #[arg(long, global = true)]
    pub json: bool,
    /// Say on stderr what else a command found out on the way (which
    /// catalog `models` read).
    #[arg(short = 'v', long, global = true)]
    pub verbose: bool,
    /// Accepted only to be refused: see `cli::refusal`.
    #[arg(
        long = "api-key",
        alias = "key",
        global = true,
        hide = true,
        num_args = 0..=1,
        allow_hyphen_values = true,
        value_name = "KEY"
    )]
    pub api_key: Option<Option<String>>,
}

/// The refused `--api-key` is probably a real key: Debug only says it was given.
impl std::fmt::Debug for Global {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Global")
            .field("profile", &self.profile)
            .field("json", &self.json)
            .field("verbose", &self.verbose)
            .field("api_key", &self.api_key.as_ref().map(|_| "[redacted]"))
            .finish()
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the reference API server until Ctrl-C or SIGTERM.
    Serve(ServeArgs),
    /// Accounts on the reference server's data dir.
    #[command(subcommand)]
    Accounts(AccountsCommand),
    /// The reference server's encrypted secrets: check them, change the master key.
    #[command(subcommand)]
    Vault(VaultCommand),
    /// Named services and their API keys.
    #[command(subcommand)]
    Profile(ProfileCommand),
    /// Every file this tool reads or writes.
    Paths,
    /// Provider keys (bring your own key).
    #[command(subcommand)]
    Byok(ByokCommand),
    /// Your organization and the child organizations it runs.
    #[command(subcommand)]
    Orgs(OrgsCommand),
    /// Models available per provider.
    ///
    /// --json: {"providers": [...]} as GET /byok/config answers, with PROVIDER
    /// only that provider's entries.
    Models {
        /// Only this provider's models: its id, or its name in any case ("OpenAI").
        #[arg(value_parser = ProviderName::Serving)]
        provider: Option<String>,
    },
    /// Assistants.
    #[command(subcommand)]
    Assistants(AssistantsCommand),
    /// MCP servers whose tools assistants use.
    #[command(subcommand)]
    Mcp(McpCommand),
    /// Calls the account's assistants took or made.
    #[command(subcommand)]
    Calls(CallsCommand),
    /// The account's phone numbers.
    #[command(subcommand)]
    Numbers(NumbersCommand),
    /// Print a completion script for SHELL, made from this build's commands.
    ///
    /// The script completes commands, flags and provider ids. With
    /// --dynamic it asks this binary at each TAB instead, which also offers
    /// the assistants on the server of the profile in use (names for
    /// `assistants get`, ids for `rm` and `pull`).
    #[command(
        after_help = "Load it for one session, e.g. `source <(voicedock completions bash)` \
        or `source <(voicedock completions bash --dynamic)`, or save it where your shell \
        looks for completions (a dynamic script calls the binary that printed it: print \
        it again after moving the binary)."
    )]
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
        /// Complete by asking this binary, assistant names from the server included.
        #[arg(long)]
        dynamic: bool,
    },
    /// Print the man page (roff): every command with its options on one page.
    #[command(after_help = "Read it with `voicedock man | man -l -`.")]
    Man {
        /// Write one page per command into DIR instead (voicedock.1,
        /// voicedock-assistants-apply.1, ...); DIR is created if missing.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8787", value_name = "ADDR")]
    pub listen: SocketAddr,
    /// Data directory (default: VOICEDOCK_DATA_DIR or the platform's data dir).
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Requests per minute per API key, as "N/min" or "N".
    #[arg(long, value_name = "N/min", value_parser = parse_rate_limit)]
    pub rate_limit: Option<u32>,
    /// Seconds a client has to send a request head (default 10).
    #[arg(long, value_name = "SECONDS", value_parser = parse_seconds)]
    pub header_timeout: Option<Duration>,
    /// Seconds a connection may sit idle before it is closed (default 5).
    #[arg(long, value_name = "SECONDS", value_parser = parse_seconds)]
    pub idle_timeout: Option<Duration>,
    /// Open connections at most (default 1024, or fewer if the descriptor
    /// limit is lower).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections: Option<u32>,
    /// Open connections at most from one client address (default 64).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections_per_client: Option<u32>,
}

/// A positive number of seconds, fractions allowed ("0.5").
pub fn parse_seconds(text: &str) -> Result<Duration, String> {
    match text.trim().parse::<f64>() {
        Ok(s) if s.is_finite() && s > 0.0 && s <= 86_400.0 => Ok(Duration::from_secs_f64(s)),
        _ => Err(format!(
            "expected seconds between 0 and 86400, e.g. 2.5 (got {text:?})"
        )),
    }
}

/// "100/min" or "100"; at least 1.
pub fn parse_rate_limit(text: &str) -> Result<u32, String> {
    let number = text.trim();
    let number = number.strip_suffix("/min").unwrap_or(number).trim();
    match number.parse::<u32>() {
        Ok(0) => Err("the rate limit must be at least 1/min".into()),
        Ok(n) => Ok(n),
        Err(_) => Err(format!("expected N/min or N, e.g. 100/min (got {text:?})")),
    }
}

#[derive(Debug, Subcommand)]
pub enum OrgsCommand {
    /// The organization of the profile's key and its child organizations.
    ///
    /// --json: the body of GET /organizations?include_children=true.
    Ls,
    /// Create a child organization and store its API key as profile NEW
    /// (given with --profile); the key is never shown.
    #[command(
        after_help = "Example: voicedock orgs create \"Client Co\" --profile client \
        --parent agency; then `voicedock --profile client byok ls`."
    )]
    Create {
        /// The new organization's name.
        name: String,
        /// The profile whose organization becomes the parent (default: the
        /// default profile, or the environment's service).
        #[arg(long, value_name = "PROFILE")]
        parent: Option<String>,
    },
    /// How long calls are kept: content (30, 90, 180, 365 days) never
    /// longer than metadata (30, 90, 180, 365, 730 days).
    Retention {
        /// Days a call's recording and transcript are kept.
        #[arg(long, value_name = "DAYS")]
        content: Option<u32>,
        /// Days a call's metadata is kept.
        #[arg(long, value_name = "DAYS")]
        metadata: Option<u32>,
    },
}

#[derive(Debug, Subcommand)]
pub enum AccountsCommand {
    /// Create an account and print its API key (shown only this once).
    Create {
        /// Company name of the account.
        #[arg(long)]
        name: String,
        #[command(flatten)]
        data: DataDir,
    },
    /// List accounts: id, name, created, revoked (never keys).
    Ls {
        #[command(flatten)]
        data: DataDir,
    },
    /// Revoke an account's API key; requests with it get 401 api_key_revoked.
    Revoke {
        id: String,
        #[command(flatten)]
        data: DataDir,
    },
    /// Give an account a new API key (printed only this once) and revoke the old one.
    Rotate {
        id: String,
        #[command(flatten)]
        data: DataDir,
    },
}

#[derive(Debug, Subcommand)]
pub enum VaultCommand {
    /// Decrypt every stored secret in memory (printing none) and report those that fail.
    /// Exit 0 all sound, 1 any failure.
    Verify {
        #[command(flatten)]
        data: DataDir,
    },
    /// Generate a new master key and wrap every data key with it; the key file is
    /// replaced (VOICEDOCK_MASTER_KEY_FILE or <data dir>/master.key). Stop the server first.
    RotateMaster {
        #[command(flatten)]
        data: DataDir,
    },
}

#[derive(Debug, Clone, Args)]
pub struct DataDir {
    /// Data directory (default: VOICEDOCK_DATA_DIR or the platform's data dir).
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum ProfileCommand {
    /// Add or replace a profile; the API key is read from a masked prompt or one line of stdin.
    /// The default profile stays as it was (`profile use NAME` changes it).
    Add {
        name: String,
        /// The service's origin, e.g. https://api.hmsovereign.com
        #[arg(long, value_name = "URL")]
        base_url: String,
        #[command(flatten)]
        refused: RefusedKey,
    },
    /// List profiles, the built-in "local" among them; the default is marked.
    ///
    /// --json: {"default_profile": NAME, "profiles": {NAME: {"base_url", "has_key",
    /// "default"}, "local": {"builtin": true, "default"}}}.
    Ls,
    /// Make a profile the default ("local": the embedded server).
    Use {
        #[arg(add = ArgValueCandidates::new(complete::profile_names))]
        name: String,
    },
    /// Remove a profile and its stored key.
    Rm {
        #[arg(add = ArgValueCandidates::new(complete::profile_names))]
        name: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum McpCommand {
    /// The MCP servers and the names of their headers.
    Ls,
    /// Add an MCP server. Each --header's value is read like a key: at a
    /// masked prompt on a terminal, else one line of stdin per header, in order.
    Add {
        name: String,
        /// https:// (http:// only to a loopback address).
        #[arg(long)]
        url: String,
        #[arg(long, value_parser = ["streamable_http", "sse"], default_value = "streamable_http")]
        transport: String,
        /// A header NAME to send; its value is prompted for or read from stdin, never given here.
        #[arg(long = "header", value_name = "NAME")]
        headers: Vec<String>,
        /// Seconds to wait for the server, 5–60 (the server's default: 20).
        #[arg(long, value_name = "SECONDS")]
        timeout: Option<u32>,
    },
    /// Have the server connect and list the tools. Exit 0 when it could, 1 when not.
    Test {
        /// The server's id or name.
        server: String,
    },
    /// Remove an MCP server; refused while an assistant uses it.
    Rm {
        /// The server's id or name.
        server: String,
    },
}

/// Whatever follows where a careless user would type a key. Captured only so
/// that it is refused with an explanation, instead of clap echoing it back in
/// an "unexpected argument" error.
#[derive(Args)]
pub struct RefusedKey {
    #[arg(
        hide = true,
        num_args = 0..,
        trailing_var_arg = true,
        allow_hyphen_values = true,
        value_name = "KEY"
    )]
    pub key: Vec<String>,
}

/// Whatever was given is probably a key: Debug says only that it was there.
impl std::fmt::Debug for RefusedKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "RefusedKey([{} redacted])", self.key.len())
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("voicedock").chain(args.iter().copied()))
    }

    fn refused_key(cli: &Cli) -> Vec<String> {
        match &cli.command {
            Some(Command::Byok(
                ByokCommand::Set { refused, .. } | ByokCommand::Test { refused, .. },
            )) => refused.key.clone(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn clap_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }

    #[test]
    fn a_key_after_the_provider_is_captured_whatever_it_looks_like() {
        for (args, key) in [
            (&["byok", "set", "openai", "sk-abc"][..], vec!["sk-abc"]),
            (&["byok", "set", "openai", "-abc"], vec!["-abc"]),
            (&["byok", "set", "openai", "--", "sk-abc"], vec!["sk-abc"]),
            (
                &["byok", "set", "openai", "sk-a", "--json"],
                vec!["sk-a", "--json"],
            ),
        ] {
            let cli = parse(args).unwrap();
            assert_eq!(refused_key(&cli), key, "{args:?}");
        }
        let cli = parse(&["byok", "set", "google_vertex", "--file", "sa.json"]).unwrap();
        assert!(refused_key(&cli).is_empty());
        assert!(
            matches!(cli.command, Some(Command::Byok(ByokCommand::Set { file: Some(f), .. })) if f == Path::new("sa.json"))
        );
        let cli = parse(&["byok", "set", "google_vertex", "sa.json"]).unwrap();
        assert_eq!(refused_key(&cli), ["sa.json"]);
        let cli = parse(&["byok", "set", "openai", "--json"]).unwrap();
        assert!(cli.global.json);
        assert!(refused_key(&cli).is_empty());
        let cli = parse(&["byok", "set", "openai", "--api-key=sk-abc"]).unwrap();
        assert_eq!(cli.global.api_key, Some(Some("sk-abc".into())));
        let cli = parse(&["--key", "-x", "byok", "ls"]).unwrap();
        assert_eq!(cli.global.api_key, Some(Some("-x".into())));
    }

    #[test]
    fn a_key_given_to_byok_test_is_captured_and_its_flags_are_not() {
        let cli = parse(&["byok", "test", "openai", "sk-abc", "--stored"]).unwrap();
        assert_eq!(refused_key(&cli), ["sk-abc", "--stored"]);
        let cli = parse(&["byok", "test", "openai", "--stored"]).unwrap();
        assert!(refused_key(&cli).is_empty());
        assert!(matches!(
            cli.command,
            Some(Command::Byok(ByokCommand::Test { stored: true, .. }))
        ));
        assert!(parse(&["byok", "test", "openai", "--stored", "--file", "k.txt"]).is_err());
    }

    #[test]
    fn rate_limits_parse_with_or_without_unit() {
        assert_eq!(parse_rate_limit("100/min"), Ok(100));
        assert_eq!(parse_rate_limit("7"), Ok(7));
        assert!(parse_rate_limit("0/min").is_err());
        assert!(parse_rate_limit("10/s").is_err());
    }
}
