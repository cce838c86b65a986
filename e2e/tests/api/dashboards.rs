//! Pull feeds: trust progress across every cohort, its school × programme summary, CPD records,
//! the CSV exports; deltas with tombstones; and a client limited to one school seeing only it.

use std::collections::BTreeSet;

use trellis_client::Client;
use trellis_e2e::{Backend, TestServer, on_both_backends};
use trellis_wire::*;
use uuid::Uuid;

use crate::support::*;

on_both_backends!(
    trust_progress_covers_every_cohort_and_pages_in_a_stable_order,
    a_withdrawal_comes_through_a_delta_as_a_tombstone,
    a_client_limited_to_school_a_never_sees_school_b_in_any_feed,
    a_cpd_record_lists_sessions_coaching_and_certificates_and_a_corrected_register_shows,
    dfe_participants_carry_training_status_with_reasons_and_outcomes_come_in_recorded_order,
);

async fn all_progress(c: &Client, base: &ProgressFeedParams) -> Vec<ProgressItem> {
    let mut out = vec![];
    let mut p = ProgressFeedParams { limit: Some(3), ..base.clone() };
    loop {
        let page = c.list_progress(&p).await.unwrap();
        assert!(page.items.len() <= 3);
        out.extend(page.items);
        match page.next_cursor {
            Some(next) => p.cursor = Some(next),
            None => return out,
        }
    }
}

async fn all_cpd(c: &Client, base: &PeopleFeedParams) -> Vec<CpdRecord> {
    let mut out = vec![];
    let mut p = PeopleFeedParams { limit: Some(2), ..base.clone() };
    loop {
        let page = c.list_cpd_records(&p).await.unwrap();
        out.extend(page.items);
        match page.next_cursor {
            Some(next) => p.cursor = Some(next),
            None => return out,
        }
    }
}

async fn all_participants(c: &Client, base: &PeopleFeedParams) -> Vec<Participant> {
    let mut out = vec![];
    let mut p = PeopleFeedParams { limit: Some(2), ..base.clone() };
    loop {
        let page = c.list_participants(&p).await.unwrap();
        out.extend(page.items);
        match page.next_cursor {
            Some(next) => p.cursor = Some(next),
            None => return out,
        }
    }
}

async fn all_outcomes(c: &Client, base: &PeopleFeedParams) -> Vec<OutcomeRecord> {
    let mut out = vec![];
    let mut p = PeopleFeedParams { limit: Some(1), ..base.clone() };
    loop {
        let page = c.list_participant_outcomes(&p).await.unwrap();
        out.extend(page.items);
        match page.next_cursor {
            Some(next) => p.cursor = Some(next),
            None => return out,
        }
    }
}

fn csv_rows(bytes: &[u8]) -> Vec<csv::StringRecord> {
    let mut r = csv::Reader::from_reader(bytes);
    r.records().map(|r| r.unwrap()).collect()
}

