//! Screens built on the programme rules: programme outlines, an enrolment's progress checklist
//! and the report draft editor with the domain's own live word count.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use trellis_domain::rules::definition::Definition;
use trellis_domain::rules::progress::thousands;
use trellis_domain::rules::{RequirementStatus, word_count};
use trellis_domain::{EnrolmentStatus, Role};
use trellis_wire::{Cohort, Enrolment, EnrolmentProgress, MyEnrolment, Programme, ProgressParams, ReportDraft};
use uuid::Uuid;

use crate::api::{self, describe};
use crate::pages::{Load, date, failed, loading, status_label};

fn human(s: &str) -> String {
    let s = s.replace('_', " ");
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => s,
    }
}

/// "a", "a or b", "a, b or c".
fn or_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

fn id_param() -> Option<Uuid> {
    use_params_map().read_untracked().get("id").and_then(|s| Uuid::parse_str(&s).ok())
}

#[component]
pub fn Programmes() -> impl IntoView {
    let auth = api::use_auth();
    let state = RwSignal::new(Load::<Vec<Programme>>::Loading);
    spawn_local(async move {
        let r = api::call(auth, |c| async move { c.programmes().await }).await;
        state.set(match r {
            Ok(p) => Load::Ready(p.items),
            Err(e) => Load::Failed(describe(&e)),
        });
    });
    view! {
        <h1>"Programmes"</h1>
        {move || match state.get() {
            Load::Loading => loading(),
            Load::Failed(m) => failed(m),
            Load::Ready(list) if list.is_empty() => view! { <p class="empty">"No programmes yet."</p> }.into_any(),
            Load::Ready(list) => view! {
                <ul class="cards">
                    {list.into_iter().map(|p| view! {
                        <li class="card">
                            <h2><A href=format!("/programmes/{}", p.id)>{p.name.clone()}</A></h2>
                            <p class="muted">{format!("{} months", p.definition.duration_months)}</p>
                        </li>
                    }).collect_view()}
                </ul>
            }.into_any(),
        }}
    }
}

#[component]
pub fn ProgrammePage() -> impl IntoView {
    let auth = api::use_auth();
    let state = RwSignal::new(Load::<Programme>::Loading);
    match id_param() {
        None => state.set(Load::Failed("This is not a valid programme address.".into())),
        Some(id) => spawn_local(async move {
            let r = api::call(auth, |c| async move { c.programme(id).await }).await;
            state.set(match r {
                Ok(p) => Load::Ready(p),
                Err(e) => Load::Failed(describe(&e)),
            });
        }),
    }
    view! {
        {move || match state.get() {
            Load::Loading => loading(),
            Load::Failed(m) => view! { <h1>"Programme"</h1> {failed(m)} }.into_any(),
            Load::Ready(p) => view! {
                <p class="breadcrumb"><A href="/programmes">"Programmes"</A></p>
                <h1>{p.name.clone()}</h1>
                <Outline definition=p.definition.clone()/>
            }.into_any(),
        }}
    }
}

