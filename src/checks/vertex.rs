//! Vertex AI with a service-account key (JSON): the OAuth 2.0 JWT bearer
//! flow turns it into an access token — a JWT signed RS256 with the
//! account's `private_key`, posted to Google's token endpoint
//! (developers.google.com/identity/protocols/oauth2/service-account) — and
//! `GET /v1/projects/{project}/locations/{location}/models?pageSize=1`
//! proves the project may use Vertex AI (cloud.google.com/vertex-ai/docs/reference/rest/v1/projects.locations.models/list).
//! The token request goes to the configured `google_oauth` upstream, not
//! to the document's `token_uri`: a key file does not choose where we send.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use serde_json::{Value, json};
use zeroize::Zeroizing;

use super::google::reason;
use super::probe::{Probe, secret_header};
use super::upstreams::GOOGLE_OAUTH;
use super::{Outcome, Upstreams, not_understood, unreached};
use crate::domain::{CheckNeeds, Found, Verdict, plain_text};

const NAME: &str = "Vertex AI";
/// The platform runs Vertex in the EU.
const LOCATION: &str = "europe-west4";
const SCOPE: &str = "https://www.googleapis.com/auth/cloud-platform";
const AUDIENCE: &str = "https://oauth2.googleapis.com/token";

pub async fn check(
    probe: &mut Probe,
    upstreams: &Upstreams,
    credential: &str,
    _needs: &CheckNeeds,
) -> Outcome {
    let account = match Account::parse(credential) {
        Ok(account) => account,
        Err(why) => return Outcome::new(Verdict::Invalid, why),
    };
    let assertion = match account.assertion(now()) {
        Ok(jwt) => jwt,
        Err(why) => return Outcome::new(Verdict::Invalid, why),
    };
    let Some(oauth) = upstreams.base(GOOGLE_OAUTH) else {
        return Outcome::new(
            Verdict::Unknown,
            "no address is known for Google's token endpoint",
        );
    };
    let api_base = std::mem::replace(&mut probe.base, oauth.to_owned());
    let form = [
        ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
        ("assertion", assertion.as_str()),
    ];
    let token = probe.post_form("/token", &form).await;
    probe.base = api_base;
    let token = match token {
        Err(why) => return unreached("Google's token endpoint", why),
        Ok(answer) if answer.ok() => {
            match answer.body.get("access_token").and_then(Value::as_str) {
                Some(t) => Zeroizing::new(t.to_owned()),
                None => {
                    return Outcome::new(
                        Verdict::Unknown,
                        "Google's token endpoint answered without an access token",
                    );
                }
            }
        }
        Ok(answer) => {
            let error = answer.text("/error").unwrap_or_default();
            return match error.as_str() {
                "invalid_grant" => Outcome::new(
                    Verdict::Invalid,
                    "Google refused the service account (invalid_grant): the key was deleted or rotated, or the account is gone or disabled",
                ),
                "invalid_client" => Outcome::new(
                    Verdict::Invalid,
                    "Google does not know this service account (invalid_client)",
                ),
                _ => not_understood("Google's token endpoint", &answer),
            };
        }
    };
    let Some(auth) = secret_header(
        "authorization",
        &zeroize::Zeroizing::new(format!("Bearer {}", token.as_str())),
    ) else {
        return Outcome::new(
            Verdict::Unknown,
            "Google's access token cannot be sent in a header",
        );
    };
    let path = format!(
        "/v1/projects/{}/locations/{LOCATION}/models?pageSize=1",
        account.project_id
    );
    let mut found = Found::default();
    found.facts.push(format!("project: {}", account.project_id));
    found
        .facts
        .push(format!("service account: {}", account.client_email));
    match probe.get(&path, &auth).await {
        Err(why) => unreached(NAME, why),
        // An empty list is `{}`; a body that is no JSON object at all did
        // not come from the models list.
        Ok(answer) if answer.ok() && !answer.body.is_object() => Outcome::new(
            Verdict::Unknown,
            "Vertex AI answered the model list in a shape this check does not know",
        )
        .with(found),
        Ok(answer) if answer.ok() => Outcome::new(
            Verdict::Valid,
            format!(
                "Google accepted the service account, and project {} may use Vertex AI in {LOCATION}",
                account.project_id
            ),
        )
        .with(found),
        Ok(answer) if answer.status == 403 => {
            let why = match reason(&answer).as_str() {
                "SERVICE_DISABLED" => "the Vertex AI API is disabled in the project".to_owned(),
                "BILLING_DISABLED" => "billing is disabled in the project".to_owned(),
                _ => "the account lacks a Vertex AI role in the project (aiplatform.models.list denied)".to_owned(),
            };
            Outcome::new(
                Verdict::Limited,
                format!("Google accepted the service account, but {why}"),
            )
            .with(found)
        }
        Ok(answer) if answer.status == 404 => Outcome::new(
            Verdict::Limited,
            format!(
                "Google accepted the service account, but Vertex AI does not know project {} in {LOCATION}",
                account.project_id
            ),
        )
        .with(found),
        Ok(answer) => not_understood(NAME, &answer).with(found),
    }
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// The parts of the key file a check uses; the private key only as DER,
/// wiped when dropped.
struct Account {
    client_email: String,
    project_id: String,
    private_key_id: Option<String>,
    der: Zeroizing<Vec<u8>>,
}

impl Account {
    fn parse(credential: &str) -> Result<Account, String> {
        let doc: Zeroizing<String> = Zeroizing::new(credential.to_owned());
        let value: Value = serde_json::from_str(&doc)
            .map_err(|_| "the credential is not a JSON document".to_owned())?;
        let field = |name: &str| {
            value
                .get(name)
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .ok_or_else(|| format!("the credential has no {name}"))
        };
        let client_email = plain_text(field("client_email")?, 200);
        let project_id = field("project_id")?.to_owned();
        if !project_id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == ':' || c == '.')
        {
            return Err("the credential's project_id is not a project id".to_owned());
        }
        let pem = Zeroizing::new(field("private_key")?.to_owned());
        let der = pem_to_der(&pem)?;
        let private_key_id = value
            .get("private_key_id")
            .and_then(Value::as_str)
            .map(|s| plain_text(s, 100));
        // `value` holds the private key as text too: wipe it before it goes.
        zeroize_value(value);
        Ok(Account {
            client_email,
            project_id,
            private_key_id,
            der,
        })
    }

    /// The signed JWT the token endpoint takes, valid for at most an hour.
    fn assertion(&self, now: u64) -> Result<Zeroizing<String>, String> {
        let key = ring::signature::RsaKeyPair::from_pkcs8(&self.der).map_err(|_| {
            "the credential's private_key is not an RSA key in PKCS#8 form".to_owned()
        })?;
        let mut header = json!({"alg": "RS256", "typ": "JWT"});
        if let Some(kid) = &self.private_key_id {
            header["kid"] = json!(kid);
        }
        let claims = json!({
            "iss": self.client_email,
            "scope": SCOPE,
            "aud": AUDIENCE,
            "iat": now,
            "exp": now + 3600,
        });
        let signing_input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        let mut signature = vec![0u8; key.public().modulus_len()];
        key.sign(
            &ring::signature::RSA_PKCS1_SHA256,
            &ring::rand::SystemRandom::new(),
            signing_input.as_bytes(),
            &mut signature,
        )
        .map_err(|_| "the credential's private_key could not sign".to_owned())?;
        Ok(Zeroizing::new(format!(
            "{signing_input}.{}",
            URL_SAFE_NO_PAD.encode(signature)
        )))
    }
}

/// `-----BEGIN PRIVATE KEY-----` … base64 … `-----END PRIVATE KEY-----`.
fn pem_to_der(pem: &str) -> Result<Zeroizing<Vec<u8>>, String> {
    let body: Zeroizing<String> = Zeroizing::new(
        pem.lines()
            .map(str::trim)
            .filter(|l| !l.starts_with("-----"))
            .collect(),
    );
    if !pem.contains("BEGIN PRIVATE KEY") {
        return Err("the credential's private_key is not a PEM private key".to_owned());
    }
    STANDARD
        .decode(body.as_bytes())
        .map(Zeroizing::new)
        .map_err(|_| "the credential's private_key is not valid base64".to_owned())
}

/// Overwrites every string in a parsed document before it is dropped.
fn zeroize_value(mut value: Value) {
    fn wipe(v: &mut Value) {
        match v {
            Value::String(s) => zeroize::Zeroize::zeroize(s),
            Value::Array(items) => items.iter_mut().for_each(wipe),
            Value::Object(map) => map.values_mut().for_each(wipe),
            _ => {}
        }
    }
    wipe(&mut value);
}
