//! What the coach or tutor has to verify: submitted entries, oldest first, each a link to the
//! participant's portfolio where it is verified or returned.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use trellis_wire::VerificationQueue;

use crate::api;
use crate::ui::labels::Label;
use crate::ui::{Load, date, failed, loading};

#[component]
pub fn VerificationPage() -> impl IntoView {
    let auth = api::use_auth();
    let state = RwSignal::new(Load::<VerificationQueue>::Loading);
    spawn_local(async move {
        let r = api::call(auth, |c| async move { c.list_verification_queue().await }).await;
        state.set(r.into());
    });
    view! {
        <h1>"To verify"</h1>
        <p class="lead">"Portfolio entries handed in by participants you coach or tutor."</p>
        {move || match state.get() {
            Load::Loading => loading(),
            Load::Failed(m) => failed(m),
            Load::Ready(q) if q.items.is_empty() => view! { <p class="empty">"Nothing waiting: you are up to date."</p> }.into_any(),
            Load::Ready(q) => view! {
                <div class="table-wrap">
                    <table class="stack">
                        <thead><tr><th scope="col">"Participant"</th><th scope="col">"Entry"</th><th scope="col">"Cohort"</th><th scope="col">"Submitted"</th></tr></thead>
                        <tbody>{q.items.into_iter().map(|i| {
                            let title = i.entry.content.as_ref().map(|c| c.title.clone()).unwrap_or_else(|| i.entry.kind.label().to_owned());
                            view! {
                                <tr>
                                    <th scope="row" data-label="Participant">{i.participant.clone()}</th>
                                    <td data-label="Entry"><A href=format!("/enrolments/{}/portfolio", i.entry.enrolment_id)>{title}</A>
                                        <span class="muted">{format!(" ({})", i.entry.kind.label())}</span></td>
                                    <td data-label="Cohort">{i.cohort_name.clone()}</td>
                                    <td data-label="Submitted">{i.entry.submitted_at.map(|t| date(t.date_naive())).unwrap_or_default()}</td>
                                </tr>
                            }
                        }).collect_view()}</tbody>
                    </table>
                </div>
            }.into_any(),
        }}
    }
}
