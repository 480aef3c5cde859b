//! Drives the console the way a user does: keys in, replies in, state and
//! frames out, without a terminal or a network. `live` runs the real event
//! loop instead, against test servers.

pub mod live;
mod pump;

use std::collections::HashMap;
use std::time::Instant;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde_json::json;
use voicedock::client::ApiError;
use voicedock::console::app::Model;
use voicedock::console::event_loop::hand_out;
use voicedock::console::msg::{Call, Cmd, Effect, Msg, Page, Reply, RequestId, Versioned};
use voicedock::console::screens::AssistantRow;
use voicedock::console::{update, view};
use voicedock::domain::{
    Account, Assistant, ByokState, Catalog, CatalogSource, ChildOrganization, KeyCheck,
};

/// What a test answers a request with; the harness turns it into the
/// reply variant of the call that was made.
#[derive(Debug, Clone)]
pub enum Answer {
    Ok,
    Account(Account),
    Byok(ByokState),
    Catalog(Box<Catalog>, CatalogSource),
    Assistants(Vec<Assistant>),
    Assistant {
        assistant: Box<Assistant>,
        etag: Option<String>,
    },
    Check(Box<KeyCheck>),
    Settings(voicedock::domain::SettingsSaved),
    Organizations(Vec<ChildOrganization>),
}

/// The part of a call its reply names (which provider, which assistant).
#[derive(Debug, Clone)]
enum Asked {
    Health,
    Account,
    Byok,
    Catalog,
    Assistants,
    SetKey(String),
    DeleteKey(String),
    GetAssistant(String),
    CreateAssistant,
    UpdateAssistant(String),
    DeleteAssistant(String),
    CheckKey(String, bool),
    CheckStored(String),
    SetSettings(String),
    Organizations,
}

fn asked(call: &Call) -> Asked {
    match call {
        Call::Health => Asked::Health,
        Call::Account => Asked::Account,
        Call::Byok => Asked::Byok,
        Call::Catalog => Asked::Catalog,
        Call::Assistants => Asked::Assistants,
        Call::SetKey { provider, .. } => Asked::SetKey(provider.clone()),
        Call::DeleteKey { provider } => Asked::DeleteKey(provider.clone()),
        Call::GetAssistant { id } => Asked::GetAssistant(id.clone()),
        Call::CreateAssistant { .. } => Asked::CreateAssistant,
        Call::UpdateAssistant { id, .. } => Asked::UpdateAssistant(id.clone()),
        Call::DeleteAssistant { id } => Asked::DeleteAssistant(id.clone()),
        Call::CheckKey { provider, held, .. } => Asked::CheckKey(provider.clone(), *held),
        Call::CheckStored { provider } => Asked::CheckStored(provider.clone()),
        Call::SetSettings { provider, .. } => Asked::SetSettings(provider.clone()),
        Call::Organizations => Asked::Organizations,
    }
}

