//! The portfolio: a Leading Active Learning participant from project to every requirement met;
//! verification and its clearing; who sees what; evidence files.

use std::io::Write;

use trellis_client::Client;
use trellis_e2e::fixtures::CohortBuilder;
use trellis_e2e::{Backend, MAX_UPLOAD_BYTES, TestServer, on_both_backends};
use trellis_wire::*;
use uuid::Uuid;

use crate::projects::{enrol_priya, new_project};
use crate::support::*;

on_both_backends!(
    a_lal_participant_meets_every_requirement_and_verification_is_cleared_by_withdrawing,
    evidence_files_are_told_by_their_bytes_limited_private_and_kept_while_held,
);

fn d(s: &str) -> chrono::NaiveDate {
    s.parse().unwrap()
}

pub(crate) fn entry(kind: PortfolioEntryKind, title: &str, body: &str, session: Option<Uuid>) -> CreatePortfolioEntry {
    CreatePortfolioEntry {
        kind,
        title: title.into(),
        body: body.into(),
        session_id: session,
        poster: None,
        shared: false,
    }
}

pub(crate) async fn session(fac: &Client, cohort: Uuid, kind: SessionKind, day: &str, led_by: Option<Uuid>) -> Session {
    fac.create_session_of_cohort(
        cohort,
        &CreateSession {
            kind,
            title: format!("{kind} on {day}"),
            starts_at: format!("{day}T15:45"),
            ends_at: format!("{day}T17:15"),
            venue_school_id: None,
            venue_text: Some("Hub".into()),
            facilitator_person_id: None,
            led_by_enrolment_id: led_by,
            audience: None,
            group_id: None,
        },
    )
    .await
    .unwrap()
}

pub(crate) async fn mark(fac: &Client, session: Uuid, enrolment: Uuid, status: AttendanceStatus) {
    let entries = vec![RegisterEntry { enrolment_id: enrolment, status, days: None, minutes: None }];
    fac.update_attendance(session, &Register { entries }).await.unwrap();
}

fn status_of(p: &Progress, id: &str) -> RequirementStatus {
    p.requirements.iter().find(|r| r.id == id).unwrap_or_else(|| panic!("no {id}")).status
}

