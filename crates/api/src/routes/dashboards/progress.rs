//! Trust progress: every enrolment in the caller's scope across all cohorts and schools, evaluated
//! against its programme's rules; the schools × programmes summary behind the trust dashboard; and
//! both as CSV.

use actix_web::web::{Json, Query};
use actix_web::{HttpResponse, get};
use chrono::NaiveDate;
use trellis_domain::dashboard::{Counted, Tally};
use trellis_wire::{ProgressFeed, ProgressFeedParams, ProgressItem, ProgressSummary, ProgressSummaryRow};

use crate::auth::Bearer;
use crate::db::allowed;
use crate::db::dashboards::{self, Cells, Evaluated, Filters};
use crate::db::facts::uuid;
use crate::error::ApiError;
use crate::paging::PageRequest;
use crate::routes::{ReadErrors, State};

use crate::export::csv_download;

fn filters(p: &ProgressFeedParams) -> Filters {
    Filters {
        programme_id: p.programme_id.map(|u| u.to_string()),
        cohort_id: p.cohort_id.map(|u| u.to_string()),
        school_id: p.school_id.map(|u| u.to_string()),
        status: p.status,
    }
}

fn item(e: Evaluated) -> Result<ProgressItem, ApiError> {
    use trellis_domain::EnrolmentStatus as S;
    let r = e.row;
    Ok(ProgressItem {
        enrolment_id: uuid(&r.id)?,
        person_id: uuid(&r.person_id)?,
        person_name: format!("{} {}", r.given_name, r.family_name),
        mis_id: r.mis_id,
        programme_id: uuid(&r.programme_id)?,
        programme_name: r.programme_name,
        cohort_id: uuid(&r.cohort_id)?,
        cohort_name: r.cohort_name,
        school_id: uuid(&r.school_id)?,
        school_name: r.school_name,
        school_urn: r.school_urn,
        status: e.status,
        tombstone: matches!(e.status, S::Withdrawn | S::Deferred),
        left_school_on: r.left_school_on,
        met: e.met,
        total: e.total,
        overdue: e.overdue,
        overdue_items: e.overdue_items,
        certifiable: e.certifiable,
        sessions_attended: e.sessions_attended,
        sessions_marked: e.sessions_marked,
        updated_at: r.updated_at.and_utc(),
    })
}

/// Progress per enrolment across every cohort and school the caller may read (a trust admin: their
/// trust; a school lead: their school; an MIS client with `progress:read`: its schools), by
/// enrolment id. A withdrawn or deferred enrolment stays in the feed as a `tombstone`, so a delta
/// sync with `updated_since` sees it leave.
#[utoipa::path(
    operation_id = "list_progress",
    tag = "dashboards",
    security(("bearer" = [])),
    params(ProgressFeedParams),
    responses((status = 200, body = ProgressFeed), ReadErrors)
)]
#[get("/progress")]
pub async fn list_progress(
    state: State,
    caller: Bearer,
    params: Query<ProgressFeedParams>,
) -> Result<Json<ProgressFeed>, ApiError> {
    let page = PageRequest::parse(&params.paging())?;
    let today = crate::dates::as_of(params.as_of, &state.clock)?;
    let filters = filters(&params);
    let out = state
        .db
        .run_as(caller, move |conn, caller| {
            let scope = allowed::enrolments_across_cohorts(&caller);
            let rows = dashboards::feed_page(conn, &scope, &filters, &page)?;
            let (rows, next_cursor) = page.finish(rows, |r| &r.id);
            let items =
                dashboards::evaluate_rows(conn, rows, today)?.into_iter().map(item).collect::<Result<_, _>>()?;
            Ok(ProgressFeed { items, next_cursor })
        })
        .await?;
    Ok(Json(out))
}

/// Every enrolment in scope that matches, evaluated a chunk at a time and folded into `acc`.
async fn fold<T: Send + 'static>(
    state: &State,
    caller: Bearer,
    params: &ProgressFeedParams,
    acc: T,
    mut f: impl FnMut(&mut T, Evaluated) -> Result<(), ApiError> + Send + 'static,
) -> Result<(T, NaiveDate), ApiError> {
    let today = crate::dates::as_of(params.as_of, &state.clock)?;
    let filters = filters(params);
    let acc = state
        .db
        .run_as(caller, move |conn, caller| {
            let scope = allowed::enrolments_across_cohorts(&caller);
            let mut acc = acc;
            dashboards::feed_all(conn, &scope, &filters, |conn, rows| {
                dashboards::evaluate_rows(conn, rows, today)?.into_iter().try_for_each(|e| f(&mut acc, e))
            })?;
            Ok(acc)
        })
        .await?;
    Ok((acc, today))
}

fn counted(e: &Evaluated) -> Counted {
    Counted {
        status: e.status,
        met: e.met,
        total: e.total,
        overdue: e.overdue,
        sessions_attended: e.sessions_attended,
        sessions_marked: e.sessions_marked,
        left_school: e.row.left_school_on.is_some(),
    }
}

