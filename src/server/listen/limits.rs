//! How long a connection may take to send a request head or sit idle, and
//! how many may be open: the server's defence against clients that only
//! hold sockets.

use std::time::Duration;

/// The clock starts when a connection opens and again after each answer.
pub const DEFAULT_HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// Shorter than the header deadline: a client that sends nothing at all is
/// let go before one that is at least sending.
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(5);
pub const DEFAULT_MAX_CONNECTIONS: usize = 1024;
pub const DEFAULT_MAX_CONNECTIONS_PER_CLIENT: usize = 64;
/// Descriptors kept for what is not a connection: the database and its
/// sidecars, the runtime, logs, and accepting a connection only to refuse it.
const RESERVED_DESCRIPTORS: u64 = 64;

#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    /// How long a client has to send a whole request head (a slow drip of
    /// header bytes is closed after this).
    pub header_read_timeout: Duration,
    /// How long a connection may move no byte either way while none of its
    /// requests is being handled (a kept-alive socket nobody uses, or a
    /// client that stopped reading its answer).
    pub idle_timeout: Duration,
    /// Open connections overall; lowered at start to what the process's
    /// descriptor limit allows.
    pub max_connections: usize,
    /// Open connections from one client address.
    pub max_per_client: usize,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        ConnectionLimits {
            header_read_timeout: DEFAULT_HEADER_READ_TIMEOUT,
            idle_timeout: DEFAULT_IDLE_TIMEOUT,
            max_connections: DEFAULT_MAX_CONNECTIONS,
            max_per_client: DEFAULT_MAX_CONNECTIONS_PER_CLIENT,
        }
    }
}

impl ConnectionLimits {
    /// These limits with the overall cap lowered so that every admitted
    /// connection has a descriptor and some are left for the rest: past the
    /// descriptor limit, accepting fails for everyone alike.
    pub fn fitted_to_descriptors(mut self) -> Self {
        if let Some(available) = descriptor_limit() {
            let usable = available.saturating_sub(RESERVED_DESCRIPTORS).max(1);
            let usable = usize::try_from(usable).unwrap_or(usize::MAX);
            if usable < self.max_connections {
                tracing::info!(
                    max_connections = usable,
                    "fewer connections than configured: the descriptor limit is lower"
                );
                self.max_connections = usable;
            }
        }
        self.max_per_client = self.max_per_client.clamp(1, self.max_connections.max(1));
        self
    }
}

#[cfg(unix)]
fn descriptor_limit() -> Option<u64> {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit only writes the struct it is given.
    let rc = unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) };
    (rc == 0 && limit.rlim_cur != libc::RLIM_INFINITY).then_some(limit.rlim_cur)
}

#[cfg(not(unix))]
fn descriptor_limit() -> Option<u64> {
    None
}
