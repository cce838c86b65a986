//! Keeping a project's record: a stage completed, an action, an impact measure and its readings,
//! a presentation of outcomes. Each form sends one change and hands the project back as the
//! server now has it; the stage order is the domain's, checked before sending.

use leptos::prelude::*;
use leptos::task::spawn_local;
use trellis_domain::project::{StageRecord, check_stage};
use trellis_domain::rules::definition::{Audience, ProjectStage};
use trellis_wire::{
    CreateImpactMeasure, CreateProjectAction, CreateProjectPresentation, Project, RecordImpactReading,
    RecordProjectStage,
};
use uuid::Uuid;

use crate::api;
use crate::ui::chart::parse_number;
use crate::ui::forms::{ErrorSummary, FieldError, FormErrors};
use crate::ui::iso_date;
use crate::ui::labels::Label;

/// What a form hands back: the project as the server now has it, and what was done.
pub type Saved = Callback<(Project, &'static str)>;

/// Sends one change; on success hands the new project to `saved` with `message`.
fn send<F, Fut>(errors: FormErrors, saved: Saved, message: &'static str, f: F)
where
    F: Fn(trellis_client::Client) -> Fut + 'static,
    Fut: std::future::Future<Output = Result<Project, trellis_client::ClientError>> + 'static,
{
    let auth = api::use_auth();
    errors.clear();
    spawn_local(async move {
        match api::call(auth, f).await {
            Ok(p) => saved.run((p, message)),
            Err(e) => errors.show_error(&e),
        }
    });
}

fn date_field(errors: FormErrors, id: &'static str, label: &'static str, value: RwSignal<String>) -> impl IntoView {
    view! {
        <div class="field" class:has-error=move || errors.of(id).is_some()>
            <label for=id>{label}</label>
            <FieldError errors=errors field=id/>
            <input id=id type="date" prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/>
        </div>
    }
}

/// Records the next stage (or re-records one), its date and a short account.
#[component]
pub fn StageForm(project: Project, saved: Saved) -> impl IntoView {
    let next = project.stage_order.iter().copied().find(|s| !project.stages.iter().any(|r| r.stage == *s));
    let stage = RwSignal::new(next.or(project.stage_order.last().copied()));
    let on = RwSignal::new(String::new());
    let account = RwSignal::new(String::new());
    let errors = FormErrors::new();
    let order = project.stage_order.clone();
    let recorded: Vec<StageRecord> =
        project.stages.iter().map(|r| StageRecord { stage: r.stage, completed_on: r.completed_on }).collect();
    let (id, starts) = (project.id, project.starts_on);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(st) = stage.get_untracked() else { return };
        let Some(day) = iso_date(&on.get_untracked()) else {
            errors.local("completed_on", "Enter the day the stage was completed");
            return;
        };
        if account.get_untracked().trim().is_empty() {
            errors.local("account", "Say in a sentence or two what was done");
            return;
        }
        // The same rule the server applies, before sending.
        if let Err(f) = check_stage(&order, starts, &recorded, st, day) {
            errors.local("stage", f.message);
            return;
        }
        let body = RecordProjectStage { stage: st, completed_on: day, account: account.get_untracked() };
        send(errors, saved, "Stage recorded.", move |c| {
            let body = body.clone();
            async move { c.record_project_stage(id, &body).await }
        });
    };
    let options = project.stage_order.clone();
    view! {
        <form class="card" on:submit=submit novalidate>
            <h3>"Record a stage"</h3>
            <ErrorSummary errors=errors/>
            <div class="field" class:has-error=move || errors.of("stage").is_some()>
                <label for="stage">"Stage"</label>
                <FieldError errors=errors field="stage"/>
                <select id="stage" on:change=move |ev| stage.set(event_target_value(&ev).parse::<ProjectStage>().ok())>
                    {options.into_iter().map(|s| view! {
                        <option value=s.as_str() selected=move || stage.get() == Some(s)>{s.label()}</option>
                    }).collect_view()}
                </select>
            </div>
            {date_field(errors, "completed_on", "Completed on", on)}
            <div class="field" class:has-error=move || errors.of("account").is_some()>
                <label for="account">"What was done"</label>
                <FieldError errors=errors field="account"/>
                <textarea id="account" rows="3" maxlength="5000" prop:value=move || account.get()
                    on:input=move |ev| account.set(event_target_value(&ev))></textarea>
            </div>
            <button class="button" type="submit">"Record stage"</button>
        </form>
    }
}

/// Adds an impact measure: what is measured, its unit, baseline (and when) and target.
#[component]
pub fn MeasureForm(project: Uuid, saved: Saved) -> impl IntoView {
    let (name, unit, baseline, target, on) = (
        RwSignal::new(String::new()),
        RwSignal::new("%".to_owned()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let errors = FormErrors::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Some(b), Some(t)) = (parse_number(&baseline.get_untracked()), parse_number(&target.get_untracked()))
        else {
            errors.local("baseline", "Enter the baseline and the target as numbers");
            return;
        };
        let Some(day) = iso_date(&on.get_untracked()) else {
            errors.local("baseline_on", "Enter the day the baseline was taken");
            return;
        };
        let body = CreateImpactMeasure {
            name: name.get_untracked(),
            unit: unit.get_untracked(),
            baseline: b,
            baseline_on: day,
            target: t,
        };
        send(errors, saved, "Measure added.", move |c| {
            let body = body.clone();
            async move { c.create_impact_measure(project, &body).await }
        });
    };
    let text = |id: &'static str, label: &'static str, value: RwSignal<String>, mode: &'static str| {
        view! {
            <div class="field" class:has-error=move || errors.of(id).is_some()>
                <label for=id>{label}</label>
                <FieldError errors=errors field=id/>
                <input id=id type="text" inputmode=mode prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev))/>
            </div>
        }
    };
    view! {
        <details class="card">
            <summary>"Add an impact measure"</summary>
            <form on:submit=submit novalidate>
                <ErrorSummary errors=errors/>
                {text("name", "What is measured", name, "text")}
                {text("unit", "Unit (such as %, pupils, days)", unit, "text")}
                {text("baseline", "Baseline", baseline, "decimal")}
                {date_field(errors, "baseline_on", "Baseline taken on", on)}
                {text("target", "Target", target, "decimal")}
                <button class="button" type="submit">"Add measure"</button>
            </form>
        </details>
    }
}

