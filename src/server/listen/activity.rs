//! When a connection last moved a byte, and whether a request on it is being
//! handled: what tells an idle connection from a busy or a slow one.

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::time::Instant;

pub struct Activity {
    opened: Instant,
    /// Milliseconds after `opened`.
    last_progress_ms: AtomicU64,
    handling: AtomicUsize,
}

impl Activity {
    pub fn new() -> Arc<Activity> {
        Arc::new(Activity {
            opened: Instant::now(),
            last_progress_ms: AtomicU64::new(0),
            handling: AtomicUsize::new(0),
        })
    }

    /// When the connection last moved a byte; `None` while a request is
    /// being handled.
    pub fn idle_since(&self) -> Option<Instant> {
        if self.handling.load(Ordering::Relaxed) > 0 {
            return None;
        }
        Some(self.opened + Duration::from_millis(self.last_progress_ms.load(Ordering::Relaxed)))
    }

    fn touch(&self) {
        let ms = u64::try_from(self.opened.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last_progress_ms.store(ms, Ordering::Relaxed);
    }

    /// Held while a handler works on a request: a slow handler sends nothing
    /// for a while, and that is not idleness.
    pub fn handling(self: &Arc<Self>) -> Handling {
        self.handling.fetch_add(1, Ordering::Relaxed);
        Handling(Arc::clone(self))
    }

    /// Returns once no byte has moved either way for `limit` while no
    /// request was being handled: a kept-alive connection nobody uses, or a
    /// client that stopped reading its answer.
    pub async fn idle_for(&self, limit: Duration) {
        loop {
            match self.idle_since() {
                Some(since) if Instant::now() >= since + limit => return,
                Some(since) => tokio::time::sleep_until(since + limit).await,
                // Counted again from when the handler answers.
                None => tokio::time::sleep(limit).await,
            }
        }
    }
}

pub struct Handling(Arc<Activity>);

impl Drop for Handling {
    fn drop(&mut self) {
        self.0.touch();
        self.0.handling.fetch_sub(1, Ordering::Relaxed);
    }
}

/// A socket that notes every byte it moves in its [`Activity`].
pub struct Tracked<T> {
    inner: T,
    activity: Arc<Activity>,
}

impl<T> Tracked<T> {
    pub fn new(inner: T, activity: Arc<Activity>) -> Self {
        Tracked { inner, activity }
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for Tracked<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        if matches!(polled, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.activity.touch();
        }
        polled
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Tracked<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write(cx, buf);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        polled
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        polled
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_request_being_handled_is_not_idleness() {
        let activity = Activity::new();
        let handling = activity.handling();
        let idle = activity.idle_for(Duration::from_millis(10));
        tokio::pin!(idle);
        // Many times the limit: idleness would have been seen by now.
        let waited = tokio::time::timeout(Duration::from_millis(200), &mut idle).await;
        assert!(waited.is_err(), "idle while a handler worked");
        drop(handling);
        tokio::time::timeout(Duration::from_secs(30), idle)
            .await
            .expect("never idle after the handler answered");
    }
}
