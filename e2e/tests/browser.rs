//! The real SPA in headless Chromium through chromedriver: sign in, open the demo cohort,
//! withdraw an enrolment with a reason, and see the new status (and that it persisted).

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed unwrap is a failed test

use std::time::Duration;
use thirtyfour::prelude::*;
use trellis_e2e::chromium::{browser, spa_dir, start_chromedriver};
use trellis_e2e::{Backend, DEMO_COHORT_NAME, TestServer};
use trellis_wire::{EnrolmentStatus, ListParams, WithdrawalReasonKind};

/// axe-core (npm, pinned in tools/package.json) on the page as it stands: WCAG 2.0/2.1/2.2 A and
/// AA. Any violation fails the test, naming the rule, the elements and the help page.
async fn assert_accessible(driver: &WebDriver, page: &str) {
    static AXE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let source = AXE.get_or_init(|| {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tools/node_modules/axe-core/axe.min.js");
        std::fs::read_to_string(path)
            .unwrap_or_else(|e| panic!("{path}: {e} (run `make tools`, which `make test` does)"))
    });
    // Let the page settle: no loading placeholders left.
    for _ in 0..50 {
        let busy = driver
            .execute(
                "return [...document.querySelectorAll('[role=status], [aria-busy=true]')]
                    .filter(e => e.getAttribute('aria-busy') === 'true' || e.textContent.startsWith('Loading')).length",
                vec![],
            )
            .await;
        if busy.map(|r| r.json().as_u64() == Some(0)).unwrap_or(true) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let loaded = driver.execute("return typeof window.axe", vec![]).await.unwrap();
    if loaded.json().as_str() != Some("object") {
        driver.execute(source, vec![]).await.unwrap();
    }
    let script = r#"
        const done = arguments[arguments.length - 1];
        axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] } })
          .then(r => done(r.violations.map(v => ({
              rule: v.id, impact: v.impact, help: v.help, url: v.helpUrl,
              nodes: v.nodes.map(n => n.target.join(" ") + ": " + n.failureSummary) }))))
          .catch(e => done([{ rule: "axe-error", help: String(e), url: "", nodes: [] }]));
    "#;
    let result = driver.execute_async(script, vec![]).await.unwrap();
    let violations = result.json().as_array().cloned().unwrap_or_default();
    if !violations.is_empty() {
        let report: Vec<String> = violations
            .iter()
            .map(|v| {
                let nodes: Vec<String> =
                    v["nodes"].as_array().into_iter().flatten().filter_map(|n| n.as_str()).map(str::to_owned).collect();
                format!("- {} ({}): {}\n  {}\n  {}", v["rule"], v["impact"], v["help"], nodes.join("\n  "), v["url"])
            })
            .collect();
        panic!("axe-core: {} accessibility violation(s) on {page}:\n{}", violations.len(), report.join("\n"));
    }
}

