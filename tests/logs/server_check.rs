//! `POST /api/v1/byok/{provider}/check` against the providers' stand-ins:
//! the stored key of every provider checked by the server for every result
//! kind, the documented errors, `byok test --stored` through the binary,
//! and no piece of a key in any answer or in the server's log.

use testkit::check_support;
use testkit::cli_support;
use testkit::common;
use testkit::hosted_support;
use testkit::upstream_support;

use std::collections::HashSet;

use check_support::{KINDS, assistants, expected, in_parallel};
use common::TestServer;
use futures_util::future::join_all;
use reqwest::Method;
use serde_json::json;
use upstream_support::{
    Behaviour, PROVIDERS, StandIns, assert_no_leak, documented_header, key, secret_of,
};
use voicedock::config::VoiceCache;
use voicedock::domain::{KeyCheck, Verdict};

/// Every log line of every server in this test binary, at every level.
fn logs() -> &'static common::logs::Captured {
    common::logs::everywhere()
}

/// No 12 characters of any key of the stand-ins are in the log so far.
/// Twelve, not eight: the log is full of request ids (UUIDs), and among the
/// thousands of 8-character pieces of the hex keys (Deepgram's, ElevenLabs')
/// one turns up in a long log by chance in a few runs out of a hundred.
fn assert_the_log_holds_no_key() {
    const PIECE: usize = 12;
    let mut pieces: HashSet<Vec<u8>> = HashSet::new();
    for provider in PROVIDERS {
        for b in Behaviour::ALL {
            let secret = secret_of(provider, &key(provider, b));
            pieces.extend(secret.as_bytes().windows(PIECE).map(<[u8]>::to_vec));
        }
    }
    let log = logs().bytes();
    if let Some(at) = log.windows(PIECE).position(|w| pieces.contains(w)) {
        panic!("the log holds a piece of a key at byte {at}");
    }
}

async fn server_on(standins: &StandIns) -> TestServer {
    TestServer::start_with(|c| c.upstreams = Some(standins.upstreams())).await
}

