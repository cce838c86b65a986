//! The email outbox (platform admins): what went, what waits, what failed.

use leptos::prelude::*;
use leptos::task::spawn_local;
use trellis_wire::{ListParams, OutboxMessage, OutboxStatus};

use crate::api::{self};
use crate::ui::{Load, clock, date, failed, human, loading};

fn status_text(m: &OutboxMessage) -> String {
    match m.status {
        OutboxStatus::Sent => {
            format!("Sent {}", m.sent_at.map(|t| format!("{} {}", date(t), clock(t))).unwrap_or_default())
        }
        OutboxStatus::Failed => "Failed: no more retries".into(),
        OutboxStatus::Pending if m.attempts == 0 => "Waiting".into(),
        OutboxStatus::Pending => format!("Retrying (attempt {} failed)", m.attempts),
    }
}

#[component]
pub fn Outbox() -> impl IntoView {
    let auth = api::use_auth();
    let state = RwSignal::new(Load::<Vec<OutboxMessage>>::Loading);
    let load = move || {
        spawn_local(async move {
            let params = ListParams { limit: Some(100), ..Default::default() };
            let r = api::call(auth, |c| {
                let params = params.clone();
                async move { c.list_outbox(&params).await }
            })
            .await;
            state.set(r.map(|p| p.items).into());
        })
    };
    load();
    view! {
        <h1>"Outbox"</h1>
        <p class="lead">"Every email Trellis sends, newest first. Without an SMTP server (TRELLIS_SMTP_URL) messages wait here."</p>
        <p><button class="button secondary small" type="button" on:click=move |_| load()>"Refresh"</button></p>
        {move || match state.get() {
            Load::Loading => loading(),
            Load::Failed(m) => failed(m),
            Load::Ready(items) if items.is_empty() => view! { <p class="empty">"No email yet."</p> }.into_any(),
            Load::Ready(items) => view! {
                <ul class="plain outbox">
                    {items.into_iter().map(|m| view! {
                        <li class="card">
                            <details>
                                <summary>
                                    <strong>{m.subject.clone()}</strong>
                                    <span class="muted">{format!(" · to {} · {}", m.to, human(&m.kind))}</span>
                                </summary>
                                <p class="small">{format!("Queued {} {}", date(m.created_at), clock(m.created_at))}</p>
                                {m.last_error.clone().map(|e| view! { <p class="small field-error">{format!("Last error: {e}")}</p> })}
                                {match m.text_body.clone() {
                                    Some(body) => view! { <pre class="mail-body">{body}</pre> }.into_any(),
                                    None => view! { <p class="muted small">"The body holds a sign-in secret and is not shown."</p> }.into_any(),
                                }}
                            </details>
                            <p class="small">{status_text(&m)}</p>
                        </li>
                    }).collect_view()}
                </ul>
            }.into_any(),
        }}
    }
}
