//! Accounts: invitations by email (through a real SMTP server), several roles per person,
//! password resets without enumeration, deactivation, machine clients, the audit trail.

use trellis_e2e::{Backend, SmtpSink, TestServer, on_both_backends};
use trellis_wire::*;
use uuid::Uuid;

use crate::support::*;

on_both_backends!(
    an_invitation_email_leads_to_a_password_and_a_sign_in,
    invitations_are_given_only_within_the_inviters_care,
    a_second_role_is_chosen_per_sign_in_and_scoped,
    password_reset_tells_nobody_who_has_an_account,
    deactivation_refuses_the_accounts_tokens_at_once,
    machine_clients_are_registered_rotated_and_revoked,
    an_invitation_makes_the_account_its_persons,
    an_invited_coach_belongs_to_the_provider_and_can_be_named,
);

fn token_of(link: &str) -> String {
    link.split("#token=").nth(1).expect("a link with a token").to_owned()
}

fn me_user(me: Me) -> MeUser {
    match me {
        Me::User(u) => u,
        Me::Client(_) => panic!("expected a user"),
    }
}

fn invite(email: &str, role: Role, organisation: Option<Uuid>, school: Option<Uuid>) -> CreateInvitation {
    CreateInvitation {
        email: email.into(),
        display_name: "Sam Jones".into(),
        role,
        organisation_id: organisation,
        school_id: school,
        person_id: None,
    }
}

async fn an_invitation_email_leads_to_a_password_and_a_sign_in(backend: Backend) {
    let sink = SmtpSink::start();
    let s = TestServer::start_mailing(backend, &sink.url(), None);
    let head = s.login("head.a").await;
    let school = school_id(&head).await;
    let inv = head
        .create_invitation(&invite("Sam.Jones@Oakfield.example", Role::Participant, None, Some(school)))
        .await
        .unwrap();
    assert_eq!((inv.email.as_str(), inv.status), ("sam.jones@oakfield.example", InvitationStatus::Pending));

    // The message went through SMTP, as plain text and HTML, with the link in both.
    let mail = sink.wait_for("sam.jones@oakfield.example", "invited to Trellis").await;
    assert_eq!(mail.rcpt_tos, vec!["sam.jones@oakfield.example".to_owned()]);
    assert_eq!(mail.content_type, "multipart/alternative");
    assert!(mail.subject.contains("participant at Oakfield Primary School"), "{}", mail.subject);
    assert!(mail.text.as_deref().unwrap().contains("Helen Ashworth has invited you"), "{:?}", mail.text);
    let link = mail.link(&format!("{}/accept-invitation#token=", s.base)).expect("the link, under the server's origin");
    assert!(mail.html.as_deref().unwrap().contains(&link.replace('&', "&amp;")));
    let token = token_of(&link);

    let anon = s.client();
    let preview = anon.preview_invitation(&token).await.unwrap();
    assert_eq!((preview.role, preview.account_exists), (Role::Participant, false));
    assert_eq!(preview.context_name.as_deref(), Some("Oakfield Primary School"));
    // The password rule, with the field named.
    for (password, why) in [
        ("short", "password_too_short"),
        ("Password2026!", "password_too_common"),
        ("sam.jones-is-great", "password_contains_email"),
    ] {
        let err = anon.accept_invitation(&token, password).await.unwrap_err();
        assert_eq!((err.status(), err.code()), (Some(422), Some(why)), "{password}");
        let trellis_client::ClientError::Api(problem) = err else { panic!("a problem") };
        assert_eq!(problem.errors[0].field, "password");
    }
    let pair = anon.accept_invitation(&token, "kestrel lantern harbour").await.unwrap();
    let me = me_user(anon.with_token(&pair.access_token).get_me().await.unwrap());
    assert_eq!((me.role, me.school_id, me.roles.len()), (Role::Participant, Some(school), 1));
    anon.create_session("sam.jones@oakfield.example", "kestrel lantern harbour").await.unwrap();

    // The link works once.
    assert_eq!(code(anon.accept_invitation(&token, "kestrel lantern harbour").await), (410, "invitation_used".into()));
    assert_eq!(code(anon.preview_invitation(&token).await), (410, "invitation_used".into()));
    assert_eq!(code(anon.preview_invitation("made-up").await), (404, "unknown_invitation".into()));

    // An expired link is refused.
    let late =
        head.create_invitation(&invite("late@oakfield.example", Role::Participant, None, Some(school))).await.unwrap();
    let late_mail = sink.wait_for("late@oakfield.example", "invited").await;
    {
        use diesel::RunQueryDsl;
        diesel::sql_query(format!(
            "UPDATE invitations SET expires_at = '2026-01-01 00:00:00' WHERE id = '{}'",
            late.id
        ))
        .execute(&mut s.db())
        .unwrap();
    }
    let late_token = token_of(&late_mail.link("http").unwrap());
    assert_eq!(
        code(anon.accept_invitation(&late_token, "kestrel lantern harbour").await),
        (410, "invitation_expired".into())
    );
    // Inviting again replaces the link: the first one is withdrawn.
    let again =
        head.create_invitation(&invite("again@oakfield.example", Role::Participant, None, Some(school))).await.unwrap();
    let first = token_of(&sink.wait_for("again@oakfield.example", "invited").await.link("http").unwrap());
    head.create_invitation(&invite("again@oakfield.example", Role::Participant, None, Some(school))).await.unwrap();
    assert_eq!(code(anon.preview_invitation(&first).await), (410, "invitation_withdrawn".into()));
    let listed = head.list_invitations(&ListParams { limit: Some(200), ..Default::default() }).await.unwrap();
    assert_eq!(listed.items.iter().find(|i| i.id == again.id).unwrap().status, InvitationStatus::Revoked);
    assert_eq!(listed.items.iter().find(|i| i.id == inv.id).unwrap().status, InvitationStatus::Accepted);

    // The outbox shows what went; the audit trail who did what.
    let admin = s.login("admin").await;
    let outbox = admin.list_outbox(&ListParams::default()).await.unwrap();
    let sent = outbox.items.iter().find(|m| m.to == "sam.jones@oakfield.example").unwrap();
    assert_eq!((sent.status, sent.attempts), (OutboxStatus::Sent, 1));
    let events = head.list_audit_events(&ListParams { limit: Some(200), ..Default::default() }).await.unwrap();
    let actions: Vec<&str> = events.items.iter().map(|e| e.action.as_str()).collect();
    assert!(actions.contains(&"invitation.created") && actions.contains(&"invitation.accepted"), "{actions:?}");
    assert!(events.items.iter().all(|e| !e.detail.to_string().contains(&token)), "no secret in the audit trail");
}

