//! The one place the console touches the network: a background task that
//! owns the `ApiClient`, performs each `Cmd` and sends the outcome back as a
//! `Msg`. The UI never awaits a request. Every call it makes, to the server
//! or to a provider, is recorded for the activity log.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::mpsc;
use tokio::task::AbortHandle;

use super::activity::{Recording, Sink};
use super::msg::{Call, Cmd, Msg, Page, Reply, RequestId, Versioned};
use super::screens::assistant_row::{Names, rows_of};
use crate::checks::{self, Upstreams};
use crate::client::{ApiClient, ApiError};
use crate::config::VoiceCache;
use crate::domain::{Assistant, Catalog, KeyCheck};

/// The first page is small so the list shows at once; the rest come in
/// the server's largest pages.
const FIRST_PAGE: u32 = 100;
const PAGE: u32 = crate::client::PAGE_MAX;

/// What key checks need beyond the client: where the providers are, and
/// where this profile's voice library is cached.
#[derive(Debug, Clone, Default)]
pub struct CheckSetup {
    pub upstreams: Upstreams,
    /// The cache dir and the profile's name in it; `None` keeps no cache.
    pub voice_cache: Option<(PathBuf, String)>,
    /// Where a check's calls to its provider are recorded; `None` nowhere.
    pub activity: Option<Sink>,
}

impl CheckSetup {
    /// Keeps the voices a check listed for the next start. Only a cache:
    /// a write that fails costs a check at the next start, nothing more.
    async fn keep_voices(&self, check: &KeyCheck) {
        let (Some((dir, profile)), Some(cache)) =
            (&self.voice_cache, VoiceCache::from_check(check))
        else {
            return;
        };
        let (dir, profile) = (dir.clone(), profile.clone());
        let written = tokio::task::spawn_blocking(move || cache.store(&dir, &profile)).await;
        if let Ok(Err(e)) = written {
            tracing::warn!("the voice cache was not written: {e:#}");
        }
    }
}

/// `builtin` is what the console falls back to when a server publishes no
/// catalog. Every call is recorded as `recording` says and reported to
/// `replies` as `Msg::Activity`.
pub fn spawn(
    client: ApiClient,
    builtin: Arc<Catalog>,
    mut setup: CheckSetup,
    recording: Recording,
    replies: mpsc::UnboundedSender<Msg>,
) -> mpsc::UnboundedSender<Cmd> {
    let sink = recording.start(replies.clone());
    let client = client.recording(sink.recorder());
    setup.activity = Some(sink);
    let setup = Arc::new(setup);
    let (tx, mut rx) = mpsc::unbounded_channel::<Cmd>();
    tokio::spawn(async move {
        let mut running: HashMap<RequestId, AbortHandle> = HashMap::new();
        while let Some(cmd) = rx.recv().await {
            running.retain(|_, task| !task.is_finished());
            match cmd {
                Cmd::Cancel(id) => {
                    if let Some(task) = running.remove(&id) {
                        task.abort();
                    }
                }
                // The event loop keeps these; one that got here has no use.
                Cmd::Console(_) => {}
                Cmd::Rank(job) => {
                    let replies = replies.clone();
                    // Ranking is CPU work: a blocking thread, so no request waits on it.
                    tokio::task::spawn_blocking(move || {
                        let _ = replies.send(Msg::Ranked(job.run()));
                    });
                }
                Cmd::Api { id, call } => {
                    let client = client.clone();
                    let replies = replies.clone();
                    let builtin = builtin.clone();
                    let setup = setup.clone();
                    // Calls run concurrently; ordering is the model's business
                    // (it drops replies to superseded requests by id).
                    let task = tokio::spawn(async move {
                        let send = |reply| {
                            // The console may have quit; a reply nobody reads is fine to drop.
                            let _ = replies.send(Msg::Api {
                                id,
                                received: Instant::now(),
                                reply,
                            });
                        };
                        match call {
                            Call::Assistants => load_pages(&client, send).await,
                            call => send(perform(&client, &builtin, &setup, call).await),
                        }
                    });
                    running.insert(id, task.abort_handle());
                }
            }
        }
        // The session this worker served has ended (a profile switch, or
        // quit): its requests stop with it instead of holding its server.
        for task in running.values() {
            task.abort();
        }
    });
    tx
}

