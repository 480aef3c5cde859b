//! The `:` command line through `update` and `view`: each command, its
//! completion and history, and what a mistake says.

use testkit::console_support;

use console_support::*;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use voicedock::console::app::Screen;
use voicedock::console::editor::Field;
use voicedock::console::msg::{Call, Effect, Msg};
use voicedock::console::profiles::Profile;

/// A loaded console that can switch between three profiles.
fn console() -> Harness {
    let mut h = Harness::with(|model| {
        model.server.profiles = vec!["local".into(), "prod".into(), "staging".into()]
    });
    h.answer_all(&sample_state());
    h
}

fn command(h: &mut Harness, line: &str) {
    h.type_text(":");
    assert!(
        h.model.server.command.is_some(),
        "':' opens the command line"
    );
    h.type_text(line);
    h.key(KeyCode::Enter);
    assert!(h.model.server.command.is_none(), "Enter runs and closes it");
}

#[test]
fn screens_are_a_command_away() {
    let mut h = console();
    command(&mut h, "assistants");
    assert_eq!(h.model.session.screen, Screen::Assistants);
    command(&mut h, "prov");
    assert_eq!(h.model.session.screen, Screen::Providers);
    command(&mut h, "models deepgram");
    assert_eq!(h.model.session.screen, Screen::Models);
    assert_eq!(h.model.current_tab().unwrap().id, "deepgram");
    command(&mut h, "models OpenAI");
    assert_eq!(h.model.current_tab().unwrap().id, "openai");
}

#[test]
fn a_mistake_says_what_exists_and_changes_nothing() {
    let mut h = console();
    command(&mut h, "frobnicate");
    let said = h.toast_text();
    assert!(said.contains("no command :frobnicate"), "{said}");
    for name in ["providers", "models", "edit", "profile", "readonly", "quit"] {
        assert!(said.contains(&format!(":{name}")), "{said}");
    }
    assert_eq!(h.model.session.screen, Screen::Providers);
    command(&mut h, "models nosuch");
    let said = h.toast_text();
    assert!(
        said.contains("\"nosuch\"") && said.contains("openai"),
        "{said}"
    );
    command(&mut h, "edit Nobody");
    assert!(h.toast_text().contains("No assistant is named"));
    assert!(h.model.server.editor.is_none());
}

#[test]
fn edit_opens_by_name_or_id_and_new_opens_a_draft() {
    let mut h = console();
    command(&mut h, "edit support en");
    assert_eq!(h.model.session.screen, Screen::Assistants);
    assert_eq!(
        h.model
            .server
            .editor
            .as_ref()
            .unwrap()
            .original
            .as_ref()
            .map(|a| a.id.as_str()),
        Some("a-2")
    );
    let (_, call) = h.take(|c| matches!(c, Call::GetAssistant { .. }));
    assert!(matches!(call, Call::GetAssistant { id } if id == "a-2"));

    // An unsaved edit is never dropped by a command (typed from the Models
    // screen, where choosing a model for the editor leads).
    h.focus(Field::Name);
    h.type_text("!");
    h.focus(Field::LlmModel);
    h.key(KeyCode::Enter);
    assert_eq!(h.model.session.screen, Screen::Models);
    command(&mut h, "edit a-1");
    assert!(
        h.toast_text().contains("unsaved edits"),
        "{}",
        h.toast_text()
    );
    assert_eq!(
        h.model
            .server
            .editor
            .as_ref()
            .unwrap()
            .original
            .as_ref()
            .map(|a| a.id.as_str()),
        Some("a-2")
    );
}

#[test]
fn edit_takes_a_unique_prefix_of_a_name() {
    let mut h = console();
    command(&mut h, "edit recep");
    let editor = h.model.server.editor.as_ref().expect("an editor");
    assert_eq!(editor.original.as_ref().map(|a| a.id.as_str()), Some("a-1"));
}

