//! `byok ls|set|rm|config` and `models`; `byok test` is in `check.rs`,
//! reading a settings file in `settings.rs`.

use std::path::Path;

use reqwest::Method;
use secrecy::ExposeSecret;
use serde_json::{Value, json};
use zeroize::Zeroize;

use super::table::{or_dash, render, utc_header, utc_time};
use super::{ByokCommand, Failure, Outcome, check, print, print_json, provider, secret, settings};
use crate::client::{ApiClient, ApiError};
use crate::domain::{
    ByokState, Catalog, ProviderConfig, SectionId, key_hint, validate_provider_key,
};
use crate::session::Session;

/// `cat` is this build's catalog: what a key looks like, what it serves.
pub(super) async fn run(
    session: &Session,
    cat: &Catalog,
    json: bool,
    command: ByokCommand,
) -> Outcome {
    let client = &session.client;
    let command = canonical(cat, command);
    match command {
        ByokCommand::Ls if json => print_json(&client.raw(Method::GET, "/byok", None).await?),
        ByokCommand::Ls => print(&byok_table(cat, &client.byok().await?)),
        ByokCommand::Set { provider, file, .. } => {
            set(client, cat, json, &provider, file.as_deref()).await
        }
        ByokCommand::Rm {
            provider,
            if_present,
        } => rm(client, json, &provider, if_present).await,
        ByokCommand::Config { provider, file } => settings(client, json, &provider, &file).await,
        ByokCommand::Test {
            provider,
            file,
            stored,
            ..
        } => {
            let how = if stored {
                check::How::Stored
            } else {
                check::How::Local(file.as_deref())
            };
            check::test(session, cat, json, &provider, how).await
        }
    }
}

/// The command with its provider as the catalog spells it: `OpenAI` is
/// `openai`, so what is stored and checked never depends on case.
fn canonical(cat: &Catalog, command: ByokCommand) -> ByokCommand {
    match command {
        ByokCommand::Set {
            provider,
            file,
            refused,
        } => ByokCommand::Set {
            provider: provider::byok_id(cat, &provider),
            file,
            refused,
        },
        ByokCommand::Rm {
            provider,
            if_present,
        } => ByokCommand::Rm {
            provider: provider::byok_id(cat, &provider),
            if_present,
        },
        ByokCommand::Config { provider, file } => ByokCommand::Config {
            provider: provider::byok_id(cat, &provider),
            file,
        },
        ByokCommand::Test {
            provider,
            file,
            stored,
            refused,
        } => ByokCommand::Test {
            provider: provider::byok_id(cat, &provider),
            file,
            stored,
            refused,
        },
        ByokCommand::Ls => ByokCommand::Ls,
    }
}

/// With `if_present`, a provider without a stored key (404) is said on
/// stderr and is no failure; `--json` then prints the keys as they are,
/// the shape a removal answers.
async fn rm(client: &ApiClient, json: bool, provider: &str, if_present: bool) -> Outcome {
    let body = json!({ "provider": provider });
    let removed = if json {
        client
            .raw(Method::DELETE, "/byok", Some(&body))
            .await
            .map(Some)
    } else {
        client.delete_key(provider).await.map(|_| None)
    };
    match removed {
        Ok(Some(answer)) => print_json(&answer),
        Ok(None) => print(&format!(
            "{provider}: key removed; the platform's default key applies again\n"
        )),
        Err(ApiError::NotFound(_)) if if_present => {
            let nothing = format!("{provider}: no key stored, nothing to remove");
            if json {
                super::say(&nothing);
                print_json(&client.raw(Method::GET, "/byok", None).await?)
            } else {
                print(&format!("{nothing}\n"))
            }
        }
        Err(e) => Err(e.into()),
    }
}

