//! What voicedock's integration tests share: a server on 127.0.0.1:0, the
//! binary as a process or in a pseudo-terminal, stand-ins for the hosted
//! service and the providers, and the console driven without a terminal.
//! One library, so each piece is compiled once for every test binary.
// Tests and benchmarks fail loudly by design: a panic is the report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

pub mod check_support;
pub mod cli_support;
pub mod client_support;
pub mod common;
pub mod console_support;
pub mod copy_support;
pub mod hosted_support;
pub mod mcp_support;
pub mod paging_support;
pub mod pty_support;
pub mod serve_support;
pub mod upstream_support;
pub mod vault_support;

use std::path::PathBuf;

/// The catalog's BYOK providers, in its order (the order the hosted
/// `GET /byok` lists them in, too).
pub const PROVIDERS: [&str; 10] = [
    "deepgram",
    "openai",
    "elevenlabs",
    "resend",
    "xai",
    "gladia",
    "mistral",
    "inworld",
    "google",
    "google_vertex",
];

/// The `voicedock` binary cargo built for this test run. `CARGO_BIN_EXE_*`
/// is set only while compiling a test target, not this library, so the
/// path is found from the running test: cargo puts test executables in
/// `target/<profile>/deps/` and the binary one level up.
pub fn exe() -> PathBuf {
    let test = std::env::current_exe().unwrap();
    let profile = test.parent().and_then(|deps| deps.parent()).unwrap();
    let exe = profile.join(format!("voicedock{}", std::env::consts::EXE_SUFFIX));
    assert!(exe.is_file(), "no binary at {}", exe.display());
    exe
}
