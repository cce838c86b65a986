//! The 360 diagnostic (seeds 001 and 004): rounds opened by the participant, raters nominated by
//! group and emailed a one-time link through the real SMTP sink, answers saved and come back to,
//! submitted once, declined with a reason, links that expire with the round and move with its
//! date, the threshold that pools or shows a group, the report that only the participant and the
//! coach read, reminders sent once, and the rules reading the closed rounds.

use diesel::prelude::*;
use trellis_client::Client;
use trellis_e2e::{Backend, SmtpSink, TestServer, on_both_backends};
use trellis_wire::*;
use uuid::Uuid;

use crate::support::*;

on_both_backends!(
    a_round_is_answered_through_emailed_links_and_reported_without_any_one_rater,
    reminders_go_once_to_raters_who_have_not_answered,
    the_demo_has_a_closed_baseline_with_pooled_groups_and_an_end_round_under_way,
);

fn today() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}

fn all(items: &[DiagnosticItem], score: Option<u32>) -> Answers {
    Answers {
        ratings: items.iter().map(|i| Rating { kind: i.kind, item: i.name.clone(), score }).collect(),
        strengths: String::new(),
        development: String::new(),
    }
}

fn problem(e: &trellis_client::ClientError) -> &Problem {
    match e {
        trellis_client::ClientError::Api(p) => p,
        other => panic!("not a problem: {other}"),
    }
}

fn token_of(link: &str) -> String {
    link.split("#token=").nth(1).unwrap().to_owned()
}

async fn own_enrolment(c: &Client) -> Uuid {
    c.list_my_enrolments().await.unwrap().items.remove(0).enrolment.id
}

fn nominee(group: RaterGroup, name: &str) -> Nominee {
    Nominee { group, name: name.into(), email: format!("{}@raters.example", name.to_lowercase().replace(' ', ".")) }
}

/// The link emailed to a rater, read from the message the SMTP sink received.
async fn link_for(sink: &SmtpSink, s: &TestServer, name: &str) -> String {
    let to = format!("{}@raters.example", name.to_lowercase().replace(' ', "."));
    let mail = sink.wait_for(&to, "asks for your view").await;
    token_of(&mail.link(&format!("{}/rate#token=", s.base)).expect("the rater's link"))
}

async fn submit(c: &Client, token: &str, answers: Answers) -> Result<RaterForm, trellis_client::ClientError> {
    c.submit_rater_answers(&RaterAnswers { token: token.into(), answers }).await
}

