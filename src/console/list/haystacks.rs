//! The filter texts of a list's items end to end in one string: a list of a
//! hundred thousand holds them in one allocation rather than one each.

use crate::console::fuzzy::Texts;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Haystacks {
    text: String,
    /// Where each item's text ends in `text`.
    ends: Vec<u32>,
}

impl Haystacks {
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    pub fn get(&self, index: usize) -> Option<&str> {
        let end = *self.ends.get(index)? as usize;
        let start = index.checked_sub(1).map_or(0, |i| self.ends[i] as usize);
        self.text.get(start..end)
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.len()).filter_map(|i| self.get(i))
    }

    pub fn push(&mut self, text: &str) {
        self.text.push_str(text);
        self.ends.push(offset(self.text.len()));
    }

    /// Keeps the first `count` texts.
    pub fn truncate(&mut self, count: usize) {
        self.ends.truncate(count);
        let end = self.ends.last().map_or(0, |&e| e as usize);
        self.text.truncate(end);
    }

    /// Puts `text` in place of the text at `index`.
    pub fn replace(&mut self, index: usize, text: &str) {
        let Some(&end) = self.ends.get(index) else {
            return;
        };
        let start = index.checked_sub(1).map_or(0, |i| self.ends[i] as usize);
        self.text.replace_range(start..end as usize, text);
        let new_end = offset(start + text.len());
        let shift = i64::from(new_end) - i64::from(end);
        for e in &mut self.ends[index..] {
            *e = u32::try_from(i64::from(*e) + shift).unwrap_or(u32::MAX);
        }
    }

    pub fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
        self.ends.shrink_to_fit();
    }
}

/// Four gigabytes of filter text is past any list this console shows.
fn offset(len: usize) -> u32 {
    u32::try_from(len).unwrap_or(u32::MAX)
}

impl<S: AsRef<str>> FromIterator<S> for Haystacks {
    fn from_iter<I: IntoIterator<Item = S>>(texts: I) -> Self {
        let mut haystacks = Haystacks::default();
        haystacks.extend(texts);
        haystacks
    }
}

impl<S: AsRef<str>> Extend<S> for Haystacks {
    fn extend<I: IntoIterator<Item = S>>(&mut self, texts: I) {
        for text in texts {
            self.push(text.as_ref());
        }
    }
}

impl Texts for Haystacks {
    fn text(&self, index: usize) -> Option<&str> {
        self.get(index)
    }
}

#[cfg(test)]
mod tests {
    use super::Haystacks;

    #[test]
    fn texts_come_back_as_put_in_and_replaced() {
        let mut h: Haystacks = ["alpha", "", "gamma"].into_iter().collect();
        assert_eq!(h.iter().collect::<Vec<_>>(), ["alpha", "", "gamma"]);
        h.replace(0, "a");
        h.replace(1, "beta");
        assert_eq!(h.iter().collect::<Vec<_>>(), ["a", "beta", "gamma"]);
        h.truncate(2);
        h.push("delta");
        assert_eq!(h.iter().collect::<Vec<_>>(), ["a", "beta", "delta"]);
        assert_eq!(h.get(3), None);
    }
}
