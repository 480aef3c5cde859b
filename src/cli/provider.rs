//! A provider as an operator types it: `OpenAI`, `openai` and the catalog's
//! label all name the same id, so a command never fails on case alone.

use crate::domain::Catalog;

/// The id among `known` (id, label) pairs that `given` names, by id or
/// label, case aside; else every id once, in order, for the error. The
/// same id may come more than once (one entry per catalog section).
pub(super) fn resolve<'a>(
    given: &str,
    known: impl IntoIterator<Item = (&'a str, Option<&'a str>)>,
) -> Result<&'a str, Vec<&'a str>> {
    let mut ids: Vec<&str> = Vec::new();
    let mut by_label = None;
    for (id, label) in known {
        if id == given {
            return Ok(id);
        }
        if id.eq_ignore_ascii_case(given) || label.is_some_and(|l| l.eq_ignore_ascii_case(given)) {
            by_label.get_or_insert(id);
        }
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    by_label.ok_or(ids)
}

/// The BYOK provider id `given` names in this build's catalog; a name it
/// does not know goes to the server as typed (the hosted service knows more).
pub(super) fn byok_id(cat: &Catalog, given: &str) -> String {
    let known = cat
        .secrets()
        .iter()
        .map(|s| (s.provider.as_str(), Some(s.label.as_str())));
    resolve(given, known).map_or_else(|_| given.to_owned(), str::to_owned)
}

/// An unknown provider, with the ones there are.
pub(super) fn unknown(given: &str, ids: &[&str]) -> super::Failure {
    let listed = if ids.is_empty() {
        "none".to_owned()
    } else {
        ids.join(", ")
    };
    super::Failure::failed(format!(
        "the server lists no provider {given:?}; it lists: {listed}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_and_labels_name_the_id_and_unknowns_list_each_id_once() {
        let known = [
            ("openai", Some("OpenAI")),
            ("elevenlabs", Some("ElevenLabs")),
            ("openai", Some("OpenAI")),
        ];
        assert_eq!(resolve("OpenAI", known), Ok("openai"));
        assert_eq!(resolve("ELEVENLABS", known), Ok("elevenlabs"));
        assert_eq!(resolve("nope", known), Err(vec!["openai", "elevenlabs"]));
    }
}
