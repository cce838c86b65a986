//! Programmes and the rules engine: presets, definitions, progress, term dates.

use serde_json::json;
use trellis_e2e::{Backend, TestServer, on_both_backends};
use trellis_wire::*;

use crate::support::*;

on_both_backends!(
    presets_are_listed_and_create_programmes,
    bad_definitions_are_refused_with_every_fault_at_its_path,
    progress_is_evaluated_per_enrolment_and_per_cohort,
    report_drafts_are_the_participants_own_and_counted_by_the_rules,
    trust_admins_set_their_term_dates,
);

async fn presets_are_listed_and_create_programmes(backend: Backend) {
    let s = TestServer::start(backend);
    let fac = s.login("facilitator").await;
    let presets = fac.list_programme_presets().await.unwrap();
    let keys: Vec<_> = presets.items.iter().map(|p| p.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "leading-active-learning",
            "leadership-for-learning",
            "leadership-through-partnership",
            "npq-middle-leadership",
            "trust-expectations-review"
        ]
    );
    let provider = provider_id(&fac).await;
    let p = fac.create_programme(&create(provider, Some("leading-active-learning"), None)).await.unwrap();
    assert_eq!(p.preset_key.as_deref(), Some("leading-active-learning"));
    assert_eq!(p.definition, presets.items[0].definition);
    assert_eq!(fac.get_programme(p.id).await.unwrap().definition, p.definition, "stored and read back unchanged");

    // A full definition works too: here the NPQML preset with a tighter word limit.
    let mut def = serde_json::to_value(&presets.items[3].definition).unwrap();
    def["assessment"]["word_limit"] = 3000.into();
    let custom = fac.create_programme(&create(provider, None, Some(def))).await.unwrap();
    assert_eq!(custom.preset_key, None);
    assert_eq!(custom.definition.assessment.unwrap().word_limit, Some(3000));

    let unknown = problem(fac.create_programme(&create(provider, Some("npq-headship"), None)).await);
    assert_eq!((unknown.status, unknown.code.as_str()), (422, "unknown_preset"));
    let both = problem(fac.create_programme(&create(provider, Some("leading-active-learning"), Some(json!({})))).await);
    assert_eq!(both.code, "preset_and_definition");
    let neither = problem(fac.create_programme(&create(provider, None, None)).await);
    assert_eq!(neither.code, "definition_required");
    // Head teachers do not create programmes.
    let head = s.login("head.a").await;
    assert_eq!(
        problem(head.create_programme(&create(provider, Some("leading-active-learning"), None)).await).status,
        403
    );
}

async fn bad_definitions_are_refused_with_every_fault_at_its_path(backend: Backend) {
    let s = TestServer::start(backend);
    let fac = s.login("facilitator").await;
    let provider = provider_id(&fac).await;
    let before = fac.list_programmes().await.unwrap().items.len();
    let npqml = serde_json::to_value(&fac.list_programme_presets().await.unwrap().items[3].definition).unwrap();

    let mut contradictory = npqml.clone();
    contradictory["assessment"]["window"] = json!({"from_months": 18, "to_months": 12});
    contradictory["sessions"][0]["min_days"] = json!(6.3);
    contradictory["portfolio"] =
        json!({"reflections": {"on": "cluster_meeting", "count": 2, "led_by_participant_min": 3}});
    let p = problem(fac.create_programme(&create(provider, None, Some(contradictory))).await);
    assert_eq!((p.status, p.code.as_str()), (422, "invalid_definition"));
    let fields: Vec<(&str, &str)> = p.errors.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect();
    assert_eq!(
        fields,
        [
            ("definition.sessions[0].min_days", "not_half_days"),
            ("definition.portfolio.reflections.led_by_participant_min", "exceeds_count"),
            ("definition.assessment.window", "window_reversed"),
        ]
    );

    let mut unknown_kind = npqml.clone();
    unknown_kind["sessions"][0]["kinds"][1] = json!("yoga_retreat");
    let p = problem(fac.create_programme(&create(provider, None, Some(unknown_kind))).await);
    assert_eq!(p.code, "invalid_definition");
    assert_eq!(p.errors[0].field, "definition.sessions[0].kinds[1]");
    assert!(p.errors[0].message.contains("yoga_retreat"), "{}", p.errors[0].message);

    let mut negative = npqml.clone();
    negative["assessment"]["word_limit"] = json!(-4500);
    let p = problem(fac.create_programme(&create(provider, None, Some(negative))).await);
    assert_eq!(p.errors[0].field, "definition.assessment.word_limit");

    let mut extra = npqml;
    extra["certification"]["by_magic"] = json!(true);
    let p = problem(fac.create_programme(&create(provider, None, Some(extra))).await);
    assert_eq!(p.errors[0].field, "definition.certification.by_magic");
    assert!(p.errors[0].message.contains("by_magic"));

    assert_eq!(fac.list_programmes().await.unwrap().items.len(), before, "nothing was written");
}

