//! Editing an assistant as JSON in the user's own editor: the file it is
//! written to, the editor run on it the way git runs one, and the text read
//! back. The console hands the terminal over meanwhile (`hand_over`); what
//! the text means is the editor's business (`editor/json.rs`), in `update`.

use std::fs::{self, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus};

use zeroize::Zeroize;

/// Far above any assistant the server takes (64 KiB); a bigger file is
/// not read into memory.
const MAX_FILE: u64 = 1024 * 1024;

/// An assistant as JSON text, on its way to or from the user's editor.
/// Its secrets are redacted when the console wrote it, but the user may
/// type anything: shown by length only, wiped when dropped.
#[derive(Clone, PartialEq, Eq)]
pub struct JsonText(pub String);

impl std::fmt::Debug for JsonText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "JsonText([{} bytes])", self.0.len())
    }
}

impl Drop for JsonText {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

/// What the user's editor left behind.
#[derive(Debug, Clone, PartialEq)]
pub enum Edited {
    /// The editor exited successfully; the file as it was then.
    Done(JsonText),
    /// The editor failed (`why`); its file, when it holds something other
    /// than what was written into it.
    Failed { why: String, text: Option<JsonText> },
    /// No editor ran, or its file could not be made or read.
    NotRun(String),
}

/// `$VISUAL`, else `$EDITOR`, else `vi`, as git chooses; an empty one counts
/// as unset.
pub fn editor_command() -> String {
    choose_editor(
        std::env::var("VISUAL").ok().as_deref(),
        std::env::var("EDITOR").ok().as_deref(),
    )
}

pub fn choose_editor(visual: Option<&str>, editor: Option<&str>) -> String {
    [visual, editor]
        .into_iter()
        .flatten()
        .map(str::trim)
        .find(|e| !e.is_empty())
        .unwrap_or("vi")
        .to_owned()
}

/// Writes `text` to `name` in a new private directory, runs `editor` on it
/// in the foreground and reads the file back; the directory and whatever the
/// editor left in it (swap and backup files) are overwritten and removed
/// before this returns. Blocks until the editor exits.
pub fn edit(editor: &str, name: &str, text: &JsonText) -> Edited {
    let dir = match PrivateDir::create() {
        Ok(dir) => dir,
        Err(e) => return Edited::NotRun(format!("cannot make a private directory: {e}")),
    };
    let file = dir.path.join(name);
    if let Err(e) = write_new(&file, text.0.as_bytes()) {
        return Edited::NotRun(format!("cannot write {}: {e}", file.display()));
    }
    let status = run(editor, &file);
    let read = read_back(&file);
    drop(dir);
    match (status, read) {
        (Err(e), _) => Edited::NotRun(format!("cannot start `{editor}`: {e}")),
        (Ok(status), Ok(back)) if status.success() => Edited::Done(back),
        (Ok(status), Err(e)) if status.success() => {
            Edited::NotRun(format!("cannot read the edited file back: {e}"))
        }
        (Ok(status), read) => Edited::Failed {
            why: failure(editor, status),
            text: read.ok().filter(|back| back != text),
        },
    }
}

/// `sh -c '$EDITOR "$@"' editor FILE`, as git does, so an editor given with
/// arguments (`code --wait`) works. Ctrl-C and Ctrl-\ belong to the editor
/// meanwhile: the console ignores them, as git does, so they cannot end it
/// with the edit unsaved.
fn run(editor: &str, file: &Path) -> std::io::Result<ExitStatus> {
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$@\""))
        .arg("editor")
        .arg(file)
        .spawn()?;
    let _ignored = IgnoreInterrupts::now();
    child.wait()
}

fn failure(editor: &str, status: ExitStatus) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            return format!("`{editor}` was ended by signal {signal}");
        }
    }
    match status.code() {
        Some(127) => format!("`{editor}` was not found (set $VISUAL or $EDITOR)"),
        Some(code) => format!("`{editor}` exited with status {code}"),
        None => format!("`{editor}` failed"),
    }
}

/// SIGINT and SIGQUIT ignored while alive, as they were before afterwards.
struct IgnoreInterrupts {
    #[cfg(unix)]
    was: [(libc::c_int, libc::sighandler_t); 2],
}

