//! Delivery: sessions, registers, calendar feeds, groups, delta sync.

use trellis_e2e::{Backend, TestServer, on_both_backends};
use trellis_wire::*;
use uuid::Uuid;

use crate::support::*;

on_both_backends!(
    a_sessions_audience_decides_who_sees_it,
    registers_open_when_sessions_start_and_mark_active_participants_only,
    parallel_writes_to_one_session_queue,
    sessions_are_validated_and_only_facilitators_schedule_them,
    registers_move_npqml_days_from_pending_to_met_and_cancelling_stops_counting,
    leading_active_learning_sessions_count_as_registers_are_taken,
    calendar_feeds_show_the_timetable_in_utc_across_the_clock_change,
    learning_groups_show_members_only_to_those_who_may_see_them,
    feed_links_use_the_configured_public_url,
    progress_evidence_brings_enrolments_back_into_a_delta_sync,
);

async fn parallel_writes_to_one_session_queue(backend: Backend) {
    let s = TestServer::start(backend);
    let fac = s.login("facilitator").await;
    let cohort = demo_cohort(&fac).await;
    let session = fac.list_sessions(cohort.id).await.unwrap().items.into_iter().find(|x| x.cancelled_at.is_none());
    let session = session.expect("a session that is not cancelled").id;
    let marked: Vec<Uuid> = all_enrolments(&fac, cohort.id)
        .await
        .into_iter()
        .filter(|e| e.status == EnrolmentStatus::Active)
        .map(|e| e.id)
        .collect();
    assert!(!marked.is_empty());
    // The same register sent ten times at once: each replaces the last whole, none collides.
    let register = Register {
        entries: marked
            .iter()
            .map(|&enrolment_id| RegisterEntry {
                enrolment_id,
                status: AttendanceStatus::Present,
                days: None,
                minutes: None,
            })
            .collect(),
    };
    let registers = at_once(10, |_| {
        let (c, r) = (fac.clone(), register.clone());
        async move { c.update_attendance(session, &r).await }
    })
    .await;
    assert_eq!(registers, vec![(200, String::new()); 10]);
    let stored = fac.get_attendance(session).await.unwrap().items;
    assert_eq!(stored.iter().filter(|m| marked.contains(&m.enrolment_id)).count(), marked.len());

    // Edits racing a cancellation: an edit lands before it or is refused after it, and never
    // brings the cancelled session back.
    let writes = at_once(10, |i| {
        let c = fac.clone();
        async move {
            if i == 5 {
                c.cancel_session(session).await
            } else {
                let edit = UpdateSession { title: Some(format!("Renamed {i}")), ..Default::default() };
                c.update_session(session, &edit).await
            }
        }
    })
    .await;
    assert!(writes.iter().all(|w| w.0 == 200 || *w == (409, "session_cancelled".to_owned())), "{writes:?}");
    assert!(fac.get_session(session).await.unwrap().cancelled_at.is_some(), "the cancellation stands");
}

