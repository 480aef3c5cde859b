//! Key checks in the console, against the providers' stand-ins: the key
//! form's check before saving for every provider and result, saving after a
//! failed check only once confirmed, the panels' last check, a stored key
//! checked by the server or from this session, and the voice library that
//! feeds the voice picker and warns of voices it lacks.

use testkit::console_support;
use testkit::upstream_support;

use console_support::*;
use ratatui::crossterm::event::KeyCode;
use serde_json::json;
use upstream_support::{
    Behaviour, INWORLD_CLONE, MISTRAL_NOT_FOR_LIMITED, PROVIDERS, StandIns, assert_no_leak, key,
    library, secret_of,
};
use voicedock::client::ApiError;
use voicedock::console::app::ConfirmAction;
use voicedock::console::editor::Field;
use voicedock::console::key_state::KeyState;
use voicedock::console::msg::{Call, Msg};
use voicedock::domain::{Assistant, Catalog, CatalogSource, KeyCheck, Verdict};

/// The sample account speaking with a voice of the stand-in's library, plus
/// an assistant on Mistral and Inworld so those keys can be limited by what
/// an assistant needs.
fn state() -> State {
    let mut state = sample_state();
    let (voice, _) = library().remove(0);
    for a in &mut state.assistants {
        if let Some(tts) = &mut a.tts_config {
            tts.voice_id = Some(voice.clone());
        }
    }
    let extra: Assistant = serde_json::from_value(json!({
        "id": "a-3", "name": "Mistral desk",
        "llm_config": {"provider": "mistral", "model": MISTRAL_NOT_FOR_LIMITED},
        "tts_config": {"provider": "inworld", "voice_id": INWORLD_CLONE},
        "created_at": "2026-11-26T09:00:00Z", "updated_at": "2026-11-26T09:30:00Z"
    }))
    .unwrap();
    state.assistants.push(extra);
    state
}

fn loaded() -> Harness {
    let mut h = Harness::new();
    h.answer_all(&state());
    h.model.session.size = (120, 40);
    h
}

/// What the stand-in's behaviour must come out as in the console.
fn expected(provider: &str, b: Behaviour) -> Verdict {
    match b {
        Behaviour::Valid => Verdict::Valid,
        Behaviour::Invalid => Verdict::Invalid,
        // A sending-only Resend key is what the platform needs; Gladia has
        // no documented limited case.
        Behaviour::Limited if matches!(provider, "resend" | "gladia") => Verdict::Valid,
        Behaviour::Limited => Verdict::Limited,
        _ => Verdict::Unknown,
    }
}

/// Types `typed` into the open form and checks it with Ctrl-T.
fn check_typed(h: &mut Harness, stand_ins: &StandIns, typed: &str) -> KeyCheck {
    h.send(Msg::Paste(typed.into()));
    h.ctrl('t');
    assert!(
        h.model.server.key_form.as_ref().unwrap().is_checking(),
        "a check runs"
    );
    assert_eq!(h.run_checks(&stand_ins.upstreams()), 1);
    h.model
        .server
        .key_form
        .as_ref()
        .unwrap()
        .current_check()
        .cloned()
        .expect("the form holds the check of the typed key")
}

#[test]
fn the_form_checks_every_providers_key_before_saving() {
    let stand_ins = StandIns::start();
    let kinds = [
        Behaviour::Valid,
        Behaviour::Invalid,
        Behaviour::Limited,
        Behaviour::Dropped,
    ];
    for provider in PROVIDERS {
        for b in kinds {
            let mut h = loaded();
            open_key_form(&mut h, provider);
            let typed = key(provider, b);
            let check = check_typed(&mut h, &stand_ins, &typed);
            assert_eq!(
                check.result,
                expected(provider, b),
                "{provider} {b:?}: {check:?}"
            );
            let screen = h.render(120, 40);
            assert!(
                screen.contains(KeyState::checked(check.result).word()),
                "{provider} {b:?}: the verdict is on screen\n{screen}"
            );
            assert_no_leak(
                &format!("{provider} {b:?} screen"),
                &screen,
                &secret_of(provider, &typed),
            );
            assert!(
                !h.outbox
                    .iter()
                    .any(|(_, c)| matches!(c, Call::SetKey { .. })),
                "a check saves nothing"
            );
        }
    }
}

#[test]
fn a_key_that_failed_its_check_is_saved_only_once_confirmed() {
    let stand_ins = StandIns::start();
    let mut h = loaded();
    open_key_form(&mut h, "openai");
    let check = check_typed(&mut h, &stand_ins, &key("openai", Behaviour::Invalid));
    assert_eq!(check.result, Verdict::Invalid);
    h.key(KeyCode::Enter);
    let confirm = h.model.server.confirm.as_ref().expect("a question first");
    assert_eq!(confirm.on_yes, ConfirmAction::SaveKeyAnyway);
    assert!(
        confirm.lines.join(" ").contains(&check.reason),
        "the question names the failure: {:?}",
        confirm.lines
    );
    assert!(
        !h.outbox
            .iter()
            .any(|(_, c)| matches!(c, Call::SetKey { .. }))
    );
    h.key(KeyCode::Char('y'));
    h.take(|c| matches!(c, Call::SetKey { .. }));
}

