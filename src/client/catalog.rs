//! Which catalog a server publishes: ours serves the whole document, the
//! hosted service at most the providers array of `/byok/config`, and some
//! servers neither.

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

impl ApiClient {
    /// `GET /api/v1/catalog` (ours), else `/byok/config` pieced onto
    /// `builtin`, else `builtin` itself; with where it came from. Only a
    /// failure of the server itself (unreachable, unauthorized, …) is an error.
    pub async fn catalog(&self, builtin: &Catalog) -> Result<(Catalog, CatalogSource), ApiError> {
        match self.get_json::<Catalog>(&["catalog"]).await {
            Ok(cat) => return Ok((cat, CatalogSource::Served)),
            Err(e) if not_published(&e) => {}
            Err(e) => return Err(e),
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
}
