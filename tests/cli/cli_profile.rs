//! `profile`, `accounts create` and `paths` through the real binary: keys
//! live in a private file, and every file is listed.

use testkit::cli_support;

use std::path::Path;

use cli_support::*;
use secrecy::ExposeSecret;

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[cfg(unix)]
#[test]
fn profiles_keep_keys_in_a_private_file() {
    use std::os::unix::fs::PermissionsExt;

    let h = harness();
    let key = format!("{}\n", h.account_key.expose_secret());
    let added = ok(h.local(
        &[
            "profile",
            "add",
            "dev",
            "--base-url",
            &format!("{}/api/v1/", h.base_url),
        ],
        &key,
    ));
    assert!(added.contains("key works"), "{added}");
    ok(h.local(&["profile", "use", "dev"], ""));
    assert_eq!(mode(&h.credentials()), 0o600);
    let config = std::fs::read_to_string(h.config.path().join("config.toml")).unwrap();
    assert!(
        config.contains(&format!("base_url = \"{}\"", h.base_url)),
        "{config}"
    );
    assert!(!config.contains(h.account_key.expose_secret()));

    // The stored key works without any environment.
    ok(h.local(&["byok", "ls"], ""));

    ok(h.local(
        &[
            "profile",
            "add",
            "prod",
            "--base-url",
            // A closed loopback port: the key cannot be checked, so it is saved with a warning.
            "http://127.0.0.1:9",
        ],
        "fl_live_0123456789\n",
    ));
    let refused = h.local(
        &["profile", "add", "wrong", "--base-url", &h.base_url],
        "vd_live_not-a-real-key\n",
    );
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        text(&refused).contains("refused this API key"),
        "{}",
        text(&refused)
    );
    let creds = std::fs::read_to_string(h.credentials()).unwrap();
    assert!(!creds.contains("wrong"), "a refused key is not saved");
    let ls = ok(h.local(&["profile", "ls"], ""));
    let dev = ls.lines().find(|l| l.contains(" dev ")).unwrap();
    assert!(dev.starts_with('*'), "{ls}");
    ok(h.local(&["profile", "use", "prod"], ""));
    let listed = json_of(h.local(&["profile", "ls", "--json"], ""));
    assert_eq!(listed["default_profile"], "prod");
    assert_eq!(listed["profiles"]["dev"]["base_url"], h.base_url.as_str());

    ok(h.local(&["profile", "rm", "prod"], ""));
    let creds = std::fs::read_to_string(h.credentials()).unwrap();
    assert!(
        creds.contains("[dev]\n") && !creds.contains("prod"),
        "{creds}"
    );
    assert_eq!(mode(&h.credentials()), 0o600);
    let listed = json_of(h.local(&["profile", "ls", "--json"], ""));
    assert_eq!(listed["default_profile"], "local");
    ok(h.local(&["--profile", "dev", "byok", "ls"], ""));

    let local = h.local(
        &[
            "profile",
            "add",
            "local",
            "--base-url",
            "http://127.0.0.1:9",
        ],
        "k\n",
    );
    assert_eq!(local.status.code(), Some(1));
    assert!(text(&local).contains("reserved"), "{}", text(&local));

    std::fs::set_permissions(h.credentials(), std::fs::Permissions::from_mode(0o644)).unwrap();
    let refused = h.local(&["--profile", "dev", "byok", "ls"], "");
    assert_eq!(refused.status.code(), Some(1));
    let shown = h.credentials().display().to_string();
    assert!(
        text(&refused).contains(&format!(
            "permissions 0644 for '{shown}' are too open; run chmod 600 '{shown}'"
        )),
        "{}",
        text(&refused)
    );
}

#[test]
fn accounts_create_prints_only_a_working_key() {
    let h = harness();
    let data = h.data.path().display().to_string();
    let out = ok(h.local(
        &[
            "accounts",
            "create",
            "--name",
            "Second",
            "--data-dir",
            &data,
        ],
        "",
    ));
    assert_eq!(out.lines().count(), 1, "{out}");
    let mut cmd = h.command(&["byok", "ls", "--json"]);
    cmd.env("VOICEDOCK_BASE_URL", &h.base_url)
        .env("VOICEDOCK_API_KEY", out.trim());
    let state = json_of(run(cmd, ""));
    assert!(state["byok_keys"].is_object());
}

