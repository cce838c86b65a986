//! Coaching: private notes and one coach per school.

use trellis_e2e::{Backend, TestServer, on_both_backends};
use trellis_wire::*;

use crate::support::*;

on_both_backends!(coaching_notes_are_private_and_one_coach_per_school_is_enforced,);

async fn coaching_notes_are_private_and_one_coach_per_school_is_enforced(backend: Backend) {
    let s = TestServer::start(backend);
    let fac = s.login("facilitator").await;
    let cohort = demo_cohort(&fac).await;
    let part_a = s.login("participant.a").await;
    let mine = enrolments(&part_a, cohort.id).await.remove(0);
    let coach = s.login("coach").await;
    let log = CreateCoachingSession {
        held_on: "2026-10-05".parse().unwrap(),
        minutes: 60,
        mode: CoachingMode::FaceToFace,
        focus: "Difficult conversations".into(),
        notes: Some("Rehearsed the conversation with the Year 4 team about marking.".into()),
    };
    let seeded = coach.list_coaching_sessions(mine.id).await.unwrap().items.len();
    let logged = coach.create_coaching_session(mine.id, &log).await.unwrap();
    assert_eq!(logged.notes.as_deref(), log.notes.as_deref());
    // Only the coach logs sessions.
    assert_eq!(problem(part_a.create_coaching_session(mine.id, &log).await).status, 403);
    assert_eq!(problem(fac.create_coaching_session(mine.id, &log).await).status, 403);

    for (who, private) in
        [("coach", true), ("participant.a", true), ("head.a", false), ("trust", false), ("facilitator", false)]
    {
        let c = s.login(who).await;
        let list = c.list_coaching_sessions(mine.id).await.unwrap();
        assert_eq!(list.items.len(), seeded + 1, "{who} sees that the sessions happened");
        let item = list.items.iter().find(|i| i.id == logged.id).unwrap();
        assert_eq!(item.notes.is_some(), private, "{who}: notes");
        assert_eq!(item.focus.is_some(), private, "{who}: focus");
        // Never leaked anywhere in the body either, for any session.
        let raw = serde_json::to_string(&list).unwrap();
        assert_eq!(raw.contains("Year 4 team"), private, "{who}: raw body");
        assert!(private || list.items.iter().all(|i| i.notes.is_none() && i.focus.is_none()), "{who}");
    }
    assert_eq!(problem(s.login("head.b").await.list_coaching_sessions(mine.id).await).status, 404);
    // Not even a platform admin reads coaching notes.
    let admin_view = s.login("admin").await.list_coaching_sessions(mine.id).await.unwrap();
    assert!(admin_view.items.iter().all(|i| i.notes.is_none() && i.focus.is_none()));
    let future = CreateCoachingSession { held_on: "2099-01-01".parse().unwrap(), ..log.clone() };
    assert_eq!(problem(coach.create_coaching_session(mine.id, &future).await).errors[0].code, "in_future");

    // Leadership for Learning offers coaching to one leader per school.
    let Me::User(me) = fac.get_me().await.unwrap() else { panic!() };
    let lfl = fac
        .create_programme(&CreateProgramme {
            name: "LfL".into(),
            provider_id: me.organisation_id.unwrap(),
            preset: Some("leadership-for-learning".into()),
            definition: None,
        })
        .await
        .unwrap();
    let lfl_cohort = fac
        .create_cohort(&CreateCohort {
            programme_id: lfl.id,
            name: "LfL 2026".into(),
            induction_date: "2026-09-20".parse().unwrap(),
            start_date: "2026-09-20".parse().unwrap(),
            end_date: "2027-07-15".parse().unwrap(),
            hub_id: None,
            host_school_id: None,
            facilitator_ids: vec![],
        })
        .await
        .unwrap();
    let head_a = s.login("head.a").await;
    let Me::User(h) = head_a.get_me().await.unwrap() else { panic!() };
    let staff = head_a.list_people(h.school_id.unwrap(), &ListParams::default()).await.unwrap().items;
    let first = head_a.create_enrolment(lfl_cohort.id, staff[0].id).await.unwrap();
    let second = head_a.create_enrolment(lfl_cohort.id, staff[1].id).await.unwrap();
    let Me::User(c) = coach.get_me().await.unwrap() else { panic!() };
    let assign = AssignCoach {
        coach_person_id: c.person_id.unwrap(),
        supporting_statement: Some("I will coach this leader.".into()),
    };
    let coached = head_a.update_coach(first.id, &assign).await.unwrap();
    assert_eq!(coached.coach_person_id, c.person_id);
    // Only someone who signs in as a coach can be named coach: not the head, not the participant.
    let head_as_coach = AssignCoach { coach_person_id: h.person_id.unwrap(), supporting_statement: None };
    assert_eq!(problem(head_a.update_coach(first.id, &head_as_coach).await).code, "not_a_coach");
    let self_coach = AssignCoach { coach_person_id: staff[0].id, supporting_statement: None };
    assert_eq!(problem(head_a.update_coach(first.id, &self_coach).await).code, "not_a_coach");
    let p = problem(head_a.update_coach(second.id, &assign).await);
    assert_eq!((p.status, p.code.as_str()), (409, "one_coach_per_school"));
    // Re-assigning the same enrolment's coach is not a second coached enrolment.
    head_a.update_coach(first.id, &assign).await.unwrap();
    // Counts feed progress: 1 of 4 face-to-face sessions.
    coach
        .create_coaching_session(
            first.id,
            &CreateCoachingSession { held_on: "2026-10-10".parse().unwrap(), ..log.clone() },
        )
        .await
        .unwrap();
    coach
        .create_coaching_session(
            first.id,
            &CreateCoachingSession { held_on: "2026-10-20".parse().unwrap(), mode: CoachingMode::Phone, ..log },
        )
        .await
        .unwrap();
    let r = requirement(&fac, first.id, "coaching.sessions", "2026-12-01").await;
    assert_eq!(r.explanation, "1 of 4 face to face coaching sessions held");
}