async fn a_round_is_answered_through_emailed_links_and_reported_without_any_one_rater(backend: Backend) {
    let sink = SmtpSink::start();
    let s = TestServer::start_mailing(backend, &sink.url(), None);
    let ben = s.login("participant.b").await;
    let enrolment = own_enrolment(&ben).await;
    assert!(ben.list_enrolment_diagnostic_rounds(enrolment).await.unwrap().items.is_empty());

    // Opening: the programme's rounds only, one of each, closing from today to a year ahead.
    let open = |round, closes_on| CreateDiagnosticRound { round, closes_on };
    let closes = today() + chrono::Duration::days(10);
    assert_eq!(
        code(ben.create_diagnostic_round(enrolment, &open(RoundKind::Baseline, today().pred_opt().unwrap())).await),
        (422, "closes_on_out_of_range".into())
    );
    let round = ben.create_diagnostic_round(enrolment, &open(RoundKind::Baseline, closes)).await.unwrap();
    assert_eq!(
        code(ben.create_diagnostic_round(enrolment, &open(RoundKind::Baseline, closes)).await),
        (409, "round_exists".into())
    );
    assert_eq!((round.status, round.items.len(), round.threshold), (RoundStatus::Open, 13, 3));
    assert_eq!(round.items[0].name, "Commitment");
    assert!(round.may_run && round.may_self_review && round.may_read_report);
    let minimums: Vec<(RaterGroup, u32)> = round.groups.iter().map(|g| (g.group, g.minimum)).collect();
    assert!(minimums.contains(&(RaterGroup::LineManager, 1)) && minimums.contains(&(RaterGroup::DirectReport, 2)));

    // Nominations: refusals name each row; nothing is written when one fails.
    let bad = NominateRaters {
        raters: vec![
            nominee(RaterGroup::Peer, "Pat One"),
            nominee(RaterGroup::Peer, "Pat One"),
            nominee(RaterGroup::SelfReview, "Me Myself"),
        ],
    };
    let e = ben.create_diagnostic_raters(round.id, &bad).await.unwrap_err();
    assert_eq!((e.status(), e.code()), (Some(422), Some("duplicate_rater")));
    let fields: Vec<&str> = problem(&e).errors.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, vec!["raters[1].email", "raters[2].group"]);
    assert!(ben.get_diagnostic_round(round.id).await.unwrap().raters.unwrap().is_empty());
    let names = ["Lena Manager", "Pat One", "Pat Two", "Pat Three", "Dee One", "Dee Two", "Dee Three"];
    let groups = [
        RaterGroup::LineManager,
        RaterGroup::Peer,
        RaterGroup::Peer,
        RaterGroup::Peer,
        RaterGroup::DirectReport,
        RaterGroup::DirectReport,
        RaterGroup::DirectReport,
    ];
    let all_raters = NominateRaters { raters: names.iter().zip(groups).map(|(n, g)| nominee(g, n)).collect() };
    let round = ben.create_diagnostic_raters(round.id, &all_raters).await.unwrap();
    assert_eq!(round.raters.as_ref().unwrap().len(), 7);
    let mut links = std::collections::HashMap::new();
    for n in names {
        links.insert(n, link_for(&sink, &s, n).await);
    }
    let mail = sink.wait_for("pat.one@raters.example", "asks for your view").await;
    assert!(mail.text.as_deref().unwrap().contains("Ben"), "the email says who it is about: {:?}", mail.text);

    // A rater opens the link (no account), saves part and comes back to it.
    let anon = s.client();
    let form = anon.open_rater_link(&LinkToken { token: links["Pat One"].clone() }).await.unwrap();
    assert_eq!((form.group, form.status, form.items.len()), (RaterGroup::Peer, RaterStatus::Invited, 13));
    assert!(form.participant_name.starts_with("Ben"), "{}", form.participant_name);
    let mut part = all(&form.items, Some(4));
    part.ratings.truncate(3);
    part.strengths = "Keeps everyone calm.".into();
    let saved = anon
        .save_rater_answers(&RaterAnswers { token: links["Pat One"].clone(), answers: part.clone() })
        .await
        .unwrap();
    assert_eq!(saved.status, RaterStatus::Started);
    let back = anon.open_rater_link(&LinkToken { token: links["Pat One"].clone() }).await.unwrap();
    assert_eq!(back.answers, part, "saved answers come back");
    // Handing in needs every item rated or marked not observed; a score is 1–5.
    assert_eq!(code(submit(&anon, &links["Pat One"], part.clone()).await), (422, "unanswered_items".into()));
    let mut wild = all(&form.items, Some(4));
    wild.ratings[0].score = Some(9);
    assert_eq!(code(submit(&anon, &links["Pat One"], wild).await), (422, "score_out_of_range".into()));
    let mut answers = all(&form.items, Some(4));
    answers.ratings[12].score = None; // not observed
    answers.strengths = "Keeps everyone calm.".into();
    assert_eq!(submit(&anon, &links["Pat One"], answers.clone()).await.unwrap().status, RaterStatus::Answered);
    // Single use: the link is spent, however it is tried.
    assert_eq!(code(submit(&anon, &links["Pat One"], answers.clone()).await), (410, "rater_link_used".into()));
    assert_eq!(
        code(anon.open_rater_link(&LinkToken { token: links["Pat One"].clone() }).await),
        (410, "rater_link_used".into())
    );
    assert_eq!(
        code(anon.open_rater_link(&LinkToken { token: "not-a-link".into() }).await),
        (404, "unknown_rater_link".into())
    );

    // Declining, with a reason the participant sees.
    let declined = anon
        .decline_rater_request(&DeclineRating {
            token: links["Dee Three"].clone(),
            reason: "I joined last week.".into(),
        })
        .await
        .unwrap();
    assert_eq!(declined.status, RaterStatus::Declined);
    let again = DeclineRating { token: links["Dee Three"].clone(), reason: "Again".into() };
    assert_eq!(code(anon.decline_rater_request(&again).await), (410, "rater_link_used".into()));

    // An expired link is refused; moving the round's date moves the links with it.
    {
        use trellis_api::db::schema::{diagnostic_links, diagnostic_raters};
        let mut conn = s.db();
        let dee_two: String = diagnostic_raters::table
            .filter(diagnostic_raters::email.eq("dee.two@raters.example"))
            .select(diagnostic_raters::id)
            .first(&mut conn)
            .unwrap();
        let past = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap().and_hms_opt(0, 0, 0).unwrap();
        diesel::update(diagnostic_links::table.filter(diagnostic_links::rater_id.eq(dee_two)))
            .set(diagnostic_links::expires_at.eq(past))
            .execute(&mut conn)
            .unwrap();
    }
    assert_eq!(
        code(anon.open_rater_link(&LinkToken { token: links["Dee Two"].clone() }).await),
        (410, "rater_link_expired".into())
    );

    // Others answer: the line manager, a second peer, one direct report.
    for (who, score) in [("Lena Manager", 3), ("Pat Two", 2), ("Dee One", 5)] {
        let mut a = all(&form.items, Some(score));
        a.strengths = format!("{who} wrote this.");
        submit(&anon, &links[who], a).await.unwrap();
    }

    // Closing needs the self-review and each group's minimum; each shortfall is named.
    let e = ben.close_diagnostic_round(round.id).await.unwrap_err();
    assert_eq!((e.status(), e.code()), (Some(422), Some("self_review_missing")));
    let fields: Vec<&str> = problem(&e).errors.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, vec!["self_review", "raters.direct_report"]);
    let summary = ben.get_diagnostic_round(round.id).await.unwrap();
    let dr = summary.groups.iter().find(|g| g.group == RaterGroup::DirectReport).unwrap();
    assert_eq!((dr.nominated, dr.answered, dr.declined, dr.minimum), (3, 1, 1, 2));
    let dee3 = summary.raters.unwrap().into_iter().find(|r| r.name == "Dee Three").unwrap();
    assert_eq!((dee3.status, dee3.decline_reason.as_deref()), (RaterStatus::Declined, Some("I joined last week.")));
    assert_eq!(code(s.client().get_diagnostic_report(enrolment).await), (401, "unauthenticated".into()));
    assert_eq!(code(ben.get_diagnostic_report(enrolment).await), (409, "no_closed_round".into()));

    let later = today() + chrono::Duration::days(20);
    let moved = ben.update_diagnostic_round(round.id, &UpdateDiagnosticRound { closes_on: later }).await.unwrap();
    assert_eq!(moved.closes_on, later);
    let mut a = all(&form.items, Some(5));
    a.strengths = "Dee Two wrote this.".into();
    submit(&anon, &links["Dee Two"], a).await.expect("the moved date revives the link");

    // The self-review: a draft, then handed in once.
    let items = ben.get_diagnostic_self_review(round.id).await.unwrap().items;
    let mut own = all(&items, Some(3));
    own.strengths = "Planning.".into();
    let draft =
        ben.update_diagnostic_self_review(round.id, &SaveSelfReview { answers: own.clone(), submit: false }).await;
    assert_eq!(draft.unwrap().status, SelfReviewStatus::Draft);
    let done =
        ben.update_diagnostic_self_review(round.id, &SaveSelfReview { answers: own.clone(), submit: true }).await;
    assert_eq!(done.unwrap().status, SelfReviewStatus::Submitted);
    let again = SaveSelfReview { answers: own, submit: true };
    assert_eq!(code(ben.update_diagnostic_self_review(round.id, &again).await), (409, "self_review_submitted".into()));

    // Who sees what before it closes: the school lead and facilitator see completion; only the
    // participant writes the self-review; strangers see nothing.
    let head = s.login("head.b").await;
    let seen = head.get_diagnostic_round(round.id).await.unwrap();
    assert!(seen.raters.is_none() && !seen.may_run && !seen.may_read_report);
    assert_eq!(code(head.get_diagnostic_self_review(round.id).await), (403, "forbidden".into()));
    let fac = s.login("facilitator").await;
    assert!(fac.get_diagnostic_round(round.id).await.unwrap().raters.is_some());
    let priya = s.login("participant.a").await;
    assert_eq!(code(priya.get_diagnostic_round(round.id).await), (404, "not_found".into()));

    let closed = ben.close_diagnostic_round(round.id).await.unwrap();
    assert_eq!((closed.status, closed.closed_on), (RoundStatus::Closed, Some(today())));
    assert_eq!(code(ben.close_diagnostic_round(round.id).await), (409, "round_closed".into()));
    assert_eq!(
        code(anon.open_rater_link(&LinkToken { token: links["Pat Three"].clone() }).await),
        (410, "rater_link_expired".into())
    );

    // The report: 2 peers and 2 direct reports are pooled as "others" (4 answers); the line
    // manager and self shown as such. No guarded figure rests on fewer than 3 ratings.
    let report = ben.get_diagnostic_report(enrolment).await.unwrap();
    let base = report.baseline.as_ref().unwrap().report.clone();
    let keys: Vec<ColumnKey> = base.columns.iter().map(|c| c.key).collect();
    assert_eq!(keys, vec![ColumnKey::SelfReview, ColumnKey::LineManager, ColumnKey::Others]);
    assert_eq!(base.columns[2].groups, vec![RaterGroup::Peer, RaterGroup::DirectReport]);
    assert_eq!(base.columns[2].responses, 4);
    // Commitment: peers 4 and 2, direct reports 5 and 5 → 4.0; self 3; line manager 3.
    let cells: Vec<Option<f64>> = base.rows[0].cells.iter().map(|c| c.mean).collect();
    assert_eq!(cells, vec![Some(3.0), Some(3.0), Some(4.0)]);
    assert_eq!(base.rows[12].cells[2].ratings, 3, "not observed is not a rating");
    assert_eq!(base.strengths.len(), 5);
    assert!(base.strengths.contains(&"Keeps everyone calm.".to_owned()));
    assert!(report.end.is_none() && report.change.is_empty());
    // The same report, whoever asks who may: the order of comments does not change.
    assert_eq!(ben.get_diagnostic_report(enrolment).await.unwrap(), report);

    // Private: not the school lead, the facilitator or the platform admin; strangers not at all.
    assert_eq!(code(head.get_diagnostic_report(enrolment).await), (403, "forbidden".into()));
    assert_eq!(code(fac.get_diagnostic_report(enrolment).await), (403, "forbidden".into()));
    assert_eq!(code(s.login("admin").await.get_diagnostic_report(enrolment).await), (403, "forbidden".into()));
    assert_eq!(code(priya.get_diagnostic_report(enrolment).await), (404, "not_found".into()));

    // The end round: 3 peers and 3 direct reports are each shown; the change against the baseline.
    let end = ben.create_diagnostic_round(enrolment, &open(RoundKind::End, closes)).await.unwrap();
    let end_names = ["Lena Manager", "Pat One", "Pat Two", "Pat Three", "Dee One", "Dee Two", "Dee Three"];
    let fresh = NominateRaters { raters: end_names.iter().zip(groups).map(|(n, g)| nominee(g, n)).collect() };
    ben.create_diagnostic_raters(end.id, &fresh).await.unwrap();
    let mut end_links = vec![];
    for n in end_names {
        let to = format!("{}@raters.example", n.to_lowercase().replace(' ', "."));
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
        let mails = loop {
            let mails: Vec<_> = sink
                .messages()
                .into_iter()
                .filter(|m| m.to.contains(&to) && m.subject.contains("asks for your view"))
                .collect();
            if mails.len() == 2 {
                break mails;
            }
            assert!(std::time::Instant::now() < deadline, "a second round, a second email to {to}: {}", mails.len());
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        };
        end_links.push(token_of(&mails[1].link(&format!("{}/rate#token=", s.base)).unwrap()));
    }
    for (token, score) in end_links.iter().zip([4, 5, 5, 4, 5, 4, 5]) {
        submit(&anon, token, all(&form.items, Some(score))).await.unwrap();
    }
    ben.update_diagnostic_self_review(end.id, &SaveSelfReview { answers: all(&items, Some(4)), submit: true })
        .await
        .unwrap();
    ben.close_diagnostic_round(end.id).await.unwrap();
    let report = ben.get_diagnostic_report(enrolment).await.unwrap();
    let end_report = &report.end.as_ref().unwrap().report;
    let keys: Vec<ColumnKey> = end_report.columns.iter().map(|c| c.key).collect();
    assert_eq!(keys, vec![ColumnKey::SelfReview, ColumnKey::LineManager, ColumnKey::Peer, ColumnKey::DirectReport]);
    assert_eq!(report.change.len(), 13);
    let self_change = report.change[0].cells.iter().find(|c| c.column == ColumnKey::SelfReview).unwrap();
    assert_eq!((self_change.baseline, self_change.end, self_change.change), (Some(3.0), Some(4.0), Some(1.0)));
    for r in [&base, end_report] {
        for row in &r.rows {
            for cell in &row.cells {
                if cell.column.guarded() && cell.mean.is_some() {
                    assert!(cell.ratings >= 3, "{cell:?}");
                }
            }
        }
    }

    // The rules read the closed rounds: both diagnostic requirements are met.
    let progress = ben.get_enrolment_progress(enrolment, &ProgressParams::default()).await.unwrap().progress;
    for id in ["diagnostic.baseline", "diagnostic.end"] {
        let r = progress.requirements.iter().find(|r| r.id == id).unwrap();
        assert_eq!(r.status, RequirementStatus::Met, "{id}: {r:?}");
    }

    // No endpoint returns one rater's ratings: every read the participant, the facilitator, the
    // school lead and the platform admin can make of this enrolment and its rounds, searched for
    // a rater's identity beside a score.
    let spec: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../api-spec/openapi.json")).unwrap(),
    )
    .unwrap();
    let mut reads = 0;
    for who in ["participant.b", "facilitator", "head.b", "admin"] {
        let token = s.login(who).await.token().unwrap().to_owned();
        for (path, item) in spec["paths"].as_object().unwrap() {
            let Some(get) = item.get("get") else { continue };
            let path = path.strip_prefix("/api/v1").unwrap_or(path);
            let filled = if path.starts_with("/enrolments/{id}") {
                path.replace("{id}", &enrolment.to_string())
            } else if path.starts_with("/diagnostic-rounds/{id}") {
                path.replace("{id}", &round.id.to_string())
            } else {
                continue;
            };
            if filled.contains('{') {
                continue;
            }
            let res = reqwest::Client::new()
                .get(format!("{}/api/v1{filled}", s.base))
                .bearer_auth(&token)
                .send()
                .await
                .unwrap();
            reads += 1;
            let body = res.text().await.unwrap_or_default();
            let own_self_review = get["operationId"] == "get_diagnostic_self_review" && who == "participant.b";
            if body.contains("\"score\"") {
                assert!(own_self_review, "{who}: GET {filled} returns scores: {body:.300}");
            }
            for n in names {
                let email = format!("{}@raters.example", n.to_lowercase().replace(' ', "."));
                if body.contains(&email) {
                    assert!(!body.contains("\"score\""), "{who}: GET {filled} puts a rater beside scores");
                }
            }
        }
    }
    assert!(reads >= 40, "only {reads} reads searched");
}

