//! An enrolment's 360 diagnostic: each round with its closing date, answers per group against the
//! programme's minimums (never what anyone said), and for those who run it (the participant, the
//! cohort's facilitators) the raters, inviting more, moving the date and closing the round; the
//! participant's self-review; the report, for the participant and coach, once a round closes.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use trellis_wire::{
    CreateDiagnosticRound, DiagnosticRoundSummary, NominateRaters, Nominee, RaterGroup, RaterStatus, RoundKind,
    RoundStatus, SelfReviewStatus, UpdateDiagnosticRound,
};
use uuid::Uuid;

use crate::api::{self, describe};
use crate::ui::forms::{ErrorSummary, FormErrors};
use crate::ui::labels::Label;
use crate::ui::{date, iso_date, today};

#[component]
pub fn DiagnosticPanel(enrolment: Uuid, rounds: Vec<RoundKind>, groups: Vec<RaterGroup>) -> impl IntoView {
    let auth = api::use_auth();
    let list = RwSignal::new(None::<Vec<DiagnosticRoundSummary>>);
    let message = RwSignal::new(None::<(bool, String)>);
    let reload = move || {
        spawn_local(async move {
            match api::call(auth, |c| async move { c.list_enrolment_diagnostic_rounds(enrolment).await }).await {
                Ok(l) => list.set(Some(l.items)),
                Err(e) => message.set(Some((false, describe(&e)))),
            }
        })
    };
    reload();
    let me = auth.me();
    let may_open = me.as_ref().is_some_and(|m| {
        use trellis_domain::Role;
        matches!(m.role, Role::Participant | Role::Facilitator)
    });
    let opening = RwSignal::new(String::new());
    let open_errors = FormErrors::new();
    let open = move |kind: RoundKind| {
        let Some(closes_on) = iso_date(&opening.get_untracked()) else {
            open_errors.local("closes_on", "Choose the closing date");
            return;
        };
        open_errors.clear();
        spawn_local(async move {
            let body = CreateDiagnosticRound { round: kind, closes_on };
            match api::call(auth, |c| {
                let body = body.clone();
                async move { c.create_diagnostic_round(enrolment, &body).await }
            })
            .await
            {
                Ok(_) => {
                    message.set(Some((true, format!("{} opened.", kind.label()))));
                    reload();
                }
                Err(e) => open_errors.show_error(&e),
            }
        });
    };
    view! {
        <section aria-labelledby="diagnostic-heading">
            <h2 id="diagnostic-heading">"360 diagnostic"</h2>
            {move || message.get().map(|(ok, m)| view! {
                <div class=if ok { "alert success" } else { "alert error" } role="status">{m}</div>
            })}
            {move || match list.get() {
                None => crate::ui::loading(),
                Some(items) => {
                    let missing: Vec<RoundKind> =
                        rounds.iter().copied().filter(|k| !items.iter().any(|r| r.round == *k)).collect();
                    let report = items.iter().any(|r| r.status == RoundStatus::Closed && r.may_read_report);
                    view! {
                        {report.then(|| view! {
                            <p><A href=format!("/enrolments/{enrolment}/360") attr:class="button">"Read the 360 report"</A></p>
                        })}
                        {items.into_iter().map(|r| view! { <RoundCard round=r groups=groups.clone() on_change=Callback::new(move |_| reload())/> }).collect_view()}
                        {(may_open && !missing.is_empty()).then(|| view! {
                            <form class="card" on:submit=move |ev| ev.prevent_default() novalidate>
                                <h3>"Open a round"</h3>
                                <ErrorSummary errors=open_errors/>
                                <div class="field">
                                    <label for="round-closes">"Raters can answer until"</label>
                                    <input id="round-closes" type="date" min=today().to_string()
                                        prop:value=move || opening.get() on:input=move |ev| opening.set(event_target_value(&ev))/>
                                </div>
                                <div class="actions">
                                    {missing.iter().map(|k| {
                                        let k = *k;
                                        view! { <button class="button" type="button" on:click=move |_| open(k)>{format!("Open the {}", k.label().to_lowercase())}</button> }
                                    }).collect_view()}
                                </div>
                            </form>
                        })}
                    }.into_any()
                }
            }}
        </section>
    }
}

