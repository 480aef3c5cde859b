//! The one rule for base URLs (API.md, "Base URL"): a profile names the
//! service's origin; a trailing `/` or `/api/v1` is accepted and never doubled.

use reqwest::Url;

use super::ApiError;

/// The API's prefix under the origin.
pub(crate) const API_PREFIX: &str = "/api/v1";

/// The origin (and any path prefix a reverse proxy adds) without a trailing
/// `/` or `/api/v1`, e.g. `http://127.0.0.1:8080`.
pub(crate) fn normalise(input: &str) -> Result<String, ApiError> {
    let invalid = |why: &str| ApiError::InvalidBaseUrl(why.to_owned());
    let url = Url::parse(input.trim()).map_err(|e| {
        ApiError::InvalidBaseUrl(format!(
            "{e}; expected an origin such as https://api.example.com"
        ))
    })?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid("the scheme must be http or https"));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(invalid("the URL has no host"));
    }
    // The key travels in the Authorization header; credentials in the URL
    // would be sent as well and end up in shell history and config files.
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid(
            "a base URL must not contain a user name or password",
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("a base URL must not have a query or fragment"));
    }
    let mut path = url.path().trim_end_matches('/');
    path = path.strip_suffix(API_PREFIX).unwrap_or(path);
    let path = path.trim_end_matches('/');
    // `origin()` drops the default port and normalises the host's case.
    Ok(format!("{}{path}", url.origin().ascii_serialization()))
}

/// `base` + `/api/v1` + `path`; a path already under `/api/` (such as
/// `/api/openapi.json`) is taken from the origin instead.
pub(crate) fn join(base: &str, path: &str) -> Result<Url, ApiError> {
    let path = if path.starts_with('/') {
        path.to_owned()
    } else {
        format!("/{path}")
    };
    let full = if path.starts_with("/api/") {
        format!("{base}{path}")
    } else {
        format!("{base}{API_PREFIX}{path}")
    };
    Url::parse(&full).map_err(|e| ApiError::InvalidBaseUrl(format!("{full}: {e}")))
}

/// `base` + `/api/v1` + each segment, percent-encoded so an id can never
/// change the route (`../`, `?`, `#`).
pub(crate) fn segments(base: &str, segments: &[&str]) -> Result<Url, ApiError> {
    let mut url = join(base, "")?;
    url.path_segments_mut()
        .map_err(|()| ApiError::InvalidBaseUrl(format!("{base} cannot hold a path")))?
        .pop_if_empty()
        .extend(segments);
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffixes_are_stripped_once() {
        for input in [
            "http://127.0.0.1:8080",
            "http://127.0.0.1:8080/",
            "http://127.0.0.1:8080/api/v1",
            "http://127.0.0.1:8080/api/v1/",
            " http://127.0.0.1:8080//api/v1// ",
        ] {
            assert_eq!(
                normalise(input).unwrap(),
                "http://127.0.0.1:8080",
                "{input}"
            );
        }
        assert_eq!(
            normalise("HTTPS://API.Example.com:443/proxy/api/v1").unwrap(),
            "https://api.example.com/proxy"
        );
    }

    #[test]
    fn bad_base_urls_are_refused() {
        for input in [
            "",
            "api.example.com",
            "ftp://example.com",
            "https://user:pw@example.com",
            "https://example.com/?x=1",
        ] {
            assert!(
                matches!(normalise(input), Err(ApiError::InvalidBaseUrl(_))),
                "{input}"
            );
        }
    }

    #[test]
    fn paths_join_under_the_api_prefix() {
        let base = "http://h:1";
        assert_eq!(
            join(base, "/byok").unwrap().as_str(),
            "http://h:1/api/v1/byok"
        );
        assert_eq!(
            join(base, "byok").unwrap().as_str(),
            "http://h:1/api/v1/byok"
        );
        assert_eq!(
            join(base, "/api/openapi.json").unwrap().as_str(),
            "http://h:1/api/openapi.json"
        );
        assert_eq!(
            segments(base, &["assistants", "a/../b?c"])
                .unwrap()
                .as_str(),
            "http://h:1/api/v1/assistants/a%2F..%2Fb%3Fc"
        );
    }
}