/// A definition as a reader would describe it, section by section.
#[component]
pub fn Outline(definition: Definition) -> impl IntoView {
    let d = definition;
    let mut sections: Vec<(String, Vec<String>)> = vec![];
    sections.push(("Duration".into(), vec![format!("{} months from induction", d.duration_months)]));
    if !d.sessions.is_empty() {
        let items = d
            .sessions
            .iter()
            .map(|s| match (s.min_sessions, s.min_days) {
                (Some(n), _) => format!("Attend {n} {}", s.label),
                (None, Some(days)) => format!("Attend {days} {} (half days count 0.5)", s.label),
                _ => s.label.clone(),
            })
            .collect();
        sections.push(("Sessions".into(), items));
    }
    if !d.learning_areas.is_empty() {
        sections.push(("Learning areas".into(), d.learning_areas.clone()));
    }
    if !d.behaviours.is_empty() {
        sections.push(("Behaviours".into(), vec![d.behaviours.join(", ")]));
    }
    if let Some(c) = &d.coaching {
        let mut items = vec![];
        if c.named_coach_required {
            items.push("A named coach, with a supporting statement given at application".into());
        }
        if c.min_sessions > 0 {
            let modes: Vec<String> = c.count_modes.iter().map(|m| human(m.as_str()).to_lowercase()).collect();
            items.push(format!("{} coaching sessions ({})", c.min_sessions, modes.join(" or ")));
        }
        let offered: Vec<String> = c.modes.iter().map(|m| human(m.as_str()).to_lowercase()).collect();
        items.push(format!("Coaching by {}", offered.join(", ")));
        if c.one_per_school {
            items.push("Offered to one leader per school".into());
        }
        sections.push(("Coaching".into(), items));
    }
    if let Some(dg) = &d.diagnostic {
        let rounds: Vec<String> = dg.rounds.iter().map(|r| human(r.as_str()).to_lowercase()).collect();
        let groups: Vec<String> = dg.rater_groups.iter().map(|g| human(g.as_str()).to_lowercase()).collect();
        sections.push((
            "360 diagnostic".into(),
            vec![
                format!("Rounds: {}", rounds.join(" and ")),
                format!("Raters: {}", groups.join(", ")),
                format!("A rater group is reported only with at least {} answers", dg.anonymity_threshold),
            ],
        ));
    }
    if let Some(p) = &d.project {
        let sizes: Vec<String> = p.team_sizes.iter().map(|t| human(t.as_str()).to_lowercase()).collect();
        let mut items = vec![format!(
            "{} project, {}",
            human(&or_list(&sizes)),
            if p.setting.as_str() == "own_school" { "in your own school" } else { "in another school" }
        )];
        if p.min_terms > 0 {
            items.push(format!("Lasting at least {} terms", p.min_terms));
        }
        if !p.stages.is_empty() {
            items.push(format!(
                "Stages: {}",
                p.stages.iter().map(|s| human(s.as_str()).to_lowercase()).collect::<Vec<_>>().join(" → ")
            ));
        }
        if !p.present_to.is_empty() {
            items.push(format!(
                "Outcomes presented to {}",
                p.present_to.iter().map(|a| human(a.as_str()).to_lowercase()).collect::<Vec<_>>().join(" and ")
            ));
        }
        sections.push(("Project".into(), items));
    }
    if let Some(pf) = &d.portfolio {
        let mut items = vec![];
        if let Some(r) = &pf.reflections {
            let on = human(r.on.as_str()).to_lowercase();
            items.push(format!("Reflections on {} {on}s", r.count));
            if r.led_by_participant_min > 0 {
                items.push(format!("At least {} on a {on} you led", r.led_by_participant_min));
            }
        }
        for e in &pf.entries {
            items.push(format!("An {}", human(e.as_str()).to_lowercase()));
        }
        sections.push(("Portfolio".into(), items));
    }
    if let Some(a) = &d.assessment {
        let mut items = vec![];
        if let Some(w) = a.word_limit {
            items.push(format!(
                "A written report of at most {} words (supporting documents excluded)",
                thousands(w.into())
            ));
        }
        if let Some(w) = a.window {
            items.push(format!("Submitted {} to {} months after induction", w.from_months, w.to_months));
        }
        if !a.criteria.is_empty() {
            items.push(format!("Judged on {}", a.criteria.join(", ").to_lowercase()));
        }
        if a.external_assessor {
            items.push("Marked by an external assessor".into());
        }
        if a.coach_verification {
            items.push("The coach verifies the evidence".into());
        }
        sections.push(("Final assessment".into(), items));
    }
    if let Some(sa) = &d.self_assessment {
        let who = if sa.trust_assessment { "School and trust assess" } else { "School assesses" };
        sections.push((
            "Termly self-assessment".into(),
            vec![format!("{who} each term against: {}", sa.themes.join(", "))],
        ));
    }
    let by = human(d.certification.by.as_str());
    let mut cert = vec![format!("Certified by the {}", by.to_lowercase())];
    if d.certification.requires_assessment_pass {
        cert.push("After a passed final assessment".into());
    }
    sections.push(("Certification".into(), cert));
    view! {
        <div class="outline">
            {sections.into_iter().map(|(title, items)| view! {
                <section class="card">
                    <h2>{title}</h2>
                    <ul>{items.into_iter().map(|i| view! { <li>{i}</li> }).collect_view()}</ul>
                </section>
            }).collect_view()}
        </div>
    }
}

fn requirement_label(s: RequirementStatus) -> &'static str {
    match s {
        RequirementStatus::Met => "Met",
        RequirementStatus::Pending => "To do",
        RequirementStatus::Overdue => "Overdue",
        RequirementStatus::Failed => "Not met",
    }
}

#[derive(Clone)]
struct EnrolmentView {
    enrolment: Enrolment,
    cohort: Cohort,
    programme: Programme,
}

