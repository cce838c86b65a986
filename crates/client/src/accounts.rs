//! Accounts: invitations, accounts and roles, password resets, machine clients, the audit trail.
//! One method per operation, named as its operation id.

use super::*;

impl Client {
    pub async fn create_invitation(&self, body: &CreateInvitation) -> Result<Invitation> {
        self.post("/invitations", body).await
    }

    pub async fn list_invitations(&self, params: &ListParams) -> Result<InvitationPage> {
        self.get_query("/invitations", params).await
    }

    pub async fn delete_invitation(&self, id: Uuid) -> Result<()> {
        self.delete(&format!("/invitations/{id}")).await
    }

    pub async fn preview_invitation(&self, token: &str) -> Result<InvitationPreview> {
        self.post("/invitation-links/preview", &LinkToken { token: token.into() }).await
    }

    pub async fn accept_invitation(&self, token: &str, password: &str) -> Result<TokenPair> {
        self.post("/invitation-links/accept", &AcceptInvitation { token: token.into(), password: password.into() })
            .await
    }

    pub async fn create_password_reset(&self, email: &str) -> Result<PasswordResetRequested> {
        self.post("/password-resets", &RequestPasswordReset { email: email.into() }).await
    }

    pub async fn complete_password_reset(&self, token: &str, password: &str) -> Result<()> {
        self.post(
            "/password-resets/complete",
            &CompletePasswordReset { token: token.into(), password: password.into() },
        )
        .await
    }

    pub async fn list_users(&self, query: &UserQuery) -> Result<UserPage> {
        self.get_query("/users", query).await
    }

    pub async fn get_user(&self, id: Uuid) -> Result<User> {
        self.get(&format!("/users/{id}")).await
    }

    pub async fn deactivate_user(&self, id: Uuid) -> Result<User> {
        self.post_empty(&format!("/users/{id}/deactivate")).await
    }

    pub async fn reactivate_user(&self, id: Uuid) -> Result<User> {
        self.post_empty(&format!("/users/{id}/reactivate")).await
    }

    pub async fn delete_user_role(&self, user: Uuid, role: Uuid) -> Result<()> {
        self.delete(&format!("/users/{user}/roles/{role}")).await
    }

    pub async fn create_machine_client(&self, body: &CreateMachineClient) -> Result<MachineClientSecret> {
        self.post("/clients", body).await
    }

    pub async fn list_machine_clients(&self, params: &ListParams) -> Result<MachineClientPage> {
        self.get_query("/clients", params).await
    }

    pub async fn rotate_machine_client_secret(&self, id: Uuid) -> Result<MachineClientSecret> {
        self.post_empty(&format!("/clients/{id}/rotate")).await
    }

    pub async fn delete_machine_client(&self, id: Uuid) -> Result<()> {
        self.delete(&format!("/clients/{id}")).await
    }

    pub async fn get_machine_client_usage(&self, id: Uuid, days: Option<u32>) -> Result<ClientUsage> {
        self.get_query(&format!("/clients/{id}/usage"), &ClientUsageParams { days }).await
    }

    pub async fn list_audit_events(&self, params: &ListParams) -> Result<AuditEventPage> {
        self.get_query("/audit-events", params).await
    }
}
