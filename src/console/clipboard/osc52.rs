//! The terminal's own clipboard: OSC 52, which reaches the terminal the
//! user sits at through SSH, and through tmux when tmux lets it.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

const ESC: &str = "\x1b";
const BEL: &str = "\x07";

/// `ESC ] 52 ; c ; BASE64 BEL`: "set the clipboard to this". BEL ends it
/// rather than `ESC \`, as more terminals (and tmux) accept it.
pub fn plain(text: &str) -> String {
    format!("{ESC}]52;c;{}{BEL}", STANDARD.encode(text.as_bytes()))
}

/// What to write inside tmux. tmux (since 2.6, `set-clipboard external` by
/// default) does not pass an application's OSC 52 on; two ways still
/// reach the outer terminal, and the sequence goes both ways:
///
/// - wrapped in tmux's passthrough (`ESC P tmux; … ESC \`, every ESC inside
///   doubled), written unchanged to the outer terminal: always before
///   tmux 3.3, from 3.3 on only with `set -g allow-passthrough on`;
/// - plain, which tmux itself takes with `set -g set-clipboard on`: it
///   keeps a paste buffer and sets the outer terminal's clipboard.
///
/// With both options on, the outer terminal is told the same text twice.
pub fn for_tmux(text: &str) -> String {
    let inner = plain(text);
    format!(
        "{ESC}Ptmux;{}{ESC}\\{inner}",
        inner.replace(ESC, &format!("{ESC}{ESC}"))
    )
}

/// The bytes for this terminal: `$TMUX` says whether tmux sits between.
pub fn sequence(text: &str, tmux: bool) -> String {
    if tmux { for_tmux(text) } else { plain(text) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_and_wrapped_forms_are_exact() {
        // printf 'a-1' | base64
        assert_eq!(plain("a-1"), "\x1b]52;c;YS0x\x07");
        assert_eq!(
            for_tmux("a-1"),
            "\x1bPtmux;\x1b\x1b]52;c;YS0x\x07\x1b\\\x1b]52;c;YS0x\x07"
        );
    }

    #[test]
    fn any_text_becomes_base64_without_control_bytes() {
        let seq = plain("line\n\x1b]0;title\x07 é");
        let payload = &seq["\x1b]52;c;".len()..seq.len() - 1];
        assert!(
            payload
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"+/=".contains(&b))
        );
        let back = STANDARD.decode(payload).unwrap();
        assert_eq!(back, "line\n\x1b]0;title\x07 é".as_bytes());
    }
}
