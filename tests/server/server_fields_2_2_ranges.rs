//! Each value of the hosted platform's 2.2 assistant fields out of its
//! documented range, on create and on update: refused by its path, and
//! nothing stored.

use testkit::common::TestServer;
use testkit::hosted_support::fields_2_2::mcp_tool;

use serde_json::{Value, json};

/// `(what is sent beside a name, the path the refusal names)`.
fn out_of_range() -> Vec<(Value, &'static str)> {
    let speech = |v: Value| json!({ "speech_config": v });
    let turn = |v: Value| speech(json!({ "turn_taking": v }));
    let silence = |v: Value| speech(json!({ "silence": v }));
    let xai = |v: Value| {
        let mut llm = json!({"provider": "xai_realtime", "model": "grok-voice-think-fast-2.0"});
        llm.as_object_mut()
            .unwrap()
            .extend(v.as_object().unwrap().clone());
        json!({"llm_config": llm, "tts_config": null})
    };
    let openai = |tools: Value| json!({"llm_config": {"provider": "openai", "model": "gpt-5.4", "tools": tools}});
    let deepgram = |v: Value| {
        let mut stt = json!({"provider": "deepgram", "model": "nova-3", "language": "nl"});
        stt.as_object_mut()
            .unwrap()
            .extend(v.as_object().unwrap().clone());
        json!({ "stt_config": stt })
    };
    let tts = |v: Value| json!({ "tts_config": v });
    let names = |n: usize| json!((0..n).map(|i| format!("tool_{i}")).collect::<Vec<_>>());
    vec![
        (
            turn(json!({"endpointing_min_delay": 9})),
            "speech_config.turn_taking.endpointing_min_delay",
        ),
        (
            turn(json!({"endpointing_min_delay": 0.05})),
            "speech_config.turn_taking.endpointing_min_delay",
        ),
        (
            turn(json!({"endpointing_max_delay": 5.5})),
            "speech_config.turn_taking.endpointing_max_delay",
        ),
        (
            turn(json!({"endpointing_min_delay": 2, "endpointing_max_delay": 1})),
            "speech_config.turn_taking.endpointing_max_delay",
        ),
        (
            turn(json!({"interruption_min_duration": 2.5})),
            "speech_config.turn_taking.interruption_min_duration",
        ),
        (
            turn(json!({"interruption_min_words": 11})),
            "speech_config.turn_taking.interruption_min_words",
        ),
        (
            turn(json!({"interruption_min_words": 1.5})),
            "speech_config.turn_taking.interruption_min_words",
        ),
        (
            turn(json!({"false_interruption_timeout": 0.1})),
            "speech_config.turn_taking.false_interruption_timeout",
        ),
        (
            turn(json!({"endpointing_delay": 1})),
            "speech_config.turn_taking.endpointing_delay",
        ),
        (
            speech(json!({"pronunciation": vec![json!({"from": "a", "to": "b"}); 51]})),
            "speech_config.pronunciation",
        ),
        (
            speech(json!({"pronunciation": [{"from": "", "to": "b"}]})),
            "speech_config.pronunciation[0].from",
        ),
        (
            speech(json!({"pronunciation": [{"from": "a".repeat(65), "to": "b"}]})),
            "speech_config.pronunciation[0].from",
        ),
        (
            speech(json!({"pronunciation": [{"from": "a"}]})),
            "speech_config.pronunciation[0].to",
        ),
        (
            speech(json!({"background_audio": {"clip": "beach"}})),
            "speech_config.background_audio.clip",
        ),
        (
            speech(json!({"background_audio": {"volume": 0.01}})),
            "speech_config.background_audio.volume",
        ),
        (
            speech(json!({"background_audio": {"enabled": "yes"}})),
            "speech_config.background_audio.enabled",
        ),
        (
            silence(json!({"messages": vec!["Hello?"; 6]})),
            "speech_config.silence.messages",
        ),
        (
            silence(json!({"messages": [""]})),
            "speech_config.silence.messages[0]",
        ),
        (
            silence(json!({"final_message": "x".repeat(301)})),
            "speech_config.silence.final_message",
        ),
        (
            silence(json!({"first_check_seconds": 0.5})),
            "speech_config.silence.first_check_seconds",
        ),
        (
            silence(json!({"interval_seconds": 121})),
            "speech_config.silence.interval_seconds",
        ),
        (
            silence(json!({"max_attempts": 11})),
            "speech_config.silence.max_attempts",
        ),
        (
            speech(json!({"end_call_message": "x".repeat(301)})),
            "speech_config.end_call_message",
        ),
        (
            speech(json!({"first_message_outbound": "x".repeat(301)})),
            "speech_config.first_message_outbound",
        ),
        (
            speech(json!({"end_call_phrases": vec!["bye"; 6]})),
            "speech_config.end_call_phrases",
        ),
        (
            speech(json!({"end_call_phrases": ["x".repeat(101)]})),
            "speech_config.end_call_phrases[0]",
        ),
        (
            speech(json!({"end_call_phrases": ["bye", "a!"]})),
            "speech_config.end_call_phrases[1]",
        ),
        (
            speech(json!({"turn_taking": 5})),
            "speech_config.turn_taking",
        ),
        (json!({"speech_config": "fast"}), "speech_config"),
        (
            json!({"recording_consent": {"enabled": "yes"}}),
            "recording_consent.enabled",
        ),
        (
            json!({"recording_consent": {"prompt": "x"}}),
            "recording_consent.prompt",
        ),
        (
            json!({"notification_emails": vec!["a@example.com"; 6]}),
            "notification_emails",
        ),
        (
            openai(json!([{"type": "mcp", "mcp_server_id": "mcp_1", "allowed_tools": names(40)}])),
            "llm_config.tools[0].allowed_tools",
        ),
        (
            openai(json!([{"type": "mcp", "mcp_server_id": "mcp_1", "allowed_tools": names(26)}])),
            "llm_config.tools[0].allowed_tools",
        ),
        (
            openai(json!([mcp_tool(), {"type": "mcp", "mcp_server_id": "not an id!"}])),
            "llm_config.tools[1].mcp_server_id",
        ),
        (
            openai(json!([{"type": "mcp", "allowed_tools": []}])),
            "llm_config.tools[0].mcp_server_id",
        ),
        (
            openai(json!([{"type": "mcp", "mcp_server_id": "mcp_1", "required": "yes"}])),
            "llm_config.tools[0].required",
        ),
        (
            openai(json!([{"type": "mcp", "mcp_server_id": "mcp_1", "allowed_tools": [1]}])),
            "llm_config.tools[0].allowed_tools",
        ),
        (
            xai(json!({"turn_detection": {"threshold": 1.5}})),
            "llm_config.turn_detection.threshold",
        ),
        (
            xai(json!({"turn_detection": {"silence_duration_ms": 50}})),
            "llm_config.turn_detection.silence_duration_ms",
        ),
        (
            xai(json!({"turn_detection": {"idle_timeout_ms": 30001}})),
            "llm_config.turn_detection.idle_timeout_ms",
        ),
        (xai(json!({"speed": 1.6})), "llm_config.speed"),
        (
            xai(json!({"reasoning_effort": "low"})),
            "llm_config.reasoning_effort",
        ),
        (
            xai(json!({"transcription": {"keyterms": vec!["k"; 101]}})),
            "llm_config.transcription.keyterms",
        ),
        (
            xai(json!({"transcription": {"keyterms": ["k".repeat(51)]}})),
            "llm_config.transcription.keyterms[0]",
        ),
        (
            xai(
                json!({"provider_tools": [{"type": "x_search", "allowed_x_handles": vec!["h"; 21]}]}),
            ),
            "llm_config.provider_tools[0].allowed_x_handles",
        ),
        (
            xai(json!({"provider_tools": [{"type": "file_search", "vector_store_ids": []}]})),
            "llm_config.provider_tools[0].vector_store_ids",
        ),
        (
            xai(json!({"provider_tools": [{"type": "code_run"}]})),
            "llm_config.provider_tools[0].type",
        ),
        (
            json!({"llm_config": {"provider": "openai_live", "model": "gpt-live-1", "delegation": {"model": "gpt-4o"}}, "tts_config": null}),
            "llm_config.delegation.model",
        ),
        (
            json!({"llm_config": {"provider": "openai", "model": "gpt-5.4", "max_completion_tokens": 32769}}),
            "llm_config.max_completion_tokens",
        ),
        (
            deepgram(json!({"utterance_end_ms": 999})),
            "stt_config.utterance_end_ms",
        ),
        (
            deepgram(json!({"endpointing": 5001})),
            "stt_config.endpointing",
        ),
        (deepgram(json!({"numerals": "yes"})), "stt_config.numerals"),
        (
            tts(
                json!({"provider": "google", "model": "chirp-3-hd", "voice_id": "Kore", "speaking_rate": 2.5}),
            ),
            "tts_config.speaking_rate",
        ),
        (
            tts(
                json!({"provider": "elevenlabs", "voice_id": "v1", "apply_text_normalization": "maybe"}),
            ),
            "tts_config.apply_text_normalization",
        ),
        (
            tts(
                json!({"provider": "elevenlabs", "model": "eleven_v3", "voice_id": "v1", "similarity_boost": 0.5}),
            ),
            "tts_config.similarity_boost",
        ),
        (
            tts(
                json!({"provider": "elevenlabs", "model": "eleven_v4", "voice_id": "v1", "use_speaker_boost": true}),
            ),
            "tts_config.use_speaker_boost",
        ),
        (
            tts(
                json!({"provider": "elevenlabs", "model": "eleven_v4_turbo", "voice_id": "v1", "speed": 1}),
            ),
            "tts_config.speed",
        ),
        (
            tts(
                json!({"provider": "elevenlabs", "model": "eleven_v3", "voice_id": "v1", "style": 0.2}),
            ),
            "tts_config.style",
        ),
    ]
}

#[tokio::test]
async fn each_value_out_of_its_range_is_refused_by_its_path() {
    let server = TestServer::start().await;
    let r = server
        .post("/api/v1/assistants", json!({"name": "Patched"}))
        .await;
    let path = format!(
        "/api/v1/assistants/{}",
        r.body["assistant"]["id"].as_str().unwrap()
    );
    for (fields, expected) in out_of_range() {
        let mut body = fields.clone();
        body["name"] = json!("Out of range");
        let r = server.post("/api/v1/assistants", body.clone()).await;
        let (status, _, param) = r.error();
        assert_eq!(
            (status, param.as_deref()),
            (400, Some(expected)),
            "create {fields}: {}",
            r.text
        );
        let r = server.patch(&path, fields.clone()).await;
        let (status, _, param) = r.error();
        assert_eq!(
            (status, param.as_deref()),
            (400, Some(expected)),
            "update {fields}: {}",
            r.text
        );
    }
    let listed = server.get("/api/v1/assistants").await;
    assert_eq!(
        listed.body["assistants"].as_array().unwrap().len(),
        1,
        "nothing stored"
    );
}
