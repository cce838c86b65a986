//! The signed-in user: their roles, and which one they are acting in.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, describe};
use crate::ui::date;
use crate::ui::labels::Label;

#[component]
pub fn Profile() -> impl IntoView {
    let auth = api::use_auth();
    let message = RwSignal::new(None::<(bool, String)>);
    let switch = move |role_id: uuid::Uuid| {
        spawn_local(async move {
            match api::switch_role(auth, role_id).await {
                // Every screen follows the role: start again from home, as it.
                Ok(()) => api::go_home(),
                Err(e) => message.set(Some((false, describe(&e)))),
            }
        });
    };
    let reset = move |_| {
        let Some(email) = auth.me().map(|m| m.email) else { return };
        spawn_local(async move {
            message.set(Some(match api::base().create_password_reset(&email).await {
                Ok(_) => (true, format!("We have emailed a link to change your password to {email}.")),
                Err(e) => (false, describe(&e)),
            }));
        });
    };
    view! {
        <h1>"Your profile"</h1>
        {move || message.get().map(|(ok, m)| view! {
            <div class=if ok { "alert success" } else { "alert error" } role=if ok { "status" } else { "alert" }>{m}</div>
        })}
        {move || auth.me().map(|me| {
            let active = me.role_id;
            view! {
                <dl class="facts">
                    <div><dt>"Name"</dt><dd>{me.display_name.clone()}</dd></div>
                    <div><dt>"Email"</dt><dd>{me.email.clone()}</dd></div>
                </dl>
                <h2>"Your roles"</h2>
                <p class="muted">"Trellis shows and allows what the role you are acting in allows, in its school or organisation."</p>
                <ul class="plain role-list">
                    {me.roles.into_iter().map(|r| {
                        let place = r.school_name.clone().or(r.organisation_name.clone()).unwrap_or_else(|| "Everywhere".into());
                        let current = r.id == active;
                        view! {
                            <li class="card">
                                <strong>{r.role.label()}</strong>
                                <span>{format!(" · {place}")}</span>
                                <span class="muted small">{format!(" · since {}", date(r.granted_at))}</span>
                                {if current {
                                    view! { <span class="badge">"Acting as"</span> }.into_any()
                                } else {
                                    let id = r.id;
                                    view! {
                                        <button class="button secondary small" type="button" on:click=move |_| switch(id)>
                                            {format!("Act as {}", r.role.label().to_lowercase())}
                                        </button>
                                    }.into_any()
                                }}
                            </li>
                        }
                    }).collect_view()}
                </ul>
                <h2>"Password"</h2>
                <p><button class="button secondary" type="button" on:click=reset>"Email me a link to change it"</button></p>
            }
        })}
    }
}
