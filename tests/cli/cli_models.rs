//! `voicedock models` reads the catalog from wherever the server offers it,
//! and says where: ours serves it whole; the hosted service has no
//! `GET /byok/config` (405), so this build's copy stands in.

use testkit::cli_support;
use testkit::hosted_support;

use cli_support::*;

#[test]
fn models_come_from_our_servers_catalog() {
    let h = harness();
    let out = h.api(&["models", "openai"], "");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let table = ok(out);
    assert!(stderr.contains("catalog from the server"), "{stderr}");
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
    let mut cmd = h.command(&["models", "deepgram"]);
    cmd.env("VOICEDOCK_BASE_URL", &base)
        .env("VOICEDOCK_API_KEY", hosted_support::HOSTED_KEY);
    let out = run(cmd, "");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let table = ok(out);
    assert!(stderr.contains("built-in catalog"), "{stderr}");
    assert!(table.contains("nova-3-general"), "{table}");
}
