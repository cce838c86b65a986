//! Trust expectations (seed 002). For a trust's admins: the heatmap of every school × theme for a
//! term — the school's own mean rating beside the trust's, the statements whose two ratings differ
//! by two or more flagged — drawn as SVG with the table behind it, each school linking to its
//! review. For a school's leads: their own school's review of the current term.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{A, Redirect};
use trellis_domain::expectations::TermKey;
use trellis_wire::{AssessmentStatus, ExpectationHeatmap, HeatmapRow, Role};
use uuid::Uuid;

use crate::api;
use crate::ui::chart::number;
use crate::ui::{Load, failed, loading, recent_terms, status_label};

fn mean(v: Option<f64>) -> String {
    v.map(number).unwrap_or_else(|| "—".into())
}

/// The colour band of a mean on the 1–4 scale.
fn band(v: Option<f64>) -> &'static str {
    match v {
        None => "heat-none",
        Some(x) if x < 1.75 => "heat-1",
        Some(x) if x < 2.5 => "heat-2",
        Some(x) if x < 3.25 => "heat-3",
        Some(_) => "heat-4",
    }
}

/// Words into lines of about `width` characters.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = vec![];
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_owned()),
        }
    }
    lines
}

/// Schools down, themes across; each cell split: the school's mean on the left, the trust's on
/// the right; a flagged cell is outlined and marked with its count.
fn heatmap(m: &ExpectationHeatmap) -> impl IntoView + use<> {
    const LABEL: u32 = 190;
    const CELL_W: u32 = 104;
    const CELL_H: u32 = 40;
    const HEAD: u32 = 64;
    let w = LABEL + CELL_W * m.themes.len() as u32 + 4;
    let h = HEAD + CELL_H * m.rows.len() as u32 + 4;
    let summary = m
        .rows
        .iter()
        .map(|r| {
            let cells = m
                .themes
                .iter()
                .zip(&r.cells)
                .map(|(t, c)| format!("{} school {} trust {}", t.name, mean(c.school), mean(c.trust)))
                .collect::<Vec<_>>()
                .join(", ");
            format!("{}: {cells}; {} flagged", r.school_name, r.flagged)
        })
        .collect::<Vec<_>>()
        .join(". ");
    view! {
        <figure class="heatmap">
            <svg class="chart" viewBox=format!("0 0 {w} {h}") role="img"
                aria-label=format!("Mean ratings by school and theme, school then trust. {summary}")>
                {m.themes.iter().enumerate().map(|(i, t)| {
                    let x = LABEL + CELL_W * i as u32 + CELL_W / 2;
                    view! {
                        {wrap(&t.name, 14).into_iter().take(3).enumerate().map(|(k, line)| view! {
                            <text class="chart-label heat-head" x=x.to_string() y=(14 + 15 * k as u32).to_string() text-anchor="middle">{line}</text>
                        }).collect_view()}
                    }
                }).collect_view()}
                {m.rows.iter().enumerate().map(|(j, r)| {
                    let y = HEAD + CELL_H * j as u32;
                    view! {
                        <text class="chart-label" x="0" y=(y + CELL_H / 2 + 5).to_string()>{r.school_name.clone()}</text>
                        {r.cells.iter().enumerate().map(|(i, c)| {
                            let x = LABEL + CELL_W * i as u32;
                            let half = CELL_W / 2 - 2;
                            view! {
                                <rect class=band(c.school) x=x.to_string() y=y.to_string() width=half.to_string() height=(CELL_H - 4).to_string()></rect>
                                <rect class=band(c.trust) x=(x + half).to_string() y=y.to_string() width=half.to_string() height=(CELL_H - 4).to_string()></rect>
                                <text class="heat-value" x=(x + half / 2).to_string() y=(y + 23).to_string() text-anchor="middle">{mean(c.school)}</text>
                                <text class="heat-value" x=(x + half + half / 2).to_string() y=(y + 23).to_string() text-anchor="middle">{mean(c.trust)}</text>
                                {(c.flagged > 0).then(|| view! {
                                    <rect class="heat-flag" x=x.to_string() y=y.to_string() width=(2 * half).to_string() height=(CELL_H - 4).to_string()></rect>
                                    <text class="heat-flag-count" x=(x + 2 * half - 4).to_string() y=(y + 11).to_string() text-anchor="end">{format!("⚑{}", c.flagged)}</text>
                                })}
                            }
                        }).collect_view()}
                    }
                }).collect_view()}
            </svg>
            <figcaption>
                "Each cell: the school's own mean (left) and the trust's (right), 1 to 4. "
                <span class="key heat-key-flag">{format!("⚑ statements rated {} or more apart", m.gap_flag)}</span>
            </figcaption>
        </figure>
    }
}

