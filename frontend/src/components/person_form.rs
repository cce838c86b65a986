//! Adding a member of staff or a governor to a school's staff list by hand, for schools without an
//! MIS feed (the roster sync adds the others).

use leptos::prelude::*;
use leptos::task::spawn_local;
use trellis_domain::StaffRole;
use trellis_wire::{CreatePerson, Person};
use uuid::Uuid;

use crate::api;
use crate::ui::forms::{ErrorSummary, FieldError, FormErrors};
use crate::ui::labels::Label;

#[component]
pub fn PersonForm(school: Uuid, on_added: Callback<Person>) -> impl IntoView {
    let auth = api::use_auth();
    let given = RwSignal::new(String::new());
    let family = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let role = RwSignal::new(StaffRole::Teacher);
    let mis = RwSignal::new(String::new());
    let errors = FormErrors::new();
    let added = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = |s: RwSignal<String>| Some(s.get_untracked().trim().to_owned()).filter(|s| !s.is_empty());
        let body = CreatePerson {
            given_name: given.get_untracked().trim().to_owned(),
            family_name: family.get_untracked().trim().to_owned(),
            email: text(email),
            staff_role: role.get_untracked(),
            mis_id: text(mis),
        };
        errors.clear();
        added.set(None);
        spawn_local(async move {
            let r = api::call(auth, |c| {
                let body = body.clone();
                async move { c.create_person(school, &body).await }
            })
            .await;
            match r {
                Ok(p) => {
                    added.set(Some(format!("{} {} is on the staff list.", p.given_name, p.family_name)));
                    for s in [given, family, email, mis] {
                        s.set(String::new());
                    }
                    on_added.run(p);
                }
                Err(e) => errors.show_error(&e),
            }
        });
    };
    let input = move |id: &'static str, label: &'static str, value: RwSignal<String>, kind: &'static str| {
        view! {
            <div class="field" class:has-error=move || errors.of(id).is_some()>
                <label for=id>{label}</label>
                <FieldError errors=errors field=id/>
                <input id=id type=kind autocomplete="off" aria-describedby=format!("{id}-error")
                    prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/>
            </div>
        }
    };
    view! {
        <details class="card" id="add-person">
            <summary>"Add a member of staff"</summary>
            <p class="hint">"For people your MIS does not send. Give them an account afterwards, from their row."</p>
            {move || added.get().map(|m| view! { <div class="alert success" role="status">{m}</div> })}
            <ErrorSummary errors=errors/>
            <form on:submit=submit novalidate>
                {input("given_name", "First name", given, "text")}
                {input("family_name", "Last name", family, "text")}
                {input("email", "Email address (optional)", email, "email")}
                <div class="field">
                    <label for="staff_role">"Role at the school"</label>
                    <select id="staff_role" on:change=move |ev| {
                        if let Some(r) = StaffRole::ALL.iter().find(|r| r.as_str() == event_target_value(&ev)) { role.set(*r) }
                    }>
                        {StaffRole::ALL.iter().map(|r| view! { <option value=r.as_str() selected=move || role.get() == *r>{r.label()}</option> }).collect_view()}
                    </select>
                </div>
                {input("mis_id", "MIS id (optional)", mis, "text")}
                <button class="button" type="submit">"Add to the staff list"</button>
            </form>
        </details>
    }
}
