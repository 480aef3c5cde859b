//! The scriptable subcommands: human tables by default, the API's own JSON
//! with `--json`. Exit codes: 0 ok, 1 an API or validation error (message on
//! stderr), 2 a usage error (an unknown profile among them); `byok test` adds 1 for an invalid or limited
//! key and 3 for no verdict; `assistants diff` exits as diff(1): 1 for
//! changes, 2 for trouble.

mod accounts;
mod apply;
mod args;
mod assistants;
mod byok;
mod calls;
mod check;
mod complete;
mod docs;
mod environment;
pub mod exit_codes;
mod mcp;
mod mcp_headers;
mod orgs;
mod output;
mod profile;
mod provider;
mod secret;
mod serve;
mod settings;
mod table;
mod vault;

use std::io;
use std::process::ExitCode;
use std::sync::Arc;

pub use args::{
    AccountsCommand, AssistantsCommand, ByokCommand, CallsCommand, Cli, Command, DataDir, Global,
    McpCommand, NumbersCommand, OrgsCommand, ProfileCommand, RefusedKey, Reveal, ServeArgs,
    VaultCommand, parse_rate_limit,
};
pub use complete::{COMPLETE_VAR, complete_if_asked};
use output::{print, print_json, say};

use crate::client::{ApiClient, ApiError};
use crate::config;
use crate::domain::{Catalog, Verdict};
use crate::session::Session;

/// Why a command did not succeed: a message for stderr, or none when the
/// command already said everything on stdout, and the exit code. (Usage
/// errors exit 2 before a command runs: clap's, and `refusal`.)
#[derive(Debug)]
struct Failure {
    message: Option<String>,
    code: u8,
}

impl Failure {
    /// An error: its message on stderr, exit code 1.
    fn failed(message: impl Into<String>) -> Failure {
        Failure {
            message: Some(message.into()),
            code: exit_codes::FAILED,
        }
    }

    /// `assistants diff`'s trouble: an error with a message exits 2.
    fn into_trouble(self) -> Failure {
        match self.message {
            Some(_) => Failure {
                code: exit_codes::USAGE,
                ..self
            },
            None => self,
        }
    }

    /// A key check whose verdict is printed already: its exit code alone.
    fn verdict(verdict: Verdict) -> Outcome {
        match verdict.exit_code() {
            exit_codes::SUCCESS => Ok(()),
            code => Err(Failure {
                message: None,
                code,
            }),
        }
    }
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Failure {
        let code = if e.downcast_ref::<config::ChoiceError>().is_some() {
            exit_codes::USAGE
        } else {
            exit_codes::FAILED
        };
        Failure {
            message: Some(format!("{e:#}")),
            code,
        }
    }
}

impl From<ApiError> for Failure {
    fn from(e: ApiError) -> Failure {
        Failure::failed(e.to_string())
    }
}

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Failure {
        Failure::failed(e.to_string())
    }
}

type Outcome = Result<(), Failure>;

/// The explanation for a key given as an argument, if one was: such a key
/// is already in the shell's history and visible to other users in `ps`.
pub fn refusal(cli: &Cli) -> Option<String> {
    let none = Vec::new();
    let (positional, how) = match &cli.command {
        Some(Command::Byok(ByokCommand::Set {
            refused, provider, ..
        })) => (&refused.key, format!("voicedock byok set {provider}")),
        Some(Command::Byok(ByokCommand::Test {
            refused, provider, ..
        })) => (&refused.key, format!("voicedock byok test {provider}")),
        Some(Command::Profile(ProfileCommand::Add {
            refused,
            name,
            base_url,
        })) => (
            &refused.key,
            format!("voicedock profile add {name} --base-url {base_url}"),
        ),
        _ => (&none, String::new()),
    };
    if positional.is_empty() && cli.global.api_key.is_none() {
        return None;
    }
    let document = match &cli.command {
        Some(Command::Byok(
            ByokCommand::Set { provider, .. } | ByokCommand::Test { provider, .. },
        )) => {
            let cat = Catalog::builtin();
            cat.secret(&provider::byok_id(&cat, provider))
                .is_some_and(|s| s.key_format.is_multi_line())
        }
        _ => false,
    };
    let how = if document {
        // A credential document is a file: what follows the provider was
        // most likely its path, given without --file.
        format!(
            "Give the credential file with `{how} --file PATH`, or pipe it on stdin: \
             `{how} < credential.json`."
        )
    } else if how.is_empty() {
        format!(
            "Store a provider key with `voicedock byok set PROVIDER` and an account key with \
             `voicedock profile add NAME --base-url URL` (each prompts for the key or reads \
             one line of stdin), or give a script its account key in {}.",
            config::API_KEY_VAR
        )
    } else {
        format!(
            "Run `{how}` in a terminal to type the key at a masked prompt, or pipe it as one \
             line on stdin: `{how} < key.txt`."
        )
    };
    Some(format!(
        "refusing a key given on the command line: arguments are saved in your shell's \
         history and any user of this machine can read them in the process list (ps). {how} \
         If the key was real, consider rotating it."
    ))
}

