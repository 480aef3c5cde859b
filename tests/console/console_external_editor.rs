//! Editing an assistant as JSON in the user's own editor: what the console
//! writes (the form, secrets as placeholders), what it takes back (only a
//! valid assistant, into the form, unsaved), and that an edit it cannot
//! take is never lost. Through `update` with the editor's result injected,
//! through the real editor run with shell scripts as the editor, and in a
//! pseudo-terminal.

use testkit::console_support;
use testkit::pty_support;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use console_support::*;
use serde_json::json;
use voicedock::console::editor::text_of;
use voicedock::console::external_edit::{Edited, JsonText, edit};
use voicedock::console::msg::{Effect, Msg};

const SECRET: &str = "whsec_0123456789abcdefHOOK";

/// The first assistant open in the editor, with a webhook secret.
fn open_with_secret() -> Harness {
    let mut h = Harness::loaded();
    let id = open_first(&mut h);
    let mut a = assistant("a-1", "Reception NL");
    a.extra.insert("webhook_secret".into(), json!(SECRET));
    h.reply_assistant(id, a, Some("\"1\""));
    h
}

/// Ctrl-E: the file name and text the event loop is asked to open.
fn ask_for_json(h: &mut Harness) -> (String, JsonText) {
    let before = h.effects.len();
    h.ctrl('e');
    assert_eq!(h.effects.len(), before + 1, "one effect: {:?}", h.effects);
    match h.effects.last().unwrap() {
        Effect::EditJson { name, text } => (name.clone(), text.clone()),
        other => panic!("not an edit: {other:?}"),
    }
}

fn name_in_form(h: &Harness) -> String {
    text_of(&h.model.server.editor.as_ref().unwrap().name)
}

fn kept(h: &Harness) -> Option<String> {
    let editor = h.model.server.editor.as_ref().unwrap();
    editor.json_edit.kept.as_ref().map(|t| t.0.clone())
}

/// The screen as text, trailing blanks cut.
fn screen(h: &mut Harness, (width, height): (u16, u16)) -> String {
    h.send(Msg::Resize(width, height));
    h.render(width, height)
        .lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n")
}

fn no_writes(h: &Harness) {
    assert!(
        h.outbox.iter().all(|(_, call)| !call.is_write()),
        "nothing is sent by the round trip: {:?}",
        h.outbox
    );
}

#[test]
fn the_file_is_the_form_as_apply_reads_it_with_secrets_as_placeholders() {
    let mut h = open_with_secret();
    h.focus(voicedock::console::editor::Field::Name);
    h.type_text(" (edited)");
    let (name, text) = ask_for_json(&mut h);
    assert_eq!(name, "assistant-a-1.json");
    let value: serde_json::Value = serde_json::from_str(&text.0).unwrap();
    assert_eq!(value["id"], "a-1");
    assert_eq!(value["revision"], 1);
    assert_eq!(value["name"], "Reception NL (edited)", "the unsaved draft");
    assert_eq!(value["webhook_secret"], "••••HOOK");
    assert!(!text.0.contains(SECRET), "{}", text.0);
    assert!(text.0.contains("\n  \"name\""), "pretty: {}", text.0);
}

#[test]
fn a_valid_edit_replaces_the_draft_unsaved_and_keeps_the_secret() {
    let mut h = open_with_secret();
    let (_, text) = ask_for_json(&mut h);
    let edited = text.0.replace("Reception NL", "Front desk");
    h.send(Msg::Edited(Edited::Done(JsonText(edited))));
    assert_eq!(name_in_form(&h), "Front desk");
    let editor = h.model.server.editor.as_ref().unwrap();
    assert!(editor.derived.dirty, "unsaved");
    assert_eq!(editor.extra["webhook_secret"], SECRET, "kept as it was");
    assert_eq!(kept(&h), None);
    no_writes(&h);
    let body = serde_json::to_value(editor.request_body().unwrap()).unwrap();
    assert_eq!(
        body,
        json!({"name": "Front desk"}),
        "Ctrl-S sends only the name"
    );
    let text = screen(&mut h, (120, 40));
    assert!(
        text.contains("Took your JSON edit; not saved yet (C-s saves)"),
        "{text}"
    );
}