/// The typed reply to `asked` carrying `result`; a mismatch is a test bug.
fn typed(asked: Asked, result: Result<Answer, ApiError>) -> Reply {
    fn versioned(a: Result<Answer, ApiError>) -> Result<Versioned, ApiError> {
        a.map(|a| match a {
            Answer::Assistant { assistant, etag } => Versioned { assistant, etag },
            other => panic!("an assistant was asked for, not {other:?}"),
        })
    }
    macro_rules! want {
        ($result:expr, $pat:pat => $out:expr) => {
            $result.map(|a| match a {
                $pat => $out,
                other => panic!("unexpected answer {other:?}"),
            })
        };
    }
    match asked {
        Asked::Health => Reply::Health(result.map(|_| ())),
        Asked::Account => Reply::Account(want!(result, Answer::Account(a) => a)),
        Asked::Organizations => Reply::Organizations(want!(result, Answer::Organizations(c) => c)),
        Asked::Byok => Reply::Byok(want!(result, Answer::Byok(b) => b)),
        Asked::Catalog => Reply::Catalog(want!(result, Answer::Catalog(c, s) => (c, s))),
        Asked::Assistants => Reply::Assistants(want!(result, Answer::Assistants(list) => Page {
            total: Some(list.len() as u64),
            assistants: list.iter().map(AssistantRow::from).collect(),
            offset: 0,
            last: true,
            listed_at: sample_clock(),
        })),
        Asked::SetKey(provider) => Reply::SetKey {
            provider,
            result: want!(result, Answer::Byok(b) => b),
        },
        Asked::DeleteKey(provider) => Reply::DeleteKey {
            provider,
            result: want!(result, Answer::Byok(b) => b),
        },
        Asked::GetAssistant(id) => Reply::GetAssistant {
            id,
            result: versioned(result),
        },
        Asked::CreateAssistant => Reply::CreateAssistant(versioned(result)),
        Asked::UpdateAssistant(id) => Reply::UpdateAssistant {
            id,
            result: versioned(result),
        },
        Asked::DeleteAssistant(id) => Reply::DeleteAssistant {
            id,
            result: result.map(|_| ()),
        },
        Asked::CheckKey(provider, held) => Reply::CheckKey {
            provider,
            held,
            result: want!(result, Answer::Check(c) => c)
                .expect("a local check always has a verdict"),
        },
        Asked::SetSettings(provider) => Reply::SetSettings {
            provider,
            result: want!(result, Answer::Settings(s) => s),
        },
        Asked::CheckStored(provider) => Reply::CheckStored {
            provider,
            result: want!(result, Answer::Check(c) => c),
        },
    }
}

pub struct Harness {
    pub model: Model,
    /// Requests the console made that have not been answered yet.
    pub outbox: Vec<(RequestId, Call)>,
    /// Requests the worker was told to stop.
    pub cancelled: Vec<RequestId>,
    /// Rankings the worker would run; done at once unless `hold_ranks`.
    pub ranks: Vec<voicedock::console::msg::RankJob>,
    pub hold_ranks: bool,
    /// What the event loop was asked to do, in order; the profiles read
    /// again (`Effect::ReadProfiles`) are answered at once, as the loop
    /// does, and not kept here.
    pub effects: Vec<Effect>,
    /// The config.toml `Effect::ReadProfiles` reads; without one, the
    /// session's profiles are read back as they are.
    pub config_file: Option<std::path::PathBuf>,
    asked: HashMap<RequestId, Asked>,
}

impl Default for Harness {
    fn default() -> Self {
        Harness::new()
    }
}

impl Harness {
    pub fn new() -> Self {
        Harness::with(|_| {})
    }

    /// A console on the embedded server's address, set up by `adjust`
    /// before it starts.
    pub fn with(adjust: impl FnOnce(&mut Model)) -> Self {
        let mut model = Model::local(Catalog::builtin());
        adjust(&mut model);
        let cmds = update::init(&mut model);
        let mut h = Harness {
            model,
            outbox: Vec::new(),
            cancelled: Vec::new(),
            ranks: Vec::new(),
            hold_ranks: false,
            effects: Vec::new(),
            config_file: None,
            asked: HashMap::new(),
        };
        h.collect(cmds);
        h
    }

    /// A read-only session (`--read-only`), loaded.
    pub fn read_only() -> Self {
        let mut h = Harness::with(|model| model.session.read_only = true);
        h.answer_all(&sample_state());
        h
    }

    /// A console whose first four loads have been answered.
    pub fn loaded() -> Self {
        let mut h = Harness::new();
        h.answer_all(&sample_state());
        h
    }

