//! Slows password and client-secret guessing. After `max` failures for one key (an account, a
//! client id, an address) within a window, attempts on that key are refused with 429 until the
//! window has passed. In memory, per node: enough to make online guessing impractical; a shared
//! store is the step for large clusters.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::error::ApiError;

pub struct Throttle {
    failures: Mutex<HashMap<String, (Instant, u32)>>,
    window: Duration,
}

impl Default for Throttle {
    fn default() -> Self {
        Throttle { failures: Mutex::new(HashMap::new()), window: Duration::from_secs(15 * 60) }
    }
}

impl Throttle {
    /// Refuses when `key` has had `max` failures in the current window.
    pub fn check(&self, key: &str, max: u32) -> Result<(), ApiError> {
        let now = Instant::now();
        let Ok(map) = self.failures.lock() else { return Ok(()) };
        match map.get(key) {
            Some((started, count)) if *count >= max && now.duration_since(*started) < self.window => {
                let wait = self.window.saturating_sub(now.duration_since(*started)).as_secs().max(1);
                Err(ApiError::too_many_attempts(wait))
            }
            _ => Ok(()),
        }
    }

    pub fn fail(&self, key: &str) {
        let now = Instant::now();
        let Ok(mut map) = self.failures.lock() else { return };
        if map.len() > 100_000 {
            let window = self.window;
            map.retain(|_, (started, _)| now.duration_since(*started) < window);
        }
        let entry = map.entry(key.to_owned()).or_insert((now, 0));
        if now.duration_since(entry.0) >= self.window {
            *entry = (now, 0);
        }
        entry.1 += 1;
    }

    pub fn clear(&self, key: &str) {
        if let Ok(mut map) = self.failures.lock() {
            map.remove(key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_after_max_failures_and_clears_on_success() {
        let t = Throttle::default();
        for _ in 0..3 {
            assert!(t.check("a", 3).is_ok());
            t.fail("a");
        }
        let err = t.check("a", 3).unwrap_err();
        assert_eq!((err.status.as_u16(), err.code), (429, "too_many_attempts"));
        assert!(t.check("b", 3).is_ok(), "other keys are unaffected");
        t.clear("a");
        assert!(t.check("a", 3).is_ok());
    }

    #[test]
    fn a_window_that_has_passed_starts_again() {
        let t = Throttle { failures: Mutex::new(HashMap::new()), window: Duration::from_millis(1) };
        t.fail("a");
        t.fail("a");
        std::thread::sleep(Duration::from_millis(5));
        assert!(t.check("a", 2).is_ok());
    }
}
