//! `completions SHELL` and `man`: made from the clap definitions of this
//! build, so they cannot fall behind the commands.

use std::path::Path;

use anyhow::Context;
use clap::CommandFactory;
use clap_complete::Shell;
use clap_mangen::Man;

use super::{Cli, Outcome, environment, exit_codes, print};

const BIN: &str = "voicedock";

/// The commands as the generators see them: clap's `help` subcommand left
/// out (it is no command of ours), names and synopses filled in. The
/// top's closing text is left to the page's own sections (`reference_sections`).
fn commands() -> clap::Command {
    let mut cmd = Cli::command()
        .disable_help_subcommand(true)
        .after_help(None::<&str>)
        .after_long_help(None::<&str>);
    cmd.build();
    cmd
}

/// What `voicedock --help` ends with: the environment variables and the
/// exit codes, each with its meaning.
pub(super) fn after_long_help() -> String {
    let mut text = String::from("Environment variables:\n");
    for (name, meaning) in environment::variables() {
        text.push_str(&format!("  {name}\n      {meaning}\n"));
    }
    text.push_str("\nExit codes:\n");
    for (code, meaning) in exit_codes::ALL {
        text.push_str(&format!("  {code:<3}  {meaning}\n"));
    }
    text
}

/// The man page's ENVIRONMENT and EXIT STATUS sections, from the same lists.
fn reference_sections() -> String {
    let mut text = String::from(".SH ENVIRONMENT\n");
    for (name, meaning) in environment::variables() {
        text.push_str(&format!(
            ".TP\n\\fB{}\\fR\n{}\n",
            roff(&name),
            roff(meaning)
        ));
    }
    text.push_str(".SH \"EXIT STATUS\"\n");
    for (code, meaning) in exit_codes::ALL {
        text.push_str(&format!(".TP\n\\fB{code}\\fR\n{}\n", roff(meaning)));
    }
    text
}

/// `text` as roff prints it: backslashes and hyphens escaped, and a line
/// that would start with a control character kept as text.
fn roff(text: &str) -> String {
    let escaped = text.replace('\\', "\\e").replace('-', "\\-");
    if escaped.starts_with(['.', '\'']) {
        format!("\\&{escaped}")
    } else {
        escaped
    }
}

pub(super) fn completions(shell: Shell) -> Outcome {
    let mut cmd = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut cmd, BIN, &mut script);
    print(&String::from_utf8_lossy(&script))
}

/// One page, or with `out` one page per command written there.
pub(super) fn man(out: Option<&Path>) -> Outcome {
    match out {
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create '{}'", dir.display()))?;
            clap_mangen::generate_to(commands(), dir)
                .with_context(|| format!("cannot write the pages into '{}'", dir.display()))?;
            let top = dir.join(format!("{BIN}.1"));
            let mut page = rendered(|w| Man::new(commands()).render(w))?;
            page.push_str(&reference_sections());
            std::fs::write(&top, page)
                .with_context(|| format!("cannot write '{}'", top.display()))?;
            print(&format!("man pages written to '{}'\n", dir.display()))
        }
        None => print(&page()?),
    }
}

/// The lines of a rendering.
fn rendered(render: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>) -> anyhow::Result<String> {
    let mut buffer = Vec::new();
    render(&mut buffer).context("cannot render the man page")?;
    Ok(String::from_utf8_lossy(&buffer).into_owned())
}

/// `text`'s lines that `keep` admits, each ended by a newline.
fn only(text: &str, keep: impl Fn(&str) -> bool) -> String {
    text.lines()
        .filter(|line| keep(line))
        .map(|line| format!("{line}\n"))
        .collect()
}

/// The string definition every rendering starts with: the page gives it once.
fn is_preamble(line: &str) -> bool {
    line.starts_with(r".ie \n(.g .ds Aq") || line.starts_with(".el .ds Aq")
}

/// The top-level page, then a COMMANDS section with each command (nested
/// ones too) as a subsection: its description, synopsis and options.
fn page() -> anyhow::Result<String> {
    let cmd = commands();
    let top = Man::new(cmd.clone());
    let whole = rendered(|w| top.render(w))?;
    // `.TH` first, as readers of man pages expect, then the definition.
    let mut text = only(&whole, |line| line.starts_with(".TH "));
    text.push_str(&only(&whole, is_preamble));
    text.push_str(&only(&whole, |line| {
        !line.starts_with(".TH ") && !is_preamble(line)
    }));
    text.push_str(&reference_sections());
    text.push_str(".SH COMMANDS\n");
    for sub in cmd.get_subcommands() {
        section(sub, &mut text)?;
    }
    Ok(text)
}

/// A section's body: inside a subsection, its own headings go.
fn body(render: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>) -> anyhow::Result<String> {
    let text = rendered(render)?;
    Ok(only(&text, |line| {
        !is_preamble(line) && !line.starts_with(".SH ")
    }))
}

fn section(cmd: &clap::Command, text: &mut String) -> anyhow::Result<()> {
    if cmd.is_hide_set() {
        return Ok(());
    }
    let name = cmd.get_bin_name().unwrap_or_else(|| cmd.get_name());
    text.push_str(&format!(".SS \"{}\"\n", name.replace('"', "")));
    let man = Man::new(cmd.clone());
    text.push_str(&body(|w| man.render_description_section(w))?);
    text.push_str(".PP\n");
    text.push_str(&body(|w| man.render_synopsis_section(w))?);
    if cmd.get_arguments().any(|a| !a.is_hide_set()) {
        text.push_str(&body(|w| man.render_options_section(w))?);
    }
    if cmd.get_after_help().is_some() {
        text.push_str(".PP\n");
        text.push_str(&body(|w| man.render_extra_section(w))?);
    }
    for sub in cmd.get_subcommands() {
        section(sub, text)?;
    }
    Ok(())
}
