//! Fuzzy ranking for every filterable list (models, languages, assistants).

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};

/// Indices of the haystacks that match `pattern`, best first; among equal
/// scores the shorter (closer) text wins, then the original order. An empty
/// pattern keeps everything in order.
pub fn rank<'a>(pattern: &str, haystacks: impl IntoIterator<Item = &'a str>) -> Vec<usize> {
    score(pattern, haystacks.into_iter().enumerate())
}

/// Texts by index, as a ranking reads them.
pub trait Texts {
    fn text(&self, index: usize) -> Option<&str>;
}

impl Texts for [String] {
    fn text(&self, index: usize) -> Option<&str> {
        self.get(index).map(String::as_str)
    }
}

impl Texts for Vec<String> {
    fn text(&self, index: usize) -> Option<&str> {
        self.as_slice().text(index)
    }
}

/// `rank` over only the haystacks at `within` (indices from an earlier
/// rank whose pattern this one `narrows`).
pub fn rank_within(
    pattern: &str,
    haystacks: &(impl Texts + ?Sized),
    within: &[usize],
) -> Vec<usize> {
    let candidates = within
        .iter()
        .filter_map(|&i| haystacks.text(i).map(|h| (i, h)));
    score(pattern, candidates)
}

/// Whether everything `pattern` matches is among what `known` matched, so
/// it can be ranked within that result: `pattern` only appends plain
/// characters to a plain `known`. A space starts another word, which must
/// match too, so it narrows as well (typing `support 12` ranks the whole
/// list once). Anything else the pattern syntax gives a meaning (`!`, `^`,
/// `$`, `'`, `\\`) ranks everything again.
pub fn narrows(known: &str, pattern: &str) -> bool {
    let plain = |s: &str| {
        !s.chars()
            .any(|c| matches!(c, '!' | '^' | '$' | '\'' | '\\'))
    };
    pattern.starts_with(known) && plain(pattern)
}

/// The text of an exact filter (`=text`), lowercased; `None` for a fuzzy one.
pub fn exact(filter: &str) -> Option<String> {
    filter
        .trim()
        .strip_prefix('=')
        .map(|text| text.trim().to_lowercase())
}

/// Indices of `haystacks` that `filter` keeps: best first for a fuzzy
/// filter, in their own order for an exact one (`=text`). For the short
/// lists, ranked inline.
pub fn matching(filter: &str, haystacks: &[String]) -> Vec<usize> {
    match exact(filter) {
        Some(text) => contains(&text, haystacks, &(0..haystacks.len()).collect::<Vec<_>>()),
        None => rank(filter, haystacks.iter().map(String::as_str)),
    }
}

/// The `candidates` whose text holds `lowered`, any case, in their order.
pub fn contains(
    lowered: &str,
    haystacks: &(impl Texts + ?Sized),
    candidates: &[usize],
) -> Vec<usize> {
    candidates
        .iter()
        .copied()
        .filter(|&i| {
            haystacks
                .text(i)
                .is_some_and(|h| h.to_lowercase().contains(lowered))
        })
        .collect()
}

fn score<'a>(pattern: &str, haystacks: impl Iterator<Item = (usize, &'a str)>) -> Vec<usize> {
    let pattern = pattern.trim();
    if pattern.is_empty() {
        return haystacks.map(|(i, _)| i).collect();
    }
    let parsed = Pattern::parse(pattern, CaseMatching::Smart, Normalization::Smart);
    let mut matcher = Matcher::new(Config::DEFAULT);
    let mut buf = Vec::new();
    let mut scored: Vec<(u32, usize, usize)> = haystacks
        .filter_map(|(i, text)| {
            let score = parsed.score(Utf32Str::new(text, &mut buf), &mut matcher)?;
            Some((score, text.len(), i))
        })
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    scored.into_iter().map(|(_, _, i)| i).collect()
}

#[cfg(test)]
mod tests {
    use super::rank;

    #[test]
    fn ranking_within_an_earlier_result_finds_what_ranking_all_finds() {
        let items: Vec<String> = ["gpt-4o-mini", "gpt-4o", "gpt-4.1", "eleven_v3", "nova-2"]
            .map(String::from)
            .to_vec();
        let all = |p: &str| rank(p, items.iter().map(String::as_str));
        let first = all("g");
        assert!(super::narrows("g", "g4"));
        assert_eq!(super::rank_within("g4", &items, &first), all("g4"));
        assert!(!super::narrows("g4", "g"));
        assert!(!super::narrows("g", "g !mini"));
        assert!(super::narrows("gpt", "gpt 4o"));
        let words = all("gpt");
        assert_eq!(super::rank_within("gpt 4o", &items, &words), all("gpt 4o"));
        assert_eq!(
            super::rank_within("gpt 4o-m", &items, &all("gpt 4o")),
            all("gpt 4o-m")
        );
    }

    #[test]
    fn empty_pattern_keeps_order() {
        assert_eq!(rank("", ["b", "a"]), vec![0, 1]);
    }

    #[test]
    fn fuzzy_matches_rank_best_first_and_drop_others() {
        let items = ["gpt-4o-mini", "gpt-4o", "gpt-4.1", "eleven_v3"];
        let ranked = rank("4o", items);
        assert_eq!(ranked.len(), 2);
        assert!(ranked.contains(&0) && ranked.contains(&1));
        assert_eq!(rank("g41", items), vec![2]);
        assert!(rank("zzz", items).is_empty());
    }
}