async fn sessions_are_validated_and_only_facilitators_schedule_them(backend: Backend) {
    let s = TestServer::start(backend);
    let fac = s.login("facilitator").await;
    let cohort = demo_cohort(&fac).await;
    let seeded = fac.list_sessions(cohort.id).await.unwrap().items.len();
    let good = fac
        .create_session_of_cohort(
            cohort.id,
            &session(SessionKind::FaceToFaceDay, "Day 1", "2026-10-24T10:00", "2026-10-24T16:00"),
        )
        .await
        .unwrap();
    assert_eq!(good.starts_at.to_rfc3339(), "2026-10-24T09:00:00+00:00", "10:00 in British Summer Time is 09:00 UTC");
    assert_eq!(good.starts_local, "2026-10-24T10:00:00+01:00");
    assert_eq!(good.audience, SessionAudience::Cohort);

    let fields = |p: Problem| p.errors.into_iter().map(|e| (e.field, e.code)).collect::<Vec<_>>();
    let p = problem(
        fac.create_session_of_cohort(
            cohort.id,
            &session(SessionKind::FaceToFaceDay, "Backwards", "2026-11-02T16:00", "2026-11-02T10:00"),
        )
        .await,
    );
    assert_eq!(fields(p), [("ends_at".to_owned(), "end_before_start".to_owned())]);
    let p = problem(
        fac.create_session_of_cohort(
            cohort.id,
            &session(SessionKind::ClusterMeeting, "Not in NPQML", "2026-11-02T10:00", "2026-11-02T12:00"),
        )
        .await,
    );
    assert_eq!(fields(p), [("kind".to_owned(), "unknown_session_kind".to_owned())]);
    let p = problem(
        fac.create_session_of_cohort(
            cohort.id,
            &session(SessionKind::FaceToFaceDay, "Lost hour", "2027-03-28T01:30", "2027-03-28T16:00"),
        )
        .await,
    );
    assert_eq!(fields(p), [("starts_at".to_owned(), "nonexistent_local_time".to_owned())]);
    let mut led = session(SessionKind::FaceToFaceDay, "Led by a stranger", "2026-11-02T10:00", "2026-11-02T12:00");
    led.led_by_enrolment_id = Some(Uuid::now_v7());
    assert_eq!(
        fields(problem(fac.create_session_of_cohort(cohort.id, &led).await)),
        [("led_by_enrolment_id".to_owned(), "not_in_cohort".to_owned())]
    );
    assert_eq!(
        fac.list_sessions(cohort.id).await.unwrap().items.len(),
        seeded + 1,
        "refused sessions were not written"
    );

    // Schools and participants read the timetable but do not schedule it.
    let head = s.login("head.b").await;
    assert_eq!(head.list_sessions(cohort.id).await.unwrap().items.len(), seeded + 1);
    assert_eq!(
        problem(
            head.create_session_of_cohort(
                cohort.id,
                &session(SessionKind::FaceToFaceDay, "No", "2026-11-02T10:00", "2026-11-02T12:00")
            )
            .await
        )
        .status,
        403
    );
    assert_eq!(problem(head.cancel_session(good.id).await).status, 403);

    let moved = fac
        .update_session(
            good.id,
            &UpdateSession { starts_at: Some("2026-10-24T09:30:00+01:00".into()), ..Default::default() },
        )
        .await
        .unwrap();
    assert_eq!(moved.starts_at.to_rfc3339(), "2026-10-24T08:30:00+00:00");
    let bad = fac
        .update_session(good.id, &UpdateSession { ends_at: Some("2026-10-24T08:00".into()), ..Default::default() })
        .await;
    assert_eq!(problem(bad).errors[0].code, "end_before_start");
    let cancelled = fac.cancel_session(good.id).await.unwrap();
    assert!(cancelled.cancelled_at.is_some());
    assert_eq!(
        problem(fac.update_session(good.id, &UpdateSession { title: Some("x".into()), ..Default::default() }).await)
            .code,
        "session_cancelled"
    );
}

