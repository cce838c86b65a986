//! Shared application state.

use crate::auth::JwtKeys;
use crate::clock::Clock;
use crate::db::Db;
use crate::net::Network;
use crate::throttle::Throttle;

pub struct AppState {
    pub db: Db,
    pub jwt: JwtKeys,
    /// Failed sign-ins and client authentications, to slow guessing.
    pub throttle: Throttle,
    /// Client addresses and the public origin, trusting only configured proxies.
    pub net: Network,
    /// What time it is (the system clock, unless configured otherwise).
    pub clock: Clock,
    /// Evidence files under the data dir.
    pub files: crate::files::Store,
    /// The key certificates are signed with, and those it replaced.
    pub signer: crate::signing::Signer,
    /// Which webhook endpoints a subscription may name.
    pub webhooks: crate::webhooks::WebhookConfig,
    /// Requests per minute a machine client may make unless it has its own limit.
    pub client_rate_limit: u32,
}