    /// Hands the commands out as the event loop does: the worker's kept
    /// here to answer, the loop's recorded.
    fn collect(&mut self, cmds: Vec<Cmd>) {
        let mut for_worker = Vec::new();
        hand_out(cmds, |cmd| for_worker.push(cmd), &mut self.effects);
        for cmd in for_worker {
            match cmd {
                Cmd::Api { id, call } => {
                    self.asked.insert(id, asked(&call));
                    self.outbox.push((id, call));
                }
                Cmd::Cancel(id) => {
                    self.cancelled.push(id);
                    self.outbox.retain(|(i, _)| *i != id);
                }
                Cmd::Rank(job) => self.ranks.push(job),
                Cmd::Console(_) => unreachable!("hand_out keeps the loop's effects apart"),
            }
        }
    }

    /// Whether the console was asked to end.
    pub fn quit_asked(&self) -> bool {
        self.effects.contains(&Effect::Quit)
    }

    /// Whether the console was asked to hand the terminal back (Ctrl-Z).
    pub fn suspend_asked(&self) -> bool {
        self.effects.contains(&Effect::Suspend)
    }

    /// Whether `step` changes what the screen shows, at the model's size:
    /// what the event loop's frame would send.
    pub fn changes_screen(&mut self, step: impl FnOnce(&mut Harness)) -> bool {
        let before = self.frame();
        step(self);
        self.frame() != before
    }

    /// The screen at the model's size.
    pub fn frame(&self) -> String {
        self.render(self.model.session.size.0, self.model.session.size.1)
    }

    pub fn send(&mut self, msg: Msg) {
        let cmds = update::update(&mut self.model, msg);
        self.collect(cmds);
        if !self.hold_ranks {
            self.finish_ranks();
        }
        self.read_profiles();
    }

    fn read_profiles(&mut self) {
        let Some(at) = self
            .effects
            .iter()
            .position(|e| matches!(e, Effect::ReadProfiles(_)))
        else {
            return;
        };
        let Effect::ReadProfiles(then) = self.effects.remove(at) else {
            unreachable!("found above");
        };
        let read = match &self.config_file {
            Some(path) => {
                voicedock::console::profiles::switchable_in(path).map_err(|e| format!("{e:#}"))
            }
            None => Ok(self.model.server.profiles.clone()),
        };
        self.send(Msg::Profiles { read, then });
    }

    /// Runs the rankings handed to the worker and delivers their answers.
    pub fn finish_ranks(&mut self) {
        while !self.ranks.is_empty() {
            let job = self.ranks.remove(0);
            let cmds = update::update(&mut self.model, Msg::Ranked(job.run()));
            self.collect(cmds);
        }
    }