async fn trust_progress_covers_every_cohort_and_pages_in_a_stable_order(backend: Backend) {
    let s = TestServer::start(backend);
    let trust = s.login("trust").await;
    let items = all_progress(&trust, &ProgressFeedParams::default()).await;
    let ids: Vec<Uuid> = items.iter().map(|i| i.enrolment_id).collect();
    let mut sorted = ids.clone();
    sorted.sort_by_key(|u| u.to_string());
    sorted.dedup();
    assert_eq!(ids, sorted, "by id, each once, across pages");

    // The same enrolments, with the same counts, as each cohort's own progress says.
    let cohorts = trust.list_cohorts(&ListParams { limit: Some(200), ..Default::default() }).await.unwrap().items;
    let mut expected = vec![];
    for c in &cohorts {
        let p = trust.get_cohort_progress(c.id, &ProgressParams::default()).await.unwrap();
        expected.extend(p.items.into_iter().map(|e| (e.enrolment_id, e.met, e.total, e.overdue, e.status)));
    }
    expected.sort_by_key(|e| e.0.to_string());
    let got: Vec<_> = items.iter().map(|i| (i.enrolment_id, i.met, i.total, i.overdue, i.status)).collect();
    assert!(expected.len() >= 3, "the demo trust has enrolments in several cohorts");
    assert_eq!(got, expected);
    assert!(cohorts.len() >= 2 && items.iter().map(|i| i.cohort_id).collect::<BTreeSet<_>>().len() >= 2);
    for i in &items {
        assert_eq!(i.overdue as usize, i.overdue_items.len());
        assert!(i.sessions_attended <= i.sessions_marked);
        assert_eq!(i.tombstone, matches!(i.status, EnrolmentStatus::Withdrawn | EnrolmentStatus::Deferred));
    }

    // Filters narrow it; the summary tallies the same enrolments by school and programme.
    let programme = items[0].programme_id;
    let only = all_progress(&trust, &ProgressFeedParams { programme_id: Some(programme), ..Default::default() }).await;
    assert_eq!(only.len(), items.iter().filter(|i| i.programme_id == programme).count());
    let summary = trust.get_progress_summary(&ProgressFeedParams::default()).await.unwrap();
    assert_eq!(summary.totals.enrolments as usize, items.len());
    let live = |i: &&ProgressItem| {
        matches!(i.status, EnrolmentStatus::Nominated | EnrolmentStatus::Approved | EnrolmentStatus::Active)
    };
    let overdue: u32 = items.iter().filter(live).map(|i| i.overdue).sum();
    assert_eq!(summary.totals.overdue_requirements, overdue);
    assert_eq!(summary.totals.live as usize, items.iter().filter(live).count());
    assert_eq!(summary.rows.iter().map(|r| r.tally.enrolments).sum::<u32>(), summary.totals.enrolments);
    let names: Vec<_> = summary.rows.iter().map(|r| (r.school_name.clone(), r.programme_name.clone())).collect();
    let mut sorted_names = names.clone();
    sorted_names.sort();
    assert_eq!(names, sorted_names, "by school, then programme");
    let attended: u32 = items.iter().map(|i| i.sessions_attended).sum();
    assert_eq!(summary.totals.sessions_attended, attended);

    // The CSV exports hold the same rows.
    let csv = trust.export_progress(&ProgressFeedParams::default()).await.unwrap();
    let rows = csv_rows(&csv);
    assert_eq!(rows.len(), items.len());
    assert_eq!(
        rows.iter().map(|r| r[0].to_owned()).collect::<Vec<_>>(),
        ids.iter().map(Uuid::to_string).collect::<Vec<_>>()
    );
    let grid = csv_rows(&trust.export_progress_summary(&ProgressFeedParams::default()).await.unwrap());
    assert_eq!(grid.len(), summary.rows.len() + 1);
    assert_eq!(&grid[grid.len() - 1][0], "Total");
    assert_eq!(grid[grid.len() - 1][2].parse::<u32>().unwrap(), summary.totals.enrolments);

    // Bad input is refused with the field named.
    let bad = trust.list_progress(&ProgressFeedParams { limit: Some(0), ..Default::default() }).await;
    assert_eq!(code(bad), (400, "invalid_limit".into()));
    let bad = trust.list_progress(&ProgressFeedParams { cursor: Some("forged".into()), ..Default::default() }).await;
    assert_eq!(code(bad), (400, "invalid_cursor".into()));
}

async fn a_withdrawal_comes_through_a_delta_as_a_tombstone(backend: Backend) {
    let s = TestServer::start(backend);
    let trust = s.login("trust").await;
    let head = s.login("head.a").await;
    let before = all_progress(&trust, &ProgressFeedParams::default()).await;
    let since = chrono::Utc::now();
    let delta = all_progress(&trust, &ProgressFeedParams { updated_since: Some(since), ..Default::default() }).await;
    assert!(delta.is_empty(), "nothing changed since: {delta:?}");

    let school = school_id(&head).await;
    let victim = before
        .iter()
        .find(|i| {
            i.school_id == school
                && !i.tombstone
                && i.status != EnrolmentStatus::Completed
                && i.status != EnrolmentStatus::Certified
        })
        .expect("a live enrolment at school A");
    head.withdraw_enrolment(victim.enrolment_id, WithdrawalReasonKind::Workload, None).await.unwrap();

    let delta = all_progress(&trust, &ProgressFeedParams { updated_since: Some(since), ..Default::default() }).await;
    assert_eq!(delta.len(), 1, "{delta:?}");
    assert_eq!(
        (delta[0].enrolment_id, delta[0].status, delta[0].tombstone),
        (victim.enrolment_id, EnrolmentStatus::Withdrawn, true)
    );
    // The full feed keeps it, flagged, and the summary counts it as withdrawn, not live.
    let after = all_progress(&trust, &ProgressFeedParams::default()).await;
    assert_eq!(after.len(), before.len());
    let summary = trust.get_progress_summary(&ProgressFeedParams::default()).await.unwrap();
    assert_eq!(
        summary.totals.withdrawn as usize,
        after.iter().filter(|i| i.status == EnrolmentStatus::Withdrawn).count()
    );
    let withdrawn =
        all_progress(&trust, &ProgressFeedParams { status: Some(EnrolmentStatus::Withdrawn), ..Default::default() })
            .await;
    assert!(withdrawn.iter().any(|i| i.enrolment_id == victim.enrolment_id));
    // The CPD feed sends the person's record again.
    let cpd = all_cpd(&trust, &PeopleFeedParams { updated_since: Some(since), ..Default::default() }).await;
    assert_eq!(cpd.iter().map(|r| r.person_id).collect::<Vec<_>>(), [victim.person_id]);
    let programme = cpd[0].programmes.iter().find(|p| p.enrolment_id == victim.enrolment_id).unwrap();
    assert_eq!(programme.status, EnrolmentStatus::Withdrawn);
}

