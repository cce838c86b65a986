//! The assessor's queue: the submissions they are assigned to mark or moderate, oldest first.
//! Nobody else's: an assessor sees only what they are assigned.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use trellis_wire::SubmissionList;

use crate::api;
use crate::ui::labels::Label;
use crate::ui::{Load, date, failed, loading};

#[component]
pub fn AssessmentsPage() -> impl IntoView {
    let auth = api::use_auth();
    let state = RwSignal::new(Load::<SubmissionList>::Loading);
    spawn_local(async move {
        let r = api::call(auth, |c| async move { c.list_assessor_queue().await }).await;
        state.set(r.into());
    });
    view! {
        <h1>"To assess"</h1>
        <p class="lead">"Final-assessment submissions assigned to you to mark or moderate."</p>
        {move || match state.get() {
            Load::Loading => loading(),
            Load::Failed(m) => failed(m),
            Load::Ready(q) if q.items.is_empty() => view! { <p class="empty">"Nothing assigned to you now."</p> }.into_any(),
            Load::Ready(q) => view! {
                <div class="table-wrap">
                    <table class="stack">
                        <thead><tr><th scope="col">"Participant"</th><th scope="col">"Cohort"</th><th scope="col">"Attempt"</th><th scope="col">"Submitted"</th><th scope="col">"Status"</th><th scope="col">"To do"</th></tr></thead>
                        <tbody>{q.items.into_iter().map(|s| {
                            let todo = if s.actions.iter().any(|a| a == "mark") { "Mark" }
                                else if s.actions.iter().any(|a| a == "moderate") { "Moderate" }
                                else if s.verification_required && s.verification.is_none() { "Waiting for the coach" }
                                else { "Waiting" };
                            view! { <tr>
                                <th scope="row" data-label="Participant"><A href=format!("/submissions/{}", s.id)>{s.participant_name.clone()}</A></th>
                                <td data-label="Cohort">{s.cohort_name.clone()}</td>
                                <td data-label="Attempt">{s.attempt}</td>
                                <td data-label="Submitted">{date(s.submitted_on)}</td>
                                <td data-label="Status">{s.status.label()}</td>
                                <td data-label="To do">{todo}</td>
                            </tr> }
                        }).collect_view()}</tbody>
                    </table>
                </div>
            }.into_any(),
        }}
    }
}