async fn registers_move_npqml_days_from_pending_to_met_and_cancelling_stops_counting(backend: Backend) {
    let s = TestServer::start(backend);
    let fac = s.login("facilitator").await;
    let cohort = demo_cohort(&fac).await;
    // Participant B's place is approved: the demo has no registers for them. Registers mark
    // active participants only, so the facilitator starts their programme first.
    let part_a = s.login("participant.b").await;
    let mine = enrolments(&part_a, cohort.id).await.remove(0);
    let mine = fac.transition(mine.id, TransitionKind::Activate).await.unwrap();
    let others: Vec<Enrolment> = enrolments(&fac, cohort.id)
        .await
        .into_iter()
        .filter(|e| e.id != mine.id && e.status == EnrolmentStatus::Active)
        .collect();
    let nominated =
        enrolments(&fac, cohort.id).await.into_iter().find(|e| e.status == EnrolmentStatus::Nominated).unwrap();
    let as_of = "2026-12-31";
    let days = "sessions.induction.days";
    let r = requirement(&part_a, mine.id, days, as_of).await;
    assert_eq!((r.status, r.explanation.as_str()), (RequirementStatus::Pending, "0 of 6.5 face-to-face days attended"));

    // Induction, five face-to-face days and the school-improvement half-day: 6.5 days.
    let mut timetable = vec![
        fac.create_session_of_cohort(
            cohort.id,
            &session(SessionKind::Induction, "Induction", "2026-09-15T09:00", "2026-09-15T16:00"),
        )
        .await
        .unwrap(),
    ];
    for (i, day) in ["2026-09-29", "2026-10-13", "2026-11-03", "2026-11-17", "2026-12-01"].iter().enumerate() {
        let t = format!("Face-to-face day {}", i + 1);
        timetable.push(
            fac.create_session_of_cohort(
                cohort.id,
                &session(SessionKind::FaceToFaceDay, &t, &format!("{day}T09:00"), &format!("{day}T16:00")),
            )
            .await
            .unwrap(),
        );
    }
    timetable.push(
        fac.create_session_of_cohort(
            cohort.id,
            &session(
                SessionKind::SchoolImprovementHalfDay,
                "School improvement",
                "2026-11-24T13:00",
                "2026-11-24T16:00",
            ),
        )
        .await
        .unwrap(),
    );
    let expected = ["1", "2", "3", "4", "5", "6", "6.5"];
    for (session, want) in timetable.iter().zip(expected) {
        let register = Register {
            entries: vec![mark(mine.id, AttendanceStatus::Present), mark(others[0].id, AttendanceStatus::Apologies)],
        };
        let first = fac.update_attendance(session.id, &register).await.unwrap();
        // The same register again is idempotent.
        let again = fac.update_attendance(session.id, &register).await.unwrap();
        assert_eq!(first.items, again.items);
        assert_eq!(again.items.len(), 2);
        let r = requirement(&part_a, mine.id, days, as_of).await;
        assert_eq!(r.explanation, format!("{want} of 6.5 face-to-face days attended"));
    }
    assert_eq!(requirement(&part_a, mine.id, days, as_of).await.status, RequirementStatus::Met);
    let own = part_a.list_attendance(mine.id).await.unwrap();
    assert_eq!((own.items.len(), own.days_counted), (7, 6.5));

    // A cancelled session keeps its register but stops counting.
    fac.cancel_session(timetable[3].id).await.unwrap();
    let r = requirement(&part_a, mine.id, days, as_of).await;
    assert_eq!(
        (r.status, r.explanation.as_str()),
        (RequirementStatus::Pending, "5.5 of 6.5 face-to-face days attended")
    );
    let own = part_a.list_attendance(mine.id).await.unwrap();
    assert_eq!(own.items.len(), 7);
    assert_eq!(own.items.iter().filter(|m| !m.counted).count(), 1);
    assert_eq!(own.days_counted, 5.5);
    // Half a day credited on a full day, and marks that are not attendance, count as such.
    let fixed = Register { entries: vec![RegisterEntry { days: Some(0.5), ..mark(mine.id, AttendanceStatus::Late) }] };
    fac.update_attendance(timetable[4].id, &fixed).await.unwrap();
    assert_eq!(part_a.list_attendance(mine.id).await.unwrap().days_counted, 5.0, "5.5 − 1 + 0.5");

    // Registers are for the cohort's facilitators, about the cohort's enrolments.
    let stranger = Register { entries: vec![mark(Uuid::now_v7(), AttendanceStatus::Present)] };
    let p = problem(fac.update_attendance(timetable[0].id, &stranger).await);
    assert_eq!((p.status, p.errors[0].code.as_str()), (422, "not_in_cohort"));
    let p = problem(
        fac.update_attendance(
            timetable[0].id,
            &Register { entries: vec![mark(nominated.id, AttendanceStatus::Present)] },
        )
        .await,
    );
    assert_eq!(p.errors[0].code, "enrolment_not_active", "a nomination is not marked in a register");
    let twice =
        Register { entries: vec![mark(mine.id, AttendanceStatus::Present), mark(mine.id, AttendanceStatus::Absent)] };
    assert_eq!(problem(fac.update_attendance(timetable[0].id, &twice).await).errors[0].code, "duplicate");
    assert_eq!(problem(part_a.update_attendance(timetable[0].id, &Register { entries: vec![] }).await).status, 403);
    assert_eq!(problem(part_a.get_attendance(timetable[0].id).await).status, 403, "registers are for facilitators");
    assert_eq!(fac.get_attendance(timetable[0].id).await.unwrap().items.len(), 2);
    assert_eq!(problem(s.login("participant.a").await.list_attendance(mine.id).await).status, 404);
    assert_eq!(part_a.list_attendance(mine.id).await.unwrap().days_counted, 5.0, "refused registers changed nothing");
}

