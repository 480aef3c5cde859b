//! The control-character rule as the served OpenAPI document states it: on
//! every string of the assistant bodies, on every field name of a free-form
//! value, and at any depth, accepting exactly what the server accepts.

use testkit::common;

use std::collections::{BTreeMap, BTreeSet};

use common::TestServer;
use common::openapi::document;
use regex::Regex;
use serde_json::{Value, json};
use voicedock::domain::validate::{ONE_LINE, validate_text};

/// One of each kind of character the rule tells apart: every C0 control
/// (tab and line feed among them), DEL, every C1 control, and characters
/// that look like controls but are not Cc.
fn samples() -> Vec<String> {
    let controls = (0..0x20).chain(0x7f..0xa0).filter_map(char::from_u32);
    let lookalikes = [
        'a',
        'é',
        '\u{2028}',
        '\u{200b}',
        '\u{feff}',
        '\u{1f642}',
        ' ',
    ];
    let mut out = vec![String::new()];
    for c in controls.chain(lookalikes) {
        out.push(format!("a{c}b"));
        out.push(format!("a{c}"));
    }
    out
}

struct Judge {
    samples: Vec<String>,
    compiled: BTreeMap<String, Regex>,
}

impl Judge {
    /// Whether `pattern` takes exactly the samples `validate_text` takes.
    fn agrees(&mut self, pattern: &str, multi_line: bool) -> bool {
        let re = self
            .compiled
            .entry(pattern.to_owned())
            .or_insert_with(|| Regex::new(pattern).unwrap());
        self.samples
            .iter()
            .all(|s| re.is_match(s) == validate_text("f", s, multi_line).is_ok())
    }
}

/// Walks the schemas a body may take, each value judged by the field it is in.
struct Walk<'d> {
    doc: &'d Value,
    judge: Judge,
    seen: BTreeSet<(String, bool)>,
    strings: usize,
    open_objects: usize,
}

impl Walk<'_> {
    fn schema(&mut self, schema: &Value, at: &str, one_line: bool) {
        if let Some(target) = schema["$ref"].as_str() {
            if self.seen.insert((target.to_owned(), one_line)) {
                let resolved = self.doc.pointer(target.trim_start_matches('#')).unwrap();
                self.schema(resolved, target, one_line);
            }
            return;
        }
        let mut combined = false;
        // Object keywords beside the branches bind an object any branch lets in.
        let binds_objects = schema.get("propertyNames").is_some();
        for key in ["oneOf", "anyOf"] {
            for (i, branch) in schema[key].as_array().into_iter().flatten().enumerate() {
                combined = true;
                if !(binds_objects && *branch == json!({"type": "object"})) {
                    self.schema(branch, &format!("{at}/{key}/{i}"), one_line);
                }
            }
        }
        if binds_objects && schema.get("type").is_none() {
            self.object(schema, at);
        }
        if schema.get("enum").is_some() {
            return;
        }
        let types: Vec<&str> = match &schema["type"] {
            Value::String(t) => vec![t.as_str()],
            Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
            _ => {
                assert!(combined, "{at} takes any value without the text rule");
                return;
            }
        };
        if types.contains(&"string") {
            self.strings += 1;
            let own = schema["pattern"].as_str().into_iter();
            let all = schema["allOf"].as_array().into_iter().flatten();
            let patterns: Vec<&str> = own
                .chain(all.filter_map(|s| s["pattern"].as_str()))
                .collect();
            assert!(
                patterns.iter().any(|p| self.judge.agrees(p, !one_line)),
                "{at} (one line: {one_line}) does not state the text rule: {patterns:?}"
            );
        }
        if types.contains(&"array") {
            self.schema(&schema["items"], &format!("{at}/items"), one_line);
        }
        if types.contains(&"object") {
            self.object(schema, at);
        }
    }

    fn object(&mut self, schema: &Value, at: &str) {
        let properties = schema["properties"].as_object();
        for (field, p) in properties.into_iter().flatten() {
            let one_line = ONE_LINE.contains(&field.as_str());
            self.schema(p, &format!("{at}/properties/{field}"), one_line);
        }
        if schema["additionalProperties"] == false {
            return;
        }
        self.open_objects += 1;
        let names = schema["propertyNames"]["pattern"].as_str();
        let names = names.unwrap_or_else(|| panic!("{at} takes any field name"));
        assert!(self.judge.agrees(names, false), "{at} field names");
        let by_pattern = schema["patternProperties"].as_object();
        let (one_line_names, one_line) = by_pattern
            .and_then(|p| p.iter().next())
            .unwrap_or_else(|| panic!("{at} states no rule for the fields of ONE_LINE"));
        let one_line_names = Regex::new(one_line_names).unwrap();
        for field in ONE_LINE {
            assert!(one_line_names.is_match(field), "{at}: {field}");
            for other in [format!("{field}s"), format!("x{field}")] {
                assert!(!one_line_names.is_match(&other), "{at}: {other}");
            }
        }
        self.schema(one_line, &format!("{at}/patternProperties"), true);
        let other = &schema["additionalProperties"];
        assert!(other.is_object(), "{at} takes other fields of any value");
        self.schema(other, &format!("{at}/additionalProperties"), false);
    }
}