#[component]
pub fn EnrolmentPage() -> impl IntoView {
    let auth = api::use_auth();
    let state = RwSignal::new(Load::<EnrolmentView>::Loading);
    let progress = RwSignal::new(Load::<EnrolmentProgress>::Loading);
    match id_param() {
        None => state.set(Load::Failed("This is not a valid enrolment address.".into())),
        Some(id) => spawn_local(async move {
            let r = api::call(auth, |c| async move {
                let enrolment = c.enrolment(id).await?;
                let cohort = c.cohort(enrolment.cohort_id).await?;
                let programme = c.programme(cohort.programme_id).await?;
                Ok(EnrolmentView { enrolment, cohort, programme })
            })
            .await;
            state.set(match r {
                Ok(v) => Load::Ready(v),
                Err(e) => Load::Failed(describe(&e)),
            });
            let p =
                api::call(auth, |c| async move { c.enrolment_progress(id, &ProgressParams::default()).await }).await;
            progress.set(match p {
                Ok(p) => Load::Ready(p),
                Err(e) => Load::Failed(describe(&e)),
            });
        }),
    }
    view! {
        {move || match state.get() {
            Load::Loading => loading(),
            Load::Failed(m) => view! { <h1>"Enrolment"</h1> {failed(m)} }.into_any(),
            Load::Ready(v) => {
                let mine = auth.me().is_some_and(|m| m.person_id == Some(v.enrolment.person_id));
                let limit = v.programme.definition.assessment.as_ref().and_then(|a| a.word_limit);
                let status = v.enrolment.status;
                view! {
                    <p class="breadcrumb"><A href=format!("/cohorts/{}", v.cohort.id)>{v.cohort.name.clone()}</A></p>
                    <h1>{if mine { "My programme".to_owned() } else { v.enrolment.person_name.clone() }}</h1>
                    <dl class="facts">
                        <div><dt>"Programme"</dt><dd><A href=format!("/programmes/{}", v.programme.id)>{v.programme.name.clone()}</A></dd></div>
                        <div><dt>"School"</dt><dd>{v.enrolment.school_name.clone()}</dd></div>
                        <div><dt>"Status"</dt><dd><span class=format!("badge badge-{}", status.as_str())>{status_label(status)}</span></dd></div>
                        <div><dt>"Induction"</dt><dd>{date(v.cohort.induction_date)}</dd></div>
                    </dl>
                    {mine.then(|| view! { <crate::delivery_pages::Subscribe cohort=None/> })}
                    <crate::delivery_pages::AttendancePanel enrolment=v.enrolment.id cohort=v.cohort.id/>
                    <h2>"Progress"</h2>
                    <Checklist progress/>
                    {v.enrolment.coach_person_id.map(|coach| {
                        let is_coach = auth.me().is_some_and(|m| m.person_id == Some(coach));
                        view! { <crate::delivery_pages::CoachingLog enrolment=v.enrolment.id is_coach/> }
                    })}
                    {(mine && status != EnrolmentStatus::Withdrawn).then(|| view! { <DraftEditor enrolment=v.enrolment.id limit/> })}
                }.into_any()
            }
        }}
    }
}

#[component]
fn Checklist(progress: RwSignal<Load<EnrolmentProgress>>) -> impl IntoView {
    move || match progress.get() {
        Load::Loading => loading(),
        Load::Failed(m) => failed(m),
        Load::Ready(p) => {
            let met = p.progress.requirements.iter().filter(|r| r.status == RequirementStatus::Met).count();
            let total = p.progress.requirements.len();
            view! {
                <p class="lead" id="progress-summary">
                    {format!("{met} of {total} requirements met. ")}
                    {if p.progress.certifiable { "Ready for certification." } else { "Not yet ready for certification." }}
                </p>
                <ul class="checklist">
                    {p.progress.requirements.into_iter().map(|r| view! {
                        <li class=format!("req req-{}", r.status.as_str()) data-requirement=r.id.clone()>
                            <span class=format!("badge req-badge-{}", r.status.as_str())>{requirement_label(r.status)}</span>
                            <div>
                                <p class="req-label">{r.label.clone()}</p>
                                <p class="muted small">
                                    {r.explanation.clone()}
                                    {r.due.map(|d| format!(" · due {}", date(d)))}
                                </p>
                            </div>
                        </li>
                    }).collect_view()}
                </ul>
            }
            .into_any()
        }
    }
}

