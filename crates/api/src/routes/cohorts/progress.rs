//! Programme rules at work: presets, progress against a programme's definition, report drafts.

use actix_web::{get, web::Json, web::Path, web::Query};
use chrono::{Datelike, NaiveDate};
use diesel::prelude::*;
use std::collections::HashMap;
use trellis_domain::authz::{Action, EnrolmentFacts, Resource, SchoolFacts, authorize};
use trellis_domain::rules::{Facts, RequirementStatus, TermCalendar, evaluate};
use trellis_wire::{CohortProgress, EnrolmentProgress, EnrolmentProgressSummary, ProgressParams};
use uuid::Uuid;

use crate::auth::Bearer;
use crate::db::facts::{self, opt_uuid, require, uuid};
use crate::db::models::ProgrammeRow;
use crate::db::schema::{cohorts, enrolments, organisations, people, programmes, schools};
use crate::db::{DbConn, rule_facts};
use crate::error::ApiError;
use crate::routes::{ReadErrors, State};

/// Term calendars of the given trusts, in one query; a trust without one uses the defaults.
fn calendars(conn: &mut DbConn, trust_ids: &[String]) -> Result<HashMap<String, TermCalendar>, ApiError> {
    let rows: Vec<(String, Option<String>)> = organisations::table
        .filter(organisations::id.eq_any(trust_ids))
        .select((organisations::id, organisations::term_calendar))
        .load(conn)?;
    let mut out = HashMap::new();
    for (id, cal) in rows {
        if let Some(cal) = cal {
            out.insert(id, serde_json::from_str(&cal).map_err(ApiError::internal)?);
        }
    }
    Ok(out)
}

fn as_of(params: &ProgressParams) -> Result<NaiveDate, ApiError> {
    let date = params.as_of.unwrap_or_else(|| chrono::Utc::now().date_naive());
    crate::dates::require_query("as_of", date.year(), crate::dates::YEARS)?;
    Ok(date)
}

/// Every requirement of the programme for one enrolment: met, pending, overdue or failed, with
/// the reason, and whether the participant may be certified.
#[utoipa::path(
    operation_id = "get_enrolment_progress",
    tag = "cohorts",
    security(("bearer" = [])),
    params(("id" = Uuid, Path), ProgressParams),
    responses((status = 200, body = EnrolmentProgress), ReadErrors)
)]
#[get("/enrolments/{id}/progress")]
pub async fn get_enrolment_progress(
    state: State,
    caller: Bearer,
    id: Path<Uuid>,
    params: Query<ProgressParams>,
) -> Result<Json<EnrolmentProgress>, ApiError> {
    let id = id.into_inner();
    let today = as_of(&params)?;
    let out = state
        .db
        .run_as(caller, move |conn, caller| {
            let f = facts::enrolment(conn, id)?.ok_or_else(|| ApiError::not_found("enrolment"))?;
            let trust = f.school.trust_id.map(|t| t.to_string());
            require(&caller, Action::Read, &Resource::Enrolment(f), "enrolment")?;
            let (programme, induction, coach, statement): (ProgrammeRow, NaiveDate, Option<String>, Option<String>) =
                enrolments::table
                    .inner_join(cohorts::table.inner_join(programmes::table))
                    .filter(enrolments::id.eq(id.to_string()))
                    .select((
                        ProgrammeRow::as_select(),
                        cohorts::induction_date,
                        enrolments::coach_person_id,
                        enrolments::coach_statement,
                    ))
                    .first(conn)?;
            let calendar = match trust {
                Some(t) => calendars(conn, std::slice::from_ref(&t))?.remove(&t).unwrap_or_default(),
                None => TermCalendar::default(),
            };
            let key = id.to_string();
            let facts = rule_facts::load(conn, induction, &[(key.clone(), coach, statement)])?
                .remove(&key)
                .unwrap_or_else(|| Facts::new(induction));
            let progress = evaluate(&programme.definition()?, &facts, today, &calendar);
            Ok(EnrolmentProgress { enrolment_id: id, programme_id: uuid(&programme.id)?, as_of: today, progress })
        })
        .await?;
    Ok(Json(out))
}

