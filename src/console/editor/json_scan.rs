//! A forgiving reading of JSON text that may not parse: where each key and
//! each secret's value is. serde_json keeps the last of two equal keys and
//! says nothing, and finds nothing at all in broken text; a secret typed
//! there must still be found, or the console would write it into the next
//! file it opens. A string followed by `:` is a key, so a missing comma or
//! a broken line elsewhere does not hide what follows.

use std::collections::HashSet;
use std::ops::Range;

use crate::domain::secrets::is_secret_path;

/// What `scan` found.
#[derive(Debug, Default)]
pub(super) struct Scan {
    /// A key given again in the same object: its path and where it starts.
    pub duplicates: Vec<Duplicate>,
    /// Every value that stands where a secret belongs, by the secret's path
    /// (the `assistant` envelope left out) and its bytes in the text.
    pub secrets: Vec<(String, Range<usize>)>,
}

#[derive(Debug)]
pub(super) struct Duplicate {
    pub name: String,
    /// Line and column, from 1, as an editor counts them (characters).
    pub at: (usize, usize),
}

enum Frame {
    Object {
        keys: HashSet<String>,
        key: Option<String>,
    },
    Array {
        index: usize,
    },
}

/// A secret's value that is an array or object: where it started, and the
/// scalars inside it, each to be taken out alone when it is never closed.
struct OpenSecret {
    depth: usize,
    start: usize,
    path: String,
    scalars: Vec<Range<usize>>,
}

pub(super) fn scan(text: &str) -> Scan {
    let bytes = text.as_bytes();
    let mut found = Scan::default();
    let mut frames: Vec<Frame> = Vec::new();
    let mut open: Option<OpenSecret> = None;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b' ' | b'\t' | b'\n' | b'\r' | b':' => i += 1,
            b @ (b'{' | b'[') => {
                let path = secret_path(&frames);
                if let (None, Some(path)) = (&open, path) {
                    open = Some(OpenSecret {
                        depth: frames.len(),
                        start: i,
                        path,
                        scalars: Vec::new(),
                    });
                }
                frames.push(match b {
                    b'{' => Frame::Object {
                        keys: HashSet::new(),
                        key: None,
                    },
                    _ => Frame::Array { index: 0 },
                });
                i += 1;
            }
            b'}' | b']' => {
                frames.pop();
                i += 1;
                if let Some(secret) = open.take_if(|o| o.depth == frames.len()) {
                    found.secrets.push((secret.path, secret.start..i));
                }
            }
            b',' => {
                match frames.last_mut() {
                    Some(Frame::Object { key, .. }) => *key = None,
                    Some(Frame::Array { index }) => *index += 1,
                    None => {}
                }
                i += 1;
            }
            b'"' => {
                let end = string_end(bytes, i);
                let after = skip_blanks(bytes, end);
                match frames.last_mut() {
                    Some(Frame::Object { keys, key }) if bytes.get(after) == Some(&b':') => {
                        let name = decoded(&text[i..end]);
                        if !keys.insert(name.clone()) {
                            found.duplicates.push(Duplicate {
                                name: name.clone(),
                                at: line_and_column(text, i),
                            });
                        }
                        *key = Some(name);
                        i = after + 1;
                    }
                    _ => {
                        scalar(&mut found, &frames, &mut open, i..end);
                        i = end;
                    }
                }
            }
            _ => {
                let end = word_end(bytes, i);
                scalar(&mut found, &frames, &mut open, i..end);
                i = end;
            }
        }
    }
    // Never closed: what it holds is all that can be told apart.
    if let Some(secret) = open {
        let path = secret.path;
        found
            .secrets
            .extend(secret.scalars.into_iter().map(|s| (path.clone(), s)));
    }
    found
}

fn scalar(found: &mut Scan, frames: &[Frame], open: &mut Option<OpenSecret>, span: Range<usize>) {
    match open {
        Some(secret) => secret.scalars.push(span),
        None => {
            if let Some(path) = secret_path(frames) {
                found.secrets.push((path, span));
            }
        }
    }
}

/// The path of the value about to be read, when a secret belongs there.
fn secret_path(frames: &[Frame]) -> Option<String> {
    let mut path = String::new();
    for frame in frames {
        match frame {
            Frame::Object { key: Some(key), .. } => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Frame::Object { key: None, .. } => return None,
            Frame::Array { index } => path.push_str(&format!("[{index}]")),
        }
    }
    let path = path.strip_prefix("assistant.").unwrap_or(&path);
    is_secret_path(path).then(|| path.to_owned())
}

/// Just past the closing quote; a string never closed ends with its line,
/// as JSON strings cannot hold a line break.
fn string_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            b'\n' => return i,
            _ => i += 1,
        }
    }
    bytes.len()
}

fn word_end(bytes: &[u8], start: usize) -> usize {
    let delimiter = |b: &u8| b" \t\n\r{}[],:\"".contains(b);
    bytes[start..]
        .iter()
        .position(delimiter)
        .map_or(bytes.len(), |n| start + n.max(1))
}

fn skip_blanks(bytes: &[u8], from: usize) -> usize {
    let blank = |b: &u8| b" \t\n\r".contains(b);
    bytes
        .get(from..)
        .and_then(|rest| rest.iter().position(|b| !blank(b)))
        .map_or(bytes.len(), |n| from + n)
}

fn decoded(quoted: &str) -> String {
    serde_json::from_str::<String>(quoted).unwrap_or_else(|_| quoted.trim_matches('"').to_owned())
}

fn line_and_column(text: &str, at: usize) -> (usize, usize) {
    let before = &text[..at.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secrets_of(text: &str) -> Vec<(String, &str)> {
        scan(text)
            .secrets
            .into_iter()
            .map(|(path, span)| (path, &text[span]))
            .collect()
    }

    #[test]
    fn every_form_of_a_secret_is_found_in_text_that_does_not_parse() {
        let text = "{\"webhook_secret\": \"••••HOOK\",\n \"webhook_secret\": [\"typed\", 1]\n \
                    \"llm_config\": {\"tools\": [{\"server\": {\"secret\": 12}}, {\"server\": \
                    {\"secret\": \"unterminated\n}}]}, \"name\": ";
        assert_eq!(
            secrets_of(text),
            [
                ("webhook_secret".to_owned(), "\"••••HOOK\""),
                ("webhook_secret".to_owned(), "[\"typed\", 1]"),
                ("llm_config.tools[0].server.secret".to_owned(), "12"),
                (
                    "llm_config.tools[1].server.secret".to_owned(),
                    "\"unterminated"
                ),
            ]
        );
        let duplicates = scan(text).duplicates;
        assert_eq!(duplicates.len(), 1, "{duplicates:?}");
        assert_eq!(
            (duplicates[0].name.as_str(), duplicates[0].at),
            ("webhook_secret", (2, 2))
        );
    }

    #[test]
    fn a_secret_never_closed_is_found_piece_by_piece() {
        let text = r#"{"assistant": {"webhook_secret": {"a": "typed", "b": [true"#;
        assert_eq!(
            secrets_of(text),
            [
                ("webhook_secret".to_owned(), "\"typed\""),
                ("webhook_secret".to_owned(), "true")
            ]
        );
    }
}
