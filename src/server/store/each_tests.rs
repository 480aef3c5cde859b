//! Reading an account's assistants one row at a time, their secrets sealed.

use super::{Store, accounts, assistants};
use crate::domain::{Assistant, Catalog, CheckNeeds};
use crate::server::vault::MasterKey;

fn assistant(id: &str, model: &str, webhook_secret: Option<&str>) -> Assistant {
    let now = "2026-12-02T09:00:00Z";
    let mut body = serde_json::json!({
        "id": id, "name": id, "created_at": now, "updated_at": now,
        "llm_config": {"provider": "openai", "model": model}
    });
    if let Some(secret) = webhook_secret {
        body["webhook_secret"] = secret.into();
    }
    serde_json::from_value(body).unwrap()
}

#[test]
fn each_assistant_of_the_account_is_read_in_order_with_its_secrets_sealed() {
    let dir = tempfile::tempdir().unwrap();
    let master = MasterKey::generate();
    let store = Store::open(dir.path(), &master).unwrap();
    let conn = store.conn.lock().unwrap();
    let mine = accounts::insert(&conn, "Mine", &[1; 32]).unwrap();
    let other = accounts::insert(&conn, "Other", &[2; 32]).unwrap();
    let secret = Some("whsec_0123456789abcdef");
    for (id, model, secret) in [("a1", "gpt-5.4", secret), ("a2", "gpt-5", None)] {
        assistants::insert(&conn, &master, &mine, &assistant(id, model, secret)).unwrap();
    }
    let theirs = assistant("o1", "gpt-5-mini", None);
    assistants::insert(&conn, &master, &other, &theirs).unwrap();

    let cat = Catalog::builtin();
    let mut seen = Vec::new();
    let mut needs = CheckNeeds::default();
    assistants::each_sealed(&conn, &mine, |a| {
        seen.push(a.id.clone());
        assert!(
            !format!("{:?}", a.extra).contains("whsec_"),
            "{:?}",
            a.extra
        );
        needs.add(&cat, a, "openai");
    })
    .unwrap();
    assert_eq!(seen, ["a1", "a2"]);
    assert_eq!(needs.models, ["gpt-5.4", "gpt-5"]);
}
