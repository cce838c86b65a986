//! The OneRoster 1.2 REST read of staff and schools (`/ims/oneroster/rostering/v1p2/…`), so an
//! off-the-shelf OneRoster consumer can read Trellis: `limit`/`offset` paging with the total in
//! `X-Total-Count`, `filter=dateLastModified>'…'` for deltas (leavers come as `tobedeleted`).
//! The caller sees the schools whose people it may list, and their people.

use actix_web::web::Query;
use actix_web::{HttpResponse, get};
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use trellis_domain::roster::{RecordStatus, oneroster_role};
use trellis_wire::{
    OneRosterOrg, OneRosterOrgs, OneRosterParams, OneRosterRef, OneRosterRole, OneRosterUser, OneRosterUserId,
    OneRosterUsers, RosterMetadata,
};

use crate::auth::Bearer;
use crate::db::allowed;
use crate::db::facts::uuid;
use crate::db::roster::{self, RosterQuery};
use crate::error::ApiError;
use crate::routes::{ReadErrors, State};

const BASE: &str = "/ims/oneroster/rostering/v1p2";

fn invalid_filter(message: impl Into<String>) -> ApiError {
    ApiError::bad_param("invalid_filter", "filter", message)
}

/// `limit`, `offset` and the one predicate of `filter` Trellis applies.
fn query(p: &OneRosterParams) -> Result<RosterQuery, ApiError> {
    let limit = p.limit.unwrap_or(100);
    if !(1..=1000).contains(&limit) {
        return Err(ApiError::bad_param("invalid_limit", "limit", "limit is 1 to 1000"));
    }
    let offset = p.offset.unwrap_or(0);
    if offset > 1_000_000_000 {
        return Err(ApiError::bad_param("invalid_query", "offset", "offset is 0 to 1,000,000,000"));
    }
    let mut q = RosterQuery { modified_after: None, left: None, limit: limit.into(), offset: offset.into() };
    let Some(filter) = p.filter.as_deref() else { return Ok(q) };
    if filter != filter.trim() || filter.is_empty() {
        return Err(invalid_filter(
            "give one predicate, such as dateLastModified>'2026-09-01T00:00:00Z', without spaces",
        ));
    }
    let (field, op, value) = [">=", ">", "="]
        .iter()
        .find_map(|op| filter.split_once(op).map(|(f, v)| (f.trim(), *op, v.trim())))
        .ok_or_else(|| invalid_filter("give one predicate, such as dateLastModified>'2026-09-01T00:00:00Z'"))?;
    let value = value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')).unwrap_or(value);
    match (field, op) {
        ("dateLastModified", ">" | ">=") => {
            let at: NaiveDateTime = match chrono::DateTime::parse_from_rfc3339(value) {
                Ok(t) => t.naive_utc(),
                Err(_) => NaiveDate::parse_from_str(value, "%Y-%m-%d")
                    .map_err(|_| invalid_filter(format!("{value:?} is not an RFC 3339 instant or a date")))?
                    .and_time(chrono::NaiveTime::MIN),
            };
            if !crate::dates::SINCE_YEARS.contains(&at.year()) {
                return Err(invalid_filter("dateLastModified must fall between the years 1900 and 9999"));
            }
            q.modified_after = Some((at, op == ">="));
        }
        ("status", "=") => {
            let status: RecordStatus =
                value.parse().map_err(|_| invalid_filter("status is 'active' or 'tobedeleted'"))?;
            q.left = Some(status == RecordStatus::ToBeDeleted);
        }
        _ => {
            return Err(invalid_filter(
                "Trellis filters on dateLastModified (> or >=) or status (=), one predicate at a time",
            ));
        }
    }
    Ok(q)
}

fn org_ref(id: &str) -> OneRosterRef {
    OneRosterRef { sourced_id: id.to_owned(), href: Some(format!("{BASE}/orgs/{id}")), type_: Some("org".into()) }
}

