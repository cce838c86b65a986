//! Shared application state.

use crate::auth::JwtKeys;
use crate::db::Db;
use crate::throttle::Throttle;

pub struct AppState {
    pub db: Db,
    pub jwt: JwtKeys,
    /// Failed sign-ins and client authentications, to slow guessing.
    pub throttle: Throttle,
    /// See [`crate::Config::public_url`].
    pub public_url: Option<String>,
}
