//! Progress moves when its evidence does. A change to a session, a register or a coaching log bumps
//! the `updated_at` of every enrolment whose progress it can move, so that `updated_since` (how an MIS
//! or a dashboard syncs) sees the enrolment again.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::schema::enrolments;
use crate::error::ApiError;

/// These enrolments' progress may have moved.
pub fn enrolments(conn: &mut DbConn, ids: &[String], now: NaiveDateTime) -> Result<(), ApiError> {
    if !ids.is_empty() {
        diesel::update(enrolments::table.filter(enrolments::id.eq_any(ids)))
            .set(enrolments::updated_at.eq(now))
            .execute(conn)?;
    }
    Ok(())
}

/// Every enrolment of the cohort: its timetable changed.
pub fn cohort(conn: &mut DbConn, cohort_id: &str, now: NaiveDateTime) -> Result<(), ApiError> {
    diesel::update(enrolments::table.filter(enrolments::cohort_id.eq(cohort_id)))
        .set(enrolments::updated_at.eq(now))
        .execute(conn)?;
    Ok(())
}
