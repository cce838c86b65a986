//! Schools, people, hubs and term dates: who may see and change what.

use serde_json::json;
use trellis_e2e::{Backend, TestServer, on_both_backends};
use trellis_wire::*;
use uuid::Uuid;

use crate::support::*;

on_both_backends!(
    school_lead_cannot_read_or_change_another_schools_data,
    term_calendar_changes_by_callers_who_may_only_read_are_forbidden,
    a_schools_hub_belongs_to_its_own_trust,
    the_staff_roster_is_kept_by_hand,
);

async fn school_lead_cannot_read_or_change_another_schools_data(backend: Backend) {
    let s = TestServer::start(backend);
    let head_a = s.login("head.a").await;
    let head_b = s.login("head.b").await;
    let school_a = school_id(&head_a).await;
    let school_b = school_id(&head_b).await;

    assert_eq!(code(head_b.get_school(school_a).await), (404, "not_found".into()));
    assert_eq!(code(head_b.list_people(school_a, &ListParams::default()).await), (404, "not_found".into()));
    let a_person = head_a.list_people(school_a, &ListParams::default()).await.unwrap().items.remove(0);
    assert_eq!(code(head_b.get_person(a_person.id).await), (404, "not_found".into()));
    let newcomer = CreatePerson {
        given_name: "X".into(),
        family_name: "Y".into(),
        email: None,
        staff_role: StaffRole::Teacher,
        mis_id: None,
    };
    assert_eq!(code(head_b.create_person(school_a, &newcomer).await), (404, "not_found".into()));

    let schools = head_b.list_schools(&ListParams::default()).await.unwrap();
    assert_eq!(schools.items.iter().map(|s| s.id).collect::<Vec<_>>(), vec![school_b]);

    let cohort = demo_cohort(&head_b).await;
    let mine = all_enrolments(&head_b, cohort.id).await;
    assert!(!mine.is_empty() && mine.iter().all(|e| e.school_id == school_b));
    let theirs = all_enrolments(&head_a, cohort.id).await;
    let target = theirs.iter().find(|e| e.status == EnrolmentStatus::Active).expect("an active enrolment at A");
    assert_eq!(code(head_b.get_enrolment(target.id).await), (404, "not_found".into()));
    assert_eq!(
        code(head_b.withdraw_enrolment(target.id, WithdrawalReasonKind::Workload, None).await),
        (404, "not_found".into())
    );
    assert_eq!(code(head_b.transition(target.id, TransitionKind::Defer).await), (404, "not_found".into()));
    // Nominating another school's person does not even confirm they exist.
    assert_eq!(code(head_b.create_enrolment(cohort.id, a_person.id).await), (422, "unknown_person".into()));
    // Nothing changed.
    assert_eq!(head_a.get_enrolment(target.id).await.unwrap().status, EnrolmentStatus::Active);

    // The trust admin sees all four schools; a made-up id is simply not found.
    let trust = s.login("trust").await;
    assert_eq!(trust.list_schools(&ListParams::default()).await.unwrap().items.len(), 4);
    assert_eq!(code(trust.get_school(Uuid::now_v7()).await), (404, "not_found".into()));
}

async fn term_calendar_changes_by_callers_who_may_only_read_are_forbidden(backend: Backend) {
    let s = TestServer::start(backend);
    let trust = s.login("trust").await;
    let Me::User(me) = trust.get_me().await.unwrap() else { panic!() };
    let trust_id = me.organisation_id.unwrap();
    let org_path = format!("/organisations/{trust_id}");
    let before = trust.get::<Organisation>(&org_path).await.unwrap().term_calendar;
    let calendar: TermCalendar = serde_json::from_value(json!({"overrides": [
        {"name": "autumn", "starts": "2027-09-01", "ends": "2027-12-17"}
    ]}))
    .unwrap();
    // Everyone signed in may read the trust; only its admins may set its terms.
    for who in ["head.a", "participant.a", "facilitator", "coach", "assessor"] {
        let c = s.login(who).await;
        c.get::<Organisation>(&org_path).await.unwrap_or_else(|e| panic!("{who} reads the trust: {e}"));
        assert_eq!(code(c.update_term_calendar(trust_id, &calendar).await), (403, "forbidden".into()), "{who}");
    }
    // So may a machine client with progress:read; one without cannot see organisations at all.
    let mis = s.mis().await;
    mis.get::<Organisation>(&org_path).await.unwrap();
    assert_eq!(code(mis.update_term_calendar(trust_id, &calendar).await), (403, "forbidden".into()));
    let anon = s.client();
    let roster_only =
        anon.create_client_token(trellis_e2e::DEMO_CLIENT_ID, trellis_e2e::DEMO_CLIENT_SECRET, Some("roster:write"));
    let roster_only = anon.with_token(roster_only.await.unwrap().access_token);
    assert_eq!(code(roster_only.get::<Organisation>(&org_path).await), (404, "not_found".into()));
    assert_eq!(code(roster_only.update_term_calendar(trust_id, &calendar).await), (404, "not_found".into()));
    // An organisation that does not exist is not found, whoever asks.
    for c in [&trust, &s.login("head.a").await] {
        assert_eq!(code(c.update_term_calendar(Uuid::now_v7(), &calendar).await), (404, "not_found".into()));
    }
    assert_eq!(trust.get::<Organisation>(&org_path).await.unwrap().term_calendar, before, "nothing changed");
}

