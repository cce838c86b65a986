//! The 360 diagnostic's data. Raters (with their hashed links and unsent drafts) and submitted
//! answers live apart: `diagnostic_responses` holds a round, a group and the answers — no rater
//! id, no time, a random (not time-ordered) id — and is kept out of diesel's
//! `allow_tables_to_appear_in_same_query!`, so no query can put an answer beside its rater.
//! Answers leave this module only through [`responses`], for a caller who may read the report.
//! Reached through [`crate::db::allowed::diagnostic_of`] and [`crate::db::allowed::round`].

use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use trellis_domain::diagnostic::{Answers, GroupCount, Item, RaterStatus, Response};
use trellis_domain::rules::definition::{DiagnosticRound, DiagnosticRule, RaterGroup};
use trellis_domain::rules::progress::DiagnosticFact;

use crate::db::DbConn;
use crate::db::allowed::{Allowed, LoadedEnrolment, LoadedRound, diagnostic};
use crate::db::schema::{
    diagnostic_drafts, diagnostic_links, diagnostic_raters, diagnostic_responses, diagnostic_rounds,
    diagnostic_self_reviews,
};
use crate::error::ApiError;
use crate::paging::new_id;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = diagnostic_rounds)]
pub struct RoundRow {
    pub id: String,
    pub enrolment_id: String,
    pub round: String,
    pub items: String,
    pub threshold: i32,
    pub closes_on: NaiveDate,
    pub opened_by: Option<String>,
    pub opened_at: NaiveDateTime,
    pub closed_at: Option<NaiveDateTime>,
    pub closed_by: Option<String>,
    pub updated_at: NaiveDateTime,
}

impl RoundRow {
    pub fn kind(&self) -> Result<DiagnosticRound, ApiError> {
        self.round.parse().map_err(ApiError::internal)
    }

    pub fn items(&self) -> Result<Vec<Item>, ApiError> {
        serde_json::from_str(&self.items).map_err(ApiError::internal)
    }

    pub fn status(&self, today: NaiveDate) -> trellis_domain::diagnostic::RoundStatus {
        use trellis_domain::diagnostic::RoundStatus as S;
        if self.closed_at.is_some() {
            S::Closed
        } else if today > self.closes_on {
            S::PastClosingDate
        } else {
            S::Open
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = diagnostic_raters)]
pub struct RaterRow {
    pub id: String,
    pub round_id: String,
    pub rater_group: String,
    pub name: String,
    pub email: String,
    pub status: String,
    pub decline_reason: Option<String>,
    pub invited_at: NaiveDateTime,
    pub reminded_at: Option<NaiveDateTime>,
}

impl RaterRow {
    pub fn group(&self) -> Result<RaterGroup, ApiError> {
        self.rater_group.parse().map_err(ApiError::internal)
    }

    pub fn status(&self) -> Result<RaterStatus, ApiError> {
        self.status.parse().map_err(ApiError::internal)
    }

