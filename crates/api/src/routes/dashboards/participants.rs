//! The DfE Lead Provider API's concepts over Trellis's records, so an NPQ provider maps one onto
//! the other: participants with each enrolment's `training_status` (active, deferred, withdrawn,
//! with the reason and date), `course_identifier` and `cohort`; and outcomes (`passed`, `failed`,
//! with their `completion_date`). The envelope is the house one (`items`, `next_cursor`) and the
//! scope is the progress feed's: what the caller may read across cohorts.

use std::collections::HashMap;

use actix_web::get;
use actix_web::web::{Json, Path, Query};
use trellis_domain::EnrolmentStatus;
use trellis_domain::enrolment::{TransitionKind, dfe_cohort};
use trellis_domain::ids::PersonId;
use trellis_wire::{
    OutcomeRecord, Participant, ParticipantDeferral, ParticipantEnrolment, ParticipantFeed, ParticipantOutcomeFeed,
    ParticipantWithdrawal, PeopleFeedParams,
};

use crate::auth::Bearer;
use crate::db::allowed;
use crate::db::dashboards::{self, OutcomeRow, ParticipantRows};
use crate::db::facts::uuid;
use crate::error::ApiError;
use crate::paging::PageRequest;
use crate::routes::{ReadErrors, State};

/// Turns the rows into one participant per person, in the order of `rows.people`.
fn participants(rows: ParticipantRows) -> Result<Vec<Participant>, ApiError> {
    let ParticipantRows { people, enrolments, moved_at } = rows;
    let urns: HashMap<&str, &str> = people.iter().map(|p| (p.id.as_str(), p.school_urn.as_str())).collect();
    let mut by_person: HashMap<String, Vec<ParticipantEnrolment>> = HashMap::new();
    for e in enrolments {
        let status: EnrolmentStatus = e.status.parse().map_err(ApiError::internal)?;
        let moved = |t: TransitionKind| moved_at.get(&(e.id.clone(), t.as_str().to_owned())).map(|at| at.date());
        let withdrawal = match (status, &e.withdrawal_reason) {
            (EnrolmentStatus::Withdrawn, Some(reason)) => Some(ParticipantWithdrawal {
                reason: reason.parse().map_err(ApiError::internal)?,
                details: e.withdrawal_details.clone(),
                date: moved(TransitionKind::Withdraw).unwrap_or(e.updated_at.date()),
            }),
            _ => None,
        };
        let deferral = match (status, &e.deferred_from) {
            (EnrolmentStatus::Deferred, Some(from)) => Some(ParticipantDeferral {
                date: moved(TransitionKind::Defer).unwrap_or(e.updated_at.date()),
                resumes_to: from.parse().map_err(ApiError::internal)?,
            }),
            _ => None,
        };
        let item = ParticipantEnrolment {
            enrolment_id: uuid(&e.id)?,
            course_identifier: e.preset_key.unwrap_or_else(|| e.programme_id.clone()),
            programme_id: uuid(&e.programme_id)?,
            programme_name: e.programme_name,
            cohort: dfe_cohort(e.start_date).to_string(),
            cohort_id: uuid(&e.cohort_id)?,
            cohort_name: e.cohort_name,
            training_status: status.training_status(),
            status,
            school_urn: urns.get(e.person_id.as_str()).copied().unwrap_or_default().to_owned(),
            left_school_on: e.left_school_on,
            withdrawal,
            deferral,
            created_at: e.created_at.and_utc(),
            updated_at: e.updated_at.and_utc(),
        };
        by_person.entry(e.person_id).or_default().push(item);
    }
    people
        .into_iter()
        .map(|p| {
            let enrolments = by_person.remove(&p.id).unwrap_or_default();
            let updated_at = enrolments.iter().map(|e| e.updated_at).fold(p.updated_at.and_utc(), std::cmp::max);
            Ok(Participant {
                id: uuid(&p.id)?,
                full_name: format!("{} {}", p.given_name, p.family_name),
                mis_id: p.mis_id,
                school_urn: p.school_urn,
                left_on: p.left_on,
                enrolments,
                updated_at,
            })
        })
        .collect()
}

