//! Judging a submission: the provider assigns a marker (and a moderator); the marker judges each
//! criterion and gives the outcome; the moderator confirms or overturns it with reasons; the
//! provider releases the outcome. Every judgement is kept; a later one never overwrites it.

use actix_web::{get, post, put, web::Json, web::Path};
use trellis_domain::assessment::{
    AssessorLinks, CriterionMark, check_mark, check_outcome, conflict_of_interest, decided,
};
use trellis_domain::ids::SubmissionId;
use trellis_domain::rules::progress::AssessmentOutcome;
use trellis_wire::{AssignAssessors, FieldError, RecordMark, RecordModeration, Submission, SubmissionList};
use validator::Validate;

use crate::auth::Bearer;
use crate::db::allowed::{self, submission};
use crate::db::assessment;
use crate::db::facts::uuid;
use crate::error::ApiError;
use crate::routes::{ReadErrors, State, WriteErrors, refuse};

use super::submissions::{reloaded, show};

/// Assigns the submission's marker, and optionally a moderator (the cohort's facilitators). Each
/// must hold the assessor role for the cohort's provider (422 `not_an_assessor`); where the
/// programme asks for an external assessor, not one linked to the participant's school, nor their
/// coach (422 `conflict_of_interest`); marker and moderator differ (422 `same_assessor`). Until
/// the outcome is released (409 `submission_released`).
#[utoipa::path(
    operation_id = "assign_assessors",
    tag = "assessment",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Submission id")),
    responses((status = 200, body = Submission), WriteErrors)
)]
#[put("/submissions/{id}/assessors")]
pub async fn assign_assessors(
    state: State,
    caller: Bearer,
    id: Path<SubmissionId>,
    body: Json<AssignAssessors>,
) -> Result<Json<Submission>, ApiError> {
    let clock = state.clock;
    let id = id.into_inner();
    let body = body.into_inner();
    body.validate()?;
    let out = state
        .db
        .tx_as(caller, move |conn, caller| {
            let s = allowed::submission::<submission::Assign>(conn, &caller, id, true)?;
            if !matches!(s.row.status.as_str(), "submitted" | "marked") {
                return Err(ApiError::conflict(
                    "submission_released",
                    format!("this submission is {}: its assessors can no longer change", s.row.status),
                ));
            }
            let external = s.definition.assessment.as_ref().is_some_and(|a| a.external_assessor);
            let provider = s.facts.enrolment.cohort.provider_id.to_string();
            let mut errors = vec![];
            for (field, who) in [("marker_user_id", Some(body.marker_user_id)), ("moderator_user_id", body.moderator_user_id)] {
                let Some(who) = who else { continue };
                match assessment::assessor(conn, &who.to_string(), &provider)? {
                    None => errors.push(FieldError {
                        field: field.into(),
                        code: "not_an_assessor".into(),
                        message: "not an account holding the assessor role for this cohort's provider".into(),
                    }),
                    Some((person, school)) => {
                        let links = AssessorLinks {
                            person_id: person.as_deref().map(uuid).transpose()?,
                            school_id: school.as_deref().map(uuid).transpose()?,
                        };
                        let e = &s.facts.enrolment;
                        if external && conflict_of_interest(&links, e.person_id, e.school.id, e.coach_person_id) {
                            errors.push(FieldError {
                                field: field.into(),
                                code: "conflict_of_interest".into(),
                                message: "this assessor is linked to the participant's school (or is their coach): the programme asks for an external assessor".into(),
                            });
                        }
                    }
                }
            }
            if body.moderator_user_id == Some(body.marker_user_id) {
                errors.push(FieldError {
                    field: "moderator_user_id".into(),
                    code: "same_assessor".into(),
                    message: "the moderator is a second assessor, not the marker".into(),
                });
            }
            if let Some(first) = errors.first() {
                let code = match first.code.as_str() {
                    "conflict_of_interest" => "conflict_of_interest",
                    "same_assessor" => "same_assessor",
                    _ => "not_an_assessor",
                };
                return Err(ApiError::invalid(code, errors));
            }
            let marker = body.marker_user_id.to_string();
            let moderator = body.moderator_user_id.map(|m| m.to_string());
            assessment::assign(conn, &s, &marker, moderator.as_deref(), clock.now())?;
            reloaded(conn, &caller, id)
        })
        .await?;
    Ok(Json(out))
}

