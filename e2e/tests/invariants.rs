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

/// The features (`crates/api/src/routes/<feature>/`) with their source files, `(file name, text)`.
fn features() -> Vec<(String, Vec<(String, String)>)> {
    let dir = root().join("crates/api/src/routes");
    let mut out = vec![];
    for name in names(&dir) {
        let path = dir.join(&name);
        if !path.is_dir() {
            continue;
        }
        let files = names(&path)
            .into_iter()
            .filter(|f| f.ends_with(".rs"))
            .map(|f| (f.clone(), std::fs::read_to_string(path.join(&f)).unwrap()))
            .collect();
        out.push((name, files));
    }
    out
}

/// The identifiers a source file reaches through `super::super::…` or `crate::routes::…`
/// (braces included): the modules of other features, if any.
fn reached(source: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for prefix in ["super::super::", "crate::routes::"] {
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

/// A feature's handlers do not reach into another feature's modules: what two features share lives
/// in `db/` (rows, loaders, rule facts) or `facts.rs`, never in a route module. Route files sit in a
/// feature folder, none loose beside `routes/mod.rs`.
#[test]
fn route_features_import_no_other_feature() {
    let features = features();
    assert!(features.len() >= 7, "found only {} features", features.len());
    let names: BTreeSet<String> = features.iter().map(|(n, _)| n.clone()).collect();
    let mut offenders = vec![];
    for (feature, files) in &features {
        for (file, source) in files {
            for ident in reached(source).intersection(&names) {
                if ident != feature {
                    offenders.push(format!("routes/{feature}/{file} uses routes/{ident}"));
                }
            }
        }
    }
    let loose: Vec<String> = self::names(&root().join("crates/api/src/routes"))
        .into_iter()
        .filter(|n| n.ends_with(".rs") && n != "mod.rs")
        .collect();
    assert!(loose.is_empty(), "route files outside a feature folder: {loose:?}");
    assert!(offenders.is_empty(), "{}", offenders.join("\n"));
}

/// Every operation's tag names a feature, whose folder holds its handler: the document's grouping
/// and the code's are one.
#[test]
fn every_operation_is_tagged_with_the_feature_that_serves_it() {
    let spec: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("api-spec/openapi.json")).unwrap()).unwrap();
    let features: Vec<(String, String)> = features()
        .into_iter()
        .map(|(name, files)| (name, files.into_iter().map(|(_, s)| s).collect::<Vec<_>>().join("\n")))
        .collect();
    let mut faults = vec![];
    let mut seen = 0;
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let Some(id) = op["operationId"].as_str() else { continue };
            seen += 1;
            let tags: Vec<&str> = op["tags"].as_array().unwrap().iter().filter_map(|t| t.as_str()).collect();
            let [tag] = tags[..] else {
                faults.push(format!("{method} {path}: tags {tags:?}, want one"));
                continue;
            };
            match features.iter().find(|(name, _)| name == tag) {
                None => faults.push(format!("{method} {path}: tag {tag:?} is no feature folder")),
                Some((_, source)) if !source.contains(&format!("fn {id}(")) && !source.contains(&format!("{id},")) => {
                    faults.push(format!("{method} {path}: {id} is not served from routes/{tag}/"))
                }
                Some(_) => {}
            }
        }
    }
    assert!(seen >= 50, "only {seen} operations");
    assert!(faults.is_empty(), "{}", faults.join("\n"));
}

/// The diesel query DSL (`schema::` tables, `diesel::` calls) lives in `crates/api/src/db/`:
/// handlers, the seed and the rest call the data layer. An exception would be listed here, and
/// the list may only shrink: a file that stops holding queries must leave it, and a file not on
/// it may not start.
const STILL_QUERYING: &[&str] = &[];

