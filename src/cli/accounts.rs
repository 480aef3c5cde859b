//! `accounts create|ls|revoke|rotate`: accounts on the reference server's
//! data dir, also while a server runs on it. A key is printed only when it
//! is new, as the only line on stdout, so `KEY=$(voicedock accounts create
//! --name X)` captures exactly it.

use secrecy::{ExposeSecret, SecretString};
use serde_json::json;

use super::serve::data_dir_or_default;
use super::table::{render, utc_header, utc_time};
use super::{AccountsCommand, Failure, Outcome, print, print_json, say};
use crate::server::{self, Revocation};

pub(super) fn run(json: bool, command: AccountsCommand) -> Outcome {
    match command {
        AccountsCommand::Create { name, data } => {
            let data_dir = data_dir_or_default(data.data_dir)?;
            print_key(&server::create_account(&data_dir, &name)?)
        }
        AccountsCommand::Ls { data } => list(json, &data_dir_or_default(data.data_dir)?),
        AccountsCommand::Revoke { id, data } => {
            let data_dir = data_dir_or_default(data.data_dir)?;
            match server::revoke_account_key(&data_dir, &id)? {
                Revocation::Revoked => print(&format!("account {id}: key revoked\n")),
                Revocation::AlreadyRevoked => {
                    print(&format!("account {id}: key already revoked\n"))
                }
                Revocation::NoSuchAccount => Err(no_such_account(&id)),
            }
        }
        AccountsCommand::Rotate { id, data } => {
            let data_dir = data_dir_or_default(data.data_dir)?;
            match server::rotate_account_key(&data_dir, &id)? {
                Some(key) => {
                    say(&format!(
                        "account {id}: new key below (shown only this once); the old key is revoked"
                    ));
                    print_key(&key)
                }
                None => Err(no_such_account(&id)),
            }
        }
    }
}

fn print_key(key: &SecretString) -> Outcome {
    let line = zeroize::Zeroizing::new(format!("{}\n", key.expose_secret()));
    print(&line)
}

fn list(json: bool, data_dir: &std::path::Path) -> Outcome {
    let accounts = server::list_accounts(data_dir)?;
    if json {
        let list: Vec<_> = accounts
            .iter()
            .map(|a| {
                json!({
                    "id": a.id,
                    "company_name": a.company_name,
                    "created_at": a.created_at,
                    "revoked_at": a.revoked_at,
                })
            })
            .collect();
        return print_json(&json!({ "accounts": list }));
    }
    let rows: Vec<Vec<String>> = accounts
        .into_iter()
        .map(|a| {
            vec![
                a.id,
                a.company_name,
                utc_time(Some(&a.created_at)),
                utc_time(a.revoked_at.as_deref()),
            ]
        })
        .collect();
    let headers = [utc_header("CREATED"), utc_header("REVOKED")];
    print(&render(&["ID", "NAME", &headers[0], &headers[1]], &rows))
}

fn no_such_account(id: &str) -> Failure {
    Failure::failed(format!(
        "no account {id} in this data dir (`voicedock accounts ls` lists them)"
    ))
}
