//! An account seen as an organization: its children and its retention.
//! A child is an account of its own (its key, its data); the parent only
//! lists it.

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use crate::domain::{ChildOrganization, FieldError, Organization, RetentionRequest};

pub fn get(
    conn: &Connection,
    account_id: &str,
    include_children: bool,
) -> anyhow::Result<Option<Organization>> {
    let found = conn
        .prepare_cached(
            "SELECT id, company_name, assistant_count, parent_id, created_at, \
                    content_retention_days, metadata_retention_days \
             FROM accounts WHERE id = ?1",
        )?
        .query_row([account_id], |r| {
            let name: String = r.get(1)?;
            Ok(Organization {
                id: r.get(0)?,
                company_name: name.clone(),
                name,
                active_agents: r.get::<_, i64>(2)?.max(0) as u64,
                parent_org_id: r.get(3)?,
                created_at: r.get(4)?,
                content_retention_days: r.get(5)?,
                metadata_retention_days: r.get(6)?,
                children: None,
            })
        })
        .optional()?;
    let Some(mut org) = found else {
        return Ok(None);
    };
    if include_children {
        org.children = Some(children(conn, account_id)?);
    }
    Ok(Some(org))
}

/// Oldest first, as the accounts were made.
pub fn children(conn: &Connection, parent_id: &str) -> anyhow::Result<Vec<ChildOrganization>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, company_name, created_at FROM accounts \
         WHERE parent_id = ?1 ORDER BY created_at, id",
    )?;
    let rows = stmt.query_map([parent_id], |r| {
        Ok(ChildOrganization {
            id: r.get(0)?,
            name: r.get(1)?,
            created_at: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Sets the retention `change` asks for, checked against what is stored in
/// the same transaction; the organization as it is then.
pub fn set_retention(
    conn: &mut Connection,
    account_id: &str,
    change: &RetentionRequest,
) -> anyhow::Result<Result<Option<Organization>, FieldError>> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let stored: Option<(Option<u32>, Option<u32>)> = tx
        .query_row(
            "SELECT content_retention_days, metadata_retention_days FROM accounts WHERE id = ?1",
            [account_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some(stored) = stored else {
        return Ok(Ok(None));
    };
    let (content, metadata) = match crate::domain::checked_retention(change, stored) {
        Ok(days) => days,
        Err(e) => return Ok(Err(e)),
    };
    tx.execute(
        "UPDATE accounts SET content_retention_days = ?1, metadata_retention_days = ?2 \
         WHERE id = ?3",
        params![content, metadata, account_id],
    )?;
    let org = get(&tx, account_id, false)?;
    tx.commit()?;
    Ok(Ok(org))
}

#[cfg(test)]
mod tests {
    use super::super::{MIGRATIONS, create_private_file, db_path, open_connection};
    use super::*;

    #[test]
    fn accounts_made_before_organizations_have_no_parent_and_no_children() {
        let dir = tempfile::tempdir().unwrap();
        let path = db_path(dir.path());
        create_private_file(&path).unwrap();
        let conn = Connection::open(&path).unwrap();
        for sql in &MIGRATIONS[..4] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", 4).unwrap();
        conn.execute_batch("INSERT INTO accounts (id, company_name, key_hash, created_at) VALUES ('acct', 'Old Co', x'00', 'then');")
            .unwrap();
        drop(conn);

        let conn = open_connection(dir.path()).unwrap();
        let org = get(&conn, "acct", true).unwrap().unwrap();
        assert_eq!(org.name, "Old Co");
        assert_eq!(org.parent_org_id, None);
        assert_eq!(org.children, Some(vec![]));
        assert_eq!(org.content_retention_days, None);
    }
}
