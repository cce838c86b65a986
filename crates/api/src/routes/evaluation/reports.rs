//! `/cohorts/{id}/evaluation`: the report, its narrative, its CSV, and its interviews.

use std::collections::BTreeSet;

use actix_web::web::{Json, Path};
use actix_web::{HttpResponse, get, post, put};
use chrono::NaiveDateTime;
use trellis_domain::EnrolmentStatus;
use trellis_domain::StaffRole;
use trellis_domain::enrolment::WithdrawalReasonKind;
use trellis_domain::evaluation::{self as rules, QUESTIONS};
use trellis_domain::ids::CohortId;
use trellis_domain::portfolio::PosterTheme;
use trellis_domain::rules::definition::SessionKind;
use trellis_wire::{
    CohortStatistics, CreateEvaluationInterview, EvaluationInterview, EvaluationNarrative, EvaluationQuestion,
    EvaluationReport, KindAttendance, PosterSummary, StatusCount, ThemeCount, WithdrawalCount,
};
use validator::Validate;

use crate::auth::{Bearer, Caller};
use crate::db::DbConn;
use crate::db::allowed::{self, LoadedCohort, cohort};
use crate::db::evaluation::{self as db, InterviewRow, NarrativeRow};
use crate::db::facts::uuid;
use crate::error::ApiError;
use crate::paging::new_id;
use crate::routes::{ReadErrors, State, WriteErrors};

fn interview(row: &InterviewRow, school_name: &str) -> Result<EvaluationInterview, ApiError> {
    Ok(EvaluationInterview {
        id: uuid(&row.id)?,
        stage: row.stage.parse().map_err(ApiError::internal)?,
        role: row.role.parse().map_err(ApiError::internal)?,
        school_id: uuid(&row.school_id)?,
        school_name: school_name.to_owned(),
        interviewee: row.interviewee.clone(),
        held_on: row.held_on,
        expected: row.expected.clone(),
        impact: row.impact.clone(),
        challenges: row.challenges.clone(),
        notes: row.notes.clone(),
    })
}

fn statistics(conn: &mut DbConn, cohort: &str, now: NaiveDateTime) -> Result<CohortStatistics, ApiError> {
    let enrolled = db::enrolled(conn, cohort)?;
    let governor = StaffRole::Governor.as_str();
    let leaders: Vec<&db::Enrolled> = enrolled.iter().filter(|e| e.staff_role != governor).collect();
    let governors: Vec<&db::Enrolled> = enrolled.iter().filter(|e| e.staff_role == governor).collect();
    let is = |e: &db::Enrolled, s: EnrolmentStatus| e.status == s.as_str();
    let by_status = EnrolmentStatus::ALL
        .iter()
        .map(|s| StatusCount { status: *s, count: enrolled.iter().filter(|e| is(e, *s)).count() as u32 })
        .collect();
    let withdrawals = WithdrawalReasonKind::ALL
        .iter()
        .filter_map(|r| {
            let these: Vec<&db::Enrolled> =
                enrolled.iter().filter(|e| e.withdrawal_reason.as_deref() == Some(r.as_str())).collect();
            (!these.is_empty()).then(|| WithdrawalCount {
                reason: *r,
                count: these.len() as u32,
                details: these.iter().filter_map(|e| e.withdrawal_details.clone()).collect(),
            })
        })
        .collect();
    let (held, marks) = db::held_sessions(conn, cohort, now)?;
    let attendance = SessionKind::ALL
        .iter()
        .filter_map(|k| {
            let ids: Vec<&str> =
                held.iter().filter(|(_, kind)| kind == k.as_str()).map(|(id, _)| id.as_str()).collect();
            if ids.is_empty() {
                return None;
            }
            let of: Vec<&str> =
                marks.iter().filter(|(s, _)| ids.contains(&s.as_str())).map(|(_, status)| status.as_str()).collect();
            let count = |s: &str| of.iter().filter(|x| **x == s).count() as u32;
            let (present, late) = (count("present"), count("late"));
            Some(KindAttendance {
                kind: *k,
                sessions: ids.len() as u32,
                marked: of.len() as u32,
                present,
                late,
                absent: count("absent"),
                apologies: count("apologies"),
                attendance_percent: rules::attended(present, late, of.len() as u32),
            })
        })
        .collect();
    let finished = |e: &&&db::Enrolled| is(e, EnrolmentStatus::Completed) || is(e, EnrolmentStatus::Certified);
    let completed = leaders.iter().filter(finished).count() as u32;
    let started = leaders.iter().filter(|e| !is(e, EnrolmentStatus::Nominated)).count() as u32;
    Ok(CohortStatistics {
        participants: leaders.len() as u32,
        schools: leaders.iter().map(|e| e.school_id.as_str()).collect::<BTreeSet<_>>().len() as u32,
        governors: governors.len() as u32,
        governor_schools: governors.iter().map(|e| e.school_id.as_str()).collect::<BTreeSet<_>>().len() as u32,
        by_status,
        withdrawals,
        attendance,
        completed,
        started,
        completion_percent: rules::percent(completed, started),
    })
}

