//! Machine clients (school MIS, dashboards): their secrets and the schools they act for.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use trellis_domain::ids::ClientId;
use uuid::Uuid;

use crate::db::DbConn;
use crate::db::allowed::{Allowed, ManageClient};
use crate::db::facts::{opt_uuid, uuid};
use crate::db::schema::{api_client_schools, api_clients};
use crate::error::ApiError;

/// What the token endpoint checks a client's credentials against.
#[derive(Debug, Queryable)]
pub struct ClientSecret {
    pub id: String,
    pub secret_hash: String,
    pub scopes: String,
    pub revoked_at: Option<NaiveDateTime>,
}

pub fn secret_by_client_id(conn: &mut DbConn, client_id: &str) -> Result<Option<ClientSecret>, ApiError> {
    Ok(api_clients::table
        .filter(api_clients::client_id.eq(client_id))
        .select((api_clients::id, api_clients::secret_hash, api_clients::scopes, api_clients::revoked_at))
        .first(conn)
        .optional()?)
}

/// A client as `GET /me` describes it.
pub struct ClientProfile {
    pub client_id: String,
    pub name: String,
    pub trust_id: Option<Uuid>,
    /// Sorted.
    pub school_ids: Vec<Uuid>,
}

pub fn profile(conn: &mut DbConn, id: ClientId) -> Result<ClientProfile, ApiError> {
    let (client_id, name, trust): (String, String, Option<String>) = api_clients::table
        .find(id.to_string())
        .select((api_clients::client_id, api_clients::name, api_clients::trust_id))
        .first(conn)?;
    let mut school_ids: Vec<Uuid> = api_client_schools::table
        .filter(api_client_schools::client_id.eq(id.to_string()))
        .select(api_client_schools::school_id)
        .load::<String>(conn)?
        .iter()
        .map(|s| uuid(s))
        .collect::<Result<_, _>>()?;
    school_ids.sort();
    Ok(ClientProfile { client_id, name, trust_id: opt_uuid(trust.as_deref())?, school_ids })
}

/// Registers a machine client (its secret already hashed) for a trust and/or these schools.
pub struct NewClient<'a> {
    pub client_id: &'a str,
    pub secret_hash: &'a str,
    pub name: &'a str,
    pub scopes: &'a str,
    pub trust_id: Option<&'a str>,
    pub school_ids: &'a [String],
    pub created_by: Option<&'a str>,
    pub rate_limit_per_minute: Option<i32>,
}

pub fn insert(conn: &mut DbConn, new: &NewClient, now: NaiveDateTime) -> Result<String, ApiError> {
    let id = crate::paging::new_id();
    diesel::insert_into(api_clients::table)
        .values((
            api_clients::id.eq(&id),
            api_clients::client_id.eq(new.client_id),
            api_clients::secret_hash.eq(new.secret_hash),
            api_clients::name.eq(new.name),
            api_clients::scopes.eq(new.scopes),
            api_clients::trust_id.eq(new.trust_id),
            api_clients::created_at.eq(now),
            api_clients::created_by.eq(new.created_by),
            api_clients::rate_limit_per_minute.eq(new.rate_limit_per_minute),
        ))
        .execute(conn)?;
    for school in new.school_ids {
        diesel::insert_into(api_client_schools::table)
            .values((api_client_schools::client_id.eq(&id), api_client_schools::school_id.eq(school)))
            .execute(conn)?;
    }
    Ok(id)
}

/// A client as its managers see it.
#[derive(Debug, Clone)]
pub struct ClientRecord {
    pub id: String,
    pub client_id: String,
    pub name: String,
    pub scopes: String,
    pub trust_id: Option<String>,
    pub created_at: NaiveDateTime,
    pub secret_rotated_at: Option<NaiveDateTime>,
    pub last_used_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
    /// Its own requests-per-minute limit (none: the server's default).
    pub rate_limit_per_minute: Option<i32>,
    /// Sorted.
    pub school_ids: Vec<String>,
}

type RecordRow = (
    String,
    String,
    String,
    String,
    Option<String>,
    NaiveDateTime,
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
    Option<i32>,
);