fn row_view(r: HeatmapRow, term: TermKey, names: Vec<String>) -> impl IntoView {
    let href = format!("/expectations/{}/{term}", r.school_id);
    let (overdue, flagged_total, hours) = (r.reviews_overdue, r.flagged, r.support_hours);
    view! {
        <tr>
            <th scope="row"><A href=href>{r.school_name.clone()}</A></th>
            <td data-label="Self-assessment">{status_label(r.school_status)}</td>
            <td data-label="Trust assessment">{status_label(r.trust_status)}</td>
            {r.cells.into_iter().zip(names).map(|(c, name)| view! {
                <td class="num" data-label=name>{format!("{} / {}", mean(c.school), mean(c.trust))}
                    {(c.flagged > 0).then(|| view! { <span class="badge badge-flag">{format!("{} flagged", c.flagged)}</span> })}
                </td>
            }).collect_view()}
            <td class="num" data-label="Flagged">{flagged_total}</td>
            <td class="num" data-label="Support hours">{number(hours)}
                {(overdue > 0).then(|| view! { <span class="badge badge-flag">{format!("{overdue} review(s) overdue")}</span> })}
            </td>
        </tr>
    }
}

#[component]
fn Heatmap(trust: Uuid) -> impl IntoView {
    let auth = api::use_auth();
    let term = RwSignal::new(TermKey::of(crate::ui::today()));
    let data = RwSignal::new(Load::<ExpectationHeatmap>::Loading);
    let load = move || {
        data.set(Load::Loading);
        let t = term.get_untracked();
        spawn_local(async move {
            data.set(api::call(auth, |c| async move { c.get_expectation_heatmap(trust, Some(t)).await }).await.into());
        });
    };
    load();
    view! {
        <h1>"Trust expectations"</h1>
        <p class="lead">"Each school rates itself against the trust's expectations every term, and the trust rates each school too. Where the two differ by two points or more, the statement is flagged for a conversation."</p>
        <form class="filters" aria-label="Term" on:submit=|ev| ev.prevent_default()>
            <label for="heatmap-term">"Term"</label>
            <select id="heatmap-term" on:change=move |ev| {
                if let Ok(t) = event_target_value(&ev).parse::<TermKey>() { term.set(t); load(); }
            }>
                {recent_terms().into_iter().map(|t| view! {
                    <option value=t.to_string() selected=move || term.get() == t>{t.label()}</option>
                }).collect_view()}
            </select>
        </form>
        {move || match data.get() {
            Load::Loading => loading(),
            Load::Failed(m) => failed(m),
            Load::Ready(m) if m.themes.is_empty() => view! {
                <p class="empty">"The trust has not written its expectations yet."</p>
            }.into_any(),
            Load::Ready(m) => {
                let t = m.term;
                let names: Vec<String> = m.themes.iter().map(|th| th.name.clone()).collect();
                view! {
                    <ul class="plain stats">
                        <li class="card"><span class="stat">{m.rows.iter().filter(|r| r.school_status == AssessmentStatus::Submitted).count()}</span>{format!(" of {} schools self-assessed", m.rows.len())}</li>
                        <li class="card"><span class="stat">{m.rows.iter().filter(|r| r.trust_status == AssessmentStatus::Submitted).count()}</span>" assessed by the trust"</li>
                        <li class="card"><span class="stat">{m.flagged}</span>" statements flagged"</li>
                    </ul>
                    {heatmap(&m)}
                    <div class="table-wrap">
                        <table class="stack">
                            <caption>{format!("Schools × themes, {}: school / trust mean", m.term_label)}</caption>
                            <thead><tr>
                                <th scope="col">"School"</th><th scope="col">"Self-assessment"</th><th scope="col">"Trust assessment"</th>
                                {m.themes.iter().map(|th| view! { <th scope="col" class="num">{th.name.clone()}</th> }).collect_view()}
                                <th scope="col" class="num">"Flagged"</th><th scope="col" class="num">"Support hours"</th>
                            </tr></thead>
                            <tbody>{m.rows.iter().cloned().map(|r| row_view(r, t, names.clone())).collect_view()}</tbody>
                        </table>
                    </div>
                }.into_any()
            }
        }}
    }
}

#[component]
pub fn ExpectationsPage() -> impl IntoView {
    let auth = api::use_auth();
    move || match auth.me() {
        Some(m) if m.role == Role::TrustAdmin && m.organisation_id.is_some() => {
            view! { <Heatmap trust=m.organisation_id.unwrap_or_default()/> }.into_any()
        }
        Some(m) if m.role == Role::SchoolLead && m.school_id.is_some() => {
            let path = format!("/expectations/{}/{}", m.school_id.unwrap_or_default(), TermKey::of(crate::ui::today()));
            view! { <Redirect path=path/> }.into_any()
        }
        _ => view! {
            <h1>"Trust expectations"</h1>
            <p class="empty">"Trust expectations are for a trust's admins and its schools' leads."</p>
        }
        .into_any(),
    }
}
