//! Test harness: the real `trellis` application on port 0, against a fresh SQLite file or a
#![allow(clippy::expect_used, clippy::unwrap_used)] // a test harness: failing loudly is the point
//! fresh PostgreSQL database, seeded with the demo data.

pub mod chromium;
pub mod fixtures;
pub mod smtp;
pub mod webhooks;

pub use smtp::{Mail, SmtpSink};
pub use webhooks::{Received, WebhookReceiver};

use std::path::PathBuf;
use std::sync::mpsc;
use trellis_api::{Application, Config};
use trellis_client::Client;

pub use trellis_api::seed::{DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_COHORT_NAME};
/// The test server's upload limit: 1 MiB, so an oversize upload is cheap to send.
pub const MAX_UPLOAD_BYTES: u64 = 1024 * 1024;

pub const PASSWORD: &str = "trellis-demo";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A running server; stopped (and its database dropped) on drop.
pub struct TestServer {
    pub base: String,
    pub backend: Backend,
    /// The database the server runs on, for tests that check what it stored (such as the
    /// enrolment event log, which the API does not expose).
    pub database_url: String,
    handle: actix_web::dev::ServerHandle,
    thread: Option<std::thread::JoinHandle<()>>,
    data_dir: PathBuf,
    pg_drop: Option<(String, String)>,
}

fn unique() -> String {
    uuid::Uuid::new_v4().simple().to_string()[..12].to_owned()
}

/// The PostgreSQL server for tests. `make test` and `.ci/run` set it; a missing value is a
/// failure, never a skip.
pub fn postgres_admin_url() -> String {
    std::env::var("TRELLIS_TEST_POSTGRES_URL").unwrap_or_else(|_| {
        panic!("TRELLIS_TEST_POSTGRES_URL is not set: run the suite through `make test`, or point it at a PostgreSQL database such as postgres://postgres@127.0.0.1:5432/test")
    })
}

fn create_pg_database() -> (String, (String, String)) {
    use diesel::{Connection, PgConnection, RunQueryDsl};
    let admin = postgres_admin_url();
    let name = format!("trellis_test_{}", unique());
    let mut conn =
        PgConnection::establish(&admin).unwrap_or_else(|e| panic!("cannot reach PostgreSQL at {admin}: {e}"));
    diesel::sql_query(format!("CREATE DATABASE {name}")).execute(&mut conn).expect("create test database");
    let (prefix, _) = admin.rsplit_once('/').expect("database URL has a path");
    (format!("{prefix}/{name}"), (admin, name))
}

/// Webhooks to the test's own receiver on 127.0.0.1, polled often, retried after a second or two
/// and switched off after five failures in a row, so tests see each within seconds.
fn webhook_config() -> trellis_api::webhooks::WebhookConfig {
    trellis_api::webhooks::WebhookConfig {
        allow_private: true,
        poll: std::time::Duration::from_millis(100),
        timeout: std::time::Duration::from_secs(5),
        policy: trellis_domain::webhook::RetryPolicy {
            base_secs: 1,
            cap_secs: 2,
            max_attempts: 20,
            disable_after_failures: 5,
            disable_after_secs: 0,
        },
    }
}

impl TestServer {
    pub fn start(backend: Backend) -> TestServer {
        TestServer::start_with(backend, None)
    }

    pub fn start_with(backend: Backend, static_dir: Option<PathBuf>) -> TestServer {
        TestServer::start_full(backend, static_dir, None, None)
    }

    /// A server that hands out links under `public_url` (as behind a reverse proxy).
    pub fn start_public(backend: Backend, public_url: &str) -> TestServer {
        TestServer::start_full(backend, None, Some(public_url.to_owned()), None)
    }

    /// A server whose mail worker sends through `smtp_url` (a [`SmtpSink`]), polling often and
    /// retrying soon, so tests see mail within a second or two.
    pub fn start_mailing(backend: Backend, smtp_url: &str, static_dir: Option<PathBuf>) -> TestServer {
        let mail = trellis_api::mail::MailConfig {
            smtp_url: Some(smtp_url.to_owned()),
            from: "Trellis <no-reply@trellis.test>".into(),
            poll: std::time::Duration::from_millis(100),
            retry_base: std::time::Duration::from_millis(300),
            max_attempts: 20,
        };
        TestServer::start_full(backend, static_dir, None, Some(mail))
    }

    /// A second API node on this server's database (the same tokens work on both), as in a
    /// deployment with several nodes. It leaves the database to this server.
    pub fn another_node(&self) -> TestServer {
        let data_dir = std::env::temp_dir().join(format!("trellis-e2e-{}", unique()));
        std::fs::create_dir_all(&data_dir).expect("temp dir");
        TestServer::launch(self.backend, data_dir, self.database_url.clone(), None, None, None, None)
    }

