//! The cohort's timetable, grouped by school term.

use chrono::NaiveDate;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use trellis_domain::rules::TermCalendar;
use trellis_wire::Session;
use uuid::Uuid;

use crate::api::{self, describe};
use crate::ui::{Load, failed, kind_label, loading, when};

/// The cohort's timetable, grouped by school term (the domain's term calendar).
#[component]
pub fn Timetable(
    cohort: Uuid,
    runs_it: bool,
    /// Bumped when a session was scheduled or changed: the timetable reloads.
    refresh: RwSignal<u32>,
    /// Set to the session a facilitator chose to change.
    editing: RwSignal<Option<Session>>,
) -> impl IntoView {
    let auth = api::use_auth();
    let state = RwSignal::new(Load::<Vec<Session>>::Loading);
    Effect::new(move |_| {
        refresh.track();
        spawn_local(async move {
            let r = api::call(auth, |c| async move { c.list_sessions(cohort).await }).await;
            state.set(match r {
                Ok(mut p) => {
                    p.items.sort_by_key(|s| s.starts_at);
                    Load::Ready(p.items)
                }
                Err(e) => Load::Failed(describe(&e)),
            });
        });
    });
    view! {
        <h2>"Timetable"</h2>
        {move || match state.get() {
            Load::Loading => loading(),
            Load::Failed(m) => failed(m),
            Load::Ready(list) if list.is_empty() => view! { <p class="empty">"No sessions scheduled yet."</p> }.into_any(),
            Load::Ready(list) => {
                let first = list.first().map(|s| s.starts_at.date_naive()).unwrap_or_default();
                let last = list.last().map(|s| s.starts_at.date_naive()).unwrap_or_default();
                let terms = TermCalendar::default().terms_between(first, last);
                let term_of = |d: NaiveDate| {
                    terms
                        .iter()
                        .find(|t| d >= t.starts && d <= t.ends)
                        .map(|t| format!("{} term {}", t.name.as_str()[..1].to_uppercase() + &t.name.as_str()[1..], chrono::Datelike::year(&t.starts)))
                        .unwrap_or_else(|| "Holidays".to_owned())
                };
                let mut groups: Vec<(String, Vec<Session>)> = vec![];
                for s in list {
                    let label = term_of(s.starts_at.date_naive());
                    match groups.last_mut() {
                        Some((l, v)) if *l == label => v.push(s),
                        _ => groups.push((label, vec![s])),
                    }
                }
                view! {
                    <div class="timeline">
                        {groups.into_iter().map(|(label, sessions)| view! {
                            <section class="term">
                                <h3>{label}</h3>
                                <ul>
                                    {sessions.into_iter().map(|s| {
                                        let cancelled = s.cancelled_at.is_some();
                                        let started = s.starts_at <= chrono::Utc::now();
                                        let href = format!("/sessions/{}/register", s.id);
                                        let label = format!("Change {}", s.title);
                                        let this = s.clone();
                                        view! {
                                            <li class=if cancelled { "session cancelled" } else { "session" } data-session-title=s.title.clone()>
                                                <div>
                                                    <p class="session-title">{s.title.clone()}{cancelled.then_some(" (cancelled)")}</p>
                                                    <p class="muted small">{format!("{} · {}", when(&s), kind_label(&s))}</p>
                                                </div>
                                                <div class="action-row">
                                                    {(runs_it && !cancelled && started).then(|| view! { <A href=href attr:class="button secondary small">"Take register"</A> })}
                                                    {(runs_it && !cancelled).then(|| view! {
                                                        <button type="button" class="button secondary small" aria-label=label
                                                            on:click=move |_| editing.set(Some(this.clone()))>"Change"</button>
                                                    })}
                                                </div>
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            </section>
                        }).collect_view()}
                    </div>
                }.into_any()
            }
        }}
    }
}
