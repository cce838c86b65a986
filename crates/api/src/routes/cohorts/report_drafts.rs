//! The participant's working draft of their final report.

use actix_web::{HttpResponse, get, put, web::Json, web::Path};
use trellis_domain::ids::EnrolmentId;
use trellis_domain::rules::word_count;
use trellis_wire::{ReportDraft, SaveReportDraft};
use validator::Validate;

use crate::auth::Bearer;
use crate::db::allowed::enrolment::OwnWork;
use crate::db::allowed::{self, Allowed, LoadedEnrolment};
use crate::db::{DbConn, enrolments, report_drafts};
use crate::error::ApiError;
use crate::etag::{self, IfMatch};
use crate::routes::{ReadErrors, State, WriteErrors};

fn load_draft(conn: &mut DbConn, target: &Allowed<LoadedEnrolment, OwnWork>) -> Result<ReportDraft, ApiError> {
    let limit = report_drafts::word_limit(conn, target)?;
    let (text, words, updated_at) = match report_drafts::find(conn, target)? {
        Some(d) => (d.body, d.words.clamp(0, u32::MAX as i64) as u32, Some(d.updated_at.and_utc())),
        None => (String::new(), 0, None),
    };
    Ok(ReportDraft {
        enrolment_id: target.id.uuid(),
        text,
        words,
        word_limit: limit,
        over_limit: limit.is_some_and(|l| words > l),
        updated_at,
    })
}

/// The participant's working draft of their final report, with its word count. Only the
/// participant may read or write it.
#[utoipa::path(operation_id = "get_report_draft", tag = "cohorts", security(("bearer" = [])), params(("id" = Uuid, Path)), responses((status = 200, body = ReportDraft, headers(("ETag" = String, description = "The version, for `If-Match` on the next write"))), (status = 403, body = trellis_wire::Problem, content_type = "application/problem+json"), ReadErrors))]
#[get("/enrolments/{id}/report-draft")]
pub async fn get_report_draft(state: State, caller: Bearer, id: Path<EnrolmentId>) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let draft = state
        .db
        .run_as(caller, move |conn, caller| {
            let target = allowed::enrolment::<OwnWork>(conn, &caller, id)?;
            load_draft(conn, &target)
        })
        .await?;
    Ok(with_tag(&draft))
}

/// A draft with its version as an `ETag`.
fn with_tag(draft: &ReportDraft) -> HttpResponse {
    HttpResponse::Ok().insert_header(("ETag", draft_tag(draft))).json(draft)
}

fn draft_tag(draft: &ReportDraft) -> String {
    etag::of(draft.updated_at.map(|t| t.naive_utc()))
}

/// Saves the draft (replacing it) and returns it with the word count the rules use. Saving a
/// draft over the limit is allowed: it is a draft.
#[utoipa::path(
    operation_id = "update_report_draft",
    tag = "cohorts",
    security(("bearer" = [])),
    params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header, nullable = false, description = "The `ETag` of the version this change is based on; a newer version answers 412 `stale_write`. Without it, the last write wins.")),
    responses((status = 200, body = ReportDraft, headers(("ETag" = String, description = "The version, for `If-Match` on the next write"))), (status = 412, body = trellis_wire::Problem, content_type = "application/problem+json", description = "Changed since the `If-Match` version (`stale_write`); the current `ETag` is in the response"), WriteErrors)
)]
#[put("/enrolments/{id}/report-draft")]
pub async fn update_report_draft(
    state: State,
    caller: Bearer,
    id: Path<EnrolmentId>,
    if_match: IfMatch,
    body: Json<SaveReportDraft>,
) -> Result<HttpResponse, ApiError> {
    let clock = state.clock;
    let id = id.into_inner();
    let body = body.into_inner();
    // Parse first: a malformed draft is refused the same way whoever's enrolment it names.
    body.validate()?;
    let draft = state
        .db
        .tx_as(caller, move |conn, caller| {
            let target = allowed::enrolment::<OwnWork>(conn, &caller, id)?;
            // Drafting goes on while the programme is open (nominated, approved, active, or
            // deferred, a pause); a completed, certified or withdrawn enrolment's draft stands as
            // it was and can still be read (see `EnrolmentStatus::open_for_work`).
            let status = enrolments::status_for_update(conn, &target)?;
            if !status.open_for_work() {
                return Err(ApiError::conflict(
                    "enrolment_not_active",
                    format!("this enrolment is {status}: its report draft can no longer change"),
                ));
            }
            if_match.check(&etag::of(report_drafts::saved_at(conn, &target)?))?;
            let words = word_count(&body.text) as i64;
            let now = clock.now();
            report_drafts::replace(conn, &target, &body.text, words, now)?;
            load_draft(conn, &target)
        })
        .await?;
    Ok(with_tag(&draft))
}
