//! Headless Chromium through chromedriver (Debian's `chromium` and `chromium-driver`, which
//! `.ci/run` installs): the browser tests and the load benchmark drive the real SPA with it.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;
use thirtyfour::prelude::*;

/// A running chromedriver, stopped when dropped.
pub struct Chromedriver(Child);

impl Drop for Chromedriver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts chromedriver on a free loopback port and waits until it answers.
pub async fn start_chromedriver() -> (Chromedriver, String) {
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

/// A fresh headless Chromium session (1280 × 900) with its own profile folder.
pub async fn browser(driver_url: &str, profile: &Path) -> WebDriver {
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
    // Downloads land in the profile's `downloads` folder, without asking.
    caps.add_experimental_option(
        "prefs",
        serde_json::json!({
            "download.default_directory": profile.join("downloads").display().to_string(),
            "download.prompt_for_download": false,
        }),
    )
    .unwrap();
    WebDriver::new(driver_url, caps).await.expect("start a Chromium session")
}

/// The built SPA (`make frontend`), which every browser run serves.
pub fn spa_dir() -> PathBuf {
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../frontend/dist"));
    assert!(
        dir.join("index.html").is_file() && dir.join("assets").is_dir(),
        "the SPA is not built: run `make frontend` (make test does)"
    );
    dir
}
