//! The screens. Each loads what it needs through [`api::call`] and shows loading, error and
//! empty states.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use trellis_domain::authz::{
    Action, CohortFacts, EnrolmentFacts, Principal, Resource, SchoolFacts, UserPrincipal, authorize,
};
use trellis_domain::enrolment::{TransitionKind, WithdrawalReasonKind};
use trellis_domain::{EnrolmentStatus, Role};
use trellis_wire::{Cohort, Enrolment, ListParams, MeUser, School};
use uuid::Uuid;

use crate::api::{self, Auth, describe};

/// What a screen shows while it loads.
#[derive(Clone)]
pub enum Load<T> {
    Loading,
    Failed(String),
    Ready(T),
}

pub fn loading() -> AnyView {
    view! { <p class="muted" role="status">"Loading…"</p> }.into_any()
}

pub fn failed(message: String) -> AnyView {
    view! { <div class="alert error" role="alert">{message}</div> }.into_any()
}

const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

// Dates are formatted by hand rather than with chrono's `format`: its strftime machinery is
// some 10 KB of the SPA's bundle for three patterns.

/// "3 Nov 2026".
pub fn date(d: impl chrono::Datelike) -> String {
    format!("{} {} {}", d.day(), MONTHS[d.month0() as usize], d.year())
}

/// "Tue 3 Nov 2026".
pub fn day_and_date(d: impl chrono::Datelike) -> String {
    format!("{} {}", WEEKDAYS[d.weekday().num_days_from_monday() as usize], date(d))
}

/// "09:05".
pub fn clock(t: impl chrono::Timelike) -> String {
    format!("{:02}:{:02}", t.hour(), t.minute())
}

#[component]
pub fn SignIn() -> impl IntoView {
    let auth = api::use_auth();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        error.set(None);
        let (e, p) = (email.get_untracked(), password.get_untracked());
        spawn_local(async move {
            if let Err(message) = api::sign_in(auth, e, p).await {
                error.set(Some(message));
                busy.set(false);
            }
        });
    };
    view! {
        <main id="main" class="signin">
            <div class="card signin-card">
                <p class="brand big">"Trellis"</p>
                <h1>"Sign in"</h1>
                <p class="muted">"Leadership development for your schools."</p>
                {move || error.get().map(|m| view! { <div class="alert error" role="alert" id="signin-error">{m}</div> })}
                <form on:submit=submit novalidate>
                    <div class="field">
                        <label for="email">"Email address"</label>
                        <input id="email" name="email" type="email" autocomplete="username" required
                            prop:value=move || email.get()
                            on:input=move |ev| email.set(event_target_value(&ev)) />
                    </div>
                    <div class="field">
                        <label for="password">"Password"</label>
                        <input id="password" name="password" type="password" autocomplete="current-password" required
                            prop:value=move || password.get()
                            on:input=move |ev| password.set(event_target_value(&ev)) />
                    </div>
                    <button class="button" type="submit" disabled=move || busy.get()>
                        {move || if busy.get() { "Signing in…" } else { "Sign in" }}
                    </button>
                </form>
            </div>
        </main>
    }
}

#[component]
pub fn Home() -> impl IntoView {
    let auth = api::use_auth();
    view! {
        <h1>{move || auth.me().map(|m| format!("Welcome, {}", m.display_name)).unwrap_or_default()}</h1>
        <p class="lead">{move || auth.me().map(|m| intro(m.role)).unwrap_or_default()}</p>
        <Show when=move || crate::rules_pages::is_participant(auth.me().map(|m| m.role))>
            <crate::rules_pages::MyEnrolments/>
        </Show>
        <div class="cards">
            <A href="/cohorts" attr:class="card link-card">
                <h2>"Cohorts"</h2>
                <p>"Programmes running now, their participants and where each one stands."</p>
            </A>
            <Show when=move || auth.me().is_some_and(|m| m.role != Role::Participant)>
                <A href="/programmes" attr:class="card link-card">
                    <h2>"Programmes"</h2>
                    <p>"What each programme asks of participants, requirement by requirement."</p>
                </A>
            </Show>
            <Show when=move || auth.me().is_some_and(|m| !matches!(m.role, Role::Coach | Role::Assessor))>
                <A href="/schools" attr:class="card link-card">
                    <h2>"Schools"</h2>
                    <p>"The schools you work with."</p>
                </A>
            </Show>
        </div>
    }
}

