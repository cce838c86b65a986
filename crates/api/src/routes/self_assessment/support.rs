//! `/schools/{id}/support` and `/support-allocations/{id}/reviews/{term}`: the support a trust
//! allocates a school (what, who, hours) and its termly reviews.

use std::collections::HashMap;

use actix_web::web::{Json, Path};
use actix_web::{HttpResponse, get, post, put};
use trellis_domain::expectations::{self as rules, SupportDecision, TermKey};
use trellis_domain::ids::SchoolId;
use trellis_wire::{CreateSupport, ReviewSupport, Support, SupportList, SupportReview, SupportStatus};
use validator::Validate;

use crate::auth::{Bearer, Caller};
use crate::db::DbConn;
use crate::db::allowed::expectations::{self as allowed, support};
use crate::db::expectations::{self as db, ReviewRow, SupportRow};
use crate::db::facts::uuid;
use crate::db::partnerships::PlaceRow;
use crate::error::ApiError;
use crate::paging::new_id;
use crate::routes::{ReadErrors, State, WriteErrors};

/// A piece of support's reviews as (term, decision), and where that leaves it.
fn standing(reviews: &[ReviewRow]) -> Result<(Vec<(TermKey, SupportDecision)>, SupportStatus), ApiError> {
    let decisions: Vec<(TermKey, SupportDecision)> = reviews
        .iter()
        .map(|r| Ok((r.term.parse().map_err(ApiError::internal)?, r.decision.parse().map_err(ApiError::internal)?)))
        .collect::<Result<_, ApiError>>()?;
    let status = match decisions.iter().find(|(_, d)| *d != SupportDecision::Continue) {
        Some((_, SupportDecision::Complete)) => SupportStatus::Complete,
        Some(_) => SupportStatus::Stopped,
        None => SupportStatus::Active,
    };
    Ok((decisions, status))
}

fn view(
    caller: &Caller,
    school: &PlaceRow,
    row: &SupportRow,
    reviews: &[ReviewRow],
    current: TermKey,
) -> Result<Support, ApiError> {
    let term: TermKey = row.term.parse().map_err(ApiError::internal)?;
    let (decisions, status) = standing(reviews)?;
    let active = status == SupportStatus::Active;
    Ok(Support {
        id: uuid(&row.id)?,
        school_id: school.facts.id.uuid(),
        term,
        what: row.what.clone(),
        provided_by: row.provided_by.clone(),
        hours: row.hours,
        status,
        hours_used: reviews.iter().map(|r| r.hours_used).sum(),
        reviews: reviews
            .iter()
            .zip(&decisions)
            .map(|(r, (term, decision))| SupportReview {
                term: *term,
                hours_used: r.hours_used,
                impact: r.impact.clone(),
                decision: *decision,
                reviewed_at: r.reviewed_at.and_utc(),
            })
            .collect(),
        reviews_overdue: rules::reviews_overdue(term, &decisions, current),
        review_due: active && term <= current && !decisions.iter().any(|(t, _)| *t == current),
        reviewable: allowed::may_manage_support(caller, school.facts),
        created_at: row.created_at.and_utc(),
    })
}

/// For the heatmap: each school's hours of running support and reviews overdue.
pub(super) fn running(
    conn: &mut DbConn,
    school_ids: &[String],
    current: TermKey,
) -> Result<HashMap<String, (f64, u32)>, ApiError> {
    let rows = db::support_of(conn, school_ids)?;
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    let reviews = db::reviews_of(conn, &ids)?;
    let mut out: HashMap<String, (f64, u32)> = HashMap::new();
    for r in &rows {
        let list = reviews.get(&r.id).map(Vec::as_slice).unwrap_or_default();
        let (decisions, status) = standing(list)?;
        let term: TermKey = r.term.parse().map_err(ApiError::internal)?;
        let entry = out.entry(r.school_id.clone()).or_default();
        if status == SupportStatus::Active {
            entry.0 += r.hours;
        }
        entry.1 += rules::reviews_overdue(term, &decisions, current).len() as u32;
    }
    Ok(out)
}

fn list(conn: &mut DbConn, caller: &Caller, school: &PlaceRow, current: TermKey) -> Result<SupportList, ApiError> {
    let rows = db::support_of(conn, &[school.facts.id.to_string()])?;
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    let reviews = db::reviews_of(conn, &ids)?;
    let items = rows
        .iter()
        .map(|r| view(caller, school, r, reviews.get(&r.id).map(Vec::as_slice).unwrap_or_default(), current))
        .collect::<Result<_, _>>()?;
    Ok(SupportList { items, allocate: allowed::may_manage_support(caller, school.facts) })
}

