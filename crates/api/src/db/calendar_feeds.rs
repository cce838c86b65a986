//! Calendar feeds: a user's secret iCalendar addresses (stored as SHA-256 of the token).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use trellis_domain::enrolment::EnrolmentStatus;
use uuid::Uuid;

use crate::db::DbConn;
use crate::db::schema::{calendar_feeds, cohorts, enrolments, schools, sessions, users};
use crate::db::sessions::SessionRow;
use crate::error::ApiError;

pub fn insert(
    conn: &mut DbConn,
    id: &str,
    user: Uuid,
    token_hash: &str,
    cohort: Option<Uuid>,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    diesel::insert_into(calendar_feeds::table)
        .values((
            calendar_feeds::id.eq(id),
            calendar_feeds::user_id.eq(user.to_string()),
            calendar_feeds::token_hash.eq(token_hash),
            calendar_feeds::cohort_id.eq(cohort.map(|c| c.to_string())),
            calendar_feeds::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// The user's live feeds: (id, cohort, created at), oldest first.
pub fn of_user(conn: &mut DbConn, user: Uuid) -> Result<Vec<(String, Option<String>, NaiveDateTime)>, ApiError> {
    Ok(calendar_feeds::table
        .filter(calendar_feeds::user_id.eq(user.to_string()))
        .filter(calendar_feeds::revoked_at.is_null())
        .order(calendar_feeds::id.asc())
        .select((calendar_feeds::id, calendar_feeds::cohort_id, calendar_feeds::created_at))
        .load(conn)?)
}

/// Revokes the user's feed; false when they have no such live feed.
pub fn revoke(conn: &mut DbConn, id: Uuid, user: Uuid, now: NaiveDateTime) -> Result<bool, ApiError> {
    let n = diesel::update(
        calendar_feeds::table
            .filter(calendar_feeds::id.eq(id.to_string()))
            .filter(calendar_feeds::user_id.eq(user.to_string()))
            .filter(calendar_feeds::revoked_at.is_null()),
    )
    .set(calendar_feeds::revoked_at.eq(now))
    .execute(conn)?;
    Ok(n == 1)
}

/// What a live feed shows: its cohort, if one, and its owner's person, if any.
#[derive(Debug, Queryable)]
pub struct FeedScope {
    pub cohort_id: Option<String>,
    pub person_id: Option<String>,
}

/// A live feed by its token's hash.
pub fn by_token_hash(conn: &mut DbConn, hash: &str) -> Result<Option<FeedScope>, ApiError> {
    Ok(calendar_feeds::table
        .inner_join(users::table)
        .filter(calendar_feeds::token_hash.eq(hash))
        .filter(calendar_feeds::revoked_at.is_null())
        .select((calendar_feeds::cohort_id, users::person_id))
        .first(conn)
        .optional()?)
}

/// The cohorts the person is on (withdrawals aside).
pub fn cohorts_of_person(conn: &mut DbConn, person: &str) -> Result<Vec<String>, ApiError> {
    Ok(enrolments::table
        .filter(enrolments::person_id.eq(person))
        .filter(enrolments::status.ne(EnrolmentStatus::Withdrawn.as_str()))
        .select(enrolments::cohort_id)
        .load(conn)?)
}

/// These cohorts' sessions in start order, with the cohort's name and the venue school's.
pub fn sessions_of(
    conn: &mut DbConn,
    cohorts: &[String],
) -> Result<Vec<(SessionRow, String, Option<String>)>, ApiError> {
    Ok(sessions::table
        .inner_join(cohorts::table)
        .left_join(schools::table.on(sessions::venue_school_id.eq(schools::id.nullable())))
        .filter(sessions::cohort_id.eq_any(cohorts))
        .order(sessions::starts_at.asc())
        .select((SessionRow::as_select(), cohorts::name, schools::name.nullable()))
        .load(conn)?)
}
