//! Architecture invariants that ARCHITECTURE.md states, checked against the source tree.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed unwrap is a failed test

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

fn names(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

/// The two migration folders hold the same migrations under the same names, each with both halves.
#[test]
fn migrations_are_twins() {
    let sqlite = names(&root().join("migrations/sqlite"));
    let postgres = names(&root().join("migrations/postgres"));
    assert!(!sqlite.is_empty(), "no migrations found");
    assert_eq!(sqlite, postgres, "migrations/sqlite and migrations/postgres must hold the same migrations");
    for m in &sqlite {
        for backend in ["sqlite", "postgres"] {
            let files = names(&root().join("migrations").join(backend).join(m));
            for half in ["up.sql", "down.sql"] {
                assert!(files.contains(half), "migrations/{backend}/{m} has no {half}");
            }
        }
    }
}

/// The route modules the API crate has (`crates/api/src/routes/<name>.rs`, `mod.rs` aside).
fn route_modules() -> Vec<(String, String)> {
    let dir = root().join("crates/api/src/routes");
    let mut out = vec![];
    for name in names(&dir) {
        if let Some(stem) = name.strip_suffix(".rs").filter(|s| *s != "mod") {
            out.push((stem.to_owned(), std::fs::read_to_string(dir.join(&name)).unwrap()));
        }
    }
    out
}

/// The identifiers a source file reaches through `super::…` or `crate::routes::…`, braces included.
fn reached(source: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for prefix in ["super::", "crate::routes::"] {
        for (at, _) in source.match_indices(prefix) {
            let rest = &source[at + prefix.len()..];
            let group = match rest.strip_prefix('{') {
                Some(inner) => &inner[..inner.find('}').unwrap_or(inner.len())],
                None => rest,
            };
            for item in group.split(',') {
                let ident: String = item.trim().chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                if !ident.is_empty() {
                    out.insert(ident);
                }
                if !rest.starts_with('{') {
                    break;
                }
            }
        }
    }
    out
}

/// A feature's handlers do not reach into another feature's module: what two features share lives
/// in `db/` (rows, loaders, rule facts) or `facts.rs`, not in a route module.
#[test]
fn route_modules_import_no_route_module() {
    let modules = route_modules();
    assert!(modules.len() >= 10, "found only {} route modules", modules.len());
    let names: BTreeSet<String> = modules.iter().map(|(n, _)| n.clone()).collect();
    let mut offenders = vec![];
    for (name, source) in &modules {
        for ident in reached(source).intersection(&names) {
            offenders.push(format!("routes/{name}.rs uses routes/{ident}.rs"));
        }
    }
    assert!(offenders.is_empty(), "{}", offenders.join("\n"));
}

#[test]
fn the_import_scan_sees_both_spellings() {
    let found = reached("use super::{ReadErrors, sessions::SessionRow};\nlet x = crate::routes::coaching::f();");
    assert!(found.contains("sessions") && found.contains("coaching") && found.contains("ReadErrors"), "{found:?}");
}
