//! One school's expectations review for a term (seed 002): every statement of the trust's
//! framework with the school's own rating and the trust's, the gaps flagged; the caller's side as
//! a form (1–4 with the evidence, saved as a draft, then submitted); the school's history by term
//! as a chart with its table; and the support the trust allocated, reviewed termly.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use trellis_domain::expectations::{Side, TermKey};
use trellis_wire::{
    AssessmentState, CreateSupport, ExpectationFile, ExpectationHistory, RatingInput, RatingView, ReviewSupport,
    SaveExpectationRatings, SchoolExpectations, Support, SupportDecision, SupportList, SupportStatus, Trend,
};
use uuid::Uuid;
use wasm_bindgen::JsCast;

use crate::api;
use crate::ui::chart::number;
use crate::ui::forms::{ErrorSummary, FormErrors};
use crate::ui::{Load, date, failed, loading, recent_terms, status_label};

/// The caller's own ratings as edited: (statement, rating, evidence).
type Edits = Vec<(Uuid, Option<u32>, String)>;

fn rating_text(r: &Option<RatingView>) -> String {
    r.as_ref().map(|r| format!("{} {}", r.rating, r.label)).unwrap_or_else(|| "—".into())
}

fn state_line(who: &str, s: &AssessmentState) -> String {
    let rated = s.rated.map(|n| format!(", {n} of {} rated", s.statements)).unwrap_or_default();
    let when = s.submitted_at.map(|t| format!(" on {}", date(t.date_naive()))).unwrap_or_default();
    format!("{who}: {}{when}{rated}", status_label(s.status))
}

