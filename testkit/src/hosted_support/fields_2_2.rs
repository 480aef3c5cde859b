//! The assistant fields added by the hosted platform since SDK 2.0, in the
//! shapes its 2.2 types document: what the stand-in answers and what the
//! round-trip tests send. Every sub-field is set, each within its range.

use serde_json::{Value, json};

pub fn speech_config() -> Value {
    json!({
        "turn_taking": {
            "endpointing_min_delay": 0.4, "endpointing_max_delay": 2,
            "interruption_min_duration": 0.3, "interruption_min_words": 2,
            "false_interruption_timeout": null
        },
        "pronunciation": [{"from": "VoiceDock", "to": "voice dock"}],
        "background_audio": {"enabled": true, "clip": "crowded_room", "volume": 0.3},
        "silence": {
            "messages": ["Are you still there?"], "final_message": "Goodbye for now.",
            "first_check_seconds": 3, "interval_seconds": 12, "max_attempts": 3
        },
        "end_call_message": "Thanks for calling.",
        "first_message_outbound": "Hi, this is the front desk.",
        "end_call_phrases": ["goodbye", "that's all"]
    })
}

pub fn recording_consent() -> Value {
    json!({"enabled": true, "message": "This call is recorded. Press 1 to agree."})
}

/// An LLM tool on one of the account's MCP servers.
/// The MCP server the sample's tool names; a test against a server that
/// checks it replaces it with one of its own.
pub const MCP_SERVER_ID: &str = "mcp_7f3a";

pub fn mcp_tool() -> Value {
    json!({"type": "mcp", "mcp_server_id": MCP_SERVER_ID, "allowed_tools": ["lookup_order"], "required": true})
}

/// An assistant as the hosted service answers it with every 2.2 field set:
/// the MCP tool, xAI realtime turn detection and tools, no TTS (it speaks).
pub fn hosted_assistant_2_2(id: &str) -> Value {
    json!({
        "id": id, "name": "Front desk 2.2", "is_active": true, "gdpr_mode": false,
        "notification_emails": ["ops@example.com"],
        "recording_consent": recording_consent(),
        "speech_config": speech_config(),
        "stt_config": {"provider": "deepgram", "model": "nova-3", "language": "nl",
            "numerals": true, "filler_words": false, "utterance_end_ms": 1000, "no_delay": true},
        "llm_config": {"provider": "xai_realtime", "model": "grok-voice-think-fast-2.0",
            "voice": "eve", "reasoning_effort": "high", "speed": 1.2,
            "turn_detection": {"threshold": 0.5, "prefix_padding_ms": 300,
                "silence_duration_ms": 200, "idle_timeout_ms": 10000},
            "transcription": {"language_hint": "nl", "keyterms": ["VoiceDock"]},
            "provider_tools": [{"type": "web_search"},
                {"type": "x_search", "allowed_x_handles": ["voicedock"]},
                {"type": "file_search", "vector_store_ids": ["vs_1"], "max_num_results": 5}],
            "tools": [mcp_tool()]},
        "tts_config": null,
        "created_at": "2026-12-01T10:00:00Z", "updated_at": "2026-12-01T10:00:00Z"
    })
}