async fn a_lal_participant_meets_every_requirement_and_verification_is_cleared_by_withdrawing(backend: Backend) {
    let s = TestServer::start(backend);
    let built =
        CohortBuilder::new(&s).preset("leading-active-learning").dates("2025-11-04", "2026-10-30").build().await;
    let (fac, cohort) = (built.facilitator, built.cohort.id);
    let mine = enrol_priya(&s, &fac, cohort).await;
    let priya = s.login("participant.a").await;
    let progress =
        || async { priya.get_enrolment_progress(mine.id, &ProgressParams::default()).await.unwrap().progress };
    let start = progress().await;
    assert!(!start.certifiable);

    // The work-based activity, in her own school, presented to staff.
    let school_a = school_id(&priya).await;
    let project =
        priya.create_project(cohort, &new_project(vec![mine.id], school_a, "2026-01-12", "2026-06-26")).await.unwrap();
    assert_eq!(project.min_terms, 0);
    assert_eq!(project.present_to, [Audience::Staff]);
    let presented = CreateProjectPresentation {
        audience: Audience::Staff,
        presented_on: d("2026-06-24"),
        next_steps: Some("Years 3 and 5 next".into()),
    };
    let early = CreateProjectPresentation { presented_on: d("2025-12-01"), ..presented.clone() };
    assert_eq!(
        problem(priya.create_project_presentation(project.id, &early).await).code,
        "presentation_before_project"
    );
    priya.create_project_presentation(project.id, &presented).await.unwrap();

    // Three study sessions and seven cluster meetings; she leads the third and misses the seventh.
    for day in ["2025-11-18", "2026-02-10", "2026-05-12"] {
        let st = session(&fac, cohort, SessionKind::StudySession, day, None).await;
        mark(&fac, st.id, mine.id, AttendanceStatus::Present).await;
    }
    let mut meetings = vec![];
    for (i, day) in ["2025-12-09", "2026-01-20", "2026-03-03", "2026-04-21", "2026-06-09", "2026-07-07", "2026-09-22"]
        .iter()
        .enumerate()
    {
        let led = (i == 2).then_some(mine.id);
        let m = session(&fac, cohort, SessionKind::ClusterMeeting, day, led).await;
        let status = if i == 6 { AttendanceStatus::Absent } else { AttendanceStatus::Present };
        mark(&fac, m.id, mine.id, status).await;
        meetings.push(m.id);
    }
    let sessions_met = progress().await;
    assert_eq!(status_of(&sessions_met, "sessions.study_session"), RequirementStatus::Met);
    assert_eq!(status_of(&sessions_met, "sessions.cluster_meeting"), RequirementStatus::Met);
    assert_eq!(status_of(&sessions_met, "project.presented"), RequirementStatus::Met);
    assert_ne!(status_of(&sessions_met, "portfolio.reflections"), RequirementStatus::Met);

    // A reflection is on a meeting she attended.
    let absent = entry(PortfolioEntryKind::Reflection, "Meeting 7", "I was not there.", Some(meetings[6]));
    assert_eq!(problem(priya.create_portfolio_entry(mine.id, &absent).await).errors[0].code, "session_not_attended");
    // Nothing to submit yet: the submission says what is missing.
    let empty =
        priya.create_portfolio_entry(mine.id, &entry(PortfolioEntryKind::Reflection, "Draft", "", None)).await.unwrap();
    let p = problem(priya.submit_portfolio_entry(empty.id).await);
    assert_eq!(p.code, "entry_incomplete");
    assert_eq!(p.errors.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), ["body", "session_id"]);
    priya.delete_portfolio_entry(empty.id).await.unwrap();

    let mut reflections = vec![];
    for (i, text) in [
        (0, "Listening before advising."),
        (2, "Leading the round, I kept time badly."),
        (4, "Evidence from our lessons."),
    ] {
        let e = priya
            .create_portfolio_entry(
                mine.id,
                &entry(PortfolioEntryKind::Reflection, &format!("Meeting {}", i + 1), text, Some(meetings[i])),
            )
            .await
            .unwrap();
        assert_eq!(e.state, EntryState::Draft);
        assert!(e.editable && e.moves == [EntryMove::Submit]);
        let content = e.content.as_ref().unwrap();
        assert_eq!(content.session.as_ref().unwrap().led_by_participant, i == 2);
        reflections.push(priya.submit_portfolio_entry(e.id).await.unwrap());
    }
    let story = "With the senior team's agreement and tutorial support, we introduced talk partners in Year 4.";
    let story = priya
        .create_portfolio_entry(mine.id, &entry(PortfolioEntryKind::AnalyticalStory, "Our story", story, None))
        .await
        .unwrap();
    let story = priya.submit_portfolio_entry(story.id).await.unwrap();
    assert_eq!(story.state, EntryState::Submitted);
    assert!(!story.editable && story.moves == [EntryMove::Withdraw]);
    // A submitted entry is locked.
    let change = UpdatePortfolioEntry {
        title: "Changed".into(),
        body: "x".into(),
        session_id: None,
        poster: None,
        shared: false,
    };
    assert_eq!(problem(priya.update_portfolio_entry(story.id, &change).await).code, "entry_locked");

    // Every requirement is met: the next step is certification.
    let all = progress().await;
    assert!(all.certifiable, "{all:?}");
    assert_eq!(status_of(&all, "portfolio.led_reflection"), RequirementStatus::Met);

    // The cohort's facilitator (her tutor) verifies a reflection; she cannot verify her own work.
    assert_eq!(
        problem(priya.verify_portfolio_entry(reflections[2].id, &VerifyPortfolioEntry::default()).await).status,
        403
    );
    let queue = fac.list_verification_queue().await.unwrap();
    assert_eq!(queue.items.iter().filter(|i| i.entry.enrolment_id == mine.id).count(), 4);
    assert_eq!(queue.items[0].participant, "Priya Anand");
    let verified = fac
        .verify_portfolio_entry(reflections[2].id, &VerifyPortfolioEntry { comment: Some("A clear account.".into()) })
        .await
        .unwrap();
    assert_eq!(verified.state, EntryState::Verified);
    assert!(verified.verified_at.is_some());
    // Returned with comments, then resubmitted.
    let returned = fac
        .return_portfolio_entry(
            reflections[0].id,
            &ReturnPortfolioEntry { comment: "Say what you will do next time.".into() },
        )
        .await
        .unwrap();
    assert_eq!(returned.state, EntryState::Returned);
    assert_ne!(status_of(&progress().await, "portfolio.reflections"), RequirementStatus::Met);
    let resubmit = UpdatePortfolioEntry {
        title: "Meeting 1".into(),
        body: "Listening before advising: next time I will ask two questions first.".into(),
        session_id: Some(meetings[0]),
        poster: None,
        shared: false,
    };
    priya.update_portfolio_entry(reflections[0].id, &resubmit).await.unwrap();
    let again = priya.submit_portfolio_entry(reflections[0].id).await.unwrap();
    let history: Vec<EntryMove> = again.content.as_ref().unwrap().history.iter().map(|h| h.action).collect();
    assert_eq!(history, [EntryMove::Submit, EntryMove::Return, EntryMove::Submit]);
    assert_eq!(again.content.unwrap().history[1].comment.as_deref(), Some("Say what you will do next time."));
    // Withdrawing a verified entry clears its verification (and takes it out of the count).
    let withdrawn = priya.withdraw_portfolio_entry(reflections[2].id).await.unwrap();
    assert_eq!((withdrawn.state, withdrawn.verified_at), (EntryState::Draft, None));
    let fewer = progress().await;
    assert_ne!(status_of(&fewer, "portfolio.reflections"), RequirementStatus::Met);
    assert_eq!(status_of(&fewer, "portfolio.led_reflection"), RequirementStatus::Met);
    assert_eq!(
        problem(fac.verify_portfolio_entry(reflections[2].id, &VerifyPortfolioEntry::default()).await).code,
        "illegal_move"
    );
    priya.submit_portfolio_entry(reflections[2].id).await.unwrap();
    assert!(progress().await.certifiable);

    // Who sees what: her head sees states, not contents, until she shares; a platform admin never
    // reads a portfolio; another school's head sees nothing.
    let head_a = s.login("head.a").await;
    let listed = head_a.list_portfolio_entries(mine.id).await.unwrap();
    assert_eq!(listed.items.len(), 4);
    assert!(listed.items.iter().all(|e| e.content.is_none() && e.moves.is_empty()));
    assert!(!serde_json::to_string(&listed).unwrap().contains("talk partners"));
    let admin = s.login("admin").await;
    assert!(admin.list_portfolio_entries(mine.id).await.unwrap().items.iter().all(|e| e.content.is_none()));
    assert_eq!(problem(s.login("head.b").await.list_portfolio_entries(mine.id).await).status, 404);
    assert_eq!(problem(s.login("head.b").await.get_portfolio_entry(story.id).await).status, 404);
    // Sharing is the participant's choice, made while the entry can change.
    priya.withdraw_portfolio_entry(story.id).await.unwrap();
    let shared = UpdatePortfolioEntry {
        title: "Our story".into(),
        body: "With the senior team's agreement and tutorial support, we introduced talk partners in Year 4.".into(),
        session_id: None,
        poster: None,
        shared: true,
    };
    priya.update_portfolio_entry(story.id, &shared).await.unwrap();
    // A draft stays hers alone, shared or not.
    assert!(head_a.get_portfolio_entry(story.id).await.unwrap().content.is_none());
    priya.submit_portfolio_entry(story.id).await.unwrap();
    let seen = head_a.get_portfolio_entry(story.id).await.unwrap();
    assert!(seen.content.unwrap().body.contains("talk partners"));
    assert!(admin.get_portfolio_entry(story.id).await.unwrap().content.is_none());
}

