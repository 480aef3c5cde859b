//! Tests that read what this process logs. tracing decides per call site
//! whether a line is wanted and a global subscriber sees every thread, so
//! they run apart from the other tests: nothing else logs into what they
//! read, and nothing else pays for logging at every level.
// Tests fail loudly by design: a panic is the report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod console_activity_calls;
mod server_check;
mod server_log_paths;
mod server_logs;
