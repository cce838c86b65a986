//! Accepting an invitation from its emailed link: choose a password (or, for an existing
//! account, give its password) and arrive signed in, in the new role.

use leptos::prelude::*;
use leptos::task::spawn_local;
use trellis_domain::accounts::{PASSWORD_MIN, check_password};
use trellis_wire::InvitationPreview;

use crate::api::{self};
use crate::ui::forms::{ErrorSummary, FieldError, FormErrors};
use crate::ui::labels::Label;
use crate::ui::{Load, date, failed, loading};

#[component]
pub fn AcceptInvitation() -> impl IntoView {
    let auth = api::use_auth();
    let token = StoredValue::new(api::link_token());
    let state = RwSignal::new(Load::<InvitationPreview>::Loading);
    match token.get_value() {
        None => state.set(Load::Failed("This link is incomplete: open it again from the email.".into())),
        Some(t) => spawn_local(async move {
            state.set(api::base().preview_invitation(&t).await.into());
        }),
    }
    let password = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let errors = FormErrors::new();
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Load::Ready(preview) = state.get_untracked() else { return };
        let Some(token) = token.get_value() else { return };
        let pw = password.get_untracked();
        if !preview.account_exists {
            if let Err(fault) = check_password(&pw, &preview.email) {
                errors.local("password", fault.to_string());
                return;
            }
            if pw != confirm.get_untracked() {
                errors.local("confirm", "The two passwords are different");
                return;
            }
        }
        errors.clear();
        busy.set(true);
        spawn_local(async move {
            match api::base().accept_invitation(&token, &pw).await {
                Ok(pair) => match api::sign_in_with(auth, pair).await {
                    Ok(()) => api::go_home(),
                    Err(m) => {
                        errors.local("", m);
                        busy.set(false);
                    }
                },
                Err(e) => {
                    errors.show_error(&e);
                    busy.set(false);
                }
            }
        });
    };
    view! {
        <div class="signin">
            <div class="card signin-card">
                <p class="brand big">"Trellis"</p>
                <h1>"Accept your invitation"</h1>
                {move || match state.get() {
                    Load::Loading => loading(),
                    Load::Failed(m) => view! {
                        {failed(m)}
                        <p><a href="/">"Go to the sign-in page"</a></p>
                    }.into_any(),
                    Load::Ready(p) => {
                        let place = p.context_name.clone().map(|c| format!(" at {c}")).unwrap_or_default();
                        let exists = p.account_exists;
                        view! {
                            <p>{format!("{}, you have been invited to Trellis as {}{place}.", p.display_name, p.role.label().to_lowercase())}</p>
                            <p class="muted small">{format!("For {} · the link expires on {}", p.email, date(p.expires_at))}</p>
                            <ErrorSummary errors=errors/>
                            <form on:submit=submit novalidate>
                                <div class="field" class:has-error=move || errors.of("password").is_some()>
                                    <label for="password">{if exists { "Your Trellis password" } else { "Choose a password" }}</label>
                                    {(!exists).then(|| view! {
                                        <p class="hint" id="password-hint">{format!("At least {PASSWORD_MIN} characters. Three or four random words work well. Not a common password, and not your email address.")}</p>
                                    })}
                                    <FieldError errors=errors field="password"/>
                                    <input id="password" name="password" type="password" required
                                        autocomplete=if exists { "current-password" } else { "new-password" }
                                        aria-describedby="password-hint password-error"
                                        prop:value=move || password.get()
                                        on:input=move |ev| password.set(event_target_value(&ev)) />
                                </div>
                                {(!exists).then(|| view! {
                                    <div class="field" class:has-error=move || errors.of("confirm").is_some()>
                                        <label for="confirm">"Type it again"</label>
                                        <FieldError errors=errors field="confirm"/>
                                        <input id="confirm" name="confirm" type="password" required autocomplete="new-password"
                                            aria-describedby="confirm-error"
                                            prop:value=move || confirm.get()
                                            on:input=move |ev| confirm.set(event_target_value(&ev)) />
                                    </div>
                                })}
                                {exists.then(|| view! { <p class="hint">"You already have a Trellis account: this adds the new role to it."</p> })}
                                <button class="button" type="submit" disabled=move || busy.get()>
                                    {move || if busy.get() { "Accepting…" } else { "Accept and sign in" }}
                                </button>
                            </form>
                        }.into_any()
                    }
                }}
            </div>
        </div>
    }
}
