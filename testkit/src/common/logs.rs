//! The server's log, captured in memory at every level, for tests that
//! look at what it wrote.

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

use tracing::subscriber::DefaultGuard;

#[derive(Clone, Default)]
pub struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    pub fn bytes(&self) -> Vec<u8> {
        self.0.lock().unwrap().clone()
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes()).into_owned()
    }

    fn subscriber(&self) -> impl tracing::Subscriber + Send + Sync + use<> {
        let writer = self.clone();
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish()
    }
}

/// What this thread logs while the guard lives. With a current-thread
/// runtime the server's tasks run here too. tracing caches per call site
/// whether a line is wanted, so such a test must be alone in its binary.
pub fn on_this_thread() -> (Captured, DefaultGuard) {
    let logs = Captured::default();
    let guard = tracing::subscriber::set_default(logs.subscriber());
    (logs, guard)
}

/// Every line every thread of this test binary logs, from the first call on.
pub fn everywhere() -> &'static Captured {
    static LOGS: OnceLock<Captured> = OnceLock::new();
    LOGS.get_or_init(|| {
        let logs = Captured::default();
        tracing::subscriber::set_global_default(logs.subscriber()).unwrap();
        logs
    })
}
