//! Database access: one diesel `MultiConnection` over SQLite and PostgreSQL, chosen at run time by
//! `DATABASE_URL`, pooled with r2d2, migrated at start.

pub mod allowed;
pub mod assessment;
pub mod attendance;
pub mod audit;
pub mod bench_seed;
pub mod calendar_feeds;
pub mod certificates;
pub mod clients;
pub mod coaching;
pub mod cohorts;
pub mod dashboards;
pub mod diagnostic;
pub mod enrolments;
pub mod evaluation;
pub mod expectations;
pub mod facts;
pub mod groups;
pub mod hubs;
pub mod idempotency;
pub mod invitations;
pub mod models;
pub mod organisations;
pub mod outbox;
pub mod partnerships;
pub mod password_resets;
pub mod people;
pub mod portfolio;
pub mod principals;
pub mod programmes;
pub mod projects;
pub mod report_drafts;
pub mod roles;
pub mod roster;
pub mod rule_facts;
pub mod schema;
pub mod schools;
pub mod sessions;
pub mod sign_ins;
pub mod touch;
pub mod usage;
pub mod users;
pub mod webhooks;

use std::panic::{self, AssertUnwindSafe};
use std::sync::{Arc, Mutex, PoisonError, mpsc};
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::r2d2::{ConnectionManager, CustomizeConnection, Pool, PooledConnection, R2D2Connection};
use diesel::{Connection, PgConnection, SqliteConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
use tokio::sync::oneshot;

use crate::auth::{Bearer, Caller};
use crate::error::ApiError;

#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Sqlite(SqliteConnection),
    Pg(PgConnection),
}

pub type DbPool = Pool<ConnectionManager<DbConn>>;

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/sqlite");
const PG_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/postgres");

/// Runs `$body` with `$c` bound to the concrete connection underneath a [`DbConn`]. Through the
/// multi-backend connection diesel writes out each query's SQL text on every run to find its cached
/// statement; on the concrete connection a statically typed query finds it by its type. For the few
/// queries on every request's path (the caller's session, the object being read).
macro_rules! on_backend {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::db::DbConn::Sqlite($c) => $body,
            $crate::db::DbConn::Pg($c) => $body,
        }
    };
}
pub(crate) use on_backend;

/// A boxed query over `$table` narrowed to one keyset page: ids after the cursor, changed since
/// `updated_since`, in id order, at most a page and one more (see [`crate::paging::PageRequest`]).
macro_rules! keyset_page {
    ($q:expr, $table:ident, $page:expr) => {{
        let mut q = $q;
        if let Some(after) = &$page.after {
            q = q.filter($table::id.gt(after.clone()));
        }
        if let Some(since) = $page.updated_since {
            q = q.filter($table::updated_at.ge(since));
        }
        q.order($table::id.asc()).limit($page.fetch())
    }};
}
pub(crate) use keyset_page;

/// Which engine a URL selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of(url: &str) -> Backend {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// Per-connection SQLite settings: WAL for concurrent readers, foreign keys enforced (SQLite's
/// default is off), and a busy timeout so concurrent writers wait instead of failing.
#[derive(Debug)]
struct SqlitePragmas;

impl CustomizeConnection<DbConn, diesel::r2d2::Error> for SqlitePragmas {
    fn on_acquire(&self, conn: &mut DbConn) -> Result<(), diesel::r2d2::Error> {
        if let DbConn::Sqlite(c) = conn {
            c.batch_execute(
                // busy_timeout first: switching to WAL takes a lock that connections opening at
                // the same moment must wait for rather than fail on.
                "PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; \
                 PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;",
            )
            .map_err(diesel::r2d2::Error::QueryError)?;
        }
        Ok(())
    }
}

/// Opens a pool; a plain path or `sqlite://path` is SQLite, `postgres://` is PostgreSQL.
pub fn connect(url: &str) -> Result<DbPool, Box<dyn std::error::Error + Send + Sync>> {
    let url = url.strip_prefix("sqlite://").unwrap_or(url);
    let backend = Backend::of(url);
    let manager = ConnectionManager::<DbConn>::new(url);
    let builder = Pool::builder().connection_timeout(std::time::Duration::from_secs(10));
    let pool = match backend {
        // One connection per worker (see `Db`), and one for the command line and start-up.
        Backend::Sqlite => {
            builder.max_size(SQLITE_READERS as u32 + 2).connection_customizer(Box::new(SqlitePragmas)).build(manager)?
        }
        Backend::Postgres => builder.max_size(PG_WORKERS as u32 + 1).build(manager)?,
    };
    Ok(pool)
}

