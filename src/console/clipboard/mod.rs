//! Copying from the console: what a copy holds (`build`, from what has the
//! focus: `focused`) and how it reaches the clipboard (`deliver`): OSC 52
//! through the terminal, which works over SSH, or a clipboard program.
//! No secret is ever copied: a copy is built from ids, names and redacted
//! JSON only.

pub mod build;
pub mod command;
pub mod focused;
pub mod osc52;

use std::io::Write;

pub use build::{Copy, EMBEDDED_KEY_HINT, Form, Origin, Redacted, Subject, copy};

use crate::config::ClipboardMode;

/// How this session copies, settled at start from config.toml and the
/// environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clipboard {
    /// The program that takes the text on stdin; `None` sends OSC 52.
    pub command: Option<Vec<String>>,
    /// Whether a program that fails leaves the text to OSC 52 instead
    /// (`auto`); with `clipboard = "command"` the failure is only said.
    pub falls_back: bool,
    /// `$TMUX` is set: the sequence also goes through tmux's passthrough.
    pub tmux: bool,
}

impl Default for Clipboard {
    fn default() -> Self {
        Clipboard {
            command: None,
            falls_back: true,
            tmux: false,
        }
    }
}

/// What the environment says about where the console runs.
#[derive(Debug, Clone, Default)]
pub struct Place {
    /// `SSH_TTY` or `SSH_CONNECTION` is set: a program here would fill the
    /// clipboard of the remote machine, not the user's.
    pub over_ssh: bool,
    pub tmux: bool,
    pub path: Option<std::ffi::OsString>,
}

impl Place {
    pub fn from_env() -> Place {
        let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
        Place {
            over_ssh: set("SSH_TTY") || set("SSH_CONNECTION"),
            tmux: set("TMUX"),
            path: std::env::var_os("PATH"),
        }
    }
}

impl Clipboard {
    /// `auto`: the configured program when not over SSH and it is there,
    /// else OSC 52. `osc52`: always OSC 52. `command`: always the program.
    pub fn settle(
        mode: ClipboardMode,
        command: Option<&[String]>,
        place: &Place,
    ) -> Result<Clipboard, String> {
        let command = command.map(<[String]>::to_vec);
        if command.as_ref().is_some_and(|argv| argv.is_empty()) {
            return Err("clipboard_command is empty: give the program, e.g. [\"wl-copy\"]".into());
        }
        let osc52 = Clipboard {
            tmux: place.tmux,
            ..Clipboard::default()
        };
        match mode {
            ClipboardMode::Osc52 => Ok(osc52),
            ClipboardMode::Command => match command {
                Some(argv) => Ok(Clipboard {
                    command: Some(argv),
                    falls_back: false,
                    ..osc52
                }),
                None => Err("clipboard = \"command\" needs clipboard_command, e.g. \
                             clipboard_command = [\"wl-copy\"]"
                    .into()),
            },
            ClipboardMode::Auto => {
                let usable = command.filter(|argv| {
                    !place.over_ssh && command::is_present(&argv[0], place.path.as_deref())
                });
                Ok(Clipboard {
                    command: usable,
                    ..osc52
                })
            }
        }
    }
}

/// How a delivery went, when there is something to say beyond the
/// "copied …" already shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub text: String,
    pub is_error: bool,
}

/// Puts `text` on the clipboard; OSC 52 goes to `terminal` (the writer
/// the screen is drawn with) and is flushed at once. `what` names the copy
/// in what is said.
pub fn deliver(
    clipboard: &Clipboard,
    what: &str,
    text: &str,
    terminal: &mut impl Write,
) -> Option<Notice> {
    let to_terminal = |terminal: &mut dyn Write| {
        terminal
            .write_all(osc52::sequence(text, clipboard.tmux).as_bytes())
            .and_then(|()| terminal.flush())
    };
    let Some(argv) = &clipboard.command else {
        return to_terminal(terminal).err().map(|e| Notice {
            text: format!("could not copy {what}: {e}"),
            is_error: true,
        });
    };
    let why = command::run(argv, text).err()?;
    if clipboard.falls_back && to_terminal(terminal).is_ok() {
        return Some(Notice {
            text: format!("copied {what} through the terminal (OSC 52): {why}"),
            is_error: false,
        });
    }
    Some(Notice {
        text: format!("could not copy {what}: {why}"),
        is_error: true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(over_ssh: bool) -> Place {
        Place {
            over_ssh,
            tmux: false,
            path: std::env::var_os("PATH"),
        }
    }

    #[test]
    fn auto_uses_a_present_program_only_when_not_over_ssh() {
        let sh = ["sh".to_owned()];
        let local = Clipboard::settle(ClipboardMode::Auto, Some(&sh), &place(false)).unwrap();
        assert_eq!(local.command.as_deref(), Some(&sh[..]));
        let remote = Clipboard::settle(ClipboardMode::Auto, Some(&sh), &place(true)).unwrap();
        assert_eq!(remote.command, None);
        let missing = ["no-such-clipboard-program".to_owned()];
        let absent = Clipboard::settle(ClipboardMode::Auto, Some(&missing), &place(false));
        assert_eq!(absent.unwrap().command, None);
        assert_eq!(
            Clipboard::settle(ClipboardMode::Auto, None, &place(false))
                .unwrap()
                .command,
            None
        );
    }

    #[test]
    fn command_mode_needs_a_program_and_keeps_it_even_over_ssh() {
        assert!(Clipboard::settle(ClipboardMode::Command, None, &place(false)).is_err());
        assert!(Clipboard::settle(ClipboardMode::Command, Some(&[]), &place(false)).is_err());
        let argv = ["no-such-clipboard-program".to_owned()];
        let chosen = Clipboard::settle(ClipboardMode::Command, Some(&argv), &place(true)).unwrap();
        assert_eq!(chosen.command.as_deref(), Some(&argv[..]));
        assert!(!chosen.falls_back);
    }

    #[test]
    fn a_failing_program_falls_back_in_auto_and_is_an_error_otherwise() {
        let failing = Clipboard {
            command: Some(vec!["sh".into(), "-c".into(), "exit 1".into()]),
            falls_back: true,
            tmux: false,
        };
        let mut out = Vec::new();
        let notice = deliver(&failing, "model id m", "m", &mut out).unwrap();
        assert!(
            !notice.is_error && notice.text.contains("OSC 52"),
            "{notice:?}"
        );
        assert_eq!(out, osc52::plain("m").into_bytes());
        let strict = Clipboard {
            falls_back: false,
            ..failing
        };
        let mut out = Vec::new();
        let notice = deliver(&strict, "model id m", "m", &mut out).unwrap();
        assert!(notice.is_error && notice.text.starts_with("could not copy model id m"));
        assert!(out.is_empty(), "nothing sent to the terminal");
    }
}
