//! The audit trail: who changed what, when — written in the transaction that makes the change.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::allowed::{Allowed, account};
use crate::db::schema::{audit_events, schools};
use crate::db::users::UserScope;
use crate::error::ApiError;
use crate::paging::{PageRequest, new_id};

/// One change to record.
pub struct Event<'a> {
    pub actor_user_id: Option<&'a str>,
    /// `<subject>.<verb>`, such as `invitation.created`.
    pub action: &'a str,
    pub subject_kind: &'a str,
    pub subject_id: &'a str,
    pub organisation_id: Option<&'a str>,
    pub school_id: Option<&'a str>,
    /// What changed; never a secret.
    pub detail: serde_json::Value,
}

pub fn record(conn: &mut DbConn, e: &Event, now: NaiveDateTime) -> Result<(), ApiError> {
    diesel::insert_into(audit_events::table)
        .values((
            audit_events::id.eq(new_id()),
            audit_events::at.eq(now),
            audit_events::actor_user_id.eq(e.actor_user_id),
            audit_events::action.eq(e.action),
            audit_events::subject_kind.eq(e.subject_kind),
            audit_events::subject_id.eq(e.subject_id),
            audit_events::organisation_id.eq(e.organisation_id),
            audit_events::school_id.eq(e.school_id),
            audit_events::detail.eq(e.detail.to_string()),
        ))
        .execute(conn)?;
    Ok(())
}

/// (id, at, actor, action, subject kind, subject id, detail)
pub type EventRow = (String, NaiveDateTime, Option<String>, String, String, String, String);

/// One page of the events in `scope`, oldest first (by id).
pub fn list(
    conn: &mut DbConn,
    scope: &Allowed<UserScope, account::Read>,
    page: &PageRequest,
) -> Result<Vec<EventRow>, ApiError> {
    let mut query = audit_events::table
        .select((
            audit_events::id,
            audit_events::at,
            audit_events::actor_user_id,
            audit_events::action,
            audit_events::subject_kind,
            audit_events::subject_id,
            audit_events::detail,
        ))
        .order(audit_events::id)
        .limit(page.fetch())
        .into_boxed();
    if let UserScope::Within { organisations, trusts, schools: at } = &**scope {
        let in_trust = schools::table.filter(schools::trust_id.eq_any(trusts.clone())).select(schools::id.nullable());
        query = query.filter(
            audit_events::organisation_id
                .eq_any(organisations.clone())
                .or(audit_events::school_id.eq_any(at.clone()))
                .or(audit_events::school_id.eq_any(in_trust)),
        );
    }
    if let Some(after) = &page.after {
        query = query.filter(audit_events::id.gt(after.clone()));
    }
    Ok(query.load(conn)?)
}
