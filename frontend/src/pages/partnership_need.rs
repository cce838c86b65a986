//! One partnership need: what the host school asked for; matching a colleague from another school
//! (ranked suggestions); the colleague's visits with their data collection; the findings and action
//! plan as presented; the host's acknowledgement. Each part shows only to whom the server allows.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use trellis_domain::partnership::{DataCollection, NeedStatus};
use trellis_wire::{CreatePartnershipVisit, PartnershipNeed, PartnershipSuggestion, WritePartnershipFindings};
use uuid::Uuid;

use crate::api;
use crate::ui::chart::number;
use crate::ui::forms::{ErrorSummary, FormErrors};
use crate::ui::{Load, date, failed, human, id_param, iso_date, loading};

#[component]
fn Suggestions(need: RwSignal<Load<PartnershipNeed>>, id: Uuid) -> impl IntoView {
    let auth = api::use_auth();
    let list = RwSignal::new(Load::<Vec<PartnershipSuggestion>>::Loading);
    let errors = FormErrors::new();
    spawn_local(async move {
        list.set(
            api::call(auth, |c| async move { c.list_partnership_suggestions(id).await }).await.map(|l| l.items).into(),
        );
    });
    let pick = move |person: Uuid| {
        spawn_local(async move {
            match api::call(auth, |c| async move { c.create_partnership_match(id, person).await }).await {
                Ok(n) => need.set(Load::Ready(n)),
                Err(e) => errors.show_error(&e),
            }
        });
    };
    view! {
        <section aria-labelledby="match-title">
            <h2 id="match-title">"Match a colleague from your school"</h2>
            <ErrorSummary errors=errors/>
            {move || match list.get() {
                Load::Loading => loading(),
                Load::Failed(m) => failed(m),
                Load::Ready(l) if l.is_empty() => view! { <p class="empty">"No one on your staff to suggest."</p> }.into_any(),
                Load::Ready(l) => view! {
                    <ul class="plain role-list">
                        {l.into_iter().map(|s| {
                            let who = s.person_name.clone();
                            let distance = s.distance_km.map(|d| format!("{} km away", number(d))).unwrap_or_else(|| "distance unknown".into());
                            view! {
                                <li>
                                    <span>{format!("{} · {distance}", s.person_name)}{s.offers_area.then_some(" · offered this area")}</span>
                                    <button class="button small" type="button" aria-label=format!("Match {who}") on:click=move |_| pick(s.person_id)>"Match"</button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}

#[component]
fn VisitForm(need: RwSignal<Load<PartnershipNeed>>, id: Uuid) -> impl IntoView {
    let auth = api::use_auth();
    let on = RwSignal::new(String::new());
    let ways = RwSignal::new(Vec::<DataCollection>::new());
    let notes = RwSignal::new(String::new());
    let errors = FormErrors::new();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(day) = iso_date(&on.get_untracked()) else {
            errors.local("visited_on", "Give the day of the visit.");
            return;
        };
        let body = CreatePartnershipVisit {
            visited_on: day,
            data_collection: ways.get_untracked(),
            notes: notes.get_untracked(),
        };
        spawn_local(async move {
            let r = api::call(auth, |c| {
                let body = body.clone();
                async move { c.create_partnership_visit(id, &body).await }
            })
            .await;
            match r {
                Ok(n) => {
                    errors.clear();
                    ways.set(vec![]);
                    notes.set(String::new());
                    need.set(Load::Ready(n));
                }
                Err(e) => errors.show_error(&e),
            }
        });
    };
    view! {
        <form class="card panel" on:submit=save aria-labelledby="visit-title">
            <h3 id="visit-title">"Log a visit"</h3>
            <ErrorSummary errors=errors/>
            <div class="field">
                <label for="visited_on">"Day of the visit"</label>
                <input id="visited_on" type="date" prop:value=move || on.get() on:input=move |ev| on.set(event_target_value(&ev))/>
            </div>
            <fieldset id="data_collection">
                <legend>"How you collected data"</legend>
                {DataCollection::ALL.iter().map(|w| {
                    let w = *w;
                    let id = format!("way-{}", w.as_str());
                    let for_id = id.clone();
                    view! {
                        <label class="choice" for=for_id>
                            <input type="checkbox" id=id prop:checked=move || ways.with(|l| l.contains(&w))
                                on:change=move |_| ways.update(|l| if l.contains(&w) { l.retain(|x| *x != w) } else { l.push(w) })/>
                            <span>{human(w.as_str())}</span>
                        </label>
                    }
                }).collect_view()}
            </fieldset>
            <div class="field">
                <label for="notes">"Notes"</label>
                <textarea id="notes" rows="3" maxlength="4000" prop:value=move || notes.get() on:input=move |ev| notes.set(event_target_value(&ev))></textarea>
            </div>
            <button class="button" type="submit">"Log visit"</button>
        </form>
    }
}

#[component]
fn FindingsForm(
    need: RwSignal<Load<PartnershipNeed>>,
    id: Uuid,
    existing: Option<trellis_wire::PartnershipFindings>,
) -> impl IntoView {
    let auth = api::use_auth();
    let heading = if existing.is_some() { "Change the write-up" } else { "Write up the findings" };
    let findings = RwSignal::new(existing.as_ref().map(|f| f.findings.clone()).unwrap_or_default());
    let plan = RwSignal::new(existing.as_ref().map(|f| f.action_plan.clone()).unwrap_or_default());
    let on = RwSignal::new(existing.as_ref().map(|f| f.presented_on.to_string()).unwrap_or_default());
    let governors = RwSignal::new(existing.as_ref().is_some_and(|f| f.presented_to_governors));
    let errors = FormErrors::new();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(day) = iso_date(&on.get_untracked()) else {
            errors.local("presented_on", "Give the day they were presented to the senior team.");
            return;
        };
        let body = WritePartnershipFindings {
            findings: findings.get_untracked(),
            action_plan: plan.get_untracked(),
            presented_on: day,
            presented_to_governors: governors.get_untracked(),
        };
        spawn_local(async move {
            let r = api::call(auth, |c| {
                let body = body.clone();
                async move { c.update_partnership_findings(id, &body).await }
            })
            .await;
            match r {
                Ok(n) => {
                    errors.clear();
                    need.set(Load::Ready(n));
                }
                Err(e) => errors.show_error(&e),
            }
        });
    };
    view! {
        <form class="card panel" on:submit=save aria-labelledby="findings-title">
            <h3 id="findings-title">{heading}</h3>
            <ErrorSummary errors=errors/>
            <div class="field">
                <label for="findings">"Findings"</label>
                <textarea id="findings" rows="4" maxlength="8000" prop:value=move || findings.get() on:input=move |ev| findings.set(event_target_value(&ev))></textarea>
            </div>
            <div class="field">
                <label for="action_plan">"Action plan"</label>
                <textarea id="action_plan" rows="4" maxlength="8000" prop:value=move || plan.get() on:input=move |ev| plan.set(event_target_value(&ev))></textarea>
            </div>
            <div class="field">
                <label for="presented_on">"Presented to the senior team on"</label>
                <input id="presented_on" type="date" prop:value=move || on.get() on:input=move |ev| on.set(event_target_value(&ev))/>
            </div>
            <label class="choice" for="presented_to_governors">
                <input type="checkbox" id="presented_to_governors" prop:checked=move || governors.get() on:change=move |_| governors.update(|g| *g = !*g)/>
                <span>"Also presented to the governors"</span>
            </label>
            <button class="button" type="submit">"Save the write-up"</button>
        </form>
    }
}

fn body(n: PartnershipNeed, need: RwSignal<Load<PartnershipNeed>>) -> AnyView {
    let auth = api::use_auth();
    let id = n.id;
    let ack_error = RwSignal::new(None::<String>);
    let acknowledge = move |_| {
        spawn_local(async move {
            match api::call(auth, |c| async move { c.acknowledge_partnership_findings(id).await }).await {
                Ok(x) => need.set(Load::Ready(x)),
                Err(e) => ack_error.set(Some(crate::ui::describe(&e))),
            }
        });
    };
    let area = match &n.area_detail {
        Some(d) => format!("{}: {d}", n.area.label()),
        None => n.area.label().to_owned(),
    };
    let (round_href, round_name, status) =
        (format!("/partnerships/{}", n.round_id), n.round_name.clone(), human(n.status.as_str()));
    view! {
        <p class="breadcrumb"><A href=round_href>{round_name}</A></p>
        <h1>{n.title.clone()}</h1>
        <dl class="facts">
            <div><dt>"Host school"</dt><dd>{n.school_name.clone()}</dd></div>
            <div><dt>"Area"</dt><dd>{area}</dd></div>
            <div><dt>"Time frame"</dt><dd>{format!("{} to {}", date(n.starts_on), date(n.ends_on))}</dd></div>
            <div><dt>"Status"</dt><dd>{status}</dd></div>
            <div><dt>"Colleague"</dt><dd>{n.matched.as_ref().map(|m| {
                let far = m.distance_km.map(|d| format!(", {} km away", number(d))).unwrap_or_default();
                format!("{} ({}{far})", m.person_name, m.school_name)
            }).unwrap_or_else(|| "Not matched yet".into())}</dd></div>
        </dl>
        <p class="prose">{n.description.clone()}</p>
        {(n.actions.contribute && n.matched.is_none()).then(|| view! { <Suggestions need=need id=id/> })}
        <section aria-labelledby="visits-title">
            <h2 id="visits-title">"Visits"</h2>
            {if n.visits.is_empty() {
                view! { <p class="empty">"No visits logged yet."</p> }.into_any()
            } else {
                view! {
                    <ul class="plain cards">{n.visits.iter().map(|v| view! {
                        <li class="card">
                            <h3>{date(v.visited_on)}</h3>
                            <p>{v.data_collection.iter().map(|w| human(w.as_str())).collect::<Vec<_>>().join(", ")}</p>
                            <p class="muted">{v.notes.clone()}</p>
                        </li>
                    }).collect_view()}</ul>
                }.into_any()
            }}
            {(n.actions.report && n.status != NeedStatus::Acknowledged).then(|| view! { <VisitForm need=need id=id/> })}
        </section>
        <section aria-labelledby="writeup-title">
            <h2 id="writeup-title">"Findings and action plan"</h2>
            {n.findings.clone().map(|f| view! {
                <div class="card">
                    <h3>"Findings"</h3><p class="prose">{f.findings}</p>
                    <h3>"Action plan"</h3><p class="prose">{f.action_plan}</p>
                    <p>{format!("Presented to the senior team on {}{}.", date(f.presented_on), if f.presented_to_governors { " and to the governors" } else { "" })}</p>
                    <p>{match f.acknowledged_at { Some(t) => format!("Acknowledged by the host school on {}.", date(t.date_naive())), None => "Not yet acknowledged by the host school.".into() }}</p>
                </div>
            })}
            {(n.findings.is_none() && !n.actions.report).then(|| view! { <p class="empty">"Not written up yet."</p> })}
            {(n.actions.report && n.status != NeedStatus::Acknowledged && !n.visits.is_empty()).then(|| view! { <FindingsForm need=need id=id existing=n.findings.clone()/> })}
            {(n.actions.manage && n.status == NeedStatus::Reported).then(|| view! {
                {move || ack_error.get().map(failed)}
                <button class="button" type="button" on:click=acknowledge>"Acknowledge the findings"</button>
            })}
        </section>
    }
    .into_any()
}

#[component]
pub fn NeedPage() -> impl IntoView {
    let auth = api::use_auth();
    let need = RwSignal::new(Load::<PartnershipNeed>::Loading);
    match id_param() {
        None => need.set(Load::Failed("This is not a valid address for a need.".into())),
        Some(id) => spawn_local(async move {
            need.set(api::call(auth, |c| async move { c.get_partnership_need(id).await }).await.into());
        }),
    }
    move || match need.get() {
        Load::Loading => loading(),
        Load::Failed(m) => view! { <h1>"Partnership need"</h1> {failed(m)} }.into_any(),
        Load::Ready(n) => body(n, need),
    }
}