async fn leading_active_learning_sessions_count_as_registers_are_taken(backend: Backend) {
    let s = TestServer::start(backend);
    let fac = s.login("facilitator").await;
    let Me::User(me) = fac.get_me().await.unwrap() else { panic!() };
    let provider = me.organisation_id.unwrap();
    let programme = fac
        .create_programme(&CreateProgramme {
            name: "Leading Active Learning".into(),
            provider_id: provider,
            preset: Some("leading-active-learning".into()),
            definition: None,
        })
        .await
        .unwrap();
    let cohort = fac
        .create_cohort(&CreateCohort {
            programme_id: programme.id,
            name: "LAL 2025–26".into(),
            induction_date: "2025-09-10".parse().unwrap(),
            start_date: "2025-09-10".parse().unwrap(),
            end_date: "2026-07-15".parse().unwrap(),
            hub_id: None,
            host_school_id: None,
            facilitator_ids: vec![me.person_id.unwrap()],
        })
        .await
        .unwrap();
    let Me::User(pa) = s.login("participant.a").await.get_me().await.unwrap() else { panic!() };
    let enrolment = fac.create_enrolment(cohort.id, pa.person_id.unwrap()).await.unwrap();
    // A nomination is approved and the programme started before it appears in registers.
    let enrolment = fac.transition(enrolment.id, TransitionKind::Approve).await.unwrap();
    let enrolment = fac.transition(enrolment.id, TransitionKind::Activate).await.unwrap();
    let as_of = "2026-07-01";
    let study = "sessions.study_session";
    assert_eq!(requirement(&fac, enrolment.id, study, as_of).await.explanation, "0 of 3 study sessions attended");
    for (i, day) in ["2025-10-01", "2026-02-01", "2026-05-01"].iter().enumerate() {
        let t = format!("Study session {}", i + 1);
        let sess = fac
            .create_session_of_cohort(
                cohort.id,
                &session(SessionKind::StudySession, &t, &format!("{day}T09:00"), &format!("{day}T15:00")),
            )
            .await
            .unwrap();
        fac.update_attendance(sess.id, &Register { entries: vec![mark(enrolment.id, AttendanceStatus::Present)] })
            .await
            .unwrap();
        assert_eq!(
            requirement(&fac, enrolment.id, study, as_of).await.explanation,
            format!("{} of 3 study sessions attended", i + 1)
        );
    }
    assert_eq!(requirement(&fac, enrolment.id, study, as_of).await.status, RequirementStatus::Met);
    // Cluster meetings are led by participants: the leader must be enrolled in the cohort.
    let mut cluster = session(SessionKind::ClusterMeeting, "Cluster meeting 1", "2025-10-15T15:45", "2025-10-15T17:00");
    cluster.led_by_enrolment_id = Some(enrolment.id);
    let meeting = fac.create_session_of_cohort(cohort.id, &cluster).await.unwrap();
    fac.update_attendance(meeting.id, &Register { entries: vec![mark(enrolment.id, AttendanceStatus::Late)] })
        .await
        .unwrap();
    assert_eq!(
        requirement(&fac, enrolment.id, "sessions.cluster_meeting", as_of).await.explanation,
        "1 of 6 cluster group meetings attended"
    );
}

