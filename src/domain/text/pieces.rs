//! Keeping a secret out of what is shown, in every form it can come back
//! in. A server or a provider that echoes a key rarely echoes it verbatim:
//! it upper-cases it, base64-encodes it in a `Basic` header it repeats,
//! prints it as hex or percent-encoded in a URL, splits it with spaces or
//! dashes, reverses it, or echoes half of it. Each of those forms, and every
//! run of `WINDOW` characters of each, is a pattern of one Aho-Corasick
//! automaton that reads only the letters and digits of a text, case
//! folded: punctuation and whitespace between the pieces of a key cannot
//! hide it, and the cost is one pass over the text however many keys and
//! forms there are.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::fmt;
use std::sync::{Arc, OnceLock};

use aho_corasick::automaton::Automaton;
use aho_corasick::nfa::noncontiguous::NFA;
use aho_corasick::{Anchored, MatchKind};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use zeroize::{Zeroize, Zeroizing};

/// A run this long of a key's letters and digits identifies it; shorter
/// ones are common text. A key with fewer is never a pattern: the formats
/// refuse such keys before they get here, and a pattern that short would
/// blank ordinary words (a typed "e" hiding every e of an error message).
const WINDOW: usize = 8;
/// Encodings spread a key's bytes: a window covers about as many of the
/// key's bytes as `WINDOW` does of the key itself.
const BASE64_WINDOW: usize = 12;
const HEX_WINDOW: usize = 16;
/// The longest pattern, so the last `LONGEST` positions are all a match
/// needs to remember.
const LONGEST: usize = HEX_WINDOW;
const HIDDEN: &str = "[redacted]";
/// Prefixes every key of a kind starts with, published by their issuers:
/// a piece made only of one says nothing about a key, and hiding it would
/// blank every mention of the kind.
const PUBLIC_PREFIXES: &[&str] = &["vd_live_", "sk-proj-", "sk-svcacct-", "sk-admin-"];

/// Every form of some secrets, to hide from text.
#[derive(Clone, Default)]
pub struct KeyPieces {
    /// Letters and digits only, lower case: what the automaton matches.
    patterns: BTreeSet<Vec<u8>>,
    /// Built at the first `hide` after a change; shared by clones.
    matcher: OnceLock<Option<Arc<NFA>>>,
}

impl fmt::Debug for KeyPieces {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeyPieces([{} redacted])", self.patterns.len())
    }
}

impl Drop for KeyPieces {
    fn drop(&mut self) {
        // The automaton's tables cannot be wiped; the patterns can.
        std::mem::take(&mut self.patterns)
            .into_iter()
            .for_each(|mut p| p.zeroize());
    }
}

impl KeyPieces {
    pub fn of(key: &str) -> KeyPieces {
        let mut pieces = KeyPieces::default();
        pieces.add(key);
        pieces
    }

    /// The pieces of a credential as a provider takes it: a key, or a JSON
    /// service-account document, whose secret is its private key (the lines
    /// between the PEM armour, which is the same in every key) and the key's
    /// id. The rest of a document (a project, an email) is what a check
    /// reports, so it is not hidden.
    pub fn of_credential(credential: &str) -> KeyPieces {
        let document: Option<serde_json::Map<String, serde_json::Value>> =
            serde_json::from_str(credential).ok();
        let Some(document) = document else {
            return KeyPieces::of(credential);
        };
        let mut pieces = KeyPieces::default();
        let field = |name: &str| document.get(name).and_then(|v| v.as_str());
        if let Some(pem) = field("private_key") {
            let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
            pieces.add(&body);
        }
        if let Some(id) = field("private_key_id") {
            pieces.add(id);
        }
        pieces
    }