#[test]
fn invalid_json_keeps_the_draft_and_the_text_with_where_it_broke() {
    let mut h = open_with_secret();
    let (_, text) = ask_for_json(&mut h);
    let broken = text.0.replace("\"Reception NL\",", "\"Front desk\"");
    h.send(Msg::Edited(Edited::Done(JsonText(broken.clone()))));
    assert_eq!(name_in_form(&h), "Reception NL", "the draft is untouched");
    assert_eq!(kept(&h).as_deref(), Some(broken.as_str()));
    let problem = &h.model.server.editor.as_ref().unwrap().json_edit.problems[0];
    assert_eq!(problem.at.map(|(line, _)| line), Some(6), "{problem:?}");
    let shown = screen(&mut h, (120, 40));
    assert!(shown.contains("✗ JSON line 6, column"), "{shown}");
    assert!(
        shown.contains("Your JSON edit is kept: C-e reopens it, C-g discards it"),
        "{shown}"
    );

    let (_, reopened) = ask_for_json(&mut h);
    assert_eq!(reopened.0, broken, "reopening opens the user's text");
    h.ctrl('g');
    assert_eq!(kept(&h), None);
    let (_, fresh) = ask_for_json(&mut h);
    assert!(fresh.0.contains("\"Reception NL\","), "the draft again");
}

#[test]
fn an_invalid_field_is_named_by_path_and_label_and_nothing_changes() {
    let mut h = open_with_secret();
    let (_, text) = ask_for_json(&mut h);
    let edited = text
        .0
        .replace("\"temperature\": 0.7", "\"temperature\": 5.0")
        .replace(
            "\"name\": \"Reception NL\"",
            "\"nmae\": \"x\", \"name\": \"Other\"",
        );
    h.send(Msg::Edited(Edited::Done(JsonText(edited))));
    let problems = &h.model.server.editor.as_ref().unwrap().json_edit.problems;
    let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(
        paths,
        ["nmae", "llm_config.temperature"],
        "every problem at once"
    );
    assert_eq!(name_in_form(&h), "Reception NL");

    // The typo fixed, the temperature is the one problem left.
    let (_, text) = ask_for_json(&mut h);
    let fixed = text.0.replace("\"nmae\": \"x\", ", "");
    h.send(Msg::Edited(Edited::Done(JsonText(fixed))));
    let problems = &h.model.server.editor.as_ref().unwrap().json_edit.problems;
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].path, "llm_config.temperature");
    assert_eq!(name_in_form(&h), "Reception NL", "nothing taken");
    assert!(kept(&h).unwrap().contains("\"temperature\": 5.0"));
    let shown = screen(&mut h, (120, 40));
    assert!(
        shown.contains("✗ JSON llm_config.temperature (Temperature):"),
        "{shown}"
    );
    no_writes(&h);
}

#[test]
fn a_failed_editor_keeps_what_it_wrote_and_takes_nothing() {
    let mut h = open_with_secret();
    let (_, text) = ask_for_json(&mut h);
    let written = text.0.replace("Reception NL", "Front desk");
    h.send(Msg::Edited(Edited::Failed {
        why: "`vim` exited with status 1".into(),
        text: Some(JsonText(written.clone())),
    }));
    assert_eq!(name_in_form(&h), "Reception NL");
    assert_eq!(kept(&h).as_deref(), Some(written.as_str()));
    let shown = screen(&mut h, (120, 40));
    assert!(
        shown.contains("✗ JSON: `vim` exited with status 1; nothing was taken"),
        "{shown}"
    );
    // An editor that never ran leaves the kept text as it was.
    h.send(Msg::Edited(Edited::NotRun("cannot start `sh`".into())));
    assert_eq!(kept(&h).as_deref(), Some(written.as_str()));
    assert!(
        h.model.server.editor.as_ref().unwrap().is_dirty(),
        "leaving asks first"
    );
}

#[test]
fn a_secret_typed_into_the_file_is_refused_and_never_kept() {
    let mut h = open_with_secret();
    let (_, text) = ask_for_json(&mut h);
    let typed = text
        .0
        .replace("••••HOOK", "whsec_new_secret_typed_in_a_file");
    h.send(Msg::Edited(Edited::Done(JsonText(typed))));
    let editor = h.model.server.editor.as_ref().unwrap();
    assert_eq!(editor.json_edit.problems[0].path, "webhook_secret");
    assert_eq!(editor.extra["webhook_secret"], SECRET);
    let kept = kept(&h).unwrap();
    assert!(!kept.contains("whsec_new"), "{kept}");
    assert!(kept.contains("\"webhook_secret\": \"••••HOOK\""), "{kept}");
}

