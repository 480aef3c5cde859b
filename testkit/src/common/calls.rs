//! Calls as a test records them on our server (which places none itself)
//! and as the hosted stand-in keeps them.

use secrecy::SecretString;
use voicedock::domain::{Call, CallMessage, CallStatus};
use voicedock::server;

use super::TestServer;

/// A call of the seed's assistant, `status`, made at `created_at` (RFC
/// 3339); an `ended-with-error` one carries the provider's error.
pub fn call(id: &str, status: &str, created_at: &str) -> Call {
    let status = CallStatus::parse(status);
    let failed = status == CallStatus::EndedWithError;
    Call {
        id: id.to_owned(),
        caller_phone: Some("+31612345678".to_owned()),
        assistant_phone: Some("+31201234567".to_owned()),
        status,
        direction: Some("inbound".to_owned()),
        end_reason: Some(
            if failed {
                "error"
            } else {
                "customer-ended-call"
            }
            .to_owned(),
        ),
        error: failed
            .then(|| "ElevenLabs: voice_not_found (the voice id does not exist)".to_owned()),
        started_at: Some(created_at.to_owned()),
        ended_at: Some(created_at.to_owned()),
        duration_seconds: Some(42.0),
        summary: Some("The caller asked for opening hours.".to_owned()),
        analysis_result: Some(serde_json::json!({"successful": !failed})),
        messages: Some(vec![
            CallMessage {
                role: Some("assistant".to_owned()),
                content: Some("Hello, how can I help?".to_owned()),
            },
            CallMessage {
                role: Some("user".to_owned()),
                content: Some("When are you open?".to_owned()),
            },
        ]),
        room_name: Some(format!("room-{id}")),
        recording_url: Some(format!("https://recordings.example/{id}.mp3")),
        agent_id: Some("asst_1".to_owned()),
        number_id: None,
        agent_name: Some("My Assistant".to_owned()),
        business_name: Some("Test Company".to_owned()),
        phone_number: Some("+31201234567".to_owned()),
        created_at: created_at.to_owned(),
        updated_at: Some(created_at.to_owned()),
    }
}

impl TestServer {
    /// Records `call` as one of the test account's.
    pub fn record_call(&self, call: &Call) {
        self.record_call_as(&self.api_key, call);
    }

    pub fn record_call_as(&self, key: &str, call: &Call) {
        let key = SecretString::from(key.to_owned());
        server::record_call(self.data_dir(), &key, call).unwrap();
    }
}
