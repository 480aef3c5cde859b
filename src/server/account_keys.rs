//! `voicedock accounts ls|revoke|rotate` on a data dir, also while a server
//! runs on it: keys are looked up on every request, so a change counts at once.

use std::path::Path;

use secrecy::{ExposeSecret, SecretString};

use super::store::{self, accounts};
use super::{auth, ensure_data_dir};

pub use accounts::{AccountRow, Revocation};

pub fn list_accounts(data_dir: &Path) -> anyhow::Result<Vec<AccountRow>> {
    ensure_data_dir(data_dir)?;
    accounts::list(&store::open_connection(data_dir)?)
}

pub fn revoke_account_key(data_dir: &Path, account_id: &str) -> anyhow::Result<Revocation> {
    ensure_data_dir(data_dir)?;
    accounts::revoke(&mut store::open_connection(data_dir)?, account_id)
}

/// The account's new key, shown once and stored only as a hash; the old one
/// is revoked in the same transaction. `None`: no such account.
pub fn rotate_account_key(
    data_dir: &Path,
    account_id: &str,
) -> anyhow::Result<Option<SecretString>> {
    ensure_data_dir(data_dir)?;
    let key = auth::generate_api_key();
    let hash = auth::hash_key(key.expose_secret());
    let replaced =
        accounts::replace_key(&mut store::open_connection(data_dir)?, account_id, &hash)?;
    Ok(replaced.then_some(key))
}
