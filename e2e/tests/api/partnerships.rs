//! School-to-school partnerships (seed 003): the demo round, posting a need, matching a colleague
//! from another school (never their own), visits, findings presented and acknowledged, and a
//! postponement that tells everyone affected and stops new needs until the round restarts.

use chrono::{Duration, Utc};
use trellis_client::Client;
use trellis_e2e::{Backend, TestServer, on_both_backends};
use trellis_wire::*;
use uuid::Uuid;

use crate::support::*;

on_both_backends!(
    the_demo_round_has_needs_from_four_schools_two_matches_and_a_finished_write_up,
    a_colleague_from_another_school_is_matched_visits_and_the_host_acknowledges_the_findings,
    postponing_a_round_tells_everyone_affected_and_stops_new_needs_until_it_restarts,
);

async fn demo_round(c: &Client) -> PartnershipRound {
    let rounds = c.list_partnership_rounds().await.unwrap().items;
    rounds.into_iter().find(|r| r.name == trellis_api::seed::PARTNERSHIP_ROUND_NAME).expect("the demo round")
}

fn need_body(school: Uuid, area: NeedArea, detail: Option<&str>) -> CreatePartnershipNeed {
    let today = Utc::now().date_naive();
    CreatePartnershipNeed {
        school_id: school,
        area,
        area_detail: detail.map(str::to_owned),
        title: "Reading for pleasure in Year 5".into(),
        description: "Fewer than half of Year 5 read at home. An outside look at our library time and class reading."
            .into(),
        starts_on: today,
        ends_on: today + Duration::days(120),
    }
}

async fn the_demo_round_has_needs_from_four_schools_two_matches_and_a_finished_write_up(backend: Backend) {
    let s = TestServer::start(backend);
    let trust = s.login("trust").await;
    let round = demo_round(&trust).await;
    assert_eq!((round.schools.len(), round.needs, round.matched), (4, 4, 2));
    assert!(round.actions.manage && round.actions.contribute);
    let board = trust.list_partnership_needs(round.id).await.unwrap().items;
    let hosts: std::collections::BTreeSet<Uuid> = board.iter().map(|n| n.school_id).collect();
    assert_eq!(hosts.len(), 4, "a need from each school");
    let done: Vec<_> = board.iter().filter(|n| n.status == NeedStatus::Acknowledged).collect();
    assert_eq!(done.len(), 1);
    let f = done[0].findings.as_ref().expect("the write-up");
    assert!(f.presented_to_governors && f.acknowledged_at.is_some());
    assert!(done[0].visits.len() >= 2 && done[0].visits.iter().all(|v| f.presented_on >= v.visited_on));
    let m = done[0].matched.as_ref().unwrap();
    assert_ne!(m.school_id, done[0].school_id, "the colleague is from another school");
    assert!(m.distance_km.is_some_and(|d| d > 1.0 && d < 50.0), "{m:?}");

    // A school lead sees the board; a participant does not, but the matched colleague sees theirs.
    let head_a = s.login("head.a").await;
    assert_eq!(head_a.list_partnership_needs(round.id).await.unwrap().items.len(), 4);
    let priya = s.login("participant.a").await;
    assert!(priya.list_partnership_rounds().await.unwrap().items.is_empty());
    assert_eq!(code(priya.get_partnership_round(round.id).await), (404, "not_found".into()));
    assert_eq!(code(priya.get_partnership_need(done[0].id).await), (404, "not_found".into()));
    let nadia = s.login("partner.b").await;
    let mine = nadia.list_my_partnership_needs().await.unwrap().items;
    assert_eq!(mine.iter().map(|n| n.id).collect::<Vec<_>>(), [done[0].id]);
    assert!(!mine[0].actions.report, "an acknowledged write-up stands");
    let mis = s.mis().await;
    assert!(mis.list_partnership_rounds().await.unwrap().items.is_empty());
}

