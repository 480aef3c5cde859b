//! `profile add|ls|use|rm` and `paths`: the local files, no network.

use serde_json::json;

use super::table::render;
use super::{Failure, Global, Outcome, ProfileCommand, print, print_json, secret};
use crate::client::{ApiClient, ApiError, normalise_base_url};
use crate::config::{self, Config, Credentials, LOCAL, Paths, Profile};
use crate::server;

pub(super) fn run(global: &Global, command: ProfileCommand) -> Outcome {
    let paths = config::paths()?;
    match command {
        ProfileCommand::Add { name, base_url, .. } => add(&paths, &name, &base_url, global.json),
        ProfileCommand::Ls => list(&paths, global.json),
        ProfileCommand::Use { name } => use_profile(&paths, &name, global.json),
        ProfileCommand::Rm { name } => remove(&paths, &name, global.json),
    }
}

fn add(paths: &Paths, name: &str, base_url: &str, json: bool) -> Outcome {
    config::validate_profile_name(name)?;
    let mut config = Config::load(&paths.config_file)?;
    // Read before the prompt, so a too-open credentials file is reported
    // before the user types a key that could not be stored.
    let mut credentials = Credentials::load(&paths.credentials_file)?;
    // The client's own rule, checked before the user types a key for nothing.
    let base_url = normalise_base_url(base_url)?;
    let key = secret::read_key(
        &format!("API key for profile {name}: "),
        None,
        secret::MIN_ACCOUNT_KEY_LEN,
    )?;
    let checked = check_key(&base_url, &key)?;
    credentials.set(name, key);
    credentials.save(&paths.credentials_file)?;
    // A profile added again keeps what only config.toml sets (read_only, color).
    let kept = config.profiles.get(name).cloned().unwrap_or_default();
    let replaced = config
        .profiles
        .insert(
            name.to_owned(),
            Profile {
                base_url: base_url.clone(),
                // A typed key is not known to be the organization
                // `orgs create` stored here.
                org_id: None,
                ..kept
            },
        )
        .is_some();
    // Adding never moves the default: the next bare `voicedock` opens what
    // it opened before, until `profile use` says otherwise.
    config.save(&paths.config_file)?;
    let is_default = config.default_profile.as_deref() == Some(name);
    if json {
        return print_json(&json!({
            "profile": name, "base_url": base_url, "replaced": replaced, "default": is_default
        }));
    }
    let verb = if replaced { "replaced" } else { "added" };
    let hint = if is_default {
        " (the default)".to_owned()
    } else {
        format!("; `voicedock profile use {name}` makes it the default")
    };
    print(&format!(
        "profile {name} {verb}: {base_url}{checked}{hint}\n"
    ))
}

/// Asks the server who the key belongs to before storing it: a key the
/// server refuses is not saved; a server that cannot be reached yet is only
/// warned about, since profiles are often set up before the service is up.
fn check_key(base_url: &str, key: &secrecy::SecretString) -> Result<String, Failure> {
    let client = ApiClient::new(base_url, key.clone())?;
    match super::on_runtime(async { Ok(client.account().await) })? {
        Ok(account) => {
            let who = account.company_name.unwrap_or(account.id);
            Ok(format!(" (key works: {who})"))
        }
        Err(ApiError::Unauthorized(message)) => Err(Failure::failed(format!(
            "the server refused this API key ({message}); nothing was saved"
        ))),
        Err(e) => {
            super::say(&format!("warning: could not check the key: {e}"));
            Ok(" (key not checked)".into())
        }
    }
}

