//! The programmes.

use leptos::prelude::*;
use leptos_router::components::A;
use trellis_wire::Programme;

use crate::api::{self};
use crate::components::new_programme::NewProgramme;
use crate::ui::transition;
#[component]
pub fn Programmes() -> impl IntoView {
    let auth = api::use_auth();
    let programmes = LocalResource::new(move || async move {
        api::call(auth, |c| async move { c.list_programmes().await }).await.map(|p| p.items)
    });
    let facilitates = move || auth.me().is_some_and(|m| m.role == trellis_domain::Role::Facilitator);
    view! {
        <h1>"Programmes"</h1>
        <Show when=facilitates>
            <NewProgramme/>
        </Show>
        {transition(programmes, |list: Vec<Programme>| if list.is_empty() {
            view! { <p class="empty">"No programmes yet."</p> }.into_any()
        } else {
            view! {
                <ul class="cards">
                    {list.into_iter().map(|p| view! {
                        <li class="card">
                            <h2><A href=format!("/programmes/{}", p.id)>{p.name.clone()}</A></h2>
                            <p class="muted">{format!("{} months", p.definition.duration_months)}</p>
                        </li>
                    }).collect_view()}
                </ul>
            }.into_any()
        })}
    }
}