/// The whole report, for a caller who runs the cohort.
fn report(
    conn: &mut DbConn,
    caller: &Caller,
    c: &allowed::Allowed<LoadedCohort, cohort::Run>,
    now: NaiveDateTime,
) -> Result<EvaluationReport, ApiError> {
    let id = c.id.to_string();
    let heading = db::heading(conn, &id)?;
    let interviews =
        db::interviews(conn, &id)?.iter().map(|(row, school)| interview(row, school)).collect::<Result<Vec<_>, _>>()?;
    // Handed-in posters the caller may read, as the cohort's poster board shows them.
    let readable = allowed::cohort::<cohort::Read>(conn, caller, c.id)?;
    let mut posters = vec![];
    for e in allowed::posters(conn, caller, &readable)? {
        let Some(p) = e.row.poster()? else { continue };
        posters.push(PosterSummary {
            entry_id: e.id.uuid(),
            title: e.row.title.clone(),
            participant: format!("{} {}", e.person.0, e.person.1),
            school_name: e.person.3.clone(),
            focus: p.focus,
            impact: p.impact,
            themes: p.themes,
        });
    }
    let themes = PosterTheme::ALL
        .iter()
        .map(|t| ThemeCount { theme: *t, posters: posters.iter().filter(|p| p.themes.contains(t)).count() as u32 })
        .collect();
    let narrative = db::narrative(conn, &id)?;
    Ok(EvaluationReport {
        cohort_id: c.id.uuid(),
        cohort_name: heading.cohort_name,
        programme_name: heading.programme_name,
        provider_name: heading.provider_name,
        starts_on: heading.starts_on,
        ends_on: heading.ends_on,
        statistics: statistics(conn, &id, now)?,
        questions: QUESTIONS
            .iter()
            .map(|(field, question)| EvaluationQuestion { field: (*field).into(), question: (*question).into() })
            .collect(),
        interviews,
        themes,
        posters,
        updated_at: narrative.as_ref().map(|n| n.updated_at.and_utc()),
        narrative: narrative
            .map(|n| EvaluationNarrative {
                background: n.background,
                challenges: n.challenges,
                conclusion: n.conclusion,
            })
            .unwrap_or_default(),
    })
}

