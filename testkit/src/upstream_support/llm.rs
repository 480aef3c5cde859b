//! OpenAI, xAI and Mistral: `GET /v1/models` behind a bearer key.

use serde_json::{Value, json};

use super::Behaviour;
use super::answers::{Documented, Refusal, credential, request_id};
use super::http::{Reply, Request};
use super::keys::masked;

/// The model Mistral's `Limited` key does not list.
pub const MISTRAL_NOT_FOR_LIMITED: &str = "mistral-medium-latest";

const OPENAI_MODELS: &[&str] = &[
    "gpt-5.4",
    "gpt-5.4-mini",
    "gpt-5.4-nano",
    "gpt-5.2",
    "gpt-5.1",
    "gpt-5",
    "gpt-5-mini",
    "gpt-5-nano",
    "gpt-4.1",
    "gpt-4.1-mini",
    "gpt-4.1-nano",
    "gpt-5.6-luna",
    "gpt-5.6-terra",
    "gpt-5.6-sol",
    "gpt-4o-mini",
    "gpt-4o",
    "gpt-live-1",
    "whisper-1",
    "tts-1",
    "text-embedding-3-small",
];
const XAI_MODELS: &[&str] = &[
    "grok-4.3",
    "grok-4",
    "grok-3-mini",
    "grok-voice-think-fast-2.0",
    "grok-2-image-1212",
];
const MISTRAL_MODELS: &[&str] = &[
    "mistral-medium-latest",
    "mistral-small-latest",
    "mistral-large-latest",
    "ministral-8b-latest",
    "ministral-14b-latest",
    "ministral-3b-latest",
    "voxtral-mini-latest",
    "codestral-latest",
];

/// The models a `Valid` key of `provider` lists.
pub fn models(provider: &str) -> Vec<String> {
    let all = match provider {
        "openai" => OPENAI_MODELS,
        "xai" => XAI_MODELS,
        "mistral" => MISTRAL_MODELS,
        "google" => super::gemini::GEMINI_MODELS,
        _ => &[],
    };
    all.iter().map(|m| (*m).to_owned()).collect()
}

fn openai_error(message: &str, kind: &str, code: Value) -> Value {
    json!({"error": {"message": message, "type": kind, "param": null, "code": code}})
}

/// `GET /v1/models`, `Authorization: Bearer KEY`. The 401 for an unknown
/// key quotes the key's start and end, as OpenAI's does; a restricted key
/// without *Models: Read* gets the "Missing scopes" 401.
pub fn openai(req: &Request) -> Reply {
    let (behaviour, refusal) = credential("openai", req.header("authorization"), "Bearer ");
    let valid = if req.method == "GET" && req.path() == "/v1/models" {
        let data: Vec<Value> = OPENAI_MODELS
            .iter()
            .map(|id| json!({"id": id, "object": "model", "created": 1721172741, "owned_by": "system"}))
            .collect();
        Reply::json(200, json!({"object": "list", "data": data}))
    } else {
        let message = format!("Invalid URL ({} {})", req.method, req.path());
        Reply::json(
            404,
            openai_error(&message, "invalid_request_error", Value::Null),
        )
    };
    Documented {
        behaviour,
        refused: |why| match why {
            Refusal::Missing => Reply::json(401, openai_error(
                "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username and password. You can obtain an API key from https://platform.openai.com/account/api-keys.",
                "invalid_request_error",
                Value::Null,
            )),
            Refusal::Unknown(key) => Reply::json(401, openai_error(
                &format!("Incorrect API key provided: {}. You can find your API key at https://platform.openai.com/account/api-keys.", masked(key, 10)),
                "invalid_request_error",
                json!("invalid_api_key"),
            )),
        },
        valid,
        limited: Some(Reply::json(401, openai_error(
            "You have insufficient permissions for this operation. Missing scopes: api.model.read. Check that you have the correct role in your organization (Reader, Writer, Owner) and project (Viewer, Member, Owner), and if you're using a restricted API key, that it has the necessary scopes.",
            "invalid_request_error",
            Value::Null,
        ))),
        server_error: Reply::json(500, openai_error(
            "The server had an error while processing your request. Sorry about that!",
            "server_error",
            Value::Null,
        )),
        rate_limited: Reply::json(429, openai_error(
            "Rate limit reached for default-model in organization org-standin on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 20s.",
            "requests",
            json!("rate_limit_exceeded"),
        ))
        .with_header("retry-after", "20"),
    }
    .reply(refusal)
}

