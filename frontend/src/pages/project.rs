//! A project: who and where, its stages as a timeline, each impact measure as a chart with its
//! table, the action log and the presentations of outcomes. The team and its tutors keep it.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use trellis_wire::{ImpactMeasure, Project};

use crate::api;
use crate::components::project_log::{ActionForm, MeasureForm, PresentationForm, ReadingForm, Saved, StageForm};
use crate::ui::chart::{Series, measure_chart, number, with_unit};
use crate::ui::labels::Label;
use crate::ui::{Load, date, failed, id_param, loading};

#[component]
pub fn ProjectPage() -> impl IntoView {
    let auth = api::use_auth();
    let state = RwSignal::new(Load::<Project>::Loading);
    match id_param() {
        None => state.set(Load::Failed("This is not a valid project address.".into())),
        Some(id) => spawn_local(async move {
            let r = api::call(auth, |c| async move { c.get_project(id).await }).await;
            state.set(r.into());
        }),
    }
    let notice = RwSignal::new(None::<&'static str>);
    let saved: Saved = Callback::new(move |(p, message): (Project, &'static str)| {
        notice.set(Some(message));
        state.set(Load::Ready(p));
    });
    view! {
        <div class="notice-slot" aria-live="polite">
            {move || notice.get().map(|m| view! { <div class="alert success" role="status">{m}</div> })}
        </div>
        {move || match state.get() {
            Load::Loading => loading(),
            Load::Failed(m) => view! { <h1>"Project"</h1> {failed(m)} }.into_any(),
            Load::Ready(p) => project_view(p, saved).into_any(),
        }}
    }
}

fn project_view(p: Project, saved: Saved) -> impl IntoView {
    let focus = match (&p.focus_detail, p.focus_area) {
        (Some(d), _) => d.clone(),
        (None, f) => f.label().to_owned(),
    };
    let team = p.team.iter().map(|m| m.display_name.clone()).collect::<Vec<_>>().join(", ");
    let terms = if p.min_terms > 0 {
        let ok = p.terms >= p.min_terms;
        Some(view! {
            <div><dt>"Length"</dt><dd>
                {format!("{} terms (at least {} needed)", p.terms, p.min_terms)}
                {(!ok).then(|| view! { " " <span class="badge badge-withdrawn">"Too short"</span> })}
            </dd></div>
        })
    } else {
        None
    };
    let edit = p.may_edit;
    let stages = p.stage_order.iter().map(|s| {
        let done = p.stages.iter().find(|r| r.stage == *s).cloned();
        let class = if done.is_some() { "stage done" } else { "stage" };
        view! {
            <li class=class>
                <span class="stage-mark" aria-hidden="true">{if done.is_some() { "✓" } else { "" }}</span>
                <div>
                    <p class="stage-name">{s.label()}
                        <span class="visually-hidden">{if done.is_some() { " (complete)" } else { " (to do)" }}</span>
                    </p>
                    {match done {
                        Some(r) => view! { <p class="muted small">{format!("Completed {}", date(r.completed_on))}</p><p>{r.account}</p> }.into_any(),
                        None => view! { <p class="muted small">"Not yet complete"</p> }.into_any(),
                    }}
                </div>
            </li>
        }
    }).collect_view();
    let presented = p.present_to.iter().map(|a| a.label()).collect::<Vec<_>>().join(", ");
    view! {
        <p class="breadcrumb"><A href=format!("/cohorts/{}", p.cohort_id)>"Cohort"</A></p>
        <h1>{p.title.clone()}</h1>
        <dl class="facts">
            <div><dt>"Focus"</dt><dd>{focus}</dd></div>
            <div><dt>"School"</dt><dd>{p.host_school_name.clone()}</dd></div>
            <div><dt>"Team"</dt><dd>{team}</dd></div>
            <div><dt>"Dates"</dt><dd>{format!("{} to {}", date(p.starts_on), date(p.ends_on))}</dd></div>
            {terms}
            {p.sponsor.clone().map(|s| view! { <div><dt>"Senior sponsor"</dt><dd>{s.display_name}</dd></div> })}
            {p.tutor.clone().map(|t| view! { <div><dt>"Tutor"</dt><dd>{t.display_name}</dd></div> })}
        </dl>
        <h2>"Stages"</h2>
        <ol class="stages">{stages}</ol>
        {edit.then(|| view! { <StageForm project=p.clone() saved/> })}
        <h2>"Impact"</h2>
        {if p.measures.is_empty() {
            view! { <p class="empty">"No impact measures yet: add what the project will change, with a baseline and a target."</p> }.into_any()
        } else {
            p.measures.iter().map(|m| measure_view(m.clone(), edit, saved)).collect_view().into_any()
        }}
        {edit.then(|| view! { <MeasureForm project=p.id saved/> })}
        <h2>"Presentations of outcomes"</h2>
        {(!presented.is_empty()).then(|| view! { <p class="hint">{format!("The programme asks for the outcomes to be presented to: {presented}.")}</p> })}
        {if p.presentations.is_empty() {
            view! { <p class="empty">"Not presented yet."</p> }.into_any()
        } else {
            view! {
                <ul class="plain">{p.presentations.iter().map(|x| view! {
                    <li><strong>{x.audience.label()}</strong>{format!(", {}", date(x.presented_on))}
                        {x.next_steps.clone().map(|n| view! { <p class="muted">{format!("Next steps: {n}")}</p> })}
                    </li>
                }).collect_view()}</ul>
            }.into_any()
        }}
        {edit.then(|| view! { <PresentationForm project=p.id saved/> })}
        <h2>"Action log"</h2>
        {if p.actions.is_empty() {
            view! { <p class="empty">"No actions logged yet."</p> }.into_any()
        } else {
            view! {
                <ul class="plain">{p.actions.iter().map(|a| view! {
                    <li><strong>{date(a.taken_on)}</strong>{format!(" — {}", a.description)}<span class="muted">{format!(" ({})", a.recorded_by)}</span></li>
                }).collect_view()}</ul>
            }.into_any()
        }}
        {edit.then(|| view! { <ActionForm project=p.id saved/> })}
        {p.worksheet.clone().map(|w| {
            let parts = [
                ("Subject", w.subject), ("Object", w.object), ("Tools", w.tools), ("Rules", w.rules),
                ("Community", w.community), ("Division of labour", w.division_of_labour), ("Outcome", w.outcome),
            ];
            view! {
                <h2>"Activity-system worksheet"</h2>
                <dl class="worksheet">{parts.into_iter().filter(|(_, v)| !v.trim().is_empty()).map(|(k, v)| view! {
                    <div><dt>{k}</dt><dd>{v}</dd></div>
                }).collect_view()}</dl>
            }
        })}
    }
}

fn measure_view(m: ImpactMeasure, edit: bool, saved: Saved) -> impl IntoView {
    let series = Series {
        name: m.name.clone(),
        unit: m.unit.clone(),
        baseline: (m.baseline_on, m.baseline),
        target: m.target,
        readings: m.readings.iter().map(|r| (r.taken_on, r.value)).collect(),
    };
    let towards = m.towards_target.map(|t| format!("{}% of the way from the baseline to the target", number(t)));
    let unit = m.unit.clone();
    view! {
        <section class="card measure" aria-label=m.name.clone()>
            <h3>{m.name.clone()}</h3>
            {towards.map(|t| view! { <p class="hint">{t}</p> })}
            {measure_chart(&series)}
            <details>
                <summary>"The readings as a table"</summary>
                <table class="list">
                    <caption class="visually-hidden">{format!("{}: baseline, readings and target", m.name)}</caption>
                    <thead><tr><th scope="col">"Date"</th><th scope="col">"Value"</th><th scope="col">"Note"</th></tr></thead>
                    <tbody>
                        <tr><td>{date(m.baseline_on)}</td><td class="num">{with_unit(m.baseline, &unit)}</td><td>"Baseline"</td></tr>
                        {m.readings.iter().map(|r| view! {
                            <tr><td>{date(r.taken_on)}</td><td class="num">{with_unit(r.value, &unit)}</td><td>{r.note.clone().unwrap_or_default()}</td></tr>
                        }).collect_view()}
                        <tr><td>"—"</td><td class="num">{with_unit(m.target, &unit)}</td><td>"Target"</td></tr>
                    </tbody>
                </table>
            </details>
            {edit.then(|| view! { <ReadingForm measure=m.id name=m.name.clone() saved/> })}
        </section>
    }
}
