//! The reference server of API.md: axum over SQLite, provider keys sealed by
//! envelope encryption, account keys stored as hashes.
//!
//! `start` never installs a tracing subscriber: the console embeds the server
//! and owns the terminal, and `voicedock serve` installs its own.

mod account_keys;
mod auth;
mod body;
mod error;
mod known_keys;
mod listen;
mod master_key;
mod private;
mod ratelimit;
mod routes;
mod store;
mod telemetry;
mod unlock;
pub mod vault;
mod vault_damage;
mod vault_rotate;
mod vault_verify;
mod wiping_alloc;

use crate::checks::Upstreams;
use crate::domain::Catalog;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use axum::Extension;
use axum::middleware::{from_fn, from_fn_with_state};
use secrecy::{ExposeSecret, SecretString};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use account_keys::{
    AccountRow, Revocation, list_accounts, revoke_account_key, rotate_account_key,
};
use body::BodyTimeout;
pub use body::DEFAULT_BODY_TIMEOUT;
use known_keys::KnownKeys;
pub use listen::ConnectionLimits;
pub use master_key::{MASTER_KEY_ENV, MASTER_KEY_FILE, MASTER_KEY_FILE_ENV};
use ratelimit::RateLimiter;
pub use routes::ApiDoc;
pub use store::DB_FILE;
use store::Store;
use unlock::VaultLock;
use vault::MasterKey;
pub use vault_rotate::{Rotated, rotate_master_key};
pub use vault_verify::{Failed, VaultFailure, VaultReport, verify_vault};
pub use wiping_alloc::{WipingAllocator, wipe_freed_memory};

pub const DEFAULT_RATE_LIMIT_PER_MINUTE: u32 = 100;
pub const DEFAULT_SHUTDOWN_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug, Clone)]
pub struct ServerConfig {
    pub listen: SocketAddr,
    pub data_dir: PathBuf,
    pub rate_limit_per_minute: u32,
    /// Overrides `VOICEDOCK_MASTER_KEY` and `<data dir>/master.key`; for
    /// embedding and tests, which must not share process-wide settings.
    pub master_key: Option<MasterKey>,
    /// How long a request body may take to arrive: 408 after that.
    pub body_timeout: Duration,
    /// How long `shutdown` waits for requests in flight before it stops
    /// without them.
    pub shutdown_timeout: Duration,
    /// Header deadline, idleness and connection caps.
    pub connections: ConnectionLimits,
    /// What assistants are checked against and `GET /api/v1/catalog` serves.
    pub catalog: Arc<Catalog>,
    /// Where the checks of stored keys call the providers. `None`: from
    /// `VOICEDOCK_UPSTREAM_*` and `VOICEDOCK_CHECK_TIMEOUT_MS` at start; set
    /// by embedders and tests, which must not share process-wide settings.
    pub upstreams: Option<Upstreams>,
}

impl ServerConfig {
    /// With this build's catalog.
    pub fn new(listen: SocketAddr, data_dir: impl Into<PathBuf>) -> Self {
        ServerConfig::with_catalog(listen, data_dir, Arc::new(Catalog::builtin()))
    }

    /// With a catalog start-up has already parsed (the console shares its own).
    pub fn with_catalog(
        listen: SocketAddr,
        data_dir: impl Into<PathBuf>,
        catalog: Arc<Catalog>,
    ) -> Self {
        ServerConfig {
            listen,
            data_dir: data_dir.into(),
            rate_limit_per_minute: DEFAULT_RATE_LIMIT_PER_MINUTE,
            master_key: None,
            body_timeout: DEFAULT_BODY_TIMEOUT,
            shutdown_timeout: DEFAULT_SHUTDOWN_TIMEOUT,
            connections: ConnectionLimits::default(),
            catalog,
            upstreams: None,
        }
    }
}

/// What every handler shares.
#[derive(Clone)]
pub(crate) struct AppState {
    store: Store,
    master: Arc<MasterKey>,
    limiter: Arc<RateLimiter>,
    known_keys: Arc<KnownKeys>,
    catalog: Arc<Catalog>,
    upstreams: Arc<Upstreams>,
}

