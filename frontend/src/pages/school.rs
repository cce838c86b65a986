//! One school: its staff and governors (for its leads and its trust's admins), searchable; a
//! member of staff added by hand; an account given to someone who has none.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use trellis_wire::{ListParams, Person, School};

use crate::api::{self, describe};
use crate::components::person_form::PersonForm;
use crate::ui::labels::Label;
use crate::ui::{Load, failed, id_param, loading};

#[component]
pub fn SchoolPage() -> impl IntoView {
    let auth = api::use_auth();
    let school = RwSignal::new(Load::<School>::Loading);
    let people = RwSignal::new(Load::<Vec<Person>>::Loading);
    let q = RwSignal::new(String::new());
    let id = id_param();
    let load_people = move |id: uuid::Uuid| {
        spawn_local(async move {
            let r = api::call(auth, |c| async move {
                let mut out = vec![];
                let mut params = ListParams { limit: Some(200), ..Default::default() };
                loop {
                    let page = c.list_people(id, &params).await?;
                    out.extend(page.items);
                    match page.next_cursor {
                        Some(n) => params.cursor = Some(n),
                        None => return Ok(out),
                    }
                }
            })
            .await;
            people.set(match r {
                Ok(mut list) => {
                    list.sort_by(|a, b| (&a.family_name, &a.given_name).cmp(&(&b.family_name, &b.given_name)));
                    Load::Ready(list)
                }
                // Participants see their school but not its staff list.
                Err(e) if e.status() == Some(403) => {
                    Load::Failed("Only the school's leads and its trust's admins see its staff.".into())
                }
                Err(e) => Load::Failed(describe(&e)),
            });
        })
    };
    match id {
        None => school.set(Load::Failed("This is not a valid school address.".into())),
        Some(id) => {
            spawn_local(async move {
                school.set(api::call(auth, |c| async move { c.get_school(id).await }).await.into());
            });
            load_people(id);
        }
    }
    // Only those who see the staff list may add to it (the server decides again).
    // A memo: the form is drawn once, not again each time the list reloads.
    let may_staff = Memo::new(move |_| matches!(people.get(), Load::Ready(_)));
    view! {
        <p class="breadcrumb"><A href="/schools">"Schools"</A></p>
        {move || match school.get() {
            Load::Loading => loading(),
            Load::Failed(m) => view! { <h1>"School"</h1> {failed(m)} }.into_any(),
            Load::Ready(s) => view! {
                <h1>{s.name.clone()}</h1>
                <dl class="facts">
                    <div><dt>"URN"</dt><dd>{s.urn.clone()}</dd></div>
                    <div><dt>"Phase"</dt><dd>{s.phase.label()}</dd></div>
                </dl>
            }.into_any(),
        }}
        <h2>"Staff and governors"</h2>
        {move || id.filter(|_| may_staff.get()).map(|sid| view! {
            <PersonForm school=sid on_added=Callback::new(move |_| load_people(sid))/>
        })}
        <div class="search" role="search">
            <label for="people-q">"Search by name, role or MIS id"</label>
            <input id="people-q" type="search" prop:value=move || q.get() on:input=move |ev| q.set(event_target_value(&ev))/>
        </div>
        {move || match people.get() {
            Load::Loading => loading(),
            Load::Failed(m) => failed(m),
            Load::Ready(list) => {
                let needle = q.get().to_lowercase();
                let shown: Vec<Person> = list
                    .into_iter()
                    .filter(|p| {
                        needle.is_empty()
                            || format!("{} {} {} {}", p.given_name, p.family_name, p.staff_role.label(), p.mis_id.clone().unwrap_or_default())
                                .to_lowercase()
                                .contains(&needle)
                    })
                    .collect();
                if shown.is_empty() {
                    return view! { <p class="empty">"Nobody matches."</p> }.into_any();
                }
                view! {
                    <p class="muted small" role="status">{format!("{} shown", shown.len())}</p>
                    <div class="table-wrap">
                        <table class="stack">
                            <caption class="visually-hidden">"Staff and governors"</caption>
                            <thead><tr><th scope="col">"Name"</th><th scope="col">"Role"</th><th scope="col">"Email"</th><th scope="col">"MIS id"</th><th scope="col">"Account"</th></tr></thead>
                            <tbody>
                                {shown.into_iter().map(|p| view! {
                                    <tr>
                                        <th scope="row"><A href=format!("/people/{}", p.id)>{format!("{} {}", p.given_name, p.family_name)}</A></th>
                                        <td data-label="Role">{p.staff_role.label()}</td>
                                        <td data-label="Email">{p.email.clone().unwrap_or_default()}</td>
                                        <td data-label="MIS id">{p.mis_id.clone().unwrap_or_default()}</td>
                                        <td data-label="Account">{if p.has_account {
                                            "Signs in".into_any()
                                        } else if p.left_on.is_some() {
                                            "Left".into_any()
                                        } else {
                                            let name = format!("{} {}", p.given_name, p.family_name);
                                            view! {
                                                <A href=format!("/accounts?school={}&person={}", p.school_id, p.id) attr:aria-label=format!("Give {name} an account")>"Give an account"</A>
                                            }.into_any()
                                        }}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }
        }}
    }
}
