//! The cohorts.

use leptos::prelude::*;
use leptos_router::components::A;
use trellis_wire::{Cohort, ListParams};

use crate::api::{self};
use crate::ui::{date, transition};
#[component]
pub fn Cohorts() -> impl IntoView {
    let auth = api::use_auth();
    let cohorts = LocalResource::new(move || async move {
        api::call(auth, |c| async move { c.list_cohorts(&ListParams { limit: Some(200), ..Default::default() }).await })
            .await
            .map(|page| page.items)
    });
    view! {
        <h1>"Cohorts"</h1>
        {transition(cohorts, |cohorts: Vec<Cohort>| if cohorts.is_empty() {
            view! { <p class="empty">"No cohorts yet."</p> }.into_any()
        } else {
            view! {
                <ul class="cards">
                    {cohorts.into_iter().map(|c| view! {
                        <li class="card">
                            <h2><A href=format!("/cohorts/{}", c.id)>{c.name.clone()}</A></h2>
                            <p class="muted">{format!("{} to {}", date(c.start_date), date(c.end_date))}</p>
                            <p>{format!("Induction {}", date(c.induction_date))}</p>
                        </li>
                    }).collect_view()}
                </ul>
            }.into_any()
        })}
    }
}
