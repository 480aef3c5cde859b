//! Provider keys and assistant secrets do not outlive their request in the
//! server's memory: after many keep-alive requests carrying distinct keys,
//! none of them is anywhere in the process, live or freed.

use testkit::serve_support;

use std::collections::HashSet;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};

use serde_json::json;
use serve_support::Serve;

const KEYS: usize = 20;

fn random_part(secret: &str) -> &[u8] {
    let start = secret.len() - 4 - HEX_LEN;
    &secret.as_bytes()[start..start + HEX_LEN]
}

/// 32 random lowercase hex digits: what makes each secret unique, and what
/// the scan looks for.
fn random_hex() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

const HEX_LEN: usize = 32;

/// Every run of exactly 32 lowercase hex digits in `bytes` that is in
/// `wanted`. One pass that only looks closer at long hex runs, which are
/// rare in memory: comparing every window with every secret would take
/// minutes in a test build.
fn hex_runs_in(bytes: &[u8], wanted: &HashSet<&[u8]>, found: &mut HashSet<Vec<u8>>) {
    let is_hex = |b: u8| b.is_ascii_digit() || (b'a'..=b'f').contains(&b);
    let mut run_start = 0;
    for (i, &b) in bytes.iter().chain(std::iter::once(&0)).enumerate() {
        if i < bytes.len() && is_hex(b) {
            continue;
        }
        if i - run_start >= HEX_LEN {
            for window in bytes[run_start..i].windows(HEX_LEN) {
                if wanted.contains(window) {
                    found.insert(window.to_vec());
                }
            }
        }
        run_start = i + 1;
    }
}

/// Which of `wanted` occur in the memory of process `pid`, reading each
/// readable mapping through /proc/PID/mem. `None` when this machine does
/// not let a parent read its child's memory.
fn found_in_memory(pid: u32, wanted: &HashSet<&[u8]>) -> Option<HashSet<Vec<u8>>> {
    let maps = std::fs::read_to_string(format!("/proc/{pid}/maps")).unwrap();
    let mut mem = match File::open(format!("/proc/{pid}/mem")) {
        Ok(mem) => mem,
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => return None,
        Err(e) => panic!("cannot open the server's memory: {e}"),
    };
    let mut found = HashSet::new();
    let mut readable_bytes = 0usize;
    for line in maps.lines() {
        let mut fields = line.split_whitespace();
        let range = fields.next().unwrap();
        let perms = fields.next().unwrap();
        if !perms.starts_with('r') || line.ends_with("[vvar]") || line.ends_with("[vsyscall]") {
            continue;
        }
        let (start, end) = range.split_once('-').unwrap();
        let start = u64::from_str_radix(start, 16).unwrap();
        let end = u64::from_str_radix(end, 16).unwrap();
        let mut region = vec![0u8; (end - start) as usize];
        // Some mappings (guard pages, device memory) cannot be read.
        if mem.seek(SeekFrom::Start(start)).is_err() || mem.read_exact(&mut region).is_err() {
            continue;
        }
        readable_bytes += region.len();
        hex_runs_in(&region, wanted, &mut found);
    }
    assert!(readable_bytes > 1 << 20, "read only {readable_bytes} bytes");
    Some(found)
}

#[tokio::test]
async fn secrets_sent_over_keep_alive_do_not_stay_in_server_memory() {
    let server = Serve::start(&[], None);
    let http = voicedock::client::http_builder().build().unwrap();
    let mut secrets = Vec::new();
    for _ in 0..KEYS {
        let key = format!("sk-proj-{}{}", random_hex(), "wxyz");
        let r = http
            .post(format!("{}/api/v1/byok", server.base_url))
            .bearer_auth(&server.api_key)
            .json(&json!({"provider": "openai", "api_key": key}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
        secrets.push(key);
    }
    for _ in 0..4 {
        let webhook = format!("whsec_{}{}", random_hex(), "0000");
        let tool = format!("tool-sec{}{}", random_hex(), "0000");
        let body = json!({"name": "Memory", "webhook_secret": webhook,
            "llm_config": {"provider": "openai", "model": "gpt-5.4",
                "tools": [{"type": "function", "server": {"url": "https://example.com/t", "secret": tool}}]}});
        let r = http
            .post(format!("{}/api/v1/assistants", server.base_url))
            .bearer_auth(&server.api_key)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
        secrets.extend([webhook, tool]);
    }
    // The scan itself works: what the server keeps on purpose (a name, in
    // its database cache) is found.
    let kept = format!("Memory {}0000", random_hex());
    // On a connection of its own: the last request on the kept-alive one
    // carried a secret, and its buffer must not hold it either.
    let r = voicedock::client::http_builder()
        .build()
        .unwrap()
        .post(format!("{}/api/v1/assistants", server.base_url))
        .bearer_auth(&server.api_key)
        .json(&json!({"name": kept}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let wanted: HashSet<&[u8]> = secrets
        .iter()
        .chain([&kept])
        .map(|s| random_part(s))
        .collect();
    let Some(found) = found_in_memory(server.pid(), &wanted) else {
        // On CI the scan must run: a promise whose only test skips is untested.
        assert!(
            std::env::var_os("CI").is_none(),
            "this machine does not let a parent read its child's memory"
        );
        eprintln!("skipped: this machine does not let a parent read its child's memory");
        return;
    };
    assert!(
        found.contains(random_part(&kept)),
        "the scan missed what the server keeps"
    );
    let leaked: Vec<&str> = secrets
        .iter()
        .filter(|s| found.contains(random_part(s)))
        .map(String::as_str)
        .collect();
    assert!(
        leaked.is_empty(),
        "{} of {} secrets are in the server's memory: {leaked:?}",
        leaked.len(),
        secrets.len()
    );
}