/// A key is read from the masked prompt, one line of stdin or `file`; a
/// JSON credential (`google_vertex`) whole from `file` or stdin. Either is
/// checked here before it is sent, and the message never quotes it.
async fn set(
    client: &ApiClient,
    cat: &Catalog,
    json: bool,
    provider: &str,
    file: Option<&Path>,
) -> Outcome {
    let known = cat.secret(provider);
    let key = secret::read_provider_key(known, provider, "set", file)?;
    // A provider this build does not know (the hosted service has more) is
    // left for the server to judge.
    if known.is_some() {
        validate_provider_key(cat, provider, key.expose_secret())
            .map_err(|e| Failure::failed(format!("invalid {}: {}", e.param, e.message)))?;
    }
    if json {
        let mut body = json!({ "provider": provider, "api_key": key.expose_secret() });
        // A server that echoes the provider key must not get it printed.
        let answer = client
            .raw(Method::POST, "/byok", Some(&body))
            .await
            .map_err(|e| e.redacted(key.expose_secret()));
        if let Some(Value::String(copy)) = body.get_mut("api_key") {
            copy.zeroize();
        }
        return print_json(&answer?);
    }
    let state = client.set_key(provider, &key).await?;
    let secret_id = state.byok_keys.secret_id(provider).unwrap_or("-");
    let hint = match state.key_info(provider).and_then(|k| k.key_hint.clone()) {
        Some(hint) => hint,
        None => key_hint(known, key.expose_secret()),
    };
    print(&format!(
        "{provider}: key {hint} stored (secret id {secret_id})\n"
    ))
}

/// `byok config`: the settings file merged into the provider's stored
/// settings. What the server says back names the settings, never their
/// values: `--json` prints the answer with the provider's entry emptied
/// (what our server answers), whatever a server echoes.
async fn settings(client: &ApiClient, json: bool, provider: &str, file: &Path) -> Outcome {
    let config = settings::read(file)?;
    let mut saved = client.set_settings(provider, config).await?;
    let names = saved.names(provider);
    if json {
        for entry in saved.byok_config.values_mut() {
            *entry = json!({});
        }
        saved.stored = names;
        let body = serde_json::to_value(&saved).map_err(|e| Failure::failed(e.to_string()))?;
        return print_json(&body);
    }
    let listed = if names.is_empty() {
        "none".to_owned()
    } else {
        names.join(", ")
    };
    print(&format!(
        "{provider}: settings saved; stored now: {listed} (values are never shown or read back)\n"
    ))
}

fn byok_table(cat: &Catalog, state: &ByokState) -> String {
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut providers: Vec<&str> = state.byok_keys.providers().collect();
    // `keys` (ours) could name a provider `byok_keys` left out; show it too.
    for info in &state.keys {
        if !providers.contains(&info.provider.as_str()) {
            providers.push(&info.provider);
        }
    }
    for provider in providers {
        let info = state.key_info(provider);
        let secret_id = state
            .byok_keys
            .secret_id(provider)
            .or(info.map(|k| k.secret_id.as_str()));
        rows.push(vec![
            provider.to_owned(),
            {
                let categories = cat.categories_of(provider);
                let labels: Vec<&str> = categories.iter().map(|c| c.label()).collect();
                if labels.is_empty() {
                    "-".to_owned()
                } else {
                    labels.join("+")
                }
            },
            if secret_id.is_some() { "yes" } else { "no" }.to_owned(),
            or_dash(secret_id),
            or_dash(info.and_then(|k| k.key_hint.as_deref())),
            utc_time(info.and_then(|k| k.updated_at.as_deref())),
        ]);
    }
    render(
        &[
            "PROVIDER",
            "CATEGORY",
            "CONFIGURED",
            "SECRET ID",
            "KEY HINT",
            &utc_header("UPDATED"),
        ],
        &rows,
    )
}

