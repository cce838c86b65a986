use actix_web::{HttpResponse, get, post, web::Json, web::Path, web::Query};
use trellis_domain::authz::Principal;
use trellis_domain::enrolment::{EnrolmentState, Transition, TransitionKind, WithdrawalReason, WithdrawalReasonError};
use trellis_domain::ids::{CohortId, EnrolmentId};
use trellis_domain::scope;
use trellis_wire::{
    CompleteEnrolment, CreateEnrolment, Enrolment, EnrolmentPage, FieldError, ListParams, MyEnrolment, MyEnrolmentList,
    WithdrawRequest,
};
use validator::Validate;

use crate::auth::Bearer;
use crate::db::allowed::{self, cohort, enrolment};
use crate::db::enrolments::{self, to_wire};
use crate::db::models::EnrolmentRow;
use crate::db::rule_facts;
use crate::error::ApiError;
use crate::paging::{PageRequest, new_id};
use crate::routes::{ReadErrors, State, WriteErrors};

// Filtered in SQL by the domain's `scope::enrolments`, which a property test holds to `authorize`.
/// The enrolments of a cohort that the caller may see: all of them for its facilitators, their
/// own staff's for a school lead or trust admin, their own for a participant.
#[utoipa::path(
    operation_id = "list_enrolments",
    tag = "cohorts",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Cohort id"), ListParams),
    responses((status = 200, body = EnrolmentPage), ReadErrors)
)]
#[get("/cohorts/{id}/enrolments")]
pub async fn list_enrolments(
    state: State,
    caller: Bearer,
    id: Path<CohortId>,
    params: Query<ListParams>,
) -> Result<Json<EnrolmentPage>, ApiError> {
    let cohort_id = id.into_inner();
    let page = PageRequest::parse(&params)?;
    let out = state
        .db
        .run_as(caller, move |conn, caller| {
            let cohort = allowed::cohort::<cohort::Read>(conn, &caller, cohort_id)?;
            let scope = scope::enrolments(&caller.principal, &cohort.facts);
            let rows = enrolments::in_cohort(conn, &cohort, &scope, &page)?;
            let (rows, next) = page.finish(rows, |(r, _)| &r.id);
            let items = rows
                .iter()
                .map(|(r, p)| to_wire(r, p, &caller.principal, &enrolments::facts_in(r, p, &cohort.facts)?))
                .collect::<Result<_, _>>()?;
            Ok(EnrolmentPage { items, next_cursor: next })
        })
        .await?;
    Ok(Json(out))
}

/// Nominates a person for a cohort. The new enrolment starts `nominated`.
#[utoipa::path(
    operation_id = "create_enrolment",
    tag = "cohorts",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Cohort id")),
    responses((status = 201, body = Enrolment), WriteErrors)
)]
#[post("/cohorts/{id}/enrolments")]
pub async fn create_enrolment(
    state: State,
    caller: Bearer,
    id: Path<CohortId>,
    body: Json<CreateEnrolment>,
) -> Result<HttpResponse, ApiError> {
    let clock = state.clock;
    let cohort_id = id.into_inner();
    let person_id = body.person_id;
    let enrolment = state
        .db
        .tx_as(caller, move |conn, caller| {
            let nomination = allowed::nomination(conn, &caller, cohort_id, person_id.into())?;
            if enrolments::is_enrolled(conn, &nomination)? {
                return Err(ApiError::conflict_on(
                    "already_enrolled",
                    "person_id",
                    "this person is already enrolled in this cohort",
                ));
            }
            let now = clock.now();
            let state = EnrolmentState::NOMINATED;
            let row = EnrolmentRow {
                id: new_id(),
                cohort_id: cohort_id.to_string(),
                person_id: person_id.to_string(),
                status: state.status.as_str().into(),
                deferred_from: None,
                withdrawal_reason: None,
                withdrawal_details: None,
                coach_person_id: None,
                coach_statement: None,
                created_at: now,
                updated_at: now,
                left_school_on: None,
            };
            enrolments::insert(conn, &nomination, &row)?;
            enrolments::created(conn, &caller, &nomination, &row.id)
        })
        .await?;
    Ok(HttpResponse::Created().json(enrolment))
}

#[utoipa::path(operation_id = "get_enrolment", tag = "cohorts", security(("bearer" = [])), params(("id" = Uuid, Path)), responses((status = 200, body = Enrolment), ReadErrors))]
#[get("/enrolments/{id}")]
pub async fn get_enrolment(state: State, caller: Bearer, id: Path<EnrolmentId>) -> Result<Json<Enrolment>, ApiError> {
    let id = id.into_inner();
    let enrolment = state
        .db
        .run_as(caller, move |conn, caller| {
            let target = allowed::enrolment::<enrolment::Read>(conn, &caller, id)?;
            enrolments::view(&target, &caller)
        })
        .await?;
    Ok(Json(enrolment))
}