async fn reminders_go_once_to_raters_who_have_not_answered(backend: Backend) {
    let sink = SmtpSink::start();
    let s = TestServer::start_mailing(backend, &sink.url(), None);
    let ben = s.login("participant.b").await;
    let enrolment = own_enrolment(&ben).await;
    let closes_on = today() + chrono::Duration::days(2);
    let round = ben
        .create_diagnostic_round(enrolment, &CreateDiagnosticRound { round: RoundKind::Baseline, closes_on })
        .await
        .unwrap();
    let raters = NominateRaters {
        raters: vec![
            nominee(RaterGroup::LineManager, "Lena Manager"),
            nominee(RaterGroup::Peer, "Pat One"),
            nominee(RaterGroup::Peer, "Pat Two"),
        ],
    };
    ben.create_diagnostic_raters(round.id, &raters).await.unwrap();
    let first = link_for(&sink, &s, "Pat One").await;
    let items = s.client().open_rater_link(&LinkToken { token: first.clone() }).await.unwrap().items;
    submit(&s.client(), &first, all(&items, Some(4))).await.unwrap();

    // Invited minutes ago: no reminder yet. A day later the job (as each node runs it) reminds the
    // two who have not answered, once.
    let pool = trellis_api::db::connect(&s.database_url).unwrap();
    let clock = trellis_api::clock::Clock::system();
    assert_eq!(
        trellis_api::reminders::send_due(&pool, clock, &s.base).unwrap(),
        0,
        "not within a day of the invitation"
    );
    {
        use trellis_api::db::schema::diagnostic_raters as r;
        let day_ago = chrono::Utc::now().naive_utc() - chrono::Duration::days(1);
        diesel::update(r::table).set(r::invited_at.eq(day_ago)).execute(&mut s.db()).unwrap();
    }
    assert_eq!(trellis_api::reminders::send_due(&pool, clock, &s.base).unwrap(), 2);
    assert_eq!(trellis_api::reminders::send_due(&pool, clock, &s.base).unwrap(), 0, "a reminder goes once");
    let reminder = sink.wait_for("lena.manager@raters.example", "Reminder").await;
    assert!(reminder.subject.contains("closes on"), "{}", reminder.subject);
    let fresh = token_of(&reminder.link(&format!("{}/rate#token=", s.base)).unwrap());
    // Both the first link and the reminder's work, until one is used.
    let original = link_for(&sink, &s, "Lena Manager").await;
    assert_ne!(fresh, original);
    s.client().open_rater_link(&LinkToken { token: original.clone() }).await.unwrap();
    submit(&s.client(), &fresh, all(&items, Some(3))).await.unwrap();
    assert_eq!(code(s.client().open_rater_link(&LinkToken { token: original }).await), (410, "rater_link_used".into()));
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let reminders = sink.messages().into_iter().filter(|m| m.subject.starts_with("Reminder")).count();
    assert_eq!(reminders, 2, "one each to the line manager and the second peer; none to who answered");
    let summary = ben.get_diagnostic_round(round.id).await.unwrap();
    let reminded = summary.raters.unwrap().iter().filter(|r| r.reminded_at.is_some()).count();
    assert_eq!(reminded, 2);

    // Once the enrolment is withdrawn, nobody more is invited.
    s.login("head.b").await.withdraw_enrolment(enrolment, WithdrawalReasonKind::Workload, None).await.unwrap();
    let more = NominateRaters { raters: vec![nominee(RaterGroup::Peer, "Pat Late")] };
    assert_eq!(code(ben.create_diagnostic_raters(round.id, &more).await), (409, "enrolment_withdrawn".into()));
}

