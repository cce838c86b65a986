//! Certificates: a Leading Active Learning participant to a trust-signed certificate; its public
//! page; its Open Badges 3.0 credential verified by libraries Trellis does not use (PyJWT and
//! openbadgeslib, from `tools/venv`) against the published keys; revocation read back through the
//! status list; the holder's shared evidence; who may award, read and revoke.

use std::io::Write;
use std::process::{Command, Stdio};

use trellis_client::Client;
use trellis_e2e::fixtures::CohortBuilder;
use trellis_e2e::{Backend, TestServer, on_both_backends};
use trellis_wire::*;
use uuid::Uuid;

use crate::portfolio::{entry, mark, session};
use crate::projects::{enrol_priya, new_project, person_of};
use crate::support::*;

on_both_backends!(a_lal_participant_is_certified_by_the_trust_and_anyone_can_verify_it);

/// Priya on a new Leading Active Learning cohort with every requirement met: the project presented
/// to staff, the sessions attended (she leads a cluster meeting), three reflections and the
/// analytical story handed in. Returns the facilitator, Priya, her enrolment and her entries.
async fn certifiable_lal(s: &TestServer) -> (Client, Client, Uuid, Uuid, Vec<Uuid>) {
    let built = CohortBuilder::new(s).preset("leading-active-learning").dates("2025-11-04", "2026-10-30").build().await;
    let (fac, cohort) = (built.facilitator, built.cohort.id);
    let mine = enrol_priya(s, &fac, cohort).await;
    let priya = s.login("participant.a").await;
    let school = school_id(&priya).await;
    let project =
        priya.create_project(cohort, &new_project(vec![mine.id], school, "2026-01-12", "2026-06-26")).await.unwrap();
    let presented = CreateProjectPresentation {
        audience: Audience::Staff,
        presented_on: "2026-06-24".parse().unwrap(),
        next_steps: None,
    };
    priya.create_project_presentation(project.id, &presented).await.unwrap();
    for day in ["2025-11-18", "2026-02-10", "2026-05-12"] {
        let st = session(&fac, cohort, SessionKind::StudySession, day, None).await;
        mark(&fac, st.id, mine.id, AttendanceStatus::Present).await;
    }
    let mut meetings = vec![];
    for (i, day) in
        ["2025-12-09", "2026-01-20", "2026-03-03", "2026-04-21", "2026-06-09", "2026-07-07"].iter().enumerate()
    {
        let m = session(&fac, cohort, SessionKind::ClusterMeeting, day, (i == 2).then_some(mine.id)).await;
        mark(&fac, m.id, mine.id, AttendanceStatus::Present).await;
        meetings.push(m.id);
    }
    let mut entries = vec![];
    for i in [0, 2, 4] {
        let text = format!("What I learnt at meeting {}.", i + 1);
        let e = entry(PortfolioEntryKind::Reflection, &format!("Meeting {}", i + 1), &text, Some(meetings[i]));
        let e = priya.create_portfolio_entry(mine.id, &e).await.unwrap();
        entries.push(priya.submit_portfolio_entry(e.id).await.unwrap().id);
    }
    let story = entry(PortfolioEntryKind::AnalyticalStory, "Our story", "We introduced talk partners in Year 4.", None);
    let story = priya.create_portfolio_entry(mine.id, &story).await.unwrap();
    entries.push(priya.submit_portfolio_entry(story.id).await.unwrap().id);
    let progress = priya.get_enrolment_progress(mine.id, &ProgressParams::default()).await.unwrap().progress;
    assert!(progress.certifiable, "{progress:?}");
    (fac, priya, mine.id, cohort, entries)
}

