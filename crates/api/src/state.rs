//! Shared application state.

use crate::auth::JwtKeys;
use crate::db::Db;

pub struct AppState {
    pub db: Db,
    pub jwt: JwtKeys,
}