#[test]
fn paths_lists_every_file() {
    let h = harness();
    let paths = json_of(h.local(&["paths", "--json"], ""));
    let config = h.config.path();
    assert_eq!(
        paths["config"],
        config.join("config.toml").display().to_string()
    );
    assert_eq!(
        paths["credentials"],
        config.join("credentials.toml").display().to_string()
    );
    assert_eq!(paths["data_dir"], h.data.path().display().to_string());
    assert!(
        paths["database"]
            .as_str()
            .unwrap()
            .starts_with(&*h.data.path().to_string_lossy())
    );
    assert!(
        paths["master_key"]
            .as_str()
            .unwrap()
            .ends_with("master.key")
    );
    let human = ok(h.local(&["paths"], ""));
    assert!(
        human.lines().any(|l| l.starts_with("credentials ")),
        "{human}"
    );
}

/// Whether `h`'s server holds an OpenAI key, asked with its own client.
fn has_openai_key(h: &Harness) -> bool {
    let state = h.block_on(h.client().byok()).unwrap();
    state.keys.iter().any(|k| k.provider == "openai")
}

fn store_openai_key(h: &Harness) {
    let key = secrecy::SecretString::from(OPENAI_KEY);
    h.block_on(h.client().set_key("openai", &key)).unwrap();
}

/// `profile add NAME` for `h`'s server, in `config`'s directory.
fn add_profile(config: &Harness, name: &str, h: &Harness) {
    ok(config.local(
        &["profile", "add", name, "--base-url", &h.base_url],
        &format!("{}\n", h.account_key.expose_secret()),
    ));
}

#[test]
fn an_explicit_profile_wins_over_the_environment() {
    let prod = harness();
    let elsewhere = harness();
    add_profile(&prod, "prod", &prod);
    store_openai_key(&prod);
    store_openai_key(&elsewhere);

    let mut cmd = prod.command(&["--profile", "prod", "byok", "rm", "openai"]);
    cmd.env("VOICEDOCK_BASE_URL", &elsewhere.base_url)
        .env("VOICEDOCK_API_KEY", elsewhere.account_key.expose_secret());
    let out = run(cmd, "");
    let said = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{}", text(&out));
    assert!(!has_openai_key(&prod), "the profile's server lost the key");
    assert!(
        has_openai_key(&elsewhere),
        "the environment's server kept it"
    );
    assert!(
        said.contains(
            "using profile prod (--profile); VOICEDOCK_BASE_URL and VOICEDOCK_API_KEY are set \
             and not used"
        ),
        "{said}"
    );

    // Half of the pair beside --profile: the profile, and a word about the half.
    let mut cmd = prod.command(&["--profile", "prod", "byok", "ls"]);
    cmd.env("VOICEDOCK_BASE_URL", &elsewhere.base_url);
    let out = run(cmd, "");
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("VOICEDOCK_BASE_URL is set and not used"),
        "{}",
        text(&out)
    );
    // Without --profile the half is refused, and how to go on is said.
    let mut cmd = prod.command(&["byok", "ls"]);
    cmd.env("VOICEDOCK_API_KEY", elsewhere.account_key.expose_secret());
    let out = run(cmd, "");
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("--profile NAME"), "{}", text(&out));
}

#[test]
fn an_unknown_profile_is_a_usage_error_that_lists_the_known_ones() {
    let h = harness();
    add_profile(&h, "dev", &h);
    let mut runs = vec![
        h.command(&["--profile", "nonexistent", "byok", "ls"]),
        h.command(&["--profile", "nonexistent", "assistants", "ls", "--json"]),
    ];
    // The console too, before anything is drawn; the environment does not
    // stand in for the profile asked for.
    let mut console = h.command(&["--profile", "nonexistent"]);
    console
        .env("TERM", "xterm-256color")
        .env("VOICEDOCK_BASE_URL", &h.base_url)
        .env("VOICEDOCK_API_KEY", h.account_key.expose_secret());
    runs.push(console);
    for cmd in runs {
        let what = format!("{:?}", cmd.get_args().collect::<Vec<_>>());
        let out = run(cmd, "");
        assert_eq!(out.status.code(), Some(2), "{what}: {}", text(&out));
        let said = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(
            said.contains("no profile named \"nonexistent\"")
                && said.contains("the profiles are: local, dev"),
            "{what}: {said}"
        );
        assert!(
            out.stdout.is_empty(),
            "{what}: nothing drawn: {:?}",
            out.stdout
        );
    }
}

