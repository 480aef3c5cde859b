//! `orgs ls|create|retention`. A child organization's key goes from the
//! server's answer straight into the credentials of a new profile: it is
//! never printed, not even with `--json`.

use std::sync::Arc;

use reqwest::Method;
use secrecy::ExposeSecret;
use serde_json::json;

use super::table::render;
use super::{Failure, Global, OrgsCommand, Outcome, on_runtime, output, print, print_json};
use crate::client::ApiClient;
use crate::config::{self, Config, Credentials, LOCAL, Paths, Profile, ProfileKind};
use crate::domain::text::KeyPieces;
use crate::domain::{Catalog, RetentionRequest};
use crate::session::Session;

pub(super) fn run(global: &Global, command: OrgsCommand) -> Outcome {
    let json = global.json;
    match command {
        OrgsCommand::Ls => super::with_client(global, builtin, async |c| list(c, json).await),
        OrgsCommand::Create { name, parent } => {
            let Some(new_profile) = global.profile.as_deref() else {
                return Err(Failure {
                    message: Some(
                        "name the profile that will hold the new organization's key: \
                         voicedock orgs create NAME --profile NEW"
                            .into(),
                    ),
                    code: 2,
                });
            };
            create(&name, new_profile, parent.as_deref(), json)
        }
        OrgsCommand::Retention { content, metadata } => {
            let change = RetentionRequest {
                content_retention_days: content,
                metadata_retention_days: metadata,
            };
            if content.is_none() && metadata.is_none() {
                return Err(Failure {
                    message: Some("give --content DAYS, --metadata DAYS or both".into()),
                    code: 2,
                });
            }
            super::with_client(global, builtin, async |c| retention(c, &change, json).await)
        }
    }
}

fn builtin() -> Arc<Catalog> {
    Arc::new(Catalog::builtin())
}

async fn list(client: &ApiClient, json: bool) -> Outcome {
    if json {
        let body = client
            .raw(Method::GET, "/organizations?include_children=true", None)
            .await?;
        return print_json(&body);
    }
    let (org, children) = client.organization_tree().await?;
    let name = org.company_name.clone().unwrap_or_else(|| org.id.clone());
    let mut rows = vec![vec![
        "this".to_owned(),
        name,
        org.id.clone(),
        org.minutes_balance
            .map_or("-".into(), |m| format!("{m} min")),
        org.active_calls.map_or("-".into(), |c| c.to_string()),
    ]];
    for child in &children {
        rows.push(vec![
            "child".to_owned(),
            child.name.clone(),
            child.id.clone(),
            "-".into(),
            "-".into(),
        ]);
    }
    let mut text = render(&["", "NAME", "ID", "BALANCE", "ACTIVE CALLS"], &rows);
    if children.is_empty() {
        text.push_str(
            "no child organizations; `voicedock orgs create NAME --profile NEW` makes one\n",
        );
    }
    print(&text)
}

async fn retention(client: &ApiClient, change: &RetentionRequest, json: bool) -> Outcome {
    let body = client.set_retention(change).await?;
    if json {
        return print_json(&body);
    }
    let days = |field: &str| {
        body.get(field)
            .and_then(serde_json::Value::as_u64)
            .map_or("the platform's default".to_owned(), |d| format!("{d} days"))
    };
    print(&format!(
        "retention: content {}, metadata {}\n",
        days("content_retention_days"),
        days("metadata_retention_days")
    ))
}

/// Everything that could stop the key from being stored is checked before
/// the organization is made: a key the server sends once and this run could
/// not keep would be lost.
fn create(name: &str, new_profile: &str, parent: Option<&str>, json: bool) -> Outcome {
    let paths = config::paths()?;
    config::validate_profile_name(new_profile)?;
    if new_profile == LOCAL {
        return Err(Failure::failed(format!(
            "\"{LOCAL}\" is the embedded server's own account; name another profile"
        )));
    }
    let config = Config::load(&paths.config_file)?;
    if config.profiles.contains_key(new_profile) {
        return Err(Failure::failed(format!(
            "profile {new_profile} exists already and keeps its key; name a new profile"
        )));
    }
    let credentials = Credentials::load(&paths.credentials_file)?;
    on_runtime(async {
        let session = Session::open(parent, builtin).await?;
        output::never_show(session.client.key_pieces());
        let outcome = create_in(&paths, &session, name, new_profile, credentials, json).await;
        session.close().await;
        outcome
    })
}

async fn create_in(
    paths: &Paths,
    session: &Session,
    name: &str,
    new_profile: &str,
    mut credentials: Credentials,
    json: bool,
) -> Outcome {
    if session.kind == ProfileKind::Local {
        return Err(Failure::failed(
            "the embedded local server lives only while a command runs, so a profile cannot \
             point at it; run `voicedock serve` and add it as a profile, or name one with \
             --parent PROFILE",
        ));
    }
    let created = session.client.create_organization(name).await?;
    output::never_show(&KeyPieces::of(created.api_key.expose_secret()));
    credentials.set(new_profile, created.api_key.clone());
    credentials.save(&paths.credentials_file).map_err(|e| {
        Failure::failed(format!(
            "organization {} ({}) was created, but its key could not be stored: {e:#}; \
             the server shows a key only once, so ask its operator for a new one",
            created.name, created.id
        ))
    })?;
    // Read again: another run may have changed config.toml meanwhile.
    let mut config = Config::load(&paths.config_file)?;
    config.profiles.insert(
        new_profile.to_owned(),
        Profile {
            base_url: session.client.base_url().to_owned(),
            org_id: Some(created.id.clone()),
            ..Profile::default()
        },
    );
    config.save(&paths.config_file)?;
    if json {
        return print_json(&json!({
            "id": created.id,
            "name": created.name,
            "parent_org_id": created.parent_org_id,
            "created_at": created.created_at,
            "profile": new_profile,
        }));
    }
    print(&format!(
        "organization {} created ({}), a child of profile {}; its key is stored in profile \
         {new_profile}: `voicedock --profile {new_profile} byok ls`\n",
        created.name, created.id, session.profile
    ))
}