/// Applies pending migrations; returns how many ran.
pub fn migrate(pool: &DbPool) -> Result<usize, Box<dyn std::error::Error + Send + Sync>> {
    let mut conn = pool.get()?;
    let applied = match &mut *conn {
        DbConn::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS)?.len(),
        DbConn::Pg(c) => c.run_pending_migrations(PG_MIGRATIONS)?.len(),
    };
    Ok(applied)
}

/// How long a request may wait for a free database worker before it is refused (503).
const QUEUE_TIMEOUT: Duration = Duration::from_secs(10);
/// A held connection idle for longer is checked out afresh (r2d2 tests it on check-out), so a
/// connection the server closed in the meantime is not used.
const IDLE_RECHECK: Duration = Duration::from_secs(5);
/// Worker threads. SQLite: readers in WAL mode plus one writer, so that write transactions queue
/// in-process instead of sleeping in SQLite's busy handler. PostgreSQL: one lane for both.
const SQLITE_READERS: usize = 4;
const PG_WORKERS: usize = 16;

/// A unit of database work. It returns true when its connection may be unusable afterwards (an
/// internal error), so the worker checks out a tested one before the next job.
type Work = Box<dyn FnOnce(Result<&mut DbConn, ApiError>) -> bool + Send>;

struct Job {
    queued: Instant,
    work: Work,
}

/// Database access for handlers: a fixed set of worker threads, each holding one pooled connection,
/// fed through a queue. A request costs one hand-off to a worker that already holds a connection —
/// no per-request thread from the blocking pool, no pool check-out and its `SELECT 1` — and
/// requests beyond the workers wait as cheap async tasks, not as parked threads.
#[derive(Clone)]
pub struct Db {
    reads: mpsc::Sender<Job>,
    /// SQLite's write lane (one worker); on PostgreSQL writes share `reads`.
    writes: mpsc::Sender<Job>,
    pub backend: Backend,
}

impl Db {
    /// Starts the workers over `pool`; they stop when the last clone of the `Db` is dropped.
    pub fn new(pool: DbPool, backend: Backend) -> std::io::Result<Db> {
        let lane = |name: &str, workers: usize| -> std::io::Result<mpsc::Sender<Job>> {
            let (tx, rx) = mpsc::channel::<Job>();
            let rx = Arc::new(Mutex::new(rx));
            for i in 0..workers {
                let (pool, rx) = (pool.clone(), rx.clone());
                std::thread::Builder::new().name(format!("db-{name}-{i}")).spawn(move || worker(&pool, &rx))?;
            }
            Ok(tx)
        };
        Ok(match backend {
            Backend::Sqlite => Db { reads: lane("read", SQLITE_READERS)?, writes: lane("write", 1)?, backend },
            Backend::Postgres => {
                let both = lane("pg", PG_WORKERS)?;
                Db { reads: both.clone(), writes: both, backend }
            }
        })
    }

    /// Runs the reads `f` on a worker's connection, off the async executor, as one snapshot on
    /// SQLite (see `read_snapshot`). Writes go through [`Db::tx`].
    pub async fn run<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConn) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        submit(&self.reads, move |conn| read_snapshot(conn, f)).await
    }

    /// Runs `f` in one transaction: any error rolls back everything `f` wrote.
    pub async fn tx<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConn) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        submit(&self.writes, move |conn| write_transaction(conn, f)).await
    }

    /// [`Db::run`] for a signed-in caller: the caller's session is looked up (and a revoked one
    /// refused) on the same connection, in the same hand-off, as the work itself.
    pub async fn run_as<T, F>(&self, bearer: Bearer, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConn, Caller) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        self.run(move |conn| {
            let caller = bearer.resolve(conn)?;
            f(conn, caller)
        })
        .await
    }

    /// [`Db::tx`] for a signed-in caller (see [`Db::run_as`]).
    pub async fn tx_as<T, F>(&self, bearer: Bearer, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConn, Caller) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        self.tx(move |conn| {
            let caller = bearer.resolve(conn)?;
            f(conn, caller)
        })
        .await
    }
}