#[test]
fn queries_live_in_the_data_layer() {
    let src = root().join("crates/api/src");
    let mut querying = BTreeSet::new();
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for name in names(&dir) {
            let path = dir.join(&name);
            if path.is_dir() {
                if name != "db" {
                    stack.push(path);
                }
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let rel = path.strip_prefix(&src).unwrap().to_string_lossy().into_owned();
            if text.contains("db::schema")
                || text.contains("diesel::prelude")
                || text.contains("diesel::insert_into")
                || text.contains("diesel::update")
                || text.contains("diesel::delete")
                || text.contains("sql_query")
            {
                querying.insert(rel);
            }
        }
    }
    let allowed: BTreeSet<String> = STILL_QUERYING.iter().map(|s| s.to_string()).collect();
    let new: Vec<_> = querying.difference(&allowed).collect();
    let done: Vec<_> = allowed.difference(&querying).collect();
    assert!(new.is_empty(), "queries outside crates/api/src/db/ (move them into a db module): {new:?}");
    assert!(done.is_empty(), "these no longer query: take them off STILL_QUERYING: {done:?}");
}

#[test]
fn the_import_scan_sees_both_spellings() {
    let found = reached("use super::super::{State, delivery::sessions};\nlet x = crate::routes::coaching::f();");
    assert!(found.contains("delivery") && found.contains("coaching") && found.contains("State"), "{found:?}");
}

/// The SPA is layered pages → components → ui, and the arrows point one way: `ui` knows no
/// component, page or API call; a component knows no page and no other component; a page knows
/// no other page. With no way back up, there is no cycle.
#[test]
fn spa_layers_point_one_way() {
    let src = root().join("frontend/src");
    let layer_files = |layer: &str| -> Vec<(String, String)> {
        names(&src.join(layer))
            .into_iter()
            .filter(|n| n.ends_with(".rs"))
            .map(|n| (format!("{layer}/{n}"), std::fs::read_to_string(src.join(layer).join(&n)).unwrap()))
            .collect()
    };
    let (ui, components, pages) = (layer_files("ui"), layer_files("components"), layer_files("pages"));
    assert!(ui.len() >= 2 && components.len() >= 5 && pages.len() >= 5, "the SPA's layers are missing");
    let mut faults = vec![];
    let mut forbid = |files: &[(String, String)], banned: &[&str]| {
        for (file, text) in files {
            for b in banned {
                // `super::` inside a layer is fine for its `mod.rs`; reaching another module of the
                // same layer through it is not.
                if text.contains(b) {
                    faults.push(format!("{file} uses {b}"));
                }
            }
        }
    };
    forbid(&ui, &["crate::components", "crate::pages", "crate::api"]);
    forbid(&components, &["crate::pages", "crate::components", "super::"]);
    forbid(&pages, &["crate::pages", "super::"]);
    let old = ["pages.rs", "rules_pages.rs", "delivery_pages.rs"].iter().filter(|f| src.join(f).exists()).count();
    assert_eq!(old, 0, "screens by order of writing are gone");
    assert!(faults.is_empty(), "{}", faults.join("\n"));
}

/// Every operation in the committed document has a client method of the same name, so the typed
/// client covers the API and reads like its reference.
#[test]
fn every_operation_has_a_same_named_client_method() {
    let spec: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("api-spec/openapi.json")).unwrap()).unwrap();
    let client: String = sources(&root().join("crates/client/src")).into_iter().map(|(_, text)| text).collect();
    let mut missing = vec![];
    let mut seen = 0;
    for item in spec["paths"].as_object().unwrap().values() {
        for op in item.as_object().unwrap().values() {
            let Some(id) = op["operationId"].as_str() else { continue };
            seen += 1;
            if !client.contains(&format!("pub async fn {id}(")) && !client.contains(&format!("pub async fn {id}<")) {
                missing.push(id.to_owned());
            }
        }
    }
    assert!(seen >= 50, "only {seen} operations");
    assert!(missing.is_empty(), "operations without a same-named client method: {missing:?}");
}

/// Every `.rs` file under `dir`, with its text.
fn sources(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut out = vec![];
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for name in names(&d) {
            let path = d.join(&name);
            if path.is_dir() {
                stack.push(path);
            } else if name.ends_with(".rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                out.push((path, text));
            }
        }
    }
    out
}

