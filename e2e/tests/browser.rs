//! The real SPA in headless Chromium through chromedriver: sign in, open the demo cohort,
//! withdraw an enrolment with a reason, and see the new status (and that it persisted).

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed unwrap is a failed test

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;
use thirtyfour::prelude::*;
use trellis_e2e::{Backend, DEMO_COHORT_NAME, TestServer};
use trellis_wire::{EnrolmentStatus, ListParams, WithdrawalReasonKind};

struct Chromedriver(Child);

impl Drop for Chromedriver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

async fn start_chromedriver() -> (Chromedriver, String) {
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = Command::new("/usr/bin/chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver must be installed (apt-get install chromium-driver; .ci/run does this)");
    let guard = Chromedriver(child);
    let url = format!("http://127.0.0.1:{port}");
    for _ in 0..200 {
        if let Ok(r) = reqwest::get(format!("{url}/status")).await
            && r.status().is_success()
        {
            return (guard, url);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("chromedriver did not become ready");
}

async fn browser(driver_url: &str, profile: &std::path::Path) -> WebDriver {
    let mut caps = DesiredCapabilities::chrome();
    caps.set_binary("/usr/bin/chromium").unwrap();
    for arg in [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,900",
    ] {
        caps.add_arg(arg).unwrap();
    }
    caps.add_arg(&format!("--user-data-dir={}", profile.display())).unwrap();
    WebDriver::new(driver_url, caps).await.expect("start a Chromium session")
}

fn spa_dir() -> PathBuf {
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../frontend/dist"));
    assert!(
        dir.join("index.html").is_file() && dir.join("trellis_bg.wasm").is_file(),
        "the SPA is not built: run `make frontend` (make test does)"
    );
    dir
}

async fn row_status(driver: &WebDriver, name: &str) -> String {
    let row = driver.query(By::XPath(format!("//tr[th[normalize-space()='{name}']]"))).first().await.unwrap();
    row.find(By::Css("td.status")).await.unwrap().text().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn facilitator_withdraws_an_enrolment_with_a_reason_in_the_browser() {
    let server = TestServer::start_with(Backend::Sqlite, Some(spa_dir()));
    let (_chromedriver, driver_url) = start_chromedriver().await;
    let profile = std::env::temp_dir().join(format!("trellis-chromium-{}", uuid::Uuid::new_v4()));
    let driver = browser(&driver_url, &profile).await;
    let result = run(&server, &driver).await;
    let _ = driver.quit().await;
    let _ = std::fs::remove_dir_all(&profile);
    result.unwrap();
}

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
    let heading = driver.query(By::Tag("h1")).with_text("Cohorts").first().await?;
    assert_eq!(heading.text().await?, "Cohorts");
    assert!(driver.find(By::Css(".who-role")).await?.text().await?.contains("Facilitator"));
    driver.query(By::LinkText(DEMO_COHORT_NAME)).first().await?.click().await?;
    driver.query(By::Tag("h1")).with_text(DEMO_COHORT_NAME).first().await?;
    assert_eq!(row_status(driver, "Omar Shah").await, "Nominated");
    let rows = driver.find_all(By::Css("table.enrolments tbody tr")).await?;
    assert_eq!(rows.len(), 12, "the facilitator sees the whole cohort");

    let row = driver.find(By::XPath("//tr[th[normalize-space()='Omar Shah']]")).await?;
    row.find(By::Css("button[data-action='withdraw']")).await?.click().await?;
    driver.query(By::Id("withdraw-reason")).first().await?;
    driver.find(By::Css("#withdraw-reason option[value='other']")).await?.click().await?;
    // The domain rule runs in the browser too: "other" needs details.
    driver.find(By::XPath("//button[normalize-space()='Confirm withdrawal']")).await?.click().await?;
    let alert = driver.query(By::Css("section.panel [role='alert']")).first().await?.text().await?;
    assert!(alert.contains("needs details"), "{alert}");
    driver.find(By::Id("withdraw-details")).await?.send_keys("Taking up a post abroad").await?;
    driver.find(By::XPath("//button[normalize-space()='Confirm withdrawal']")).await?.click().await?;

    driver.query(By::Css(".alert.success")).with_text("Omar Shah has been withdrawn.").first().await?;
    let status = row_status(driver, "Omar Shah").await;
    assert!(status.starts_with("Withdrawn"), "{status}");

    // It is stored: the API agrees, and a reload (session resumed) shows the same.
    let api = server.login("facilitator").await;
    let cohort = api
        .cohorts(&ListParams::default())
        .await
        .unwrap()
        .items
        .into_iter()
        .find(|c| c.name == DEMO_COHORT_NAME)
        .unwrap();
    let omar = api
        .enrolments(cohort.id, &ListParams { limit: Some(200), ..Default::default() })
        .await
        .unwrap()
        .items
        .into_iter()
        .find(|e| e.person_name == "Omar Shah")
        .unwrap();
    assert_eq!(omar.status, EnrolmentStatus::Withdrawn);
    let reason = omar.withdrawal_reason.unwrap();
    assert_eq!(
        (reason.kind, reason.details.as_deref()),
        (WithdrawalReasonKind::Other, Some("Taking up a post abroad"))
    );

    driver.refresh().await?;
    driver.query(By::Tag("h1")).with_text(DEMO_COHORT_NAME).first().await?;
    let status = row_status(driver, "Omar Shah").await;
    assert!(status.starts_with("Withdrawn"), "{status}");
    Ok(())
}