/// The marker's judgement: each of the programme's criteria met or not yet met with feedback, and
/// the outcome (pass only with every criterion met; refer only on a first attempt). After the
/// coach's verification where the programme requires it (409 `awaiting_verification`). Marking
/// again before release adds a judgement; the earlier one is kept.
#[utoipa::path(
    operation_id = "record_submission_mark",
    tag = "assessment",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Submission id")),
    responses((status = 200, body = Submission), WriteErrors)
)]
#[post("/submissions/{id}/marks")]
pub async fn record_submission_mark(
    state: State,
    caller: Bearer,
    id: Path<SubmissionId>,
    body: Json<RecordMark>,
) -> Result<Json<Submission>, ApiError> {
    let clock = state.clock;
    let id = id.into_inner();
    let body = body.into_inner();
    body.validate()?;
    let out = state
        .db
        .tx_as(caller, move |conn, caller| {
            let s = allowed::submission::<submission::Mark>(conn, &caller, id, true)?;
            let Some(rule) = s.definition.assessment.as_ref() else {
                return Err(ApiError::internal("a submission in a programme without an assessment"));
            };
            if !matches!(s.row.status.as_str(), "submitted" | "marked") {
                return Err(ApiError::conflict("submission_released", format!("this submission is {}", s.row.status)));
            }
            if rule.coach_verification && assessment::verification(conn, &s.row.id)?.is_none() {
                return Err(ApiError::conflict(
                    "awaiting_verification",
                    "the coach verifies the evidence before the submission is marked",
                ));
            }
            let marks: Vec<CriterionMark> =
                body.criteria.iter().map(|c| CriterionMark { criterion: &c.criterion, verdict: c.verdict }).collect();
            refuse(check_mark(rule, s.row.attempt.max(0) as u32, &marks, body.outcome))?;
            let by = caller.user_uuid()?.to_string();
            let j = assessment::NewJudgement {
                outcome: body.outcome,
                confirms: None,
                criteria: &body.criteria,
                feedback: body.feedback.trim(),
                by: &by,
            };
            if !assessment::mark(conn, &s, &j, clock.now())? {
                return Err(ApiError::conflict("submission_released", "the submission changed; reload it"));
            }
            reloaded(conn, &caller, id)
        })
        .await?;
    Ok(Json(out))
}

/// The moderator's second look: confirms the mark, or overturns it with another outcome
/// (`outcome_required`, `same_outcome`); reasons either way. After a mark (409 `not_marked`).
#[utoipa::path(
    operation_id = "record_submission_moderation",
    tag = "assessment",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Submission id")),
    responses((status = 200, body = Submission), WriteErrors)
)]
#[post("/submissions/{id}/moderation")]
pub async fn record_submission_moderation(
    state: State,
    caller: Bearer,
    id: Path<SubmissionId>,
    body: Json<RecordModeration>,
) -> Result<Json<Submission>, ApiError> {
    let clock = state.clock;
    let id = id.into_inner();
    let body = body.into_inner();
    body.validate()?;
    let out = state
        .db
        .tx_as(caller, move |conn, caller| {
            let s = allowed::submission::<submission::Moderate>(conn, &caller, id, true)?;
            let (mark, _) = assessment::latest(conn, &s.row.id)?;
            let Some(mark) = mark.filter(|_| s.row.status == "marked") else {
                return Err(ApiError::conflict(
                    "not_marked",
                    format!("this submission is {}: moderation follows a mark", s.row.status),
                ));
            };
            let marked = mark.outcome()?;
            let outcome = match (body.confirms, body.outcome) {
                (true, None) => marked,
                (true, Some(o)) if o == marked => marked,
                (true, Some(_)) => {
                    return Err(ApiError::field("same_outcome", "outcome", "confirming keeps the mark's outcome"));
                }
                (false, None) => {
                    return Err(ApiError::field(
                        "outcome_required",
                        "outcome",
                        "overturning names the outcome instead",
                    ));
                }
                (false, Some(o)) if o == marked => {
                    return Err(ApiError::field(
                        "same_outcome",
                        "outcome",
                        format!("the mark's outcome is already {o}"),
                    ));
                }
                (false, Some(o)) => o,
            };
            // A moderator who overturns to a pass judges the criteria afresh (their reasons say
            // so); the refer rule holds for them as for the marker.
            if !body.confirms {
                refuse(check_outcome(s.row.attempt.max(0) as u32, outcome, false))?;
            }
            let by = caller.user_uuid()?.to_string();
            let j = assessment::NewJudgement {
                outcome,
                confirms: Some(body.confirms),
                criteria: &[],
                feedback: body.reasons.trim(),
                by: &by,
            };
            if !assessment::moderate(conn, &s, &j, clock.now())? {
                return Err(ApiError::conflict("not_marked", "the submission changed; reload it"));
            }
            reloaded(conn, &caller, id)
        })
        .await?;
    Ok(Json(out))
}