async fn submit<T, F>(lane: &mpsc::Sender<Job>, f: F) -> Result<T, ApiError>
where
    F: FnOnce(&mut DbConn) -> Result<T, ApiError> + Send + 'static,
    T: Send + 'static,
{
    let (tx, rx) = oneshot::channel();
    let work: Work = Box::new(move |conn| {
        // The request was abandoned while it queued: nothing was acknowledged, so nothing runs.
        if tx.is_closed() {
            return false;
        }
        let result = conn.and_then(f);
        let suspect = result.as_ref().is_err_and(|e| e.status.is_server_error());
        let _ = tx.send(result);
        suspect
    });
    lane.send(Job { queued: Instant::now(), work })
        .map_err(|_| ApiError::internal("the database workers have stopped"))?;
    rx.await.map_err(|_| ApiError::internal("a database job failed without an answer (it panicked)"))?
}

fn worker(pool: &DbPool, jobs: &Mutex<mpsc::Receiver<Job>>) {
    let mut held: Option<(PooledConnection<ConnectionManager<DbConn>>, Instant)> = None;
    loop {
        let next = jobs.lock().unwrap_or_else(PoisonError::into_inner).recv();
        let Ok(job) = next else { return };
        if job.queued.elapsed() > QUEUE_TIMEOUT {
            (job.work)(Err(ApiError::busy()));
            continue;
        }
        if held.as_ref().is_some_and(|(_, used)| used.elapsed() > IDLE_RECHECK) {
            held = None;
        }
        if held.is_none() {
            match pool.get() {
                Ok(conn) => held = Some((conn, Instant::now())),
                Err(e) => {
                    (job.work)(Err(ApiError::internal(e)));
                    continue;
                }
            }
        }
        let Some((conn, used)) = held.as_mut() else { continue };
        let outcome = panic::catch_unwind(AssertUnwindSafe(|| (job.work)(Ok(&mut **conn))));
        *used = Instant::now();
        // After a panic or an internal error, hand the connection back: r2d2 drops it if a
        // transaction was left open, and tests it before anyone uses it again.
        if !matches!(outcome, Ok(false)) || conn.is_broken() {
            held = None;
        }
    }
}

/// One write transaction. SQLite's default `BEGIN` is deferred: a transaction that reads and then
/// writes can fail with `SQLITE_BUSY` at once, whatever the busy timeout, when another writer got
/// in between. `BEGIN IMMEDIATE` takes the write lock up front, so concurrent writers queue instead.
pub fn write_transaction<T, F>(conn: &mut DbConn, f: F) -> Result<T, ApiError>
where
    F: FnOnce(&mut DbConn) -> Result<T, ApiError>,
{
    if !matches!(conn, DbConn::Sqlite(_)) {
        return conn.transaction(f);
    }
    sqlite_transaction(conn, "BEGIN IMMEDIATE", f)
}

/// The reads of one request, on SQLite in one read transaction: they see one snapshot, and the
/// WAL's shared-memory locks are taken once rather than once per statement. On PostgreSQL each
/// statement runs on its own (a `BEGIN READ ONLY` would cost two more round trips).
fn read_snapshot<T, F>(conn: &mut DbConn, f: F) -> Result<T, ApiError>
where
    F: FnOnce(&mut DbConn) -> Result<T, ApiError>,
{
    if !matches!(conn, DbConn::Sqlite(_)) {
        return f(conn);
    }
    sqlite_transaction(conn, "BEGIN", f)
}

fn sqlite_transaction<T, F>(conn: &mut DbConn, begin: &str, f: F) -> Result<T, ApiError>
where
    F: FnOnce(&mut DbConn) -> Result<T, ApiError>,
{
    conn.batch_execute(begin).map_err(ApiError::internal)?;
    let mut guard = RollbackGuard { conn, done: false };
    let result = f(guard.conn);
    let end = if result.is_ok() { "COMMIT" } else { "ROLLBACK" };
    guard.done = true;
    match guard.conn.batch_execute(end) {
        Ok(()) => result,
        Err(e) => {
            let _ = guard.conn.batch_execute("ROLLBACK");
            Err(ApiError::internal(e))
        }
    }
}