#[test]
fn new_opens_an_empty_editor_from_any_screen() {
    let mut h = console();
    command(&mut h, "new");
    let editor = h.model.server.editor.as_ref().expect("an editor");
    assert!(editor.original.is_none());
    assert_eq!(h.model.session.screen, Screen::Assistants);
}

#[test]
fn tab_completes_and_the_view_shows_the_choices() {
    let mut h = console();
    h.type_text(":ed");
    h.key(KeyCode::Tab);
    assert_eq!(h.model.server.command.as_ref().unwrap().text, "edit ");
    h.type_text("re");
    h.key(KeyCode::Tab);
    assert_eq!(
        h.model.server.command.as_ref().unwrap().text,
        "edit Reception NL"
    );
    h.key(KeyCode::Esc);
    assert!(h.model.server.command.is_none());

    h.type_text(":pro");
    h.key(KeyCode::Tab);
    let screen = h.render(100, 30);
    let last_lines: Vec<&str> = screen.lines().rev().take(4).collect();
    let text = last_lines.join("\n");
    assert!(text.contains(":providers▏"), "{text}");
    assert!(
        text.contains("providers") && text.contains("profile"),
        "{text}"
    );
}

#[test]
fn up_brings_back_earlier_commands() {
    let mut h = console();
    command(&mut h, "models deepgram");
    command(&mut h, "assistants");
    h.type_text(":");
    h.key(KeyCode::Up);
    assert_eq!(h.model.server.command.as_ref().unwrap().text, "assistants");
    h.key(KeyCode::Up);
    assert_eq!(
        h.model.server.command.as_ref().unwrap().text,
        "models deepgram"
    );
    h.key(KeyCode::Enter);
    assert_eq!(h.model.session.screen, Screen::Models);
    // Typed first, Up finds only entries that start with it.
    h.type_text(":as");
    h.key(KeyCode::Up);
    assert_eq!(h.model.server.command.as_ref().unwrap().text, "assistants");
}

#[test]
fn profile_opens_the_new_session_first_and_moves_only_when_it_is_ready() {
    let mut h = console();
    command(&mut h, "profile staging");
    assert_eq!(h.effects, [Effect::SwitchProfile("staging".into())]);
    assert!(h.toast_text().contains("Opening profile staging"));
    // One switch at a time.
    command(&mut h, "profile prod");
    assert!(
        h.toast_text().contains("staging is being opened"),
        "{}",
        h.toast_text()
    );
    assert_eq!(h.effects.len(), 1);
    h.send(Msg::SwitchReady {
        profile: "staging".into(),
    });
    assert_eq!(
        h.effects[1],
        Effect::CommitSwitch,
        "nothing to lose: it moves"
    );

    let mut h = console();
    command(&mut h, "profile local");
    assert!(h.toast_text().contains("Already on profile local"));
    command(&mut h, "profile nope");
    assert!(h.toast_text().contains("profiles: local, prod, staging"));
    assert!(h.effects.is_empty());
}

/// An edit made before or while the profile opens: asked about when it is
/// open, and kept when the answer is no or the open fails.
#[test]
fn a_switch_never_drops_an_edit_without_asking() {
    let mut h = console();
    open_first(&mut h);
    h.focus(Field::Name);
    h.type_text("!");
    h.focus(Field::LlmModel);
    h.key(KeyCode::Enter);
    command(&mut h, "profile prod");
    assert_eq!(h.effects, [Effect::SwitchProfile("prod".into())]);
    h.send(Msg::SwitchReady {
        profile: "prod".into(),
    });
    assert!(
        h.model.server.confirm.is_some(),
        "asked before the edit is dropped"
    );
    assert_eq!(h.effects.len(), 1);
    h.key(KeyCode::Char('n'));
    assert_eq!(h.effects[1], Effect::CancelSwitch);
    assert!(h.model.server.switching.is_none());
    assert!(
        h.model.server.editor.as_ref().unwrap().is_dirty(),
        "the edit stays"
    );

    // Yes moves; the edit goes with the old session.
    command(&mut h, "profile prod");
    h.send(Msg::SwitchReady {
        profile: "prod".into(),
    });
    h.key(KeyCode::Char('y'));
    assert_eq!(h.effects.last(), Some(&Effect::CommitSwitch));

    // A profile that cannot be opened leaves everything as it was.
    let mut h = console();
    open_first(&mut h);
    h.focus(Field::Name);
    h.type_text("!");
    h.focus(Field::LlmModel);
    h.key(KeyCode::Enter);
    command(&mut h, "profile prod");
    h.send(Msg::SwitchFailed {
        profile: "prod".into(),
        reason: "no API key".into(),
    });
    assert!(
        h.toast_text()
            .contains("Profile prod was not opened: no API key")
    );
    assert!(h.model.server.switching.is_none());
    assert!(h.model.server.editor.as_ref().unwrap().is_dirty());
    command(&mut h, "profile staging");
    assert_eq!(
        h.effects.last(),
        Some(&Effect::SwitchProfile("staging".into()))
    );
}

