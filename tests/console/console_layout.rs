//! What a first session at 120×40 and 80×24 has to read whole: wrapped
//! text that breaks between words and keeps its indent, notes only where
//! they apply, footers that offer only keys that act, help with every key.

use testkit::console_support;

use console_support::*;
use ratatui::crossterm::event::KeyCode;
use voicedock::console::editor::Field;
use voicedock::console::msg::Msg;

const BOTH: &[(u16, u16)] = &[(120, 40), (80, 24)];

fn screen(h: &mut Harness, (width, height): (u16, u16)) -> String {
    h.send(Msg::Resize(width, height));
    h.render(width, height)
}

fn footer(h: &mut Harness, size: (u16, u16)) -> String {
    let text = screen(h, size);
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len() - 2].trim_end().to_owned()
}

/// The words of `text` on screen, each whole on one line.
fn assert_words_whole(text: &str, screen: &str) {
    for word in text.split(' ') {
        assert!(
            screen.lines().any(|l| l.contains(word)),
            "{word:?} is broken across lines:\n{screen}"
        );
    }
}

fn editor_opened() -> Harness {
    let mut h = Harness::loaded();
    open_first_fresh(&mut h, Some("\"1\""));
    h
}

const LONG_GREETING: &str = "Welcome to the reception desk of Acme Voice, this call may be recorded for quality-assurance purposes; how can I help you today?";

#[test]
fn the_request_body_wraps_between_words_under_its_value() {
    let mut h = editor_opened();
    h.focus(Field::FirstMessage);
    for _ in 0..5 {
        h.key(KeyCode::Backspace);
    }
    h.type_text(LONG_GREETING);
    for size in BOTH {
        if size.0 < 100 {
            h.ctrl('p');
        }
        let text = screen(&mut h, *size);
        assert_words_whole(LONG_GREETING, &text);
        let lines: Vec<&str> = text.lines().collect();
        let at = lines
            .iter()
            .position(|l| l.contains("\"first_message\": \"Welcome"))
            .unwrap_or_else(|| panic!("no first message in the body:\n{text}"));
        // Columns count characters: the panes beside hold marks of several bytes.
        let byte_at = lines[at].find("\"Welcome").unwrap();
        let value_column = lines[at][..byte_at].chars().count() + 1;
        let next: Vec<char> = lines[at + 1].chars().collect();
        // The continuation starts under the value's first letter.
        let before: String = next[..value_column].iter().collect();
        let after: String = next[value_column..].iter().collect();
        assert!(
            before.ends_with("  ") && !after.starts_with(' '),
            "continuation not under its value at {size:?}:\n{text}"
        );
        if size.0 < 100 {
            h.ctrl('p');
        }
    }
}

#[test]
fn the_elevenlabs_note_shows_only_with_an_elevenlabs_tts_and_wraps_indented() {
    let mut h = editor_opened();
    for size in BOTH {
        let text = screen(&mut h, *size);
        let lines: Vec<&str> = text.lines().collect();
        let at = lines
            .iter()
            .position(|l| l.contains("ElevenLabs: only voices"))
            .unwrap_or_else(|| panic!("no note at {size:?}:\n{text}"));
        let note_column = lines[at].find("ElevenLabs:").unwrap();
        let next = lines[at + 1];
        let (before, after) = next.split_at(note_column);
        assert!(
            before.ends_with("  ") && !after.starts_with(' '),
            "the note's second line is not under its first at {size:?}:\n{text}"
        );
    }
    let mut h = Harness::loaded();
    h.type_text("3n");
    assert!(h.model.server.editor.as_ref().unwrap().tts.is_none());
    for size in BOTH {
        let text = screen(&mut h, *size);
        assert!(
            !text.contains("Voice Library"),
            "a note on a TTS nobody chose at {size:?}:\n{text}"
        );
    }
}

#[test]
fn the_tts_settings_line_shows_every_setting() {
    let mut h = editor_opened();
    for size in BOTH {
        let text = screen(&mut h, *size);
        for setting in [
            "stability",
            "similarity_boost",
            "style",
            "speed",
            "use_speaker_boost",
        ] {
            assert!(text.contains(setting), "{setting} cut at {size:?}:\n{text}");
        }
    }
}

#[test]
fn help_descriptions_wrap_to_the_width_there_is() {
    let mut h = Harness::loaded();
    h.key(KeyCode::Char('?'));
    for size in BOTH {
        let text = screen(&mut h, *size);
        assert_words_whole(
            "check the key with its provider (read-only calls; the server's stored key where it can, else the key stored this session)",
            &text,
        );
    }
}

#[test]
fn filtering_providers_keeps_the_headings_of_groups_with_a_match() {
    let mut h = Harness::loaded();
    h.type_text("/labs");
    for size in BOTH {
        let text = screen(&mut h, *size);
        assert!(text.contains("ElevenLabs"), "{text}");
        assert!(
            text.contains("Speech to text"),
            "no heading at {size:?}:\n{text}"
        );
        assert!(!text.contains("Email"), "a group without a match:\n{text}");
    }
}

#[test]
fn footers_offer_only_keys_that_do_something() {
    let mut h = Harness::loaded();
    h.key(KeyCode::Char('2'));
    for size in BOTH {
        let footer = footer(&mut h, *size);
        assert!(!footer.contains("choose"), "at {size:?}: {footer}");
    }
    // Picking for an editor's field, Enter chooses.
    let mut h = editor_opened();
    h.focus(Field::LlmModel);
    h.key(KeyCode::Enter);
    assert!(footer(&mut h, (120, 40)).contains("Enter choose"));
    // A provider without a key has none to remove.
    let mut h = Harness::loaded();
    h.focus_provider("openai");
    for size in BOTH {
        let footer = footer(&mut h, *size);
        assert!(!footer.contains("remove key"), "at {size:?}: {footer}");
    }
    h.focus_provider("deepgram");
    assert!(footer(&mut h, (120, 40)).contains("d remove key"));
    // An empty list has nothing to open or delete.
    let mut h = Harness::new();
    h.answer_all(&State {
        assistants: Vec::new(),
        ..sample_state()
    });
    h.key(KeyCode::Char('3'));
    for size in BOTH {
        let footer = footer(&mut h, *size);
        assert!(
            !footer.contains("open") && !footer.contains("delete") && footer.contains("new"),
            "at {size:?}: {footer}"
        );
    }
}

