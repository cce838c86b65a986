//! The API over real HTTP, on SQLite and on PostgreSQL: one test binary, a module per feature (as
//! `crates/api/src/routes/`), plus the access sweep and the OpenAPI document's own checks. Every
//! backend test runs once per backend.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed unwrap is a failed test

mod access;
mod accounts;
mod assessment;
mod certificates;
mod coaching;
mod cohorts;
mod dashboards;
mod delivery;
mod diagnostics;
mod directory;
mod evaluation;
mod idempotency;
mod identity;
mod mail;
mod partnerships;
mod portfolio;
mod programmes;
mod projects;
mod rate_limits;
mod roster;
mod self_assessment;
mod service;
mod spec;
mod support;
mod webhooks;