async fn invitations_are_given_only_within_the_inviters_care(backend: Backend) {
    let s = TestServer::start(backend);
    let head = s.login("head.a").await;
    let school_a = school_id(&head).await;
    let school_b = school_id(&s.login("head.b").await).await;
    let provider = provider_id(&head).await;
    let trust = head.get_school(school_a).await.unwrap().trust_id;
    // A school lead invites to their own school only.
    assert_eq!(
        code(head.create_invitation(&invite("x@e.example", Role::Participant, None, Some(school_b))).await),
        (403, "forbidden".into())
    );
    assert_eq!(
        code(head.create_invitation(&invite("x@e.example", Role::TrustAdmin, trust, None)).await),
        (403, "forbidden".into())
    );
    assert_eq!(
        code(head.create_invitation(&invite("x@e.example", Role::Coach, Some(provider), None)).await),
        (403, "forbidden".into())
    );
    // The context must fit the role.
    let err =
        head.create_invitation(&invite("x@e.example", Role::Participant, Some(provider), None)).await.unwrap_err();
    assert_eq!((err.status(), err.code()), (Some(422), Some("context_does_not_fit_role")));
    let err = head
        .create_invitation(&invite("x@e.example", Role::Participant, None, Some(Uuid::now_v7())))
        .await
        .unwrap_err();
    assert_eq!((err.status(), err.code()), (Some(422), Some("unknown_school")));
    // A person has one account: an invitation naming someone who has one must go to that account.
    let priya = me_user(s.login("participant.a").await.get_me().await.unwrap()).person_id.unwrap();
    let mut takeover = invite("alt@e.example", Role::Participant, None, Some(school_a));
    takeover.person_id = Some(priya);
    let err = head.create_invitation(&takeover).await.unwrap_err();
    assert_eq!((err.status(), err.code()), (Some(422), Some("person_has_account")));
    takeover.email = "participant.a@trellis.test".into();
    takeover.role = Role::SchoolLead;
    head.create_invitation(&takeover).await.unwrap();
    // Facilitators invite their provider's staff; trust admins their trust's schools and admins.
    let fac = s.login("facilitator").await;
    fac.create_invitation(&invite("new.coach@e.example", Role::Coach, Some(provider), None)).await.unwrap();
    assert_eq!(
        code(fac.create_invitation(&invite("x@e.example", Role::Participant, None, Some(school_a))).await),
        (403, "forbidden".into())
    );
    let trust_admin = s.login("trust").await;
    trust_admin.create_invitation(&invite("deputy@e.example", Role::SchoolLead, None, Some(school_b))).await.unwrap();
    trust_admin.create_invitation(&invite("ops@e.example", Role::TrustAdmin, trust, None)).await.unwrap();
    // Participants invite nobody, and see no invitations.
    let part = s.login("participant.a").await;
    assert_eq!(
        code(part.create_invitation(&invite("x@e.example", Role::Participant, None, Some(school_a))).await),
        (403, "forbidden".into())
    );
    assert_eq!(code(part.list_invitations(&ListParams::default()).await), (403, "forbidden".into()));
    // Each sees the invitations within their care: head A sees the demo's pending one, not B's.
    let mine = head.list_invitations(&ListParams::default()).await.unwrap();
    assert!(mine.items.iter().any(|i| i.email == trellis_api::seed::DEMO_INVITEE));
    assert!(mine.items.iter().all(|i| i.school_id == Some(school_a)));
    // Withdrawing: within one's care, pending only.
    let pending = mine.items.iter().find(|i| i.status == InvitationStatus::Pending).unwrap();
    assert_eq!(code(s.login("head.b").await.delete_invitation(pending.id).await), (404, "not_found".into()));
    head.delete_invitation(pending.id).await.unwrap();
}

