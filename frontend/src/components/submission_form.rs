//! The participant's final assessment on the enrolment page: each submission with its status and,
//! once released, its outcome; and the submission form, which runs the programme's own checks
//! (the word limit, the window, the project's terms and stages) as the report is written, with
//! the very function the server runs.

use chrono::NaiveDate;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use trellis_domain::assessment::{ReportedProject, SubmissionPlan, check_submission};
use trellis_domain::rules::definition::{AssessmentRule, ProjectRule};
use trellis_domain::rules::{TermCalendar, word_count};
use trellis_wire::{AssessmentOutcome, CreateSubmission, Enrolment, Project, Submission, SubmissionStatus};

use crate::api::{self, describe};
use crate::ui::labels::Label;
use crate::ui::{date, today};

#[component]
pub fn SubmissionForm(
    enrolment: Enrolment,
    rule: AssessmentRule,
    project_rule: Option<ProjectRule>,
    induction: NaiveDate,
    mine: bool,
) -> impl IntoView {
    let auth = api::use_auth();
    let (id, school) = (enrolment.id, enrolment.school_id);
    let submissions = RwSignal::new(None::<Vec<Submission>>);
    let project = RwSignal::new(None::<Project>);
    let calendar = RwSignal::new(TermCalendar::default());
    let message = RwSignal::new(None::<(bool, String)>);
    let report = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    // Supporting documents: evidence files of the participant's own portfolio.
    let files = RwSignal::new(Vec::<trellis_wire::EvidenceFile>::new());
    let chosen = RwSignal::new(Vec::<uuid::Uuid>::new());
    let load = move || {
        spawn_local(async move {
            match api::call(auth, |c| async move { c.list_enrolment_submissions(id).await }).await {
                Ok(list) => submissions.set(Some(list.items)),
                Err(e) => message.set(Some((false, describe(&e)))),
            }
        })
    };
    load();
    if mine {
        spawn_local(async move {
            if let Ok(p) = api::call(auth, |c| async move { c.get_enrolment_project(id).await }).await {
                project.set(Some(p));
            }
            if let Ok(list) = api::call(auth, |c| async move { c.list_portfolio_entries(id).await }).await {
                files.set(list.items.into_iter().filter_map(|e| e.content).flat_map(|c| c.files).collect());
            }
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
    }
    let limit = rule.word_limit;
    let rule_for_check = rule.clone();
    // What the server would say, worked out here with the same function as the report is written.
    let faults = Memo::new(move |_| {
        let subs = submissions.get().unwrap_or_default();
        let last_refer = subs.iter().rev().find(|s| s.status == SubmissionStatus::Released);
        let (attempt, resubmit_by) = match last_refer.and_then(|s| s.outcome) {
            Some(AssessmentOutcome::Refer) => (2, last_refer.and_then(|s| s.resubmit_by)),
            _ => (1, None),
        };
        let today = today();
        let reported = project.get().map(|p| {
            let records: Vec<trellis_domain::project::StageRecord> = p
                .stages
                .iter()
                .map(|s| trellis_domain::project::StageRecord { stage: s.stage, completed_on: s.completed_on })
                .collect();
            ReportedProject {
                starts: p.starts_on,
                ends: trellis_domain::project::finished_on(&p.stage_order, &records).unwrap_or(today),
                stages_completed: p.stages.iter().map(|s| s.stage).collect(),
            }
        });
        let text = report.get();
        let plan =
            SubmissionPlan { report: &text, submitted_on: today, induction, project: reported, attempt, resubmit_by };
        check_submission(&rule_for_check, project_rule.as_ref(), &calendar.get(), &plan)
    });
    let open_for_new = move || {
        let subs = submissions.get().unwrap_or_default();
        let live: Vec<_> = subs.iter().filter(|s| s.status != SubmissionStatus::Withdrawn).collect();
        let pending = live.iter().any(|s| s.status != SubmissionStatus::Released);
        let decided = live.last().and_then(|s| s.outcome).is_some_and(|o| o != AssessmentOutcome::Refer);
        let used = live.len() >= trellis_domain::assessment::MAX_ATTEMPTS as usize;
        !pending && !decided && !used
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(p) = project.get_untracked() else {
            message.set(Some((false, "Start your project first: a submission reports on it.".into())));
            return;
        };
        if !faults.get_untracked().is_empty() {
            message.set(Some((false, "The submission is not ready: see what it still needs below.".into())));
            return;
        }
        busy.set(true);
        let body =
            CreateSubmission { report: report.get_untracked(), project_id: p.id, document_ids: chosen.get_untracked() };
        spawn_local(async move {
            match api::call(auth, |c| {
                let body = body.clone();
                async move { c.create_submission(id, &body).await }
            })
            .await
            {
                Ok(_) => {
                    message.set(Some((
                        true,
                        "Submitted. Your coach verifies the evidence, then an assessor marks it.".into(),
                    )));
                    report.set(String::new());
                    chosen.set(vec![]);
                    load();
                }
                Err(e) => message.set(Some((false, describe(&e)))),
            }
            busy.set(false);
        });
    };
    view! {
        <section class="card panel" aria-labelledby="assessment-title">
            <h2 id="assessment-title">"Final assessment"</h2>
            {move || message.get().map(|(ok, m)| view! {
                <div class=if ok { "alert success" } else { "alert error" } role=if ok { "status" } else { "alert" }>{m}</div>
            })}
            {move || match submissions.get() {
                None => view! { <p class="muted" role="status">"Loading…"</p> }.into_any(),
                Some(list) if list.is_empty() => view! { <p class="empty">"Nothing submitted yet."</p> }.into_any(),
                Some(list) => view! {
                    <ul class="plain">{list.into_iter().map(|s| {
                        let outcome = s.outcome.map(|o| format!(" · {}", o.label())).unwrap_or_default();
                        view! { <li>
                            <A href=format!("/submissions/{}", s.id)>{format!("Attempt {}, submitted {}", s.attempt, date(s.submitted_on))}</A>
                            {format!(" · {}{outcome}", s.status.label())}
                            {s.resubmit_by.map(|d| view! { <span class="muted">{format!(" · resubmit by {}", date(d))}</span> })}
                        </li> }
                    }).collect_view()}</ul>
                }.into_any(),
            }}
            {move || (mine && open_for_new()).then(|| view! {
                <form on:submit=submit>
                    <div class="field">
                        <label for="assessment-report">"Your report"</label>
                        <p class="hint">{limit.map(|l| format!("At most {l} words; supporting documents are not counted.")).unwrap_or_default()}</p>
                        <textarea id="assessment-report" rows="14" aria-describedby="assessment-count assessment-checks"
                            prop:value=move || report.get() on:input=move |ev| report.set(event_target_value(&ev))></textarea>
                        <p id="assessment-count" class="hint" aria-live="polite">{move || {
                            let n = word_count(&report.get());
                            match limit {
                                Some(l) if n > l as usize => format!("{n} words: {} over the limit", n - l as usize),
                                Some(l) => format!("{n} of {l} words"),
                                None => format!("{n} words"),
                            }
                        }}</p>
                    </div>
                    {move || { let list = files.get(); (!list.is_empty()).then(|| view! {
                        <fieldset class="field">
                            <legend>"Supporting documents (not counted in the words)"</legend>
                            {list.into_iter().map(|f| {
                                let input = format!("document-{}", f.id);
                                let fid = f.id;
                                view! { <div class="check">
                                    <input type="checkbox" id=input.clone() prop:checked=move || chosen.get().contains(&fid)
                                        on:change=move |ev| chosen.update(|c| { c.retain(|x| *x != fid); if event_target_checked(&ev) { c.push(fid) } })/>
                                    <label for=input>{f.filename.clone()}</label>
                                </div> }
                            }).collect_view()}
                        </fieldset>
                    }) }}
                    <div id="assessment-checks">{move || {
                        let f = faults.get();
                        if f.is_empty() {
                            view! { <p class="alert success" role="status">"Ready to submit: it meets the programme's rules."</p> }.into_any()
                        } else {
                            view! {
                                <div class="alert warning"><p>"Before it can be submitted:"</p>
                                    <ul>{f.into_iter().map(|x| view! { <li data-code=x.code>{x.message}</li> }).collect_view()}</ul>
                                </div>
                            }.into_any()
                        }
                    }}</div>
                    <button class="button" type="submit" disabled=move || busy.get() || !faults.get().is_empty()>"Submit for assessment"</button>
                </form>
            })}
        </section>
    }
}
