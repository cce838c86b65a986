//! Writing a portfolio entry: a new one of a kind the participant chooses, or changing a draft or
//! a returned entry. A reflection names a session the participant attended; an impact poster has
//! its five panels and themes, previewed as the poster it will be. What a submission needs is the
//! domain's rule, shown as the participant writes.

use leptos::prelude::*;
use leptos::task::spawn_local;
use trellis_domain::portfolio::{EntryContent, POSTER_PANELS, PosterTheme, submit_faults};
use trellis_domain::rules::definition::{PortfolioEntryKind, SessionKind};
use trellis_domain::rules::word_count;
use trellis_wire::{AttendanceRecord, CreatePortfolioEntry, PortfolioEntry, Poster, UpdatePortfolioEntry};
use uuid::Uuid;

use crate::api;
use crate::ui::forms::{ErrorSummary, FieldError, FormErrors};
use crate::ui::labels::Label;
use crate::ui::poster::poster_view;
use crate::ui::{date, human};

/// The editor. `existing`: the entry being changed (its kind fixed); otherwise a new entry.
#[component]
pub fn EntryEditor(
    enrolment: Uuid,
    existing: Option<PortfolioEntry>,
    /// Sessions the participant attended, to reflect on.
    attended: Vec<AttendanceRecord>,
    /// The kind of session the programme's reflections are on, if it says.
    reflect_on: Option<SessionKind>,
    saved: Callback<PortfolioEntry>,
) -> impl IntoView {
    let auth = api::use_auth();
    let content = existing.as_ref().and_then(|e| e.content.clone());
    let kind = RwSignal::new(existing.as_ref().map(|e| e.kind).unwrap_or(PortfolioEntryKind::Reflection));
    let title = RwSignal::new(content.as_ref().map(|c| c.title.clone()).unwrap_or_default());
    let body = RwSignal::new(content.as_ref().map(|c| c.body.clone()).unwrap_or_default());
    let session = RwSignal::new(content.as_ref().and_then(|c| c.session.as_ref().map(|s| s.id)));
    let poster = RwSignal::new(content.as_ref().and_then(|c| c.poster.clone()).unwrap_or_default());
    let shared = RwSignal::new(content.as_ref().is_some_and(|c| c.shared));
    let files = content.as_ref().map(|c| c.files.len()).unwrap_or(0);
    let errors = FormErrors::new();
    let busy = RwSignal::new(false);
    let existing_id = existing.as_ref().map(|e| e.id);
    let key = StoredValue::new(existing_id.map(|i| i.simple().to_string()).unwrap_or_else(|| "new".into()));
    let ids = move |f: &str| format!("{f}-{}", key.get_value());
    let attended: Vec<AttendanceRecord> = attended.into_iter().filter(|a| a.counted).collect();
    // What a submission would still need, as the domain decides it.
    let missing = Memo::new(move |_| {
        let p = poster.get();
        let panels = [&p.focus, &p.issues, &p.actions, &p.impact, &p.desired_outcomes];
        let c = EntryContent {
            kind: kind.get(),
            words: body.with(|b| word_count(b)) + panels.iter().map(|t| word_count(t)).sum::<usize>(),
            has_session: session.get().is_some(),
            files,
            poster_panels: panels.iter().filter(|t| word_count(t) > 0).count(),
            poster_themes: p.themes.len(),
        };
        submit_faults(&c).into_iter().map(|f| f.message).collect::<Vec<_>>()
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if title.get_untracked().trim().is_empty() {
            errors.local("title", "Give the entry a title");
            return;
        }
        errors.clear();
        busy.set(true);
        let k = kind.get_untracked();
        let poster_value = (k == PortfolioEntryKind::ImpactPoster).then(|| poster.get_untracked());
        let session_value = if k == PortfolioEntryKind::Reflection { session.get_untracked() } else { None };
        let (t, b, s) = (title.get_untracked(), body.get_untracked(), shared.get_untracked());
        spawn_local(async move {
            let r = api::call(auth, |c| {
                let (t, b, p) = (t.clone(), b.clone(), poster_value.clone());
                async move {
                    match existing_id {
                        Some(id) => {
                            let u = UpdatePortfolioEntry {
                                title: t,
                                body: b,
                                session_id: session_value,
                                poster: p,
                                shared: s,
                            };
                            c.update_portfolio_entry(id, &u).await
                        }
                        None => {
                            let n = CreatePortfolioEntry {
                                kind: k,
                                title: t,
                                body: b,
                                session_id: session_value,
                                poster: p,
                                shared: s,
                            };
                            c.create_portfolio_entry(enrolment, &n).await
                        }
                    }
                }
            })
            .await;
            busy.set(false);
            match r {
                Ok(e) => saved.run(e),
                Err(e) => errors.show_error(&e),
            }
        });
    };
    let panel = move |field: &'static str,
                      label: &'static str,
                      get: fn(&Poster) -> String,
                      set: fn(&mut Poster, String)| {
        let id = ids(field);
        view! {
            <div class="field">
                <label for=id.clone()>{label}</label>
                <textarea id=id rows="3" maxlength="1500" prop:value=move || poster.with(get)
                    on:input=move |ev| { let v = event_target_value(&ev); poster.update(|p| set(p, v)); }></textarea>
            </div>
        }
    };
    view! {
        <form class="card editor" on:submit=submit novalidate>
            <ErrorSummary errors=errors/>
            {existing_id.is_none().then(|| view! {
                <div class="field">
                    <label for=ids("kind")>"Kind of entry"</label>
                    <select id=ids("kind") on:change=move |ev| { if let Ok(k) = event_target_value(&ev).parse() { kind.set(k) } }>
                        {PortfolioEntryKind::ALL.iter().map(|k| { let k = *k; view! {
                            <option value=k.as_str() selected=move || kind.get() == k>{k.label()}</option>
                        }}).collect_view()}
                    </select>
                </div>
            })}
            <div class="field" class:has-error=move || errors.of("title").is_some()>
                <label for="title">"Title"</label>
                <FieldError errors=errors field="title"/>
                <input id="title" type="text" maxlength="200" prop:value=move || title.get() on:input=move |ev| title.set(event_target_value(&ev))/>
            </div>
            <Show when=move || kind.get() == PortfolioEntryKind::Reflection>
                <div class="field" class:has-error=move || errors.of("session_id").is_some()>
                    <label for="session_id">"The session it reflects on"</label>
                    {reflect_on.map(|k| view! { <p class="hint">{format!("This programme's reflections are on {}s you attended.", human(k.as_str()).to_lowercase())}</p> })}
                    <FieldError errors=errors field="session_id"/>
                    <select id="session_id" on:change=move |ev| session.set(Uuid::parse_str(&event_target_value(&ev)).ok())>
                        <option value="">"Choose a session"</option>
                        {attended.iter().filter(|a| reflect_on.is_none_or(|k| a.kind == k)).map(|a| { let sid = a.session_id; view! {
                            <option value=sid.to_string() selected=move || session.get() == Some(sid)>
                                {format!("{} — {}", a.session_title, date(a.starts_at.date_naive()))}
                            </option>
                        }}).collect_view()}
                    </select>
                </div>
            </Show>
            <Show when=move || kind.get() != PortfolioEntryKind::ImpactPoster>
                <div class="field" class:has-error=move || errors.of("body").is_some()>
                    <label for="body">{move || match kind.get() {
                        PortfolioEntryKind::EvidenceItem => "Commentary on the evidence",
                        PortfolioEntryKind::AnalyticalStory => "The story of your work-based activity",
                        _ => "Your reflection",
                    }}</label>
                    <FieldError errors=errors field="body"/>
                    <textarea id="body" rows="8" maxlength="50000" prop:value=move || body.get() on:input=move |ev| body.set(event_target_value(&ev))></textarea>
                    <p class="word-count" aria-live="polite">{move || format!("{} words", body.with(|b| word_count(b)))}</p>
                </div>
            </Show>
            <Show when=move || kind.get() == PortfolioEntryKind::ImpactPoster>
                <div class="poster-editor">
                    <div>
                        {panel("focus", "Focus", |p| p.focus.clone(), |p, v| p.focus = v)}
                        {panel("issues", "Issues", |p| p.issues.clone(), |p, v| p.issues = v)}
                        {panel("actions", "Actions", |p| p.actions.clone(), |p, v| p.actions = v)}
                        {panel("impact", "Impact", |p| p.impact.clone(), |p, v| p.impact = v)}
                        {panel("desired_outcomes", "Desired outcomes", |p| p.desired_outcomes.clone(), |p, v| p.desired_outcomes = v)}
                        <fieldset class="themes">
                            <legend>"Themes"</legend>
                            {PosterTheme::ALL.iter().map(|t| { let t = *t; let id = ids(t.as_str()); let for_id = id.clone(); view! {
                                <label class="mark" for=for_id>
                                    <input id=id type="checkbox" prop:checked=move || poster.with(|p| p.themes.contains(&t))
                                        on:change=move |_| poster.update(|p| if p.themes.contains(&t) { p.themes.retain(|x| *x != t) } else { p.themes.push(t) })/>
                                    {t.label()}
                                </label>
                            }}).collect_view()}
                        </fieldset>
                    </div>
                    <div class="poster-preview" aria-label="Preview">
                        <p class="hint">{format!("Preview ({POSTER_PANELS} panels; prints on one A4 page)")}</p>
                        {move || poster_view(title.get(), String::new(), &poster.get())}
                    </div>
                </div>
            </Show>
            <label class="mark" for=ids("shared")>
                <input id=ids("shared") type="checkbox" prop:checked=move || shared.get() on:change=move |_| shared.update(|s| *s = !*s)/>
                "Let my school's leaders read it once I submit it (they always see its state)"
            </label>
            {move || {
                let m = missing.get();
                (!m.is_empty()).then(|| view! {
                    <div class="hint"><p>"Before you can submit it:"</p><ul>{m.into_iter().map(|x| view! { <li>{x}</li> }).collect_view()}</ul></div>
                })
            }}
            <button class="button" type="submit" disabled=move || busy.get()>
                {if existing_id.is_some() { "Save changes" } else { "Save draft" }}
            </button>
        </form>
    }
}
