//! Writing a file so a crash never leaves half of it (through a symlink to
//! where it points), reading a private file only when nobody else can read
//! it (as ssh does with its keys), and a settings file only when nobody else
//! can write it: whoever can would choose the server a key is sent to.

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use zeroize::Zeroizing;

/// Writes `contents` to a new file beside `path` with `mode`, then renames it
/// over `path`: readers see the old file or the new one, never a mix. When
/// `path` is a symlink, the file it points to is replaced and the link
/// stays (a credentials file kept elsewhere stays kept there).
pub(crate) fn write_atomic(path: &Path, contents: &[u8], mode: u32) -> anyhow::Result<()> {
    let target = link_target(path)?;
    let path = target.as_deref().unwrap_or(path);
    let dir = path
        .parent()
        .with_context(|| format!("'{}' has no parent directory", path.display()))?;
    create_private_dir(dir)?;
    let name = path
        .file_name()
        .with_context(|| format!("'{}' has no file name", path.display()))?;
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    let result = write_new(&tmp, contents, mode).and_then(|()| {
        fs::rename(&tmp, path).with_context(|| format!("cannot replace '{}'", path.display()))?;
        sync_dir(dir);
        Ok(())
    });
    if result.is_err() {
        // Best effort: a leftover temp file is harmless, the error is the news.
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Where a symlink at `path` ends, followed to the end; `None` when `path`
/// is not a symlink. A link to nothing yet names the file to create.
fn link_target(path: &Path) -> anyhow::Result<Option<PathBuf>> {
    let is_link = fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if !is_link {
        return Ok(None);
    }
    if let Ok(target) = fs::canonicalize(path) {
        return Ok(Some(target));
    }
    let pointed = fs::read_link(path)
        .with_context(|| format!("cannot follow the symlink '{}'", path.display()))?;
    let dir = path.parent().unwrap_or(Path::new("."));
    Ok(Some(dir.join(pointed)))
}

fn write_new(tmp: &Path, contents: &[u8], mode: u32) -> anyhow::Result<()> {
    // A stale temp file from a crashed run of this same pid is replaced.
    let _ = fs::remove_file(tmp);
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    set_mode(&mut options, mode);
    let mut file = options
        .open(tmp)
        .with_context(|| format!("cannot create '{}'", tmp.display()))?;
    file.write_all(contents)
        .and_then(|()| file.sync_all())
        .with_context(|| format!("cannot write '{}'", tmp.display()))
}

#[cfg(unix)]
fn set_mode(options: &mut OpenOptions, mode: u32) {
    use std::os::unix::fs::OpenOptionsExt;
    options.mode(mode);
}

#[cfg(not(unix))]
fn set_mode(_: &mut OpenOptions, _: u32) {}

/// Makes the rename durable; a filesystem that cannot sync a directory still
/// has the file, so a failure here is not an error.
fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Creates `dir` (and parents) readable by the owner only, when missing.
pub(crate) fn create_private_dir(dir: &Path) -> anyhow::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder
        .create(dir)
        .with_context(|| format!("cannot create '{}'", dir.display()))
}

/// `path` opened and passed by `check`, or `None` when it does not exist.
fn open_checked(
    path: &Path,
    check: fn(&Path, &fs::Metadata) -> anyhow::Result<()>,
) -> anyhow::Result<Option<File>> {
    let file = match File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e).with_context(|| format!("cannot open '{}'", path.display())),
    };
    // The mode of the open file, not of the path: no window to swap it.
    let meta = file
        .metadata()
        .with_context(|| format!("cannot read '{}'", path.display()))?;
    check(path, &meta)?;
    Ok(Some(file))
}

/// The contents of a file that holds secrets, or `None` when it does not
/// exist. Refused when group or others may read it.
pub(crate) fn read_private(path: &Path) -> anyhow::Result<Option<Zeroizing<String>>> {
    let Some(mut file) = open_checked(path, check_private)? else {
        return Ok(None);
    };
    let mut contents = Zeroizing::new(String::new());
    file.read_to_string(&mut contents)
        .with_context(|| format!("cannot read '{}'", path.display()))?;
    Ok(Some(contents))
}

