//! What the console writes to the terminal when a server's names carry
//! escape sequences: the bytes of a real frame (the crossterm backend into
//! memory), not the cells. A cell's symbol never passes a control character
//! through, so no title change, clipboard write, bell or 8-bit CSI leaves.

use testkit::console_support;

use console_support::*;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::KeyCode;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use voicedock::console::msg::Msg;
use voicedock::console::view;

const EVIL: &str = "\x1b]0;pwned\x07\x1b]52;c;ZXZpbA==\x07\x1bc\u{9b}2J\x7f\rfake";

/// The bytes one frame of the console's current screen sends.
fn frame_bytes(h: &Harness, width: u16, height: u16) -> Vec<u8> {
    let mut bytes = Vec::new();
    {
        let backend = CrosstermBackend::new(&mut bytes);
        let viewport = Viewport::Fixed(Rect::new(0, 0, width, height));
        let mut terminal = Terminal::with_options(backend, TerminalOptions { viewport }).unwrap();
        terminal.draw(|f| view::view(&h.model, f)).unwrap();
    }
    bytes
}

/// Only the backend's own cursor moves, colours and cursor visibility: CSI
/// sequences ending in H, m, h or l. Anything else came from the server.
fn assert_only_drawing(bytes: &[u8]) {
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            assert_eq!(chars.next(), Some('['), "a non-CSI escape in {text:?}");
            let mut last = ' ';
            while let Some(&p) = chars.peek() {
                chars.next();
                last = p;
                if ('@'..='~').contains(&p) {
                    break;
                }
            }
            assert!(
                matches!(last, 'H' | 'm' | 'h' | 'l'),
                "CSI …{last} in {text:?}"
            );
        } else {
            assert!(!c.is_control(), "U+{:04X} written raw", u32::from(c));
        }
    }
}

#[test]
fn a_hostile_name_reaches_no_terminal_as_a_command() {
    let mut state = sample_state();
    state.account.company_name = Some(format!("Acme{EVIL}"));
    state.assistants = vec![assistant("a-1", &format!("Reception{EVIL}"))];
    state.byok = byok(&[("deepgram", &format!("sec{EVIL}"), &format!("…a1{EVIL}"))]);
    let mut h = Harness::new();
    h.answer_all(&state);
    h.send(Msg::Resize(120, 40));
    let mut shown = String::new();
    for _ in 0..3 {
        let bytes = frame_bytes(&h, 120, 40);
        assert_only_drawing(&bytes);
        shown.push_str(&String::from_utf8(bytes).unwrap());
        h.key(KeyCode::Tab);
    }
    // The hostile values were drawn, without their sequences.
    for drawn in ["Acme", "Reception", "sec"] {
        assert!(shown.contains(drawn), "{drawn} not drawn");
    }
}