#[test]
fn a_key_whose_check_was_inconclusive_is_saved_at_once_and_the_status_line_says_so() {
    let stand_ins = StandIns::start();
    let mut h = loaded();
    open_key_form(&mut h, "openai");
    let check = check_typed(&mut h, &stand_ins, &key("openai", Behaviour::Dropped));
    assert_eq!(check.result, Verdict::Unknown);
    h.key(KeyCode::Enter);
    assert!(
        h.model.server.confirm.is_none(),
        "inconclusive is not failed"
    );
    let (id, _) = h.take(|c| matches!(c, Call::SetKey { .. }));
    h.reply(
        id,
        Ok(Answer::Byok(byok(&[
            ("deepgram", "sec-dg-1", "…a1b2"),
            ("openai", "sec-oa-1", "…3c4d"),
        ]))),
    );
    let toast = h.toast_text();
    assert!(
        toast.contains(
            "the OpenAI key's check was inconclusive — press t on Providers to check it again"
        ),
        "{toast}"
    );
}

#[test]
fn an_edited_key_needs_its_own_check() {
    let stand_ins = StandIns::start();
    let mut h = loaded();
    open_key_form(&mut h, "openai");
    check_typed(&mut h, &stand_ins, &key("openai", Behaviour::Invalid));
    h.key(KeyCode::Backspace);
    let form = h.model.server.key_form.as_ref().unwrap();
    assert!(
        form.current_check().is_none(),
        "the check was of another key"
    );
    assert!(
        h.render(120, 40)
            .contains("the key changed since its check")
    );
    h.key(KeyCode::Enter);
    assert!(
        h.model.server.confirm.is_none(),
        "nothing failed for this key"
    );
    h.take(|c| matches!(c, Call::SetKey { .. }));
}

#[test]
fn a_saved_key_keeps_its_check_on_the_panel_and_in_the_list() {
    let stand_ins = StandIns::start();
    let mut h = loaded();
    open_key_form(&mut h, "deepgram");
    let check = check_typed(&mut h, &stand_ins, &key("deepgram", Behaviour::Valid));
    assert_eq!(check.result, Verdict::Valid);
    h.key(KeyCode::Enter);
    let (id, _) = h.take(|c| matches!(c, Call::SetKey { .. }));
    h.reply(
        id,
        Ok(Answer::Byok(byok(&[("deepgram", "sec-dg-2", "…9f3e")]))),
    );
    assert_eq!(
        h.model.server.checks.last("deepgram").map(|c| c.result),
        Some(Verdict::Valid)
    );
    let panels = h.render(160, 40);
    assert!(panels.contains("✓ checked valid"), "{panels}");
    h.key(KeyCode::Char('3'));
    let list = h.render(120, 40);
    assert!(list.contains("deepgram ✓"), "{list}");
}

#[test]
fn the_server_checks_a_stored_key_and_the_panel_shows_it() {
    let mut h = loaded();
    h.focus_provider("deepgram");
    h.key(KeyCode::Char('t'));
    let (id, call) = h.take(|c| matches!(c, Call::CheckStored { .. }));
    assert!(matches!(call, Call::CheckStored { provider } if provider == "deepgram"));
    assert!(h.render(160, 40).contains("checking…"));
    let found: KeyCheck = serde_json::from_value(json!({
        "provider": "deepgram", "result": "limited", "checked_by": "server",
        "reason": "Deepgram accepted the key, but it may not list its projects",
        "checked_at": "2026-12-02T10:03:04Z"
    }))
    .unwrap();
    h.reply(id, Ok(Answer::Check(Box::new(found))));
    let panels = h.render(160, 40);
    assert!(panels.contains("! checked limited"), "{panels}");
    assert!(h.toast_text().contains("may not list its projects"));
}

#[test]
fn a_server_without_the_check_route_is_asked_no_more() {
    let mut h = loaded();
    h.focus_provider("deepgram");
    h.key(KeyCode::Char('t'));
    let (id, _) = h.take(|c| matches!(c, Call::CheckStored { .. }));
    h.reply(
        id,
        Err(ApiError::NotOffered(
            "this server cannot check stored keys".into(),
        )),
    );
    assert!(h.toast_text().contains("cannot check stored keys"));
    h.key(KeyCode::Char('t'));
    assert!(
        !h.outbox
            .iter()
            .any(|(_, c)| matches!(c, Call::CheckStored { .. })),
        "asked once"
    );
    let form = h
        .model
        .server
        .key_form
        .as_ref()
        .expect("the form takes the key");
    assert!(form.error.as_deref().unwrap().contains("paste it here"));
}

