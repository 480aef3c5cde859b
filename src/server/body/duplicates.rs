//! Duplicate keys in a JSON object, at any depth. serde refuses a repeated
//! field of a struct, but a map (the fields a draft keeps aside, such as
//! `webhook_secret`) keeps the last one, and a body whose meaning depends on
//! which copy a reader keeps is refused whole.
//!
//! One streaming pass over the bytes: string values are skipped unread, and
//! only keys are held (borrowed from the body, which is wiped when dropped;
//! a key written with escapes is decoded into memory that is wiped too).

use std::collections::BTreeSet;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use zeroize::Zeroizing;

use crate::domain::{ErrorCode, quoted};
use crate::server::error::ServerError;

/// The first key of `body` that appears twice in its object, as the error
/// to answer. Malformed JSON is not reported here but by the typed parse.
pub fn refuse_duplicate_keys(body: &[u8]) -> Result<(), ServerError> {
    let mut path = Vec::new();
    let mut found = None;
    let mut de = serde_json::Deserializer::from_slice(body);
    let walk = Walk {
        path: &mut path,
        found: &mut found,
    };
    // An error is either the duplicate (in `found`) or malformed JSON.
    let _ = walk.deserialize(&mut de);
    match found {
        Some(duplicate) => Err(duplicate),
        None => Ok(()),
    }
}

#[derive(Clone)]
enum Key<'de> {
    Borrowed(&'de str),
    Decoded(Zeroizing<String>),
}

impl Key<'_> {
    fn as_str(&self) -> &str {
        match self {
            Key::Borrowed(key) => key,
            Key::Decoded(key) => key,
        }
    }
}

/// By the key's text: `"a"` and `"\u0061"` are one key.
impl PartialEq for Key<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Key<'_> {}

impl PartialOrd for Key<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Key<'_> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

enum Segment<'de> {
    Key(Key<'de>),
    Index(usize),
}

struct Walk<'a, 'de> {
    path: &'a mut Vec<Segment<'de>>,
    found: &'a mut Option<ServerError>,
}

impl<'de> DeserializeSeed<'de> for Walk<'_, 'de> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Walk<'_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }

    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut index = 0;
        loop {
            self.path.push(Segment::Index(index));
            let walk = Walk {
                path: &mut *self.path,
                found: &mut *self.found,
            };
            let more = seq.next_element_seed(walk)?;
            self.path.pop();
            if more.is_none() {
                return Ok(());
            }
            index += 1;
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut seen = BTreeSet::new();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            if seen.contains(&key) {
                *self.found = Some(duplicate(self.path, &key));
                return Err(de::Error::custom("duplicate key"));
            }
            self.path.push(Segment::Key(key.clone()));
            seen.insert(key);
            let walk = Walk {
                path: &mut *self.path,
                found: &mut *self.found,
            };
            map.next_value_seed(walk)?;
            self.path.pop();
        }
        Ok(())
    }
}

struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key<'de>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key<'de>, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_borrowed_str<E>(self, key: &'de str) -> Result<Key<'de>, E> {
        Ok(Key::Borrowed(key))
    }

    fn visit_str<E>(self, key: &str) -> Result<Key<'de>, E> {
        Ok(Key::Decoded(Zeroizing::new(key.to_owned())))
    }
}

/// Names the duplicate by its JSON path when every key on the way looks like
/// a field name; otherwise only the part before the first that does not (a
/// key sent in the wrong place may be a secret).
fn duplicate(parents: &[Segment], key: &Key) -> ServerError {
    let mut path = String::new();
    let mut named = true;
    let last = Segment::Key(key.clone());
    for segment in parents.iter().chain(std::iter::once(&last)) {
        match segment {
            Segment::Index(i) => path.push_str(&format!("[{i}]")),
            Segment::Key(k) if quoted(k.as_str()).is_some() => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(k.as_str());
            }
            Segment::Key(_) => {
                named = false;
                break;
            }
        }
    }
    let rule = "each key may appear only once in an object";
    match (named, path.is_empty()) {
        (true, _) => ServerError::new(
            ErrorCode::InvalidRequest,
            format!("Duplicate key `{path}`: {rule}."),
        )
        .with_param(path),
        (false, false) => ServerError::new(
            ErrorCode::InvalidRequest,
            format!("`{path}` holds a duplicate key (its name is not repeated): {rule}."),
        )
        .with_param(path),
        (false, true) => ServerError::new(
            ErrorCode::InvalidRequest,
            format!("The body holds a duplicate key (its name is not repeated): {rule}."),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn param_of(json: &str) -> Option<Option<String>> {
        refuse_duplicate_keys(json.as_bytes()).err().map(|e| {
            assert_eq!(e.code, ErrorCode::InvalidRequest);
            e.param
        })
    }

    #[test]
    fn a_duplicate_is_found_at_any_depth_and_named_by_its_path() {
        let named = |p: &str| Some(Some(p.to_owned()));
        assert_eq!(param_of(r#"{"name":"a","name":"b"}"#), named("name"));
        assert_eq!(
            param_of(
                r#"{"llm_config":{"tools":[{"name":"x"},{"name":"a","type":"f","name":"b"}]}}"#
            ),
            named("llm_config.tools[1].name")
        );
        // The same key written with an escape is the same key.
        assert_eq!(
            param_of(r#"{"webhook_secret":"a","webhook_secre\u0074":"b"}"#),
            named("webhook_secret")
        );
        assert_eq!(param_of(r#"[{"a":1},{"a":1,"a":2}]"#), named("[1].a"));
        for fine in [
            r#"{"a":{"a":{"a":1}},"b":[{"a":1},{"a":2}]}"#,
            r#"{"a":"a","b":"a"}"#,
            "{",
            "",
        ] {
            assert_eq!(param_of(fine), None, "{fine}");
        }
        // Found before the JSON breaks off: refused as a duplicate, as it is.
        assert_eq!(param_of(r#"{"a":1,"a""#), named("a"));
    }

    #[test]
    fn a_key_that_may_be_a_secret_is_not_repeated() {
        let secret = "sk-proj-Th1sLooksLikeAKeyAndIsLong";
        let json = format!(r#"{{"llm_config":{{"{secret}":1,"{secret}":2}}}}"#);
        let err = refuse_duplicate_keys(json.as_bytes()).unwrap_err();
        assert_eq!(err.param.as_deref(), Some("llm_config"));
        assert!(!err.message.contains("Th1s"), "{}", err.message);
        let json = format!(r#"{{"{secret}":{{"a":1,"a":2}}}}"#);
        let err = refuse_duplicate_keys(json.as_bytes()).unwrap_err();
        assert_eq!(err.param, None);
        assert!(!err.message.contains("Th1s"), "{}", err.message);
    }
}
