//! Report drafts: one per enrolment, replaced whole on each save.

use crate::db::allowed::enrolment::OwnWork;
use crate::db::allowed::{Allowed, LoadedEnrolment};
use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::schema::report_drafts;
use crate::error::ApiError;

/// A saved draft.
#[derive(Debug, Queryable)]
pub struct DraftRow {
    pub body: String,
    pub words: i64,
    pub updated_at: NaiveDateTime,
}

/// The word limit of the enrolment's programme, if its assessment has one.
pub fn word_limit(conn: &mut DbConn, target: &Allowed<LoadedEnrolment, OwnWork>) -> Result<Option<u32>, ApiError> {
    let definition = crate::db::cohorts::definition(conn, &target.row.cohort_id)?;
    Ok(definition.assessment.and_then(|a| a.word_limit))
}

pub fn find(conn: &mut DbConn, target: &Allowed<LoadedEnrolment, OwnWork>) -> Result<Option<DraftRow>, ApiError> {
    let enrolment = target.id;
    Ok(report_drafts::table
        .find(enrolment.to_string())
        .select((report_drafts::body, report_drafts::words, report_drafts::updated_at))
        .first(conn)
        .optional()?)
}

/// When the draft was last saved (its version), if ever.
pub fn saved_at(
    conn: &mut DbConn,
    target: &Allowed<LoadedEnrolment, OwnWork>,
) -> Result<Option<NaiveDateTime>, ApiError> {
    let enrolment = target.id;
    Ok(report_drafts::table.find(enrolment.to_string()).select(report_drafts::updated_at).first(conn).optional()?)
}

/// Replaces the draft. The handler holds the enrolment row's lock
/// ([`crate::db::enrolments::status_for_update`]), so two saves cannot interleave here.
pub fn replace(
    conn: &mut DbConn,
    target: &Allowed<LoadedEnrolment, OwnWork>,
    text: &str,
    words: i64,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    let enrolment = target.id;
    diesel::delete(report_drafts::table.find(enrolment.to_string())).execute(conn)?;
    diesel::insert_into(report_drafts::table)
        .values((
            report_drafts::enrolment_id.eq(enrolment.to_string()),
            report_drafts::body.eq(text),
            report_drafts::words.eq(words),
            report_drafts::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}