fn list(paths: &Paths, json: bool) -> Outcome {
    let config = Config::load(&paths.config_file)?;
    let credentials = Credentials::load(&paths.credentials_file)?;
    if json {
        let default = config.default_profile.as_deref().unwrap_or(LOCAL);
        let mut profiles = serde_json::Map::new();
        profiles.insert(
            LOCAL.to_owned(),
            json!({"builtin": true, "default": default == LOCAL}),
        );
        for (name, p) in &config.profiles {
            profiles.insert(
                name.clone(),
                json!({
                    "base_url": p.base_url,
                    "has_key": credentials.get(name).is_some(),
                    "default": default == name,
                }),
            );
        }
        return print_json(&json!({"default_profile": default, "profiles": profiles}));
    }
    let mark = |is: bool| if is { "*" } else { "" }.to_owned();
    let mut rows = vec![vec![
        mark(config.default_profile.is_none()),
        LOCAL.to_owned(),
        "(embedded server on the local data dir)".to_owned(),
        "-".to_owned(),
    ]];
    for (name, profile) in &config.profiles {
        rows.push(vec![
            mark(config.default_profile.as_deref() == Some(name.as_str())),
            name.clone(),
            profile.base_url.clone(),
            if credentials.get(name).is_some() {
                "stored"
            } else {
                "missing"
            }
            .to_owned(),
        ]);
    }
    print(&render(&["DEFAULT", "NAME", "BASE URL", "KEY"], &rows))
}

fn use_profile(paths: &Paths, name: &str, json: bool) -> Outcome {
    let mut config = Config::load(&paths.config_file)?;
    if name == LOCAL {
        config.default_profile = None;
    } else if config.profiles.contains_key(name) {
        config.default_profile = Some(name.to_owned());
    } else {
        return Err(no_such_profile(paths, name));
    }
    config.save(&paths.config_file)?;
    if json {
        return print_json(&json!({ "default_profile": name }));
    }
    print(&format!("default profile: {name}\n"))
}

fn remove(paths: &Paths, name: &str, json: bool) -> Outcome {
    if name == LOCAL {
        return Err(Failure::failed(format!(
            "\"{LOCAL}\" is the embedded server's own account, not a profile; \
             the console manages its key"
        )));
    }
    let mut config = Config::load(&paths.config_file)?;
    let mut credentials = Credentials::load(&paths.credentials_file)?;
    let had_profile = config.profiles.remove(name).is_some();
    let had_key = credentials.remove(name);
    if !had_profile && !had_key {
        return Err(no_such_profile(paths, name));
    }
    if config.default_profile.as_deref() == Some(name) {
        config.default_profile = None;
    }
    if had_key {
        credentials.save(&paths.credentials_file)?;
    }
    config.save(&paths.config_file)?;
    if json {
        let default = config.default_profile.as_deref().unwrap_or(LOCAL);
        return print_json(&json!({ "removed": name, "default_profile": default }));
    }
    print(&format!("profile {name} removed\n"))
}

fn no_such_profile(paths: &Paths, name: &str) -> Failure {
    Failure::failed(format!(
        "there is no profile named {name:?} in '{}'; `voicedock profile ls` lists them",
        paths.config_file.display()
    ))
}

/// Every file the tool reads or writes.
pub(super) fn paths(global: &Global) -> Outcome {
    let paths = config::paths()?;
    let files = server::files(&paths.data_dir);
    let mut entries = vec![
        ("config", paths.config_file.display().to_string()),
        ("credentials", paths.credentials_file.display().to_string()),
        (
            "local_account_lock",
            paths.local_lock_file.display().to_string(),
        ),
        ("data_dir", paths.data_dir.display().to_string()),
        ("cache_dir", paths.cache_dir.display().to_string()),
        ("state_dir", paths.state_dir.display().to_string()),
        (
            "activity_log",
            paths.activity_log_file.display().to_string(),
        ),
    ];
    let master_key_from_env = std::env::var_os(server::MASTER_KEY_ENV).is_some();
    entries.extend(files.iter().map(|(what, path)| {
        let shown = if *what == "master_key" && master_key_from_env {
            format!("(unused: {} is set)", server::MASTER_KEY_ENV)
        } else {
            path.display().to_string()
        };
        (*what, shown)
    }));
    if global.json {
        let map: serde_json::Map<_, _> = entries
            .into_iter()
            .map(|(k, v)| (k.to_owned(), serde_json::Value::String(v)))
            .collect();
        return print_json(&serde_json::Value::Object(map));
    }
    let rows: Vec<Vec<String>> = entries
        .into_iter()
        .map(|(k, v)| vec![k.to_owned(), v])
        .collect();
    print(&render(&[], &rows))
}
