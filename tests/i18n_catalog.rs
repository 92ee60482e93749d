//! Every translation key exists in every language, with the same placeholders, and is not empty.
//! (The build tolerates a missing key by falling back to German; users would then see mixed languages.)
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

const LANGUAGES: [&str; 2] = ["de", "en"];

fn flatten(prefix: &str, value: &Value, out: &mut BTreeMap<String, String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let path = if prefix.is_empty() { key.clone() } else { format!("{prefix}.{key}") };
                flatten(&path, child, out);
            }
        }
        Value::String(text) => {
            out.insert(prefix.to_string(), text.clone());
        }
        other => panic!("{prefix}: translations must be strings or objects, found {other}"),
    }
}

fn catalog(language: &str) -> BTreeMap<String, String> {
    let path = format!("{}/locales/{language}.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let json: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut out = BTreeMap::new();
    flatten("", &json, &mut out);
    out
}

fn placeholders(text: &str) -> BTreeSet<String> {
    text.split("{{")
        .skip(1)
        .filter_map(|rest| rest.split_once("}}"))
        .map(|(name, _)| name.trim().to_string())
        .collect()
}

#[test]
fn every_key_exists_in_every_language() {
    let german = catalog("de");
    for language in LANGUAGES {
        let other = catalog(language);
        let missing: Vec<_> = german.keys().filter(|k| !other.contains_key(*k)).collect();
        let extra: Vec<_> = other.keys().filter(|k| !german.contains_key(*k)).collect();
        assert!(missing.is_empty(), "{language} lacks keys: {missing:?}");
        assert!(extra.is_empty(), "{language} has keys German lacks: {extra:?}");
    }
}

#[test]
fn placeholders_agree_across_languages() {
    let german = catalog("de");
    for language in LANGUAGES {
        for (key, text) in catalog(language) {
            assert!(!text.trim().is_empty(), "{language}.{key} is empty");
            assert_eq!(placeholders(&text), placeholders(&german[&key]), "{language}.{key} placeholders");
        }
    }
}

#[test]
fn the_check_detects_a_missing_key() {
    let mut out = BTreeMap::new();
    flatten("", &serde_json::json!({"a": {"b": "x {{ n }}"}}), &mut out);
    assert_eq!(out.keys().collect::<Vec<_>>(), vec!["a.b"]);
    assert_eq!(placeholders(&out["a.b"]), BTreeSet::from(["n".to_string()]));
}
