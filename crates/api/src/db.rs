//! Database access: one diesel `MultiConnection` over SQLite and PostgreSQL, chosen at run time by
//! `DATABASE_URL`, pooled with r2d2, migrated at start.

use diesel::connection::SimpleConnection;
use diesel::r2d2::{ConnectionManager, CustomizeConnection, Pool, PooledConnection};
use diesel::{Connection, PgConnection, SqliteConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::error::ApiError;

#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Sqlite(SqliteConnection),
    Pg(PgConnection),
}

pub type DbPool = Pool<ConnectionManager<DbConn>>;

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/sqlite");
const PG_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/postgres");

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
        Backend::Sqlite => builder.max_size(8).connection_customizer(Box::new(SqlitePragmas)).build(manager)?,
        Backend::Postgres => builder.max_size(16).build(manager)?,
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

/// The pool plus the backend it talks to, shared by handlers.
#[derive(Clone)]
pub struct Db {
    pool: DbPool,
    pub backend: Backend,
}

impl Db {
    pub fn new(pool: DbPool, backend: Backend) -> Db {
        Db { pool, backend }
    }

    pub fn conn(&self) -> Result<PooledConnection<ConnectionManager<DbConn>>, ApiError> {
        self.pool.get().map_err(ApiError::internal)
    }

    /// Runs `f` on a pooled connection off the async executor.
    pub async fn run<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConn) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        let db = self.clone();
        actix_web::web::block(move || {
            let mut conn = db.conn()?;
            f(&mut conn)
        })
        .await
        .map_err(ApiError::internal)?
    }

    /// Runs `f` in one transaction: any error rolls back everything `f` wrote.
    pub async fn tx<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConn) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        self.run(move |conn| write_transaction(conn, f)).await
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
    conn.batch_execute("BEGIN IMMEDIATE").map_err(ApiError::internal)?;
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
