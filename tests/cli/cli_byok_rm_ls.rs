//! `byok rm` when no key is stored, and the times in `byok ls`'s table.

use testkit::cli_support;

use cli_support::*;
use serde_json::Value;

#[test]
fn rm_if_present_is_no_error_when_no_key_is_stored() {
    let h = harness();
    let strict = h.api(&["byok", "rm", "openai"], "");
    assert_eq!(strict.status.code(), Some(1), "{}", text(&strict));
    assert!(
        text(&strict).contains("No key is configured"),
        "{}",
        text(&strict)
    );

    let said = ok(h.api(&["byok", "rm", "openai", "--if-present"], ""));
    assert!(said.contains("openai: no key stored"), "{said}");
    let quiet = h.api(&["byok", "rm", "OpenAI", "--if-present", "--json"], "");
    assert!(text(&quiet).contains("no key stored"), "{}", text(&quiet));
    let state = json_of(quiet);
    assert_eq!(state["byok_keys"]["openai_secret_id"], Value::Null);

    ok(h.api(&["byok", "set", "openai"], &format!("{OPENAI_KEY}\n")));
    let removed = ok(h.api(&["byok", "rm", "openai", "--if-present"], ""));
    assert!(removed.contains("key removed"), "{removed}");
}

#[test]
fn table_times_are_utc_to_the_second_and_json_keeps_the_servers() {
    let h = harness();
    ok(h.api(&["byok", "set", "openai"], &format!("{OPENAI_KEY}\n")));
    let table = ok(h.api(&["byok", "ls"], ""));
    assert!(
        table.lines().next().unwrap().ends_with("UPDATED (UTC)"),
        "{table}"
    );
    let row = table.lines().find(|l| l.starts_with("openai ")).unwrap();
    let to_the_second = regex::Regex::new(r" \d{4}-\d\d-\d\d \d\d:\d\d:\d\d$").unwrap();
    assert!(to_the_second.is_match(row), "{row}");

    let sent = json_of(h.api(&["byok", "ls", "--json"], ""));
    let keys = sent["keys"].as_array().unwrap();
    let updated = keys.iter().find(|k| k["provider"] == "openai").unwrap()["updated_at"]
        .as_str()
        .unwrap();
    assert!(updated.contains('T'), "as the server wrote it: {updated}");
    assert!(row.contains(&updated[..10]), "{row}");
}
