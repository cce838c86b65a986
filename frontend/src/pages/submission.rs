//! One final-assessment submission: the report and documents, the coach's verification, the
//! assessors, the marking rubric (each criterion met or not yet met, with feedback, and the
//! outcome), moderation, release, and every judgement as it was made. What each caller sees and
//! may do comes from the server (`actions`); the server re-checks everything.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use trellis_domain::assessment::{CriterionMark, check_mark};
use trellis_wire::{
    AssessmentOutcome, AssignAssessors, CriterionJudgement, CriterionVerdict, RecordMark, RecordModeration, Role,
    Submission, User, UserQuery, VerifySubmission, WithdrawSubmission,
};
use uuid::Uuid;

use crate::api::{self, describe};
use crate::ui::labels::Label;
use crate::ui::{Load, date, failed, id_param, loading, today};

const OUTCOMES: [AssessmentOutcome; 3] = [AssessmentOutcome::Pass, AssessmentOutcome::Refer, AssessmentOutcome::Fail];

#[component]
pub fn SubmissionPage() -> impl IntoView {
    let auth = api::use_auth();
    let state = RwSignal::new(Load::<Submission>::Loading);
    let message = RwSignal::new(None::<(bool, String)>);
    let busy = RwSignal::new(false);
    let assessors = RwSignal::new(Vec::<User>::new());
    let id = id_param();
    if let Some(id) = id {
        spawn_local(async move {
            let r = api::call(auth, |c| async move { c.get_submission(id).await }).await;
            if let Ok(s) = &r
                && s.actions.iter().any(|a| a == "assign")
                && let Ok(page) = api::call(auth, |c| async move {
                    c.list_users(&UserQuery { limit: Some(200), ..Default::default() }).await
                })
                .await
            {
                assessors
                    .set(page.items.into_iter().filter(|u| u.roles.iter().any(|r| r.role == Role::Assessor)).collect());
            }
            state.set(r.into());
        });
    } else {
        state.set(Load::Failed("This is not a valid submission address.".into()));
    }
    view! {
        {move || match state.get() {
            Load::Loading => loading(),
            Load::Failed(m) => view! { <h1>"Submission"</h1> {failed(m)} }.into_any(),
            Load::Ready(s) => view! { <SubmissionView s=s state message busy assessors/> }.into_any(),
        }}
    }
}

/// Runs one action and shows the submission as it now stands (or why it was refused).
fn run<F, Fut>(
    auth: api::Auth,
    state: RwSignal<Load<Submission>>,
    message: RwSignal<Option<(bool, String)>>,
    busy: RwSignal<bool>,
    done: &'static str,
    f: F,
) where
    F: Fn(trellis_client::Client) -> Fut + 'static,
    Fut: std::future::Future<Output = Result<Submission, trellis_client::ClientError>> + 'static,
{
    busy.set(true);
    spawn_local(async move {
        match api::call(auth, f).await {
            Ok(s) => {
                message.set(Some((true, done.to_owned())));
                state.set(Load::Ready(s));
            }
            Err(e) => message.set(Some((false, describe(&e)))),
        }
        busy.set(false);
    });
}

