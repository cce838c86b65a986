//! An enrolment's portfolio: each entry with its state and history; the participant writes,
//! submits and withdraws; the coach or a tutor verifies or returns with comments. Those who see
//! only states see only states.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use trellis_domain::portfolio::{EntryMove, EntryState};
use trellis_domain::rules::definition::{PortfolioEntryKind, SessionKind};
use trellis_wire::{
    AttendanceRecord, Enrolment, PortfolioEntry, Programme, ReturnPortfolioEntry, VerifyPortfolioEntry,
};
use uuid::Uuid;

use crate::api;
use crate::components::entry_editor::EntryEditor;
use crate::components::evidence_files::EvidenceFiles;
use crate::ui::labels::Label;
use crate::ui::poster::poster_view;
use crate::ui::{Load, date, failed, id_param, loading};

#[derive(Clone)]
struct View {
    enrolment: Enrolment,
    programme: Programme,
    entries: Vec<PortfolioEntry>,
    attended: Vec<AttendanceRecord>,
}

/// Which editor is open: none, a new entry, or one entry.
#[derive(Clone, Copy, PartialEq)]
enum Editing {
    None,
    New,
    Entry(Uuid),
}

#[component]
pub fn PortfolioPage() -> impl IntoView {
    let auth = api::use_auth();
    let state = RwSignal::new(Load::<View>::Loading);
    let editing = RwSignal::new(Editing::None);
    let notice = RwSignal::new(None::<String>);
    let id = id_param();
    let load = move || {
        let Some(id) = id else {
            state.set(Load::Failed("This is not a valid portfolio address.".into()));
            return;
        };
        spawn_local(async move {
            let r = api::call(auth, |c| async move {
                let enrolment = c.get_enrolment(id).await?;
                let cohort = c.get_cohort(enrolment.cohort_id).await?;
                let programme = c.get_programme(cohort.programme_id).await?;
                let entries = c.list_portfolio_entries(id).await?.items;
                let attended = c.list_attendance(id).await.map(|l| l.items).unwrap_or_default();
                Ok(View { enrolment, programme, entries, attended })
            })
            .await;
            state.set(r.into());
        });
    };
    load();
    let reload = Callback::new(move |()| load());
    let saved = Callback::new(move |_e: PortfolioEntry| {
        editing.set(Editing::None);
        notice.set(Some("Saved.".into()));
        load();
    });
    view! {
        {move || match state.get() {
            Load::Loading => loading(),
            Load::Failed(m) => view! { <h1>"Portfolio"</h1> {failed(m)} }.into_any(),
            Load::Ready(v) => {
                let mine = auth.me().is_some_and(|m| m.person_id == Some(v.enrolment.person_id));
                let rule = v.programme.definition.portfolio.clone();
                let reflect_on: Option<SessionKind> = rule.as_ref().and_then(|r| r.reflections.as_ref()).map(|r| r.on);
                let asks = rule.map(|r| {
                    let mut out = vec![];
                    if let Some(x) = r.reflections {
                        let led = if x.led_by_participant_min > 0 { format!(", at least {} on one you led", x.led_by_participant_min) } else { String::new() };
                        out.push(format!("{} reflections on {}s{led}", x.count, x.on.as_str().replace('_', " ")));
                    }
                    out.extend(r.entries.iter().map(|k| format!("an {}", k.label().to_lowercase())));
                    out.join("; ")
                });
                let enrolment_id = v.enrolment.id;
                let attended = v.attended.clone();
                let name = v.enrolment.person_name.clone();
                let crumb = if mine { "My programme".to_owned() } else { name.clone() };
                let heading = if mine { "My portfolio".to_owned() } else { format!("{name}'s portfolio") };
                view! {
                    <p class="breadcrumb"><A href=format!("/enrolments/{}", v.enrolment.id)>{crumb}</A></p>
                    <h1>{heading}</h1>
                    {asks.map(|a| view! { <p class="lead">{format!("{} asks for: {a}.", v.programme.name)}</p> })}
                    {move || notice.get().map(|m| view! { <div class="alert success" role="status">{m}</div> })}
                    {mine.then(|| {
                        let attended = attended.clone();
                        view! {
                            <Show when=move || editing.get() != Editing::New fallback=move || view! {
                                <h2>"New entry"</h2>
                                <EntryEditor enrolment=enrolment_id existing=None attended=attended.clone() reflect_on saved/>
                                <button class="button secondary" type="button" on:click=move |_| editing.set(Editing::None)>"Cancel"</button>
                            }>
                                <button class="button" type="button" on:click=move |_| editing.set(Editing::New)>"New entry"</button>
                            </Show>
                        }
                    })}
                    {if v.entries.is_empty() {
                        view! { <p class="empty">{if mine { "Nothing in your portfolio yet." } else { "Nothing in this portfolio yet." }}</p> }.into_any()
                    } else {
                        view! {
                            <ul class="entries">{v.entries.iter().map(|e| entry_view(e.clone(), name.clone(), attended.clone(), reflect_on, editing, saved, reload, notice)).collect_view()}</ul>
                        }.into_any()
                    }}
                }.into_any()
            }
        }}
    }
}

