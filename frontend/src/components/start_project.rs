//! An enrolment's project: a link to it, or for the participant the form that starts one, with
//! the programme's duration rule checked against the trust's term dates as the dates are chosen.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use trellis_domain::project::{FocusArea, ProjectPlan, check_plan, duration};
use trellis_domain::rules::TermCalendar;
use trellis_domain::rules::definition::ProjectRule;
use trellis_wire::{CreateProject, Enrolment, Project};

use crate::api;
use crate::ui::forms::{ErrorSummary, FieldError, FormErrors};
use crate::ui::iso_date;
use crate::ui::labels::Label;

#[component]
pub fn ProjectPanel(enrolment: Enrolment, rule: ProjectRule, mine: bool) -> impl IntoView {
    let auth = api::use_auth();
    let project = RwSignal::new(None::<Option<Project>>);
    let calendar = RwSignal::new(TermCalendar::default());
    let (id, cohort, school) = (enrolment.id, enrolment.cohort_id, enrolment.school_id);
    spawn_local(async move {
        let r = api::call(auth, |c| async move { c.get_enrolment_project(id).await }).await;
        project.set(Some(r.ok()));
        // The trust's term dates, for the duration rule.
        if let Ok(Some(cal)) = api::call(auth, |c| async move {
            let s = c.get_school(school).await?;
            match s.trust_id {
                Some(t) => Ok(c.get_organisation(t).await?.term_calendar),
                None => Ok(None),
            }
        })
        .await
        {
            calendar.set(cal);
        }
    });
    let title = RwSignal::new(String::new());
    let focus = RwSignal::new(FocusArea::LiteracyAndMathematics);
    let detail = RwSignal::new(String::new());
    let (starts, ends) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let errors = FormErrors::new();
    let rule_for_check = rule.clone();
    // The programme's rule on the dates as chosen, before anything is sent.
    let verdict = Memo::new(move |_| {
        let (Some(s), Some(e)) = (iso_date(&starts.get()), iso_date(&ends.get())) else { return None };
        let cal = calendar.get();
        let d = duration(Some(&rule_for_check), &cal, s, e);
        let faults = check_plan(Some(&rule_for_check), &cal, &ProjectPlan { starts: s, ends: e, members: 1 });
        Some((d.terms, faults.into_iter().map(|f| f.message).collect::<Vec<_>>()))
    });
    let min_terms = rule.min_terms;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Some(s), Some(e)) = (iso_date(&starts.get_untracked()), iso_date(&ends.get_untracked())) else {
            errors.local("starts_on", "Enter the start and planned end dates");
            return;
        };
        if let Some((_, faults)) = verdict.get_untracked()
            && let Some(f) = faults.first()
        {
            errors.local("ends_on", f.clone());
            return;
        }
        let d = detail.get_untracked();
        let body = CreateProject {
            title: title.get_untracked(),
            focus_area: focus.get_untracked(),
            focus_detail: (!d.trim().is_empty()).then_some(d),
            host_school_id: school,
            team: vec![id],
            sponsor_person_id: None,
            tutor_person_id: None,
            starts_on: s,
            ends_on: e,
            worksheet: None,
        };
        errors.clear();
        spawn_local(async move {
            let r = api::call(auth, |c| {
                let body = body.clone();
                async move { c.create_project(cohort, &body).await }
            })
            .await;
            match r {
                Ok(p) => project.set(Some(Some(p))),
                Err(e) => errors.show_error(&e),
            }
        });
    };
    view! {
        <h2>"Project"</h2>
        {move || match project.get() {
            None => view! { <p class="muted" role="status">"Loading…"</p> }.into_any(),
            Some(Some(p)) => {
                let stage = p.stage_order.iter().rev().find(|s| p.stages.iter().any(|r| r.stage == **s)).map(|s| s.label());
                view! {
                    <A href=format!("/projects/{}", p.id) attr:class="card link-card">
                        <h3>{p.title.clone()}</h3>
                        <p class="muted">{match stage { Some(s) => format!("Latest stage: {s}"), None => "No stage completed yet".into() }}
                            {format!(" · {} impact measure{}", p.measures.len(), if p.measures.len() == 1 { "" } else { "s" })}</p>
                    </A>
                }.into_any()
            }
            Some(None) if !mine => view! { <p class="empty">"No project recorded yet."</p> }.into_any(),
            Some(None) => view! {
                <form class="card" on:submit=submit novalidate>
                    <h3>"Start your project"</h3>
                    <ErrorSummary errors=errors/>
                    <div class="field" class:has-error=move || errors.of("title").is_some()>
                        <label for="title">"Title"</label>
                        <FieldError errors=errors field="title"/>
                        <input id="title" type="text" maxlength="200" prop:value=move || title.get() on:input=move |ev| title.set(event_target_value(&ev))/>
                    </div>
                    <div class="field">
                        <label for="focus_area">"Focus"</label>
                        <select id="focus_area" on:change=move |ev| { if let Ok(f) = event_target_value(&ev).parse() { focus.set(f) } }>
                            {FocusArea::ALL.iter().map(|f| { let f = *f; view! {
                                <option value=f.as_str() selected=move || focus.get() == f>{f.label()}</option>
                            }}).collect_view()}
                        </select>
                    </div>
                    <Show when=move || focus.get() == FocusArea::Other>
                        <div class="field" class:has-error=move || errors.of("focus_detail").is_some()>
                            <label for="focus_detail">"What it focuses on"</label>
                            <FieldError errors=errors field="focus_detail"/>
                            <input id="focus_detail" type="text" maxlength="200" prop:value=move || detail.get() on:input=move |ev| detail.set(event_target_value(&ev))/>
                        </div>
                    </Show>
                    <div class="row">
                        <div class="field" class:has-error=move || errors.of("starts_on").is_some()>
                            <label for="starts_on">"Starts"</label>
                            <FieldError errors=errors field="starts_on"/>
                            <input id="starts_on" type="date" prop:value=move || starts.get() on:input=move |ev| starts.set(event_target_value(&ev))/>
                        </div>
                        <div class="field" class:has-error=move || errors.of("ends_on").is_some()>
                            <label for="ends_on">"Planned end"</label>
                            <FieldError errors=errors field="ends_on"/>
                            <input id="ends_on" type="date" prop:value=move || ends.get() on:input=move |ev| ends.set(event_target_value(&ev))/>
                        </div>
                    </div>
                    {(min_terms > 0).then(|| view! { <p class="hint">{format!("This programme's project lasts at least {min_terms} terms of your trust's calendar.")}</p> })}
                    {move || verdict.get().map(|(terms, faults)| if faults.is_empty() {
                        view! { <p class="alert success" role="status">{format!("These dates cover {terms} term{}.", if terms == 1 { "" } else { "s" })}</p> }.into_any()
                    } else {
                        view! { <div class="alert error" role="status">{faults.join(" ")}</div> }.into_any()
                    })}
                    <button class="button" type="submit">"Start project"</button>
                </form>
            }.into_any(),
        }}
    }
}