async fn calendar_feeds_show_the_timetable_in_utc_across_the_clock_change(backend: Backend) {
    let s = TestServer::start(backend);
    let fac = s.login("facilitator").await;
    let cohort = demo_cohort(&fac).await;
    // UK clocks go back at 02:00 on Sunday 25 October 2026.
    let before = fac
        .create_session_of_cohort(
            cohort.id,
            &session(SessionKind::FaceToFaceDay, "Before", "2026-10-24T10:00", "2026-10-24T16:00"),
        )
        .await
        .unwrap();
    let after = fac
        .create_session_of_cohort(
            cohort.id,
            &session(SessionKind::FaceToFaceDay, "After", "2026-10-26T10:00", "2026-10-26T16:00"),
        )
        .await
        .unwrap();
    let gone = fac
        .create_session_of_cohort(
            cohort.id,
            &session(SessionKind::FaceToFaceDay, "Gone", "2026-11-09T10:00", "2026-11-09T16:00"),
        )
        .await
        .unwrap();
    fac.cancel_session(gone.id).await.unwrap();
    // Text that iCalendar must escape (commas, semicolons, backslashes) and fold (a long line of
    // multi-byte characters) reaches the calendar exactly as written.
    let awkward =
        "Cluster: feedback, marking; \\ reflection — Ysgol Gymraeg Aberystwyth, Ceredigion (Siân, Zoë, 王小明)";
    fac.create_session_of_cohort(
        cohort.id,
        &session(SessionKind::FaceToFaceDay, awkward, "2026-11-16T10:00", "2026-11-16T16:00"),
    )
    .await
    .unwrap();
    assert_eq!(after.starts_at.to_rfc3339(), "2026-10-26T10:00:00+00:00");
    let _ = before;

    let part_a = s.login("participant.a").await;
    let feed = part_a.create_calendar_feed(None).await.unwrap();
    let url = feed.url.clone().unwrap();
    assert!(url.starts_with(&s.base) && url.ends_with(".ics"), "{url}");
    // No bearer token: the URL is the credential.
    let res = reqwest::get(&url).await.unwrap();
    assert_eq!(res.status().as_u16(), 200);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/calendar"));
    let ics = res.text().await.unwrap();
    let evs = events(&ics);
    let strict = strict_summaries(&ics);
    assert_eq!(strict.len(), evs.len());
    assert!(strict.iter().any(|t| t.starts_with(awkward)), "{strict:?}");
    let find = |t: &str| evs.iter().find(|e| e.0.starts_with(t)).unwrap_or_else(|| panic!("no {t} in {evs:?}")).clone();
    assert_eq!(find("Before").1, "20261024T090000Z", "BST: 10:00 local is 09:00 UTC");
    assert_eq!(find("After").1, "20261026T100000Z", "GMT: 10:00 local is 10:00 UTC");
    assert_eq!(find("Gone").2, "CANCELLED");
    assert_eq!(find("Before").2, "CONFIRMED");

    // The participant's feed has their cohort's whole timetable; so has a cohort feed; someone
    // enrolled nowhere gets an empty calendar.
    let timetable = fac.list_sessions(cohort.id).await.unwrap().items.len();
    assert_eq!(evs.len(), timetable);
    let fetch = |url: Option<String>| async move {
        events(&reqwest::get(url.unwrap()).await.unwrap().text().await.unwrap()).len()
    };
    assert_eq!(fetch(fac.create_calendar_feed(Some(cohort.id)).await.unwrap().url).await, timetable);
    assert_eq!(fetch(s.login("participant.b").await.create_calendar_feed(None).await.unwrap().url).await, timetable);
    assert_eq!(fetch(s.login("head.a").await.create_calendar_feed(None).await.unwrap().url).await, 0);

    // Revoked: gone at once; guessed tokens are 404 too; only the owner can revoke.
    assert_eq!(problem(fac.delete_calendar_feed(feed.id).await).status, 404);
    part_a.delete_calendar_feed(feed.id).await.unwrap();
    assert_eq!(reqwest::get(&url).await.unwrap().status().as_u16(), 404);
    assert_eq!(reqwest::get(format!("{}/calendar/guess.ics", s.base)).await.unwrap().status().as_u16(), 404);
}

