//! Keeping a key out of what is shown, also in part: a server that echoes
//! half a key, or the key cut in two by other text, gives away as much as
//! it echoes. Every run of `WINDOW` characters of a key is looked for, so
//! any piece that long is hidden wherever it appears.

use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt;

use zeroize::Zeroize;

/// A piece this long identifies a key; shorter ones are common text.
const WINDOW: usize = 8;
const HIDDEN: &str = "[redacted]";
/// Prefixes every key of a kind starts with, published by their issuers:
/// a piece made only of one says nothing about a key, and hiding it would
/// blank every mention of the kind (`vd_live_`, `sk-proj-`).
const PUBLIC_PREFIXES: &[&str] = &["vd_live_", "sk-proj-", "sk-svcacct-", "sk-admin-"];

/// Every `WINDOW`-character piece of some keys, to hide from text. A key
/// shorter than that is hidden only whole.
#[derive(Clone)]
pub struct KeyPieces {
    pieces: HashSet<String>,
    /// Pieces made only of a published prefix: hidden only where they
    /// touch a piece of the key itself, so `vd_live_` alone stays readable.
    public: HashSet<String>,
    /// The lengths of the pieces, in characters: `WINDOW`, or a short key's.
    lengths: Vec<usize>,
    /// Which bytes a piece can start with: most positions are passed over
    /// without hashing anything.
    starts: [bool; 256],
}

impl fmt::Debug for KeyPieces {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeyPieces([{} redacted])", self.pieces.len())
    }
}

impl Drop for KeyPieces {
    fn drop(&mut self) {
        self.pieces.drain().for_each(|mut p| p.zeroize());
        self.public.drain().for_each(|mut p| p.zeroize());
    }
}

