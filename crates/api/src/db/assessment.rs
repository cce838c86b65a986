//! Final-assessment submissions, the coach's verification, assessors, judgements (appended, never
//! overwritten), releases and the DfE-shaped outcomes. Reached through
//! [`crate::db::allowed::submission`] and its kin; a submission's report and judgements leave this
//! module only in [`view`], for the callers `authorize` admits.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use trellis_domain::assessment::{JudgementKind, SubmissionStatus};
use trellis_domain::authz::{Action, Resource};
use trellis_domain::rules::progress::{AssessmentOutcome, SubmissionFact};
use trellis_wire as wire;

use crate::auth::Caller;
use crate::db::DbConn;
use crate::db::allowed::{Allowed, LoadedEnrolment, LoadedSubmission, enrolment, submission};
use crate::db::facts::uuid;
use crate::db::portfolio::FileRow;
use crate::db::schema::{
    assessment_documents, assessment_judgements, assessment_outcomes, assessment_releases, assessment_submissions,
    assessment_verifications, cohorts, enrolments, evidence_files, people, portfolio_entries, programmes, user_roles,
    users,
};
use crate::error::ApiError;
use crate::paging::new_id;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = assessment_submissions)]
pub struct SubmissionRow {
    pub id: String,
    pub enrolment_id: String,
    pub attempt: i32,
    pub project_id: String,
    pub report: String,
    pub words: i64,
    pub status: String,
    pub submitted_on: NaiveDate,
    pub submitted_at: NaiveDateTime,
    pub withdrawn_at: Option<NaiveDateTime>,
    pub withdrawal_reason: Option<String>,
    pub marker_user_id: Option<String>,
    pub moderator_user_id: Option<String>,
    pub outcome: Option<String>,
    pub resubmit_by: Option<NaiveDate>,
    pub updated_at: NaiveDateTime,
}

impl SubmissionRow {
    pub fn status(&self) -> Result<SubmissionStatus, ApiError> {
        self.status.parse().map_err(ApiError::internal)
    }

    pub fn outcome(&self) -> Result<Option<AssessmentOutcome>, ApiError> {
        self.outcome.as_deref().map(str::parse).transpose().map_err(ApiError::internal)
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = assessment_judgements)]
pub struct JudgementRow {
    pub id: String,
    pub submission_id: String,
    pub kind: String,
    pub assessor_user_id: String,
    pub outcome: String,
    pub confirms: Option<bool>,
    pub criteria: String,
    pub feedback: String,
    pub recorded_at: NaiveDateTime,
}

impl JudgementRow {
    pub fn kind(&self) -> Result<JudgementKind, ApiError> {
        self.kind.parse().map_err(ApiError::internal)
    }

    pub fn outcome(&self) -> Result<AssessmentOutcome, ApiError> {
        self.outcome.parse().map_err(ApiError::internal)
    }
}

pub(in crate::db) fn row(conn: &mut DbConn, id: &str) -> Result<Option<SubmissionRow>, ApiError> {
    Ok(assessment_submissions::table.find(id).select(SubmissionRow::as_select()).first(conn).optional()?)
}

/// The submission, locked for the rest of the transaction on PostgreSQL (SQLite's writer holds
/// the database), so two judgements or moves on one submission cannot interleave.
pub(in crate::db) fn row_for_update(conn: &mut DbConn, id: &str) -> Result<Option<SubmissionRow>, ApiError> {
    let q = assessment_submissions::table.find(id);
    Ok(match conn {
        DbConn::Pg(pg) => q.select(SubmissionRow::as_select()).for_no_key_update().first(pg).optional()?,
        other => q.select(SubmissionRow::as_select()).first(other).optional()?,
    })
}

pub(in crate::db) fn rows_of_enrolment(conn: &mut DbConn, enrolment: &str) -> Result<Vec<SubmissionRow>, ApiError> {
    Ok(assessment_submissions::table
        .filter(assessment_submissions::enrolment_id.eq(enrolment))
        .order((assessment_submissions::submitted_at, assessment_submissions::id))
        .select(SubmissionRow::as_select())
        .load(conn)?)
}

/// Submissions assigned to this assessor (to mark or moderate) and not yet released.
pub(in crate::db) fn assigned_to(conn: &mut DbConn, user: &str) -> Result<Vec<SubmissionRow>, ApiError> {
    Ok(assessment_submissions::table
        .filter(assessment_submissions::marker_user_id.eq(user).or(assessment_submissions::moderator_user_id.eq(user)))
        .filter(assessment_submissions::status.eq_any(["submitted", "marked"]))
        .order((assessment_submissions::submitted_at, assessment_submissions::id))
        .select(SubmissionRow::as_select())
        .load(conn)?)
}

