//! The activity log of real calls: the real worker against a real server
//! and an unanswered provider, recording route templates, statuses and the
//! request ids the server gave (and logged), into a private file without
//! ids, keys or bodies; the console binary doing the same under
//! `VOICEDOCK_STATE_DIR`; and a file that cannot be written.

use testkit::common;
use testkit::pty_support;
use testkit::upstream_support;

use std::sync::Arc;

use secrecy::SecretString;
use tokio::sync::mpsc;
use voicedock::checks::Upstreams;
use voicedock::client::ApiClient;
use voicedock::console::activity::{Entry, Recording, Report};
use voicedock::console::msg::{Call, Cmd, Msg};
use voicedock::console::worker::{self, CheckSetup};
use voicedock::domain::{Catalog, CheckNeeds};

/// The server's own log line for the request it named `id`.
fn server_line(logs: &str, id: &str) -> String {
    logs.lines()
        .find(|l| l.contains(&format!("id={id}")) && l.contains("handled"))
        .unwrap_or_else(|| panic!("the server logged no request {id}:\n{logs}"))
        .to_owned()
}

#[test]
fn the_real_worker_records_real_calls_with_templates_statuses_and_request_ids() {
    let logs = common::logs::everywhere();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    // Nobody listens for the provider, on loopback: checks get no answer.
    let nowhere = || Upstreams::default().with_base("openai", "http://127.0.0.1:1");
    let server = rt.block_on(common::TestServer::start_with(|c| {
        c.upstreams = Some(nowhere());
    }));
    let created = rt.block_on(server.post("/api/v1/assistants", common::seed_assistant()));
    assert_eq!(created.status, 201, "{}", created.text);
    let assistant = &created.body["assistant"];
    let id = assistant["id"].as_str().unwrap_or_else(|| {
        created.body["id"]
            .as_str()
            .expect("the created assistant has an id")
    });
    let id = id.to_owned();
    let missing = "0b7f3a52-6f0e-4b8e-9a51-3c2d1e0f9a8b";
    let provider_key = common::provider_key("openai");
    let state = common::private_tempdir();
    let log_file = state.path().join("state").join("activity.log");

    let client =
        ApiClient::new(&server.base_url, SecretString::from(server.api_key.clone())).unwrap();
    let setup = CheckSetup {
        upstreams: nowhere(),
        ..Default::default()
    };
    let (replies_tx, mut replies) = mpsc::unbounded_channel();
    let entries = rt.block_on(async {
        let cmds = worker::spawn(
            client,
            Arc::new(Catalog::builtin()),
            setup,
            Recording::to_file("staging", log_file.clone()),
            replies_tx,
        );
        // The key is stored before the server is asked to check it.
        let first = vec![Call::SetKey {
            provider: "openai".into(),
            key: SecretString::from(provider_key.clone()),
        }];
        let then = vec![
            Call::Health,
            Call::GetAssistant { id: id.clone() },
            Call::GetAssistant {
                id: missing.to_owned(),
            },
            Call::CheckStored {
                provider: "openai".into(),
            },
            Call::CheckKey {
                provider: "openai".into(),
                key: SecretString::from(provider_key.clone()),
                needs: CheckNeeds::default(),
                held: false,
            },
        ];
        let mut entries: Vec<Entry> = Vec::new();
        let mut next_id = 0;
        for calls in [first, then] {
            let asked = calls.len();
            for call in calls {
                cmds.send(Cmd::Api { id: next_id, call }).unwrap();
                next_id += 1;
            }
            let mut answered = 0;
            while answered < asked {
                match replies.recv().await.expect("the worker went away") {
                    Msg::Api { .. } => answered += 1,
                    Msg::Activity(Report::Entries(batch)) => entries.extend(batch),
                    Msg::Activity(Report::FileFailed(why)) => panic!("{why}"),
                    _ => {}
                }
            }
        }
        // Once the worker stops, the recorder finishes its writes and
        // lets go of the channel: everything is in the file then.
        drop(cmds);
        while let Some(msg) = replies.recv().await {
            match msg {
                Msg::Activity(Report::Entries(batch)) => entries.extend(batch),
                Msg::Activity(Report::FileFailed(why)) => panic!("{why}"),
                _ => {}
            }
        }
        entries
    });
    let server_logs = logs.text();

    let find = |method: &str, route: &str, status: Option<u16>| {
        entries
            .iter()
            .find(|e| e.method == method && e.route == route && e.status == status)
            .unwrap_or_else(|| panic!("no {method} {route} {status:?} in {entries:#?}"))
    };
    find("GET", "/api/v1/health", Some(200));
    find("GET", "/api/v1/assistants/{id}", Some(200));
    let not_found = find("GET", "/api/v1/assistants/{id}", Some(404));
    assert!(
        not_found
            .error
            .as_deref()
            .is_some_and(|e| e.contains("No such assistant")),
        "{not_found:?}"
    );
    find("POST", "/api/v1/byok", Some(200));
    find("POST", "/api/v1/byok/{provider}/check", Some(200));
    let upstream = entries
        .iter()
        .find(|e| e.upstream.as_deref() == Some("openai"))
        .unwrap_or_else(|| panic!("the check's call is missing from {entries:#?}"));
    assert_eq!(upstream.status, None);
    assert!(upstream.route.starts_with("/v1/"), "{upstream:?}");
    assert!(upstream.error.as_deref().is_some_and(|e| !e.is_empty()));

    for e in entries.iter().filter(|e| e.upstream.is_none()) {
        assert_eq!(e.profile, "staging");
        let rid = e
            .request_id
            .as_deref()
            .unwrap_or_else(|| panic!("no request id in {e:?}"));
        // The id the server gave the request in its x-request-id header is
        // the one its own log names it by, with the same route and status.
        let line = server_line(&server_logs, rid);
        assert!(line.contains(&format!("route={}", e.route)), "{line}");
        assert!(
            line.contains(&format!("status={}", e.status.unwrap())),
            "{line}"
        );
    }

    let text = std::fs::read_to_string(&log_file).unwrap();
    assert_eq!(text.lines().count(), entries.len(), "{text}");
    for line in text.lines() {
        let value: serde_json::Value = serde_json::from_str(line).unwrap();
        assert!(value["route"].is_string(), "{line}");
        assert!(value["time"].is_string(), "{line}");
    }
    for secret_or_value in [
        id.as_str(),
        missing,
        provider_key.as_str(),
        &server.api_key,
        "My Assistant",
        &server.base_url,
    ] {
        assert!(
            !text.contains(secret_or_value),
            "{secret_or_value} is in the log file:\n{text}"
        );
    }
    for e in &entries {
        if let Some(rid) = &e.request_id {
            assert!(text.contains(rid.as_str()), "{rid} is not in the file");
        }
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&log_file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        let dir = std::fs::metadata(log_file.parent().unwrap()).unwrap();
        assert_eq!(dir.permissions().mode() & 0o777, 0o700);
    }
    drop(server);
}

