//! What the console talks to: a configured profile, or, with none, the
//! embedded reference server on loopback with an account of its own.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use super::context::Profile;
use crate::client::ApiClient;
use crate::config::{self, Credentials, Paths};
use crate::domain::Catalog;
use crate::server::{self, RunningServer, ServerConfig};

pub struct Session {
    pub profile: Profile,
    pub client: ApiClient,
    server: Option<RunningServer>,
}

const LOCAL: &str = "local";
const LOCAL_COMPANY: &str = "Local workspace";

impl Session {
    pub async fn open(profile: Option<&str>, catalog: Arc<Catalog>) -> anyhow::Result<Session> {
        let paths = config::paths()?;
        if let Some(resolved) = config::resolve(&paths, profile)? {
            let client = ApiClient::new(&resolved.base_url, resolved.api_key)?;
            let profile = if resolved.profile == config::ENV_PROFILE {
                Profile::env()
            } else {
                Profile::named(resolved.profile)
            };
            return Ok(Session {
                profile,
                client,
                server: None,
            });
        }
        let api_key = local_account_key(&paths)?;
        let listen = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
        let config = ServerConfig::with_catalog(listen, paths.data_dir.clone(), catalog);
        let running = server::start(config).await?;
        let client = ApiClient::new(&running.base_url(), api_key)?;
        Ok(Session {
            profile: Profile::local(),
            client,
            server: Some(running),
        })
    }

    pub async fn close(self) {
        if let Some(running) = self.server {
            running.shutdown().await;
        }
    }
}

/// The embedded server's own account: created on first run, its key kept in
/// the credentials file like any profile's. A key whose account is gone (a
/// wiped data dir) is replaced rather than left to fail with 401.
fn local_account_key(paths: &Paths) -> anyhow::Result<secrecy::SecretString> {
    let mut credentials = Credentials::load(&paths.credentials_file)?;
    if let Some(key) = credentials.get(LOCAL)
        && server::account_exists(&paths.data_dir, key)?
    {
        return Ok(key.clone());
    }
    let key = server::create_account(&paths.data_dir, LOCAL_COMPANY)?;
    credentials.set(LOCAL, key.clone());
    credentials.save(&paths.credentials_file)?;
    Ok(key)
}
