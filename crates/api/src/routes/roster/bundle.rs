//! A OneRoster 1.2 CSV bundle: a zip holding `manifest.csv` (`propertyName,value`), `orgs.csv`,
//! `users.csv` and, optionally, `roles.csv`, read by their columns' names as the CSV binding
//! spells them. Rows keep their line numbers for the result.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use trellis_wire::{OneRosterRef, OneRosterRole, RosterMetadata, RosterOrg, RosterUser};

use super::Roster;
use crate::error::ApiError;

/// Largest file read out of a bundle (a guard against zip bombs): 64 MiB.
const MAX_FILE: u64 = 64 * 1024 * 1024;

fn refuse(field: &str, message: impl Into<String>) -> ApiError {
    ApiError::field("invalid_bundle", field, message)
}

/// A CSV file's rows as maps from column name to value, each with its line number.
struct Table {
    rows: Vec<(u32, HashMap<String, String>)>,
}

impl Table {
    fn read(name: &'static str, bytes: &[u8], required: &[&str]) -> Result<Table, ApiError> {
        let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
        let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(bytes);
        let headers: Vec<String> = reader
            .headers()
            .map_err(|e| refuse(name, format!("{name}: {e}")))?
            .iter()
            .map(|h| h.trim().to_owned())
            .collect();
        for column in required {
            if !headers.iter().any(|h| h == column) {
                return Err(refuse(&format!("{name}:{column}"), format!("{name} has no {column} column")));
            }
        }
        let mut rows = Vec::new();
        for record in reader.records() {
            let record = record.map_err(|e| refuse(name, format!("{name}: {e}")))?;
            let line = record.position().map_or(0, |p| u32::try_from(p.line()).unwrap_or(u32::MAX));
            let row = headers.iter().cloned().zip(record.iter().map(str::to_owned)).collect();
            rows.push((line, row));
        }
        Ok(Table { rows })
    }
}

fn get<'a>(row: &'a HashMap<String, String>, column: &str) -> &'a str {
    row.get(column).map_or("", |v| v.trim())
}

fn some(row: &HashMap<String, String>, column: &str) -> Option<String> {
    Some(get(row, column)).filter(|v| !v.is_empty()).map(str::to_owned)
}

/// Reads the bundle into the same roster a JSON sync sends, with the CSV line numbers.
pub fn read(bytes: &[u8]) -> Result<Roster, ApiError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| refuse("bundle", format!("the body is not a zip archive ({e})")))?;
    let mut file = |name: &'static str| -> Result<Option<Vec<u8>>, ApiError> {
        let Ok(entry) = zip.by_name(name) else { return Ok(None) };
        let mut out = Vec::new();
        entry
            .take(MAX_FILE + 1)
            .read_to_end(&mut out)
            .map_err(|e| refuse(name, format!("{name} cannot be read ({e})")))?;
        if out.len() as u64 > MAX_FILE {
            return Err(refuse(name, format!("{name} is larger than {} MiB", MAX_FILE / 1024 / 1024)));
        }
        Ok(Some(out))
    };
    let manifest = file("manifest.csv")?.ok_or_else(|| refuse("manifest.csv", "the bundle has no manifest.csv"))?;
    let orgs = file("orgs.csv")?;
    let users = file("users.csv")?;
    let roles = file("roles.csv")?;

    let manifest = Table::read("manifest.csv", &manifest, &["propertyName", "value"])?;
    let property =
        |p: &str| manifest.rows.iter().find(|(_, r)| get(r, "propertyName") == p).map(|(_, r)| get(r, "value"));
    match property("oneroster.version") {
        Some("1.2" | "1.1") => {}
        other => {
            return Err(refuse(
                "manifest.csv:oneroster.version",
                format!("oneroster.version is {other:?}; Trellis reads 1.2 (and 1.1) bundles"),
            ));
        }
    }
    // A file the manifest marks `absent` is not read even if present.
    let listed = |p: &str, bytes: Option<Vec<u8>>| match property(p) {
        Some("absent") => Ok(None),
        Some("bulk" | "delta") | None => Ok(bytes),
        Some(other) => {
            Err(refuse(&format!("manifest.csv:{p}"), format!("{p} is {other:?}, not bulk, delta or absent")))
        }
    };
    let users = listed("file.users", users)?
        .ok_or_else(|| refuse("users.csv", "the bundle has no users.csv (or the manifest marks it absent)"))?;
    let orgs = listed("file.orgs", orgs)?;
    let roles = listed("file.roles", roles)?;

    let mut roster = Roster::default();
    if let Some(orgs) = orgs {
        let table = Table::read("orgs.csv", &orgs, &["sourcedId"])?;
        for (line, r) in &table.rows {
            roster.orgs.push((
                *line,
                RosterOrg {
                    sourced_id: get(r, "sourcedId").to_owned(),
                    status: some(r, "status"),
                    name: some(r, "name"),
                    type_: some(r, "type"),
                    identifier: some(r, "identifier"),
                },
            ));
        }
    }
    let mut roles_of: HashMap<String, Vec<OneRosterRole>> = HashMap::new();
    if let Some(roles) = roles {
        let table = Table::read("roles.csv", &roles, &["userSourcedId", "role", "orgSourcedId"])?;
        for (_, r) in &table.rows {
            // A role being removed is not where they work.
            if get(r, "status") == "tobedeleted" {
                continue;
            }
            roles_of.entry(get(r, "userSourcedId").to_owned()).or_default().push(OneRosterRole {
                role_type: some(r, "roleType"),
                role: get(r, "role").to_owned(),
                org: OneRosterRef { sourced_id: get(r, "orgSourcedId").to_owned(), href: None, type_: None },
            });
        }
    }
    let table = Table::read("users.csv", &users, &["sourcedId", "givenName", "familyName"])?;
    for (line, r) in &table.rows {
        let sourced_id = get(r, "sourcedId").to_owned();
        let mut roles = roles_of.remove(&sourced_id).unwrap_or_default();
        // OneRoster 1.1's users.csv carries the role and the orgs itself.
        if roles.is_empty()
            && let Some(orgs) = some(r, "orgSourcedIds")
        {
            for (i, org) in orgs.split(',').map(str::trim).filter(|o| !o.is_empty()).enumerate() {
                roles.push(OneRosterRole {
                    role_type: Some(if i == 0 { "primary" } else { "secondary" }.into()),
                    role: get(r, "role").to_owned(),
                    org: OneRosterRef { sourced_id: org.to_owned(), href: None, type_: None },
                });
            }
        }
        roster.users.push((
            *line,
            RosterUser {
                sourced_id,
                status: some(r, "status"),
                given_name: some(r, "givenName"),
                family_name: some(r, "familyName"),
                email: some(r, "email"),
                roles,
                primary_org: some(r, "primaryOrgSourcedId").map(|s| OneRosterRef {
                    sourced_id: s,
                    href: None,
                    type_: None,
                }),
                metadata: some(r, "metadata.trellis.staffRole").map(|s| RosterMetadata { staff_role: Some(s) }),
            },
        ));
    }
    Ok(roster)
}