#[cfg(unix)]
fn check_private(path: &Path, meta: &fs::Metadata) -> anyhow::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        bail!(
            "permissions {mode:04o} for '{p}' are too open; run chmod 600 '{p}'",
            p = path.display()
        );
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_private(_: &Path, _: &fs::Metadata) -> anyhow::Result<()> {
    Ok(())
}

/// The contents of a settings file, or `None` when it does not exist.
/// Others may read it (it holds no secret) but not write it.
pub(crate) fn read_not_shared(path: &Path) -> anyhow::Result<Option<String>> {
    let Some(mut file) = open_checked(path, check_not_writable_by_others)? else {
        return Ok(None);
    };
    let mut contents = String::new();
    file.read_to_string(&mut contents)
        .with_context(|| format!("cannot read '{}'", path.display()))?;
    Ok(Some(contents))
}

#[cfg(unix)]
fn check_not_writable_by_others(path: &Path, meta: &fs::Metadata) -> anyhow::Result<()> {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let why = "and with it the server your account key is sent to";
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o022 != 0 {
        bail!(
            "permissions {mode:04o} for '{p}' let others change it, {why}; run chmod go-w '{p}'",
            p = path.display()
        );
    }
    // SAFETY: geteuid has no preconditions and cannot fail.
    let me = unsafe { libc::geteuid() };
    if meta.uid() != me && meta.uid() != 0 {
        bail!(
            "'{p}' belongs to another user (uid {}), who can change it, {why}; \
             make it yours with chown or remove it",
            meta.uid(),
            p = path.display()
        );
    }
    // Whoever may write the directory may put another file in its place:
    // the link's directory and, for a symlink, the target's. A sticky
    // directory (/tmp) lets no one but the owner rename or remove it.
    let target = fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
    for file in [path, target.as_path()] {
        let dir = file.parent().unwrap_or(Path::new("."));
        let dir_mode = fs::metadata(dir)
            .with_context(|| format!("cannot read '{}'", dir.display()))?
            .permissions()
            .mode();
        if dir_mode & 0o022 != 0 && dir_mode & 0o1000 == 0 {
            bail!(
                "permissions {:04o} for '{d}' let others replace '{p}', {why}; \
                 run chmod go-w '{d}'",
                dir_mode & 0o777,
                d = dir.display(),
                p = file.display()
            );
        }
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_not_writable_by_others(_: &Path, _: &fs::Metadata) -> anyhow::Result<()> {
    Ok(())
}

/// Why `text` (the contents of `path`) is not valid TOML, by line and
/// column. toml's own `Display` quotes the offending line, which may hold a
/// secret or escape sequences; `explain` says what was wrong (`None` to say
/// nothing of the contents at all, for a file of secrets).
pub(crate) fn toml_error(
    path: &Path,
    text: &str,
    err: &toml::de::Error,
    explain: Option<&str>,
) -> anyhow::Error {
    let place = err.span().map(|span| {
        let before = &text.as_bytes()[..span.start.min(text.len())];
        let line = 1 + before.iter().filter(|b| **b == b'\n').count();
        let line_start = before
            .iter()
            .rposition(|b| *b == b'\n')
            .map_or(0, |i| i + 1);
        let column = 1 + String::from_utf8_lossy(&before[line_start..])
            .chars()
            .count();
        format!(" (line {line}, column {column})")
    });
    let place = place.unwrap_or_default();
    let why = explain.map_or_else(
        || without_quoted(err.message().trim()),
        |hint| hint.to_owned(),
    );
    anyhow::anyhow!("'{}' is not valid{place}: {why}", path.display())
}

/// serde's messages quote what they found (`invalid type: string "…"`,
/// ``unknown field `…` ``), and what was found may be a pasted key: what
/// was found is left out, what was expected (our own names) stays.
fn without_quoted(message: &str) -> String {
    let (found, expected) = message
        .find(", expected")
        .map_or((message, ""), |at| message.split_at(at));
    let mut out = quotes_left_out(found);
    out.push_str(expected);
    out
}

fn quotes_left_out(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut closing = None;
    for c in message.chars() {
        match closing {
            Some(end) if c == end => {
                out.push('…');
                closing = None;
            }
            Some(_) => {}
            None if c == '`' || c == '"' => closing = Some(c),
            None => out.push(c),
        }
    }
    out
}
