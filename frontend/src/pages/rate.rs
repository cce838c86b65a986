//! A 360 rater's page, from their emailed link (`/rate#token=…`): no account, signed in or not.
//! They rate, save and come back, hand in once, or decline with a reason.

use leptos::prelude::*;
use leptos::task::spawn_local;
use trellis_wire::{Answers, DeclineRating, LinkToken, RaterAnswers, RaterForm, RaterGroup, RaterStatus};

use crate::api::{self};
use crate::components::rating_form::RatingForm;
use crate::ui::forms::{ErrorSummary, FieldError, FormErrors};
use crate::ui::labels::Label;
use crate::ui::{Load, date, failed, loading};

#[derive(Clone, Copy, PartialEq)]
enum Done {
    No,
    Saved,
    Submitted,
    Declined,
}

#[component]
pub fn RatePage() -> impl IntoView {
    let token = StoredValue::new(api::link_token());
    let state = RwSignal::new(Load::<RaterForm>::Loading);
    let answers = RwSignal::new(Answers::default());
    match token.get_value() {
        None => state.set(Load::Failed("This link is incomplete: open it again from the email.".into())),
        Some(t) => spawn_local(async move {
            let r = api::base().open_rater_link(&LinkToken { token: t }).await;
            if let Ok(f) = &r {
                answers.set(f.answers.clone());
            }
            state.set(r.into());
        }),
    }
    let errors = FormErrors::new();
    let busy = RwSignal::new(false);
    let done = RwSignal::new(Done::No);
    let reason = RwSignal::new(String::new());
    let send = move |submit: bool| {
        let Some(token) = token.get_value() else { return };
        errors.clear();
        busy.set(true);
        spawn_local(async move {
            let body = RaterAnswers { token, answers: answers.get_untracked() };
            let r = if submit {
                api::base().submit_rater_answers(&body).await
            } else {
                api::base().save_rater_answers(&body).await
            };
            match r {
                Ok(_) => done.set(if submit { Done::Submitted } else { Done::Saved }),
                Err(e) => errors.show_error(&e),
            }
            busy.set(false);
        });
    };
    let decline = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(token) = token.get_value() else { return };
        let why = reason.get_untracked();
        if why.trim().is_empty() {
            errors.local("reason", "Say in a few words why you are declining");
            return;
        }
        errors.clear();
        busy.set(true);
        spawn_local(async move {
            match api::base().decline_rater_request(&DeclineRating { token, reason: why }).await {
                Ok(_) => done.set(Done::Declined),
                Err(e) => errors.show_error(&e),
            }
            busy.set(false);
        });
    };
    view! {
        <div class="rate">
            <p class="brand big">"Trellis"</p>
            {move || match state.get() {
                Load::Loading => loading(),
                Load::Failed(m) => view! { <h1>"360 leadership review"</h1> {failed(m)} }.into_any(),
                Load::Ready(f) => {
                    let first = f.participant_name.split(' ').next().unwrap_or("them").to_owned();
                    let named = f.group == RaterGroup::LineManager;
                    let closed = f.status == RaterStatus::Answered || f.status == RaterStatus::Declined;
                    view! {
                        <h1>{format!("{}'s 360 leadership review", f.participant_name)}</h1>
                        <p>{format!("Dear {}, {} is on {} and asked for your view as their {}.", f.rater_name, first, f.programme_name, f.group.label().to_lowercase().trim_end_matches('s'))}</p>
                        <p class="muted">{if named {
                            format!("Your answers are shown as the line manager's. The review closes on {}.", date(f.closes_on))
                        } else {
                            format!("Your answers are combined with at least {} others' and never shown as yours; your words are shown without your name. The review closes on {}.", f.threshold - 1, date(f.closes_on))
                        }}</p>
                        {move || match done.get() {
                            Done::Submitted => view! {
                                <div class="alert success" role="status"><h2>"Thank you"</h2><p>"Your answers are in. You can close this page."</p></div>
                            }.into_any(),
                            Done::Declined => view! {
                                <div class="alert success" role="status"><p>"You have declined. Thank you for letting us know."</p></div>
                            }.into_any(),
                            _ => ().into_any(),
                        }}
                        {(!closed).then(|| {
                            let items = f.items.clone();
                            let about = first.clone();
                            view! {
                                <div hidden=move || matches!(done.get(), Done::Submitted | Done::Declined)>
                                    <ErrorSummary errors=errors/>
                                    {move || (done.get() == Done::Saved).then(|| view! {
                                        <div class="alert success" role="status">"Saved. Come back with the same link to finish."</div>
                                    })}
                                    <form class="card" on:submit=move |ev| { ev.prevent_default(); send(true); } novalidate>
                                        <RatingForm items=items.clone() answers about=about.clone() disabled=busy.into()/>
                                        <FieldError errors=errors field="ratings"/>
                                        <div class="actions">
                                            <button class="button" type="submit" disabled=move || busy.get()>"Hand in my answers"</button>
                                            <button class="button secondary" type="button" disabled=move || busy.get() on:click=move |_| send(false)>"Save and come back later"</button>
                                        </div>
                                    </form>
                                    <details class="card">
                                        <summary>"I would rather not take part"</summary>
                                        <form on:submit=decline novalidate>
                                            <div class="field" class:has-error=move || errors.of("reason").is_some()>
                                                <label for="reason">"Why? (shown to the participant)"</label>
                                                <FieldError errors=errors field="reason"/>
                                                <textarea id="reason" rows="3" maxlength="2000" aria-describedby="reason-error"
                                                    prop:value=move || reason.get()
                                                    on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                                            </div>
                                            <button class="button secondary" type="submit" disabled=move || busy.get()>"Decline"</button>
                                        </form>
                                    </details>
                                </div>
                            }
                        })}
                    }.into_any()
                }
            }}
        </div>
    }
}