#[component]
fn DraftEditor(enrolment: Uuid, limit: Option<u32>) -> impl IntoView {
    let auth = api::use_auth();
    let text = RwSignal::new(String::new());
    let saved = RwSignal::new(None::<ReportDraft>);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    // The draft's version as loaded or last saved: a save from an older tab is refused.
    let version = RwSignal::new(None::<String>);
    spawn_local(async move {
        if let Ok(d) = api::call(auth, |c| async move { c.report_draft_versioned(enrolment).await }).await {
            text.set(d.value.text.clone());
            version.set(d.etag);
            saved.set(Some(d.value));
        }
    });
    // The same word count the server and the assessment rules use, compiled into this page.
    let words = Memo::new(move |_| text.with(|t| word_count(t)));
    let over = move || limit.is_some_and(|l| words.get() > l as usize);
    let counter = move || match limit {
        Some(l) if words.get() > l as usize => {
            format!(
                "{} / {} words — {} over the limit",
                thousands(words.get() as u64),
                thousands(l.into()),
                thousands((words.get() - l as usize) as u64)
            )
        }
        Some(l) => format!("{} / {} words", thousands(words.get() as u64), thousands(l.into())),
        None => format!("{} words", thousands(words.get() as u64)),
    };
    let save = move |_| {
        busy.set(true);
        error.set(None);
        let body = text.get_untracked();
        let based_on = version.get_untracked();
        spawn_local(async move {
            let r = api::call(auth, |c| {
                let (body, based_on) = (body.clone(), based_on.clone());
                async move { c.save_report_draft_if(enrolment, &body, based_on.as_deref()).await }
            })
            .await;
            busy.set(false);
            match r {
                Ok(d) => {
                    version.set(d.etag);
                    saved.set(Some(d.value));
                }
                Err(e) => error.set(Some(describe(&e))),
            }
        });
    };
    view! {
        <section class="card editor" aria-labelledby="draft-title">
            <h2 id="draft-title">"Final report draft"</h2>
            <p class="muted">"Only you can see your draft. Supporting documents do not count towards the limit."</p>
            <div class="field">
                <label for="report-draft">"Report text"</label>
                <textarea id="report-draft" rows="14" aria-describedby="word-count"
                    prop:value=move || text.get()
                    on:input=move |ev| text.set(event_target_value(&ev))></textarea>
            </div>
            <p id="word-count" class=move || if over() { "word-count over" } else { "word-count" }>{counter}</p>
            {move || error.get().map(|m| view! { <div class="alert error" role="alert">{m}</div> })}
            <div class="row">
                <button class="button" type="button" id="save-draft" disabled=move || busy.get() on:click=save>
                    {move || if busy.get() { "Saving…" } else { "Save draft" }}
                </button>
                <p class="muted small" role="status" id="draft-status">
                    {move || saved.get().and_then(|d| d.updated_at.map(|at| format!(
                        "Saved {} {} UTC — {} words counted by Trellis",
                        crate::pages::date(at),
                        crate::pages::clock(at),
                        thousands(d.words.into())
                    )))}
                </p>
            </div>
        </section>
    }
}

/// A participant's own enrolments, for the home page.
#[component]
pub fn MyEnrolments() -> impl IntoView {
    let auth = api::use_auth();
    let state = RwSignal::new(Load::<Vec<MyEnrolment>>::Loading);
    spawn_local(async move {
        let r = api::call(auth, |c| async move { c.my_enrolments().await }).await;
        state.set(match r {
            Ok(list) => Load::Ready(list.items),
            Err(e) => Load::Failed(describe(&e)),
        });
    });
    view! {
        <h2>"Your programmes"</h2>
        {move || match state.get() {
            Load::Loading => loading(),
            Load::Failed(m) => failed(m),
            Load::Ready(list) if list.is_empty() => view! { <p class="empty">"You are not enrolled on a programme yet."</p> }.into_any(),
            Load::Ready(list) => view! {
                <ul class="cards">
                    {list.into_iter().map(|m| view! {
                        <li class="card">
                            <h3><A href=format!("/enrolments/{}", m.enrolment.id)>{m.cohort_name}</A></h3>
                            <p><span class=format!("badge badge-{}", m.enrolment.status.as_str())>{status_label(m.enrolment.status)}</span></p>
                        </li>
                    }).collect_view()}
                </ul>
            }.into_any(),
        }}
    }
}

pub fn is_participant(role: Option<Role>) -> bool {
    role == Some(Role::Participant)
}