#[test]
fn the_environment_is_named_once_on_stderr_and_never_its_key() {
    let h = harness();
    for args in [
        &["byok", "ls"][..],
        &["byok", "ls", "--json"],
        &["assistants", "ls"],
        &["models", "openai"],
    ] {
        let out = h.api(args, "");
        assert!(out.status.success(), "{args:?}: {}", text(&out));
        let said = String::from_utf8(out.stderr).unwrap();
        let notice = format!("using VOICEDOCK_BASE_URL={}  (environment)", h.base_url);
        assert_eq!(said.matches(&notice).count(), 1, "{args:?}: {said:?}");
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert!(
            !stdout.contains("VOICEDOCK_BASE_URL"),
            "stdout is the data: {stdout}"
        );
        let key = h.account_key.expose_secret();
        for piece in [key, &key[key.len() - 8..]] {
            assert!(!said.contains(piece), "{args:?}: {said:?}");
        }
    }
    // With the profiles in use there is nothing to say.
    add_profile(&h, "dev", &h);
    ok(h.local(&["profile", "use", "dev"], ""));
    let out = h.local(&["byok", "ls"], "");
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(String::from_utf8(out.stderr).unwrap(), "");
}

#[test]
fn adding_a_profile_never_changes_the_default() {
    let h = harness();
    let key = format!("{}\n", h.account_key.expose_secret());
    let added = ok(h.local(&["profile", "add", "dev", "--base-url", &h.base_url], &key));
    assert!(!added.contains("now the default"), "{added}");
    assert!(added.contains("profile use dev"), "{added}");
    let config = std::fs::read_to_string(h.config.path().join("config.toml")).unwrap();
    assert!(!config.contains("default_profile"), "{config}");

    let listed = json_of(h.local(&["profile", "ls", "--json"], ""));
    assert_eq!(listed["default_profile"], "local", "{listed}");
    assert_eq!(listed["profiles"]["local"]["builtin"], true, "{listed}");
    assert_eq!(listed["profiles"]["local"]["default"], true, "{listed}");
    assert_eq!(listed["profiles"]["dev"]["default"], false, "{listed}");
    let ls = ok(h.local(&["profile", "ls"], ""));
    let local = ls.lines().find(|l| l.contains(" local ")).unwrap();
    assert!(local.starts_with('*'), "{ls}");

    // `profile use` moves it; a later add leaves it where it is.
    ok(h.local(&["profile", "use", "dev"], ""));
    ok(h.local(&["profile", "add", "prod", "--base-url", &h.base_url], &key));
    let listed = json_of(h.local(&["profile", "ls", "--json"], ""));
    assert_eq!(listed["default_profile"], "dev", "{listed}");
    assert_eq!(listed["profiles"]["dev"]["default"], true, "{listed}");
    assert_eq!(listed["profiles"]["prod"]["default"], false, "{listed}");
    assert_eq!(listed["profiles"]["local"]["default"], false, "{listed}");
    assert!(listed["profiles"]["local"].get("base_url").is_none());

    let wrong = h.local(&["profile", "use", "nosuch"], "");
    assert_eq!(wrong.status.code(), Some(1), "{}", text(&wrong));
    let listed = json_of(h.local(&["profile", "ls", "--json"], ""));
    assert_eq!(
        listed["default_profile"], "dev",
        "a failed use loses nothing"
    );
}

#[test]
fn profile_add_use_and_rm_answer_json_with_json() {
    let h = harness();
    let key = format!("{}\n", h.account_key.expose_secret());
    let added = json_of(h.local(
        &["profile", "add", "dev", "--base-url", &h.base_url, "--json"],
        &key,
    ));
    assert_eq!(added["profile"], "dev", "{added}");
    assert_eq!(added["default"], false, "{added}");
    let used = json_of(h.local(&["profile", "use", "dev", "--json"], ""));
    assert_eq!(used["default_profile"], "dev", "{used}");
    let removed = json_of(h.local(&["profile", "rm", "dev", "--json"], ""));
    assert_eq!(removed["removed"], "dev", "{removed}");
    assert_eq!(removed["default_profile"], "local", "{removed}");
}
