//! `mcp` through the real binary: header values go in through stdin only
//! and never come out, in any output, of any command.

use testkit::cli_support;
use testkit::mcp_support::{McpStandIn, TOOLS};

use cli_support::*;

const VALUE: &str = "mcp-cli-Hx7Qw2Ls9Kd4Pz8Vb";

#[test]
fn mcp_add_ls_test_rm_with_the_header_value_on_stdin_only() {
    let h = harness();
    let stand_in = h.block_on(McpStandIn::tools("x-api-key", VALUE));
    let mut everything = String::new();

    let add = h.api(
        &[
            "mcp",
            "add",
            "Orders",
            "--url",
            &stand_in.url,
            "--header",
            "X-Api-Key",
        ],
        &format!("{VALUE}\n"),
    );
    everything.push_str(&text(&add));
    let added = ok(add);
    assert!(added.contains("Orders: added (1 header(s)"), "{added}");

    let ls = h.api(&["mcp", "ls"], "");
    everything.push_str(&text(&ls));
    let table = ok(ls);
    let row = table.lines().find(|l| l.starts_with("Orders")).unwrap();
    assert!(
        row.contains("X-Api-Key") && row.contains("streamable_http"),
        "{table}"
    );
    let ls_json = h.api(&["mcp", "ls", "--json"], "");
    everything.push_str(&text(&ls_json));
    let body = json_of(ls_json);
    assert_eq!(body["mcp_servers"][0]["header_names"][0], "X-Api-Key");

    let test = h.api(&["mcp", "test", "Orders"], "");
    everything.push_str(&text(&test));
    let tested = ok(test);
    assert!(tested.contains("2 tool(s)"), "{tested}");
    for tool in TOOLS {
        assert!(tested.contains(tool), "{tested}");
    }

    let rm = h.api(&["mcp", "rm", "Orders"], "");
    everything.push_str(&text(&rm));
    assert!(ok(rm).contains("Orders: removed"));
    let gone = json_of(h.api(&["mcp", "ls", "--json"], ""));
    assert_eq!(gone["mcp_servers"], serde_json::json!([]));

    assert!(!everything.contains(VALUE), "{everything}");
}

#[test]
fn a_header_value_in_argv_or_a_missing_line_is_refused() {
    let h = harness();
    let inline = format!("X-Api-Key={VALUE}");
    let out = h.api(
        &[
            "mcp",
            "add",
            "A",
            "--url",
            "https://mcp.example.com/mcp",
            "--header",
            &inline,
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("NAME only"), "{}", text(&out));
    assert!(!text(&out).contains(VALUE), "{}", text(&out));

    let two = h.api(
        &[
            "mcp",
            "add",
            "A",
            "--url",
            "https://mcp.example.com/mcp",
            "--header",
            "A",
            "--header",
            "B",
        ],
        &format!("{VALUE}\n"),
    );
    assert_eq!(two.status.code(), Some(1), "{}", text(&two));
    assert!(text(&two).contains("expected exactly 2"), "{}", text(&two));
    assert!(!text(&two).contains(VALUE));
    let none = json_of(h.api(&["mcp", "ls", "--json"], ""));
    assert_eq!(
        none["mcp_servers"],
        serde_json::json!([]),
        "nothing was added"
    );
}

#[test]
fn mcp_test_of_an_unreachable_server_exits_1_with_the_reason() {
    let h = harness();
    let stand_in = h.block_on(McpStandIn::hanging());
    ok(h.api(
        &[
            "mcp",
            "add",
            "Slow",
            "--url",
            &stand_in.url,
            "--timeout",
            "5",
        ],
        "",
    ));
    let out = h.api(&["mcp", "test", "Slow"], "");
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("not reachable") && text(&out).contains("no answer within 5 s"),
        "{}",
        text(&out)
    );
}
