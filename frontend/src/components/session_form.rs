//! Scheduling a session of a cohort, or changing one: the kinds the programme's definition
//! timetables, Europe/London times, the venue (the hub's host school unless said otherwise), the
//! participant who leads a cluster meeting, the audience, the group it is for.

use leptos::prelude::*;
use leptos::task::spawn_local;
use trellis_domain::EnrolmentStatus;
use trellis_domain::delivery::SessionAudience;
use trellis_domain::rules::definition::SessionKind;
use trellis_wire::{Cohort, CreateSession, ListParams, Session, UpdateSession};
use uuid::Uuid;

use crate::api::{self};
use crate::ui::forms::{ErrorSummary, FieldError, FormErrors};
use crate::ui::human;

/// What the form offers, loaded once: (kinds, schools, active enrolments, groups) as (id, label).
type Choices = (Vec<SessionKind>, Vec<(Uuid, String)>, Vec<(Uuid, String)>, Vec<(Uuid, String)>);

fn audience_label(a: SessionAudience) -> &'static str {
    match a {
        SessionAudience::Cohort => "The cohort",
        SessionAudience::OpenToGovernors => "The cohort, open to governors",
        SessionAudience::Public => "Public",
    }
}

/// `2026-10-24T10:00` (Europe/London) → ("2026-10-24", "10:00").
fn split_local(s: &str) -> (String, String) {
    let date = s.get(..10).unwrap_or_default().to_owned();
    let time = s.get(11..16).unwrap_or_default().to_owned();
    (date, time)
}

