//! Rows turned into the rules engine's facts: what was attended and what coaching was logged, for
//! any number of enrolments in one query each.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime, TimeZone};
use chrono_tz::Europe::London;
use diesel::prelude::*;
use trellis_domain::delivery::{AttendanceStatus, HalfDays};
use trellis_domain::rules::Facts;
use trellis_domain::rules::definition::CoachingMode;
use trellis_domain::rules::definition::SessionKind;
use trellis_domain::rules::progress::CoachingSessionFact;

use crate::db::DbConn;
use crate::db::schema::{attendance, coaching_sessions, sessions};
use crate::error::ApiError;

/// Attended, uncancelled sessions of these enrolments, as rule facts: one query for any number.
pub fn attended_facts(
    conn: &mut DbConn,
    enrolment_ids: &[String],
) -> Result<HashMap<String, Vec<trellis_domain::rules::progress::Attended>>, ApiError> {
    // (enrolment, status, half days, kind, starts, led by)
    type Row = (String, String, Option<i32>, String, NaiveDateTime, Option<String>);
    let rows: Vec<Row> = attendance::table
        .inner_join(sessions::table)
        .filter(attendance::enrolment_id.eq_any(enrolment_ids))
        .filter(sessions::cancelled_at.is_null())
        .filter(attendance::status.eq_any([AttendanceStatus::Present.as_str(), AttendanceStatus::Late.as_str()]))
        .select((
            attendance::enrolment_id,
            attendance::status,
            attendance::half_days,
            sessions::kind,
            sessions::starts_at,
            sessions::led_by_enrolment_id,
        ))
        .load(conn)?;
    let mut out: HashMap<String, Vec<_>> = HashMap::new();
    for (eid, _, half, kind, starts, led_by) in rows {
        let kind: SessionKind = kind.parse().map_err(ApiError::internal)?;
        let led_by_participant = led_by.as_deref() == Some(eid.as_str());
        out.entry(eid).or_default().push(trellis_domain::rules::progress::Attended {
            kind,
            date: London.from_utc_datetime(&starts).date_naive(),
            half_days: HalfDays::credited(half, kind).0,
            led_by_participant,
        });
    }
    Ok(out)
}

/// Coaching sessions of these enrolments, as rule facts: one query for any number.
pub fn coaching_facts(
    conn: &mut DbConn,
    ids: &[String],
) -> Result<HashMap<String, Vec<CoachingSessionFact>>, ApiError> {
    let rows: Vec<(String, NaiveDate, String)> = coaching_sessions::table
        .filter(coaching_sessions::enrolment_id.eq_any(ids))
        .select((coaching_sessions::enrolment_id, coaching_sessions::held_on, coaching_sessions::mode))
        .load(conn)?;
    let mut out: HashMap<String, Vec<CoachingSessionFact>> = HashMap::new();
    for (id, date, mode) in rows {
        let mode: CoachingMode = mode.parse().map_err(ApiError::internal)?;
        out.entry(id).or_default().push(CoachingSessionFact { date, mode });
    }
    Ok(out)
}

/// One enrolment's keys for building facts: (enrolment id, coach person, coach's statement).
pub type FactKeys = (String, Option<String>, Option<String>);

/// What the database knows about these enrolments, as rule facts, in a fixed number of queries
/// (plus one per programme with projects). Submissions are recorded by a later feature; until then
/// those requirements read pending.
pub fn load(conn: &mut DbConn, induction: NaiveDate, keys: &[FactKeys]) -> Result<HashMap<String, Facts>, ApiError> {
    let keyed: Vec<(FactKeys, NaiveDate)> = keys.iter().map(|k| (k.clone(), induction)).collect();
    load_many(conn, &keyed)
}

/// [`load`] for enrolments of different cohorts, each with its cohort's induction date.
pub fn load_many(conn: &mut DbConn, keys: &[(FactKeys, NaiveDate)]) -> Result<HashMap<String, Facts>, ApiError> {
    let ids: Vec<String> = keys.iter().map(|k| k.0.0.clone()).collect();
    let mut attended = attended_facts(conn, &ids)?;
    let mut coaching = coaching_facts(conn, &ids)?;
    let mut projects = crate::db::projects::project_facts(conn, &ids)?;
    let mut portfolio = crate::db::portfolio::portfolio_facts(conn, &ids)?;
    let mut assessment = crate::db::assessment::assessment_facts(conn, &ids)?;
    let mut diagnostics = crate::db::diagnostic::diagnostic_facts(conn, &ids)?;
    let mut self_assessed = crate::db::expectations::self_assessment_facts(conn, &ids)?;
    let mut out = HashMap::new();
    for ((id, coach, statement), induction) in keys {
        let mut facts = Facts::new(*induction);
        facts.attended = attended.remove(id).unwrap_or_default();
        facts.coaching_sessions = coaching.remove(id).unwrap_or_default();
        facts.project = projects.remove(id);
        facts.portfolio = portfolio.remove(id).unwrap_or_default();
        facts.diagnostics = diagnostics.remove(id).unwrap_or_default();
        facts.self_assessments = self_assessed.remove(id).unwrap_or_default();
        if let Some((submission, verified, outcome)) = assessment.remove(id) {
            facts.submission = submission;
            facts.coach_verified = verified;
            facts.assessment_outcome = outcome;
        }
        facts.coach_with_statement = coach.as_ref().map(|_| statement.as_deref().is_some_and(|s| !s.trim().is_empty()));
        out.insert(id.clone(), facts);
    }
    Ok(out)
}

/// One enrolment's progress against its programme on `today`, with the programme: its facts
/// loaded, the trust's term calendar, the domain's evaluation.
pub fn progress_of<A>(
    conn: &mut DbConn,
    target: &crate::db::allowed::Allowed<crate::db::allowed::LoadedEnrolment, A>,
    today: NaiveDate,
) -> Result<(crate::db::models::ProgrammeRow, trellis_domain::rules::Progress), ApiError> {
    use trellis_domain::rules::{TermCalendar, evaluate};
    let trust = target.facts.school.trust_id.map(|t| t.to_string());
    let (programme, induction, coach, statement) = crate::db::enrolments::programme_of(conn, target)?;
    let calendar = match trust {
        Some(t) => {
            crate::db::organisations::term_calendars(conn, std::slice::from_ref(&t))?.remove(&t).unwrap_or_default()
        }
        None => TermCalendar::default(),
    };
    let key = target.id.to_string();
    let facts = load(conn, induction, &[(key.clone(), coach, statement)])?
        .remove(&key)
        .unwrap_or_else(|| Facts::new(induction));
    let progress = evaluate(&programme.definition()?, &facts, today, &calendar);
    Ok((programme, progress))
}