#[test]
fn on_the_hosted_service_a_key_stored_this_session_is_checked_from_here() {
    let stand_ins = StandIns::start();
    let mut h = Harness::new();
    let mut outbox = std::mem::take(&mut h.outbox);
    let state = state();
    for (id, call) in outbox.drain(..) {
        let answer = match call {
            Call::Account => Answer::Account(state.account.clone()),
            Call::Byok => Answer::Byok(state.byok.clone()),
            Call::Catalog => Answer::Catalog(Box::new(Catalog::builtin()), CatalogSource::BuiltIn),
            Call::Assistants => Answer::Assistants(state.assistants.clone()),
            _ => continue,
        };
        h.reply(id, Ok(answer));
    }
    h.model.session.size = (120, 40);
    open_key_form(&mut h, "elevenlabs");
    h.send(Msg::Paste(
        key("elevenlabs", Behaviour::Valid).as_str().into(),
    ));
    h.key(KeyCode::Enter);
    let (id, _) = h.take(|c| matches!(c, Call::SetKey { .. }));
    h.reply(
        id,
        Ok(Answer::Byok(byok(&[
            ("deepgram", "sec-dg-1", "…a1b2"),
            ("elevenlabs", "sec-el-1", "sk_…abcd"),
        ]))),
    );
    h.key(KeyCode::Char('t'));
    let (_, call) = h
        .outbox
        .iter()
        .find(|(_, c)| matches!(c, Call::CheckKey { .. }))
        .expect("checked from here");
    assert!(matches!(call, Call::CheckKey { held: true, .. }));
    assert_eq!(h.run_checks(&stand_ins.upstreams()), 1);
    assert_eq!(
        h.model.server.checks.last("elevenlabs").map(|c| c.result),
        Some(Verdict::Valid)
    );
    // Deepgram's key was stored before this session: it is asked for.
    h.focus_provider("deepgram");
    h.key(KeyCode::Char('t'));
    assert_eq!(
        h.model
            .server
            .key_form
            .as_ref()
            .map(|f| f.provider.as_str()),
        Some("deepgram")
    );
}

#[test]
fn an_elevenlabs_check_fills_the_voice_picker_and_warns_of_voices_it_lacks() {
    let stand_ins = StandIns::start();
    let mut h = Harness::loaded();
    h.model.session.size = (120, 40);
    open_key_form(&mut h, "elevenlabs");
    let check = check_typed(&mut h, &stand_ins, &key("elevenlabs", Behaviour::Valid));
    assert_eq!(check.result, Verdict::Limited, "{}", check.reason);
    assert_eq!(check.found.missing_voices, ["voice-1"]);
    assert_eq!(check.found.voices.as_ref().map(Vec::len), Some(120));
    h.key(KeyCode::Esc);
    h.key(KeyCode::Char('y'));
    assert!(h.model.server.key_form.is_none());

    // The sample assistants speak with "voice-1", which the library lacks.
    h.key(KeyCode::Char('3'));
    let list = h.render(120, 40);
    assert!(list.contains("⚠ voice-1"), "{list}");
    let fetch = open_first(&mut h);
    h.reply_assistant(fetch, assistant("a-1", "Reception NL"), Some("\"1\""));
    let editor = h.render(120, 40);
    assert!(editor.contains("not in your voice library"), "{editor}");

    let (wanted_id, wanted_name) = library().into_iter().nth(110).unwrap();
    h.focus(Field::VoiceId);
    h.key(KeyCode::Enter);
    let picker = h
        .model
        .server
        .picker
        .as_ref()
        .expect("the library's voices");
    assert_eq!(picker.labels().len(), 120);
    h.type_text(&wanted_name);
    h.key(KeyCode::Enter);
    let editor = h.model.server.editor.as_ref().unwrap();
    assert_eq!(
        voicedock::console::editor::text_of(&editor.voice_id),
        wanted_id
    );
    assert!(!h.render(120, 40).contains("not in your voice library"));
}

#[test]
fn a_provider_echoing_the_key_shows_no_form_of_it_in_the_form_or_the_voice_picker() {
    use upstream_support::{HostileStandIn, Hostility, holds_a_form_of};
    let hostile = HostileStandIn::start(Hostility::Echo);
    let secret = key("elevenlabs", Behaviour::Valid);
    let mut h = Harness::loaded();
    h.model.session.size = (120, 40);
    open_key_form(&mut h, "elevenlabs");
    h.send(Msg::Paste(secret.as_str().into()));
    h.ctrl('t');
    assert_eq!(h.run_checks(&hostile.upstreams()), 1);
    let form = h.render(120, 40);
    assert!(form.contains("echoed your key"), "{form}");
    assert!(!holds_a_form_of(&form, &secret), "{form}");
    h.key(KeyCode::Esc);
    h.key(KeyCode::Char('y'));

    h.key(KeyCode::Char('3'));
    let fetch = open_first(&mut h);
    h.reply_assistant(fetch, assistant("a-1", "Reception NL"), Some("\"1\""));
    h.focus(Field::VoiceId);
    h.key(KeyCode::Enter);
    let picker = h
        .model
        .server
        .picker
        .as_ref()
        .expect("the library's voices");
    let items = format!("{:?}", picker.labels());
    assert!(items.contains("Rachel"), "{items}");
    assert!(!holds_a_form_of(&items, &secret), "{items}");
    let drawn = h.render(120, 40);
    assert!(!holds_a_form_of(&drawn, &secret), "{drawn}");
}
