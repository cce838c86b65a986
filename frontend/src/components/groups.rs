//! The cohort's learning groups.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use std::collections::HashMap;
use trellis_wire::ListParams;
use uuid::Uuid;

use crate::api::{self, describe};
use crate::ui::{Load, failed, loading};

/// The cohort's learning groups, with the members the caller may see; facilitators can form one.
#[component]
pub fn Groups(cohort: Uuid, runs_it: bool) -> impl IntoView {
    use trellis_wire::{CreateLearningGroup, LearningGroup, LearningGroupKind};
    let auth = api::use_auth();
    let state = RwSignal::new(Load::<(Vec<LearningGroup>, HashMap<Uuid, String>)>::Loading);
    let reload = move || {
        spawn_local(async move {
            let r = api::call(auth, |c| async move {
                let groups = c.list_groups(cohort).await?.items;
                let names = c
                    .list_enrolments(cohort, &ListParams { limit: Some(200), ..Default::default() })
                    .await?
                    .items
                    .into_iter()
                    .map(|e| (e.id, e.person_name))
                    .collect::<HashMap<_, _>>();
                Ok((groups, names))
            })
            .await;
            state.set(r.into());
        })
    };
    reload();
    let name = RwSignal::new(String::new());
    let kind = RwSignal::new(LearningGroupKind::ActionLearningSet);
    let chosen = RwSignal::new(Vec::<Uuid>::new());
    let error = RwSignal::new(None::<String>);
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = CreateLearningGroup {
            name: name.get_untracked(),
            kind: kind.get_untracked(),
            facilitator_person_id: auth.me().and_then(|m| m.person_id),
            member_enrolment_ids: chosen.get_untracked(),
        };
        spawn_local(async move {
            let r = api::call(auth, |c| {
                let body = body.clone();
                async move { c.create_group(cohort, &body).await }
            })
            .await;
            match r {
                Ok(_) => {
                    error.set(None);
                    name.set(String::new());
                    chosen.set(vec![]);
                    reload();
                }
                Err(e) => error.set(Some(describe(&e))),
            }
        });
    };
    view! {
        <h2>"Learning groups"</h2>
        {move || match state.get() {
            Load::Loading => loading(),
            Load::Failed(m) => failed(m),
            Load::Ready((groups, names)) => {
                // (name, kind, members as (enrolment, name))
                type Card = (String, String, Vec<(Uuid, String)>);
                let cards: Vec<Card> = groups
                    .iter()
                    .map(|g| {
                        let members = g
                            .member_enrolment_ids
                            .iter()
                            .map(|id| (*id, names.get(id).cloned().unwrap_or_else(|| "A participant".into())))
                            .collect();
                        (g.name.clone(), g.kind.as_str().replace('_', " "), members)
                    })
                    .collect();
                let empty = cards.is_empty();
                let mut choices: Vec<(Uuid, String)> = names.into_iter().collect();
                choices.sort_by(|a, b| a.1.cmp(&b.1));
                view! {
                    {empty.then(|| view! { <p class="empty">"No groups you can see."</p> })}
                    <div class="two-col">
                        {cards.into_iter().map(|(group_name, kind, members)| view! {
                            <section class="card group">
                                <h3>{group_name}</h3>
                                <p class="muted small">{kind}</p>
                                <ul class="plain">
                                    {members.into_iter().map(|(id, n)| view! {
                                        <li><A href=format!("/enrolments/{id}")>{n}</A></li>
                                    }).collect_view()}
                                </ul>
                            </section>
                        }).collect_view()}
                    </div>
                    {runs_it.then(|| view! {
                        <details class="card">
                            <summary>"Form a group"</summary>
                            {move || error.get().map(|m| view! { <div class="alert error" role="alert">{m}</div> })}
                            <form on:submit=create>
                                <div class="field">
                                    <label for="group-name">"Name"</label>
                                    <input id="group-name" required prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                                </div>
                                <div class="field">
                                    <label for="group-kind">"Kind"</label>
                                    <select id="group-kind" on:change=move |ev| if let Ok(k) = event_target_value(&ev).parse() { kind.set(k) }>
                                        {LearningGroupKind::ALL.iter().map(|k| { let k = *k; view! {
                                            <option value=k.as_str() selected=move || kind.get() == k>{crate::ui::human(k.as_str())}</option>
                                        }}).collect_view()}
                                    </select>
                                </div>
                                <fieldset class="members">
                                    <legend>"Members"</legend>
                                    {choices.into_iter().map(|(id, n)| view! {
                                        <label class="mark">
                                            <input type="checkbox" prop:checked=move || chosen.with(|c| c.contains(&id))
                                                on:change=move |_| chosen.update(|c| if let Some(i) = c.iter().position(|x| *x == id) { c.remove(i); } else { c.push(id); })/>
                                            {n}
                                        </label>
                                    }).collect_view()}
                                </fieldset>
                                <button class="button" type="submit">"Create group"</button>
                            </form>
                        </details>
                    })}
                }
            }.into_any(),
        }}
    }
}