fn check_path(provider: &str) -> String {
    format!("/api/v1/byok/{provider}/check")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_stored_key_gets_its_verdict_from_the_server() {
    logs();
    let standins = StandIns::start();
    let server = server_on(&standins).await;
    let mut accounts = Vec::new();
    for b in KINDS {
        let account = server.new_account(&format!("{b:?} Ltd"));
        for body in assistants() {
            let r = server
                .call_as(&account, Method::POST, "/api/v1/assistants", Some(body))
                .await;
            assert_eq!(r.status, 201, "{}", r.text);
        }
        for provider in PROVIDERS {
            let body = json!({"provider": provider, "api_key": key(provider, b)});
            let r = server
                .call_as(&account, Method::POST, "/api/v1/byok", Some(body))
                .await;
            assert_eq!(r.status, 200, "{provider}: {}", r.text);
        }
        accounts.push((b, account));
    }
    let server = &server;
    let answers = join_all(accounts.iter().flat_map(|(b, account)| {
        PROVIDERS.map(|provider| async move {
            let path = check_path(provider);
            let r = server.call_as(account, Method::POST, &path, None).await;
            (provider, *b, r)
        })
    }))
    .await;
    for (provider, b, r) in answers {
        let what = format!("{provider} {b:?}");
        assert_eq!(r.status, 200, "{what}: {}", r.text);
        assert_no_leak(&what, &r.text, &secret_of(provider, &key(provider, b)));
        let check: KeyCheck = serde_json::from_value(r.body).unwrap();
        assert_eq!(
            (
                check.provider.as_str(),
                check.result,
                check.checked_by.as_str()
            ),
            (provider, expected(provider, b), "server"),
            "{what}: {}",
            check.reason
        );
    }
    // The key the server opened is the one stored: each reached its
    // stand-in in the documented header (a service account's key signs a
    // token request instead).
    let seen = standins.seen();
    for provider in PROVIDERS.into_iter().filter(|p| *p != "google_vertex") {
        for b in KINDS {
            let (name, value) = documented_header(provider, &key(provider, b));
            let arrived = seen.iter().any(|s| {
                s.provider == provider && s.headers.iter().any(|(n, v)| n == name && *v == value)
            });
            assert!(arrived, "{provider} {b:?}: the stored key never arrived");
        }
    }
    let log = logs().text();
    assert!(log.contains("checked a stored key"), "nothing was logged");
    assert_the_log_holds_no_key();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_are_answered_as_documented() {
    logs();
    let standins = StandIns::start();
    let server = server_on(&standins).await;
    let r = server.call(Method::POST, &check_path("openai"), None).await;
    assert_eq!(
        r.error(),
        (404, "not_found".into(), Some("provider".into())),
        "{}",
        r.text
    );
    for provider in ["nope", "open%2Fai", "OpenAI"] {
        let r = server.call(Method::POST, &check_path(provider), None).await;
        assert_eq!(
            r.error(),
            (400, "unsupported_provider".into(), Some("provider".into())),
            "{provider}: {}",
            r.text
        );
    }
    let path = check_path("openai");
    for bearer in [None, Some("vd_live_notakeyofanyaccount")] {
        let r = server.raw(Method::POST, &path, bearer, None, &[]).await;
        assert_eq!(r.error().0, 401, "{}", r.text);
    }
    let body = json!({"provider": "openai", "api_key": key("openai", Behaviour::Valid)});
    assert_eq!(server.post("/api/v1/byok", body).await.status, 200);
    let key_of = Some(server.api_key.as_str());
    let json_type = [("Content-Type", "application/json")];
    for (body, headers) in [
        ("", &[][..]),
        ("", &json_type[..]),
        ("{}", &json_type[..]),
        (" \n", &json_type[..]),
    ] {
        let bytes = Some(body.as_bytes().to_vec());
        let r = server
            .raw(Method::POST, &path, key_of, bytes, headers)
            .await;
        assert_eq!(
            (r.status, r.body["result"].as_str()),
            (200, Some("valid")),
            "{body:?}: {}",
            r.text
        );
    }
    for (body, code, param) in [
        (r#"{"probe": true}"#, "unknown_field", Some("probe")),
        ("[]", "invalid_request", None),
        ("{", "invalid_request", None),
    ] {
        let bytes = Some(body.as_bytes().to_vec());
        let r = server
            .raw(Method::POST, &path, key_of, bytes, &json_type)
            .await;
        assert_eq!(
            r.error(),
            (400, code.into(), param.map(String::from)),
            "{body}"
        );
    }
    assert_eq!(server.get(&path).await.status, 405);
    // Another account's key is not this account's.
    let other = server.new_account("Other Ltd");
    let r = server.call_as(&other, Method::POST, &path, None).await;
    assert_eq!(r.error().0, 404, "{}", r.text);
    assert_the_log_holds_no_key();
}

#[test]
fn byok_test_stored_asks_the_server_and_caches_what_it_listed() {
    logs();
    let standins = StandIns::start();
    let h = cli_support::harness_with(|c| {
        c.upstreams = Some(standins.upstreams());
        c.rate_limit_per_minute = 100_000;
    });
    let set = in_parallel(PROVIDERS.to_vec(), |provider| {
        let stdin = format!("{}\n", key(provider, Behaviour::Valid));
        h.api(&["byok", "set", provider], &stdin)
    });
    for out in set {
        cli_support::ok(out);
    }
    let cases: Vec<(&str, bool)> = PROVIDERS
        .iter()
        .flat_map(|p| [(*p, false), (*p, true)])
        .collect();
    let outputs = in_parallel(cases.clone(), |(provider, json)| {
        let mut args = vec!["byok", "test", provider, "--stored"];
        args.extend(json.then_some("--json"));
        h.api(&args, "")
    });
    for ((provider, json), out) in cases.into_iter().zip(outputs) {
        let all = cli_support::text(&out);
        assert_no_leak(
            provider,
            &all,
            &secret_of(provider, &key(provider, Behaviour::Valid)),
        );
        let stdout = cli_support::ok(out);
        if json {
            let check: KeyCheck = serde_json::from_str(&stdout).unwrap();
            assert_eq!(
                (check.result, check.checked_by.as_str()),
                (Verdict::Valid, "server")
            );
        } else {
            assert!(
                stdout.starts_with(&format!("{provider}: valid — ")),
                "{stdout}"
            );
            assert!(stdout.contains("checked by the server at"), "{stdout}");
        }
    }
    let cache = VoiceCache::load(&h.cache_dir(), "env", "elevenlabs", &Default::default()).unwrap();
    assert_eq!(
        (cache.checked_by.as_str(), cache.voices.len()),
        ("server", 120)
    );

    let stdin = format!("{}\n", key("openai", Behaviour::Invalid));
    cli_support::ok(h.api(&["byok", "set", "openai"], &stdin));
    let out = h.api(&["byok", "test", "openai", "--stored"], "");
    assert_eq!(out.status.code(), Some(1), "{}", cli_support::text(&out));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("openai: invalid — "));
    cli_support::ok(h.api(&["byok", "rm", "openai"], ""));
    let out = h.api(&["byok", "test", "openai", "--stored"], "");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        cli_support::text(&out).contains("no key is stored for openai"),
        "{}",
        cli_support::text(&out)
    );
    assert_the_log_holds_no_key();
}

#[test]
fn a_server_without_the_route_is_named_as_such() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (base, state) = runtime.block_on(hosted_support::start());
    let h = cli_support::harness();
    let stored = || {
        let mut cmd = h.command(&["byok", "test", "openai", "--stored"]);
        cmd.env("VOICEDOCK_BASE_URL", &base)
            .env("VOICEDOCK_API_KEY", hosted_support::HOSTED_KEY);
        cli_support::run(cmd, "")
    };
    let out = stored();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        cli_support::text(&out).contains("no key is stored for openai"),
        "{}",
        cli_support::text(&out)
    );
    state
        .lock()
        .unwrap()
        .keys
        .insert("openai".into(), json!("vault-id-1"));
    let out = stored();
    assert_eq!(out.status.code(), Some(1));
    let said = cli_support::text(&out);
    assert!(
        said.contains("this server cannot check stored keys"),
        "{said}"
    );
    assert!(said.contains("without --stored"), "{said}");
}

