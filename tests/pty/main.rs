//! The binary itself in a pseudo-terminal, its output fed into a terminal
//! emulator: the screen, the raw bytes, the exit status, what a real
//! terminal is left with.
// Tests fail loudly by design: a panic is the report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod console_copy_pty;
mod console_e2e;
mod console_looks_pty;
mod console_profiles;
mod console_terminal;