#[test]
fn a_read_only_session_shows_the_json_and_takes_nothing() {
    let mut h = Harness::read_only();
    let id = open_first(&mut h);
    h.reply_assistant(id, assistant("a-1", "Reception NL"), Some("\"1\""));
    let (_, text) = ask_for_json(&mut h);
    let edited = text.0.replace("Reception NL", "Front desk");
    h.send(Msg::Edited(Edited::Done(JsonText(edited))));
    assert_eq!(name_in_form(&h), "Reception NL");
    assert!(
        h.toast_text().contains("Read-only session"),
        "{}",
        h.toast_text()
    );
    assert_eq!(kept(&h), None);
}

#[test]
fn snapshot_of_the_editor_with_field_errors() {
    let mut h = open_with_secret();
    let (_, text) = ask_for_json(&mut h);
    let edited = text
        .0
        .replace("\"temperature\": 0.7", "\"temperature\": 5.0")
        .replace("\"id\": \"a-1\"", "\"id\": \"a-2\"")
        .replace("\"name\": \"Reception NL\"", "\"nmae\": \"x\"");
    h.send(Msg::Edited(Edited::Done(JsonText(edited))));
    insta::assert_snapshot!(
        "editor_json_edit_problems_120x40",
        screen(&mut h, (120, 40))
    );
}

/// A shell script as the editor: it records what it was given (the file's
/// path, modes and a copy of its text) under `dir`, then runs `action` on
/// the file (`$f`).
fn script(dir: &Path, action: &str) -> PathBuf {
    let path = dir.join("editor.sh");
    let d = dir.display();
    let text = format!(
        "#!/bin/sh\n\
         for f; do :; done\n\
         cp \"$f\" '{d}/seen.json'\n\
         printf '%s' \"$f\" > '{d}/path'\n\
         stat -c %a \"$f\" > '{d}/mode'\n\
         stat -c %a \"$(dirname \"$f\")\" > '{d}/dir_mode'\n\
         {action}\n"
    );
    std::fs::write(&path, text).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

/// What the script recorded: the file it got must be gone with its
/// directory, have been private, and never have held the secret.
fn check_the_file(dir: &Path) {
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).unwrap();
    let file = PathBuf::from(read("path"));
    assert!(!file.exists(), "{} is removed", file.display());
    assert!(!file.parent().unwrap().exists(), "its directory is removed");
    assert_eq!(read("mode").trim(), "600");
    assert_eq!(read("dir_mode").trim(), "700");
    let seen = read("seen.json");
    assert!(!seen.contains(SECRET), "{seen}");
    assert!(seen.contains("\"webhook_secret\": \"••••HOOK\""), "{seen}");
}

#[test]
fn a_real_editor_rewrites_a_field_and_the_form_takes_it() {
    let dir = tempfile::tempdir().unwrap();
    let editor = script(
        dir.path(),
        r#"sed -i 's/"Reception NL"/"Front desk"/' "$f""#,
    );
    let mut h = open_with_secret();
    let (name, text) = ask_for_json(&mut h);
    // An editor given with arguments, as `code --wait` is.
    let edited = edit(&format!("{} --wait", editor.display()), &name, &text);
    assert!(matches!(edited, Edited::Done(_)), "{edited:?}");
    h.send(Msg::Edited(edited));
    assert_eq!(name_in_form(&h), "Front desk");
    assert_eq!(
        h.model.server.editor.as_ref().unwrap().extra["webhook_secret"],
        SECRET
    );
    check_the_file(dir.path());
    no_writes(&h);
}

#[test]
fn a_real_editor_writing_broken_json_leaves_the_draft_and_keeps_the_text() {
    let dir = tempfile::tempdir().unwrap();
    let editor = script(
        dir.path(),
        r#"printf '{ "name": "Front desk",\n  "first_message": \n' > "$f""#,
    );
    let mut h = open_with_secret();
    let (name, text) = ask_for_json(&mut h);
    let edited = edit(&editor.display().to_string(), &name, &text);
    h.send(Msg::Edited(edited));
    assert_eq!(name_in_form(&h), "Reception NL");
    let kept = kept(&h).unwrap();
    assert!(kept.starts_with("{ \"name\": \"Front desk\","), "{kept}");
    let problem = &h.model.server.editor.as_ref().unwrap().json_edit.problems[0];
    assert!(problem.at.is_some(), "{problem:?}");
    check_the_file(dir.path());
}

#[test]
fn a_real_editor_exiting_1_keeps_its_edit_and_takes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let editor = script(
        dir.path(),
        r#"sed -i 's/"Reception NL"/"Front desk"/' "$f"; exit 1"#,
    );
    let mut h = open_with_secret();
    let (name, text) = ask_for_json(&mut h);
    let edited = edit(&editor.display().to_string(), &name, &text);
    match &edited {
        Edited::Failed { why, text: Some(_) } => assert!(why.contains("status 1"), "{why}"),
        other => panic!("{other:?}"),
    }
    h.send(Msg::Edited(edited));
    assert_eq!(name_in_form(&h), "Reception NL");
    let (_, reopened) = ask_for_json(&mut h);
    assert!(
        reopened.0.contains("\"Front desk\""),
        "the user's text reopens"
    );
    check_the_file(dir.path());
}

