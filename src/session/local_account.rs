//! The embedded server's own account: created on first run, its key kept in
//! the credentials file under "local" like any profile's. A key whose account
//! is gone (a wiped data dir) is replaced rather than left to fail with 401.

use anyhow::Context;
use secrecy::SecretString;

use crate::config::{Credentials, FileLock, LOCAL, Paths};
use crate::server::RunningServer;

const LOCAL_COMPANY: &str = "Local workspace";

pub(super) async fn key(paths: &Paths, server: &RunningServer) -> anyhow::Result<SecretString> {
    if let Some(key) = saved_working_key(paths, server).await? {
        return Ok(key);
    }
    // Runs that start at once (a script's commands in parallel, the console
    // beside a command) take turns from here; a later one finds the key the
    // first one saved instead of making an account nobody else would see.
    let lock_file = paths.local_lock_file.clone();
    let _turn = tokio::task::spawn_blocking(move || FileLock::exclusive(&lock_file))
        .await
        .context("the lock task failed")??;
    if let Some(key) = saved_working_key(paths, server).await? {
        return Ok(key);
    }
    let key = server.create_account(LOCAL_COMPANY).await?;
    let mut credentials = Credentials::load(&paths.credentials_file)?;
    credentials.set(LOCAL, key.clone());
    credentials.save(&paths.credentials_file)?;
    Ok(key)
}

async fn saved_working_key(
    paths: &Paths,
    server: &RunningServer,
) -> anyhow::Result<Option<SecretString>> {
    let credentials = Credentials::load(&paths.credentials_file)?;
    match credentials.get(LOCAL) {
        Some(key) if server.account_exists(key).await? => Ok(Some(key.clone())),
        _ => Ok(None),
    }
}