async fn a_second_role_is_chosen_per_sign_in_and_scoped(backend: Backend) {
    let s = TestServer::start(backend);
    // Marcus Bell leads Riverside (B) and coaches Sara Lindqvist at Hillcrest (C).
    let marcus = s.login("head.b").await;
    let me = me_user(marcus.get_me().await.unwrap());
    assert_eq!(me.role, Role::SchoolLead);
    assert_eq!(me.roles.iter().map(|r| r.role).collect::<Vec<_>>(), vec![Role::SchoolLead, Role::Coach]);
    let admin = s.login("admin").await;
    let cohort = demo_cohort(&admin).await;
    let sara = all_enrolments(&admin, cohort.id).await.into_iter().find(|e| e.person_name.starts_with("Sara")).unwrap();
    let school_b = me.school_id.unwrap();
    // As school lead: his own school's staff, not his coachee.
    marcus.list_people(school_b, &ListParams::default()).await.unwrap();
    assert_eq!(code(marcus.get_enrolment(sara.id).await), (404, "not_found".into()));
    // As coach: his coachee and her coaching log, not his school's staff list.
    let coach_role = me.roles.iter().find(|r| r.role == Role::Coach).unwrap().id;
    let now = me_user(marcus.switch_role(coach_role).await.unwrap());
    assert_eq!((now.role, now.role_id, now.school_id), (Role::Coach, coach_role, None));
    marcus.get_enrolment(sara.id).await.unwrap();
    let session = CreateCoachingSession {
        held_on: chrono::NaiveDate::from_ymd_opt(2026, 11, 10).unwrap(),
        minutes: 45,
        mode: trellis_domain::rules::definition::CoachingMode::Phone,
        focus: "Planning the project's evaluation".into(),
        notes: Some("Sara will survey Year 9 before Christmas.".into()),
    };
    marcus.create_coaching_session(sara.id, &session).await.unwrap();
    assert!(matches!(code(marcus.list_people(school_b, &ListParams::default()).await).0, 403 | 404));
    // Not someone else's role.
    let other = me_user(s.login("head.a").await.get_me().await.unwrap()).role_id;
    assert_eq!(code(marcus.switch_role(other).await), (422, "unknown_role".into()));
    // A new sign-in starts in the first role again; each session keeps its own.
    let fresh = s.login("head.b").await;
    assert_eq!(me_user(fresh.get_me().await.unwrap()).role, Role::SchoolLead);
    assert_eq!(me_user(marcus.get_me().await.unwrap()).role, Role::Coach);

    // An invitation to someone who has an account adds the role, proven by their password.
    let sink_free = s.client();
    let fac = s.login("facilitator").await;
    let provider = provider_id(&fac).await;
    fac.create_invitation(&invite("head.a@trellis.test", Role::Coach, Some(provider), None)).await.unwrap();
    let outbox = admin.list_outbox(&ListParams::default()).await.unwrap();
    let text = outbox.items.iter().find(|m| m.to == "head.a@trellis.test").unwrap().text_body.clone().unwrap();
    let token = text.split("#token=").nth(1).unwrap().split_whitespace().next().unwrap().to_owned();
    assert!(sink_free.preview_invitation(&token).await.unwrap().account_exists);
    assert_eq!(
        code(sink_free.accept_invitation(&token, "not her password").await),
        (401, "invalid_credentials".into())
    );
    let pair = sink_free.accept_invitation(&token, trellis_e2e::PASSWORD).await.unwrap();
    let helen = me_user(sink_free.with_token(&pair.access_token).get_me().await.unwrap());
    assert_eq!(helen.role, Role::Coach, "accepting signs in in the new role");
    assert_eq!(helen.roles.len(), 2);

    // Taking a role away ends the sign-ins acting in it.
    let coach_row = helen.roles.iter().find(|r| r.role == Role::Coach).unwrap().id;
    assert_eq!(
        code(s.login("head.b").await.delete_user_role(helen.user_id, coach_row).await),
        (404, "not_found".into())
    );
    fac.delete_user_role(helen.user_id, coach_row).await.unwrap();
    assert_eq!(code(sink_free.with_token(&pair.access_token).get_me().await), (401, "role_revoked".into()));
    assert_eq!(code(sink_free.refresh_session(&pair.refresh_token).await), (401, "invalid_refresh_token".into()));
    // She still signs in, as school lead.
    assert_eq!(me_user(s.login("head.a").await.get_me().await.unwrap()).role, Role::SchoolLead);
}

