//! The voices of a profile's provider library (ElevenLabs), as the last key
//! check found them: names, ids and labels, never a key. Kept in the cache
//! dir so the voice picker works at start-up, with its age shown.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::files::write_atomic;
use crate::domain::text::{MAX_ANSWER_BYTES, MAX_LISTED};
use crate::domain::{KeyCheck, LibraryVoice};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoiceCache {
    pub provider: String,
    /// RFC 3339: when the check that listed them ran.
    pub fetched_at: String,
    /// Who listed them: `"local"` or `"server"`.
    pub checked_by: String,
    pub voices: Vec<LibraryVoice>,
}

/// `cache_dir/voices/<profile>--<provider>.json`: a profile name such as
/// `..` stays a file name, never a path.
pub fn voice_cache_file(cache_dir: &Path, profile: &str, provider: &str) -> PathBuf {
    cache_dir
        .join("voices")
        .join(format!("{profile}--{provider}.json"))
}

impl VoiceCache {
    /// The voices a check listed, if it listed any.
    pub fn from_check(check: &KeyCheck) -> Option<VoiceCache> {
        Some(VoiceCache {
            provider: check.provider.clone(),
            fetched_at: check.checked_at.clone(),
            checked_by: check.checked_by.clone(),
            voices: check.found.voices.clone()?,
        })
    }

    /// The cache for `profile`, or `None` when there is none, it cannot be
    /// read or it is over the bounds a check keeps to (it is only a cache:
    /// the next check writes it again). Its voices came through the scrub
    /// boundary when they were stored, and pass it again with `secrets`: a
    /// cache an older build wrote may hold what this one would not keep.
    pub fn load(
        cache_dir: &Path,
        profile: &str,
        provider: &str,
        secrets: &crate::domain::text::KeyPieces,
    ) -> Option<VoiceCache> {
        use std::io::Read;
        let file = std::fs::File::open(voice_cache_file(cache_dir, profile, provider)).ok()?;
        let mut text = Vec::new();
        file.take(MAX_ANSWER_BYTES as u64 + 1)
            .read_to_end(&mut text)
            .ok()?;
        if text.len() > MAX_ANSWER_BYTES {
            return None;
        }
        let cache: VoiceCache = serde_json::from_slice(&text).ok()?;
        if cache.voices.len() > MAX_LISTED {
            return None;
        }
        let scrubbed = KeyCheck {
            provider: cache.provider,
            result: crate::domain::Verdict::Unknown,
            reason: String::new(),
            checked_at: cache.fetched_at,
            checked_by: cache.checked_by,
            found: crate::domain::Found {
                voices: Some(cache.voices),
                ..Default::default()
            },
            calls: Vec::new(),
        }
        .scrubbed(secrets);
        VoiceCache::from_check(&scrubbed)
    }

    /// Writes the cache, keeping it within the bound `load` reads: a list
    /// that serialises larger keeps its first voices.
    pub fn store(&self, cache_dir: &Path, profile: &str) -> anyhow::Result<()> {
        let mut text = serde_json::to_vec_pretty(self)?;
        let mut kept = self.voices.len();
        while text.len() > MAX_ANSWER_BYTES && kept > 0 {
            kept = kept * MAX_ANSWER_BYTES / text.len() * 9 / 10;
            let fewer = VoiceCache {
                voices: self.voices[..kept].to_vec(),
                ..self.clone()
            };
            text = serde_json::to_vec_pretty(&fewer)?;
        }
        write_atomic(
            &voice_cache_file(cache_dir, profile, &self.provider),
            &text,
            0o600,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cache_round_trips_at_mode_0600() {
        let dir = tempfile::tempdir().unwrap();
        let cache = VoiceCache {
            provider: "elevenlabs".into(),
            fetched_at: "2026-12-02T10:00:00Z".into(),
            checked_by: "local".into(),
            voices: vec![LibraryVoice {
                voice_id: "21m00Tcm4TlvDq8ikWAM".into(),
                name: "Rachel".into(),
                category: Some("premade".into()),
                labels: [("accent".to_owned(), "american".to_owned())].into(),
            }],
        };
        cache.store(dir.path(), "prod").unwrap();
        assert_eq!(
            VoiceCache::load(dir.path(), "prod", "elevenlabs", &Default::default()).as_ref(),
            Some(&cache)
        );
        assert_eq!(
            VoiceCache::load(dir.path(), "staging", "elevenlabs", &Default::default()),
            None
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let file = voice_cache_file(dir.path(), "prod", "elevenlabs");
            let mode = std::fs::metadata(file).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let odd = voice_cache_file(dir.path(), "..", "elevenlabs");
        assert_eq!(odd.parent(), Some(dir.path().join("voices").as_path()));
    }

    fn voice(i: usize, label: &str) -> LibraryVoice {
        LibraryVoice {
            voice_id: format!("voice{i:06}"),
            name: format!("Voice {i}"),
            category: None,
            labels: [("description".to_owned(), label.to_owned())].into(),
        }
    }

    #[test]
    fn a_cache_stays_within_its_bound_and_one_over_it_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let big = VoiceCache {
            provider: "elevenlabs".into(),
            fetched_at: "2026-12-02T10:00:00Z".into(),
            checked_by: "local".into(),
            voices: (0..MAX_LISTED)
                .map(|i| voice(i, &"x".repeat(900)))
                .collect(),
        };
        big.store(dir.path(), "prod").unwrap();
        let file = voice_cache_file(dir.path(), "prod", "elevenlabs");
        assert!(std::fs::metadata(&file).unwrap().len() as usize <= MAX_ANSWER_BYTES);
        let kept = VoiceCache::load(dir.path(), "prod", "elevenlabs", &Default::default());
        let kept = kept.expect("a cache within the bound is read").voices;
        assert!(
            !kept.is_empty() && kept.len() < MAX_LISTED,
            "{}",
            kept.len()
        );
        assert_eq!(kept[0].voice_id, big.voices[0].voice_id);

        // Written by something else, over the bound: not read at all.
        let over = serde_json::to_vec(&big).unwrap();
        assert!(over.len() > MAX_ANSWER_BYTES);
        std::fs::write(&file, over).unwrap();
        assert_eq!(
            VoiceCache::load(dir.path(), "prod", "elevenlabs", &Default::default()),
            None
        );
    }

    #[test]
    fn a_cached_voice_holding_a_key_is_not_brought_back() {
        let dir = tempfile::tempdir().unwrap();
        let key = "sk_0f3a9c2e7b1d4f6a8c0e2b4d6f8a0c2e4b6d8f0a2c4e6b8d";
        let cache = VoiceCache {
            provider: "elevenlabs".into(),
            fetched_at: "2026-12-02T10:00:00Z".into(),
            checked_by: "local".into(),
            voices: vec![voice(1, "calm"), voice(2, &key.to_uppercase())],
        };
        cache.store(dir.path(), "prod").unwrap();
        let secrets = crate::domain::text::KeyPieces::of(key);
        let loaded = VoiceCache::load(dir.path(), "prod", "elevenlabs", &secrets).unwrap();
        let text = serde_json::to_string(&loaded).unwrap();
        assert!(!text.to_lowercase().contains(&key[3..20]), "{text}");
        assert_eq!(loaded.voices[0], cache.voices[0]);
    }
}