/// A tiny valid PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8,
    6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89, 0, 0, 0, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x60, 0, 0, 0, 2, 0,
    1, 0xe2, 0x21, 0xbc, 0x33, 0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

fn stored_files(s: &TestServer) -> Vec<String> {
    let root = s.data_dir().join("files");
    let mut out = vec![];
    for a in std::fs::read_dir(&root).unwrap().flatten().filter(|a| a.file_name() != "tmp") {
        for b in std::fs::read_dir(a.path()).unwrap().flatten() {
            out.extend(
                std::fs::read_dir(b.path()).unwrap().flatten().map(|f| f.file_name().to_string_lossy().into_owned()),
            );
        }
    }
    out
}

fn temp_files(s: &TestServer) -> usize {
    std::fs::read_dir(s.data_dir().join("files/tmp")).unwrap().count()
}

async fn download(s: &TestServer, token: &str, entry: Uuid, file: Uuid) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
    let res = reqwest::Client::new()
        .get(format!("{}/api/v1/portfolio-entries/{entry}/files/{file}", s.base))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.headers().clone(), res.bytes().await.unwrap().to_vec())
}

async fn evidence_files_are_told_by_their_bytes_limited_private_and_kept_while_held(backend: Backend) {
    let s = TestServer::start(backend);
    let priya = s.login("participant.a").await;
    let token = priya.token().unwrap().to_owned();
    let cohort = demo_cohort(&priya).await;
    let mine = enrolments(&priya, cohort.id).await.remove(0);
    let evidence =
        entry(PortfolioEntryKind::EvidenceItem, "Phonics check results", "The September and November checks.", None);
    let first = priya.create_portfolio_entry(mine.id, &evidence).await.unwrap();
    // An evidence item is submitted with its files.
    assert_eq!(problem(priya.submit_portfolio_entry(first.id).await).errors[0].field, "files");

    let file = priya.upload_evidence_file(first.id, "../../results.png", PNG).await.unwrap();
    assert_eq!(
        (file.kind, file.media_type.as_str(), file.filename.as_str()),
        (FileKind::Png, "image/png", "results.png")
    );
    assert_eq!(file.size_bytes, PNG.len() as u64);
    // Told by the bytes: HTML named .pdf is refused, and so is an executable.
    let p =
        problem(priya.upload_evidence_file(first.id, "report.pdf", b"<!doctype html><script>alert(1)</script>").await);
    assert_eq!((p.status, p.code.as_str()), (415, "unsupported_file_type"));
    let p = problem(priya.upload_evidence_file(first.id, "setup.docx", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00").await);
    assert_eq!(p.code, "unsupported_file_type");
    // Over the limit: 413 with a problem, nothing kept.
    let mut big = b"%PDF-1.7\n".to_vec();
    big.resize(MAX_UPLOAD_BYTES as usize + 1, b'a');
    let p = problem(priya.upload_evidence_file(first.id, "big.pdf", &big).await);
    assert_eq!((p.status, p.code.as_str()), (413, "file_too_large"), "{p:?}");
    assert!(p.detail.unwrap().contains(&MAX_UPLOAD_BYTES.to_string()));
    assert_eq!(stored_files(&s), std::slice::from_ref(&file.sha256));
    assert_eq!(temp_files(&s), 0);
    // Not a multipart form, or one without a `file` part.
    let (status, body, _) =
        raw(&s, &token, &format!("/portfolio-entries/{}/files", first.id), "image/png", "x".into()).await;
    assert_eq!((status, body["code"].as_str()), (415, Some("unsupported_media_type")));
    let form = "--b\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nx\r\n--b--\r\n".to_owned();
    let (status, body, _) =
        raw(&s, &token, &format!("/portfolio-entries/{}/files", first.id), "multipart/form-data; boundary=b", form)
            .await;
    assert_eq!((status, body["code"].as_str()), (400, Some("invalid_multipart")));
    let (status, body, _) = raw(
        &s,
        &token,
        &format!("/portfolio-entries/{}/files", first.id),
        "multipart/form-data; boundary=b",
        "--b--\r\n".into(),
    )
    .await;
    assert_eq!((status, body["code"].as_str()), (400, Some("invalid_multipart")));

    // An upload that breaks off half way leaves no file and no row.
    let addr = s.base.trim_start_matches("http://").to_owned();
    let path = format!("/api/v1/portfolio-entries/{}/files", first.id);
    let token2 = token.clone();
    tokio::task::spawn_blocking(move || {
        let mut tcp = std::net::TcpStream::connect(addr).unwrap();
        let head = format!(
            "POST {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token2}\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: 100000\r\n\r\n--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"half.png\"\r\n\r\n"
        );
        tcp.write_all(head.as_bytes()).unwrap();
        tcp.write_all(PNG).unwrap();
        tcp.write_all(&[7u8; 4000]).unwrap();
        tcp.flush().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(300));
        drop(tcp);
    })
    .await
    .unwrap();
    let mut waited = 0;
    while temp_files(&s) > 0 && waited < 50 {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        waited += 1;
    }
    assert_eq!(temp_files(&s), 0, "the broken upload's temporary file is gone");
    assert_eq!(stored_files(&s).len(), 1);
    let now = priya.get_portfolio_entry(first.id).await.unwrap();
    assert_eq!(now.content.unwrap().files.len(), 1);

    // Served to the participant as a download, never rendered.
    let (status, headers, bytes) = download(&s, &token, first.id, file.id).await;
    assert_eq!(status, 200);
    assert_eq!(bytes, PNG);
    assert_eq!(headers["content-type"], "image/png");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    let disposition = headers["content-disposition"].to_str().unwrap();
    assert!(disposition.starts_with("attachment") && disposition.contains("results.png"), "{disposition}");
    assert!(headers["content-security-policy"].to_str().unwrap().contains("sandbox"));
    // To an outsider it does not exist; her head may see the entry is there, not open it; her coach
    // may not while it is a draft, and may once it is handed in.
    let head_b = s.login("head.b").await;
    assert_eq!(download(&s, head_b.token().unwrap(), first.id, file.id).await.0, 404);
    let head_a = s.login("head.a").await;
    assert_eq!(download(&s, head_a.token().unwrap(), first.id, file.id).await.0, 403);
    let coach = s.login("coach").await;
    assert_eq!(download(&s, coach.token().unwrap(), first.id, file.id).await.0, 403);
    assert_eq!(problem(head_b.upload_evidence_file(first.id, "x.png", PNG).await).status, 404);
    assert_eq!(problem(coach.upload_evidence_file(first.id, "x.png", PNG).await).status, 403);
    priya.submit_portfolio_entry(first.id).await.unwrap();
    assert_eq!(download(&s, coach.token().unwrap(), first.id, file.id).await.0, 200);
    // A handed-in entry's files are locked.
    assert_eq!(problem(priya.upload_evidence_file(first.id, "more.png", PNG).await).code, "entry_locked");
    assert_eq!(problem(priya.delete_evidence_file(first.id, file.id).await).code, "entry_locked");
    // The wrong entry for a file is no file.
    let second = priya.create_portfolio_entry(mine.id, &evidence).await.unwrap();
    assert_eq!(download(&s, &token, second.id, file.id).await.0, 404);

    // The same bytes in a second entry are stored once; deleting one entry keeps them for the other.
    let copy = priya.upload_evidence_file(second.id, "copy.png", PNG).await.unwrap();
    assert_eq!(copy.sha256, file.sha256);
    assert_eq!(stored_files(&s).len(), 1);
    priya.withdraw_portfolio_entry(first.id).await.unwrap();
    priya.delete_portfolio_entry(first.id).await.unwrap();
    assert_eq!(problem(priya.get_portfolio_entry(first.id).await).status, 404);
    assert_eq!(download(&s, &token, second.id, copy.id).await.2, PNG);
    assert_eq!(stored_files(&s).len(), 1);
    // Removing the last holder removes the bytes.
    priya.delete_evidence_file(second.id, copy.id).await.unwrap();
    assert!(stored_files(&s).is_empty());
}