async fn summary(state: &State, caller: Bearer, params: &ProgressFeedParams) -> Result<ProgressSummary, ApiError> {
    let (cells, as_of) = fold(state, caller, params, Cells::new(), |cells, e| {
        let key = (
            e.row.school_name.clone(),
            e.row.school_id.clone(),
            e.row.programme_name.clone(),
            e.row.programme_id.clone(),
        );
        cells.entry(key).or_default().add(counted(&e));
        Ok(())
    })
    .await?;
    let mut totals = Tally::default();
    let mut rows = Vec::with_capacity(cells.len());
    for ((school_name, school_id, programme_name, programme_id), tally) in cells {
        totals.merge(&tally);
        rows.push(ProgressSummaryRow {
            school_id: uuid(&school_id)?,
            school_name,
            programme_id: uuid(&programme_id)?,
            programme_name,
            tally,
        });
    }
    Ok(ProgressSummary { as_of, rows, totals })
}

/// The trust dashboard's grid: the enrolments in scope that match, tallied by school and programme
/// (completion, attendance, overdue requirements), with the totals. Paging fields are ignored.
#[utoipa::path(
    operation_id = "get_progress_summary",
    tag = "dashboards",
    security(("bearer" = [])),
    params(ProgressFeedParams),
    responses((status = 200, body = ProgressSummary), ReadErrors)
)]
#[get("/progress/summary")]
pub async fn get_progress_summary(
    state: State,
    caller: Bearer,
    params: Query<ProgressFeedParams>,
) -> Result<Json<ProgressSummary>, ApiError> {
    PageRequest::parse(&params.paging())?;
    Ok(Json(summary(&state, caller, &params).await?))
}

const PROGRESS_COLUMNS: [&str; 19] = [
    "enrolment_id",
    "person_name",
    "mis_id",
    "school_urn",
    "school_name",
    "programme_name",
    "cohort_name",
    "status",
    "tombstone",
    "left_school_on",
    "requirements_met",
    "requirements_total",
    "overdue",
    "overdue_items",
    "certifiable",
    "sessions_attended",
    "sessions_marked",
    "updated_at",
    "as_of",
];

/// Every enrolment in scope that matches, as CSV (the `list_progress` columns, one row each, by
/// enrolment id; cells a spreadsheet would run as formulas are defused).
#[utoipa::path(
    operation_id = "export_progress",
    tag = "dashboards",
    security(("bearer" = [])),
    params(ProgressFeedParams),
    responses((status = 200, description = "RFC 4180 CSV with a header row", content_type = "text/csv", body = String), ReadErrors)
)]
#[get("/progress/export")]
pub async fn export_progress(
    state: State,
    caller: Bearer,
    params: Query<ProgressFeedParams>,
) -> Result<HttpResponse, ApiError> {
    PageRequest::parse(&params.paging())?;
    let (items, as_of) = fold(&state, caller, &params, vec![], |items, e| {
        items.push(item(e)?);
        Ok(())
    })
    .await?;
    let rows = items
        .into_iter()
        .map(|i| {
            vec![
                i.enrolment_id.to_string(),
                i.person_name,
                i.mis_id.unwrap_or_default(),
                i.school_urn,
                i.school_name,
                i.programme_name,
                i.cohort_name,
                i.status.as_str().to_owned(),
                i.tombstone.to_string(),
                i.left_school_on.map(|d| d.to_string()).unwrap_or_default(),
                i.met.to_string(),
                i.total.to_string(),
                i.overdue.to_string(),
                i.overdue_items.join("; "),
                i.certifiable.to_string(),
                i.sessions_attended.to_string(),
                i.sessions_marked.to_string(),
                i.updated_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                as_of.to_string(),
            ]
        })
        .collect();
    csv_download(&format!("trellis-progress-{as_of}.csv"), &PROGRESS_COLUMNS, rows)
}

/// The dashboard's grid as CSV: a row per school and programme, then a `Total` row.
#[utoipa::path(
    operation_id = "export_progress_summary",
    tag = "dashboards",
    security(("bearer" = [])),
    params(ProgressFeedParams),
    responses((status = 200, description = "RFC 4180 CSV with a header row", content_type = "text/csv", body = String), ReadErrors)
)]
#[get("/progress/summary/export")]
pub async fn export_progress_summary(
    state: State,
    caller: Bearer,
    params: Query<ProgressFeedParams>,
) -> Result<HttpResponse, ApiError> {
    PageRequest::parse(&params.paging())?;
    let s = summary(&state, caller, &params).await?;
    let pct = |p: Option<u32>| p.map(|p| p.to_string()).unwrap_or_default();
    let line = |school: String, programme: String, t: &Tally| {
        vec![
            school,
            programme,
            t.enrolments.to_string(),
            t.live.to_string(),
            t.completed.to_string(),
            t.certified.to_string(),
            t.withdrawn.to_string(),
            t.deferred.to_string(),
            pct(t.completion_percent),
            pct(t.attendance_percent),
            t.with_overdue.to_string(),
            t.overdue_requirements.to_string(),
            t.left_school.to_string(),
        ]
    };
    let mut rows: Vec<Vec<String>> =
        s.rows.iter().map(|r| line(r.school_name.clone(), r.programme_name.clone(), &r.tally)).collect();
    rows.push(line("Total".into(), String::new(), &s.totals));
    let header = [
        "school",
        "programme",
        "enrolments",
        "live",
        "completed",
        "certified",
        "withdrawn",
        "deferred",
        "completion_percent",
        "attendance_percent",
        "with_overdue",
        "overdue_requirements",
        "left_school",
    ];
    csv_download(&format!("trellis-summary-{}.csv", s.as_of), &header, rows)
}
