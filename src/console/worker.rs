//! The one place the console touches the network: a background task that
//! owns the `ApiClient`, performs each `Cmd` and sends the outcome back as a
//! `Msg`. The UI never awaits a request.

use std::sync::Arc;
use std::time::Instant;

use tokio::sync::mpsc;

use super::msg::{Call, Cmd, Msg, Reply};
use crate::client::{ApiClient, ApiError};
use crate::domain::Catalog;

/// `builtin` is what the console falls back to when a server publishes no
/// catalog.
pub fn spawn(
    client: ApiClient,
    builtin: Arc<Catalog>,
    replies: mpsc::UnboundedSender<Msg>,
) -> mpsc::UnboundedSender<Cmd> {
    let (tx, mut rx) = mpsc::unbounded_channel::<Cmd>();
    tokio::spawn(async move {
        while let Some(Cmd::Api { id, call }) = rx.recv().await {
            let client = client.clone();
            let replies = replies.clone();
            let builtin = builtin.clone();
            // Calls run concurrently; ordering is the model's business
            // (it drops replies to superseded requests by id).
            tokio::spawn(async move {
                let result = perform(&client, &builtin, call).await;
                // The console may have quit; a reply with nobody to read it is fine to drop.
                let _ = replies.send(Msg::Api {
                    id,
                    received: Instant::now(),
                    result,
                });
            });
        }
    });
    tx
}

pub async fn perform(client: &ApiClient, builtin: &Catalog, call: Call) -> Result<Reply, ApiError> {
    Ok(match call {
        Call::Account => Reply::Account(client.account().await?),
        Call::Byok => Reply::Byok(client.byok().await?),
        Call::Catalog => {
            let (catalog, source) = client.catalog(builtin).await?;
            Reply::Catalog(Box::new(catalog), source)
        }
        Call::Assistants => Reply::Assistants(client.list_assistants().await?),
        Call::SetKey { provider, key } => Reply::Byok(client.set_key(&provider, &key).await?),
        Call::DeleteKey { provider } => Reply::Byok(client.delete_key(&provider).await?),
        Call::GetAssistant { id } => {
            let (assistant, etag) = client.get_assistant(&id).await?;
            Reply::Assistant {
                assistant: Box::new(assistant),
                etag,
            }
        }
        Call::CreateAssistant { draft } => {
            let assistant = client.create_assistant(&draft).await?;
            let etag = assistant.etag();
            Reply::Assistant {
                assistant: Box::new(assistant),
                etag,
            }
        }
        Call::UpdateAssistant {
            id,
            changes,
            if_match,
        } => {
            let assistant = client
                .update_assistant(&id, &changes, if_match.as_deref())
                .await?;
            let etag = assistant.etag();
            Reply::Assistant {
                assistant: Box::new(assistant),
                etag,
            }
        }
        Call::DeleteAssistant { id } => {
            client.delete_assistant(&id).await?;
            Reply::Deleted
        }
    })
}
