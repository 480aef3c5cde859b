//! Values `--help`, the man page and the completions list: the providers of
//! this build's catalog. Any text is still taken, since a label in any case
//! names its id (`cli::provider`) and the hosted service knows providers
//! this build does not.

use std::ffi::OsStr;
use std::sync::OnceLock;

use clap::builder::{PossibleValue, StringValueParser, TypedValueParser};

use crate::domain::Catalog;
use crate::domain::catalog::SectionId;

/// Which of the catalog's providers an argument names.
#[derive(Debug, Clone, Copy)]
pub enum ProviderName {
    /// Those a provider key can be stored for (`byok set|rm|test`).
    Byok,
    /// Those with models in any section (`models`).
    Serving,
}

/// (id, label) pairs, made once per run and only when asked for: a
/// parse that needs no help never reads the catalog for them.
fn listed(which: ProviderName) -> &'static [(String, String)] {
    static BYOK: OnceLock<Vec<(String, String)>> = OnceLock::new();
    static SERVING: OnceLock<Vec<(String, String)>> = OnceLock::new();
    let made = |which| {
        let cat = Catalog::builtin();
        // The key's label first; a provider with no key of its own (a realtime
        // model's) by the name its section gives it.
        let label = |id: &str| {
            cat.secret(id)
                .map(|s| s.label.clone())
                .or_else(|| {
                    SectionId::ALL
                        .into_iter()
                        .find_map(|s| cat.section(s).provider(id).map(|p| p.label.clone()))
                })
                .unwrap_or_default()
        };
        let mut ids: Vec<String> = match which {
            ProviderName::Byok => cat.byok_provider_ids().map(str::to_owned).collect(),
            ProviderName::Serving => SectionId::ALL
                .into_iter()
                .flat_map(|s| cat.section(s).provider_ids())
                .map(str::to_owned)
                .collect(),
        };
        let mut seen = std::collections::HashSet::new();
        ids.retain(|id| seen.insert(id.clone()));
        ids.into_iter()
            .map(|id| {
                let label = label(&id);
                (id, label)
            })
            .collect()
    };
    match which {
        ProviderName::Byok => BYOK.get_or_init(|| made(which)),
        ProviderName::Serving => SERVING.get_or_init(|| made(which)),
    }
}

impl TypedValueParser for ProviderName {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<String, clap::Error> {
        StringValueParser::new().parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        let values = listed(*self).iter().map(|(id, label)| {
            let value = PossibleValue::new(id.as_str());
            if label.is_empty() {
                value
            } else {
                value.help(label.as_str())
            }
        });
        Some(Box::new(values))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_byok_provider_is_listed_once_and_any_text_is_taken() {
        let ids: Vec<&str> = listed(ProviderName::Byok)
            .iter()
            .map(|(id, _)| id.as_str())
            .collect();
        assert!(
            ids.contains(&"openai") && ids.contains(&"elevenlabs"),
            "{ids:?}"
        );
        let mut once = ids.clone();
        once.sort_unstable();
        once.dedup();
        assert_eq!(once.len(), ids.len());
        let cmd = clap::Command::new("t");
        let taken = ProviderName::Byok.parse_ref(&cmd, None, OsStr::new("OpenAI"));
        assert_eq!(taken.unwrap(), "OpenAI");
    }
}
