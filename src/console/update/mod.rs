//! `update`: the only place the console's state changes. Pure and
//! synchronous: it returns the effects it wants instead of performing them.

mod api;
mod assistant_save;
mod command;
mod confirm;
mod copy;
mod editor;
mod json_edit;
mod keys;
mod lists;
mod mouse;
mod orgs;
mod provider_list;
mod providers;
mod settings_step;
mod voice_picks;

use std::time::Instant;

use super::app::{Connection, Model, Remote, Toast};
use super::msg::{Call, Cmd, Load, Msg, RequestId};

pub use super::list::sort::{ASSISTANT_SORTS, MODEL_SORTS};
pub use super::screens::assistants::{INLINE_RANK, assistant_haystack};

/// How long a toast stays, in ticks of `TICK`.
pub const TOAST_TICKS: u16 = 40;
pub const TICK: std::time::Duration = std::time::Duration::from_millis(100);

pub fn update(model: &mut Model, msg: Msg) -> Vec<Cmd> {
    let touches_forms = matches!(
        msg,
        Msg::Key(_) | Msg::Paste(_) | Msg::Api { .. } | Msg::Edited(_)
    );
    let cmds = dispatch(model, msg);
    if touches_forms && let Some(editor) = &mut model.server.editor {
        editor.refresh(
            &model.server.catalog,
            model.server.catalog_source.authority(),
        );
    }
    if !model.read_only() {
        return cmds;
    }
    // The actions are not offered and refuse first (with a message); this
    // only guarantees that no path added later can write in a read-only session.
    cmds.into_iter()
        .filter(|cmd| match cmd {
            Cmd::Api { id, call } if call.is_write() => {
                model.server.requests.forget(*id);
                // Nothing waits for a write that is never sent.
                if let Some(editor) = model
                    .server
                    .editor
                    .as_mut()
                    .filter(|e| e.saving == Some(*id))
                {
                    editor.saving = None;
                    editor.sent = None;
                }
                if let Some(form) = model
                    .server
                    .key_form
                    .as_mut()
                    .filter(|f| f.sent_id() == Some(*id))
                {
                    form.restore("read-only session: nothing is saved".into());
                }
                false
            }
            _ => true,
        })
        .collect()
}

/// Says why nothing happens when the session is read-only.
pub(super) fn writable(model: &mut Model) -> bool {
    if model.read_only() {
        toast(
            model,
            format!(
                "Read-only session ({}): nothing can be changed",
                read_only_why(model)
            ),
            true,
        );
    }
    !model.read_only()
}

/// Where read-only came from, as a message says it.
pub(super) fn read_only_why(model: &Model) -> &str {
    model
        .server
        .read_only_fixed
        .as_deref()
        .unwrap_or(":readonly turns it off")
}

fn dispatch(model: &mut Model, msg: Msg) -> Vec<Cmd> {
    match msg {
        Msg::Key(key) => keys::on_key(model, key),
        Msg::Mouse(mouse) => mouse::on_mouse(model, mouse),
        Msg::Paste(text) => keys::on_paste(model, &text.0),
        Msg::Resize(w, h) => {
            model.session.size = (w, h);
            Vec::new()
        }
        Msg::Tick(now) => on_tick(model, now),
        Msg::Refresh(now) => on_refresh(model, now),
        Msg::Ranked(ranked) => lists::ranked(model, ranked),
        Msg::Api {
            id,
            received,
            reply,
        } => api::on_reply(model, id, received, reply),
        Msg::SwitchReady { profile } => command::switch_ready(model, profile),
        Msg::Profiles { read, then } => command::profiles_read(model, read, then),
        Msg::SwitchFailed { profile, reason } => {
            model.server.switching = None;
            toast(
                model,
                format!("Profile {profile} was not opened: {reason}"),
                true,
            );
            Vec::new()
        }
        Msg::Copied(notice) => {
            toast(model, notice.text, notice.is_error);
            Vec::new()
        }
        Msg::Edited(edited) => match settings_step::edited(model, edited) {
            Ok(()) => Vec::new(),
            Err(edited) => json_edit::edited(model, edited),
        },
        Msg::Activity(report) => {
            super::activity::on_report(model, report);
            Vec::new()
        }
    }
}

