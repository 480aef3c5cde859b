//! `orgs`: a child organization made from the command line is a profile at
//! once, and its key is in no output and nowhere but the credentials file.

use testkit::cli_support;

use cli_support::*;
use secrecy::ExposeSecret;

/// Every account key in the credentials file but `except`.
fn stored_keys(h: &Harness, except: &str) -> Vec<String> {
    let creds = std::fs::read_to_string(h.credentials()).unwrap();
    creds
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .filter(|w| w.starts_with("vd_live_") && *w != except)
        .map(str::to_owned)
        .collect()
}

fn add_agency_profile(h: &Harness) {
    let key = format!("{}\n", h.account_key.expose_secret());
    ok(h.local(
        &["profile", "add", "agency", "--base-url", &h.base_url],
        &key,
    ));
    ok(h.local(&["profile", "use", "agency"], ""));
}

#[test]
fn a_child_organization_becomes_a_profile_without_its_key_being_shown() {
    let h = harness();
    add_agency_profile(&h);
    ok(h.local(&["byok", "set", "openai"], &format!("{OPENAI_KEY}\n")));

    let created = h.local(&["orgs", "create", "Client Co", "--profile", "client"], "");
    let human = text(&created);
    assert!(created.status.success(), "{human}");
    assert!(
        human.contains("Client Co") && human.contains("client"),
        "{human}"
    );
    let created_json = h.local(
        &[
            "orgs",
            "create",
            "Second Client",
            "--profile",
            "second",
            "--json",
        ],
        "",
    );
    let json_text = text(&created_json);
    assert!(created_json.status.success(), "{json_text}");
    let body: serde_json::Value = serde_json::from_slice(&created_json.stdout).unwrap();
    assert_eq!(body["profile"], "second");
    assert_eq!(body["name"], "Second Client");
    assert!(body.get("api_key").is_none(), "{body}");

    let keys = stored_keys(&h, h.account_key.expose_secret());
    assert_eq!(keys.len(), 2, "one key per new profile");

    // The new profile works as its own account: none of the parent's keys.
    let child_byok = json_of(h.local(&["--profile", "client", "byok", "ls", "--json"], ""));
    assert_eq!(
        child_byok["byok_keys"]["openai_secret_id"],
        serde_json::Value::Null
    );
    let parent_byok = json_of(h.local(&["byok", "ls", "--json"], ""));
    assert!(parent_byok["byok_keys"]["openai_secret_id"].is_string());

    let listed = h.local(&["orgs", "ls"], "");
    let listed_json = h.local(&["orgs", "ls", "--json"], "");
    let child_listed = h.local(&["--profile", "client", "orgs", "ls", "--json"], "");
    let tree = json_of(h.local(&["orgs", "ls", "--json"], ""));
    assert_eq!(tree["children"].as_array().unwrap().len(), 2, "{tree}");
    assert!(text(&listed).contains("Second Client"), "{}", text(&listed));

    let config = std::fs::read_to_string(h.config.path().join("config.toml")).unwrap();
    for key in &keys {
        for (what, out) in [
            ("create", &human),
            ("create --json", &json_text),
            ("ls", &text(&listed)),
            ("ls --json", &text(&listed_json)),
            ("the child's ls", &text(&child_listed)),
            ("config.toml", &config),
        ] {
            assert!(!out.contains(key.as_str()), "the key is in {what}: {out}");
        }
    }
}

#[test]
fn a_profile_that_exists_is_kept_and_nothing_is_created() {
    let h = harness();
    add_agency_profile(&h);
    let refused = h.local(&["orgs", "create", "Client Co", "--profile", "agency"], "");
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused));
    assert!(
        text(&refused).contains("exists already"),
        "{}",
        text(&refused)
    );
    let unnamed = h.local(&["orgs", "create", "Client Co"], "");
    assert_eq!(unnamed.status.code(), Some(2), "{}", text(&unnamed));
    let tree = json_of(h.local(&["orgs", "ls", "--json"], ""));
    assert_eq!(tree["children"], serde_json::json!([]));
}

#[test]
fn retention_is_set_and_refused_by_field() {
    let h = harness();
    let set = ok(h.api(
        &["orgs", "retention", "--content", "90", "--metadata", "730"],
        "",
    ));
    assert!(set.contains("content 90 days, metadata 730 days"), "{set}");
    let refused = h.api(
        &["orgs", "retention", "--content", "365", "--metadata", "90"],
        "",
    );
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        text(&refused).contains("content_retention_days"),
        "{}",
        text(&refused)
    );
    let body = json_of(h.api(&["orgs", "retention", "--metadata", "365", "--json"], ""));
    assert_eq!(body["content_retention_days"], 90);
    assert_eq!(body["metadata_retention_days"], 365);
}
