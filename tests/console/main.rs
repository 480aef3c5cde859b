//! The console through its real `update` and `view` on a `TestBackend`:
//! keys in, replies in, state and frames out, driven as a user drives it.
// Tests fail loudly by design: a panic is the report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod console_activity;
mod console_checks;
mod console_colors;
mod console_command;
mod console_connection;
mod console_copy;
mod console_copy_secrets;
mod console_editor;
mod console_editor_saves;
mod console_escapes;
mod console_external_editor;
mod console_fields_2_2;
mod console_focus;
mod console_hosted;
mod console_key_form;
mod console_key_state;
mod console_layout;
mod console_loading;
mod console_loop;
mod console_models_search;
mod console_mouse;
mod console_orgs;
mod console_platform;
mod console_screens;
mod console_session;
mod console_settings_step;
mod console_snapshots;
mod console_sort;
mod console_speech;
mod console_suspend;
mod console_text;
mod console_themes;
