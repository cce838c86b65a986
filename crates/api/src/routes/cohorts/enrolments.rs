use actix_web::{HttpResponse, get, post, web::Json, web::Path, web::Query};
use diesel::prelude::*;
use trellis_domain::authz::{Action, EnrolmentFacts, Principal, Resource, SchoolFacts, authorize};
use trellis_domain::enrolment::{EnrolmentState, Transition, WithdrawalReason, WithdrawalReasonError};
use trellis_wire::{
    CreateEnrolment, Enrolment, EnrolmentPage, ListParams, MyEnrolment, MyEnrolmentList, WithdrawRequest,
};
use uuid::Uuid;
use validator::Validate;

use crate::auth::Bearer;
use crate::db::enrolments::{PersonCols, load_allowed, load_one, person_cols, to_wire};
use crate::db::facts::{self, opt_uuid, require, uuid};
use crate::db::models::EnrolmentRow;
use crate::db::schema::{enrolment_events, enrolments, people, schools};
use crate::error::ApiError;
use crate::paging::{PageRequest, new_id};
use crate::routes::{ReadErrors, State, WriteErrors};

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
    id: Path<Uuid>,
    params: Query<ListParams>,
) -> Result<Json<EnrolmentPage>, ApiError> {
    let cohort_id = id.into_inner();
    let page = PageRequest::parse(&params)?;
    let out = state
        .db
        .run_as(caller, move |conn, caller| {
            let cohort = facts::cohort(conn, cohort_id)?.ok_or_else(|| ApiError::not_found("cohort"))?;
            require(&caller, Action::Read, &Resource::Cohort(cohort.clone()), "cohort")?;
            // A cohort holds tens of enrolments, so one query and an in-memory filter through
            // the authorisation function is both cheap and the single source of truth.
            let mut q = enrolments::table
                .inner_join(people::table.inner_join(schools::table))
                .filter(enrolments::cohort_id.eq(cohort_id.to_string()))
                .into_boxed();
            if let Some(after) = &page.after {
                q = q.filter(enrolments::id.gt(after.clone()));
            }
            if let Some(since) = page.updated_since {
                q = q.filter(enrolments::updated_at.ge(since));
            }
            let rows: Vec<(EnrolmentRow, PersonCols)> =
                q.order(enrolments::id.asc()).select((EnrolmentRow::as_select(), person_cols())).load(conn)?;
            let mut visible = vec![];
            for (row, p) in rows {
                let facts = EnrolmentFacts {
                    person_id: uuid(&row.person_id)?,
                    school: SchoolFacts { id: uuid(&p.2)?, trust_id: opt_uuid(p.4.as_deref())? },
                    cohort: cohort.clone(),
                    coach_person_id: opt_uuid(row.coach_person_id.as_deref())?,
                };
                if authorize(&caller.principal, Action::Read, &Resource::Enrolment(facts)).is_ok() {
                    visible.push((row, p));
                    if visible.len() as i64 == page.fetch() {
                        break;
                    }
                }
            }
            let (rows, next) = page.finish(visible, |(r, _)| &r.id);
            let items = rows.iter().map(|(r, p)| to_wire(r, p)).collect::<Result<_, _>>()?;
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
    id: Path<Uuid>,
    body: Json<CreateEnrolment>,
) -> Result<HttpResponse, ApiError> {
    let cohort_id = id.into_inner();
    let person_id = body.person_id;
    let enrolment = state
        .db
        .tx_as(caller, move |conn, caller| {
            let cohort = facts::cohort(conn, cohort_id)?.ok_or_else(|| ApiError::not_found("cohort"))?;
            let school = facts::person(conn, person_id)?
                .ok_or_else(|| ApiError::field("unknown_person", "person_id", "no such person"))?;
            let facts = EnrolmentFacts { person_id, school, cohort, coach_person_id: None };
            if authorize(&caller.principal, Action::Create, &Resource::Enrolment(facts)).is_err() {
                // Do not reveal whether the person exists to a caller who may not see them.
                let may_see =
                    authorize(&caller.principal, Action::Read, &Resource::Person { person_id, school }).is_ok();
                return Err(if may_see {
                    ApiError::forbidden()
                } else {
                    ApiError::field("unknown_person", "person_id", "no such person")
                });
            }
            let taken: i64 = enrolments::table
                .filter(enrolments::cohort_id.eq(cohort_id.to_string()))
                .filter(enrolments::person_id.eq(person_id.to_string()))
                .count()
                .get_result(conn)?;
            if taken > 0 {
                return Err(ApiError::conflict_on(
                    "already_enrolled",
                    "person_id",
                    "this person is already enrolled in this cohort",
                ));
            }
            let now = crate::now();
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
            };
            diesel::insert_into(enrolments::table).values(&row).execute(conn)?;
            load_one(conn, uuid(&row.id)?)
        })
        .await?;
    Ok(HttpResponse::Created().json(enrolment))
}

#[utoipa::path(operation_id = "get_enrolment", tag = "cohorts", security(("bearer" = [])), params(("id" = Uuid, Path)), responses((status = 200, body = Enrolment), ReadErrors))]
#[get("/enrolments/{id}")]
pub async fn get_enrolment(state: State, caller: Bearer, id: Path<Uuid>) -> Result<Json<Enrolment>, ApiError> {
    let id = id.into_inner();
    let enrolment = state.db.run_as(caller, move |conn, caller| load_allowed(conn, &caller, Action::Read, id)).await?;
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
                Some(person) => crate::db::enrolments::of_person(conn, person),
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
async fn transition(state: State, caller: Bearer, id: Uuid, t: Transition) -> Result<Json<Enrolment>, ApiError> {
    let enrolment = state
        .db
        .tx_as(caller, move |conn, caller| {
            let facts = facts::enrolment(conn, id)?.ok_or_else(|| ApiError::not_found("enrolment"))?;
            require(&caller, Action::Transition(t.kind()), &Resource::Enrolment(facts), "enrolment")?;
            let mut row: EnrolmentRow =
                enrolments::table.find(id.to_string()).select(EnrolmentRow::as_select()).first(conn)?;
            let before = row.state()?;
            let after = before.apply(&t).map_err(|e| ApiError::conflict("illegal_transition", e.to_string()))?;
            let now = crate::now();
            row.status = after.status.as_str().into();
            row.deferred_from = after.deferred_from.map(|s| s.as_str().into());
            if let Transition::Withdraw(reason) = &t {
                row.withdrawal_reason = Some(reason.kind.as_str().into());
                row.withdrawal_details = reason.details.clone();
            }
            row.updated_at = now;
            let unchanged = enrolments::table
                .find(id.to_string())
                .filter(enrolments::status.eq(before.status.as_str()));
            let written = match before.deferred_from {
                Some(from) => diesel::update(unchanged.filter(enrolments::deferred_from.eq(from.as_str())))
                    .set(&row)
                    .execute(conn)?,
                None => diesel::update(unchanged.filter(enrolments::deferred_from.is_null())).set(&row).execute(conn)?,
            };
            if written == 0 {
                let current: String =
                    enrolments::table.find(id.to_string()).select(enrolments::status).first(conn)?;
                return Err(ApiError::conflict(
                    "illegal_transition",
                    format!("the enrolment changed while this request was made (it is now {current}); reload it and try again"),
                ));
            }
            diesel::insert_into(enrolment_events::table)
                .values((
                    enrolment_events::id.eq(new_id()),
                    enrolment_events::enrolment_id.eq(id.to_string()),
                    enrolment_events::transition.eq(t.kind().as_str()),
                    enrolment_events::from_status.eq(before.status.as_str()),
                    enrolment_events::to_status.eq(after.status.as_str()),
                    enrolment_events::actor.eq(caller.actor()),
                    enrolment_events::created_at.eq(now),
                ))
                .execute(conn)?;
            load_one(conn, id)
        })
        .await?;
    Ok(Json(enrolment))
}

macro_rules! simple_transition {
    ($fn:ident, $path:literal, $t:expr, $doc:literal) => {
        #[doc = $doc]
        #[utoipa::path(operation_id = stringify!($fn), tag = "cohorts", security(("bearer" = [])), params(("id" = Uuid, Path)), responses((status = 200, body = Enrolment), WriteErrors))]
        #[post($path)]
        pub async fn $fn(state: State, caller: Bearer, id: Path<Uuid>) -> Result<Json<Enrolment>, ApiError> {
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
simple_transition!(
    complete_enrolment,
    "/enrolments/{id}/complete",
    Transition::Complete,
    "Marks an active enrolment completed: the cohort's facilitators."
);

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
    id: Path<Uuid>,
    body: Json<WithdrawRequest>,
) -> Result<Json<Enrolment>, ApiError> {
    body.validate()?;
    let reason = WithdrawalReason::parse(body.reason, body.details.as_deref()).map_err(|e| match e {
        WithdrawalReasonError::OtherNeedsDetails => ApiError::field("details_required", "details", e.to_string()),
        WithdrawalReasonError::DetailsTooLong => ApiError::field("length", "details", e.to_string()),
    })?;
    transition(state, caller, id.into_inner(), Transition::Withdraw(reason)).await
}
