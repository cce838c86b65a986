//! School-to-school partnerships (seed 003): the rounds the caller takes part in, and the needs a
//! colleague is matched to (`/partnerships`); a round's board, where schools post needs and the
//! trust postpones, resumes and circulates it (`/partnerships/:id`).

use chrono::NaiveDate;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use trellis_domain::partnership::{NeedArea, NeedSpec, RoundStatus};
use trellis_wire::{
    CreatePartnershipNeed, PartnershipNeed, PartnershipRound, PostponePartnershipRound, Role, RoundSchool,
};
use uuid::Uuid;

use crate::api;
use crate::ui::forms::{ErrorSummary, FieldError, FormErrors};
use crate::ui::{Load, date, failed, human, id_param, iso_date, loading};

fn need_row(n: &PartnershipNeed) -> impl IntoView + use<> {
    let (href, title) = (format!("/partnership-needs/{}", n.id), n.title.clone());
    let area = match &n.area_detail {
        Some(d) => format!("{}: {d}", n.area.label()),
        None => n.area.label().to_owned(),
    };
    view! {
        <tr>
            <th scope="row"><A href=href>{title}</A></th>
            <td data-label="School">{n.school_name.clone()}</td>
            <td data-label="Area">{area}</td>
            <td data-label="Time frame">{format!("{} to {}", date(n.starts_on), date(n.ends_on))}</td>
            <td data-label="Status">{human(n.status.as_str())}</td>
            <td data-label="Colleague">{n.matched.as_ref().map(|m| format!("{} ({})", m.person_name, m.school_name)).unwrap_or_else(|| "—".into())}</td>
        </tr>
    }
}

