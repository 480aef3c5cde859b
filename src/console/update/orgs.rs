//! `:orgs`: the child organizations of this profile's organization, and
//! opening one as the profile that holds its key.

use super::super::app::Model;
use super::super::msg::{Call, Cmd};
use super::super::picker::{Choosing, Picker};
use super::{request, toast};
use crate::client::ApiError;
use crate::domain::ChildOrganization;
use crate::domain::text::one_line;

pub fn ask(model: &mut Model) -> Vec<Cmd> {
    toast(model, "Loading the child organizations…", false);
    request(model, Call::Organizations).1
}

/// The profile that holds the organization's key, if `orgs create` made one.
fn profile_of<'a>(model: &'a Model, org_id: &str) -> Option<&'a str> {
    model
        .server
        .org_profiles
        .iter()
        .find(|(id, _)| id == org_id)
        .map(|(_, profile)| profile.as_str())
}

pub fn listed(model: &mut Model, result: Result<Vec<ChildOrganization>, ApiError>) {
    let children = match result {
        Ok(children) => children,
        Err(e) => {
            toast(
                model,
                format!("Could not list the organizations: {e}"),
                true,
            );
            return;
        }
    };
    if children.is_empty() {
        toast(
            model,
            "No child organizations; `voicedock orgs create NAME --profile NEW` makes one",
            false,
        );
        return;
    }
    model.server.toast = None;
    let labels = children
        .iter()
        .map(|c| {
            let name = one_line(&c.name);
            match profile_of(model, &c.id) {
                Some(profile) => format!("{name}  (profile {profile})"),
                None => format!("{name}  (no profile)"),
            }
        })
        .collect();
    let ids = children.iter().map(|c| c.id.clone()).collect();
    model.server.picker = Some(Picker::labelled(
        Choosing::Organization,
        "Open a child organization",
        labels,
        ids,
        None,
    ));
}

pub fn open(model: &mut Model, org_id: &str) -> Vec<Cmd> {
    match profile_of(model, org_id) {
        Some(profile) => {
            let profile = profile.to_owned();
            super::command::switch_profile(model, profile)
        }
        None => {
            // Its key was shown once, to whoever made it; only they can add it.
            toast(
                model,
                format!(
                    "No profile holds organization {org_id}'s key: add it with \
                     `voicedock profile add NAME --base-url {}` and its key",
                    model.server.base_url
                ),
                true,
            );
            Vec::new()
        }
    }
}