async fn a_client_limited_to_school_a_never_sees_school_b_in_any_feed(backend: Backend) {
    let s = TestServer::start(backend);
    let mis = s.mis().await;
    let a = school_id(&mis).await;
    let trust = s.login("trust").await;
    let everything = all_progress(&trust, &ProgressFeedParams::default()).await;
    let b = everything.iter().map(|i| i.school_id).find(|id| *id != a).expect("another school has enrolments");
    let b_people: BTreeSet<Uuid> = everything.iter().filter(|i| i.school_id != a).map(|i| i.person_id).collect();
    let b_urns: BTreeSet<String> =
        everything.iter().filter(|i| i.school_id != a).map(|i| i.school_urn.clone()).collect();

    let mine = all_progress(&mis, &ProgressFeedParams::default()).await;
    assert!(!mine.is_empty());
    assert!(mine.iter().all(|i| i.school_id == a), "{mine:?}");
    assert_eq!(mine.len(), everything.iter().filter(|i| i.school_id == a).count());
    assert!(all_progress(&mis, &ProgressFeedParams { school_id: Some(b), ..Default::default() }).await.is_empty());
    let summary = mis.get_progress_summary(&ProgressFeedParams::default()).await.unwrap();
    assert!(summary.rows.iter().all(|r| r.school_id == a));
    assert_eq!(summary.totals.enrolments as usize, mine.len());
    let cpd = all_cpd(&mis, &PeopleFeedParams::default()).await;
    assert!(!cpd.is_empty() && cpd.iter().all(|r| r.school_id == a && !b_people.contains(&r.person_id)));
    for export in [
        mis.export_progress(&ProgressFeedParams::default()).await.unwrap(),
        mis.export_progress_summary(&ProgressFeedParams::default()).await.unwrap(),
    ] {
        let text = String::from_utf8(export).unwrap();
        assert!(!b_urns.iter().any(|urn| text.contains(urn.as_str())), "{text}");
        assert!(!b_people.iter().any(|p| text.contains(&p.to_string())));
    }
    for person in &b_people {
        assert_eq!(code(mis.get_cpd_record(*person).await), (404, "not_found".into()));
    }
    // A participant's feeds are their own.
    let priya = s.login("participant.a").await;
    let own = all_progress(&priya, &ProgressFeedParams::default()).await;
    assert!(!own.is_empty() && own.iter().all(|i| i.person_id == own[0].person_id));
    assert_eq!(all_cpd(&priya, &PeopleFeedParams::default()).await.len(), 1);
}