/// The first requests: everything the screens show.
pub fn init(model: &mut Model) -> Vec<Cmd> {
    refresh(model)
}

fn refresh(model: &mut Model) -> Vec<Cmd> {
    [Call::Account, Call::Byok, Call::Catalog, Call::Assistants]
        .into_iter()
        .flat_map(|call| request(model, call).1)
        .collect()
}

/// Lists at most this long are reloaded in the background; a bigger
/// account reloads when asked (`r`), not every few seconds.
pub const BACKGROUND_RELOAD_MAX: usize = 2_000;

/// The periodic check nobody asked for: is the server there, and did the
/// keys or the assistants change? Loads already in flight are left alone.
fn on_refresh(model: &mut Model, now: Instant) -> Vec<Cmd> {
    model.server.now = Some(now);
    // An outage has its own retry clock; a form being saved its own reply.
    if !matches!(
        model.server.connection,
        Connection::Ok | Connection::Unknown
    ) {
        return Vec::new();
    }
    let small = model
        .server
        .assistants
        .loaded()
        .is_some_and(|l| l.len() <= BACKGROUND_RELOAD_MAX);
    // Any answer says whether the server is there: the keys are asked for
    // anyway, so a health check goes out only when nothing else does.
    let mut calls = vec![Call::Byok];
    // A load that failed with an answer (a 500) is asked again too.
    if small || model.server.assistants.is_failed() {
        calls.push(Call::Assistants);
    }
    if matches!(model.server.account, Remote::Failed(_)) {
        calls.push(Call::Account);
    }
    if matches!(model.server.models.config(), Remote::Failed(_)) {
        calls.push(Call::Catalog);
    }
    let mut cmds = Vec::new();
    for call in calls {
        if call
            .load()
            .is_some_and(|l| !model.server.requests.is_loading(l))
        {
            cmds.extend(model.server.requests.start_background(call).1);
        }
    }
    if cmds.is_empty() && !model.server.requests.is_loading(Load::Health) {
        cmds.extend(model.server.requests.start_background(Call::Health).1);
    }
    cmds
}

/// Registers a request; a newer load of the same data supersedes an older
/// one still in flight, which is cancelled.
pub(super) fn request(model: &mut Model, call: Call) -> (RequestId, Vec<Cmd>) {
    model.server.requests.start(call)
}

/// A provider as the catalog names it (`OpenAI`), else its id.
pub(super) fn name_of(model: &Model, provider: &str) -> String {
    model
        .server
        .catalog
        .secret(provider)
        .map_or_else(|| provider.to_owned(), |p| p.label.clone())
}

/// A message that is not an error, for code outside `update` (a session
/// switch) as well.
pub fn say(model: &mut Model, text: impl Into<String>) {
    toast(model, text, false);
}

pub(super) fn toast(model: &mut Model, text: impl Into<String>, is_error: bool) {
    model.server.toast = Some(Toast {
        text: text.into(),
        is_error,
        ticks_left: TOAST_TICKS,
    });
}

fn on_tick(model: &mut Model, now: Instant) -> Vec<Cmd> {
    model.server.now = Some(now);
    model.server.spinner = model.server.spinner.wrapping_add(1);
    if let Some(t) = &mut model.server.toast {
        t.ticks_left = t.ticks_left.saturating_sub(1);
        if t.ticks_left == 0 {
            model.server.toast = None;
        }
    }
    let waited = match &model.server.connection {
        Connection::RateLimited { until } => now >= *until,
        Connection::Unreachable { retry_at, .. } => now >= *retry_at,
        _ => false,
    };
    if !waited {
        return Vec::new();
    }
    model.server.connection = Connection::Unknown;
    let mut cmds = api::reload_failed(model);
    if cmds.is_empty() {
        // Nothing to reload: one cheap request tells whether it is back.
        cmds.extend(request(model, Call::Health).1);
    }
    cmds
}

pub(super) fn open_editor(model: &mut Model, editor: super::editor::Editor) {
    model.server.editor = Some(editor);
    model.session.screen = super::app::Screen::Assistants;
}