/// The caller's own enrolments, each with its cohort's name (the participant's home page, in one
/// request). Only people have enrolments: a user without a person record gets an empty list, a
/// machine client 400 `users_only`.
#[utoipa::path(
    operation_id = "list_my_enrolments",
    tag = "cohorts",
    security(("bearer" = [])),
    responses((status = 200, body = MyEnrolmentList), ReadErrors)
)]
#[get("/me/enrolments")]
pub async fn list_my_enrolments(state: State, caller: Bearer) -> Result<Json<MyEnrolmentList>, ApiError> {
    let items = state
        .db
        .run_as(caller, move |conn, caller| match &caller.principal {
            Principal::User(u) => match u.person_id {
                Some(person) => crate::db::enrolments::of_person(conn, &caller.principal, person),
                None => Ok(vec![]),
            },
            Principal::Client(_) => {
                Err(ApiError::bad_request("users_only", "a machine client has no enrolments of its own"))
            }
        })
        .await?;
    let items = items.into_iter().map(|(enrolment, cohort_name)| MyEnrolment { enrolment, cohort_name }).collect();
    Ok(Json(MyEnrolmentList { items }))
}

/// Applies one lifecycle move in one transaction, recording it as an event.
///
/// The move is decided on the state read, so the write applies only while that state still
/// holds: on PostgreSQL (whose transactions here are read committed) a concurrent move of the
/// same enrolment makes this UPDATE wait for it and then match no row, and the loser gets 409
/// instead of moving the enrolment a second time. SQLite's write transactions are serial already.
async fn transition(state: State, caller: Bearer, id: EnrolmentId, t: Transition) -> Result<Json<Enrolment>, ApiError> {
    transition_noted(state, caller, id, t, None).await
}

/// A move with a facilitator's note: completing despite unmet requirements (`override_reason`).
async fn transition_noted(
    state: State,
    caller: Bearer,
    id: EnrolmentId,
    t: Transition,
    override_reason: Option<String>,
) -> Result<Json<Enrolment>, ApiError> {
    let clock = state.clock;
    let enrolment = state
        .db
        .tx_as(caller, move |conn, caller| {
            let target = allowed::enrolment_move(conn, &caller, id, t.kind())?;
            let mut row = target.row.clone();
            let before = row.state()?;
            let after = before.apply(&t).map_err(|e| ApiError::conflict("illegal_transition", e.to_string()))?;
            let now = clock.now();
            // Completion follows the programme's rules: every requirement but the final
            // assessment's is met, or the facilitator says why it is completed anyway.
            if t.kind() == TransitionKind::Complete {
                let (_, progress) = rule_facts::progress_of(conn, &target, now.date())?;
                let unmet: Vec<_> = progress.completion_blockers().into_iter().cloned().collect();
                match (&override_reason, unmet.is_empty()) {
                    (_, true) => {}
                    (None, false) => {
                        let mut err = ApiError::conflict(
                            "requirements_not_met",
                            format!(
                                "{} of the programme's requirements are not met yet; complete it with an override_reason to record why it is complete anyway",
                                unmet.len()
                            ),
                        );
                        err.errors = unmet
                            .iter()
                            .map(|r| FieldError {
                                field: r.id.clone(),
                                code: "requirement_not_met".into(),
                                message: format!("{}: {}", r.label, r.explanation),
                            })
                            .collect();
                        return Err(err);
                    }
                    (Some(reason), false) => {
                        let school = target.facts.school.id.to_string();
                        let ids: Vec<&str> = unmet.iter().map(|r| r.id.as_str()).collect();
                        crate::db::audit::record(
                            conn,
                            &crate::db::audit::Event {
                                actor_user_id: match &caller.principal {
                                    trellis_domain::Principal::User(u) => Some(u.user_id.to_string()),
                                    trellis_domain::Principal::Client(_) => None,
                                }
                                .as_deref(),
                                action: "enrolment.completed_with_override",
                                subject_kind: "enrolment",
                                subject_id: &target.row.id,
                                organisation_id: Some(&target.facts.cohort.provider_id.to_string()),
                                school_id: Some(&school),
                                detail: serde_json::json!({"reason": reason, "unmet": ids}),
                            },
                            now,
                        )?;
                    }
                }
            }
            row.status = after.status.as_str().into();
            row.deferred_from = after.deferred_from.map(|s| s.as_str().into());
            if let Transition::Withdraw(reason) = &t {
                row.withdrawal_reason = Some(reason.kind.as_str().into());
                row.withdrawal_details = reason.details.clone();
            }
            row.updated_at = now;
            if !enrolments::update_if_unchanged(conn, &target, &row, &before)? {
                let current = enrolments::status(conn, &target)?;
                return Err(ApiError::conflict(
                    "illegal_transition",
                    format!("the enrolment changed while this request was made (it is now {current}); reload it and try again"),
                ));
            }
            let note = override_reason.as_deref().filter(|_| t.kind() == TransitionKind::Complete);
            let actor = caller.actor();
            let event = enrolments::MoveEvent { transition: t.kind(), before: &before, after: &after, actor: &actor, note };
            enrolments::record_event(conn, &target, &event, now)?;
            enrolments::reload(conn, &caller, &target)
        })
        .await?;
    Ok(Json(enrolment))
}

