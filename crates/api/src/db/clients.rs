//! Machine clients (school MIS, dashboards): their secrets and the schools they act for.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use trellis_domain::ids::ClientId;
use uuid::Uuid;

use crate::db::DbConn;
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

/// Registers a machine client (its secret already hashed) for these schools.
pub fn insert(
    conn: &mut DbConn,
    client_id: &str,
    secret_hash: &str,
    name: &str,
    scopes: &str,
    school_ids: &[&str],
    now: NaiveDateTime,
) -> Result<String, ApiError> {
    let id = crate::paging::new_id();
    diesel::insert_into(api_clients::table)
        .values((
            api_clients::id.eq(&id),
            api_clients::client_id.eq(client_id),
            api_clients::secret_hash.eq(secret_hash),
            api_clients::name.eq(name),
            api_clients::scopes.eq(scopes),
            api_clients::created_at.eq(now),
        ))
        .execute(conn)?;
    for school in school_ids {
        diesel::insert_into(api_client_schools::table)
            .values((api_client_schools::client_id.eq(&id), api_client_schools::school_id.eq(school)))
            .execute(conn)?;
    }
    Ok(id)
}
