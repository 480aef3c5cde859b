//! `assistants pull ID -o FILE`: the assistant as a file that `apply -f`
//! takes back, so it can be kept and reviewed as code.

use std::path::{Path, PathBuf};

use reqwest::Method;

use super::super::assistants::{path_of, printed};
use super::super::{Failure, Outcome, print, print_json, say};
use super::file::ENVELOPE;
use crate::client::ApiClient;

/// Bare, as `apply` reads it best: `id` and `revision` (or `updated_at`)
/// stay, so applying it updates this assistant and notices a change made
/// on the server since.
pub(in super::super) async fn pull(
    client: &ApiClient,
    id: &str,
    out: &Path,
    reveal: bool,
) -> Outcome {
    let body = printed(client.raw(Method::GET, &path_of(id)?, None).await?, reveal);
    let assistant = match body.get(ENVELOPE) {
        Some(one) => one.clone(),
        None => body,
    };
    if !assistant.is_object() {
        return Err(Failure::failed(format!(
            "the server answered something other than an assistant for {id}"
        )));
    }
    if out == Path::new("-") {
        return print_json(&assistant);
    }
    let text = crate::domain::safe_json::to_string_pretty(&assistant)
        .map_err(|e| Failure::failed(format!("cannot encode the assistant: {e}")))?;
    let path = beside_cwd(out);
    let replaced = std::fs::symlink_metadata(&path).is_ok();
    // 0600: with --reveal the file holds the secrets; without, it still
    // names webhook URLs and prompts that are nobody else's business.
    crate::config::write_atomic(&path, format!("{text}\n").as_bytes(), 0o600)?;
    if replaced {
        say(&format!("replaced the existing '{}'", out.display()));
    }
    let how = if reveal {
        "secrets in full"
    } else {
        "secrets redacted: applied back, they keep the server's"
    };
    print(&format!(
        "assistant {id} written to '{}' ({how})\n",
        out.display()
    ))
}

/// A bare file name has an empty parent, which is no directory to write in.
fn beside_cwd(path: &Path) -> PathBuf {
    match path.parent() {
        Some(parent) if parent.as_os_str().is_empty() => Path::new(".").join(path),
        _ => path.to_owned(),
    }
}
