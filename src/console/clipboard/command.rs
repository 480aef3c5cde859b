//! A clipboard program (`wl-copy`, `xclip -selection clipboard`, `pbcopy`)
//! given the text on its standard input, never in its arguments, where
//! any user of the machine could read it in the process list.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long a clipboard program may take. The usual ones exit at once
/// (those that keep serving the selection fork into the background);
/// one that does not would hold the console up.
pub const PATIENCE: Duration = Duration::from_secs(3);

/// Whether `program` can be run: a path that exists, or a name found on `path`.
pub fn is_present(program: &str, path: Option<&std::ffi::OsStr>) -> bool {
    if program.contains('/') {
        return Path::new(program).is_file();
    }
    path.is_some_and(|dirs| std::env::split_paths(dirs).any(|dir| dir.join(program).is_file()))
}

/// Runs `argv` with `text` on its stdin and waits for it to finish; the
/// error says why nothing was copied, in a few words for a toast.
pub fn run(argv: &[String], text: &str) -> Result<(), String> {
    let (program, args) = argv
        .split_first()
        .ok_or_else(|| "clipboard_command is empty".to_owned())?;
    // Its output would land on the console's screen: it goes nowhere.
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("{program}: {e}"))?;
    // A thread writes, so a program that never reads cannot block the
    // console on a full pipe; it ends when the pipe closes.
    let writer = child.stdin.take().map(|mut stdin| {
        let text = text.to_owned();
        std::thread::spawn(move || stdin.write_all(text.as_bytes()))
    });
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() < PATIENCE => {
                std::thread::sleep(Duration::from_millis(5));
            }
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "{program} did not finish within {} s",
                    PATIENCE.as_secs()
                ));
            }
            Err(e) => return Err(format!("{program}: {e}")),
        }
    };
    if !status.success() {
        return Err(format!("{program} failed ({status})"));
    }
    // A helper it left behind may still hold the pipe: the writer is
    // waited for only when it is done.
    match writer.filter(|w| w.is_finished()).map(|w| w.join()) {
        Some(Ok(Err(e))) => Err(format!("{program} did not take the text: {e}")),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_program_is_found_on_the_path_or_by_its_path() {
        let path = std::env::var_os("PATH");
        assert!(is_present("sh", path.as_deref()));
        assert!(is_present("/bin/sh", None));
        assert!(!is_present("no-such-clipboard-program", path.as_deref()));
        assert!(!is_present("sh", None));
    }

    #[test]
    fn the_text_goes_in_on_stdin_and_failures_are_said() {
        let argv = |s: &[&str]| s.iter().map(|a| a.to_string()).collect::<Vec<_>>();
        assert_eq!(
            run(&argv(&["sh", "-c", "test \"$(cat)\" = hello"]), "hello"),
            Ok(())
        );
        let failed = run(&argv(&["sh", "-c", "cat >/dev/null; exit 3"]), "x").unwrap_err();
        assert!(
            failed.contains("sh failed") && failed.contains('3'),
            "{failed}"
        );
        let missing = run(&argv(&["no-such-clipboard-program"]), "x").unwrap_err();
        assert!(
            missing.starts_with("no-such-clipboard-program: "),
            "{missing}"
        );
        assert!(run(&[], "x").is_err());
    }
}