macro_rules! simple_transition {
    ($fn:ident, $path:literal, $t:expr, $doc:literal) => {
        #[doc = $doc]
        #[utoipa::path(operation_id = stringify!($fn), tag = "cohorts", security(("bearer" = [])), params(("id" = Uuid, Path)), responses((status = 200, body = Enrolment), WriteErrors))]
        #[post($path)]
        pub async fn $fn(state: State, caller: Bearer, id: Path<EnrolmentId>) -> Result<Json<Enrolment>, ApiError> {
            transition(state, caller, id.into_inner(), $t).await
        }
    };
}

simple_transition!(
    approve_enrolment,
    "/enrolments/{id}/approve",
    Transition::Approve,
    "Approves a nomination (`nominated → approved`): the school lead, trust admin or facilitator."
);
simple_transition!(
    activate_enrolment,
    "/enrolments/{id}/activate",
    Transition::Activate,
    "Starts the programme for an approved participant (`approved → active`): the cohort's facilitators."
);
simple_transition!(
    defer_enrolment,
    "/enrolments/{id}/defer",
    Transition::Defer,
    "Pauses an enrolment; `resume` returns it to where it was."
);
simple_transition!(
    resume_enrolment,
    "/enrolments/{id}/resume",
    Transition::Resume,
    "Resumes a deferred enrolment to the status it had before deferral."
);
/// Marks an active enrolment completed: the cohort's facilitators. Every requirement of the
/// programme other than the final assessment's must be met (409 `requirements_not_met`, each
/// unmet requirement in `errors`), unless the body gives an `override_reason`, which is recorded
/// with the requirements that were not met. The body is optional.
#[utoipa::path(
    operation_id = "complete_enrolment",
    tag = "cohorts",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    request_body(content = Option<CompleteEnrolment>, content_type = "application/json"),
    responses((status = 200, body = Enrolment), WriteErrors)
)]
#[post("/enrolments/{id}/complete")]
pub async fn complete_enrolment(
    state: State,
    caller: Bearer,
    req: actix_web::HttpRequest,
    id: Path<EnrolmentId>,
    body: actix_web::web::Bytes,
) -> Result<Json<Enrolment>, ApiError> {
    let reason = if body.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        let json =
            req.headers().get("content-type").and_then(|v| v.to_str().ok()).is_some_and(|v| {
                v.split(';').next().is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
            });
        if !json {
            return Err(ApiError::new(
                actix_web::http::StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "send the body as application/json",
            ));
        }
        // `null` is no body, as the document allows.
        let parsed: Option<CompleteEnrolment> =
            serde_json::from_slice(&body).map_err(|e| crate::error::extractors::serde_error(&e))?;
        match parsed {
            Some(p) => {
                p.validate()?;
                match p.override_reason.map(|r| r.trim().to_owned()) {
                    Some(r) if r.is_empty() => {
                        return Err(ApiError::field("blank", "override_reason", "give the reason in words"));
                    }
                    other => other,
                }
            }
            None => None,
        }
    };
    transition_noted(state, caller, id.into_inner(), Transition::Complete, reason).await
}

/// Withdraws an enrolment with a reason. Nothing is deleted; withdrawal is final.
#[utoipa::path(
    operation_id = "withdraw_enrolment",
    tag = "cohorts",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = Enrolment), WriteErrors)
)]
#[post("/enrolments/{id}/withdraw")]
pub async fn withdraw_enrolment(
    state: State,
    caller: Bearer,
    id: Path<EnrolmentId>,
    body: Json<WithdrawRequest>,
) -> Result<Json<Enrolment>, ApiError> {
    body.validate()?;
    let reason = WithdrawalReason::parse(body.reason, body.details.as_deref()).map_err(|e| match e {
        WithdrawalReasonError::OtherNeedsDetails => ApiError::field("details_required", "details", e.to_string()),
        WithdrawalReasonError::DetailsTooLong => ApiError::field("length", "details", e.to_string()),
    })?;
    transition(state, caller, id.into_inner(), Transition::Withdraw(reason)).await
}
