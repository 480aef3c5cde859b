//! `serve`: the reference server on its own.

use std::io::IsTerminal;
use std::path::PathBuf;

use tracing_subscriber::filter::Targets;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

use super::{Failure, Outcome, ServeArgs, on_runtime};
use crate::server::{self, ServerConfig};

pub(super) fn serve(args: ServeArgs) -> Outcome {
    // Before any request: the keys they carry pass through buffers this
    // program does not own, and must not stay behind when those are freed.
    server::wipe_freed_memory();
    let data_dir = data_dir_or_default(args.data_dir)?;
    let mut config = ServerConfig::new(args.listen, data_dir);
    if let Some(per_minute) = args.rate_limit {
        config.rate_limit_per_minute = per_minute;
    }
    let limits = &mut config.connections;
    if let Some(timeout) = args.header_timeout {
        limits.header_read_timeout = timeout;
    }
    if let Some(timeout) = args.idle_timeout {
        limits.idle_timeout = timeout;
    }
    if let Some(n) = args.max_connections {
        limits.max_connections = n as usize;
    }
    if let Some(n) = args.max_connections_per_client {
        limits.max_per_client = n as usize;
    }
    // Only `serve` owns the process's logging: the console embeds the same
    // server and owns the terminal, so `server::start` installs nothing.
    // rmcp's own lines quote what an MCP server answered and where it is
    // (a URL's query may hold a token); the test route logs its scrubbed
    // outcome instead, whatever RUST_LOG asks.
    let filter = log_filter(std::env::var("RUST_LOG").ok().as_deref())?
        .with_target("rmcp", tracing::level_filters::LevelFilter::OFF);
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_max_level(tracing::Level::TRACE)
        .finish()
        .with(filter)
        .try_init()
        .map_err(|e| Failure::failed(format!("cannot set up logging: {e}")))?;
    on_runtime(async move { Ok(server::run(config).await?) })
}

/// `RUST_LOG` as levels per module (`warn`, `info,voicedock::server=debug`).
/// `Targets` reads that without the regular expressions `EnvFilter` compiles
/// in for span and field filters, which a server's request log never needed.
fn log_filter(rust_log: Option<&str>) -> Result<Targets, Failure> {
    match rust_log.map(str::trim).filter(|text| !text.is_empty()) {
        None => Ok(Targets::new().with_default(tracing::Level::INFO)),
        Some(text) => text.parse().map_err(|e| {
            Failure::failed(format!(
                "RUST_LOG={text:?}: {e}; give a level (`warn`) or levels per module \
                 (`info,voicedock::server=debug`)"
            ))
        }),
    }
}

pub(super) fn data_dir_or_default(given: Option<PathBuf>) -> Result<PathBuf, Failure> {
    match given {
        Some(dir) => Ok(dir),
        None => Ok(crate::config::paths()?.data_dir),
    }
}
