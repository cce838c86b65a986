//! Calendar feed subscription.

use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use crate::api::{self, describe};

/// Creates a calendar subscription and shows its URL (once).
#[component]
pub fn Subscribe(cohort: Option<Uuid>) -> impl IntoView {
    let auth = api::use_auth();
    let url = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let create = move |_| {
        spawn_local(async move {
            match api::call(auth, |c| async move { c.create_calendar_feed(cohort).await }).await {
                Ok(feed) => url.set(feed.url),
                Err(e) => error.set(Some(describe(&e))),
            }
        })
    };
    view! {
        <div class="subscribe">
            {move || match url.get() {
                None => view! { <button type="button" class="button secondary small" id="subscribe" on:click=create>"Subscribe to calendar"</button> }.into_any(),
                Some(u) => {
                    let webcal = u.replacen("http://", "webcal://", 1).replacen("https://", "webcal://", 1);
                    view! {
                        <div class="field">
                            <label for="feed-url">"Calendar address: paste into Outlook, Google or Apple Calendar (keep it private)"</label>
                            <input id="feed-url" readonly prop:value=u.clone()/>
                            <a href=webcal>"Open in my calendar app"</a>
                        </div>
                    }.into_any()
                }
            }}
            {move || error.get().map(|m| view! { <div class="alert error" role="alert">{m}</div> })}
        </div>
    }
}
