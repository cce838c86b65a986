//! Signing in.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self};
#[component]
pub fn SignIn() -> impl IntoView {
    let auth = api::use_auth();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        error.set(None);
        let (e, p) = (email.get_untracked(), password.get_untracked());
        spawn_local(async move {
            if let Err(message) = api::sign_in(auth, e, p).await {
                error.set(Some(message));
                busy.set(false);
            }
        });
    };
    view! {
        <main id="main" class="signin">
            <div class="card signin-card">
                <p class="brand big">"Trellis"</p>
                <h1>"Sign in"</h1>
                <p class="muted">"Leadership development for your schools."</p>
                {move || error.get().map(|m| view! { <div class="alert error" role="alert" id="signin-error">{m}</div> })}
                <form on:submit=submit novalidate>
                    <div class="field">
                        <label for="email">"Email address"</label>
                        <input id="email" name="email" type="email" autocomplete="username" required
                            prop:value=move || email.get()
                            on:input=move |ev| email.set(event_target_value(&ev)) />
                    </div>
                    <div class="field">
                        <label for="password">"Password"</label>
                        <input id="password" name="password" type="password" autocomplete="current-password" required
                            prop:value=move || password.get()
                            on:input=move |ev| password.set(event_target_value(&ev)) />
                    </div>
                    <button class="button" type="submit" disabled=move || busy.get()>
                        {move || if busy.get() { "Signing in…" } else { "Sign in" }}
                    </button>
                </form>
                <Forgotten/>
            </div>
        </main>
    }
}

/// "Forgot your password?": asks for a reset link. The answer is the same for every address.
#[component]
fn Forgotten() -> impl IntoView {
    let open = RwSignal::new(false);
    let email = RwSignal::new(String::new());
    let answer = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        let e = email.get_untracked();
        spawn_local(async move {
            let r = api::base().create_password_reset(&e).await;
            answer.set(Some(match r {
                Ok(a) => a.message,
                Err(e) => api::describe(&e),
            }));
            busy.set(false);
        });
    };
    view! {
        <p class="small">
            <button type="button" class="link-button" aria-expanded=move || open.get().to_string()
                on:click=move |_| open.update(|o| *o = !*o)>"Forgot your password?"</button>
        </p>
        <Show when=move || open.get()>
            {move || answer.get().map(|m| view! { <div class="alert success" role="status">{m}</div> })}
            <form on:submit=submit novalidate>
                <div class="field">
                    <label for="reset-email">"Your email address"</label>
                    <input id="reset-email" type="email" autocomplete="username" required
                        prop:value=move || email.get() on:input=move |ev| email.set(event_target_value(&ev)) />
                </div>
                <button class="button secondary" type="submit" disabled=move || busy.get()>"Email me a reset link"</button>
            </form>
        </Show>
    }
}
