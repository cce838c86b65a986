//! Choosing a new password from a reset link.

use leptos::prelude::*;
use leptos::task::spawn_local;
use trellis_domain::accounts::PASSWORD_MIN;

use crate::api::{self};
use crate::ui::forms::{ErrorSummary, FieldError, FormErrors};

#[component]
pub fn ResetPassword() -> impl IntoView {
    let token = StoredValue::new(api::link_token());
    let password = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let errors = FormErrors::new();
    let busy = RwSignal::new(false);
    let done = RwSignal::new(false);
    let missing = token.with_value(Option::is_none);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(token) = token.get_value() else { return };
        let pw = password.get_untracked();
        // The length here; the rest of the rule needs the email, which the server checks.
        if pw.chars().count() < PASSWORD_MIN {
            errors.local("password", format!("Use at least {PASSWORD_MIN} characters"));
            return;
        }
        if pw != confirm.get_untracked() {
            errors.local("confirm", "The two passwords are different");
            return;
        }
        errors.clear();
        busy.set(true);
        spawn_local(async move {
            match api::base().complete_password_reset(&token, &pw).await {
                Ok(()) => done.set(true),
                Err(e) => errors.show_error(&e),
            }
            busy.set(false);
        });
    };
    view! {
        <div class="signin">
            <div class="card signin-card">
                <p class="brand big">"Trellis"</p>
                <h1>"Choose a new password"</h1>
                {move || if missing {
                    view! { <div class="alert error" role="alert">"This link is incomplete: open it again from the email."</div> }.into_any()
                } else if done.get() {
                    view! {
                        <div class="alert success" role="status">"Your password has been changed, and you have been signed out everywhere."</div>
                        <p><a class="button" href="/">"Sign in"</a></p>
                    }.into_any()
                } else {
                    view! {
                        <ErrorSummary errors=errors/>
                        <form on:submit=submit novalidate>
                            <div class="field" class:has-error=move || errors.of("password").is_some()>
                                <label for="password">"New password"</label>
                                <p class="hint" id="password-hint">{format!("At least {PASSWORD_MIN} characters. Not a common password, and not your email address.")}</p>
                                <FieldError errors=errors field="password"/>
                                <input id="password" type="password" required autocomplete="new-password"
                                    aria-describedby="password-hint password-error"
                                    prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev)) />
                            </div>
                            <div class="field" class:has-error=move || errors.of("confirm").is_some()>
                                <label for="confirm">"Type it again"</label>
                                <FieldError errors=errors field="confirm"/>
                                <input id="confirm" type="password" required autocomplete="new-password" aria-describedby="confirm-error"
                                    prop:value=move || confirm.get() on:input=move |ev| confirm.set(event_target_value(&ev)) />
                            </div>
                            <button class="button" type="submit" disabled=move || busy.get()>"Change password"</button>
                        </form>
                    }.into_any()
                }}
            </div>
        </div>
    }
}
