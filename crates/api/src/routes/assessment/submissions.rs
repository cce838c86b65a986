//! Submissions: made by the participant, checked against the programme before they are accepted,
//! immutable once made (a withdrawal before marking is recorded on them), verified by the coach
//! where the programme requires it.

use actix_web::{HttpResponse, get, post, web::Json, web::Path};
use trellis_domain::assessment::{ReportedProject, SubmissionPlan, SubmissionStatus, check_submission};
use trellis_domain::enrolment::EnrolmentStatus;
use trellis_domain::ids::{EnrolmentId, SubmissionId};
use trellis_domain::rules::progress::AssessmentOutcome;
use trellis_domain::rules::word_count;
use trellis_wire::{
    CreateSubmission, FieldError, OutcomeList, Submission, SubmissionList, VerifySubmission, WithdrawSubmission,
};
use uuid::Uuid;
use validator::Validate;

use crate::auth::{Bearer, Caller};
use crate::db::allowed::{self, Allowed, LoadedSubmission, enrolment, submission};
use crate::db::{DbConn, assessment, projects};
use crate::error::ApiError;
use crate::routes::{ReadErrors, State, WriteErrors};

fn fault(field: &str, code: &str, message: impl Into<String>) -> FieldError {
    FieldError { field: field.into(), code: code.into(), message: message.into() }
}

pub(super) fn show<A>(
    conn: &mut DbConn,
    caller: &Caller,
    s: &Allowed<LoadedSubmission, A>,
) -> Result<Submission, ApiError> {
    assessment::view(conn, caller, s)
}

/// Reloads the submission as the caller reads it, after a change.
pub(super) fn reloaded(conn: &mut DbConn, caller: &Caller, id: SubmissionId) -> Result<Submission, ApiError> {
    let s = allowed::submission::<submission::Read>(conn, caller, id, false)?;
    show(conn, caller, &s)
}

/// The enrolment's submissions, oldest first (withdrawn ones included). Whoever may see the
/// enrolment sees that they exist and their status; their contents go to those who may read them.
#[utoipa::path(
    operation_id = "list_enrolment_submissions",
    tag = "assessment",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Enrolment id")),
    responses((status = 200, body = SubmissionList), ReadErrors)
)]
#[get("/enrolments/{id}/submissions")]
pub async fn list_enrolment_submissions(
    state: State,
    caller: Bearer,
    id: Path<EnrolmentId>,
) -> Result<Json<SubmissionList>, ApiError> {
    let id = id.into_inner();
    let out = state
        .db
        .run_as(caller, move |conn, caller| {
            let target = allowed::enrolment::<enrolment::Read>(conn, &caller, id)?;
            let items = allowed::submissions_of(conn, &target)?
                .iter()
                .map(|s| show(conn, &caller, s))
                .collect::<Result<_, _>>()?;
            Ok(SubmissionList { items })
        })
        .await?;
    Ok(Json(out))
}

