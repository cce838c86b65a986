//! Signing in: sessions and refresh tokens, machine clients, throttling.

use serde_json::json;
use trellis_e2e::{Backend, TestServer, on_both_backends};
use trellis_wire::*;

use crate::support::*;

on_both_backends!(
    login_refresh_and_logout_follow_the_token_lifecycle,
    machine_client_is_limited_to_its_school_and_scopes,
    repeated_failed_sign_ins_are_throttled,
    distributed_and_parallel_guessing_cannot_lock_the_owner_out,
);

async fn login_refresh_and_logout_follow_the_token_lifecycle(backend: Backend) {
    let s = TestServer::start(backend);
    let anon = s.client();
    assert_eq!(code(anon.create_session("head.a@trellis.test", "wrong").await), (401, "invalid_credentials".into()));
    assert_eq!(
        code(anon.create_session("nobody@trellis.test", "trellis-demo").await),
        (401, "invalid_credentials".into())
    );
    assert_eq!(code(anon.get_me().await), (401, "unauthenticated".into()));
    assert_eq!(code(anon.with_token("not.a.jwt").get_me().await), (401, "invalid_token".into()));

    // Emails are matched case-insensitively.
    let pair = anon.create_session("Head.A@Trellis.test", "trellis-demo").await.unwrap();
    assert_eq!(pair.token_type, "Bearer");
    let me = anon.with_token(&pair.access_token).get_me().await.unwrap();
    let Me::User(u) = me else { panic!("expected a user") };
    assert_eq!((u.email.as_str(), u.role), ("head.a@trellis.test", Role::SchoolLead));

    // Refresh rotates: the new pair works, the old refresh token is single use, and reusing it
    // ends the whole session (the new tokens too).
    let second = anon.refresh_session(&pair.refresh_token).await.unwrap();
    assert_ne!(second.refresh_token, pair.refresh_token);
    anon.with_token(&second.access_token).get_me().await.unwrap();
    assert_eq!(code(anon.refresh_session(&pair.refresh_token).await), (401, "refresh_token_reused".into()));
    assert_eq!(code(anon.with_token(&second.access_token).get_me().await), (401, "token_revoked".into()));
    assert_eq!(code(anon.refresh_session(&second.refresh_token).await), (401, "invalid_refresh_token".into()));
    assert_eq!(code(anon.refresh_session("made-up").await), (401, "invalid_refresh_token".into()));

    // Logout revokes the access token at once, and its refresh token.
    let third = anon.create_session("head.a@trellis.test", "trellis-demo").await.unwrap();
    let c = anon.with_token(&third.access_token);
    c.delete_session().await.unwrap();
    assert_eq!(code(c.get_me().await), (401, "token_revoked".into()));
    assert_eq!(code(anon.refresh_session(&third.refresh_token).await), (401, "invalid_refresh_token".into()));
}

async fn machine_client_is_limited_to_its_school_and_scopes(backend: Backend) {
    let s = TestServer::start(backend);
    let anon = s.client();
    assert_eq!(code(anon.create_client_token("demo-mis", "wrong", None).await), (401, "invalid_client".into()));
    assert_eq!(
        code(anon.create_client_token("nope", "trellis-demo-secret", None).await),
        (401, "invalid_client".into())
    );
    assert_eq!(
        code(anon.create_client_token("demo-mis", "trellis-demo-secret", Some("admin:all")).await),
        (400, "invalid_scope".into())
    );

    // OAuth 2.0 client libraries read RFC 6749's `error` member and expect no caching of tokens.
    let http = reqwest::Client::new();
    let res = http
        .post(anon.url("/auth/token"))
        .form(&[("grant_type", "client_credentials"), ("client_id", "demo-mis"), ("client_secret", "nope")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 401);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!((body["code"].as_str(), body["error"].as_str()), (Some("invalid_client"), Some("invalid_client")));
    let res = http.post(anon.url("/auth/token")).form(&[("client_id", "demo-mis")]).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 400);
    assert_eq!(res.json::<serde_json::Value>().await.unwrap()["error"], "invalid_request");
    let res = http
        .post(anon.url("/auth/token"))
        .basic_auth("demo-mis", Some("trellis-demo-secret"))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200, "HTTP Basic client authentication");
    assert_eq!(res.headers()["cache-control"], "no-store");

    let mis = s.mis().await;
    let Me::Client(me) = mis.get_me().await.unwrap() else { panic!("expected a client") };
    assert_eq!(me.client_id, "demo-mis");
    assert_eq!(me.scopes, vec![Scope::RosterWrite, Scope::ProgressRead]);
    let school_a = me.school_ids[0];

    let head_b = s.login("head.b").await;
    let school_b = school_id(&head_b).await;

    let roster = mis.list_people(school_a, &ListParams::default()).await.unwrap();
    assert!(roster.items.len() >= 4);
    assert_eq!(code(mis.list_people(school_b, &ListParams::default()).await), (404, "not_found".into()));
    let newcomer = CreatePerson {
        given_name: "Nia".into(),
        family_name: "Lowe".into(),
        email: None,
        staff_role: StaffRole::Teacher,
        mis_id: Some("MIS-777".into()),
    };
    assert_eq!(code(mis.create_person(school_b, &newcomer).await), (404, "not_found".into()));
    let created = mis.create_person(school_a, &newcomer).await.unwrap();
    assert_eq!(created.mis_id.as_deref(), Some("MIS-777"));
    // The same MIS id again in the same school is a conflict; in another school it is fine.
    assert_eq!(code(mis.create_person(school_a, &newcomer).await), (409, "duplicate_mis_id".into()));
    s.login("admin").await.create_person(school_b, &newcomer).await.unwrap();

    // progress:read shows school A's enrolments only; a roster-only token sees none.
    let cohort = demo_cohort(&mis).await;
    let visible = all_enrolments(&mis, cohort.id).await;
    assert!(!visible.is_empty());
    assert!(visible.iter().all(|e| e.school_id == school_a));
    let b_enrolment = all_enrolments(&head_b, cohort.id).await.remove(0);
    assert_eq!(code(mis.get_enrolment(b_enrolment.id).await), (404, "not_found".into()));
    assert_eq!(code(mis.transition(visible[0].id, TransitionKind::Defer).await), (403, "forbidden".into()));

    let roster_only = anon.create_client_token("demo-mis", "trellis-demo-secret", Some("roster:write")).await.unwrap();
    let roster_only = anon.with_token(roster_only.access_token);
    assert_eq!(code(roster_only.get_enrolment(visible[0].id).await), (404, "not_found".into()));
}

