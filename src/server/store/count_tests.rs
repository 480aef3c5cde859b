//! The kept assistant count: right after the migration that introduces it,
//! and after every insert and delete.

use rusqlite::Connection;

use super::assistants::Deletion;
use super::{MIGRATIONS, Store, accounts, assistants, create_private_file, db_path};
use crate::domain::Assistant;
use crate::server::vault::MasterKey;

fn assistant(id: &str) -> Assistant {
    let now = "2026-12-02T09:00:00Z";
    serde_json::from_value(serde_json::json!({
        "id": id, "name": id, "created_at": now, "updated_at": now
    }))
    .unwrap()
}

#[test]
fn the_migration_counts_the_assistants_already_stored() {
    let dir = tempfile::tempdir().unwrap();
    let path = db_path(dir.path());
    create_private_file(&path).unwrap();
    let conn = Connection::open(&path).unwrap();
    for sql in &MIGRATIONS[..2] {
        conn.execute_batch(sql).unwrap();
    }
    conn.pragma_update(None, "user_version", 2).unwrap();
    conn.execute_batch(
        "INSERT INTO accounts VALUES ('a', 'A', x'00', 'then');
         INSERT INTO accounts VALUES ('b', 'B', x'01', 'then');
         INSERT INTO accounts VALUES ('c', 'C', x'02', 'then');
         INSERT INTO assistants (id, account_id, body, created_at, updated_at, revision) VALUES
             ('1', 'a', '{\"id\":\"1\",\"name\":\"x\"}', 'then', 'then', 1),
             ('2', 'a', '{\"id\":\"2\",\"name\":\"x\"}', 'then', 'then', 1),
             ('3', 'b', '{\"id\":\"3\",\"name\":\"x\"}', 'then', 'then', 1);",
    )
    .unwrap();
    drop(conn);

    let store = Store::open(dir.path(), &MasterKey::generate()).unwrap();
    let conn = store.conn.lock().unwrap();
    let counts: Vec<u64> = ["a", "b", "c"]
        .iter()
        .map(|id| assistants::count(&conn, id).unwrap())
        .collect();
    assert_eq!(counts, [2, 1, 0]);
}

#[test]
fn inserts_and_deletes_keep_the_count_and_active_agents() {
    let dir = tempfile::tempdir().unwrap();
    let master = MasterKey::generate();
    let store = Store::open(dir.path(), &master).unwrap();
    let mut conn = store.conn.lock().unwrap();
    let mine = accounts::insert(&conn, "Mine", &[1; 32]).unwrap();
    let other = accounts::insert(&conn, "Other", &[2; 32]).unwrap();
    for id in ["m1", "m2", "m3"] {
        assistants::insert(&conn, &master, &mine, &assistant(id)).unwrap();
    }
    assistants::insert(&conn, &master, &other, &assistant("o1")).unwrap();
    let mut delete = |id| assistants::delete(&mut conn, &mine, id, |_| true).unwrap();
    assert!(matches!(delete("m2"), Deletion::Deleted));
    // Not this account's: nothing is deleted, nothing is counted down.
    assert!(matches!(delete("o1"), Deletion::NotFound));
    assert!(matches!(delete("m2"), Deletion::NotFound));

    assert_eq!(assistants::count(&conn, &mine).unwrap(), 2);
    assert_eq!(assistants::count(&conn, &other).unwrap(), 1);
    let listed = assistants::list(&conn, &master, &mine, None).unwrap().len();
    assert_eq!(listed, 2);
    let account = accounts::get(&conn, &mine).unwrap().unwrap();
    assert_eq!(account.active_agents, Some(2));
}