#[component]
pub fn SessionForm(
    cohort: Cohort,
    /// The session being changed, or `None` to schedule a new one.
    editing: RwSignal<Option<Session>>,
    /// Bumped after a save, so the timetable reloads.
    refresh: RwSignal<u32>,
    notice: RwSignal<Option<(bool, String)>>,
) -> impl IntoView {
    let auth = api::use_auth();
    let choices = RwSignal::new(None::<Choices>);
    let (cohort_id, programme_id, host) = (cohort.id, cohort.programme_id, cohort.host_school_id);
    spawn_local(async move {
        let r = api::call(auth, |c| async move {
            let kinds = c.get_programme(programme_id).await?.definition.session_kinds();
            let params = ListParams { limit: Some(200), ..Default::default() };
            let schools = c.list_schools(&params).await?.items.into_iter().map(|s| (s.id, s.name)).collect();
            let people = c
                .list_enrolments(cohort_id, &params)
                .await?
                .items
                .into_iter()
                .filter(|e| e.status == EnrolmentStatus::Active)
                .map(|e| (e.id, e.person_name))
                .collect();
            let groups = c.list_groups(cohort_id).await?.items.into_iter().map(|g| (g.id, g.name)).collect();
            Ok((kinds, schools, people, groups))
        })
        .await;
        if let Ok(c) = r {
            choices.set(Some(c));
        }
    });
    let kind = RwSignal::new(None::<SessionKind>);
    let title = RwSignal::new(String::new());
    let date = RwSignal::new(String::new());
    let (from, to) = (RwSignal::new("09:00".to_owned()), RwSignal::new("16:00".to_owned()));
    let venue = RwSignal::new(host);
    let venue_text = RwSignal::new(String::new());
    let leader = RwSignal::new(None::<Uuid>);
    let audience = RwSignal::new(SessionAudience::Cohort);
    let group = RwSignal::new(None::<Uuid>);
    let errors = FormErrors::new();
    // Editing: the form shows the session as it is.
    Effect::new(move |_| {
        if let Some(s) = editing.get() {
            kind.set(Some(s.kind));
            title.set(s.title.clone());
            let (d, f) = split_local(&s.starts_local);
            date.set(d);
            from.set(f);
            to.set(split_local(&s.ends_local).1);
            venue.set(s.venue_school_id);
            venue_text.set(s.venue_text.clone().unwrap_or_default());
            leader.set(s.led_by_enrolment_id);
            audience.set(s.audience);
            group.set(s.group_id);
            errors.clear();
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(k) = kind.get_untracked() else {
            errors.local("kind", "Choose what kind of session it is");
            return;
        };
        let d = date.get_untracked();
        let text = venue_text.get_untracked().trim().to_owned();
        let led = leader.get_untracked().filter(|_| k == SessionKind::ClusterMeeting);
        let create = CreateSession {
            kind: k,
            title: title.get_untracked(),
            starts_at: format!("{d}T{}", from.get_untracked()),
            ends_at: format!("{d}T{}", to.get_untracked()),
            venue_school_id: venue.get_untracked(),
            venue_text: (!text.is_empty()).then_some(text),
            facilitator_person_id: auth.me().and_then(|m| m.person_id),
            led_by_enrolment_id: led,
            audience: Some(audience.get_untracked()),
            group_id: group.get_untracked(),
        };
        // Times are checked by the server (Europe/London to UTC needs the time-zone rules, which
        // the SPA does not carry); its faults come back beside their fields.
        if d.is_empty() {
            errors.local("starts_at", "Enter the date");
            return;
        }
        errors.clear();
        let editing_id = editing.get_untracked().map(|s| s.id);
        spawn_local(async move {
            let r = api::call(auth, |c| {
                let create = create.clone();
                async move {
                    match editing_id {
                        None => c.create_session_of_cohort(cohort_id, &create).await,
                        Some(id) => {
                            let change = UpdateSession {
                                title: Some(create.title.clone()),
                                starts_at: Some(create.starts_at.clone()),
                                ends_at: Some(create.ends_at.clone()),
                                venue_school_id: create.venue_school_id,
                                venue_text: create.venue_text.clone(),
                                facilitator_person_id: create.facilitator_person_id,
                                led_by_enrolment_id: create.led_by_enrolment_id,
                                audience: create.audience,
                            };
                            c.update_session(id, &change).await
                        }
                    }
                }
            })
            .await;
            match r {
                Ok(s) => {
                    notice.set(Some((true, format!("“{}” is on the timetable.", s.title))));
                    editing.set(None);
                    title.set(String::new());
                    refresh.update(|n| *n += 1);
                }
                Err(e) => errors.show_error(&e),
            }
        });
    };
    view! {
        <details class="card" prop:open=move || editing.get().is_some()>
            <summary>{move || if editing.get().is_some() { "Change the session" } else { "Schedule a session" }}</summary>
            <ErrorSummary errors=errors/>
            {move || match choices.get() {
                None => view! { <p class="muted" role="status">"Loading…"</p> }.into_any(),
                Some((kinds, schools, people, groups)) => view! {
                    <form on:submit=submit novalidate>
                        <div class="field" class:has-error=move || errors.of("kind").is_some()>
                            <label for="kind">"Kind"</label>
                            <FieldError errors=errors field="kind"/>
                            <select id="kind" disabled=move || editing.get().is_some()
                                on:change=move |ev| kind.set(event_target_value(&ev).parse().ok())>
                                <option value="">"Choose a kind"</option>
                                {kinds.iter().map(|k| { let k = *k; view! {
                                    <option value=k.as_str() selected=move || kind.get() == Some(k)>{human(k.as_str())}</option>
                                }}).collect_view()}
                            </select>
                        </div>
                        <div class="field" class:has-error=move || errors.of("title").is_some()>
                            <label for="title">"Title"</label>
                            <FieldError errors=errors field="title"/>
                            <input id="title" required prop:value=move || title.get() on:input=move |ev| title.set(event_target_value(&ev))/>
                        </div>
                        <div class="row">
                            <div class="field" class:has-error=move || errors.of("starts_at").is_some()>
                                <label for="session-date">"Date"</label>
                                <FieldError errors=errors field="starts_at"/>
                                <input id="session-date" type="date" required prop:value=move || date.get() on:input=move |ev| date.set(event_target_value(&ev))/>
                            </div>
                            <div class="field">
                                <label for="session-from">"From (UK time)"</label>
                                <input id="session-from" type="time" required prop:value=move || from.get() on:input=move |ev| from.set(event_target_value(&ev))/>
                            </div>
                            <div class="field" class:has-error=move || errors.of("ends_at").is_some()>
                                <label for="session-to">"To"</label>
                                <FieldError errors=errors field="ends_at"/>
                                <input id="session-to" type="time" required prop:value=move || to.get() on:input=move |ev| to.set(event_target_value(&ev))/>
                            </div>
                        </div>
                        <div class="field">
                            <label for="venue_school_id">"Venue"</label>
                            <p class="hint" id="venue-hint">"The hub's host school unless you choose another."</p>
                            <select id="venue_school_id" aria-describedby="venue-hint" on:change=move |ev| venue.set(Uuid::parse_str(&event_target_value(&ev)).ok())>
                                <option value="">"Not at a school"</option>
                                {schools.iter().map(|(id, n)| { let id = *id; view! {
                                    <option value=id.to_string() selected=move || venue.get() == Some(id)>{n.clone()}</option>
                                }}).collect_view()}
                            </select>
                        </div>
                        <div class="field">
                            <label for="venue_text">"Room or address (optional)"</label>
                            <input id="venue_text" prop:value=move || venue_text.get() on:input=move |ev| venue_text.set(event_target_value(&ev))/>
                        </div>
                        <Show when=move || kind.get() == Some(SessionKind::ClusterMeeting)>
                            <div class="field" class:has-error=move || errors.of("led_by_enrolment_id").is_some()>
                                <label for="led_by_enrolment_id">"Led by (a participant)"</label>
                                <FieldError errors=errors field="led_by_enrolment_id"/>
                                <select id="led_by_enrolment_id" on:change=move |ev| leader.set(Uuid::parse_str(&event_target_value(&ev)).ok())>
                                    <option value="">"Nobody named"</option>
                                    {people.iter().map(|(id, n)| { let id = *id; view! {
                                        <option value=id.to_string() selected=move || leader.get() == Some(id)>{n.clone()}</option>
                                    }}).collect_view()}
                                </select>
                            </div>
                        </Show>
                        <div class="field">
                            <label for="audience">"Audience"</label>
                            <select id="audience" on:change=move |ev| if let Ok(a) = event_target_value(&ev).parse() { audience.set(a) }>
                                {SessionAudience::ALL.iter().map(|a| { let a = *a; view! {
                                    <option value=a.as_str() selected=move || audience.get() == a>{audience_label(a)}</option>
                                }}).collect_view()}
                            </select>
                        </div>
                        <div class="field">
                            <label for="group_id">"For a group (optional)"</label>
                            <select id="group_id" disabled=move || editing.get().is_some() on:change=move |ev| group.set(Uuid::parse_str(&event_target_value(&ev)).ok())>
                                <option value="">"The whole cohort"</option>
                                {groups.iter().map(|(id, n)| { let id = *id; view! {
                                    <option value=id.to_string() selected=move || group.get() == Some(id)>{n.clone()}</option>
                                }}).collect_view()}
                            </select>
                        </div>
                        <div class="row">
                            <button class="button" type="submit" id="save-session">{move || if editing.get().is_some() { "Save changes" } else { "Add to the timetable" }}</button>
                            <Show when=move || editing.get().is_some()>
                                <button class="button secondary" type="button" on:click=move |_| editing.set(None)>"Cancel"</button>
                            </Show>
                        </div>
                    </form>
                }.into_any(),
            }}
        </details>
    }
}