async fn learning_groups_show_members_only_to_those_who_may_see_them(backend: Backend) {
    let s = TestServer::start(backend);
    let fac = s.login("facilitator").await;
    let cohort = demo_cohort(&fac).await;
    let all = enrolments(&fac, cohort.id).await;
    let part_a = s.login("participant.a").await;
    let mine = enrolments(&part_a, cohort.id).await.remove(0);
    let b_member = all.iter().find(|e| e.school_name == "Riverside Academy").unwrap();
    let other = all.iter().find(|e| e.id != mine.id && e.school_name != "Riverside Academy").unwrap();
    let body = CreateLearningGroup {
        name: "Reading for pleasure".into(),
        kind: LearningGroupKind::ActionLearningSet,
        facilitator_person_id: None,
        member_enrolment_ids: vec![mine.id, b_member.id, other.id],
    };
    let group = fac.create_group(cohort.id, &body).await.unwrap();
    assert_eq!(group.member_enrolment_ids.len(), 3);
    let stray = CreateLearningGroup { member_enrolment_ids: vec![Uuid::now_v7()], ..body.clone() };
    assert_eq!(problem(fac.create_group(cohort.id, &stray).await).errors[0].field, "member_enrolment_ids[0]");
    assert_eq!(problem(s.login("head.a").await.create_group(cohort.id, &body).await).status, 403);

    let find = |list: LearningGroupList| list.items.into_iter().find(|g| g.id == group.id);
    assert_eq!(find(fac.list_groups(cohort.id).await.unwrap()).unwrap().member_enrolment_ids.len(), 3);
    let seen_by_a = find(part_a.list_groups(cohort.id).await.unwrap()).unwrap();
    assert_eq!(seen_by_a.member_enrolment_ids, vec![mine.id], "a participant sees the group and themself");
    let seen_by_head_b = find(s.login("head.b").await.list_groups(cohort.id).await.unwrap()).unwrap();
    assert_eq!(seen_by_head_b.member_enrolment_ids, vec![b_member.id], "a school lead sees only their staff");
    let non_member = s.login("participant.b").await;
    let b_sees = non_member.list_groups(cohort.id).await.unwrap();
    let b_own = enrolments(&non_member, cohort.id).await.remove(0);
    assert!(b_sees.items.iter().all(|g| g.member_enrolment_ids == vec![b_own.id]), "nobody else's membership leaks");
}

async fn feed_links_use_the_configured_public_url(backend: Backend) {
    let s = TestServer::start_public(backend, "https://trellis.example.org");
    let feed = s.login("participant.a").await.create_calendar_feed(None).await.unwrap();
    let url = feed.url.unwrap();
    assert!(url.starts_with("https://trellis.example.org/calendar/") && url.ends_with(".ics"), "{url}");
    // The same token works on the server itself.
    let path = url.trim_start_matches("https://trellis.example.org");
    assert_eq!(reqwest::get(format!("{}{path}", s.base)).await.unwrap().status().as_u16(), 200);
}