#[allow(clippy::too_many_arguments)]
fn entry_view(
    e: PortfolioEntry,
    participant: String,
    attended: Vec<AttendanceRecord>,
    reflect_on: Option<SessionKind>,
    editing: RwSignal<Editing>,
    saved: Callback<PortfolioEntry>,
    reload: Callback<()>,
    notice: RwSignal<Option<String>>,
) -> impl IntoView {
    let auth = api::use_auth();
    let id = e.id;
    let comment = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let act = move |m: EntryMove| {
        let text = comment.get_untracked();
        if m == EntryMove::Return && text.trim().is_empty() {
            problem.set(Some("Say what to change before returning it.".into()));
            return;
        }
        problem.set(None);
        spawn_local(async move {
            let r = api::call(auth, |c| {
                let text = text.clone();
                async move {
                    match m {
                        EntryMove::Submit => c.submit_portfolio_entry(id).await,
                        EntryMove::Withdraw => c.withdraw_portfolio_entry(id).await,
                        EntryMove::Verify => {
                            let body = VerifyPortfolioEntry { comment: (!text.trim().is_empty()).then_some(text) };
                            c.verify_portfolio_entry(id, &body).await
                        }
                        EntryMove::Return => {
                            c.return_portfolio_entry(id, &ReturnPortfolioEntry { comment: text }).await
                        }
                    }
                }
            })
            .await;
            match r {
                Ok(done) => {
                    notice.set(Some(format!("{}: {}.", done.kind.label(), done.state.label().to_lowercase())));
                    reload.run(());
                }
                Err(err) => problem.set(Some(api::describe(&err))),
            }
        });
    };
    let verifier = e.moves.iter().any(|m| matches!(m, EntryMove::Verify | EntryMove::Return));
    let heading = e.content.as_ref().map(|c| c.title.clone()).unwrap_or_else(|| e.kind.label().to_owned());
    let state = e.state;
    let moves = e.moves.clone();
    let entry_for_editor = e.clone();
    let comment_id = format!("comment-{}", id.simple());
    view! {
        <li class="card entry">
            <div class="entry-head">
                <h2>{heading}</h2>
                <span class=format!("badge entry-{}", state.as_str())>{state.label()}</span>
            </div>
            <p class="muted small">
                {e.kind.label()}
                {e.submitted_at.map(|t| format!(" · submitted {}", date(t.date_naive())))}
                {e.verified_at.map(|t| format!(" · verified {}", date(t.date_naive())))}
            </p>
            {match e.content.clone() {
                None => view! { <p class="muted">"Only its state is shown to you."</p> }.into_any(),
                Some(c) => view! {
                    {c.session.map(|s| view! {
                        <p class="muted">{format!("On {} ({}){}", s.title, date(s.starts_at.date_naive()), if s.led_by_participant { ", which they led" } else { "" })}</p>
                    })}
                    {(!c.body.is_empty()).then(|| view! { <div class="entry-body">{c.body.clone()}</div> })}
                    {c.poster.map(|p| poster_view(c.title.clone(), participant.clone(), &p))}
                    {(e.kind == PortfolioEntryKind::EvidenceItem || !c.files.is_empty()).then(|| view! {
                        <EvidenceFiles entry=id files=c.files.clone() editable=e.editable changed=reload/>
                    })}
                    {(!c.history.is_empty()).then(|| view! {
                        <details>
                            <summary>"History"</summary>
                            <ul class="plain">{c.history.into_iter().map(|h| view! {
                                <li>{format!("{} by {}, {}", h.action.label(), h.by, date(h.at.date_naive()))}
                                    {h.comment.map(|x| view! { <blockquote>{x}</blockquote> })}
                                </li>
                            }).collect_view()}</ul>
                        </details>
                    })}
                }.into_any(),
            }}
            {move || problem.get().map(|m| view! { <div class="alert error" role="alert">{m}</div> })}
            {verifier.then(|| view! {
                <div class="field">
                    <label for=comment_id.clone()>"Comment (needed to return it)"</label>
                    <textarea id=comment_id.clone() rows="2" maxlength="5000" prop:value=move || comment.get()
                        on:input=move |ev| comment.set(event_target_value(&ev))></textarea>
                </div>
            })}
            <div class="row">
                {moves.into_iter().map(|m| {
                    let class = if m == EntryMove::Return || m == EntryMove::Withdraw { "button secondary" } else { "button" };
                    view! { <button class=class type="button" on:click=move |_| act(m)>{m.label()}</button> }
                }).collect_view()}
                {(e.editable).then(|| view! {
                    <button class="button secondary" type="button" on:click=move |_| editing.set(Editing::Entry(id))>"Edit"</button>
                })}
                {(e.editable && state == EntryState::Draft).then(|| view! {
                    <button class="button danger" type="button" on:click=move |_| {
                        spawn_local(async move {
                            match api::call(auth, |c| async move { c.delete_portfolio_entry(id).await }).await {
                                Ok(()) => reload.run(()),
                                Err(err) => problem.set(Some(api::describe(&err))),
                            }
                        });
                    }>"Delete draft"</button>
                })}
            </div>
            <Show when=move || editing.get() == Editing::Entry(id)>
                <EntryEditor enrolment=e.enrolment_id existing=Some(entry_for_editor.clone()) attended=attended.clone() reflect_on saved/>
            </Show>
        </li>
    }
}