pub fn needs_table(needs: &[PartnershipNeed], caption: &str) -> AnyView {
    if needs.is_empty() {
        return view! { <p class="empty">"No needs yet."</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="stack">
                <caption>{caption.to_owned()}</caption>
                <thead><tr>
                    <th scope="col">"Need"</th><th scope="col">"Host school"</th><th scope="col">"Area"</th>
                    <th scope="col">"Time frame"</th><th scope="col">"Status"</th><th scope="col">"Colleague"</th>
                </tr></thead>
                <tbody>{needs.iter().map(need_row).collect_view()}</tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
pub fn PartnershipsPage() -> impl IntoView {
    let auth = api::use_auth();
    let rounds = RwSignal::new(Load::<Vec<PartnershipRound>>::Loading);
    let mine = RwSignal::new(Load::<Vec<PartnershipNeed>>::Loading);
    spawn_local(async move {
        rounds.set(api::call(auth, |c| async move { c.list_partnership_rounds().await }).await.map(|l| l.items).into());
        mine.set(api::call(auth, |c| async move { c.list_my_partnership_needs().await }).await.map(|l| l.items).into());
    });
    let participant = move || auth.me().is_some_and(|m| m.role == Role::Participant);
    view! {
        <h1>"Partnerships"</h1>
        <p class="lead">"School-to-school partnerships: each school posts an area it would like looked at, and a colleague from another school visits, collects evidence and presents findings and an action plan to the host's senior team."</p>
        <section aria-labelledby="mine-title">
            <h2 id="mine-title">"Needs you are matched to"</h2>
            {move || match mine.get() {
                Load::Loading => loading(),
                Load::Failed(m) => failed(m),
                Load::Ready(list) => needs_table(&list, "Your partnership work"),
            }}
        </section>
        <Show when=move || !participant()>
            <section aria-labelledby="rounds-title">
                <h2 id="rounds-title">"Rounds"</h2>
                {move || match rounds.get() {
                    Load::Loading => loading(),
                    Load::Failed(m) => failed(m),
                    Load::Ready(list) if list.is_empty() => view! { <p class="empty">"Your schools take part in no partnership round."</p> }.into_any(),
                    Load::Ready(list) => view! {
                        <ul class="plain cards">
                            {list.into_iter().map(|r| view! {
                                <li class="card">
                                    <h3><A href=format!("/partnerships/{}", r.id)>{r.name.clone()}</A></h3>
                                    <p>{format!("{} to {} · {} schools · {} needs, {} matched", date(r.starts_on), date(r.ends_on), r.schools.len(), r.needs, r.matched)}
                                        {(r.status == RoundStatus::Postponed).then(|| view! { " "<span class="badge badge-deferred">{format!("Postponed until {}", r.restart_on.map(date).unwrap_or_default())}</span> })}
                                    </p>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }}
            </section>
        </Show>
    }
}

#[component]
fn PostNeed(round: PartnershipRound, needs: RwSignal<Load<Vec<PartnershipNeed>>>) -> impl IntoView {
    let auth = api::use_auth();
    let me = auth.me();
    // A school lead posts for their own school; a trust admin for any school taking part.
    let schools: Vec<RoundSchool> = round
        .schools
        .iter()
        .filter(|s| me.as_ref().is_some_and(|m| m.role != Role::SchoolLead || m.school_id == Some(s.id)))
        .cloned()
        .collect();
    let school = RwSignal::new(schools.first().map(|s| s.id));
    let area = RwSignal::new(NeedArea::QualityOfFeedback);
    let (detail, title, description) =
        (RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new()));
    let (starts, ends) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let errors = FormErrors::new();
    let busy = RwSignal::new(false);
    let round_id = round.id;
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Some(s), Some(from), Some(to)) =
            (school.get_untracked(), iso_date(&starts.get_untracked()), iso_date(&ends.get_untracked()))
        else {
            errors.local("starts_on", "Give the time frame: a first and a last date.");
            return;
        };
        // The domain's own check first, so the form says so at once.
        let d = detail.get_untracked();
        if let Err(e) = NeedSpec::parse(area.get_untracked(), Some(&d), from, to) {
            errors.local(e.field().unwrap_or(""), e.to_string());
            return;
        }
        let body = CreatePartnershipNeed {
            school_id: s,
            area: area.get_untracked(),
            area_detail: (!d.trim().is_empty()).then_some(d),
            title: title.get_untracked(),
            description: description.get_untracked(),
            starts_on: from,
            ends_on: to,
        };
        busy.set(true);
        spawn_local(async move {
            let r = api::call(auth, |c| {
                let body = body.clone();
                async move { c.create_partnership_need(round_id, &body).await }
            })
            .await;
            busy.set(false);
            match r {
                Ok(n) => {
                    errors.clear();
                    title.set(String::new());
                    description.set(String::new());
                    detail.set(String::new());
                    needs.update(|l| {
                        if let Load::Ready(l) = l {
                            l.push(n)
                        }
                    });
                }
                Err(e) => errors.show_error(&e),
            }
        });
    };
    let text = |id: &'static str, label: &'static str, value: RwSignal<String>, kind: &'static str| {
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <FieldError errors=errors field=id/>
                <input id=id type=kind maxlength="200" prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/>
            </div>
        }
    };
    view! {
        <details class="card">
            <summary>"Post a need"</summary>
            <form on:submit=save>
                <ErrorSummary errors=errors/>
                <div class="field">
                    <label for="school_id">"School"</label>
                    <select id="school_id" on:change=move |ev| school.set(Uuid::parse_str(&event_target_value(&ev)).ok())>
                        {schools.into_iter().map(|s| view! { <option value=s.id.to_string()>{s.name}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="area">"Area of need"</label>
                    <select id="area" on:change=move |ev| if let Ok(a) = event_target_value(&ev).parse() { area.set(a) }>
                        {NeedArea::ALL.iter().map(|a| view! { <option value=a.as_str()>{a.label()}</option> }).collect_view()}
                    </select>
                </div>
                {text("area_detail", "Subject, year group or topic (for a review or other)", detail, "text")}
                {text("title", "Title", title, "text")}
                <div class="field">
                    <label for="description">"What would you like looked at, and what would better look like?"</label>
                    <textarea id="description" rows="4" maxlength="4000" prop:value=move || description.get() on:input=move |ev| description.set(event_target_value(&ev))></textarea>
                </div>
                {text("starts_on", "From", starts, "date")}
                {text("ends_on", "To", ends, "date")}
                <button class="button" type="submit" disabled=move || busy.get()>"Post need"</button>
            </form>
        </details>
    }
}

#[component]
fn ManageRound(round: RwSignal<Load<PartnershipRound>>) -> impl IntoView {
    let auth = api::use_auth();
    let restart = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let errors = FormErrors::new();
    let notice = RwSignal::new(None::<String>);
    let act = move |what: &'static str| {
        let Load::Ready(r) = round.get_untracked() else { return };
        let id = r.id;
        let body = iso_date(&restart.get_untracked())
            .map(|d: NaiveDate| PostponePartnershipRound { restart_on: d, reason: reason.get_untracked() });
        if what == "postpone" && body.is_none() {
            errors.local("restart_on", "Give the date the round restarts.");
            return;
        }
        spawn_local(async move {
            let r = api::call(auth, |c| {
                let body = body.clone();
                async move {
                    match (what, body) {
                        ("postpone", Some(b)) => c.postpone_partnership_round(id, &b).await,
                        ("resume", _) => c.resume_partnership_round(id).await,
                        _ => c.circulate_partnership_round(id).await,
                    }
                }
            })
            .await;
            match r {
                Ok(n) => {
                    errors.clear();
                    notice.set(Some(format!("Done: {} people emailed.", n.recipients)));
                    round.set(Load::Ready(n.round));
                }
                Err(e) => errors.show_error(&e),
            }
        });
    };
    view! {
        <section class="card panel" aria-labelledby="manage-title">
            <h2 id="manage-title">"Run the round"</h2>
            {move || notice.get().map(|m| view! { <div class="alert ok" role="status">{m}</div> })}
            <ErrorSummary errors=errors/>
            <div class="row">
                <button class="button secondary" type="button" on:click=move |_| act("circulate")>"Circulate the board"</button>
                <button class="button secondary" type="button" on:click=move |_| act("resume")>"Resume now"</button>
            </div>
            <form class="inline-form" on:submit=move |ev| { ev.prevent_default(); act("postpone") }>
                <div class="field">
                    <label for="restart_on">"Postpone until"</label>
                    <input id="restart_on" type="date" prop:value=move || restart.get() on:input=move |ev| restart.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="reason">"Reason (everyone affected is told)"</label>
                    <input id="reason" type="text" maxlength="500" prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))/>
                </div>
                <button class="button danger" type="submit">"Postpone"</button>
            </form>
        </section>
    }
}

#[component]
pub fn RoundPage() -> impl IntoView {
    let auth = api::use_auth();
    let round = RwSignal::new(Load::<PartnershipRound>::Loading);
    let needs = RwSignal::new(Load::<Vec<PartnershipNeed>>::Loading);
    match id_param() {
        None => round.set(Load::Failed("This is not a valid round address.".into())),
        Some(id) => spawn_local(async move {
            round.set(api::call(auth, |c| async move { c.get_partnership_round(id).await }).await.into());
            needs.set(
                api::call(auth, |c| async move { c.list_partnership_needs(id).await }).await.map(|l| l.items).into(),
            );
        }),
    }
    view! {
        <p class="breadcrumb"><A href="/partnerships">"Partnerships"</A></p>
        {move || match round.get() {
            Load::Loading => loading(),
            Load::Failed(m) => view! { <h1>"Partnership round"</h1> {failed(m)} }.into_any(),
            Load::Ready(r) => {
                let postponed = r.status == RoundStatus::Postponed;
                view! {
                    <h1>{r.name.clone()}</h1>
                    <p>{format!("{} to {} · {}", date(r.starts_on), date(r.ends_on), r.schools.iter().map(|s| s.name.clone()).collect::<Vec<_>>().join(", "))}</p>
                    {postponed.then(|| view! {
                        <div class="alert error" role="status">{format!("Postponed until {}: {}. Nothing new is posted or matched until then.",
                            r.restart_on.map(date).unwrap_or_default(), r.postponement_reason.clone().unwrap_or_default())}</div>
                    })}
                    {r.circulated_at.map(|t| view! { <p class="muted small">{format!("Board last circulated {}.", date(t.date_naive()))}</p> })}
                    {r.actions.manage.then(|| view! { <ManageRound round=round/> })}
                    {(r.actions.contribute && !postponed).then(|| view! { <PostNeed round=r.clone() needs=needs/> })}
                }.into_any()
            }
        }}
        <section aria-labelledby="board-title">
            <h2 id="board-title">"The board"</h2>
            {move || match needs.get() {
                Load::Loading => loading(),
                Load::Failed(m) => failed(m),
                Load::Ready(list) => needs_table(&list, "Needs by host school"),
            }}
        </section>
    }
}
