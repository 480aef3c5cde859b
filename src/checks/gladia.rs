//! Gladia: `GET /v2/pre-recorded?limit=1` with the key in `x-gladia-key`
//! lists at most one past transcription and costs nothing
//! (docs.gladia.io/api-reference/v2/pre-recorded/list). A bad key gets 401.

use serde_json::Value;

use super::openai_like::unsendable;
use super::probe::{Probe, secret_header};
use super::{Outcome, not_understood, unreached};
use crate::domain::{Found, Verdict};

const NAME: &str = "Gladia";

pub async fn check(probe: &mut Probe, key: &str) -> Outcome {
    let Some(auth) = secret_header("x-gladia-key", key) else {
        return unsendable(NAME);
    };
    match probe.get("/v2/pre-recorded?limit=1", &auth).await {
        Err(why) => unreached(NAME, why),
        Ok(answer) if answer.ok() => {
            if answer.body.get("items").and_then(Value::as_array).is_none() {
                return Outcome::new(
                    Verdict::Unknown,
                    "Gladia answered the transcription list in a shape this check does not know",
                );
            }
            let mut found = Found::default();
            let any = answer.body["items"]
                .as_array()
                .is_some_and(|i| !i.is_empty());
            found.facts.push(
                if any {
                    "past transcriptions: yes"
                } else {
                    "past transcriptions: none yet"
                }
                .to_owned(),
            );
            Outcome::new(Verdict::Valid, "Gladia accepted the key").with(found)
        }
        Ok(answer) if answer.status == 401 => {
            Outcome::new(Verdict::Invalid, "Gladia refused the key (HTTP 401)")
        }
        Ok(answer) => not_understood(NAME, &answer),
    }
}
