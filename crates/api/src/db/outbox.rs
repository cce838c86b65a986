//! The email outbox. Messages are written in the transaction that causes them; each node's mail
//! worker claims due rows under a lease (on PostgreSQL with `FOR UPDATE SKIP LOCKED`, so two
//! nodes never claim the same row), sends them, and records every attempt.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::allowed::{Allowed, Platform, directory};
use crate::db::schema::{outbox, outbox_attempts};
use crate::error::ApiError;
use crate::paging::{PageRequest, new_id};

/// A message to send.
#[derive(Debug, Clone)]
pub struct NewMessage {
    pub kind: &'static str,
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// It carries a sign-in secret: the outbox page does not show its body.
    pub secret: bool,
}

pub fn enqueue(conn: &mut DbConn, m: &NewMessage, now: NaiveDateTime) -> Result<String, ApiError> {
    let id = new_id();
    diesel::insert_into(outbox::table)
        .values((
            outbox::id.eq(&id),
            outbox::kind.eq(m.kind),
            outbox::to_address.eq(&m.to),
            outbox::subject.eq(&m.subject),
            outbox::text_body.eq(&m.text),
            outbox::html_body.eq(&m.html),
            outbox::secret.eq(m.secret),
            outbox::created_at.eq(now),
            outbox::status.eq("pending"),
            outbox::attempts.eq(0),
            outbox::next_attempt_at.eq(now),
        ))
        .execute(conn)?;
    Ok(id)
}

#[derive(Debug, Clone, Queryable)]
pub struct OutboxRow {
    pub id: String,
    pub kind: String,
    pub to_address: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub secret: bool,
    pub created_at: NaiveDateTime,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub sent_at: Option<NaiveDateTime>,
    pub last_error: Option<String>,
}

type Cols = (
    outbox::id,
    outbox::kind,
    outbox::to_address,
    outbox::subject,
    outbox::text_body,
    outbox::html_body,
    outbox::secret,
    outbox::created_at,
    outbox::status,
    outbox::attempts,
    outbox::next_attempt_at,
    outbox::sent_at,
    outbox::last_error,
);
const COLS: Cols = (
    outbox::id,
    outbox::kind,
    outbox::to_address,
    outbox::subject,
    outbox::text_body,
    outbox::html_body,
    outbox::secret,
    outbox::created_at,
    outbox::status,
    outbox::attempts,
    outbox::next_attempt_at,
    outbox::sent_at,
    outbox::last_error,
);

/// One page of the outbox, newest first.
pub fn list(
    conn: &mut DbConn,
    _platform: &Allowed<Platform, directory::Read>,
    page: &PageRequest,
) -> Result<Vec<OutboxRow>, ApiError> {
    let mut query = outbox::table.select(COLS).order(outbox::id.desc()).limit(page.fetch()).into_boxed();
    if let Some(after) = &page.after {
        query = query.filter(outbox::id.lt(after.clone()));
    }
    Ok(query.load(conn)?)
}

/// Claims up to `limit` due messages for `node` until `now + lease`, and returns them. A message
/// claimed by a node that died is due again once its lease has run out.
pub fn claim(
    conn: &mut DbConn,
    node: &str,
    now: NaiveDateTime,
    lease: Duration,
    limit: i64,
) -> Result<Vec<OutboxRow>, ApiError> {
    let due = outbox::table
        .filter(outbox::status.eq("pending"))
        .filter(outbox::next_attempt_at.le(now))
        .filter(outbox::claimed_until.is_null().or(outbox::claimed_until.lt(now)))
        .order(outbox::next_attempt_at)
        .limit(limit)
        .select(outbox::id);
    let ids: Vec<String> = match conn {
        // Rows another node holds locked are skipped, not waited for.
        DbConn::Pg(pg) => due.for_update().skip_locked().load(pg)?,
        // SQLite: the write transaction is the only writer there is.
        DbConn::Sqlite(sqlite) => due.load(sqlite)?,
    };
    if ids.is_empty() {
        return Ok(vec![]);
    }
    diesel::update(outbox::table.filter(outbox::id.eq_any(&ids)))
        .set((outbox::claimed_by.eq(node), outbox::claimed_until.eq(now + lease)))
        .execute(conn)?;
    Ok(outbox::table.filter(outbox::id.eq_any(&ids)).select(COLS).load(conn)?)
}

/// Renews this node's claim on one message just before sending it; false when the claim was lost
/// (its lease ran out and another node took it), so this node must not send it.
pub fn renew(conn: &mut DbConn, id: &str, node: &str, now: NaiveDateTime, lease: Duration) -> Result<bool, ApiError> {
    let n = diesel::update(
        outbox::table
            .find(id)
            .filter(outbox::claimed_by.eq(node))
            .filter(outbox::claimed_until.gt(now))
            .filter(outbox::status.eq("pending")),
    )
    .set(outbox::claimed_until.eq(now + lease))
    .execute(conn)?;
    Ok(n == 1)
}

/// What became of one attempt.
pub enum Outcome<'a> {
    Sent,
    /// Try again at this time.
    Retry {
        error: &'a str,
        at: NaiveDateTime,
    },
    /// Give up.
    Failed {
        error: &'a str,
    },
}

/// Records the attempt and moves the message on. Only the node holding the claim may.
pub fn record_attempt(
    conn: &mut DbConn,
    id: &str,
    node: &str,
    outcome: Outcome,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    let (result, detail) = match &outcome {
        Outcome::Sent => ("sent", ""),
        Outcome::Retry { error, .. } | Outcome::Failed { error } => ("failed", *error),
    };
    diesel::insert_into(outbox_attempts::table)
        .values((
            outbox_attempts::id.eq(new_id()),
            outbox_attempts::message_id.eq(id),
            outbox_attempts::at.eq(now),
            outbox_attempts::node.eq(node),
            outbox_attempts::outcome.eq(result),
            outbox_attempts::detail.eq(detail),
        ))
        .execute(conn)?;
    let mine = outbox::table.find(id).filter(outbox::claimed_by.eq(node));
    let attempts = outbox::attempts + 1;
    let release = (outbox::claimed_by.eq(None::<String>), outbox::claimed_until.eq(None::<NaiveDateTime>));
    match outcome {
        Outcome::Sent => diesel::update(mine)
            .set((outbox::status.eq("sent"), outbox::attempts.eq(attempts), outbox::sent_at.eq(now), release))
            .execute(conn)?,
        Outcome::Retry { error, at } => diesel::update(mine)
            .set((outbox::attempts.eq(attempts), outbox::next_attempt_at.eq(at), outbox::last_error.eq(error), release))
            .execute(conn)?,
        Outcome::Failed { error } => diesel::update(mine)
            .set((outbox::status.eq("failed"), outbox::attempts.eq(attempts), outbox::last_error.eq(error), release))
            .execute(conn)?,
    };
    Ok(())
}

/// Every attempt made to send the message: (at, node, outcome, detail), oldest first.
pub fn attempts(conn: &mut DbConn, id: &str) -> Result<Vec<(NaiveDateTime, String, String, String)>, ApiError> {
    Ok(outbox_attempts::table
        .filter(outbox_attempts::message_id.eq(id))
        .select((outbox_attempts::at, outbox_attempts::node, outbox_attempts::outcome, outbox_attempts::detail))
        .order((outbox_attempts::at, outbox_attempts::id))
        .load(conn)?)
}
