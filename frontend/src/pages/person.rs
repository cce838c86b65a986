//! One member of staff, for their school's leads and their trust's admins: their record kept by
//! hand (for schools without an MIS feed), their leaving, a move to another school of the trust,
//! and an account if they have none. What an MIS sends is shown, not edited.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use trellis_domain::StaffRole;
use trellis_wire::{CreatePerson, LeavePerson, ListParams, MovePerson, Person};
use uuid::Uuid;

use crate::api::{self, describe};
use crate::ui::forms::{ErrorSummary, FieldError, FormErrors};
use crate::ui::labels::Label;
use crate::ui::{Load, date, failed, id_param, iso_date, loading, today};

#[component]
pub fn PersonPage() -> impl IntoView {
    let auth = api::use_auth();
    let person = RwSignal::new(Load::<Person>::Loading);
    let version = RwSignal::new(None::<String>);
    let notice = RwSignal::new(None::<String>);
    let id = id_param();
    let load = move || {
        let Some(id) = id else {
            person.set(Load::Failed("This is not a valid address for a person.".into()));
            return;
        };
        spawn_local(async move {
            match api::call(auth, |c| async move { c.get_person_versioned(id).await }).await {
                Ok(v) => {
                    version.set(v.etag);
                    person.set(Load::Ready(v.value));
                }
                Err(e) => person.set(Load::Failed(describe(&e))),
            }
        });
    };
    load();
    view! {
        {move || match person.get() {
            Load::Loading => view! { <h1>"Member of staff"</h1> {loading()} }.into_any(),
            Load::Failed(m) => view! { <h1>"Member of staff"</h1> {failed(m)} }.into_any(),
            Load::Ready(p) => {
                let name = format!("{} {}", p.given_name, p.family_name);
                let open = p.left_on.is_none() && !p.mis_managed;
                view! {
                    <p class="breadcrumb"><A href=format!("/schools/{}", p.school_id)>"Staff and governors"</A></p>
                    <h1>{name.clone()}</h1>
                    {move || notice.get().map(|m| view! { <div class="alert success" role="status">{m}</div> })}
                    <dl class="facts">
                        <div><dt>"Role at the school"</dt><dd>{p.staff_role.label()}</dd></div>
                        <div><dt>"Email"</dt><dd>{p.email.clone().unwrap_or_else(|| "None recorded".into())}</dd></div>
                        <div><dt>"MIS id"</dt><dd>{p.mis_id.clone().unwrap_or_else(|| "None".into())}</dd></div>
                        <div><dt>"Account"</dt><dd>{if p.has_account {
                            "Signs in to Trellis".into_any()
                        } else if p.left_on.is_some() {
                            "None".into_any()
                        } else {
                            view! { "None. " <A href=format!("/accounts?school={}&person={}", p.school_id, p.id)>"Give them an account"</A> }.into_any()
                        }}</dd></div>
                        {p.left_on.map(|d| view! { <div><dt>"Left the school"</dt><dd>{date(d)}</dd></div> })}
                    </dl>
                    {p.mis_managed.then(|| view! {
                        <p class="alert warning">"Your school's MIS sends this person: change their details or record their leaving in the MIS, and the next sync brings it here."</p>
                    })}
                    {open.then(|| view! {
                        <EditPerson person=p.clone() version=version on_saved=Callback::new(move |p: Person| {
                            notice.set(Some("Saved.".into()));
                            person.set(Load::Ready(p));
                            load();
                        })/>
                        <LeaveForm person=p.clone() on_done=Callback::new(move |m: String| { notice.set(Some(m)); load(); })/>
                        <MoveForm person=p.clone() on_done=Callback::new(move |m: String| { notice.set(Some(m)); load(); })/>
                    })}
                }.into_any()
            }
        }}
    }
}