/// The support the trust allocated a school, newest first, with each piece's termly reviews and
/// the reviews still owed. The school's leads and the trust's admins read it.
#[utoipa::path(
    operation_id = "list_school_support",
    tag = "self_assessment",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = SupportList), ReadErrors)
)]
#[get("/schools/{id}/support")]
pub async fn list_school_support(
    state: State,
    caller: Bearer,
    id: Path<SchoolId>,
) -> Result<Json<SupportList>, ApiError> {
    let id = id.into_inner();
    let today = state.clock.today();
    let out = state
        .db
        .run_as(caller, move |conn, caller| {
            let school = allowed::support_school::<support::Read>(conn, &caller, id)?;
            list(conn, &caller, &school, TermKey::of(today))
        })
        .await?;
    Ok(Json(out))
}

/// Half hours, from 0 (a review's hours used) or 0.5 up to 1,000.
fn check_hours(field: &str, hours: f64, least: f64) -> Result<(), ApiError> {
    if !(least..=1000.0).contains(&hours) || (hours * 2.0).fract() != 0.0 {
        return Err(ApiError::field("invalid_hours", field, format!("hours in half hours, from {least} to 1,000")));
    }
    Ok(())
}

/// Allocates support to a school (the trust's admins): what, who provides it, how many hours,
/// from which term (the current one unless given; not one still to come). It is reviewed each
/// term until a review completes or stops it.
#[utoipa::path(
    operation_id = "create_school_support",
    tag = "self_assessment",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    request_body = CreateSupport,
    responses((status = 201, body = Support), WriteErrors)
)]
#[post("/schools/{id}/support")]
pub async fn create_school_support(
    state: State,
    caller: Bearer,
    id: Path<SchoolId>,
    body: Json<CreateSupport>,
) -> Result<HttpResponse, ApiError> {
    let (id, body) = (id.into_inner(), body.into_inner());
    let clock = state.clock;
    let out = state
        .db
        .tx_as(caller, move |conn, caller| {
            let school = allowed::support_school::<support::Manage>(conn, &caller, id)?;
            body.validate()?;
            check_hours("hours", body.hours, 0.5)?;
            let now = clock.now();
            let current = TermKey::of(now.date());
            let term = body.term.unwrap_or(current);
            if term > current {
                return Err(super::refused(rules::ExpectationError::FutureTerm(term)));
            }
            let row = SupportRow {
                id: new_id(),
                school_id: school.facts.id.to_string(),
                term: term.to_string(),
                what: body.what.trim().to_owned(),
                provided_by: body.provided_by.trim().to_owned(),
                hours: body.hours,
                created_by: caller.actor(),
                created_at: now,
            };
            db::insert_support(conn, &row)?;
            view(&caller, &school, &row, &[], current)
        })
        .await?;
    Ok(HttpResponse::Created().json(out))
}

/// Records the term's review of a piece of support (the trust's admins): hours used, its impact,
/// and whether it continues, is complete or stops. Saving the same term again replaces that
/// review. Terms before it was allocated, still to come, or after a review ended it are refused.
#[utoipa::path(
    operation_id = "update_support_review",
    tag = "self_assessment",
    security(("bearer" = [])),
    params(("id" = Uuid, Path), ("term" = TermKey, Path)),
    request_body = ReviewSupport,
    responses((status = 200, body = Support), WriteErrors)
)]
#[put("/support-allocations/{id}/reviews/{term}")]
pub async fn update_support_review(
    state: State,
    caller: Bearer,
    path: Path<(uuid::Uuid, TermKey)>,
    body: Json<ReviewSupport>,
) -> Result<Json<Support>, ApiError> {
    let ((id, term), body) = (path.into_inner(), body.into_inner());
    let clock = state.clock;
    let out = state
        .db
        .tx_as(caller, move |conn, caller| {
            let s = allowed::support_allocation::<support::Manage>(conn, &caller, id)?;
            body.validate()?;
            check_hours("hours_used", body.hours_used, 0.0)?;
            let now = clock.now();
            let current = TermKey::of(now.date());
            let allocated: TermKey = s.row.term.parse().map_err(ApiError::internal)?;
            if term < allocated || term > current {
                return Err(ApiError::field(
                    "review_term_out_of_range",
                    "term",
                    format!("reviews run from {} to the current term, {}", allocated.label(), current.label()),
                ));
            }
            let reviews = db::reviews_of(conn, &[s.row.id.as_str()])?.remove(&s.row.id).unwrap_or_default();
            let (decisions, _) = standing(&reviews)?;
            if let Some((ended, _)) = decisions.iter().find(|(t, d)| *d != SupportDecision::Continue && *t < term) {
                return Err(ApiError::conflict(
                    "support_ended",
                    format!("this support ended with its {} review", ended.label()),
                ));
            }
            db::save_review(
                conn,
                &ReviewRow {
                    support_id: s.row.id.clone(),
                    term: term.to_string(),
                    hours_used: body.hours_used,
                    impact: body.impact.trim().to_owned(),
                    decision: body.decision.as_str().into(),
                    reviewed_by: caller.actor(),
                    reviewed_at: now,
                },
            )?;
            let reviews = db::reviews_of(conn, &[s.row.id.as_str()])?.remove(&s.row.id).unwrap_or_default();
            view(&caller, &s.school, &s.row, &reviews, current)
        })
        .await?;
    Ok(Json(out))
}
