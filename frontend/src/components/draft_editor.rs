//! The participant's report draft, with the domain's live word count.

use leptos::prelude::*;
use leptos::task::spawn_local;
use trellis_domain::rules::progress::thousands;
use trellis_domain::rules::word_count;
use trellis_wire::ReportDraft;
use uuid::Uuid;

use crate::api::{self, describe};
use crate::ui::{clock, date};

#[component]
pub fn DraftEditor(enrolment: Uuid, limit: Option<u32>) -> impl IntoView {
    let auth = api::use_auth();
    let text = RwSignal::new(String::new());
    let saved = RwSignal::new(None::<ReportDraft>);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    // The draft's version as loaded or last saved: a save from an older tab is refused.
    let version = RwSignal::new(None::<String>);
    spawn_local(async move {
        if let Ok(d) = api::call(auth, |c| async move { c.get_report_draft_versioned(enrolment).await }).await {
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
                async move { c.update_report_draft_if(enrolment, &body, based_on.as_deref()).await }
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
                        date(at),
                        clock(at),
                        thousands(d.words.into())
                    )))}
                </p>
            </div>
        </section>
    }
}