    /// Still able to answer: invited, or with saved answers.
    pub fn pending(&self) -> bool {
        matches!(self.status.as_str(), "invited" | "started")
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = diagnostic_self_reviews)]
pub struct SelfRow {
    pub round_id: String,
    pub answers: String,
    pub saved_at: NaiveDateTime,
    pub submitted_at: Option<NaiveDateTime>,
}

fn answers_json(a: &Answers) -> Result<String, ApiError> {
    serde_json::to_string(a).map_err(ApiError::internal)
}

fn parse_answers(s: &str) -> Result<Answers, ApiError> {
    serde_json::from_str(s).map_err(ApiError::internal)
}

/// Who a round is about and on which programme, for emails and the rater's page.
pub struct Context {
    pub participant: String,
    pub participant_email: Option<String>,
    pub programme: String,
}

pub fn context(conn: &mut DbConn, enrolment: &str) -> Result<Context, ApiError> {
    use crate::db::schema::{cohorts, enrolments, people, programmes};
    let (given, family, email, programme): (String, String, Option<String>, String) = enrolments::table
        .inner_join(people::table)
        .inner_join(cohorts::table.inner_join(programmes::table))
        .filter(enrolments::id.eq(enrolment))
        .select((people::given_name, people::family_name, people::email, programmes::name))
        .first(conn)?;
    Ok(Context {
        participant: format!("{given} {family}"),
        participant_email: email.map(|e| e.to_lowercase()),
        programme,
    })
}

/// A link stops working at the end of the round's closing day (UTC).
pub fn link_expiry(closes_on: NaiveDate) -> NaiveDateTime {
    (closes_on + Duration::days(1)).and_hms_opt(0, 0, 0).unwrap_or_default()
}

pub(in crate::db) fn round_row(conn: &mut DbConn, id: &str, for_update: bool) -> Result<Option<RoundRow>, ApiError> {
    let q = diagnostic_rounds::table.find(id);
    Ok(match conn {
        DbConn::Pg(pg) if for_update => q.select(RoundRow::as_select()).for_no_key_update().first(pg).optional()?,
        other => q.select(RoundRow::as_select()).first(other).optional()?,
    })
}

/// The enrolment's rounds, baseline first.
pub fn rounds_of<A>(conn: &mut DbConn, target: &Allowed<LoadedEnrolment, A>) -> Result<Vec<RoundRow>, ApiError> {
    let mut rows: Vec<RoundRow> = diagnostic_rounds::table
        .filter(diagnostic_rounds::enrolment_id.eq(&target.row.id))
        .select(RoundRow::as_select())
        .load(conn)?;
    rows.sort_by_key(|r| (r.round != DiagnosticRound::Baseline.as_str(), r.opened_at));
    Ok(rows)
}

/// The closed rounds of these enrolments, as rule facts: one query for any number.
pub(in crate::db) fn diagnostic_facts(
    conn: &mut DbConn,
    ids: &[String],
) -> Result<std::collections::HashMap<String, Vec<DiagnosticFact>>, ApiError> {
    let rows: Vec<(String, String, Option<NaiveDateTime>)> = diagnostic_rounds::table
        .filter(diagnostic_rounds::enrolment_id.eq_any(ids))
        .filter(diagnostic_rounds::closed_at.is_not_null())
        .select((diagnostic_rounds::enrolment_id, diagnostic_rounds::round, diagnostic_rounds::closed_at))
        .load(conn)?;
    let mut out: std::collections::HashMap<String, Vec<DiagnosticFact>> = Default::default();
    for (id, round, at) in rows {
        let Some(at) = at else { continue };
        let round = round.parse().map_err(ApiError::internal)?;
        out.entry(id).or_default().push(DiagnosticFact { round, completed_on: at.date() });
    }
    Ok(out)
}

pub struct NewRound<'a> {
    pub round: DiagnosticRound,
    pub items: &'a [Item],
    pub threshold: u32,
    pub closes_on: NaiveDate,
    pub opened_by: Option<&'a str>,
}

/// Opens a round; `None` when the enrolment has one of this kind already.
pub fn open(
    conn: &mut DbConn,
    target: &Allowed<LoadedEnrolment, diagnostic::Run>,
    new: &NewRound,
    now: NaiveDateTime,
) -> Result<Option<String>, ApiError> {
    open_unchecked(conn, &target.row.id, new, now)
}