    /// Also hides `key`; surrounding whitespace is not part of it. A key
    /// with fewer than `WINDOW` letters and digits adds nothing.
    pub fn add(&mut self, key: &str) {
        let key = key.trim();
        let plain = Zeroizing::new(folded(key.as_bytes()));
        if plain.len() < WINDOW {
            return;
        }
        let public = PUBLIC_PREFIXES
            .iter()
            .find(|p| key.starts_with(**p))
            .map_or(0, |p| folded(p.as_bytes()).len());
        let mut reversed = plain.clone();
        reversed.reverse();
        let percent = Zeroizing::new(folded(percent_encoded(key).as_bytes()));
        let hex = Zeroizing::new(key.bytes().map(|b| format!("{b:02x}")).collect::<String>());
        self.add_windows(&plain, WINDOW, 1, public, false);
        self.add_windows(&reversed, WINDOW, 1, public, true);
        // An echo in an encoding is whole or nearly so: every run of twice
        // a chunk's width holds one whole chunk, and chunks side by side
        // keep the automaton small for a long credential (a private key of
        // 1,600 characters would otherwise be some 13,000 patterns).
        self.add_windows(&percent, WINDOW, WINDOW, public, false);
        self.add_windows(hex.as_bytes(), HEX_WINDOW, HEX_WINDOW, 0, false);
        for encoded in base64_alignments(key.as_bytes()) {
            self.add_windows(&encoded, BASE64_WINDOW, BASE64_WINDOW, 0, false);
        }
        self.matcher = OnceLock::new();
    }

    /// The `width`-long runs of `form` that start every `stride`
    /// characters (and the last one), or `form` whole when shorter; none
    /// that lies within the first `public` characters (the last, when the
    /// form is reversed), which are a published prefix.
    fn add_windows(
        &mut self,
        form: &[u8],
        width: usize,
        stride: usize,
        public: usize,
        reversed: bool,
    ) {
        if form.len() < WINDOW {
            return;
        }
        let width = width.min(form.len());
        let public = public.min(form.len());
        let last = form.len() - width;
        let starts = (0..=last).step_by(stride).chain(std::iter::once(last));
        for start in starts {
            let only_prefix = if reversed {
                start >= form.len() - public
            } else {
                start + width <= public
            };
            if !only_prefix {
                self.patterns.insert(form[start..start + width].to_vec());
            }
        }
    }

    /// Also hides what `other` hides.
    pub fn merge(&mut self, other: &KeyPieces) {
        let before = self.patterns.len();
        self.patterns.extend(other.patterns.iter().cloned());
        if self.patterns.len() != before {
            self.matcher = OnceLock::new();
        }
    }

    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    fn matcher(&self) -> Option<&NFA> {
        self.matcher
            .get_or_init(|| {
                if self.patterns.is_empty() {
                    return None;
                }
                // A plain NFA builds fastest, which matters for a long
                // credential (a private key is thousands of patterns), and
                // still reads each byte once.
                NFA::builder()
                    .match_kind(MatchKind::Standard)
                    .build(self.patterns.iter())
                    .ok()
                    .map(Arc::new)
            })
            .as_deref()
    }

    /// Whether `text` holds any form of the secrets.
    pub fn found_in(&self, text: &str) -> bool {
        !self.stretches(text).is_empty()
    }

