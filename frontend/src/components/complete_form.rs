//! Completing an enrolment whose requirements are not all met: the facilitator sees which ones
//! and says why it is complete anyway (the reason is recorded with the move).

use leptos::prelude::*;
use leptos::task::spawn_local;
use trellis_wire::{Enrolment, FieldError};

use crate::api::{self, describe};
use crate::ui::forms::{ErrorSummary, FieldError as FieldMessage, FormErrors};

#[component]
pub fn CompleteForm(
    enrolment: Enrolment,
    /// The requirements the server said are not met.
    unmet: Vec<FieldError>,
    completing: RwSignal<Option<(Enrolment, Vec<FieldError>)>>,
    notice: RwSignal<Option<(bool, String)>>,
    on_done: impl Fn(Enrolment) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let auth = api::use_auth();
    let reason = RwSignal::new(String::new());
    let errors = FormErrors::new();
    let busy = RwSignal::new(false);
    let id = enrolment.id;
    let name = enrolment.person_name.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = reason.get_untracked().trim().to_owned();
        if text.is_empty() {
            errors
                .local("override_reason", "Say why this enrolment is complete although these requirements are not met");
            return;
        }
        busy.set(true);
        spawn_local(async move {
            let r = api::call(auth, |c| {
                let text = text.clone();
                async move { c.complete_enrolment(id, Some(&text)).await }
            })
            .await;
            busy.set(false);
            match r {
                Ok(updated) => {
                    notice.set(Some((true, format!("{}: completed; the reason is recorded.", updated.person_name))));
                    on_done(updated);
                    completing.set(None);
                }
                Err(e) => {
                    errors.show_error(&e);
                    notice.set(Some((false, describe(&e))));
                }
            }
        });
    };
    view! {
        <section class="card panel" aria-labelledby="complete-title">
            <h2 id="complete-title">{format!("Complete {name}?")}</h2>
            <p>"These requirements of the programme are not met yet:"</p>
            <ul>
                {unmet.into_iter().map(|r| view! { <li data-requirement=r.field.clone()>{r.message}</li> }).collect_view()}
            </ul>
            <ErrorSummary errors=errors/>
            <form on:submit=submit novalidate>
                <div class="field" class:has-error=move || errors.of("override_reason").is_some()>
                    <label for="override_reason">"Why is it complete anyway?"</label>
                    <p class="hint" id="override_reason-hint">"Recorded with the completion, for the trust and for audit."</p>
                    <FieldMessage errors=errors field="override_reason"/>
                    <textarea id="override_reason" rows="3" maxlength="2000" aria-describedby="override_reason-hint override_reason-error"
                        prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                </div>
                <div class="row">
                    <button class="button" type="submit" disabled=move || busy.get()>"Complete with this reason"</button>
                    <button class="button secondary" type="button" on:click=move |_| completing.set(None)>"Cancel"</button>
                </div>
            </form>
        </section>
    }
}
