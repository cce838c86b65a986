//! An enrolment's coaching log, and the coach's form to add to it.

use chrono::NaiveDate;
use leptos::prelude::*;
use leptos::task::spawn_local;
use trellis_domain::rules::definition::CoachingMode;
use trellis_wire::{CoachingSession, CreateCoachingSession};
use uuid::Uuid;

use crate::api::{self, describe};
use crate::ui::{Load, date, failed, loading};

/// The coaching log: everyone who may see the enrolment sees that sessions happened; the coach
/// and the coachee see focus and notes; the coach can log a session.
#[component]
pub fn CoachingLog(enrolment: Uuid, is_coach: bool) -> impl IntoView {
    let auth = api::use_auth();
    let state = RwSignal::new(Load::<Vec<CoachingSession>>::Loading);
    let reload = move || {
        spawn_local(async move {
            let r = api::call(auth, |c| async move { c.list_coaching_sessions(enrolment).await }).await;
            state.set(r.map(|l| l.items).into());
        })
    };
    reload();
    let held_on = RwSignal::new(String::new());
    let minutes = RwSignal::new("60".to_owned());
    let mode = RwSignal::new(CoachingMode::FaceToFace);
    let focus = RwSignal::new(String::new());
    let notes = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Ok(date), Ok(mins)) =
            (held_on.get_untracked().parse::<NaiveDate>(), minutes.get_untracked().parse::<u32>())
        else {
            error.set(Some("Enter the date and the length in minutes.".into()));
            return;
        };
        let body = CreateCoachingSession {
            held_on: date,
            minutes: mins,
            mode: mode.get_untracked(),
            focus: focus.get_untracked(),
            notes: Some(notes.get_untracked()).filter(|n| !n.trim().is_empty()),
        };
        spawn_local(async move {
            let r = api::call(auth, |c| {
                let body = body.clone();
                async move { c.create_coaching_session(enrolment, &body).await }
            })
            .await;
            match r {
                Ok(_) => {
                    error.set(None);
                    focus.set(String::new());
                    notes.set(String::new());
                    reload();
                }
                Err(e) => error.set(Some(describe(&e))),
            }
        });
    };
    view! {
        <section class="card" aria-labelledby="coaching-title">
            <h2 id="coaching-title">"Coaching"</h2>
            {move || match state.get() {
                Load::Loading => loading(),
                Load::Failed(m) => failed(m),
                Load::Ready(list) if list.is_empty() => view! { <p class="muted">"No coaching sessions yet."</p> }.into_any(),
                Load::Ready(list) => view! {
                    <ul class="plain">
                        {list.into_iter().map(|s| view! {
                            <li class="coaching-entry">
                                <strong>{date(s.held_on)}</strong>
                                {format!(" · {} minutes · {}", s.minutes, s.mode.as_str().replace('_', " "))}
                                {s.focus.map(|f| view! { <p class="req-label">{f}</p> })}
                                {s.notes.map(|n| view! { <p class="muted small">{n}</p> })}
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
            {is_coach.then(|| view! {
                <form on:submit=submit class="coaching-form">
                    <h3>"Log a session"</h3>
                    {move || error.get().map(|m| view! { <div class="alert error" role="alert">{m}</div> })}
                    <div class="field"><label for="coaching-date">"Date"</label>
                        <input id="coaching-date" type="date" required prop:value=move || held_on.get() on:input=move |ev| held_on.set(event_target_value(&ev))/></div>
                    <div class="field"><label for="coaching-minutes">"Minutes"</label>
                        <input id="coaching-minutes" type="number" min="1" max="600" required prop:value=move || minutes.get() on:input=move |ev| minutes.set(event_target_value(&ev))/></div>
                    <div class="field"><label for="coaching-mode">"Mode"</label>
                        <select id="coaching-mode" on:change=move |ev| { if let Ok(m) = event_target_value(&ev).parse() { mode.set(m) } }>
                            {CoachingMode::ALL.iter().map(|m| view! { <option value=m.as_str()>{m.as_str().replace('_', " ")}</option> }).collect_view()}
                        </select></div>
                    <div class="field"><label for="coaching-focus">"Focus"</label>
                        <input id="coaching-focus" required prop:value=move || focus.get() on:input=move |ev| focus.set(event_target_value(&ev))/></div>
                    <div class="field"><label for="coaching-notes">"Notes (only you and your coachee can read these)"</label>
                        <textarea id="coaching-notes" rows="3" prop:value=move || notes.get() on:input=move |ev| notes.set(event_target_value(&ev))></textarea></div>
                    <button class="button" type="submit">"Log session"</button>
                </form>
            })}
        </section>
    }
}