async fn a_colleague_from_another_school_is_matched_visits_and_the_host_acknowledges_the_findings(backend: Backend) {
    let s = TestServer::start(backend);
    let trust = s.login("trust").await;
    let round = demo_round(&trust).await;
    let head_a = s.login("head.a").await;
    let head_b = s.login("head.b").await;
    let (a, b) = (school_id(&head_a).await, school_id(&head_b).await);

    // Posting: the domain's checks, the caller's own school only.
    let bad = head_a.create_partnership_need(round.id, &need_body(a, NeedArea::CurriculumReview, None)).await;
    assert_eq!(code(bad), (422, "area_detail_required".into()));
    let mut reversed = need_body(a, NeedArea::HomeworkProvision, None);
    reversed.ends_on = reversed.starts_on - Duration::days(1);
    assert_eq!(code(head_a.create_partnership_need(round.id, &reversed).await), (422, "invalid_time_frame".into()));
    let theirs = head_a.create_partnership_need(round.id, &need_body(b, NeedArea::HomeworkProvision, None)).await;
    assert_eq!(code(theirs), (403, "forbidden".into()));
    let need = head_a
        .create_partnership_need(round.id, &need_body(a, NeedArea::CurriculumReview, Some("Year 5 reading")))
        .await
        .unwrap();
    assert_eq!(
        (need.status, need.school_id, need.area_detail.as_deref()),
        (NeedStatus::Open, a, Some("Year 5 reading"))
    );
    assert!(need.actions.manage && !need.actions.contribute, "A does not match its own need");

    // Suggestions for school B's lead: B's staff only, nearest first; Ben offers the area.
    let ben_person = match s.login("participant.b").await.get_me().await.unwrap() {
        Me::User(u) => u.person_id.unwrap(),
        Me::Client(_) => unreachable!(),
    };
    let ben = s.login("participant.b").await;
    let offer = ben
        .update_partnership_offer(round.id, ben_person, &PartnershipOffer { areas: vec![NeedArea::CurriculumReview] })
        .await
        .unwrap();
    assert_eq!(offer.areas, [NeedArea::CurriculumReview]);
    let suggested = head_b.list_partnership_suggestions(need.id).await.unwrap().items;
    assert!(!suggested.is_empty() && suggested.iter().all(|c| c.school_id == b), "{suggested:?}");
    assert_eq!(suggested[0].person_id, ben_person, "the one who offered the area comes first");
    assert!(suggested[0].offers_area && suggested[0].distance_km.is_some());
    assert!(head_a.list_partnership_suggestions(need.id).await.unwrap().items.is_empty());

    // Matching: never one's own school; only one's own staff; once.
    let priya_person = match s.login("participant.a").await.get_me().await.unwrap() {
        Me::User(u) => u.person_id.unwrap(),
        Me::Client(_) => unreachable!(),
    };
    assert_eq!(code(head_a.create_partnership_match(need.id, priya_person).await), (422, "same_school_match".into()));
    assert_eq!(code(head_a.create_partnership_match(need.id, ben_person).await), (403, "forbidden".into()));
    assert_eq!(
        code(head_b.create_partnership_match(need.id, Uuid::now_v7()).await),
        (422, "not_staff_of_school".into())
    );
    let matched = head_b.create_partnership_match(need.id, ben_person).await.unwrap();
    assert_eq!(matched.status, NeedStatus::Matched);
    assert_eq!(matched.matched.as_ref().map(|m| (m.person_id, m.school_id)), Some((ben_person, b)));
    assert_eq!(code(head_b.create_partnership_match(need.id, ben_person).await), (409, "already_matched".into()));

    // The colleague visits and writes up; the findings come after a visit.
    let mine = ben.list_my_partnership_needs().await.unwrap().items;
    assert!(mine.iter().any(|n| n.id == need.id && n.actions.report));
    let today = Utc::now().date_naive();
    let empty = CreatePartnershipVisit { visited_on: today, data_collection: vec![], notes: String::new() };
    assert_eq!(code(ben.create_partnership_visit(need.id, &empty).await).0, 422);
    let write = |on| WritePartnershipFindings {
        findings: "Library time is given over to quiet work; few pupils choose books.".into(),
        action_plan: "Weekly class read-aloud; pupils choose the class library's new stock.".into(),
        presented_on: on,
        presented_to_governors: false,
    };
    assert_eq!(
        code(ben.update_partnership_findings(need.id, &write(today)).await),
        (422, "presented_before_visit".into())
    );
    let visit = CreatePartnershipVisit {
        visited_on: today,
        data_collection: vec![DataCollection::LessonObservation, DataCollection::PupilInterview],
        notes: "Two Year 5 lessons; a pupil panel of eight.".into(),
    };
    let visited = ben.create_partnership_visit(need.id, &visit).await.unwrap();
    assert_eq!(visited.visits.len(), 1);
    assert_eq!(visited.visits[0].data_collection, [DataCollection::LessonObservation, DataCollection::PupilInterview]);
    let early = write(today - Duration::days(1));
    assert_eq!(code(ben.update_partnership_findings(need.id, &early).await), (422, "presented_before_visit".into()));
    let future = CreatePartnershipVisit { visited_on: today + Duration::days(3), ..visit.clone() };
    assert_eq!(code(ben.create_partnership_visit(need.id, &future).await), (422, "in_future".into()));
    let reported = ben.update_partnership_findings(need.id, &write(today)).await.unwrap();
    assert_eq!(reported.status, NeedStatus::Reported);

    // The host acknowledges; the colleague's school cannot; then the write-up stands.
    assert_eq!(code(head_b.acknowledge_partnership_findings(need.id).await), (403, "forbidden".into()));
    let done = head_a.acknowledge_partnership_findings(need.id).await.unwrap();
    assert_eq!(done.status, NeedStatus::Acknowledged);
    assert!(done.findings.unwrap().acknowledged_at.is_some());
    assert_eq!(
        code(ben.update_partnership_findings(need.id, &write(today)).await),
        (409, "findings_acknowledged".into())
    );
    // A stranger to the round cannot see or touch the need.
    let priya = s.login("participant.a").await;
    assert_eq!(code(priya.create_partnership_visit(need.id, &visit).await), (404, "not_found".into()));
}

