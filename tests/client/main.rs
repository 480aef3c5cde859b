//! The client against servers that answer as the hosted service does, or
//! as ours does with big accounts and rate limits.
// Tests fail loudly by design: a panic is the report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod client_calls;
mod client_errors;
mod client_hosted_shapes;
mod client_mcp;
mod client_paging;
mod client_recording;