async fn password_reset_tells_nobody_who_has_an_account(backend: Backend) {
    let sink = SmtpSink::start();
    let s = TestServer::start_mailing(backend, &sink.url(), None);
    let signed_in = s.login("head.a").await;
    let anon = s.client();
    let known = anon.create_password_reset("Head.A@trellis.test").await.unwrap();
    let unknown = anon.create_password_reset("nobody@trellis.test").await.unwrap();
    assert_eq!(known.message, unknown.message);
    let mail = sink.wait_for("head.a@trellis.test", "Reset your Trellis password").await;
    let token = token_of(&mail.link(&format!("{}/reset-password#token=", s.base)).unwrap());
    // Nothing goes to the unknown address (give the worker time to have sent it).
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert!(sink.messages().iter().all(|m| !m.to.contains("nobody@")));

    let err = anon.complete_password_reset(&token, "abcabcabcabc").await.unwrap_err();
    assert_eq!((err.status(), err.code()), (Some(422), Some("password_too_common")));
    anon.complete_password_reset(&token, "a quiet orchard at dawn").await.unwrap();
    // Every sign-in of the account ended; the old password is gone; the link is spent.
    assert_eq!(code(signed_in.get_me().await), (401, "token_revoked".into()));
    assert_eq!(
        code(anon.create_session("head.a@trellis.test", trellis_e2e::PASSWORD).await),
        (401, "invalid_credentials".into())
    );
    anon.create_session("head.a@trellis.test", "a quiet orchard at dawn").await.unwrap();
    assert_eq!(code(anon.complete_password_reset(&token, "another long passphrase").await), (410, "reset_used".into()));
    assert_eq!(
        code(anon.complete_password_reset("made-up", "another long passphrase").await),
        (404, "unknown_reset".into())
    );
    sink.wait_for("head.a@trellis.test", "password has been changed").await;
    // The outbox page does not show the reset link.
    let outbox = s.login("admin").await.list_outbox(&ListParams::default()).await.unwrap();
    let reset = outbox.items.iter().find(|m| m.kind == "password_reset").unwrap();
    assert_eq!(reset.text_body, None);
}

