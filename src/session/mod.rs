//! What a run talks to: a profile of `config.toml`, the service named by the
//! environment, or, with neither, the embedded reference server on the local
//! data dir with an account of its own. The console and every CLI command
//! open it here, so `voicedock byok ls` and the console see the same local
//! workspace, also while the other runs (SQLite lets processes take turns).

mod local_account;

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use crate::client::ApiClient;
use crate::config::{self, LOCAL, Paths};
use crate::domain::Catalog;
use crate::server::{self, RunningServer, ServerConfig};

pub use crate::config::ProfileKind;

pub struct Session {
    pub kind: ProfileKind,
    /// How the status bar and messages name it.
    pub profile: String,
    pub client: ApiClient,
    /// What to say once about where the run goes, when the environment
    /// had a say (`config::notice`).
    pub notice: Option<String>,
    server: Option<RunningServer>,
}

impl Session {
    /// `catalog` is asked for only when the embedded server starts: it is
    /// what that server checks assistants against and serves.
    pub async fn open(
        profile: Option<&str>,
        catalog: impl FnOnce() -> Arc<Catalog>,
    ) -> anyhow::Result<Session> {
        let paths = config::paths()?;
        let mut session = match config::resolve(&paths, profile)? {
            Some(resolved) => Session {
                client: ApiClient::new(&resolved.base_url, resolved.api_key)?,
                kind: resolved.kind,
                profile: resolved.profile,
                notice: None,
                server: None,
            },
            None => Session::open_local(&paths, catalog()).await?,
        };
        session.notice = config::notice(profile);
        Ok(session)
    }

    /// A session on a server this run did not start, as a profile names
    /// one (a test's server, for the console's own tests).
    pub fn remote(kind: ProfileKind, profile: impl Into<String>, client: ApiClient) -> Session {
        Session {
            kind,
            profile: profile.into(),
            client,
            notice: None,
            server: None,
        }
    }

    /// Starts the embedded server on loopback, then finds (or makes) its
    /// account through the server's own connection: the data dir is opened
    /// once.
    async fn open_local(paths: &Paths, catalog: Arc<Catalog>) -> anyhow::Result<Session> {
        let listen = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
        let config = ServerConfig::with_catalog(listen, paths.data_dir.clone(), catalog);
        let running = server::start(config).await?;
        let api_key = local_account::key(paths, &running).await?;
        Ok(Session {
            client: ApiClient::new(&running.base_url(), api_key)?,
            kind: ProfileKind::Local,
            profile: LOCAL.into(),
            notice: None,
            server: Some(running),
        })
    }

    /// Waits for the embedded server's requests in flight, if it runs one.
    pub async fn close(self) {
        if let Some(running) = self.server {
            running.shutdown().await;
        }
    }
}