async fn repeated_failed_sign_ins_are_throttled(backend: Backend) {
    let s = TestServer::start(backend);
    let anon = s.client();
    for _ in 0..10 {
        assert_eq!(
            code(anon.create_session("head.b@trellis.test", "guess").await),
            (401, "invalid_credentials".into())
        );
    }
    // Now even the right password is refused for this account, with a Retry-After.
    let res = reqwest::Client::new()
        .post(anon.url("/auth/login"))
        .json(&json!({"email": "head.b@trellis.test", "password": trellis_e2e::PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 429);
    let retry: u64 = res.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!(retry > 0 && retry <= 900);
    let problem: serde_json::Value = res.json().await.unwrap();
    assert_eq!(problem["code"], "too_many_attempts");
    // Other accounts are unaffected, and so is the same account from another address: a stranger
    // cannot lock a colleague out by typing wrong passwords at their own machine.
    s.login("head.a").await.get_me().await.unwrap();
    let elsewhere = reqwest::Client::builder().local_address(std::net::IpAddr::from([127, 0, 0, 2])).build().unwrap();
    let res = elsewhere
        .post(anon.url("/auth/login"))
        .json(&json!({"email": "head.b@trellis.test", "password": trellis_e2e::PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200, "the right password from another address still works");
    // Client secrets are throttled the same way: per client and address, so anyone's guesses
    // cannot lock a school's MIS out.
    for _ in 0..10 {
        assert_eq!(code(anon.create_client_token("demo-mis", "guess", None).await), (401, "invalid_client".into()));
    }
    assert_eq!(
        code(anon.create_client_token("demo-mis", "trellis-demo-secret", None).await),
        (429, "too_many_attempts".into())
    );
    let res = elsewhere
        .post(anon.url("/auth/token"))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", "demo-mis"),
            ("client_secret", "trellis-demo-secret"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200, "the MIS itself, from its own address, still gets a token");
}

/// Guessing from many addresses slows an account down but never locks its owner out, and
/// parallel guesses are counted one by one against the limit.
async fn distributed_and_parallel_guessing_cannot_lock_the_owner_out(backend: Backend) {
    let s = TestServer::start(backend);
    let login = |from: u8, password: &'static str| {
        let http = reqwest::Client::builder().local_address(std::net::IpAddr::from([127, 0, 0, from])).build().unwrap();
        let url = s.client().url("/auth/login");
        async move {
            http.post(url)
                .json(&json!({"email": "head.b@trellis.test", "password": password}))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    // 40 wrong passwords at once from one address, against a limit of 10 per account and address.
    let burst: Vec<u16> = futures_join(40, |_| login(9, "guess")).await;
    assert_eq!(burst.iter().filter(|&&s| s == 401).count(), 10, "{burst:?}");
    assert_eq!(burst.iter().filter(|&&s| s == 429).count(), 30, "{burst:?}");
    // 50 more failures from five other addresses: the account is now past every shared limit.
    let spread: Vec<u16> = futures_join(50, |i| login(10 + (i % 5) as u8, "guess")).await;
    assert!(spread.iter().all(|&s| s == 401), "{spread:?}");
    // The owner, from an address of their own, still signs in (after a short, bounded wait).
    let started = std::time::Instant::now();
    assert_eq!(login(42, trellis_e2e::PASSWORD).await, 200);
    assert!(started.elapsed() <= std::time::Duration::from_secs(5), "{:?}", started.elapsed());
}