async fn postponing_a_round_tells_everyone_affected_and_stops_new_needs_until_it_restarts(backend: Backend) {
    let s = TestServer::start(backend);
    let trust = s.login("trust").await;
    let round = demo_round(&trust).await;
    let head_a = s.login("head.a").await;
    let a = school_id(&head_a).await;
    let today = Utc::now().date_naive();
    let body = |on| PostponePartnershipRound { restart_on: on, reason: "Schools are closed to visitors".into() };
    assert_eq!(
        code(head_a.postpone_partnership_round(round.id, &body(today + Duration::days(200))).await),
        (403, "forbidden".into())
    );
    assert_eq!(code(trust.postpone_partnership_round(round.id, &body(today)).await), (422, "restart_in_past".into()));

    let restart = today + Duration::days(200);
    let notice = trust.postpone_partnership_round(round.id, &body(restart)).await.unwrap();
    assert_eq!((notice.round.status, notice.round.restart_on), (PartnershipRoundStatus::Postponed, Some(restart)));
    // Each participating school's leads (head.a, head.b) and each matched colleague with an account
    // or an email (partner.b).
    let admin = s.login("admin").await;
    let sent: Vec<OutboxMessage> = admin
        .list_outbox(&ListParams { limit: Some(200), ..Default::default() })
        .await
        .unwrap()
        .items
        .into_iter()
        .filter(|m| m.kind == "partnership_postponed")
        .collect();
    let to: std::collections::BTreeSet<&str> = sent.iter().map(|m| m.to.as_str()).collect();
    assert_eq!(notice.recipients as usize, sent.len());
    for who in ["head.a@trellis.test", "head.b@trellis.test", "partner.b@trellis.test"] {
        assert!(to.contains(who), "{who} is told: {to:?}");
    }
    let on = restart.format("%-d %B %Y").to_string();
    assert!(
        sent.iter().all(|m| m.subject.contains(&on) && m.text_body.as_deref().unwrap().contains("closed to visitors"))
    );

    // Nothing new while postponed; the board is not circulated either.
    let posted = head_a.create_partnership_need(round.id, &need_body(a, NeedArea::DigitalTechnology, None)).await;
    assert_eq!(code(posted), (409, "round_postponed".into()));
    assert_eq!(code(trust.circulate_partnership_round(round.id).await), (409, "round_postponed".into()));

    let resumed = trust.resume_partnership_round(round.id).await.unwrap();
    assert_eq!((resumed.round.status, resumed.round.restart_on), (PartnershipRoundStatus::Open, None));
    assert_eq!(resumed.recipients, notice.recipients);
    head_a.create_partnership_need(round.id, &need_body(a, NeedArea::DigitalTechnology, None)).await.unwrap();
    let digest = trust.circulate_partnership_round(round.id).await.unwrap();
    assert!(digest.recipients >= 2 && digest.round.circulated_at.is_some());
    let boards: Vec<OutboxMessage> = admin
        .list_outbox(&ListParams { limit: Some(200), ..Default::default() })
        .await
        .unwrap()
        .items
        .into_iter()
        .filter(|m| m.kind == "partnership_board" && m.to == "head.b@trellis.test")
        .collect();
    let text = boards.last().and_then(|m| m.text_body.clone()).expect("school B's digest");
    assert!(text.contains("Reading for pleasure in Year 5") && text.contains("Digital technology"), "{text}");
}
