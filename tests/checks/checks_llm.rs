//! The LLM providers' checks in detail: OpenAI, xAI, Mistral and the
//! Gemini API list models, and a model an assistant uses that the key does
//! not list makes the key limited.

use testkit::upstream_support;

use upstream_support::{
    Behaviour, MISTRAL_NOT_FOR_LIMITED, StandIns, checked, key, leaked_piece, models, needs,
};
use voicedock::domain::{CheckNeeds, Verdict};

fn wanting(models: &[&str]) -> CheckNeeds {
    CheckNeeds {
        models: models.iter().map(|m| (*m).to_owned()).collect(),
        voices: Vec::new(),
    }
}

#[tokio::test]
async fn a_valid_key_lists_every_model_it_may_use() {
    let s = StandIns::start();
    for provider in ["openai", "xai", "mistral", "google"] {
        let check = checked(&s, provider, Behaviour::Valid, &needs(provider)).await;
        assert_eq!(check.result, Verdict::Valid, "{}", check.reason);
        assert_eq!(check.found.models, Some(models(provider)), "{provider}");
        assert!(check.reason.contains("including"), "{}", check.reason);
    }
}

#[tokio::test]
async fn a_model_the_key_does_not_list_makes_it_limited() {
    let s = StandIns::start();
    for provider in ["openai", "xai", "mistral", "google"] {
        let needs = wanting(&["gpt-9-preview", "grok-9", &models(provider)[0]]);
        let check = checked(&s, provider, Behaviour::Valid, &needs).await;
        assert_eq!(check.result, Verdict::Limited, "{}", check.reason);
        assert_eq!(
            check.found.missing_models,
            ["gpt-9-preview", "grok-9"],
            "{provider}"
        );
        assert!(
            check.reason.contains("gpt-9-preview and grok-9"),
            "{}",
            check.reason
        );
    }
}

#[tokio::test]
async fn openai_quotes_a_refused_key_but_the_check_does_not() {
    let s = StandIns::start();
    let refused = key("openai", Behaviour::Invalid);
    let answer = voicedock::client::http_builder()
        .build()
        .unwrap()
        .get(format!("{}/v1/models", s.base("openai")))
        .bearer_auth(&refused)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 401);
    let body = answer.text().await.unwrap();
    assert!(body.contains("invalid_api_key"), "{body}");
    assert!(leaked_piece(&body, &refused).is_some(), "{body}");

    let check = checked(&s, "openai", Behaviour::Invalid, &CheckNeeds::default()).await;
    assert_eq!(check.result, Verdict::Invalid);
    assert_eq!(check.reason, "OpenAI refused the key (HTTP 401)");
    assert_eq!(check.calls.len(), 1);
    assert_eq!(check.calls[0].status, Some(401));
}

#[tokio::test]
async fn an_openai_key_without_models_read_is_limited_by_its_scope() {
    let s = StandIns::start();
    let check = checked(&s, "openai", Behaviour::Limited, &needs("openai")).await;
    assert_eq!(check.result, Verdict::Limited);
    assert!(
        check.reason.contains("restricted (missing api.model.read)"),
        "{}",
        check.reason
    );
    assert_eq!(check.found.models, None);
}

#[tokio::test]
async fn xai_reads_the_key_record_before_the_models() {
    let s = StandIns::start();
    let check = checked(&s, "xai", Behaviour::Valid, &needs("xai")).await;
    assert_eq!(check.result, Verdict::Valid);
    let paths: Vec<String> = s.seen().into_iter().map(|r| r.path).collect();
    assert_eq!(paths, ["/v1/api-key", "/v1/models"]);
    assert!(
        check
            .found
            .facts
            .contains(&"key name: voice agents".to_owned()),
        "{:?}",
        check.found.facts
    );
    assert!(
        check
            .found
            .facts
            .contains(&"ACLs: api-key:model:*, api-key:endpoint:*".to_owned())
    );
}

#[tokio::test]
async fn xai_acls_without_chat_make_the_key_limited() {
    let s = StandIns::start();
    let check = checked(&s, "xai", Behaviour::Limited, &needs("xai")).await;
    assert_eq!(check.result, Verdict::Limited);
    assert!(check.reason.contains("chat endpoint"), "{}", check.reason);
    // The record said enough: the model list is not asked.
    assert_eq!(s.seen().len(), 1);
}

#[tokio::test]
async fn xai_refuses_an_unknown_key_with_400_incorrect_api_key() {
    let s = StandIns::start();
    let check = checked(&s, "xai", Behaviour::Invalid, &CheckNeeds::default()).await;
    assert_eq!(check.result, Verdict::Invalid);
    assert_eq!(check.reason, "xAI refused the key: incorrect API key");
    assert_eq!(check.calls[0].status, Some(400));
}

#[tokio::test]
async fn a_mistral_key_without_the_assistants_model_is_limited() {
    let s = StandIns::start();
    let check = checked(&s, "mistral", Behaviour::Limited, &needs("mistral")).await;
    assert_eq!(check.result, Verdict::Limited);
    assert_eq!(check.found.missing_models, [MISTRAL_NOT_FOR_LIMITED]);
    let listed = check.found.models.unwrap();
    assert_eq!(listed.len(), models("mistral").len() - 1);
    assert!(check.reason.contains(MISTRAL_NOT_FOR_LIMITED));
}

#[tokio::test]
async fn gemini_models_lose_their_prefix_and_the_key_stays_out_of_the_url() {
    let s = StandIns::start();
    let check = checked(&s, "google", Behaviour::Valid, &needs("google")).await;
    let listed = check.found.models.unwrap();
    assert!(
        listed.contains(&"gemini-2.5-flash".to_owned()),
        "{listed:?}"
    );
    assert!(listed.iter().all(|m| !m.starts_with("models/")));
    let seen = s.seen();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].path, "/v1beta/models?pageSize=1000");
}

#[tokio::test]
async fn gemini_with_the_api_disabled_is_limited() {
    let s = StandIns::start();
    let check = checked(&s, "google", Behaviour::Limited, &needs("google")).await;
    assert_eq!(check.result, Verdict::Limited);
    assert_eq!(
        check.reason,
        "Google accepted the key, but the Generative Language API is disabled in its project"
    );
}

#[tokio::test]
async fn gemini_refuses_an_unknown_key_as_not_valid() {
    let s = StandIns::start();
    let check = checked(&s, "google", Behaviour::Invalid, &needs("google")).await;
    assert_eq!(check.result, Verdict::Invalid);
    assert_eq!(check.reason, "Google refused the key: API key not valid");
}
