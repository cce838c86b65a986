//! One cohort: its enrolments with the moves the caller may make, its timetable and groups.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use trellis_domain::Role;
use trellis_domain::enrolment::TransitionKind;
use trellis_wire::{Cohort, Enrolment, ListParams};
use uuid::Uuid;

use crate::api::{self, describe};
use crate::components::complete_form::CompleteForm;
use crate::components::groups::Groups;
use crate::components::nominate::Nominate;
use crate::components::session_form::SessionForm;
use crate::components::subscribe::Subscribe;
use crate::components::timetable::Timetable;
use crate::components::withdraw_form::WithdrawForm;
use crate::ui::labels::Label;
use crate::ui::{Load, date, failed, loading};
#[component]
pub fn CohortPage() -> impl IntoView {
    let auth = api::use_auth();
    let params = use_params_map();
    let cohort = RwSignal::new(Load::<Cohort>::Loading);
    let enrolments = RwSignal::new(Load::<Vec<Enrolment>>::Loading);
    let withdrawing = RwSignal::new(None::<Enrolment>);
    let completing = RwSignal::new(None::<(Enrolment, Vec<trellis_wire::FieldError>)>);
    let refresh = RwSignal::new(0u32);
    let editing = RwSignal::new(None::<trellis_wire::Session>);
    // Participants without an account, whom the caller may give one ("Give an account").
    let without_account = RwSignal::new(std::collections::HashSet::<uuid::Uuid>::new());
    let notice = RwSignal::new(None::<(bool, String)>);
    let busy = RwSignal::new(false);

    Effect::new(move |_| {
        let id = params.read().get("id").and_then(|s| Uuid::parse_str(&s).ok());
        let Some(id) = id else {
            cohort.set(Load::Failed("This is not a valid cohort address.".into()));
            return;
        };
        spawn_local(async move {
            match api::call(auth, |c| async move { c.get_cohort(id).await }).await {
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
                    let page = c.list_enrolments(id, &params).await?;
                    out.extend(page.items);
                    match page.next_cursor {
                        Some(next) => params.cursor = Some(next),
                        None => return Ok(out),
                    }
                }
            })
            .await;
            let schools: std::collections::BTreeSet<uuid::Uuid> =
                all.as_ref().map(|l| l.iter().map(|e| e.school_id).collect()).unwrap_or_default();
            enrolments.set(match all {
                Ok(mut list) => {
                    list.sort_by(|a, b| a.person_name.cmp(&b.person_name));
                    Load::Ready(list)
                }
                Err(e) => Load::Failed(describe(&e)),
            });
            // Those who give accounts (school leads, trust and platform admins) see who has none,
            // from the staff lists of the schools in the cohort they may read.
            let gives =
                auth.me().is_some_and(|m| matches!(m.role, Role::SchoolLead | Role::TrustAdmin | Role::PlatformAdmin));
            if gives {
                let mut none = std::collections::HashSet::new();
                for school in schools.into_iter().take(40) {
                    let r = api::call(auth, |c| async move {
                        let mut out = vec![];
                        let mut params = ListParams { limit: Some(200), ..Default::default() };
                        loop {
                            let page = c.list_people(school, &params).await?;
                            out.extend(page.items);
                            match page.next_cursor {
                                Some(next) => params.cursor = Some(next),
                                None => return Ok(out),
                            }
                        }
                    })
                    .await;
                    none.extend(
                        r.unwrap_or_default()
                            .into_iter()
                            .filter(|p| !p.has_account && p.left_on.is_none())
                            .map(|p| p.id),
                    );
                }
                without_account.set(none);
            }
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
            let id = e.id;
            let r = api::call(auth, |c| async move { c.transition(id, kind).await }).await;
            busy.set(false);
            match r {
                Ok(updated) => {
                    notice.set(Some((
                        true,
                        format!("{}: now {}.", updated.person_name, updated.status.label().to_lowercase()),
                    )));
                    replace(updated);
                }
                // The programme's requirements are not all met: say which, and ask why.
                Err(trellis_client::ClientError::Api(p)) if p.code == "requirements_not_met" => {
                    notice.set(None);
                    completing.set(Some((e, p.errors)));
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
                    <div><dt>"Posters"</dt><dd><A href=format!("/cohorts/{}/posters", c.id)>"Impact posters by theme"</A></dd></div>
                    <div><dt>"Evaluation"</dt><dd><A href=format!("/cohorts/{}/evaluation", c.id)>"Evaluation report"</A></dd></div>
                </dl>
            }.into_any(),
        }}
        <div class="notice-slot" aria-live="polite">
            {move || notice.get().map(|(ok, m)| view! { <div class=if ok { "alert success" } else { "alert error" } role="status">{m}</div> })}
        </div>
        {move || withdrawing.get().map(|e| view! { <WithdrawForm enrolment=e withdrawing notice on_done=replace/> })}
        {move || completing.get().map(|(e, unmet)| view! { <CompleteForm enrolment=e unmet completing notice on_done=replace/> })}
        {move || match cohort.get() {
            Load::Ready(c) => {
                let runs_it = auth.me().is_some_and(|m| {
                    m.role == Role::PlatformAdmin || (m.role == Role::Facilitator && m.person_id.is_some_and(|p| c.facilitator_ids.contains(&p)))
                });
                view! {
                    {runs_it.then(|| view! { <SessionForm cohort=c.clone() editing refresh notice/> })}
                    <Timetable cohort=c.id runs_it refresh editing/>
                    <Groups cohort=c.id runs_it/>
                    <Subscribe cohort=Some(c.id)/>
                }.into_any()
            }
            _ => ().into_any(),
        }}
        <h2>"Participants"</h2>
        {move || {
            let me = auth.me()?;
            let school = me.school_id.filter(|_| me.role == Role::SchoolLead)?;
            let Load::Ready(c) = cohort.get() else { return None };
            let enrolled: Vec<Uuid> = match enrolments.get() {
                Load::Ready(list) => list.iter().map(|e| e.person_id).collect(),
                _ => return None,
            };
            let add = move |e: Enrolment| enrolments.update(|l| if let Load::Ready(list) = l { list.push(e) });
            Some(view! { <Nominate cohort=c.id school enrolled notice on_done=add/> })
        }}
        {move || {
            let _me = auth.me();
            let _c = match cohort.get() { Load::Ready(c) => Some(c), _ => None };
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
                                    let actions = e.actions.clone();
                                    let status = e.status;
                                    let detail = e.withdrawal_reason.as_ref().map(|r| r.kind.label().to_owned());
                                    // The MIS roster said they left their school: for their school's leads to review.
                                    let left = e.left_school_on.map(|d| format!("Left school {} — review", crate::ui::date(d)));
                                    let (href, name) = (format!("/enrolments/{}", e.id), e.person_name.clone());
                                    let give = format!("/accounts?school={}&person={}", e.school_id, e.person_id);
                                    let give_label = format!("Give {} an account", e.person_name);
                                    let person = e.person_id;
                                    view! {
                                        <tr data-enrolment-id=e.id.to_string()>
                                            <th scope="row"><A href=href>{name}</A></th>
                                            <td data-label="School">{e.school_name.clone()}</td>
                                            <td class="status" data-label="Status">
                                                <span class=format!("badge badge-{}", status.as_str())>{status.label()}</span>
                                                {detail.map(|d| view! { <span class="muted small">{format!(" ({d})")}</span> })}
                                                {left.map(|l| view! { <span class="badge badge-flag" data-flag="left-school">{l}</span> })}
                                            </td>
                                            <td class="actions">
                                                <div class="action-row">
                                                {move || without_account.with(|s| s.contains(&person)).then(|| view! {
                                                    <A href=give.clone() attr:class="button secondary small" attr:aria-label=give_label.clone()>"Give an account"</A>
                                                })}
                                                {actions.into_iter().map(|k| {
                                                    let e = e.clone();
                                                    let label = format!("{} {}", k.label(), e.person_name);
                                                    view! {
                                                        <button type="button"
                                                            class=if k == TransitionKind::Withdraw { "button danger small" } else { "button secondary small" }
                                                            data-action=k.as_str()
                                                            aria-label=label
                                                            disabled=move || busy.get()
                                                            on:click=move |_| act(e.clone(), k)>
                                                            {k.label()}
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