impl IgnoreInterrupts {
    fn now() -> Self {
        #[cfg(unix)]
        {
            // SAFETY: SIG_IGN runs no code of ours in the handler, so no
            // async-signal-safety is at stake; signal() touches no memory.
            let was = [libc::SIGINT, libc::SIGQUIT]
                .map(|sig| (sig, unsafe { libc::signal(sig, libc::SIG_IGN) }));
            IgnoreInterrupts { was }
        }
        #[cfg(not(unix))]
        IgnoreInterrupts {}
    }
}

impl Drop for IgnoreInterrupts {
    fn drop(&mut self) {
        #[cfg(unix)]
        for (sig, handler) in self.was {
            // Nothing was changed then, and SIG_ERR is no disposition.
            if handler == libc::SIG_ERR {
                continue;
            }
            // SAFETY: puts back the disposition signal() returned above,
            // one that was installed before, so no new code can run.
            unsafe {
                libc::signal(sig, handler);
            }
        }
    }
}

fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

fn read_back(path: &Path) -> std::io::Result<JsonText> {
    let mut text = String::new();
    let read = fs::File::open(path)?
        .take(MAX_FILE + 1)
        .read_to_string(&mut text)?;
    if read as u64 > MAX_FILE {
        text.zeroize();
        return Err(std::io::Error::other(format!(
            "it is larger than {} KiB",
            MAX_FILE / 1024
        )));
    }
    Ok(JsonText(text))
}

/// A directory only this user can enter, made anew (never one that was
/// there already) and removed with everything in it when dropped.
struct PrivateDir {
    path: PathBuf,
}

impl PrivateDir {
    fn create() -> std::io::Result<PrivateDir> {
        let path = std::env::temp_dir().join(format!("voicedock-edit-{}", uuid::Uuid::new_v4()));
        let mut builder = fs::DirBuilder::new();
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            builder.mode(0o700);
        }
        builder.create(&path)?;
        Ok(PrivateDir { path })
    }
}

impl Drop for PrivateDir {
    /// The user may have typed a secret: each file is overwritten before it
    /// is removed, so its text does not linger in free blocks of a tmpfs.
    fn drop(&mut self) {
        if let Ok(entries) = fs::read_dir(&self.path) {
            for entry in entries.flatten() {
                let is_file = entry.file_type().is_ok_and(|t| t.is_file());
                if is_file {
                    overwrite(&entry.path());
                }
            }
        }
        // Nothing more can be done about a directory that will not go.
        let _ = fs::remove_dir_all(&self.path);
    }
}

fn overwrite(path: &Path) {
    let Ok(len) = fs::metadata(path).map(|m| m.len()) else {
        return;
    };
    if let Ok(mut file) = OpenOptions::new().write(true).open(path) {
        let zeros = vec![0u8; usize::try_from(len).unwrap_or(0).min(MAX_FILE as usize * 4)];
        let _ = file.write_all(&zeros).and_then(|()| file.sync_all());
    }
}

/// Runs `editor` with the terminal handed over: out of the alternate
/// screen and raw mode while it runs, back (everything to be redrawn) once
/// it exits. The key reader is released first, so no key typed into the
/// editor is read by the console.
pub(super) async fn hand_over(
    screen: &mut impl super::screen::Screen,
    input: &mut impl super::screen::Input,
    editor: String,
    name: String,
    text: JsonText,
) -> std::io::Result<Edited> {
    input.release();
    if let Err(e) = screen.leave() {
        screen.reenter()?;
        return Ok(Edited::NotRun(format!(
            "cannot hand the terminal over: {e}"
        )));
    }
    let edited = tokio::task::spawn_blocking(move || edit(&editor, &name, &text))
        .await
        .unwrap_or_else(|e| Edited::NotRun(format!("the editor's wait failed: {e}")));
    screen.reenter()?;
    Ok(edited)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visual_then_editor_then_vi() {
        assert_eq!(
            choose_editor(Some("code --wait"), Some("nano")),
            "code --wait"
        );
        assert_eq!(choose_editor(Some(" "), Some("nano")), "nano");
        assert_eq!(choose_editor(None, Some("")), "vi");
        assert_eq!(choose_editor(None, None), "vi");
    }

    #[test]
    fn text_is_shown_by_length_only() {
        let text = JsonText(r#"{"webhook_secret": "whsec_0123456789abcdef"}"#.into());
        assert!(!format!("{text:?}").contains("whsec"));
    }
}