fn records(conn: &mut DbConn, rows: Vec<RecordRow>) -> Result<Vec<ClientRecord>, ApiError> {
    let ids: Vec<&String> = rows.iter().map(|r| &r.0).collect();
    let links: Vec<(String, String)> = api_client_schools::table
        .filter(api_client_schools::client_id.eq_any(ids))
        .select((api_client_schools::client_id, api_client_schools::school_id))
        .order((api_client_schools::client_id, api_client_schools::school_id))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(
                id,
                client_id,
                name,
                scopes,
                trust_id,
                created_at,
                secret_rotated_at,
                last_used_at,
                revoked_at,
                limit,
            )| {
                let school_ids = links.iter().filter(|l| l.0 == id).map(|l| l.1.clone()).collect();
                ClientRecord {
                    id,
                    client_id,
                    name,
                    scopes,
                    trust_id,
                    created_at,
                    secret_rotated_at,
                    last_used_at,
                    revoked_at,
                    rate_limit_per_minute: limit,
                    school_ids,
                }
            },
        )
        .collect())
}

macro_rules! record_cols {
    () => {
        (
            api_clients::id,
            api_clients::client_id,
            api_clients::name,
            api_clients::scopes,
            api_clients::trust_id,
            api_clients::created_at,
            api_clients::secret_rotated_at,
            api_clients::last_used_at,
            api_clients::revoked_at,
            api_clients::rate_limit_per_minute,
        )
    };
}

pub fn find(conn: &mut DbConn, id: &str) -> Result<Option<ClientRecord>, ApiError> {
    let rows: Vec<RecordRow> = api_clients::table.filter(api_clients::id.eq(id)).select(record_cols!()).load(conn)?;
    Ok(records(conn, rows)?.pop())
}

/// Clients that may be in the caller's care: for a trust (its schools), or for these schools;
/// `None` means every client. The caller's loader keeps those they may manage.
pub fn candidates(
    conn: &mut DbConn,
    trusts: Option<&[String]>,
    schools: &[String],
) -> Result<Vec<ClientRecord>, ApiError> {
    let mut query = api_clients::table.select(record_cols!()).order(api_clients::id).into_boxed();
    if let Some(trusts) = trusts {
        use crate::db::schema::schools as s;
        let in_trusts = s::table.filter(s::trust_id.eq_any(trusts.to_vec())).select(s::id);
        let linked_in_trust = api_client_schools::table
            .filter(api_client_schools::school_id.eq_any(in_trusts))
            .select(api_client_schools::client_id);
        let linked_at = api_client_schools::table
            .filter(api_client_schools::school_id.eq_any(schools.to_vec()))
            .select(api_client_schools::client_id);
        query = query.filter(
            api_clients::trust_id
                .eq_any(trusts.to_vec())
                .or(api_clients::id.eq_any(linked_in_trust))
                .or(api_clients::id.eq_any(linked_at)),
        );
    }
    let rows: Vec<RecordRow> = query.load(conn)?;
    records(conn, rows)
}

impl ClientRecord {
    /// The facts access to the client is decided on.
    pub fn resource(&self, conn: &mut DbConn) -> Result<trellis_domain::Resource, ApiError> {
        let mut schools = Vec::with_capacity(self.school_ids.len());
        for s in &self.school_ids {
            schools.push(
                crate::db::facts::school(conn, uuid(s)?)?
                    .ok_or_else(|| ApiError::internal("client of a lost school"))?,
            );
        }
        Ok(trellis_domain::Resource::MachineClient { trust_id: opt_uuid(self.trust_id.as_deref())?, schools })
    }
}

/// Replaces the client's secret.
pub fn rotate(
    conn: &mut DbConn,
    client: &Allowed<ClientRecord, ManageClient>,
    secret_hash: &str,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    diesel::update(api_clients::table.find(&client.id))
        .set((api_clients::secret_hash.eq(secret_hash), api_clients::secret_rotated_at.eq(now)))
        .execute(conn)?;
    Ok(())
}

/// Revokes the client: it can take no more tokens, and the ones it holds stop working.
pub fn revoke(
    conn: &mut DbConn,
    client: &Allowed<ClientRecord, ManageClient>,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    diesel::update(api_clients::table.find(&client.id).filter(api_clients::revoked_at.is_null()))
        .set(api_clients::revoked_at.eq(now))
        .execute(conn)?;
    Ok(())
}

/// Notes that the client took a token.
pub fn touch_last_used(conn: &mut DbConn, id: &str, now: NaiveDateTime) -> Result<(), ApiError> {
    diesel::update(api_clients::table.find(id)).set(api_clients::last_used_at.eq(now)).execute(conn)?;
    Ok(())
}
