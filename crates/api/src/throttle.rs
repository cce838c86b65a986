//! Slows password and client-secret guessing without letting a stranger lock anyone out.
//!
//! Each attempt names several keys with a limit each:
//! - [`Limit::Refuse`] for a key only the guesser controls — an account *from one address*, a
//!   client *from one address*: past the limit, that pair gets 429 until the window has passed.
//!   Someone typing wrong passwords elsewhere never reaches it for the real user's address.
//! - [`Limit::Slow`] for keys others share — an account from anywhere, one address (a school's
//!   NAT): past the limit each attempt waits a little longer (up to [`MAX_DELAY`]) before the
//!   check; nobody is refused, so the owner still gets in, and guessing stays slow.
//!
//! An attempt is counted when it starts, under one lock, so forty parallel guesses are checked
//! against the limit one by one rather than all against the count before any of them failed.
//! In memory, per node; the integration issue moves the counts into the database.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::error::ApiError;

/// The longest a slowed attempt waits.
pub const MAX_DELAY: Duration = Duration::from_secs(3);

#[derive(Debug, Clone, Copy)]
pub enum Limit {
    /// Refuse with 429 once this many attempts have failed (or are in flight).
    Refuse(u32),
    /// Delay attempts once this many have failed: 250 ms, doubling every 10 failures more.
    Slow(u32),
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    started: Instant,
    failures: u32,
    in_flight: u32,
}

pub struct Throttle {
    entries: Mutex<HashMap<String, Entry>>,
    window: Duration,
}

impl Default for Throttle {
    fn default() -> Self {
        Throttle::with_window(Duration::from_secs(15 * 60))
    }
}

fn delay_for(over: u32) -> Duration {
    let ms = 250u64.saturating_mul(1u64 << (over / 10).min(16));
    Duration::from_millis(ms).min(MAX_DELAY)
}

impl Throttle {
    pub fn with_window(window: Duration) -> Throttle {
        Throttle { entries: Mutex::new(HashMap::new()), window }
    }

    /// Starts an attempt on `keys`: refused if a `Refuse` limit is reached, otherwise counted as
    /// in flight until [`Attempt::failed`] or [`Attempt::succeeded`] (or drop) settles it.
    pub fn begin(&self, keys: &[(String, Limit)]) -> Result<Attempt<'_>, ApiError> {
        let now = Instant::now();
        let mut map = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() > 100_000 {
            let window = self.window;
            map.retain(|_, e| e.in_flight > 0 || now.duration_since(e.started) < window);
        }
        let mut delay = Duration::ZERO;
        for (key, limit) in keys {
            let Some(e) = map.get_mut(key) else { continue };
            if now.duration_since(e.started) >= self.window && e.in_flight == 0 {
                *e = Entry { started: now, failures: 0, in_flight: 0 };
            }
            let count = e.failures + e.in_flight;
            match *limit {
                Limit::Refuse(max) if count >= max => {
                    let wait = self.window.saturating_sub(now.duration_since(e.started)).as_secs().max(1);
                    return Err(ApiError::too_many_attempts(wait));
                }
                Limit::Slow(after) if e.failures >= after => delay = delay.max(delay_for(e.failures - after)),
                _ => {}
            }
        }
        for (key, _) in keys {
            map.entry(key.clone()).or_insert(Entry { started: now, failures: 0, in_flight: 0 }).in_flight += 1;
        }
        Ok(Attempt { throttle: self, keys: keys.iter().map(|(k, _)| k.clone()).collect(), delay, settled: false })
    }

    fn settle(&self, keys: &[String], failed: bool) {
        let mut map = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        for key in keys {
            if let Some(e) = map.get_mut(key) {
                e.in_flight = e.in_flight.saturating_sub(1);
                if failed {
                    e.failures += 1;
                }
            }
        }
    }

    /// Forgets `key`'s failures (a success from that account and address).
    pub fn clear(&self, key: &str) {
        let mut map = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(e) = map.get_mut(key) {
            e.failures = 0;
        }
    }
}

/// One attempt in flight; dropping it unsettled (an error before the check) counts nothing.
pub struct Attempt<'a> {
    throttle: &'a Throttle,
    keys: Vec<String>,
    delay: Duration,
    settled: bool,
}

impl Attempt<'_> {
    /// How long to wait before checking the secret.
    pub fn delay(&self) -> Duration {
        self.delay
    }

    pub fn failed(mut self) {
        self.settled = true;
        self.throttle.settle(&self.keys, true);
    }

    pub fn succeeded(mut self) {
        self.settled = true;
        self.throttle.settle(&self.keys, false);
    }
}

impl Drop for Attempt<'_> {
    fn drop(&mut self) {
        if !self.settled {
            self.throttle.settle(&self.keys, false);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(pair: &str) -> Vec<(String, Limit)> {
        vec![(pair.to_owned(), Limit::Refuse(3)), ("account".to_owned(), Limit::Slow(5))]
    }

    #[test]
    fn a_pair_is_refused_after_its_limit_and_others_are_not() {
        let t = Throttle::default();
        for _ in 0..3 {
            t.begin(&keys("a@1")).unwrap().failed();
        }
        let err = t.begin(&keys("a@1")).err().unwrap();
        assert_eq!((err.status.as_u16(), err.code), (429, "too_many_attempts"));
        assert!(t.begin(&keys("a@2")).is_ok(), "the same account from another address is not refused");
        t.clear("a@1");
        assert!(t.begin(&keys("a@1")).is_ok());
    }

    #[test]
    fn shared_keys_slow_down_but_never_refuse() {
        let t = Throttle::default();
        for i in 0..40 {
            t.begin(&keys(&format!("a@{i}"))).unwrap().failed();
        }
        let attempt = t.begin(&keys("a@owner")).unwrap();
        assert!(attempt.delay() >= Duration::from_millis(500) && attempt.delay() <= MAX_DELAY, "{:?}", attempt.delay());
        for i in 0..10_000 {
            t.begin(&keys(&format!("b@{i}"))).unwrap().failed();
        }
        assert_eq!(t.begin(&keys("a@owner")).unwrap().delay(), MAX_DELAY, "the delay is bounded");
    }

    #[test]
    fn attempts_in_flight_count_so_parallel_guesses_cannot_overrun_the_limit() {
        let t = Throttle::default();
        let in_flight: Vec<_> = (0..3).map(|_| t.begin(&keys("a@1")).unwrap()).collect();
        assert!(t.begin(&keys("a@1")).is_err(), "the fourth concurrent guess is refused");
        drop(in_flight);
        assert!(t.begin(&keys("a@1")).is_ok(), "unsettled attempts count nothing once dropped");
    }

    #[test]
    fn a_window_that_has_passed_starts_again() {
        let t = Throttle::with_window(Duration::from_millis(1));
        t.begin(&keys("a@1")).unwrap().failed();
        t.begin(&keys("a@1")).unwrap().failed();
        t.begin(&keys("a@1")).unwrap().failed();
        std::thread::sleep(Duration::from_millis(5));
        assert!(t.begin(&keys("a@1")).is_ok());
    }
}
