//! Webhooks: what a machine client can be told, who is told, when a failing endpoint is retried
//! and when it is switched off, and which addresses a delivery may go to.

use core::net::IpAddr;

use crate::authz::{ClientPrincipal, SchoolFacts, Scope};

crate::wire_enum! {
    /// What happened, as a webhook's `type`.
    pub enum EventType {
        /// An enrolment moved in its lifecycle (enrolled, activated, deferred, completed, withdrawn…).
        EnrolmentStatusChanged => "enrolment.status_changed",
        /// A session of a cohort was scheduled, changed or cancelled.
        SessionChanged => "session.changed",
        /// A session's register was taken or changed.
        AttendanceRecorded => "attendance.recorded",
        /// A final-assessment outcome was released.
        OutcomeRecorded => "outcome.recorded",
        CertificateIssued => "certificate.issued",
        CertificateRevoked => "certificate.revoked",
        /// A roster sync (not a dry run) finished.
        RosterSyncFinished => "roster.sync_finished",
        /// A test message asked for through the API; sent to that subscription alone.
        WebhookTest => "webhook.test",
    }
}

impl EventType {
    /// The scope a client needs to be told of it: roster syncs go to roster writers, everything
    /// else to progress readers.
    pub fn scope(self) -> Scope {
        match self {
            EventType::RosterSyncFinished => Scope::RosterWrite,
            _ => Scope::ProgressRead,
        }
    }
}

impl ClientPrincipal {
    /// Whether the client may be told of an event about these schools: it holds the event's scope
    /// and acts for at least one of them (the same test as reading the thing itself).
    pub fn receives(&self, event: EventType, schools: &[SchoolFacts]) -> bool {
        self.scopes.contains(&event.scope()) && schools.iter().any(|s| self.covers(s))
    }
}

/// How failing deliveries are retried and when a subscription is switched off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Seconds before the second attempt; each later wait doubles.
    pub base_secs: i64,
    /// No wait is longer than this.
    pub cap_secs: i64,
    /// Attempts before a delivery is given up as failed.
    pub max_attempts: i32,
    /// Consecutive failed attempts (with no success between them) that switch a subscription off…
    pub disable_after_failures: i32,
    /// …once the first of them is at least this old, so a burst of events to an endpoint that
    /// is down for a minute does not switch it off.
    pub disable_after_secs: i64,
}

impl Default for RetryPolicy {
    /// 30 s, 1 min, 2 min … capped at 6 h; 12 attempts (about 14½ hours in all); off after 30
    /// failures in a row spanning at least a day.
    fn default() -> RetryPolicy {
        RetryPolicy {
            base_secs: 30,
            cap_secs: 6 * 3600,
            max_attempts: 12,
            disable_after_failures: 30,
            disable_after_secs: 24 * 3600,
        }
    }
}

/// What to do after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterFailure {
    /// Try again in this many seconds.
    RetryIn(i64),
    /// Give the delivery up.
    GiveUp,
}

impl RetryPolicy {
    /// After `attempts` attempts (this one included) have failed.
    pub fn after_failure(&self, attempts: i32) -> AfterFailure {
        if attempts >= self.max_attempts {
            return AfterFailure::GiveUp;
        }
        let doublings = attempts.saturating_sub(1).clamp(0, 40) as u32;
        let wait = self.base_secs.max(0).saturating_mul(2i64.saturating_pow(doublings));
        AfterFailure::RetryIn(wait.min(self.cap_secs))
    }

    /// Whether a subscription that has now failed `consecutive` times in a row, the first of them
    /// `failing_for_secs` ago, is switched off.
    pub fn disables(&self, consecutive: i32, failing_for_secs: i64) -> bool {
        consecutive >= self.disable_after_failures && failing_for_secs >= self.disable_after_secs
    }
}