/// A server running on the current tokio runtime. Dropping it stops it too,
/// without waiting; `shutdown` waits for requests in flight.
pub struct RunningServer {
    addr: SocketAddr,
    /// The server's own connection, so its embedder manages accounts
    /// without opening the data dir a second time.
    store: Store,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<std::io::Result<()>>>,
    shutdown_timeout: Duration,
}

impl RunningServer {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Where a client on this machine reaches the server (a wildcard listen
    /// address is answered on loopback).
    pub fn base_url(&self) -> String {
        let ip = match self.addr.ip() {
            IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
            ip => ip,
        };
        format!("http://{}", SocketAddr::new(ip, self.addr.port()))
    }

    /// Stops accepting connections and waits for the requests in flight,
    /// at most `shutdown_timeout`: a client that never finishes its request
    /// must not keep `voicedock serve` from exiting.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            // The receiver is gone only if the server already stopped.
            let _ = stop.send(());
        }
        if let Some(mut task) = self.task.take() {
            match tokio::time::timeout(self.shutdown_timeout, &mut task).await {
                Ok(Ok(Ok(()))) => {}
                Ok(Ok(Err(e))) => tracing::error!(error = %e, "server stopped with an error"),
                Ok(Err(e)) => tracing::error!(error = %e, "server task failed"),
                Err(_) => {
                    tracing::warn!(
                        "requests still in flight after {:?}; stopping without them",
                        self.shutdown_timeout
                    );
                    task.abort();
                }
            }
        }
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Opens the data dir (refusing a data dir, database or master key file
/// others can read), binds `config.listen` and serves on the current tokio
/// runtime.
pub async fn start(config: ServerConfig) -> anyhow::Result<RunningServer> {
    let ServerConfig {
        listen,
        data_dir,
        rate_limit_per_minute,
        master_key,
        body_timeout,
        shutdown_timeout,
        connections,
        catalog,
        upstreams,
    } = config;
    let (store, master, vault_lock) = tokio::task::spawn_blocking(move || -> anyhow::Result<_> {
        ensure_data_dir(&data_dir)?;
        let lock = VaultLock::shared(&data_dir)?;
        let master = unlock::unlock_beside_others(master_key.as_ref(), &data_dir)
            .context("refusing to start")?;
        Ok((Store::open(&data_dir, &master)?, master, lock))
    })
    .await
    .context("startup task failed")??;
    let state = AppState {
        store: store.clone(),
        master: Arc::new(master),
        limiter: Arc::new(RateLimiter::new(rate_limit_per_minute)),
        known_keys: Arc::default(),
        catalog,
        upstreams: Arc::new(match upstreams {
            Some(upstreams) => upstreams,
            None => Upstreams::from_env()?,
        }),
    };
    let app = routes::router(state.clone())
        .layer(Extension(BodyTimeout(body_timeout)))
        .layer(from_fn_with_state(state, ratelimit::layer))
        .layer(from_fn(error::challenge))
        .layer(from_fn(telemetry::layer));
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("cannot listen on {listen}"))?;
    let addr = listener.local_addr()?;
    let (stop, stopped) = oneshot::channel::<()>();
    let limits = connections.fitted_to_descriptors();
    let task = tokio::spawn(async move {
        // Held while any request may still seal, however the serving ends.
        let _vault_lock = vault_lock;
        listen::serve(listener, app, limits, async {
            // A dropped sender means the handle is gone: stop as well.
            let _ = stopped.await;
        })
        .await
    });
    Ok(RunningServer {
        addr,
        store,
        stop: Some(stop),
        task: Some(task),
        shutdown_timeout,
    })
}

/// `voicedock serve`: runs until Ctrl-C or SIGTERM, then shuts down gracefully.
pub async fn run(config: ServerConfig) -> anyhow::Result<()> {
    let data_dir = config.data_dir.clone();
    let server = start(config).await?;
    eprintln!(
        "voicedock server listening on http://{} (data: {})",
        server.addr(),
        data_dir.display()
    );
    wait_for_signal().await?;
    tracing::info!("shutting down");
    server.shutdown().await;
    Ok(())
}

async fn wait_for_signal() -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = signal(SignalKind::terminate()).context("cannot listen for SIGTERM")?;
        tokio::select! {
            r = tokio::signal::ctrl_c() => r.context("cannot listen for Ctrl-C")?,
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    tokio::signal::ctrl_c()
        .await
        .context("cannot listen for Ctrl-C")?;
    Ok(())
}

/// Creates an account in the data dir (also while a server runs on it) and
/// returns its API key, which is shown once and stored only as a hash.
pub fn create_account(data_dir: &Path, company_name: &str) -> anyhow::Result<SecretString> {
    let name = checked_company_name(company_name)?;
    ensure_data_dir(data_dir)?;
    insert_account(&store::open_connection(data_dir)?, &name)
}

/// Keeps `call` as one of the calls of `api_key`'s account in the data dir
/// (also while a server runs on it): this server places no call itself, so
/// its calls come from what ran them.
pub fn record_call(
    data_dir: &Path,
    api_key: &SecretString,
    call: &crate::domain::Call,
) -> anyhow::Result<()> {
    ensure_data_dir(data_dir)?;
    let conn = store::open_connection(data_dir)?;
    let hash = auth::hash_key(api_key.expose_secret());
    let account =
        store::accounts::find_by_key_hash(&conn, &hash)?.context("no account has this key")?;
    store::calls::record_call(&conn, &account, call)
}

/// Whether `api_key` belongs to an account in the data dir.
pub fn account_exists(data_dir: &Path, api_key: &SecretString) -> anyhow::Result<bool> {
    ensure_data_dir(data_dir)?;
    let hash = auth::hash_key(api_key.expose_secret());
    key_hash_has_account(&store::open_connection(data_dir)?, &hash)
}

impl RunningServer {
    /// [`create_account`] on this server's own connection.
    pub async fn create_account(&self, company_name: &str) -> anyhow::Result<SecretString> {
        let name = checked_company_name(company_name)?;
        self.store
            .run(move |conn| insert_account(conn, &name))
            .await
    }

