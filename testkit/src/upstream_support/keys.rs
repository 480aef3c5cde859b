//! Keys shaped as each provider issues them, each standing for one
//! behaviour. They are derived (SHA-256 of provider and behaviour), so the
//! stand-in knows a key by comparing it whole, and any other key, however
//! well-formed, is one it does not know.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest, Sha256};

use super::Behaviour;

/// The registered key of the stand-in's service accounts.
pub const VERTEX_PRIVATE_KEY: &str = include_str!("../../fixtures/test_only_vertex_sa_key.pem");
/// A key the stand-in never registered, as a deleted or rotated one.
pub const VERTEX_ROTATED_KEY: &str =
    include_str!("../../fixtures/test_only_vertex_rotated_key.pem");
pub const VERTEX_PROJECT: &str = "voicedock-standin";
const VERTEX_ACCOUNT_DOMAIN: &str = "@voicedock-standin.iam.gserviceaccount.com";

const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const HEX: &[u8] = b"0123456789abcdef";
const URL_SAFE: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// `len` characters of `alphabet`, the same for the same `seed`.
pub fn filler(seed: &str, len: usize, alphabet: &[u8]) -> String {
    let mut out = String::with_capacity(len);
    let mut round = 0u32;
    while out.len() < len {
        let digest = Sha256::digest(format!("{seed}/{round}").as_bytes());
        for byte in digest {
            if out.len() == len {
                break;
            }
            out.push(alphabet[usize::from(byte) % alphabet.len()] as char);
        }
        round += 1;
    }
    out
}

/// A well-formed key for `provider` (it passes `validate_provider_key` with
/// the builtin catalog) that the stand-in answers with `b`; for
/// `google_vertex` a service-account key file whose `client_email` carries `b`.
pub fn key(provider: &str, b: Behaviour) -> String {
    let seed = format!("{provider}/{b:?}");
    let part = |n, alphabet| filler(&seed, n, alphabet);
    match provider {
        "openai" => format!("sk-proj-{}", part(56, ALNUM)),
        "xai" => format!("xai-{}", part(80, ALNUM)),
        "mistral" => part(32, ALNUM),
        "deepgram" => part(40, HEX),
        "elevenlabs" => format!("sk_{}", part(48, HEX)),
        "resend" => {
            let all = part(33, ALNUM);
            format!("re_{}_{}", &all[..8], &all[8..])
        }
        "gladia" => {
            let h = part(32, HEX);
            format!(
                "{}-{}-{}-{}-{}",
                &h[..8],
                &h[8..12],
                &h[12..16],
                &h[16..20],
                &h[20..]
            )
        }
        // The portal hands out `base64(key id:secret)`, sent as it is.
        "inworld" => STANDARD.encode(format!("{}:{}", part(32, ALNUM), part(64, ALNUM))),
        "google" => format!("AIzaSy{}", part(33, URL_SAFE)),
        "google_vertex" => vertex_key(VERTEX_PRIVATE_KEY, b),
        other => panic!("no BYOK provider {other:?}"),
    }
}

/// The service account whose `client_email` carries the behaviour.
pub fn vertex_account(b: Behaviour) -> String {
    format!("checker-{}{VERTEX_ACCOUNT_DOMAIN}", tag(b))
}

/// A service-account key file as the Cloud console downloads it, signed
/// with `private_key_pem`.
pub fn vertex_key(private_key_pem: &str, b: Behaviour) -> String {
    let email = vertex_account(b);
    serde_json::json!({
        "type": "service_account",
        "project_id": VERTEX_PROJECT,
        "private_key_id": filler(&format!("kid/{b:?}/{private_key_pem}"), 40, HEX),
        "private_key": private_key_pem,
        "client_email": email,
        "client_id": "104857600000000000001",
        "auth_uri": "https://accounts.google.com/o/oauth2/auth",
        "token_uri": "https://oauth2.googleapis.com/token",
        "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
        "client_x509_cert_url": format!(
            "https://www.googleapis.com/robot/v1/metadata/x509/{}",
            email.replace('@', "%40")
        ),
        "universe_domain": "googleapis.com"
    })
    .to_string()
}

/// The behaviour a service account's email stands for; `None` for an
/// account the stand-in does not know.
pub fn vertex_behaviour(email: &str) -> Option<Behaviour> {
    let name = email.strip_suffix(VERTEX_ACCOUNT_DOMAIN)?;
    Behaviour::ALL
        .into_iter()
        .filter(|b| *b != Behaviour::Invalid)
        .find(|b| name == format!("checker-{}", tag(*b)))
}

/// What a presented key stands for; `None` for a key the stand-in does not
/// know, which includes every `Invalid` one.
pub fn behaviour_of(provider: &str, presented: &str) -> Option<Behaviour> {
    Behaviour::ALL
        .into_iter()
        .filter(|b| *b != Behaviour::Invalid)
        .find(|b| key(provider, *b) == presented)
}

fn tag(b: Behaviour) -> String {
    format!("{b:?}").to_ascii_lowercase()
}

/// How providers quote a refused key back: its start and its end.
pub fn masked(key: &str, head: usize) -> String {
    let chars: Vec<char> = key.chars().collect();
    let head: String = chars.iter().take(head).collect();
    let tail: String = chars[chars.len().saturating_sub(4)..].iter().collect();
    format!("{head}***{tail}")
}