/// A register, a coaching log or a timetable change moves progress, so `updated_since` sees the
/// enrolments whose progress it can move — and only those.
async fn progress_evidence_brings_enrolments_back_into_a_delta_sync(backend: Backend) {
    let s = TestServer::start(backend);
    let fac = s.login("facilitator").await;
    let cohort = demo_cohort(&fac).await;
    let all = enrolments(&fac, cohort.id).await;
    let held = fac
        .list_sessions(cohort.id)
        .await
        .unwrap()
        .items
        .into_iter()
        .find(|x| x.starts_at < chrono::Utc::now())
        .unwrap();
    let marked: Vec<&Enrolment> = all.iter().filter(|e| e.status == EnrolmentStatus::Active).take(2).collect();

    let entries = |status: AttendanceStatus| Register {
        entries: marked
            .iter()
            .map(|e| RegisterEntry { enrolment_id: e.id, status, days: None, minutes: None })
            .collect(),
    };
    // A first register: these two absent, and whoever the demo had marked here unmarked.
    fac.update_attendance(held.id, &entries(AttendanceStatus::Absent)).await.unwrap();
    let mark = settle().await;
    assert!(changed_since(&fac, cohort.id, mark).await.is_empty());
    // Absent → present: exactly these two.
    let register = entries(AttendanceStatus::Present);
    fac.update_attendance(held.id, &register).await.unwrap();
    let mut expected: Vec<Uuid> = marked.iter().map(|e| e.id).collect();
    expected.sort();
    assert_eq!(changed_since(&fac, cohort.id, mark).await, expected);

    // The same register again moves nobody's progress.
    let mark = settle().await;
    fac.update_attendance(held.id, &register).await.unwrap();
    assert!(changed_since(&fac, cohort.id, mark).await.is_empty(), "an unchanged register touches nobody");

    // Dropping a mark brings that enrolment back, and only that one.
    let mark = settle().await;
    let fewer = Register { entries: register.entries[..1].to_vec() };
    fac.update_attendance(held.id, &fewer).await.unwrap();
    assert_eq!(changed_since(&fac, cohort.id, mark).await, vec![marked[1].id]);

    // A coaching log: that enrolment alone.
    let part_a = s.login("participant.a").await;
    let mine = enrolments(&part_a, cohort.id).await.remove(0);
    let mark = settle().await;
    let log = CreateCoachingSession {
        held_on: "2026-10-05".parse().unwrap(),
        minutes: 45,
        mode: CoachingMode::Phone,
        focus: "Planning the project".into(),
        notes: None,
    };
    s.login("coach").await.create_coaching_session(mine.id, &log).await.unwrap();
    assert_eq!(changed_since(&fac, cohort.id, mark).await, vec![mine.id]);

    // Cancelling a session: the whole cohort.
    let mark = settle().await;
    fac.cancel_session(held.id).await.unwrap();
    let mut everyone: Vec<Uuid> = all.iter().map(|e| e.id).collect();
    everyone.sort();
    assert_eq!(changed_since(&fac, cohort.id, mark).await, everyone);
}

async fn registers_open_when_sessions_start_and_mark_active_participants_only(backend: Backend) {
    let s = TestServer::start(backend);
    let fac = s.login("facilitator").await;
    let cohort = demo_cohort(&fac).await;
    let all = all_enrolments(&fac, cohort.id).await;
    let by_name = |n: &str| all.iter().find(|e| e.person_name == n).unwrap().id;
    let (priya, lucy, james) = (by_name("Priya Anand"), by_name("Lucy Grant"), by_name("James Okoro"));
    let entry = |enrolment_id, status| RegisterEntry { enrolment_id, status, days: None, minutes: None };
    let sessions = fac.list_sessions(cohort.id).await.unwrap().items;
    let now = chrono::Utc::now();
    // A session still to come: no register yet.
    let future = sessions.iter().find(|x| x.starts_at > now).expect("a session to come");
    let early = Register { entries: vec![entry(priya, AttendanceStatus::Present)] };
    assert_eq!(code(fac.update_attendance(future.id, &early).await), (409, "session_not_started".into()));
    assert!(fac.get_attendance(future.id).await.unwrap().items.is_empty());

    // A session held: the demo marked James Okoro there before he completed.
    let held = sessions.iter().find(|x| x.starts_at < now && x.cancelled_at.is_none()).unwrap();
    let before = fac.get_attendance(held.id).await.unwrap().items;
    let james_mark = before.iter().find(|m| m.enrolment_id == james).expect("the completed enrolment's record").status;
    // Approved is not active: not marked.
    let p = problem(
        fac.update_attendance(
            held.id,
            &Register {
                entries: vec![entry(priya, AttendanceStatus::Present), entry(lucy, AttendanceStatus::Present)],
            },
        )
        .await,
    );
    assert_eq!(
        p.errors.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect::<Vec<_>>(),
        [("entries[1].enrolment_id", "enrolment_not_active")]
    );
    // Nor is a completed enrolment's mark changed…
    let p = problem(
        fac.update_attendance(held.id, &Register { entries: vec![entry(james, AttendanceStatus::Absent)] }).await,
    );
    assert_eq!(p.errors[0].code, "enrolment_not_active");
    // …but it stands when the register leaves it out, and may be sent again as it was.
    let saved = fac
        .update_attendance(held.id, &Register { entries: vec![entry(priya, AttendanceStatus::Absent)] })
        .await
        .unwrap();
    assert_eq!(saved.items.iter().find(|m| m.enrolment_id == james).map(|m| m.status), Some(james_mark));
    let again = Register { entries: vec![entry(priya, AttendanceStatus::Present), entry(james, james_mark)] };
    fac.update_attendance(held.id, &again).await.unwrap();
}