#[test]
fn profile_without_a_name_offers_a_list() {
    let mut h = console();
    command(&mut h, "profile");
    let picker = h.model.server.picker.as_ref().expect("a list of profiles");
    assert_eq!(picker.labels(), ["local", "prod", "staging"]);
    assert!(h.render(100, 30).contains("Switch to profile"));
    h.key(KeyCode::Down);
    h.key(KeyCode::Enter);
    assert_eq!(h.effects, [Effect::SwitchProfile("prod".into())]);
}

#[test]
fn a_session_pinned_by_the_environment_cannot_switch() {
    let mut h = Harness::with(|model| model.server.profile = Profile::env());
    h.answer_all(&sample_state());
    command(&mut h, "profile prod");
    assert!(
        h.toast_text().contains("VOICEDOCK_BASE_URL"),
        "{}",
        h.toast_text()
    );
    assert!(h.effects.is_empty());
}

#[test]
fn readonly_toggles_unless_the_profile_fixes_it() {
    let mut h = console();
    command(&mut h, "readonly");
    assert!(h.model.read_only());
    assert!(h.render(100, 30).contains("read-only"));
    // Writes are refused now, as with --read-only.
    command(&mut h, "new");
    assert!(h.model.server.editor.is_none(), "{}", h.toast_text());
    command(&mut h, "readonly");
    assert!(!h.model.read_only());

    let mut h = Harness::with(|model| {
        model.server.profile = Profile::named("prod");
        let why = "profile prod has read_only = true in config.toml";
        model.server.read_only_fixed = Some(why.into());
    });
    h.answer_all(&sample_state());
    command(&mut h, "readonly");
    assert!(h.model.read_only());
    assert!(
        h.toast_text().contains("read_only = true"),
        "{}",
        h.toast_text()
    );
}

#[test]
fn help_refresh_and_quit() {
    let mut h = console();
    // Screen help names the command line; help over it lists the commands.
    h.type_text("?");
    let text = h.render(120, 40);
    assert!(text.contains("command line"), "{text}");
    assert!(!text.contains(":models [provider]"), "{text}");
    h.key(KeyCode::Esc);
    h.type_text(":help");
    h.key(KeyCode::Enter);
    let text = h.render(120, 40);
    assert!(text.contains(":models [provider]"), "{text}");
    assert!(text.contains(":profile [NAME]"), "{text}");
    assert!(text.contains("complete the command"), "{text}");
    // The first key closes help, and the screen is back.
    h.key(KeyCode::Esc);
    assert!(!h.model.server.help);
    assert!(h.model.server.command.is_none());
    h.outbox.clear();
    command(&mut h, "refresh");
    assert!(h.outbox.iter().any(|(_, c)| matches!(c, Call::Assistants)));
    command(&mut h, "quit");
    assert!(h.quit_asked());
}