/// A provider that echoes the key in every field, in every form: the
/// server's answer, `byok test` typed and `--stored` (text and JSON), the
/// voice cache and the server's log hold no form of it, and each says the
/// provider echoed it while keeping what was clean.
#[test]
fn a_provider_that_echoes_the_key_gets_no_form_of_it_repeated() {
    use upstream_support::{HOSTILE, HostileStandIn, Hostility, holds_a_form_of};
    logs();
    let hostile = HostileStandIn::start(Hostility::Echo);
    let h = cli_support::harness_with(|c| {
        c.upstreams = Some(hostile.upstreams());
        c.rate_limit_per_minute = 100_000;
    });
    for provider in HOSTILE {
        let stdin = format!("{}\n", key(provider, Behaviour::Valid));
        cli_support::ok(h.api(&["byok", "set", provider], &stdin));
    }
    for provider in HOSTILE {
        let secret = key(provider, Behaviour::Valid);
        let route = h.block_on(h.client().check_stored_key(provider)).unwrap();
        let answered = serde_json::to_string(&route).unwrap();
        assert!(
            !holds_a_form_of(&answered, &secret),
            "{provider}: {answered}"
        );
        assert!(route.reason.contains("echoed your key"), "{}", route.reason);
        match provider {
            "openai" => assert_eq!(
                route.found.models.as_deref(),
                Some(&["gpt-5.4".to_owned()][..])
            ),
            _ => {
                let voices = route.found.voices.clone().unwrap();
                assert!(voices.iter().any(|v| v.name == "Rachel"), "{voices:?}");
                assert!(voices.iter().any(|v| v.voice_id == "echo0"), "{voices:?}");
            }
        }
        for args in [
            vec!["byok", "test", provider, "--stored"],
            vec!["byok", "test", provider, "--stored", "--json"],
            vec!["byok", "test", provider],
            vec!["byok", "test", provider, "--json"],
        ] {
            let typed = !args.contains(&"--stored");
            let out = h.api_with(
                &args,
                &if typed {
                    format!("{secret}\n")
                } else {
                    String::new()
                },
                hostile.env(),
            );
            let all = cli_support::text(&out);
            assert!(!holds_a_form_of(&all, &secret), "{args:?}: {all}");
            assert!(all.contains("echoed your key"), "{args:?}: {all}");
        }
    }
    let cache =
        std::fs::read_to_string(h.cache_dir().join("voices").join("env--elevenlabs.json")).unwrap();
    assert!(cache.contains("Rachel"), "{cache}");
    assert!(
        !holds_a_form_of(&cache, &key("elevenlabs", Behaviour::Valid)),
        "{cache}"
    );
    for provider in HOSTILE {
        assert!(!holds_a_form_of(
            &logs().text(),
            &key(provider, Behaviour::Valid)
        ));
    }
}

