//! `VOICEDOCK_MASTER_KEY_FILE`: the master key outside the data dir, made
//! there (0600) on the first start, used by the server, `vault verify` and
//! `vault rotate-master`, refused when others can read it; without it the
//! data dir holds only ciphertext, and a start there is refused, not given
//! a new key.

use testkit::cli_support;
use testkit::common;
use testkit::vault_support;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::provider_key;
use tempfile::TempDir;
use vault_support::output;
use voicedock::server::{MASTER_KEY_FILE, MASTER_KEY_FILE_ENV};

struct Home {
    dir: TempDir,
}

impl Home {
    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn key_file(&self) -> PathBuf {
        self.dir.path().join("keys").join("voicedock.key")
    }

    /// The binary on this home; with the key file when `with_key_file`.
    fn command(&self, args: &[&str], with_key_file: bool) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_voicedock"));
        cmd.args(args)
            .env("VOICEDOCK_CONFIG_DIR", self.dir.path().join("config"))
            .env("VOICEDOCK_DATA_DIR", self.data())
            .env("VOICEDOCK_CACHE_DIR", self.dir.path().join("cache"))
            .env_remove("VOICEDOCK_BASE_URL")
            .env_remove("VOICEDOCK_API_KEY")
            .env_remove("VOICEDOCK_MASTER_KEY")
            .env_remove(MASTER_KEY_FILE_ENV);
        if with_key_file {
            cmd.env(MASTER_KEY_FILE_ENV, self.key_file());
        }
        cmd
    }
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[cfg(unix)]
#[test]
fn the_master_key_can_live_outside_the_data_dir() {
    use std::os::unix::fs::PermissionsExt;
    let home = Home {
        dir: TempDir::new().unwrap(),
    };
    let keys = home.key_file().parent().unwrap().to_owned();
    std::fs::create_dir(&keys).unwrap();
    std::fs::set_permissions(&keys, std::fs::Permissions::from_mode(0o700)).unwrap();

    let set = home.command(&["--profile", "local", "byok", "set", "openai"], true);
    let out = cli_support::run(set, &format!("{}\n", provider_key("openai")));
    assert!(out.status.success(), "{}", cli_support::text(&out));
    assert_eq!(mode(&home.key_file()), 0o600);
    assert!(
        !home.data().join(MASTER_KEY_FILE).exists(),
        "no key in the data dir"
    );

    let verify = |with_key_file| {
        let data = home.data();
        output(&mut home.command(
            &["vault", "verify", "--data-dir", data.to_str().unwrap()],
            with_key_file,
        ))
    };
    let (code, stdout, stderr) = verify(true);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.starts_with("1 checked (1 provider keys"), "{stdout}");

    // Without the key file the data dir is only ciphertext: nothing opens,
    // and the server refuses rather than making a new key.
    let (code, _, stderr) = verify(false);
    assert_eq!(code, 1);
    assert!(stderr.contains("missing master key"), "{stderr}");
    let (code, _, stderr) = output(&mut home.command(&["--profile", "local", "byok", "ls"], false));
    assert_ne!(code, 0);
    assert!(stderr.contains("missing master key"), "{stderr}");
    assert!(!home.data().join(MASTER_KEY_FILE).exists());

    let (_, stdout, _) = output(&mut home.command(&["--json", "paths"], true));
    let paths: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(paths["master_key"], home.key_file().display().to_string());

    // A rotation replaces the key in that file, 0600 still.
    let before = std::fs::read(home.key_file()).unwrap();
    let data = home.data();
    let (code, stdout, stderr) = output(&mut home.command(
        &[
            "vault",
            "rotate-master",
            "--data-dir",
            data.to_str().unwrap(),
        ],
        true,
    ));
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_ne!(std::fs::read(home.key_file()).unwrap(), before);
    assert_eq!(mode(&home.key_file()), 0o600);
    let (code, stdout, stderr) = verify(true);
    assert_eq!(code, 0, "{stdout}{stderr}");

    // Readable by others, it is refused like master.key.
    std::fs::set_permissions(home.key_file(), std::fs::Permissions::from_mode(0o644)).unwrap();
    let (code, _, stderr) = verify(true);
    assert_eq!(code, 1);
    assert!(stderr.contains("chmod 600"), "{stderr}");
}
