//! The participant's own 360 review of one round: the raters' questions about themselves, saved
//! as a draft and handed in once.

use leptos::prelude::*;
use leptos::task::spawn_local;
use trellis_wire::{Answers, SaveSelfReview, SelfReview, SelfReviewStatus};

use crate::api::{self};
use crate::components::rating_form::RatingForm;
use crate::ui::forms::{ErrorSummary, FieldError, FormErrors};
use crate::ui::{Load, failed, id_param, loading};

#[component]
pub fn SelfReviewPage() -> impl IntoView {
    let auth = api::use_auth();
    let state = RwSignal::new(Load::<SelfReview>::Loading);
    let answers = RwSignal::new(Answers::default());
    let id = id_param();
    match id {
        None => state.set(Load::Failed("This is not a valid address.".into())),
        Some(id) => spawn_local(async move {
            let r = api::call(auth, |c| async move { c.get_diagnostic_self_review(id).await }).await;
            if let Ok(s) = &r {
                answers.set(s.answers.clone());
            }
            state.set(r.into());
        }),
    }
    let errors = FormErrors::new();
    let busy = RwSignal::new(false);
    let saved = RwSignal::new(None::<&'static str>);
    let send = move |submit: bool| {
        let Some(id) = id else { return };
        errors.clear();
        busy.set(true);
        spawn_local(async move {
            let body = SaveSelfReview { answers: answers.get_untracked(), submit };
            let r = api::call(auth, |c| {
                let body = body.clone();
                async move { c.update_diagnostic_self_review(id, &body).await }
            })
            .await;
            match r {
                Ok(s) => {
                    saved.set(Some(if submit { "Handed in." } else { "Draft saved." }));
                    state.set(Load::Ready(s));
                }
                Err(e) => errors.show_error(&e),
            }
            busy.set(false);
        });
    };
    view! {
        <h1>"My 360 self-review"</h1>
        <p class="muted">"Rate yourself on the same questions your raters answer. Your coach sees your view beside theirs in the report."</p>
        {move || match state.get() {
            Load::Loading => loading(),
            Load::Failed(m) => failed(m),
            Load::Ready(s) => {
                let locked = s.status == SelfReviewStatus::Submitted;
                view! {
                    <ErrorSummary errors=errors/>
                    {move || saved.get().map(|m| view! { <div class="alert success" role="status">{m}</div> })}
                    {locked.then(|| view! { <p class="alert">"Your self-review is handed in."</p> })}
                    <form class="card" on:submit=move |ev| { ev.prevent_default(); send(true); } novalidate>
                        <RatingForm items=s.items.clone() answers about="you".to_owned() disabled=Signal::derive(move || busy.get() || locked)/>
                        <FieldError errors=errors field="ratings"/>
                        {(!locked).then(|| view! {
                            <div class="actions">
                                <button class="button" type="submit" disabled=move || busy.get()>"Hand in my self-review"</button>
                                <button class="button secondary" type="button" disabled=move || busy.get() on:click=move |_| send(false)>"Save draft"</button>
                            </div>
                        })}
                    </form>
                }.into_any()
            }
        }}
    }
}