    fn start_full(
        backend: Backend,
        static_dir: Option<PathBuf>,
        public_url: Option<String>,
        mail: Option<trellis_api::mail::MailConfig>,
    ) -> TestServer {
        let data_dir = std::env::temp_dir().join(format!("trellis-e2e-{}", unique()));
        std::fs::create_dir_all(&data_dir).expect("temp dir");
        let (database_url, pg_drop) = match backend {
            Backend::Sqlite => (data_dir.join("test.sqlite3").to_string_lossy().into_owned(), None),
            Backend::Postgres => {
                let (url, drop) = create_pg_database();
                (url, Some(drop))
            }
        };
        let pool = trellis_api::db::connect(&database_url).expect("connect");
        trellis_api::db::migrate(&pool).expect("migrate");
        trellis_api::seed::seed_demo(&pool, PASSWORD).expect("seed");
        drop(pool);
        TestServer::launch(backend, data_dir, database_url, pg_drop, static_dir, public_url, mail)
    }

    fn launch(
        backend: Backend,
        data_dir: PathBuf,
        database_url: String,
        pg_drop: Option<(String, String)>,
        static_dir: Option<PathBuf>,
        public_url: Option<String>,
        mail: Option<trellis_api::mail::MailConfig>,
    ) -> TestServer {
        let config = Config {
            clock: trellis_api::clock::Clock::system(),
            database_url: database_url.clone(),
            bind: "127.0.0.1:0".into(),
            data_dir: data_dir.clone(),
            jwt_secret: b"an-e2e-test-secret-that-is-long-enough".to_vec(),
            static_dir,
            demo_password: PASSWORD.into(),
            public_url,
            trusted_proxies: vec![],
            mail: mail.unwrap_or_default(),
            max_upload_bytes: MAX_UPLOAD_BYTES,
            webhooks: webhook_config(),
            client_rate_limit: trellis_api::config::DEFAULT_CLIENT_RATE_LIMIT,
        };
        let (tx, rx) = mpsc::channel();
        let thread = std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                let app = Application::build(&config).expect("build application");
                tx.send((app.addr, app.handle())).expect("report address");
                app.run().await.expect("server ran");
            })
        });
        let (addr, handle) = rx.recv().expect("server started");
        TestServer {
            base: format!("http://{addr}"),
            backend,
            database_url,
            handle,
            thread: Some(thread),
            data_dir,
            pg_drop,
        }
    }

    /// A direct connection to the server's database, opened as the server opens its own.
    pub fn db(&self) -> trellis_api::db::DbConn {
        use diesel::Connection;
        trellis_api::db::DbConn::establish(&self.database_url).expect("connect to the test database")
    }

    /// The server's data directory (its evidence files are under `files/`).
    pub fn data_dir(&self) -> &std::path::Path {
        &self.data_dir
    }

    pub fn client(&self) -> Client {
        Client::new(&self.base)
    }

    /// A client signed in as one of the demo users (by the part before `@trellis.test`).
    pub async fn login(&self, who: &str) -> Client {
        let c = self.client();
        let pair = c
            .create_session(&format!("{who}@trellis.test"), PASSWORD)
            .await
            .unwrap_or_else(|e| panic!("login {who}: {e}"));
        c.with_token(pair.access_token)
    }

    pub async fn mis(&self) -> Client {
        let c = self.client();
        let t = c.create_client_token(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, None).await.expect("client token");
        c.with_token(t.access_token)
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        let stop = self.handle.stop(false);
        // The server runs on its own thread's runtime; wait for it to stop before dropping its database.
        let _ = std::thread::spawn(move || futures_lite_block_on(stop)).join();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        let _ = std::fs::remove_dir_all(&self.data_dir);
        if let Some((admin, name)) = self.pg_drop.take() {
            use diesel::{Connection, PgConnection, RunQueryDsl};
            if let Ok(mut conn) = PgConnection::establish(&admin) {
                let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut conn);
            }
        }
    }
}

fn futures_lite_block_on<F: std::future::Future>(f: F) -> F::Output {
    actix_web::rt::System::new().block_on(f)
}

/// Declares async test bodies `fn(Backend)` as one `#[tokio::test]` per backend, in modules
/// `sqlite` and `postgres`.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),+ $(,)?) => {
        mod sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() { super::$name($crate::Backend::Sqlite).await })+
        }
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() { super::$name($crate::Backend::Postgres).await })+
        }
    };
}