async fn a_schools_hub_belongs_to_its_own_trust(backend: Backend) {
    let s = TestServer::start(backend);
    let admin = s.login("admin").await;
    let trust = s.login("trust").await;
    let Me::User(me) = trust.get_me().await.unwrap() else { panic!() };
    let own_trust = me.organisation_id.unwrap();
    let own_hub =
        admin.get::<HubPage>("/hubs").await.unwrap().items.into_iter().find(|h| h.organisation_id == own_trust);
    let own_hub = own_hub.expect("the demo trust's hub").id;
    let org = |name: &str, kind| CreateOrganisation { name: name.into(), kind };
    let other_trust =
        admin.create_organisation(&org("Elmstead Schools Trust", OrganisationKind::Trust)).await.unwrap().id;
    let council =
        admin.create_organisation(&org("Northshire Council", OrganisationKind::LocalAuthority)).await.unwrap().id;
    let hub = |name: &str, organisation_id| CreateHub { name: name.into(), organisation_id, host_school_id: None };
    let other_hub = admin.post::<Hub, _>("/hubs", &hub("Elmstead Hub", other_trust)).await.unwrap().id;
    let council_hub = admin.post::<Hub, _>("/hubs", &hub("Northshire Hub", council)).await.unwrap().id;
    let school = |urn: &str, trust_id: Option<Uuid>, hub_id: Uuid| CreateSchool {
        urn: urn.into(),
        name: "Brookside Primary School".into(),
        phase: SchoolPhase::Primary,
        trust_id,
        hub_id: Some(hub_id),
        latitude: None,
        longitude: None,
    };
    let all = ListParams { limit: Some(200), ..Default::default() };
    let before = admin.list_schools(&all).await.unwrap().items.len();

    let refused = [
        ("trust admin, another trust's hub", &trust, school("150001", Some(own_trust), other_hub)),
        ("trust admin, a council's hub", &trust, school("150002", Some(own_trust), council_hub)),
        ("platform admin, another trust's hub", &admin, school("150003", Some(own_trust), other_hub)),
        ("platform admin, other way round", &admin, school("150004", Some(other_trust), own_hub)),
        ("platform admin, no trust but a trust's hub", &admin, school("150005", None, other_hub)),
    ];
    for (case, who, body) in &refused {
        let err = who.create_school(body).await.unwrap_err();
        let trellis_client::ClientError::Api(p) = err else { panic!("{case}: {err:?}") };
        assert_eq!((p.status, p.code.as_str()), (422, "hub_of_another_trust"), "{case}");
        let fields: Vec<_> = p.errors.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect();
        assert_eq!(fields, [("hub_id", "hub_of_another_trust")], "{case}");
    }
    assert_eq!(admin.list_schools(&all).await.unwrap().items.len(), before, "nothing written");

    // A trust's school in that trust's hub; a school outside any trust in a council's hub.
    let made = trust.create_school(&school("150006", Some(own_trust), own_hub)).await.unwrap();
    assert_eq!(made.hub_id, Some(own_hub));
    admin.create_school(&school("150007", Some(other_trust), other_hub)).await.unwrap();
    admin.create_school(&school("150008", None, council_hub)).await.unwrap();
}

fn person_body(p: &Person) -> CreatePerson {
    CreatePerson {
        given_name: p.given_name.clone(),
        family_name: p.family_name.clone(),
        email: p.email.clone(),
        staff_role: p.staff_role,
        mis_id: p.mis_id.clone(),
    }
}

