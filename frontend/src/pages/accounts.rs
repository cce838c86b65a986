//! People's accounts in the caller's care: invite, see who has which role, deactivate.

use leptos::prelude::*;
use leptos::task::spawn_local;
use trellis_wire::{Invitation, InvitationStatus, ListParams, User, UserQuery};

use crate::api::{self, describe};
use crate::components::invite_form::{InviteForm, offered};
use crate::ui::labels::Label;
use crate::ui::{Load, date, failed, human, loading};

#[component]
pub fn Accounts() -> impl IntoView {
    let auth = api::use_auth();
    let users = RwSignal::new(Load::<Vec<User>>::Loading);
    let invitations = RwSignal::new(Load::<Vec<Invitation>>::Loading);
    let q = RwSignal::new(String::new());
    let notice = RwSignal::new(None::<String>);
    let reload = move || {
        let query =
            UserQuery { limit: Some(200), q: Some(q.get_untracked()).filter(|s| !s.is_empty()), ..Default::default() };
        spawn_local(async move {
            let r = api::call(auth, |c| {
                let query = query.clone();
                async move { c.list_users(&query).await }
            })
            .await;
            users.set(r.map(|p| p.items).into());
            let params = ListParams { limit: Some(200), ..Default::default() };
            let r = api::call(auth, |c| {
                let params = params.clone();
                async move { c.list_invitations(&params).await }
            })
            .await;
            invitations.set(r.map(|p| p.items).into());
        });
    };
    reload();
    let act = move |id: uuid::Uuid, deactivate: bool| {
        spawn_local(async move {
            let r = api::call(auth, |c| async move {
                if deactivate { c.deactivate_user(id).await } else { c.reactivate_user(id).await }
            })
            .await;
            notice.set(Some(match r {
                Ok(u) if deactivate => format!("{} can no longer sign in; their sign-ins have ended.", u.display_name),
                Ok(u) => format!("{} can sign in again.", u.display_name),
                Err(e) => describe(&e),
            }));
            reload();
        });
    };
    let withdraw = move |id: uuid::Uuid| {
        spawn_local(async move {
            let r = api::call(auth, |c| async move { c.delete_invitation(id).await }).await;
            notice.set(Some(match r {
                Ok(()) => "Invitation withdrawn: its link no longer works.".into(),
                Err(e) => describe(&e),
            }));
            reload();
        });
    };
    view! {
        <h1>"Accounts"</h1>
        {move || notice.get().map(|m| view! { <div class="alert success" role="status">{m}</div> })}
        {move || auth.me().filter(|m| !offered(m).is_empty()).map(|me| view! {
            <InviteForm me=me on_sent=Callback::new(move |_| reload())/>
        })}
        <h2>"People with accounts"</h2>
        <form class="search" role="search" on:submit=move |ev| { ev.prevent_default(); reload(); }>
            <label for="q">"Search by name or email"</label>
            <input id="q" type="search" prop:value=move || q.get() on:input=move |ev| q.set(event_target_value(&ev))/>
            <button class="button secondary small" type="submit">"Search"</button>
        </form>
        {move || match users.get() {
            Load::Loading => loading(),
            Load::Failed(m) => failed(m),
            Load::Ready(list) if list.is_empty() => view! { <p class="empty">"No accounts match."</p> }.into_any(),
            Load::Ready(list) => view! {
                <div class="table-wrap">
                    <table class="stack">
                        <caption class="visually-hidden">"Accounts in your care"</caption>
                        <thead><tr><th scope="col">"Name"</th><th scope="col">"Email"</th><th scope="col">"Roles"</th><th scope="col">"Status"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th></tr></thead>
                        <tbody>
                            {list.into_iter().map(|u| {
                                let roles = u.roles.iter().map(|r| {
                                    let place = r.school_name.clone().or(r.organisation_name.clone()).unwrap_or_default();
                                    format!("{} ({place})", r.role.label())
                                }).collect::<Vec<_>>().join(", ");
                                let active = u.deactivated_at.is_none();
                                let id = u.id;
                                let label = format!("{} {}", if active { "Deactivate" } else { "Reactivate" }, u.display_name);
                                view! {
                                    <tr>
                                        <th scope="row">{u.display_name.clone()}</th>
                                        <td data-label="Email">{u.email.clone()}</td>
                                        <td data-label="Roles">{roles}</td>
                                        <td data-label="Status">{if active { "Active".to_owned() } else { format!("Deactivated {}", u.deactivated_at.map(date).unwrap_or_default()) }}</td>
                                        <td>
                                            <button class="button secondary small" type="button" aria-label=label on:click=move |_| act(id, active)>
                                                {if active { "Deactivate" } else { "Reactivate" }}
                                            </button>
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any(),
        }}
        <h2>"Invitations"</h2>
        {move || match invitations.get() {
            Load::Loading => loading(),
            Load::Failed(m) => failed(m),
            Load::Ready(list) if list.is_empty() => view! { <p class="empty">"No invitations yet."</p> }.into_any(),
            Load::Ready(list) => view! {
                <div class="table-wrap">
                    <table class="stack">
                        <caption class="visually-hidden">"Invitations you sent or can see"</caption>
                        <thead><tr><th scope="col">"Email"</th><th scope="col">"Role"</th><th scope="col">"Status"</th><th scope="col">"Expires"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th></tr></thead>
                        <tbody>
                            {list.into_iter().rev().map(|i| {
                                let pending = i.status == InvitationStatus::Pending;
                                let id = i.id;
                                let label = format!("Withdraw the invitation to {}", i.email);
                                view! {
                                    <tr>
                                        <th scope="row">{i.email.clone()}</th>
                                        <td data-label="Role">{i.role.label()}</td>
                                        <td data-label="Status">{human(i.status.as_str())}</td>
                                        <td data-label="Expires">{date(i.expires_at)}</td>
                                        <td>{pending.then(|| view! {
                                            <button class="button secondary small" type="button" aria-label=label on:click=move |_| withdraw(id)>"Withdraw"</button>
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
