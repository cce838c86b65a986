//! The participant's own enrolments, from one request.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use trellis_domain::Role;
use trellis_wire::MyEnrolment;

use crate::api::{self};
use crate::ui::labels::Label;
use crate::ui::{Load, failed, loading};

/// A participant's own enrolments, for the home page.
#[component]
pub fn MyEnrolments() -> impl IntoView {
    let auth = api::use_auth();
    let state = RwSignal::new(Load::<Vec<MyEnrolment>>::Loading);
    spawn_local(async move {
        let r = api::call(auth, |c| async move { c.list_my_enrolments().await }).await;
        state.set(r.map(|list| list.items).into());
    });
    view! {
        <h2>"Your programmes"</h2>
        {move || match state.get() {
            Load::Loading => loading(),
            Load::Failed(m) => failed(m),
            Load::Ready(list) if list.is_empty() => view! { <p class="empty">"You are not enrolled on a programme yet."</p> }.into_any(),
            Load::Ready(list) => view! {
                <ul class="cards">
                    {list.into_iter().map(|m| view! {
                        <li class="card">
                            <h3><A href=format!("/enrolments/{}", m.enrolment.id)>{m.cohort_name}</A></h3>
                            <p><span class=format!("badge badge-{}", m.enrolment.status.as_str())>{m.enrolment.status.label()}</span></p>
                        </li>
                    }).collect_view()}
                </ul>
            }.into_any(),
        }}
    }
}

pub fn is_participant(role: Option<Role>) -> bool {
    role == Some(Role::Participant)
}
