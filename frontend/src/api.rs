//! The signed-in session and calls to the API through the shared typed client.

use futures::FutureExt;
use futures::future::{LocalBoxFuture, Shared};
use leptos::prelude::*;
use std::cell::RefCell;
use std::future::Future;
use trellis_client::{Client, ClientError};
use trellis_wire::MeUser;

const STORAGE_KEY: &str = "trellis.session";

#[derive(Debug, Clone)]
pub struct Session {
    pub access: String,
    pub refresh: String,
    pub me: MeUser,
}

#[derive(Debug, Clone)]
pub enum AuthState {
    Starting,
    SignedOut,
    SignedIn(Session),
}

/// The app-wide auth state, provided as context.
#[derive(Clone, Copy)]
pub struct Auth(pub RwSignal<AuthState>);

impl Auth {
    pub fn me(&self) -> Option<MeUser> {
        match self.0.get() {
            AuthState::SignedIn(s) => Some(s.me),
            _ => None,
        }
    }

    fn tokens(&self) -> Option<(String, String)> {
        match self.0.get_untracked() {
            AuthState::SignedIn(s) => Some((s.access, s.refresh)),
            _ => stored_tokens(),
        }
    }

    fn set_tokens(&self, access: &str, refresh: &str) {
        store_tokens(Some((access, refresh)));
        self.0.update(|s| {
            if let AuthState::SignedIn(session) = s {
                session.access = access.to_owned();
                session.refresh = refresh.to_owned();
            }
        });
    }

    pub fn signed_out(&self) {
        store_tokens(None);
        self.0.set(AuthState::SignedOut);
    }
}

pub fn use_auth() -> Auth {
    use_context::<Auth>().unwrap_or_else(|| Auth(RwSignal::new(AuthState::SignedOut)))
}

/// The API lives on the origin that served the SPA (reqwest in wasm needs an absolute URL).
pub fn base() -> Client {
    let origin = web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default();
    Client::new(origin)
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn stored_tokens() -> Option<(String, String)> {
    let raw = storage()?.get_item(STORAGE_KEY).ok()??;
    let (a, r) = raw.split_once('\n')?;
    Some((a.to_owned(), r.to_owned()))
}

fn store_tokens(tokens: Option<(&str, &str)>) {
    if let Some(s) = storage() {
        let _ = match tokens {
            Some((a, r)) => s.set_item(STORAGE_KEY, &format!("{a}\n{r}")),
            None => s.remove_item(STORAGE_KEY),
        };
    }
}

thread_local! {
    /// One refresh at a time: refresh tokens are single use, so two concurrent refreshes with the
    /// same token would look like theft and end the session.
    static REFRESHING: RefCell<Option<Shared<LocalBoxFuture<'static, Option<String>>>>> = const { RefCell::new(None) };
}

async fn refreshed_access(auth: Auth, refresh: String) -> Option<String> {
    let pending = REFRESHING.with(|r| r.borrow().clone());
    let fut = match pending {
        Some(f) => f,
        None => {
            let f = async move {
                let out = match base().refresh_session(&refresh).await {
                    Ok(pair) => {
                        auth.set_tokens(&pair.access_token, &pair.refresh_token);
                        Some(pair.access_token)
                    }
                    Err(_) => None,
                };
                REFRESHING.with(|r| r.borrow_mut().take());
                out
            }
            .boxed_local()
            .shared();
            REFRESHING.with(|r| *r.borrow_mut() = Some(f.clone()));
            f
        }
    };
    fut.await
}

fn unauthenticated() -> ClientError {
    crate::ui::problem(401, "Unauthorized", "unauthenticated", "Please sign in again.")
}

/// Calls the API as the signed-in user, refreshing an expired access token once.
pub async fn call<T, F, Fut>(auth: Auth, f: F) -> Result<T, ClientError>
where
    F: Fn(Client) -> Fut,
    Fut: Future<Output = Result<T, ClientError>>,
{
    let Some((access, refresh)) = auth.tokens() else { return Err(unauthenticated()) };
    match f(base().with_token(&access)).await {
        Err(e) if e.status() == Some(401) => match refreshed_access(auth, refresh).await {
            Some(access) => f(base().with_token(access)).await,
            None => {
                auth.signed_out();
                Err(e)
            }
        },
        other => other,
    }
}

/// On start: resume a stored session if its tokens still work.
pub async fn resume(auth: Auth) {
    if stored_tokens().is_none() {
        auth.0.set(AuthState::SignedOut);
        return;
    }
    match call(auth, |c| async move { c.get_me().await }).await {
        Ok(trellis_wire::Me::User(me)) => {
            if let Some((access, refresh)) = stored_tokens() {
                auth.0.set(AuthState::SignedIn(Session { access, refresh, me }));
            }
        }
        _ => auth.signed_out(),
    }
}

pub async fn sign_in(auth: Auth, email: String, password: String) -> Result<(), String> {
    let pair = base().create_session(&email, &password).await.map_err(|e| match e.code() {
        Some("invalid_credentials") => "That email and password do not match an account.".to_owned(),
        Some("validation_failed") => "Enter your email address and password.".to_owned(),
        _ => format!("Could not sign in: {e}"),
    })?;
    let me = base().with_token(&pair.access_token).get_me().await.map_err(|e| e.to_string())?;
    let trellis_wire::Me::User(me) = me else { return Err("This is not a user account.".into()) };
    store_tokens(Some((&pair.access_token, &pair.refresh_token)));
    auth.0.set(AuthState::SignedIn(Session { access: pair.access_token, refresh: pair.refresh_token, me }));
    Ok(())
}

/// Signs in with a token pair the API handed out (accepting an invitation signs the invitee in).
pub async fn sign_in_with(auth: Auth, pair: trellis_wire::TokenPair) -> Result<(), String> {
    let me = base().with_token(&pair.access_token).get_me().await.map_err(|e| describe(&e))?;
    let trellis_wire::Me::User(me) = me else { return Err("This is not a user account.".into()) };
    store_tokens(Some((&pair.access_token, &pair.refresh_token)));
    auth.0.set(AuthState::SignedIn(Session { access: pair.access_token, refresh: pair.refresh_token, me }));
    Ok(())
}

/// Acts in another of the user's roles from now on: every screen redraws for it.
pub async fn switch_role(auth: Auth, role_id: uuid::Uuid) -> Result<(), ClientError> {
    let me = call(auth, |c| async move { c.switch_role(role_id).await }).await?;
    if let trellis_wire::Me::User(me) = me {
        auth.0.update(|s| {
            if let AuthState::SignedIn(session) = s {
                session.me = me;
            }
        });
    }
    Ok(())
}

/// The secret in a link's fragment (`#token=…`): fragments never reach a server's logs.
pub fn link_token() -> Option<String> {
    let hash = web_sys::window()?.location().hash().ok()?;
    hash.strip_prefix("#token=").filter(|t| !t.is_empty()).map(str::to_owned)
}

/// Leaves a link page for the app's home, dropping the secret from the address bar.
pub fn go_home() {
    if let Some(w) = web_sys::window() {
        let _ = w.location().replace("/");
    }
}

pub async fn sign_out(auth: Auth) {
    let _ = call(auth, |c| async move { c.delete_session().await }).await;
    auth.signed_out();
}

pub use crate::ui::describe;
