//! Accounts: inviting people into roles, their accounts and roles, password resets, machine
//! clients, and the audit trail of every change to them.

use utoipa_actix_web::service_config::ServiceConfig;

pub mod audit;
pub mod clients;
pub mod invitations;
pub mod password_resets;
pub mod users;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(invitations::create_invitation)
        .service(invitations::list_invitations)
        .service(invitations::preview_invitation)
        .service(invitations::accept_invitation)
        .service(invitations::delete_invitation)
        .service(password_resets::create_password_reset)
        .service(password_resets::complete_password_reset)
        .service(users::list_users)
        .service(users::get_user)
        .service(users::deactivate_user)
        .service(users::reactivate_user)
        .service(users::delete_user_role)
        .service(clients::create_machine_client)
        .service(clients::list_machine_clients)
        .service(clients::rotate_machine_client_secret)
        .service(clients::delete_machine_client)
        .service(clients::get_machine_client_usage)
        .service(audit::list_audit_events);
}

/// The password rule's verdict as a 422 on `field`.
fn check_password(password: &str, email: &str, field: &str) -> Result<(), crate::error::ApiError> {
    trellis_domain::accounts::check_password(password, email)
        .map_err(|f| crate::error::ApiError::field(f.code(), field, f.to_string()))
}

/// The acting user's id, for the audit trail.
fn actor(caller: &crate::auth::Caller) -> Option<String> {
    match &caller.principal {
        trellis_domain::Principal::User(u) => Some(u.user_id.to_string()),
        trellis_domain::Principal::Client(_) => None,
    }
}
