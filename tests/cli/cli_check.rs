//! `voicedock byok test` through the real binary against the providers'
//! stand-ins: the key goes in through stdin or a file only, the verdict is
//! the first line and the exit code, ElevenLabs' voices are listed and
//! cached, and no piece of the key is in anything the command prints or keeps.

use testkit::check_support;
use testkit::cli_support;
use testkit::upstream_support;

use std::process::Output;

use check_support::{KINDS, assistants, expected, in_parallel};
use cli_support::{Harness, harness_with, run, text};
use upstream_support::{
    Behaviour, PROVIDERS, StandIns, key, leaked_piece, library, library_labels, refused_base,
    secret_of,
};
use voicedock::config::{VoiceCache, voice_cache_file};
use voicedock::domain::{AssistantDraft, KeyCheck, Verdict};

struct Setup {
    h: Harness,
    standins: StandIns,
}

/// Our server with [`assistants`] in its account, and the stand-ins.
fn setup() -> Setup {
    // A hundred commands within seconds: the limit is not what is tested.
    let h = harness_with(|c| c.rate_limit_per_minute = 100_000);
    let client = h.client();
    for body in assistants() {
        let draft: AssistantDraft = serde_json::from_value(body).unwrap();
        h.block_on(client.create_assistant(&draft)).unwrap();
    }
    Setup {
        h,
        standins: StandIns::start(),
    }
}

impl Setup {
    /// The binary on the harness's server, with the stand-ins as upstreams.
    fn voicedock(&self, args: &[&str], stdin: &str) -> Output {
        self.voicedock_at(&self.h.base_url, args, stdin)
    }

    fn voicedock_at(&self, base_url: &str, args: &[&str], stdin: &str) -> Output {
        let mut cmd = self.h.command(args);
        cmd.env("VOICEDOCK_BASE_URL", base_url)
            .env(
                "VOICEDOCK_API_KEY",
                secrecy::ExposeSecret::expose_secret(&self.h.account_key),
            )
            .envs(self.standins.env());
        run(cmd, stdin)
    }
}

fn assert_no_piece_of(out: &Output, provider: &str, key: &str, what: &str) {
    let all = text(out);
    if let Some(piece) = leaked_piece(&all, &secret_of(provider, key)) {
        panic!(
            "{what}: the output holds {} characters of the key",
            piece.len()
        );
    }
}

#[test]
fn every_provider_gets_its_verdict_and_exit_code_in_both_forms() {
    let s = setup();
    let mut cases = Vec::new();
    for b in KINDS {
        for provider in PROVIDERS {
            cases.push((provider, b, false));
            cases.push((provider, b, true));
        }
    }
    let outputs = in_parallel(cases.clone(), |(provider, b, json)| {
        let args = if json {
            vec!["byok", "test", provider, "--json"]
        } else {
            vec!["byok", "test", provider]
        };
        s.voicedock(&args, &format!("{}\n", key(provider, b)))
    });
    for ((provider, b, json), out) in cases.into_iter().zip(outputs) {
        let what = format!("{provider} {b:?}{}", if json { " --json" } else { "" });
        let verdict = expected(provider, b);
        assert_eq!(
            out.status.code(),
            Some(i32::from(verdict.exit_code())),
            "{what}: {}",
            text(&out)
        );
        assert_no_piece_of(&out, provider, &key(provider, b), &what);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("warning"), "{what}: {stderr}");
        let stdout = String::from_utf8(out.stdout).unwrap();
        if json {
            let check: KeyCheck = serde_json::from_str(&stdout).unwrap();
            assert_eq!(
                (
                    check.provider.as_str(),
                    check.result,
                    check.checked_by.as_str()
                ),
                (provider, verdict, "local"),
                "{what}: {}",
                check.reason
            );
        } else {
            let first = stdout.lines().next().unwrap_or_default();
            let lead = format!("{provider}: {} — ", verdict.label());
            assert!(first.starts_with(&lead), "{what}: {first}");
        }
    }
}