pub(crate) fn open_unchecked(
    conn: &mut DbConn,
    enrolment: &str,
    new: &NewRound,
    now: NaiveDateTime,
) -> Result<Option<String>, ApiError> {
    let exists = diagnostic_rounds::table
        .filter(diagnostic_rounds::enrolment_id.eq(enrolment))
        .filter(diagnostic_rounds::round.eq(new.round.as_str()))
        .count()
        .get_result::<i64>(conn)?
        > 0;
    if exists {
        return Ok(None);
    }
    let id = new_id();
    diesel::insert_into(diagnostic_rounds::table)
        .values((
            diagnostic_rounds::id.eq(&id),
            diagnostic_rounds::enrolment_id.eq(enrolment),
            diagnostic_rounds::round.eq(new.round.as_str()),
            diagnostic_rounds::items.eq(serde_json::to_string(new.items).map_err(ApiError::internal)?),
            diagnostic_rounds::threshold.eq(new.threshold as i32),
            diagnostic_rounds::closes_on.eq(new.closes_on),
            diagnostic_rounds::opened_by.eq(new.opened_by),
            diagnostic_rounds::opened_at.eq(now),
            diagnostic_rounds::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(Some(id))
}

/// The round's raters, in the order they were nominated.
pub fn raters<A>(conn: &mut DbConn, round: &Allowed<LoadedRound, A>) -> Result<Vec<RaterRow>, ApiError> {
    raters_of(conn, &round.row.id)
}

fn raters_of(conn: &mut DbConn, round: &str) -> Result<Vec<RaterRow>, ApiError> {
    Ok(diagnostic_raters::table
        .filter(diagnostic_raters::round_id.eq(round))
        .order((diagnostic_raters::invited_at, diagnostic_raters::id))
        .select(RaterRow::as_select())
        .load(conn)?)
}

/// Nominations and answers per group of the programme, with its minimums.
pub fn counts(rule: &DiagnosticRule, raters: &[RaterRow]) -> Result<Vec<GroupCount>, ApiError> {
    let mut out = vec![];
    for g in rule.rater_groups.iter().filter(|g| **g != RaterGroup::SelfReview) {
        let mut c = GroupCount { group: *g, nominated: 0, answered: 0, declined: 0, minimum: rule.minimum(*g) };
        for r in raters.iter().filter(|r| r.rater_group == g.as_str()) {
            c.nominated += 1;
            match r.status()? {
                RaterStatus::Answered => c.answered += 1,
                RaterStatus::Declined => c.declined += 1,
                RaterStatus::Invited | RaterStatus::Started => {}
            }
        }
        out.push(c);
    }
    Ok(out)
}

pub struct Nominated {
    pub rater_id: String,
    pub token: String,
}

/// Adds raters to the round, each with a link of their own (only its hash is kept).
pub fn nominate(
    conn: &mut DbConn,
    round: &Allowed<LoadedRound, diagnostic::Run>,
    nominees: &[(RaterGroup, String, String)],
    now: NaiveDateTime,
) -> Result<Vec<Nominated>, ApiError> {
    nominate_unchecked(conn, &round.row.id, round.row.closes_on, nominees, now)
}

pub(crate) fn nominate_unchecked(
    conn: &mut DbConn,
    round: &str,
    closes_on: NaiveDate,
    nominees: &[(RaterGroup, String, String)],
    now: NaiveDateTime,
) -> Result<Vec<Nominated>, ApiError> {
    let mut out = vec![];
    for (i, (group, name, email)) in nominees.iter().enumerate() {
        let id = new_id();
        // Distinct instants keep the nomination order in `raters`.
        let at = now + Duration::microseconds(i as i64);
        diesel::insert_into(diagnostic_raters::table)
            .values((
                diagnostic_raters::id.eq(&id),
                diagnostic_raters::round_id.eq(round),
                diagnostic_raters::rater_group.eq(group.as_str()),
                diagnostic_raters::name.eq(name),
                diagnostic_raters::email.eq(email),
                diagnostic_raters::status.eq(RaterStatus::Invited.as_str()),
                diagnostic_raters::invited_at.eq(at),
            ))
            .execute(conn)?;
        let token = crate::auth::random_token();
        add_link(conn, &id, &token, link_expiry(closes_on), now)?;
        out.push(Nominated { rater_id: id, token });
    }
    Ok(out)
}

fn add_link(
    conn: &mut DbConn,
    rater: &str,
    token: &str,
    expires_at: NaiveDateTime,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    diesel::insert_into(diagnostic_links::table)
        .values((
            diagnostic_links::token_hash.eq(crate::auth::token_hash(token)),
            diagnostic_links::rater_id.eq(rater),
            diagnostic_links::expires_at.eq(expires_at),
            diagnostic_links::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Removes a rater who has not answered (and their links and draft); false when there is no such
/// rater in the round or they have answered (an answer cannot be traced to remove it).
pub fn remove_rater(
    conn: &mut DbConn,
    round: &Allowed<LoadedRound, diagnostic::Run>,
    rater: &str,
) -> Result<bool, ApiError> {
    let row: Option<RaterRow> = diagnostic_raters::table
        .find(rater)
        .filter(diagnostic_raters::round_id.eq(&round.row.id))
        .select(RaterRow::as_select())
        .first(conn)
        .optional()?;
    let Some(row) = row else { return Err(ApiError::not_found("rater")) };
    if row.status == RaterStatus::Answered.as_str() {
        return Ok(false);
    }
    diesel::delete(diagnostic_links::table.filter(diagnostic_links::rater_id.eq(rater))).execute(conn)?;
    diesel::delete(diagnostic_drafts::table.find(rater)).execute(conn)?;
    diesel::delete(diagnostic_raters::table.find(rater)).execute(conn)?;
    Ok(true)
}

/// Moves the closing date of an open round, and every unexpired link with it.
pub fn set_closes_on(
    conn: &mut DbConn,
    round: &Allowed<LoadedRound, diagnostic::Run>,
    closes_on: NaiveDate,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    diesel::update(diagnostic_rounds::table.find(&round.row.id))
        .set((diagnostic_rounds::closes_on.eq(closes_on), diagnostic_rounds::updated_at.eq(now)))
        .execute(conn)?;
    let raters: Vec<String> = diagnostic_raters::table
        .filter(diagnostic_raters::round_id.eq(&round.row.id))
        .select(diagnostic_raters::id)
        .load(conn)?;
    diesel::update(diagnostic_links::table.filter(diagnostic_links::rater_id.eq_any(raters)))
        .set(diagnostic_links::expires_at.eq(link_expiry(closes_on)))
        .execute(conn)?;
    Ok(())
}

/// Closes the round; false when it was closed meanwhile.
pub fn close(
    conn: &mut DbConn,
    round: &Allowed<LoadedRound, diagnostic::Run>,
    by: Option<&str>,
    now: NaiveDateTime,
) -> Result<bool, ApiError> {
    close_unchecked(conn, &round.row.id, by, now)
}

pub(crate) fn close_unchecked(
    conn: &mut DbConn,
    round: &str,
    by: Option<&str>,
    now: NaiveDateTime,
) -> Result<bool, ApiError> {
    let n = diesel::update(diagnostic_rounds::table.find(round).filter(diagnostic_rounds::closed_at.is_null()))
        .set((
            diagnostic_rounds::closed_at.eq(now),
            diagnostic_rounds::closed_by.eq(by),
            diagnostic_rounds::updated_at.eq(now),
        ))
        .execute(conn)?;
    // The links stay, to tell a late rater the round has closed.
    Ok(n == 1)
}

/// The participant's own review of the round, if begun.
pub fn self_review<A>(conn: &mut DbConn, round: &Allowed<LoadedRound, A>) -> Result<Option<SelfRow>, ApiError> {
    self_row(conn, &round.row.id)
}

fn self_row(conn: &mut DbConn, round: &str) -> Result<Option<SelfRow>, ApiError> {
    Ok(diagnostic_self_reviews::table.find(round).select(SelfRow::as_select()).first(conn).optional()?)
}

/// The self-review's answers, for the participant alone.
pub fn self_answers(
    conn: &mut DbConn,
    round: &Allowed<LoadedRound, diagnostic::SelfReview>,
) -> Result<Option<(Answers, SelfRow)>, ApiError> {
    self_row(conn, &round.row.id)?.map(|row| Ok((parse_answers(&row.answers)?, row))).transpose()
}

/// Saves (and with `submit`, hands in) the self-review; false when it was handed in already.
pub fn save_self_review(
    conn: &mut DbConn,
    round: &Allowed<LoadedRound, diagnostic::SelfReview>,
    answers: &Answers,
    submit: bool,
    now: NaiveDateTime,
) -> Result<bool, ApiError> {
    save_self_unchecked(conn, &round.row.id, answers, submit, now)
}

pub(crate) fn save_self_unchecked(
    conn: &mut DbConn,
    round: &str,
    answers: &Answers,
    submit: bool,
    now: NaiveDateTime,
) -> Result<bool, ApiError> {
    let json = answers_json(answers)?;
    let submitted_at = submit.then_some(now);
    match self_row(conn, round)? {
        Some(row) if row.submitted_at.is_some() => Ok(false),
        Some(_) => {
            let n = diesel::update(
                diagnostic_self_reviews::table.find(round).filter(diagnostic_self_reviews::submitted_at.is_null()),
            )
            .set((
                diagnostic_self_reviews::answers.eq(&json),
                diagnostic_self_reviews::saved_at.eq(now),
                diagnostic_self_reviews::submitted_at.eq(submitted_at),
            ))
            .execute(conn)?;
            Ok(n == 1)
        }
        None => {
            diesel::insert_into(diagnostic_self_reviews::table)
                .values((
                    diagnostic_self_reviews::round_id.eq(round),
                    diagnostic_self_reviews::answers.eq(&json),
                    diagnostic_self_reviews::saved_at.eq(now),
                    diagnostic_self_reviews::submitted_at.eq(submitted_at),
                ))
                .execute(conn)?;
            Ok(true)
        }
    }
}

/// The raters' submitted answers, by group only, and the submitted self-review: for a caller who
/// may read the report. The answers come back sorted by their random ids, not as stored.
pub fn responses(
    conn: &mut DbConn,
    round: &Allowed<LoadedRound, diagnostic::ReadReport>,
) -> Result<(Option<Answers>, Vec<Response>), ApiError> {
    let own = self_row(conn, &round.row.id)?
        .filter(|r| r.submitted_at.is_some())
        .map(|r| parse_answers(&r.answers))
        .transpose()?;
    let rows: Vec<(String, String)> = diagnostic_responses::table
        .filter(diagnostic_responses::round_id.eq(&round.row.id))
        .order(diagnostic_responses::id)
        .select((diagnostic_responses::rater_group, diagnostic_responses::answers))
        .load(conn)?;
    let answers = rows
        .into_iter()
        .map(|(g, a)| Ok(Response { group: g.parse().map_err(ApiError::internal)?, answers: parse_answers(&a)? }))
        .collect::<Result<Vec<_>, ApiError>>()?;
    Ok((own, answers))
}

/// A rater reached through a link: the link's secret is the authority, no caller.
pub struct LinkedRater {
    pub rater: RaterRow,
    pub round: RoundRow,
    pub expires_at: NaiveDateTime,
}

/// The rater and round behind a link's hash (whatever their state: the caller decides).
pub fn by_link(conn: &mut DbConn, token_hash: &str) -> Result<Option<LinkedRater>, ApiError> {
    let row: Option<(NaiveDateTime, RaterRow)> = diagnostic_links::table
        .inner_join(diagnostic_raters::table)
        .filter(diagnostic_links::token_hash.eq(token_hash))
        .select((diagnostic_links::expires_at, RaterRow::as_select()))
        .first(conn)
        .optional()?;
    let Some((expires_at, rater)) = row else { return Ok(None) };
    let round = round_row(conn, &rater.round_id, false)?.ok_or_else(|| ApiError::internal("rater without a round"))?;
    Ok(Some(LinkedRater { rater, round, expires_at }))
}

/// The answers a rater saved to come back to.
pub fn draft(conn: &mut DbConn, rater: &LinkedRater) -> Result<Answers, ApiError> {
    let s: Option<String> =
        diagnostic_drafts::table.find(&rater.rater.id).select(diagnostic_drafts::answers).first(conn).optional()?;
    s.map(|s| parse_answers(&s)).transpose().map(Option::unwrap_or_default)
}

/// Saves a rater's answers to come back to; false when they answered or declined meanwhile.
pub fn save_draft(
    conn: &mut DbConn,
    rater: &LinkedRater,
    answers: &Answers,
    now: NaiveDateTime,
) -> Result<bool, ApiError> {
    let id = &rater.rater.id;
    let n = diesel::update(
        diagnostic_raters::table.find(id).filter(diagnostic_raters::status.eq_any(["invited", "started"])),
    )
    .set(diagnostic_raters::status.eq(RaterStatus::Started.as_str()))
    .execute(conn)?;
    if n == 0 {
        return Ok(false);
    }
    diesel::delete(diagnostic_drafts::table.find(id)).execute(conn)?;
    diesel::insert_into(diagnostic_drafts::table)
        .values((
            diagnostic_drafts::rater_id.eq(id),
            diagnostic_drafts::answers.eq(answers_json(answers)?),
            diagnostic_drafts::saved_at.eq(now),
        ))
        .execute(conn)?;
    Ok(true)
}

/// Hands in a rater's answers: the rater is marked answered (their links then say so), their
/// draft is deleted, and the answers are stored apart, with the group alone. False when they answered or declined
/// meanwhile (the conditional update makes a second submission, however concurrent, a no-op).
pub fn submit(conn: &mut DbConn, rater: &LinkedRater, answers: &Answers) -> Result<bool, ApiError> {
    submit_unchecked(conn, &rater.rater.id, &rater.round.id, &rater.rater.rater_group, answers)
}

pub(crate) fn submit_unchecked(
    conn: &mut DbConn,
    rater: &str,
    round: &str,
    group: &str,
    answers: &Answers,
) -> Result<bool, ApiError> {
    let n = diesel::update(
        diagnostic_raters::table.find(rater).filter(diagnostic_raters::status.eq_any(["invited", "started"])),
    )
    .set(diagnostic_raters::status.eq(RaterStatus::Answered.as_str()))
    .execute(conn)?;
    if n == 0 {
        return Ok(false);
    }
    diesel::delete(diagnostic_drafts::table.find(rater)).execute(conn)?;
    diesel::insert_into(diagnostic_responses::table)
        .values((
            diagnostic_responses::id.eq(uuid::Uuid::new_v4().to_string()),
            diagnostic_responses::round_id.eq(round),
            diagnostic_responses::rater_group.eq(group),
            diagnostic_responses::answers.eq(answers_json(answers)?),
        ))
        .execute(conn)?;
    Ok(true)
}

/// Declines for a rater (their draft goes); false when they answered or declined meanwhile.
pub fn decline(conn: &mut DbConn, rater: &LinkedRater, reason: &str) -> Result<bool, ApiError> {
    let id = &rater.rater.id;
    let n = diesel::update(
        diagnostic_raters::table.find(id).filter(diagnostic_raters::status.eq_any(["invited", "started"])),
    )
    .set((diagnostic_raters::status.eq(RaterStatus::Declined.as_str()), diagnostic_raters::decline_reason.eq(reason)))
    .execute(conn)?;
    if n == 0 {
        return Ok(false);
    }
    diesel::delete(diagnostic_drafts::table.find(id)).execute(conn)?;
    Ok(true)
}

/// A reminder to send: the rater, their round's closing date and whom it is about.
pub struct DueReminder {
    pub rater: RaterRow,
    pub closes_on: NaiveDate,
    pub enrolment_id: String,
}

/// Raters of open rounds closing within [`trellis_domain::diagnostic::REMIND_DAYS_BEFORE`] days
/// who have neither answered, declined nor been reminded, and were invited at least a day ago (an
/// invitation sent two days before the closing date is not followed by a reminder within minutes).
pub fn due_reminders(conn: &mut DbConn, now: NaiveDateTime) -> Result<Vec<DueReminder>, ApiError> {
    let today = now.date();
    let until = today + Duration::days(trellis_domain::diagnostic::REMIND_DAYS_BEFORE);
    let rows: Vec<(RaterRow, NaiveDate, String)> = diagnostic_raters::table
        .inner_join(diagnostic_rounds::table)
        .filter(diagnostic_rounds::closed_at.is_null())
        .filter(diagnostic_rounds::closes_on.ge(today))
        .filter(diagnostic_rounds::closes_on.le(until))
        .filter(diagnostic_raters::status.eq_any(["invited", "started"]))
        .filter(diagnostic_raters::reminded_at.is_null())
        .filter(diagnostic_raters::invited_at.le(now - Duration::days(1)))
        .order(diagnostic_raters::id)
        .limit(500)
        .select((RaterRow::as_select(), diagnostic_rounds::closes_on, diagnostic_rounds::enrolment_id))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(rater, closes_on, enrolment_id)| DueReminder { rater, closes_on, enrolment_id })
        .collect())
}

/// Marks the reminder sent and gives the rater a fresh link for it (the first still works); `None`
/// when another node reminded them first.
pub fn remind(conn: &mut DbConn, due: &DueReminder, now: NaiveDateTime) -> Result<Option<String>, ApiError> {
    let n =
        diesel::update(diagnostic_raters::table.find(&due.rater.id).filter(diagnostic_raters::reminded_at.is_null()))
            .set(diagnostic_raters::reminded_at.eq(now))
            .execute(conn)?;
    if n == 0 {
        return Ok(None);
    }
    let token = crate::auth::random_token();
    add_link(conn, &due.rater.id, &token, link_expiry(due.closes_on), now)?;
    Ok(Some(token))
}
