//! The rule every stored string is held to (`validate::text`), stated on
//! every string of the assistant bodies: one line where the nearest field's
//! name is one of `ONE_LINE`, prose (line breaks and tabs) elsewhere, and
//! no control character in any field's name. Free-form values get schemas
//! that say the same at any depth. The classes come from the constants the
//! validation uses, so the two cannot drift apart.

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use super::doc_rules::regex_escape;
use crate::domain::text::{CONTROL_RANGES, PROSE_CONTROLS};
use crate::domain::validate::ONE_LINE;

pub const PROSE_JSON: &str = "TextSafeJson";
pub const LINE_JSON: &str = "TextSafeLineJson";
pub const OBJECT_JSON: &str = "TextSafeObject";
const COMPONENTS: &str = "#/components/schemas/";

/// The body of a character class of the control characters but `except`,
/// as `\uXXXX` escapes, which ECMA-262 and Python read alike.
pub(super) fn control_class(except: &[char]) -> String {
    let kept: Vec<u32> = CONTROL_RANGES
        .iter()
        .flat_map(|&(lo, hi)| lo..=hi)
        .filter(|c| !except.contains(c))
        .map(u32::from)
        .collect();
    let mut class = String::new();
    for run in kept.chunk_by(|a, b| a + 1 == *b) {
        if let (Some(first), Some(last)) = (run.first(), run.last()) {
            class.push_str(&format!("\\u{first:04x}"));
            if last != first {
                class.push_str(&format!("-\\u{last:04x}"));
            }
        }
    }
    class
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Line,
    Prose,
}

impl Kind {
    fn of(field: &str) -> Self {
        if ONE_LINE.contains(&field) {
            Self::Line
        } else {
            Self::Prose
        }
    }

    fn pattern(self) -> String {
        let allowed: &[char] = match self {
            Self::Line => &[],
            Self::Prose => &PROSE_CONTROLS,
        };
        format!("^[^{}]*$", control_class(allowed))
    }

    fn any_json_target(self) -> String {
        let name = match self {
            Self::Line => LINE_JSON,
            Self::Prose => PROSE_JSON,
        };
        format!("{COMPONENTS}{name}")
    }

    fn any_json(self) -> Value {
        json!({ "$ref": self.any_json_target() })
    }

    /// What a value that is not an object may be; an object's own fields
    /// set their rule whatever the field it sits in.
    fn scalars(self) -> [Value; 3] {
        [
            json!({"type": ["number", "boolean", "null"]}),
            json!({"type": "string", "pattern": self.pattern()}),
            json!({"type": "array", "items": self.any_json()}),
        ]
    }
}

/// The names of `ONE_LINE`. As `patternProperties` rather than one entry
/// each in `properties`, so a test generator does not try every one of them
/// in every free-form object, at every depth.
fn one_line_names() -> String {
    let names: Vec<String> = ONE_LINE.iter().map(|n| regex_escape(n)).collect();
    format!("^(?:{})$", names.join("|"))
}