/// Releases the decided outcome to the participant with the feedback (the cohort's facilitators):
/// the moderator's when they overturned the mark, else the marker's; after the moderation when a
/// moderator is assigned (409 `awaiting_moderation`). A pass or fail becomes the enrolment's
/// outcome; a refer opens one resubmission for the programme's period.
#[utoipa::path(
    operation_id = "release_submission",
    tag = "assessment",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Submission id")),
    responses((status = 200, body = Submission), WriteErrors)
)]
#[post("/submissions/{id}/release")]
pub async fn release_submission(
    state: State,
    caller: Bearer,
    id: Path<SubmissionId>,
) -> Result<Json<Submission>, ApiError> {
    let clock = state.clock;
    let id = id.into_inner();
    let out = state
        .db
        .tx_as(caller, move |conn, caller| {
            let s = allowed::submission::<submission::Release>(conn, &caller, id, true)?;
            if s.row.status != "marked" {
                return Err(ApiError::conflict(
                    "not_marked",
                    format!("this submission is {}: release follows a mark", s.row.status),
                ));
            }
            let (mark, moderation) = assessment::latest(conn, &s.row.id)?;
            if s.row.moderator_user_id.is_some() && moderation.is_none() {
                return Err(ApiError::conflict("awaiting_moderation", "the moderator has not yet looked at the mark"));
            }
            let moderation =
                moderation.map(|m| Ok::<_, ApiError>((m.confirms.unwrap_or(true), m.outcome()?))).transpose()?;
            let outcome = decided(mark.map(|m| m.outcome()).transpose()?, moderation)
                .ok_or_else(|| ApiError::internal("a marked submission without a mark"))?;
            let now = clock.now();
            let resubmit_by = match (outcome, s.definition.assessment.as_ref()) {
                (AssessmentOutcome::Refer, Some(rule)) => {
                    Some(trellis_domain::assessment::resubmit_by(rule, now.date()))
                }
                _ => None,
            };
            let by = caller.user_uuid()?.to_string();
            if !assessment::release(conn, &s, outcome, resubmit_by, &by, now)? {
                return Err(ApiError::conflict("not_marked", "the submission changed; reload it"));
            }
            reloaded(conn, &caller, id)
        })
        .await?;
    Ok(Json(out))
}

/// The submissions the calling assessor is assigned to mark or moderate, not yet released, oldest
/// first. Nobody else's.
#[utoipa::path(
    operation_id = "list_assessor_queue",
    tag = "assessment",
    security(("bearer" = [])),
    responses((status = 200, body = SubmissionList), ReadErrors)
)]
#[get("/assessor-queue")]
pub async fn list_assessor_queue(state: State, caller: Bearer) -> Result<Json<SubmissionList>, ApiError> {
    let out = state
        .db
        .run_as(caller, move |conn, caller| {
            let items = allowed::assessor_queue(conn, &caller)?
                .iter()
                .map(|s| show(conn, &caller, s))
                .collect::<Result<_, _>>()?;
            Ok(SubmissionList { items })
        })
        .await?;
    Ok(Json(out))
}
