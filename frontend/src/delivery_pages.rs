//! Delivery screens: the cohort timetable by term, the facilitator's register, and on an
//! enrolment page the next sessions, attendance so far, coaching log and calendar subscription.

use chrono::{DateTime, FixedOffset, NaiveDate};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use std::collections::HashMap;
use trellis_domain::EnrolmentStatus;
use trellis_domain::delivery::AttendanceStatus;
use trellis_domain::rules::TermCalendar;
use trellis_domain::rules::definition::CoachingMode;
use trellis_wire::{
    AttendanceList, CoachingSession, CreateCoachingSession, Enrolment, ListParams, Register, RegisterEntry, Session,
};
use uuid::Uuid;

use crate::api::{self, describe};
use crate::pages::{Load, clock, date, day_and_date, failed, loading};

fn local(s: &str) -> Option<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc3339(s).ok()
}

/// "Tue 3 Nov 2026, 09:00–16:00" in Europe/London time, as the API gives it.
pub fn when(s: &Session) -> String {
    match (local(&s.starts_local), local(&s.ends_local)) {
        (Some(a), Some(b)) => format!("{}, {}–{}", day_and_date(a), clock(a), clock(b)),
        _ => s.starts_local.clone(),
    }
}

fn kind_label(s: &Session) -> String {
    let k = s.kind.as_str().replace('_', " ");
    let mut c = k.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or(k)
}

fn status_label(s: AttendanceStatus) -> &'static str {
    match s {
        AttendanceStatus::Present => "Present",
        AttendanceStatus::Late => "Late",
        AttendanceStatus::Absent => "Absent",
        AttendanceStatus::Apologies => "Apologies",
    }
}