/// `GET /v1/api-key` (the key's own record) and `GET /v1/models`. A key it
/// does not know gets xAI's 400 "Incorrect API key", whose `error` is a
/// string; the `Limited` key's ACLs allow images but not chat.
pub fn xai(req: &Request) -> Reply {
    let (behaviour, refusal) = credential("xai", req.header("authorization"), "Bearer ");
    let acls = if behaviour == Some(Behaviour::Limited) {
        json!(["api-key:model:*", "api-key:endpoint:image"])
    } else {
        json!(["api-key:model:*", "api-key:endpoint:*"])
    };
    let models = Reply::json(
        200,
        json!({"object": "list", "data": XAI_MODELS.iter()
            .map(|id| json!({"id": id, "object": "model", "created": 1700000000, "owned_by": "xai"}))
            .collect::<Vec<_>>()}),
    );
    let record = Reply::json(
        200,
        json!({
            "redacted_api_key": "xai-...b14o",
            "user_id": "59fbe5f2-0000-4000-8000-00000000c0de",
            "name": "voice agents",
            "create_time": "2024-01-01T12:55:18.139305Z",
            "modify_time": "2024-08-28T17:20:12.343321Z",
            "modified_by": "3d38b4dc-0000-4000-8000-00000000c0de",
            "team_id": "5ea6f6bd-0000-4000-8000-00000000c0de",
            "acls": acls,
            "api_key_id": "ae1e1841-0000-4000-8000-00000000c0de",
            "team_blocked": false,
            "api_key_blocked": false,
            "api_key_disabled": false
        }),
    );
    let (valid, limited) = match (req.method.as_str(), req.path()) {
        ("GET", "/v1/api-key") => (record, None),
        // What the ACLs deny is the chat endpoint; the model list stays open.
        ("GET", "/v1/models") => (models, None),
        _ => (
            Reply::json(
                404,
                json!({"code": "Not found", "error": "The requested resource was not found."}),
            ),
            None,
        ),
    };
    Documented {
        behaviour,
        refused: |why| match why {
            Refusal::Missing => Reply::json(401, json!({
                "code": "Unauthenticated",
                "error": "No authorization header or an invalid authorization token is provided."
            })),
            Refusal::Unknown(key) => Reply::json(400, json!({
                "code": "Client specified an invalid argument",
                "error": format!("Incorrect API key provided: {}. You can obtain an API key from https://console.x.ai.", masked(key, 8))
            })),
        },
        valid,
        limited,
        server_error: Reply::json(500, json!({"code": "Internal error", "error": "Service temporarily unavailable. Please try again later."})),
        rate_limited: Reply::json(429, json!({"code": "Some resource has been exhausted", "error": "Too many requests: the team's rate limit was reached."})),
    }
    .reply(refusal)
}

/// `GET /v1/models`: model cards with capabilities. Mistral has no
/// restricted key; its `Limited` key is one whose list lacks
/// [`MISTRAL_NOT_FOR_LIMITED`], as a key of a workspace without it.
pub fn mistral(req: &Request) -> Reply {
    let (behaviour, refusal) = credential("mistral", req.header("authorization"), "Bearer ");
    let card = |id: &&str| {
        let chat = !id.starts_with("voxtral");
        json!({
            "id": id, "object": "model", "created": 1718000000, "owned_by": "mistralai",
            "name": id, "description": format!("{id} from the stand-in"),
            "capabilities": {"completion_chat": chat, "completion_fim": id.starts_with("codestral"),
                             "function_calling": chat, "fine_tuning": false, "vision": false},
            "max_context_length": 131072, "aliases": [], "deprecation": null,
            "default_model_temperature": 0.3, "type": "base"
        })
    };
    let list = |skip: Option<&str>| {
        let data: Vec<Value> = MISTRAL_MODELS
            .iter()
            .filter(|m| Some(**m) != skip)
            .map(card)
            .collect();
        Reply::json(200, json!({"object": "list", "data": data}))
    };
    let (valid, limited) = if req.method == "GET" && req.path() == "/v1/models" {
        (list(None), Some(list(Some(MISTRAL_NOT_FOR_LIMITED))))
    } else {
        (Reply::json(404, json!({"detail": "Not Found"})), None)
    };
    Documented {
        behaviour,
        refused: |why| match why {
            Refusal::Missing => Reply::json(401, json!({"message": "No API key found in request"})),
            Refusal::Unknown(key) => Reply::json(
                401,
                json!({"message": "Unauthorized", "request_id": request_id(key)}),
            ),
        },
        valid,
        limited,
        server_error: Reply::json(500, json!({
            "object": "error", "message": "Internal server error", "type": "internal_server_error",
            "param": null, "code": "3000"
        })),
        rate_limited: Reply::json(429, json!({"message": "Requests rate limit exceeded"})),
    }
    .reply(refusal)
}
