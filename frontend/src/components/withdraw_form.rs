//! Withdrawing an enrolment: the reason, and details when it is "other".

use leptos::prelude::*;
use leptos::task::spawn_local;
use trellis_domain::enrolment::WithdrawalReasonKind;
use trellis_wire::Enrolment;

use crate::api::{self, Auth, describe};
use crate::ui::labels::Label;

#[component]
pub fn WithdrawForm(
    enrolment: Enrolment,
    withdrawing: RwSignal<Option<Enrolment>>,
    notice: RwSignal<Option<(bool, String)>>,
    on_done: impl Fn(Enrolment) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let auth: Auth = api::use_auth();
    let reason = RwSignal::new(WithdrawalReasonKind::LeftSchool);
    let details = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let id = enrolment.id;
    let name = enrolment.person_name.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (kind, text) = (reason.get_untracked(), details.get_untracked());
        // The same rule the server applies, checked here first so the form can say so at once.
        if let Err(e) = trellis_domain::enrolment::WithdrawalReason::parse(kind, Some(&text)) {
            error.set(Some(e.to_string()));
            return;
        }
        busy.set(true);
        spawn_local(async move {
            let text = (!text.trim().is_empty()).then_some(text);
            let r = api::call(auth, |c| {
                let text = text.clone();
                async move { c.withdraw_enrolment(id, kind, text.as_deref()).await }
            })
            .await;
            busy.set(false);
            match r {
                Ok(updated) => {
                    notice.set(Some((true, format!("{} has been withdrawn.", updated.person_name))));
                    on_done(updated);
                    withdrawing.set(None);
                }
                Err(e) => error.set(Some(describe(&e))),
            }
        });
    };
    view! {
        <section class="card panel" aria-labelledby="withdraw-title">
            <h2 id="withdraw-title">{format!("Withdraw {name}")}</h2>
            <p class="muted">"Withdrawal is final, but nothing is deleted: the record and its history are kept."</p>
            {move || error.get().map(|m| view! { <div class="alert error" role="alert">{m}</div> })}
            <form on:submit=submit>
                <div class="field">
                    <label for="withdraw-reason">"Reason"</label>
                    <select id="withdraw-reason"
                        on:change=move |ev| {
                            if let Ok(k) = event_target_value(&ev).parse::<WithdrawalReasonKind>() { reason.set(k) }
                        }>
                        {WithdrawalReasonKind::ALL.iter().map(|k| view! {
                            <option value=k.as_str() selected=move || reason.get() == *k>{k.label()}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="withdraw-details">
                        "Details "
                        <span class="muted">{move || if reason.get() == WithdrawalReasonKind::Other { "(required)" } else { "(optional)" }}</span>
                    </label>
                    <textarea id="withdraw-details" rows="3" maxlength="2000"
                        prop:value=move || details.get()
                        on:input=move |ev| details.set(event_target_value(&ev))></textarea>
                </div>
                <div class="row">
                    <button class="button danger" type="submit" disabled=move || busy.get()>"Confirm withdrawal"</button>
                    <button class="button secondary" type="button" on:click=move |_| withdrawing.set(None)>"Cancel"</button>
                </div>
            </form>
        </section>
    }
}
