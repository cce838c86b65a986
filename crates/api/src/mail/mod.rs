//! Email: the messages Trellis sends ([`templates`]) and the worker that sends the outbox
//! ([`worker`]). Messages are queued in the database ([`crate::db::outbox`]) by the transaction
//! that causes them, so a message goes if and only if its change was committed.

pub mod templates;
pub mod worker;

pub use worker::{MailConfig, MailWorker};