/// The snake_case string literal at the start of `rest` (after blanks), if there is one.
fn literal(rest: &str) -> Option<String> {
    let rest = rest.trim_start().strip_prefix('"')?;
    let end = rest.find('"')?;
    let s = &rest[..end];
    (!s.is_empty() && s.chars().all(|c| c.is_ascii_lowercase() || c == '_')).then(|| s.to_owned())
}

/// The error codes the API's source gives: the first argument of `ApiError`'s constructors (the
/// second of `ApiError::new`), and every `code: "…"` of a field error or problem.
fn codes_given(source: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for ctor in ["field", "conflict", "conflict_on", "unauthorized", "bad_request", "invalid", "bad_param"] {
        let pat = format!("ApiError::{ctor}(");
        out.extend(source.match_indices(&pat).filter_map(|(at, _)| literal(&source[at + pat.len()..])));
    }
    for (at, _) in source.match_indices("ApiError::new(") {
        let rest = &source[at + "ApiError::new(".len()..];
        out.extend(rest.find(',').and_then(|comma| literal(&rest[comma + 1..])));
    }
    out.extend(source.match_indices("code: \"").filter_map(|(at, _)| literal(&source[at + "code: ".len()..])));
    out
}

/// The codes the domain and wire crates report: every snake_case literal in a `fn faults` (a
/// definition's or a term calendar's faults) or a `fn code` (a text or coaching-date fault).
fn domain_codes(source: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for marker in ["pub fn faults(", "fn code(self)"] {
        for (at, _) in source.match_indices(marker) {
            let body = &source[at..];
            let end = body.find("\n    }\n").unwrap_or(body.len());
            out.extend(body[..end].match_indices('"').filter_map(|(i, _)| literal(&body[i..])));
        }
    }
    out
}

/// Every error code is listed once in `crates/api/src/codes.rs` with what it means; the API gives
/// no code that is not listed there; every listed code is given somewhere (the API, or the domain
/// and wire checks it reports); and the committed OpenAPI document carries the list.
#[test]
fn every_error_code_is_used_and_documented() {
    let registry_path = root().join("crates/api/src/codes.rs");
    let registry = std::fs::read_to_string(&registry_path).unwrap();
    let mut listed = BTreeSet::new();
    for line in registry.lines() {
        if let Some(code) = line.trim_start().strip_prefix("(\"").and_then(|r| r.split('"').next()) {
            assert!(listed.insert(code.to_owned()), "{code} is listed twice");
        }
    }
    assert!(listed.len() >= 60, "only {} codes listed", listed.len());
    let mut given = BTreeSet::new();
    let mut literals = String::new();
    for dir in ["crates/api/src", "crates/domain/src", "crates/wire/src"] {
        for (path, text) in sources(&root().join(dir)) {
            if path == registry_path {
                continue;
            }
            // Test modules (last in a file) give codes of their own making.
            let text = text.split("#[cfg(test)]").next().unwrap_or_default().to_owned();
            if dir == "crates/api/src" {
                given.extend(codes_given(&text));
            } else {
                given.extend(domain_codes(&text));
            }
            literals.push_str(&text);
        }
    }
    let unlisted: Vec<_> = given.difference(&listed).collect();
    assert!(unlisted.is_empty(), "codes the API gives that crates/api/src/codes.rs does not list: {unlisted:?}");
    let unused: Vec<_> = listed.iter().filter(|c| !literals.contains(&format!("\"{c}\""))).collect();
    assert!(unused.is_empty(), "listed codes nothing gives: {unused:?}");
    // The contract test may accept a schema-valid request refused only with one of these codes.
    let checks = std::fs::read_to_string(root().join("tools/contract_checks.py")).unwrap();
    let semantic = &checks[checks.find("SEMANTIC = {").unwrap()..];
    let semantic = &semantic[..semantic.find('}').unwrap()];
    let stale: Vec<String> = semantic
        .match_indices('"')
        .filter_map(|(i, _)| literal(&semantic[i..]))
        .filter(|c| !listed.contains(c))
        .collect();
    assert!(stale.is_empty(), "tools/contract_checks.py accepts codes the API never gives: {stale:?}");
    let spec = std::fs::read_to_string(root().join("api-spec/openapi.json")).unwrap();
    let undocumented: Vec<_> = listed.iter().filter(|c| !spec.contains(&format!("`{c}`"))).collect();
    assert!(undocumented.is_empty(), "codes missing from api-spec/openapi.json (run make spec): {undocumented:?}");
}