#[test]
fn paths_names_the_state_dir_and_the_log_file() {
    let dir = common::private_tempdir();
    let paths = |vars: &[(&str, &std::path::Path)]| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_voicedock"));
        cmd.args(["paths", "--json"])
            .env("VOICEDOCK_CONFIG_DIR", dir.path().join("config"))
            .env("VOICEDOCK_DATA_DIR", dir.path().join("data"))
            .env("VOICEDOCK_CACHE_DIR", dir.path().join("cache"))
            .env_remove("VOICEDOCK_STATE_DIR")
            .env_remove("VOICEDOCK_BASE_URL")
            .env_remove("VOICEDOCK_API_KEY");
        for (name, value) in vars {
            cmd.env(name, value);
        }
        let out = cmd.output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let state = dir.path().join("state");
    let listed = paths(&[("VOICEDOCK_STATE_DIR", &state)]);
    assert_eq!(listed["state_dir"], state.display().to_string());
    assert_eq!(
        listed["activity_log"],
        state.join("activity.log").display().to_string()
    );
    if cfg!(target_os = "linux") {
        let xdg = dir.path().join("xdg-state");
        let listed = paths(&[("XDG_STATE_HOME", &xdg)]);
        assert_eq!(
            listed["state_dir"],
            xdg.join("voicedock").display().to_string()
        );
    }
}