/// Item 2 of issue 29: a school without an MIS feed keeps its staff list by hand: corrections
/// (If-Match), a leaver with a date (their open enrolments flagged, as a sync does), a move to
/// another school of the trust with enrolments kept. An MIS's fields stay the MIS's. Audited.
async fn the_staff_roster_is_kept_by_hand(backend: Backend) {
    let s = TestServer::start(backend);
    let head_b = s.login("head.b").await;
    let school_b = school_id(&head_b).await;
    let cohort = demo_cohort(&head_b).await;
    let enrolments = all_enrolments(&head_b, cohort.id).await;
    let owen = enrolments.iter().find(|e| e.person_name == "Owen Price").unwrap().clone();
    let nadia = enrolments.iter().find(|e| e.person_name == "Nadia Petrova").unwrap().clone();

    // A correction, based on the version read; a second based on the old version is refused.
    let read = head_b.get_person_versioned(owen.person_id).await.unwrap();
    let mut body = person_body(&read.value);
    body.family_name = "Price-Jones".into();
    body.staff_role = StaffRole::MiddleLeader;
    body.email = Some("O.Price@Riverside.example".into());
    let saved = head_b.update_person_if(owen.person_id, &body, read.etag.as_deref()).await.unwrap();
    assert_eq!(
        (saved.value.family_name.as_str(), saved.value.staff_role, saved.value.email.as_deref()),
        ("Price-Jones", StaffRole::MiddleLeader, Some("o.price@riverside.example"))
    );
    assert_ne!(saved.etag, read.etag);
    let stale = head_b.update_person_if(owen.person_id, &body, read.etag.as_deref()).await;
    assert_eq!(code(stale.map(|v| v.value)), (412, "stale_write".into()));
    assert_eq!(head_b.get_enrolment(owen.id).await.unwrap().person_name, "Owen Price-Jones");

    // Oakfield's MIS sends Priya: her names are the MIS's, and so is her leaving.
    let head_a = s.login("head.a").await;
    let priya = head_a
        .list_people(school_id(&head_a).await, &ListParams { limit: Some(200), ..Default::default() })
        .await
        .unwrap()
        .items
        .into_iter()
        .find(|p| p.given_name == "Priya")
        .unwrap();
    let mut renamed = person_body(&priya);
    renamed.family_name = "Anand-Shah".into();
    let p = problem(head_a.update_person(priya.id, &renamed).await);
    assert_eq!((p.status, p.code.as_str(), p.errors[0].field.as_str()), (422, "owned_by_mis", "family_name"));
    let left = LeavePerson { left_on: chrono::NaiveDate::from_ymd_opt(2026, 12, 18).unwrap() };
    assert_eq!(code(head_a.leave_person(priya.id, &left).await), (409, "owned_by_mis".into()));
    assert_eq!(head_a.get_person(priya.id).await.unwrap().family_name, "Anand");

    // A leaver: the row stays, their open enrolment is flagged for review.
    let gone = head_b.leave_person(nadia.person_id, &left).await.unwrap();
    assert_eq!(gone.left_on, Some(left.left_on));
    assert_eq!(head_b.get_enrolment(nadia.id).await.unwrap().left_school_on, Some(left.left_on));
    assert_eq!(code(head_b.leave_person(nadia.person_id, &left).await), (409, "already_left".into()));

    // A move within the trust, by its admin: the enrolment goes with them.
    let trust = s.login("trust").await;
    let schools = trust.list_schools(&ListParams::default()).await.unwrap().items;
    let hillcrest = schools.iter().find(|x| x.name.starts_with("Hillcrest")).unwrap().id;
    // A head cannot move someone to a school they do not lead.
    assert_eq!(
        code(head_b.move_person(owen.person_id, &MovePerson { school_id: hillcrest }).await),
        (422, "unknown_school".into())
    );
    let moved = trust.move_person(owen.person_id, &MovePerson { school_id: hillcrest }).await.unwrap();
    assert_eq!((moved.school_id, moved.mis_id.as_deref()), (hillcrest, None));
    let enrolment = trust.get_enrolment(owen.id).await.unwrap();
    assert_eq!((enrolment.school_id, enrolment.status), (hillcrest, owen.status));
    assert_eq!(code(head_b.get_person(owen.person_id).await), (404, "not_found".into()));
    // Not to another trust's school.
    let admin = s.login("admin").await;
    let other = admin
        .create_organisation(&CreateOrganisation { name: "Northern Trust".into(), kind: OrganisationKind::Trust })
        .await
        .unwrap();
    let far = admin
        .create_school(&CreateSchool {
            urn: "149999".into(),
            name: "Far School".into(),
            phase: SchoolPhase::Primary,
            trust_id: Some(other.id),
            hub_id: None,
            latitude: None,
            longitude: None,
        })
        .await
        .unwrap();
    assert_eq!(
        code(admin.move_person(owen.person_id, &MovePerson { school_id: far.id }).await),
        (422, "school_of_another_trust".into())
    );

    // The audit trail has each change.
    let events = trust.list_audit_events(&ListParams { limit: Some(200), ..Default::default() }).await.unwrap();
    let actions: Vec<&str> = events.items.iter().map(|e| e.action.as_str()).collect();
    for a in ["person.updated", "person.left", "person.moved"] {
        assert!(actions.contains(&a), "{a} in {actions:?}");
    }
    let _ = school_b;
}
