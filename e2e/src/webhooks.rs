//! A real webhook receiver for tests: `tools/webhook_receiver.py`, an HTTP server that verifies
//! every message with PyPI's `standardwebhooks` (from `tools/venv`, installed by `make py-tools`)
//! and saves what it got. A missing virtualenv is a failure, never a skip.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde::Deserialize;

use crate::smtp::{free_port, json_files, tools, wait_listening};

/// One request the receiver got.
#[derive(Debug, Clone, Deserialize)]
pub struct Received {
    /// 1, 2, … in arrival order.
    pub n: u32,
    pub path: String,
    /// The `webhook-*` headers, `content-type` and `user-agent`, lower-cased.
    pub headers: std::collections::BTreeMap<String, String>,
    pub body: String,
    /// `standardwebhooks.Webhook(secret).verify(body, headers)` passed.
    pub verified: bool,
    pub error: Option<String>,
    /// The status the receiver answered.
    pub answered: u16,
}

impl Received {
    pub fn id(&self) -> &str {
        self.headers.get("webhook-id").map(String::as_str).unwrap_or_default()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).expect("a webhook body is JSON")
    }
}

pub struct WebhookReceiver {
    pub port: u16,
    dir: PathBuf,
    child: Option<Child>,
}

impl WebhookReceiver {
    /// A port for the receiver, to subscribe before its secret is known ([`WebhookReceiver::up`]).
    pub fn reserve() -> WebhookReceiver {
        let dir = std::env::temp_dir().join(format!("trellis-webhooks-{}", uuid::Uuid::new_v4().simple()));
        WebhookReceiver { port: free_port(), dir, child: None }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/trellis/webhooks", self.port)
    }

    /// Starts the receiver with the subscription's secret; it answers 500 to the first
    /// `fail_first` requests. Waits until it accepts connections.
    pub fn up(&mut self, secret: &str, fail_first: u32) {
        let python = tools().join("venv/bin/python");
        assert!(
            python.is_file(),
            "{} is missing: run `make py-tools` (standardwebhooks is in tools/requirements.txt)",
            python.display()
        );
        let child = Command::new(python)
            .arg(tools().join("webhook_receiver.py"))
            .arg(self.port.to_string())
            .arg(secret)
            .arg(&self.dir)
            .arg(fail_first.to_string())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start the webhook receiver");
        self.child = Some(child);
        wait_listening(self.port, "the webhook receiver");
    }

    /// Every request so far, in order.
    pub fn received(&self) -> Vec<Received> {
        json_files(&self.dir)
    }

    /// Waits (up to 20 s) until a request satisfies `pred`, and returns it.
    pub async fn wait_for(&self, what: &str, pred: impl Fn(&Received) -> bool) -> Received {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(r) = self.received().into_iter().find(|r| pred(r)) {
                return r;
            }
            assert!(Instant::now() < deadline, "no webhook {what}; got {:?}", self.received());
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

impl Drop for WebhookReceiver {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