/// A cohort's evaluation report, laid out as the seed's Year 1 report: the cohort in numbers
/// (participants, schools, governors engaged, enrolments by status, withdrawals with their
/// reasons, attendance by kind of session, completion), the interview questions and every
/// interview, the handed-in impact posters by theme, and the evaluator's narrative. The
/// cohort's facilitators read it.
#[utoipa::path(
    operation_id = "get_cohort_evaluation",
    tag = "evaluation",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Cohort id")),
    responses((status = 200, body = EvaluationReport), ReadErrors)
)]
#[get("/cohorts/{id}/evaluation")]
pub async fn get_cohort_evaluation(
    state: State,
    caller: Bearer,
    id: Path<CohortId>,
) -> Result<Json<EvaluationReport>, ApiError> {
    let id = id.into_inner();
    let clock = state.clock;
    let out = state
        .db
        .run_as(caller, move |conn, caller| {
            let c = allowed::cohort::<cohort::Run>(conn, &caller, id)?;
            report(conn, &caller, &c, clock.now())
        })
        .await?;
    Ok(Json(out))
}

/// Writes the evaluator's narrative: the background, the challenges met, the conclusion
/// (replacing what was there).
#[utoipa::path(
    operation_id = "update_cohort_evaluation",
    tag = "evaluation",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Cohort id")),
    request_body = EvaluationNarrative,
    responses((status = 200, body = EvaluationReport), WriteErrors)
)]
#[put("/cohorts/{id}/evaluation")]
pub async fn update_cohort_evaluation(
    state: State,
    caller: Bearer,
    id: Path<CohortId>,
    body: Json<EvaluationNarrative>,
) -> Result<Json<EvaluationReport>, ApiError> {
    let (id, body) = (id.into_inner(), body.into_inner());
    let clock = state.clock;
    let out = state
        .db
        .tx_as(caller, move |conn, caller| {
            let c = allowed::cohort::<cohort::Run>(conn, &caller, id)?;
            body.validate()?;
            let now = clock.now();
            db::save_narrative(
                conn,
                &NarrativeRow {
                    cohort_id: c.id.to_string(),
                    background: body.background.trim().to_owned(),
                    challenges: body.challenges.trim().to_owned(),
                    conclusion: body.conclusion.trim().to_owned(),
                    updated_by: caller.actor(),
                    updated_at: now,
                },
            )?;
            report(conn, &caller, &c, now)
        })
        .await?;
    Ok(Json(out))
}

/// Records an interview with a head or a governor of a school taking part (one with someone
/// enrolled), at the interim or end stage, with an answer to each of the report's questions.
#[utoipa::path(
    operation_id = "create_evaluation_interview",
    tag = "evaluation",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Cohort id")),
    request_body = CreateEvaluationInterview,
    responses((status = 201, body = EvaluationInterview), WriteErrors)
)]
#[post("/cohorts/{id}/evaluation/interviews")]
pub async fn create_evaluation_interview(
    state: State,
    caller: Bearer,
    id: Path<CohortId>,
    body: Json<CreateEvaluationInterview>,
) -> Result<HttpResponse, ApiError> {
    let (id, body) = (id.into_inner(), body.into_inner());
    let clock = state.clock;
    let out = state
        .db
        .tx_as(caller, move |conn, caller| {
            let c = allowed::cohort::<cohort::Run>(conn, &caller, id)?;
            body.validate()?;
            let cid = c.id.to_string();
            let school = body.school_id.to_string();
            let enrolled = db::enrolled(conn, &cid)?;
            let Some(taking_part) = enrolled.iter().find(|e| e.school_id == school) else {
                return Err(ApiError::field(
                    "school_not_in_cohort",
                    "school_id",
                    "no one from this school is enrolled in the cohort",
                ));
            };
            let school_name = taking_part.school_name.clone();
            let now = clock.now();
            let heading = db::heading(conn, &cid)?;
            rules::check_interview(
                body.held_on,
                heading.starts_on,
                now.date(),
                [&body.expected, &body.impact, &body.challenges],
            )
            .map_err(|e| ApiError::field(e.code(), e.field(), e.to_string()))?;
            let row = InterviewRow {
                id: new_id(),
                cohort_id: cid,
                stage: body.stage.as_str().into(),
                role: body.role.as_str().into(),
                school_id: school,
                interviewee: body.interviewee.trim().to_owned(),
                held_on: body.held_on,
                expected: body.expected.trim().to_owned(),
                impact: body.impact.trim().to_owned(),
                challenges: body.challenges.trim().to_owned(),
                notes: body.notes.trim().to_owned(),
                created_by: caller.actor(),
                created_at: now,
            };
            db::insert_interview(conn, &row)?;
            interview(&row, &school_name)
        })
        .await?;
    Ok(HttpResponse::Created().json(out))
}

