//! Vertex AI with a service account: Google's token endpoint
//! (`POST /token`, the JWT bearer grant) and the Vertex API's
//! `GET /v1/projects/{project}/locations/{location}/models`. The token
//! endpoint checks the assertion as Google does: RS256 against the
//! account's registered public key, the audience, a lifetime of at most an
//! hour. The behaviour rides on the account (`client_email`, the JWT's
//! `iss`) and shows on the Vertex call; the token endpoint answers every
//! known account.

use std::collections::HashMap;
use std::sync::Mutex;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::signature::{RSA_PKCS1_2048_8192_SHA256, UnparsedPublicKey};
use serde_json::{Value, json};

use super::Behaviour;
use super::answers::{Documented, Refusal};
use super::http::{Reply, Request, form_pairs};
use super::keys::{VERTEX_PROJECT, filler, vertex_behaviour};

/// The public half of `VERTEX_PRIVATE_KEY`, PKCS#1 DER, as ring verifies it.
const REGISTERED_PUBLIC_KEY: &[u8] =
    include_bytes!("../../fixtures/test_only_vertex_sa_key.pub.der");
const GRANT_TYPE: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";
const AUDIENCE: &str = "https://oauth2.googleapis.com/token";
const PROJECT_NUMBER: &str = "123456789012";

/// The access tokens handed out, with the behaviour of their account.
#[derive(Default)]
pub struct Tokens(Mutex<HashMap<String, Behaviour>>);

fn oauth_error(error: &str, description: &str) -> Reply {
    Reply::json(
        400,
        json!({"error": error, "error_description": description}),
    )
}

pub fn token(req: &Request, tokens: &Tokens) -> Reply {
    if req.method != "POST" || req.path() != "/token" {
        return Reply::json(
            404,
            json!({"error": "not_found", "error_description": "Not Found"}),
        );
    }
    if req.header("content-type") != Some("application/x-www-form-urlencoded") {
        return oauth_error("invalid_request", "Bad Request");
    }
    let form = form_pairs(&req.body);
    let field = |name: &str| {
        form.iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    if field("grant_type") != Some(GRANT_TYPE) {
        let given = field("grant_type").unwrap_or("");
        return oauth_error(
            "unsupported_grant_type",
            &format!("Invalid grant_type: {given}"),
        );
    }
    let Some(claims) = field("assertion").and_then(read_assertion) else {
        return oauth_error("invalid_grant", "Invalid JWT Signature.");
    };
    let text = |name: &str| claims.get(name).and_then(Value::as_str).unwrap_or("");
    let Some(behaviour) = vertex_behaviour(text("iss")) else {
        return oauth_error("invalid_grant", "Invalid grant: account not found");
    };
    if text("aud") != AUDIENCE || text("scope").is_empty() {
        return oauth_error(
            "invalid_scope",
            "Invalid OAuth scope or ID token audience provided.",
        );
    }
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let iat = claims.get("iat").and_then(Value::as_i64).unwrap_or(0);
    let exp = claims.get("exp").and_then(Value::as_i64).unwrap_or(0);
    if exp <= iat || exp - iat > 3600 || (iat - now).abs() > 300 {
        return oauth_error(
            "invalid_grant",
            "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.",
        );
    }
    let mut issued = tokens.0.lock().unwrap();
    let access = format!(
        "ya29.c.{}",
        filler(
            &format!("token/{}", issued.len()),
            120,
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
        )
    );
    issued.insert(access.clone(), behaviour);
    Reply::json(
        200,
        json!({"access_token": access, "expires_in": 3599, "token_type": "Bearer"}),
    )
}

/// The claims of a well-formed RS256 JWT signed by the registered key.
fn read_assertion(jwt: &str) -> Option<Value> {
    let mut parts = jwt.split('.');
    let (header, claims, signature) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let header: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).ok()?).ok()?;
    if header.get("alg").and_then(Value::as_str) != Some("RS256") {
        return None;
    }
    let signature = URL_SAFE_NO_PAD.decode(signature).ok()?;
    let signed = &jwt[..jwt.rfind('.')?];
    UnparsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, REGISTERED_PUBLIC_KEY)
        .verify(signed.as_bytes(), &signature)
        .ok()?;
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(claims).ok()?).ok()
}

