//! The Trellis API server: actix-web over diesel (SQLite or PostgreSQL), JWT auth, OpenAPI.

pub mod admin;
pub mod auth;
pub mod clock;
pub mod codes;
pub mod config;
pub mod credentials;
pub mod dates;
pub mod db;
pub mod error;
pub mod etag;
pub mod export;
pub mod files;
pub mod idempotency;
pub mod integrators;
pub mod mail;
pub mod net;
pub mod paging;
pub mod rate_limit;
pub mod reminders;
pub mod routes;
pub mod routes_table;
pub mod seed;
pub mod signin;
pub mod signing;
pub mod spa;
pub mod startup;
pub mod state;
pub mod throttle;
pub mod webhooks;

pub use config::Config;
pub use startup::Application;

/// The current instant at the precision both databases keep (microseconds), so a value read
/// back equals the value written, on either backend.
pub fn now() -> chrono::NaiveDateTime {
    use chrono::{DurationRound, TimeDelta};
    let now = chrono::Utc::now().naive_utc();
    now.duration_trunc(TimeDelta::microseconds(1)).unwrap_or(now)
}
