//! A ranking itself: pure, so the worker and the tests run the same.

use crate::console::fuzzy::{contains, exact, rank, rank_within};
use crate::console::msg::{RankJob, Ranked};

impl RankJob {
    pub fn run(self) -> Ranked {
        let exact = exact(&self.pattern).filter(|_| self.exact);
        let visible = match (exact, &self.within) {
            (Some(text), within) => {
                let all: Vec<usize>;
                let candidates = match within {
                    Some(within) => within.as_slice(),
                    None => {
                        all = (0..self.haystacks.len()).collect();
                        &all
                    }
                };
                contains(&text, &*self.haystacks, candidates)
            }
            (None, Some(within)) => rank_within(&self.pattern, &*self.haystacks, within),
            (None, None) => rank(&self.pattern, self.haystacks.iter()),
        };
        Ranked {
            generation: self.generation,
            pattern: self.pattern,
            visible,
        }
    }
}