/// Makes the final-assessment submission (the participant): the report, the project it reports
/// on, and supporting documents from the portfolio. Refused, each with its numbers, when the
/// report is over the word limit (`report_over_word_limit`), it is outside the window
/// (`outside_assessment_window`), the project is too short (`project_too_short`) or its stages are
/// incomplete (`project_stages_incomplete`); a resubmission after a refer has its own period
/// (`resubmission_closed`). 409 `submission_pending` while one awaits its outcome,
/// `assessment_decided` after a pass or fail.
#[utoipa::path(
    operation_id = "create_submission",
    tag = "assessment",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Enrolment id")),
    responses((status = 201, body = Submission), WriteErrors)
)]
#[post("/enrolments/{id}/submissions")]
pub async fn create_submission(
    state: State,
    caller: Bearer,
    id: Path<EnrolmentId>,
    body: Json<CreateSubmission>,
) -> Result<HttpResponse, ApiError> {
    let clock = state.clock;
    let id = id.into_inner();
    let body = body.into_inner();
    body.validate()?;
    let out = state
        .db
        .tx_as(caller, move |conn, caller| {
            let target = allowed::enrolment::<enrolment::OwnWork>(conn, &caller, id)?;
            let status = crate::db::enrolments::status_for_update(conn, &target)?;
            if !matches!(status, EnrolmentStatus::Active | EnrolmentStatus::Deferred | EnrolmentStatus::Completed) {
                return Err(ApiError::conflict(
                    "enrolment_not_active",
                    format!("this enrolment is {status}: it cannot be submitted for assessment"),
                ));
            }
            let definition = crate::db::cohorts::definition(conn, &target.row.cohort_id)?;
            let Some(rule) = definition.assessment.as_ref() else {
                return Err(ApiError::conflict(
                    "no_assessment_in_programme",
                    "the cohort's programme has no final assessment",
                ));
            };
            // One live submission at a time; a refer opens one more; a pass or fail closes it.
            let history = assessment::history(conn, &target)?;
            let live: Vec<_> = history.iter().filter(|r| r.status != SubmissionStatus::Withdrawn.as_str()).collect();
            if live.iter().any(|r| r.status != SubmissionStatus::Released.as_str()) {
                return Err(ApiError::conflict(
                    "submission_pending",
                    "a submission is waiting for its outcome: withdraw it before submitting again",
                ));
            }
            let last = live.last();
            let (attempt, resubmit_by) = match last.map(|r| r.outcome()).transpose()?.flatten() {
                None => (1, None),
                Some(AssessmentOutcome::Refer) => (2, last.and_then(|r| r.resubmit_by)),
                Some(o) => {
                    return Err(ApiError::conflict(
                        "assessment_decided",
                        format!("the assessment's outcome is {o}: there is nothing more to submit"),
                    ));
                }
            };
            if attempt > trellis_domain::assessment::MAX_ATTEMPTS as i32 {
                return Err(ApiError::conflict("assessment_decided", "both attempts are used"));
            }
            let own = projects::of_enrolment(conn, &target)?;
            if own != Some(body.project_id) {
                return Err(ApiError::field("not_your_project", "project_id", "the project you report on is your own"));
            }
            let today = clock.now().date();
            let fact = projects::project_facts(conn, std::slice::from_ref(&target.row.id))?.remove(&target.row.id);
            let reported = fact.map(|f| ReportedProject {
                starts: f.starts,
                ends: f.ends.unwrap_or(today),
                stages_completed: f.stages_completed,
            });
            let calendar = projects::calendar_for(conn, &target.facts.school.id.to_string())?;
            let plan = SubmissionPlan {
                report: &body.report,
                submitted_on: today,
                induction: crate::db::enrolments::programme_of(conn, &target)?.1,
                project: reported,
                attempt: attempt as u32,
                resubmit_by,
            };
            let faults = check_submission(rule, definition.project.as_ref(), &calendar, &plan);
            // The problem's code is the first fault's: each rule has its own.
            let first: Option<&'static str> = faults.first().map(|f| f.code);
            let mut errors: Vec<FieldError> = faults.into_iter().map(FieldError::from).collect();
            let mut ids: Vec<String> = body.document_ids.iter().map(Uuid::to_string).collect();
            ids.dedup();
            let files = assessment::own_files(conn, &target, &ids)?;
            for (i, d) in body.document_ids.iter().enumerate() {
                if !files.iter().any(|f| f.id == d.to_string()) {
                    errors.push(fault(
                        &format!("document_ids[{i}]"),
                        "not_your_file",
                        "supporting documents are evidence files of your own portfolio",
                    ));
                }
            }
            if !errors.is_empty() {
                return Err(ApiError::invalid(first.unwrap_or("not_your_file"), errors));
            }
            let mut files = files;
            files.sort_by_key(|f| body.document_ids.iter().position(|d| d.to_string() == f.id));
            let n = assessment::NewSubmission {
                attempt,
                project_id: &body.project_id.to_string(),
                report: &body.report,
                words: word_count(&body.report) as i64,
                submitted_on: today,
            };
            let sub = assessment::insert(conn, &target, &n, &files, clock.now())?;
            reloaded(conn, &caller, sub.parse().map_err(ApiError::internal)?)
        })
        .await?;
    Ok(HttpResponse::Created().json(out))
}

/// A submission: to its participant, their coach, the cohort's facilitators and the assessors
/// assigned to it (any other assessor: 404). Judgements reach the participant once released.
#[utoipa::path(
    operation_id = "get_submission",
    tag = "assessment",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Submission id")),
    responses((status = 200, body = Submission), ReadErrors)
)]
#[get("/submissions/{id}")]
pub async fn get_submission(
    state: State,
    caller: Bearer,
    id: Path<SubmissionId>,
) -> Result<Json<Submission>, ApiError> {
    let id = id.into_inner();
    let out = state.db.run_as(caller, move |conn, caller| reloaded(conn, &caller, id)).await?;
    Ok(Json(out))
}

/// Withdraws the submission before it is marked (the participant), with the reason; it stays on
/// record. 409 `submission_marked` once marked.
#[utoipa::path(
    operation_id = "withdraw_submission",
    tag = "assessment",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Submission id")),
    responses((status = 200, body = Submission), WriteErrors)
)]
#[post("/submissions/{id}/withdraw")]
pub async fn withdraw_submission(
    state: State,
    caller: Bearer,
    id: Path<SubmissionId>,
    body: Json<WithdrawSubmission>,
) -> Result<Json<Submission>, ApiError> {
    let clock = state.clock;
    let id = id.into_inner();
    let body = body.into_inner();
    body.validate()?;
    let out = state
        .db
        .tx_as(caller, move |conn, caller| {
            let s = allowed::submission::<submission::Withdraw>(conn, &caller, id, true)?;
            if !assessment::withdraw(conn, &s, body.reason.trim(), clock.now())? {
                return Err(ApiError::conflict(
                    "submission_marked",
                    format!("this submission is {}: only one not yet marked can be withdrawn", s.row.status),
                ));
            }
            reloaded(conn, &caller, id)
        })
        .await?;
    Ok(Json(out))
}

