//! The local files through the real binary: a config others can write is
//! refused, a broken file is reported by place and never quoted, and a
//! symlinked credentials file stays a symlink.
#![cfg(unix)]

use testkit::cli_support;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use cli_support::*;
use secrecy::ExposeSecret;

fn set_mode(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn a_config_others_can_write_is_refused_and_one_they_can_read_is_not() {
    let h = harness();
    let config = h.config.path().join("config.toml");
    let profile = format!("[profiles.dev]\nbase_url = \"{}\"\n", h.base_url);
    std::fs::write(&config, profile).unwrap();
    for writable in [0o666, 0o620, 0o602] {
        set_mode(&config, writable);
        let out = h.local(&["profile", "ls"], "");
        assert_eq!(out.status.code(), Some(1), "{}", text(&out));
        let said = String::from_utf8(out.stderr).unwrap();
        assert!(said.contains(&config.display().to_string()), "{said}");
        assert!(said.contains(&format!("{writable:04o}")), "{said}");
        assert!(said.contains("chmod go-w"), "{said}");
    }
    set_mode(&config, 0o644);
    assert!(ok(h.local(&["profile", "ls"], "")).contains("dev"));

    // A directory others can write lets them put another file in its place.
    set_mode(h.config.path(), 0o777);
    let out = h.local(&["profile", "ls"], "");
    set_mode(h.config.path(), 0o700);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let said = String::from_utf8(out.stderr).unwrap();
    assert!(
        said.contains("0777") && said.contains("chmod go-w"),
        "{said}"
    );
    assert!(
        said.contains(&h.config.path().display().to_string()),
        "{said}"
    );
}

#[test]
fn a_broken_file_is_named_by_line_and_column_without_its_contents() {
    let h = harness();
    let config = h.config.path().join("config.toml");
    std::fs::write(
        &config,
        "[profiles.dev]\nbase_url = \"http://127.0.0.1:9\" \x1b]0;owned\x07 SENTINEL\n",
    )
    .unwrap();
    set_mode(&config, 0o644);
    let out = h.local(&["profile", "ls"], "");
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let said = String::from_utf8(out.stderr).unwrap();
    assert!(said.contains("line 2, column"), "{said}");
    assert!(
        !said.contains("SENTINEL") && !said.contains("owned"),
        "{said}"
    );
    assert!(!said.contains("127.0.0.1:9"), "{said}");

    // serde quotes a value of the wrong type or a field it does not know.
    for broken in [
        "refresh_seconds = \"SENTINEL-sk-proj-0123\"\n",
        "[profiles.dev]\nbase_url = \"http://127.0.0.1:9\"\nSENTINEL-sk-proj-0123 = 1\n",
    ] {
        std::fs::write(&config, broken).unwrap();
        set_mode(&config, 0o644);
        let out = h.local(&["profile", "ls"], "");
        assert_eq!(out.status.code(), Some(1), "{}", text(&out));
        let said = String::from_utf8(out.stderr).unwrap();
        assert!(said.contains("is not valid"), "{said}");
        assert!(!said.contains("SENTINEL"), "{said}");
    }

    let credentials = h.credentials();
    std::fs::write(&credentials, "[dev]\napi_key = \"vd_live_0123456789\" x\n").unwrap();
    set_mode(&credentials, 0o600);
    set_mode(&config, 0o644);
    std::fs::write(&config, "").unwrap();
    let out = h.local(&["profile", "ls"], "");
    let said = String::from_utf8(out.stderr).unwrap();
    assert!(said.contains("line 2, column"), "{said}");
    assert!(!said.contains("vd_live_0123456789"), "{said}");
}

#[test]
fn a_symlinked_credentials_file_is_written_through_and_stays_a_link() {
    let h = harness();
    let elsewhere = tempfile::TempDir::new().unwrap();
    set_mode(elsewhere.path(), 0o700);
    let target = elsewhere.path().join("voicedock-credentials.toml");
    std::fs::write(&target, "").unwrap();
    set_mode(&target, 0o600);
    let link = h.credentials();
    std::os::unix::fs::symlink(&target, &link).unwrap();

    let key = format!("{}\n", h.account_key.expose_secret());
    ok(h.local(&["profile", "add", "dev", "--base-url", &h.base_url], &key));
    ok(h.local(&["profile", "use", "dev"], ""));

    let meta = std::fs::symlink_metadata(&link).unwrap();
    assert!(meta.file_type().is_symlink(), "the link was replaced");
    assert_eq!(std::fs::read_link(&link).unwrap(), target);
    assert_eq!(mode(&target), 0o600);
    let stored = std::fs::read_to_string(&target).unwrap();
    assert!(stored.contains(h.account_key.expose_secret()), "{stored}");
    // And the key is read back through the link.
    ok(h.local(&["byok", "ls"], ""));
    let leftovers: Vec<_> = std::fs::read_dir(elsewhere.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers.len(), 1, "{leftovers:?}");
}