#[component]
fn EditPerson(person: Person, version: RwSignal<Option<String>>, on_saved: Callback<Person>) -> impl IntoView {
    let auth = api::use_auth();
    let given = RwSignal::new(person.given_name.clone());
    let family = RwSignal::new(person.family_name.clone());
    let email = RwSignal::new(person.email.clone().unwrap_or_default());
    let role = RwSignal::new(person.staff_role);
    let mis = RwSignal::new(person.mis_id.clone().unwrap_or_default());
    let errors = FormErrors::new();
    let id = person.id;
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
        let tag = version.get_untracked();
        errors.clear();
        spawn_local(async move {
            let r = api::call(auth, |c| {
                let (body, tag) = (body.clone(), tag.clone());
                async move { c.update_person_if(id, &body, tag.as_deref()).await }
            })
            .await;
            match r {
                Ok(v) => {
                    version.set(v.etag);
                    on_saved.run(v.value);
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
        <section class="card">
            <h2>"Correct their record"</h2>
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
                <button class="button" type="submit">"Save changes"</button>
            </form>
        </section>
    }
}

#[component]
fn LeaveForm(person: Person, on_done: Callback<String>) -> impl IntoView {
    let auth = api::use_auth();
    let on = RwSignal::new(today().to_string());
    let errors = FormErrors::new();
    let (id, name) = (person.id, format!("{} {}", person.given_name, person.family_name));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.clear();
        let Some(left_on) = iso_date(&on.get_untracked()) else {
            errors.local("left_on", "Enter the day they left");
            return;
        };
        let name = name.clone();
        spawn_local(async move {
            match api::call(auth, |c| async move { c.leave_person(id, &LeavePerson { left_on }).await }).await {
                Ok(_) => on_done.run(format!(
                    "{name} is recorded as having left on {}. Any open enrolments are flagged for review.",
                    date(left_on)
                )),
                Err(e) => errors.show_error(&e),
            }
        });
    };
    view! {
        <details class="card">
            <summary>"Mark as left"</summary>
            <p class="hint">"Their record and history stay. Open enrolments are flagged for you to withdraw or carry on."</p>
            <ErrorSummary errors=errors/>
            <form on:submit=submit novalidate>
                <div class="field" class:has-error=move || errors.of("left_on").is_some()>
                    <label for="left_on">"The day they left"</label>
                    <FieldError errors=errors field="left_on"/>
                    <input id="left_on" type="date" required aria-describedby="left_on-error"
                        prop:value=move || on.get() on:input=move |ev| on.set(event_target_value(&ev))/>
                </div>
                <button class="button danger" type="submit">"Mark as left"</button>
            </form>
        </details>
    }
}

#[component]
fn MoveForm(person: Person, on_done: Callback<String>) -> impl IntoView {
    let auth = api::use_auth();
    let schools = RwSignal::new(Vec::<(Uuid, String)>::new());
    let chosen = RwSignal::new(None::<Uuid>);
    let errors = FormErrors::new();
    let (id, from) = (person.id, person.school_id);
    let name = format!("{} {}", person.given_name, person.family_name);
    spawn_local(async move {
        let params = ListParams { limit: Some(200), ..Default::default() };
        let Ok(page) = api::call(auth, |c| {
            let params = params.clone();
            async move { c.list_schools(&params).await }
        })
        .await
        else {
            return;
        };
        let trust = page.items.iter().find(|s| s.id == from).and_then(|s| s.trust_id);
        schools.set(
            page.items
                .into_iter()
                .filter(|s| s.id != from && trust.is_some() && s.trust_id == trust)
                .map(|s| (s.id, s.name))
                .collect(),
        );
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.clear();
        let Some(school_id) = chosen.get_untracked() else {
            errors.local("school_id", "Choose the school they are moving to");
            return;
        };
        let name = name.clone();
        spawn_local(async move {
            match api::call(auth, |c| async move { c.move_person(id, &MovePerson { school_id }).await }).await {
                Ok(_) => on_done.run(format!("{name} has moved; their enrolments and history went with them.")),
                Err(e) => errors.show_error(&e),
            }
        });
    };
    view! {
        <Show when=move || !schools.get().is_empty()>
            <details class="card">
                <summary>"Move to another school of the trust"</summary>
                <ErrorSummary errors=errors/>
                <form on:submit=submit.clone() novalidate>
                    <div class="field" class:has-error=move || errors.of("school_id").is_some()>
                        <label for="school_id">"Moving to"</label>
                        <FieldError errors=errors field="school_id"/>
                        <select id="school_id" aria-describedby="school_id-error" on:change=move |ev| chosen.set(Uuid::parse_str(&event_target_value(&ev)).ok())>
                            <option value="">"Choose a school"</option>
                            {move || schools.get().into_iter().map(|(id, n)| view! { <option value=id.to_string()>{n}</option> }).collect_view()}
                        </select>
                    </div>
                    <button class="button" type="submit">"Move"</button>
                </form>
            </details>
        </Show>
    }
}
