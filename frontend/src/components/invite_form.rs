//! Inviting someone into a role: the roles offered are those the caller may give, in the places
//! they may give them (the server decides again).

use leptos::prelude::*;
use leptos::task::spawn_local;
use trellis_domain::Role;
use trellis_domain::accounts::RoleContext;
use trellis_wire::{CreateInvitation, ListParams, MeUser, OrganisationKind};
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
    let school = RwSignal::new(me.school_id);
    let organisation = RwSignal::new(me.organisation_id);
    let schools = RwSignal::new(Vec::<(Uuid, String)>::new());
    let organisations = RwSignal::new(Vec::<(Uuid, String, OrganisationKind)>::new());
    let errors = FormErrors::new();
    let sent = RwSignal::new(None::<String>);
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
        let body = CreateInvitation {
            email: email.get_untracked().trim().to_owned(),
            display_name: name.get_untracked().trim().to_owned(),
            role: r,
            organisation_id,
            school_id,
            person_id: None,
        };
        errors.clear();
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
                <div class="field">
                    <label for="role">"Role"</label>
                    <select id="role" on:change=move |ev| {
                        if let Some(r) = roles.iter().find(|r| r.as_str() == event_target_value(&ev)) { role.set(*r) }
                    }>
                        {roles.iter().map(|r| view! { <option value=r.as_str() selected=*r == first>{r.label()}</option> }).collect_view()}
                    </select>
                </div>
                <Show when=move || role.get().context() == RoleContext::School && !fixed_school>
                    <div class="field" class:has-error=move || errors.of("school_id").is_some()>
                        <label for="school_id">"School"</label>
                        <FieldError errors=errors field="school_id"/>
                        <select id="school_id" on:change=move |ev| school.set(Uuid::parse_str(&event_target_value(&ev)).ok())>
                            <option value="">"Choose a school"</option>
                            {move || schools.get().into_iter().map(|(id, n)| view! { <option value=id.to_string()>{n}</option> }).collect_view()}
                        </select>
                    </div>
                </Show>
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
                <button class="button" type="submit">"Send invitation"</button>
            </form>
        </section>
    }
}
