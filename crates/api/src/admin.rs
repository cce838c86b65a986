//! `trellis create-admin`: the very first account of a new installation (a platform admin), or a
//! platform admin role for an existing account. Everyone else is invited from there.

use trellis_domain::Role;

use crate::db::{DbPool, audit, roles, users, write_transaction};
use crate::error::ApiError;

#[derive(Debug)]
pub enum AdminOutcome {
    Created,
    /// The account existed; it now holds the platform admin role too (its password is unchanged).
    Promoted,
}

pub fn create_admin(pool: &DbPool, email: &str, name: &str, password: &str) -> Result<AdminOutcome, String> {
    let email = email.trim().to_lowercase();
    if !email.contains('@') || trellis_domain::text::line(&email).is_err() {
        return Err(format!("{email:?} is not an email address"));
    }
    let name = name.trim();
    trellis_domain::text::name(name).map_err(|e| format!("the name: {e}"))?;
    let mut conn = pool.get().map_err(|e| e.to_string())?;
    let existing = users::login_by_email(&mut conn, &email).map_err(|e| e.to_string())?;
    let hash = match existing {
        Some(_) => None,
        None => {
            trellis_domain::accounts::check_password(password, &email).map_err(|e| format!("the password: {e}"))?;
            Some(crate::auth::hash_password(password).map_err(|e| e.to_string())?)
        }
    };
    let now = crate::now();
    write_transaction(&mut conn, |conn| {
        let (id, outcome) = match (&hash, users::login_by_email(conn, &email)?) {
            (_, Some(login)) => (login.id, AdminOutcome::Promoted),
            (Some(hash), None) => {
                let new = users::NewUser { email: &email, password_hash: hash, display_name: name, person_id: None };
                (users::insert(conn, &new, now)?, AdminOutcome::Created)
            }
            (None, None) => return Err(ApiError::internal("the account vanished")),
        };
        roles::grant(conn, &id, Role::PlatformAdmin, None, None, now)?;
        users::set_deactivated(conn, &id, None, now)?;
        audit::record(
            conn,
            &audit::Event {
                actor_user_id: None,
                action: "platform_admin.created_from_command_line",
                subject_kind: "user",
                subject_id: &id,
                organisation_id: None,
                school_id: None,
                detail: serde_json::json!({"email": email}),
            },
            now,
        )?;
        Ok(outcome)
    })
    .map_err(|e| e.to_string())
}
