//! A real SMTP server for tests: Python's aiosmtpd (from `tools/venv`, installed by
//! `make py-tools`), saving each accepted message as JSON (`tools/smtp_sink.py`). A missing
//! virtualenv is a failure, never a skip.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde::Deserialize;

/// One delivered message, as the sink parsed it.
#[derive(Debug, Clone, Deserialize)]
pub struct Mail {
    pub mail_from: String,
    pub rcpt_tos: Vec<String>,
    pub from: String,
    pub to: String,
    pub subject: String,
    pub message_id: String,
    pub content_type: String,
    pub text: Option<String>,
    pub html: Option<String>,
}

impl Mail {
    /// The first link in the plain-text body that starts with `prefix`.
    pub fn link(&self, prefix: &str) -> Option<String> {
        let text = self.text.as_deref()?;
        let start = text.find(prefix)?;
        Some(text[start..].split_whitespace().next()?.to_owned())
    }
}

pub struct SmtpSink {
    pub port: u16,
    dir: PathBuf,
    child: Option<Child>,
}

pub(crate) fn tools() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tools")
}

/// Waits (up to 20 s) until something accepts connections on the port.
pub(crate) fn wait_listening(port: u16, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "{what} did not start listening on port {port}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The `*.json` files a Python helper wrote into `dir`, parsed, in name order.
pub(crate) fn json_files<T: serde::de::DeserializeOwned>(dir: &std::path::Path) -> Vec<T> {
    let Ok(entries) = std::fs::read_dir(dir) else { return vec![] };
    let mut paths: Vec<PathBuf> =
        entries.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "json")).collect();
    paths.sort();
    paths
        .iter()
        .map(|p| serde_json::from_str(&std::fs::read_to_string(p).expect("read")).expect("a JSON record"))
        .collect()
}

pub(crate) fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    l.local_addr().expect("address").port()
}

impl SmtpSink {
    /// Starts a sink on a free port.
    pub fn start() -> SmtpSink {
        let dir = std::env::temp_dir().join(format!("trellis-smtp-{}", uuid::Uuid::new_v4().simple()));
        let mut sink = SmtpSink { port: free_port(), dir, child: None };
        sink.up();
        sink
    }

    /// A port nothing listens on yet, for a test that starts the sink later ([`SmtpSink::up`]).
    pub fn reserved() -> SmtpSink {
        let dir = std::env::temp_dir().join(format!("trellis-smtp-{}", uuid::Uuid::new_v4().simple()));
        SmtpSink { port: free_port(), dir, child: None }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Starts the server (again) and waits until it accepts connections.
    pub fn up(&mut self) {
        let python = tools().join("venv/bin/python");
        assert!(
            python.is_file(),
            "{} is missing: run `make py-tools` (aiosmtpd is in tools/requirements.txt)",
            python.display()
        );
        let child = Command::new(python)
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{}", self.port), "-c", "smtp_sink.JsonSink"])
            .arg(&self.dir)
            .env("PYTHONPATH", tools())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start aiosmtpd");
        self.child = Some(child);
        wait_listening(self.port, "aiosmtpd");
    }

    /// Every message delivered so far, in order.
    pub fn messages(&self) -> Vec<Mail> {
        json_files(&self.dir)
    }

    /// Waits (up to 15 s) for a message to `to` whose subject contains `subject`.
    pub async fn wait_for(&self, to: &str, subject: &str) -> Mail {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if let Some(m) = self.messages().into_iter().find(|m| m.to.contains(to) && m.subject.contains(subject)) {
                return m;
            }
            assert!(Instant::now() < deadline, "no mail to {to} about {subject:?}; got {:?}", self.messages());
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