/// The columns `crates/api/src/db/schema.rs` declares, by table: (name, diesel type) in order.
fn declared_schema() -> std::collections::BTreeMap<String, Vec<(String, String)>> {
    let text = std::fs::read_to_string(root().join("crates/api/src/db/schema.rs")).unwrap();
    let mut out = std::collections::BTreeMap::new();
    for block in text.split("diesel::table! {").skip(1) {
        let mut lines = block.lines().map(str::trim).filter(|l| !l.is_empty());
        let head = lines.next().unwrap();
        let table = head.split_whitespace().next().unwrap().to_owned();
        let mut columns = vec![];
        for line in lines {
            if line.starts_with('}') {
                break;
            }
            let (name, ty) = line.trim_end_matches(',').split_once("->").unwrap();
            columns.push((name.trim().to_owned(), ty.trim().to_owned()));
        }
        out.insert(table, columns);
    }
    out
}

#[derive(diesel::QueryableByName)]
struct Column {
    #[diesel(sql_type = diesel::sql_types::Text)]
    table_name: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    column_name: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    data_type: String,
    #[diesel(sql_type = diesel::sql_types::Bool)]
    nullable: bool,
}

/// The diesel type `diesel print-schema` would give a column of this database type.
fn diesel_type(db_type: &str, nullable: bool) -> String {
    let base = match db_type.to_ascii_lowercase().as_str() {
        "text" | "character varying" => "Text",
        "integer" => "Integer",
        "bigint" => "BigInt",
        "boolean" => "Bool",
        "double precision" => "Double",
        "date" => "Date",
        "timestamp" | "timestamp without time zone" => "Timestamp",
        "blob" | "bytea" => "Binary",
        other => panic!("a column type schema.rs cannot name: {other}"),
    };
    if nullable { format!("Nullable<{base}>") } else { base.to_owned() }
}

/// What the migrated database holds, as `diesel print-schema` reads it: tables, columns in order,
/// types and nullability.
fn migrated_schema(backend: trellis_e2e::Backend) -> std::collections::BTreeMap<String, Vec<(String, String)>> {
    use diesel::RunQueryDsl;
    let server = trellis_e2e::TestServer::start(backend);
    let query = match backend {
        trellis_e2e::Backend::Sqlite => {
            "SELECT m.name AS table_name, p.name AS column_name, p.type AS data_type, \
             (p.\"notnull\" = 0 AND p.pk = 0) AS nullable \
             FROM sqlite_master m JOIN pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '__diesel_schema_migrations' \
             ORDER BY m.name, p.cid"
        }
        trellis_e2e::Backend::Postgres => {
            "SELECT table_name::text AS table_name, column_name::text AS column_name, data_type::text AS data_type, \
             (is_nullable = 'YES') AS nullable FROM information_schema.columns \
             WHERE table_schema = 'public' AND table_name <> '__diesel_schema_migrations' \
             ORDER BY table_name, ordinal_position"
        }
    };
    let rows: Vec<Column> = match &mut server.db() {
        trellis_api::db::DbConn::Sqlite(c) => diesel::sql_query(query).load(c).unwrap(),
        trellis_api::db::DbConn::Pg(c) => diesel::sql_query(query).load(c).unwrap(),
    };
    let mut out = std::collections::BTreeMap::<String, Vec<(String, String)>>::new();
    for r in rows {
        out.entry(r.table_name).or_default().push((r.column_name, diesel_type(&r.data_type, r.nullable)));
    }
    out
}