async fn progress_is_evaluated_per_enrolment_and_per_cohort(backend: Backend) {
    let s = TestServer::start(backend);
    let (part_a, mine) = own_enrolment(&s, "participant.a").await;
    // Before the demo cohort's induction (15 Sep 2026), nothing is due yet.
    let before = ProgressParams { as_of: Some("2026-09-01".parse().unwrap()) };
    let p = part_a.get_enrolment_progress(mine.id, &before).await.unwrap();
    assert_eq!(p.as_of.to_string(), "2026-09-01");
    assert!(!p.progress.certifiable);
    let ids: Vec<&str> = p.progress.requirements.iter().map(|r| r.id.as_str()).collect();
    for id in [
        "sessions.induction.days",
        "coaching.named_coach",
        "diagnostic.baseline",
        "project.started",
        "assessment.submitted",
        "assessment.outcome",
    ] {
        assert!(ids.contains(&id), "{id} missing from {ids:?}");
    }
    let coach = p.progress.requirements.iter().find(|r| r.id == "coaching.named_coach").unwrap();
    assert_eq!(
        (coach.status, coach.explanation.as_str()),
        (RequirementStatus::Met, "Coach named, with a supporting statement")
    );
    assert!(
        p.progress
            .requirements
            .iter()
            .filter(|r| r.id != "coaching.named_coach")
            .all(|r| r.status == RequirementStatus::Pending)
    );
    assert_eq!(p.progress.programme_ends.to_string(), "2027-09-15");

    // After induction, the baseline 360 she closed on 11 September (the demo's) reads met.
    let after = ProgressParams { as_of: Some("2026-10-01".parse().unwrap()) };
    let p = part_a.get_enrolment_progress(mine.id, &after).await.unwrap();
    let baseline = p.progress.requirements.iter().find(|r| r.id == "diagnostic.baseline").unwrap();
    assert_eq!(
        (baseline.status, baseline.due.map(|d| d.to_string()), baseline.explanation.as_str()),
        (RequirementStatus::Met, Some("2026-09-15".into()), "Completed 11 Sep 2026")
    );

    // The cohort view: every enrolment the caller may see, in one response.
    let fac = s.login("facilitator").await;
    let cohort = demo_cohort(&fac).await;
    let all = fac.get_cohort_progress(cohort.id, &after).await.unwrap();
    assert_eq!(all.items.len(), 12);
    let row = all.items.iter().find(|i| i.enrolment_id == mine.id).unwrap();
    let n = |s| p.progress.requirements.iter().filter(|r| r.status == s).count() as u32;
    assert_eq!(
        (row.met, row.pending, row.overdue, row.failed, row.total),
        (
            n(RequirementStatus::Met),
            n(RequirementStatus::Pending),
            n(RequirementStatus::Overdue),
            n(RequirementStatus::Failed),
            p.progress.requirements.len() as u32
        )
    );
    let head_b = s.login("head.b").await;
    let theirs = head_b.get_cohort_progress(cohort.id, &after).await.unwrap();
    assert_eq!(theirs.items.len(), 3, "school B's three enrolments only");
    assert_eq!(part_a.get_cohort_progress(cohort.id, &after).await.unwrap().items.len(), 1);
    // Progress is authorised like the enrolment itself.
    assert_eq!(problem(head_b.get_enrolment_progress(mine.id, &after).await).status, 404);
    let bad = s
        .client()
        .with_token(part_a.token().unwrap())
        .get::<serde_json::Value>(&format!("/enrolments/{}/progress?as_of=yesterday", mine.id))
        .await;
    assert_eq!(problem(bad).code, "invalid_query");
}

