//! A key check through the scrub boundary: every string in it came from a
//! provider (or a server we do not own) at some point, so every one passes
//! [`Scrubber`] and every list is bounded, wherever the check was made or
//! received. The server answers only scrubbed checks, the CLI prints them,
//! the console draws them and the voice cache stores them.

use super::check::{CheckCall, Found, KeyCheck, LibraryVoice, Quota};
use super::text::{ECHOED, KeyPieces, MAX_LISTED, Scrubber, WITHHELD};

const ID: usize = 200;
const NAME: usize = 80;
const LABEL: usize = 60;
const SENTENCE: usize = 500;
/// Labels and facts are a few per voice or check; more is not data.
const MAX_LABELS: usize = 20;
const MAX_FACTS: usize = 50;
const MAX_CALLS: usize = 50;

impl KeyCheck {
    /// This check with no terminal control, no form of `secrets`, and at
    /// most `MAX_LISTED` voices or models; when a value held a secret it is
    /// withheld and the check says so.
    pub fn scrubbed(self, secrets: &KeyPieces) -> KeyCheck {
        let mut scrub = Scrubber::new(secrets);
        let mut found = scrub_found(&mut scrub, self.found);
        let calls = self
            .calls
            .into_iter()
            .take(MAX_CALLS)
            .map(|c| CheckCall {
                method: scrub.value(&c.method, 10),
                url: scrub.sentence(&c.url, SENTENCE),
                status: c.status,
                millis: c.millis,
            })
            .collect();
        let mut reason = scrub.sentence(&self.reason, SENTENCE);
        if scrub.withheld {
            if !found.facts.iter().any(|f| f == ECHOED) {
                found.facts.insert(0, ECHOED.to_owned());
            }
            if !reason.contains(ECHOED) {
                reason = format!("{reason} ({ECHOED})");
            }
        }
        KeyCheck {
            provider: scrub.value(&self.provider, ID),
            result: self.result,
            reason,
            checked_at: scrub.value(&self.checked_at, 40),
            checked_by: scrub.value(&self.checked_by, 20),
            found,
            calls,
        }
    }
}

fn scrub_found(scrub: &mut Scrubber<'_>, found: Found) -> Found {
    let mut facts: Vec<String> = found
        .facts
        .iter()
        .take(MAX_FACTS)
        .map(|f| scrub.sentence(f, SENTENCE))
        .collect();
    let models = found.models.map(|models| {
        let (mut kept, over) = scrub.list(models, |s, m| s.value(&m, ID));
        // An id that was withheld names nothing anyone can pick.
        kept.retain(|m| m != WITHHELD);
        if over {
            facts.push(format!("only the first {MAX_LISTED} models were kept"));
        }
        kept
    });
    let voices = found.voices.map(|voices| {
        let (mut kept, over) = scrub.list(voices, scrub_voice);
        kept.retain(|v| v.voice_id != WITHHELD);
        if over {
            facts.push(format!("only the first {MAX_LISTED} voices were kept"));
        }
        kept
    });
    let ids =
        |scrub: &mut Scrubber<'_>, list: Vec<String>| scrub.list(list, |s, v| s.value(&v, ID)).0;
    Found {
        missing_models: ids(scrub, found.missing_models),
        missing_voices: ids(scrub, found.missing_voices),
        models,
        voices,
        quota: found.quota.map(|q| Quota {
            tier: q.tier.map(|t| scrub.value(&t, 40)),
            ..q
        }),
        facts,
    }
}

fn scrub_voice(scrub: &mut Scrubber<'_>, voice: LibraryVoice) -> LibraryVoice {
    LibraryVoice {
        voice_id: scrub.value(&voice.voice_id, NAME),
        name: scrub.value(&voice.name, NAME),
        category: voice.category.map(|c| scrub.value(&c, 40)),
        labels: voice
            .labels
            .into_iter()
            .take(MAX_LABELS)
            .map(|(k, v)| (scrub.value(&k, 40), scrub.value(&v, LABEL)))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Verdict;

    const KEY: &str = "xi-Qw7Rt9Yu3Io5Pa1SdFgHjKl";

    fn echoing(key: &str) -> KeyCheck {
        KeyCheck {
            provider: "elevenlabs".into(),
            result: Verdict::Valid,
            reason: "ElevenLabs accepted the key".into(),
            checked_at: "2026-12-07T10:00:00Z".into(),
            checked_by: "server".into(),
            found: Found {
                voices: Some(vec![LibraryVoice {
                    voice_id: "voice-1".into(),
                    name: format!("Rachel {}", key.to_lowercase()),
                    category: Some("premade".into()),
                    labels: [("key".to_owned(), key.to_owned())].into(),
                }]),
                quota: Some(Quota {
                    used: 1,
                    limit: 2,
                    tier: Some(key.into()),
                }),
                facts: vec![format!("tier for {key}")],
                ..Found::default()
            },
            calls: vec![CheckCall {
                method: "GET".into(),
                url: format!("http://127.0.0.1:1/v1/{key}"),
                status: Some(200),
                millis: 1,
            }],
        }
    }

    #[test]
    fn an_echoed_key_leaves_no_trace_and_is_named() {
        let check = echoing(KEY).scrubbed(&KeyPieces::of(KEY));
        let text = serde_json::to_string(&check).unwrap();
        assert!(!text.to_lowercase().contains("qw7rt9yu"), "{text}");
        let voice = &check.found.voices.as_ref().unwrap()[0];
        assert_eq!(voice.name, WITHHELD);
        assert_eq!(voice.voice_id, "voice-1");
        assert_eq!(check.found.facts[0], ECHOED);
        assert!(check.reason.contains(ECHOED), "{}", check.reason);
    }

    #[test]
    fn a_clean_check_is_unchanged_and_lists_are_bounded() {
        let clean = echoing("nothing-secret-here");
        assert_eq!(clean.clone().scrubbed(&KeyPieces::of(KEY)), clean);
        let mut long = clean;
        long.found.models = Some((0..MAX_LISTED + 5).map(|i| format!("m{i}")).collect());
        let check = long.scrubbed(&KeyPieces::of(KEY));
        assert_eq!(check.found.models.unwrap().len(), MAX_LISTED);
        assert!(
            check
                .found
                .facts
                .iter()
                .any(|f| f.contains("first 5000 models"))
        );
    }
}
