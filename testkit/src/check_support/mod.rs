//! What the key-check tests of the binary and of the server share: the
//! assistants whose needs the `Limited` keys fall short of, the verdict each
//! stand-in behaviour should get, and running many commands at once.

use std::sync::Mutex;

use serde_json::{Value, json};
use voicedock::domain::Verdict;

use super::upstream_support::{Behaviour, INWORLD_CLONE, MISTRAL_NOT_FOR_LIMITED, library};

/// The behaviours that stand for every result kind: valid, invalid, limited,
/// and unknown both by a timeout and by a dropped connection.
pub const KINDS: [Behaviour; 5] = [
    Behaviour::Valid,
    Behaviour::Invalid,
    Behaviour::Limited,
    Behaviour::Slow,
    Behaviour::Dropped,
];

/// An account's assistants: Mistral's `Limited` key lacks the model of the
/// first and Inworld's its cloned voice; the second speaks with a voice from
/// the second page of the ElevenLabs library.
pub fn assistants() -> Vec<Value> {
    vec![
        json!({
            "name": "Front desk",
            "llm_config": {"provider": "mistral", "model": MISTRAL_NOT_FOR_LIMITED},
            "tts_config": {"provider": "inworld", "voice_id": INWORLD_CLONE}
        }),
        json!({
            "name": "Narrator",
            "tts_config": {"provider": "elevenlabs", "voice_id": library()[110].0}
        }),
    ]
}

/// What a key of `provider` that behaves as `b` is found to be, given
/// [`assistants`]. Resend's sending-only key is all the platform needs, and
/// Gladia keys have no scopes: their `Limited` keys are valid.
pub fn expected(provider: &str, b: Behaviour) -> Verdict {
    match b {
        Behaviour::Valid => Verdict::Valid,
        Behaviour::Invalid => Verdict::Invalid,
        Behaviour::Limited if matches!(provider, "resend" | "gladia") => Verdict::Valid,
        Behaviour::Limited => Verdict::Limited,
        _ => Verdict::Unknown,
    }
}

/// How many commands run at once: enough to overlap the slow ones on two
/// cores without starving the server they talk to.
const WORKERS: usize = 8;

/// `f` of every item, a few at a time, in the items' order.
pub fn in_parallel<T: Send, R: Send>(items: Vec<T>, f: impl Fn(T) -> R + Sync) -> Vec<R> {
    let queue = Mutex::new(items.into_iter().enumerate());
    let done = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..WORKERS {
            scope.spawn(|| {
                loop {
                    let next = queue.lock().unwrap().next();
                    let Some((i, item)) = next else { break };
                    let result = f(item);
                    done.lock().unwrap().push((i, result));
                }
            });
        }
    });
    let mut done = done.into_inner().unwrap();
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}
