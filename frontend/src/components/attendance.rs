//! An enrolment's attendance record.

use leptos::prelude::*;
use leptos::task::spawn_local;
use trellis_wire::{AttendanceList, Session};
use uuid::Uuid;

use crate::api::{self};
use crate::ui::labels::Label;
use crate::ui::{Load, failed, loading, when};

/// On an enrolment page: upcoming sessions and the attendance recorded so far.
#[component]
pub fn AttendancePanel(enrolment: Uuid, cohort: Uuid) -> impl IntoView {
    let auth = api::use_auth();
    let state = RwSignal::new(Load::<(Vec<Session>, AttendanceList)>::Loading);
    spawn_local(async move {
        let r = api::call(auth, |c| async move {
            Ok((c.list_sessions(cohort).await?.items, c.list_attendance(enrolment).await?))
        })
        .await;
        state.set(r.into());
    });
    view! {
        {move || match state.get() {
            Load::Loading => loading(),
            Load::Failed(m) => failed(m),
            Load::Ready((mut sessions, attendance)) => {
                let now = chrono::Utc::now();
                sessions.retain(|s| s.ends_at >= now && s.cancelled_at.is_none());
                sessions.sort_by_key(|s| s.starts_at);
                sessions.truncate(3);
                view! {
                    <div class="two-col">
                        <section class="card">
                            <h2>"Next sessions"</h2>
                            {if sessions.is_empty() {
                                view! { <p class="muted">"Nothing scheduled."</p> }.into_any()
                            } else {
                                view! { <ul class="plain">{sessions.into_iter().map(|s| view! { <li><strong>{s.title.clone()}</strong><br/><span class="muted small">{when(&s)}</span></li> }).collect_view()}</ul> }.into_any()
                            }}
                        </section>
                        <section class="card" id="attendance">
                            <h2>"Attendance so far"</h2>
                            <p class="muted small">{format!("{} face-to-face days counted", attendance.days_counted)}</p>
                            {if attendance.items.is_empty() {
                                view! { <p class="muted">"No registers taken yet."</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="plain attendance-list">
                                        {attendance.items.into_iter().map(|m| view! {
                                            <li data-session-title=m.session_title.clone()>
                                                <span class=format!("badge att-{}", m.status.as_str())>{m.status.label()}</span>
                                                " " {m.session_title.clone()}
                                                {(!m.counted && m.status.attended()).then_some(" (cancelled: not counted)")}
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                        </section>
                    </div>
                }.into_any()
            }
        }}
    }
}
