//! What the server keeps on disk is for its own user only. Files it creates
//! are made private; existing ones that others can read are refused rather
//! than used, with the command that fixes them.

use std::path::Path;

use anyhow::{Context, bail};

/// Fails when `path` exists and its group or others have any access.
/// `what` names it in the message; `private_mode` is the mode to suggest.
pub fn ensure_private(path: &Path, what: &str, private_mode: u32) -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let metadata = match std::fs::metadata(path) {
            Ok(metadata) => metadata,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(e).with_context(|| format!("cannot inspect {}", path.display())),
        };
        let mode = metadata.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            bail!(
                "refusing to start: {what} {} has mode {mode:o}, so other users can read it; \
                 run `chmod {private_mode:o} {}` and start again",
                path.display(),
                path.display()
            );
        }
    }
    #[cfg(not(unix))]
    let _ = (path, what, private_mode);
    Ok(())
}
