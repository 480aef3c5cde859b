use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use voicedock::cli::{self, Cli, exit_codes};
use voicedock::domain::text::terminal_safe;

/// Wipes freed memory once `voicedock serve` asks it to.
#[global_allocator]
static ALLOCATOR: voicedock::server::WipingAllocator = voicedock::server::WipingAllocator;

fn main() -> ExitCode {
    cli::complete_if_asked();
    let args = Cli::parse();
    if let Some(why) = cli::refusal(&args) {
        eprintln!("error: {why}");
        return ExitCode::from(exit_codes::USAGE);
    }
    match args.command {
        Some(_) if args.read_only => {
            eprintln!("error: --read-only applies to the console only (run voicedock --read-only)");
            ExitCode::from(exit_codes::USAGE)
        }
        Some(command) => cli::run(args.global, command),
        None => run_console(args.global.profile, args.read_only),
    }
}

fn run_console(profile: Option<String>, read_only: bool) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(exit_codes::FAILED);
        }
    };
    let outcome = runtime.block_on(voicedock::console::run(profile, read_only));
    // In-flight requests must not hold the exit hostage.
    runtime.shutdown_timeout(std::time::Duration::from_secs(1));
    match outcome {
        Ok(ended) => ExitCode::from(ended.exit_status()),
        Err(e) => {
            // Not eprintln: it panics when stderr is a terminal that hung up.
            // The error can quote a server: no escape sequence of its reaches the terminal.
            let text = format!("{e:#}");
            let _ = writeln!(std::io::stderr(), "error: {}", terminal_safe(&text));
            if e.downcast_ref::<voicedock::config::ChoiceError>().is_some() {
                ExitCode::from(exit_codes::USAGE)
            } else {
                ExitCode::from(exit_codes::FAILED)
            }
        }
    }
}
