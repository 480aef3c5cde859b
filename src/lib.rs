//! VoiceDock: a terminal console, a scriptable CLI and a reference server for
//! the VoiceDock BYOK and assistants API.

pub mod checks;
pub mod cli;
pub mod client;
pub mod config;
pub mod console;
pub mod domain;
pub mod server;
pub mod session;
