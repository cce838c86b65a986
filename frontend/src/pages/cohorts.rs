//! The cohorts.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use trellis_wire::{Cohort, ListParams};

use crate::api::{self};
use crate::ui::{Load, date, failed, loading};
#[component]
pub fn Cohorts() -> impl IntoView {
    let auth = api::use_auth();
    let state = RwSignal::new(Load::<Vec<Cohort>>::Loading);
    spawn_local(async move {
        let r =
            api::call(
                auth,
                |c| async move { c.list_cohorts(&ListParams { limit: Some(200), ..Default::default() }).await },
            )
            .await;
        state.set(r.map(|page| page.items).into());
    });
    view! {
        <h1>"Cohorts"</h1>
        {move || match state.get() {
            Load::Loading => loading(),
            Load::Failed(m) => failed(m),
            Load::Ready(cohorts) if cohorts.is_empty() => view! { <p class="empty">"No cohorts yet."</p> }.into_any(),
            Load::Ready(cohorts) => view! {
                <ul class="cards">
                    {cohorts.into_iter().map(|c| view! {
                        <li class="card">
                            <h2><A href=format!("/cohorts/{}", c.id)>{c.name.clone()}</A></h2>
                            <p class="muted">{format!("{} to {}", date(c.start_date), date(c.end_date))}</p>
                            <p>{format!("Induction {}", date(c.induction_date))}</p>
                        </li>
                    }).collect_view()}
                </ul>
            }.into_any(),
        }}
    }
}
