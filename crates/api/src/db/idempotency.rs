//! Idempotency keys: a caller's key claimed before its request runs, its answer stored after, so
//! a retry gets the first answer. The claim is one transaction on the writer: of two requests with
//! one key, one runs and the other is told the key is in use.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::idempotency_keys as keys;
use crate::db::{DbConn, on_backend};
use crate::error::ApiError;

/// How long a key and its answer are kept.
pub const KEEP_HOURS: i64 = 24;
/// How long a running request holds its key: a request that died (a crash, a lost node) releases
/// it after this long.
pub const LOCK_SECONDS: i64 = 300;

/// A stored answer.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub content_type: Option<String>,
    pub etag: Option<String>,
    pub location: Option<String>,
    pub body: Vec<u8>,
}

#[derive(Debug)]
pub enum Claim {
    /// The key is this request's: run it, then [`finish`] or [`release`].
    Run,
    /// The first request with this key was answered: answer the same.
    Replay(Answer),
    /// The first request with this key is still running.
    InUse,
    /// The key was used for a different request.
    Reused,
}

type Row = (String, Option<i32>, Option<String>, Option<String>, Option<String>, Option<Vec<u8>>, NaiveDateTime);

/// Claims `key_hash` for `caller`'s request `fingerprint`; forgets the caller's keys older than
/// [`KEEP_HOURS`] first.
pub fn claim(
    conn: &mut DbConn,
    caller: &str,
    key_hash: &str,
    fingerprint: &str,
    now: NaiveDateTime,
) -> Result<Claim, ApiError> {
    diesel::delete(
        keys::table.filter(keys::caller.eq(caller)).filter(keys::created_at.lt(now - Duration::hours(KEEP_HOURS))),
    )
    .execute(conn)?;
    let found: Option<Row> = keys::table
        .find((caller, key_hash))
        .select((
            keys::fingerprint,
            keys::status,
            keys::content_type,
            keys::etag,
            keys::location,
            keys::body,
            keys::locked_until,
        ))
        .first(conn)
        .optional()?;
    let lock = now + Duration::seconds(LOCK_SECONDS);
    let Some((stored_fingerprint, status, content_type, etag, location, body, locked_until)) = found else {
        let row = (
            keys::caller.eq(caller),
            keys::key_hash.eq(key_hash),
            keys::fingerprint.eq(fingerprint),
            keys::created_at.eq(now),
            keys::locked_until.eq(lock),
        );
        // A concurrent twin that got here first (PostgreSQL: both saw no row) wins.
        let inserted = on_backend!(&mut *conn, |c| diesel::insert_into(keys::table)
            .values(row)
            .on_conflict_do_nothing()
            .execute(c))?;
        return Ok(if inserted == 1 { Claim::Run } else { Claim::InUse });
    };
    if stored_fingerprint != fingerprint {
        return Ok(Claim::Reused);
    }
    if let Some(status) = status {
        let status = u16::try_from(status).map_err(ApiError::internal)?;
        return Ok(Claim::Replay(Answer { status, content_type, etag, location, body: body.unwrap_or_default() }));
    }
    if locked_until > now {
        return Ok(Claim::InUse);
    }
    // The first request died without an answer: this one takes the key over.
    let taken = diesel::update(
        keys::table.find((caller, key_hash)).filter(keys::status.is_null()).filter(keys::locked_until.eq(locked_until)),
    )
    .set(keys::locked_until.eq(lock))
    .execute(conn)?;
    Ok(if taken == 1 { Claim::Run } else { Claim::InUse })
}

/// Stores the answer to a request that ran under `key_hash`.
pub fn finish(conn: &mut DbConn, caller: &str, key_hash: &str, answer: &Answer) -> Result<(), ApiError> {
    diesel::update(keys::table.find((caller, key_hash)))
        .set((
            keys::status.eq(i32::from(answer.status)),
            keys::content_type.eq(&answer.content_type),
            keys::etag.eq(&answer.etag),
            keys::location.eq(&answer.location),
            keys::body.eq(&answer.body),
        ))
        .execute(conn)?;
    Ok(())
}

/// Gives the key up without an answer (the request failed in a way a retry may not: a server
/// error, a missing sign-in, a limit), so a retry runs afresh.
pub fn release(conn: &mut DbConn, caller: &str, key_hash: &str) -> Result<(), ApiError> {
    diesel::delete(keys::table.find((caller, key_hash)).filter(keys::status.is_null())).execute(conn)?;
    Ok(())
}