/// Every assistant, one reply per page, until the total says it is all.
/// A server that does not page answers everything at once. A rate limit
/// met on the way is waited out (its Retry-After, at most a minute) once
/// per page, so a big account loads whole under the default limit.
async fn load_pages(client: &ApiClient, send: impl Fn(Reply)) {
    let mut names = Names::default();
    let mut offset = 0u64;
    let mut limit = FIRST_PAGE;
    let mut waited = false;
    loop {
        let page = match client.assistants_page(limit, offset).await {
            Ok(page) => page,
            Err(ApiError::RateLimited { retry_after, .. }) if offset > 0 && !waited => {
                waited = true;
                let wait = retry_after.unwrap_or(MAX_WAIT).min(MAX_WAIT);
                tokio::time::sleep(wait).await;
                continue;
            }
            Err(e) => return send(Reply::Assistants(Err(e))),
        };
        waited = false;
        let next = page.next_offset();
        let count = page.assistants.len() as u64;
        send(Reply::Assistants(Ok(Page {
            total: page.total.or(Some(offset + count)),
            assistants: rows_of(page.assistants, &mut names),
            offset,
            last: next.is_none(),
            listed_at: std::time::SystemTime::now(),
        })));
        let Some(next) = next else {
            // One page leaves little behind; a background reload is one.
            if offset > 0 {
                give_back_freed_memory();
            }
            return;
        };
        offset = next;
        limit = PAGE;
    }
}

/// A big load leaves its pages' parsed JSON freed among the rows kept;
/// glibc holds such memory for the process until asked to return it.
fn give_back_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim touches no memory of ours; it only hands free
    // pages of the allocator's heaps back to the system.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// The longest a paged load waits for a rate limit to pass.
const MAX_WAIT: Duration = Duration::from_secs(60);

fn versioned(assistant: Assistant) -> Versioned {
    let etag = assistant.etag();
    Versioned {
        assistant: Box::new(assistant),
        etag,
    }
}

pub async fn perform(
    client: &ApiClient,
    builtin: &Catalog,
    setup: &CheckSetup,
    call: Call,
) -> Reply {
    match call {
        Call::Health => Reply::Health(client.health().await.map(|_| ())),
        Call::Account => Reply::Account(client.account().await),
        Call::Organizations => Reply::Organizations(
            client
                .organization_tree()
                .await
                .map(|(_, children)| children),
        ),
        Call::Byok => Reply::Byok(client.byok().await),
        Call::Catalog => Reply::Catalog(
            client
                .catalog(builtin)
                .await
                .map(|(catalog, source)| (Box::new(catalog), source)),
        ),
        Call::Assistants => {
            Reply::Assistants(client.list_assistants().await.map(|assistants| Page {
                total: Some(assistants.len() as u64),
                assistants: rows_of(assistants, &mut Names::default()),
                offset: 0,
                last: true,
                listed_at: std::time::SystemTime::now(),
            }))
        }
        Call::SetKey { provider, key } => {
            let result = client.set_key(&provider, &key).await;
            Reply::SetKey { provider, result }
        }
        Call::DeleteKey { provider } => {
            let result = client.delete_key(&provider).await;
            Reply::DeleteKey { provider, result }
        }
        Call::SetSettings { provider, settings } => {
            let result = client.set_settings(&provider, settings.0).await;
            Reply::SetSettings { provider, result }
        }
        Call::GetAssistant { id } => {
            let result = client
                .get_assistant(&id)
                .await
                .map(|(assistant, etag)| Versioned {
                    assistant: Box::new(assistant),
                    etag,
                });
            Reply::GetAssistant { id, result }
        }
        Call::CreateAssistant { draft } => {
            Reply::CreateAssistant(client.create_assistant(&draft).await.map(versioned))
        }
        Call::UpdateAssistant {
            id,
            changes,
            if_match,
        } => {
            let result = client
                .update_assistant(&id, &changes, if_match.as_deref())
                .await
                .map(versioned);
            Reply::UpdateAssistant { id, result }
        }
        Call::DeleteAssistant { id } => {
            let result = client.delete_assistant(&id).await;
            Reply::DeleteAssistant { id, result }
        }
        Call::CheckKey {
            provider,
            key,
            needs,
            held,
        } => {
            let started = std::time::SystemTime::now();
            let result = checks::check(&setup.upstreams, &provider, &key, &needs).await;
            drop(key);
            if let Some(sink) = &setup.activity {
                sink.checked(&setup.upstreams, started, &result);
            }
            setup.keep_voices(&result).await;
            Reply::CheckKey {
                provider,
                held,
                result: Box::new(result),
            }
        }
        Call::CheckStored { provider } => {
            let result = client.check_stored_key(&provider).await;
            if let Ok(check) = &result {
                setup.keep_voices(check).await;
            }
            Reply::CheckStored {
                provider,
                result: result.map(Box::new),
            }
        }
    }
}