/// Participants, DfE-shaped: each person with an enrolment the caller may read (an MIS client with
/// `progress:read`: its schools' staff), by person id, with every such enrolment's
/// `training_status`. With `updated_since`, those whose person or any enrolment changed — each sent
/// whole, so a withdrawal or deferral shows as a `training_status`, never as a missing row.
#[utoipa::path(
    operation_id = "list_participants",
    tag = "dashboards",
    security(("bearer" = [])),
    params(PeopleFeedParams),
    responses((status = 200, body = ParticipantFeed), ReadErrors)
)]
#[get("/participants")]
pub async fn list_participants(
    state: State,
    caller: Bearer,
    params: Query<PeopleFeedParams>,
) -> Result<Json<ParticipantFeed>, ApiError> {
    let page = PageRequest::parse(&params.paging())?;
    let school = params.school_id.map(|s| s.to_string());
    let out = state
        .db
        .run_as(caller, move |conn, caller| {
            let scope = allowed::enrolments_across_cohorts(&caller);
            let ids = dashboards::cpd_people_page(conn, &scope, school.as_deref(), &page)?;
            let (ids, next_cursor) = page.finish(ids, |id| id);
            let items = participants(dashboards::participant_rows(conn, &scope, &ids)?)?;
            Ok(ParticipantFeed { items, next_cursor })
        })
        .await?;
    Ok(Json(out))
}

/// One participant, DfE-shaped, with the enrolments of theirs the caller may read.
#[utoipa::path(
    operation_id = "get_participant",
    tag = "dashboards",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = Participant), ReadErrors)
)]
#[get("/participants/{id}")]
pub async fn get_participant(state: State, caller: Bearer, id: Path<PersonId>) -> Result<Json<Participant>, ApiError> {
    let id = id.into_inner();
    let out = state
        .db
        .run_as(caller, move |conn, caller| {
            let person = allowed::person::<allowed::person::Read>(conn, &caller, id)?;
            let scope = allowed::enrolments_across_cohorts(&caller);
            let rows = dashboards::participant_rows(conn, &scope, &[person.id.to_string()])?;
            participants(rows)?.pop().ok_or_else(|| ApiError::not_found("person"))
        })
        .await?;
    Ok(Json(out))
}

fn outcome(r: OutcomeRow) -> Result<OutcomeRecord, ApiError> {
    Ok(OutcomeRecord {
        id: uuid(&r.id)?,
        enrolment_id: uuid(&r.enrolment_id)?,
        participant_id: uuid(&r.person_id)?,
        state: r.state.parse().map_err(ApiError::internal)?,
        completion_date: r.completion_date,
        course_identifier: r.preset_key.unwrap_or(r.programme_id),
        created_at: r.created_at.and_utc(),
    })
}

/// Outcomes, DfE-shaped: every final-assessment outcome (`passed`, `failed`) recorded on an
/// enrolment the caller may read, by outcome id, which is the order they were recorded in. An
/// outcome is never changed or removed (a resubmission records a new one), so a delta with
/// `updated_since` is the outcomes recorded since.
#[utoipa::path(
    operation_id = "list_participant_outcomes",
    tag = "dashboards",
    security(("bearer" = [])),
    params(PeopleFeedParams),
    responses((status = 200, body = ParticipantOutcomeFeed), ReadErrors)
)]
#[get("/participants/outcomes")]
pub async fn list_participant_outcomes(
    state: State,
    caller: Bearer,
    params: Query<PeopleFeedParams>,
) -> Result<Json<ParticipantOutcomeFeed>, ApiError> {
    let page = PageRequest::parse(&params.paging())?;
    let school = params.school_id.map(|s| s.to_string());
    let out = state
        .db
        .run_as(caller, move |conn, caller| {
            let scope = allowed::enrolments_across_cohorts(&caller);
            let rows = dashboards::outcomes_page(conn, &scope, school.as_deref(), &page)?;
            let (rows, next_cursor) = page.finish(rows, |r| &r.id);
            let items = rows.into_iter().map(outcome).collect::<Result<_, _>>()?;
            Ok(ParticipantOutcomeFeed { items, next_cursor })
        })
        .await?;
    Ok(Json(out))
}