/// Waits (up to 10 s, polling) for the element's text to contain `needle`; returns the text.
async fn text_containing(driver: &WebDriver, by: By, needle: &str) -> WebDriverResult<String> {
    let mut last = String::new();
    for _ in 0..100 {
        // A redraw may replace the element between finding and reading it: look again.
        if let Ok(el) = driver.find(by.clone()).await
            && let Ok(text) = el.text().await
        {
            if text.contains(needle) {
                return Ok(text);
            }
            last = text;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{by:?} never contained {needle:?}; last text {last:?}");
}

/// The page's `h1` once it reads `text`. After a click the previous page stays on screen while
/// the next one's part of the app downloads, so a heading found may be replaced before it is read:
/// look again rather than fail on the stale one.
async fn heading(driver: &WebDriver, text: &str) -> WebDriverResult<WebElement> {
    let mut last = String::new();
    for _ in 0..100 {
        for h in driver.find_all(By::Tag("h1")).await? {
            match h.text().await {
                Ok(t) if t == text => return Ok(h),
                Ok(t) => last = t,
                Err(_) => {}
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no heading {text:?}; last {last:?}");
}

/// A test that runs `body` against a fresh server (SQLite, demo data, the built SPA) in a fresh
/// headless Chromium, and always closes the browser before reporting the result.
macro_rules! browser_test {
    ($name:ident, $body:ident) => {
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $name() {
            let server = TestServer::start_with(Backend::Sqlite, Some(spa_dir()));
            let (_chromedriver, driver_url) = start_chromedriver().await;
            let profile = std::env::temp_dir().join(format!("trellis-chromium-{}", uuid::Uuid::new_v4()));
            let driver = browser(&driver_url, &profile).await;
            let result = $body(&server, &driver).await;
            let _ = driver.quit().await;
            let _ = std::fs::remove_dir_all(&profile);
            result.unwrap();
        }
    };
}

/// The demo cohort and, through the API as `who`, the enrolment of `person` in it (or the
/// first one `who` can see).
async fn demo_enrolment(
    server: &TestServer,
    who: &str,
    person: Option<&str>,
) -> (trellis_client::Client, trellis_wire::Enrolment) {
    let api = server.login(who).await;
    let cohort = api
        .list_cohorts(&ListParams::default())
        .await
        .unwrap()
        .items
        .into_iter()
        .find(|c| c.name == DEMO_COHORT_NAME)
        .unwrap();
    let enrolment = api
        .list_enrolments(cohort.id, &ListParams { limit: Some(200), ..Default::default() })
        .await
        .unwrap()
        .items
        .into_iter()
        .find(|e| person.is_none_or(|p| e.person_name == p))
        .unwrap();
    (api, enrolment)
}

/// The status cell of `name`'s row, looked up afresh each try: the table may be redrawn (a
/// signal it reads changed) between finding the row and reading it.
async fn row_status(driver: &WebDriver, name: &str) -> String {
    let xpath = format!("//tr[th[normalize-space()='{name}']]//td[contains(@class, 'status')]");
    let mut last = None;
    for _ in 0..50 {
        match driver.query(By::XPath(xpath.clone())).first().await {
            Ok(cell) => match cell.text().await {
                Ok(t) => return t,
                Err(e) => last = Some(e),
            },
            Err(e) => last = Some(e),
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no status for {name}: {last:?}");
}

/// Clicks the element `css` inside `name`'s row, retrying if the table is redrawn meanwhile.
async fn click_in_row(driver: &WebDriver, name: &str, css: &str) -> WebDriverResult<()> {
    let mut last = None;
    for _ in 0..50 {
        let row = driver.query(By::XPath(format!("//tr[th[normalize-space()='{name}']]"))).first().await?;
        match row.find(By::Css(css)).await {
            Ok(el) => match el.click().await {
                Ok(()) => return Ok(()),
                Err(e) => last = Some(e),
            },
            Err(e) => last = Some(e),
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Err(last.expect("an error after retries"))
}

browser_test!(facilitator_withdraws_an_enrolment_with_a_reason_in_the_browser, run);

async fn run(server: &TestServer, driver: &WebDriver) -> WebDriverResult<()> {
    // A deep link: the server falls back to index.html and the SPA asks for a sign-in first.
    driver.goto(format!("{}/cohorts", server.base)).await?;
    driver.query(By::Id("email")).first().await?.send_keys("facilitator@trellis.test").await?;
    driver.find(By::Id("password")).await?.send_keys("wrong password").await?;
    driver.find(By::Css("form button[type='submit']")).await?.click().await?;
    let error = driver.query(By::Id("signin-error")).first().await?.text().await?;
    assert!(error.contains("do not match"), "{error}");

    driver.find(By::Id("password")).await?.clear().await?;
    driver.find(By::Id("password")).await?.send_keys(trellis_e2e::PASSWORD).await?;
    driver.find(By::Css("form button[type='submit']")).await?.click().await?;

    // Signed in, on the page the deep link asked for.
    heading(driver, "Cohorts").await?;
    assert!(driver.find(By::Css(".who-role")).await?.text().await?.contains("Facilitator"));
    driver.query(By::LinkText(DEMO_COHORT_NAME)).first().await?.click().await?;
    heading(driver, DEMO_COHORT_NAME).await?;
    assert_eq!(row_status(driver, "Omar Shah").await, "Nominated");
    let rows = driver.find_all(By::Css("table.enrolments tbody tr")).await?;
    assert_eq!(rows.len(), 12, "the facilitator sees the whole cohort");

    click_in_row(driver, "Omar Shah", "button[data-action='withdraw']").await?;
    driver.query(By::Id("withdraw-reason")).first().await?;
    driver.find(By::Css("#withdraw-reason option[value='other']")).await?.click().await?;
    // The domain rule runs in the browser too: "other" needs details.
    driver.find(By::XPath("//button[normalize-space()='Confirm withdrawal']")).await?.click().await?;
    let alert = driver.query(By::Css("section.panel [role='alert']")).first().await?.text().await?;
    assert!(alert.contains("needs details"), "{alert}");
    assert_accessible(driver, "the withdrawal form with its error").await;
    driver.find(By::Id("withdraw-details")).await?.send_keys("Taking up a post abroad").await?;
    driver.find(By::XPath("//button[normalize-space()='Confirm withdrawal']")).await?.click().await?;

    driver.query(By::Css(".alert.success")).with_text("Omar Shah has been withdrawn.").first().await?;
    assert_accessible(driver, "the cohort page after a withdrawal").await;
    let status = row_status(driver, "Omar Shah").await;
    assert!(status.starts_with("Withdrawn"), "{status}");

    // It is stored: the API agrees, and a reload (session resumed) shows the same.
    let (_, omar) = demo_enrolment(server, "facilitator", Some("Omar Shah")).await;
    assert_eq!(omar.status, EnrolmentStatus::Withdrawn);
    let reason = omar.withdrawal_reason.unwrap();
    assert_eq!(
        (reason.kind, reason.details.as_deref()),
        (WithdrawalReasonKind::Other, Some("Taking up a post abroad"))
    );

    driver.refresh().await?;
    heading(driver, DEMO_COHORT_NAME).await?;
    let status = row_status(driver, "Omar Shah").await;
    assert!(status.starts_with("Withdrawn"), "{status}");
    Ok(())
}

browser_test!(participant_sees_progress_and_the_live_word_count_matches_the_api, word_count_run);

async fn word_count_run(server: &TestServer, driver: &WebDriver) -> WebDriverResult<()> {
    driver.goto(&server.base).await?;
    driver.query(By::Id("email")).first().await?.send_keys("participant.a@trellis.test").await?;
    driver.find(By::Id("password")).await?.send_keys(trellis_e2e::PASSWORD).await?;
    driver.find(By::Css("form button[type='submit']")).await?.click().await?;

    // Home lists the participant's own programme; its page shows the progress checklist.
    driver.query(By::LinkText(DEMO_COHORT_NAME)).first().await?.click().await?;
    heading(driver, "My programme").await?;
    let summary = driver.query(By::Id("progress-summary")).first().await?.text().await?;
    assert!(summary.contains("requirements met"), "{summary}");
    let coach = driver.query(By::Css("[data-requirement='coaching.named_coach']")).first().await?.text().await?;
    assert!(coach.contains("Met") && coach.contains("Coach named, with a supporting statement"), "{coach}");

    // Type a report: the counter is the domain's word count, running in the browser.
    let text = "Our phonics project raised the KS1 pass rate from 27% to 79% — e.g. through well-being checks.\nNaïve readers’ café: ΩMEGA 東京 … done";
    let editor = driver.query(By::Id("report-draft")).first().await?;
    editor.send_keys(text).await?;
    let expected = trellis_domain::rules::word_count(text);
    assert_eq!(expected, 22, "the dash and the ellipsis are not words");
    let counter = driver.query(By::Id("word-count")).with_text(format!("{expected} / 4,500 words")).first().await?;
    assert_eq!(counter.class_name().await?.as_deref(), Some("word-count"), "under the limit: not red");

    driver.find(By::Id("save-draft")).await?.click().await?;
    let status =
        text_containing(driver, By::Id("draft-status"), &format!("— {expected} words counted by Trellis")).await?;
    assert!(status.starts_with("Saved"), "{status}");

    // The API, asked directly, stored the same text and counts it the same.
    let (api, mine) = demo_enrolment(server, "participant.a", None).await;
    let draft = api.get_report_draft(mine.id).await.unwrap();
    assert_eq!(draft.text, text);
    assert_eq!(draft.words as usize, expected);

    // Past the limit the counter turns red and says by how much.
    driver.execute(
        "const t = document.getElementById('report-draft'); t.value = 'word '.repeat(4502); t.dispatchEvent(new Event('input', { bubbles: true }));",
        vec![],
    )
    .await?;
    let over = driver.query(By::Css("#word-count.over")).first().await?.text().await?;
    assert_eq!(over, "4,502 / 4,500 words — 2 over the limit");
    assert_accessible(driver, "the report editor over the word limit").await;
    Ok(())
}

browser_test!(facilitator_takes_a_register_and_the_participant_sees_it, register_run);

async fn sign_in(driver: &WebDriver, base: &str, who: &str) -> WebDriverResult<()> {
    driver.goto(base).await?;
    driver.query(By::Id("email")).first().await?.send_keys(format!("{who}@trellis.test")).await?;
    driver.find(By::Id("password")).await?.send_keys(trellis_e2e::PASSWORD).await?;
    driver.find(By::Css("form button[type='submit']")).await?.click().await?;
    driver.query(By::Css(".who-name")).first().await?;
    Ok(())
}

async fn register_run(server: &TestServer, driver: &WebDriver) -> WebDriverResult<()> {
    const SESSION: &str = "Day 4: Working in partnership";
    let (api, priya) = demo_enrolment(server, "facilitator", Some("Priya Anand")).await;

    sign_in(driver, &server.base, "facilitator").await?;
    driver.goto(format!("{}/cohorts/{}", server.base, priya.cohort_id)).await?;
    // The learning group the demo formed is listed with its members.
    let group = driver.query(By::Css("section.group")).first().await?.text().await?;
    assert!(group.contains("Project theme: reading for pleasure") && group.contains("Priya Anand"), "{group}");
    let item = driver.query(By::Css(format!("li.session[data-session-title='{SESSION}']"))).first().await?;
    item.find(By::LinkText("Take register")).await?.click().await?;
    heading(driver, &format!("Register: {SESSION}")).await?;
    // Keyboard: focus Priya's first mark and move with the arrow keys, as a facilitator would.
    let first = driver.query(By::Id(format!("mark-{}-present", priya.id))).first().await?;
    first.click().await?;
    first.send_keys(Key::Right).await?;
    let late = driver.find(By::Id(format!("mark-{}-late", priya.id))).await?;
    assert!(late.is_selected().await?, "the right arrow moves to Late within the row");
    driver.active_element().await?.send_keys(Key::Left).await?;
    assert!(first.is_selected().await?, "and the left arrow back to Present");
    driver.find(By::Id("save-register")).await?.click().await?;
    driver.query(By::Css(".alert.success")).first().await?;
    assert_accessible(driver, "the register after saving").await;
    let recorded = api.list_attendance(priya.id).await.unwrap();
    let mark = recorded.items.iter().find(|m| m.session_title == SESSION).expect("the register was saved");
    assert_eq!(mark.status, trellis_wire::AttendanceStatus::Present);

    // Meanwhile someone else saves this register (another tab, a colleague): a save from this
    // page, based on the version it last saw, is refused and says why; the other save stands.
    let session =
        api.list_sessions(priya.cohort_id).await.unwrap().items.into_iter().find(|s| s.title == SESSION).unwrap();
    let theirs = trellis_wire::Register {
        entries: vec![trellis_wire::RegisterEntry {
            enrolment_id: priya.id,
            status: trellis_wire::AttendanceStatus::Late,
            days: None,
            minutes: None,
        }],
    };
    api.update_attendance(session.id, &theirs).await.unwrap();
    driver.find(By::Id("save-register")).await?.click().await?;
    let alert = driver.query(By::Css(".alert.error")).first().await?.text().await?;
    assert!(alert.contains("Someone saved a newer version"), "{alert}");
    assert_accessible(driver, "the register refusing a stale save").await;
    let recorded = api.list_attendance(priya.id).await.unwrap();
    let mark = recorded.items.iter().find(|m| m.session_title == SESSION).unwrap();
    assert_eq!(mark.status, trellis_wire::AttendanceStatus::Late, "the newer save stands");

    // The participant signs in and sees it on their programme page.
    driver.find(By::XPath("//button[normalize-space()='Sign out']")).await?.click().await?;
    sign_in(driver, &server.base, "participant.a").await?;
    driver.query(By::LinkText(DEMO_COHORT_NAME)).first().await?.click().await?;
    let row = driver.query(By::Css(format!("#attendance li[data-session-title='{SESSION}']"))).first().await?;
    let text = row.text().await?;
    assert!(text.starts_with("Late") && text.contains(SESSION), "{text}");
    Ok(())
}

browser_test!(every_page_passes_axe_core_for_every_role, accessibility_run);

/// Signs out whoever is signed in (tokens live in localStorage) and signs `who` in.
async fn switch_to(driver: &WebDriver, base: &str, who: &str) -> WebDriverResult<()> {
    driver.goto(base).await?;
    driver.execute("localStorage.clear()", vec![]).await?;
    sign_in(driver, base, who).await
}

/// Opens `path` afresh (a deep link, as a bookmark would) and waits for its heading.
async fn visit(driver: &WebDriver, base: &str, path: &str) -> WebDriverResult<()> {
    driver.goto(format!("{base}{path}")).await?;
    driver.query(By::Css("main h1")).first().await?;
    driver.query(By::Css(".who-name")).first().await?;
    Ok(())
}

async fn accessibility_run(server: &TestServer, driver: &WebDriver) -> WebDriverResult<()> {
    let base = server.base.as_str();
    // Ids of the demo's objects, through the API.
    let (admin, any) = demo_enrolment(server, "admin", None).await;
    let cohort = any.cohort_id;
    let session = admin.list_sessions(cohort).await.unwrap().items.remove(0).id;
    let programme = admin.list_programmes().await.unwrap().items.remove(0).id;
    let (_, own) = demo_enrolment(server, "participant.a", None).await;
    let (_, coachee) = demo_enrolment(server, "coach", None).await;
    let (_, school_a) = demo_enrolment(server, "head.a", None).await;

    // Signed out: the sign-in page, also with its error showing.
    driver.goto(base).await?;
    driver.query(By::Id("email")).first().await?;
    assert_accessible(driver, "sign-in").await;
    driver.find(By::Id("email")).await?.send_keys("nobody@trellis.test").await?;
    driver.find(By::Id("password")).await?.send_keys("wrong").await?;
    driver.find(By::Css("form button[type='submit']")).await?.click().await?;
    driver.query(By::Id("signin-error")).first().await?;
    assert_accessible(driver, "sign-in with an error").await;

    // The demo's submission awaiting its mark, and Grace's certificate.
    let to_mark = server.login("assessor").await.list_assessor_queue().await.unwrap().items.remove(0).id;
    let grace = server.login("lal.participant").await;
    let grace_lal = grace.list_my_enrolments().await.unwrap().items.remove(0).enrolment.id;
    let grace_code = grace.get_enrolment_certificate(grace_lal).await.unwrap().code;
    let enrolment = |id: uuid::Uuid| format!("/enrolments/{id}");
    let pages: Vec<(&str, Vec<String>)> = vec![
        (
            "admin",
            vec![
                "/".into(),
                "/cohorts".into(),
                format!("/cohorts/{cohort}"),
                "/programmes".into(),
                format!("/programmes/{programme}"),
                "/schools".into(),
                enrolment(any.id),
                format!("/sessions/{session}/register"),
                "/no-such-page".into(),
                "/profile".into(),
                "/accounts".into(),
                "/clients".into(),
                "/outbox".into(),
                "/accept-invitation".into(),
            ],
        ),
        (
            "trust",
            vec![
                "/".into(),
                "/cohorts".into(),
                format!("/cohorts/{cohort}"),
                "/schools".into(),
                "/dashboard".into(),
                "/accounts".into(),
                "/clients".into(),
            ],
        ),
        (
            "head.a",
            vec![
                "/".into(),
                format!("/cohorts/{cohort}"),
                "/schools".into(),
                format!("/schools/{}", school_a.school_id),
                format!("/people/{}", school_a.person_id),
                enrolment(school_a.id),
                "/accounts".into(),
                "/clients".into(),
                "/profile".into(),
            ],
        ),
        ("head.b", vec!["/profile".into()]),
        (
            "facilitator",
            vec![
                "/".into(),
                format!("/cohorts/{cohort}"),
                format!("/sessions/{session}/register"),
                "/programmes".into(),
                "/accounts".into(),
            ],
        ),
        ("coach", vec!["/".into(), "/cohorts".into(), enrolment(coachee.id)]),
        ("assessor", vec!["/".into(), "/cohorts".into(), "/assessments".into(), format!("/submissions/{to_mark}")]),
        ("lal.participant", vec![enrolment(grace_lal), format!("/verify/{grace_code}")]),
        ("participant.a", vec!["/".into(), "/cohorts".into(), enrolment(own.id)]),
    ];
    for (who, paths) in &pages {
        switch_to(driver, base, who).await?;
        for path in paths {
            visit(driver, base, path).await?;
            assert_accessible(driver, &format!("{path} as {who}")).await;
        }
    }
    // A head who also coaches switches role on her profile page; the app follows.
    switch_to(driver, base, "head.b").await?;
    visit(driver, base, "/profile").await?;
    driver.find(By::XPath("//button[normalize-space()='Act as coach']")).await?.click().await?;
    text_containing(driver, By::Css(".who-role"), "Coach").await?;
    visit(driver, base, "/cohorts").await?;
    assert_accessible(driver, "/cohorts as head.b acting as coach").await;

    // On a phone: tables become cards, the navigation wraps; the same rules hold.
    switch_to(driver, base, "facilitator").await?;
    driver.set_window_rect(0, 0, 390, 844).await?;
    for path in ["/".to_owned(), format!("/cohorts/{cohort}"), format!("/sessions/{session}/register")] {
        visit(driver, base, &path).await?;
        assert_accessible(driver, &format!("{path} as facilitator on a phone")).await;
    }
    switch_to(driver, base, "assessor").await?;
    visit(driver, base, &format!("/submissions/{to_mark}")).await?;
    driver.query(By::Id("criterion-0-met")).first().await?;
    assert_accessible(driver, "the marking screen on a phone").await;
    // The verify page, signed out, on a phone.
    driver.execute("localStorage.clear()", vec![]).await?;
    driver.goto(format!("{base}/verify/{grace_code}")).await?;
    driver.query(By::Css(".verify p.alert.success")).first().await?;
    assert_accessible(driver, "the public verify page on a phone").await;
    // The integrators' guide beside the API reference, on a phone and on a desktop.
    driver.goto(format!("{base}/api/docs/integrators")).await?;
    driver.query(By::Id("verify")).first().await?;
    assert_accessible(driver, "the integrators' guide on a phone").await;
    driver.set_window_rect(0, 0, 1280, 900).await?;
    assert_accessible(driver, "the integrators' guide").await;
    Ok(())
}

/// Issue 29, item 1, in the browser: a school lead adds a teaching assistant to the staff list,
/// then gives an account to Lucy Grant, who is on the list and approved for the demo cohort, from
/// her row; the invitation form arrives with her chosen and named. The invitation goes through a
/// real SMTP server; Lucy follows the emailed link, is told what is wrong with a weak password,
/// chooses a good one and arrives signed in, and her home shows her enrolment (the account is
/// hers). Axe-clean throughout; the invitee's part by keyboard only.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invited_user_accepts_from_the_emailed_link() {
    let sink = trellis_e2e::SmtpSink::start();
    let server = TestServer::start_mailing(Backend::Sqlite, &sink.url(), Some(spa_dir()));
    let (_chromedriver, driver_url) = start_chromedriver().await;
    let profile = std::env::temp_dir().join(format!("trellis-chromium-{}", uuid::Uuid::new_v4()));
    let driver = browser(&driver_url, &profile).await;
    let result = invitation_run(&server, &sink, &driver).await;
    let _ = driver.quit().await;
    let _ = std::fs::remove_dir_all(&profile);
    result.unwrap();
}

async fn invitation_run(server: &TestServer, sink: &trellis_e2e::SmtpSink, driver: &WebDriver) -> WebDriverResult<()> {
    let base = server.base.as_str();
    sign_in(driver, base, "head.a").await?;
    // The cohort's rows offer an account to the school's participants who have none.
    driver.query(By::LinkText("Cohorts")).first().await?.click().await?;
    driver.query(By::LinkText(DEMO_COHORT_NAME)).first().await?.click().await?;
    driver.query(By::Css("a[aria-label='Give Omar Shah an account']")).first().await?;
    assert!(
        driver.find_all(By::Css("a[aria-label='Give Priya Anand an account']")).await?.is_empty(),
        "Priya signs in already"
    );
    driver.query(By::LinkText("Schools")).first().await?.click().await?;
    heading(driver, "Schools").await?;
    driver.query(By::LinkText("Oakfield Primary School")).first().await?.click().await?;
    heading(driver, "Oakfield Primary School").await?;
    // A teaching assistant the MIS does not send, added by hand.
    driver.find(By::XPath("//summary[normalize-space()='Add a member of staff']")).await?.click().await?;
    driver.find(By::XPath("//button[normalize-space()='Add to the staff list']")).await?.click().await?;
    driver.query(By::Css(".error-summary")).first().await?;
    assert_accessible(driver, "adding a member of staff, with errors").await;
    driver.find(By::Id("given_name")).await?.send_keys("Tess").await?;
    driver.find(By::Id("family_name")).await?.send_keys("Moran").await?;
    driver.find(By::Id("staff_role")).await?.send_keys("Teaching assistant").await?;
    driver.find(By::XPath("//button[normalize-space()='Add to the staff list']")).await?.click().await?;
    // The list reloads after the save; the message stays.
    tokio::time::sleep(Duration::from_millis(1000)).await;
    text_containing(driver, By::Css(".alert.success"), "Tess Moran is on the staff list.").await?;
    text_containing(driver, By::Css("table"), "Tess Moran").await?;
    assert_accessible(driver, "the staff list after adding").await;

    // Lucy Grant's row offers an account; the form arrives with her chosen.
    driver.query(By::Css("a[aria-label='Give Lucy Grant an account']")).first().await?.click().await?;
    heading(driver, "Accounts").await?;
    let name = driver.find(By::Id("display_name")).await?;
    for _ in 0..100 {
        if name.prop("value").await?.as_deref() == Some("Lucy Grant") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(name.prop("value").await?.as_deref(), Some("Lucy Grant"), "the name comes from the staff list");
    // Sending it without an email: the summary lists the fault, beside its field too.
    driver.find(By::XPath("//button[normalize-space()='Send invitation']")).await?.click().await?;
    driver.query(By::Css(".error-summary")).first().await?;
    assert_accessible(driver, "the invitation form with errors").await;
    driver.find(By::Id("email")).await?.send_keys("lucy.grant@oakfield.example").await?;
    driver.find(By::XPath("//button[normalize-space()='Send invitation']")).await?.click().await?;
    driver
        .query(By::Css(".alert.success"))
        .with_text("Invitation sent to lucy.grant@oakfield.example.")
        .first()
        .await?;
    text_containing(driver, By::Css("main"), "lucy.grant@oakfield.example").await?;
    assert_accessible(driver, "the accounts page after inviting").await;

    // Signed out, the invitee opens the link from the email and works by keyboard alone.
    driver.execute("localStorage.clear()", vec![]).await?;
    let mail = sink.wait_for("lucy.grant@oakfield.example", "invited to Trellis").await;
    let link = mail.link(&format!("{base}/accept-invitation#token=")).expect("the link in the email");
    driver.goto(&link).await?;
    text_containing(
        driver,
        By::Css("main"),
        "Lucy Grant, you have been invited to Trellis as participant at Oakfield Primary School",
    )
    .await?;
    assert_accessible(driver, "accepting an invitation").await;
    let password = driver.find(By::Id("password")).await?;
    password.focus().await?;
    password.send_keys("password123").await?;
    password.send_keys(Key::Tab).await?;
    driver.active_element().await?.send_keys("password123").await?;
    driver.active_element().await?.send_keys(Key::Enter).await?;
    let summary = text_containing(driver, By::Css(".error-summary"), "too common").await?;
    assert!(summary.contains("There is a problem"), "{summary}");
    assert_accessible(driver, "accepting an invitation with a weak password").await;
    driver.find(By::Id("password")).await?.clear().await?;
    driver.find(By::Id("password")).await?.send_keys("heron willow lantern").await?;
    driver.find(By::Id("confirm")).await?.clear().await?;
    driver.find(By::Id("confirm")).await?.send_keys("heron willow lantern").await?;
    driver.find(By::Id("confirm")).await?.send_keys(Key::Enter).await?;
    text_containing(driver, By::Css(".who-name"), "Lucy Grant").await?;
    text_containing(driver, By::Css(".who-role"), "Participant").await?;
    assert!(!driver.current_url().await?.as_str().contains("token="), "the secret is gone from the address bar");
    // The account is hers: her enrolment is on her home page.
    text_containing(driver, By::Css("main"), trellis_e2e::DEMO_COHORT_NAME).await?;
    let main = driver.find(By::Css("main")).await?.text().await?;
    assert!(!main.contains("not enrolled"), "{main}");
    assert_accessible(driver, "home after accepting").await;
    // The link worked once.
    driver.execute("localStorage.clear()", vec![]).await?;
    driver.goto(&link).await?;
    text_containing(driver, By::Css("main"), "has been used already").await?;
    Ok(())
}

/// Issue 29, items 1 and 2, in the browser. A head keeps the staff list by hand: corrects a
/// name from the person's page (the page's title and focus follow its heading) and marks a
/// colleague as left. A facilitator invites a coach, who accepts; the coach belongs to the
/// provider, and the facilitator names them as a participant's coach. Axe-clean throughout.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_are_kept_by_hand_and_an_invited_coach_is_named() {
    let sink = trellis_e2e::SmtpSink::start();
    let server = TestServer::start_mailing(Backend::Sqlite, &sink.url(), Some(spa_dir()));
    let (_chromedriver, driver_url) = start_chromedriver().await;
    let profile = std::env::temp_dir().join(format!("trellis-chromium-{}", uuid::Uuid::new_v4()));
    let driver = browser(&driver_url, &profile).await;
    let result = staff_and_coach_run(&server, &sink, &driver).await;
    let _ = driver.quit().await;
    let _ = std::fs::remove_dir_all(&profile);
    result.unwrap();
}

async fn staff_and_coach_run(
    server: &TestServer,
    sink: &trellis_e2e::SmtpSink,
    driver: &WebDriver,
) -> WebDriverResult<()> {
    let base = server.base.as_str();
    sign_in(driver, base, "head.b").await?;
    driver.query(By::LinkText("Schools")).first().await?.click().await?;
    heading(driver, "Schools").await?;
    driver.query(By::LinkText("Riverside Academy")).first().await?.click().await?;
    heading(driver, "Riverside Academy").await?;
    driver.query(By::LinkText("Owen Price")).first().await?.click().await?;
    heading(driver, "Owen Price").await?;
    // The document's title is the page's heading, and focus moved to it.
    for _ in 0..50 {
        if driver.title().await? == "Owen Price – Trellis" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(driver.title().await?, "Owen Price – Trellis");
    assert_eq!(driver.active_element().await?.tag_name().await?, "h1", "focus is on the new page's heading");
    assert_accessible(driver, "a member of staff's page").await;
    // Emptied as a person would (clear() fires no input event).
    let family = driver.find(By::Id("family_name")).await?;
    family.send_keys(Key::Control + "a").await?;
    family.send_keys(Key::Backspace).await?;
    driver.find(By::XPath("//button[normalize-space()='Save changes']")).await?.click().await?;
    text_containing(driver, By::Css(".error-summary"), "There is a problem").await?;
    assert_eq!(
        driver.active_element().await?.attr("class").await?.as_deref(),
        Some("error-summary"),
        "focus moves to the error summary"
    );
    driver.find(By::Id("family_name")).await?.send_keys("Price-Jones").await?;
    driver.find(By::XPath("//button[normalize-space()='Save changes']")).await?.click().await?;
    heading(driver, "Owen Price-Jones").await?;
    text_containing(driver, By::Css(".alert.success"), "Saved.").await?;
    driver.find(By::XPath("//summary[normalize-space()='Mark as left']")).await?.click().await?;
    set_input(driver, "left_on", "2026-12-18").await?;
    driver.find(By::XPath("//button[normalize-space()='Mark as left']")).await?.click().await?;
    text_containing(driver, By::Css(".alert.success"), "recorded as having left on 18 Dec 2026").await?;
    text_containing(driver, By::Css(".facts"), "18 Dec 2026").await?;
    assert_accessible(driver, "a member of staff who has left").await;

    // A facilitator invites a coach for the provider.
    driver.execute("localStorage.clear()", vec![]).await?;
    sign_in(driver, base, "facilitator").await?;
    driver.query(By::LinkText("Accounts")).first().await?.click().await?;
    heading(driver, "Accounts").await?;
    driver.find(By::Id("role")).await?.send_keys("Coach").await?;
    driver.find(By::Id("email")).await?.send_keys("dana.coach@institute.example").await?;
    driver.find(By::Id("display_name")).await?.send_keys("Dana Berg").await?;
    driver.find(By::XPath("//button[normalize-space()='Send invitation']")).await?.click().await?;
    driver
        .query(By::Css(".alert.success"))
        .with_text("Invitation sent to dana.coach@institute.example.")
        .first()
        .await?;
    driver.execute("localStorage.clear()", vec![]).await?;
    let mail = sink.wait_for("dana.coach@institute.example", "invited to Trellis").await;
    driver.goto(&mail.link(&format!("{base}/accept-invitation#token=")).expect("a link")).await?;
    driver.query(By::Id("password")).first().await?.send_keys("heron willow lantern").await?;
    driver.find(By::Id("confirm")).await?.send_keys("heron willow lantern").await?;
    driver.find(By::XPath("//button[normalize-space()='Accept and sign in']")).await?.click().await?;
    text_containing(driver, By::Css(".who-name"), "Dana Berg").await?;

    // The facilitator names Dana as Nadia Petrova's coach.
    driver.execute("localStorage.clear()", vec![]).await?;
    sign_in(driver, base, "facilitator").await?;
    let api = server.login("facilitator").await;
    let cohort = api
        .list_cohorts(&ListParams::default())
        .await
        .unwrap()
        .items
        .into_iter()
        .find(|c| c.name == DEMO_COHORT_NAME)
        .unwrap();
    let nadia = api
        .list_enrolments(cohort.id, &ListParams { limit: Some(200), ..Default::default() })
        .await
        .unwrap()
        .items
        .into_iter()
        .find(|e| e.person_name == "Nadia Petrova")
        .unwrap();
    driver.goto(&format!("{base}/enrolments/{}", nadia.id)).await?;
    heading(driver, "Nadia Petrova").await?;
    driver.find(By::XPath("//summary[normalize-space()='Name a coach']")).await?.click().await?;
    let select = driver.find(By::Id("coach_person_id")).await?;
    for _ in 0..100 {
        if select.text().await?.contains("Dana Berg") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    select.send_keys("Dana Berg").await?;
    driver.find(By::XPath("//button[normalize-space()='Save coach']")).await?.click().await?;
    text_containing(driver, By::Css(".alert.success"), "Coach saved.").await?;
    let dana = api.list_coaches(cohort.id).await.unwrap().items.into_iter().find(|c| c.name == "Dana Berg").unwrap();
    assert_eq!(api.get_enrolment(nadia.id).await.unwrap().coach_person_id, Some(dana.person_id));
    assert_accessible(driver, "an enrolment with its coach named").await;

    // The trust's admin adds a school, with where it is.
    driver.execute("localStorage.clear()", vec![]).await?;
    sign_in(driver, base, "trust").await?;
    driver.query(By::LinkText("Schools")).first().await?.click().await?;
    heading(driver, "Schools").await?;
    driver.find(By::XPath("//summary[normalize-space()='Add a school']")).await?.click().await?;
    driver.find(By::Id("name")).await?.send_keys("Elm Tree Primary School").await?;
    driver.find(By::Id("urn")).await?.send_keys("14900").await?;
    driver.find(By::Id("latitude")).await?.send_keys("52.4862").await?;
    driver.find(By::XPath("//button[normalize-space()='Add the school']")).await?.click().await?;
    text_containing(driver, By::Css(".error-summary"), "longitude").await?;
    driver.find(By::Id("longitude")).await?.send_keys("-1.8904").await?;
    driver.find(By::XPath("//button[normalize-space()='Add the school']")).await?.click().await?;
    text_containing(driver, By::Css(".error-summary"), "URN").await?;
    driver.find(By::Id("urn")).await?.send_keys("1").await?;
    driver.find(By::XPath("//button[normalize-space()='Add the school']")).await?.click().await?;
    text_containing(driver, By::Css(".alert.success"), "Elm Tree Primary School is added.").await?;
    text_containing(driver, By::Css("table"), "Elm Tree Primary School").await?;
    assert_accessible(driver, "the schools page after adding one").await;
    Ok(())
}

/// Finds and clicks `by`, retrying while the page redraws it (a list reloading after a save).
async fn click_stable(driver: &WebDriver, by: By) -> WebDriverResult<()> {
    let mut last = None;
    for _ in 0..100 {
        match driver.find(by.clone()).await {
            Ok(el) => match el.click().await {
                Ok(()) => return Ok(()),
                Err(e) => last = Some(e),
            },
            Err(e) => last = Some(e),
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Err(last.expect("an error after retries"))
}

/// Sets a date or time input's value as a person picking it would (the picker's keystrokes
/// depend on the browser's locale), firing the input event the form listens to.
async fn set_input(driver: &WebDriver, id: &str, value: &str) -> WebDriverResult<()> {
    driver
        .execute(
            "const e = document.getElementById(arguments[0]); e.value = arguments[1];
             e.dispatchEvent(new Event('input', { bubbles: true }));",
            vec![serde_json::json!(id), serde_json::json!(value)],
        )
        .await?;
    Ok(())
}

browser_test!(a_programme_is_set_up_staffed_and_run_from_the_app, programme_run);

/// A facilitator sets up Leading Active Learning from its preset and starts a cohort; school A's
/// head nominates a member of staff and approves the place; the facilitator starts their
/// programme, schedules a cluster meeting they lead, and takes its register. All in the app,
/// axe-clean; the API agrees at the end.
async fn programme_run(server: &TestServer, driver: &WebDriver) -> WebDriverResult<()> {
    let base = server.base.as_str();
    let today = chrono::Utc::now().date_naive();
    let day = |n: i64| (today + chrono::Duration::days(n)).format("%Y-%m-%d").to_string();

    sign_in(driver, base, "facilitator").await?;
    visit(driver, base, "/programmes").await?;
    click_stable(driver, By::XPath("//summary[normalize-space()='Set up a programme']")).await?;
    click_stable(driver, By::Id("preset-leading-active-learning")).await?;
    assert_accessible(driver, "setting up a programme").await;
    click_stable(driver, By::XPath("//button[normalize-space()='Create programme']")).await?;
    click_stable(driver, By::XPath("//summary[normalize-space()='Start a cohort']")).await?;
    send_stable(driver, By::Id("name"), "LAL cluster, Oakfield North").await?;
    // The domain's rule first: induction after the end is refused before anything is sent.
    set_input(driver, "start_date", &day(-30)).await?;
    set_input(driver, "induction_date", &day(400)).await?;
    set_input(driver, "end_date", &day(300)).await?;
    click_stable(driver, By::XPath("//button[normalize-space()='Create cohort']")).await?;
    driver.query(By::Css(".error-summary")).first().await?;
    assert_accessible(driver, "starting a cohort with an error").await;
    set_input(driver, "induction_date", &day(-23)).await?;
    click_stable(driver, By::Css("#hub_id option:nth-child(2)")).await?;
    click_stable(driver, By::XPath("//button[normalize-space()='Create cohort']")).await?;
    driver.query(By::XPath("//h1[normalize-space()='LAL cluster, Oakfield North']")).first().await?;
    let cohort_path = driver.current_url().await?.path().to_owned();
    assert!(cohort_path.starts_with("/cohorts/"), "{cohort_path}");

    // School A's head nominates Omar Shah and approves his place.
    switch_to(driver, base, "head.a").await?;
    visit(driver, base, &cohort_path).await?;
    click_stable(driver, By::XPath("//summary[normalize-space()='Nominate staff']")).await?;
    click_stable(driver, By::XPath("//select[@id='nominee']/option[starts-with(normalize-space(), 'Omar Shah')]"))
        .await?;
    click_stable(driver, By::XPath("//button[normalize-space()='Nominate']")).await?;
    text_containing(driver, By::Css("main"), "Omar Shah nominated").await?;
    assert_eq!(row_status(driver, "Omar Shah").await, "Nominated");
    assert_accessible(driver, "a cohort after nominating").await;
    click_in_row(driver, "Omar Shah", "button[data-action='approve']").await?;
    text_containing(driver, By::Css(".notice-slot"), "now approved").await?;

    // The facilitator starts his programme and schedules a cluster meeting he leads.
    switch_to(driver, base, "facilitator").await?;
    visit(driver, base, &cohort_path).await?;
    click_in_row(driver, "Omar Shah", "button[data-action='activate']").await?;
    text_containing(driver, By::Css(".notice-slot"), "now active").await?;
    driver.refresh().await?;
    click_stable(driver, By::XPath("//summary[normalize-space()='Schedule a session']")).await?;
    click_stable(driver, By::Css("#kind option[value='cluster_meeting']")).await?;
    send_stable(driver, By::Id("title"), "Cluster meeting 1: questioning").await?;
    set_input(driver, "session-date", &day(-1)).await?;
    set_input(driver, "session-from", "15:45").await?;
    set_input(driver, "session-to", "17:00").await?;
    click_stable(driver, By::XPath("//select[@id='led_by_enrolment_id']/option[normalize-space()='Omar Shah']"))
        .await?;
    // The venue defaults to the hub's host school.
    text_stable(driver, By::Css("#venue_school_id option:checked"), "Oakfield Primary School").await;
    assert_accessible(driver, "scheduling a cluster meeting").await;
    click_stable(driver, By::Id("save-session")).await?;
    text_containing(driver, By::Css("main"), "is on the timetable").await?;
    // The timetable reloads after the save: find the link afresh until it holds still.
    let link = "//li[@data-session-title='Cluster meeting 1: questioning']//a[normalize-space()='Take register']";
    click_stable(driver, By::XPath(link)).await?;
    driver.query(By::XPath("//h1[normalize-space()='Register: Cluster meeting 1: questioning']")).first().await?;
    click_stable(driver, By::Id("all-present")).await?;
    click_stable(driver, By::Id("save-register")).await?;
    text_containing(driver, By::Css("main"), "Register saved: 1 marked.").await?;
    assert_accessible(driver, "the cluster meeting's register").await;

    // The API agrees: the meeting is led by Omar's enrolment and he was there.
    let api = server.login("facilitator").await;
    let cohort: uuid::Uuid = cohort_path.trim_start_matches("/cohorts/").parse().unwrap();
    let omar = api.list_enrolments(cohort, &ListParams::default()).await.unwrap().items.remove(0);
    assert_eq!((omar.person_name.as_str(), omar.status), ("Omar Shah", EnrolmentStatus::Active));
    let meeting = api.list_sessions(cohort).await.unwrap().items.remove(0);
    assert_eq!(meeting.led_by_enrolment_id, Some(omar.id));
    let marks = api.get_attendance(meeting.id).await.unwrap().items;
    assert_eq!((marks.len(), marks[0].status), (1, trellis_wire::AttendanceStatus::Present));
    Ok(())
}

/// Sets a select's value as choosing an option would, firing the change event the form listens to.
async fn choose(driver: &WebDriver, id: &str, value: &str) -> WebDriverResult<()> {
    driver
        .execute(
            "const e = document.getElementById(arguments[0]); e.value = arguments[1];
             e.dispatchEvent(new Event('change', { bubbles: true }));",
            vec![serde_json::json!(id), serde_json::json!(value)],
        )
        .await?;
    Ok(())
}

/// Waits for `n` elements matching `css`.
async fn count_of(driver: &WebDriver, css: &str, n: usize) -> WebDriverResult<()> {
    let mut seen = 0;
    for _ in 0..100 {
        seen = driver.find_all(By::Css(css)).await?.len();
        if seen == n {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{css}: expected {n}, saw {seen}");
}

/// Clicks the button labelled `label` on the portfolio entry titled `title`.
async fn click_on_entry(driver: &WebDriver, title: &str, label: &str) -> WebDriverResult<()> {
    let xpath = format!(
        "//li[contains(@class,'entry')][.//h2[normalize-space()=\"{title}\"]]//button[normalize-space()='{label}']"
    );
    click_stable(driver, By::XPath(xpath)).await
}

browser_test!(a_participant_charts_her_impact_and_her_coach_verifies_her_reflection, work_run);

/// Priya records an impact reading on her project and sees the chart gain a point; she names the
/// session her draft reflection is on and submits it; her coach finds it in his queue and
/// verifies it; she makes an impact poster, previewed as a poster, and it appears on the cohort's
/// board under its theme. Axe-clean on every new page, and on a phone.
async fn work_run(server: &TestServer, driver: &WebDriver) -> WebDriverResult<()> {
    let base = server.base.as_str();
    let (_, own) = demo_enrolment(server, "participant.a", None).await;
    switch_to(driver, base, "participant.a").await?;
    visit(driver, base, &format!("/enrolments/{}", own.id)).await?;
    click_stable(driver, By::XPath("//a[.//h3[normalize-space()='Daily keep-up phonics in Key Stage 1']]")).await?;
    text_containing(driver, By::Css("main h1"), "Daily keep-up phonics").await?;
    // The baseline and two readings, drawn; the timeline shows initiation done.
    count_of(driver, "svg.chart circle", 3).await?;
    text_containing(driver, By::Css("ol.stages"), "Initiation").await?;
    assert_accessible(driver, "a project page").await;
    let value = driver.find(By::Css(".reading-form input[inputmode='decimal']")).await?;
    value.send_keys("66").await?;
    let date_id = driver.find(By::Css(".reading-form input[type='date']")).await?.attr("id").await?.unwrap();
    set_input(driver, &date_id, "2026-11-27").await?;
    driver.find(By::Css(".reading-form button[type='submit']")).await?.click().await?;
    text_containing(driver, By::Css("main .alert.success"), "Reading recorded").await?;
    count_of(driver, "svg.chart circle", 4).await?;
    let label = driver.find(By::Css("svg.chart")).await?.attr("aria-label").await?.unwrap_or_default();
    assert!(label.contains("to 66 %"), "{label}");
    assert_accessible(driver, "a project page after a reading").await;
    driver.set_window_rect(0, 0, 390, 844).await?;
    assert_accessible(driver, "a project page on a phone").await;
    driver.set_window_rect(0, 0, 1280, 900).await?;

    // Her portfolio: the draft reflection gets its session, then is submitted.
    visit(driver, base, &format!("/enrolments/{}/portfolio", own.id)).await?;
    let title = "What day 2 changed in my project";
    text_containing(driver, By::Css("ul.entries"), title).await?;
    assert_accessible(driver, "a portfolio").await;
    click_on_entry(driver, title, "Submit").await?;
    text_containing(driver, By::Css("li.entry .alert"), "a reflection is on a session").await?;
    click_on_entry(driver, title, "Edit").await?;
    let session = driver.find(By::Css("#session_id option:nth-child(2)")).await?.attr("value").await?.unwrap();
    choose(driver, "session_id", &session).await?;
    assert_accessible(driver, "a portfolio entry being edited").await;
    driver.find(By::XPath("//button[normalize-space()='Save changes']")).await?.click().await?;
    text_containing(driver, By::Css("main .alert.success"), "Saved").await?;
    click_on_entry(driver, title, "Submit").await?;
    text_containing(driver, By::Css("main .alert.success"), "submitted").await?;

    // Her coach verifies it from his queue.
    switch_to(driver, base, "coach").await?;
    visit(driver, base, "/verification").await?;
    assert_accessible(driver, "the verification queue").await;
    click_stable(driver, By::XPath(format!("//a[normalize-space()=\"{title}\"]"))).await?;
    text_containing(driver, By::Css("main h1"), "Priya Anand's portfolio").await?;
    assert_accessible(driver, "a portfolio as the coach").await;
    click_on_entry(driver, title, "Verify").await?;
    text_containing(driver, By::Css("main .alert.success"), "verified").await?;
    let badge =
        format!("//li[contains(@class,'entry')][.//h2[normalize-space()=\"{title}\"]]//span[contains(@class,'badge')]");
    text_containing(driver, By::XPath(badge), "Verified").await?;

    // An impact poster, previewed as it will print, then on the cohort's board.
    switch_to(driver, base, "participant.a").await?;
    visit(driver, base, &format!("/enrolments/{}/portfolio", own.id)).await?;
    click_stable(driver, By::XPath("//button[normalize-space()='New entry']")).await?;
    choose(driver, "kind-new", "impact_poster").await?;
    set_input(driver, "title", "Keep-up phonics in KS1").await?;
    for (id, text) in [
        ("focus-new", "Year 1 phonics"),
        ("issues-new", "Too few pupils passed the check"),
        ("actions-new", "Daily ten-minute keep-up groups"),
        ("impact-new", "Pass rate from 27 % to 66 % so far"),
        ("desired_outcomes-new", "Every pupil reads by Year 2"),
    ] {
        set_input(driver, id, text).await?;
    }
    driver.find(By::Id("raising_attainment-new")).await?.click().await?;
    text_containing(driver, By::Css(".poster-preview .poster"), "Pass rate from 27 % to 66 % so far").await?;
    assert_accessible(driver, "the impact poster editor").await;
    driver.find(By::XPath("//button[normalize-space()='Save draft']")).await?.click().await?;
    click_on_entry(driver, "Keep-up phonics in KS1", "Submit").await?;
    text_containing(driver, By::Css("main .alert.success"), "submitted").await?;
    switch_to(driver, base, "facilitator").await?;
    visit(driver, base, &format!("/cohorts/{}/posters", own.cohort_id)).await?;
    text_containing(driver, By::Css("main"), "Raising attainment").await?;
    text_containing(driver, By::Css(".poster-grid"), "Keep-up phonics in KS1").await?;
    assert_accessible(driver, "a cohort's posters").await;
    // Printed on A4, the board with its one poster is one page, the app's bars left off.
    let a4 = thirtyfour::common::print::PrintParameters {
        page: thirtyfour::common::print::PrintPage { width: 21.0, height: 29.7 },
        shrink_to_fit: false,
        ..Default::default()
    };
    let pdf = driver.print_page(a4).await?;
    let pages = pdf.windows(12).filter(|w| w.starts_with(b"/Type /Page") && w[11] != b's').count();
    assert_eq!(pages, 1, "the poster board printed on {pages} A4 pages");
    Ok(())
}

/// Types `text` into the element `by` finds, finding it afresh if a redraw replaced it meanwhile.
async fn send_stable(driver: &WebDriver, by: By, text: &str) -> WebDriverResult<()> {
    let mut last = None;
    for _ in 0..100 {
        match driver.find(by.clone()).await {
            Ok(el) => match el.send_keys(text).await {
                Ok(()) => return Ok(()),
                Err(e) => last = Some(e),
            },
            Err(e) => last = Some(e),
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Err(last.expect("an error after retries"))
}

/// The text of the element `by` finds once it contains `needle`, tolerating redraws.
async fn text_stable(driver: &WebDriver, by: By, needle: &str) -> String {
    let mut last = String::new();
    for _ in 0..100 {
        if let Ok(el) = driver.find(by.clone()).await
            && let Ok(t) = el.text().await
        {
            if t.contains(needle) {
                return t;
            }
            last = t;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{by:?} never contained {needle:?}; last text {last:?}");
}

browser_test!(a_submission_is_made_and_marked_in_the_app_and_a_certificate_verifies_signed_out, assessment_run);

/// Priya (on an NPQML cohort in its assessment window, her project's stages recorded) writes her
/// report: the live checks say it is over the word limit, then that it is ready; she submits. Her
/// coach verifies it and the facilitator assigns Asha Assessor (through the API); Asha finds it in
/// her queue and marks it against the rubric in the app; once released, Priya sees the pass and
/// the feedback. Grace Adeyemi's certificate is on her enrolment page with its public link, which
/// shows it valid to someone signed out. Axe-clean throughout.
async fn assessment_run(server: &TestServer, driver: &WebDriver) -> WebDriverResult<()> {
    use trellis_wire::*;
    let base = server.base.as_str();
    let built = trellis_e2e::fixtures::CohortBuilder::new(server)
        .preset("npq-middle-leadership")
        .dates("2025-09-20", "2026-09-19")
        .build()
        .await;
    let (fac, cohort) = (built.facilitator, built.cohort.id);
    let head = server.login("head.a").await;
    let priya_api = server.login("participant.a").await;
    let Me::User(me) = priya_api.get_me().await.unwrap() else { panic!("a user") };
    let enrolment = head.create_enrolment(cohort, me.person_id.unwrap()).await.unwrap().id;
    fac.transition(enrolment, TransitionKind::Approve).await.unwrap();
    fac.transition(enrolment, TransitionKind::Activate).await.unwrap();
    let coach = server.login("coach").await;
    let Me::User(colin) = coach.get_me().await.unwrap() else { panic!("a user") };
    fac.update_coach(enrolment, &AssignCoach { coach_person_id: colin.person_id.unwrap(), supporting_statement: None })
        .await
        .unwrap();
    let project = CreateProject {
        title: "Daily keep-up phonics".into(),
        focus_area: trellis_domain::project::FocusArea::LiteracyAndMathematics,
        focus_detail: None,
        host_school_id: me.school_id.unwrap(),
        team: vec![enrolment],
        sponsor_person_id: None,
        tutor_person_id: None,
        starts_on: "2025-10-01".parse().unwrap(),
        ends_on: "2026-07-10".parse().unwrap(),
        worksheet: None,
    };
    let project = priya_api.create_project(cohort, &project).await.unwrap().id;
    for (stage, on) in [
        (ProjectStage::Initiation, "2025-10-20"),
        (ProjectStage::Implementation, "2026-01-15"),
        (ProjectStage::Evaluation, "2026-07-01"),
    ] {
        let body = RecordProjectStage { stage, completed_on: on.parse().unwrap(), account: "Done.".into() };
        priya_api.record_project_stage(project, &body).await.unwrap();
    }

    // Priya writes her report; the programme's checks run as she writes.
    switch_to(driver, base, "participant.a").await?;
    visit(driver, base, &format!("/enrolments/{enrolment}")).await?;
    driver.query(By::Id("assessment-report")).first().await?;
    let long = "word ".repeat(4501);
    set_input(driver, "assessment-report", &long).await?;
    driver.query(By::Css("#assessment-checks li[data-code='report_over_word_limit']")).first().await?;
    text_stable(driver, By::Id("assessment-count"), "4501 words: 1 over the limit").await;
    assert_accessible(driver, "the submission form with its checks").await;
    set_input(driver, "assessment-report", "").await?;
    let text =
        "Initiation, implementation and evaluation of daily keep-up phonics: scores rose from 27 to 74 per cent.";
    send_stable(driver, By::Id("assessment-report"), text).await?;
    driver.query(By::Css("#assessment-checks .alert.success")).first().await?;
    click_stable(driver, By::XPath("//button[normalize-space()='Submit for assessment']")).await?;
    // Found by the browser (XPath), not by reading each alert's text: others come and go meanwhile.
    driver
        .query(By::XPath(
            "//div[contains(@class,'alert')][starts-with(normalize-space(), 'Submitted. Your coach verifies')]",
        ))
        .first()
        .await?;
    let submission = priya_api.list_enrolment_submissions(enrolment).await.unwrap().items.remove(0);
    assert_eq!(submission.words, 16);

    // The coach verifies; the provider assigns the assessor.
    let verified_on = chrono::Utc::now().date_naive();
    coach
        .verify_submission(submission.id, &VerifySubmission { statement: "Priya's own work.".into(), verified_on })
        .await
        .unwrap();
    let asha = server.login("assessor").await;
    let Me::User(asha_me) = asha.get_me().await.unwrap() else { panic!("a user") };
    fac.assign_assessors(submission.id, &AssignAssessors { marker_user_id: asha_me.user_id, moderator_user_id: None })
        .await
        .unwrap();

    // Asha marks it in the app, against the rubric.
    switch_to(driver, base, "assessor").await?;
    visit(driver, base, "/assessments").await?;
    assert_accessible(driver, "the assessor's queue").await;
    click_stable(driver, By::XPath(format!("//a[@href='/submissions/{}']", submission.id))).await?;
    driver.query(By::Id("criterion-0-met")).first().await?;
    assert_accessible(driver, "the marking screen").await;
    for i in 0..3 {
        click_stable(driver, By::Id(format!("criterion-{i}-met"))).await?;
        send_stable(driver, By::Id(format!("criterion-{i}-feedback")), "Clearly evidenced.").await?;
    }
    click_stable(driver, By::Id("outcome-pass")).await?;
    send_stable(driver, By::Id("mark-feedback"), "A well-evidenced project.").await?;
    click_stable(driver, By::XPath("//button[normalize-space()='Record the mark']")).await?;
    driver
        .query(By::XPath("//div[contains(@class,'alert')][normalize-space()='The mark is recorded.']"))
        .first()
        .await?;
    fac.release_submission(submission.id).await.unwrap();

    // Priya sees the outcome and the feedback once released.
    switch_to(driver, base, "participant.a").await?;
    visit(driver, base, &format!("/submissions/{}", submission.id)).await?;
    driver.query(By::Css(".judgement")).first().await?;
    text_stable(driver, By::Css("dl.facts"), "Pass").await;
    assert_accessible(driver, "the released submission").await;

    // Grace's certificate, and its public page signed out.
    switch_to(driver, base, "lal.participant").await?;
    let grace = server.login("lal.participant").await;
    let lal = grace.list_my_enrolments().await.unwrap().items.remove(0).enrolment.id;
    let cert = grace.get_enrolment_certificate(lal).await.unwrap();
    visit(driver, base, &format!("/enrolments/{lal}")).await?;
    let mut link = String::new();
    for _ in 0..100 {
        if let Ok(el) = driver.find(By::Id("verify-link")).await
            && let Ok(Some(v)) = el.prop("value").await
        {
            link = v;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(link, cert.verify_url);
    assert_accessible(driver, "the enrolment page with its certificate").await;
    driver.execute("localStorage.clear()", vec![]).await?;
    driver.goto(format!("{base}/verify/{}", cert.code)).await?;
    text_stable(driver, By::Css(".verify p.alert.success"), "not been revoked").await;
    let page = text_stable(driver, By::Css(".verify"), "Grace Adeyemi").await;
    assert!(page.contains("Oakfield Learning Trust"), "{page}");
    assert!(driver.find_all(By::Css(".who-name")).await?.is_empty(), "signed out");
    assert_accessible(driver, "the public verify page").await;
    Ok(())
}

/// The 360 diagnostic: four raters have answered Ben's baseline round; he invites a fifth from
/// his enrolment page; the invitation goes through a real SMTP server; the rater, signed out and
/// on a phone, follows the emailed link and answers with the keyboard alone; Ben closes the round
/// and reads the report, the peers and direct reports pooled as "others". Axe-clean throughout.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rater_answers_by_keyboard_from_the_emailed_link_and_the_participant_reads_the_report() {
    let sink = trellis_e2e::SmtpSink::start();
    let server = TestServer::start_mailing(Backend::Sqlite, &sink.url(), Some(spa_dir()));
    let (_chromedriver, driver_url) = start_chromedriver().await;
    let profile = std::env::temp_dir().join(format!("trellis-chromium-{}", uuid::Uuid::new_v4()));
    let driver = browser(&driver_url, &profile).await;
    let result = diagnostic_run(&server, &sink, &driver).await;
    let _ = driver.quit().await;
    let _ = std::fs::remove_dir_all(&profile);
    result.unwrap();
}

async fn diagnostic_run(server: &TestServer, sink: &trellis_e2e::SmtpSink, driver: &WebDriver) -> WebDriverResult<()> {
    use trellis_wire::{
        Answers, CreateDiagnosticRound, LinkToken, NominateRaters, Nominee, RaterAnswers, RaterGroup, Rating,
        RoundKind, SaveSelfReview,
    };
    let base = server.base.as_str();
    // Through the API: Ben opens his baseline round, four raters answer and so does he.
    let ben = server.login("participant.b").await;
    let enrolment = ben.list_my_enrolments().await.unwrap().items.remove(0).enrolment.id;
    let closes_on = chrono::Utc::now().date_naive() + chrono::Duration::days(14);
    let round = ben
        .create_diagnostic_round(enrolment, &CreateDiagnosticRound { round: RoundKind::Baseline, closes_on })
        .await
        .unwrap();
    let first = [
        (RaterGroup::LineManager, "Lena Manager", 4),
        (RaterGroup::Peer, "Pat One", 3),
        (RaterGroup::DirectReport, "Dee One", 5),
        (RaterGroup::DirectReport, "Dee Two", 4),
    ];
    let email = |name: &str| format!("{}@raters.example", name.to_lowercase().replace(' ', "."));
    let raters = first.iter().map(|(g, n, _)| Nominee { group: *g, name: (*n).into(), email: email(n) }).collect();
    ben.create_diagnostic_raters(round.id, &NominateRaters { raters }).await.unwrap();
    let all = |score| Answers {
        ratings: round
            .items
            .iter()
            .map(|i| Rating { kind: i.kind, item: i.name.clone(), score: Some(score) })
            .collect(),
        ..Default::default()
    };
    for (_, name, score) in first {
        let mail = sink.wait_for(&email(name), "asks for your view").await;
        let link = mail.link(&format!("{base}/rate#token=")).unwrap();
        let token = link.split("#token=").nth(1).unwrap().to_owned();
        server.client().submit_rater_answers(&RaterAnswers { token, answers: all(score) }).await.unwrap();
    }
    ben.update_diagnostic_self_review(round.id, &SaveSelfReview { answers: all(3), submit: true }).await.unwrap();

    // In the app: Ben sees who has answered, and invites a second peer.
    sign_in(driver, base, "participant.b").await?;
    visit(driver, base, &format!("/enrolments/{enrolment}")).await?;
    text_containing(driver, By::Css("#diagnostic-heading"), "360 diagnostic").await?;
    text_containing(driver, By::Css("ul.raters"), "Dee Two").await?;
    assert_accessible(driver, "an enrolment's 360 rounds").await;
    choose(driver, &format!("rater-group-{}", round.id), "peer").await?;
    send_stable(driver, By::Id(format!("rater-name-{}", round.id)), "Pat Keys").await?;
    send_stable(driver, By::Id(format!("rater-email-{}", round.id)), "pat.keys@raters.example").await?;
    click_stable(driver, By::XPath("//button[normalize-space()='Send the invitation']")).await?;
    text_containing(driver, By::Css("ul.raters"), "Pat Keys").await?;

    // Signed out, on a phone, the rater follows the emailed link and answers by keyboard alone.
    driver.execute("localStorage.clear()", vec![]).await?;
    driver.set_window_rect(0, 0, 390, 844).await?;
    let mail = sink.wait_for("pat.keys@raters.example", "asks for your view").await;
    let link = mail.link(&format!("{base}/rate#token=")).expect("the rater's link in the email");
    driver.goto(&link).await?;
    text_containing(driver, By::Css("main h1"), "Ben Carter's 360 leadership review").await?;
    driver.query(By::Id("item-0-1")).first().await?;
    assert_accessible(driver, "the rater's form on a phone").await;
    let focused = |driver: &WebDriver| {
        let driver = driver.clone();
        async move {
            let r = driver.execute("return document.activeElement && document.activeElement.id", vec![]).await?;
            WebDriverResult::Ok(r.json().as_str().unwrap_or("").to_owned())
        }
    };
    let mut tabs = 0;
    while focused(driver).await? != "item-0-1" {
        driver.active_element().await?.send_keys(Key::Tab).await?;
        tabs += 1;
        assert!(tabs < 40, "Tab never reached the first rating");
    }
    for n in 0..round.items.len() {
        let el = driver.active_element().await?;
        el.send_keys(Key::Space).await?;
        for _ in 0..(n % 3) + 1 {
            driver.active_element().await?.send_keys(Key::Right).await?;
        }
        driver.active_element().await?.send_keys(Key::Tab).await?;
    }
    assert_eq!(focused(driver).await?, "strengths", "after the last rating, Tab reaches the first comment box");
    driver.active_element().await?.send_keys("Listens before deciding.").await?;
    driver.active_element().await?.send_keys(Key::Tab).await?;
    driver.active_element().await?.send_keys("Delegate the data work.").await?;
    driver.active_element().await?.send_keys(Key::Tab).await?;
    driver.active_element().await?.send_keys(Key::Enter).await?;
    text_containing(driver, By::Css("main"), "Your answers are in").await?;
    assert_accessible(driver, "the rater's thanks").await;
    // What the keyboard chose is what was stored: the round now has five answers.
    let summary = ben.get_diagnostic_round(round.id).await.unwrap();
    let peers = summary.groups.iter().find(|g| g.group == RaterGroup::Peer).unwrap();
    assert_eq!(peers.answered, 2);
    assert_eq!(
        server
            .client()
            .open_rater_link(&LinkToken { token: link.split("#token=").nth(1).unwrap().into() })
            .await
            .unwrap_err()
            .code(),
        Some("rater_link_used")
    );

    // Ben closes the round and reads the report: too few peers and direct reports alone, pooled.
    driver.set_window_rect(0, 0, 1280, 900).await?;
    sign_in(driver, base, "participant.b").await?;
    visit(driver, base, &format!("/enrolments/{enrolment}")).await?;
    click_stable(driver, By::XPath("//button[normalize-space()='Close the round']")).await?;
    click_stable(driver, By::LinkText("Read the 360 report")).await?;
    text_containing(driver, By::Css("main h1"), "360 report: Ben Carter").await?;
    let text = text_containing(driver, By::Css("main"), "Others: 4 answers from peers and direct reports").await?;
    assert!(text.contains("Listens before deciding."), "the rater's words, unattributed");
    driver.query(By::Css("svg.dots")).first().await?;
    let headers = driver.find_all(By::Css(".report-round table thead th")).await?;
    let mut names = vec![];
    for h in headers {
        names.push(h.text().await?.to_lowercase());
    }
    assert_eq!(names, ["behaviour or area", "self", "line manager", "others"]);
    assert_accessible(driver, "the 360 report").await;
    visit(driver, base, &format!("/diagnostic-rounds/{}/self-review", round.id)).await?;
    text_containing(driver, By::Css("main"), "Your self-review is handed in").await?;
    assert_accessible(driver, "the self-review, handed in").await;
    Ok(())
}

browser_test!(a_trust_admin_filters_the_dashboard_drills_down_and_downloads_csv, dashboard_run);

/// The trust admin opens the dashboard, filters it to school A, drills down to that school's
/// enrolments on a programme, follows one to its enrolment page, and downloads the grid as CSV,
/// whose rows are school A's only. Axe-clean throughout.
async fn dashboard_run(server: &TestServer, driver: &WebDriver) -> WebDriverResult<()> {
    let base = server.base.as_str();
    let trust = server.login("trust").await;
    let all = trust.get_progress_summary(&Default::default()).await.unwrap();
    let head = server.login("head.a").await;
    let trellis_wire::Me::User(me) = head.get_me().await.unwrap() else { panic!("a user") };
    let school_a = me.school_id.unwrap();
    let a_name = all.rows.iter().find(|r| r.school_id == school_a).unwrap().school_name.clone();
    let others: Vec<String> =
        all.rows.iter().filter(|r| r.school_id != school_a).map(|r| r.school_name.clone()).collect();
    assert!(!others.is_empty(), "the demo trust has enrolments at other schools");

    sign_in(driver, base, "trust").await?;
    click_stable(driver, By::LinkText("Dashboard")).await?;
    text_containing(driver, By::Css("main table caption"), "Schools × programmes").await?;
    text_containing(driver, By::Css("main tfoot"), &all.totals.enrolments.to_string()).await?;
    driver.query(By::Css("svg.chart rect")).first().await?;
    assert_accessible(driver, "dashboard").await;

    choose(driver, "filter-school", &school_a.to_string()).await?;
    let rows = all.rows.iter().filter(|r| r.school_id == school_a).count();
    count_of(driver, "main table:first-of-type tbody tr", rows).await?;
    let grid = text_containing(driver, By::Css("main table tbody"), &a_name).await?;
    assert!(!others.iter().any(|o| grid.contains(o.as_str())), "{grid}");

    click_stable(driver, By::Css("main table tbody button")).await?;
    text_containing(driver, By::Id("drill-title"), &a_name).await?;
    driver.query(By::Css(".drill a[href^='/enrolments/']")).first().await?;
    assert_accessible(driver, "dashboard drill-down").await;

    // The grid as CSV, filtered as shown.
    click_stable(driver, By::XPath("//button[normalize-space()='Download grid (CSV)']")).await?;
    let file = downloaded("trellis-dashboard.csv").await;
    let mut lines = file.lines();
    assert_eq!(
        lines.next(),
        Some(
            "school,programme,enrolments,live,completed,certified,withdrawn,deferred,completion_percent,attendance_percent,with_overdue,overdue_requirements,left_school"
        )
    );
    assert!(file.contains(a_name.as_str()) && file.contains("Total"), "{file}");
    assert!(!others.iter().any(|o| file.contains(o.as_str())), "{file}");

    // Down to an enrolment.
    click_stable(driver, By::Css(".drill a[href^='/enrolments/']")).await?;
    // The dashboard stays on screen while the enrolment's part of the app downloads.
    arrives_at(driver, "/enrolments/").await?;
    driver.query(By::Css("main h1")).first().await?;
    Ok(())
}

/// Waits until the address is under `prefix`: a page whose part of the app is still downloading
/// keeps the previous page (and address) on screen meanwhile.
async fn arrives_at(driver: &WebDriver, prefix: &str) -> WebDriverResult<()> {
    for _ in 0..100 {
        if driver.current_url().await?.path().starts_with(prefix) {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("never arrived at {prefix}: still at {}", driver.current_url().await?);
}

/// Waits for a finished download named `name` in a browser profile's download folder (each
/// test's browser has its own profile under the temporary directory) and reads it.
async fn downloaded(name: &str) -> String {
    for _ in 0..100 {
        for entry in std::fs::read_dir(std::env::temp_dir()).into_iter().flatten().flatten() {
            if entry.file_name().to_string_lossy().starts_with("trellis-chromium-")
                && let Ok(text) = std::fs::read_to_string(entry.path().join("downloads").join(name))
            {
                return text;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{name} was never downloaded");
}

browser_test!(the_trust_reads_the_heatmap_and_a_school_rates_and_submits_its_term, expectations_run);

/// The trust admin opens the expectations heatmap, picks the summer term (Riverside's two gaps
/// flagged) and follows a school to its review, history and support; school A's head rates a term
/// by keyboard, is told what is still unrated, rates it and submits — and the trust then sees it.
/// Axe-clean throughout, on a desktop and on a phone.
async fn expectations_run(server: &TestServer, driver: &WebDriver) -> WebDriverResult<()> {
    let base = server.base.as_str();
    let head = server.login("head.a").await;
    let trellis_wire::Me::User(me) = head.get_me().await.unwrap() else { panic!("a user") };
    let school_a = me.school_id.unwrap();
    let trust = server.login("trust").await;
    let trust_id = trust.get_school(school_a).await.unwrap().trust_id.unwrap();

    sign_in(driver, base, "trust").await?;
    click_stable(driver, By::LinkText("Expectations")).await?;
    text_containing(driver, By::Css("main h1"), "Trust expectations").await?;
    driver.query(By::Css("figure.heatmap svg rect")).first().await?;
    choose(driver, "heatmap-term", "2026-summer").await?;
    let caption = text_containing(driver, By::Css("main table caption"), "Summer 2026").await?;
    assert!(caption.contains("school / trust"), "{caption}");
    let riverside = text_containing(driver, By::XPath("//tr[th//a[contains(., 'Riverside')]]"), "flagged").await?;
    assert!(riverside.contains("Submitted"), "{riverside}");
    assert_accessible(driver, "the expectations heatmap").await;

    click_stable(driver, By::PartialLinkText("Riverside")).await?;
    text_containing(driver, By::Css("main h1"), "Riverside Academy: expectations, Summer 2026").await?;
    text_containing(driver, By::Css("main"), "Flagged").await?;
    driver.query(By::Css("figure.line-chart svg polyline")).first().await?;
    text_containing(driver, By::Id("support-title"), "Support").await?;
    text_containing(driver, By::Css("main"), "Assessment and feedback review").await?;
    assert_accessible(driver, "a school's review as the trust").await;

    // School A's head: the spring term, not yet begun, rated by keyboard.
    switch_to(driver, base, "head.a").await?;
    click_stable(driver, By::LinkText("Expectations")).await?;
    text_containing(driver, By::Css("main h1"), "Oakfield Primary School: expectations").await?;
    visit(driver, base, &format!("/expectations/{school_a}/2026-spring")).await?;
    text_containing(driver, By::Id("rate-title"), "your school's self-assessment").await?;
    let framework = head.get_expectation_framework(trust_id).await.unwrap();
    let statements: Vec<uuid::Uuid> = framework.themes.iter().flat_map(|t| &t.statements).map(|s| s.id).collect();
    // The first statement: focus its "1", then the right arrow moves within the group to "2", "3".
    let first = driver.query(By::Id(format!("rate-{}-1", statements[0]))).first().await?;
    first.click().await?;
    first.send_keys(Key::Right).await?;
    driver.active_element().await?.send_keys(Key::Right).await?;
    assert!(driver.find(By::Id(format!("rate-{}-3", statements[0]))).await?.is_selected().await?);
    send_stable(driver, By::Id(format!("evidence-{}", statements[0])), "Work scrutiny in every class, October.")
        .await?;
    // A file behind the rating: chosen as a person would, attached, listed under the statement.
    let pdf = std::env::temp_dir().join(format!("trellis-scrutiny-{}.pdf", uuid::Uuid::new_v4()));
    std::fs::write(&pdf, b"%PDF-1.4\n% work scrutiny, October\n").unwrap();
    driver.find(By::Id(format!("attach-{}", statements[0]))).await?.send_keys(pdf.display().to_string()).await?;
    let fieldset = format!("//fieldset[@id='ratings[{}]']", statements[0]);
    click_stable(driver, By::XPath(format!("{fieldset}//button[normalize-space()='Attach']"))).await?;
    text_containing(driver, By::XPath(format!("{fieldset}//ul[contains(@class,'files-inline')]")), "trellis-scrutiny-")
        .await?;
    let _ = std::fs::remove_file(&pdf);
    click_stable(driver, By::XPath("//button[normalize-space()='Save draft']")).await?;
    text_containing(driver, By::Css(".alert.ok"), "Draft saved.").await?;
    click_stable(driver, By::XPath("//button[normalize-space()='Submit']")).await?;
    let problem = text_containing(driver, By::Css(".error-summary"), "not yet rated").await?;
    assert_eq!(problem.matches("not yet rated").count(), statements.len() - 1, "{problem}");
    assert_accessible(driver, "a school's self-assessment refusing an incomplete submission").await;
    for id in &statements[1..] {
        click_stable(driver, By::Css(format!("label[for='rate-{id}-4']"))).await?;
    }
    text_containing(driver, By::Css("p.hint[aria-live]"), &format!("{0} of {0} rated", statements.len())).await?;
    click_stable(driver, By::XPath("//button[normalize-space()='Submit']")).await?;
    text_containing(driver, By::Css(".alert.ok"), "Submitted.").await?;
    text_containing(driver, By::Css("main"), "School's self-assessment: Submitted").await?;
    assert_accessible(driver, "a school's submitted self-assessment").await;

    // The trust sees the submitted ratings and evidence; on a phone too.
    let seen = trust.get_school_expectations(school_a, "2026-spring".parse().unwrap()).await.unwrap();
    let st = &seen.themes[0].statements[0];
    assert_eq!(seen.school.status, trellis_wire::AssessmentStatus::Submitted);
    assert_eq!(
        st.school.as_ref().map(|r| (r.rating, r.evidence.as_str())),
        Some((3, "Work scrutiny in every class, October."))
    );
    assert_eq!(st.school_files.len(), 1, "the attached file is the trust's to read once submitted");
    assert_eq!(
        trust.get_expectation_file(st.school_files[0].id).await.unwrap(),
        b"%PDF-1.4\n% work scrutiny, October\n"
    );
    driver.set_window_rect(0, 0, 390, 844).await?;
    visit(driver, base, &format!("/expectations/{school_a}/2026-spring")).await?;
    text_containing(driver, By::Css("main"), "Work scrutiny in every class").await?;
    assert_accessible(driver, "a school's review on a phone").await;
    switch_to(driver, base, "trust").await?;
    visit(driver, base, "/expectations").await?;
    driver.query(By::Css("figure.heatmap svg rect")).first().await?;
    assert_accessible(driver, "the expectations heatmap on a phone").await;
    driver.set_window_rect(0, 0, 1280, 900).await?;
    Ok(())
}

browser_test!(a_school_posts_a_need_another_schools_colleague_is_matched_and_logs_a_visit, partnership_run);

/// School A's head posts a need on the demo round's board; school B's head matches Ben Carter, of
/// B's staff, from the ranked suggestions; Ben finds it under his partnership work, logs a visit
/// with its data collection and writes the findings up; A's head acknowledges them. Axe-clean.
async fn partnership_run(server: &TestServer, driver: &WebDriver) -> WebDriverResult<()> {
    const TITLE: &str = "Tablets in the early years";
    let base = server.base.as_str();
    let today = chrono::Utc::now().date_naive();
    let day = |n: i64| (today + chrono::Duration::days(n)).format("%Y-%m-%d").to_string();

    sign_in(driver, base, "head.a").await?;
    click_stable(driver, By::LinkText("Partnerships")).await?;
    click_stable(driver, By::PartialLinkText("Developing Leadership through Partnership")).await?;
    text_containing(driver, By::Css("main table caption"), "Needs by host school").await?;
    assert_accessible(driver, "a partnership round's board").await;
    click_stable(driver, By::XPath("//summary[normalize-space()='Post a need']")).await?;
    choose(driver, "area", "digital_technology").await?;
    send_stable(driver, By::Id("title"), TITLE).await?;
    send_stable(
        driver,
        By::Id("description"),
        "How Reception and Year 1 use the tablets, and whether it helps early reading.",
    )
    .await?;
    set_input(driver, "starts_on", &day(0)).await?;
    set_input(driver, "ends_on", &day(90)).await?;
    assert_accessible(driver, "posting a partnership need").await;
    click_stable(driver, By::XPath("//button[normalize-space()='Post need']")).await?;
    text_containing(driver, By::Css("main table tbody"), TITLE).await?;

    let trust = server.login("trust").await;
    let round = trust.list_partnership_rounds().await.unwrap().items.remove(0).id;
    let need = trust.list_partnership_needs(round).await.unwrap().items.into_iter().find(|n| n.title == TITLE).unwrap();
    assert_eq!(need.area, trellis_wire::NeedArea::DigitalTechnology);

    switch_to(driver, base, "head.b").await?;
    visit(driver, base, &format!("/partnership-needs/{}", need.id)).await?;
    text_containing(driver, By::Id("match-title"), "Match a colleague").await?;
    driver.query(By::XPath("//button[@aria-label='Match Ben Carter']")).first().await?;
    assert_accessible(driver, "matching a colleague to a need").await;
    click_stable(driver, By::XPath("//button[@aria-label='Match Ben Carter']")).await?;
    text_containing(driver, By::Css("dl.facts"), "Ben Carter (Riverside Academy").await?;

    switch_to(driver, base, "participant.b").await?;
    click_stable(driver, By::LinkText("Partnerships")).await?;
    click_stable(driver, By::LinkText(TITLE)).await?;
    text_containing(driver, By::Css("main h1"), TITLE).await?;
    set_input(driver, "visited_on", &day(0)).await?;
    click_stable(driver, By::Css("label[for='way-lesson_observation']")).await?;
    click_stable(driver, By::Css("label[for='way-staff_interview']")).await?;
    send_stable(driver, By::Id("notes"), "Two Reception lessons; the EYFS lead.").await?;
    assert_accessible(driver, "logging a partnership visit").await;
    click_stable(driver, By::XPath("//button[normalize-space()='Log visit']")).await?;
    text_containing(
        driver,
        By::Css("section[aria-labelledby='visits-title'] .card"),
        "Lesson observation, Staff interview",
    )
    .await?;
    send_stable(driver, By::Id("findings"), "Tablets are used for phonics games without follow-up.").await?;
    send_stable(driver, By::Id("action_plan"), "Pair each tablet session with a guided reading group.").await?;
    set_input(driver, "presented_on", &day(0)).await?;
    click_stable(driver, By::XPath("//button[normalize-space()='Save the write-up']")).await?;
    text_containing(driver, By::Css("dl.facts"), "Reported").await?;
    assert_accessible(driver, "a partnership need written up").await;

    switch_to(driver, base, "head.a").await?;
    visit(driver, base, &format!("/partnership-needs/{}", need.id)).await?;
    click_stable(driver, By::XPath("//button[normalize-space()='Acknowledge the findings']")).await?;
    text_containing(driver, By::Css("main"), "Acknowledged by the host school").await?;
    let done = trust.get_partnership_need(need.id).await.unwrap();
    assert_eq!((done.status, done.visits.len()), (trellis_wire::NeedStatus::Acknowledged, 1));
    assert_eq!(done.matched.map(|m| m.person_name), Some("Ben Carter".to_owned()));
    Ok(())
}

browser_test!(the_facilitator_reads_prints_and_adds_to_a_cohorts_evaluation_report, evaluation_run);

/// The facilitator opens the finished Leadership for Learning cohort's evaluation report from its
/// cohort page: the seed's sections, the attendance and poster charts with their table, the
/// posters' annex; records an end-of-programme interview, which the report then quotes; and
/// downloads the CSV. Axe-clean, on a desktop and on a phone.
async fn evaluation_run(server: &TestServer, driver: &WebDriver) -> WebDriverResult<()> {
    let base = server.base.as_str();
    let fac = server.login("facilitator").await;
    let cohorts = fac.list_cohorts(&ListParams { limit: Some(200), ..Default::default() }).await.unwrap().items;
    let lfl = cohorts.into_iter().find(|c| c.name == trellis_api::seed::LFL_COHORT_NAME).unwrap();
    let today = chrono::Utc::now().date_naive().format("%Y-%m-%d").to_string();

    sign_in(driver, base, "facilitator").await?;
    visit(driver, base, &format!("/cohorts/{}", lfl.id)).await?;
    click_stable(driver, By::LinkText("Evaluation report")).await?;
    text_containing(driver, By::Css("main h1"), "evaluation").await?;
    let report = text_containing(driver, By::Css("article.evaluation-report"), "Annex A").await?;
    for heading in
        ["1. Background", "3. What heads expected", "5. Impact at the interim stage", "7. Challenges", "8. Conclusion"]
    {
        assert!(report.contains(heading), "{heading} missing");
    }
    assert!(report.contains("There were 7 participants from 4 schools"), "{report}");
    assert!(report.contains("Staff turnover: 1"), "{report}");
    assert_eq!(driver.find_all(By::Css("article svg.chart")).await?.len(), 2);
    assert_accessible(driver, "a cohort's evaluation report").await;

    click_stable(driver, By::XPath("//summary[normalize-space()='Record an interview']")).await?;
    choose(driver, "stage", "end").await?;
    choose(driver, "role", "governor").await?;
    send_stable(driver, By::Id("interviewee"), "Irene Cole, governor").await?;
    set_input(driver, "held_on", &today).await?;
    send_stable(driver, By::Id("expected"), "To see how leaders develop.").await?;
    send_stable(driver, By::Id("impact"), "Governors now hear leaders present their projects.").await?;
    send_stable(driver, By::Id("challenges"), "Seminar dates clashed with our meetings.").await?;
    assert_accessible(driver, "recording an evaluation interview").await;
    click_stable(driver, By::XPath("//button[normalize-space()='Save interview']")).await?;
    text_containing(driver, By::Css("article.evaluation-report"), "Governors now hear leaders present").await?;
    let r = fac.get_cohort_evaluation(lfl.id).await.unwrap();
    assert!(
        r.interviews
            .iter()
            .any(|i| i.interviewee == "Irene Cole, governor" && i.role == trellis_wire::IntervieweeRole::Governor)
    );

    click_stable(driver, By::XPath("//button[normalize-space()='Download CSV']")).await?;
    let csv = downloaded("trellis-evaluation.csv").await;
    assert!(csv.starts_with("section,item,value,text") && csv.contains("Irene Cole, governor"), "{csv}");

    driver.set_window_rect(0, 0, 390, 844).await?;
    visit(driver, base, &format!("/cohorts/{}/evaluation", lfl.id)).await?;
    text_containing(driver, By::Css("article.evaluation-report"), "Annex A").await?;
    assert_accessible(driver, "a cohort's evaluation report on a phone").await;
    driver.set_window_rect(0, 0, 1280, 900).await?;
    Ok(())
}

browser_test!(moving_between_two_cohorts_on_the_same_route_shows_the_second_ones_data, same_route_run);

/// `/cohorts/A` → `/cohorts/B` through an in-app link: the router keeps the route and changes
/// only its parameter, and the page must follow it (it once kept showing A).
async fn same_route_run(server: &TestServer, driver: &WebDriver) -> WebDriverResult<()> {
    let api = server.login("admin").await;
    let cohorts = api.list_cohorts(&ListParams::default()).await.unwrap().items;
    assert!(cohorts.len() >= 2, "the demo has several cohorts");
    let (a, b) = (&cohorts[0], &cohorts[1]);
    assert_ne!(a.name, b.name);
    let count = |id| {
        let api = api.clone();
        async move {
            api.list_enrolments(id, &ListParams { limit: Some(200), ..Default::default() }).await.unwrap().items.len()
        }
    };
    let b_rows = count(b.id).await;
    assert_ne!(count(a.id).await, b_rows, "the two cohorts can be told apart by their rows");

    sign_in(driver, &server.base, "admin").await?;
    visit(driver, &server.base, &format!("/cohorts/{}", a.id)).await?;
    heading(driver, &a.name).await?;
    // A link inside the app, as the breadcrumb or a search result would be: the router takes it.
    driver
        .execute(
            "const a = document.createElement('a'); a.id = 'to-b'; a.href = arguments[0]; a.textContent = 'B';
             document.querySelector('main').prepend(a);",
            vec![serde_json::json!(format!("/cohorts/{}", b.id))],
        )
        .await?;
    driver.find(By::Id("to-b")).await?.click().await?;
    heading(driver, &b.name).await?;
    assert!(driver.current_url().await?.path().ends_with(&b.id.to_string()));
    for _ in 0..50 {
        if driver.find_all(By::Css("table.enrolments tbody tr")).await?.len() == b_rows {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(driver.find_all(By::Css("table.enrolments tbody tr")).await?.len(), b_rows, "B's enrolments, not A's");
    // Back goes to A, with A's data.
    driver.back().await?;
    heading(driver, &a.name).await?;
    assert_accessible(driver, "a cohort reached from another").await;
    Ok(())
}

/// Makes the browser refuse requests whose URL matches any of `patterns` (DevTools), as a web
/// filter or a dropped line would; an empty list lets everything through again.
async fn block(driver: &WebDriver, patterns: &[&str]) -> WebDriverResult<()> {
    let devtools = driver.cdp();
    devtools.send_raw("Network.enable", serde_json::json!({})).await?;
    devtools.send_raw("Network.setBlockedURLs", serde_json::json!({ "urls": patterns })).await?;
    Ok(())
}

browser_test!(a_blocked_app_file_gets_a_message_that_says_what_to_tell_it, blocked_wasm_run);

/// A school's web filter that blocks `.wasm` files once left a blank page for ever: now the page
/// says what happened and what to ask the school's IT for. And `/favicon.ico` is an icon.
async fn blocked_wasm_run(server: &TestServer, driver: &WebDriver) -> WebDriverResult<()> {
    block(driver, &["*.wasm"]).await?;
    driver.goto(&server.base).await?;
    let message = text_containing(driver, By::Id("boot-error"), "could not load").await?;
    assert!(message.contains("school's IT") && message.contains(".wasm"), "{message}");
    assert!(driver.find_all(By::Id("boot")).await?.is_empty(), "the loading message gives way to the error");
    assert_accessible(driver, "the page when the app file is blocked").await;

    block(driver, &[]).await?;
    driver.refresh().await?;
    driver.query(By::Id("email")).first().await?;
    assert!(driver.find(By::Id("boot-error")).await?.attr("hidden").await?.is_some());

    let icon = reqwest::get(format!("{}/favicon.ico", server.base)).await.unwrap();
    assert_eq!(icon.headers()["content-type"], "image/x-icon");
    assert_eq!(&icon.bytes().await.unwrap()[..4], &[0, 0, 1, 0], "an ICO file, not the index page");
    Ok(())
}

browser_test!(a_part_of_the_app_that_cannot_download_says_so_and_the_app_carries_on, blocked_part_run);

/// The line drops while a participant opens her programme: its part of the app cannot be
/// downloaded. The page says so (the app does not stop), the rest of the app still works, and the
/// reload link fetches the part once the line is back.
async fn blocked_part_run(server: &TestServer, driver: &WebDriver) -> WebDriverResult<()> {
    block(driver, &["*split_learning*"]).await?;
    sign_in(driver, &server.base, "participant.a").await?;
    click_stable(driver, By::Css("main h3 a[href^='/enrolments/']")).await?;
    driver.query(By::XPath("//h1[normalize-space()='This page could not be loaded']")).first().await?;
    let alert = driver.find(By::Css("main [role='alert']")).await?.text().await?;
    assert!(alert.contains("could not be downloaded") && alert.contains("school's IT"), "{alert}");
    assert!(driver.find(By::Id("boot-error")).await?.attr("hidden").await?.is_some(), "the app has not stopped");
    assert_accessible(driver, "a page whose part could not be downloaded").await;

    // The reload link reloads the document (the router would take a plain link as staying put).
    driver.execute("window.trellisMarker = 1", vec![]).await?;
    click_stable(driver, By::LinkText("reload the page")).await?;
    for _ in 0..100 {
        if driver.execute("return window.trellisMarker === undefined", vec![]).await?.json().as_bool() == Some(true) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(driver.execute("return window.trellisMarker === undefined", vec![]).await?.json().as_bool(), Some(true));
    driver.query(By::XPath("//h1[normalize-space()='This page could not be loaded']")).first().await?;

    // The app carries on: another part's page opens.
    click_stable(driver, By::Css("a.who-link")).await?;
    driver.query(By::XPath("//main//h1[normalize-space()='Your profile']")).first().await?;

    // The line is back: the next visit to the page downloads its part.
    block(driver, &[]).await?;
    driver.back().await?;
    driver.query(By::XPath("//h1[normalize-space()='My programme']")).first().await?;
    driver.query(By::Id("progress-summary")).first().await?;
    Ok(())
}