#[test]
fn a_paste_into_the_command_line_stays_there() {
    let mut h = console();
    h.type_text(":");
    h.send(Msg::Paste("edit Support EN\n".into()));
    assert_eq!(
        h.model.server.command.as_ref().unwrap().text,
        "edit Support EN"
    );
    // Backspace past the start closes the line, as in vim.
    h.send(Msg::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)));
    h.type_text(":");
    h.key(KeyCode::Backspace);
    assert!(h.model.server.command.is_none());
}

#[test]
fn theme_mouse_and_log_are_commands_too() {
    let mut h = console();
    h.type_text(":theme hi");
    h.key(KeyCode::Tab);
    assert_eq!(
        h.model.server.command.as_ref().unwrap().text,
        "theme high-contrast"
    );
    h.key(KeyCode::Enter);
    let high_contrast = voicedock::console::theme::Theme::named("high-contrast").unwrap();
    assert_eq!(h.model.session.theme, high_contrast);
    assert!(h.effects.is_empty(), "the theme is the session's own");
    command(&mut h, "theme neon");
    let said = h.toast_text();
    assert!(said.contains("neon") && said.contains("light"), "{said}");
    assert_eq!(
        h.model.session.theme, high_contrast,
        "an unknown theme changes nothing"
    );

    assert!(!h.model.session.mouse);
    command(&mut h, "mouse");
    assert!(h.model.session.mouse);
    assert_eq!(h.effects, [Effect::Mouse(true)]);
    command(&mut h, "mouse");
    assert!(!h.model.session.mouse);

    command(&mut h, "log");
    assert!(h.model.session.activity.open);
    assert!(
        h.render(100, 30).contains("Activity"),
        "{}",
        h.render(100, 30)
    );
}

/// A provider serves several catalog sections (OpenAI: speech, language and
/// voice); `:models` completion offers it once, whatever the case typed.
#[test]
fn models_completion_offers_each_provider_once() {
    for (width, height) in [(120, 40), (80, 24)] {
        let mut h = console();
        h.type_text(":models ");
        h.key(KeyCode::Tab);
        let offered = h
            .model
            .server
            .command
            .as_ref()
            .unwrap()
            .completion
            .as_ref()
            .expect("several providers on offer")
            .candidates
            .clone();
        let mut once = offered.clone();
        once.sort();
        once.dedup();
        assert_eq!(offered.len(), once.len(), "{offered:?}");
        assert!(offered.iter().any(|p| p == "openai"), "{offered:?}");
        let screen = h.render(width, height);
        // The choices are on the row above the line.
        let lines: Vec<&str> = screen.lines().collect();
        let at = lines.iter().position(|l| l.starts_with(":models")).unwrap();
        let row = lines[at - 1];
        assert_eq!(row.matches(" openai ").count(), 1, "{screen}");
        h.key(KeyCode::Esc);

        h.type_text(":models OPEN");
        h.key(KeyCode::Tab);
        let line = h.model.server.command.as_ref().unwrap();
        assert_eq!(line.text, "models openai");
        let candidates = line.completion.as_ref().map(|c| c.candidates.clone());
        assert!(
            candidates.is_none_or(|c| c.iter().filter(|p| *p == "openai").count() == 1),
            "{:?}",
            line.completion
        );
    }
}

