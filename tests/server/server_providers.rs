//! Every provider of every section, driven from the built-in catalog (the
//! one the test server checks against): each model, voice and language it
//! lists is accepted, each field it takes is accepted and returned as sent,
//! and what it does not take is refused with the path of the field.

use testkit::common;

use common::TestServer;
use serde_json::{Map, Value, json};
use voicedock::domain::catalog::{CatalogProvider, FieldSpec};
use voicedock::domain::{Catalog, SectionId};

/// A value of `spec`'s type, inside its bounds (the field's own, else the
/// catalog's `params`). Numbers are sent as floats where the type is
/// `number`, so they come back as the same JSON.
fn valid(name: &str, spec: &FieldSpec, range: (Option<f64>, Option<f64>)) -> Value {
    if let Some(first) = spec.allowed.first() {
        return first.clone();
    }
    let mid = match (spec.minimum.or(range.0), spec.maximum.or(range.1)) {
        (Some(min), Some(max)) => (min + max) / 2.0,
        (Some(min), None) => min + 1.0,
        (None, Some(max)) => max,
        (None, None) => 0.5,
    };
    match spec.kind.as_str() {
        "boolean" => json!(true),
        "integer" => json!(mid.round() as i64),
        "number" => json!(mid),
        "string" if name.contains("language") => json!("en"),
        "string" => json!("test"),
        "array" => match &spec.items {
            Some(items) => json!([valid(name, items, (None, None))]),
            None => json!([]),
        },
        _ => {
            let props = spec.properties.iter();
            Value::Object(
                props
                    .map(|(n, s)| (n.clone(), valid(n, s, (None, None))))
                    .collect(),
            )
        }
    }
}

/// A value that is not of `spec`'s type.
fn wrong(spec: &FieldSpec) -> Value {
    match spec.kind.as_str() {
        "string" => json!(5),
        "array" => json!("one"),
        _ => json!("yes"),
    }
}

/// How many assistants it takes to use each of `p`'s models, voices and
/// (for STT) the section's languages at least once.
fn variants(cat: &Catalog, section: SectionId, p: &CatalogProvider) -> usize {
    let mut n = p.models.len().max(1);
    if p.voices_are_enum() {
        n = n.max(p.voices.len());
    }
    if section == SectionId::Stt {
        n = n.max(cat.stt.languages.len());
    }
    n
}

/// The smallest valid config of `p`, its `i`-th model, voice and language.
fn base(cat: &Catalog, section: SectionId, p: &CatalogProvider, i: usize) -> Map<String, Value> {
    let pick = |list: &[String]| list[i % list.len()].clone();
    let mut c = Map::new();
    c.insert("provider".into(), json!(p.id));
    if !p.models.is_empty() {
        c.insert("model".into(), json!(pick(&p.models)));
    }
    match section {
        SectionId::Stt => {
            c.insert("language".into(), json!(pick(&cat.stt.languages)));
        }
        SectionId::Llm if p.is_realtime() => {
            c.insert("voice".into(), json!(pick(&p.voices)));
        }
        SectionId::Llm => {}
        SectionId::Tts if p.voices_are_enum() => {
            c.insert("voice_id".into(), json!(pick(&p.voices)));
        }
        SectionId::Tts => {
            c.insert("voice_id".into(), json!("test-voice_01"));
        }
    }
    c
}

/// An assistant holding `config` in `section`'s place; a realtime LLM
/// explicitly without TTS.
fn assistant(section: SectionId, config: &Map<String, Value>) -> Value {
    let mut body = json!({"name": format!("{} {}", section.key(), config["provider"])});
    body[section.config_field()] = Value::Object(config.clone());
    if section == SectionId::Llm {
        body["tts_config"] = Value::Null;
    }
    body
}

/// Every field `p` takes (its own and the section's `*`), as the catalog types it.
fn fields_of<'c>(cat: &'c Catalog, section: SectionId, p: &str) -> Vec<(&'c str, &'c FieldSpec)> {
    let all = &cat.voicedock.config_fields[section.key()];
    let own = all.get(p).into_iter().flatten();
    let every = all.get("*").into_iter().flatten();
    own.chain(every).map(|(n, s)| (n.as_str(), s)).collect()
}

/// Set apart from the generic fields: the catalog's lists decide them.
const LISTED: [&str; 5] = ["provider", "model", "voice", "voice_id", "language"];

