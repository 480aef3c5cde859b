//! The CLI on the local profile: every command runs against the console's own
//! workspace (the data dir and the "local" account), also while another
//! process serves the same data dir.

use testkit::cli_support;
use testkit::serve_support::Serve;

use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};

use cli_support::{OPENAI_KEY, json_of, ok, run, text};
use secrecy::SecretString;
use serde_json::Value;
use tempfile::TempDir;
use voicedock::client::ApiClient;
use voicedock::config::{Credentials, LOCAL};

/// A home with nothing in it yet: the binary makes its config and data dirs.
struct Home {
    dir: TempDir,
}

impl Home {
    fn new() -> Home {
        Home {
            dir: TempDir::new().unwrap(),
        }
    }

    fn config(&self) -> PathBuf {
        self.dir.path().join("config")
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_voicedock"));
        cmd.args(args)
            .env("VOICEDOCK_CONFIG_DIR", self.config())
            .env("VOICEDOCK_DATA_DIR", self.data())
            .env_remove("VOICEDOCK_BASE_URL")
            .env_remove("VOICEDOCK_API_KEY")
            .env_remove("VOICEDOCK_MASTER_KEY");
        cmd
    }

    fn run(&self, args: &[&str], stdin: &str) -> Output {
        run(self.command(args), stdin)
    }

    fn local_key(&self) -> SecretString {
        let credentials = Credentials::load(&self.config().join("credentials.toml")).unwrap();
        credentials
            .get(LOCAL)
            .expect("the local key is saved")
            .clone()
    }

    fn accounts(&self) -> i64 {
        let db = rusqlite::Connection::open(self.data().join(voicedock::server::DB_FILE)).unwrap();
        db.query_row("SELECT COUNT(*) FROM accounts", [], |r| r.get(0))
            .unwrap()
    }
}

fn configured(byok: &Value, provider: &str) -> bool {
    byok["byok_keys"][format!("{provider}_secret_id")].is_string()
}

#[test]
fn local_profile_commands_share_one_workspace_and_account() {
    let home = Home::new();
    let set = home.run(
        &["--profile", "local", "byok", "set", "openai"],
        &format!("{OPENAI_KEY}\n"),
    );
    assert!(!text(&set).contains(OPENAI_KEY));
    let set = ok(set);
    assert!(set.contains("sk-…WXYZ"), "{set}");

    // No profile configured at all means the same local workspace.
    let listed = json_of(home.run(&["byok", "ls", "--json"], ""));
    assert!(configured(&listed, "openai"), "{listed}");
    let draft = serde_json::json!({"name": "Front desk"});
    ok(home.run(
        &["--profile", "local", "assistants", "apply", "-f", "-"],
        &draft.to_string(),
    ));
    let assistants = ok(home.run(&["assistants", "ls"], ""));
    assert!(assistants.contains("Front desk"), "{assistants}");
    let table = ok(home.run(&["profile", "ls"], ""));
    let local = table.lines().find(|l| l.contains(" local ")).unwrap();
    assert!(local.starts_with('*'), "local is the default: {table}");

    assert_eq!(
        home.accounts(),
        1,
        "every run reused the first one's account"
    );
    let saved = std::fs::read_to_string(home.config().join("credentials.toml")).unwrap();
    assert!(saved.contains("[local]"), "the key is kept under local");
}

#[test]
fn runs_that_start_at_once_agree_on_one_account() {
    let home = Home::new();
    let children: Vec<Child> = (0..8)
        .map(|_| {
            home.command(&["byok", "ls", "--json"])
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let output = child.wait_with_output().unwrap();
        assert!(output.status.success(), "{}", text(&output));
    }
    assert_eq!(home.accounts(), 1);
}

#[test]
fn the_local_profile_reads_and_writes_while_serve_runs_on_the_data_dir() {
    let home = Home::new();
    // The first run makes the data dir, the master key and the local account.
    ok(home.run(&["byok", "ls"], ""));
    let config = [(
        "VOICEDOCK_CONFIG_DIR".to_owned(),
        home.config().display().to_string(),
    )];
    let mut server = Serve::on(&home.data(), &[], &config, None);
    let base_url = server.base_url.clone();

    ok(home.run(
        &["--profile", "local", "byok", "set", "openai"],
        &format!("{OPENAI_KEY}\n"),
    ));
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let client = ApiClient::new(&base_url, home.local_key()).unwrap();
    let seen = runtime.block_on(client.byok()).unwrap();
    assert!(
        seen.byok_keys.is_configured("openai"),
        "serve sees the CLI's write"
    );

    let deepgram = SecretString::from("0123456789abcdef0123456789abcdef01234567".to_owned());
    runtime
        .block_on(client.set_key("deepgram", &deepgram))
        .unwrap();
    let listed = json_of(home.run(&["--profile", "local", "byok", "ls", "--json"], ""));
    assert!(
        configured(&listed, "deepgram"),
        "the CLI sees serve's write"
    );
    assert!(configured(&listed, "openai"));

    server.terminate();
}
