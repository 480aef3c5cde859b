//! `voicedock models` reads the catalog from wherever the server offers it,
//! and says where: ours serves it whole; the hosted service has no
//! `GET /byok/config` (405), so this build's copy stands in.

use testkit::cli_support;
use testkit::hosted_support;

use cli_support::*;

#[test]
fn models_come_from_our_servers_catalog() {
    let h = harness();
    let out = h.api(&["models", "openai", "-v"], "");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let table = ok(out);
    assert_eq!(
        stderr.lines().last(),
        Some("read the catalog from the server"),
        "{stderr}"
    );
    let gpt54 = table.lines().find(|l| l.contains("gpt-5.4 ")).unwrap();
    assert!(gpt54.contains("default"), "{table}");
    let gpt4o = table.lines().find(|l| l.contains("gpt-4o ")).unwrap();
    assert!(gpt4o.contains("legacy"), "{table}");
}

#[test]
fn models_against_the_hosted_service_fall_back_to_the_builtin_catalog() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (base, _state) = runtime.block_on(hosted_support::start());
    let h = harness();
    let mut cmd = h.command(&["models", "deepgram", "--verbose"]);
    cmd.env("VOICEDOCK_BASE_URL", &base)
        .env("VOICEDOCK_API_KEY", hosted_support::HOSTED_KEY);
    let out = run(cmd, "");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let table = ok(out);
    assert!(stderr.contains("built-in catalog"), "{stderr}");
    assert!(table.contains("nova-3-general"), "{table}");
}

#[test]
fn where_the_models_came_from_is_said_only_with_verbose() {
    let h = harness();
    let out = h.api(&["models", "openai"], "");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("catalog"), "{stderr}");
    assert!(ok(out).contains("gpt-5.4 "));
}

#[test]
fn models_takes_a_provider_by_id_or_name_in_any_case() {
    let h = harness();
    for given in ["OpenAI", "OPENAI", "openai"] {
        let table = ok(h.api(&["models", given], ""));
        assert!(table.contains("gpt-5.4 "), "{given}: {table}");
        assert!(
            table.lines().skip(1).all(|l| l.starts_with("openai ")),
            "{given}: {table}"
        );
    }
    let table = ok(h.api(&["models", "ElevenLabs"], ""));
    assert!(
        table.lines().nth(1).unwrap().starts_with("elevenlabs "),
        "{table}"
    );

    let unknown = h.api(&["models", "nosuch"], "");
    assert_eq!(unknown.status.code(), Some(1), "{}", text(&unknown));
    let said = text(&unknown);
    let listed = said.split("it lists: ").nth(1).unwrap().trim();
    let ids: Vec<&str> = listed.split(", ").collect();
    let mut once = ids.clone();
    once.sort_unstable();
    once.dedup();
    assert_eq!(ids.len(), once.len(), "{said}");
    assert!(ids.contains(&"openai"), "{said}");

    // A key that names no provider of models says where its models are.
    let vertex = h.api(&["models", "google_vertex"], "");
    assert_eq!(vertex.status.code(), Some(1), "{}", text(&vertex));
    let said = text(&vertex);
    assert!(
        said.contains("google_vertex is a key, not a provider of models")
            && said.contains("(voicedock models google)"),
        "{said}"
    );
}

#[test]
fn models_json_for_one_provider_has_the_shape_of_all() {
    let h = harness();
    let all = json_of(h.api(&["models", "--json"], ""));
    assert!(all["providers"].as_array().unwrap().len() > 1, "{all}");
    let one = json_of(h.api(&["models", "OpenAI", "--json"], ""));
    let entries = one["providers"].as_array().unwrap();
    assert!(!entries.is_empty(), "{one}");
    assert!(entries.iter().all(|p| p["id"] == "openai"), "{one}");
    assert!(entries[0]["models"].as_array().is_some(), "{one}");
    let unknown = h.api(&["models", "nosuch", "--json"], "");
    assert_eq!(unknown.status.code(), Some(1), "{}", text(&unknown));
    assert!(unknown.stdout.is_empty(), "{}", text(&unknown));
}

#[test]
fn every_provider_in_the_models_help_has_its_name() {
    let h = harness();
    let help = ok(h.local(&["models", "--help"], ""));
    let values: Vec<&str> = help
        .lines()
        .map(str::trim)
        .skip_while(|l| *l != "Possible values:")
        .skip(1)
        .take_while(|l| l.starts_with("- "))
        .collect();
    assert!(values.len() > 5, "{help}");
    for value in values {
        assert!(value.contains(": "), "{value:?} has no name:\n{help}");
    }
}