    pub fn key(&mut self, code: KeyCode) {
        self.send(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    }

    pub fn ctrl(&mut self, c: char) {
        self.send(Msg::Key(KeyEvent::new(
            KeyCode::Char(c),
            KeyModifiers::CONTROL,
        )));
    }

    pub fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.key(KeyCode::Char(c));
        }
    }

    /// Takes the oldest outstanding request matching `pred`.
    pub fn take(&mut self, pred: impl Fn(&Call) -> bool) -> (RequestId, Call) {
        let pos = self
            .outbox
            .iter()
            .position(|(_, c)| pred(c))
            .unwrap_or_else(|| panic!("no matching request in {:?}", self.outbox));
        self.outbox.remove(pos)
    }

    /// Answers request `id` as the worker would, in the reply variant of
    /// the call that was made.
    pub fn reply(&mut self, id: RequestId, result: Result<Answer, ApiError>) {
        let asked = self
            .asked
            .get(&id)
            .cloned()
            .unwrap_or_else(|| panic!("request {id} was never made"));
        self.send_reply(id, typed(asked, result));
    }

    /// Answers request `id` with a failure that arrived at `at`.
    pub fn fail_at(&mut self, id: RequestId, at: Instant, error: ApiError) {
        let asked = self.asked.get(&id).cloned().expect("request was made");
        self.send(Msg::Api {
            id,
            received: at,
            reply: typed(asked, Err(error)),
        });
    }

    /// Delivers a reply exactly as given (a page of a paged load).
    pub fn send_reply(&mut self, id: RequestId, reply: Reply) {
        self.send(Msg::Api {
            id,
            received: Instant::now(),
            reply,
        });
    }

    /// Answers a fetch or save with the server's copy of an assistant.
    pub fn reply_assistant(&mut self, id: RequestId, assistant: Assistant, etag: Option<&str>) {
        let reply = Answer::Assistant {
            assistant: Box::new(assistant),
            etag: etag.map(str::to_owned),
        };
        self.reply(id, Ok(reply));
    }

    /// Delivers calls to the activity log as the worker reports them.
    pub fn log(&mut self, entries: Vec<voicedock::console::activity::Entry>) {
        self.send(Msg::Activity(
            voicedock::console::activity::Report::Entries(entries),
        ));
    }

    /// Answers every outstanding load from `state`.
    pub fn answer_all(&mut self, state: &State) {
        let outbox = std::mem::take(&mut self.outbox);
        for (id, call) in outbox {
            let reply = match call {
                Call::Health => Answer::Ok,
                Call::Account => Answer::Account(state.account.clone()),
                Call::Byok => Answer::Byok(state.byok.clone()),
                Call::Catalog => {
                    Answer::Catalog(Box::new(state.catalog.clone()), CatalogSource::Served)
                }
                Call::Assistants => Answer::Assistants(state.assistants.clone()),
                other => {
                    self.outbox.push((id, other));
                    continue;
                }
            };
            self.reply(id, Ok(reply));
        }
    }

    /// Runs every key check the console asked for against `upstreams`, as
    /// the worker does, and delivers the results. Returns how many ran.
    pub fn run_checks(&mut self, upstreams: &voicedock::checks::Upstreams) -> usize {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let mut ran = 0;
        while let Some(pos) = self
            .outbox
            .iter()
            .position(|(_, c)| matches!(c, Call::CheckKey { .. }))
        {
            let (id, call) = self.outbox.remove(pos);
            let Call::CheckKey {
                provider,
                key,
                needs,
                ..
            } = call
            else {
                unreachable!("matched above")
            };
            let check = rt.block_on(voicedock::checks::check(upstreams, &provider, &key, &needs));
            self.reply(id, Ok(Answer::Check(Box::new(check))));
            ran += 1;
        }
        ran
    }

    /// Tabs through the editor until `field` has the focus.
    pub fn focus(&mut self, field: voicedock::console::editor::Field) {
        let all = voicedock::console::editor::Field::ALL;
        for _ in 0..all.len() {
            if self.model.server.editor.as_ref().unwrap().focus == field {
                return;
            }
            self.key(KeyCode::Tab);
        }
        panic!("{field:?} never got the focus");
    }

    /// Picks `model` of `provider` for a model field, as a user does on the
    /// Models screen the field opens.
    pub fn pick(&mut self, field: voicedock::console::editor::Field, provider: &str, model: &str) {
        self.focus(field);
        self.key(KeyCode::Enter);
        for _ in 0..20 {
            let tab = self.model.current_tab();
            if tab.is_some_and(|p| p.id == provider) {
                break;
            }
            self.key(KeyCode::Right);
        }
        let tab = self.model.current_tab();
        assert_eq!(tab.map(|p| p.id.as_str()), Some(provider));
        self.key(KeyCode::Char('/'));
        self.type_text(model);
        self.key(KeyCode::Enter);
        self.key(KeyCode::Enter);
        assert!(self.model.server.editor.is_some(), "back in the editor");
    }

    /// The toast on screen, or nothing.
    pub fn toast_text(&self) -> String {
        self.model
            .server
            .toast
            .as_ref()
            .map(|t| t.text.clone())
            .unwrap_or_default()
    }

    /// Moves the Providers focus onto `provider`, as the arrow keys would.
    pub fn focus_provider(&mut self, provider: &str) {
        let rows = &self.model.server.providers.rows();
        let target = rows.iter().position(|r| r.id == provider).unwrap();
        while self.model.server.providers.focus() < target {
            self.key(KeyCode::Right);
        }
        while self.model.server.providers.focus() > target {
            self.key(KeyCode::Left);
        }
    }

    pub fn render(&self, width: u16, height: u16) -> String {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        terminal.draw(|f| view::view(&self.model, f)).unwrap();
        let buffer = terminal.backend().buffer();
        let mut out = String::new();
        for y in 0..height {
            for x in 0..width {
                out.push_str(buffer[(x, y)].symbol());
            }
            out.push('\n');
        }
        out
    }
}