/// Runs `tools/verify_credential.py` on the token: PyJWT for the signature, openbadgeslib for
/// Open Badges 3.0, the JSON-LD context and the status list. Returns its summary.
fn verify_independently(s: &TestServer, jwt: &str, expect: &str) -> serde_json::Value {
    let tools = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tools");
    let python = tools.join("venv/bin/python");
    assert!(python.is_file(), "{} is missing: run `make py-tools`", python.display());
    let mut child = Command::new(python)
        .arg(tools.join("verify_credential.py"))
        .args(["--jwks", &format!("{}/.well-known/jwks.json", s.base), "--expect", expect])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(jwt.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "verify_credential.py --expect {expect} failed: {stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_str(&stdout).unwrap()
}

async fn public_json(s: &TestServer, path: &str) -> (u16, serde_json::Value) {
    let res = reqwest::get(format!("{}{path}", s.base)).await.unwrap();
    (res.status().as_u16(), res.json().await.unwrap_or(serde_json::Value::Null))
}

async fn a_lal_participant_is_certified_by_the_trust_and_anyone_can_verify_it(backend: Backend) {
    let s = TestServer::start(backend);
    let (fac, priya, mine, cohort, entries) = certifiable_lal(&s).await;
    let trust = s.login("trust").await;
    // Her tutor verifies the reflection on the meeting she led (the one she will share).
    fac.verify_portfolio_entry(entries[1], &VerifyPortfolioEntry { comment: None }).await.unwrap();

    // A certificate follows completion; it is the trust's to award for this programme.
    assert_eq!(code(trust.issue_certificate(mine).await), (409, "illegal_transition".into()));
    fac.complete_enrolment(mine, None).await.unwrap();
    assert_eq!(code(fac.issue_certificate(mine).await), (403, "forbidden".into()));
    assert_eq!(code(s.login("head.a").await.issue_certificate(mine).await), (403, "forbidden".into()));
    assert_eq!(code(priya.issue_certificate(mine).await), (403, "forbidden".into()));
    assert_eq!(code(s.login("head.b").await.issue_certificate(mine).await), (404, "not_found".into()));
    assert_eq!(code(s.login("admin").await.get_enrolment_certificate(mine).await), (404, "not_found".into()));

    // Completed with unmet requirements (an override), a colleague is not certifiable.
    let sara = person_of(&s.login("participant.b").await).await;
    let theirs = s.login("head.b").await.create_enrolment(cohort, sara).await.unwrap();
    fac.transition(theirs.id, TransitionKind::Approve).await.unwrap();
    fac.transition(theirs.id, TransitionKind::Activate).await.unwrap();
    fac.complete_enrolment(theirs.id, Some("Left for a headship; completed on the tutor's say")).await.unwrap();
    let p = problem(trust.issue_certificate(theirs.id).await);
    assert_eq!((p.status, p.code.as_str()), (409, "not_certifiable"));
    assert!(p.errors.iter().any(|e| e.field == "portfolio.reflections" && e.code == "requirement_not_met"), "{p:?}");

    let cert = trust.issue_certificate(mine).await.unwrap();
    assert!(
        trellis_domain::assessment::normalise_code(&cert.code).as_deref() == Some(cert.code.as_str()),
        "{}",
        cert.code
    );
    assert_eq!(cert.status, CertificateStatus::Valid);
    assert_eq!(cert.holder_name, "Priya Anand");
    assert_eq!(cert.issuer_name, "Oakfield Learning Trust");
    assert_eq!(cert.verify_url, format!("{}/verify/{}", s.base, cert.code));
    assert!(cert.revocable);
    assert_eq!(priya.get_enrolment(mine).await.unwrap().status, EnrolmentStatus::Certified);
    assert_eq!(recorded_transitions(&s, mine).last().map(String::as_str), Some("certify"));
    assert_eq!(code(trust.issue_certificate(mine).await), (409, "illegal_transition".into()));
    // The holder and her head read it; another school's head and an assessor do not.
    let mine_seen = priya.get_enrolment_certificate(mine).await.unwrap();
    assert_eq!((mine_seen.id, mine_seen.revocable), (cert.id, false));
    s.login("head.a").await.get_certificate(cert.id).await.unwrap();
    assert_eq!(code(s.login("head.b").await.get_certificate(cert.id).await), (404, "not_found".into()));
    assert_eq!(code(s.login("assessor").await.get_certificate(cert.id).await), (404, "not_found".into()));

    // The public page's data: no sign-in, nothing but name, programme, issuer, date and status.
    let (status, page) = public_json(&s, &format!("/api/v1/verify/{}", cert.code.to_lowercase())).await;
    assert_eq!(status, 200);
    let mut keys: Vec<_> = page.as_object().unwrap().keys().cloned().collect();
    keys.sort();
    assert_eq!(keys, ["code", "holder_name", "issued_on", "issuer_name", "programme_name", "revoked_on", "status"]);
    assert_eq!(page["status"], "valid");
    assert_eq!(public_json(&s, "/api/v1/verify/TRL-00000-00000").await.0, 404);
    assert_eq!(public_json(&s, "/api/v1/verify/not-a-code").await.0, 404);

    // The holder shares verified evidence only.
    let p = problem(
        priya.share_certificate_evidence(cert.id, &ShareCertificateEvidence { entry_ids: vec![entries[0]] }).await,
    );
    assert_eq!((p.code.as_str(), p.errors[0].field.as_str()), ("entry_not_verified", "entry_ids[0]"));
    let share = ShareCertificateEvidence { entry_ids: vec![entries[1]] };
    assert_eq!(code(trust.share_certificate_evidence(cert.id, &share).await), (403, "forbidden".into()));
    let shared = priya.share_certificate_evidence(cert.id, &share).await.unwrap();
    assert_eq!(shared.shared_entry_ids, [entries[1]]);
    let (status, evidence) = public_json(&s, &format!("/api/v1/verify/{}/evidence/{}", cert.code, entries[1])).await;
    assert_eq!((status, evidence["title"].as_str()), (200, Some("Meeting 3")));
    assert_eq!(public_json(&s, &format!("/api/v1/verify/{}/evidence/{}", cert.code, entries[0])).await.0, 404);

    // The credential: an OpenBadgeCredential signed with the published key, verified without Trellis.
    let credential = priya.get_certificate_credential(cert.id).await.unwrap();
    let vc = &credential.credential;
    assert_eq!(vc["type"], serde_json::json!(["VerifiableCredential", "OpenBadgeCredential"]));
    assert_eq!(vc["credentialSubject"]["achievement"]["name"], cert.programme_name.as_str());
    let jwks = s.client().get_jwks().await.unwrap();
    assert_eq!(jwks.keys.len(), 1);
    assert!(jwks.keys[0].get("d").is_none(), "no private part is published");
    let summary = verify_independently(&s, &credential.jwt, "valid");
    assert_eq!(summary["alg"], "EdDSA");
    assert_eq!(summary["kid"], jwks.keys[0]["kid"]);
    assert_eq!(summary["issuer"], "Oakfield Learning Trust");
    assert_eq!(
        summary["evidence"],
        serde_json::json!([format!("{}/api/v1/verify/{}/evidence/{}", s.base, cert.code, entries[1])])
    );
    assert!(summary["criteria"].as_str().unwrap().contains("cluster"), "{summary}");
    // Tampering breaks it.
    let mut parts: Vec<String> = credential.jwt.split('.').map(str::to_owned).collect();
    parts[1] = parts[1].replacen('e', "f", 1);
    let forged = Command::new(std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tools/venv/bin/python"))
        .arg(std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tools/verify_credential.py"))
        .args(["--jwks", &format!("{}/.well-known/jwks.json", s.base), "--expect", "valid"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut forged = forged;
    forged.stdin.take().unwrap().write_all(parts.join(".").as_bytes()).unwrap();
    assert!(!forged.wait().unwrap().success(), "a forged credential must not verify");

    // Revocation: the certifier's alone; the page and the status list agree.
    let reason = RevokeCertificate { reason: "Awarded in error".into() };
    assert_eq!(code(priya.revoke_certificate(cert.id, &reason).await), (403, "forbidden".into()));
    assert_eq!(code(fac.revoke_certificate(cert.id, &reason).await), (403, "forbidden".into()));
    let revoked = trust.revoke_certificate(cert.id, &reason).await.unwrap();
    assert_eq!(
        (revoked.status, revoked.revocation_reason.as_deref()),
        (CertificateStatus::Revoked, Some("Awarded in error"))
    );
    assert_eq!(code(trust.revoke_certificate(cert.id, &reason).await), (409, "already_revoked".into()));
    let (_, page) = public_json(&s, &format!("/api/v1/verify/{}", cert.code)).await;
    assert_eq!(page["status"], "revoked");
    assert_eq!(verify_independently(&s, &credential.jwt, "revoked")["status"], "revoked");
    assert_eq!(public_json(&s, &format!("/api/v1/credentials/status/{}", Uuid::new_v4())).await.0, 404);
}