fn free_form_components() -> [(&'static str, Value); 3] {
    let object = json!({ "$ref": format!("{COMPONENTS}{OBJECT_JSON}") });
    let any = |kind: Kind, description: &str| {
        let mut branches = kind.scalars().to_vec();
        branches.push(object.clone());
        json!({"description": description, "anyOf": branches})
    };
    [
        (
            PROSE_JSON,
            any(
                Kind::Prose,
                "Any JSON whose strings have no control character but line breaks and tabs.",
            ),
        ),
        (
            LINE_JSON,
            any(
                Kind::Line,
                "Any JSON whose strings are one line: no control character at all.",
            ),
        ),
        (
            OBJECT_JSON,
            json!({
                "description": "An object whose field names have no control character; \
                    a name or an id is one line.",
                "type": "object",
                "propertyNames": {"pattern": Kind::Line.pattern()},
                "patternProperties": {one_line_names(): Kind::Line.any_json()},
                "additionalProperties": Kind::Prose.any_json(),
            }),
        ),
    ]
}

/// The text rule on the bodies `roots` (components) and everything they refer to.
pub fn add_text_rules(doc: &mut Value, roots: &[&str]) {
    let schemas = &mut doc["components"]["schemas"];
    for (name, schema) in free_form_components() {
        schemas[name] = schema;
    }
    let mut refs = Vec::new();
    for root in roots {
        let properties = schemas[*root]["properties"].as_object_mut();
        for (field, schema) in properties.into_iter().flatten() {
            // The assistant's own name has its rule (`validate_name`).
            if field != "name" {
                state(schema, Kind::of(field), &mut refs);
            }
        }
    }
    let mut done = BTreeSet::new();
    while let Some(name) = refs.pop() {
        if done.insert(name.clone()) {
            // What the bodies refer to are objects (a config, a message),
            // whose fields set their rule themselves.
            state(&mut schemas[name.as_str()], Kind::Prose, &mut refs);
        }
    }
}

fn types(schema: &Map<String, Value>) -> Option<Vec<&str>> {
    match schema.get("type")? {
        Value::String(t) => Some(vec![t.as_str()]),
        Value::Array(ts) => Some(ts.iter().filter_map(Value::as_str).collect()),
        _ => None,
    }
}

/// Puts the rule of a value in a field of `kind` on `schema`; the components
/// it refers to are collected in `refs`.
fn state(schema: &mut Value, kind: Kind, refs: &mut Vec<String>) {
    let Some(object) = schema.as_object_mut() else {
        return;
    };
    if let Some(target) = object.get("$ref").and_then(Value::as_str) {
        refs.push(target.trim_start_matches(COMPONENTS).to_owned());
        return;
    }
    let mut combined = false;
    for key in ["oneOf", "anyOf", "allOf"] {
        let branches = object.get_mut(key).and_then(Value::as_array_mut);
        for branch in branches.into_iter().flatten() {
            combined = true;
            state(branch, kind, refs);
        }
    }
    if object.contains_key("enum") || object.contains_key("const") {
        return;
    }
    let Some(types) = types(object).map(|ts| ts.into_iter().map(str::to_owned).collect::<Vec<_>>())
    else {
        if combined {
            return;
        }
        if !object.contains_key("properties") {
            // Any value at all: stated as any value the rule allows.
            object.insert("$ref".into(), kind.any_json_target().into());
            return;
        }
        // Any value, with what is said of it should it be an object: the
        // object keywords bind objects only, the branches the rest.
        state_object(object, refs);
        let mut branches = kind.scalars().to_vec();
        branches.push(json!({"type": "object"}));
        object.insert("anyOf".into(), branches.into());
        return;
    };
    if types.iter().any(|t| t == "string") {
        if object.contains_key("pattern") {
            let all = object.entry("allOf").or_insert_with(|| json!([]));
            if let Some(all) = all.as_array_mut() {
                all.push(json!({"pattern": kind.pattern()}));
            }
        } else {
            object.insert("pattern".into(), kind.pattern().into());
        }
    }
    if types.iter().any(|t| t == "array") {
        let items = object.entry("items").or_insert_with(|| json!({}));
        state(items, kind, refs);
    }
    if types.iter().any(|t| t == "object") {
        state_object(object, refs);
    }
}

/// An object's fields, each by its name; an object open to other fields
/// also gets the rule on their names and values.
fn state_object(object: &mut Map<String, Value>, refs: &mut Vec<String>) {
    let properties = object.get_mut("properties").and_then(Value::as_object_mut);
    for (field, schema) in properties.into_iter().flatten() {
        state(schema, Kind::of(field), refs);
    }
    let additional = match object.get("additionalProperties") {
        Some(Value::Bool(false)) => return,
        None | Some(Value::Bool(true)) => json!({}),
        Some(schema) => schema.clone(),
    };
    // A field listed in `properties` and named in `ONE_LINE` is held to
    // both, as the server holds it.
    let mut one_line = additional.clone();
    state(&mut one_line, Kind::Line, refs);
    object.insert(
        "patternProperties".into(),
        json!({ one_line_names(): one_line }),
    );
    let mut additional = additional;
    state(&mut additional, Kind::Prose, refs);
    object.insert("additionalProperties".into(), additional);
    object.insert(
        "propertyNames".into(),
        json!({"pattern": Kind::Line.pattern()}),
    );
}
