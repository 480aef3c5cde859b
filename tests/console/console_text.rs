//! Text that does not fit is cut with an ellipsis, and widths are counted
//! in terminal columns, so wide (CJK) names keep the columns aligned.

use testkit::console_support;

use console_support::*;
use ratatui::crossterm::event::KeyCode;
use voicedock::client::ApiError;
use voicedock::console::msg::Call;

fn with_names(names: &[&str]) -> Harness {
    let mut state = sample_state();
    state.assistants = names
        .iter()
        .enumerate()
        .map(|(i, n)| assistant(&format!("a-{i}"), n))
        .collect();
    let mut h = Harness::new();
    h.answer_all(&state);
    h.key(KeyCode::Char('3'));
    h
}

/// The terminal cell where `needle` starts on the line that holds `marker`
/// (the harness writes one symbol per cell, a wide character's second cell
/// as a space).
fn column_of(screen: &str, marker: &str, needle: &str) -> usize {
    let line = screen.lines().find(|l| l.contains(marker)).unwrap();
    let at = line.find(needle).unwrap();
    line[..at].chars().count()
}

#[test]
fn wide_names_keep_the_columns_aligned() {
    let h = with_names(&["受付センター東京", "Reception NL"]);
    let screen = h.render(120, 30);
    assert_eq!(
        column_of(&screen, "受", "nova-3"),
        column_of(&screen, "Reception", "nova-3"),
        "{screen}"
    );
}

#[test]
fn a_name_too_long_for_its_column_ends_in_an_ellipsis() {
    let long = "A very long assistant name that cannot possibly fit its column";
    let h = with_names(&[long]);
    let screen = h.render(80, 24);
    let line = screen.lines().find(|l| l.contains("A very long")).unwrap();
    assert!(line.contains('…'), "{line}");
    assert!(!line.contains("its column"), "{line}");
}

#[test]
fn a_long_error_in_the_status_bar_is_cut_with_an_ellipsis() {
    let mut h = Harness::new();
    let (id, _) = h.take(|c| matches!(c, Call::Byok));
    let reason = "connection refused by 127.0.0.1:8787 after the operating system gave up waiting for it to answer at all";
    h.reply(id, Err(ApiError::Unreachable(reason.into())));
    let screen = h.render(80, 24);
    let status = screen.lines().last().unwrap();
    assert!(status.trim_end().ends_with('…'), "{status}");
}

#[test]
fn a_narrow_header_shows_the_active_tab_whole() {
    let mut h = Harness::loaded();
    h.key(KeyCode::Char('3'));
    let screen = h.render(50, 20);
    let header = screen.lines().next().unwrap();
    assert!(header.contains("3 Assistants"), "{header}");
}

#[test]
fn a_long_toast_wraps_once_under_its_text_and_is_cut_after() {
    let mut h = Harness::loaded();
    let (id, _) = {
        h.key(KeyCode::Char('r'));
        h.take(|c| matches!(c, Call::Byok))
    };
    let long = "word ".repeat(60);
    h.reply(id, Err(ApiError::Malformed(long)));
    let screen = h.render(80, 24);
    let lines: Vec<&str> = screen.lines().collect();
    let first = lines
        .iter()
        .position(|l| l.contains("Could not refresh"))
        .unwrap();
    assert!(
        lines[first + 1].starts_with(' '),
        "indented: {:?}",
        lines[first + 1]
    );
    assert!(
        lines[first + 1].trim_end().ends_with('…'),
        "{:?}",
        lines[first + 1]
    );
}

/// What a terminal would obey (8-bit CSI) or what reorders or hides text
/// there without being drawn: bidirectional overrides and isolates,
/// zero-width characters.
const HIDDEN: [char; 8] = [
    '\u{202e}', '\u{202a}', '\u{2066}', '\u{2069}', '\u{200b}', '\u{200d}', '\u{feff}', '\u{9b}',
];

const HOSTILE_NAME: &str =
    "Evil\u{202e}lmth.exe\u{202c} \u{2066}x\u{2069}\u{200b}na\u{200d}me\u{feff}\u{9b}31m!";

#[test]
fn a_name_with_hidden_characters_reaches_no_cell_of_the_editor_or_the_list() {
    let mut h = with_names(&[HOSTILE_NAME]);
    let list = h.render(120, 30);
    h.key(KeyCode::Enter);
    let (id, _) = h.take(|c| matches!(c, Call::GetAssistant { .. }));
    h.reply_assistant(id, assistant("a-0", HOSTILE_NAME), Some("\"1\""));
    let editor = h.render(120, 30);
    let title = editor
        .lines()
        .find(|l| l.contains("Edit Evil"))
        .unwrap_or_else(|| panic!("no editor title in {editor}"));
    for (what, screen) in [("list", &list), ("editor", &editor)] {
        for c in HIDDEN {
            assert!(
                !screen.contains(c),
                "{what}: U+{:04X} drawn: {screen:?}",
                u32::from(c)
            );
        }
    }
    assert!(
        title.contains("lmth.exe x"),
        "the visible text stays: {title}"
    );
}
