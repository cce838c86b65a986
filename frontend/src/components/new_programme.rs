//! A facilitator setting up a programme for their provider from one of the presets (the rules as
//! data, from real programmes).

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use trellis_wire::{CreateProgramme, Preset};

use crate::api::{self};
use crate::ui::forms::{ErrorSummary, FieldError, FormErrors};

#[component]
pub fn NewProgramme() -> impl IntoView {
    let auth = api::use_auth();
    let presets = RwSignal::new(Vec::<Preset>::new());
    let preset = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let errors = FormErrors::new();
    let navigate = use_navigate();
    spawn_local(async move {
        if let Ok(list) = api::call(auth, |c| async move { c.list_programme_presets().await }).await {
            presets.set(list.items);
        }
    });
    let choose = move |key: String| {
        if let Some(p) = presets.get_untracked().into_iter().find(|p| p.key == key)
            && name.get_untracked().is_empty()
        {
            name.set(p.name.clone());
        }
        preset.set(key);
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(provider) = auth.me().and_then(|m| m.organisation_id) else {
            errors.local("", "Only a provider's facilitators set up programmes.");
            return;
        };
        if preset.get_untracked().is_empty() {
            errors.local("preset", "Choose the programme to start from");
            return;
        }
        let body = CreateProgramme {
            name: name.get_untracked(),
            provider_id: provider,
            preset: Some(preset.get_untracked()),
            definition: None,
        };
        errors.clear();
        let navigate = navigate.clone();
        spawn_local(async move {
            let r = api::call(auth, |c| {
                let body = body.clone();
                async move { c.create_programme(&body).await }
            })
            .await;
            match r {
                Ok(p) => navigate(&format!("/programmes/{}", p.id), Default::default()),
                Err(e) => errors.show_error(&e),
            }
        });
    };
    view! {
        <details class="card">
            <summary>"Set up a programme"</summary>
            <ErrorSummary errors=errors/>
            <form on:submit=submit novalidate>
                <fieldset class="members" class:has-error=move || errors.of("preset").is_some()>
                    <legend>"Start from"</legend>
                    <FieldError errors=errors field="preset"/>
                    {move || presets.get().into_iter().map(|p| {
                        let key = p.key.clone();
                        let id = format!("preset-{}", p.key);
                        let for_id = id.clone();
                        view! {
                            <label class="mark preset" for=for_id>
                                <input type="radio" name="preset" id=id value=p.key.clone()
                                    prop:checked={let k = key.clone(); move || preset.get() == k}
                                    on:change=move |_| choose(key.clone())/>
                                <span><strong>{p.name.clone()}</strong><br/><span class="muted small">{p.summary.clone()}</span></span>
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
                <div class="field" class:has-error=move || errors.of("name").is_some()>
                    <label for="name">"Name"</label>
                    <FieldError errors=errors field="name"/>
                    <input id="name" required prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                </div>
                <button class="button" type="submit">"Create programme"</button>
            </form>
        </details>
    }
}
