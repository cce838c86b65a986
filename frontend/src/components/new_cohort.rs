//! A facilitator starting a cohort of a programme: its name, dates, hub and host school. The
//! cohort's own rule (induction between start and end) is the domain's, checked before sending.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use trellis_wire::{CreateCohort, Hub, ListParams};
use uuid::Uuid;

use crate::api::{self};
use crate::ui::forms::{ErrorSummary, FieldError, FormErrors};

#[component]
pub fn NewCohort(programme: Uuid) -> impl IntoView {
    let auth = api::use_auth();
    let name = RwSignal::new(String::new());
    let (induction, start, end) =
        (RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new()));
    let hubs = RwSignal::new(Vec::<Hub>::new());
    let hub = RwSignal::new(None::<Uuid>);
    let errors = FormErrors::new();
    let navigate = use_navigate();
    spawn_local(async move {
        let params = ListParams { limit: Some(200), ..Default::default() };
        if let Ok(page) = api::call(auth, |c| {
            let params = params.clone();
            async move { c.list_hubs(&params).await }
        })
        .await
        {
            hubs.set(page.items);
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let parse = |s: RwSignal<String>, field: &str| -> Option<chrono::NaiveDate> {
            let d = crate::ui::iso_date(&s.get_untracked());
            if d.is_none() {
                errors.local(field, "Enter a date");
            }
            d
        };
        let (Some(i), Some(s), Some(e)) =
            (parse(induction, "induction_date"), parse(start, "start_date"), parse(end, "end_date"))
        else {
            return;
        };
        let chosen = hub.get_untracked();
        let host = hubs.get_untracked().into_iter().find(|h| Some(h.id) == chosen).and_then(|h| h.host_school_id);
        let body = CreateCohort {
            programme_id: programme,
            name: name.get_untracked(),
            induction_date: i,
            start_date: s,
            end_date: e,
            hub_id: chosen,
            host_school_id: host,
            facilitator_ids: auth.me().and_then(|m| m.person_id).into_iter().collect(),
        };
        // The domain's cohort rule, before sending.
        if let Err(faults) = trellis_domain::cohort::CohortPlan::try_from(&body) {
            if let Some(f) = faults.first() {
                errors.local(&f.field, f.message.clone());
            }
            return;
        }
        errors.clear();
        let navigate = navigate.clone();
        spawn_local(async move {
            let r = api::call(auth, |c| {
                let body = body.clone();
                async move { c.create_cohort(&body).await }
            })
            .await;
            match r {
                Ok(c) => navigate(&format!("/cohorts/{}", c.id), Default::default()),
                Err(e) => errors.show_error(&e),
            }
        });
    };
    let date_field = move |id: &'static str, label: &'static str, value: RwSignal<String>| {
        view! {
            <div class="field" class:has-error=move || errors.of(id).is_some()>
                <label for=id>{label}</label>
                <FieldError errors=errors field=id/>
                <input id=id type="date" required prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/>
            </div>
        }
    };
    view! {
        <details class="card">
            <summary>"Start a cohort"</summary>
            <p class="muted small">"You facilitate the cohorts you start. Sessions are scheduled from the cohort's page."</p>
            <ErrorSummary errors=errors/>
            <form on:submit=submit novalidate>
                <div class="field" class:has-error=move || errors.of("name").is_some()>
                    <label for="name">"Name"</label>
                    <p class="hint" id="name-hint">"Such as “NPQML 2027–28, Oakfield North”."</p>
                    <FieldError errors=errors field="name"/>
                    <input id="name" required aria-describedby="name-hint" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                </div>
                {date_field("start_date", "Starts", start)}
                {date_field("induction_date", "Induction", induction)}
                {date_field("end_date", "Ends", end)}
                <div class="field">
                    <label for="hub_id">"Hub"</label>
                    <select id="hub_id" on:change=move |ev| hub.set(Uuid::parse_str(&event_target_value(&ev)).ok())>
                        <option value="">"No hub"</option>
                        {move || hubs.get().into_iter().map(|h| view! { <option value=h.id.to_string()>{h.name}</option> }).collect_view()}
                    </select>
                </div>
                <button class="button" type="submit">"Create cohort"</button>
            </form>
        </details>
    }
}