#[tokio::test]
async fn every_string_of_the_assistant_bodies_states_the_server_rule() {
    let doc = document().await;
    let mut walk = Walk {
        doc: &doc,
        judge: Judge {
            samples: samples(),
            compiled: BTreeMap::new(),
        },
        seen: BTreeSet::new(),
        strings: 0,
        open_objects: 0,
    };
    for body in ["NewAssistant", "AssistantDraft"] {
        let schema = &doc["components"]["schemas"][body];
        assert_eq!(schema["additionalProperties"], false, "{body}");
        for (field, p) in schema["properties"].as_object().unwrap() {
            // The assistant's own name has its rule, tested with `validate_name`.
            if field != "name" {
                let one_line = ONE_LINE.contains(&field.as_str());
                walk.schema(p, &format!("{body}/{field}"), one_line);
            }
        }
    }
    // The walk went deep: configs, messages, tools and free-form values.
    assert!(walk.strings > 30, "{} strings", walk.strings);
    assert!(walk.open_objects > 5, "{} open objects", walk.open_objects);
    for free_form in ["TextSafeJson", "TextSafeLineJson", "TextSafeObject"] {
        let target = format!("#/components/schemas/{free_form}");
        assert!(
            walk.seen.iter().any(|(t, _)| *t == target),
            "{free_form} unused"
        );
    }
}

fn pattern(doc: &Value, pointer: &str) -> Regex {
    let text = doc.pointer(pointer).and_then(Value::as_str);
    Regex::new(text.unwrap_or_else(|| panic!("no pattern at {pointer}"))).unwrap()
}

/// The string branch of a free-form schema.
fn string_branch(doc: &Value, name: &str) -> Regex {
    let branches = doc["components"]["schemas"][name]["anyOf"]
        .as_array()
        .unwrap();
    let i = branches.iter().position(|b| b["type"] == "string").unwrap();
    pattern(
        doc,
        &format!("/components/schemas/{name}/anyOf/{i}/pattern"),
    )
}

#[tokio::test]
async fn the_server_refuses_in_free_form_values_what_the_document_refuses() {
    let doc = document().await;
    let server = TestServer::start().await;
    let names = pattern(
        &doc,
        "/components/schemas/TextSafeObject/propertyNames/pattern",
    );
    let prose = string_branch(&doc, "TextSafeJson");
    let line = string_branch(&doc, "TextSafeLineJson");
    let first_message = pattern(
        &doc,
        "/components/schemas/NewAssistant/properties/first_message/pattern",
    );
    for c in [
        '\0', '\t', '\n', '\r', '\x1b', '\x1f', '\x7f', '\u{85}', '\u{9b}', '\u{9f}', 'é',
        '\u{2028}',
    ] {
        let text = format!("x{c}y");
        let cases = [
            (json!({ "analysis_plan": { text.clone(): 1 } }), &names),
            (
                json!({ "analysis_plan": { "note": [{ "say": text.clone() }] } }),
                &prose,
            ),
            (
                json!({ "analysis_plan": { "a": { "voice": [text.clone()] } } }),
                &line,
            ),
            (json!({ "analysis_plan": { "id": text.clone() } }), &line),
            (json!({ "first_message": text.clone() }), &first_message),
        ];
        for (mut body, stated) in cases {
            body["name"] = "a".into();
            let r = server.post("/api/v1/assistants", body.clone()).await;
            let accepted = r.status == 201 || r.status == 200;
            assert!(
                accepted || r.status == 400,
                "{body}: {} {}",
                r.status,
                r.text
            );
            assert_eq!(stated.is_match(&text), accepted, "{body}: {}", r.text);
        }
    }
}