/// Whether a delivery may go to this address: not loopback, private, link-local, shared,
/// multicast, documentation or otherwise special, so a subscription cannot aim Trellis at its own
/// network (server-side request forgery).
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, c, _] = v4.octets();
            !(v4.is_unspecified()
                || v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                || a == 0
                || (a == 100 && (64..128).contains(&b)) // shared address space (carrier-grade NAT)
                || (a == 192 && b == 0 && c == 0) // IETF protocol assignments
                || (a == 198 && (b == 18 || b == 19)) // benchmarking
                || a >= 240) // reserved
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            !(v6.is_unspecified()
                || v6.is_loopback()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00 // unique local
                || (first & 0xffc0) == 0xfe80 // link-local
                || first == 0x2001 && v6.segments()[1] == 0x0db8 // documentation
                || first == 0x0064 && v6.segments()[1] == 0xff9b) // NAT64 (would reach IPv4 space)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{ClientId, OrganisationId, SchoolId};
    use proptest::prelude::*;

    fn school(id: u128, trust: Option<u128>) -> SchoolFacts {
        SchoolFacts {
            id: SchoolId::from(uuid::Uuid::from_u128(id)),
            trust_id: trust.map(|t| OrganisationId::from(uuid::Uuid::from_u128(t))),
        }
    }

    fn client(scopes: Vec<Scope>, schools: &[u128], trust: Option<u128>) -> ClientPrincipal {
        ClientPrincipal {
            client_id: ClientId::from(uuid::Uuid::from_u128(99)),
            scopes,
            school_ids: schools.iter().map(|s| SchoolId::from(uuid::Uuid::from_u128(*s))).collect(),
            trust_id: trust.map(|t| OrganisationId::from(uuid::Uuid::from_u128(t))),
        }
    }

    #[test]
    fn a_client_is_told_only_of_its_own_schools_and_only_with_the_scope() {
        let a = school(10, None);
        let b = school(11, None);
        let reader = client(vec![Scope::ProgressRead], &[10], None);
        assert!(reader.receives(EventType::EnrolmentStatusChanged, &[a]));
        assert!(!reader.receives(EventType::EnrolmentStatusChanged, &[b]));
        assert!(reader.receives(EventType::SessionChanged, &[b, a]));
        assert!(!reader.receives(EventType::RosterSyncFinished, &[a]));
        let writer = client(vec![Scope::RosterWrite], &[10], None);
        assert!(writer.receives(EventType::RosterSyncFinished, &[a]));
        assert!(!writer.receives(EventType::CertificateIssued, &[a]));
        let trust = client(vec![Scope::ProgressRead], &[], Some(1));
        assert!(trust.receives(EventType::OutcomeRecorded, &[school(12, Some(1))]));
        assert!(!trust.receives(EventType::OutcomeRecorded, &[school(13, Some(2)), school(14, None)]));
        assert!(!reader.receives(EventType::EnrolmentStatusChanged, &[]));
    }

    #[test]
    fn retries_double_from_the_base_up_to_the_cap_then_give_up() {
        let p = RetryPolicy::default();
        assert_eq!(p.after_failure(1), AfterFailure::RetryIn(30));
        assert_eq!(p.after_failure(2), AfterFailure::RetryIn(60));
        assert_eq!(p.after_failure(4), AfterFailure::RetryIn(240));
        assert_eq!(p.after_failure(10), AfterFailure::RetryIn(15_360));
        assert_eq!(p.after_failure(11), AfterFailure::RetryIn(6 * 3600));
        assert_eq!(p.after_failure(12), AfterFailure::GiveUp);
        assert!(!p.disables(29, 30 * 3600));
        assert!(!p.disables(300, 3600));
        assert!(p.disables(30, 24 * 3600));
    }

    #[test]
    fn only_public_addresses_are_delivered_to() {
        for private in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "::1",
            "::",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "64:ff9b::a00:1",
        ] {
            assert!(!is_public(private.parse().unwrap()), "{private} counted as public");
        }
        for public in ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8"] {
            assert!(is_public(public.parse().unwrap()), "{public} counted as private");
        }
    }

    proptest! {
        /// Waits never shrink from one attempt to the next and never pass the cap.
        #[test]
        fn waits_grow_and_are_capped(base in 1i64..3600, cap in 1i64..100_000, attempts in 1i32..60) {
            let p = RetryPolicy { base_secs: base, cap_secs: cap, max_attempts: 64, ..RetryPolicy::default() };
            let (AfterFailure::RetryIn(now), AfterFailure::RetryIn(next)) = (p.after_failure(attempts), p.after_failure(attempts + 1)) else {
                panic!("gave up before max_attempts");
            };
            prop_assert!(now <= next);
            prop_assert!(next <= cap);
            prop_assert!(now >= base.min(cap));
        }
    }
}
