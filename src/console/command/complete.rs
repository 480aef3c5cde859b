//! Tab completion: command names first, then the argument from the names
//! the console knows.

use super::{Arg, COMMANDS, CommandLine, Names, find};

/// Completions on offer, and which one the line shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    /// The line before the word being completed.
    pub stem: String,
    pub candidates: Vec<String>,
    pub chosen: usize,
}

/// What the word at the end of `text` could become, and the text before it.
pub fn candidates(text: &str, names: &dyn Fn(Names) -> Vec<String>) -> (String, Vec<String>) {
    let text = text.trim_start();
    let Some((word, rest)) = text.split_once(char::is_whitespace) else {
        let commands = COMMANDS
            .iter()
            .filter(|s| s.name.starts_with(text))
            // A command that takes a name gets the space after it, ready for the name.
            .map(|s| match s.arg {
                Arg::None => s.name.to_owned(),
                _ => format!("{} ", s.name),
            })
            .collect();
        return (String::new(), commands);
    };
    let kind = match find(word).map(|s| s.arg) {
        Ok(Arg::Optional(kind) | Arg::Required(kind)) => kind,
        _ => return (String::new(), Vec::new()),
    };
    let typed = rest.trim_start().to_lowercase();
    // A provider is named once per catalog section it serves (STT, LLM,
    // TTS); it is offered once.
    let mut all = names(kind);
    let mut seen = std::collections::HashSet::new();
    all.retain(|n| seen.insert(n.to_lowercase()));
    // Names that start with what was typed first, then those that contain it.
    let (mut starting, containing): (Vec<String>, Vec<String>) = all
        .into_iter()
        .filter(|n| n.to_lowercase().contains(&typed))
        .partition(|n| n.to_lowercase().starts_with(&typed));
    starting.extend(containing);
    (format!("{word} "), starting)
}

impl CommandLine {
    /// Tab (or Shift-Tab, `forward` false): the next completion. A single
    /// one is taken at once, so the next Tab completes the next word.
    pub fn complete(&mut self, forward: bool, names: &dyn Fn(Names) -> Vec<String>) {
        self.browsing = None;
        if let Some(c) = &mut self.completion {
            let n = c.candidates.len();
            c.chosen = if forward {
                (c.chosen + 1) % n
            } else {
                (c.chosen + n - 1) % n
            };
            self.text = format!("{}{}", c.stem, c.candidates[c.chosen]);
            return;
        }
        let (stem, candidates) = candidates(&self.text, names);
        match candidates.len() {
            0 => {}
            1 => self.text = format!("{stem}{}", candidates[0]),
            n => {
                let chosen = if forward { 0 } else { n - 1 };
                self.text = format!("{stem}{}", candidates[chosen]);
                self.completion = Some(Completion {
                    stem,
                    candidates,
                    chosen,
                });
            }
        }
    }
}