#[test]
fn everything_fits_at_80x24() {
    let narrow = (80, 24);
    let mut h = Harness::loaded();
    let text = footer(&mut h, narrow);
    assert!(!text.contains('…'), "footer cut: {text}");
    assert!(text.contains("refresh"), "{text}");

    // A toast takes a line from the body; the form's notes still fit.
    h.focus_provider("elevenlabs");
    h.key(KeyCode::Char('d'));
    assert!(!h.toast_text().is_empty());
    h.key(KeyCode::Char('a'));
    let text = screen(&mut h, narrow);
    assert!(
        text.contains("Use the voice ID from your ElevenLabs dashboard."),
        "the key form's last note is cut:\n{text}"
    );

    let mut h = editor_opened();
    h.focus(Field::SttModel);
    h.key(KeyCode::Enter);
    let text = screen(&mut h, narrow);
    assert!(
        text.lines().any(|l| l.contains("Esc back to the editor")),
        "the picking hint is cut:\n{text}"
    );

    let mut h = editor_opened();
    h.ctrl('p');
    let text = screen(&mut h, narrow);
    let title = text.lines().nth(2).unwrap();
    assert!(
        title.contains("scroll") && title.contains("close"),
        "preview title cut: {title}"
    );
}

/// Every row help has, scrolled through from its top.
fn whole_help(h: &mut Harness, size: (u16, u16)) -> String {
    let mut seen = Vec::<String>::new();
    for _ in 0..400 {
        let text = screen(h, size);
        for line in text.lines() {
            if !seen.iter().any(|l| l == line) {
                seen.push(line.to_owned());
            }
        }
        let before = h.model.server.help_scroll;
        h.key(KeyCode::Down);
        if h.model.server.help_scroll == before || !h.model.server.help {
            break;
        }
    }
    seen.join("\n")
}

#[test]
fn help_lists_every_scope_with_the_focused_one_first() {
    for size in BOTH {
        let mut h = editor_opened();
        h.key(KeyCode::F(1));
        let text = whole_help(&mut h, *size);
        let at = |part: &str| {
            text.find(part)
                .unwrap_or_else(|| panic!("{part:?} not in help at {size:?}:\n{text}"))
        };
        let editor = at("leave the editor");
        for elsewhere in [
            "add or rotate",
            "filter models",
            "open in the editor",
            "keep the filter",
            "the activity log",
            "suspend to the shell",
        ] {
            assert!(
                at(elsewhere) > editor,
                "{elsewhere} before the editor's keys"
            );
        }
    }
}

#[test]
fn command_help_lists_every_key_too() {
    let mut h = Harness::loaded();
    h.type_text(":help");
    h.key(KeyCode::Enter);
    let text = whole_help(&mut h, (120, 40));
    for part in [
        ":models",
        "add or rotate",
        "leave the editor",
        "filter models",
    ] {
        assert!(text.contains(part), "{part:?} not in help:\n{text}");
    }
}

#[test]
fn a_field_hint_shows_whole_or_not_at_all() {
    let mut h = editor_opened();
    h.focus(Field::SttModel);
    for size in BOTH {
        let text = screen(&mut h, *size);
        let row = text
            .lines()
            .find(|l| l.contains("STT model"))
            .unwrap_or_else(|| panic!("no STT model row at {size:?}:\n{text}"));
        assert!(
            !row.contains("choose") || row.contains("Del default"),
            "the field's hint is cut at {size:?}:\n{text}"
        );
    }
}

#[test]
fn the_hint_over_an_empty_assistant_list_offers_only_new() {
    let mut h = Harness::new();
    h.answer_all(&State {
        assistants: Vec::new(),
        ..sample_state()
    });
    h.key(KeyCode::Char('3'));
    for size in BOTH {
        let text = screen(&mut h, *size);
        let hint = text.lines().nth(1).unwrap();
        assert!(
            hint.contains("n new") && !hint.contains("edit") && !hint.contains("delete"),
            "at {size:?}:\n{text}"
        );
    }
}

#[test]
fn a_language_stays_beside_its_code_in_the_model_details() {
    let mut h = Harness::loaded();
    h.key(KeyCode::Char('2'));
    for size in BOTH {
        let text = screen(&mut h, *size);
        assert!(text.contains("Portuguese"), "at {size:?}:\n{text}");
        for line in text.lines() {
            let details = line.rsplit("││").next().unwrap_or(line);
            let details = details.trim_end_matches('│').trim();
            assert!(
                !details.starts_with('—') && !details.ends_with('—'),
                "a language apart from its code at {size:?}:\n{text}"
            );
        }
    }
}

#[test]
fn picking_a_model_for_the_editor_offers_the_way_back() {
    let mut h = editor_opened();
    h.focus(Field::LlmModel);
    h.key(KeyCode::Enter);
    for size in BOTH {
        let footer = footer(&mut h, *size);
        assert!(footer.contains("Esc back"), "at {size:?}: {footer}");
    }
    let mut h = Harness::loaded();
    h.key(KeyCode::Char('2'));
    assert!(!footer(&mut h, (120, 40)).contains("Esc"));
}
