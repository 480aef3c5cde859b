//! `completions`, `man` and `--version` through the real binary: made from
//! the clap definitions, so every command of this build is in them.

use testkit::cli_support;

use std::process::{Command, Output};

use clap::CommandFactory;
use cli_support::{ok, run, text};
use tempfile::TempDir;
use voicedock::cli::Cli;

fn voicedock(args: &[&str]) -> Output {
    let config = TempDir::new().unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_voicedock"));
    cmd.args(args)
        .env("VOICEDOCK_CONFIG_DIR", config.path())
        .env("VOICEDOCK_DATA_DIR", config.path())
        .env_remove("VOICEDOCK_BASE_URL")
        .env_remove("VOICEDOCK_API_KEY");
    run(cmd, "")
}

/// Every command but clap's own `help`, by its full name
/// (`voicedock assistants pull`).
fn all_commands() -> Vec<String> {
    fn walk(cmd: &clap::Command, out: &mut Vec<String>) {
        for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            out.push(sub.get_bin_name().unwrap().to_owned());
            walk(sub, out);
        }
    }
    let mut cmd = Cli::command();
    cmd.build();
    let mut out = Vec::new();
    walk(&cmd, &mut out);
    out
}

#[test]
fn every_shell_gets_a_script_that_names_the_commands() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let script = ok(voicedock(&["completions", shell]));
        for word in [
            "assistants",
            "byok",
            "pull",
            "diff",
            "completions",
            "reveal",
        ] {
            assert!(script.contains(word), "{shell} lacks {word}:\n{script}");
        }
    }
    let out = voicedock(&["completions", "tcsh"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
}

#[test]
fn the_bash_script_loads_and_completes_subcommands() {
    let dir = TempDir::new().unwrap();
    let script = dir.path().join("voicedock.bash");
    std::fs::write(&script, ok(voicedock(&["completions", "bash"]))).unwrap();
    // What bash sets before it calls a completion function, for
    // `voicedock assistants p<TAB>`.
    let probe = r#"source "$1" || exit 9
complete -p voicedock || exit 8
COMP_WORDS=(voicedock assistants p); COMP_CWORD=2; COMP_LINE="voicedock assistants p"
COMP_POINT=${#COMP_LINE}
_voicedock voicedock p assistants
printf '%s\n' "${COMPREPLY[@]}""#;
    let out = Command::new("bash")
        .args(["--norc", "--noprofile", "-c", probe, "probe"])
        .arg(&script)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let said = String::from_utf8(out.stdout).unwrap();
    assert!(said.contains("-F _voicedock voicedock"), "{said}");
    let offered: Vec<&str> = said.lines().skip(1).collect();
    assert!(
        offered.contains(&"pull") && !offered.contains(&"diff"),
        "{offered:?}"
    );
}

#[test]
fn the_man_page_is_roff_and_has_every_command_with_its_options() {
    let page = ok(voicedock(&["man"]));
    assert!(page.starts_with(".TH voicedock 1 "), "{page}");
    assert_eq!(page.matches(".TH ").count(), 1, "one page");
    assert!(page.contains("\n.SH SYNOPSIS\n") && page.contains("\n.SH COMMANDS\n"));
    let commands = all_commands();
    assert!(commands.len() > 20, "{commands:?}");
    for name in &commands {
        assert!(
            page.contains(&format!(".SS \"{name}\"\n")),
            "{name} missing"
        );
    }
    let pull = page
        .split(".SS \"voicedock assistants pull\"\n")
        .nth(1)
        .and_then(|rest| rest.split(".SS ").next())
        .unwrap();
    for option in [r"\fB\-o\fR, \fB\-\-out\fR", r"\fB\-\-reveal\fR", "0600"] {
        assert!(pull.contains(option), "{option}:\n{pull}");
    }
    // The refused key flag is hidden everywhere, as in --help.
    assert!(!page.contains("api\\-key"), "{page}");
}

#[test]
fn man_out_writes_one_page_per_command() {
    let dir = TempDir::new().unwrap();
    let pages = dir.path().join("man1");
    let said = ok(voicedock(&["man", "--out", pages.to_str().unwrap()]));
    assert!(said.contains("written"), "{said}");
    for name in std::iter::once("voicedock".to_owned()).chain(all_commands()) {
        let file = pages.join(format!("{}.1", name.replace(' ', "-")));
        let page = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{file:?}: {e}"));
        assert!(
            page.contains(&format!("\n.TH {} 1 ", name.replace(' ', "-"))),
            "{page}"
        );
    }
    let pull = std::fs::read_to_string(pages.join("voicedock-assistants-pull.1")).unwrap();
    assert!(pull.contains(r"\fB\-\-reveal\fR"), "{pull}");
}

#[test]
fn version_is_the_package_version() {
    let expected = format!("voicedock {}\n", env!("CARGO_PKG_VERSION"));
    for flag in ["--version", "-V"] {
        assert_eq!(ok(voicedock(&[flag])), expected, "{flag}");
    }
}

#[test]
fn every_command_has_help_text() {
    let mut cmd = Cli::command();
    cmd.build();
    fn walk(cmd: &clap::Command) {
        for sub in cmd.get_subcommands() {
            let about = sub.get_about().map(ToString::to_string).unwrap_or_default();
            assert!(!about.trim().is_empty(), "{} has no help", sub.get_name());
            walk(sub);
        }
    }
    walk(&cmd);
}