async fn a_cpd_record_lists_sessions_coaching_and_certificates_and_a_corrected_register_shows(backend: Backend) {
    let s = TestServer::start(backend);
    let trust = s.login("trust").await;
    let records = all_cpd(&trust, &PeopleFeedParams::default()).await;
    for r in &records {
        let minutes: u32 = r.activities.iter().map(|a| a.minutes).sum();
        assert!((r.total_hours - f64::from(minutes) / 60.0).abs() < 0.006, "{r:?}");
        assert!(r.activities.windows(2).all(|w| w[0].date >= w[1].date), "newest first");
    }
    // Grace's certificate, with the public link that verifies it.
    let grace = records
        .iter()
        .find(|r| r.programmes.iter().any(|p| !p.certificates.is_empty()))
        .expect("a certified participant");
    let cert = grace.programmes.iter().flat_map(|p| &p.certificates).next().unwrap();
    assert_eq!(cert.status, CertificateStatus::Valid);
    assert_eq!(cert.verify_url, format!("{}/verify/{}", s.base, cert.code));
    // The page is the SPA's; the record behind it is the public API's.
    let public = reqwest::get(format!("{}/api/v1/verify/{}", s.base, cert.code)).await.unwrap();
    assert_eq!(public.status().as_u16(), 200);

    // Priya's record: the demo cohort's sessions she attended, with their time.
    let priya = s.login("participant.a").await;
    let mine = priya.list_my_enrolments().await.unwrap().items;
    let enrolment = mine.iter().find(|m| m.cohort_name == trellis_e2e::DEMO_COHORT_NAME).unwrap().enrolment.id;
    let record = priya
        .get_cpd_record(
            records.iter().find(|r| r.programmes.iter().any(|p| p.enrolment_id == enrolment)).unwrap().person_id,
        )
        .await
        .unwrap();
    let marks = priya.list_attendance(enrolment).await.unwrap();
    let attended: Vec<_> = marks.items.iter().filter(|m| m.counted).collect();
    let sessions: Vec<_> = record
        .activities
        .iter()
        .filter(|a| a.kind == CpdActivityKind::Session && a.enrolment_id == enrolment)
        .collect();
    assert_eq!(sessions.len(), attended.len(), "{record:?}");
    assert!(sessions.iter().all(|a| a.minutes > 0));
    assert!(records.iter().any(|r| r.activities.iter().any(|a| a.kind == CpdActivityKind::Coaching && a.minutes > 0)));

    // The facilitator corrects a register: the CPD delta sends her record again, without it.
    let fac = s.login("facilitator").await;
    let session = attended[0].session_id;
    let register = fac.get_attendance(session).await.unwrap();
    let since = chrono::Utc::now();
    let entries = register
        .items
        .iter()
        .map(|m| RegisterEntry {
            enrolment_id: m.enrolment_id,
            status: if m.enrolment_id == enrolment { AttendanceStatus::Apologies } else { m.status },
            days: None,
            minutes: m.minutes,
        })
        .collect();
    fac.update_attendance(session, &Register { entries }).await.unwrap();
    let delta = all_cpd(&trust, &PeopleFeedParams { updated_since: Some(since), ..Default::default() }).await;
    let again = delta.iter().find(|r| r.person_id == record.person_id).expect("her record in the delta");
    let now_sessions =
        again.activities.iter().filter(|a| a.kind == CpdActivityKind::Session && a.enrolment_id == enrolment).count();
    assert_eq!(now_sessions, sessions.len() - 1);
    assert!(again.total_hours < record.total_hours);
}

