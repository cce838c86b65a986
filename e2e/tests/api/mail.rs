//! Mail: the outbox worker sends through a real SMTP server, retries while it is down, and two
//! workers on one database never send a message twice.

use std::time::{Duration, Instant};

use trellis_e2e::{Backend, SmtpSink, TestServer, on_both_backends};
use trellis_wire::*;

on_both_backends!(mail_waits_while_smtp_is_down_and_goes_when_it_is_back, two_workers_never_send_a_message_twice);

async fn mail_waits_while_smtp_is_down_and_goes_when_it_is_back(backend: Backend) {
    let mut sink = SmtpSink::reserved();
    let s = TestServer::start_mailing(backend, &sink.url(), None);
    s.client().create_password_reset("head.a@trellis.test").await.unwrap();
    let admin = s.login("admin").await;
    // Nothing listens: the attempt fails, is recorded, and is retried.
    let deadline = Instant::now() + Duration::from_secs(15);
    let failing = loop {
        let page = admin.list_outbox(&ListParams::default()).await.unwrap();
        let m = page.items.into_iter().find(|m| m.kind == "password_reset").unwrap();
        if m.attempts >= 2 {
            break m;
        }
        assert!(Instant::now() < deadline, "no retry recorded: {m:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(failing.status, OutboxStatus::Pending);
    assert!(failing.last_error.is_some() && failing.next_attempt_at.is_some());
    // The server comes up: the next retry delivers it, once.
    sink.up();
    sink.wait_for("head.a@trellis.test", "Reset your Trellis password").await;
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let page = admin.list_outbox(&ListParams::default()).await.unwrap();
        let m = page.items.into_iter().find(|m| m.kind == "password_reset").unwrap();
        if m.status == OutboxStatus::Sent {
            assert!(m.sent_at.is_some() && m.attempts >= 3);
            break;
        }
        assert!(Instant::now() < deadline, "never marked sent: {m:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(sink.messages().iter().filter(|m| m.subject.contains("Reset")).count(), 1);
}

/// Two mail workers (as two `trellis serve` nodes) on one database: every message is delivered
/// exactly once (PostgreSQL claims with `FOR UPDATE SKIP LOCKED`; SQLite has one writer).
async fn two_workers_never_send_a_message_twice(backend: Backend) {
    const N: usize = 60;
    let sink = SmtpSink::start();
    let s = TestServer::start(backend);
    let pool = trellis_api::db::connect(&s.database_url).unwrap();
    {
        let mut conn = pool.get().unwrap();
        let now = trellis_api::clock::Clock::system().now();
        for i in 0..N {
            let m = trellis_api::mail::templates::password_changed(&format!("staff{i}@trellis.test"), "Staff");
            trellis_api::db::outbox::enqueue(&mut conn, &m, now).unwrap();
        }
    }
    let config = trellis_api::mail::MailConfig {
        smtp_url: Some(sink.url()),
        poll: Duration::from_millis(5),
        ..Default::default()
    };
    let clock = trellis_api::clock::Clock::system();
    let one = trellis_api::mail::worker::start(pool.clone(), &config, clock).unwrap().unwrap();
    let two = trellis_api::mail::worker::start(pool.clone(), &config, clock).unwrap().unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while sink.messages().iter().filter(|m| m.subject.contains("password has been changed")).count() < N {
        assert!(Instant::now() < deadline, "only {} of {N} delivered", sink.messages().len());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Both workers keep polling a while longer: still nothing is sent twice.
    tokio::time::sleep(Duration::from_millis(500)).await;
    drop((one, two));
    let mut to: Vec<String> =
        sink.messages().into_iter().filter(|m| m.subject.contains("changed")).map(|m| m.to).collect();
    to.sort();
    let total = to.len();
    to.dedup();
    assert_eq!((total, to.len()), (N, N), "each message delivered exactly once");
    // Every message was claimed and sent once (one attempt row each).
    use diesel::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let attempts: Count = diesel::sql_query(
        "SELECT COUNT(*) AS n FROM outbox_attempts a JOIN outbox o ON o.id = a.message_id \
         WHERE o.kind = 'password_changed' AND a.outcome = 'sent'",
    )
    .get_result(&mut s.db())
    .unwrap();
    assert_eq!(attempts.n, N as i64);
}
