//! The reminder job: one thread per `trellis serve` process that, every few minutes, emails each
//! 360 rater who has not answered a reminder before their round closes — once, from three days before
//! the closing date, and not within a day of their invitation. Several nodes may
//! run it at once: a reminder is claimed by a conditional update (`reminded_at IS NULL`) in the
//! transaction that enqueues its email, so a rater is reminded once whichever node gets there.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration as StdDuration;

use crate::clock::Clock;
use crate::db::{DbPool, diagnostic, outbox, write_transaction};
use crate::error::ApiError;

/// How often the job looks for reminders due.
const EVERY: StdDuration = StdDuration::from_secs(600);

/// Emails every reminder due now; the number sent. Links in them start with `origin`.
pub fn send_due(pool: &DbPool, clock: Clock, origin: &str) -> Result<usize, ApiError> {
    let mut conn = pool.get().map_err(ApiError::internal)?;
    let due = diagnostic::due_reminders(&mut conn, clock.now())?;
    let mut sent = 0;
    for d in due {
        let done = write_transaction(&mut conn, |c| {
            let Some(token) = diagnostic::remind(c, &d, clock.now())? else { return Ok(false) };
            let ctx = diagnostic::context(c, &d.enrolment_id)?;
            let link = format!("{origin}/rate#token={token}");
            let closes = crate::mail::templates::long_date(d.closes_on);
            let message =
                crate::mail::templates::rater_reminder(&d.rater.email, &d.rater.name, &ctx.participant, &link, &closes);
            outbox::enqueue(c, &message, clock.now())?;
            Ok(true)
        })?;
        sent += usize::from(done);
    }
    Ok(sent)
}

/// The running job; dropping it stops the thread after its current round.
pub struct ReminderJob {
    stop: Arc<AtomicBool>,
}

impl Drop for ReminderJob {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Starts the job when links have a fixed origin (otherwise reminders would have no address).
pub fn start(pool: DbPool, clock: Clock, origin: Option<String>) -> Result<Option<ReminderJob>, String> {
    let Some(origin) = origin else {
        tracing::warn!("no fixed public origin (TRELLIS_PUBLIC_URL): 360 reminders are not sent");
        return Ok(None);
    };
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    std::thread::Builder::new()
        .name("reminders".into())
        .spawn(move || {
            while !flag.load(Ordering::Relaxed) {
                match send_due(&pool, clock, &origin) {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(n, "360 reminders enqueued"),
                    Err(e) => tracing::warn!("reminder job: {e}"),
                }
                // Sleep in short steps so a stopped server does not wait out the interval.
                let mut slept = StdDuration::ZERO;
                while slept < EVERY && !flag.load(Ordering::Relaxed) {
                    std::thread::sleep(StdDuration::from_millis(500));
                    slept += StdDuration::from_millis(500);
                }
            }
        })
        .map_err(|e| e.to_string())?;
    Ok(Some(ReminderJob { stop }))
}
