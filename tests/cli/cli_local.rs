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

/// An assistant with every field of the hosted platform's SDK 2.2, pulled
/// from the hosted service and applied to the local profile, comes back from
/// the local server with each of them as it was.
#[test]
fn a_hosted_assistant_with_every_2_2_field_pulls_and_applies_to_the_local_profile() {
    use testkit::hosted_support::{self, fields_2_2};
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (base, state) = runtime.block_on(hosted_support::start());
    let hosted = fields_2_2::hosted_assistant_2_2("asst_22");
    state.lock().unwrap().assistants.push(hosted.clone());
    let home = Home::new();
    let work = TempDir::new().unwrap();
    let file = work.path().join("desk.json");
    let mut pull = home.command(&[
        "assistants",
        "pull",
        "asst_22",
        "-o",
        file.to_str().unwrap(),
    ]);
    pull.env("VOICEDOCK_BASE_URL", &base)
        .env("VOICEDOCK_API_KEY", hosted_support::HOSTED_KEY);
    ok(run(pull, ""));

    // The MCP server the tool names is another service's: the operator adds
    // one here and names it instead.
    let added = home.run(
        &[
            "--profile",
            "local",
            "mcp",
            "add",
            "Orders",
            "--url",
            "https://mcp.example.com/mcp",
            "--json",
        ],
        "",
    );
    let local_mcp = json_of(added)["mcp_server"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let renamed = std::fs::read_to_string(&file)
        .unwrap()
        .replace(fields_2_2::MCP_SERVER_ID, &local_mcp);
    let hosted: Value = serde_json::from_str(
        &hosted
            .to_string()
            .replace(fields_2_2::MCP_SERVER_ID, &local_mcp),
    )
    .unwrap();
    // Another service's id names nothing here: without it, apply creates.
    let mut pulled: Value = serde_json::from_str(&renamed).unwrap();
    pulled.as_object_mut().unwrap().remove("id");
    // The local server holds the 2.2 ranges as the hosted one does.
    let mut too_slow = pulled.clone();
    too_slow["speech_config"]["turn_taking"]["endpointing_min_delay"] = 9.into();
    std::fs::write(&file, too_slow.to_string()).unwrap();
    let refused = home.run(
        &[
            "--profile",
            "local",
            "assistants",
            "apply",
            "-f",
            file.to_str().unwrap(),
        ],
        "",
    );
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused));
    assert!(
        text(&refused).contains("speech_config.turn_taking.endpointing_min_delay"),
        "{}",
        text(&refused)
    );
    std::fs::write(&file, pulled.to_string()).unwrap();
    let out = home.run(
        &[
            "--profile",
            "local",
            "assistants",
            "apply",
            "-f",
            file.to_str().unwrap(),
            "--json",
        ],
        "",
    );
    let said = text(&out);
    assert!(!said.contains("warning"), "{said}");
    let id = json_of(out)["assistant"]["id"].as_str().unwrap().to_owned();

    let back = json_of(home.run(
        &["--profile", "local", "assistants", "pull", &id, "-o", "-"],
        "",
    ));
    for (field, value) in hosted.as_object().unwrap() {
        if !["id", "created_at", "updated_at"].contains(&field.as_str()) {
            assert_eq!(&back[field], value, "{field}");
        }
    }
}