/// The enrolment's submissions, to decide what a new one is: (the latest live one, the number of
/// live attempts).
pub fn history<A>(conn: &mut DbConn, target: &Allowed<LoadedEnrolment, A>) -> Result<Vec<SubmissionRow>, ApiError> {
    rows_of_enrolment(conn, &target.row.id)
}

/// Evidence files of the enrolment's own portfolio, of these ids (those not found are absent).
pub fn own_files(
    conn: &mut DbConn,
    target: &Allowed<LoadedEnrolment, enrolment::OwnWork>,
    ids: &[String],
) -> Result<Vec<FileRow>, ApiError> {
    Ok(evidence_files::table
        .inner_join(portfolio_entries::table)
        .filter(portfolio_entries::enrolment_id.eq(&target.row.id))
        .filter(evidence_files::id.eq_any(ids))
        .select(FileRow::as_select())
        .load(conn)?)
}

pub struct NewSubmission<'a> {
    pub attempt: i32,
    pub project_id: &'a str,
    pub report: &'a str,
    pub words: i64,
    pub submitted_on: NaiveDate,
}

pub fn insert(
    conn: &mut DbConn,
    target: &Allowed<LoadedEnrolment, enrolment::OwnWork>,
    n: &NewSubmission<'_>,
    documents: &[FileRow],
    now: NaiveDateTime,
) -> Result<String, ApiError> {
    insert_unchecked(conn, &target.row.id, n, documents, now)
}

pub(crate) fn insert_unchecked(
    conn: &mut DbConn,
    enrolment: &str,
    n: &NewSubmission<'_>,
    documents: &[FileRow],
    now: NaiveDateTime,
) -> Result<String, ApiError> {
    let id = new_id();
    diesel::insert_into(assessment_submissions::table)
        .values((
            assessment_submissions::id.eq(&id),
            assessment_submissions::enrolment_id.eq(enrolment),
            assessment_submissions::attempt.eq(n.attempt),
            assessment_submissions::project_id.eq(n.project_id),
            assessment_submissions::report.eq(n.report),
            assessment_submissions::words.eq(n.words),
            assessment_submissions::status.eq(SubmissionStatus::Submitted.as_str()),
            assessment_submissions::submitted_on.eq(n.submitted_on),
            assessment_submissions::submitted_at.eq(now),
            assessment_submissions::updated_at.eq(now),
        ))
        .execute(conn)?;
    for (i, f) in documents.iter().enumerate() {
        diesel::insert_into(assessment_documents::table)
            .values((
                assessment_documents::submission_id.eq(&id),
                assessment_documents::position.eq(i as i32 + 1),
                assessment_documents::filename.eq(&f.filename),
                assessment_documents::kind.eq(&f.kind),
                assessment_documents::size_bytes.eq(f.size_bytes),
                assessment_documents::sha256.eq(&f.sha256),
            ))
            .execute(conn)?;
    }
    Ok(id)
}

type DocCols = (i32, String, String, i64, String);

fn documents(conn: &mut DbConn, sub: &str) -> Result<Vec<DocCols>, ApiError> {
    Ok(assessment_documents::table
        .filter(assessment_documents::submission_id.eq(sub))
        .order(assessment_documents::position)
        .select((
            assessment_documents::position,
            assessment_documents::filename,
            assessment_documents::kind,
            assessment_documents::size_bytes,
            assessment_documents::sha256,
        ))
        .load(conn)?)
}

/// One supporting document's name, kind and content address, for its download.
pub fn document(
    conn: &mut DbConn,
    s: &Allowed<LoadedSubmission, submission::Read>,
    position: i32,
) -> Result<Option<(String, String, String)>, ApiError> {
    Ok(assessment_documents::table
        .filter(assessment_documents::submission_id.eq(&s.row.id))
        .filter(assessment_documents::position.eq(position))
        .select((assessment_documents::filename, assessment_documents::kind, assessment_documents::sha256))
        .first(conn)
        .optional()?)
}

