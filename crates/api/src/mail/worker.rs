//! The mail worker: one thread per `trellis serve` process that sends the outbox through SMTP.
//!
//! Each round it claims due messages under a lease (so a second node, or a restarted one, never
//! sends a message another node is sending), sends them one by one, and records each attempt.
//! A failed attempt is retried with exponential backoff; after the last one the message is
//! marked failed and shows so on the outbox page. Delivery is at least once: a node that dies
//! between the SMTP server's "250 OK" and recording it sends that message again after the lease.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration as StdDuration;

use chrono::Duration;
use lettre::message::{Mailbox, MultiPart};
use lettre::{Message, SmtpTransport, Transport};

use crate::clock::Clock;
use crate::db::outbox::{self, OutboxRow, Outcome};
use crate::db::{DbPool, write_transaction};

/// How the worker sends.
#[derive(Debug, Clone)]
pub struct MailConfig {
    /// `smtp://host:port` (plain), `smtp://host:port?tls=required` (STARTTLS or nothing),
    /// `?tls=opportunistic` (STARTTLS when offered), `smtps://host:port` (TLS from the start);
    /// user and password may go before the host. `None`: nothing is sent; messages wait in the outbox.
    pub smtp_url: Option<String>,
    /// The `From:` address.
    pub from: String,
    /// How often the worker looks for due messages.
    pub poll: StdDuration,
    /// The wait after the first failed attempt; it doubles with each further one (capped at an hour).
    pub retry_base: StdDuration,
    /// Attempts before a message is marked failed.
    pub max_attempts: i32,
}

impl Default for MailConfig {
    fn default() -> MailConfig {
        MailConfig {
            smtp_url: None,
            from: "Trellis <no-reply@trellis.invalid>".into(),
            poll: StdDuration::from_secs(2),
            retry_base: StdDuration::from_secs(30),
            max_attempts: 8,
        }
    }
}

/// How long a claim lasts: longer than any one send (the transport times out at 30 s).
const LEASE_SECS: i64 = 120;
const BATCH: i64 = 20;

/// The running worker; dropping it stops the thread after its current round.
pub struct MailWorker {
    stop: Arc<AtomicBool>,
}

impl Drop for MailWorker {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Starts the worker when SMTP is configured.
pub fn start(pool: DbPool, config: &MailConfig, clock: Clock) -> Result<Option<MailWorker>, String> {
    let Some(url) = config.smtp_url.as_deref() else {
        tracing::info!("TRELLIS_SMTP_URL is not set: email stays in the outbox (see the outbox page)");
        return Ok(None);
    };
    let transport = SmtpTransport::from_url(url)
        .map_err(|e| format!("TRELLIS_SMTP_URL is not a usable SMTP address: {e}"))?
        .timeout(Some(StdDuration::from_secs(30)))
        .build();
    let from: Mailbox = config.from.parse().map_err(|e| format!("TRELLIS_MAIL_FROM is not an address: {e}"))?;
    let stop = Arc::new(AtomicBool::new(false));
    let node = format!("{}-{}", std::process::id(), &uuid::Uuid::new_v4().simple().to_string()[..8]);
    let (flag, config) = (stop.clone(), config.clone());
    std::thread::Builder::new()
        .name("mail".into())
        .spawn(move || {
            while !flag.load(Ordering::Relaxed) {
                if let Err(e) = round(&pool, &transport, &from, &node, &config, clock) {
                    tracing::warn!("mail worker: {e}");
                }
                std::thread::sleep(config.poll);
            }
        })
        .map_err(|e| e.to_string())?;
    Ok(Some(MailWorker { stop }))
}

/// Claims the due messages and tries each once.
fn round(
    pool: &DbPool,
    transport: &SmtpTransport,
    from: &Mailbox,
    node: &str,
    config: &MailConfig,
    clock: Clock,
) -> Result<(), String> {
    let mut conn = pool.get().map_err(|e| e.to_string())?;
    let claimed =
        write_transaction(&mut conn, |c| outbox::claim(c, node, clock.now(), Duration::seconds(LEASE_SECS), BATCH))
            .map_err(|e| e.to_string())?;
    for message in claimed {
        // A batch's later messages wait for the earlier sends: renew the claim first, and leave the
        // message alone if the lease ran out meanwhile and another node has it.
        let held = write_transaction(&mut conn, |c| {
            outbox::renew(c, &message.id, node, clock.now(), Duration::seconds(LEASE_SECS))
        })
        .map_err(|e| e.to_string())?;
        if !held {
            continue;
        }
        let result = build(&message, from).and_then(|m| transport.send(&m).map(|_| ()).map_err(|e| e.to_string()));
        let now = clock.now();
        let error = result.as_ref().err().map(|e| truncate(e, 500));
        let outcome = match &error {
            None => Outcome::Sent,
            Some(e) if message.attempts + 1 >= config.max_attempts => Outcome::Failed { error: e },
            Some(e) => Outcome::Retry { error: e, at: now + backoff(config.retry_base, message.attempts) },
        };
        match &error {
            None => tracing::info!(id = %message.id, kind = %message.kind, "sent"),
            Some(e) => tracing::warn!(id = %message.id, attempt = message.attempts + 1, "not sent: {e}"),
        }
        write_transaction(&mut conn, |c| outbox::record_attempt(c, &message.id, node, outcome, now))
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// The wait before attempt `attempts + 2`: `base`, doubling, at most an hour.
fn backoff(base: StdDuration, attempts: i32) -> Duration {
    let factor = 2u32.saturating_pow(attempts.clamp(0, 20) as u32);
    let wait = base.saturating_mul(factor).min(StdDuration::from_secs(3600));
    Duration::from_std(wait).unwrap_or(Duration::hours(1))
}

fn truncate(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

fn build(m: &OutboxRow, from: &Mailbox) -> Result<Message, String> {
    let to: Mailbox = m.to_address.parse().map_err(|e| format!("bad recipient {:?}: {e}", m.to_address))?;
    Message::builder()
        .from(from.clone())
        .to(to)
        .subject(&m.subject)
        .message_id(Some(format!("<{}@trellis>", m.id)))
        .multipart(MultiPart::alternative_plain_html(m.text_body.clone(), m.html_body.clone()))
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped_at_an_hour() {
        let base = StdDuration::from_secs(30);
        assert_eq!(backoff(base, 0), Duration::seconds(30));
        assert_eq!(backoff(base, 1), Duration::seconds(60));
        assert_eq!(backoff(base, 3), Duration::seconds(240));
        assert_eq!(backoff(base, 12), Duration::hours(1));
        assert_eq!(backoff(base, i32::MAX), Duration::hours(1));
    }
}