/// `:help` is run from the command line, which then gets out of the way:
/// help covers the screen and names its keys, the command line's and the
/// commands.
#[test]
fn help_closes_the_command_line_and_names_the_screens_keys_too() {
    for (width, height) in [(120, 40), (80, 24)] {
        let mut h = console();
        h.send(Msg::Resize(width, height));
        h.type_text(":help");
        h.key(KeyCode::Enter);
        assert!(h.model.server.help);
        assert!(h.model.server.command.is_none(), "the line is closed");
        let text = h.render(width, height);
        assert!(!text.contains(":help▏"), "{text}");
        // The command line's keys and commands first, every other key after.
        let mut all = text.clone();
        while h.model.server.help_scroll < 300 {
            let before = h.model.server.help_scroll;
            h.key(KeyCode::Down);
            if h.model.server.help_scroll == before {
                break;
            }
            all += &h.render(width, height);
        }
        assert!(text.find("clear the line") < text.find("next screen").or(Some(usize::MAX)));
        h.model.server.help_scroll = 0;
        let first = text;
        let text = all;
        for words in [
            "next screen",
            "refresh",
            "complete",
            "clear the line",
            ":models",
        ] {
            assert!(
                text.contains(words),
                "{words:?} at {width}x{height}:\n{text}"
            );
        }
        // What does not fit is a page down, not cut off.
        let fits = height >= 40;
        assert_eq!(first.contains(":quit"), fits, "{first}");
        if !fits {
            let mut text = String::new();
            for _ in 0..3 {
                h.key(KeyCode::PageDown);
                assert!(h.model.server.help, "a page key scrolls, it does not close");
                text = h.render(width, height);
                if text.contains(":quit") {
                    break;
                }
            }
            assert!(text.contains(":quit"), "at {width}x{height}:\n{text}");
        }
        h.key(KeyCode::Esc);
        assert!(!h.model.server.help && h.model.server.command.is_none());
    }
}

/// Ctrl-U empties the line, as in a shell, and leaves it open.
#[test]
fn ctrl_u_clears_the_command_line() {
    for (width, height) in [(120, 40), (80, 24)] {
        let mut h = console();
        h.type_text(":models deep");
        h.ctrl('u');
        let line = h.model.server.command.as_ref().expect("still open");
        assert_eq!(line.text, "");
        let screen = h.render(width, height);
        assert!(!screen.contains("models deep"), "{screen}");
        assert!(screen.contains(":▏"), "{screen}");
        h.type_text("assistants");
        h.key(KeyCode::Enter);
        assert_eq!(h.model.session.screen, Screen::Assistants);
    }
}

/// config.toml as `voicedock profile add NAME` leaves it: the file loaded,
/// the profile inserted, the file saved.
fn profile_added(config_file: &std::path::Path, name: &str) {
    use voicedock::config::{Config, Profile as Configured};
    let mut config = Config::load(config_file).unwrap();
    config.profiles.insert(
        name.into(),
        Configured {
            base_url: "http://127.0.0.1:9".into(),
            ..Configured::default()
        },
    );
    config.save(config_file).unwrap();
}

#[test]
fn profile_reads_config_toml_again_so_a_profile_added_elsewhere_counts() {
    let dir = tempfile::tempdir().unwrap();
    let config_file = dir.path().join("config.toml");
    profile_added(&config_file, "prod");
    let mut h = Harness::with(|model| {
        model.server.profiles = vec!["local".into(), "prod".into()];
    });
    h.config_file = Some(config_file.clone());
    h.answer_all(&sample_state());

    // Another shell adds one while the console runs.
    profile_added(&config_file, "staging");
    command(&mut h, "profile staging");
    assert!(!h.toast_text().contains("No profile"), "{}", h.toast_text());
    assert_eq!(h.effects, [Effect::SwitchProfile("staging".into())]);
    h.send(Msg::SwitchFailed {
        profile: "staging".into(),
        reason: "not this time".into(),
    });

    // Completion and the picker see it too.
    h.type_text(":profile st");
    h.key(KeyCode::Tab);
    assert_eq!(
        h.model.server.command.as_ref().unwrap().text,
        "profile staging"
    );
    h.key(KeyCode::Esc);
    command(&mut h, "profile");
    let picker = h.model.server.picker.as_ref().expect("a list of profiles");
    assert_eq!(picker.labels(), ["local", "prod", "staging"]);
    h.key(KeyCode::Esc);

    // And one removed is gone.
    let mut config = voicedock::config::Config::load(&config_file).unwrap();
    config.profiles.remove("prod");
    config.save(&config_file).unwrap();
    command(&mut h, "profile prod");
    assert!(
        h.toast_text()
            .contains("No profile \"prod\"; profiles: local, staging"),
        "{}",
        h.toast_text()
    );
}