/// The cohort's timetable, grouped by school term (the domain's term calendar).
#[component]
pub fn Timetable(cohort: Uuid, runs_it: bool) -> impl IntoView {
    let auth = api::use_auth();
    let state = RwSignal::new(Load::<Vec<Session>>::Loading);
    spawn_local(async move {
        let r = api::call(auth, |c| async move { c.sessions(cohort).await }).await;
        state.set(match r {
            Ok(mut p) => {
                p.items.sort_by_key(|s| s.starts_at);
                Load::Ready(p.items)
            }
            Err(e) => Load::Failed(describe(&e)),
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
                                        let href = format!("/sessions/{}/register", s.id);
                                        view! {
                                            <li class=if cancelled { "session cancelled" } else { "session" } data-session-title=s.title.clone()>
                                                <div>
                                                    <p class="session-title">{s.title.clone()}{cancelled.then_some(" (cancelled)")}</p>
                                                    <p class="muted small">{format!("{} · {}", when(&s), kind_label(&s))}</p>
                                                </div>
                                                {(runs_it && !cancelled).then(|| view! { <A href=href attr:class="button secondary small">"Take register"</A> })}
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
                let session = c.session(id).await?;
                let mut people = vec![];
                let mut params = ListParams { limit: Some(200), ..Default::default() };
                loop {
                    let page = c.enrolments(session.cohort_id, &params).await?;
                    people.extend(page.items);
                    match page.next_cursor {
                        Some(n) => params.cursor = Some(n),
                        None => break,
                    }
                }
                people.retain(|e| !matches!(e.status, EnrolmentStatus::Withdrawn | EnrolmentStatus::Nominated));
                people.sort_by(|a, b| a.person_name.cmp(&b.person_name));
                let existing = c.register_versioned(id).await?;
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
                async move { c.record_register_if(id, &register, based_on.as_deref()).await }
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
                let ids: Vec<Uuid> = data.people.iter().map(|e| e.id).collect();
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
                            view! {
                                <fieldset class="register-row" data-enrolment-id=eid.to_string()>
                                    <legend>{e.person_name.clone()} <span class="muted small">{format!(" · {}", e.school_name)}</span></legend>
                                    <div class="marks">
                                        {AttendanceStatus::ALL.iter().map(|st| {
                                            let st = *st;
                                            let input_id = format!("mark-{eid}-{}", st.as_str());
                                            view! {
                                                <label class="mark">
                                                    <input type="radio" id=input_id name=format!("mark-{eid}") value=st.as_str()
                                                        prop:checked=move || marks.with(|m| m.get(&eid) == Some(&st))
                                                        on:change=move |_| marks.update(|m| { m.insert(eid, st); }) />
                                                    {status_label(st)}
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

/// On an enrolment page: upcoming sessions and the attendance recorded so far.
#[component]
pub fn AttendancePanel(enrolment: Uuid, cohort: Uuid) -> impl IntoView {
    let auth = api::use_auth();
    let state = RwSignal::new(Load::<(Vec<Session>, AttendanceList)>::Loading);
    spawn_local(async move {
        let r =
            api::call(auth, |c| async move { Ok((c.sessions(cohort).await?.items, c.attendance(enrolment).await?)) })
                .await;
        state.set(match r {
            Ok(v) => Load::Ready(v),
            Err(e) => Load::Failed(describe(&e)),
        });
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
                                                <span class=format!("badge att-{}", m.status.as_str())>{status_label(m.status)}</span>
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

/// The coaching log: everyone who may see the enrolment sees that sessions happened; the coach
/// and the coachee see focus and notes; the coach can log a session.
#[component]
pub fn CoachingLog(enrolment: Uuid, is_coach: bool) -> impl IntoView {
    let auth = api::use_auth();
    let state = RwSignal::new(Load::<Vec<CoachingSession>>::Loading);
    let reload = move || {
        spawn_local(async move {
            let r = api::call(auth, |c| async move { c.coaching_sessions(enrolment).await }).await;
            state.set(match r {
                Ok(l) => Load::Ready(l.items),
                Err(e) => Load::Failed(describe(&e)),
            });
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
                async move { c.log_coaching(enrolment, &body).await }
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

/// Creates a calendar subscription and shows its URL (once).
#[component]
pub fn Subscribe(cohort: Option<Uuid>) -> impl IntoView {
    let auth = api::use_auth();
    let url = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let create = move |_| {
        spawn_local(async move {
            match api::call(auth, |c| async move { c.create_calendar_feed(cohort).await }).await {
                Ok(feed) => url.set(feed.url),
                Err(e) => error.set(Some(describe(&e))),
            }
        })
    };
    view! {
        <div class="subscribe">
            {move || match url.get() {
                None => view! { <button type="button" class="button secondary small" id="subscribe" on:click=create>"Subscribe to calendar"</button> }.into_any(),
                Some(u) => {
                    let webcal = u.replacen("http://", "webcal://", 1).replacen("https://", "webcal://", 1);
                    view! {
                        <div class="field">
                            <label for="feed-url">"Calendar address: paste into Outlook, Google or Apple Calendar (keep it private)"</label>
                            <input id="feed-url" readonly prop:value=u.clone()/>
                            <a href=webcal>"Open in my calendar app"</a>
                        </div>
                    }.into_any()
                }
            }}
            {move || error.get().map(|m| view! { <div class="alert error" role="alert">{m}</div> })}
        </div>
    }
}

/// The cohort's learning groups, with the members the caller may see; facilitators can form one.
#[component]
pub fn Groups(cohort: Uuid, runs_it: bool) -> impl IntoView {
    use trellis_wire::{CreateLearningGroup, LearningGroup, LearningGroupKind};
    let auth = api::use_auth();
    let state = RwSignal::new(Load::<(Vec<LearningGroup>, HashMap<Uuid, String>)>::Loading);
    let reload = move || {
        spawn_local(async move {
            let r = api::call(auth, |c| async move {
                let groups = c.groups(cohort).await?.items;
                let names = c
                    .enrolments(cohort, &ListParams { limit: Some(200), ..Default::default() })
                    .await?
                    .items
                    .into_iter()
                    .map(|e| (e.id, e.person_name))
                    .collect::<HashMap<_, _>>();
                Ok((groups, names))
            })
            .await;
            state.set(match r {
                Ok(v) => Load::Ready(v),
                Err(e) => Load::Failed(describe(&e)),
            });
        })
    };
    reload();
    let name = RwSignal::new(String::new());
    let chosen = RwSignal::new(Vec::<Uuid>::new());
    let error = RwSignal::new(None::<String>);
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = CreateLearningGroup {
            name: name.get_untracked(),
            kind: LearningGroupKind::ActionLearningSet,
            facilitator_person_id: auth.me().and_then(|m| m.person_id),
            member_enrolment_ids: chosen.get_untracked(),
        };
        spawn_local(async move {
            let r = api::call(auth, |c| {
                let body = body.clone();
                async move { c.create_group(cohort, &body).await }
            })
            .await;
            match r {
                Ok(_) => {
                    error.set(None);
                    name.set(String::new());
                    chosen.set(vec![]);
                    reload();
                }
                Err(e) => error.set(Some(describe(&e))),
            }
        });
    };
    view! {
        <h2>"Learning groups"</h2>
        {move || match state.get() {
            Load::Loading => loading(),
            Load::Failed(m) => failed(m),
            Load::Ready((groups, names)) => {
                // (name, kind, members as (enrolment, name))
                type Card = (String, String, Vec<(Uuid, String)>);
                let cards: Vec<Card> = groups
                    .iter()
                    .map(|g| {
                        let members = g
                            .member_enrolment_ids
                            .iter()
                            .map(|id| (*id, names.get(id).cloned().unwrap_or_else(|| "A participant".into())))
                            .collect();
                        (g.name.clone(), g.kind.as_str().replace('_', " "), members)
                    })
                    .collect();
                let empty = cards.is_empty();
                let mut choices: Vec<(Uuid, String)> = names.into_iter().collect();
                choices.sort_by(|a, b| a.1.cmp(&b.1));
                view! {
                    {empty.then(|| view! { <p class="empty">"No groups you can see."</p> })}
                    <div class="two-col">
                        {cards.into_iter().map(|(group_name, kind, members)| view! {
                            <section class="card group">
                                <h3>{group_name}</h3>
                                <p class="muted small">{kind}</p>
                                <ul class="plain">
                                    {members.into_iter().map(|(id, n)| view! {
                                        <li><A href=format!("/enrolments/{id}")>{n}</A></li>
                                    }).collect_view()}
                                </ul>
                            </section>
                        }).collect_view()}
                    </div>
                    {runs_it.then(|| view! {
                        <details class="card">
                            <summary>"Form a group"</summary>
                            {move || error.get().map(|m| view! { <div class="alert error" role="alert">{m}</div> })}
                            <form on:submit=create>
                                <div class="field">
                                    <label for="group-name">"Name"</label>
                                    <input id="group-name" required prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                                </div>
                                <fieldset class="members">
                                    <legend>"Members"</legend>
                                    {choices.into_iter().map(|(id, n)| view! {
                                        <label class="mark">
                                            <input type="checkbox" prop:checked=move || chosen.with(|c| c.contains(&id))
                                                on:change=move |_| chosen.update(|c| if let Some(i) = c.iter().position(|x| *x == id) { c.remove(i); } else { c.push(id); })/>
                                            {n}
                                        </label>
                                    }).collect_view()}
                                </fieldset>
                                <button class="button" type="submit">"Create group"</button>
                            </form>
                        </details>
                    })}
                }
            }.into_any(),
        }}
    }
}