#[component]
fn SubmissionView(
    s: Submission,
    state: RwSignal<Load<Submission>>,
    message: RwSignal<Option<(bool, String)>>,
    busy: RwSignal<bool>,
    assessors: RwSignal<Vec<User>>,
) -> impl IntoView {
    let auth = api::use_auth();
    let id = s.id;
    let can = |a: &str| s.actions.iter().any(|x| x == a);
    let criteria = s.criteria.clone();
    // The rubric: one verdict and feedback per criterion, the outcome, the overall feedback.
    let verdicts: Vec<RwSignal<Option<CriterionVerdict>>> = criteria.iter().map(|_| RwSignal::new(None)).collect();
    let notes: Vec<RwSignal<String>> = criteria.iter().map(|_| RwSignal::new(String::new())).collect();
    let outcome = RwSignal::new(None::<AssessmentOutcome>);
    let feedback = RwSignal::new(String::new());
    let statement = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let marker = RwSignal::new(s.marker_user_id.map(|u| u.to_string()).unwrap_or_default());
    let moderator = RwSignal::new(s.moderator_user_id.map(|u| u.to_string()).unwrap_or_default());
    let confirms = RwSignal::new(true);
    let overturn_to = RwSignal::new(None::<AssessmentOutcome>);
    let reasons = RwSignal::new(String::new());
    let attempt = s.attempt;
    let rule_criteria = criteria.clone();
    let v2 = verdicts.clone();
    // The domain's marking rules, shown before the mark is sent.
    let mark_faults = Memo::new(move |_| {
        let Some(o) = outcome.get() else { return vec!["Choose the outcome.".to_owned()] };
        let judged: Vec<(String, CriterionVerdict)> =
            rule_criteria.iter().zip(&v2).filter_map(|(c, v)| v.get().map(|v| (c.clone(), v))).collect();
        let marks: Vec<CriterionMark> =
            judged.iter().map(|(c, v)| CriterionMark { criterion: c, verdict: *v }).collect();
        let rule =
            trellis_domain::rules::definition::AssessmentRule { criteria: rule_criteria.clone(), ..Default::default() };
        check_mark(&rule, attempt, &marks, o).into_iter().map(|f| f.message).collect::<Vec<_>>()
    });
    let crit_for_submit = criteria.clone();
    let (v3, n3) = (verdicts.clone(), notes.clone());
    let submit_mark = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !mark_faults.get_untracked().is_empty() {
            message.set(Some((false, "The mark is not complete: see the rubric.".into())));
            return;
        }
        let body = RecordMark {
            criteria: crit_for_submit
                .iter()
                .zip(&v3)
                .zip(&n3)
                .map(|((c, v), n)| CriterionJudgement {
                    criterion: c.clone(),
                    verdict: v.get_untracked().unwrap_or(CriterionVerdict::NotYetMet),
                    feedback: n.get_untracked(),
                })
                .collect(),
            outcome: outcome.get_untracked().unwrap_or(AssessmentOutcome::Refer),
            feedback: feedback.get_untracked(),
        };
        run(auth, state, message, busy, "The mark is recorded.", move |c| {
            let body = body.clone();
            async move { c.record_submission_mark(id, &body).await }
        });
    };
    let submit_verify = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = VerifySubmission { statement: statement.get_untracked(), verified_on: today() };
        run(auth, state, message, busy, "The evidence is verified.", move |c| {
            let body = body.clone();
            async move { c.verify_submission(id, &body).await }
        });
    };
    let submit_assign = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(m) = marker.get_untracked().parse::<Uuid>() else {
            message.set(Some((false, "Choose the marker.".into())));
            return;
        };
        let body = AssignAssessors { marker_user_id: m, moderator_user_id: moderator.get_untracked().parse().ok() };
        run(auth, state, message, busy, "The assessors are assigned.", move |c| {
            let body = body.clone();
            async move { c.assign_assessors(id, &body).await }
        });
    };
    let submit_moderation = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = RecordModeration {
            confirms: confirms.get_untracked(),
            outcome: if confirms.get_untracked() { None } else { overturn_to.get_untracked() },
            reasons: reasons.get_untracked(),
        };
        run(auth, state, message, busy, "The moderation is recorded.", move |c| {
            let body = body.clone();
            async move { c.record_submission_moderation(id, &body).await }
        });
    };
    let release = move |_| {
        run(auth, state, message, busy, "The outcome is released to the participant.", move |c| async move {
            c.release_submission(id).await
        })
    };
    let submit_withdraw = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = WithdrawSubmission { reason: reason.get_untracked() };
        run(auth, state, message, busy, "The submission is withdrawn.", move |c| {
            let body = body.clone();
            async move { c.withdraw_submission(id, &body).await }
        });
    };
    view! {
        <p class="breadcrumb"><A href=format!("/enrolments/{}", s.enrolment_id)>{format!("{} · {}", s.participant_name, s.cohort_name)}</A></p>
        <h1>{format!("Final assessment, attempt {}", s.attempt)}</h1>
        <dl class="facts">
            <div><dt>"Status"</dt><dd>{s.status.label()}</dd></div>
            <div><dt>"Submitted"</dt><dd>{date(s.submitted_on)}</dd></div>
            <div><dt>"Words"</dt><dd>{match s.word_limit { Some(l) => format!("{} of {l}", s.words), None => s.words.to_string() }}</dd></div>
            {s.outcome.map(|o| view! { <div><dt>"Outcome"</dt><dd><strong>{o.label()}</strong></dd></div> })}
            {s.resubmit_by.map(|d| view! { <div><dt>"Resubmit by"</dt><dd>{date(d)}</dd></div> })}
        </dl>
        {move || message.get().map(|(ok, m)| view! {
            <div class=if ok { "alert success" } else { "alert error" } role=if ok { "status" } else { "alert" }>{m}</div>
        })}
        {s.report.clone().map(|r| view! { <h2>"Report"</h2><div class="report-text" tabindex="0" aria-label="The report">{r}</div> })}
        {(!s.documents.is_empty()).then(|| view! {
            <h2>"Supporting documents"</h2>
            <ul>{s.documents.iter().map(|d| {
                let (position, name, media) = (d.position, d.filename.clone(), d.media_type.clone());
                let download = move |_| {
                    let (name, media) = (name.clone(), media.clone());
                    spawn_local(async move {
                        match api::call(auth, |c| async move { c.get_submission_document(id, position).await }).await {
                            Ok(bytes) => {
                                if crate::ui::save_as(&bytes, &name, &media).is_err() {
                                    message.set(Some((false, "The browser did not accept the download.".into())));
                                }
                            }
                            Err(e) => message.set(Some((false, describe(&e)))),
                        }
                    });
                };
                view! { <li>{d.filename.clone()}" "<button class="button secondary small" type="button" on:click=download>"Download"</button></li> }
            }).collect_view()}</ul>
        })}
        <h2>"Coach's verification"</h2>
        {match (&s.verification, s.verification_required) {
            (Some(v), _) => view! { <p>{format!("Verified by {} on {}: “{}”", v.verified_by, date(v.verified_on), v.statement)}</p> }.into_any(),
            (None, true) => view! { <p class="muted">"Waiting for the coach to verify the evidence."</p> }.into_any(),
            (None, false) => view! { <p class="muted">"This programme does not ask the coach to verify."</p> }.into_any(),
        }}
        {can("verify").then(|| view! {
            <form on:submit=submit_verify class="card panel">
                <div class="field">
                    <label for="verify-statement">"Your statement"</label>
                    <textarea id="verify-statement" rows="3" prop:value=move || statement.get() on:input=move |ev| statement.set(event_target_value(&ev))></textarea>
                </div>
                <button class="button" type="submit" disabled=move || busy.get()>"Verify the evidence"</button>
            </form>
        })}
        {can("assign").then(|| view! {
            <form on:submit=submit_assign class="card panel">
                <h2>"Assessors"</h2>
                <div class="field">
                    <label for="assign-marker">"Marker"</label>
                    <select id="assign-marker" on:change=move |ev| marker.set(event_target_value(&ev))>
                        <option value="">"Choose an assessor"</option>
                        {move || assessors.get().into_iter().map(|u| { let v = u.id.to_string(); let sel = marker.get() == v; view! { <option value=v selected=sel>{u.display_name}</option> } }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="assign-moderator">"Moderator (optional)"</label>
                    <select id="assign-moderator" on:change=move |ev| moderator.set(event_target_value(&ev))>
                        <option value="">"None"</option>
                        {move || assessors.get().into_iter().map(|u| { let v = u.id.to_string(); let sel = moderator.get() == v; view! { <option value=v selected=sel>{u.display_name}</option> } }).collect_view()}
                    </select>
                </div>
                <button class="button" type="submit" disabled=move || busy.get()>"Assign"</button>
            </form>
        })}
        {can("mark").then(|| view! {
            <form on:submit=submit_mark class="card panel">
                <h2>"Mark"</h2>
                {criteria.iter().enumerate().map(|(i, c)| {
                    let (v, n) = (verdicts[i], notes[i]);
                    let group = format!("criterion-{i}");
                    view! {
                        <fieldset class="field">
                            <legend>{c.clone()}</legend>
                            {[CriterionVerdict::Met, CriterionVerdict::NotYetMet].into_iter().map(|verdict| {
                                let input = format!("{group}-{}", verdict.as_str());
                                view! { <div class="check">
                                    <input type="radio" name=group.clone() id=input.clone() prop:checked=move || v.get() == Some(verdict) on:change=move |_| v.set(Some(verdict))/>
                                    <label for=input>{verdict.label()}</label>
                                </div> }
                            }).collect_view()}
                            <label for=format!("{group}-feedback")>"Feedback"</label>
                            <textarea id=format!("{group}-feedback") rows="2" prop:value=move || n.get() on:input=move |ev| n.set(event_target_value(&ev))></textarea>
                        </fieldset>
                    }
                }).collect_view()}
                <fieldset class="field">
                    <legend>"Outcome"</legend>
                    {OUTCOMES.into_iter().map(|o| { let input = format!("outcome-{}", o.as_str()); view! { <div class="check">
                        <input type="radio" name="outcome" id=input.clone() prop:checked=move || outcome.get() == Some(o) on:change=move |_| outcome.set(Some(o))/>
                        <label for=input>{o.label()}</label>
                    </div> } }).collect_view()}
                </fieldset>
                <div class="field">
                    <label for="mark-feedback">"Feedback to the participant"</label>
                    <textarea id="mark-feedback" rows="4" prop:value=move || feedback.get() on:input=move |ev| feedback.set(event_target_value(&ev))></textarea>
                </div>
                {move || { let f = mark_faults.get(); (!f.is_empty()).then(|| view! { <div class="alert warning"><ul>{f.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}</ul></div> }) }}
                <button class="button" type="submit" disabled=move || busy.get()>"Record the mark"</button>
            </form>
        })}
        {can("moderate").then(|| view! {
            <form on:submit=submit_moderation class="card panel">
                <h2>"Moderation"</h2>
                <fieldset class="field">
                    <legend>"Your judgement of the mark"</legend>
                    <div class="check"><input type="radio" name="moderation" id="moderation-confirm" prop:checked=move || confirms.get() on:change=move |_| confirms.set(true)/><label for="moderation-confirm">"Confirm the mark"</label></div>
                    <div class="check"><input type="radio" name="moderation" id="moderation-overturn" prop:checked=move || !confirms.get() on:change=move |_| confirms.set(false)/><label for="moderation-overturn">"Overturn it"</label></div>
                </fieldset>
                {move || (!confirms.get()).then(|| view! {
                    <div class="field">
                        <label for="moderation-outcome">"The outcome instead"</label>
                        <select id="moderation-outcome" on:change=move |ev| overturn_to.set(event_target_value(&ev).parse().ok())>
                            <option value="">"Choose"</option>
                            {OUTCOMES.into_iter().map(|o| view! { <option value=o.as_str()>{o.label()}</option> }).collect_view()}
                        </select>
                    </div>
                })}
                <div class="field">
                    <label for="moderation-reasons">"Reasons"</label>
                    <textarea id="moderation-reasons" rows="3" prop:value=move || reasons.get() on:input=move |ev| reasons.set(event_target_value(&ev))></textarea>
                </div>
                <button class="button" type="submit" disabled=move || busy.get()>"Record the moderation"</button>
            </form>
        })}
        {can("release").then(|| view! {
            <p><button class="button" type="button" disabled=move || busy.get() on:click=release>"Release the outcome to the participant"</button></p>
        })}
        {can("withdraw").then(|| view! {
            <form on:submit=submit_withdraw class="card panel">
                <div class="field">
                    <label for="withdraw-reason">"Why withdraw it? (it stays on record)"</label>
                    <input id="withdraw-reason" type="text" prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))/>
                </div>
                <button class="button danger" type="submit" disabled=move || busy.get()>"Withdraw the submission"</button>
            </form>
        })}
        {(!s.judgements.is_empty()).then(|| view! {
            <h2>"Judgements"</h2>
            {s.judgements.iter().map(|j| view! {
                <div class="judgement">
                    <p><strong>{format!("{} by {}: {}", if j.kind == trellis_wire::JudgementKind::Mark { "Mark" } else { "Moderation" }, j.assessor_name, j.outcome.label())}</strong>
                        <span class="muted">{format!(" · {}", date(j.recorded_at.date_naive()))}</span>
                        {j.confirms.map(|c| view! { <span>{if c { " · confirms the mark" } else { " · overturns the mark" }}</span> })}</p>
                    {(!j.criteria.is_empty()).then(|| view! {
                        <table class="rubric"><thead><tr><th scope="col">"Criterion"</th><th scope="col">"Verdict"</th><th scope="col">"Feedback"</th></tr></thead>
                        <tbody>{j.criteria.iter().map(|c| view! { <tr><th scope="row">{c.criterion.clone()}</th><td>{c.verdict.label()}</td><td>{c.feedback.clone()}</td></tr> }).collect_view()}</tbody></table>
                    })}
                    <p>{j.feedback.clone()}</p>
                </div>
            }).collect_view()}
        })}
    }
}