/// The catalog the server publishes, as `/byok/config` shapes it. With
/// `--json` the body of `/byok/config` itself, PROVIDER keeping the same
/// `{"providers": [...]}` shape with only that provider's entries (one per
/// category it serves); otherwise the catalog from wherever the server
/// offers it (ours: `/catalog`; the hosted service has neither, so this
/// build's copy), with where it came from on stderr if `verbose`.
pub(super) async fn models(
    client: &ApiClient,
    cat: &Catalog,
    json: bool,
    verbose: bool,
    provider: Option<&str>,
) -> Outcome {
    if json {
        let mut body = client.raw(Method::GET, "/byok/config", None).await?;
        if let Some(given) = provider {
            let all = body["providers"].as_array().cloned().unwrap_or_default();
            let pairs = all
                .iter()
                .filter_map(|p| Some((p["id"].as_str()?, p["name"].as_str())));
            let id = chosen_id(cat, given, pairs)?;
            let kept: Vec<Value> = all.into_iter().filter(|p| p["id"] == id).collect();
            body["providers"] = Value::Array(kept);
        }
        return print_json(&body);
    }
    let (served, source) = client.catalog(cat).await?;
    let byok = client.byok().await.ok();
    let config =
        served.byok_config(|p| byok.as_ref().is_some_and(|b| b.byok_keys.is_configured(p)));
    let id = match provider {
        None => None,
        Some(given) => {
            let pairs = config
                .providers
                .iter()
                .map(|p| (p.id.as_str(), p.name.as_deref()));
            Some(chosen_id(cat, given, pairs)?)
        }
    };
    if verbose {
        super::say(&format!("read the {}", source.label()));
    }
    let chosen: Vec<&ProviderConfig> = config
        .providers
        .iter()
        .filter(|p| id.as_deref().is_none_or(|id| p.id == id))
        .collect();
    print(&models_table(&chosen))
}

/// The id among the server's providers that `given` names, by the server's
/// names or this build's labels ("OpenAI") as well as by id.
fn chosen_id<'a>(
    cat: &'a Catalog,
    given: &str,
    served: impl Iterator<Item = (&'a str, Option<&'a str>)> + Clone,
) -> Result<String, Failure> {
    let labels = cat.secrets().iter().filter_map(|s| {
        let id = served.clone().find(|(id, _)| *id == s.provider)?.0;
        Some((id, Some(s.label.as_str())))
    });
    provider::resolve(given, served.clone().chain(labels))
        .map(str::to_owned)
        .map_err(|ids| match providers_keyed_by(cat, given, &ids) {
            Some((key, users)) => Failure::failed(format!(
                "{key} is a key, not a provider of models: the models it serves are listed \
                 under {} (voicedock models {})",
                users.join(", "),
                users[0]
            )),
            None => provider::unknown(given, &ids),
        })
}

/// When `given` names a BYOK key that no provider of models is called by
/// (`google_vertex`), that key and the listed providers that take it.
fn providers_keyed_by<'a>(
    cat: &'a Catalog,
    given: &str,
    listed: &[&'a str],
) -> Option<(&'a str, Vec<&'a str>)> {
    let key = cat
        .secrets()
        .iter()
        .find(|s| s.provider.eq_ignore_ascii_case(given) || s.label.eq_ignore_ascii_case(given))?;
    let users: Vec<&str> = listed
        .iter()
        .copied()
        .filter(|id| {
            [SectionId::Stt, SectionId::Llm, SectionId::Tts]
                .into_iter()
                .filter_map(|section| cat.section(section).provider(id))
                .any(|p| p.secret_names().contains(&key.secret.as_str()))
        })
        .collect();
    (!users.is_empty()).then_some((key.provider.as_str(), users))
}

/// Languages beyond this many are counted, not listed, to keep lines short.
const LANGUAGES_SHOWN: usize = 6;

fn models_table(providers: &[&ProviderConfig]) -> String {
    let mut rows = Vec::new();
    for p in providers {
        let configured = match p.configured {
            Some(true) => "yes",
            Some(false) => "no",
            None => "-",
        };
        let head = |model: &str, marks: &str, langs: String| {
            vec![
                p.id.clone(),
                p.category.label().to_owned(),
                configured.to_owned(),
                model.to_owned(),
                marks.to_owned(),
                langs,
            ]
        };
        if p.models.is_empty() {
            rows.push(head("-", "", "-".into()));
        }
        for m in &p.models {
            let langs = match &m.languages {
                None => "-".to_owned(),
                Some(all) if all.len() <= LANGUAGES_SHOWN => all.join(", "),
                Some(all) => format!(
                    "{}, … (+{})",
                    all[..LANGUAGES_SHOWN].join(", "),
                    all.len() - LANGUAGES_SHOWN
                ),
            };
            let marks = match (m.default, m.legacy) {
                (true, _) => "default",
                (false, true) => "legacy",
                (false, false) => "",
            };
            rows.push(head(&m.id, marks, langs));
        }
    }
    render(
        &[
            "PROVIDER",
            "CATEGORY",
            "CONFIGURED",
            "MODEL",
            "MARK",
            "LANGUAGES",
        ],
        &rows,
    )
}