pub struct State {
    pub account: Account,
    pub byok: ByokState,
    pub catalog: Catalog,
    pub assistants: Vec<Assistant>,
}

pub fn byok(configured: &[(&str, &str, &str)]) -> ByokState {
    let mut keys = serde_json::Map::new();
    for p in Catalog::builtin().byok_provider_ids() {
        let id = configured.iter().find(|c| c.0 == p).map(|c| c.1);
        keys.insert(format!("{p}_secret_id"), json!(id));
    }
    let infos: Vec<_> = configured
        .iter()
        .map(|(p, id, hint)| json!({"provider": p, "secret_id": id, "key_hint": hint, "updated_at": "2026-11-26T10:00:00Z"}))
        .collect();
    serde_json::from_value(json!({"byok_keys": keys, "keys": infos})).unwrap()
}

pub fn assistant(id: &str, name: &str) -> Assistant {
    serde_json::from_value(json!({
        "id": id, "name": name, "first_message": "Hello",
        "stt_config": {"provider": "deepgram", "model": "nova-3-general", "language": "nl"},
        "llm_config": {"provider": "openai", "model": "gpt-4o", "temperature": 0.7,
                        "messages": [{"role": "system", "content": "You are helpful."}]},
        "tts_config": {"provider": "elevenlabs", "voice_id": "voice-1"},
        "created_at": "2026-11-26T09:00:00Z", "updated_at": "2026-11-26T09:30:00Z", "revision": 1
    }))
    .unwrap()
}

/// The wall clock the harness's lists are answered at: three minutes after
/// the sample assistants were updated, so what the screens say of their
/// age does not change with the day the tests run.
pub fn sample_clock() -> std::time::SystemTime {
    std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_795_685_580)
}

pub fn sample_state() -> State {
    State {
        account: Account {
            id: "acc-1".into(),
            company_name: Some("Acme Voice".into()),
            active_agents: Some(2),
            ..Account::default()
        },
        byok: byok(&[("deepgram", "sec-dg-1", "…a1b2")]),
        catalog: Catalog::builtin(),
        assistants: vec![
            assistant("a-1", "Reception NL"),
            assistant("a-2", "Support EN"),
        ],
    }
}

/// Opens the key form of `provider` from the Providers screen.
pub fn open_key_form(h: &mut Harness, provider: &str) {
    h.focus_provider(provider);
    h.key(KeyCode::Char('a'));
    assert_eq!(h.model.server.key_form.as_ref().unwrap().provider, provider);
}

/// Opens the first assistant of the sample list; returns its fetch, unanswered.
pub fn open_first(h: &mut Harness) -> RequestId {
    h.key(KeyCode::Char('3'));
    h.key(KeyCode::Enter);
    assert!(h.model.server.editor.is_some(), "opens at once");
    let (id, call) = h.take(|c| matches!(c, Call::GetAssistant { .. }));
    assert!(matches!(call, Call::GetAssistant { id } if id == "a-1"));
    id
}

/// Opens the first assistant and answers its fetch with the server's copy.
pub fn open_first_fresh(h: &mut Harness, etag: Option<&str>) {
    let id = open_first(h);
    let assistant = Box::new(assistant("a-1", "Reception NL"));
    h.reply(
        id,
        Ok(Answer::Assistant {
            assistant,
            etag: etag.map(str::to_owned),
        }),
    );
}
