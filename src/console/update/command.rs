//! The `:` command line: typing, completion, history, and running a
//! command through the same paths its keys take.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::console::theme::Theme;
use crate::domain::{NameLookup, find_assistant};

use super::super::app::{Confirm, ConfirmAction, Model, Screen};
use super::super::command::{self, CommandLine, Names, Parsed};
use super::super::keymap::Action;
use super::super::msg::{Cmd, Effect, ProfilesFor};
use super::super::picker::{Choosing, Picker};
use super::{keys, lists, toast};

pub fn open(model: &mut Model) {
    model.server.command = Some(CommandLine::default());
}

pub fn on_key(model: &mut Model, action: Option<Action>, key: KeyEvent) -> Vec<Cmd> {
    let Some(mut line) = model.server.command.take() else {
        return Vec::new();
    };
    let names = |kind| names_of(model, kind);
    match (action, key.code) {
        (Some(Action::Back), _) => return Vec::new(),
        (Some(Action::Select), _) => {
            command::remember(&mut model.session.command_history, &line.text);
            return run(model, &line.text);
        }
        (Some(Action::NextField | Action::PrevField), _) if names_profile(&line) => {
            let forward = action == Some(Action::NextField);
            model.server.command = Some(line);
            return read_profiles(model, ProfilesFor::Complete(forward));
        }
        (Some(Action::NextField), _) => line.complete(true, &names),
        (Some(Action::PrevField), _) => line.complete(false, &names),
        (Some(Action::Up), _) => line.older(&model.session.command_history),
        (Some(Action::Down), _) => line.newer(&model.session.command_history),
        (Some(Action::ClearField), _) => line.clear(),
        // Backspace on an empty line closes it, as in vim.
        (None, KeyCode::Backspace) if line.text.is_empty() => return Vec::new(),
        (None, KeyCode::Backspace) => line.backspace(),
        (None, KeyCode::Char(c)) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
            line.type_char(c)
        }
        _ => {}
    }
    model.server.command = Some(line);
    Vec::new()
}

pub fn paste(model: &mut Model, text: &str) {
    if let Some(line) = &mut model.server.command {
        line.paste(text);
    }
}

/// What a command's argument can be, as this session knows it now.
fn names_of(model: &Model, kind: Names) -> Vec<String> {
    match kind {
        Names::Provider => model
            .model_tabs()
            .iter()
            .filter_map(|&i| model.server.models.config().loaded()?.providers.get(i))
            .map(|p| p.id.clone())
            .collect(),
        Names::Assistant => model
            .server
            .assistants
            .loaded()
            .map(|list| list.iter().map(|a| a.name.to_string()).collect())
            .unwrap_or_default(),
        Names::Profile => model.server.profiles.clone(),
        Names::Theme => Theme::NAMES.iter().map(|n| (*n).to_owned()).collect(),
    }
}

/// Runs a command line; a mistake is said in the status line and changes
/// nothing.
pub fn run(model: &mut Model, text: &str) -> Vec<Cmd> {
    match command::parse(text) {
        Ok(parsed) => perform(model, parsed),
        Err(why) => {
            toast(model, why, true);
            Vec::new()
        }
    }
}