async fn a_sessions_audience_decides_who_sees_it(backend: Backend) {
    let s = TestServer::start(backend);
    let fac = s.login("facilitator").await;
    let cohort = demo_cohort(&fac).await;
    let mut ids = vec![];
    for (title, audience, kind) in [
        ("Cohort day", SessionAudience::Cohort, SessionKind::FaceToFaceDay),
        ("Governors' evening", SessionAudience::OpenToGovernors, SessionKind::ImpactPresentation),
        ("Public seminar", SessionAudience::Public, SessionKind::PublicSeminar),
    ] {
        let mut body = session(kind, title, "2027-02-10T16:00", "2027-02-10T18:00");
        body.audience = Some(audience);
        match fac.create_session_of_cohort(cohort.id, &body).await {
            Ok(made) => ids.push((title, made.id)),
            // A kind the demo programme does not timetable: schedule it as a day.
            Err(_) => {
                body.kind = SessionKind::FaceToFaceDay;
                ids.push((title, fac.create_session_of_cohort(cohort.id, &body).await.unwrap().id));
            }
        }
    }
    let titles = |list: Vec<Session>| {
        let mut t: Vec<String> =
            list.into_iter().map(|x| x.title).filter(|t| ids.iter().any(|(n, _)| n == t)).collect();
        t.sort();
        t
    };
    // A participant of the cohort sees all three.
    let member = s.login("participant.a").await;
    assert_eq!(
        titles(member.list_sessions(cohort.id).await.unwrap().items),
        ["Cohort day", "Governors' evening", "Public seminar"]
    );
    // The provider's assessor has no part in this cohort: the public seminar only, and the
    // others answer as if they did not exist.
    let outsider = s.login("assessor").await;
    let seen = outsider.list_sessions(cohort.id).await.unwrap().items;
    assert!(seen.iter().all(|x| x.audience == SessionAudience::Public), "{seen:?}");
    assert_eq!(titles(seen), ["Public seminar"]);
    assert_eq!(code(outsider.get_session(ids[0].1).await), (404, "not_found".into()));
    outsider.get_session(ids[2].1).await.unwrap();
    // Nor can an outsider subscribe to the cohort's whole timetable.
    assert_eq!(code(outsider.create_calendar_feed(Some(cohort.id)).await), (422, "not_a_member".into()));
    member.create_calendar_feed(Some(cohort.id)).await.unwrap();
    // A governor of a school with staff in the cohort: the governors' evening too. Gwen Harris
    // governs Oakfield Primary; its head invites her (linking the account to her) and she accepts.
    let head = s.login("head.a").await;
    let school = school_id(&head).await;
    let gwen = head.list_people(school, &ListParams { limit: Some(200), ..Default::default() }).await.unwrap().items;
    let gwen = gwen.into_iter().find(|p| p.staff_role == StaffRole::Governor).unwrap();
    let invite = CreateInvitation {
        email: "gwen.harris@oakfield.example".into(),
        display_name: "Gwen Harris".into(),
        role: Role::Participant,
        organisation_id: None,
        school_id: Some(school),
        person_id: Some(gwen.id),
    };
    head.create_invitation(&invite).await.unwrap();
    let outbox = s.login("admin").await.list_outbox(&ListParams::default()).await.unwrap();
    let text = outbox.items.iter().find(|m| m.to == invite.email).unwrap().text_body.clone().unwrap();
    let token = text.split("#token=").nth(1).unwrap().split_whitespace().next().unwrap().to_owned();
    let pair = s.client().accept_invitation(&token, "the governors meet on tuesdays").await.unwrap();
    let governor = s.client().with_token(pair.access_token);
    assert_eq!(
        titles(governor.list_sessions(cohort.id).await.unwrap().items),
        ["Governors' evening", "Public seminar"]
    );
    assert_eq!(code(governor.get_session(ids[0].1).await), (404, "not_found".into()));
}