/// `db/schema.rs` is what `diesel print-schema` reads off a migrated database, on both engines:
/// the same tables, columns in the same order, the same types and nullability. (Read here through
/// each engine's catalogue rather than by building diesel_cli, which would add minutes to CI.)
#[test]
fn schema_rs_matches_both_migrated_databases() {
    let declared = declared_schema();
    assert!(declared.len() >= 15, "only {} tables in schema.rs", declared.len());
    for backend in [trellis_e2e::Backend::Sqlite, trellis_e2e::Backend::Postgres] {
        let migrated = migrated_schema(backend);
        let tables =
            |m: &std::collections::BTreeMap<String, Vec<(String, String)>>| m.keys().cloned().collect::<Vec<_>>();
        assert_eq!(tables(&migrated), tables(&declared), "{backend:?}: tables");
        for (table, columns) in &declared {
            assert_eq!(&migrated[table], columns, "{backend:?}: columns of {table}");
        }
    }
}

/// Handlers read the time from the app state's `Clock`, never from the system.
#[test]
fn handlers_take_the_time_from_the_clock() {
    let mut faults = vec![];
    for (path, text) in sources(&root().join("crates/api/src/routes")) {
        for banned in ["crate::now()", "Utc::now()", "Local::now()", "SystemTime::now()"] {
            if text.contains(banned) {
                faults.push(format!("{} uses {banned}", path.display()));
            }
        }
    }
    assert!(faults.is_empty(), "{}", faults.join("\n"));
}

/// The API's tests are shaped like its code: one binary (`e2e/tests/api/`) with a module for every
/// feature under `crates/api/src/routes/`, beside the browser test and these invariants.
#[test]
fn api_tests_have_a_module_per_feature() {
    let tests = names(&root().join("e2e/tests"));
    let expected: BTreeSet<String> = ["api", "browser.rs", "invariants.rs"].iter().map(|s| s.to_string()).collect();
    assert_eq!(tests, expected, "e2e/tests holds the API binary, the browser test and the invariants");
    let modules = names(&root().join("e2e/tests/api"));
    for (feature, _) in features() {
        assert!(modules.contains(&format!("{feature}.rs")), "no e2e/tests/api/{feature}.rs for routes/{feature}");
    }
}

/// The wire types and the client are split as the routes are: a module per feature.
#[test]
fn wire_and_client_have_a_module_per_feature() {
    for krate in ["wire", "client"] {
        let modules = names(&root().join(format!("crates/{krate}/src")));
        for (feature, _) in features() {
            assert!(
                modules.contains(&format!("{feature}.rs")),
                "no crates/{krate}/src/{feature}.rs for routes/{feature}"
            );
        }
    }
}

/// A 360 answer cannot be joined back to its rater: the answers' table holds the round, the group
/// and the answers only (no rater id, no time), diesel may not put it in a query beside any other
/// table, and only the diagnostic data layer names it.
#[test]
fn a_360_answer_is_kept_apart_from_its_rater() {
    let schema = declared_schema();
    let columns: Vec<&str> = schema["diagnostic_responses"].iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(columns, ["id", "round_id", "rater_group", "answers"]);
    let text = std::fs::read_to_string(root().join("crates/api/src/db/schema.rs")).unwrap();
    let (_, together) = text.rsplit_once("allow_tables_to_appear_in_same_query!(").unwrap();
    assert!(!together.contains("diagnostic_responses"), "diagnostic_responses may be joined");
    assert!(!text.contains("joinable!(diagnostic_responses"), "diagnostic_responses has a join");
    let mut naming = vec![];
    for (path, text) in sources(&root().join("crates/api/src")) {
        if text.contains("diagnostic_responses") {
            naming.push(path.strip_prefix(root()).unwrap().display().to_string());
        }
    }
    naming.sort();
    assert_eq!(naming, ["crates/api/src/db/diagnostic.rs", "crates/api/src/db/schema.rs"]);
    for backend in ["sqlite", "postgres"] {
        let dir = root().join("migrations").join(backend).join("2026-12-02-000007_diagnostic/up.sql");
        let sql = std::fs::read_to_string(dir).unwrap();
        let table = sql.split("CREATE TABLE diagnostic_responses").nth(1).unwrap().split(");").next().unwrap();
        assert!(!table.contains("rater_id") && !table.contains("TIMESTAMP"), "{backend}: {table}");
    }
}