#[tokio::test]
async fn every_model_voice_and_language_of_every_provider_is_accepted() {
    let server = TestServer::start().await;
    let cat = Catalog::builtin();
    let mut sent = Vec::new();
    for section in SectionId::ALL {
        for p in &cat.section(section).providers {
            for i in 0..variants(&cat, section, p) {
                let body = assistant(section, &base(&cat, section, p, i));
                let r = server.post("/api/v1/assistants", body.clone()).await;
                assert_eq!(r.status, 201, "{body}: {}", r.text);
                sent.push((r.body["assistant"]["id"].clone(), section, body));
            }
        }
    }
    let r = server.get("/api/v1/assistants").await;
    let stored = r.body["assistants"].as_array().unwrap();
    assert_eq!(stored.len(), sent.len());
    for (a, (id, section, body)) in stored.iter().zip(&sent) {
        assert_eq!(&a["id"], id);
        let field = section.config_field();
        assert_eq!(a[field], body[field], "stored as sent");
    }
}

#[tokio::test]
async fn every_field_a_provider_takes_is_accepted_and_returned_as_sent() {
    let server = TestServer::start().await;
    let cat = Catalog::builtin();
    for section in SectionId::ALL {
        for p in &cat.section(section).providers {
            let mut config = base(&cat, section, p, 0);
            let model = p.default_model.as_deref();
            let takes = p.settings_for(model);
            for (name, spec) in fields_of(&cat, section, &p.id) {
                let not_for_model = p.settings.iter().any(|s| s == name)
                    && takes.is_some_and(|t| !t.iter().any(|s| s == name));
                if LISTED.contains(&name) || not_for_model {
                    continue;
                }
                config.insert(name.into(), valid(name, spec, cat.range(section, name)));
            }
            let body = assistant(section, &config);
            let r = server.post("/api/v1/assistants", body.clone()).await;
            assert_eq!(r.status, 201, "{body}: {}", r.text);
            let path = format!(
                "/api/v1/assistants/{}",
                r.body["assistant"]["id"].as_str().unwrap()
            );
            let field = section.config_field();
            assert_eq!(
                server.get(&path).await.body["assistant"][field],
                body[field],
                "{}",
                p.id
            );
        }
    }
}

/// `(status, code, param)` of a create with `body`.
async fn refused(server: &TestServer, body: Value) -> (u16, String, Option<String>) {
    server.post("/api/v1/assistants", body).await.error()
}

fn bad(code: &str, param: String) -> (u16, String, Option<String>) {
    (400, code.to_owned(), Some(param))
}

#[tokio::test]
async fn a_provider_model_or_voice_not_listed_is_refused_with_its_path() {
    let server = TestServer::start().await;
    let cat = Catalog::builtin();
    for section in SectionId::ALL {
        let field = section.config_field();
        let ours = &cat.section(section).providers;
        let first = base(&cat, section, &ours[0], 0);
        // A provider of another section is a mix-up; one of none is unknown.
        let others = SectionId::ALL.into_iter().filter(|s| *s != section);
        let elsewhere = others.flat_map(|s| cat.section(s).provider_ids().map(str::to_owned));
        let mut cases: Vec<(String, &str)> = elsewhere
            .filter(|id| cat.section(section).provider(id).is_none())
            .map(|id| (id, "invalid_request"))
            .collect();
        cases.push(("acme".into(), "unsupported_provider"));
        for (provider, code) in cases {
            let mut config = first.clone();
            config.insert("provider".into(), json!(provider));
            let got = refused(&server, assistant(section, &config)).await;
            assert_eq!(got, bad(code, format!("{field}.provider")), "{provider}");
        }
        for p in ours {
            let mut config = base(&cat, section, p, 0);
            config.insert("model".into(), json!("not-a-model"));
            let got = refused(&server, assistant(section, &config)).await;
            assert_eq!(
                got,
                bad("invalid_request", format!("{field}.model")),
                "{}",
                p.id
            );
            if p.voices_are_enum() {
                let voice = if section == SectionId::Llm {
                    "voice"
                } else {
                    "voice_id"
                };
                let mut config = base(&cat, section, p, 0);
                config.insert(voice.into(), json!("NotAVoice"));
                let got = refused(&server, assistant(section, &config)).await;
                assert_eq!(
                    got,
                    bad("invalid_request", format!("{field}.{voice}")),
                    "{}",
                    p.id
                );
            }
        }
    }
    let r = server.get("/api/v1/assistants").await;
    assert_eq!(
        r.body["assistants"],
        json!([]),
        "nothing refused was stored"
    );
}

