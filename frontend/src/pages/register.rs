//! A session's register.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use std::collections::HashMap;
use trellis_domain::EnrolmentStatus;
use trellis_domain::delivery::AttendanceStatus;
use trellis_wire::{Enrolment, ListParams, Register, RegisterEntry, Session};
use uuid::Uuid;

use crate::api::{self, describe};
use crate::ui::labels::Label;
use crate::ui::{Load, failed, loading, when};
#[derive(Clone)]
struct RegisterData {
    session: Session,
    people: Vec<Enrolment>,
}

/// The register: one row per participant, a radio group each, fast with a keyboard (Tab between
/// people, arrow keys between marks), and "all present" for the common case.
#[component]
pub fn RegisterPage() -> impl IntoView {
    let auth = api::use_auth();
    let id = use_params_map().read_untracked().get("id").and_then(|s| Uuid::parse_str(&s).ok());
    let state = RwSignal::new(Load::<RegisterData>::Loading);
    let marks = RwSignal::new(HashMap::<Uuid, AttendanceStatus>::new());
    let notice = RwSignal::new(None::<(bool, String)>);
    let busy = RwSignal::new(false);
    // The register's version as loaded: a save based on it is refused if someone saved since.
    let version = RwSignal::new(None::<String>);
    match id {
        None => state.set(Load::Failed("This is not a valid session address.".into())),
        Some(id) => spawn_local(async move {
            let r = api::call(auth, |c| async move {
                let session = c.get_session(id).await?;
                let mut people = vec![];
                let mut params = ListParams { limit: Some(200), ..Default::default() };
                loop {
                    let page = c.list_enrolments(session.cohort_id, &params).await?;
                    people.extend(page.items);
                    match page.next_cursor {
                        Some(n) => params.cursor = Some(n),
                        None => break,
                    }
                }
                let existing = c.get_attendance_versioned(id).await?;
                // Active participants are marked; anyone else keeps the mark they had (shown, fixed).
                let marked: Vec<Uuid> = existing.value.items.iter().map(|m| m.enrolment_id).collect();
                people.retain(|e| e.status == EnrolmentStatus::Active || marked.contains(&e.id));
                people.sort_by(|a, b| a.person_name.cmp(&b.person_name));
                Ok((RegisterData { session, people }, existing))
            })
            .await;
            match r {
                Ok((data, existing)) => {
                    version.set(existing.etag);
                    marks.set(existing.value.items.iter().map(|m| (m.enrolment_id, m.status)).collect());
                    state.set(Load::Ready(data));
                }
                Err(e) => state.set(Load::Failed(describe(&e))),
            }
        }),
    }
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(id) = id else { return };
        let entries: Vec<RegisterEntry> = marks
            .get_untracked()
            .into_iter()
            .map(|(enrolment_id, status)| RegisterEntry { enrolment_id, status, days: None, minutes: None })
            .collect();
        busy.set(true);
        spawn_local(async move {
            let register = Register { entries };
            let based_on = version.get_untracked();
            let r = api::call(auth, |c| {
                let (register, based_on) = (register.clone(), based_on.clone());
                async move { c.update_attendance_if(id, &register, based_on.as_deref()).await }
            })
            .await;
            busy.set(false);
            notice.set(Some(match r {
                Ok(saved) => {
                    version.set(saved.etag);
                    (true, format!("Register saved: {} marked.", saved.value.items.len()))
                }
                Err(e) => (false, describe(&e)),
            }));
        });
    };
    view! {
        {move || match state.get() {
            Load::Loading => loading(),
            Load::Failed(m) => view! { <h1>"Register"</h1> {failed(m)} }.into_any(),
            Load::Ready(data) => {
                let cohort = data.session.cohort_id;
                let ids: Vec<Uuid> =
                    data.people.iter().filter(|e| e.status == EnrolmentStatus::Active).map(|e| e.id).collect();
                if data.session.starts_at > chrono::Utc::now() {
                    return view! {
                        <p class="breadcrumb"><A href=format!("/cohorts/{cohort}")>"Back to the cohort"</A></p>
                        <h1>{format!("Register: {}", data.session.title)}</h1>
                        <p class="lead">{when(&data.session)}</p>
                        <p class="empty">"This session has not started yet: its register opens when it starts."</p>
                    }.into_any();
                }
                view! {
                    <p class="breadcrumb"><A href=format!("/cohorts/{cohort}")>"Back to the cohort"</A></p>
                    <h1>{format!("Register: {}", data.session.title)}</h1>
                    <p class="lead">{when(&data.session)}</p>
                    <div class="notice-slot" aria-live="polite">
                        {move || notice.get().map(|(ok, m)| view! { <div class=if ok { "alert success" } else { "alert error" } role="status">{m}</div> })}
                    </div>
                    <form on:submit=save class="register">
                        <p>
                            <button type="button" class="button secondary small" id="all-present"
                                on:click=move |_| marks.update(|m| for id in &ids { m.insert(*id, AttendanceStatus::Present); })>
                                "Mark everyone present"
                            </button>
                        </p>
                        {data.people.into_iter().map(|e| {
                            let eid = e.id;
                            let fixed = e.status != EnrolmentStatus::Active;
                            let note = if fixed { format!(" · {} · mark kept as recorded", e.status.label().to_lowercase()) } else { String::new() };
                            view! {
                                <fieldset class="register-row" data-enrolment-id=eid.to_string() disabled=fixed>
                                    <legend>{e.person_name.clone()} <span class="muted small">{format!(" · {}{note}", e.school_name)}</span></legend>
                                    <div class="marks">
                                        {AttendanceStatus::ALL.iter().map(|st| {
                                            let st = *st;
                                            let input_id = format!("mark-{eid}-{}", st.as_str());
                                            view! {
                                                <label class="mark">
                                                    <input type="radio" id=input_id name=format!("mark-{eid}") value=st.as_str()
                                                        prop:checked=move || marks.with(|m| m.get(&eid) == Some(&st))
                                                        on:change=move |_| marks.update(|m| { m.insert(eid, st); }) />
                                                    {st.label()}
                                                </label>
                                            }
                                        }).collect_view()}
                                    </div>
                                </fieldset>
                            }
                        }).collect_view()}
                        <button class="button" type="submit" id="save-register" disabled=move || busy.get()>
                            {move || if busy.get() { "Saving…" } else { "Save register" }}
                        </button>
                    </form>
                }.into_any()
            }
        }}
    }
}