/// (enrolment id, person id, coach, status, given name, family name, school id, trust id, coach statement)
type ProgressRow = (String, String, Option<String>, String, String, String, String, Option<String>, Option<String>);

/// A summary of every visible enrolment's progress in one response, computed from three queries
/// however large the cohort.
#[utoipa::path(
    operation_id = "get_cohort_progress",
    tag = "cohorts",
    security(("bearer" = [])),
    params(("id" = Uuid, Path), ProgressParams),
    responses((status = 200, body = CohortProgress), ReadErrors)
)]
#[get("/cohorts/{id}/progress")]
pub async fn get_cohort_progress(
    state: State,
    caller: Bearer,
    id: Path<Uuid>,
    params: Query<ProgressParams>,
) -> Result<Json<CohortProgress>, ApiError> {
    let cohort_id = id.into_inner();
    let today = as_of(&params)?;
    let out = state
        .db
        .run_as(caller, move |conn, caller| {
            let cohort = facts::cohort(conn, cohort_id)?.ok_or_else(|| ApiError::not_found("cohort"))?;
            require(&caller, Action::Read, &Resource::Cohort(cohort.clone()), "cohort")?;
            let (programme, induction): (ProgrammeRow, NaiveDate) = cohorts::table
                .inner_join(programmes::table)
                .filter(cohorts::id.eq(cohort_id.to_string()))
                .select((ProgrammeRow::as_select(), cohorts::induction_date))
                .first(conn)?;
            let definition = programme.definition()?;
            let rows: Vec<ProgressRow> = enrolments::table
                .inner_join(people::table.inner_join(schools::table))
                .filter(enrolments::cohort_id.eq(cohort_id.to_string()))
                .order(enrolments::id.asc())
                .select((
                    enrolments::id,
                    enrolments::person_id,
                    enrolments::coach_person_id,
                    enrolments::status,
                    people::given_name,
                    people::family_name,
                    schools::id,
                    schools::trust_id,
                    enrolments::coach_statement,
                ))
                .load(conn)?;
            let trusts: Vec<String> = rows.iter().filter_map(|r| r.7.clone()).collect();
            let calendars = calendars(conn, &trusts)?;
            let visible: Vec<ProgressRow> = rows
                .into_iter()
                .filter(|r| {
                    let facts = (|| -> Result<EnrolmentFacts, ApiError> {
                        Ok(EnrolmentFacts {
                            person_id: uuid(&r.1)?,
                            school: SchoolFacts { id: uuid(&r.6)?, trust_id: opt_uuid(r.7.as_deref())? },
                            cohort: cohort.clone(),
                            coach_person_id: opt_uuid(r.2.as_deref())?,
                        })
                    })();
                    facts.is_ok_and(|f| authorize(&caller.principal, Action::Read, &Resource::Enrolment(f)).is_ok())
                })
                .collect();
            let keys: Vec<rule_facts::FactKeys> =
                visible.iter().map(|r| (r.0.clone(), r.2.clone(), r.8.clone())).collect();
            let mut all_facts = rule_facts::load(conn, induction, &keys)?;
            let mut items = vec![];
            for (eid, _person, _coach, status, given, family, school, trust, _statement) in visible {
                let calendar = trust.as_ref().and_then(|t| calendars.get(t)).cloned().unwrap_or_default();
                let facts = all_facts.remove(&eid).unwrap_or_else(|| Facts::new(induction));
                let p = evaluate(&definition, &facts, today, &calendar);
                let n = |s| p.count(s) as u32;
                items.push(EnrolmentProgressSummary {
                    enrolment_id: uuid(&eid)?,
                    person_name: format!("{given} {family}"),
                    school_id: uuid(&school)?,
                    status: status.parse().map_err(ApiError::internal)?,
                    met: n(RequirementStatus::Met),
                    pending: n(RequirementStatus::Pending),
                    overdue: n(RequirementStatus::Overdue),
                    failed: n(RequirementStatus::Failed),
                    total: p.requirements.len() as u32,
                    certifiable: p.certifiable,
                });
            }
            Ok(CohortProgress { cohort_id, programme_id: uuid(&programme.id)?, as_of: today, items })
        })
        .await?;
    Ok(Json(out))
}