#[component]
fn RoundCard(round: DiagnosticRoundSummary, groups: Vec<RaterGroup>, on_change: Callback<()>) -> impl IntoView {
    let auth = api::use_auth();
    let id = round.id;
    let errors = FormErrors::new();
    let busy = RwSignal::new(false);
    let group =
        RwSignal::new(groups.iter().copied().find(|g| *g != RaterGroup::SelfReview).unwrap_or(RaterGroup::Peer));
    let name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let moved = RwSignal::new(round.closes_on.to_string());
    let open = round.status == RoundStatus::Open;
    let closed = round.status == RoundStatus::Closed;
    let act = move |what: &'static str| {
        errors.clear();
        busy.set(true);
        spawn_local(async move {
            let r = match what {
                "invite" => {
                    let body = NominateRaters {
                        raters: vec![Nominee {
                            group: group.get_untracked(),
                            name: name.get_untracked(),
                            email: email.get_untracked(),
                        }],
                    };
                    api::call(auth, |c| {
                        let body = body.clone();
                        async move { c.create_diagnostic_raters(id, &body).await }
                    })
                    .await
                }
                "move" => {
                    let Some(closes_on) = iso_date(&moved.get_untracked()) else {
                        errors.local("closes_on", "Choose a date");
                        busy.set(false);
                        return;
                    };
                    api::call(auth, |c| async move {
                        c.update_diagnostic_round(id, &UpdateDiagnosticRound { closes_on }).await
                    })
                    .await
                }
                _ => api::call(auth, |c| async move { c.close_diagnostic_round(id).await }).await,
            };
            busy.set(false);
            match r {
                Ok(_) => {
                    name.set(String::new());
                    email.set(String::new());
                    on_change.run(());
                }
                Err(e) => errors.show_error(&e),
            }
        });
    };
    let remove = move |rater: Uuid| {
        spawn_local(async move {
            match api::call(auth, |c| async move { c.delete_diagnostic_rater(id, rater).await }).await {
                Ok(_) => on_change.run(()),
                Err(e) => errors.show_error(&e),
            }
        });
    };
    let heading = format!("round-{id}");
    let labelled = heading.clone();
    view! {
        <article class="card round" aria-labelledby=labelled>
            <h3 id=heading>{round.round.label()}" "<span class=format!("badge badge-{}", round.status.as_str())>{round.status.label()}</span></h3>
            <p class="muted">{match round.closed_on {
                Some(d) => format!("Closed on {}.", date(d)),
                None => format!("Raters can answer until {}.", date(round.closes_on)),
            }}" "{format!("Rates {} behaviours and areas. A group other than self and line manager is shown only with {} answers or more.", round.items.len(), round.threshold)}</p>
            <table class="table compact">
                <caption class="visually-hidden">"Answers by group"</caption>
                <thead><tr><th scope="col">"Group"</th><th scope="col">"Answered"</th><th scope="col">"Invited"</th><th scope="col">"Declined"</th><th scope="col">"Needed"</th></tr></thead>
                <tbody>
                    <tr><th scope="row">"Self-review"</th><td colspan="4">{round.self_review.label()}</td></tr>
                    {round.groups.iter().map(|g| view! {
                        <tr class:short=g.answered < g.minimum>
                            <th scope="row">{g.group.label()}</th><td>{g.answered}</td><td>{g.nominated}</td><td>{g.declined}</td><td>{g.minimum}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            {(round.may_self_review && !closed).then(|| view! {
                <p><A href=format!("/diagnostic-rounds/{id}/self-review") attr:class="button secondary">
                    {if round.self_review == SelfReviewStatus::Submitted { "See my self-review" } else { "Write my self-review" }}
                </A></p>
            })}
            {round.raters.clone().filter(|r| !r.is_empty()).map(|raters| view! {
                <h4>"Raters"</h4>
                <ul class="raters">
                    {raters.into_iter().map(|r| {
                        let removable = round.may_run && !closed && r.status != RaterStatus::Answered;
                        let rid = r.id;
                        view! {
                            <li>
                                <span><strong>{r.name.clone()}</strong>" · "{r.group.label()}" · "<span class="muted">{r.email.clone()}</span></span>
                                <span class=format!("badge badge-rater-{}", r.status.as_str())>{r.status.label()}</span>
                                {r.decline_reason.clone().map(|why| view! { <span class="muted small">{format!("“{why}”")}</span> })}
                                {removable.then(|| view! {
                                    <button class="button secondary small" type="button" on:click=move |_| remove(rid)
                                        aria-label=format!("Withdraw the invitation to {}", r.name)>"Withdraw"</button>
                                })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })}
            <ErrorSummary errors=errors/>
            {(round.may_run && open).then(|| {
                let choices: Vec<RaterGroup> = groups.iter().copied().filter(|g| *g != RaterGroup::SelfReview).collect();
                let (n, e, g) = (format!("rater-name-{id}"), format!("rater-email-{id}"), format!("rater-group-{id}"));
                view! {
                    <form class="invite-rater" on:submit=move |ev| { ev.prevent_default(); act("invite"); } novalidate>
                        <h4>"Invite a rater"</h4>
                        <p class="hint">"They are emailed a link of their own; no account is needed."</p>
                        <div class="row">
                            <div class="field">
                                <label for=g.clone()>"Group"</label>
                                <select id=g on:change=move |ev| {
                                    if let Ok(v) = event_target_value(&ev).parse() { group.set(v) }
                                }>
                                    {choices.into_iter().map(|c| view! { <option value=c.as_str() selected=move || group.get() == c>{c.label()}</option> }).collect_view()}
                                </select>
                            </div>
                            <div class="field">
                                <label for=n.clone()>"Name"</label>
                                <input id=n autocomplete="off" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                            </div>
                            <div class="field">
                                <label for=e.clone()>"Email"</label>
                                <input id=e type="email" autocomplete="off" prop:value=move || email.get() on:input=move |ev| email.set(event_target_value(&ev))/>
                            </div>
                        </div>
                        <button class="button" type="submit" disabled=move || busy.get()>"Send the invitation"</button>
                    </form>
                }
            })}
            {(round.may_run && !closed).then(|| {
                let blockers = round.close_blockers.clone();
                let ready = blockers.is_empty();
                let d = format!("round-date-{id}");
                view! {
                    <div class="row end">
                        <div class="field">
                            <label for=d.clone()>"Closing date"</label>
                            <input id=d type="date" prop:value=move || moved.get() on:input=move |ev| moved.set(event_target_value(&ev))/>
                        </div>
                        <button class="button secondary" type="button" disabled=move || busy.get() on:click=move |_| act("move")>"Move the date"</button>
                        <button class="button" type="button" disabled=move || busy.get() || !ready on:click=move |_| act("close")>"Close the round"</button>
                    </div>
                    {(!ready).then(|| view! {
                        <div class="hint"><p>"Before it can close:"</p><ul>{blockers.into_iter().map(|b| view! { <li>{b}</li> }).collect_view()}</ul></div>
                    })}
                }
            })}
        </article>
    }
}
