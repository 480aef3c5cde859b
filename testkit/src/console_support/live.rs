//! The console's real event loop on a `TestBackend`: keys from a channel,
//! a worker talking to test servers, and a screen that records what only a
//! terminal could do (suspending, handing itself over, mouse capture, the
//! bytes of an OSC 52 copy).

use std::collections::BTreeMap;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context as Waker, Poll};
use std::time::Duration;

use futures_util::Stream;
use futures_util::future::BoxFuture;
use ratatui::Terminal;
use ratatui::backend::{Backend, ClearType, TestBackend, WindowSize};
use ratatui::buffer::{Buffer, Cell};
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::{Position, Size};
use secrecy::SecretString;
use tokio::sync::mpsc;
use voicedock::client::ApiClient;
use voicedock::console::activity::Recording;
use voicedock::console::colors::Depth;
use voicedock::console::event_loop::Io;
use voicedock::console::profiles::{Opened, Profile, ServerProfile};
use voicedock::console::screen::{Input, Screen};
use voicedock::console::session_loop::{self, Finished, Sessions};
use voicedock::console::session_state::SessionState;
use voicedock::console::signals::Signal;
use voicedock::console::worker::CheckSetup;
use voicedock::domain::Catalog;
use voicedock::session::Session;

/// How long a test waits for the screen to show something.
const PATIENCE: Duration = Duration::from_secs(10);

/// What only a real terminal would do, asked of the test screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Asked {
    Suspend,
    Leave,
    Reenter,
    Mouse(bool),
    /// The keys were let go before a program took the terminal.
    ReleaseKeys,
}

/// What the console showed and asked for, shared with the test.
#[derive(Default)]
pub struct Shown {
    pub buffer: Buffer,
    /// Frames that sent at least one cell.
    pub frames_sent: usize,
    pub asked: Vec<Asked>,
    /// Bytes written beside the frames (OSC 52).
    pub beside: Vec<u8>,
}

type Shared = Arc<Mutex<Shown>>;

fn lock(shared: &Shared) -> std::sync::MutexGuard<'_, Shown> {
    shared
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A `TestBackend` that publishes each frame to the test as it is flushed.
pub struct Published {
    inner: TestBackend,
    shown: Shared,
}

impl Backend for Published {
    type Error = <TestBackend as Backend>::Error;

    fn draw<'a, I: Iterator<Item = (u16, u16, &'a Cell)>>(
        &mut self,
        content: I,
    ) -> Result<(), Self::Error> {
        let mut content = content.peekable();
        if content.peek().is_some() {
            lock(&self.shown).frames_sent += 1;
        }
        self.inner.draw(content)
    }

    fn hide_cursor(&mut self) -> Result<(), Self::Error> {
        self.inner.hide_cursor()
    }

    fn show_cursor(&mut self) -> Result<(), Self::Error> {
        self.inner.show_cursor()
    }

    fn get_cursor_position(&mut self) -> Result<Position, Self::Error> {
        self.inner.get_cursor_position()
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> Result<(), Self::Error> {
        self.inner.set_cursor_position(position)
    }

    fn clear(&mut self) -> Result<(), Self::Error> {
        self.inner.clear()
    }

    fn clear_region(&mut self, clear_type: ClearType) -> Result<(), Self::Error> {
        self.inner.clear_region(clear_type)
    }

    fn size(&self) -> Result<Size, Self::Error> {
        self.inner.size()
    }

    fn window_size(&mut self) -> Result<WindowSize, Self::Error> {
        self.inner.window_size()
    }

    fn flush(&mut self) -> Result<(), Self::Error> {
        self.inner.flush()?;
        lock(&self.shown).buffer = self.inner.buffer().clone();
        Ok(())
    }
}

/// Bytes beside the frames, kept for the test.
struct Beside(Shared);

impl io::Write for Beside {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        lock(&self.0).beside.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

pub struct TestScreen {
    terminal: Terminal<Published>,
    beside: Beside,
    shown: Shared,
}

impl TestScreen {
    fn asked(&self, what: Asked) {
        lock(&self.shown).asked.push(what);
    }

    /// What a shell or an editor leaves behind: nothing of the console's
    /// frame, which must be drawn again whole.
    fn wiped(&mut self) {
        let _ = self.terminal.clear();
        lock(&self.shown).buffer = self.terminal.backend().inner.buffer().clone();
    }
}

impl Screen for TestScreen {
    type Backend = Published;
    type Error = <TestBackend as Backend>::Error;

    fn terminal(&mut self) -> &mut Terminal<Published> {
        &mut self.terminal
    }

    fn suspend(&mut self) -> io::Result<()> {
        self.asked(Asked::Suspend);
        self.wiped();
        Ok(())
    }