    /// `text` with every stretch that holds a form of a secret replaced by
    /// `[redacted]`; overlapping and touching stretches make one.
    pub fn hide<'t>(&self, text: &'t str) -> Cow<'t, str> {
        let stretches = self.stretches(text);
        if stretches.is_empty() {
            return Cow::Borrowed(text);
        }
        let mut out = String::with_capacity(text.len());
        let mut kept_from = 0;
        for (start, end) in stretches {
            out.push_str(&text[kept_from..start]);
            out.push_str(HIDDEN);
            kept_from = end;
        }
        out.push_str(&text[kept_from..]);
        Cow::Owned(out)
    }

    /// The byte ranges of `text` that a pattern covers, merged, in order.
    /// Each range starts and ends at an ASCII letter or digit, so both ends
    /// are character boundaries.
    fn stretches(&self, text: &str) -> Vec<(usize, usize)> {
        let Some(nfa) = self.matcher() else {
            return Vec::new();
        };
        let Ok(mut state) = nfa.start_state(Anchored::No) else {
            return Vec::new();
        };
        // Where the last `LONGEST` letters and digits were, in bytes.
        let mut recent = [0usize; LONGEST];
        let mut seen = 0usize;
        let mut stretches: Vec<(usize, usize)> = Vec::new();
        for (at, &byte) in text.as_bytes().iter().enumerate() {
            if !byte.is_ascii_alphanumeric() {
                continue;
            }
            recent[seen % LONGEST] = at;
            seen += 1;
            // Patterns are lower case: folding the byte here keeps the
            // automaton half the size of a case-insensitive one.
            state = nfa.next_state(Anchored::No, state, byte.to_ascii_lowercase());
            if !nfa.is_match(state) {
                continue;
            }
            let longest = (0..nfa.match_len(state))
                .map(|i| nfa.pattern_len(nfa.match_pattern(state, i)))
                .max()
                .unwrap_or(1);
            let mut start = recent[(seen - longest) % LONGEST];
            let end = at + 1;
            // Matches end in order but may start before earlier ones end
            // (a key split by dashes is many overlapping windows): those
            // make one stretch.
            while let Some(&(s, e)) = stretches.last() {
                if e < start {
                    break;
                }
                start = start.min(s);
                stretches.pop();
            }
            stretches.push((start, end));
        }
        stretches
    }
}

/// The letters and digits of `bytes`, lower case.
fn folded(bytes: &[u8]) -> Vec<u8> {
    bytes
        .iter()
        .filter(|b| b.is_ascii_alphanumeric())
        .map(u8::to_ascii_lowercase)
        .collect()
}

