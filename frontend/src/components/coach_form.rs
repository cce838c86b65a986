//! Naming an enrolment's coach (a school lead or the cohort's facilitator), with the
//! programme's one-coach-per-school rule shown before saving.

use leptos::prelude::*;
use leptos::task::spawn_local;
use trellis_wire::{AssignCoach, Coach, Enrolment, ListParams};
use uuid::Uuid;

use crate::api::{self, describe};
use crate::ui::forms::{ErrorSummary, FieldError, FormErrors};

#[component]
pub fn CoachForm(enrolment: Enrolment, one_per_school: bool) -> impl IntoView {
    let auth = api::use_auth();
    let coaches = RwSignal::new(Vec::<Coach>::new());
    // Another enrolment from the same school in this cohort that already has a coach.
    let taken = RwSignal::new(None::<String>);
    let chosen = RwSignal::new(enrolment.coach_person_id);
    let statement = RwSignal::new(enrolment.coach_statement.clone().unwrap_or_default());
    let errors = FormErrors::new();
    let saved = RwSignal::new(None::<String>);
    let (id, cohort, school) = (enrolment.id, enrolment.cohort_id, enrolment.school_id);
    spawn_local(async move {
        if let Ok(list) = api::call(auth, |c| async move { c.list_coaches(cohort).await }).await {
            coaches.set(list.items);
        }
        if one_per_school {
            let params = ListParams { limit: Some(200), ..Default::default() };
            if let Ok(page) = api::call(auth, |c| {
                let params = params.clone();
                async move { c.list_enrolments(cohort, &params).await }
            })
            .await
            {
                taken.set(
                    page.items
                        .into_iter()
                        .find(|e| e.id != id && e.school_id == school && e.coach_person_id.is_some())
                        .map(|e| e.person_name),
                );
            }
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(coach) = chosen.get_untracked() else {
            errors.local("coach_person_id", "Choose a coach");
            return;
        };
        let text = statement.get_untracked();
        let body =
            AssignCoach { coach_person_id: coach, supporting_statement: (!text.trim().is_empty()).then_some(text) };
        errors.clear();
        spawn_local(async move {
            let r = api::call(auth, |c| {
                let body = body.clone();
                async move { c.update_coach(id, &body).await }
            })
            .await;
            match r {
                Ok(_) => saved.set(Some("Coach saved.".into())),
                Err(e) => {
                    errors.show_error(&e);
                    if errors.of("coach_person_id").is_none() && !errors.any() {
                        errors.local("", describe(&e));
                    }
                }
            }
        });
    };
    view! {
        <details class="card">
            <summary>{if enrolment.coach_person_id.is_some() { "Change the coach" } else { "Name a coach" }}</summary>
            {move || saved.get().map(|m| view! { <div class="alert success" role="status">{m}</div> })}
            {move || taken.get().map(|other| view! {
                <div class="alert error" role="status">
                    {format!("This programme coaches one leader per school, and {other} from this school already has a coach: saving will be refused.")}
                </div>
            })}
            {(one_per_school).then(|| view! { <p class="hint">"This programme coaches one leader per school in a cohort."</p> })}
            <ErrorSummary errors=errors/>
            <form on:submit=submit novalidate>
                <div class="field" class:has-error=move || errors.of("coach_person_id").is_some()>
                    <label for="coach_person_id">"Coach"</label>
                    <FieldError errors=errors field="coach_person_id"/>
                    <select id="coach_person_id" on:change=move |ev| chosen.set(Uuid::parse_str(&event_target_value(&ev)).ok())>
                        <option value="">"Choose a coach"</option>
                        {move || coaches.get().into_iter().map(|c| { let pid = c.person_id; view! {
                            <option value=pid.to_string() selected=move || chosen.get() == Some(pid)>{c.name}</option>
                        }}).collect_view()}
                    </select>
                </div>
                <div class="field" class:has-error=move || errors.of("supporting_statement").is_some()>
                    <label for="supporting_statement">"The coach's supporting statement"</label>
                    <FieldError errors=errors field="supporting_statement"/>
                    <textarea id="supporting_statement" rows="3" maxlength="5000"
                        prop:value=move || statement.get() on:input=move |ev| statement.set(event_target_value(&ev))></textarea>
                </div>
                <button class="button" type="submit">"Save coach"</button>
            </form>
        </details>
    }
}