#[test]
fn a_missing_editor_is_reported_and_changes_nothing() {
    let mut h = open_with_secret();
    let (name, text) = ask_for_json(&mut h);
    let edited = edit("/nonexistent/voicedock-test-editor", &name, &text);
    match &edited {
        Edited::Failed { why, text: None } => assert!(why.contains("not found"), "{why}"),
        other => panic!("{other:?}"),
    }
    h.send(Msg::Edited(edited));
    assert_eq!(name_in_form(&h), "Reception NL");
    assert_eq!(kept(&h), None, "nothing was written by the user");
    let problem = &h.model.server.editor.as_ref().unwrap().json_edit.problems[0];
    assert!(problem.message.contains("not found"), "{problem:?}");
}

#[test]
fn in_a_terminal_ctrl_e_runs_the_editor_and_the_form_shows_its_edit() {
    use pty_support::{Pty, voicedock};
    let home = tempfile::tempdir().unwrap();
    // It asks for the new name on the terminal: a key the console read
    // instead would never reach it.
    let editor = script(
        home.path(),
        r#"printf 'EDITING: new name? '; read -r name; sed -i "s/Front desk/$name/" "$f""#,
    );
    let editor = editor.display().to_string();
    let mut c = Pty::spawn(voicedock(home.path(), &[("VISUAL", editor.as_str())]));
    c.wait_for("platform default keys");
    c.send("3");
    c.wait_for("Assistants");
    c.send("n");
    c.wait_for("New assistant");
    c.send("Front desk");
    c.wait_for("Front desk");
    c.send("\x05");
    c.wait_for("EDITING: new name?");
    assert!(!c.on_alternate_screen(), "the editor has the terminal");
    c.send("Back office\r");
    c.wait_for("Took your JSON edit");
    let text = c.text();
    assert!(text.contains("Back office"), "{text}");
    assert!(!text.contains("Front desk"), "{text}");
    assert!(c.on_alternate_screen(), "the console took the screen back");
    let seen = std::fs::read_to_string(home.path().join("seen.json")).unwrap();
    assert!(seen.contains("\"name\": \"Front desk\""), "{seen}");
    c.send("\x03");
    c.wait_for("Quit?");
    c.send("y");
    assert_eq!(c.exit_code(), 0);
}

#[test]
fn e_on_the_preview_opens_the_json_too_and_help_lists_both_keys() {
    use ratatui::crossterm::event::KeyCode;
    let mut h = open_with_secret();
    h.ctrl('p');
    assert!(h.model.server.editor.as_ref().unwrap().preview);
    let before = h.effects.len();
    h.key(KeyCode::Char('e'));
    assert!(
        matches!(&h.effects[before..], [Effect::EditJson { .. }]),
        "{:?}",
        h.effects
    );
    // A JSON problem closes the preview: it is drawn under the form.
    h.send(Msg::Edited(Edited::Done(JsonText("{".into()))));
    assert!(!h.model.server.editor.as_ref().unwrap().preview);

    h.send(Msg::Key(ratatui::crossterm::event::KeyEvent::new(
        KeyCode::F(1),
        ratatui::crossterm::event::KeyModifiers::NONE,
    )));
    let help = screen(&mut h, (120, 40));
    assert!(
        help.contains("edit the assistant as JSON in $VISUAL/$EDITOR"),
        "{help}"
    );
    assert!(help.contains("discard a JSON edit"), "{help}");
}

/// A secret typed into the file; its digits are long enough to be found
/// in any form it was typed in.
const TYPED: &str = "whsec_typed_98765432109876";

