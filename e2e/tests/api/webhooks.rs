//! Webhooks against a real receiver (`tools/webhook_receiver.py`) that verifies every message with
//! PyPI's `standardwebhooks`: delivery after commit, signatures, retries with the same id, replay,
//! switching a failing endpoint off with an email to its owner, and a client of school A never
//! told of school B.

use trellis_client::Client;
use trellis_e2e::{Backend, SmtpSink, TestServer, WebhookReceiver, on_both_backends};
use trellis_wire::*;
use uuid::Uuid;

use crate::support::*;

on_both_backends!(
    a_committed_change_reaches_the_receiver_signed_and_verifiable,
    a_failed_delivery_is_retried_with_the_same_id_and_can_be_replayed,
    a_failing_endpoint_is_switched_off_and_its_owner_emailed,
    a_client_of_school_a_is_never_told_of_school_b,
    subscriptions_are_their_clients_alone_and_bad_ones_are_refused,
);

fn problem(e: &trellis_client::ClientError) -> &Problem {
    match e {
        trellis_client::ClientError::Api(p) => p,
        other => panic!("not a problem: {other:?}"),
    }
}

/// Runs a verification example of `docs/examples/` on a received message: (exit status, stdout).
fn run_example(name: &str, secret: &str, got: &trellis_e2e::Received, body: &str) -> (i32, String) {
    use std::io::Write;
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let script = format!("{root}/docs/examples/{name}");
    let mut cmd = if name.ends_with(".py") {
        let mut c = std::process::Command::new(format!("{root}/tools/venv/bin/python"));
        c.arg(&script);
        c
    } else {
        let mut c = std::process::Command::new("sh");
        c.arg(&script);
        c
    };
    let mut child = cmd
        .env("WEBHOOK_SECRET", secret)
        .env("WEBHOOK_ID", got.id())
        .env("WEBHOOK_TIMESTAMP", &got.headers["webhook-timestamp"])
        .env("WEBHOOK_SIGNATURE", &got.headers["webhook-signature"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("run {script}: {e}"));
    child.stdin.take().unwrap().write_all(body.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned())
}

fn subscribe(url: &str, events: &[WebhookEventType]) -> CreateWebhookSubscription {
    CreateWebhookSubscription { url: url.into(), events: events.to_vec(), description: "MIS sync".into() }
}

/// An open enrolment at the lead's school that can be withdrawn.
async fn live_enrolment(s: &TestServer, lead: &Client) -> ProgressItem {
    let school = school_id(lead).await;
    let trust = s.login("trust").await;
    let feed = trust.list_progress(&ProgressFeedParams { limit: Some(200), ..Default::default() }).await.unwrap();
    feed.items
        .into_iter()
        .find(|i| {
            i.school_id == school
                && !i.tombstone
                && !matches!(i.status, EnrolmentStatus::Completed | EnrolmentStatus::Certified)
        })
        .expect("a live enrolment at the lead's school")
}

async fn deliveries(c: &Client, sub: Uuid) -> Vec<WebhookDelivery> {
    c.list_webhook_deliveries(sub, &ListParams::default()).await.unwrap().items
}

async fn a_committed_change_reaches_the_receiver_signed_and_verifiable(backend: Backend) {
    let s = TestServer::start(backend);
    let mis = s.mis().await;
    let mut receiver = WebhookReceiver::reserve();
    let made = mis
        .create_webhook_subscription(&subscribe(
            &receiver.url(),
            &[WebhookEventType::EnrolmentStatusChanged, WebhookEventType::RosterSyncFinished],
        ))
        .await
        .unwrap();
    assert!(made.secret.starts_with("whsec_"), "{}", made.secret);
    assert_eq!(made.subscription.status, WebhookSubscriptionStatus::Active);
    receiver.up(&made.secret, 0);
    let sub = made.subscription.id;

    // A test message first, whatever the events.
    let test = mis.create_webhook_test_event(sub).await.unwrap();
    let got = receiver.wait_for("test", |r| r.id() == test.event_id).await;
    assert!(got.verified, "{got:?}");
    assert_eq!(got.json()["type"], "webhook.test");

    // A withdrawal at the client's school, once committed, goes out signed.
    let head = s.login("head.a").await;
    let victim = live_enrolment(&s, &head).await;
    head.withdraw_enrolment(victim.enrolment_id, WithdrawalReasonKind::Workload, None).await.unwrap();
    let got = receiver.wait_for("for the withdrawal", |r| r.json()["type"] == "enrolment.status_changed").await;
    assert!(got.verified, "standardwebhooks refused it: {got:?}");
    assert_eq!(got.answered, 204);
    assert!(got.id().starts_with("msg_"));
    assert!(got.headers["webhook-signature"].starts_with("v1,"));
    let now = chrono::Utc::now().timestamp();
    let ts: i64 = got.headers["webhook-timestamp"].parse().unwrap();
    assert!((now - ts).abs() < 60, "timestamp {ts} is not now ({now})");
    let body = got.json();
    assert_eq!(body["data"]["enrolment_id"], victim.enrolment_id.to_string());
    assert_eq!(body["data"]["to_status"], "withdrawn");
    assert_eq!(body["data"]["transition"], "withdraw");
    // The integrators' guide's verification examples (Python and shell) accept it, and refuse it
    // altered.
    assert_eq!(
        run_example("verify_webhook.py", &made.secret, &got, &got.body),
        (0, format!("verified enrolment.status_changed {}\n", got.id()))
    );
    assert_eq!(run_example("verify_webhook.sh", &made.secret, &got, &got.body), (0, "verified\n".into()));
    let forged = got.body.replace("withdrawn", "completed");
    assert_eq!(run_example("verify_webhook.py", &made.secret, &got, &forged).0, 1);
    assert_eq!(run_example("verify_webhook.sh", &made.secret, &got, &forged).0, 1);

    // The log says so, with the exact body sent.
    let mut log = deliveries(&mis, sub).await;
    for _ in 0..50 {
        if log.iter().all(|d| d.status == WebhookDeliveryStatus::Delivered) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        log = deliveries(&mis, sub).await;
    }
    assert_eq!(log.len(), 2, "{log:?}");
    let d = log.iter().find(|d| d.event_id == got.id()).expect("the withdrawal's delivery");
    assert_eq!((d.status, d.attempts, d.last_status_code), (WebhookDeliveryStatus::Delivered, 1, Some(204)));
    let detail = mis.get_webhook_delivery(sub, d.id).await.unwrap();
    assert_eq!(detail.payload, body);
    assert_eq!(detail.attempts.len(), 1);
    assert!(detail.attempts[0].delivered);

    // A roster sync tells roster writers it finished; a dry run tells nobody.
    let school = school_id(&mis).await;
    let roster = RosterSync {
        orgs: vec![crate::roster::org(crate::roster::URN_A)],
        users: vec![crate::roster::user("WH-1", "Wendy", "Hook", "teacher", crate::roster::URN_A)],
    };
    assert!(mis.sync_roster(&roster, true).await.unwrap().dry_run);
    mis.sync_roster(&roster, false).await.unwrap();
    let got = receiver.wait_for("for the sync", |r| r.json()["type"] == "roster.sync_finished").await;
    assert!(got.verified);
    assert_eq!(got.json()["data"]["school_id"], school.to_string());
    assert_eq!(got.json()["data"]["outcomes"]["created"], 1);
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let syncs = receiver.received().into_iter().filter(|r| r.json()["type"] == "roster.sync_finished").count();
    assert_eq!(syncs, 1, "the dry run sent nothing");
}

async fn a_failed_delivery_is_retried_with_the_same_id_and_can_be_replayed(backend: Backend) {
    let s = TestServer::start(backend);
    let mis = s.mis().await;
    let mut receiver = WebhookReceiver::reserve();
    let made = mis
        .create_webhook_subscription(&subscribe(&receiver.url(), &[WebhookEventType::SessionChanged]))
        .await
        .unwrap();
    // The endpoint fails twice, then accepts.
    receiver.up(&made.secret, 2);
    let sub = made.subscription.id;
    let test = mis.create_webhook_test_event(sub).await.unwrap();
    let accepted = receiver.wait_for("accepted", |r| r.answered == 204).await;
    let all = receiver.received();
    assert_eq!(all.iter().map(|r| r.answered).collect::<Vec<_>>(), [500, 500, 204], "{all:?}");
    assert!(all.iter().all(|r| r.id() == test.event_id && r.verified && r.body == accepted.body));
    // Each attempt signs afresh (its own timestamp) over the same id and body.
    let mut detail = mis.get_webhook_delivery(sub, test.id).await.unwrap();
    for _ in 0..50 {
        if detail.delivery.status == WebhookDeliveryStatus::Delivered {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        detail = mis.get_webhook_delivery(sub, test.id).await.unwrap();
    }
    assert_eq!(detail.delivery.status, WebhookDeliveryStatus::Delivered);
    assert_eq!(
        detail.attempts.iter().map(|a| (a.delivered, a.status_code)).collect::<Vec<_>>(),
        [(false, Some(500)), (false, Some(500)), (true, Some(204))]
    );
    // Back-off: the second retry waited longer than the first (1 s, then 2 s).
    let gap = |a: usize| (detail.attempts[a + 1].at - detail.attempts[a].at).num_milliseconds();
    assert!(gap(0) >= 900 && gap(1) >= 1900, "gaps {} ms, {} ms", gap(0), gap(1));
    let sub_now = mis.get_webhook_subscription(sub).await.unwrap();
    assert_eq!(sub_now.consecutive_failures, 0, "a success clears the run of failures");

    // A replay sends it again with the same id; a pending one cannot be replayed. Switched off
    // meanwhile, so the worker cannot deliver the replay between the two requests.
    let off = UpdateWebhookSubscription { enabled: Some(false), ..Default::default() };
    mis.update_webhook_subscription(sub, &off).await.unwrap();
    let replayed = mis.replay_webhook_delivery(sub, test.id).await.unwrap();
    assert_eq!(replayed.delivery.status, WebhookDeliveryStatus::Pending);
    assert_eq!(code(mis.replay_webhook_delivery(sub, test.id).await), (409, "delivery_pending".into()));
    let on = UpdateWebhookSubscription { enabled: Some(true), ..Default::default() };
    mis.update_webhook_subscription(sub, &on).await.unwrap();
    receiver.wait_for("replayed", |r| r.n == 4).await;
    assert_eq!(receiver.received()[3].id(), test.event_id);
}

async fn a_failing_endpoint_is_switched_off_and_its_owner_emailed(backend: Backend) {
    let smtp = SmtpSink::start();
    let s = TestServer::start_mailing(backend, &smtp.url(), None);
    // A client registered by the trust admin, who is emailed when its webhooks are switched off.
    let trust = s.login("trust").await;
    let Me::User(me) = trust.get_me().await.unwrap() else { panic!("a user") };
    let registered = trust
        .create_machine_client(&CreateMachineClient {
            name: "Oakfield dashboard".into(),
            scopes: vec![Scope::ProgressRead],
            trust_id: me.organisation_id,
            school_ids: vec![],
            rate_limit_per_minute: None,
        })
        .await
        .unwrap();
    let token =
        s.client().create_client_token(&registered.client.client_id, &registered.client_secret, None).await.unwrap();
    let dash = s.client().with_token(token.access_token);
    // Nothing listens at the address.
    let nobody = WebhookReceiver::reserve();
    let made = dash
        .create_webhook_subscription(&subscribe(&nobody.url(), &[WebhookEventType::AttendanceRecorded]))
        .await
        .unwrap();
    let sub = made.subscription.id;
    dash.create_webhook_test_event(sub).await.unwrap();
    let mail = smtp.wait_for("trust@trellis.test", "switched off").await;
    assert!(mail.text.as_deref().unwrap_or_default().contains(&nobody.url()), "{mail:?}");
    let off = dash.get_webhook_subscription(sub).await.unwrap();
    assert_eq!(off.status, WebhookSubscriptionStatus::Disabled);
    assert!(off.consecutive_failures >= 5, "{off:?}");
    assert!(off.disabled_reason.as_deref().unwrap_or_default().contains("failed attempts"), "{off:?}");
    let log = deliveries(&dash, sub).await;
    assert_eq!(log[0].status, WebhookDeliveryStatus::Pending, "the message waits: {log:?}");
    assert!(log[0].last_error.as_deref().unwrap_or_default().to_lowercase().contains("connect"), "{log:?}");

    // Once the endpoint is up and the subscription is switched back on, what waited goes out.
    let mut receiver = nobody;
    receiver.up(&made.secret, 0);
    let on = dash
        .update_webhook_subscription(sub, &UpdateWebhookSubscription { enabled: Some(true), ..Default::default() })
        .await
        .unwrap();
    assert_eq!((on.status, on.consecutive_failures), (WebhookSubscriptionStatus::Active, 0));
    let got = receiver.wait_for("after switching back on", |r| r.id() == log[0].event_id).await;
    assert!(got.verified);
}

async fn a_client_of_school_a_is_never_told_of_school_b(backend: Backend) {
    let s = TestServer::start(backend);
    let mis = s.mis().await;
    let mut receiver = WebhookReceiver::reserve();
    let events = [WebhookEventType::EnrolmentStatusChanged, WebhookEventType::AttendanceRecorded];
    let made = mis.create_webhook_subscription(&subscribe(&receiver.url(), &events)).await.unwrap();
    receiver.up(&made.secret, 0);
    let sub = made.subscription.id;

    let head_b = s.login("head.b").await;
    let in_b = live_enrolment(&s, &head_b).await;
    assert_ne!(in_b.school_id, school_id(&mis).await);
    head_b.withdraw_enrolment(in_b.enrolment_id, WithdrawalReasonKind::Workload, None).await.unwrap();
    assert!(deliveries(&mis, sub).await.is_empty(), "told of school B");

    let head_a = s.login("head.a").await;
    let in_a = live_enrolment(&s, &head_a).await;
    head_a.withdraw_enrolment(in_a.enrolment_id, WithdrawalReasonKind::Workload, None).await.unwrap();
    let log = deliveries(&mis, sub).await;
    assert_eq!(log.len(), 1, "{log:?}");
    let got = receiver.wait_for("for school A", |r| r.id() == log[0].event_id).await;
    assert_eq!(got.json()["data"]["enrolment_id"], in_a.enrolment_id.to_string());
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert!(
        receiver.received().iter().all(|r| !r.body.contains(&in_b.enrolment_id.to_string())),
        "school B's enrolment reached school A's client"
    );
}

async fn subscriptions_are_their_clients_alone_and_bad_ones_are_refused(backend: Backend) {
    let s = TestServer::start(backend);
    let mis = s.mis().await;
    let made = mis
        .create_webhook_subscription(&subscribe("https://mis.example.org/hooks", &[WebhookEventType::OutcomeRecorded]))
        .await
        .unwrap();
    let sub = made.subscription.id;
    let listed = mis.list_webhook_subscriptions(&ListParams::default()).await.unwrap();
    assert_eq!(listed.items.iter().map(|w| w.id).collect::<Vec<_>>(), [sub]);

    // Another client, a platform admin and a trust admin can neither see nor touch it.
    let token = s
        .client()
        .create_client_token(trellis_api::seed::DEMO_DASHBOARD_ID, trellis_api::seed::DEMO_DASHBOARD_SECRET, None)
        .await
        .unwrap();
    let other = s.client().with_token(token.access_token);
    assert_eq!(code(other.get_webhook_subscription(sub).await), (404, "not_found".into()));
    assert_eq!(code(other.list_webhook_deliveries(sub, &ListParams::default()).await), (404, "not_found".into()));
    assert_eq!(code(other.delete_webhook_subscription(sub).await), (404, "not_found".into()));
    assert!(other.list_webhook_subscriptions(&ListParams::default()).await.unwrap().items.is_empty());
    let admin = s.login("admin").await;
    assert_eq!(code(admin.get_webhook_subscription(sub).await), (404, "not_found".into()));
    assert_eq!(code(admin.list_webhook_subscriptions(&ListParams::default()).await), (403, "forbidden".into()));
    let body = subscribe("https://a.example.org/x", &[WebhookEventType::OutcomeRecorded]);
    assert_eq!(code(admin.create_webhook_subscription(&body).await), (403, "forbidden".into()));

    // Refusals name the field.
    let e = mis
        .create_webhook_subscription(&subscribe("ftp://mis.example.org/x", &[WebhookEventType::OutcomeRecorded]))
        .await
        .unwrap_err();
    assert_eq!((e.status(), e.code()), (Some(422), Some("webhook_url_refused")));
    assert_eq!(problem(&e).errors[0].field, "url");
    let twice = [WebhookEventType::OutcomeRecorded, WebhookEventType::OutcomeRecorded];
    let e = mis.create_webhook_subscription(&subscribe("https://mis.example.org/x", &twice)).await.unwrap_err();
    assert_eq!(e.code(), Some("duplicate_event_type"));
    assert_eq!(problem(&e).errors[0].field, "events[1]");
    // The dashboard reads progress only: roster events are not for it.
    let e = other
        .create_webhook_subscription(&subscribe("https://d.example.org/x", &[WebhookEventType::RosterSyncFinished]))
        .await
        .unwrap_err();
    assert_eq!((e.status(), e.code()), (Some(422), Some("event_outside_scope")));
    let none = mis.list_webhook_subscriptions(&ListParams::default()).await.unwrap();
    assert_eq!(none.items.len(), 1, "refusals wrote nothing");

    // Its owner can switch it off, change it and delete it.
    let off = mis
        .update_webhook_subscription(sub, &UpdateWebhookSubscription { enabled: Some(false), ..Default::default() })
        .await
        .unwrap();
    assert_eq!(off.status, WebhookSubscriptionStatus::Disabled);
    let changed = mis
        .update_webhook_subscription(
            sub,
            &UpdateWebhookSubscription {
                events: Some(vec![WebhookEventType::CertificateIssued, WebhookEventType::CertificateRevoked]),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(changed.events, [WebhookEventType::CertificateIssued, WebhookEventType::CertificateRevoked]);
    mis.delete_webhook_subscription(sub).await.unwrap();
    assert_eq!(code(mis.get_webhook_subscription(sub).await), (404, "not_found".into()));
}
