//! The speech providers' checks in detail: the ElevenLabs Voice Library
//! page by page with its quota, Inworld's workspace voices, Deepgram's
//! projects and balance, Gladia's list.

use testkit::upstream_support;

use upstream_support::{
    Behaviour, INWORLD_CLONE, StandIns, checked, library, library_labels, needs,
};
use voicedock::domain::{CheckNeeds, Quota, Verdict};

fn voices(ids: &[&str]) -> CheckNeeds {
    CheckNeeds {
        models: Vec::new(),
        voices: ids.iter().map(|v| (*v).to_owned()).collect(),
    }
}

#[tokio::test]
async fn elevenlabs_follows_the_pages_to_every_library_voice() {
    let s = StandIns::start();
    let check = checked(&s, "elevenlabs", Behaviour::Valid, &needs("elevenlabs")).await;
    assert_eq!(check.result, Verdict::Valid, "{}", check.reason);
    assert_eq!(
        check.reason,
        "ElevenLabs accepted the key; your Voice Library holds 120 voices"
    );
    let found = check.found.voices.unwrap();
    let ids: Vec<(String, String)> = found
        .iter()
        .map(|v| (v.voice_id.clone(), v.name.clone()))
        .collect();
    assert_eq!(ids, library());
    for (i, voice) in found.iter().enumerate() {
        let expected = library_labels(i)
            .and_then(|l| serde_json::from_value(l).ok())
            .unwrap_or_default();
        assert_eq!(voice.labels, expected, "voice {i}");
    }
    assert_eq!(found[0].category.as_deref(), Some("premade"));
    assert_eq!(found[0].labels["accent"], "american");

    let pages: Vec<String> = s
        .seen()
        .into_iter()
        .map(|r| r.path)
        .filter(|p| p.starts_with("/v2/voices"))
        .collect();
    assert_eq!(pages.len(), 2, "{pages:?}");
    assert_eq!(pages[0], "/v2/voices?page_size=100");
    assert!(
        pages[1].starts_with("/v2/voices?page_size=100&next_page_token="),
        "{}",
        pages[1]
    );
    // The token ends in base64 padding: sent percent-encoded, or the
    // stand-in would not have found the second page.
    assert!(pages[1].ends_with("%3D%3D"), "{}", pages[1]);
}

#[tokio::test]
async fn elevenlabs_reports_the_character_quota() {
    let s = StandIns::start();
    let check = checked(&s, "elevenlabs", Behaviour::Valid, &CheckNeeds::default()).await;
    let quota = Quota {
        used: 31_250,
        limit: 121_000,
        tier: Some("creator".to_owned()),
    };
    assert_eq!(check.found.quota, Some(quota));
    assert!(
        check
            .found
            .facts
            .contains(&"89750 of 121000 characters left (creator tier)".to_owned()),
        "{:?}",
        check.found.facts
    );
}

#[tokio::test]
async fn a_voice_outside_the_library_makes_elevenlabs_limited() {
    let s = StandIns::start();
    let absent = "NotInTheLibrary00000";
    let needed = [library()[3].0.clone(), absent.to_owned()];
    let check = checked(
        &s,
        "elevenlabs",
        Behaviour::Valid,
        &voices(&[&needed[0], &needed[1]]),
    )
    .await;
    assert_eq!(check.result, Verdict::Limited);
    assert_eq!(check.found.missing_voices, [absent]);
    assert_eq!(
        check.reason,
        format!(
            "ElevenLabs accepted the key, but your assistants use voice {absent} that your Voice Library does not hold"
        )
    );
    assert_eq!(check.found.voices.map(|v| v.len()), Some(120));
}

#[tokio::test]
async fn an_elevenlabs_key_out_of_characters_and_voices_read_is_limited() {
    let s = StandIns::start();
    let check = checked(&s, "elevenlabs", Behaviour::Limited, &needs("elevenlabs")).await;
    assert_eq!(check.result, Verdict::Limited);
    assert_eq!(
        check.reason,
        "ElevenLabs accepted the key, but no characters are left this period"
    );
    assert_eq!(check.found.quota.as_ref().map(Quota::left), Some(0));
    // Not allowed to list voices: the library is not known, so neither
    // is a voice missing from it.
    assert_eq!(check.found.voices, None);
    assert!(check.found.missing_voices.is_empty());
}

#[tokio::test]
async fn inworld_lists_the_workspace_voices_with_their_labels() {
    let s = StandIns::start();
    let check = checked(&s, "inworld", Behaviour::Valid, &needs("inworld")).await;
    assert_eq!(check.result, Verdict::Valid, "{}", check.reason);
    let found = check.found.voices.unwrap();
    assert_eq!(found.len(), 7);
    let clone = found.iter().find(|v| v.voice_id == INWORLD_CLONE).unwrap();
    assert_eq!(clone.category.as_deref(), Some("ivc"));
    assert_eq!(clone.name, "front desk");
    let ashley = found.iter().find(|v| v.voice_id == "Ashley").unwrap();
    assert_eq!(ashley.category.as_deref(), Some("system"));
    assert_eq!(ashley.labels["gender"], "female");
    assert_eq!(ashley.labels["age"], "young");
    assert_eq!(ashley.labels["language"], "EN_US");
}

#[tokio::test]
async fn an_inworld_workspace_without_the_cloned_voice_is_limited() {
    let s = StandIns::start();
    let check = checked(&s, "inworld", Behaviour::Limited, &needs("inworld")).await;
    assert_eq!(check.result, Verdict::Limited);
    assert_eq!(check.found.missing_voices, [INWORLD_CLONE]);
    assert!(check.reason.contains(INWORLD_CLONE), "{}", check.reason);
}

#[tokio::test]
async fn deepgram_names_the_project_and_sums_its_balance() {
    let s = StandIns::start();
    let check = checked(&s, "deepgram", Behaviour::Valid, &CheckNeeds::default()).await;
    assert_eq!(
        check.reason,
        "Deepgram accepted the key; it belongs to 1 project"
    );
    assert_eq!(
        check.found.facts,
        ["projects: Voice agents", "balance: 199.75 usd"]
    );
    let paths: Vec<String> = s.seen().into_iter().map(|r| r.path).collect();
    assert_eq!(
        paths,
        [
            "/v1/projects".to_owned(),
            format!(
                "/v1/projects/{}/balances",
                upstream_support::DEEPGRAM_PROJECT
            )
        ]
    );
}

#[tokio::test]
async fn a_deepgram_key_without_the_project_scope_is_limited() {
    let s = StandIns::start();
    let check = checked(&s, "deepgram", Behaviour::Limited, &CheckNeeds::default()).await;
    assert_eq!(check.result, Verdict::Limited);
    assert_eq!(
        check.reason,
        "Deepgram accepted the key, but it may not list its projects"
    );
    assert_eq!(check.calls[0].status, Some(403));
}

#[tokio::test]
async fn gladia_asks_for_one_past_transcription() {
    let s = StandIns::start();
    let check = checked(&s, "gladia", Behaviour::Valid, &CheckNeeds::default()).await;
    assert_eq!(check.result, Verdict::Valid);
    assert_eq!(check.found.facts, ["past transcriptions: yes"]);
    assert_eq!(s.seen()[0].path, "/v2/pre-recorded?limit=1");

    let refused = checked(&s, "gladia", Behaviour::Invalid, &CheckNeeds::default()).await;
    assert_eq!(refused.result, Verdict::Invalid);
    assert_eq!(refused.reason, "Gladia refused the key (HTTP 401)");
}