fn perform(model: &mut Model, Parsed { spec, arg }: Parsed) -> Vec<Cmd> {
    let action = |model: &mut Model, action| keys::on_action(model, action);
    match (spec.name, arg) {
        ("providers", _) => action(model, Action::Providers),
        ("assistants", _) => action(model, Action::Assistants),
        ("models", None) => action(model, Action::Models),
        ("models", Some(provider)) => models_of(model, &provider),
        ("new", _) if leaves_editor(model) => {
            action(model, Action::Assistants);
            action(model, Action::New)
        }
        ("edit", Some(name)) if leaves_editor(model) => edit(model, &name),
        ("new" | "edit", _) => Vec::new(),
        ("profile", None) => read_profiles(model, ProfilesFor::Pick),
        ("profile", Some(name)) => read_profiles(model, ProfilesFor::Switch(name)),
        ("refresh", _) => action(model, Action::Refresh),
        ("orgs", _) => super::orgs::ask(model),
        ("readonly", _) => read_only(model),
        ("theme", Some(name)) => match Theme::named(&name) {
            Ok(theme) => {
                model.session.theme = theme;
                toast(model, format!("Theme: {name}"), false);
                Vec::new()
            }
            Err(why) => {
                toast(model, why, true);
                Vec::new()
            }
        },
        ("mouse", _) => {
            let on = !model.session.mouse;
            model.session.mouse = on;
            toast(
                model,
                if on {
                    "Mouse: on (clicks and the wheel; Shift-drag selects text in most terminals)"
                } else {
                    "Mouse: off (the terminal selects text again)"
                },
                false,
            );
            vec![Cmd::Console(Effect::Mouse(on))]
        }
        ("log", _) => {
            crate::console::activity::open_log(model);
            Vec::new()
        }
        // The line is closed: help covers the screen, so it names the
        // screen's keys as well as the commands.
        ("help", _) => {
            model.server.help = true;
            model.server.help_commands = true;
            model.server.help_scroll = 0;
            Vec::new()
        }
        ("quit", _) => keys::ask_to_quit(model),
        (other, _) => {
            toast(model, format!(":{other} is not available here"), true);
            Vec::new()
        }
    }
}

/// An open editor with unsaved edits stays: a command never drops them.
fn leaves_editor(model: &mut Model) -> bool {
    let dirty = model.server.editor.as_ref().is_some_and(|e| e.is_dirty());
    if dirty {
        toast(
            model,
            "The editor has unsaved edits: save (Ctrl-S) or leave it (Esc) first",
            true,
        );
    } else {
        model.server.editor = None;
    }
    !dirty
}

fn models_of(model: &mut Model, provider: &str) -> Vec<Cmd> {
    let cmds = keys::on_action(model, Action::Models);
    let providers = names_of(model, Names::Provider);
    match providers
        .iter()
        .position(|p| p.eq_ignore_ascii_case(provider))
    {
        Some(tab) => {
            model.server.models.set_tab(tab);
        }
        None if providers.is_empty() => toast(model, "The models are still loading", true),
        None => toast(
            model,
            format!(
                "No provider {provider:?} has models; providers: {}",
                providers.join(", ")
            ),
            true,
        ),
    }
    cmds
}

/// By id or by name as `domain::find_assistant` finds it; a name that
/// fits several asks for the id.
fn edit(model: &mut Model, name: &str) -> Vec<Cmd> {
    let Some(list) = model.server.assistants.loaded() else {
        toast(model, "The assistants are still loading", true);
        return Vec::new();
    };
    let found = match find_assistant(list.iter(), name, |a, id| a.id.is(id), |a| &a.name) {
        NameLookup::Found(a) => a.assistant(),
        NameLookup::Missing => {
            toast(model, format!("No assistant is named {name:?}"), true);
            return Vec::new();
        }
        NameLookup::Ambiguous(many) => {
            toast(
                model,
                format!("{} assistants are named {name:?}: give the id", many.len()),
                true,
            );
            return Vec::new();
        }
    };
    let Some(found) = found else {
        return Vec::new();
    };
    model.session.screen = Screen::Assistants;
    lists::open(model, found)
}

/// Whether Tab on `line` completes a profile's name.
fn names_profile(line: &CommandLine) -> bool {
    line.text.trim_start().starts_with("profile ")
}

/// `:profile` reads config.toml's profiles again before it acts, so one
/// added, changed or removed in another shell counts without a restart.
/// A session the environment pins has none to read.
fn read_profiles(model: &mut Model, then: ProfilesFor) -> Vec<Cmd> {
    if model.server.profiles.is_empty() {
        toast(
            model,
            crate::console::profiles::pinned_by_environment(),
            true,
        );
        return Vec::new();
    }
    vec![Cmd::Console(Effect::ReadProfiles(then))]
}

