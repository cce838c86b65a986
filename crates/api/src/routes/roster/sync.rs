//! `POST /roster/sync`: a school MIS's staff roster, as OneRoster JSON or a CSV bundle, matched by
//! MIS id within the caller's schools. Every row gets a result; a bad row is refused on its own.
//! Each school's changes are one transaction; a dry run computes the same results and writes nothing.

use std::collections::{HashMap, HashSet};

use actix_web::web::{Json, Payload, Query};
use actix_web::{HttpRequest, post};
use futures_util::StreamExt;
use trellis_domain::cohort::FieldFault;
use trellis_domain::ids::SchoolId;
use trellis_domain::roster::{Change, Incoming, RowOutcome, UserRow};
use trellis_wire::{
    FieldError, RosterRowResult, RosterSummary, RosterSync, RosterSyncParams, RosterSyncResult, RosterUser,
};
use uuid::Uuid;

use super::{Roster, bundle};
use crate::auth::Bearer;
use crate::db::allowed::{self, SchoolKey};
use crate::db::roster;
use crate::error::ApiError;
use crate::routes::{State, WriteErrors};

/// Largest roster body: 32 MiB (a 5,000-staff roster is about 1.5 MB as JSON).
const MAX_BODY: usize = 32 * 1024 * 1024;

/// A OneRoster 1.2 CSV bundle: `manifest.csv`, `orgs.csv`, `users.csv`, optionally `roles.csv`.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)] // documentation only
#[schema(value_type = String, format = Binary, content_media_type = "application/zip")]
pub struct RosterBundle(Vec<u8>);

/// Syncs a staff roster. Send OneRoster 1.2 JSON (`orgs` and `users`, each user with `roles`
/// naming their school) or a OneRoster 1.2 CSV bundle as `application/zip` (`manifest.csv`,
/// `orgs.csv`, `users.csv`, and `roles.csv` or OneRoster 1.1's `role`/`orgSourcedIds` columns).
///
/// Schools are matched by URN (`identifier`) or Trellis id among those the caller may staff
/// (its schools for an MIS client with `roster:write`; a school's leads; its trust's admins).
/// People are matched by `sourcedId` (their `mis_id`) within their school, or, when Trellis holds
/// someone with the same email and no MIS id, adopted. `status=tobedeleted` marks a leaver as
/// left: nothing is deleted, and their open enrolments are flagged `left_school_on` for the
/// school's leads to review. The same roster twice changes nothing. Each row's result says
/// `created`, `updated` (with the fields), `left`, `unchanged` or `refused` (with the reasons).
#[utoipa::path(
    operation_id = "sync_roster",
    tag = "roster",
    security(("bearer" = [])),
    params(RosterSyncParams),
    request_body(content(
        (RosterSync = "application/json"),
        (RosterBundle = "application/zip")
    )),
    responses((status = 200, body = RosterSyncResult), WriteErrors)
)]
#[post("/roster/sync")]
pub async fn sync_roster(
    state: State,
    caller: Bearer,
    req: HttpRequest,
    params: Query<RosterSyncParams>,
    mut payload: Payload,
) -> Result<Json<RosterSyncResult>, ApiError> {
    let media = req
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|m| m.trim().to_ascii_lowercase())
        .unwrap_or_default();
    let zip = matches!(media.as_str(), "application/zip" | "application/x-zip-compressed");
    if !zip && media != "application/json" {
        return Err(ApiError::new(
            actix_web::http::StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "send the roster as application/json or a OneRoster CSV bundle as application/zip",
        ));
    }
    let mut body = Vec::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| ApiError::bad_request("malformed_json", e.to_string()))?;
        if body.len() + chunk.len() > MAX_BODY {
            return Err(ApiError::new(
                actix_web::http::StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                format!("a roster is at most {} MiB; send it in parts (by school)", MAX_BODY / 1024 / 1024),
            ));
        }
        body.extend_from_slice(&chunk);
    }
    let roster = if zip {
        bundle::read(&body)?
    } else {
        let sync: RosterSync = serde_json::from_slice(&body).map_err(|e| crate::error::extractors::serde_error(&e))?;
        Roster::numbered(sync)
    };
    run(state, caller, roster, params.dry_run).await.map(Json)
}