/// Letters, digits and `-._~` as they are, everything else as `%XX`.
fn percent_encoded(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The key's base64 as it reads inside a longer encoded text (`user:KEY`
/// in a `Basic` header): it depends on where the key starts modulo 3, so
/// the three alignments, each without the characters that also encode
/// what lies before or after the key. Standard and URL-safe base64 differ
/// only in `+/=` and `-_`, which the matcher skips.
fn base64_alignments(key: &[u8]) -> Vec<Zeroizing<Vec<u8>>> {
    (0..3)
        .map(|shift| {
            let mut bytes = Zeroizing::new(vec![0u8; shift]);
            bytes.extend_from_slice(key);
            let encoded = Zeroizing::new(STANDARD.encode(&*bytes));
            // A leading filler byte shares the first 2 (shift 1) or 3
            // (shift 2) characters; the last group may hold padding.
            let skip = [0, 2, 3][shift];
            let keep = encoded.len().saturating_sub(4);
            Zeroizing::new(folded(&encoded.as_bytes()[skip.min(keep)..keep]))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "vd_live_0123456789abcdef";
    const RANDOM: &str = "sk-proj-Qw7Rt9Yu3Io5Pa1SdFgHjKl";

    fn shown(pieces: &KeyPieces, text: &str) -> String {
        pieces.hide(text).into_owned()
    }

    #[test]
    fn the_whole_key_and_any_long_piece_are_hidden() {
        let pieces = KeyPieces::of(KEY);
        assert_eq!(
            shown(&pieces, &format!("key {KEY} bad")),
            "key [redacted] bad"
        );
        assert_eq!(shown(&pieces, "it ends 89abcdef."), "it ends [redacted].");
        assert_eq!(
            shown(&pieces, "vd_live_012 and 3456789abcdef"),
            "[redacted] and [redacted]"
        );
        assert_eq!(
            shown(&pieces, "vd_live"),
            "vd_live",
            "7 characters say nothing"
        );
        assert!(matches!(pieces.hide("nothing here"), Cow::Borrowed(_)));
    }

    #[test]
    fn a_published_prefix_alone_is_not_hidden() {
        let pieces = KeyPieces::of(KEY);
        assert_eq!(shown(&pieces, "keys start vd_live_"), "keys start vd_live_");
        assert_eq!(shown(&pieces, "vd_live_01"), "[redacted]");
        assert_eq!(
            shown(&pieces, "see vd_live_0123456, and"),
            "see [redacted], and"
        );
        let svc = KeyPieces::of("sk-svcacct-Zx8Cv7Bn6Mm5");
        assert_eq!(shown(&svc, "sk-svcacct- keys"), "sk-svcacct- keys");
        assert!(!svc.found_in("tccacvs-ks"), "the prefix reversed");
        assert!(svc.found_in("8xZ-tccacvs-ks"), "reversed, touching the key");
    }

    #[test]
    fn every_form_of_the_key_is_hidden() {
        let pieces = KeyPieces::of(RANDOM);
        let upper = RANDOM.to_uppercase();
        let reversed: String = RANDOM.chars().rev().collect();
        let base64 = STANDARD.encode(RANDOM);
        let base64url = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(RANDOM);
        let basic = STANDARD.encode(format!("user:{RANDOM}"));
        let hex: String = RANDOM.bytes().map(|b| format!("{b:02X}")).collect();
        let percent: String = RANDOM.bytes().map(|b| format!("%{b:02x}")).collect();
        let spaced: Vec<String> = RANDOM
            .as_bytes()
            .chunks(7)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect();
        let zero_width = RANDOM.replace('R', "\u{200b}R");
        for form in [
            upper,
            reversed,
            base64,
            base64url,
            basic,
            hex,
            percent,
            spaced.join(" "),
            spaced.join("."),
            spaced.join("\n"),
            zero_width,
        ] {
            let text = format!("before {form} after");
            let hidden = shown(&pieces, &text);
            assert!(hidden.starts_with("before "), "{hidden}");
            assert!(hidden.ends_with(" after"), "{hidden}");
            assert!(hidden.contains(HIDDEN), "{form} was not hidden: {hidden}");
            assert!(
                !folded(hidden.as_bytes())
                    .windows(8)
                    .any(|w| { folded(RANDOM.as_bytes()).windows(8).any(|k| k == w) }),
                "{form}: {hidden}"
            );
        }
    }

    #[test]
    fn short_input_is_never_a_pattern() {
        let pieces = KeyPieces::of("e");
        assert!(pieces.is_empty());
        assert_eq!(
            shown(&pieces, "error: invalid api_key"),
            "error: invalid api_key"
        );
        assert!(KeyPieces::of("  ").is_empty());
        assert!(
            KeyPieces::of("ab-cd-ef-g").is_empty(),
            "7 letters and digits"
        );
    }

    #[test]
    fn hiding_is_linear_in_the_text() {
        let mut pieces = KeyPieces::of(RANDOM);
        pieces.add(KEY);
        let text = "a".repeat(4 << 20);
        assert!(matches!(pieces.hide(&text), Cow::Borrowed(_)));
        let echoed = format!("{}{RANDOM}", "x ".repeat(1 << 20));
        assert!(shown(&pieces, &echoed).ends_with(HIDDEN));
    }

    #[test]
    fn a_service_account_hides_its_private_key_not_its_project() {
        let document = r#"{"type": "service_account", "project_id": "voicedock-standin",
            "private_key_id": "0123456789abcdef",
            "private_key": "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0B\nAQEFAASCBKcwggSjAgEAAoIBAQ\n-----END PRIVATE KEY-----\n"}"#;
        let pieces = KeyPieces::of_credential(document);
        assert_eq!(
            shown(
                &pieces,
                "project voicedock-standin, key MIIEvQIBADAN, id 89abcdef"
            ),
            "project voicedock-standin, key [redacted], id [redacted]"
        );
        assert_eq!(
            shown(&pieces, "-----BEGIN PRIVATE KEY-----"),
            "-----BEGIN PRIVATE KEY-----"
        );
        assert!(
            pieces.found_in("kiG9w0BAQEFAAS"),
            "across the PEM's line break"
        );
        assert_eq!(KeyPieces::of_credential(KEY).hide(KEY), "[redacted]");
    }

    #[test]
    fn several_keys_and_multibyte_text() {
        let mut pieces = KeyPieces::of(KEY);
        pieces.merge(&KeyPieces::of(RANDOM));
        assert_eq!(
            shown(&pieces, "é Qw7Rt9Yu3 é 0123456789 ü"),
            "é [redacted] é [redacted] ü"
        );
    }
}