/// Sets the status, only from `from` (a conditional update): `false` when it moved meanwhile.
fn set_status(
    conn: &mut DbConn,
    id: &str,
    from: &[&str],
    to: SubmissionStatus,
    now: NaiveDateTime,
) -> Result<bool, ApiError> {
    let n = diesel::update(assessment_submissions::table.find(id).filter(assessment_submissions::status.eq_any(from)))
        .set((assessment_submissions::status.eq(to.as_str()), assessment_submissions::updated_at.eq(now)))
        .execute(conn)?;
    Ok(n == 1)
}

pub fn withdraw(
    conn: &mut DbConn,
    s: &Allowed<LoadedSubmission, submission::Withdraw>,
    reason: &str,
    now: NaiveDateTime,
) -> Result<bool, ApiError> {
    let n = diesel::update(
        assessment_submissions::table.find(&s.row.id).filter(assessment_submissions::status.eq("submitted")),
    )
    .set((
        assessment_submissions::status.eq(SubmissionStatus::Withdrawn.as_str()),
        assessment_submissions::withdrawn_at.eq(now),
        assessment_submissions::withdrawal_reason.eq(reason),
        assessment_submissions::updated_at.eq(now),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

pub fn verification(conn: &mut DbConn, sub: &str) -> Result<Option<(String, NaiveDate, String)>, ApiError> {
    Ok(assessment_verifications::table
        .inner_join(users::table)
        .filter(assessment_verifications::submission_id.eq(sub))
        .select((assessment_verifications::statement, assessment_verifications::verified_on, users::display_name))
        .first(conn)
        .optional()?)
}

pub fn verify(
    conn: &mut DbConn,
    s: &Allowed<LoadedSubmission, submission::Verify>,
    statement: &str,
    on: NaiveDate,
    by: &str,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    verify_unchecked(conn, &s.row.id, statement, on, by, now)
}

pub(crate) fn verify_unchecked(
    conn: &mut DbConn,
    sub: &str,
    statement: &str,
    on: NaiveDate,
    by: &str,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    diesel::insert_into(assessment_verifications::table)
        .values((
            assessment_verifications::submission_id.eq(sub),
            assessment_verifications::statement.eq(statement),
            assessment_verifications::verified_on.eq(on),
            assessment_verifications::verified_by.eq(by),
            assessment_verifications::recorded_at.eq(now),
        ))
        .execute(conn)?;
    diesel::update(assessment_submissions::table.find(sub))
        .set(assessment_submissions::updated_at.eq(now))
        .execute(conn)?;
    Ok(())
}

/// An assessor's person and that person's school, where the account is linked to one.
pub type AssessorPerson = (Option<String>, Option<String>);

/// What the rules engine reads of one enrolment's assessment.
pub type AssessmentFacts = (Option<SubmissionFact>, bool, Option<AssessmentOutcome>);

/// An account that may be assigned: (its person, that person's school) when it holds the assessor
/// role for this provider now; `None` otherwise.
pub fn assessor(conn: &mut DbConn, user: &str, provider: &str) -> Result<Option<AssessorPerson>, ApiError> {
    let holds: bool = diesel::select(diesel::dsl::exists(
        user_roles::table
            .inner_join(users::table)
            .filter(user_roles::user_id.eq(user))
            .filter(user_roles::role.eq("assessor"))
            .filter(user_roles::organisation_id.eq(provider))
            .filter(user_roles::revoked_at.is_null())
            .filter(users::deactivated_at.is_null()),
    ))
    .get_result(conn)?;
    if !holds {
        return Ok(None);
    }
    let person: Option<String> = users::table.find(user).select(users::person_id).first(conn)?;
    let school = match &person {
        Some(p) => people::table.find(p).select(people::school_id).first::<Option<String>>(conn).optional()?.flatten(),
        None => None,
    };
    Ok(Some((person, school)))
}

pub fn assign(
    conn: &mut DbConn,
    s: &Allowed<LoadedSubmission, submission::Assign>,
    marker: &str,
    moderator: Option<&str>,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    assign_unchecked(conn, &s.row.id, marker, moderator, now)
}

pub(crate) fn assign_unchecked(
    conn: &mut DbConn,
    sub: &str,
    marker: &str,
    moderator: Option<&str>,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    diesel::update(assessment_submissions::table.find(sub))
        .set((
            assessment_submissions::marker_user_id.eq(marker),
            assessment_submissions::moderator_user_id.eq(moderator),
            assessment_submissions::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

fn judgements(conn: &mut DbConn, sub: &str) -> Result<Vec<(JudgementRow, String)>, ApiError> {
    Ok(assessment_judgements::table
        .inner_join(users::table)
        .filter(assessment_judgements::submission_id.eq(sub))
        .order((assessment_judgements::recorded_at, assessment_judgements::id))
        .select((JudgementRow::as_select(), users::display_name))
        .load(conn)?)
}

/// The latest judgement of each kind.
pub fn latest(conn: &mut DbConn, sub: &str) -> Result<(Option<JudgementRow>, Option<JudgementRow>), ApiError> {
    let all = judgements(conn, sub)?;
    let last = |k: &str| all.iter().rev().find(|(j, _)| j.kind == k).map(|(j, _)| j.clone());
    Ok((last("mark"), last("moderation")))
}

pub struct NewJudgement<'a> {
    pub outcome: AssessmentOutcome,
    pub confirms: Option<bool>,
    pub criteria: &'a [wire::CriterionJudgement],
    pub feedback: &'a str,
    pub by: &'a str,
}

fn add_judgement(
    conn: &mut DbConn,
    sub: &str,
    kind: JudgementKind,
    j: &NewJudgement<'_>,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    diesel::insert_into(assessment_judgements::table)
        .values((
            assessment_judgements::id.eq(new_id()),
            assessment_judgements::submission_id.eq(sub),
            assessment_judgements::kind.eq(kind.as_str()),
            assessment_judgements::assessor_user_id.eq(j.by),
            assessment_judgements::outcome.eq(j.outcome.as_str()),
            assessment_judgements::confirms.eq(j.confirms),
            assessment_judgements::criteria.eq(serde_json::to_string(j.criteria).map_err(ApiError::internal)?),
            assessment_judgements::feedback.eq(j.feedback),
            assessment_judgements::recorded_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Appends the marker's judgement and moves the submission to marked (a re-mark before release is
/// a further judgement; the earlier one stays).
pub fn mark(
    conn: &mut DbConn,
    s: &Allowed<LoadedSubmission, submission::Mark>,
    j: &NewJudgement<'_>,
    now: NaiveDateTime,
) -> Result<bool, ApiError> {
    mark_unchecked(conn, &s.row.id, j, now)
}

pub(crate) fn mark_unchecked(
    conn: &mut DbConn,
    sub: &str,
    j: &NewJudgement<'_>,
    now: NaiveDateTime,
) -> Result<bool, ApiError> {
    if !set_status(conn, sub, &["submitted", "marked"], SubmissionStatus::Marked, now)? {
        return Ok(false);
    }
    add_judgement(conn, sub, JudgementKind::Mark, j, now)?;
    Ok(true)
}

pub fn moderate(
    conn: &mut DbConn,
    s: &Allowed<LoadedSubmission, submission::Moderate>,
    j: &NewJudgement<'_>,
    now: NaiveDateTime,
) -> Result<bool, ApiError> {
    moderate_unchecked(conn, &s.row.id, j, now)
}

pub(crate) fn moderate_unchecked(
    conn: &mut DbConn,
    sub: &str,
    j: &NewJudgement<'_>,
    now: NaiveDateTime,
) -> Result<bool, ApiError> {
    if !set_status(conn, sub, &["marked"], SubmissionStatus::Marked, now)? {
        return Ok(false);
    }
    add_judgement(conn, sub, JudgementKind::Moderation, j, now)?;
    Ok(true)
}

/// Releases the decided outcome: a pass or fail becomes the enrolment's outcome (dated today); a
/// refer opens the one resubmission until `resubmit_by`.
pub fn release(
    conn: &mut DbConn,
    s: &Allowed<LoadedSubmission, submission::Release>,
    outcome: AssessmentOutcome,
    resubmit_by: Option<NaiveDate>,
    by: &str,
    now: NaiveDateTime,
) -> Result<bool, ApiError> {
    release_unchecked(conn, &s.row.id, &s.row.enrolment_id, outcome, resubmit_by, by, now)
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn release_unchecked(
    conn: &mut DbConn,
    sub: &str,
    enrolment: &str,
    outcome: AssessmentOutcome,
    resubmit_by: Option<NaiveDate>,
    by: &str,
    now: NaiveDateTime,
) -> Result<bool, ApiError> {
    let n = diesel::update(assessment_submissions::table.find(sub).filter(assessment_submissions::status.eq("marked")))
        .set((
            assessment_submissions::status.eq(SubmissionStatus::Released.as_str()),
            assessment_submissions::outcome.eq(outcome.as_str()),
            assessment_submissions::resubmit_by.eq(resubmit_by),
            assessment_submissions::updated_at.eq(now),
        ))
        .execute(conn)?;
    if n != 1 {
        return Ok(false);
    }
    diesel::insert_into(assessment_releases::table)
        .values((
            assessment_releases::submission_id.eq(sub),
            assessment_releases::outcome.eq(outcome.as_str()),
            assessment_releases::released_by.eq(by),
            assessment_releases::released_at.eq(now),
        ))
        .execute(conn)?;
    let state = match outcome {
        AssessmentOutcome::Pass => Some("passed"),
        AssessmentOutcome::Fail => Some("failed"),
        AssessmentOutcome::Refer => None,
    };
    if let Some(state) = state {
        diesel::insert_into(assessment_outcomes::table)
            .values((
                assessment_outcomes::id.eq(new_id()),
                assessment_outcomes::enrolment_id.eq(enrolment),
                assessment_outcomes::submission_id.eq(sub),
                assessment_outcomes::state.eq(state),
                assessment_outcomes::completion_date.eq(now.date()),
                assessment_outcomes::created_at.eq(now),
            ))
            .execute(conn)?;
    }
    diesel::update(enrolments::table.find(enrolment)).set(enrolments::updated_at.eq(now)).execute(conn)?;
    crate::db::webhooks::outcome_recorded(conn, enrolment, sub, outcome.as_str(), now)?;
    Ok(true)
}

fn released_at(conn: &mut DbConn, sub: &str) -> Result<Option<NaiveDateTime>, ApiError> {
    Ok(assessment_releases::table.find(sub).select(assessment_releases::released_at).first(conn).optional()?)
}

/// The enrolment's outcomes, oldest first, DfE-shaped.
pub fn outcomes<A>(
    conn: &mut DbConn,
    target: &Allowed<LoadedEnrolment, A>,
) -> Result<Vec<wire::OutcomeRecord>, ApiError> {
    let rows: Vec<(String, String, NaiveDate, NaiveDateTime, Option<String>, String)> = assessment_outcomes::table
        .inner_join(enrolments::table.inner_join(cohorts::table.inner_join(programmes::table)))
        .filter(assessment_outcomes::enrolment_id.eq(&target.row.id))
        .order((assessment_outcomes::created_at, assessment_outcomes::id))
        .select((
            assessment_outcomes::id,
            assessment_outcomes::state,
            assessment_outcomes::completion_date,
            assessment_outcomes::created_at,
            programmes::preset_key,
            programmes::id,
        ))
        .load(conn)?;
    rows.into_iter()
        .map(|(id, state, date, at, key, programme)| {
            Ok(wire::OutcomeRecord {
                id: uuid(&id)?,
                enrolment_id: target.id.uuid(),
                participant_id: target.facts.person_id.uuid(),
                state: state.parse().map_err(ApiError::internal)?,
                completion_date: date,
                course_identifier: key.unwrap_or(programme),
                created_at: at.and_utc(),
            })
        })
        .collect()
}

/// What the rules engine reads, per enrolment: the latest live submission (words, day), whether
/// its evidence is verified, and the latest released outcome.
pub fn assessment_facts(
    conn: &mut DbConn,
    enrolment_ids: &[String],
) -> Result<HashMap<String, AssessmentFacts>, ApiError> {
    let rows: Vec<(String, String, i64, NaiveDate, String, Option<String>)> = assessment_submissions::table
        .filter(assessment_submissions::enrolment_id.eq_any(enrolment_ids))
        .filter(assessment_submissions::status.ne("withdrawn"))
        .order((assessment_submissions::submitted_at, assessment_submissions::id))
        .select((
            assessment_submissions::enrolment_id,
            assessment_submissions::id,
            assessment_submissions::words,
            assessment_submissions::submitted_on,
            assessment_submissions::status,
            assessment_submissions::outcome,
        ))
        .load(conn)?;
    let ids: Vec<&str> = rows.iter().map(|r| r.1.as_str()).collect();
    let verified: Vec<String> = assessment_verifications::table
        .filter(assessment_verifications::submission_id.eq_any(&ids))
        .select(assessment_verifications::submission_id)
        .load(conn)?;
    let mut out: HashMap<String, AssessmentFacts> = HashMap::new();
    // Rows are oldest first: the last one seen for an enrolment is its latest.
    for (enrolment, id, words, on, status, outcome) in rows {
        let fact = SubmissionFact { words: words.clamp(0, u32::MAX as i64) as u32, submitted_on: on };
        let outcome = if status == "released" { outcome.and_then(|o| o.parse().ok()) } else { None };
        out.insert(enrolment, (Some(fact), verified.contains(&id), outcome));
    }
    Ok(out)
}

/// The wire form, with what the caller may see of it.
pub fn view<A>(
    conn: &mut DbConn,
    caller: &Caller,
    s: &Allowed<LoadedSubmission, A>,
) -> Result<wire::Submission, ApiError> {
    let r = &s.row;
    let resource = Resource::Submission(s.facts.clone());
    let may = |a| trellis_domain::authorize(&caller.principal, a, &resource).is_ok();
    let reads = may(Action::Read);
    let feedback = may(Action::ReadFeedback);
    let status = r.status()?;
    let rule = s.definition.assessment.clone().unwrap_or_default();
    let verification = verification(conn, &r.id)?;
    let judged = if feedback { judgements(conn, &r.id)? } else { vec![] };
    let mut actions = vec![];
    let open = matches!(status, SubmissionStatus::Submitted | SubmissionStatus::Marked);
    if status == SubmissionStatus::Submitted && may(Action::Update) {
        actions.push("withdraw".to_owned());
    }
    if open && rule.coach_verification && verification.is_none() && may(Action::Verify) {
        actions.push("verify".to_owned());
    }
    if open && may(Action::AssignAssessor) {
        actions.push("assign".to_owned());
    }
    let verified_enough = !rule.coach_verification || verification.is_some();
    if open && verified_enough && may(Action::Mark) {
        actions.push("mark".to_owned());
    }
    if status == SubmissionStatus::Marked && may(Action::Moderate) {
        actions.push("moderate".to_owned());
    }
    if status == SubmissionStatus::Marked && may(Action::Release) {
        actions.push("release".to_owned());
    }
    let documents = if reads {
        documents(conn, &r.id)?
            .into_iter()
            .map(|(position, filename, kind, size, sha256)| {
                let kind: trellis_domain::portfolio::FileKind = kind.parse().map_err(ApiError::internal)?;
                Ok(wire::SubmissionDocument {
                    position: position.max(0) as u32,
                    filename,
                    kind,
                    media_type: kind.media_type().to_owned(),
                    size_bytes: size.max(0) as u64,
                    sha256,
                })
            })
            .collect::<Result<_, ApiError>>()?
    } else {
        vec![]
    };
    let judgements = judged
        .into_iter()
        .map(|(j, name)| {
            Ok(wire::Judgement {
                id: uuid(&j.id)?,
                kind: j.kind()?,
                assessor_name: name,
                outcome: j.outcome()?,
                confirms: j.confirms,
                criteria: serde_json::from_str(&j.criteria).map_err(ApiError::internal)?,
                feedback: j.feedback,
                recorded_at: j.recorded_at.and_utc(),
            })
        })
        .collect::<Result<_, ApiError>>()?;
    let released = status == SubmissionStatus::Released;
    Ok(wire::Submission {
        id: uuid(&r.id)?,
        enrolment_id: uuid(&r.enrolment_id)?,
        participant_name: format!("{} {}", s.person.0, s.person.1),
        cohort_name: s.cohort_name.clone(),
        attempt: r.attempt.max(0) as u32,
        project_id: uuid(&r.project_id)?,
        status,
        words: r.words.clamp(0, u32::MAX as i64) as u32,
        word_limit: rule.word_limit,
        criteria: rule.criteria.clone(),
        submitted_on: r.submitted_on,
        submitted_at: r.submitted_at.and_utc(),
        withdrawn_at: r.withdrawn_at.map(|t| t.and_utc()),
        withdrawal_reason: r.withdrawal_reason.clone().filter(|_| reads),
        report: reads.then(|| r.report.clone()),
        documents,
        verification_required: rule.coach_verification,
        verification: verification.filter(|_| reads).map(|(statement, verified_on, verified_by)| {
            wire::CoachVerification { statement, verified_on, verified_by }
        }),
        marker_user_id: r.marker_user_id.as_deref().map(uuid).transpose()?,
        moderator_user_id: r.moderator_user_id.as_deref().map(uuid).transpose()?,
        outcome: if released || feedback { r.outcome()? } else { None },
        released_at: if released { released_at(conn, &r.id)?.map(|t| t.and_utc()) } else { None },
        resubmit_by: r.resubmit_by,
        judgements,
        actions,
    })
}