/// Runs one subcommand to completion and reports its outcome on stderr.
pub fn run(global: Global, command: Command) -> ExitCode {
    let json = global.json;
    let outcome = match command {
        Command::Serve(args) => serve::serve(args),
        Command::Accounts(command) => accounts::run(json, command),
        Command::Vault(command) => vault::run(command),
        Command::Profile(command) => profile::run(&global, command),
        Command::Paths => profile::paths(&global),
        Command::Byok(command) => {
            let cat = Arc::new(Catalog::builtin());
            with_session(
                &global,
                || cat.clone(),
                async |session| byok::run(session, &cat, json, command).await,
            )
        }
        Command::Orgs(command) => orgs::run(&global, command),
        Command::Calls(command) => with_client(
            &global,
            || Arc::new(Catalog::builtin()),
            async |c| calls::run(c, json, command).await,
        ),
        Command::Numbers(NumbersCommand::Ls) => with_client(
            &global,
            || Arc::new(Catalog::builtin()),
            async |c| calls::numbers(c, json).await,
        ),
        Command::Models { provider } => {
            let cat = Arc::new(Catalog::builtin());
            with_client(
                &global,
                || cat.clone(),
                async |c| byok::models(c, &cat, json, global.verbose, provider.as_deref()).await,
            )
        }
        Command::Mcp(command) => with_client(
            &global,
            || Arc::new(Catalog::builtin()),
            async |c| mcp::run(c, json, command).await,
        ),
        Command::Completions { shell, dynamic } if dynamic => complete::registration(shell),
        Command::Completions { shell, .. } => docs::completions(shell),
        Command::Man { out } => docs::man(out.as_deref()),
        Command::Assistants(command) => {
            let diff = matches!(command, AssistantsCommand::Diff { .. });
            let outcome = with_client(
                &global,
                || Arc::new(Catalog::builtin()),
                async |c| assistants::run(c, json, command).await,
            );
            // diff(1)'s 1 means "changes" (said without a message); any
            // failure to find out, a server out of reach included, is 2.
            if diff {
                outcome.map_err(Failure::into_trouble)
            } else {
                outcome
            }
        }
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure { message, code }) => {
            if let Some(message) = message {
                say(&format!("error: {message}"));
            }
            ExitCode::from(code)
        }
    }
}

/// Runs `work` against the chosen profile, the environment's service, or,
/// with neither, the embedded server on the local data dir for as long as
/// `work` takes (`catalog` is what it checks against; made only then).
fn with_client(
    global: &Global,
    catalog: impl FnOnce() -> Arc<Catalog>,
    work: impl AsyncFnOnce(&ApiClient) -> Outcome,
) -> Outcome {
    with_session(global, catalog, async |session| work(&session.client).await)
}

/// `with_client` for work that also needs to know what the session is
/// (`byok test` keeps what it found per profile).
fn with_session(
    global: &Global,
    catalog: impl FnOnce() -> Arc<Catalog>,
    work: impl AsyncFnOnce(&Session) -> Outcome,
) -> Outcome {
    on_runtime(async {
        let session = Session::open(global.profile.as_deref(), catalog).await?;
        output::never_show(session.client.key_pieces());
        if let Some(notice) = &session.notice {
            say(notice);
        }
        let outcome = work(&session).await;
        session.close().await;
        outcome
    })
}

fn on_runtime<T>(work: impl Future<Output = Result<T, Failure>>) -> Result<T, Failure> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::failed(format!("cannot start the async runtime: {e}")))?;
    runtime.block_on(work)
}