/// `change` applied to the file by a real editor, the result taken back;
/// then the next Ctrl-E's file, as the editor got it, byte for byte.
fn the_next_file_after(change: impl Fn(&str) -> String) -> (Harness, Vec<u8>) {
    let first = tempfile::tempdir().unwrap();
    let mut h = open_with_secret();
    let (name, text) = ask_for_json(&mut h);
    std::fs::write(first.path().join("want.json"), change(&text.0)).unwrap();
    let writer = script(
        first.path(),
        &format!("cp '{}/want.json' \"$f\"", first.path().display()),
    );
    h.send(Msg::Edited(edit(
        &writer.display().to_string(),
        &name,
        &text,
    )));
    let problems = &h.model.server.editor.as_ref().unwrap().json_edit.problems;
    assert!(
        problems.len() >= 2,
        "the secret and the other error: {problems:?}"
    );
    assert_eq!(name_in_form(&h), "Reception NL", "nothing was taken");

    let second = tempfile::tempdir().unwrap();
    let reader = script(second.path(), ":");
    let (name, text) = ask_for_json(&mut h);
    edit(&reader.display().to_string(), &name, &text);
    let seen = std::fs::read(second.path().join("seen.json")).unwrap();
    (h, seen)
}

/// No piece of the typed secret, nor the stored one, is in `bytes`; the
/// user's other edit is.
fn holds_no_secret(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    for piece in [
        TYPED,
        "typed_98765",
        "9876543210",
        SECRET,
        "0123456789abcdef",
    ] {
        let found = bytes.windows(piece.len()).any(|w| w == piece.as_bytes());
        assert!(!found, "{piece} in the next file: {text}");
    }
    assert!(
        text.contains("\"Front desk\""),
        "the other edit stays: {text}"
    );
}

fn problem_paths(h: &Harness) -> Vec<String> {
    let editor = h.model.server.editor.as_ref().unwrap();
    editor
        .json_edit
        .problems
        .iter()
        .map(|p| p.path.clone())
        .collect()
}

#[test]
fn a_secret_typed_as_a_second_key_is_refused_by_line_and_never_reopened() {
    let (h, seen) = the_next_file_after(|text| {
        text.replace("Reception NL", "Front desk")
            .replace("\"temperature\": 0.7", "\"temperature\": 5.0")
            .replace(
                "  \"webhook_secret\": \"••••HOOK\"",
                &format!("  \"webhook_secret\": \"{TYPED}\",\n  \"webhook_secret\": \"••••HOOK\""),
            )
    });
    holds_no_secret(&seen);
    let problems = &h.model.server.editor.as_ref().unwrap().json_edit.problems;
    let twice = problems
        .iter()
        .find(|p| p.message.contains("given a second time"))
        .unwrap_or_else(|| panic!("no duplicate named: {problems:?}"));
    let text = String::from_utf8(seen).unwrap();
    let line = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains("\"webhook_secret\""))
        .map(|(n, _)| n + 1)
        .nth(1)
        .unwrap();
    assert_eq!(twice.at, Some((line, 3)), "{twice:?} in {text}");
    assert!(twice.message.contains("\"webhook_secret\""), "{twice:?}");
    assert!(problem_paths(&h).contains(&"webhook_secret".to_owned()));
    assert_eq!(
        h.model.server.editor.as_ref().unwrap().extra["webhook_secret"],
        SECRET
    );
}

#[test]
fn a_secret_typed_as_an_array_into_broken_json_is_taken_out_of_the_kept_text() {
    let (h, seen) = the_next_file_after(|text| {
        text.replace("Reception NL", "Front desk")
            .replace("\"••••HOOK\"", &format!("[\"{TYPED}\", \"more\"]"))
            // The closing brace gone: the text is no JSON at all.
            .trim_end()
            .trim_end_matches('}')
            .to_owned()
    });
    holds_no_secret(&seen);
    let text = String::from_utf8(seen).unwrap();
    assert!(text.contains("\"webhook_secret\": \"••••HOOK\""), "{text}");
    let editor = h.model.server.editor.as_ref().unwrap();
    assert!(editor.json_edit.problems[0].at.is_some(), "where it broke");
    assert!(problem_paths(&h).contains(&"webhook_secret".to_owned()));
}

#[test]
fn a_secret_typed_as_an_object_or_a_number_is_refused_and_never_reopened() {
    let as_object = format!("{{\"value\": \"{TYPED}\"}}");
    let digits = &TYPED["whsec_typed_".len()..];
    for typed in [as_object.as_str(), digits] {
        let (h, seen) = the_next_file_after(|text| {
            text.replace("Reception NL", "Front desk")
                .replace("\"••••HOOK\"", typed)
                .replace("\"name\"", "\"nmae\": 1, \"name\"")
        });
        holds_no_secret(&seen);
        let paths = problem_paths(&h);
        assert!(
            paths.contains(&"webhook_secret".to_owned()) && paths.contains(&"nmae".to_owned()),
            "{typed}: {paths:?}"
        );
        let editor = h.model.server.editor.as_ref().unwrap();
        assert_eq!(editor.extra["webhook_secret"], SECRET, "{typed}");
    }
}
