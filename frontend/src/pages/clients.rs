//! Machine clients (an MIS, a dashboard) the caller registered or manages: register one, see
//! when each last took a token, rotate a secret, revoke.

use leptos::prelude::*;
use leptos::task::spawn_local;
use trellis_domain::Role;
use trellis_wire::{CreateMachineClient, ListParams, MachineClient, MachineClientSecret, Scope};
use uuid::Uuid;

use crate::api::{self, describe};
use crate::ui::forms::{ErrorSummary, FieldError, FormErrors};
use crate::ui::{Load, date, failed, loading};

fn scope_label(s: Scope) -> &'static str {
    match s {
        Scope::RosterWrite => "Push staff rosters (roster:write)",
        Scope::ProgressRead => "Read progress (progress:read)",
    }
}

#[component]
pub fn Clients() -> impl IntoView {
    let auth = api::use_auth();
    let list = RwSignal::new(Load::<Vec<MachineClient>>::Loading);
    let secret = RwSignal::new(None::<MachineClientSecret>);
    let notice = RwSignal::new(None::<String>);
    let reload = move || {
        spawn_local(async move {
            let params = ListParams { limit: Some(200), ..Default::default() };
            let r = api::call(auth, |c| {
                let params = params.clone();
                async move { c.list_machine_clients(&params).await }
            })
            .await;
            list.set(r.map(|p| p.items).into());
        });
    };
    reload();
    let rotate = move |id: Uuid| {
        spawn_local(async move {
            match api::call(auth, |c| async move { c.rotate_machine_client_secret(id).await }).await {
                Ok(s) => secret.set(Some(s)),
                Err(e) => notice.set(Some(describe(&e))),
            }
            reload();
        });
    };
    let revoke = move |id: Uuid| {
        spawn_local(async move {
            let r = api::call(auth, |c| async move { c.delete_machine_client(id).await }).await;
            notice.set(Some(match r {
                Ok(()) => "Client revoked: it can take no more tokens, and those it holds stopped working.".into(),
                Err(e) => describe(&e),
            }));
            reload();
        });
    };
    view! {
        <h1>"Machine clients"</h1>
        <p class="lead">"School MIS systems and trust dashboards sign in with a client id and secret (OAuth 2.0 client credentials)."</p>
        {move || notice.get().map(|m| view! { <div class="alert success" role="status">{m}</div> })}
        {move || secret.get().map(|s| view! {
            <div class="alert success" role="status">
                <p><strong>{format!("The secret for {}. Copy it now: it is not shown again.", s.client.name)}</strong></p>
                <p>"Client id"</p><p class="secret">{s.client.client_id.clone()}</p>
                <p>"Client secret"</p><p class="secret">{s.client_secret.clone()}</p>
            </div>
        })}
        <Register on_made=Callback::new(move |s: MachineClientSecret| { secret.set(Some(s)); reload(); })/>
        <h2>"Registered clients"</h2>
        {move || match list.get() {
            Load::Loading => loading(),
            Load::Failed(m) => failed(m),
            Load::Ready(items) if items.is_empty() => view! { <p class="empty">"No clients yet."</p> }.into_any(),
            Load::Ready(items) => view! {
                <div class="table-wrap">
                    <table class="stack">
                        <caption class="visually-hidden">"Machine clients"</caption>
                        <thead><tr><th scope="col">"Name"</th><th scope="col">"Client id"</th><th scope="col">"Scopes"</th><th scope="col">"Last used"</th><th scope="col">"Status"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th></tr></thead>
                        <tbody>
                            {items.into_iter().map(|c| {
                                let id = c.id;
                                let live = c.revoked_at.is_none();
                                let scopes = c.scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" ");
                                let (rot, rev) = (format!("Rotate the secret of {}", c.name), format!("Revoke {}", c.name));
                                view! {
                                    <tr>
                                        <th scope="row">{c.name.clone()}</th>
                                        <td data-label="Client id"><code>{c.client_id.clone()}</code></td>
                                        <td data-label="Scopes">{scopes}</td>
                                        <td data-label="Last used">{c.last_used_at.map(date).unwrap_or_else(|| "Never".into())}</td>
                                        <td data-label="Status">{if live { "Active".to_owned() } else { format!("Revoked {}", c.revoked_at.map(date).unwrap_or_default()) }}</td>
                                        <td>{live.then(|| view! {
                                            <button class="button secondary small" type="button" aria-label=rot on:click=move |_| rotate(id)>"Rotate secret"</button>
                                            " "
                                            <button class="button secondary small" type="button" aria-label=rev on:click=move |_| revoke(id)>"Revoke"</button>
                                        })}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any(),
        }}
    }
}

/// Registering a client for the caller's trust (trust admins) or school (school leads).
#[component]
fn Register(on_made: Callback<MachineClientSecret>) -> impl IntoView {
    let auth = api::use_auth();
    let name = RwSignal::new(String::new());
    let scopes = RwSignal::new(vec![Scope::ProgressRead]);
    let errors = FormErrors::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(me) = auth.me() else { return };
        let (trust_id, school_ids) = match me.role {
            Role::TrustAdmin => (me.organisation_id, vec![]),
            _ => (None, me.school_id.into_iter().collect()),
        };
        let body = CreateMachineClient {
            name: name.get_untracked(),
            scopes: scopes.get_untracked(),
            trust_id,
            school_ids,
            rate_limit_per_minute: None,
        };
        errors.clear();
        spawn_local(async move {
            let r = api::call(auth, |c| {
                let body = body.clone();
                async move { c.create_machine_client(&body).await }
            })
            .await;
            match r {
                Ok(s) => {
                    name.set(String::new());
                    on_made.run(s);
                }
                Err(e) => errors.show_error(&e),
            }
        });
    };
    let whole = move || auth.me().is_some_and(|m| m.role == Role::TrustAdmin);
    view! {
        <details class="card">
            <summary>"Register a client"</summary>
            <p class="muted small">{move || if whole() { "It will act for every school in your trust." } else { "It will act for your school." }}</p>
            <ErrorSummary errors=errors/>
            <form on:submit=submit novalidate>
                <div class="field" class:has-error=move || errors.of("name").is_some()>
                    <label for="name">"Name"</label>
                    <p class="hint" id="name-hint">"Say what it is, such as “Arbor MIS” or “Trust progress dashboard”."</p>
                    <FieldError errors=errors field="name"/>
                    <input id="name" required aria-describedby="name-hint name-error" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                </div>
                <fieldset class="members" class:has-error=move || errors.of("scopes").is_some()>
                    <legend>"What it may do"</legend>
                    <FieldError errors=errors field="scopes"/>
                    {[Scope::RosterWrite, Scope::ProgressRead].into_iter().map(|s| view! {
                        <label class="mark">
                            <input type="checkbox" prop:checked=move || scopes.with(|l| l.contains(&s))
                                on:change=move |_| scopes.update(|l| if let Some(i) = l.iter().position(|x| *x == s) { l.remove(i); } else { l.push(s); })/>
                            {scope_label(s)}
                        </label>
                    }).collect_view()}
                </fieldset>
                <button class="button" type="submit">"Register client"</button>
            </form>
        </details>
    }
}