fn google_error(code: u16, status: &str, message: &str, details: Value) -> Reply {
    Reply::json(
        code,
        json!({"error": {"code": code, "message": message, "status": status, "details": details}}),
    )
}

fn error_info(reason: &str, domain: &str, metadata: Value) -> Value {
    json!({"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": reason,
           "domain": domain, "metadata": metadata})
}

/// The models list behind `Authorization: Bearer <access token>`. The
/// `Limited` account's project has the Vertex AI API disabled.
pub fn models(req: &Request, tokens: &Tokens) -> Reply {
    let bearer = req
        .header("authorization")
        .and_then(|h| h.strip_prefix("Bearer "));
    let behaviour = bearer.and_then(|t| tokens.0.lock().unwrap().get(t).copied());
    let refusal = match bearer {
        None => Refusal::Missing,
        Some(t) => Refusal::Unknown(t.to_owned()),
    };
    let parts: Vec<&str> = req.path().trim_start_matches('/').split('/').collect();
    let valid = match (req.method.as_str(), parts.as_slice()) {
        ("GET", ["v1", "projects", project, "locations", location, "models"]) => {
            if *project != VERTEX_PROJECT {
                let resource =
                    format!("//aiplatform.googleapis.com/projects/{project}/locations/{location}");
                google_error(
                    403,
                    "PERMISSION_DENIED",
                    &format!(
                        "Permission 'aiplatform.models.list' denied on resource '{resource}' (or it may not exist)."
                    ),
                    json!([error_info(
                        "IAM_PERMISSION_DENIED",
                        "aiplatform.googleapis.com",
                        json!({"permission": "aiplatform.models.list", "resource": format!("projects/{project}/locations/{location}")})
                    )]),
                )
            } else {
                Reply::json(
                    200,
                    json!({
                        "models": [{
                            "name": format!("projects/{PROJECT_NUMBER}/locations/{location}/models/4915340815282667520"),
                            "displayName": "front-desk-tuned", "versionId": "1",
                            "createTime": "2025-06-02T09:00:00.000000Z", "updateTime": "2025-06-02T09:30:00.000000Z"
                        }],
                        "nextPageToken": "CgkI8KyX6QYQ9gI"
                    }),
                )
            }
        }
        _ => google_error(
            404,
            "NOT_FOUND",
            "The requested URL was not found on this server.",
            json!([]),
        ),
    };
    Documented {
        behaviour,
        refused: |_| google_error(401, "UNAUTHENTICATED",
            "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.",
            json!([error_info("ACCESS_TOKEN_TYPE_UNSUPPORTED", "googleapis.com",
                json!({"service": "aiplatform.googleapis.com", "method": "google.cloud.aiplatform.v1.ModelService.ListModels"}))])),
        valid,
        limited: Some(google_error(403, "PERMISSION_DENIED",
            &format!("Vertex AI API has not been used in project {PROJECT_NUMBER} before or it is disabled. Enable it by visiting https://console.developers.google.com/apis/api/aiplatform.googleapis.com/overview?project={PROJECT_NUMBER} then retry. If you enabled this API recently, wait a few minutes for the action to propagate to our systems and retry."),
            json!([error_info("SERVICE_DISABLED", "googleapis.com", json!({
                "service": "aiplatform.googleapis.com", "consumer": format!("projects/{PROJECT_NUMBER}"),
                "activationUrl": format!("https://console.developers.google.com/apis/api/aiplatform.googleapis.com/overview?project={PROJECT_NUMBER}")
            }))]))),
        server_error: google_error(503, "UNAVAILABLE", "The service is currently unavailable.", json!([])),
        rate_limited: google_error(429, "RESOURCE_EXHAUSTED",
            &format!("Quota exceeded for quota metric 'Resource management (CRUD) requests' and limit 'Resource management (CRUD) requests per minute per region' of service 'aiplatform.googleapis.com' for consumer 'project_number:{PROJECT_NUMBER}'."),
            json!([error_info("RATE_LIMIT_EXCEEDED", "googleapis.com", json!({"service": "aiplatform.googleapis.com", "consumer": format!("projects/{PROJECT_NUMBER}")}))])),
    }
    .reply(refusal)
}