const COLUMNS: [&str; 4] = ["section", "item", "value", "text"];

/// The report as CSV, one fact a row (`section`, `item`, `value`, `text`): the statistics,
/// attendance by kind, withdrawals, poster themes, each interview's answers and the narrative.
#[utoipa::path(
    operation_id = "export_cohort_evaluation",
    tag = "evaluation",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Cohort id")),
    responses((status = 200, description = "RFC 4180 CSV with a header row", content_type = "text/csv", body = String), ReadErrors)
)]
#[get("/cohorts/{id}/evaluation/export")]
pub async fn export_cohort_evaluation(
    state: State,
    caller: Bearer,
    id: Path<CohortId>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let clock = state.clock;
    let r = state
        .db
        .run_as(caller, move |conn, caller| {
            let c = allowed::cohort::<cohort::Run>(conn, &caller, id)?;
            report(conn, &caller, &c, clock.now())
        })
        .await?;
    let s = &r.statistics;
    let row =
        |section: &str, item: &str, value: String, text: String| vec![section.to_owned(), item.to_owned(), value, text];
    let pct = |p: Option<u32>| p.map(|p| p.to_string()).unwrap_or_default();
    let mut rows = vec![
        row("cohort", "name", r.cohort_name.clone(), format!("{}, {}", r.programme_name, r.provider_name)),
        row("cohort", "dates", r.starts_on.to_string(), r.ends_on.to_string()),
        row("statistics", "participants", s.participants.to_string(), String::new()),
        row("statistics", "schools", s.schools.to_string(), String::new()),
        row("statistics", "governors", s.governors.to_string(), format!("{} schools", s.governor_schools)),
        row("statistics", "completion_percent", pct(s.completion_percent), format!("{} of {}", s.completed, s.started)),
    ];
    rows.extend(s.by_status.iter().map(|b| row("status", b.status.as_str(), b.count.to_string(), String::new())));
    rows.extend(
        s.withdrawals.iter().map(|w| row("withdrawal", w.reason.as_str(), w.count.to_string(), w.details.join("; "))),
    );
    rows.extend(s.attendance.iter().map(|a| {
        let text = format!(
            "{} sessions; {} marks: {} present, {} late, {} absent, {} apologies",
            a.sessions, a.marked, a.present, a.late, a.absent, a.apologies
        );
        row("attendance", a.kind.as_str(), pct(a.attendance_percent), text)
    }));
    rows.extend(r.themes.iter().map(|t| row("poster_theme", t.theme.as_str(), t.posters.to_string(), String::new())));
    for i in &r.interviews {
        let who =
            format!("{} {} ({}, {}, {})", i.stage.as_str(), i.role.as_str(), i.interviewee, i.school_name, i.held_on);
        for (field, answer) in
            [("expected", &i.expected), ("impact", &i.impact), ("challenges", &i.challenges), ("notes", &i.notes)]
        {
            rows.push(row("interview", field, who.clone(), answer.clone()));
        }
    }
    for (item, text) in [
        ("background", &r.narrative.background),
        ("challenges", &r.narrative.challenges),
        ("conclusion", &r.narrative.conclusion),
    ] {
        rows.push(row("narrative", item, String::new(), text.clone()));
    }
    crate::export::csv_download(&format!("trellis-evaluation-{}.csv", r.cohort_id), &COLUMNS, rows)
}
