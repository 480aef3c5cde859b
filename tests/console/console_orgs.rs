//! The organization in the header (its balance and active calls where the
//! server tells them) and `:orgs`, through the real `update`, `view` and
//! worker over HTTP: against the hosted stand-in and our server.

use testkit::common::TestServer;
use testkit::console_support;
use testkit::hosted_support;

use console_support::*;
use ratatui::crossterm::event::KeyCode;
use secrecy::SecretString;
use tokio::runtime::Runtime;
use voicedock::client::ApiClient;
use voicedock::console::msg::{Effect, Msg};

fn screen(h: &mut Harness, width: u16, height: u16) -> String {
    h.send(Msg::Resize(width, height));
    h.render(width, height)
        .lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n")
}

fn orgs_command(h: &mut Harness, rt: &Runtime, client: &ApiClient) {
    h.type_text(":orgs");
    h.key(KeyCode::Enter);
    h.pump(rt, client);
}

/// A console on a profile that `orgs create` made `client` for the first
/// child, and knows nothing of the second.
fn console_knowing(child_id: &str) -> Harness {
    let child_id = child_id.to_owned();
    Harness::with(move |model| {
        model.server.profiles = vec!["local".into(), "client".into()];
        model.server.org_profiles = vec![(child_id, "client".into())];
    })
}

#[test]
fn the_hosted_header_shows_the_balance_and_active_calls_and_orgs_opens_a_child() {
    let rt = Runtime::new().unwrap();
    let (base, hosted) = rt.block_on(hosted_support::start());
    let client = ApiClient::new(&base, SecretString::from(hosted_support::HOSTED_KEY)).unwrap();
    hosted.lock().unwrap().active_calls = 2;
    let made = rt
        .block_on(client.create_organization("Client Co"))
        .unwrap();
    rt.block_on(client.create_organization("Other Co")).unwrap();

    let mut h = console_knowing(&made.id);
    h.pump(&rt, &client);
    let wide = screen(&mut h, 120, 40);
    let header = wide.lines().next().unwrap().to_owned();
    assert!(
        header.contains("Hosted Org · 120.5 min left · 2 active calls"),
        "{header}"
    );
    let narrow = screen(&mut h, 80, 24);
    assert!(
        narrow
            .lines()
            .next()
            .unwrap()
            .contains("Hosted Org · 120.5m · 2 calls"),
        "{narrow}"
    );
    insta::assert_snapshot!("orgs_header_hosted_120x40", header);
    insta::assert_snapshot!("orgs_header_hosted_80x24", narrow.lines().next().unwrap());

    orgs_command(&mut h, &rt, &client);
    assert!(h.model.server.picker.is_some(), "{}", h.toast_text());
    insta::assert_snapshot!("orgs_picker_hosted_120x40", screen(&mut h, 120, 40));
    insta::assert_snapshot!("orgs_picker_hosted_80x24", screen(&mut h, 80, 24));

    // The child with a profile opens as that profile.
    h.key(KeyCode::Enter);
    assert!(
        h.effects.contains(&Effect::SwitchProfile("client".into())),
        "{:?}",
        h.effects
    );

    // One without says how to add it, and switches nowhere.
    let mut h = console_knowing(&made.id);
    h.pump(&rt, &client);
    orgs_command(&mut h, &rt, &client);
    h.type_text("Other");
    h.key(KeyCode::Enter);
    assert!(h.effects.is_empty(), "{:?}", h.effects);
    let said = h.toast_text();
    assert!(said.contains("voicedock profile add"), "{said}");

    // No key a create answered is ever on screen.
    let keys = hosted.lock().unwrap().child_keys.clone();
    for key in keys {
        assert!(!wide.contains(&key) && !screen(&mut h, 120, 40).contains(&key));
    }
}

#[test]
fn against_our_server_the_header_names_the_organization_and_orgs_lists_its_children() {
    let rt = Runtime::new().unwrap();
    let server = rt.block_on(TestServer::start());
    let client =
        ApiClient::new(&server.base_url, SecretString::from(server.api_key.clone())).unwrap();
    let made = rt
        .block_on(client.create_organization("Client Co"))
        .unwrap();

    let mut h = console_knowing(&made.id);
    h.pump(&rt, &client);
    let wide = screen(&mut h, 120, 40);
    let header = wide.lines().next().unwrap();
    assert!(header.contains("Test Company"), "{header}");
    assert!(
        !header.contains("min"),
        "our server tells no balance: {header}"
    );

    orgs_command(&mut h, &rt, &client);
    let listed = screen(&mut h, 80, 24);
    assert!(listed.contains("Client Co  (profile client)"), "{listed}");
    h.key(KeyCode::Enter);
    assert!(h.effects.contains(&Effect::SwitchProfile("client".into())));

    // An organization without children says how to make one.
    let child = ApiClient::new(&server.base_url, made.api_key.clone()).unwrap();
    let mut h = Harness::new();
    h.pump(&rt, &child);
    orgs_command(&mut h, &rt, &child);
    assert!(h.model.server.picker.is_none());
    assert!(h.toast_text().contains("orgs create"), "{}", h.toast_text());
}
