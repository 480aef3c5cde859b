//! Which catalog a server publishes: ours serves the whole document, the
//! hosted service at most the providers array of `/byok/config`, and some
//! servers neither. Serving the whole document is also how the client tells
//! our reference server from any other.

use std::sync::atomic::{AtomicU8, Ordering};

use super::{ApiClient, ApiError};
use crate::domain::{ByokConfig, Catalog, CatalogSource};

/// An answer that means "this server has no such document": missing route,
/// method not allowed, or a body of some other shape.
fn not_published(e: &ApiError) -> bool {
    matches!(
        e,
        ApiError::NotFound(_) | ApiError::Malformed(_) | ApiError::Http { status: 405, .. }
    )
}

/// Whether the server is our reference server, once an answer of
/// `/catalog` has told; shared by every clone of a client.
#[derive(Debug)]
pub(super) struct ServerKind(AtomicU8);

const UNKNOWN: u8 = 0;
const OURS: u8 = 1;
const OTHER: u8 = 2;

impl Default for ServerKind {
    fn default() -> Self {
        ServerKind(AtomicU8::new(UNKNOWN))
    }
}

impl ServerKind {
    pub(super) fn known(&self) -> Option<bool> {
        match self.0.load(Ordering::Relaxed) {
            OURS => Some(true),
            OTHER => Some(false),
            _ => None,
        }
    }

    fn learn(&self, ours: bool) {
        self.0
            .store(if ours { OURS } else { OTHER }, Ordering::Relaxed);
    }
}

impl ApiClient {
    /// `GET /api/v1/catalog` (ours), else `/byok/config` pieced onto
    /// `builtin`, else `builtin` itself; with where it came from. Only a
    /// failure of the server itself (unreachable, unauthorized, …) is an error.
    pub async fn catalog(&self, builtin: &Catalog) -> Result<(Catalog, CatalogSource), ApiError> {
        if let Some(cat) = self.served_catalog().await? {
            return Ok((cat, CatalogSource::Served));
        }
        match self.get_json::<ByokConfig>(&["byok", "config"]).await {
            Ok(config) if !config.providers.is_empty() => Ok((
                Catalog::from_byok_config(&config, builtin),
                CatalogSource::ByokConfig,
            )),
            Ok(_) => Ok((builtin.clone(), CatalogSource::BuiltIn)),
            Err(e) if not_published(&e) => Ok((builtin.clone(), CatalogSource::BuiltIn)),
            Err(e) => Err(e),
        }
    }

    /// Whether this is our reference server, which takes the extensions
    /// API.md marks "(ours)". Known after any `catalog()`; otherwise asked
    /// once, and a server that cannot be asked counts as not ours, the
    /// side on which nothing it may refuse is sent.
    pub async fn is_reference_server(&self) -> bool {
        self.reference_server().await.unwrap_or(false)
    }

    /// `is_reference_server`, with the failure of asking kept for a caller
    /// whose own request would meet it too.
    pub(super) async fn reference_server(&self) -> Result<bool, ApiError> {
        if let Some(ours) = self.inner.kind.known() {
            return Ok(ours);
        }
        Ok(self.served_catalog().await?.is_some())
    }

    async fn served_catalog(&self) -> Result<Option<Catalog>, ApiError> {
        match self.get_json::<Catalog>(&["catalog"]).await {
            Ok(cat) => {
                self.inner.kind.learn(true);
                Ok(Some(cat))
            }
            Err(e) if not_published(&e) => {
                self.inner.kind.learn(false);
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }
}
