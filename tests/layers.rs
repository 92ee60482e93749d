//! The layout's rules, checked on the source: the client's layers import only layers below them, and
//! neither the client nor the domain crate has a circle of modules importing each other.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The client's layers, bottom up; a module may import its own layer and those before it.
const CLIENT_LAYERS: [&str; 7] = ["io", "runtime", "editing", "text", "ui", "features", "app"];

/// Every `.rs` file under `dir` as its module path (`io/store/mod.rs` → `io::store`).
fn modules(dir: &Path) -> BTreeMap<String, String> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let relative = path.strip_prefix(root).unwrap().with_extension("");
                let mut parts: Vec<String> =
                    relative.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
                if parts.last().is_some_and(|last| last == "mod") {
                    parts.pop();
                }
                out.insert(parts.join("::"), std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// The modules of `known` that `source` names by a `crate::` path, outside comments and its own
/// `#[cfg(test)]` module. A path names the longest known module it starts with (`crate::io::store::new_id`
/// → `io::store`); `use crate::{a, b}` names each.
fn imports(source: &str, known: &BTreeMap<String, String>) -> BTreeSet<String> {
    let code: String = source
        .split("#[cfg(test)]")
        .next()
        .unwrap_or_default()
        .lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let mut found = BTreeSet::new();
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        // `crate::{a::b, c}` names each path in the braces; `crate::a::b` one.
        let paths: Vec<&str> = match rest.strip_prefix('{') {
            Some(group) => group[..group.find('}').unwrap_or(group.len())].split(',').collect(),
            None => vec![rest],
        };
        for path in paths {
            let path: String =
                path.trim().chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':').collect();
            let segments: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
            if let Some(module) =
                (1..=segments.len()).rev().map(|n| segments[..n].join("::")).find(|m| known.contains_key(m))
            {
                found.insert(module);
            }
        }
    }
    found
}

/// The import graph of the crate whose sources are in `dir`, without each module's own line.
fn graph(dir: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let known = modules(dir);
    known
        .iter()
        .map(|(module, source)| {
            let mut targets = imports(source, &known);
            targets.remove(module);
            // A module may use its own submodules, and a submodule its parent's items: not a circle.
            targets.retain(|target| {
                !target.starts_with(&format!("{module}::")) && !module.starts_with(&format!("{target}::"))
            });
            (module.clone(), targets)
        })
        .collect()
}

/// A circle in `graph`, if there is one, as the modules along it.
fn circle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|n| n == node) {
            return Some(path[start..].iter().cloned().chain([node.to_owned()]).collect());
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(found) = visit(next, graph, path, done) {
                return Some(found);
            }
        }
        path.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    graph.keys().find_map(|node| visit(node, graph, &mut Vec::new(), &mut done))
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn layer(module: &str) -> Option<usize> {
    let top = module.split("::").next()?;
    CLIENT_LAYERS.iter().position(|layer| *layer == top)
}

#[test]
fn the_clients_layers_import_only_layers_below_them() {
    let mut upward = Vec::new();
    for (module, targets) in graph(&root().join("src")) {
        let Some(own) = layer(&module) else { continue };
        for target in targets {
            if layer(&target).is_some_and(|theirs| theirs > own) {
                upward.push(format!("{module} → {target}"));
            }
        }
    }
    assert!(upward.is_empty(), "imports that run up the layers {CLIENT_LAYERS:?}: {upward:#?}");
}

#[test]
fn no_module_of_the_client_or_the_domain_imports_itself_in_a_circle() {
    for dir in [root().join("src"), root().join("crates/domain/src")] {
        assert_eq!(circle(&graph(&dir)), None, "a circle of imports in {}", dir.display());
    }
}

#[test]
fn the_checks_see_an_upward_import_and_a_circle() {
    let known: BTreeMap<String, String> = [("io", ""), ("ui::day", ""), ("features::today", "")]
        .map(|(m, s)| (m.to_owned(), s.to_owned()))
        .into();
    let found =
        imports("use crate::{ui::day::today, io};\nlet x = crate::features::today::model::y();", &known);
    assert_eq!(found, BTreeSet::from(["ui::day".to_owned(), "io".to_owned(), "features::today".to_owned()]));
    assert_eq!(imports("// use crate::io;\n#[cfg(test)]\nuse crate::ui::day;", &known), BTreeSet::new());
    let circular = BTreeMap::from([
        ("a".to_owned(), BTreeSet::from(["b".to_owned()])),
        ("b".to_owned(), BTreeSet::from(["a".to_owned()])),
    ]);
    assert_eq!(circle(&circular), Some(vec!["a".to_owned(), "b".to_owned(), "a".to_owned()]));
    assert_eq!(layer("features::today::page"), Some(5));
}
