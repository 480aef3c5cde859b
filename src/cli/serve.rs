//! `serve`: the reference server on its own.

use std::io::IsTerminal;
use std::path::PathBuf;

use tracing_subscriber::EnvFilter;

use super::{Failure, Outcome, ServeArgs, on_runtime};
use crate::server::{self, ServerConfig};

pub(super) fn serve(args: ServeArgs) -> Outcome {
    let data_dir = data_dir_or_default(args.data_dir)?;
    let mut config = ServerConfig::new(args.listen, data_dir);
    if let Some(per_minute) = args.rate_limit {
        config.rate_limit_per_minute = per_minute;
    }
    // Only `serve` owns the process's logging: the console embeds the same
    // server and owns the terminal, so `server::start` installs nothing.
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .try_init()
        .map_err(|e| Failure::failed(format!("cannot set up logging: {e}")))?;
    on_runtime(async move { Ok(server::run(config).await?) })
}

pub(super) fn data_dir_or_default(given: Option<PathBuf>) -> Result<PathBuf, Failure> {
    match given {
        Some(dir) => Ok(dir),
        None => Ok(crate::config::paths()?.data_dir),
    }
}
