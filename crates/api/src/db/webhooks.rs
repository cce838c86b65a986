//! Webhooks: subscriptions, the events written by the transactions that cause them, one delivery
//! per subscription that may hear of an event (the webhook outbox), and every attempt. Each node's
//! webhook worker claims due deliveries under a lease, as the mail worker does.

use std::collections::HashMap;

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use trellis_domain::authz::{ClientPrincipal, SchoolFacts};
use trellis_domain::webhook::{AfterFailure, EventType, RetryPolicy};

use crate::db::DbConn;
use crate::db::facts::{opt_uuid, uuid};
use crate::db::schema::{
    api_client_schools, api_clients, enrolments, people, schools, webhook_attempts, webhook_deliveries, webhook_events,
    webhook_subscriptions,
};
use crate::error::ApiError;
use crate::paging::{PageRequest, new_id};

#[derive(Debug, Clone, Queryable)]
pub struct SubscriptionRow {
    pub id: String,
    pub client_id: String,
    pub url: String,
    pub description: String,
    pub events: String,
    pub secret: String,
    pub status: String,
    pub disabled_reason: Option<String>,
    pub consecutive_failures: i32,
    pub failing_since: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl SubscriptionRow {
    pub fn event_types(&self) -> Vec<EventType> {
        self.events.split_whitespace().filter_map(|e| e.parse().ok()).collect()
    }
}

type SubCols = (
    webhook_subscriptions::id,
    webhook_subscriptions::client_id,
    webhook_subscriptions::url,
    webhook_subscriptions::description,
    webhook_subscriptions::events,
    webhook_subscriptions::secret,
    webhook_subscriptions::status,
    webhook_subscriptions::disabled_reason,
    webhook_subscriptions::consecutive_failures,
    webhook_subscriptions::failing_since,
    webhook_subscriptions::created_at,
    webhook_subscriptions::updated_at,
);
const SUB_COLS: SubCols = (
    webhook_subscriptions::id,
    webhook_subscriptions::client_id,
    webhook_subscriptions::url,
    webhook_subscriptions::description,
    webhook_subscriptions::events,
    webhook_subscriptions::secret,
    webhook_subscriptions::status,
    webhook_subscriptions::disabled_reason,
    webhook_subscriptions::consecutive_failures,
    webhook_subscriptions::failing_since,
    webhook_subscriptions::created_at,
    webhook_subscriptions::updated_at,
);

pub fn spell_events(events: &[EventType]) -> String {
    let mut names: Vec<&str> = events.iter().map(|e| e.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    names.join(" ")
}

pub struct NewSubscription<'a> {
    pub client_id: &'a str,
    pub url: &'a str,
    pub description: &'a str,
    pub events: &'a [EventType],
    pub secret: &'a str,
}

pub fn insert(conn: &mut DbConn, new: &NewSubscription, now: NaiveDateTime) -> Result<String, ApiError> {
    let id = new_id();
    diesel::insert_into(webhook_subscriptions::table)
        .values((
            webhook_subscriptions::id.eq(&id),
            webhook_subscriptions::client_id.eq(new.client_id),
            webhook_subscriptions::url.eq(new.url),
            webhook_subscriptions::description.eq(new.description),
            webhook_subscriptions::events.eq(spell_events(new.events)),
            webhook_subscriptions::secret.eq(new.secret),
            webhook_subscriptions::status.eq("active"),
            webhook_subscriptions::consecutive_failures.eq(0),
            webhook_subscriptions::created_at.eq(now),
            webhook_subscriptions::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(id)
}

/// A subscription that has not been deleted.
pub fn find(conn: &mut DbConn, id: &str) -> Result<Option<SubscriptionRow>, ApiError> {
    Ok(webhook_subscriptions::table
        .find(id)
        .filter(webhook_subscriptions::status.ne("deleted"))
        .select(SUB_COLS)
        .first(conn)
        .optional()?)
}

/// One page of a client's subscriptions, oldest first.
pub fn of_client(conn: &mut DbConn, client_id: &str, page: &PageRequest) -> Result<Vec<SubscriptionRow>, ApiError> {
    let mut q = webhook_subscriptions::table
        .filter(webhook_subscriptions::client_id.eq(client_id))
        .filter(webhook_subscriptions::status.ne("deleted"))
        .select(SUB_COLS)
        .order(webhook_subscriptions::id)
        .limit(page.fetch())
        .into_boxed();
    if let Some(after) = &page.after {
        q = q.filter(webhook_subscriptions::id.gt(after.clone()));
    }
    if let Some(since) = page.updated_since {
        q = q.filter(webhook_subscriptions::updated_at.ge(since));
    }
    Ok(q.load(conn)?)
}

/// What a client asked to change (already checked).
pub struct Change<'a> {
    pub url: Option<&'a str>,
    pub description: Option<&'a str>,
    pub events: Option<&'a [EventType]>,
    pub enabled: Option<bool>,
}

pub fn update(conn: &mut DbConn, row: &SubscriptionRow, change: &Change, now: NaiveDateTime) -> Result<(), ApiError> {
    let target = webhook_subscriptions::table.find(&row.id);
    diesel::update(target)
        .set((
            webhook_subscriptions::url.eq(change.url.unwrap_or(&row.url)),
            webhook_subscriptions::description.eq(change.description.unwrap_or(&row.description)),
            webhook_subscriptions::events.eq(change.events.map(spell_events).unwrap_or_else(|| row.events.clone())),
            webhook_subscriptions::updated_at.eq(now),
        ))
        .execute(conn)?;
    match change.enabled {
        Some(true) if row.status != "active" => {
            diesel::update(target)
                .set((
                    webhook_subscriptions::status.eq("active"),
                    webhook_subscriptions::disabled_reason.eq(None::<String>),
                    webhook_subscriptions::consecutive_failures.eq(0),
                    webhook_subscriptions::failing_since.eq(None::<NaiveDateTime>),
                ))
                .execute(conn)?;
            // What waited while it was off goes now.
            diesel::update(
                webhook_deliveries::table
                    .filter(webhook_deliveries::subscription_id.eq(&row.id))
                    .filter(webhook_deliveries::status.eq("pending")),
            )
            .set(webhook_deliveries::next_attempt_at.eq(now))
            .execute(conn)?;
        }
        Some(false) if row.status == "active" => {
            diesel::update(target)
                .set((
                    webhook_subscriptions::status.eq("disabled"),
                    webhook_subscriptions::disabled_reason.eq("switched off by its client"),
                ))
                .execute(conn)?;
        }
        _ => {}
    }
    Ok(())
}

/// Deletes the subscription: nothing more is sent to it; its log is kept.
pub fn delete(conn: &mut DbConn, row: &SubscriptionRow, now: NaiveDateTime) -> Result<(), ApiError> {
    diesel::update(webhook_subscriptions::table.find(&row.id))
        .set((webhook_subscriptions::status.eq("deleted"), webhook_subscriptions::updated_at.eq(now)))
        .execute(conn)?;
    diesel::update(
        webhook_deliveries::table
            .filter(webhook_deliveries::subscription_id.eq(&row.id))
            .filter(webhook_deliveries::status.eq("pending")),
    )
    .set((webhook_deliveries::status.eq("failed"), webhook_deliveries::last_error.eq("subscription deleted")))
    .execute(conn)?;
    Ok(())
}

/// The machine clients with an active subscription to `event`, as principals (their registered
/// scopes and schools), with those subscriptions' ids. One query when nobody listens.
fn listeners(conn: &mut DbConn, event: EventType) -> Result<Vec<(ClientPrincipal, Vec<String>)>, ApiError> {
    let rows: Vec<(String, String, String, String, Option<String>)> = webhook_subscriptions::table
        .inner_join(api_clients::table)
        .filter(webhook_subscriptions::status.eq("active"))
        .filter(webhook_subscriptions::events.like(format!("%{}%", event.as_str())))
        .filter(api_clients::revoked_at.is_null())
        .select((
            webhook_subscriptions::id,
            webhook_subscriptions::events,
            api_clients::id,
            api_clients::scopes,
            api_clients::trust_id,
        ))
        .load(conn)?;
    let rows: Vec<_> = rows.into_iter().filter(|r| r.1.split_whitespace().any(|e| e == event.as_str())).collect();
    if rows.is_empty() {
        return Ok(vec![]);
    }
    let client_ids: Vec<&String> = rows.iter().map(|r| &r.2).collect();
    let links: Vec<(String, String)> = api_client_schools::table
        .filter(api_client_schools::client_id.eq_any(client_ids))
        .select((api_client_schools::client_id, api_client_schools::school_id))
        .load(conn)?;
    let mut by_client: HashMap<String, (ClientPrincipal, Vec<String>)> = HashMap::new();
    for (sub, _, client, scopes, trust) in rows {
        if let Some(entry) = by_client.get_mut(&client) {
            entry.1.push(sub);
            continue;
        }
        let principal = ClientPrincipal {
            client_id: uuid(&client)?,
            scopes: crate::auth::parse_scopes(&scopes).map_err(ApiError::internal)?,
            school_ids: links.iter().filter(|l| l.0 == client).map(|l| uuid(&l.1)).collect::<Result<_, _>>()?,
            trust_id: opt_uuid(trust.as_deref())?,
        };
        by_client.insert(client, (principal, vec![sub]));
    }
    Ok(by_client.into_values().collect())
}

/// Writes an event about these schools and a delivery of it to every active subscription whose
/// client may hear of it, in the caller's transaction: it goes out if and only if the change that
/// caused it is committed. `about` is asked only when somebody listens; it gives the schools the
/// event concerns and its `data`.
pub fn emit(
    conn: &mut DbConn,
    event: EventType,
    now: NaiveDateTime,
    about: impl FnOnce(&mut DbConn) -> Result<(Vec<SchoolFacts>, serde_json::Value), ApiError>,
) -> Result<(), ApiError> {
    let listeners = listeners(conn, event)?;
    if listeners.is_empty() {
        return Ok(());
    }
    let (schools, data) = about(conn)?;
    let subscriptions: Vec<String> =
        listeners.into_iter().filter(|(c, _)| c.receives(event, &schools)).flat_map(|(_, subs)| subs).collect();
    if subscriptions.is_empty() {
        return Ok(());
    }
    write_event(conn, event, data, &subscriptions, now).map(|_| ())
}

/// The event and one delivery per subscription; the event's id (`msg_…`).
pub fn write_event(
    conn: &mut DbConn,
    event: EventType,
    data: serde_json::Value,
    subscriptions: &[String],
    now: NaiveDateTime,
) -> Result<String, ApiError> {
    let id = format!("msg_{}", uuid::Uuid::now_v7().simple());
    let payload = serde_json::json!({
        "type": event.as_str(),
        "timestamp": now.and_utc().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        "data": data,
    });
    diesel::insert_into(webhook_events::table)
        .values((
            webhook_events::id.eq(&id),
            webhook_events::event_type.eq(event.as_str()),
            webhook_events::payload.eq(payload.to_string()),
            webhook_events::created_at.eq(now),
        ))
        .execute(conn)?;
    for sub in subscriptions {
        diesel::insert_into(webhook_deliveries::table)
            .values((
                webhook_deliveries::id.eq(new_id()),
                webhook_deliveries::subscription_id.eq(sub),
                webhook_deliveries::event_id.eq(&id),
                webhook_deliveries::created_at.eq(now),
                webhook_deliveries::status.eq("pending"),
                webhook_deliveries::attempts.eq(0),
                webhook_deliveries::next_attempt_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(id)
}

/// The schools of these enrolments' people, for an event about them.
pub fn schools_of_enrolments(conn: &mut DbConn, ids: &[String]) -> Result<Vec<SchoolFacts>, ApiError> {
    let rows: Vec<(String, Option<String>)> = enrolments::table
        .inner_join(people::table.inner_join(schools::table))
        .filter(enrolments::id.eq_any(ids))
        .select((schools::id, schools::trust_id))
        .distinct()
        .load(conn)?;
    rows.into_iter().map(|(s, t)| Ok(SchoolFacts { id: uuid(&s)?, trust_id: opt_uuid(t.as_deref())? })).collect()
}

/// The schools of a cohort's participants, for an event about the cohort's sessions.
pub fn schools_of_cohort(conn: &mut DbConn, cohort_id: &str) -> Result<Vec<SchoolFacts>, ApiError> {
    let rows: Vec<(String, Option<String>)> = enrolments::table
        .inner_join(people::table.inner_join(schools::table))
        .filter(enrolments::cohort_id.eq(cohort_id))
        .select((schools::id, schools::trust_id))
        .distinct()
        .load(conn)?;
    rows.into_iter().map(|(s, t)| Ok(SchoolFacts { id: uuid(&s)?, trust_id: opt_uuid(t.as_deref())? })).collect()
}

#[derive(Debug, Clone, Queryable)]
pub struct DeliveryRow {
    pub id: String,
    pub subscription_id: String,
    pub event_id: String,
    pub created_at: NaiveDateTime,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub delivered_at: Option<NaiveDateTime>,
    pub last_status_code: Option<i32>,
    pub last_error: Option<String>,
    pub event_type: String,
}

type DelCols = (
    webhook_deliveries::id,
    webhook_deliveries::subscription_id,
    webhook_deliveries::event_id,
    webhook_deliveries::created_at,
    webhook_deliveries::status,
    webhook_deliveries::attempts,
    webhook_deliveries::next_attempt_at,
    webhook_deliveries::delivered_at,
    webhook_deliveries::last_status_code,
    webhook_deliveries::last_error,
    webhook_events::event_type,
);
const DEL_COLS: DelCols = (
    webhook_deliveries::id,
    webhook_deliveries::subscription_id,
    webhook_deliveries::event_id,
    webhook_deliveries::created_at,
    webhook_deliveries::status,
    webhook_deliveries::attempts,
    webhook_deliveries::next_attempt_at,
    webhook_deliveries::delivered_at,
    webhook_deliveries::last_status_code,
    webhook_deliveries::last_error,
    webhook_events::event_type,
);

/// One page of a subscription's deliveries, newest first.
pub fn deliveries(conn: &mut DbConn, subscription: &str, page: &PageRequest) -> Result<Vec<DeliveryRow>, ApiError> {
    let mut q = webhook_deliveries::table
        .inner_join(webhook_events::table)
        .filter(webhook_deliveries::subscription_id.eq(subscription))
        .select(DEL_COLS)
        .order(webhook_deliveries::id.desc())
        .limit(page.fetch())
        .into_boxed();
    if let Some(after) = &page.after {
        q = q.filter(webhook_deliveries::id.lt(after.clone()));
    }
    if let Some(since) = page.updated_since {
        q = q.filter(webhook_deliveries::created_at.ge(since));
    }
    Ok(q.load(conn)?)
}

/// One delivery of a subscription, with the body sent.
pub fn delivery(conn: &mut DbConn, subscription: &str, id: &str) -> Result<Option<(DeliveryRow, String)>, ApiError> {
    Ok(webhook_deliveries::table
        .inner_join(webhook_events::table)
        .filter(webhook_deliveries::subscription_id.eq(subscription))
        .filter(webhook_deliveries::id.eq(id))
        .select((DEL_COLS, webhook_events::payload))
        .first(conn)
        .optional()?)
}

/// (at, outcome, status code, detail, duration in ms), oldest first.
pub type AttemptRow = (NaiveDateTime, String, Option<i32>, String, i32);

pub fn attempts(conn: &mut DbConn, delivery: &str) -> Result<Vec<AttemptRow>, ApiError> {
    Ok(webhook_attempts::table
        .filter(webhook_attempts::delivery_id.eq(delivery))
        .select((
            webhook_attempts::at,
            webhook_attempts::outcome,
            webhook_attempts::status_code,
            webhook_attempts::detail,
            webhook_attempts::duration_ms,
        ))
        .order((webhook_attempts::at, webhook_attempts::id))
        .load(conn)?)
}

/// Sends the delivery again, now, with the same `webhook-id`, and a fresh set of retries.
pub fn replay(conn: &mut DbConn, delivery: &DeliveryRow, now: NaiveDateTime) -> Result<(), ApiError> {
    diesel::update(webhook_deliveries::table.find(&delivery.id))
        .set((
            webhook_deliveries::status.eq("pending"),
            webhook_deliveries::attempts.eq(0),
            webhook_deliveries::next_attempt_at.eq(now),
            webhook_deliveries::claimed_by.eq(None::<String>),
            webhook_deliveries::claimed_until.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?;
    Ok(())
}

/// A claimed delivery with what the worker needs to send it.
#[derive(Debug, Clone, Queryable)]
pub struct Due {
    pub id: String,
    pub attempts: i32,
    pub subscription_id: String,
    pub url: String,
    pub secret: String,
    pub event_id: String,
    pub payload: String,
}

/// Claims up to `limit` due deliveries to active subscriptions for `node` until `now + lease`.
/// A delivery claimed by a node that died is due again once its lease has run out.
pub fn claim(
    conn: &mut DbConn,
    node: &str,
    now: NaiveDateTime,
    lease: Duration,
    limit: i64,
) -> Result<Vec<Due>, ApiError> {
    let active = webhook_subscriptions::table
        .filter(webhook_subscriptions::status.eq("active"))
        .select(webhook_subscriptions::id);
    let due = webhook_deliveries::table
        .filter(webhook_deliveries::status.eq("pending"))
        .filter(webhook_deliveries::next_attempt_at.le(now))
        .filter(webhook_deliveries::claimed_until.is_null().or(webhook_deliveries::claimed_until.lt(now)))
        .filter(webhook_deliveries::subscription_id.eq_any(active))
        .order(webhook_deliveries::next_attempt_at)
        .limit(limit)
        .select(webhook_deliveries::id);
    let ids: Vec<String> = match conn {
        DbConn::Pg(pg) => due.for_update().skip_locked().load(pg)?,
        DbConn::Sqlite(sqlite) => due.load(sqlite)?,
    };
    if ids.is_empty() {
        return Ok(vec![]);
    }
    diesel::update(webhook_deliveries::table.filter(webhook_deliveries::id.eq_any(&ids)))
        .set((webhook_deliveries::claimed_by.eq(node), webhook_deliveries::claimed_until.eq(now + lease)))
        .execute(conn)?;
    Ok(webhook_deliveries::table
        .inner_join(webhook_subscriptions::table)
        .inner_join(webhook_events::table)
        .filter(webhook_deliveries::id.eq_any(&ids))
        .select((
            webhook_deliveries::id,
            webhook_deliveries::attempts,
            webhook_subscriptions::id,
            webhook_subscriptions::url,
            webhook_subscriptions::secret,
            webhook_events::id,
            webhook_events::payload,
        ))
        .load(conn)?)
}

/// Renews this node's claim just before sending; false when the claim was lost, or the
/// subscription was switched off meanwhile, so this node must not send it.
pub fn renew(conn: &mut DbConn, d: &Due, node: &str, now: NaiveDateTime, lease: Duration) -> Result<bool, ApiError> {
    let active = webhook_subscriptions::table
        .find(&d.subscription_id)
        .filter(webhook_subscriptions::status.eq("active"))
        .count()
        .get_result::<i64>(conn)?;
    if active == 0 {
        return Ok(false);
    }
    let n = diesel::update(
        webhook_deliveries::table
            .find(&d.id)
            .filter(webhook_deliveries::claimed_by.eq(node))
            .filter(webhook_deliveries::claimed_until.gt(now))
            .filter(webhook_deliveries::status.eq("pending")),
    )
    .set(webhook_deliveries::claimed_until.eq(now + lease))
    .execute(conn)?;
    Ok(n == 1)
}

/// What one attempt came to.
pub struct Attempt<'a> {
    pub status_code: Option<i32>,
    /// 2xx.
    pub delivered: bool,
    pub detail: &'a str,
    pub duration_ms: i32,
}

/// A subscription this attempt switched off, for the email to its client's owner.
pub struct Disabled {
    pub subscription_id: String,
    pub url: String,
    pub client_id: String,
    pub reason: String,
}

/// Records the attempt, moves the delivery on (delivered, retried later, or given up) and keeps
/// the subscription's failure run, switching it off when the policy says so. Only the node
/// holding the claim may.
pub fn record_attempt(
    conn: &mut DbConn,
    d: &Due,
    node: &str,
    attempt: &Attempt,
    policy: &RetryPolicy,
    now: NaiveDateTime,
) -> Result<Option<Disabled>, ApiError> {
    diesel::insert_into(webhook_attempts::table)
        .values((
            webhook_attempts::id.eq(new_id()),
            webhook_attempts::delivery_id.eq(&d.id),
            webhook_attempts::at.eq(now),
            webhook_attempts::node.eq(node),
            webhook_attempts::outcome.eq(if attempt.delivered { "delivered" } else { "failed" }),
            webhook_attempts::status_code.eq(attempt.status_code),
            webhook_attempts::detail.eq(attempt.detail),
            webhook_attempts::duration_ms.eq(attempt.duration_ms),
        ))
        .execute(conn)?;
    let mine = webhook_deliveries::table.find(&d.id).filter(webhook_deliveries::claimed_by.eq(node));
    let attempts = d.attempts + 1;
    let release = (
        webhook_deliveries::claimed_by.eq(None::<String>),
        webhook_deliveries::claimed_until.eq(None::<NaiveDateTime>),
    );
    let sub = webhook_subscriptions::table.find(&d.subscription_id);
    if attempt.delivered {
        diesel::update(mine)
            .set((
                webhook_deliveries::status.eq("delivered"),
                webhook_deliveries::attempts.eq(attempts),
                webhook_deliveries::delivered_at.eq(now),
                webhook_deliveries::last_status_code.eq(attempt.status_code),
                webhook_deliveries::last_error.eq(None::<String>),
                release,
            ))
            .execute(conn)?;
        diesel::update(sub)
            .set((
                webhook_subscriptions::consecutive_failures.eq(0),
                webhook_subscriptions::failing_since.eq(None::<NaiveDateTime>),
            ))
            .execute(conn)?;
        return Ok(None);
    }
    match policy.after_failure(attempts) {
        AfterFailure::RetryIn(secs) => diesel::update(mine)
            .set((
                webhook_deliveries::attempts.eq(attempts),
                webhook_deliveries::next_attempt_at.eq(now + Duration::seconds(secs)),
                webhook_deliveries::last_status_code.eq(attempt.status_code),
                webhook_deliveries::last_error.eq(attempt.detail),
                release,
            ))
            .execute(conn)?,
        AfterFailure::GiveUp => diesel::update(mine)
            .set((
                webhook_deliveries::status.eq("failed"),
                webhook_deliveries::attempts.eq(attempts),
                webhook_deliveries::last_status_code.eq(attempt.status_code),
                webhook_deliveries::last_error.eq(attempt.detail),
                release,
            ))
            .execute(conn)?,
    };
    let (status, failures, since, url, client): (String, i32, Option<NaiveDateTime>, String, String) = sub
        .select((
            webhook_subscriptions::status,
            webhook_subscriptions::consecutive_failures,
            webhook_subscriptions::failing_since,
            webhook_subscriptions::url,
            webhook_subscriptions::client_id,
        ))
        .first(conn)?;
    let (failures, since) = (failures + 1, since.unwrap_or(now));
    diesel::update(sub)
        .set((webhook_subscriptions::consecutive_failures.eq(failures), webhook_subscriptions::failing_since.eq(since)))
        .execute(conn)?;
    if status != "active" || !policy.disables(failures, (now - since).num_seconds()) {
        return Ok(None);
    }
    let reason = format!("switched off after {failures} failed attempts in a row, the first at {since} UTC");
    diesel::update(sub)
        .set((
            webhook_subscriptions::status.eq("disabled"),
            webhook_subscriptions::disabled_reason.eq(&reason),
            webhook_subscriptions::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(Some(Disabled { subscription_id: d.subscription_id.clone(), url, client_id: client, reason }))
}

/// The email address of whoever registered the client, if anyone did.
pub fn owner_email(conn: &mut DbConn, client_id: &str) -> Result<Option<(String, String)>, ApiError> {
    use crate::db::schema::users;
    Ok(api_clients::table
        .inner_join(users::table.on(api_clients::created_by.eq(users::id.nullable())))
        .filter(api_clients::id.eq(client_id))
        .select((users::email, api_clients::name))
        .first(conn)
        .optional()?)
}

// What each event says, and about which schools. Called by the functions that make the change,
// in their transaction.

/// The school's facts (none for an unknown school), from the one loader `db::facts` has.
fn school_facts(conn: &mut DbConn, id: &str) -> Result<Vec<SchoolFacts>, ApiError> {
    Ok(crate::db::facts::school(conn, uuid(id)?)?.into_iter().collect())
}

/// `enrolment.status_changed`: about the participant's school.
pub fn enrolment_moved(
    conn: &mut DbConn,
    enrolment: &str,
    transition: &str,
    from: &str,
    to: &str,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    emit(conn, EventType::EnrolmentStatusChanged, now, |conn| {
        let (cohort, person, school): (String, String, String) = enrolments::table
            .inner_join(people::table)
            .filter(enrolments::id.eq(enrolment))
            .select((enrolments::cohort_id, enrolments::person_id, people::school_id.assume_not_null()))
            .first(conn)?;
        let data = serde_json::json!({
            "enrolment_id": enrolment, "cohort_id": cohort, "person_id": person, "school_id": school,
            "transition": transition, "from_status": from, "to_status": to,
        });
        Ok((school_facts(conn, &school)?, data))
    })
}

/// `session.changed` (`scheduled`, `updated` or `cancelled`), with the session as `GET
/// /sessions/{id}` gives it: about the schools of the cohort's participants.
pub fn session_changed(
    conn: &mut DbConn,
    cohort: &str,
    change: &str,
    session: &trellis_wire::Session,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    emit(conn, EventType::SessionChanged, now, |conn| {
        let data = serde_json::json!({ "change": change, "session": session });
        Ok((schools_of_cohort(conn, cohort)?, data))
    })
}

/// `attendance.recorded`: about the schools of those on the register.
pub fn attendance_recorded(
    conn: &mut DbConn,
    session: &str,
    cohort: &str,
    enrolment_ids: &[String],
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    emit(conn, EventType::AttendanceRecorded, now, |conn| {
        let data = serde_json::json!({ "session_id": session, "cohort_id": cohort, "enrolment_ids": enrolment_ids });
        Ok((schools_of_enrolments(conn, enrolment_ids)?, data))
    })
}

/// `outcome.recorded`: a released outcome (`pass`, `fail` or `refer`), about the participant's school.
pub fn outcome_recorded(
    conn: &mut DbConn,
    enrolment: &str,
    submission: &str,
    outcome: &str,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    emit(conn, EventType::OutcomeRecorded, now, |conn| {
        let data = serde_json::json!({
            "enrolment_id": enrolment, "submission_id": submission, "outcome": outcome,
            "completion_date": now.date(),
        });
        Ok((schools_of_enrolments(conn, &[enrolment.to_owned()])?, data))
    })
}

/// `certificate.issued` or `certificate.revoked`, with the code its verify page takes
/// (`/api/v1/verify/{code}`): about the holder's school.
pub fn certificate_changed(
    conn: &mut DbConn,
    event: EventType,
    certificate: &str,
    enrolment: &str,
    code: &str,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    emit(conn, event, now, |conn| {
        let data = serde_json::json!({
            "certificate_id": certificate, "enrolment_id": enrolment, "code": code,
            "verify_path": format!("/api/v1/verify/{code}"),
        });
        Ok((schools_of_enrolments(conn, &[enrolment.to_owned()])?, data))
    })
}

/// `roster.sync_finished`: one school's part of a sync (not a dry run), with its counts.
pub fn roster_synced(
    conn: &mut DbConn,
    school: &str,
    counts: serde_json::Value,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    emit(conn, EventType::RosterSyncFinished, now, |conn| {
        let mut data = serde_json::json!({ "school_id": school });
        if let (Some(d), serde_json::Value::Object(c)) = (data.as_object_mut(), counts) {
            d.extend(c);
        }
        Ok((school_facts(conn, school)?, data))
    })
}
