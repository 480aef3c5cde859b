use std::process::ExitCode;

use clap::Parser;
use voicedock::cli::{self, Cli};

fn main() -> ExitCode {
    let args = Cli::parse();
    if let Some(why) = cli::refusal(&args) {
        eprintln!("error: {why}");
        return ExitCode::from(2);
    }
    match args.command {
        Some(command) => cli::run(args.global, command),
        None => {
            eprintln!("the console is not built yet; see voicedock --help");
            ExitCode::from(2)
        }
    }
}
