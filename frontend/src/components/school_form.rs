//! Adding a school: a trust admin adds one to their trust, a platform admin to any trust (or to
//! none), with its hub and where it is (for travel between partner schools).

use leptos::prelude::*;
use leptos::task::spawn_local;
use trellis_domain::{OrganisationKind, Role, SchoolPhase};
use trellis_wire::{CreateSchool, ListParams, MeUser, School};
use uuid::Uuid;

use crate::api;
use crate::ui::forms::{ErrorSummary, FieldError, FormErrors};
use crate::ui::labels::Label;

/// Whether `me` may add schools (the server decides again).
pub fn adds_schools(me: &MeUser) -> bool {
    matches!(me.role, Role::TrustAdmin | Role::PlatformAdmin)
}

#[component]
pub fn SchoolForm(me: MeUser, on_added: Callback<School>) -> impl IntoView {
    let auth = api::use_auth();
    let urn = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let phase = RwSignal::new(SchoolPhase::Primary);
    let trust = RwSignal::new(if me.role == Role::TrustAdmin { me.organisation_id } else { None });
    let hub = RwSignal::new(None::<Uuid>);
    let latitude = RwSignal::new(String::new());
    let longitude = RwSignal::new(String::new());
    let trusts = RwSignal::new(Vec::<(Uuid, String)>::new());
    let hubs = RwSignal::new(Vec::<(Uuid, Uuid, String)>::new());
    let errors = FormErrors::new();
    let added = RwSignal::new(None::<String>);
    let picks_trust = me.role == Role::PlatformAdmin;
    spawn_local(async move {
        if let Ok(page) = api::call(auth, |c| async move { c.list_organisations().await }).await {
            trusts.set(
                page.items.into_iter().filter(|o| o.kind == OrganisationKind::Trust).map(|o| (o.id, o.name)).collect(),
            );
        }
        let params = ListParams { limit: Some(200), ..Default::default() };
        if let Ok(page) = api::call(auth, |c| {
            let params = params.clone();
            async move { c.list_hubs(&params).await }
        })
        .await
        {
            hubs.set(page.items.into_iter().map(|h| (h.id, h.organisation_id, h.name)).collect());
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.clear();
        added.set(None);
        let coordinate = |s: RwSignal<String>, field: &str| -> Result<Option<f64>, ()> {
            let text = s.get_untracked().trim().replace(',', ".");
            if text.is_empty() {
                return Ok(None);
            }
            // The browser's own number parser: Rust's would add ~20 KB to this part of the app.
            let plain = text.chars().all(|c| c.is_ascii_digit() || c == '.' || c == '-');
            let n = js_sys::Number::parse_float(&text);
            if plain && n.is_finite() {
                Ok(Some(n))
            } else {
                errors.local(field, "Enter a number of degrees, such as 52.4862");
                Err(())
            }
        };
        let (Ok(lat), Ok(long)) = (coordinate(latitude, "latitude"), coordinate(longitude, "longitude")) else {
            return;
        };
        if lat.is_some() != long.is_some() {
            errors.local(
                if lat.is_none() { "latitude" } else { "longitude" },
                "Give both latitude and longitude, or neither",
            );
            return;
        }
        let body = CreateSchool {
            urn: urn.get_untracked().trim().to_owned(),
            name: name.get_untracked().trim().to_owned(),
            phase: phase.get_untracked(),
            trust_id: trust.get_untracked(),
            hub_id: hub.get_untracked(),
            latitude: lat,
            longitude: long,
        };
        spawn_local(async move {
            let r = api::call(auth, |c| {
                let body = body.clone();
                async move { c.create_school(&body).await }
            })
            .await;
            match r {
                Ok(s) => {
                    added.set(Some(format!("{} is added.", s.name)));
                    for f in [urn, name, latitude, longitude] {
                        f.set(String::new());
                    }
                    on_added.run(s);
                }
                Err(e) => errors.show_error(&e),
            }
        });
    };
    let input = move |id: &'static str, label: &'static str, value: RwSignal<String>, mode: &'static str| {
        view! {
            <div class="field" class:has-error=move || errors.of(id).is_some()>
                <label for=id>{label}</label>
                <FieldError errors=errors field=id/>
                <input id=id type="text" inputmode=mode autocomplete="off" aria-describedby=format!("{id}-error")
                    prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/>
            </div>
        }
    };
    view! {
        <details class="card" id="add-school">
            <summary>"Add a school"</summary>
            {move || added.get().map(|m| view! { <div class="alert success" role="status">{m}</div> })}
            <ErrorSummary errors=errors/>
            <form on:submit=submit novalidate>
                {input("name", "Name", name, "text")}
                {input("urn", "URN (six digits)", urn, "numeric")}
                <div class="field">
                    <label for="phase">"Phase"</label>
                    <select id="phase" on:change=move |ev| {
                        if let Some(p) = SchoolPhase::ALL.iter().find(|p| p.as_str() == event_target_value(&ev)) { phase.set(*p) }
                    }>
                        {SchoolPhase::ALL.iter().map(|p| view! { <option value=p.as_str() selected=move || phase.get() == *p>{p.label()}</option> }).collect_view()}
                    </select>
                </div>
                {picks_trust.then(|| view! {
                    <div class="field" class:has-error=move || errors.of("trust_id").is_some()>
                        <label for="trust_id">"Trust"</label>
                        <FieldError errors=errors field="trust_id"/>
                        <select id="trust_id" on:change=move |ev| { hub.set(None); trust.set(Uuid::parse_str(&event_target_value(&ev)).ok()) }>
                            <option value="">"No trust"</option>
                            {move || trusts.get().into_iter().map(|(id, n)| view! { <option value=id.to_string()>{n}</option> }).collect_view()}
                        </select>
                    </div>
                })}
                <div class="field" class:has-error=move || errors.of("hub_id").is_some()>
                    <label for="hub_id">"Hub (optional)"</label>
                    <FieldError errors=errors field="hub_id"/>
                    <select id="hub_id" on:change=move |ev| hub.set(Uuid::parse_str(&event_target_value(&ev)).ok())>
                        <option value="" selected=move || hub.get().is_none()>"No hub"</option>
                        {move || hubs.get().into_iter().filter(|h| Some(h.1) == trust.get())
                            .map(|(id, _, n)| view! { <option value=id.to_string() selected=move || hub.get() == Some(id)>{n}</option> }).collect_view()}
                    </select>
                </div>
                {input("latitude", "Latitude (optional)", latitude, "decimal")}
                {input("longitude", "Longitude (optional)", longitude, "decimal")}
                <button class="button" type="submit">"Add the school"</button>
            </form>
        </details>
    }
}