/// A voice library whose 4 MiB pages never end: the server's check and the
/// CLI's stop at the check's byte budget long before its time limit, say
/// they stopped, keep memory bounded and write a bounded cache.
#[test]
fn an_endless_voice_library_is_read_in_part_within_bounds() {
    use upstream_support::{HostileStandIn, Hostility, PAGE_BYTES};
    use voicedock::domain::text::{MAX_ANSWER_BYTES, MAX_LISTED};
    let hostile = HostileStandIn::start(Hostility::Endless);
    let h = cli_support::harness_with(|c| c.upstreams = Some(hostile.upstreams()));
    let secret = key("elevenlabs", Behaviour::Valid);
    cli_support::ok(h.api(&["byok", "set", "elevenlabs"], &format!("{secret}\n")));
    let route = h
        .block_on(h.client().check_stored_key("elevenlabs"))
        .unwrap();
    let voices = route.found.voices.as_ref().map_or(0, Vec::len);
    assert!((1..=MAX_LISTED).contains(&voices), "{voices} voices");
    assert!(
        route
            .found
            .facts
            .iter()
            .any(|f| f.contains("stopped early") && f.contains("4 MiB")),
        "{:?}",
        route.found.facts
    );
    for stored in [true, false] {
        let mut args = vec!["byok", "test", "elevenlabs", "--json"];
        args.extend(stored.then_some("--stored"));
        let stdin = if stored {
            String::new()
        } else {
            format!("{secret}\n")
        };
        let out = h.api_with(&args, &stdin, hostile.env());
        let check: KeyCheck = serde_json::from_slice(&out.stdout).unwrap();
        assert!(check.found.voices.is_some_and(|v| v.len() <= MAX_LISTED));
        assert!(
            check.found.facts.iter().any(|f| f.contains("4 MiB")),
            "{:?}",
            check.found.facts
        );
        let cache = h.cache_dir().join("voices").join("env--elevenlabs.json");
        let size = std::fs::metadata(&cache).unwrap().len() as usize;
        assert!(size <= MAX_ANSWER_BYTES, "a cache of {size} bytes");
    }
    // Every process this test ran read at least one whole page; none held
    // more than a few pages' worth at once.
    assert!(
        children_peak_rss() < 64 * PAGE_BYTES,
        "{} bytes",
        children_peak_rss()
    );
}

/// The largest resident size any finished child of this process reached.
fn children_peak_rss() -> usize {
    // SAFETY: `rusage` is plain integers, so all zeroes is a valid value;
    // getrusage writes only into the struct it is given, and cannot fail
    // for RUSAGE_CHILDREN and a valid pointer.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage);
        usage
    };
    usage.ru_maxrss as usize * 1024
}