    /// [`account_exists`] on this server's own connection: lets the console
    /// replace a saved key whose account is gone (a wiped data dir) instead
    /// of failing with 401.
    pub async fn account_exists(&self, api_key: &SecretString) -> anyhow::Result<bool> {
        let hash = auth::hash_key(api_key.expose_secret());
        self.store
            .run(move |conn| key_hash_has_account(conn, &hash))
            .await
    }
}

fn checked_company_name(company_name: &str) -> anyhow::Result<String> {
    crate::domain::checked_organization_name("the company name", company_name)
        .map_err(|e| anyhow::anyhow!(e.message))
}

fn insert_account(conn: &rusqlite::Connection, name: &str) -> anyhow::Result<SecretString> {
    let key = auth::generate_api_key();
    store::accounts::insert(conn, name, &auth::hash_key(key.expose_secret()))
        .context("cannot create the account")?;
    Ok(key)
}

fn key_hash_has_account(conn: &rusqlite::Connection, hash: &[u8; 32]) -> anyhow::Result<bool> {
    Ok(store::accounts::find_by_key_hash(conn, hash)?.is_some())
}

/// Every file the server keeps in `data_dir`, named for `voicedock paths`.
/// The master key file is unused while `VOICEDOCK_MASTER_KEY` is set.
pub fn files(data_dir: &Path) -> Vec<(&'static str, PathBuf)> {
    let db = store::db_path(data_dir);
    vec![
        ("database", db.clone()),
        ("database_wal", store::sidecar(&db, "-wal")),
        ("database_shm", store::sidecar(&db, "-shm")),
        ("master_key", master_key::file_path(data_dir)),
        ("vault_lock", data_dir.join(unlock::VAULT_LOCK_FILE)),
    ]
}

/// Created private (0700): it holds the database and possibly the master
/// key. An existing one that others can read is refused.
fn ensure_data_dir(dir: &Path) -> anyhow::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(dir)
        .with_context(|| format!("cannot create the data dir {}", dir.display()))?;
    private::ensure_private(dir, "the data dir", 0o700)
}