#[test]
fn elevenlabs_lists_the_whole_library_and_caches_it_without_the_key() {
    let s = setup();
    let key = key("elevenlabs", Behaviour::Valid);
    let out = s.voicedock(&["byok", "test", "elevenlabs"], &format!("{key}\n"));
    assert_no_piece_of(&out, "elevenlabs", &key, "elevenlabs");
    let stdout = cli_support::ok(out);
    let lines: Vec<&str> = stdout.lines().collect();
    let header = lines.iter().position(|l| l.starts_with("NAME")).unwrap();
    assert!(lines[header].contains("VOICE ID") && lines[header].contains("LABELS"));
    let rows = &lines[header + 1..];
    let library = library();
    assert_eq!(rows.len(), library.len(), "{stdout}");
    assert_eq!(library.len(), 120);
    for (i, ((id, name), row)) in library.iter().zip(rows).enumerate() {
        assert!(
            row.starts_with(name.as_str()) && row.contains(id.as_str()),
            "{row}"
        );
        let labels = match library_labels(i) {
            Some(l) => format!(
                "accent: {}, age: {}, gender: {}",
                l["accent"].as_str().unwrap(),
                l["age"].as_str().unwrap(),
                l["gender"].as_str().unwrap()
            ),
            None => "-".to_owned(),
        };
        assert!(row.ends_with(&labels), "{row} should end with {labels}");
    }

    let file = voice_cache_file(&s.h.cache_dir(), "env", "elevenlabs");
    let kept = std::fs::read_to_string(&file).unwrap();
    assert!(
        leaked_piece(&kept, &key).is_none(),
        "the cache holds the key"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let cache =
        VoiceCache::load(&s.h.cache_dir(), "env", "elevenlabs", &Default::default()).unwrap();
    assert_eq!(
        (cache.provider.as_str(), cache.checked_by.as_str()),
        ("elevenlabs", "local")
    );
    // The check's time, in UTC to the second as tables show times.
    let at = cache.fetched_at[..19].replace('T', " ");
    assert!(cache.fetched_at.ends_with('Z'), "{}", cache.fetched_at);
    assert!(stdout.contains(&format!("at {at} UTC\n")), "{stdout}");
    let ids: Vec<&str> = cache.voices.iter().map(|v| v.voice_id.as_str()).collect();
    let expected: Vec<&str> = library.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(ids, expected);
}

#[test]
fn a_key_on_the_command_line_is_refused_and_never_sent() {
    let s = setup();
    let key = key("openai", Behaviour::Valid);
    for args in [
        vec!["byok", "test", "openai", key.as_str()],
        vec!["byok", "test", "openai", "--api-key", key.as_str()],
        vec!["byok", "test", "openai", "--stored", key.as_str()],
    ] {
        let out = s.voicedock(&args, "");
        assert_eq!(out.status.code(), Some(2), "{}", text(&out));
        assert!(text(&out).contains("refusing a key"), "{}", text(&out));
        assert_no_piece_of(&out, "openai", &key, "refused");
    }
    let out = s.voicedock(&["byok", "test", "google_vertex", "sa.json"], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out).contains("byok test google_vertex --file PATH"),
        "{}",
        text(&out)
    );
    assert!(s.standins.seen().is_empty(), "{:?}", s.standins.seen());
}

#[test]
fn a_malformed_key_is_refused_before_anything_is_sent() {
    let s = setup();
    let out = s.voicedock(&["byok", "test", "openai"], "pk-0123456789abcdefghij\n");
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("nothing was sent"), "{}", text(&out));
    let out = s.voicedock(&["byok", "test", "nope"], "sk-0123456789abcdefghij\n");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out).contains("unsupported provider"),
        "{}",
        text(&out)
    );
    assert!(s.standins.seen().is_empty(), "{:?}", s.standins.seen());
}

#[test]
fn keys_come_from_a_file_too() {
    let s = setup();
    let dir = tempfile::tempdir().unwrap();
    for provider in ["deepgram", "google_vertex"] {
        let path = dir.path().join(format!("{provider}.key"));
        std::fs::write(&path, key(provider, Behaviour::Valid)).unwrap();
        let path = path.display().to_string();
        let out = s.voicedock(&["byok", "test", provider, "--file", &path], "");
        assert!(out.status.success(), "{provider}: {}", text(&out));
        assert!(String::from_utf8_lossy(&out.stdout).starts_with(&format!("{provider}: valid")));
    }
}

#[test]
fn a_check_goes_ahead_when_the_assistants_cannot_be_listed() {
    let s = setup();
    // The stand-in's Limited Mistral key lacks only what the assistants use.
    let key = key("mistral", Behaviour::Limited);
    let out = s.voicedock_at(
        &refused_base(),
        &["byok", "test", "mistral"],
        &format!("{key}\n"),
    );
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        stderr.contains("warning: the assistants could not be listed"),
        "{stderr}"
    );
    assert_eq!(
        out.status.code(),
        Some(i32::from(Verdict::Valid.exit_code())),
        "{}",
        text(&out)
    );
    let out = s.voicedock(&["byok", "test", "mistral"], &format!("{key}\n"));
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("mistral: limited — "));
}

/// An upstream URL with a login, a query or a fragment is refused by the
/// CLI's check, the console and `serve`, naming the variable and never
/// its password; no call is made.
#[test]
fn an_upstream_url_with_a_login_is_refused_naming_the_variable() {
    let s = setup();
    let base = s.standins.base("openai");
    let with_login = base.replace("http://", "http://operator:hunter2pass@");
    for (args, stdin) in [
        (
            vec!["byok", "test", "openai"],
            format!("{}\n", key("openai", Behaviour::Valid)),
        ),
        (vec!["byok", "test", "openai", "--json"], String::new()),
        (vec!["serve", "--listen", "127.0.0.1:0"], String::new()),
    ] {
        let mut cmd = s.h.command(&args);
        cmd.env("VOICEDOCK_BASE_URL", &s.h.base_url)
            .env(
                "VOICEDOCK_API_KEY",
                secrecy::ExposeSecret::expose_secret(&s.h.account_key),
            )
            .env("VOICEDOCK_UPSTREAM_OPENAI", &with_login);
        let out = if args[0] == "serve" {
            exits_on_its_own(cmd)
        } else {
            run(cmd, &stdin)
        };
        let said = text(&out);
        assert!(!out.status.success(), "{args:?}: {said}");
        assert!(
            said.contains("VOICEDOCK_UPSTREAM_OPENAI must be http(s)://host[:port][/path]"),
            "{args:?}: {said}"
        );
        assert!(said.contains("login"), "{said}");
        assert!(!said.contains("hunter2pass"), "{said}");
    }
    assert!(
        s.standins.seen().iter().all(|r| r.provider != "openai"),
        "a call was made"
    );
}

/// The output of a command that must stop by itself: one still running
/// after 30 s is stopped and reported.
fn exits_on_its_own(mut cmd: std::process::Command) -> Output {
    use std::process::Stdio;
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let until = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while child.try_wait().unwrap().is_none() {
        if std::time::Instant::now() > until {
            child.kill().unwrap();
            panic!("the command went on running");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}