async fn the_demo_has_a_closed_baseline_with_pooled_groups_and_an_end_round_under_way(backend: Backend) {
    let s = TestServer::start(backend);
    let priya = s.login("participant.a").await;
    let enrolment = own_enrolment(&priya).await;
    let rounds = priya.list_enrolment_diagnostic_rounds(enrolment).await.unwrap().items;
    assert_eq!(rounds.len(), 2);
    assert_eq!((rounds[0].round, rounds[0].status), (RoundKind::Baseline, RoundStatus::Closed));
    assert_eq!((rounds[1].round, rounds[1].status), (RoundKind::End, RoundStatus::Open));
    assert_eq!(rounds[1].self_review, SelfReviewStatus::Draft);
    let answered: u32 = rounds[0].groups.iter().map(|g| g.answered).sum();
    assert_eq!(answered, 6);
    // Her coach reads the report; the direct reports (2) are pooled with the peers (3).
    let coach = s.login("coach").await;
    let report = coach.get_diagnostic_report(enrolment).await.unwrap();
    let base = report.baseline.unwrap().report;
    let keys: Vec<ColumnKey> = base.columns.iter().map(|c| c.key).collect();
    assert_eq!(keys, vec![ColumnKey::SelfReview, ColumnKey::LineManager, ColumnKey::Others]);
    assert_eq!(base.columns[2].responses, 5);
    assert!(report.end.is_none(), "the end round is still open");
    // The baseline closed before induction: met; the end round is not closed yet.
    let progress = priya.get_enrolment_progress(enrolment, &ProgressParams::default()).await.unwrap().progress;
    let baseline = progress.requirements.iter().find(|r| r.id == "diagnostic.baseline").unwrap();
    assert_eq!(baseline.status, RequirementStatus::Met, "{baseline:?}");
}
