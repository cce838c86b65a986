//! Inviting someone into a role: the roles offered are those the caller may give, in the places
//! they may give them (the server decides again). An invitation into a school names the member of
//! staff it is for, so that the account is theirs (their enrolments, their coaching); a
//! participant must be on the staff list first. `?school=…&person=…` in the address (the staff
//! list's and the cohort's "Give an account") chooses them in advance.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_query_map;
use trellis_domain::Role;
use trellis_domain::accounts::RoleContext;
use trellis_wire::{CreateInvitation, ListParams, MeUser, OrganisationKind, Person};
use uuid::Uuid;

use crate::api::{self};
use crate::ui::forms::{ErrorSummary, FieldError, FormErrors};
use crate::ui::labels::Label;

/// The roles `me` may invite people into.
pub fn offered(me: &MeUser) -> Vec<Role> {
    match me.role {
        Role::PlatformAdmin => Role::ALL.to_vec(),
        Role::TrustAdmin => vec![Role::SchoolLead, Role::Participant, Role::TrustAdmin],
        Role::SchoolLead => vec![Role::Participant, Role::SchoolLead],
        Role::Facilitator => vec![Role::Coach, Role::Facilitator, Role::Assessor],
        _ => vec![],
    }
}

#[component]
pub fn InviteForm(me: MeUser, on_sent: Callback<()>) -> impl IntoView {
    let auth = api::use_auth();
    let roles = offered(&me);
    let first = roles.first().copied().unwrap_or(Role::Participant);
    let role = RwSignal::new(first);
    let email = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let query = use_query_map().get_untracked();
    let wanted = |key: &str| query.get(key).and_then(|v| Uuid::parse_str(&v).ok());
    let school = RwSignal::new(me.school_id.or_else(|| wanted("school")));
    let person = RwSignal::new(wanted("person"));
    let staff = RwSignal::new(Vec::<Person>::new());
    let organisation = RwSignal::new(me.organisation_id);
    let schools = RwSignal::new(Vec::<(Uuid, String)>::new());
    let organisations = RwSignal::new(Vec::<(Uuid, String, OrganisationKind)>::new());
    let errors = FormErrors::new();
    let sent = RwSignal::new(None::<String>);
    // Fills the email and name from the chosen member of staff (the email may be missing).
    let take = move |p: &Person| {
        email.set(p.email.clone().unwrap_or_default());
        name.set(format!("{} {}", p.given_name, p.family_name));
    };
    // The staff of the chosen school, for a school role: current staff only, by name.
    Effect::new(move |_| {
        let Some(id) = school.get().filter(|_| role.get().context() == RoleContext::School) else {
            staff.set(vec![]);
            return;
        };
        spawn_local(async move {
            let r = api::call(auth, |c| async move {
                let mut out = vec![];
                let mut params = ListParams { limit: Some(200), ..Default::default() };
                loop {
                    let page = c.list_people(id, &params).await?;
                    out.extend(page.items.into_iter().filter(|p| p.left_on.is_none()));
                    match page.next_cursor {
                        Some(n) => params.cursor = Some(n),
                        None => return Ok(out),
                    }
                }
            })
            .await;
            let mut list = r.unwrap_or_default();
            list.sort_by(|a, b| (&a.family_name, &a.given_name).cmp(&(&b.family_name, &b.given_name)));
            if let Some(p) = person.get_untracked().and_then(|id| list.iter().find(|p| p.id == id)) {
                take(p);
            }
            staff.set(list);
        });
    });
    spawn_local(async move {
        let params = ListParams { limit: Some(200), ..Default::default() };
        if let Ok(page) = api::call(auth, |c| {
            let params = params.clone();
            async move { c.list_schools(&params).await }
        })
        .await
        {
            schools.set(page.items.into_iter().map(|s| (s.id, s.name)).collect());
        }
        if let Ok(page) = api::call(auth, |c| async move { c.list_organisations().await }).await {
            organisations.set(page.items.into_iter().map(|o| (o.id, o.name, o.kind)).collect());
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let r = role.get_untracked();
        let (organisation_id, school_id) = match r.context() {
            RoleContext::Everywhere => (None, None),
            RoleContext::Organisation => (organisation.get_untracked(), None),
            RoleContext::School => (None, school.get_untracked()),
        };
        let person_id = person.get_untracked().filter(|_| r.context() == RoleContext::School);
        errors.clear();
        if r == Role::Participant && person_id.is_none() {
            errors.local(
                "person_id",
                "Choose the member of staff the account is for (add them to the staff list first if they are not on it)",
            );
            return;
        }
        let body = CreateInvitation {
            email: email.get_untracked().trim().to_owned(),
            display_name: name.get_untracked().trim().to_owned(),
            role: r,
            organisation_id,
            school_id,
            person_id,
        };
        sent.set(None);
        spawn_local(async move {
            let r = api::call(auth, |c| {
                let body = body.clone();
                async move { c.create_invitation(&body).await }
            })
            .await;
            match r {
                Ok(inv) => {
                    sent.set(Some(format!("Invitation sent to {}.", inv.email)));
                    email.set(String::new());
                    name.set(String::new());
                    person.set(None);
                    on_sent.run(());
                }
                Err(e) => errors.show_error(&e),
            }
        });
    };
    let fixed_school = me.role == Role::SchoolLead;
    let fixed_org = me.role != Role::PlatformAdmin;
    view! {
        <section class="card">
            <h2>"Invite someone"</h2>
            <p class="muted small">"They get an email with a link that works once, for 14 days. Inviting someone who already has an account adds the role to it."</p>
            {move || sent.get().map(|m| view! { <div class="alert success" role="status">{m}</div> })}
            <ErrorSummary errors=errors/>
            <form on:submit=submit novalidate>
                <div class="field">
                    <label for="role">"Role"</label>
                    <select id="role" on:change=move |ev| {
                        if let Some(r) = roles.iter().find(|r| r.as_str() == event_target_value(&ev)) { role.set(*r) }
                    }>
                        {roles.iter().map(|r| view! { <option value=r.as_str() selected=*r == first>{r.label()}</option> }).collect_view()}
                    </select>
                </div>
                <Show when=move || role.get().context() == RoleContext::Organisation && !fixed_org>
                    <div class="field" class:has-error=move || errors.of("organisation_id").is_some()>
                        <label for="organisation_id">"Organisation"</label>
                        <FieldError errors=errors field="organisation_id"/>
                        <select id="organisation_id" on:change=move |ev| organisation.set(Uuid::parse_str(&event_target_value(&ev)).ok())>
                            <option value="">"Choose an organisation"</option>
                            {move || organisations.get().into_iter().filter(|o| role.get() != Role::TrustAdmin || o.2 == OrganisationKind::Trust)
                                .map(|(id, n, _)| view! { <option value=id.to_string()>{n}</option> }).collect_view()}
                        </select>
                    </div>
                </Show>
                <Show when=move || role.get().context() == RoleContext::School && !fixed_school>
                    <div class="field" class:has-error=move || errors.of("school_id").is_some()>
                        <label for="school_id">"School"</label>
                        <FieldError errors=errors field="school_id"/>
                        <select id="school_id" on:change=move |ev| { person.set(None); school.set(Uuid::parse_str(&event_target_value(&ev)).ok()) }>
                            <option value="">"Choose a school"</option>
                            {move || schools.get().into_iter().map(|(id, n)| view! { <option value=id.to_string() selected=move || school.get() == Some(id)>{n}</option> }).collect_view()}
                        </select>
                    </div>
                </Show>
                <Show when=move || role.get().context() == RoleContext::School && school.get().is_some()>
                    <div class="field" class:has-error=move || errors.of("person_id").is_some()>
                        <label for="person_id">"Member of staff"</label>
                        <p class="hint" id="person_id-hint">
                            "The account will be theirs: their enrolments and coaching. Not on the list? "
                            <a href=move || format!("/schools/{}#add-person", school.get().map(|s| s.to_string()).unwrap_or_default())>"Add them to the staff list"</a>
                            " first."
                        </p>
                        <FieldError errors=errors field="person_id"/>
                        <select id="person_id" aria-describedby="person_id-hint person_id-error" on:change=move |ev| {
                            let id = Uuid::parse_str(&event_target_value(&ev)).ok();
                            person.set(id);
                            if let Some(p) = id.and_then(|id| staff.with_untracked(|l| l.iter().find(|p| p.id == id).cloned())) { take(&p) }
                        }>
                            <option value="" selected=move || person.get().is_none()>"Choose a member of staff"</option>
                            {move || staff.get().into_iter().map(|p| { let id = p.id; view! {
                                <option value=id.to_string() selected=move || person.get() == Some(id)>
                                    {format!("{} {} ({}){}", p.given_name, p.family_name, p.staff_role.label(), if p.has_account { ", has an account" } else { "" })}
                                </option>
                            }}).collect_view()}
                        </select>
                    </div>
                </Show>
                <div class="field" class:has-error=move || errors.of("email").is_some()>
                    <label for="email">"Email address"</label>
                    <FieldError errors=errors field="email"/>
                    <input id="email" type="email" required autocomplete="off" aria-describedby="email-error"
                        prop:value=move || email.get() on:input=move |ev| email.set(event_target_value(&ev))/>
                </div>
                <div class="field" class:has-error=move || errors.of("display_name").is_some()>
                    <label for="display_name">"Full name"</label>
                    <FieldError errors=errors field="display_name"/>
                    <input id="display_name" required autocomplete="off" aria-describedby="display_name-error"
                        prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                </div>
                <button class="button" type="submit">"Send invitation"</button>
            </form>
        </section>
    }
}
