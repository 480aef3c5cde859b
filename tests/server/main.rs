//! The reference server: a real one on 127.0.0.1:0 with a throwaway data
//! dir, over HTTP, on disk and as its own process; the vault that seals
//! what it stores.
// Tests fail loudly by design: a panic is the report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod canary;
mod server_assistant_secrets;
mod server_assistants;
mod server_auth;
mod server_byok_settings;
mod server_calls;
mod server_connections;
mod server_crash;
mod server_fields_2_2;
mod server_fields_2_2_ranges;
mod server_hosted_fields;
mod server_http;
mod server_master_key;
mod server_mcp;
mod server_memory;
mod server_openapi;
mod server_openapi_rules;
mod server_openapi_text;
mod server_organizations;
mod server_permissions;
mod server_providers;
mod server_requests;
mod server_secrets;
mod server_seed;
mod server_stalls;
mod server_stored_text;
mod server_validation;
mod vault;
mod vault_key_file;
mod vault_rotate;
mod vault_verify;
