//! What this session knows of provider keys beyond the server's BYOK
//! state: the last check of each stored key, the keys stored this session
//! (held in memory only, so they can be checked again without asking, and
//! wiped when dropped), and the voice libraries the checks listed.

use std::collections::HashMap;

use secrecy::SecretString;

use crate::config::VoiceCache;
use crate::domain::{ByokState, Catalog, KeyCheck, LlmConfig, SttConfig, TtsConfig, Verdict};

use super::key_state::KeyState;
use super::msg::RequestId;

#[derive(Default)]
pub struct KeyChecks {
    last: HashMap<String, KeyCheck>,
    held: HashMap<String, SecretString>,
    libraries: HashMap<String, VoiceCache>,
    /// Providers whose stored key is being checked, by request.
    pub running: HashMap<String, RequestId>,
    /// The server answered that it has no check route: stored keys are
    /// checked from here, with the key stored this session or typed again.
    pub server_cannot_check: bool,
}

impl std::fmt::Debug for KeyChecks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyChecks")
            .field("last", &self.last)
            .field("held", &self.held.keys().collect::<Vec<_>>())
            .field("libraries", &self.libraries.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl KeyChecks {
    /// Starts with the voice libraries cached on disk.
    pub fn with_libraries(libraries: impl IntoIterator<Item = VoiceCache>) -> KeyChecks {
        KeyChecks {
            libraries: libraries
                .into_iter()
                .map(|l| (l.provider.clone(), l))
                .collect(),
            ..KeyChecks::default()
        }
    }

    /// The result of checking the stored key; a voice list it found
    /// replaces the library.
    pub fn record(&mut self, check: KeyCheck) {
        self.learn_voices(&check);
        self.last.insert(check.provider.clone(), check);
    }

    /// A check of a key not (yet) stored still lists the voices it can use.
    pub fn learn_voices(&mut self, check: &KeyCheck) {
        if let Some(cache) = VoiceCache::from_check(check) {
            self.libraries.insert(check.provider.clone(), cache);
        }
    }

    pub fn last(&self, provider: &str) -> Option<&KeyCheck> {
        self.last.get(provider)
    }

    /// Keeps the key just stored, and its check if it had one.
    pub fn stored(&mut self, provider: &str, key: SecretString, check: Option<KeyCheck>) {
        self.running.remove(provider);
        self.held.insert(provider.to_owned(), key);
        match check {
            Some(check) => self.record(check),
            None => {
                self.last.remove(provider);
            }
        }
    }

    /// The key gone from the server: its copy and its check go too.
    pub fn removed(&mut self, provider: &str) {
        self.running.remove(provider);
        self.held.remove(provider);
        self.last.remove(provider);
    }

    pub fn held(&self, provider: &str) -> Option<&SecretString> {
        self.held.get(provider)
    }

    pub fn library(&self, provider: &str) -> Option<&VoiceCache> {
        self.libraries.get(provider)
    }
}

/// One key an assistant's models use, and what is known of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyNeed {
    pub provider: String,
    /// `None` while the keys are loading.
    pub configured: Option<bool>,
    /// This session's last check of the stored key.
    pub check: Option<Verdict>,
}

impl KeyNeed {
    pub fn state(&self) -> KeyState {
        KeyState::of(self.configured, self.check)
    }

    /// The provider and its mark: `openai ✓`, in the vocabulary of `KeyState`.
    pub fn brief(&self) -> String {
        format!("{} {}", self.provider, self.state().mark())
    }

    /// The provider's label, as the editor and the status line name it.
    pub fn label<'a>(&'a self, cat: &'a Catalog) -> &'a str {
        cat.secret(&self.provider)
            .map_or(self.provider.as_str(), |s| s.label.as_str())
    }
}

/// The keys three configs use, with their state, in catalog order.
pub fn key_needs(
    cat: &Catalog,
    configs: (Option<&SttConfig>, Option<&LlmConfig>, Option<&TtsConfig>),
    byok: Option<&ByokState>,
    checks: &KeyChecks,
) -> Vec<KeyNeed> {
    needs_of_secrets(cat.secrets_used_by_configs(configs), byok, checks)
}

/// `key_needs` for the provider and model of each section, as the
/// assistants list keeps them.
pub fn key_needs_of_models(
    cat: &Catalog,
    models: [Option<(&str, Option<&str>)>; 3],
    byok: Option<&ByokState>,
    checks: &KeyChecks,
) -> Vec<KeyNeed> {
    needs_of_secrets(cat.secrets_used_by_models(models), byok, checks)
}

fn needs_of_secrets(
    providers: Vec<&str>,
    byok: Option<&ByokState>,
    checks: &KeyChecks,
) -> Vec<KeyNeed> {
    providers
        .into_iter()
        .map(|provider| KeyNeed {
            provider: provider.to_owned(),
            configured: byok.map(|b| b.byok_keys.is_configured(provider)),
            check: checks.last(provider).map(|c| c.result),
        })
        .collect()
}

/// The library a TTS voice is missing from, as last listed: the voice
/// will not speak. `None` when it is there or nothing is known.
pub fn voice_missing<'a>(
    provider: &str,
    voice: &str,
    checks: &'a KeyChecks,
) -> Option<&'a VoiceCache> {
    let voice = voice.trim();
    let library = checks.library(provider).filter(|_| !voice.is_empty())?;
    (!library.voices.iter().any(|v| v.voice_id == voice)).then_some(library)
}

/// `voice_missing` for an assistant's TTS config.
pub fn tts_voice_missing<'a>(
    tts: Option<&TtsConfig>,
    checks: &'a KeyChecks,
) -> Option<&'a VoiceCache> {
    let tts = tts?;
    voice_missing(&tts.provider, tts.voice_id.as_deref()?, checks)
}
