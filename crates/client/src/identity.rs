//! Identity: signing in, refreshing, signing out, machine tokens, the caller. One method per operation, named as its operation id.

use super::*;

impl Client {
    pub async fn create_session(&self, email: &str, password: &str) -> Result<TokenPair> {
        self.post("/auth/login", &LoginRequest { email: email.into(), password: password.into() }).await
    }

    pub async fn refresh_session(&self, refresh_token: &str) -> Result<TokenPair> {
        self.post("/auth/refresh", &RefreshRequest { refresh_token: refresh_token.into() }).await
    }

    pub async fn delete_session(&self) -> Result<()> {
        self.post_empty("/auth/logout").await
    }

    /// OAuth2 client credentials, form-encoded as RFC 6749 asks.
    pub async fn create_client_token(&self, client_id: &str, secret: &str, scope: Option<&str>) -> Result<ClientToken> {
        let mut form = vec![("grant_type", "client_credentials"), ("client_id", client_id), ("client_secret", secret)];
        if let Some(s) = scope {
            form.push(("scope", s));
        }
        let mut call = self.call("POST", "/auth/token");
        let body = serde_urlencoded::to_string(&form).map_err(|e| ClientError::Decode(e.to_string()))?;
        call.body = Some(("application/x-www-form-urlencoded".to_owned(), body.into_bytes()));
        self.send(call).await
    }

    pub async fn switch_role(&self, role_id: Uuid) -> Result<Me> {
        self.put("/auth/role", &SwitchRole { role_id }).await
    }

    pub async fn get_me(&self) -> Result<Me> {
        self.get("/me").await
    }
}
