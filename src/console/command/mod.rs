//! The `:` command line: the commands, what each takes, parsing, and
//! completion over what the console knows (providers, assistants,
//! profiles, themes). Running a command is `update`'s business.

mod complete;

pub use complete::Completion;

/// What a command's argument names, which is also where its completions
/// come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Names {
    Provider,
    Assistant,
    Profile,
    Theme,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arg {
    None,
    Optional(Names),
    Required(Names),
}

/// One command as `:help` and the unknown-command message list it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spec {
    pub name: &'static str,
    pub arg: Arg,
    /// How help writes the argument, e.g. `[provider]`.
    pub usage: &'static str,
    pub help: &'static str,
    /// Whether it changes something, so a read-only session does not offer it.
    pub writes: bool,
}

const fn spec(name: &'static str, arg: Arg, usage: &'static str, help: &'static str) -> Spec {
    Spec {
        name,
        arg,
        usage,
        help,
        writes: false,
    }
}

const fn writing(spec: Spec) -> Spec {
    Spec {
        writes: true,
        ..spec
    }
}

pub const COMMANDS: &[Spec] = &[
    spec("providers", Arg::None, "", "the Providers screen"),
    spec(
        "models",
        Arg::Optional(Names::Provider),
        "[provider]",
        "the Models screen, at a provider's tab",
    ),
    spec("assistants", Arg::None, "", "the Assistants screen"),
    writing(spec("new", Arg::None, "", "a new assistant in the editor")),
    spec(
        "edit",
        Arg::Required(Names::Assistant),
        "NAME",
        "open an assistant in the editor, by name or id",
    ),
    spec(
        "profile",
        Arg::Optional(Names::Profile),
        "[NAME]",
        "switch to another profile in place (a list to choose from without NAME)",
    ),
    spec(
        "orgs",
        Arg::None,
        "",
        "the child organizations; choose one to open it as a profile",
    ),
    spec(
        "refresh",
        Arg::None,
        "",
        "load everything from the server again",
    ),
    spec(
        "theme",
        Arg::Required(Names::Theme),
        "NAME",
        "draw with another theme: default, light, high-contrast, ansi16",
    ),
    spec(
        "mouse",
        Arg::None,
        "",
        "clicks and the wheel on or off (off keeps the terminal's own selection)",
    ),
    spec(
        "log",
        Arg::None,
        "",
        "this session's API calls: time, route, status, latency, request id, errors",
    ),
    spec(
        "readonly",
        Arg::None,
        "",
        "turn read-only on or off for this session",
    ),
    spec("help", Arg::None, "", "every key and command"),
    spec(
        "quit",
        Arg::None,
        "",
        "quit (asks first if there is unsaved work)",
    ),
];

/// A command line parsed: the command and its argument, trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    pub spec: Spec,
    pub arg: Option<String>,
}

/// The command a word means: its whole name, or the start of exactly one
/// (`:prof`, `:q`).
pub fn find(word: &str) -> Result<Spec, String> {
    if let Some(spec) = COMMANDS.iter().find(|s| s.name == word) {
        return Ok(*spec);
    }
    let starting: Vec<&Spec> = COMMANDS
        .iter()
        .filter(|s| !word.is_empty() && s.name.starts_with(word))
        .collect();
    match starting.as_slice() {
        [one] => Ok(**one),
        [] => Err(format!("no command :{word}; commands: {}", names())),
        many => Err(format!(
            ":{word} could be {}",
            many.iter()
                .map(|s| format!(":{}", s.name))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

pub fn parse(line: &str) -> Result<Parsed, String> {
    let line = line.trim().trim_start_matches(':').trim_start();
    let (word, rest) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
    if word.is_empty() {
        return Err(format!("type a command; commands: {}", names()));
    }
    let spec = find(word)?;
    let arg = Some(rest.trim().to_owned()).filter(|a| !a.is_empty());
    match (spec.arg, &arg) {
        (Arg::None, Some(_)) => Err(format!(":{} takes nothing after it", spec.name)),
        (Arg::Required(_), None) => Err(format!(":{} {}: {}", spec.name, spec.usage, spec.help)),
        _ => Ok(Parsed { spec, arg }),
    }
}

/// Every command's name, for messages.
pub fn names() -> String {
    COMMANDS
        .iter()
        .map(|s| format!(":{}", s.name))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The line being typed after `:`, its completion and where it is in the
/// history.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommandLine {
    pub text: String,
    pub completion: Option<Completion>,
    /// Walking the history: the entry shown and what was typed before.
    pub browsing: Option<(usize, String)>,
}

impl CommandLine {
    pub fn type_char(&mut self, c: char) {
        self.text.push(c);
        self.edited();
    }

    pub fn backspace(&mut self) {
        self.text.pop();
        self.edited();
    }

    pub fn paste(&mut self, text: &str) {
        // One line: a pasted line break must not run a command.
        self.text
            .extend(text.chars().filter(|c| !c.is_control()).take(256));
        self.edited();
    }

    pub fn clear(&mut self) {
        self.text.clear();
        self.edited();
    }

    fn edited(&mut self) {
        self.completion = None;
        self.browsing = None;
    }

    /// Up: the newest earlier entry that starts with what was typed.
    pub fn older(&mut self, history: &[String]) {
        let (from, typed) = match self.browsing.take() {
            Some((at, typed)) => (at, typed),
            None => (history.len(), self.text.clone()),
        };
        let found = history[..from.min(history.len())]
            .iter()
            .rposition(|entry| entry.starts_with(&typed));
        match found {
            Some(at) => {
                self.text = history[at].clone();
                self.browsing = Some((at, typed));
            }
            None => self.browsing = Some((from, typed)),
        }
        self.completion = None;
    }

    /// Down: back towards what was typed.
    pub fn newer(&mut self, history: &[String]) {
        let Some((from, typed)) = self.browsing.take() else {
            return;
        };
        let found = history
            .iter()
            .enumerate()
            .skip(from + 1)
            .find(|(_, entry)| entry.starts_with(&typed));
        match found {
            Some((at, entry)) => {
                self.text = entry.clone();
                self.browsing = Some((at, typed));
            }
            None => self.text = typed,
        }
        self.completion = None;
    }
}

/// Adds a run command to the history: no repeats in a row, at most 100.
pub fn remember(history: &mut Vec<String>, line: &str) {
    const KEEP: usize = 100;
    let line = line.trim();
    if line.is_empty() || history.last().is_some_and(|l| l == line) {
        return;
    }
    history.push(line.to_owned());
    if history.len() > KEEP {
        history.drain(..history.len() - KEEP);
    }
}

#[cfg(test)]
mod tests;
