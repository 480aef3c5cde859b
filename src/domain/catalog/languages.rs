//! What the catalog's language codes are called, so a screen can say
//! `nl — Dutch` rather than leave the code to be guessed. Ours, small, and
//! covering every code the catalog lists (a test holds it to that).

/// A code and its English name; regional forms where providers take them.
const NAMES: &[(&str, &str)] = &[
    ("multi", "several languages, detected"),
    ("ar", "Arabic"),
    ("bg", "Bulgarian"),
    ("cs", "Czech"),
    ("da", "Danish"),
    ("de", "German"),
    ("el", "Greek"),
    ("en", "English"),
    ("en-AU", "English (Australia)"),
    ("en-GB", "English (UK)"),
    ("en-IN", "English (India)"),
    ("en-US", "English (US)"),
    ("es", "Spanish"),
    ("es-419", "Spanish (Latin America)"),
    ("fi", "Finnish"),
    ("fr", "French"),
    ("fr-CA", "French (Canada)"),
    ("he", "Hebrew"),
    ("hi", "Hindi"),
    ("hr", "Croatian"),
    ("hu", "Hungarian"),
    ("id", "Indonesian"),
    ("it", "Italian"),
    ("ja", "Japanese"),
    ("ko", "Korean"),
    ("ms", "Malay"),
    ("nl", "Dutch"),
    ("nl-BE", "Dutch (Belgium)"),
    ("no", "Norwegian"),
    ("pl", "Polish"),
    ("pt", "Portuguese"),
    ("pt-BR", "Portuguese (Brazil)"),
    ("pt-PT", "Portuguese (Portugal)"),
    ("ro", "Romanian"),
    ("ru", "Russian"),
    ("sk", "Slovak"),
    ("sv", "Swedish"),
    ("th", "Thai"),
    ("tr", "Turkish"),
    ("uk", "Ukrainian"),
    ("vi", "Vietnamese"),
    ("zh", "Chinese"),
    ("zh-CN", "Chinese (Mainland)"),
    ("zh-TW", "Chinese (Taiwan)"),
];

/// The name of `code`; a regional code not in the table is named after
/// its language (`de-AT` — German (AT)).
pub fn language_name(code: &str) -> Option<String> {
    let named = |c: &str| {
        NAMES
            .iter()
            .find(|(known, _)| known.eq_ignore_ascii_case(c))
            .map(|(_, name)| *name)
    };
    if let Some(name) = named(code) {
        return Some(name.to_owned());
    }
    let (language, region) = code.split_once('-')?;
    named(language).map(|name| format!("{name} ({region})"))
}

/// `nl — Dutch`; a code without a name stays as it is.
pub fn with_language_name(code: &str) -> String {
    match language_name(code) {
        Some(name) => format!("{code} — {name}"),
        None => code.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Catalog;

    #[test]
    fn every_language_of_the_catalog_has_a_name() {
        let catalog = Catalog::builtin();
        for code in &catalog.stt.languages {
            assert!(language_name(code).is_some(), "{code} has no name");
        }
    }

    #[test]
    fn codes_read_with_their_names() {
        assert_eq!(with_language_name("nl"), "nl — Dutch");
        assert_eq!(with_language_name("en-US"), "en-US — English (US)");
        assert_eq!(with_language_name("de-AT"), "de-AT — German (AT)");
        assert_eq!(with_language_name("xx"), "xx");
    }
}
