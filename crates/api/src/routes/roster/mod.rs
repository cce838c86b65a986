//! Roster: a school MIS's staff in (`POST /roster/sync`: OneRoster 1.2 JSON or a CSV bundle), and
//! the OneRoster 1.2 REST read of staff and schools out, beside the API at `/ims/oneroster/…`.

use trellis_wire::{RosterOrg, RosterSync, RosterUser};
use utoipa_actix_web::service_config::ServiceConfig;

pub mod bundle;
pub mod oneroster;
pub mod sync;

/// A roster however it came, each row with its number (a CSV line, or a position in a JSON list).
#[derive(Debug, Default)]
pub struct Roster {
    pub orgs: Vec<(u32, RosterOrg)>,
    pub users: Vec<(u32, RosterUser)>,
}

impl Roster {
    /// A JSON roster, its rows numbered from 1.
    pub fn numbered(sync: RosterSync) -> Roster {
        let number = |i: usize| u32::try_from(i + 1).unwrap_or(u32::MAX);
        Roster {
            orgs: sync.orgs.into_iter().enumerate().map(|(i, o)| (number(i), o)).collect(),
            users: sync.users.into_iter().enumerate().map(|(i, u)| (number(i), u)).collect(),
        }
    }
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(sync::sync_roster);
}

/// The OneRoster REST read, at the path OneRoster consumers expect (outside `/api/v1`).
pub fn configure_public(cfg: &mut ServiceConfig) {
    cfg.service(oneroster::list_oneroster_users).service(oneroster::list_oneroster_orgs);
}
