//! Machine clients' request counts: the per-minute window their rate limit applies to and the
//! per-day usage counters. Both live in the database, so every API node counts the same requests.

use chrono::{DurationRound, NaiveDate, NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use crate::db::allowed::{Allowed, ManageClient};
use crate::db::schema::{api_clients, client_usage_days, client_usage_minutes};
use crate::db::{DbConn, on_backend};
use crate::error::ApiError;

/// What one request came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verdict {
    pub limit: u32,
    /// Requests left in this window (0 when refused).
    pub remaining: u32,
    /// Seconds until the window ends.
    pub reset_secs: u32,
    pub allowed: bool,
}

/// The minute `now` falls in.
fn window(now: NaiveDateTime) -> NaiveDateTime {
    now.duration_trunc(TimeDelta::minutes(1)).unwrap_or(now)
}

/// Counts one request by the client and says whether it is within the client's limit (its own,
/// or `default` when it has none). Unknown clients are let through uncounted: the handler refuses
/// their token.
pub fn hit(conn: &mut DbConn, client: &str, now: NaiveDateTime, default: u32) -> Result<Verdict, ApiError> {
    let own: Option<Option<i32>> =
        api_clients::table.find(client).select(api_clients::rate_limit_per_minute).first(conn).optional()?;
    let Some(own) = own else {
        return Ok(Verdict { limit: default, remaining: default, reset_secs: 60, allowed: true });
    };
    let limit = own.and_then(|l| u32::try_from(l).ok()).unwrap_or(default);
    let start = window(now);
    let count: i32 = on_backend!(&mut *conn, |c| diesel::insert_into(client_usage_minutes::table)
        .values((
            client_usage_minutes::client_id.eq(client),
            client_usage_minutes::window_start.eq(start),
            client_usage_minutes::requests.eq(1),
        ))
        .on_conflict((client_usage_minutes::client_id, client_usage_minutes::window_start))
        .do_update()
        .set(client_usage_minutes::requests.eq(client_usage_minutes::requests + 1))
        .returning(client_usage_minutes::requests)
        .get_result(c))?;
    if count == 1 {
        // A new window: the old ones have served their purpose.
        diesel::delete(
            client_usage_minutes::table
                .filter(client_usage_minutes::client_id.eq(client))
                .filter(client_usage_minutes::window_start.lt(start - TimeDelta::minutes(10))),
        )
        .execute(conn)?;
    }
    let allowed = u32::try_from(count).unwrap_or(u32::MAX) <= limit;
    let refused = i32::from(!allowed);
    on_backend!(&mut *conn, |c| diesel::insert_into(client_usage_days::table)
        .values((
            client_usage_days::client_id.eq(client),
            client_usage_days::day.eq(now.date()),
            client_usage_days::requests.eq(1),
            client_usage_days::refused.eq(refused),
        ))
        .on_conflict((client_usage_days::client_id, client_usage_days::day))
        .do_update()
        .set((
            client_usage_days::requests.eq(client_usage_days::requests + 1),
            client_usage_days::refused.eq(client_usage_days::refused + refused),
        ))
        .execute(c))?;
    let reset = (start + TimeDelta::minutes(1) - now).num_milliseconds().max(0);
    Ok(Verdict {
        limit,
        remaining: limit.saturating_sub(u32::try_from(count).unwrap_or(u32::MAX)),
        reset_secs: u32::try_from((reset + 999) / 1000).unwrap_or(60).max(1),
        allowed,
    })
}

/// (day, requests, refused).
pub type UsageDay = (NaiveDate, i32, i32);

/// (day, requests, refused) for the client's last `days` days, oldest first (days without
/// requests left out), and the requests in the current minute.
pub fn of_client(
    conn: &mut DbConn,
    client: &Allowed<crate::db::clients::ClientRecord, ManageClient>,
    now: NaiveDateTime,
    days: u32,
) -> Result<(Vec<UsageDay>, i32), ApiError> {
    let from = now.date() - TimeDelta::days(i64::from(days.saturating_sub(1)));
    let rows = client_usage_days::table
        .filter(client_usage_days::client_id.eq(&client.id))
        .filter(client_usage_days::day.ge(from))
        .select((client_usage_days::day, client_usage_days::requests, client_usage_days::refused))
        .order(client_usage_days::day)
        .load(conn)?;
    let this_minute: Option<i32> = client_usage_minutes::table
        .find((&client.id, window(now)))
        .select(client_usage_minutes::requests)
        .first(conn)
        .optional()?;
    Ok((rows, this_minute.unwrap_or(0)))
}