async fn deactivation_refuses_the_accounts_tokens_at_once(backend: Backend) {
    let s = TestServer::start(backend);
    let participant = s.client();
    let pair = participant.create_session("participant.a@trellis.test", trellis_e2e::PASSWORD).await.unwrap();
    let participant = participant.with_token(&pair.access_token);
    let id = me_user(participant.get_me().await.unwrap()).user_id;
    // Head A sees the account, with its role at A only; head B does not see it at all.
    let head = s.login("head.a").await;
    let users = head.list_users(&UserQuery { q: Some("priya".into()), ..Default::default() }).await.unwrap();
    assert_eq!(users.items.iter().map(|u| u.id).collect::<Vec<_>>(), vec![id]);
    let head_b = s.login("head.b").await;
    assert_eq!(code(head_b.get_user(id).await), (404, "not_found".into()));
    assert_eq!(code(head_b.deactivate_user(id).await), (404, "not_found".into()));
    assert_eq!(code(participant.list_users(&UserQuery::default()).await), (403, "forbidden".into()));

    let user = head.deactivate_user(id).await.unwrap();
    assert!(user.deactivated_at.is_some());
    assert_eq!(code(participant.get_me().await), (401, "account_deactivated".into()));
    assert_eq!(code(s.client().refresh_session(&pair.refresh_token).await), (401, "account_deactivated".into()));
    assert_eq!(
        code(s.client().create_session("participant.a@trellis.test", trellis_e2e::PASSWORD).await),
        (401, "account_deactivated".into())
    );
    head.reactivate_user(id).await.unwrap();
    s.login("participant.a").await.get_me().await.unwrap();

    // Marcus also coaches for the provider: the trust admin manages only his school role.
    let trust = s.login("trust").await;
    let marcus = me_user(head_b.get_me().await.unwrap()).user_id;
    assert_eq!(trust.get_user(marcus).await.unwrap().roles.len(), 1);
    assert_eq!(code(trust.deactivate_user(marcus).await), (403, "roles_outside_your_care".into()));
    let me = me_user(head.get_me().await.unwrap()).user_id;
    assert_eq!(code(head.deactivate_user(me).await), (409, "cannot_deactivate_self".into()));
    let events = trust.list_audit_events(&ListParams::default()).await.unwrap();
    let actions: Vec<&str> = events.items.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, vec!["user.deactivated", "user.reactivated"]);
}

async fn machine_clients_are_registered_rotated_and_revoked(backend: Backend) {
    let s = TestServer::start(backend);
    let trust = s.login("trust").await;
    let school_a = school_id(&s.login("head.a").await).await;
    let trust_id = trust.get_school(school_a).await.unwrap().trust_id;
    let body = CreateMachineClient {
        name: "Trust dashboard".into(),
        scopes: vec![Scope::ProgressRead],
        trust_id,
        school_ids: vec![],
        rate_limit_per_minute: None,
    };
    let made = trust.create_machine_client(&body).await.unwrap();
    assert_eq!(made.client.last_used_at, None);
    let anon = s.client();
    let t = anon.create_client_token(&made.client.client_id, &made.client_secret, None).await.unwrap();
    let dashboard = anon.with_token(&t.access_token);
    let cohort = demo_cohort(&dashboard).await;
    dashboard.list_enrolments(cohort.id, &ListParams::default()).await.unwrap();
    let listed = trust.list_machine_clients(&ListParams::default()).await.unwrap();
    let mine = listed.items.iter().find(|c| c.id == made.client.id).unwrap();
    assert!(mine.last_used_at.is_some(), "the list shows last use");
    assert!(listed.items.iter().any(|c| c.client_id == "demo-dashboard"));
    // Rotation: the old secret stops working, the new one works.
    let rotated = trust.rotate_machine_client_secret(made.client.id).await.unwrap();
    assert_ne!(rotated.client_secret, made.client_secret);
    assert_eq!(
        code(anon.create_client_token(&made.client.client_id, &made.client_secret, None).await),
        (401, "invalid_client".into())
    );
    anon.create_client_token(&made.client.client_id, &rotated.client_secret, None).await.unwrap();
    // Revocation: tokens it holds stop at once.
    trust.delete_machine_client(made.client.id).await.unwrap();
    assert_eq!(code(dashboard.list_enrolments(cohort.id, &ListParams::default()).await), (401, "token_revoked".into()));
    assert_eq!(
        code(anon.create_client_token(&made.client.client_id, &rotated.client_secret, None).await),
        (401, "invalid_client".into())
    );

    // School leads register clients for their own school only, and see no one else's.
    let head = s.login("head.a").await;
    let school_b = school_id(&s.login("head.b").await).await;
    let mis = |schools: Vec<Uuid>| CreateMachineClient {
        name: "Office MIS".into(),
        scopes: vec![Scope::RosterWrite],
        trust_id: None,
        school_ids: schools,
        rate_limit_per_minute: None,
    };
    assert_eq!(code(head.create_machine_client(&mis(vec![school_b])).await), (403, "forbidden".into()));
    assert_eq!(code(head.create_machine_client(&body).await), (403, "forbidden".into()));
    assert_eq!(code(head.create_machine_client(&mis(vec![])).await), (422, "client_needs_a_context".into()));
    let own = head.create_machine_client(&mis(vec![school_a])).await.unwrap();
    let head_b = s.login("head.b").await;
    assert!(
        head_b.list_machine_clients(&ListParams::default()).await.unwrap().items.iter().all(|c| c.id != own.client.id)
    );
    assert_eq!(code(head_b.rotate_machine_client_secret(own.client.id).await), (404, "not_found".into()));
    assert_eq!(
        code(s.login("participant.a").await.list_machine_clients(&ListParams::default()).await),
        (403, "forbidden".into())
    );
}