/// The profiles read again: kept, then used as `:profile` asked. A
/// config.toml that cannot be read is said, and the profiles known before
/// stay.
pub fn profiles_read(
    model: &mut Model,
    read: Result<Vec<String>, String>,
    then: ProfilesFor,
) -> Vec<Cmd> {
    match read {
        Ok(profiles) => model.server.profiles = profiles,
        Err(why) => {
            toast(
                model,
                format!("The profiles were not read again: {why}"),
                true,
            );
            if !matches!(then, ProfilesFor::Complete(_)) {
                return Vec::new();
            }
        }
    }
    match then {
        ProfilesFor::Pick => pick_profile(model),
        ProfilesFor::Switch(name) => return switch_profile(model, name),
        ProfilesFor::Complete(forward) => {
            let names = model.server.profiles.clone();
            if let Some(line) = &mut model.server.command {
                line.complete(forward, &|_| names.clone());
            }
        }
    }
    Vec::new()
}

fn pick_profile(model: &mut Model) {
    if model.server.profiles.is_empty() {
        toast(
            model,
            crate::console::profiles::pinned_by_environment(),
            true,
        );
        return;
    }
    model.server.picker = Some(Picker::new(
        Choosing::Profile,
        "Switch to profile",
        model.server.profiles.clone(),
        Some(&model.server.profile.name),
    ));
}

/// Opens the profile's session while this one goes on; whether to move is
/// decided when it is open (`switch_ready`), so an edit made meanwhile is
/// asked about too.
pub fn switch_profile(model: &mut Model, name: String) -> Vec<Cmd> {
    let refusal = if model.server.profiles.is_empty() {
        Some(crate::console::profiles::pinned_by_environment())
    } else if name == model.server.profile.name {
        Some(format!("Already on profile {name}"))
    } else if let Some(opening) = &model.server.switching {
        Some(format!("Profile {opening} is being opened; wait for it"))
    } else if !model.server.profiles.contains(&name) {
        Some(format!(
            "No profile {name:?}; profiles: {}",
            model.server.profiles.join(", ")
        ))
    } else {
        None
    };
    if let Some(why) = refusal {
        toast(model, why, true);
        return Vec::new();
    }
    toast(model, format!("Opening profile {name}…"), false);
    model.server.switching = Some(name.clone());
    vec![Cmd::Console(Effect::SwitchProfile(name))]
}

/// The profile's session is open: move to it, or first ask about the work
/// that moving would drop.
pub fn switch_ready(model: &mut Model, profile: String) -> Vec<Cmd> {
    if model.server.switching.as_deref() != Some(profile.as_str()) {
        return vec![Cmd::Console(Effect::CancelSwitch)];
    }
    if model.server.confirm.is_some() {
        // Another question is open: its answer must not be taken for this one.
        toast(
            model,
            format!("Not switched to {profile}: answer the open question, then :profile again"),
            true,
        );
        return cancel_switch(model);
    }
    if !model.has_unsaved_edits() {
        return vec![Cmd::Console(Effect::CommitSwitch)];
    }
    model.server.confirm = Some(Confirm {
        title: format!("Switch to {profile}?"),
        lines: vec![
            format!("Profile {profile} is open. You have unsaved work here"),
            "(an assistant edit or a typed key): switch and discard it?".into(),
        ],
        on_yes: ConfirmAction::SwitchProfile { name: profile },
    });
    Vec::new()
}

/// This session goes on; the one opened for the switch is closed.
pub fn cancel_switch(model: &mut Model) -> Vec<Cmd> {
    model.server.switching = None;
    vec![Cmd::Console(Effect::CancelSwitch)]
}

fn read_only(model: &mut Model) -> Vec<Cmd> {
    if let Some(why) = model.server.read_only_fixed.clone() {
        toast(model, format!("Read-only stays on: {why}"), true);
        return Vec::new();
    }
    let on = !model.session.read_only;
    model.session.read_only = on;
    toast(
        model,
        if on {
            "Read-only: on (nothing can be changed; :readonly again turns it off)"
        } else {
            "Read-only: off"
        },
        false,
    );
    Vec::new()
}