fn intro(role: Role) -> &'static str {
    match role {
        Role::PlatformAdmin => "You can see and manage everything on this Trellis.",
        Role::TrustAdmin => "You can follow every school in your trust and the staff they put forward.",
        Role::SchoolLead => "Nominate your staff, approve their places and follow their progress.",
        Role::Facilitator => "Run your cohorts: activate participants and record how they progress.",
        Role::Coach => "Follow the participants you coach.",
        Role::Assessor => "Assessments assigned to you will appear here.",
        Role::Participant => "Your programme, your progress.",
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <h1>"Page not found"</h1>
        <p>"There is nothing at this address. " <A href="/">"Go to the home page"</A></p>
    }
}

#[component]
pub fn Schools() -> impl IntoView {
    let auth = api::use_auth();
    let state = RwSignal::new(Load::<Vec<School>>::Loading);
    spawn_local(async move {
        let params = ListParams { limit: Some(200), ..Default::default() };
        let r = api::call(auth, |c| {
            let params = params.clone();
            async move { c.schools(&params).await }
        })
        .await;
        state.set(match r {
            Ok(page) => Load::Ready(page.items),
            Err(e) => Load::Failed(describe(&e)),
        });
    });
    view! {
        <h1>"Schools"</h1>
        {move || match state.get() {
            Load::Loading => loading(),
            Load::Failed(m) => failed(m),
            Load::Ready(schools) if schools.is_empty() => view! { <p class="empty">"No schools to show."</p> }.into_any(),
            Load::Ready(schools) => view! {
                <div class="table-wrap">
                    <table class="stack">
                        <caption class="visually-hidden">"Schools you can see"</caption>
                        <thead><tr><th scope="col">"School"</th><th scope="col">"URN"</th><th scope="col">"Phase"</th></tr></thead>
                        <tbody>
                            {schools.into_iter().map(|s| view! {
                                <tr>
                                    <th scope="row">{s.name}</th>
                                    <td class="num" data-label="URN">{s.urn}</td>
                                    <td data-label="Phase">{phase_label(s.phase)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any(),
        }}
    }
}

fn phase_label(p: trellis_domain::SchoolPhase) -> &'static str {
    use trellis_domain::SchoolPhase as P;
    match p {
        P::Nursery => "Nursery",
        P::Primary => "Primary",
        P::Secondary => "Secondary",
        P::AllThrough => "All-through",
        P::Special => "Special",
        P::AlternativeProvision => "Alternative provision",
    }
}

#[component]
pub fn Cohorts() -> impl IntoView {
    let auth = api::use_auth();
    let state = RwSignal::new(Load::<Vec<Cohort>>::Loading);
    spawn_local(async move {
        let r =
            api::call(auth, |c| async move { c.cohorts(&ListParams { limit: Some(200), ..Default::default() }).await })
                .await;
        state.set(match r {
            Ok(page) => Load::Ready(page.items),
            Err(e) => Load::Failed(describe(&e)),
        });
    });
    view! {
        <h1>"Cohorts"</h1>
        {move || match state.get() {
            Load::Loading => loading(),
            Load::Failed(m) => failed(m),
            Load::Ready(cohorts) if cohorts.is_empty() => view! { <p class="empty">"No cohorts yet."</p> }.into_any(),
            Load::Ready(cohorts) => view! {
                <ul class="cards">
                    {cohorts.into_iter().map(|c| view! {
                        <li class="card">
                            <h2><A href=format!("/cohorts/{}", c.id)>{c.name.clone()}</A></h2>
                            <p class="muted">{format!("{} to {}", date(c.start_date), date(c.end_date))}</p>
                            <p>{format!("Induction {}", date(c.induction_date))}</p>
                        </li>
                    }).collect_view()}
                </ul>
            }.into_any(),
        }}
    }
}

pub fn status_label(s: EnrolmentStatus) -> &'static str {
    match s {
        EnrolmentStatus::Nominated => "Nominated",
        EnrolmentStatus::Approved => "Approved",
        EnrolmentStatus::Active => "Active",
        EnrolmentStatus::Completed => "Completed",
        EnrolmentStatus::Certified => "Certified",
        EnrolmentStatus::Deferred => "Deferred",
        EnrolmentStatus::Withdrawn => "Withdrawn",
    }
}

fn action_label(k: TransitionKind) -> &'static str {
    match k {
        TransitionKind::Approve => "Approve",
        TransitionKind::Activate => "Activate",
        TransitionKind::Complete => "Complete",
        TransitionKind::Certify => "Certify",
        TransitionKind::Defer => "Defer",
        TransitionKind::Resume => "Resume",
        TransitionKind::Withdraw => "Withdraw",
    }
}

fn reason_label(k: WithdrawalReasonKind) -> &'static str {
    match k {
        WithdrawalReasonKind::LeftSchool => "Left the school",
        WithdrawalReasonKind::StaffTurnover => "Staff turnover",
        WithdrawalReasonKind::Workload => "Workload",
        WithdrawalReasonKind::Other => "Other (say why)",
    }
}

/// The moves this user may make on this enrolment: legal in the lifecycle (the server says which)
/// and permitted by the same authorisation function the server runs. The server still decides.
fn offered(me: &MeUser, cohort: &Cohort, e: &Enrolment) -> Vec<TransitionKind> {
    let principal = Principal::User(UserPrincipal {
        user_id: me.user_id,
        person_id: me.person_id,
        role: me.role,
        organisation_id: me.organisation_id,
        school_id: me.school_id,
    });
    // The SPA does not know the school's trust or the programme's provider; a trust admin only
    // ever sees their own trust's enrolments, and a facilitator's provider is their organisation.
    let trust_id = if me.role == Role::TrustAdmin { me.organisation_id } else { None };
    let provider_id = if me.role == Role::Facilitator { me.organisation_id.unwrap_or_default() } else { Uuid::nil() };
    let resource = Resource::Enrolment(EnrolmentFacts {
        person_id: e.person_id,
        school: SchoolFacts { id: e.school_id, trust_id },
        cohort: CohortFacts { provider_id, facilitator_ids: cohort.facilitator_ids.clone() },
        coach_person_id: e.coach_person_id,
    });
    e.allowed_transitions
        .iter()
        .copied()
        .filter(|k| authorize(&principal, Action::Transition(*k), &resource).is_ok())
        .collect()
}

#[component]
pub fn CohortPage() -> impl IntoView {
    let auth = api::use_auth();
    let params = use_params_map();
    let cohort = RwSignal::new(Load::<Cohort>::Loading);
    let enrolments = RwSignal::new(Load::<Vec<Enrolment>>::Loading);
    let withdrawing = RwSignal::new(None::<Enrolment>);
    let notice = RwSignal::new(None::<(bool, String)>);
    let busy = RwSignal::new(false);

    Effect::new(move |_| {
        let id = params.read().get("id").and_then(|s| Uuid::parse_str(&s).ok());
        let Some(id) = id else {
            cohort.set(Load::Failed("This is not a valid cohort address.".into()));
            return;
        };
        spawn_local(async move {
            match api::call(auth, |c| async move { c.cohort(id).await }).await {
                Ok(c) => cohort.set(Load::Ready(c)),
                Err(e) => {
                    cohort.set(Load::Failed(describe(&e)));
                    return;
                }
            }
            let all = api::call(auth, |c| async move {
                let mut out = vec![];
                let mut params = ListParams { limit: Some(200), ..Default::default() };
                loop {
                    let page = c.enrolments(id, &params).await?;
                    out.extend(page.items);
                    match page.next_cursor {
                        Some(next) => params.cursor = Some(next),
                        None => return Ok(out),
                    }
                }
            })
            .await;
            enrolments.set(match all {
                Ok(mut list) => {
                    list.sort_by(|a, b| a.person_name.cmp(&b.person_name));
                    Load::Ready(list)
                }
                Err(e) => Load::Failed(describe(&e)),
            });
        });
    });

    let replace = move |updated: Enrolment| {
        enrolments.update(|l| {
            if let Load::Ready(list) = l
                && let Some(slot) = list.iter_mut().find(|e| e.id == updated.id)
            {
                *slot = updated;
            }
        })
    };

    let act = move |e: Enrolment, kind: TransitionKind| {
        if kind == TransitionKind::Withdraw {
            withdrawing.set(Some(e));
            return;
        }
        busy.set(true);
        spawn_local(async move {
            let r = api::call(auth, |c| async move { c.transition(e.id, kind).await }).await;
            busy.set(false);
            match r {
                Ok(updated) => {
                    notice.set(Some((
                        true,
                        format!("{}: now {}.", updated.person_name, status_label(updated.status).to_lowercase()),
                    )));
                    replace(updated);
                }
                Err(err) => notice.set(Some((false, describe(&err)))),
            }
        });
    };

    view! {
        {move || match cohort.get() {
            Load::Loading => loading(),
            Load::Failed(m) => view! { <h1>"Cohort"</h1> {failed(m)} }.into_any(),
            Load::Ready(c) => view! {
                <p class="breadcrumb"><A href="/cohorts">"Cohorts"</A></p>
                <h1>{c.name.clone()}</h1>
                <dl class="facts">
                    <div><dt>"Programme"</dt><dd><A href=format!("/programmes/{}", c.programme_id)>"View the programme"</A></dd></div>
                    <div><dt>"Induction"</dt><dd>{date(c.induction_date)}</dd></div>
                    <div><dt>"Runs"</dt><dd>{format!("{} to {}", date(c.start_date), date(c.end_date))}</dd></div>
                </dl>
            }.into_any(),
        }}
        <div class="notice-slot" aria-live="polite">
            {move || notice.get().map(|(ok, m)| view! { <div class=if ok { "alert success" } else { "alert error" } role="status">{m}</div> })}
        </div>
        {move || withdrawing.get().map(|e| view! { <WithdrawForm enrolment=e withdrawing notice on_done=replace/> })}
        {move || match cohort.get() {
            Load::Ready(c) => {
                let runs_it = auth.me().is_some_and(|m| {
                    m.role == Role::PlatformAdmin || (m.role == Role::Facilitator && m.person_id.is_some_and(|p| c.facilitator_ids.contains(&p)))
                });
                view! {
                    <crate::delivery_pages::Timetable cohort=c.id runs_it/>
                    <crate::delivery_pages::Groups cohort=c.id runs_it/>
                    <crate::delivery_pages::Subscribe cohort=Some(c.id)/>
                }.into_any()
            }
            _ => ().into_any(),
        }}
        <h2>"Participants"</h2>
        {move || {
            let me = auth.me();
            let c = match cohort.get() { Load::Ready(c) => Some(c), _ => None };
            match enrolments.get() {
                Load::Loading => loading(),
                Load::Failed(m) => failed(m),
                Load::Ready(list) if list.is_empty() => view! { <p class="empty">"No participants you can see in this cohort."</p> }.into_any(),
                Load::Ready(list) => view! {
                    <div class="table-wrap">
                        <table class="enrolments stack">
                            <caption class="visually-hidden">"Participants and their status"</caption>
                            <thead><tr>
                                <th scope="col">"Participant"</th>
                                <th scope="col">"School"</th>
                                <th scope="col">"Status"</th>
                                <th scope="col">"Actions"</th>
                            </tr></thead>
                            <tbody>
                                {list.into_iter().map(|e| {
                                    let actions = match (&me, &c) { (Some(me), Some(c)) => offered(me, c, &e), _ => vec![] };
                                    let status = e.status;
                                    let detail = e.withdrawal_reason.as_ref().map(|r| reason_label(r.kind).to_owned());
                                    let (href, name) = (format!("/enrolments/{}", e.id), e.person_name.clone());
                                    view! {
                                        <tr data-enrolment-id=e.id.to_string()>
                                            <th scope="row"><A href=href>{name}</A></th>
                                            <td data-label="School">{e.school_name.clone()}</td>
                                            <td class="status" data-label="Status">
                                                <span class=format!("badge badge-{}", status.as_str())>{status_label(status)}</span>
                                                {detail.map(|d| view! { <span class="muted small">{format!(" ({d})")}</span> })}
                                            </td>
                                            <td class="actions">
                                                <div class="action-row">
                                                {actions.into_iter().map(|k| {
                                                    let e = e.clone();
                                                    let label = format!("{} {}", action_label(k), e.person_name);
                                                    view! {
                                                        <button type="button"
                                                            class=if k == TransitionKind::Withdraw { "button danger small" } else { "button secondary small" }
                                                            data-action=k.as_str()
                                                            aria-label=label
                                                            disabled=move || busy.get()
                                                            on:click=move |_| act(e.clone(), k)>
                                                            {action_label(k)}
                                                        </button>
                                                    }
                                                }).collect_view()}
                                                </div>
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any(),
            }
        }}
    }
}

#[component]
fn WithdrawForm(
    enrolment: Enrolment,
    withdrawing: RwSignal<Option<Enrolment>>,
    notice: RwSignal<Option<(bool, String)>>,
    on_done: impl Fn(Enrolment) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let auth: Auth = api::use_auth();
    let reason = RwSignal::new(WithdrawalReasonKind::LeftSchool);
    let details = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let id = enrolment.id;
    let name = enrolment.person_name.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (kind, text) = (reason.get_untracked(), details.get_untracked());
        // The same rule the server applies, checked here first so the form can say so at once.
        if let Err(e) = trellis_domain::enrolment::WithdrawalReason::parse(kind, Some(&text)) {
            error.set(Some(e.to_string()));
            return;
        }
        busy.set(true);
        spawn_local(async move {
            let text = (!text.trim().is_empty()).then_some(text);
            let r = api::call(auth, |c| {
                let text = text.clone();
                async move { c.withdraw(id, kind, text.as_deref()).await }
            })
            .await;
            busy.set(false);
            match r {
                Ok(updated) => {
                    notice.set(Some((true, format!("{} has been withdrawn.", updated.person_name))));
                    on_done(updated);
                    withdrawing.set(None);
                }
                Err(e) => error.set(Some(describe(&e))),
            }
        });
    };
    view! {
        <section class="card panel" aria-labelledby="withdraw-title">
            <h2 id="withdraw-title">{format!("Withdraw {name}")}</h2>
            <p class="muted">"Withdrawal is final, but nothing is deleted: the record and its history are kept."</p>
            {move || error.get().map(|m| view! { <div class="alert error" role="alert">{m}</div> })}
            <form on:submit=submit>
                <div class="field">
                    <label for="withdraw-reason">"Reason"</label>
                    <select id="withdraw-reason"
                        on:change=move |ev| {
                            if let Ok(k) = event_target_value(&ev).parse::<WithdrawalReasonKind>() { reason.set(k) }
                        }>
                        {WithdrawalReasonKind::ALL.iter().map(|k| view! {
                            <option value=k.as_str() selected=move || reason.get() == *k>{reason_label(*k)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="withdraw-details">
                        "Details "
                        <span class="muted">{move || if reason.get() == WithdrawalReasonKind::Other { "(required)" } else { "(optional)" }}</span>
                    </label>
                    <textarea id="withdraw-details" rows="3" maxlength="2000"
                        prop:value=move || details.get()
                        on:input=move |ev| details.set(event_target_value(&ev))></textarea>
                </div>
                <div class="row">
                    <button class="button danger" type="submit" disabled=move || busy.get()>"Confirm withdrawal"</button>
                    <button class="button secondary" type="button" on:click=move |_| withdrawing.set(None)>"Cancel"</button>
                </div>
            </form>
        </section>
    }
}