/// `trellis create-admin`: the first account of a new installation, or a new role for an old one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_admin_is_made_from_the_command_line() {
    let s = TestServer::start(Backend::Sqlite);
    let pool = trellis_api::db::connect(&s.database_url).unwrap();
    use trellis_api::admin::{AdminOutcome, create_admin};
    assert!(
        create_admin(&pool, "root@new-provider.example", "Rosa Root", "short").unwrap_err().contains("at least 10")
    );
    assert!(matches!(
        create_admin(&pool, "Root@New-Provider.example", "Rosa Root", "a long and unusual phrase"),
        Ok(AdminOutcome::Created)
    ));
    let root = s.client();
    let pair = root.create_session("root@new-provider.example", "a long and unusual phrase").await.unwrap();
    assert_eq!(me_user(root.with_token(&pair.access_token).get_me().await.unwrap()).role, Role::PlatformAdmin);
    assert!(matches!(create_admin(&pool, "head.a@trellis.test", "Helen", "ignored"), Ok(AdminOutcome::Promoted)));
    let helen = me_user(s.login("head.a").await.get_me().await.unwrap());
    assert_eq!(helen.roles.iter().map(|r| r.role).collect::<Vec<_>>(), vec![Role::SchoolLead, Role::PlatformAdmin]);
}

async fn accept_from_mail(s: &TestServer, sink: &SmtpSink, email: &str) -> trellis_client::Client {
    let mail = sink.wait_for(email, "invited to Trellis").await;
    let token = token_of(&mail.link(&format!("{}/accept-invitation#token=", s.base)).expect("a link"));
    let anon = s.client();
    let pair = anon.accept_invitation(&token, "kestrel lantern harbour").await.unwrap();
    anon.with_token(&pair.access_token)
}

