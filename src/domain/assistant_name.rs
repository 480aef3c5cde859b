//! An assistant as a person names it: the console's `:edit NAME` and the
//! CLI's `assistants get NAME` find it the same way.

/// What a name found among the assistants.
#[derive(Debug, PartialEq, Eq)]
pub enum NameLookup<T> {
    Found(T),
    Missing,
    /// More than one fits equally well: the person must say which.
    Ambiguous(Vec<T>),
}

/// By id, else by exact name, else by name ignoring case, else by the one
/// name that starts with `given` (ignoring case). The first rule any
/// assistant meets decides: two that meet it are ambiguous, never guessed.
pub fn find_assistant<'a, T: Copy + 'a>(
    assistants: impl Iterator<Item = T> + Clone,
    given: &str,
    has_id: impl Fn(T, &str) -> bool,
    name_of: impl Fn(T) -> &'a str,
) -> NameLookup<T> {
    if let Some(one) = assistants.clone().find(|&a| has_id(a, given)) {
        return NameLookup::Found(one);
    }
    let lower = given.to_lowercase();
    let rules: [&dyn Fn(&str) -> bool; 3] = [
        &|name| name == given,
        &|name| name.to_lowercase() == lower,
        &|name| name.to_lowercase().starts_with(&lower),
    ];
    for fits in rules {
        let fitting: Vec<T> = assistants.clone().filter(|&a| fits(name_of(a))).collect();
        match fitting.as_slice() {
            [] => continue,
            [one] => return NameLookup::Found(*one),
            _ => return NameLookup::Ambiguous(fitting),
        }
    }
    NameLookup::Missing
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find<'a>(all: &'a [(&'a str, &'a str)], given: &str) -> NameLookup<&'a str> {
        match find_assistant(all.iter(), given, |a, id| a.0 == id, |a| a.1) {
            NameLookup::Found(a) => NameLookup::Found(a.0),
            NameLookup::Missing => NameLookup::Missing,
            NameLookup::Ambiguous(many) => {
                NameLookup::Ambiguous(many.into_iter().map(|a| a.0).collect())
            }
        }
    }

    #[test]
    fn id_then_exact_then_any_case_then_a_unique_prefix() {
        let all = [
            ("a1", "Front Desk"),
            ("a2", "front desk"),
            ("a3", "Support"),
            ("a4", "Sales EU"),
            ("a5", "Sales US"),
        ];
        assert_eq!(find(&all, "a3"), NameLookup::Found("a3"));
        assert_eq!(find(&all, "front desk"), NameLookup::Found("a2"));
        assert_eq!(
            find(&all, "FRONT DESK"),
            NameLookup::Ambiguous(vec!["a1", "a2"])
        );
        assert_eq!(find(&all, "supp"), NameLookup::Found("a3"));
        assert_eq!(find(&all, "sales"), NameLookup::Ambiguous(vec!["a4", "a5"]));
        assert_eq!(find(&all, "nobody"), NameLookup::Missing);
    }
}