/// Records a reading of one measure.
#[component]
pub fn ReadingForm(measure: Uuid, name: String, saved: Saved) -> impl IntoView {
    let (value, on, note) = (RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new()));
    let errors = FormErrors::new();
    let key = measure.simple().to_string();
    let (value_id, on_id) = (format!("value-{key}"), format!("taken_on-{key}"));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(v) = parse_number(&value.get_untracked()) else {
            errors.local("value", "Enter the reading as a number");
            return;
        };
        let Some(day) = iso_date(&on.get_untracked()) else {
            errors.local("taken_on", "Enter the day of the reading");
            return;
        };
        let n = note.get_untracked();
        let body = RecordImpactReading { taken_on: day, value: v, note: (!n.trim().is_empty()).then_some(n) };
        send(errors, saved, "Reading recorded.", move |c| {
            let body = body.clone();
            async move { c.record_impact_reading(measure, &body).await }
        });
    };
    view! {
        <form class="reading-form" on:submit=submit novalidate aria-label=format!("Record a reading of {name}")>
            <ErrorSummary errors=errors/>
            <div class="row">
                <div class="field" class:has-error=move || errors.of("value").is_some()>
                    <label for=value_id.clone()>"Reading"</label>
                    <FieldError errors=errors field="value"/>
                    <input id=value_id.clone() type="text" inputmode="decimal" prop:value=move || value.get()
                        on:input=move |ev| value.set(event_target_value(&ev))/>
                </div>
                <div class="field" class:has-error=move || errors.of("taken_on").is_some()>
                    <label for=on_id.clone()>"Taken on"</label>
                    <FieldError errors=errors field="taken_on"/>
                    <input id=on_id.clone() type="date" prop:value=move || on.get() on:input=move |ev| on.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for=format!("note-{key}")>"Note (optional)"</label>
                    <input id=format!("note-{key}") type="text" maxlength="500" prop:value=move || note.get()
                        on:input=move |ev| note.set(event_target_value(&ev))/>
                </div>
            </div>
            <button class="button secondary" type="submit">"Record reading"</button>
        </form>
    }
}

/// Logs an action taken.
#[component]
pub fn ActionForm(project: Uuid, saved: Saved) -> impl IntoView {
    let (on, text) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let errors = FormErrors::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(day) = iso_date(&on.get_untracked()) else {
            errors.local("taken_on", "Enter the day of the action");
            return;
        };
        let body = CreateProjectAction { taken_on: day, description: text.get_untracked() };
        send(errors, saved, "Action logged.", move |c| {
            let body = body.clone();
            async move { c.create_project_action(project, &body).await }
        });
    };
    view! {
        <details class="card">
            <summary>"Log an action"</summary>
            <form on:submit=submit novalidate>
                <ErrorSummary errors=errors/>
                {date_field(errors, "taken_on", "Day", on)}
                <div class="field" class:has-error=move || errors.of("description").is_some()>
                    <label for="description">"What was done"</label>
                    <FieldError errors=errors field="description"/>
                    <textarea id="description" rows="2" maxlength="2000" prop:value=move || text.get()
                        on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                </div>
                <button class="button" type="submit">"Log action"</button>
            </form>
        </details>
    }
}

/// Records the outcomes presented to an audience.
#[component]
pub fn PresentationForm(project: Uuid, saved: Saved) -> impl IntoView {
    let audience = RwSignal::new(Audience::Staff);
    let (on, next) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let errors = FormErrors::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(day) = iso_date(&on.get_untracked()) else {
            errors.local("presented_on", "Enter the day of the presentation");
            return;
        };
        let n = next.get_untracked();
        let body = CreateProjectPresentation {
            audience: audience.get_untracked(),
            presented_on: day,
            next_steps: (!n.trim().is_empty()).then_some(n),
        };
        send(errors, saved, "Presentation recorded.", move |c| {
            let body = body.clone();
            async move { c.create_project_presentation(project, &body).await }
        });
    };
    view! {
        <details class="card">
            <summary>"Record a presentation of outcomes"</summary>
            <form on:submit=submit novalidate>
                <ErrorSummary errors=errors/>
                <div class="field">
                    <label for="audience">"Presented to"</label>
                    <select id="audience" on:change=move |ev| {
                        if let Ok(a) = event_target_value(&ev).parse() { audience.set(a) }
                    }>
                        {[Audience::Staff, Audience::SeniorTeam, Audience::Governors].into_iter().map(|a| view! {
                            <option value=a.as_str() selected=move || audience.get() == a>{a.label()}</option>
                        }).collect_view()}
                    </select>
                </div>
                {date_field(errors, "presented_on", "Day", on)}
                <div class="field">
                    <label for="next_steps">"Next steps agreed (optional)"</label>
                    <textarea id="next_steps" rows="2" maxlength="2000" prop:value=move || next.get()
                        on:input=move |ev| next.set(event_target_value(&ev))></textarea>
                </div>
                <button class="button" type="submit">"Record presentation"</button>
            </form>
        </details>
    }
}