#[test]
fn the_console_shows_its_calls_and_writes_them_to_the_state_dir() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let server = rt.block_on(common::TestServer::start());
    let home = common::private_tempdir();
    let remote = [
        ("VOICEDOCK_BASE_URL", server.base_url.as_str()),
        ("VOICEDOCK_API_KEY", server.api_key.as_str()),
    ];
    let mut console = pty_support::Pty::spawn(pty_support::voicedock(home.path(), &remote));
    console.wait_for("platform default keys");
    console.send("L");
    console.wait_for("Activity log");
    console.wait_for("/api/v1/assistants");
    let file = home.path().join("state").join("activity.log");
    let read = || std::fs::read_to_string(&file).unwrap_or_default();
    pty_support::wait_until(
        "the first loads in the log file",
        || read().contains("/api/v1/byok/config") || read().contains("/api/v1/catalog"),
        || format!("the file holds:\n{}", read()),
    );
    console.send("\x1b");
    console.send("q");
    assert_eq!(console.exit_code(), 0);
    let text = read();
    assert!(
        text.lines().all(|l| l.contains(r#""profile":"env""#)),
        "{text}"
    );
    assert!(!text.contains(&server.api_key), "{text}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

#[test]
fn a_log_file_that_cannot_be_written_is_reported_once_and_calls_go_on() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let server = rt.block_on(common::TestServer::start());
    let dir = common::private_tempdir();
    // A file where the state dir should be: nothing can be created in it.
    let blocker = dir.path().join("state");
    std::fs::write(&blocker, "").unwrap();
    let client =
        ApiClient::new(&server.base_url, SecretString::from(server.api_key.clone())).unwrap();
    let (replies_tx, mut replies) = mpsc::unbounded_channel();
    let (entries, failures) = rt.block_on(async {
        let cmds = worker::spawn(
            client,
            Arc::new(Catalog::builtin()),
            CheckSetup::default(),
            Recording::to_file("local", blocker.join("activity.log")),
            replies_tx,
        );
        let (mut entries, mut failures) = (0, Vec::new());
        let mut take = |msg: Msg, answered: &mut bool| match msg {
            Msg::Activity(Report::Entries(batch)) => entries += batch.len(),
            Msg::Activity(Report::FileFailed(why)) => failures.push(why),
            Msg::Api { .. } => *answered = true,
            _ => {}
        };
        // One call at a time, so the file is tried more than once.
        for id in 0..3 {
            cmds.send(Cmd::Api {
                id,
                call: Call::Health,
            })
            .unwrap();
            let mut answered = false;
            while !answered {
                take(replies.recv().await.unwrap(), &mut answered);
            }
        }
        drop(cmds);
        while let Some(msg) = replies.recv().await {
            take(msg, &mut false);
        }
        (entries, failures)
    });
    assert_eq!(entries, 3);
    assert_eq!(failures.len(), 1, "{failures:?}");
    assert!(failures[0].contains("cannot create"), "{failures:?}");
    drop(server);
}

/// A provider that echoes the key in every field and form, checked by the
/// real worker from this machine and through the server: the answers the
/// console gets, the activity log and the voice cache hold no form of it.
#[test]
fn a_provider_echoing_the_key_leaves_no_form_of_it_in_the_log_the_cache_or_the_screen_data() {
    use upstream_support::{Behaviour, HostileStandIn, Hostility, holds_a_form_of, key};
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let hostile = HostileStandIn::start(Hostility::Echo);
    let server = rt.block_on(common::TestServer::start_with(|c| {
        c.upstreams = Some(hostile.upstreams());
    }));
    let state = common::private_tempdir();
    let log_file = state.path().join("state").join("activity.log");
    let cache_dir = state.path().join("cache");
    let client =
        ApiClient::new(&server.base_url, SecretString::from(server.api_key.clone())).unwrap();
    let setup = CheckSetup {
        upstreams: hostile.upstreams(),
        voice_cache: Some((cache_dir.clone(), "staging".to_owned())),
        ..Default::default()
    };
    let secrets: Vec<String> = ["elevenlabs", "openai"]
        .map(|p| key(p, Behaviour::Valid))
        .to_vec();
    let (replies_tx, mut replies) = mpsc::unbounded_channel();
    let answers = rt.block_on(async {
        let cmds = worker::spawn(
            client,
            Arc::new(Catalog::builtin()),
            setup,
            Recording::to_file("staging", log_file.clone()),
            replies_tx,
        );
        let mut batches: Vec<Vec<Call>> = vec![Vec::new(), Vec::new()];
        for (provider, secret) in ["elevenlabs", "openai"].iter().zip(&secrets) {
            batches[0].push(Call::SetKey {
                provider: (*provider).into(),
                key: SecretString::from(secret.clone()),
            });
            batches[1].push(Call::CheckStored {
                provider: (*provider).into(),
            });
            batches[1].push(Call::CheckKey {
                provider: (*provider).into(),
                key: SecretString::from(secret.clone()),
                needs: CheckNeeds::default(),
                held: false,
            });
        }
        let mut answers = String::new();
        let mut next_id = 0;
        for calls in batches {
            let asked = calls.len();
            for call in calls {
                cmds.send(Cmd::Api { id: next_id, call }).unwrap();
                next_id += 1;
            }
            let mut answered = 0;
            while answered < asked {
                if let Msg::Api { reply, .. } = replies.recv().await.expect("the worker went away")
                {
                    answers.push_str(&format!("{reply:?}\n"));
                    answered += 1;
                }
            }
        }
        drop(cmds);
        while replies.recv().await.is_some() {}
        answers
    });
    assert!(answers.matches("echoed your key").count() >= 4, "{answers}");
    assert!(answers.contains("Rachel"), "{answers}");
    let log = std::fs::read_to_string(&log_file).unwrap();
    assert!(log.contains("/v2/voices"), "{log}");
    let cache =
        std::fs::read_to_string(cache_dir.join("voices").join("staging--elevenlabs.json")).unwrap();
    assert!(cache.contains("Rachel"), "{cache}");
    for secret in &secrets {
        for (what, text) in [("answers", &answers), ("log", &log), ("cache", &cache)] {
            assert!(!holds_a_form_of(text, secret), "{what}: {text}");
        }
    }
}