/// The coach verifies the evidence (a statement and its date), where the programme requires it,
/// before the submission is marked. Once: 409 `already_verified`; 409 `verification_not_required`.
#[utoipa::path(
    operation_id = "verify_submission",
    tag = "assessment",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Submission id")),
    responses((status = 200, body = Submission), WriteErrors)
)]
#[post("/submissions/{id}/verify")]
pub async fn verify_submission(
    state: State,
    caller: Bearer,
    id: Path<SubmissionId>,
    body: Json<VerifySubmission>,
) -> Result<Json<Submission>, ApiError> {
    let clock = state.clock;
    let id = id.into_inner();
    let body = body.into_inner();
    body.validate()?;
    let out = state
        .db
        .tx_as(caller, move |conn, caller| {
            let s = allowed::submission::<submission::Verify>(conn, &caller, id, true)?;
            let rule = s.definition.assessment.as_ref();
            if !rule.is_some_and(|r| r.coach_verification) {
                return Err(ApiError::conflict(
                    "verification_not_required",
                    "this programme does not ask the coach to verify the evidence",
                ));
            }
            if s.row.status != SubmissionStatus::Submitted.as_str() {
                return Err(ApiError::conflict(
                    "submission_marked",
                    format!("this submission is {}: the evidence is verified before marking", s.row.status),
                ));
            }
            if assessment::verification(conn, &s.row.id)?.is_some() {
                return Err(ApiError::conflict("already_verified", "the coach has verified this evidence already"));
            }
            let now = clock.now();
            if body.verified_on > now.date() {
                return Err(ApiError::field(
                    "in_future",
                    "verified_on",
                    format!("{} is after today", body.verified_on),
                ));
            }
            if body.verified_on < s.row.submitted_on {
                return Err(ApiError::field(
                    "before_submission",
                    "verified_on",
                    format!("the submission was made on {}", s.row.submitted_on),
                ));
            }
            let by = caller.user_uuid()?.to_string();
            assessment::verify(conn, &s, body.statement.trim(), body.verified_on, &by, now)?;
            reloaded(conn, &caller, id)
        })
        .await?;
    Ok(Json(out))
}

/// A supporting document of the submission (numbered from 1, as listed), as a download, to those
/// who may read the submission (its assigned assessors included).
#[utoipa::path(
    operation_id = "get_submission_document",
    tag = "assessment",
    security(("bearer" = [])),
    params(
        ("id" = Uuid, Path, description = "Submission id"),
        ("position" = u32, Path, description = "The document's number, from 1")
    ),
    responses(
        (status = 200, description = "The document's bytes", content(
            ("application/pdf"),
            ("application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            ("application/vnd.openxmlformats-officedocument.presentationml.presentation"),
            ("image/png"),
            ("image/jpeg"),
            ("video/mp4")
        )),
        ReadErrors
    )
)]
#[get("/submissions/{id}/documents/{position}")]
pub async fn get_submission_document(
    state: State,
    caller: Bearer,
    req: actix_web::HttpRequest,
    path: Path<(SubmissionId, u32)>,
) -> Result<HttpResponse, ApiError> {
    let (id, position) = path.into_inner();
    let position = i32::try_from(position).map_err(|_| ApiError::not_found("document"))?;
    let (filename, kind, sha) = state
        .db
        .run_as(caller, move |conn, caller| {
            let s = allowed::submission::<submission::Read>(conn, &caller, id, false)?;
            assessment::document(conn, &s, position)?.ok_or_else(|| ApiError::not_found("document"))
        })
        .await?;
    let kind: trellis_domain::portfolio::FileKind = kind.parse().map_err(ApiError::internal)?;
    crate::files::attachment(&state.files, &req, &sha, &filename, kind).await
}

/// The enrolment's outcomes in the DfE Lead Provider API's shape (`state` passed or failed,
/// `completion_date`, `course_identifier`): for the provider, the school, the participant and
/// `progress:read` clients.
#[utoipa::path(
    operation_id = "list_enrolment_outcomes",
    tag = "assessment",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Enrolment id")),
    responses((status = 200, body = OutcomeList), ReadErrors)
)]
#[get("/enrolments/{id}/outcomes")]
pub async fn list_enrolment_outcomes(
    state: State,
    caller: Bearer,
    id: Path<EnrolmentId>,
) -> Result<Json<OutcomeList>, ApiError> {
    let id = id.into_inner();
    let out = state
        .db
        .run_as(caller, move |conn, caller| {
            let target = allowed::enrolment::<enrolment::Read>(conn, &caller, id)?;
            Ok(OutcomeList { items: assessment::outcomes(conn, &target)? })
        })
        .await?;
    Ok(Json(out))
}