    fn capture_mouse(&mut self, on: bool) -> io::Result<()> {
        self.asked(Asked::Mouse(on));
        Ok(())
    }

    fn leave(&mut self) -> io::Result<()> {
        self.asked(Asked::Leave);
        Ok(())
    }

    fn reenter(&mut self) -> io::Result<()> {
        self.asked(Asked::Reenter);
        self.wiped();
        Ok(())
    }

    fn beside_frames(&mut self) -> &mut dyn io::Write {
        &mut self.beside
    }
}

/// Keys as the test sends them.
pub struct ScriptedKeys {
    keys: mpsc::UnboundedReceiver<io::Result<Event>>,
    shown: Shared,
}

impl Stream for ScriptedKeys {
    type Item = io::Result<Event>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Waker<'_>) -> Poll<Option<Self::Item>> {
        self.keys.poll_recv(cx)
    }
}

impl Input for ScriptedKeys {
    fn release(&mut self) {
        lock(&self.shown).asked.push(Asked::ReleaseKeys);
    }
}

/// Signals as the test sends them.
pub struct ScriptedSignals(mpsc::UnboundedReceiver<Signal>);

impl Stream for ScriptedSignals {
    type Item = Signal;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Waker<'_>) -> Poll<Option<Signal>> {
        self.0.poll_recv(cx)
    }
}

/// Profiles on test servers, by name; a name without one fails to open.
#[derive(Clone, Default)]
pub struct TestProfiles {
    servers: BTreeMap<String, (String, String)>,
    /// Profiles `:profile` offers that have no server.
    missing: Vec<String>,
    /// Where the workers record their calls, for a test to count them.
    activity_file: Option<std::path::PathBuf>,
    /// A config.toml that names the profiles instead, read on each ask as
    /// the console reads the user's; the servers are where they answer.
    config_file: Option<std::path::PathBuf>,
}

impl TestProfiles {
    pub fn with(mut self, name: &str, base_url: &str, api_key: &str) -> TestProfiles {
        let server = (base_url.to_owned(), api_key.to_owned());
        self.servers.insert(name.to_owned(), server);
        self
    }

    /// The calls every session makes, appended to `path`.
    pub fn recording_to(mut self, path: &std::path::Path) -> TestProfiles {
        self.activity_file = Some(path.to_owned());
        self
    }

    /// A profile offered that cannot be opened.
    pub fn broken(mut self, name: &str) -> TestProfiles {
        self.missing.push(name.to_owned());
        self
    }

    /// The profiles are those `path` (a config.toml) names when asked.
    pub fn named_by(mut self, path: &std::path::Path) -> TestProfiles {
        self.config_file = Some(path.to_owned());
        self
    }

    fn names(&self) -> Vec<String> {
        if let Some(path) = &self.config_file {
            return voicedock::console::profiles::switchable_in(path).unwrap_or_default();
        }
        let mut names: Vec<String> = self.servers.keys().cloned().collect();
        names.extend(self.missing.iter().cloned());
        names
    }

    fn opened(&self, name: &str) -> io::Result<Opened> {
        if !self.names().iter().any(|n| n == name) {
            return Err(io::Error::other(format!(
                "there is no profile named {name:?}"
            )));
        }
        let Some((base_url, key)) = self.servers.get(name) else {
            return Err(io::Error::other(format!("no server answers for {name}")));
        };
        let client = ApiClient::new(base_url, SecretString::from(key.clone()))
            .map_err(|e| io::Error::other(e.to_string()))?;
        // `local` stands for the embedded server, as it does for the user.
        let profile = match name {
            voicedock::config::LOCAL => Profile::local(),
            _ => Profile::named(name),
        };
        let session = Session::remote(profile.kind.clone(), name, client);
        let mut server = ServerProfile::new(profile, base_url);
        server.profiles = self.names();
        Ok(Opened { session, server })
    }
}

impl Sessions for TestProfiles {
    fn open(&self, name: String) -> BoxFuture<'static, anyhow::Result<Opened>> {
        let opened = self.opened(&name).map_err(Into::into);
        Box::pin(async move { opened })
    }

    fn worker_setup(&self, session: &Session) -> (CheckSetup, Recording) {
        let setup = CheckSetup {
            upstreams: Default::default(),
            voice_cache: None,
            activity: None,
        };
        let recording = match &self.activity_file {
            Some(path) => Recording::to_file(&session.profile, path.clone()),
            None => Recording::on_screen(&session.profile),
        };
        (setup, recording)
    }

    fn profiles(&self) -> anyhow::Result<Vec<String>> {
        match &self.config_file {
            Some(path) => voicedock::console::profiles::switchable_in(path),
            None => Ok(self.names()),
        }
    }
}