#[tokio::test]
async fn a_field_the_provider_or_model_does_not_take_is_refused_with_its_path() {
    let server = TestServer::start().await;
    let cat = Catalog::builtin();
    let mut seen_v3 = false;
    for section in SectionId::ALL {
        let field = section.config_field();
        let every_field: Vec<(String, &FieldSpec)> = cat
            .section(section)
            .providers
            .iter()
            .flat_map(|p| fields_of(&cat, section, &p.id))
            .map(|(n, s)| (n.to_owned(), s))
            .collect();
        for p in &cat.section(section).providers {
            let own = fields_of(&cat, section, &p.id);
            for (name, spec) in &every_field {
                if own.iter().any(|(n, _)| n == name) {
                    continue;
                }
                let mut config = base(&cat, section, p, 0);
                config.insert(name.clone(), valid(name, spec, cat.range(section, name)));
                let got = refused(&server, assistant(section, &config)).await;
                assert_eq!(
                    got,
                    bad("unknown_field", format!("{field}.{name}")),
                    "{}",
                    p.id
                );
            }
            for (name, spec) in own.iter().filter(|(n, _)| !LISTED.contains(n)) {
                let mut config = base(&cat, section, p, 0);
                config.insert((*name).into(), wrong(spec));
                let got = refused(&server, assistant(section, &config)).await;
                assert_eq!(
                    got,
                    bad("invalid_request", format!("{field}.{name}")),
                    "{} {name}",
                    p.id
                );
                let Some(max) = spec.maximum.or(cat.range(section, name).1) else {
                    continue;
                };
                config.insert((*name).into(), json!(max + 1.0));
                let got = refused(&server, assistant(section, &config)).await;
                assert_eq!(
                    got,
                    bad("invalid_request", format!("{field}.{name}")),
                    "{} {name}",
                    p.id
                );
            }
            for (model, takes) in &p.model_settings {
                for setting in p.settings.iter().filter(|s| !takes.contains(s)) {
                    let mut config = base(&cat, section, p, 0);
                    config.insert("model".into(), json!(model));
                    let spec = cat.config_field(section, &p.id, setting).unwrap();
                    config.insert(
                        setting.clone(),
                        valid(setting, spec, cat.range(section, setting)),
                    );
                    let got = refused(&server, assistant(section, &config)).await;
                    assert_eq!(
                        got,
                        bad("invalid_request", format!("{field}.{setting}")),
                        "{model}"
                    );
                    seen_v3 |= model == "eleven_v3" && setting == "similarity_boost";
                }
            }
        }
    }
    assert!(seen_v3, "elevenlabs eleven_v3 refuses similarity_boost");
}

#[tokio::test]
async fn a_realtime_llm_speaks_itself_so_a_tts_config_is_refused() {
    let server = TestServer::start().await;
    let cat = Catalog::builtin();
    let tts = Value::Object(base(&cat, SectionId::Tts, &cat.tts.providers[0], 0));
    let text = &cat.llm.providers.iter().find(|p| !p.is_realtime()).unwrap();
    for p in cat.llm.providers.iter().filter(|p| p.is_realtime()) {
        let llm = Value::Object(base(&cat, SectionId::Llm, p, 0));
        let both = json!({"name": p.id, "llm_config": llm, "tts_config": tts});
        assert_eq!(
            refused(&server, both).await,
            bad("invalid_request", "tts_config".into())
        );

        // The same rule on the assistant an update would leave.
        let r = server
            .post(
                "/api/v1/assistants",
                json!({"name": p.id, "llm_config": llm}),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.text);
        let path = format!(
            "/api/v1/assistants/{}",
            r.body["assistant"]["id"].as_str().unwrap()
        );
        // The change is valid by itself; it conflicts with what is stored.
        let conflict = (409, "conflict".to_owned(), Some("tts_config".to_owned()));
        let r = server.patch(&path, json!({"tts_config": tts})).await;
        assert_eq!(r.error(), conflict, "{}", p.id);

        let text_llm = Value::Object(base(&cat, SectionId::Llm, text, 0));
        let body = json!({"name": "Text", "llm_config": text_llm, "tts_config": tts});
        let r = server.post("/api/v1/assistants", body).await;
        let path = format!(
            "/api/v1/assistants/{}",
            r.body["assistant"]["id"].as_str().unwrap()
        );
        let r = server.patch(&path, json!({"llm_config": llm})).await;
        assert_eq!(r.error(), conflict, "{}", p.id);
        let r = server
            .patch(&path, json!({"llm_config": llm, "tts_config": null}))
            .await;
        assert_eq!(
            r.status, 200,
            "switching to realtime clears the TTS: {}",
            r.text
        );
    }
}