impl Default for KeyPieces {
    fn default() -> Self {
        KeyPieces {
            pieces: HashSet::new(),
            public: HashSet::new(),
            lengths: Vec::new(),
            starts: [false; 256],
        }
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
            pem.lines()
                .filter(|l| !l.starts_with("-----"))
                .for_each(|l| pieces.add(l));
        }
        if let Some(id) = field("private_key_id") {
            pieces.add(id);
        }
        pieces
    }

    /// Also hides `key`; surrounding whitespace is not part of it.
    pub fn add(&mut self, key: &str) {
        let key = key.trim();
        let bounds: Vec<usize> = key
            .char_indices()
            .map(|(i, _)| i)
            .chain(std::iter::once(key.len()))
            .collect();
        let chars = bounds.len() - 1;
        if chars == 0 {
            return;
        }
        let width = chars.min(WINDOW);
        for start in 0..=chars - width {
            let piece = &key[bounds[start]..bounds[start + width]];
            self.starts[usize::from(piece.as_bytes()[0])] = true;
            if width == WINDOW && PUBLIC_PREFIXES.iter().any(|p| p.contains(piece)) {
                self.public.insert(piece.to_owned());
            } else {
                self.pieces.insert(piece.to_owned());
            }
        }
        if !self.lengths.contains(&width) {
            self.lengths.push(width);
        }
    }

    /// Also hides what `other` hides.
    pub fn merge(&mut self, other: &KeyPieces) {
        self.pieces.extend(other.pieces.iter().cloned());
        self.public.extend(other.public.iter().cloned());
        for &width in &other.lengths {
            if !self.lengths.contains(&width) {
                self.lengths.push(width);
            }
        }
        for (mine, theirs) in self.starts.iter_mut().zip(other.starts) {
            *mine |= theirs;
        }
    }

    pub fn is_empty(&self) -> bool {
        self.pieces.is_empty()
    }

    /// `text` with every stretch that a piece covers replaced by
    /// `[redacted]`; overlapping and touching pieces make one stretch.
    pub fn hide<'t>(&self, text: &'t str) -> Cow<'t, str> {
        if self.pieces.is_empty() {
            return Cow::Borrowed(text);
        }
        let mut out: Option<String> = None;
        // The end of the stretch being hidden, in bytes.
        let mut hidden_to: Option<usize> = None;
        let mut kept_from = 0;
        for (i, _) in text.char_indices() {
            if let Some(end) = self.piece_at(text, i) {
                let to = match hidden_to {
                    Some(to) if i <= to => to.max(end),
                    _ => {
                        let out = out.get_or_insert_with(|| String::with_capacity(text.len()));
                        out.push_str(&text[kept_from..i]);
                        out.push_str(HIDDEN);
                        end
                    }
                };
                hidden_to = Some(to);
                kept_from = to;
            } else if hidden_to.is_some_and(|to| i >= to) {
                hidden_to = None;
            }
        }
        match out {
            None => Cow::Borrowed(text),
            Some(mut out) => {
                out.push_str(&text[kept_from..]);
                Cow::Owned(out)
            }
        }
    }

    /// The end (in bytes) of the longest piece starting at byte `at`; a
    /// public piece counts only where a piece of the key starts inside it
    /// or right after it.
    fn piece_at(&self, text: &str, at: usize) -> Option<usize> {
        if let Some(end) = self.found_at(&self.pieces, text, at) {
            return Some(end);
        }
        let end = self.found_at(&self.public, text, at)?;
        let inside = text[at..end].char_indices().skip(1).map(|(i, _)| at + i);
        inside
            .chain(std::iter::once(end))
            .any(|i| self.found_at(&self.pieces, text, i).is_some())
            .then_some(end)
    }

    fn found_at(&self, set: &HashSet<String>, text: &str, at: usize) -> Option<usize> {
        if at >= text.len() || !self.starts[usize::from(text.as_bytes()[at])] {
            return None;
        }
        let rest = &text[at..];
        self.lengths
            .iter()
            .filter_map(|&width| {
                let end = rest.char_indices().nth(width).map_or(
                    (rest.chars().count() == width).then_some(rest.len()),
                    |(i, _)| Some(i),
                )?;
                set.contains(&rest[..end]).then_some(at + end)
            })
            .max()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "vd_live_0123456789abcdef";

    #[test]
    fn the_whole_key_and_any_long_piece_are_hidden() {
        let pieces = KeyPieces::of(KEY);
        assert_eq!(pieces.hide(&format!("key {KEY} bad")), "key [redacted] bad");
        assert_eq!(pieces.hide("it ends 89abcdef."), "it ends [redacted].");
        assert_eq!(
            pieces.hide("vd_live_012 and 3456789abcdef"),
            "[redacted] and [redacted]"
        );
        assert_eq!(
            pieces.hide("vd_live"),
            "vd_live",
            "7 characters say nothing"
        );
        assert!(matches!(pieces.hide("nothing here"), Cow::Borrowed(_)));
    }

    #[test]
    fn a_published_prefix_alone_is_not_hidden() {
        let pieces = KeyPieces::of(KEY);
        assert_eq!(pieces.hide("keys start vd_live_"), "keys start vd_live_");
        assert_eq!(pieces.hide("vd_live_0"), "[redacted]");
        assert_eq!(pieces.hide("vd_live_é"), "vd_live_é");
        assert_eq!(
            pieces.hide("see vd_live_0123456, and"),
            "see [redacted], and"
        );
    }

    #[test]
    fn a_short_key_is_hidden_whole_and_text_is_kept_around_it() {
        let pieces = KeyPieces::of("abc");
        assert_eq!(pieces.hide("xabcx é abc"), "x[redacted]x é [redacted]");
        assert!(KeyPieces::of("  ").is_empty());
    }

    #[test]
    fn a_service_account_hides_its_private_key_not_its_project() {
        let document = r#"{"type": "service_account", "project_id": "voicedock-standin",
            "private_key_id": "0123456789abcdef",
            "private_key": "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0B\n-----END PRIVATE KEY-----\n"}"#;
        let pieces = KeyPieces::of_credential(document);
        assert_eq!(
            pieces.hide("project voicedock-standin, key MIIEvQIBADAN, id 89abcdef"),
            "project voicedock-standin, key [redacted], id [redacted]"
        );
        assert_eq!(
            pieces.hide("-----BEGIN PRIVATE KEY-----"),
            "-----BEGIN PRIVATE KEY-----"
        );
        assert_eq!(KeyPieces::of_credential(KEY).hide(KEY), "[redacted]");
    }

    #[test]
    fn several_keys_and_multibyte_text() {
        let mut pieces = KeyPieces::of(KEY);
        pieces.add("sk-ééééééééé-zz");
        assert_eq!(
            pieces.hide("é sk-éééééé! ééééééé-z 0123456789"),
            "é [redacted]! [redacted] [redacted]"
        );
    }
}