/// The test's side: keys and signals in, the screen out.
pub struct User {
    keys: mpsc::UnboundedSender<io::Result<Event>>,
    signals: mpsc::UnboundedSender<Signal>,
    shown: Shared,
}

/// The console on `first` of `profiles`, 100×30, and the user at it. The
/// console runs while the returned future is polled (join it with the
/// test's script); `adjust` sets the run's session state.
pub fn console(
    profiles: TestProfiles,
    first: &str,
    adjust: impl FnOnce(&mut SessionState),
) -> (impl Future<Output = Finished>, User) {
    let shown = Shared::default();
    let (keys_tx, keys) = mpsc::unbounded_channel();
    let (signals_tx, signals) = mpsc::unbounded_channel();
    let user = User {
        keys: keys_tx,
        signals: signals_tx,
        shown: shown.clone(),
    };
    let backend = Published {
        inner: TestBackend::new(100, 30),
        shown: shown.clone(),
    };
    let mut screen = TestScreen {
        terminal: Terminal::new(backend).unwrap(),
        beside: Beside(shown.clone()),
        shown: shown.clone(),
    };
    let mut input = ScriptedKeys { keys, shown };
    let mut signals = ScriptedSignals(signals);
    let opened = profiles.opened(first).unwrap();
    let mut run = SessionState::default();
    adjust(&mut run);
    let run = async move {
        let mut io = Io {
            screen: &mut screen,
            input: &mut input,
            signals: &mut signals,
            depth: Depth::TrueColor,
        };
        let catalog = Arc::new(Catalog::builtin());
        session_loop::drive(&mut io, &profiles, catalog, run, opened).await
    };
    (run, user)
}

impl User {
    pub fn key(&self, code: KeyCode) {
        self.send(KeyEvent::new(code, KeyModifiers::NONE));
    }

    pub fn ctrl(&self, c: char) {
        self.send(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
    }

    pub fn type_text(&self, text: &str) {
        text.chars().for_each(|c| self.key(KeyCode::Char(c)));
    }

    fn send(&self, key: KeyEvent) {
        // A console that has ended reads no more keys; the test says so.
        let _ = self.keys.send(Ok(Event::Key(key)));
    }

    /// The terminal fails a read, as one that hung up does with EIO.
    pub fn fail_read(&self, errno: i32) {
        let _ = self.keys.send(Err(io::Error::from_raw_os_error(errno)));
    }

    pub fn signal(&self, signal: Signal) {
        let _ = self.signals.send(signal);
    }

    /// The screen now, a line per row.
    pub fn screen(&self) -> String {
        let buffer = lock(&self.shown).buffer.clone();
        let area = buffer.area;
        let mut out = String::new();
        for y in 0..area.height {
            for x in 0..area.width {
                out.push_str(buffer[(x, y)].symbol());
            }
            out.push('\n');
        }
        out
    }

    /// Waits until the screen shows `text`; fails with the screen if it
    /// does not within `PATIENCE`.
    pub async fn wait_for(&self, text: &str) -> String {
        self.wait_until(text, |screen| screen.contains(text)).await
    }

    /// Waits until `ready` holds for the screen; fails naming `what`.
    pub async fn wait_until(&self, what: &str, ready: impl Fn(&str) -> bool) -> String {
        let deadline = tokio::time::Instant::now() + PATIENCE;
        loop {
            let screen = self.screen();
            if ready(&screen) {
                return screen;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "the screen never showed {what:?}:\n{screen}"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// The screen now, with its colours.
    pub fn buffer(&self) -> Buffer {
        lock(&self.shown).buffer.clone()
    }

    pub fn asked(&self) -> Vec<Asked> {
        lock(&self.shown).asked.clone()
    }

    pub fn beside(&self) -> Vec<u8> {
        lock(&self.shown).beside.clone()
    }

    pub fn frames_sent(&self) -> usize {
        lock(&self.shown).frames_sent
    }
}

/// Runs `console` and `script` together; the console must end within
/// `PATIENCE` of the script, and the script of the console.
pub async fn run_with<T>(
    console: impl Future<Output = Finished>,
    script: impl Future<Output = T>,
) -> (Finished, T) {
    let mut console = std::pin::pin!(console);
    let mut script = std::pin::pin!(script);
    let out = tokio::select! {
        finished = &mut console => {
            let out = tokio::time::timeout(PATIENCE, script).await;
            return (finished, out.expect("the script went on after the console ended"));
        }
        out = &mut script => out,
    };
    let finished = tokio::time::timeout(PATIENCE, console).await;
    (
        finished.expect("the console ended once the script was done"),
        out,
    )
}
