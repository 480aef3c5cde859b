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

/// What bash offers for `line` (the last word being completed) once
/// `script` is loaded, through the function the script registers.
fn offered_by_bash(mut shell: Command, script: &str, line: &[&str]) -> Vec<String> {
    let dir = TempDir::new().unwrap();
    let file = dir.path().join("voicedock.bash");
    std::fs::write(&file, script).unwrap();
    // What bash sets before it calls a completion function.
    let probe = r#"source "$1" || exit 9
shift
function=$(complete -p voicedock | sed 's/.*-F \([^ ]*\) .*/\1/')
COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
"$function" voicedock "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
printf '%s\n' "${COMPREPLY[@]}""#;
    let out = shell
        .args(["--norc", "--noprofile", "-c", probe, "probe"])
        .arg(&file)
        .args(line)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_scripts_offer_provider_ids_for_a_provider() {
    let fixed = ok(voicedock(&["completions", "bash"]));
    let offered = offered_by_bash(
        Command::new("bash"),
        &fixed,
        &["voicedock", "byok", "rm", ""],
    );
    assert!(
        offered.iter().any(|o| o == "openai") && offered.iter().any(|o| o == "google_vertex"),
        "{offered:?}"
    );
    let dynamic = ok(voicedock(&["completions", "bash", "--dynamic"]));
    let offered = offered_by_bash(
        Command::new("bash"),
        &dynamic,
        &["voicedock", "models", "eleven"],
    );
    assert_eq!(offered, ["elevenlabs"]);
}

#[test]
fn the_dynamic_script_offers_the_servers_assistants() {
    let h = cli_support::harness();
    let mut ids = Vec::new();
    for name in ["Front Desk", "Sales"] {
        let body = serde_json::json!({ "name": name }).to_string();
        let created =
            cli_support::json_of(h.api(&["assistants", "apply", "-f", "-", "--json"], &body));
        ids.push(created["assistant"]["id"].as_str().unwrap().to_owned());
    }
    let script = ok(h.api(&["completions", "bash", "--dynamic"], ""));
    let shell = || {
        let mut bash = Command::new("bash");
        bash.env("VOICEDOCK_CONFIG_DIR", h.config.path())
            .env("VOICEDOCK_BASE_URL", &h.base_url)
            .env(
                "VOICEDOCK_API_KEY",
                secrecy::ExposeSecret::expose_secret(&h.account_key),
            );
        bash
    };
    let names = offered_by_bash(shell(), &script, &["voicedock", "assistants", "get", "Fr"]);
    assert_eq!(names, ["Front Desk"]);

    // Profiles come from config.toml, with the built-in `local`.
    ok(h.local(
        &["profile", "add", "prod", "--base-url", &h.base_url],
        &format!("{}\n", secrecy::ExposeSecret::expose_secret(&h.account_key)),
    ));
    let offered = offered_by_bash(shell(), &script, &["voicedock", "profile", "use", ""]);
    let profiles: Vec<&String> = offered.iter().filter(|o| !o.starts_with('-')).collect();
    assert_eq!(profiles, ["local", "prod"]);
    let profiles = offered_by_bash(shell(), &script, &["voicedock", "--profile", "p"]);
    assert_eq!(profiles, ["prod"]);
    let offered = offered_by_bash(shell(), &script, &["voicedock", "assistants", "rm", ""]);
    let mut every: Vec<String> = offered
        .into_iter()
        .filter(|o| !o.starts_with('-'))
        .collect();
    every.sort();
    ids.sort();
    assert_eq!(every, ids);
}

/// Every `VOICEDOCK_…` name the source spells (a name ending in `_` is a
/// prefix: `VOICEDOCK_UPSTREAM_<PROVIDER>`).
fn variables_in_the_source() -> std::collections::BTreeSet<String> {
    fn walk(dir: &std::path::Path, names: &mut std::collections::BTreeSet<String>) {
        let pattern = regex::Regex::new(r"VOICEDOCK_[A-Z_]+").unwrap();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, names);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let source = std::fs::read_to_string(&path).unwrap();
                names.extend(pattern.find_iter(&source).map(|m| m.as_str().to_owned()));
            }
        }
    }
    let mut names = std::collections::BTreeSet::new();
    walk(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut names,
    );
    names
        .into_iter()
        .map(|name| match name.strip_prefix("VOICEDOCK_UPSTREAM_") {
            Some(_) => "VOICEDOCK_UPSTREAM_<PROVIDER>".to_owned(),
            None => name,
        })
        .collect()
}

#[test]
fn help_and_the_man_page_list_every_variable_and_exit_code() {
    let help = ok(voicedock(&["--help"]));
    let page = ok(voicedock(&["man"]));
    let variables = variables_in_the_source();
    assert!(variables.len() > 10, "{variables:?}");
    for name in variables
        .iter()
        .map(String::as_str)
        .chain(["RUST_LOG", "NO_COLOR", "EDITOR"])
    {
        let listed = regex::Regex::new(&format!(r"\n  (\S+, )*{}", regex::escape(name))).unwrap();
        assert!(listed.is_match(&help), "--help lacks {name}:\n{help}");
        assert!(page.contains(name), "the man page lacks {name}");
    }
    assert!(page.contains("\n.SH ENVIRONMENT\n") && page.contains("\n.SH \"EXIT STATUS\"\n"));
    for (code, meaning) in voicedock::cli::exit_codes::ALL {
        assert!(
            help.contains(&format!("\n  {code:<3}  {meaning}\n")),
            "{code}:\n{help}"
        );
        assert!(
            page.contains(&format!(".TP\n\\fB{code}\\fR\n")),
            "{code}:\n{page}"
        );
    }
    let dir = TempDir::new().unwrap();
    ok(voicedock(&["man", "--out", dir.path().to_str().unwrap()]));
    let top = std::fs::read_to_string(dir.path().join("voicedock.1")).unwrap();
    assert!(
        top.contains("\n.SH ENVIRONMENT\n") && top.contains("\\fB143\\fR"),
        "{top}"
    );
    // -h stays short and says where they are.
    let short = ok(voicedock(&["-h"]));
    assert!(
        !short.contains("VOICEDOCK_DATA_DIR") && short.contains("--help"),
        "{short}"
    );
}

#[test]
fn provider_arguments_list_the_providers_in_help_and_man_page() {
    for args in [
        &["byok", "set", "--help"][..],
        &["byok", "rm", "--help"],
        &["byok", "test", "--help"],
        &["models", "--help"],
    ] {
        let help = ok(voicedock(args));
        assert!(help.contains("name in any case"), "{args:?}:\n{help}");
        for listed in [
            "- openai:",
            "OpenAI",
            "- elevenlabs:",
            "ElevenLabs",
            "- deepgram:",
        ] {
            assert!(help.contains(listed), "{args:?} lacks {listed}:\n{help}");
        }
    }
    let short = ok(voicedock(&["byok", "rm", "-h"]));
    assert!(
        short.contains("[possible values: deepgram, openai,"),
        "{short}"
    );
    let page = ok(voicedock(&["man"]));
    let rm = page
        .split(".SS \"voicedock byok rm\"\n")
        .nth(1)
        .and_then(|rest| rest.split(".SS ").next())
        .unwrap();
    assert!(
        rm.contains("openai") && rm.contains("google_vertex"),
        "{rm}"
    );
}