/// Staff of the caller's schools as OneRoster users: `sourcedId` is Trellis's person id, the MIS's
/// own id is in `userIds`, a leaver is `tobedeleted`, and `metadata.trellis.staffRole` has
/// Trellis's finer role.
#[utoipa::path(
    operation_id = "list_oneroster_users",
    tag = "roster",
    security(("bearer" = [])),
    params(OneRosterParams),
    responses(
        (status = 200, body = OneRosterUsers, headers(("X-Total-Count" = u64, description = "How many users match, across all pages"))),
        ReadErrors
    )
)]
#[get("/ims/oneroster/rostering/v1p2/users")]
pub async fn list_oneroster_users(
    state: State,
    caller: Bearer,
    params: Query<OneRosterParams>,
) -> Result<HttpResponse, ApiError> {
    let q = query(&params)?;
    let (users, total) = state
        .db
        .run_as(caller, move |conn, caller| {
            let scope = allowed::roster_schools(conn, &caller)?;
            let (rows, total) = roster::roster_people(conn, &scope, &q)?;
            let users = rows
                .into_iter()
                .map(|p| {
                    let staff_role = p.staff_role.parse().map_err(ApiError::internal)?;
                    Ok(OneRosterUser {
                        sourced_id: uuid(&p.id)?,
                        status: if p.left_on.is_some() { RecordStatus::ToBeDeleted } else { RecordStatus::Active },
                        date_last_modified: p.updated_at.and_utc(),
                        enabled_user: p.left_on.is_none(),
                        username: p.email.clone().or_else(|| p.mis_id.clone()).unwrap_or_else(|| p.id.clone()),
                        user_ids: p
                            .mis_id
                            .iter()
                            .map(|m| OneRosterUserId { type_: "MIS".into(), identifier: m.clone() })
                            .collect(),
                        given_name: p.given_name,
                        family_name: p.family_name,
                        email: p.email,
                        roles: vec![OneRosterRole {
                            role_type: Some("primary".into()),
                            role: oneroster_role(staff_role).into(),
                            org: org_ref(p.school_id.as_deref().unwrap_or_default()),
                        }],
                        primary_org: org_ref(p.school_id.as_deref().unwrap_or_default()),
                        metadata: RosterMetadata { staff_role: Some(staff_role.as_str().into()) },
                    })
                })
                .collect::<Result<Vec<_>, ApiError>>()?;
            Ok((users, total))
        })
        .await?;
    Ok(HttpResponse::Ok().insert_header(("X-Total-Count", total.to_string())).json(OneRosterUsers { users }))
}

/// The caller's schools as OneRoster orgs (`sourcedId` is Trellis's school id, `identifier` its
/// URN, `parent` its trust).
#[utoipa::path(
    operation_id = "list_oneroster_orgs",
    tag = "roster",
    security(("bearer" = [])),
    params(OneRosterParams),
    responses(
        (status = 200, body = OneRosterOrgs, headers(("X-Total-Count" = u64, description = "How many orgs match, across all pages"))),
        ReadErrors
    )
)]
#[get("/ims/oneroster/rostering/v1p2/orgs")]
pub async fn list_oneroster_orgs(
    state: State,
    caller: Bearer,
    params: Query<OneRosterParams>,
) -> Result<HttpResponse, ApiError> {
    let q = query(&params)?;
    let (orgs, total) = state
        .db
        .run_as(caller, move |conn, caller| {
            let scope = allowed::roster_schools(conn, &caller)?;
            let (rows, total) = roster::roster_schools(conn, &scope, &q)?;
            let orgs = rows
                .into_iter()
                .map(|s| {
                    Ok(OneRosterOrg {
                        sourced_id: uuid(&s.id)?,
                        status: RecordStatus::Active,
                        date_last_modified: s.updated_at.and_utc(),
                        name: s.name,
                        type_: "school".into(),
                        identifier: s.urn,
                        parent: s.trust_id.as_deref().map(|t| OneRosterRef {
                            sourced_id: t.to_owned(),
                            href: None,
                            type_: Some("org".into()),
                        }),
                    })
                })
                .collect::<Result<Vec<_>, ApiError>>()?;
            Ok((orgs, total))
        })
        .await?;
    Ok(HttpResponse::Ok().insert_header(("X-Total-Count", total.to_string())).json(OneRosterOrgs { orgs }))
}
