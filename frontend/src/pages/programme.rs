//! One programme's outline.

use leptos::prelude::*;
use leptos_router::components::A;
use trellis_wire::Programme;

use crate::api::{self};
use crate::components::new_cohort::NewCohort;
use crate::components::outline::Outline;
use crate::ui::{not_an_address, route_id, transition};
#[component]
pub fn ProgrammePage() -> impl IntoView {
    let auth = api::use_auth();
    let id = route_id();
    let programme = LocalResource::new(move || {
        let id = id.get();
        async move {
            let id = id.ok_or_else(not_an_address)?;
            api::call(auth, |c| async move { c.get_programme(id).await }).await
        }
    });
    // The heading stands whatever the answer: the programme's name once it is known.
    let heading = move || programme.get().and_then(Result::ok).map_or_else(|| "Programme".to_owned(), |p| p.name);
    view! {
        <p class="breadcrumb"><A href="/programmes">"Programmes"</A></p>
        <h1>{heading}</h1>
        {transition(programme, move |p: Programme| view! {
                {auth.me().filter(|m| m.role == trellis_domain::Role::Facilitator && m.organisation_id == Some(p.provider_id))
                    .map(|_| view! { <NewCohort programme=p.id/> })}
                <Outline definition=p.definition.clone()/>
            }.into_any())}
    }
}
