//! One programme's outline.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use trellis_wire::Programme;

use crate::api::{self};
use crate::components::new_cohort::NewCohort;
use crate::components::outline::Outline;
use crate::ui::{Load, failed, id_param, loading};
#[component]
pub fn ProgrammePage() -> impl IntoView {
    let auth = api::use_auth();
    let state = RwSignal::new(Load::<Programme>::Loading);
    match id_param() {
        None => state.set(Load::Failed("This is not a valid programme address.".into())),
        Some(id) => spawn_local(async move {
            let r = api::call(auth, |c| async move { c.get_programme(id).await }).await;
            state.set(r.into());
        }),
    }
    view! {
        {move || match state.get() {
            Load::Loading => loading(),
            Load::Failed(m) => view! { <h1>"Programme"</h1> {failed(m)} }.into_any(),
            Load::Ready(p) => view! {
                <p class="breadcrumb"><A href="/programmes">"Programmes"</A></p>
                <h1>{p.name.clone()}</h1>
                {auth.me().filter(|m| m.role == trellis_domain::Role::Facilitator && m.organisation_id == Some(p.provider_id))
                    .map(|_| view! { <NewCohort programme=p.id/> })}
                <Outline definition=p.definition.clone()/>
            }.into_any(),
        }}
    }
}