async fn report_drafts_are_the_participants_own_and_counted_by_the_rules(backend: Backend) {
    let s = TestServer::start(backend);
    let (part_a, mine) = own_enrolment(&s, "participant.a").await;
    let empty = part_a.get_report_draft(mine.id).await.unwrap();
    assert_eq!((empty.words, empty.word_limit, empty.updated_at.is_none()), (0, Some(4500), true));

    let text = "Our phonics project raised the KS1 pass rate from 27% to 79% — e.g. through well-being checks.";
    let saved = part_a.update_report_draft(mine.id, text).await.unwrap();
    assert_eq!(saved.words as usize, trellis_domain::rules::word_count(text));
    assert_eq!(saved.words, 16, "the em dash is not a word; e.g. and well-being are one each");
    assert!(!saved.over_limit);
    assert_eq!(part_a.get_report_draft(mine.id).await.unwrap().text, text);

    let long = "word ".repeat(4501);
    let over = part_a.update_report_draft(mine.id, &long).await.unwrap();
    assert_eq!((over.words, over.over_limit), (4501, true), "an over-long draft is saved and flagged");

    // Others may see the enrolment but not the draft; other schools cannot see it at all.
    assert_eq!(problem(s.login("head.a").await.get_report_draft(mine.id).await).status, 403);
    assert_eq!(problem(s.login("facilitator").await.update_report_draft(mine.id, "mine now").await).status, 403);
    assert_eq!(problem(s.login("participant.b").await.get_report_draft(mine.id).await).status, 404);
    assert_eq!(part_a.get_report_draft(mine.id).await.unwrap().words, 4501, "refused writes changed nothing");
}

async fn trust_admins_set_their_term_dates(backend: Backend) {
    let s = TestServer::start(backend);
    let trust = s.login("trust").await;
    let Me::User(me) = trust.get_me().await.unwrap() else { panic!() };
    let trust_id = me.organisation_id.unwrap();
    let term = |name: &str, starts: &str, ends: &str| json!({"name": name, "starts": starts, "ends": ends});
    let good: TermCalendar =
        serde_json::from_value(json!({"overrides": [term("autumn", "2027-09-01", "2027-12-17")]})).unwrap();
    let org = trust.update_term_calendar(trust_id, &good).await.unwrap();
    assert_eq!(org.term_calendar, Some(good));

    let bad: TermCalendar = serde_json::from_value(json!({"overrides": [
        term("autumn", "2027-09-01", "2027-12-17"),
        term("spring", "2027-12-01", "2028-03-26"),
        term("summer", "2028-07-21", "2028-04-12"),
    ]}))
    .unwrap();
    let p = problem(trust.update_term_calendar(trust_id, &bad).await);
    assert_eq!((p.status, p.code.as_str()), (422, "invalid_term_calendar"));
    let fields: Vec<_> = p.errors.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect();
    assert_eq!(fields, [("overrides[1]", "overlap"), ("overrides[2].ends", "ends_before_start")]);

    let provider = provider_id(&trust).await;
    assert_eq!(problem(trust.update_term_calendar(provider, &bad).await).status, 403, "not their organisation");
    assert_eq!(problem(s.login("head.a").await.update_term_calendar(trust_id, &bad).await).status, 403);
    let unknown = serde_json::json!({"overrides": [], "holidays": []});
    let res = trust.put::<serde_json::Value, _>(&format!("/organisations/{trust_id}/term-calendar"), &unknown).await;
    assert_eq!(problem(res).code, "unknown_field");
}
