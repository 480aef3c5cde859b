//! The editor's fields: their order, labels, kinds and the JSON paths that
//! name them in errors.

use super::speech::SPEECH_SETTINGS;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Name,
    FirstMessage,
    SttModel,
    SttLanguage,
    LlmModel,
    Temperature,
    Messages,
    LlmVoice,
    TtsProvider,
    TtsModel,
    VoiceId,
    IsActive,
    MaxDuration,
    Voicemail,
    VoicemailMessage,
    GdprMode,
    WebhookUrl,
    WebhookEvents,
    WebhookSecret,
    /// A speech setting, by its place in `SPEECH_SETTINGS`.
    Speech(u8),
}

impl Field {
    pub const ALL: [Field; 28] = [
        Field::Name,
        Field::FirstMessage,
        Field::SttModel,
        Field::SttLanguage,
        Field::LlmModel,
        Field::Temperature,
        Field::Messages,
        Field::LlmVoice,
        // The provider first: which models and voices fit follows from it.
        Field::TtsProvider,
        Field::TtsModel,
        Field::VoiceId,
        Field::IsActive,
        Field::MaxDuration,
        Field::Voicemail,
        Field::VoicemailMessage,
        Field::GdprMode,
        Field::WebhookUrl,
        Field::WebhookEvents,
        Field::WebhookSecret,
        Field::Speech(0),
        Field::Speech(1),
        Field::Speech(2),
        Field::Speech(3),
        Field::Speech(4),
        Field::Speech(5),
        Field::Speech(6),
        Field::Speech(7),
        Field::Speech(8),
    ];

    /// The hosted assistant field this form field edits.
    pub fn hosted_name(self) -> Option<&'static str> {
        Some(match self {
            Field::IsActive => "is_active",
            Field::MaxDuration => "max_duration_seconds",
            Field::Voicemail => "voicemail_detection",
            Field::VoicemailMessage => "voicemail_message",
            Field::GdprMode => "gdpr_mode",
            Field::WebhookUrl => "webhook_url",
            Field::WebhookEvents => "webhook_events",
            Field::WebhookSecret => "webhook_secret",
            _ => return None,
        })
    }

    /// Yes/no fields: Enter toggles them.
    pub fn is_toggle(self) -> bool {
        matches!(self, Field::IsActive | Field::Voicemail | Field::GdprMode)
    }

    pub fn label(self) -> &'static str {
        match self {
            Field::Name => "Name",
            Field::FirstMessage => "First message",
            Field::SttModel => "STT model",
            Field::SttLanguage => "STT language",
            Field::LlmModel => "LLM model",
            Field::Temperature => "Temperature",
            Field::Messages => "Messages",
            Field::LlmVoice => "LLM voice",
            Field::TtsProvider => "TTS provider",
            Field::VoiceId => "TTS voice id",
            Field::TtsModel => "TTS model",
            Field::IsActive => "Active",
            Field::MaxDuration => "Max call (s)",
            Field::Voicemail => "Voicemail det.",
            Field::VoicemailMessage => "Voicemail msg",
            Field::GdprMode => "GDPR mode",
            Field::WebhookUrl => "Webhook URL",
            Field::WebhookEvents => "Webhook events",
            Field::WebhookSecret => "Webhook secret",
            Field::Speech(i) => SPEECH_SETTINGS[usize::from(i)].label,
        }
    }

    pub fn is_text(self) -> bool {
        matches!(
            self,
            Field::Name
                | Field::FirstMessage
                | Field::Temperature
                | Field::VoiceId
                | Field::MaxDuration
                | Field::VoicemailMessage
                | Field::WebhookUrl
                | Field::WebhookEvents
                | Field::WebhookSecret
                | Field::Speech(_)
        )
    }

    /// The field an error's JSON path names; `None` for errors about the
    /// whole assistant (a conflict, the network).
    pub fn for_param(param: &str) -> Option<Field> {
        if param.is_empty() {
            return None;
        }
        Some(Self::field_of(param))
    }

    fn field_of(param: &str) -> Field {
        let under = |prefix: &str| param.strip_prefix(prefix);
        if let Some(i) = SPEECH_SETTINGS.iter().position(|s| {
            under(s.root)
                .and_then(|rest| rest.strip_prefix('.'))
                .is_some_and(|rest| rest.starts_with(s.path))
        }) {
            return Field::Speech(i as u8);
        }
        if let Some(rest) = under("stt_config.") {
            return if rest.starts_with("language") {
                Field::SttLanguage
            } else {
                Field::SttModel
            };
        }
        if let Some(hosted) = Field::ALL
            .iter()
            .find(|f| f.hosted_name().is_some_and(|n| param.starts_with(n)))
        {
            return *hosted;
        }
        if let Some(rest) = under("llm_config.") {
            return match rest {
                r if r.starts_with("temperature") => Field::Temperature,
                r if r.starts_with("messages") => Field::Messages,
                r if r.starts_with("voice") => Field::LlmVoice,
                _ => Field::LlmModel,
            };
        }
        if param == "tts_config" {
            return Field::LlmVoice;
        }
        if let Some(rest) = under("tts_config.") {
            return match rest {
                r if r.starts_with("voice_id") => Field::VoiceId,
                r if r.starts_with("provider") => Field::TtsProvider,
                _ => Field::TtsModel,
            };
        }
        if param.starts_with("first_message") {
            Field::FirstMessage
        } else {
            Field::Name
        }
    }

    fn step(self, forward: bool) -> Field {
        let i = Field::ALL.iter().position(|f| *f == self).unwrap_or(0);
        let n = Field::ALL.len();
        Field::ALL[if forward {
            (i + 1) % n
        } else {
            (i + n - 1) % n
        }]
    }

    pub fn next(self) -> Field {
        self.step(true)
    }

    pub fn prev(self) -> Field {
        self.step(false)
    }
}