/// The school's and the trust's overall mean by term, as two lines on the 1–4 scale.
fn history_chart(h: &ExpectationHistory) -> impl IntoView + use<> {
    const W: u32 = 600;
    const H: u32 = 220;
    const LEFT: u32 = 40;
    const TOP: u32 = 14;
    const BOTTOM: u32 = 40;
    let n = h.terms.len().max(1) as u32;
    let step = (W - LEFT - 30) / n;
    let x = move |i: usize| LEFT + step / 2 + step * i as u32;
    let y = move |v: f64| {
        let span = f64::from(H - TOP - BOTTOM);
        (f64::from(H - BOTTOM) - (v - 1.0) / 3.0 * span).round() as u32
    };
    let line = move |pick: fn(&trellis_wire::HistoryTerm) -> Option<f64>| {
        h.terms
            .iter()
            .enumerate()
            .filter_map(|(i, t)| pick(t).map(|v| format!("{},{}", x(i), y(v))))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let summary = h
        .terms
        .iter()
        .map(|t| {
            format!(
                "{}: school {}, trust {}",
                t.term_label,
                t.school_overall.map(number).unwrap_or_else(|| "none".into()),
                t.trust_overall.map(number).unwrap_or_else(|| "none".into())
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    let (school_line, trust_line) = (line(|t| t.school_overall), line(|t| t.trust_overall));
    view! {
        <figure class="line-chart">
            <svg class="chart" viewBox=format!("0 0 {W} {H}") role="img" aria-label=format!("Mean rating by term. {summary}")>
                {[1.0, 2.0, 3.0, 4.0].into_iter().map(|v| view! {
                    <line class="chart-grid" x1=LEFT.to_string() x2=(W - 10).to_string() y1=y(v).to_string() y2=y(v).to_string()></line>
                    <text class="chart-label" x=(LEFT - 8).to_string() y=(y(v) + 4).to_string() text-anchor="end">{number(v)}</text>
                }).collect_view()}
                {h.terms.iter().enumerate().map(|(i, t)| view! {
                    <text class="chart-label" x=x(i).to_string() y=(H - 14).to_string() text-anchor="middle">{t.term_label.clone()}</text>
                }).collect_view()}
                <polyline class="line-school" points=school_line fill="none"></polyline>
                <polyline class="line-trust" points=trust_line fill="none"></polyline>
                {h.terms.iter().enumerate().map(|(i, t)| view! {
                    {t.school_overall.map(|v| view! { <circle class="dot-school" cx=x(i).to_string() cy=y(v).to_string() r="4"></circle> })}
                    {t.trust_overall.map(|v| view! { <rect class="dot-trust" x=(x(i) - 4).to_string() y=(y(v) - 4).to_string() width="8" height="8"></rect> })}
                }).collect_view()}
            </svg>
            <figcaption>
                <span class="key key-school">"School's own"</span>" "<span class="key key-trust">"Trust's"</span>
            </figcaption>
        </figure>
    }
}

fn trend_text(t: Option<Trend>) -> &'static str {
    match t {
        Some(Trend::Up) => "↑ up",
        Some(Trend::Down) => "↓ down",
        Some(Trend::Steady) => "→ steady",
        None => "—",
    }
}

fn history_view(h: ExpectationHistory) -> AnyView {
    if h.terms.is_empty() {
        return view! { <p class="empty">"No term has been submitted yet."</p> }.into_any();
    }
    view! {
        {history_chart(&h)}
        <div class="table-wrap">
            <table class="stack">
                <caption>"Mean rating by theme and term (school / trust), with the latest trend"</caption>
                <thead><tr>
                    <th scope="col">"Theme"</th>
                    {h.terms.iter().map(|t| view! { <th scope="col" class="num">{t.term_label.clone()}</th> }).collect_view()}
                    <th scope="col">"School trend"</th><th scope="col">"Trust trend"</th>
                </tr></thead>
                <tbody>
                    {h.themes.iter().enumerate().map(|(i, th)| {
                        let trend = h.trends.iter().find(|t| t.theme_id == th.id);
                        view! {
                            <tr>
                                <th scope="row">{th.name.clone()}</th>
                                {h.terms.iter().map(|t| view! {
                                    <td class="num" data-label=t.term_label.clone()>{format!("{} / {}",
                                        t.school.get(i).copied().flatten().map(number).unwrap_or_else(|| "—".into()),
                                        t.trust.get(i).copied().flatten().map(number).unwrap_or_else(|| "—".into()))}</td>
                                }).collect_view()}
                                <td data-label="School trend">{trend_text(trend.and_then(|t| t.school))}</td>
                                <td data-label="Trust trend">{trend_text(trend.and_then(|t| t.trust))}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// Evidence files, each a button that downloads it (fetched with the caller's token).
#[component]
fn FileList(files: Vec<ExpectationFile>) -> impl IntoView {
    let auth = api::use_auth();
    let error = RwSignal::new(None::<String>);
    let download = move |f: ExpectationFile| {
        spawn_local(async move {
            match api::call(auth, |c| async move { c.get_expectation_file(f.id).await }).await {
                Ok(bytes) if crate::ui::save_as(&bytes, &f.filename, &f.media_type).is_ok() => error.set(None),
                Ok(_) => error.set(Some("The browser would not save the file.".into())),
                Err(e) => error.set(Some(crate::ui::describe(&e))),
            }
        });
    };
    view! {
        {(!files.is_empty()).then(|| view! {
            <ul class="plain files-inline">
                {files.into_iter().map(|f| {
                    let label = format!("Download {}", f.filename);
                    let name = f.filename.clone();
                    view! { <li><button class="link-button" type="button" aria-label=label on:click=move |_| download(f.clone())>{name}</button></li> }
                }).collect_view()}
            </ul>
        })}
        {move || error.get().map(failed)}
    }
}

/// Attaching an evidence file to a statement of the caller's draft.
#[component]
fn AttachFile(
    school: Uuid,
    term: TermKey,
    side: Side,
    statement: Uuid,
    data: RwSignal<Load<SchoolExpectations>>,
) -> impl IntoView {
    let auth = api::use_auth();
    let error = RwSignal::new(None::<String>);
    let input_id = format!("attach-{statement}");
    let pick_id = input_id.clone();
    let attach = move |_| {
        let input: Option<web_sys::HtmlInputElement> = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(&pick_id))
            .and_then(|e| e.dyn_into().ok());
        let Some(file) = input.as_ref().and_then(|i| i.files()).and_then(|l| l.get(0)) else {
            error.set(Some("Choose a file first.".into()));
            return;
        };
        spawn_local(async move {
            let name = file.name();
            let Ok(buffer) = wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await else {
                error.set(Some("The file could not be read.".into()));
                return;
            };
            let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
            let r = api::call(auth, |c| {
                let (name, bytes) = (name.clone(), bytes.clone());
                async move { c.upload_expectation_file(school, term, side, statement, &name, &bytes).await }
            })
            .await;
            match r {
                Ok(f) => {
                    error.set(None);
                    data.update(|d| {
                        if let Load::Ready(v) = d
                            && let Some(st) =
                                v.themes.iter_mut().flat_map(|t| t.statements.iter_mut()).find(|s| s.id == statement)
                        {
                            match side {
                                Side::School => st.school_files.push(f),
                                Side::Trust => st.trust_files.push(f),
                            }
                        }
                    });
                }
                Err(e) => error.set(Some(crate::ui::describe(&e))),
            }
        });
    };
    view! {
        <div class="field attach">
            <label for=input_id.clone()>"Evidence file (PDF, Word, Excel, PowerPoint, image or video)"</label>
            <input id=input_id type="file"/>
            <button class="button secondary small" type="button" on:click=attach>"Attach"</button>
            {move || error.get().map(failed)}
        </div>
    }
}

/// The caller's side as a form: each statement rated 1–4 (native radios) with its evidence.
fn rating_form(
    v: &SchoolExpectations,
    side: Side,
    edits: RwSignal<Edits>,
    data: RwSignal<Load<SchoolExpectations>>,
) -> impl IntoView + use<> {
    let scale = v.scale.clone();
    let (school, term) = (v.school_id, v.term);
    v.themes
        .iter()
        .map(|t| {
            let scale = scale.clone();
            view! {
                <h3>{t.name.clone()}</h3>
                {t.statements.iter().filter(|s| !s.retired).map(|s| {
                    let id = s.id;
                    let other = match side { Side::School => &s.trust, Side::Trust => &s.school };
                    let other_label = match side { Side::School => "Trust", Side::Trust => "School" };
                    let other_text = other.as_ref().map(|r| format!("{other_label}: {} {}", r.rating, r.label));
                    let evidence_id = format!("evidence-{id}");
                    let own_files = match side { Side::School => s.school_files.clone(), Side::Trust => s.trust_files.clone() };
                    view! {
                        <fieldset class="rating" id=format!("ratings[{id}]")>
                            <legend>{s.text.clone()}</legend>
                            {other_text.map(|t| view! { <p class="hint">{t}</p> })}
                            <div class="scale">
                                {scale.iter().map(|level| {
                                    let value = u32::from(level.rating);
                                    let input_id = format!("rate-{id}-{value}");
                                    let label_for = input_id.clone();
                                    view! {
                                        <label for=label_for class="choice">
                                            <input type="radio" id=input_id name=format!("rate-{id}") value=value.to_string()
                                                prop:checked=move || edits.with(|e| e.iter().any(|(s, r, _)| *s == id && *r == Some(value)))
                                                on:change=move |_| edits.update(|e| {
                                                    if let Some(x) = e.iter_mut().find(|(s, _, _)| *s == id) { x.1 = Some(value) }
                                                })/>
                                            <span>{format!("{} {}", level.rating, level.label)}</span>
                                        </label>
                                    }
                                }).collect_view()}
                            </div>
                            <div class="field">
                                <label for=evidence_id.clone()>"Evidence"</label>
                                <textarea id=evidence_id rows="2" maxlength="4000"
                                    prop:value=move || edits.with(|e| e.iter().find(|(s, _, _)| *s == id).map(|x| x.2.clone()).unwrap_or_default())
                                    on:input=move |ev| {
                                        let text = event_target_value(&ev);
                                        edits.update(|e| if let Some(x) = e.iter_mut().find(|(s, _, _)| *s == id) { x.2 = text });
                                    }></textarea>
                            </div>
                            <FileList files=own_files/>
                            <AttachFile school=school term=term side=side statement=id data=data/>
                        </fieldset>
                    }
                }).collect_view()}
            }
        })
        .collect_view()
}

/// Both sides, read only, theme by theme.
fn ratings_table(v: &SchoolExpectations) -> impl IntoView + use<> {
    v.themes
        .iter()
        .map(|t| {
            let means = format!("School {} · trust {}",
                t.school_mean.map(number).unwrap_or_else(|| "—".into()),
                t.trust_mean.map(number).unwrap_or_else(|| "—".into()));
            view! {
                <h3>{t.name.clone()}" "<span class="muted small">{means}</span></h3>
                <div class="table-wrap">
                    <table class="stack">
                        <caption class="visually-hidden">{t.name.clone()}</caption>
                        <thead><tr><th scope="col">"Statement"</th><th scope="col">"School"</th><th scope="col">"Trust"</th><th scope="col">"Gap"</th></tr></thead>
                        <tbody>
                            {t.statements.iter().map(|s| view! {
                                <tr>
                                    <th scope="row">{s.text.clone()}{s.retired.then(|| view! { " "<span class="badge">"No longer in the framework"</span> })}
                                        {s.school.as_ref().filter(|r| !r.evidence.is_empty()).map(|r| view! { <p class="muted small">{format!("School's evidence: {}", r.evidence)}</p> })}
                                        {s.trust.as_ref().filter(|r| !r.evidence.is_empty()).map(|r| view! { <p class="muted small">{format!("Trust's evidence: {}", r.evidence)}</p> })}
                                    </th>
                                    <td data-label="School">{rating_text(&s.school)}<FileList files=s.school_files.clone()/></td>
                                    <td data-label="Trust">{rating_text(&s.trust)}<FileList files=s.trust_files.clone()/></td>
                                    <td data-label="Gap">{s.gap.map(|g| g.to_string()).unwrap_or_else(|| "—".into())}
                                        {s.flagged.then(|| view! { <span class="badge badge-flag">"Flagged"</span> })}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }
        })
        .collect_view()
}

fn support_status(s: SupportStatus) -> &'static str {
    match s {
        SupportStatus::Active => "Running",
        SupportStatus::Complete => "Complete",
        SupportStatus::Stopped => "Stopped",
    }
}

#[component]
fn ReviewForm(item: Support, support: RwSignal<Load<SupportList>>) -> impl IntoView {
    let auth = api::use_auth();
    let now = TermKey::of(crate::ui::today());
    let term = RwSignal::new(item.reviews_overdue.first().copied().unwrap_or(now));
    let hours = RwSignal::new(String::new());
    let impact = RwSignal::new(String::new());
    let decision = RwSignal::new(SupportDecision::Continue);
    let errors = FormErrors::new();
    let busy = RwSignal::new(false);
    let id = item.id;
    let terms: Vec<TermKey> = item.term.through(now);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(used) = crate::ui::chart::parse_number(&hours.get_untracked()) else {
            errors.local("hours_used", "Give the hours used, in half hours: 0, 0.5, 1…");
            return;
        };
        let body =
            ReviewSupport { hours_used: used, impact: impact.get_untracked(), decision: decision.get_untracked() };
        let t = term.get_untracked();
        busy.set(true);
        spawn_local(async move {
            let r = api::call(auth, |c| {
                let body = body.clone();
                async move { c.update_support_review(id, t, &body).await }
            })
            .await;
            busy.set(false);
            match r {
                Ok(updated) => {
                    errors.clear();
                    support.update(|l| {
                        if let Load::Ready(l) = l
                            && let Some(x) = l.items.iter_mut().find(|x| x.id == updated.id)
                        {
                            *x = updated;
                        }
                    });
                }
                Err(e) => errors.show_error(&e),
            }
        });
    };
    view! {
        <form class="inline-form" on:submit=save aria-label=format!("Review: {}", item.what)>
            <ErrorSummary errors=errors/>
            <div class="field">
                <label for=format!("review-term-{id}")>"Term"</label>
                <select id=format!("review-term-{id}") on:change=move |ev| if let Ok(t) = event_target_value(&ev).parse() { term.set(t) }>
                    {terms.into_iter().rev().map(|t| view! { <option value=t.to_string() selected=move || term.get() == t>{t.label()}</option> }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="hours_used">"Hours used"</label>
                <input id="hours_used" type="number" min="0" max="1000" step="0.5" inputmode="decimal"
                    prop:value=move || hours.get() on:input=move |ev| hours.set(event_target_value(&ev))/>
            </div>
            <div class="field">
                <label for="impact">"Impact"</label>
                <textarea id="impact" rows="2" maxlength="4000" prop:value=move || impact.get() on:input=move |ev| impact.set(event_target_value(&ev))></textarea>
            </div>
            <div class="field">
                <label for=format!("decision-{id}")>"Decision"</label>
                <select id=format!("decision-{id}") on:change=move |ev| if let Ok(d) = event_target_value(&ev).parse() { decision.set(d) }>
                    <option value="continue">"Continue next term"</option>
                    <option value="complete">"Complete: it did its job"</option>
                    <option value="stop">"Stop: it is not working"</option>
                </select>
            </div>
            <button class="button secondary small" type="submit" disabled=move || busy.get()>"Save review"</button>
        </form>
    }
}

fn support_item(item: Support, support: RwSignal<Load<SupportList>>) -> impl IntoView {
    let reviewable = item.reviewable && item.status == SupportStatus::Active;
    let overdue = item.reviews_overdue.iter().map(|t| t.label()).collect::<Vec<_>>().join(", ");
    view! {
        <li class="card">
            <h3>{item.what.clone()}</h3>
            <p>{format!("{} · {} hours from {} · {} used · ", item.provided_by, number(item.hours), item.term.label(), number(item.hours_used))}
                <span class="badge">{support_status(item.status)}</span>
                {(!overdue.is_empty()).then(|| view! { <span class="badge badge-flag">{format!("Review overdue: {overdue}")}</span> })}
                {item.review_due.then(|| view! { <span class="badge">"Review due this term"</span> })}
            </p>
            {(!item.reviews.is_empty()).then(|| view! {
                <ul class="plain small">
                    {item.reviews.iter().map(|r| view! {
                        <li>{format!("{}: {} hours, {} — {}", r.term.label(), number(r.hours_used), r.decision.as_str(), r.impact)}</li>
                    }).collect_view()}
                </ul>
            })}
            {reviewable.then(|| view! { <ReviewForm item=item.clone() support=support/> })}
        </li>
    }
}

#[component]
fn AllocateForm(school: Uuid, support: RwSignal<Load<SupportList>>) -> impl IntoView {
    let auth = api::use_auth();
    let what = RwSignal::new(String::new());
    let who = RwSignal::new(String::new());
    let hours = RwSignal::new(String::new());
    let errors = FormErrors::new();
    let busy = RwSignal::new(false);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(h) = crate::ui::chart::parse_number(&hours.get_untracked()) else {
            errors.local("hours", "Give the hours, in half hours: 0.5, 1, 1.5…");
            return;
        };
        let body = CreateSupport { term: None, what: what.get_untracked(), provided_by: who.get_untracked(), hours: h };
        busy.set(true);
        spawn_local(async move {
            let r = api::call(auth, |c| {
                let body = body.clone();
                async move { c.create_school_support(school, &body).await }
            })
            .await;
            busy.set(false);
            match r {
                Ok(made) => {
                    errors.clear();
                    what.set(String::new());
                    who.set(String::new());
                    hours.set(String::new());
                    support.update(|l| {
                        if let Load::Ready(l) = l {
                            l.items.insert(0, made)
                        }
                    });
                }
                Err(e) => errors.show_error(&e),
            }
        });
    };
    view! {
        <form class="card panel" on:submit=save aria-labelledby="allocate-title">
            <h3 id="allocate-title">"Allocate support"</h3>
            <ErrorSummary errors=errors/>
            <div class="field">
                <label for="what">"What"</label>
                <input id="what" type="text" maxlength="200" prop:value=move || what.get() on:input=move |ev| what.set(event_target_value(&ev))/>
            </div>
            <div class="field">
                <label for="provided_by">"Provided by"</label>
                <input id="provided_by" type="text" maxlength="200" prop:value=move || who.get() on:input=move |ev| who.set(event_target_value(&ev))/>
            </div>
            <div class="field">
                <label for="hours">"Hours"</label>
                <input id="hours" type="number" min="0.5" max="1000" step="0.5" inputmode="decimal" prop:value=move || hours.get() on:input=move |ev| hours.set(event_target_value(&ev))/>
            </div>
            <button class="button" type="submit" disabled=move || busy.get()>"Allocate"</button>
        </form>
    }
}

#[component]
pub fn SchoolExpectationsPage() -> impl IntoView {
    let auth = api::use_auth();
    let params = use_params_map();
    let data = RwSignal::new(Load::<SchoolExpectations>::Loading);
    let history = RwSignal::new(Load::<ExpectationHistory>::Loading);
    let support = RwSignal::new(Load::<SupportList>::Loading);
    let edits = RwSignal::new(Edits::new());
    let errors = FormErrors::new();
    let notice = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let school = Memo::new(move |_| params.read().get("id").and_then(|s| Uuid::parse_str(&s).ok()));
    let term = Memo::new(move |_| params.read().get("term").and_then(|s| s.parse::<TermKey>().ok()));
    let mine = move |v: &SchoolExpectations| {
        if v.school.editable {
            Some(Side::School)
        } else if v.trust.editable {
            Some(Side::Trust)
        } else {
            None
        }
    };
    let show = move |v: SchoolExpectations| {
        let side = mine(&v);
        edits.set(
            v.themes
                .iter()
                .flat_map(|t| &t.statements)
                .filter(|s| !s.retired)
                .map(|s| {
                    let own = match side {
                        Some(Side::School) => s.school.as_ref(),
                        Some(Side::Trust) => s.trust.as_ref(),
                        None => None,
                    };
                    (s.id, own.map(|r| u32::from(r.rating)), own.map(|r| r.evidence.clone()).unwrap_or_default())
                })
                .collect(),
        );
        data.set(Load::Ready(v));
    };
    Effect::new(move |_| {
        let (Some(id), Some(t)) = (school.get(), term.get()) else {
            data.set(Load::Failed("This is not a valid address for a school's review.".into()));
            return;
        };
        data.set(Load::Loading);
        errors.clear();
        notice.set(None);
        spawn_local(async move {
            match api::call(auth, |c| async move { c.get_school_expectations(id, t).await }).await {
                Ok(v) => show(v),
                Err(e) => data.set(Load::Failed(crate::ui::describe(&e))),
            }
            history.set(api::call(auth, |c| async move { c.get_school_expectation_history(id).await }).await.into());
            support.set(api::call(auth, |c| async move { c.list_school_support(id).await }).await.into());
        });
    });
    let send = move |submit: bool| {
        let (Some(id), Some(t)) = (school.get_untracked(), term.get_untracked()) else { return };
        let Load::Ready(v) = data.get_untracked() else { return };
        let Some(side) = mine(&v) else { return };
        let ratings: Vec<RatingInput> = edits
            .get_untracked()
            .into_iter()
            .filter_map(|(statement_id, r, evidence)| r.map(|rating| RatingInput { statement_id, rating, evidence }))
            .collect();
        busy.set(true);
        errors.clear();
        notice.set(None);
        spawn_local(async move {
            let r = api::call(auth, |c| {
                let body = SaveExpectationRatings { ratings: ratings.clone() };
                async move {
                    let saved = if body.ratings.is_empty() {
                        None
                    } else {
                        Some(c.update_school_expectation_ratings(id, t, side, &body).await?)
                    };
                    if submit { c.submit_school_expectations(id, t, side).await.map(Some) } else { Ok(saved) }
                }
            })
            .await;
            busy.set(false);
            match r {
                Ok(Some(v)) => {
                    notice.set(Some(if submit { "Submitted." } else { "Draft saved." }.into()));
                    show(v);
                }
                Ok(None) => errors.local("", "Rate at least one statement first."),
                Err(e) => errors.show_error(&e),
            }
        });
    };
    view! {
        {move || match data.get() {
            Load::Loading => loading(),
            Load::Failed(m) => view! { <h1>"Expectations"</h1> {failed(m)} }.into_any(),
            Load::Ready(v) => {
                let side = mine(&v);
                let t = v.term;
                let sid = v.school_id;
                let heading = format!("{}: expectations, {}", v.school_name, v.term_label);
                let terms = recent_terms();
                view! {
                    <p class="breadcrumb"><A href="/expectations">"Trust expectations"</A></p>
                    <h1>{heading}</h1>
                    <nav class="term-nav" aria-label="Terms">
                        <ul class="plain row">
                            {terms.into_iter().rev().map(|k| {
                                let current = k == t;
                                view! { <li><a href=format!("/expectations/{sid}/{k}") aria-current=current.then_some("page")>{k.label()}</a></li> }
                            }).collect_view()}
                        </ul>
                    </nav>
                    <ul class="plain">
                        <li>{state_line("School's self-assessment", &v.school)}</li>
                        <li>{state_line("Trust's assessment", &v.trust)}</li>
                        <li>{format!("{} statement(s) flagged: the two ratings are two or more apart.", v.flagged)}</li>
                    </ul>
                    {move || notice.get().map(|m| view! { <div class="alert ok" role="status">{m}</div> })}
                    {if v.themes.is_empty() {
                        view! { <p class="empty">"The trust has not written its expectations yet."</p> }.into_any()
                    } else if let Some(side) = side {
                        let whose = match side { Side::School => "your school's self-assessment", Side::Trust => "the trust's assessment" };
                        view! {
                            <section aria-labelledby="rate-title">
                                <h2 id="rate-title">{format!("Rate: {whose}")}</h2>
                                <p class="muted">"A draft is yours alone until you submit it; then the other side sees it, and it no longer changes."</p>
                                <ErrorSummary errors=errors/>
                                <form on:submit=move |ev| { ev.prevent_default(); send(false) }>
                                    {rating_form(&v, side, edits, data)}
                                    <p class="hint" aria-live="polite">{move || {
                                        let (done, all) = edits.with(|e| (e.iter().filter(|x| x.1.is_some()).count(), e.len()));
                                        format!("{done} of {all} rated")
                                    }}</p>
                                    <div class="row">
                                        <button class="button secondary" type="submit" disabled=move || busy.get()>"Save draft"</button>
                                        <button class="button" type="button" disabled=move || busy.get() on:click=move |_| send(true)>"Submit"</button>
                                    </div>
                                </form>
                            </section>
                            <h2>"Both sides"</h2>
                            {ratings_table(&v)}
                        }.into_any()
                    } else {
                        view! { {ratings_table(&v)} }.into_any()
                    }}
                }.into_any()
            }
        }}
        <section aria-labelledby="history-title">
            <h2 id="history-title">"By term"</h2>
            {move || match history.get() {
                Load::Loading => loading(),
                Load::Failed(m) => failed(m),
                Load::Ready(h) => history_view(h),
            }}
        </section>
        <section aria-labelledby="support-title">
            <h2 id="support-title">"Support"</h2>
            {move || match support.get() {
                Load::Loading => loading(),
                Load::Failed(m) => failed(m),
                Load::Ready(l) => view! {
                    {if l.items.is_empty() {
                        view! { <p class="empty">"No support allocated."</p> }.into_any()
                    } else {
                        view! { <ul class="plain cards">{l.items.into_iter().map(|i| support_item(i, support)).collect_view()}</ul> }.into_any()
                    }}
                    {l.allocate.then(|| school.get_untracked().map(|s| view! { <AllocateForm school=s support=support/> }))}
                }.into_any(),
            }}
        </section>
    }
}
