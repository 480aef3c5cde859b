//! Key checks against the providers' stand-ins: each verdict, each refusal,
//! each way an answer can go wrong. A check must end within its time limit,
//! so these run apart from the heavy client tests that would steal the CPU
//! and make a punctual check look late.
// Tests fail loudly by design: a panic is the report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod checks;
mod checks_llm;
mod checks_misc;
mod checks_voice;
