//! The schools the caller may see; trust and platform admins add schools here.

use leptos::prelude::*;
use leptos_router::components::A;
use trellis_wire::{ListParams, School};

use crate::api::{self};
use crate::components::school_form::{SchoolForm, adds_schools};
use crate::ui::labels::Label;
use crate::ui::transition;
#[component]
pub fn Schools() -> impl IntoView {
    let auth = api::use_auth();
    let schools = LocalResource::new(move || async move {
        let params = ListParams { limit: Some(200), ..Default::default() };
        api::call(auth, |c| {
            let params = params.clone();
            async move { c.list_schools(&params).await }
        })
        .await
        .map(|page| page.items)
    });
    view! {
        <h1>"Schools"</h1>
        {move || auth.me().filter(adds_schools).map(|me| view! {
            <SchoolForm me=me on_added=Callback::new(move |_| schools.refetch())/>
        })}
        {transition(schools, |schools: Vec<School>| if schools.is_empty() {
            view! { <p class="empty">"No schools to show."</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap">
                    <table class="stack">
                        <caption class="visually-hidden">"Schools you can see"</caption>
                        <thead><tr><th scope="col">"School"</th><th scope="col">"URN"</th><th scope="col">"Phase"</th></tr></thead>
                        <tbody>
                            {schools.into_iter().map(|s| view! {
                                <tr>
                                    <th scope="row"><A href=format!("/schools/{}", s.id)>{s.name}</A></th>
                                    <td class="num" data-label="URN">{s.urn}</td>
                                    <td data-label="Phase">{s.phase.label()}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        })}
    }
}
