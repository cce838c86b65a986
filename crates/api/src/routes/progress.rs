//! Programme rules at work: presets, progress against a programme's definition, report drafts.

use actix_web::{HttpResponse, get, put, web::Json, web::Path, web::Query};
use chrono::{Datelike, NaiveDate};
use diesel::prelude::*;
use std::collections::HashMap;
use trellis_domain::EnrolmentStatus;
use trellis_domain::authz::{Action, EnrolmentFacts, Resource, SchoolFacts, authorize};
use trellis_domain::rules::{self, Facts, RequirementStatus, TermCalendar, evaluate, word_count};
use trellis_wire::{
    CohortProgress, EnrolmentProgress, EnrolmentProgressSummary, PresetList, ProgressParams, ReportDraft,
    SaveReportDraft,
};
use uuid::Uuid;
use validator::Validate;

use super::{ReadErrors, State, WriteErrors};
use crate::auth::Bearer;
use crate::db::DbConn;
use crate::error::ApiError;
use crate::etag::{self, IfMatch};
use crate::facts::{self, opt_uuid, require, uuid};
use crate::models::ProgrammeRow;
use crate::schema::{cohorts, enrolments, organisations, people, programmes, report_drafts, schools};

/// The built-in programme definitions, each from a real programme description.
#[utoipa::path(operation_id = "list_programme_presets", tag = "programmes", security(("bearer" = [])), responses((status = 200, body = PresetList), ReadErrors))]
#[get("/programme-presets")]
pub async fn list_programme_presets(state: State, caller: Bearer) -> Result<Json<PresetList>, ApiError> {
    state
        .db
        .run_as(caller, move |_, caller| {
            require(&caller, Action::Read, &Resource::Organisation, "preset")?;
            Ok(Json(PresetList { items: rules::presets() }))
        })
        .await
}

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

/// One enrolment's keys for building facts: (enrolment id, coach person, coach's statement).
pub type FactKeys = (String, Option<String>, Option<String>);

