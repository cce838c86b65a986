//! Sessions of a cohort: rows, the timetable, and what a session refers to.

use chrono::{NaiveDateTime, TimeZone};
use chrono_tz::Europe::London;
use diesel::prelude::*;
use trellis_domain::delivery::SessionPlan;
use trellis_domain::rules::definition::SessionKind;
use trellis_wire::{FieldError, Session};
use uuid::Uuid;

use crate::db::DbConn;
use crate::db::allowed::{Allowed, LoadedCohort, LoadedSession, cohort};
use crate::db::facts::{opt_uuid, uuid};
use crate::db::schema::{enrolments, learning_groups, people, schools, sessions};
use crate::error::ApiError;

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = sessions, treat_none_as_null = true)]
pub struct SessionRow {
    pub id: String,
    pub cohort_id: String,
    pub kind: String,
    pub title: String,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub venue_school_id: Option<String>,
    pub venue_text: Option<String>,
    pub facilitator_person_id: Option<String>,
    pub led_by_enrolment_id: Option<String>,
    pub audience: String,
    pub group_id: Option<String>,
    pub cancelled_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub fn london(t: NaiveDateTime) -> String {
    London.from_utc_datetime(&t).to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

impl SessionRow {
    pub fn to_wire(&self) -> Result<Session, ApiError> {
        Ok(Session {
            id: uuid(&self.id)?,
            cohort_id: uuid(&self.cohort_id)?,
            kind: self.kind.parse().map_err(ApiError::internal)?,
            title: self.title.clone(),
            starts_at: self.starts_at.and_utc(),
            ends_at: self.ends_at.and_utc(),
            starts_local: london(self.starts_at),
            ends_local: london(self.ends_at),
            venue_school_id: opt_uuid(self.venue_school_id.as_deref())?,
            venue_text: self.venue_text.clone(),
            facilitator_person_id: opt_uuid(self.facilitator_person_id.as_deref())?,
            led_by_enrolment_id: opt_uuid(self.led_by_enrolment_id.as_deref())?,
            audience: self.audience.parse().map_err(ApiError::internal)?,
            group_id: opt_uuid(self.group_id.as_deref())?,
            cancelled_at: self.cancelled_at.map(|t| t.and_utc()),
            created_at: self.created_at.and_utc(),
            updated_at: self.updated_at.and_utc(),
        })
    }

    /// The session as the domain's plan.
    pub fn plan(&self) -> Result<SessionPlan, ApiError> {
        Ok(SessionPlan {
            kind: self.kind()?,
            title: self.title.clone(),
            starts: self.starts_at,
            ends: self.ends_at,
            venue_school_id: opt_uuid(self.venue_school_id.as_deref())?,
            venue_text: self.venue_text.clone(),
            facilitator_person_id: opt_uuid(self.facilitator_person_id.as_deref())?,
            led_by_enrolment_id: opt_uuid(self.led_by_enrolment_id.as_deref())?,
            audience: self.audience.parse().map_err(ApiError::internal)?,
            group_id: opt_uuid(self.group_id.as_deref())?,
        })
    }

    /// The row for a plan, of `cohort`, not cancelled.
    pub fn of_plan(
        id: String,
        cohort: &str,
        plan: &SessionPlan,
        created_at: NaiveDateTime,
        updated_at: NaiveDateTime,
    ) -> SessionRow {
        SessionRow {
            id,
            cohort_id: cohort.to_owned(),
            kind: plan.kind.as_str().into(),
            title: plan.title.clone(),
            starts_at: plan.starts,
            ends_at: plan.ends,
            venue_school_id: plan.venue_school_id.map(|v| v.to_string()),
            venue_text: plan.venue_text.clone(),
            facilitator_person_id: plan.facilitator_person_id.map(|v| v.to_string()),
            led_by_enrolment_id: plan.led_by_enrolment_id.map(|v| v.to_string()),
            audience: plan.audience.as_str().into(),
            group_id: plan.group_id.map(|v| v.to_string()),
            cancelled_at: None,
            created_at,
            updated_at,
        }
    }

    pub fn audience(&self) -> Result<trellis_domain::delivery::SessionAudience, ApiError> {
        self.audience.parse().map_err(ApiError::internal)
    }

    pub fn kind(&self) -> Result<SessionKind, ApiError> {
        self.kind.parse().map_err(ApiError::internal)
    }
}

/// The session, or 404.
pub(in crate::db) fn load(conn: &mut DbConn, id: Uuid) -> Result<SessionRow, ApiError> {
    sessions::table
        .find(id.to_string())
        .select(SessionRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::not_found("session"))
}

/// As [`load`], and on PostgreSQL the row stays locked until the transaction ends: writes
/// to one session (an edit, a cancellation, a register) read it, decide, and write, so they queue
/// instead of interleaving (an edit cannot undo a cancellation that landed after it read the row,
/// two registers cannot both insert their marks). SQLite's write transactions are serial already.
pub(in crate::db) fn load_for_update(conn: &mut DbConn, id: Uuid) -> Result<SessionRow, ApiError> {
    let q = sessions::table.find(id.to_string());
    let row = match conn {
        DbConn::Pg(pg) => q.select(SessionRow::as_select()).for_no_key_update().first(pg).optional()?,
        other => q.select(SessionRow::as_select()).first(other).optional()?,
    };
    row.ok_or_else(|| ApiError::not_found("session"))
}

/// The cohort's sessions changed since `since` (all when `None`), in start order.
pub fn of_cohort(
    conn: &mut DbConn,
    cohort: &Allowed<LoadedCohort, cohort::Read>,
    since: Option<NaiveDateTime>,
) -> Result<Vec<SessionRow>, ApiError> {
    let mut q = sessions::table.filter(sessions::cohort_id.eq(cohort.id.to_string())).into_boxed();
    if let Some(since) = since {
        q = q.filter(sessions::updated_at.ge(since));
    }
    Ok(q.order((sessions::starts_at.asc(), sessions::id.asc())).select(SessionRow::as_select()).load(conn)?)
}

/// Adds a session to a cohort the caller runs.
pub fn insert(
    conn: &mut DbConn,
    cohort: &Allowed<LoadedCohort, cohort::Run>,
    row: &SessionRow,
) -> Result<(), ApiError> {
    if row.cohort_id != cohort.id.to_string() {
        return Err(ApiError::internal("a session of another cohort"));
    }
    insert_unchecked(conn, row)?;
    crate::db::webhooks::session_changed(conn, &row.cohort_id, "scheduled", &row.to_wire()?, row.updated_at)
}

/// For the seed, which builds the demo as the platform would.
pub(crate) fn insert_unchecked(conn: &mut DbConn, row: &SessionRow) -> Result<(), ApiError> {
    diesel::insert_into(sessions::table).values(row).execute(conn)?;
    Ok(())
}

/// Writes `changed` over a session of a cohort the caller runs.
pub fn update(
    conn: &mut DbConn,
    session: &Allowed<LoadedSession, cohort::Run>,
    changed: &SessionRow,
) -> Result<(), ApiError> {
    if changed.id != session.id.to_string() || changed.cohort_id != session.row.cohort_id {
        return Err(ApiError::internal("a session changed into another"));
    }
    diesel::update(sessions::table.find(&changed.id)).set(changed).execute(conn)?;
    let change =
        if changed.cancelled_at.is_some() && session.row.cancelled_at.is_none() { "cancelled" } else { "updated" };
    crate::db::webhooks::session_changed(conn, &changed.cohort_id, change, &changed.to_wire()?, changed.updated_at)
}

/// What a session refers to that does not exist where it must: a leader not enrolled in the
/// cohort, a venue school, a facilitator, a group of another cohort.
pub fn missing_references(conn: &mut DbConn, row: &SessionRow) -> Result<Vec<FieldError>, ApiError> {
    let f = |field: &str, code: &str, message: &str| FieldError {
        field: field.into(),
        code: code.into(),
        message: message.into(),
    };
    let mut errors = vec![];
    if let Some(led) = &row.led_by_enrolment_id {
        let n: i64 = enrolments::table
            .filter(enrolments::id.eq(led))
            .filter(enrolments::cohort_id.eq(&row.cohort_id))
            .count()
            .get_result(conn)?;
        if n == 0 {
            errors.push(f("led_by_enrolment_id", "not_in_cohort", "the leader must be enrolled in this cohort"));
        }
    }
    if let Some(school) = &row.venue_school_id {
        let n: i64 = schools::table.filter(schools::id.eq(school)).count().get_result(conn)?;
        if n == 0 {
            errors.push(f("venue_school_id", "unknown_school", "no such school"));
        }
    }
    if let Some(p) = &row.facilitator_person_id {
        let n: i64 = people::table.filter(people::id.eq(p)).count().get_result(conn)?;
        if n == 0 {
            errors.push(f("facilitator_person_id", "unknown_person", "no such person"));
        }
    }
    if let Some(g) = &row.group_id {
        let n: i64 = learning_groups::table
            .filter(learning_groups::id.eq(g))
            .filter(learning_groups::cohort_id.eq(&row.cohort_id))
            .count()
            .get_result(conn)?;
        if n == 0 {
            errors.push(f("group_id", "not_in_cohort", "the group must belong to this cohort"));
        }
    }
    Ok(errors)
}