async fn dfe_participants_carry_training_status_with_reasons_and_outcomes_come_in_recorded_order(backend: Backend) {
    let s = TestServer::start(backend);
    let trust = s.login("trust").await;
    let progress = all_progress(&trust, &ProgressFeedParams::default()).await;
    let participants = all_participants(&trust, &PeopleFeedParams::default()).await;
    let ids: Vec<String> = participants.iter().map(|p| p.id.to_string()).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(ids, sorted, "by person id, each once, across pages");
    // Every enrolment of the progress feed, under its person, with the DfE's three statuses.
    let mut listed: Vec<(Uuid, Uuid, EnrolmentStatus)> =
        participants.iter().flat_map(|p| p.enrolments.iter().map(move |e| (e.enrolment_id, p.id, e.status))).collect();
    listed.sort_by_key(|e| e.0.to_string());
    let expected: Vec<_> = progress.iter().map(|i| (i.enrolment_id, i.person_id, i.status)).collect();
    assert_eq!(listed, expected);
    for e in participants.iter().flat_map(|p| &p.enrolments) {
        let want = match e.status {
            EnrolmentStatus::Withdrawn => TrainingStatus::Withdrawn,
            EnrolmentStatus::Deferred => TrainingStatus::Deferred,
            _ => TrainingStatus::Active,
        };
        assert_eq!(e.training_status, want);
        assert_eq!(e.withdrawal.is_some(), want == TrainingStatus::Withdrawn, "{e:?}");
        assert_eq!(e.deferral.is_some(), want == TrainingStatus::Deferred, "{e:?}");
        assert!(e.cohort.len() == 4 && e.cohort.parse::<i32>().is_ok(), "{}", e.cohort);
        assert!(!e.course_identifier.is_empty());
    }
    assert!(participants.iter().flat_map(|p| &p.enrolments).any(|e| e.course_identifier == "npq-middle-leadership"));

    // A school lead withdraws one enrolment and defers another: the delta sends both people again,
    // with the reason and the day.
    let head = s.login("head.a").await;
    let school = school_id(&head).await;
    let mut live = progress.iter().filter(|i| {
        i.school_id == school
            && matches!(i.status, EnrolmentStatus::Nominated | EnrolmentStatus::Approved | EnrolmentStatus::Active)
    });
    let (gone, paused) = (live.next().expect("a live enrolment"), live.next().expect("another"));
    let since = chrono::Utc::now();
    assert!(
        all_participants(&trust, &PeopleFeedParams { updated_since: Some(since), ..Default::default() })
            .await
            .is_empty()
    );
    head.withdraw_enrolment(gone.enrolment_id, WithdrawalReasonKind::Other, Some("Moved to a trust in Leeds"))
        .await
        .unwrap();
    head.defer_enrolment(paused.enrolment_id).await.unwrap();
    let delta = all_participants(&trust, &PeopleFeedParams { updated_since: Some(since), ..Default::default() }).await;
    let people: BTreeSet<Uuid> = delta.iter().map(|p| p.id).collect();
    assert_eq!(people, [gone.person_id, paused.person_id].into_iter().collect());
    let find = |id: Uuid| delta.iter().flat_map(|p| &p.enrolments).find(|e| e.enrolment_id == id).unwrap().clone();
    let today = chrono::Utc::now().date_naive();
    let w = find(gone.enrolment_id);
    assert_eq!(w.training_status, TrainingStatus::Withdrawn);
    assert_eq!(
        w.withdrawal,
        Some(ParticipantWithdrawal {
            reason: WithdrawalReasonKind::Other,
            details: Some("Moved to a trust in Leeds".into()),
            date: today
        })
    );
    let d = find(paused.enrolment_id);
    assert_eq!(
        (d.training_status, d.deferral),
        (TrainingStatus::Deferred, Some(ParticipantDeferral { date: today, resumes_to: paused.status }))
    );
    assert_eq!(
        trust.get_participant(gone.person_id).await.unwrap(),
        *delta.iter().find(|p| p.id == gone.person_id).unwrap()
    );

    // Outcomes: the same records as each enrolment's own list, in the order they were recorded;
    // nothing recorded since, nothing in the delta.
    let outcomes = all_outcomes(&trust, &PeopleFeedParams::default()).await;
    assert!(!outcomes.is_empty(), "the demo has a released final assessment");
    let mut per_enrolment = vec![];
    for e in outcomes.iter().map(|o| o.enrolment_id).collect::<BTreeSet<_>>() {
        per_enrolment.extend(trust.list_enrolment_outcomes(e).await.unwrap().items);
    }
    per_enrolment.sort_by_key(|o| o.id.to_string());
    assert_eq!(outcomes, per_enrolment);
    assert!(outcomes.iter().all(|o| participants.iter().any(|p| p.id == o.participant_id)));
    assert!(
        all_outcomes(&trust, &PeopleFeedParams { updated_since: Some(since), ..Default::default() }).await.is_empty()
    );

    // A client limited to school A sees its people only.
    let mis = s.mis().await;
    let a_people: BTreeSet<Uuid> = progress.iter().filter(|i| i.school_id == school).map(|i| i.person_id).collect();
    let mine = all_participants(&mis, &PeopleFeedParams::default()).await;
    assert_eq!(mine.iter().map(|p| p.id).collect::<BTreeSet<_>>(), a_people);
    assert!(
        all_outcomes(&mis, &PeopleFeedParams::default()).await.iter().all(|o| a_people.contains(&o.participant_id))
    );
    let b = progress.iter().find(|i| i.school_id != school).expect("a person at another school").person_id;
    assert_eq!(code(mis.get_participant(b).await), (404, "not_found".into()));
    let bad = mis.list_participants(&PeopleFeedParams { cursor: Some("forged".into()), ..Default::default() }).await;
    assert_eq!(code(bad), (400, "invalid_cursor".into()));
}