/// Where a checked user row stands before its school's turn.
enum Pending {
    Refused(Vec<FieldFault>),
    /// At this school, checked.
    Ready(SchoolId, Incoming),
    /// A leaver with no school given whom none of the caller's schools holds: nothing to do.
    Unplaced,
}

/// A user row checked: the record or its faults, the org it names, and whether it named one.
type Checked = (Result<Incoming, Vec<FieldFault>>, Option<String>, bool);

/// The org a user row names: its primary role's, else its first role's, else `primaryOrg`.
fn org_of(u: &RosterUser) -> Option<(&str, &str)> {
    let role = u.roles.iter().find(|r| r.role_type.as_deref() == Some("primary")).or_else(|| u.roles.first());
    match role {
        Some(r) => Some((r.org.sourced_id.trim(), r.role.trim())),
        None => u.primary_org.as_ref().map(|o| (o.sourced_id.trim(), "")),
    }
}

fn fault(field: &str, code: &'static str, message: impl Into<String>) -> Vec<FieldFault> {
    vec![FieldFault::new(field, code, message)]
}

async fn run(state: State, caller: Bearer, roster: Roster, dry_run: bool) -> Result<RosterSyncResult, ApiError> {
    let (today, now) = (state.clock.today(), state.clock.now());
    let Roster { orgs, users } = roster;

    // Check every user row (no I/O) and note the schools they name.
    let checked: Vec<Checked> = users
        .iter()
        .map(|(_, u)| {
            let org = org_of(u);
            let staff_role = u.metadata.as_ref().and_then(|m| m.staff_role.as_deref()).unwrap_or("");
            let row = UserRow {
                sourced_id: &u.sourced_id,
                status: u.status.as_deref().unwrap_or(""),
                given_name: u.given_name.as_deref().unwrap_or(""),
                family_name: u.family_name.as_deref().unwrap_or(""),
                email: u.email.as_deref().unwrap_or(""),
                role: org.map_or("", |o| o.1),
                staff_role,
            };
            let incoming = trellis_domain::roster::check_user(&row);
            (incoming, org.map(|o| o.0.to_owned()).filter(|o| !o.is_empty()), org.is_some())
        })
        .collect();
    let named: HashSet<String> = checked.iter().filter_map(|(_, o, _)| o.clone()).collect();
    let leaver_ids: Vec<String> = checked
        .iter()
        .filter_map(|(i, o, _)| match (i, o) {
            (Ok(Incoming::Leaver { mis_id }), None) => Some(mis_id.clone()),
            _ => None,
        })
        .collect();

    // Resolve the orgs, the schools users name, and where role-less leavers are, in one read.
    let orgs_in = orgs.clone();
    let (org_results, school_of, leaver_at) = state
        .db
        .run_as(caller.clone(), move |conn, caller| {
            let staffable = allowed::roster_writer(conn, &caller)?;
            let mut results = Vec::new();
            let mut school_of: HashMap<String, SchoolId> = HashMap::new();
            for (row, org) in &orgs_in {
                let sourced = org.sourced_id.trim();
                let refusal = if org.status.as_deref() == Some("tobedeleted") {
                    Some(fault("status", "org_not_removable", "schools are closed by their trust, not by a roster"))
                } else if org.type_.as_deref().is_some_and(|t| t != "school") {
                    Some(fault("type", "not_a_school", "Trellis holds schools; other org types are not synced"))
                } else {
                    None
                };
                let school = match refusal {
                    Some(_) => None,
                    None => {
                        let by_urn = match org.identifier.as_deref().map(str::trim) {
                            Some(urn) if !urn.is_empty() => allowed::roster_school(conn, &caller, SchoolKey::Urn(urn))?,
                            _ => None,
                        };
                        match by_urn {
                            Some(s) => Some(s),
                            None => match Uuid::parse_str(sourced) {
                                Ok(id) => allowed::roster_school(conn, &caller, SchoolKey::Id(id.into()))?,
                                Err(_) => None,
                            },
                        }
                    }
                };
                let result = match (&school, refusal) {
                    (_, Some(f)) => refused(*row, sourced, f),
                    (None, None) => refused(
                        *row,
                        sourced,
                        fault("identifier", "unknown_org", "no school you may staff has this URN or id"),
                    ),
                    (Some(s), None) => {
                        school_of.insert(sourced.to_owned(), s.id);
                        RosterRowResult { school_id: Some(s.id.uuid()), ..result(*row, sourced, RowOutcome::Unchanged) }
                    }
                };
                results.push(result);
            }
            // A user may name a school by Trellis id or URN without an org row.
            for name in named {
                if school_of.contains_key(&name) {
                    continue;
                }
                let key = match Uuid::parse_str(&name) {
                    Ok(id) => SchoolKey::Id(id.into()),
                    Err(_) => SchoolKey::Urn(&name),
                };
                if let Some(s) = allowed::roster_school(conn, &caller, key)? {
                    school_of.insert(name.clone(), s.id);
                }
            }
            let all: Vec<_> = staffable.iter().collect();
            let mut leaver_at = HashMap::new();
            for mis in leaver_ids {
                let found = roster::find_leaver(conn, &all, &mis)?;
                leaver_at.insert(mis, found);
            }
            Ok((results, school_of, leaver_at))
        })
        .await?;

    // Place each row at its school, refusing repeats of a (school, sourcedId).
    let mut seen: HashMap<(SchoolId, String), u32> = HashMap::new();
    let mut pending = Vec::with_capacity(users.len());
    for ((row, _), (incoming, org, had_org)) in users.iter().zip(checked) {
        let p = match incoming {
            Err(f) => Pending::Refused(f),
            Ok(incoming) => match (org, &incoming) {
                (Some(org), _) => match school_of.get(&org) {
                    Some(s) => Pending::Ready(*s, incoming),
                    None => Pending::Refused(fault(
                        "roles.org.sourcedId",
                        "unknown_org",
                        format!("{org:?} is not a school of this roster or one you may staff"),
                    )),
                },
                (None, Incoming::Leaver { mis_id }) => match leaver_at.get(mis_id).map(Vec::as_slice) {
                    Some([s]) => Pending::Ready(*s, incoming),
                    Some([]) | None => Pending::Unplaced,
                    Some(_) => Pending::Refused(fault(
                        "roles",
                        "ambiguous_leaver",
                        "several of your schools hold this MIS id: name the school in roles",
                    )),
                },
                (None, Incoming::Staff(_)) => Pending::Refused(fault(
                    if had_org { "roles.org.sourcedId" } else { "roles" },
                    "required",
                    "name the school: a role with its org, or primaryOrg",
                )),
            },
        };
        let p = match p {
            Pending::Ready(s, incoming) => match seen.get(&(s, incoming.mis_id().to_owned())) {
                Some(first) => Pending::Refused(fault(
                    "sourcedId",
                    "duplicate_row",
                    format!("row {first} already gave this sourcedId for this school"),
                )),
                None => {
                    seen.insert((s, incoming.mis_id().to_owned()), *row);
                    Pending::Ready(s, incoming)
                }
            },
            other => other,
        };
        pending.push(p);
    }

    // Each school in turn: one transaction (or, for a dry run, one read) each.
    let mut by_school: HashMap<SchoolId, Vec<usize>> = HashMap::new();
    for (i, p) in pending.iter().enumerate() {
        if let Pending::Ready(s, _) = p {
            by_school.entry(*s).or_default().push(i);
        }
    }
    let mut schools: Vec<SchoolId> = by_school.keys().copied().collect();
    schools.sort();
    let pending = std::sync::Arc::new(pending);
    let mut applied: HashMap<usize, roster::Applied> = HashMap::new();
    for school_id in schools {
        let indices = by_school.remove(&school_id).unwrap_or_default();
        let pending = pending.clone();
        let job = move |conn: &mut crate::db::DbConn, caller: crate::auth::Caller| {
            let school = allowed::school_to_staff(conn, &caller, school_id)?;
            let rows: Vec<(usize, &Incoming)> = indices
                .iter()
                .filter_map(|&i| match &pending[i] {
                    Pending::Ready(_, incoming) => Some((i, incoming)),
                    _ => None,
                })
                .collect();
            let done = roster::sync_school(conn, &school, &rows, today, now, !dry_run)?;
            if !dry_run {
                let mut counts: HashMap<&'static str, u32> = HashMap::new();
                for a in &done {
                    *counts.entry(a.change.outcome().as_str()).or_default() += 1;
                }
                let flagged: u32 = done.iter().map(|a| a.flagged).sum();
                let data = serde_json::json!({ "rows": done.len(), "outcomes": counts, "flagged_enrolments": flagged });
                crate::db::webhooks::roster_synced(conn, &school.id.to_string(), data, now)?;
            }
            Ok(done)
        };
        let done = if dry_run {
            state.db.run_as(caller.clone(), job).await?
        } else {
            state.db.tx_as(caller.clone(), job).await?
        };
        applied.extend(done.into_iter().map(|a| (a.index, a)));
    }

    let mut summary = RosterSummary::default();
    let mut results = Vec::with_capacity(users.len());
    for (i, ((row, u), p)) in users.iter().zip(pending.iter()).enumerate() {
        let sourced = u.sourced_id.trim();
        let r = match (p, applied.remove(&i)) {
            (Pending::Refused(f), _) => refused(*row, sourced, f.clone()),
            (Pending::Unplaced, _) => result(*row, sourced, RowOutcome::Unchanged),
            (Pending::Ready(s, _), Some(a)) => RosterRowResult {
                school_id: Some(s.uuid()),
                person_id: a.person_id.as_deref().and_then(|p| Uuid::parse_str(p).ok()),
                changed: match &a.change {
                    Change::Update { fields } => fields.iter().map(|f| (*f).to_owned()).collect(),
                    _ => vec![],
                },
                flagged_enrolments: a.flagged,
                ..result(*row, sourced, a.change.outcome())
            },
            (Pending::Ready(..), None) => return Err(ApiError::internal("a roster row its school did not answer")),
        };
        match r.outcome {
            RowOutcome::Created => summary.created += 1,
            RowOutcome::Updated => summary.updated += 1,
            RowOutcome::Left => summary.left += 1,
            RowOutcome::Unchanged => summary.unchanged += 1,
            RowOutcome::Refused => summary.refused += 1,
        }
        summary.flagged_enrolments += r.flagged_enrolments;
        results.push(r);
    }
    Ok(RosterSyncResult { dry_run, summary, orgs: org_results, users: results })
}

fn result(row: u32, sourced_id: &str, outcome: RowOutcome) -> RosterRowResult {
    RosterRowResult {
        row,
        sourced_id: sourced_id.to_owned(),
        outcome,
        school_id: None,
        person_id: None,
        changed: vec![],
        flagged_enrolments: 0,
        code: None,
        errors: vec![],
    }
}

fn refused(row: u32, sourced_id: &str, faults: Vec<FieldFault>) -> RosterRowResult {
    RosterRowResult {
        code: faults.first().map(|f| f.code.to_owned()),
        errors: faults.into_iter().map(FieldError::from).collect(),
        ..result(row, sourced_id, RowOutcome::Refused)
    }
}