/// What the database knows about these enrolments, as rule facts, in a fixed number of queries.
/// Projects, portfolios and submissions are recorded by later features; until then those
/// requirements read pending.
pub fn load_facts(
    conn: &mut DbConn,
    induction: NaiveDate,
    keys: &[FactKeys],
) -> Result<HashMap<String, Facts>, ApiError> {
    let ids: Vec<String> = keys.iter().map(|k| k.0.clone()).collect();
    let mut attended = crate::db::rule_facts::attended_facts(conn, &ids)?;
    let mut coaching = crate::db::rule_facts::coaching_facts(conn, &ids)?;
    let mut out = HashMap::new();
    for (id, coach, statement) in keys {
        let mut facts = Facts::new(induction);
        facts.attended = attended.remove(id).unwrap_or_default();
        facts.coaching_sessions = coaching.remove(id).unwrap_or_default();
        facts.coach_with_statement = coach.as_ref().map(|_| statement.as_deref().is_some_and(|s| !s.trim().is_empty()));
        out.insert(id.clone(), facts);
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
    tag = "enrolments",
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
            let facts = load_facts(conn, induction, &[(key.clone(), coach, statement)])?
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
            let keys: Vec<FactKeys> = visible.iter().map(|r| (r.0.clone(), r.2.clone(), r.8.clone())).collect();
            let mut all_facts = load_facts(conn, induction, &keys)?;
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

fn word_limit(conn: &mut DbConn, enrolment: Uuid) -> Result<Option<u32>, ApiError> {
    let programme: ProgrammeRow = enrolments::table
        .inner_join(cohorts::table.inner_join(programmes::table))
        .filter(enrolments::id.eq(enrolment.to_string()))
        .select(ProgrammeRow::as_select())
        .first(conn)?;
    Ok(programme.definition()?.assessment.and_then(|a| a.word_limit))
}

fn load_draft(conn: &mut DbConn, id: Uuid) -> Result<ReportDraft, ApiError> {
    let limit = word_limit(conn, id)?;
    let row: Option<(String, i64, chrono::NaiveDateTime)> = report_drafts::table
        .find(id.to_string())
        .select((report_drafts::body, report_drafts::words, report_drafts::updated_at))
        .first(conn)
        .optional()?;
    let (text, words, updated_at) = match row {
        Some((text, words, at)) => (text, words.clamp(0, u32::MAX as i64) as u32, Some(at.and_utc())),
        None => (String::new(), 0, None),
    };
    Ok(ReportDraft {
        enrolment_id: id,
        text,
        words,
        word_limit: limit,
        over_limit: limit.is_some_and(|l| words > l),
        updated_at,
    })
}

/// The participant's working draft of their final report, with its word count. Only the
/// participant may read or write it.
#[utoipa::path(operation_id = "get_report_draft", tag = "enrolments", security(("bearer" = [])), params(("id" = Uuid, Path)), responses((status = 200, body = ReportDraft, headers(("ETag" = String, description = "The version, for `If-Match` on the next write"))), (status = 403, body = trellis_wire::Problem, content_type = "application/problem+json"), ReadErrors))]
#[get("/enrolments/{id}/report-draft")]
pub async fn get_report_draft(state: State, caller: Bearer, id: Path<Uuid>) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let draft = state
        .db
        .run_as(caller, move |conn, caller| {
            let f = facts::enrolment(conn, id)?.ok_or_else(|| ApiError::not_found("enrolment"))?;
            require(&caller, Action::Update, &Resource::Enrolment(f), "enrolment")?;
            load_draft(conn, id)
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

/// The enrolment's status, and on PostgreSQL the enrolment row stays locked until the transaction
/// ends, so that saves of one draft queue (each deletes and inserts the draft row; interleaved,
/// two would collide on its key) and a lifecycle move waits for a save in progress. SQLite's
/// write transactions are serial already.
fn status_for_update(conn: &mut DbConn, id: Uuid) -> Result<EnrolmentStatus, ApiError> {
    let q = enrolments::table.find(id.to_string()).select(enrolments::status);
    let status: String = match conn {
        DbConn::Pg(pg) => q.for_no_key_update().first(pg)?,
        other => q.first(other)?,
    };
    status.parse().map_err(ApiError::internal)
}

/// Saves the draft (replacing it) and returns it with the word count the rules use. Saving a
/// draft over the limit is allowed: it is a draft.
#[utoipa::path(
    operation_id = "update_report_draft",
    tag = "enrolments",
    security(("bearer" = [])),
    params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header, nullable = false, description = "The `ETag` of the version this change is based on; a newer version answers 412 `stale_write`. Without it, the last write wins.")),
    responses((status = 200, body = ReportDraft, headers(("ETag" = String, description = "The version, for `If-Match` on the next write"))), (status = 412, body = trellis_wire::Problem, content_type = "application/problem+json", description = "Changed since the `If-Match` version (`stale_write`); the current `ETag` is in the response"), WriteErrors)
)]
#[put("/enrolments/{id}/report-draft")]
pub async fn update_report_draft(
    state: State,
    caller: Bearer,
    id: Path<Uuid>,
    if_match: IfMatch,
    body: Json<SaveReportDraft>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let body = body.into_inner();
    // Parse first: a malformed draft is refused the same way whoever's enrolment it names.
    body.validate()?;
    let draft = state
        .db
        .tx_as(caller, move |conn, caller| {
            let f = facts::enrolment(conn, id)?.ok_or_else(|| ApiError::not_found("enrolment"))?;
            require(&caller, Action::Update, &Resource::Enrolment(f), "enrolment")?;
            // Drafting goes on while the programme is open (nominated, approved, active, or
            // deferred, a pause); a completed, certified or withdrawn enrolment's draft stands as
            // it was and can still be read (see `EnrolmentStatus::open_for_work`).
            let status = status_for_update(conn, id)?;
            if !status.open_for_work() {
                return Err(ApiError::conflict(
                    "enrolment_not_active",
                    format!("this enrolment is {status}: its report draft can no longer change"),
                ));
            }
            let saved: Option<chrono::NaiveDateTime> =
                report_drafts::table.find(id.to_string()).select(report_drafts::updated_at).first(conn).optional()?;
            if_match.check(&etag::of(saved))?;
            let words = word_count(&body.text) as i64;
            let now = crate::now();
            diesel::delete(report_drafts::table.find(id.to_string())).execute(conn)?;
            diesel::insert_into(report_drafts::table)
                .values((
                    report_drafts::enrolment_id.eq(id.to_string()),
                    report_drafts::body.eq(&body.text),
                    report_drafts::words.eq(words),
                    report_drafts::updated_at.eq(now),
                ))
                .execute(conn)?;
            load_draft(conn, id)
        })
        .await?;
    Ok(with_tag(&draft))
}