/// Rolls back if the transaction body panicked, so the pooled connection is not returned mid-transaction.
struct RollbackGuard<'a> {
    conn: &'a mut DbConn,
    done: bool,
}

impl Drop for RollbackGuard<'_> {
    fn drop(&mut self) {
        if !self.done {
            let _ = self.conn.batch_execute("ROLLBACK");
        }
    }
}

/// Whether the database answers (`GET /health`).
pub fn ping(conn: &mut DbConn) -> Result<(), diesel::result::Error> {
    conn.batch_execute("SELECT 1")
}

#[cfg(test)]
mod tests {
    use diesel::sql_types::Integer;
    use diesel::{Connection, RunQueryDsl, SqliteConnection};

    fn option_used(conn: &mut SqliteConnection, option: &str) -> i32 {
        diesel::select(diesel::dsl::sql::<Integer>(&format!("sqlite_compileoption_used('{option}')")))
            .get_result(conn)
            .expect("sqlite_compileoption_used")
    }

    /// The bundled SQLite is built with the query-planner stability guarantee (`.cargo/config.toml`):
    /// without it, every cached statement with a `LIMIT ?` is parsed and planned again on each run.
    #[test]
    fn sqlite_is_built_with_a_stable_query_planner() {
        let mut conn = SqliteConnection::establish(":memory:").expect("in-memory SQLite");
        assert_eq!(option_used(&mut conn, "ENABLE_FTS5"), 1, "the bundled build's own options are visible");
        assert_eq!(option_used(&mut conn, "ENABLE_QPSG"), 1, "LIBSQLITE3_FLAGS must define SQLITE_ENABLE_QPSG");
    }
}

#[cfg(test)]
mod worker_tests {
    use super::*;
    use diesel::RunQueryDsl;
    use diesel::sql_types::Integer;

    /// A scratch directory, removed when dropped.
    struct Scratch(std::path::PathBuf);

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn db() -> (Db, Scratch) {
        let dir = std::env::temp_dir().join(format!("trellis-db-test-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).expect("scratch directory");
        let pool = connect(dir.join("t.db").to_str().expect("utf-8 path")).expect("pool");
        (Db::new(pool, Backend::Sqlite).expect("workers"), Scratch(dir))
    }

    fn one(conn: &mut DbConn) -> Result<i32, ApiError> {
        Ok(diesel::select(diesel::dsl::sql::<Integer>("1")).get_result(conn)?)
    }

    /// A job that panics answers 500, and every worker still answers afterwards.
    #[actix_web::test]
    async fn a_panicking_job_fails_alone() {
        let (db, _dir) = db();
        let err = db.run(|_| -> Result<(), ApiError> { panic!("boom") }).await.unwrap_err();
        assert_eq!(err.status.as_u16(), 500);
        for _ in 0..SQLITE_READERS * 3 {
            assert_eq!(db.run(one).await.unwrap(), 1);
            assert_eq!(db.tx(one).await.unwrap(), 1);
        }
    }

    /// A failed write transaction leaves nothing behind; the next one on the same lane commits.
    #[actix_web::test]
    async fn a_failed_transaction_rolls_back() {
        let (db, _dir) = db();
        db.tx(|c| Ok(diesel::sql_query("CREATE TABLE t (x INTEGER)").execute(c)?)).await.unwrap();
        let err = db
            .tx(|c| {
                diesel::sql_query("INSERT INTO t VALUES (1)").execute(c)?;
                Err::<(), _>(ApiError::conflict("nope", "refused"))
            })
            .await
            .unwrap_err();
        assert_eq!(err.code, "nope");
        db.tx(|c| Ok(diesel::sql_query("INSERT INTO t VALUES (2)").execute(c)?)).await.unwrap();
        let n: i32 = db
            .run(|c| Ok(diesel::select(diesel::dsl::sql::<Integer>("(SELECT sum(x) FROM t)")).get_result(c)?))
            .await
            .unwrap();
        assert_eq!(n, 2);
    }
}