/// Item 1 of issue 29: an invitation names the member of staff it is for (or finds the one with
/// its email at the school), and the account it makes is theirs: their enrolment shows at once.
async fn an_invitation_makes_the_account_its_persons(backend: Backend) {
    let sink = SmtpSink::start();
    let s = TestServer::start_mailing(backend, &sink.url(), None);
    let head = s.login("head.a").await;
    let school = school_id(&head).await;
    let cohort = demo_cohort(&head).await;
    let omar = all_enrolments(&head, cohort.id).await.into_iter().find(|e| e.person_name == "Omar Shah").unwrap();

    // Named by the inviter (the staff list's "Give an account").
    let mut body = invite("omar.shah@oakfield.example", Role::Participant, None, Some(school));
    body.person_id = Some(omar.person_id);
    let inv = head.create_invitation(&body).await.unwrap();
    assert_eq!(inv.person_id, Some(omar.person_id));
    let me_omar = accept_from_mail(&s, &sink, "omar.shah@oakfield.example").await;
    assert_eq!(me_user(me_omar.get_me().await.unwrap()).person_id, Some(omar.person_id));
    let mine = me_omar.list_my_enrolments().await.unwrap().items;
    assert_eq!(mine.iter().map(|m| m.enrolment.id).collect::<Vec<_>>(), vec![omar.id], "he sees his enrolment");
    // The staff list says he has an account now.
    let staff = head.list_people(school, &ListParams { limit: Some(200), ..Default::default() }).await.unwrap();
    assert!(staff.items.iter().find(|p| p.id == omar.person_id).unwrap().has_account);

    // Named by nobody: the one member of staff with that email at the school is found.
    let kim = head
        .create_person(
            school,
            &CreatePerson {
                given_name: "Kim".into(),
                family_name: "Lee".into(),
                email: Some("Kim.Lee@oakfield.example".into()),
                staff_role: StaffRole::TeachingAssistant,
                mis_id: None,
            },
        )
        .await
        .unwrap();
    assert!(!kim.has_account);
    let inv = head
        .create_invitation(&invite("kim.lee@oakfield.example", Role::Participant, None, Some(school)))
        .await
        .unwrap();
    assert_eq!(inv.person_id, Some(kim.id));
    let me_kim = accept_from_mail(&s, &sink, "kim.lee@oakfield.example").await;
    assert_eq!(me_user(me_kim.get_me().await.unwrap()).person_id, Some(kim.id));

    // Two people with one address: the inviter is asked which.
    for given in ["Alex", "Alexandra"] {
        head.create_person(
            school,
            &CreatePerson {
                given_name: given.into(),
                family_name: "Moss".into(),
                email: Some("moss@oakfield.example".into()),
                staff_role: StaffRole::Teacher,
                mis_id: None,
            },
        )
        .await
        .unwrap();
    }
    let p =
        problem(head.create_invitation(&invite("moss@oakfield.example", Role::Participant, None, Some(school))).await);
    assert_eq!((p.status, p.code.as_str()), (422, "ambiguous_person"));
    assert_eq!(p.errors[0].field, "person_id");
    // A person who has an account cannot be given a second one.
    let mut again = invite("someone.else@oakfield.example", Role::Participant, None, Some(school));
    again.person_id = Some(omar.person_id);
    assert_eq!(code(head.create_invitation(&again).await), (422, "person_has_account".into()));
}

/// Item 1 of issue 29: a coach invited by a facilitator works for the provider, not a school; on
/// accepting they become a person of the provider, are listed among the cohort's coaches and can
/// be named on an enrolment.
async fn an_invited_coach_belongs_to_the_provider_and_can_be_named(backend: Backend) {
    let sink = SmtpSink::start();
    let s = TestServer::start_mailing(backend, &sink.url(), None);
    let facilitator = s.login("facilitator").await;
    let provider = provider_id(&facilitator).await;
    let mut body = invite("dana.coach@institute.example", Role::Coach, Some(provider), None);
    body.display_name = "Dana van der Berg".into();
    facilitator.create_invitation(&body).await.unwrap();
    let dana = accept_from_mail(&s, &sink, "dana.coach@institute.example").await;
    let me = me_user(dana.get_me().await.unwrap());
    let person = me.person_id.expect("the coach is a person of the provider");
    assert_eq!((me.role, me.organisation_id), (Role::Coach, Some(provider)));

    let cohort = demo_cohort(&facilitator).await;
    let coaches = facilitator.list_coaches(cohort.id).await.unwrap().items;
    assert!(coaches.iter().any(|c| c.person_id == person && c.name == "Dana van der Berg"), "{coaches:?}");
    let nadia =
        all_enrolments(&facilitator, cohort.id).await.into_iter().find(|e| e.person_name == "Nadia Petrova").unwrap();
    let named = facilitator
        .update_coach(nadia.id, &AssignCoach { coach_person_id: person, supporting_statement: None })
        .await
        .unwrap();
    assert_eq!(named.coach_person_id, Some(person));
    // The coach now sees their coachee.
    let theirs = all_enrolments(&dana, cohort.id).await;
    assert_eq!(theirs.iter().map(|e| e.id).collect::<Vec<_>>(), vec![nadia.id]);
    // A provider's person is no school's member of staff: nobody can nominate them.
    let head = s.login("head.a").await;
    let p = problem(head.create_enrolment(cohort.id, person).await);
    assert_eq!((p.status, p.code.as_str()), (422, "unknown_person"));
}
