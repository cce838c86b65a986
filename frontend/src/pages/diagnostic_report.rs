//! An enrolment's 360 report, for the participant and their coach: each closed round drawn (self,
//! line manager and the other groups on the 1–5 scale) with the table behind the chart, baseline
//! against end, the raters' words unattributed; printable on A4.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use trellis_wire::{ClosedRound, DiagnosticReport, RoundKind};

use crate::api::{self};
use crate::ui::chart::{DotRow, dot_chart, number};
use crate::ui::labels::Label;
use crate::ui::{Load, date, failed, id_param, loading};

fn mean(v: Option<f64>) -> String {
    v.map(number).unwrap_or_else(|| "–".into())
}

fn round_view(kind: RoundKind, r: ClosedRound) -> impl IntoView {
    let rep = r.report;
    let cols: Vec<&'static str> = rep.columns.iter().map(|c| c.key.label()).collect();
    let rows: Vec<DotRow> = rep
        .rows
        .iter()
        .map(|row| DotRow { label: row.item.name.clone(), values: row.cells.iter().map(|c| c.mean).collect() })
        .collect();
    let story = format!(
        "{}: ratings from 1 to 5 on {} behaviours and areas, by {}. The table below gives every figure.",
        kind.label(),
        rep.rows.len(),
        crate::ui::or_list(&cols.iter().map(|c| c.to_lowercase()).collect::<Vec<_>>()).replace(" or ", " and ")
    );
    let heading = format!("{} · closed {}", kind.label(), date(r.closed_on));
    let counts = rep
        .answered
        .iter()
        .map(|a| format!("{} {}", a.answered, a.group.label().to_lowercase()))
        .collect::<Vec<_>>()
        .join(", ");
    let pooled = rep.columns.iter().find(|c| c.key == trellis_wire::ColumnKey::Others).map(|c| {
        let groups: Vec<String> = c.groups.iter().map(|g| g.label().to_lowercase()).collect();
        format!(
            "Others: {} answers from {}, pooled because a group is shown on its own only with {} answers or more.",
            c.responses,
            groups.join(" and "),
            rep.threshold
        )
    });
    let withheld = (!rep.withheld.is_empty()).then(|| {
        let groups: Vec<String> = rep.withheld.iter().map(|g| g.label().to_lowercase()).collect();
        format!("Not shown: {} — too few answers to keep them anonymous.", groups.join(" and "))
    });
    view! {
        <section class="report-round">
            <h2>{heading}</h2>
            <p class="muted">{format!("Answers: {counts}.")}</p>
            {pooled.map(|p| view! { <p class="hint">{p}</p> })}
            {withheld.map(|w| view! { <p class="hint">{w}</p> })}
            {dot_chart(&cols, &rows, story)}
            <table class="table">
                <caption>"Mean rating by group (1 rarely – 5 consistently; – not shown)"</caption>
                <thead><tr><th scope="col">"Behaviour or area"</th>{cols.iter().map(|c| view! { <th scope="col">{*c}</th> }).collect_view()}</tr></thead>
                <tbody>
                    {rep.rows.iter().map(|row| view! {
                        <tr><th scope="row">{row.item.name.clone()}</th>{row.cells.iter().map(|c| view! { <td>{mean(c.mean)}</td> }).collect_view()}</tr>
                    }).collect_view()}
                </tbody>
            </table>
            <div class="comments">
                <div>
                    <h3>"Strengths raters see"</h3>
                    {if rep.comments_withheld {
                        view! { <p class="muted">"Too few raters answered to show their words anonymously."</p> }.into_any()
                    } else {
                        view! { <ul>{rep.strengths.iter().map(|t| view! { <li>{t.clone()}</li> }).collect_view()}</ul> }.into_any()
                    }}
                    {(!rep.self_strengths.is_empty()).then(|| view! { <p><strong>"Your view: "</strong>{rep.self_strengths.clone()}</p> })}
                </div>
                <div>
                    <h3>"Areas to develop"</h3>
                    {(!rep.comments_withheld).then(|| view! { <ul>{rep.development.iter().map(|t| view! { <li>{t.clone()}</li> }).collect_view()}</ul> })}
                    {(!rep.self_development.is_empty()).then(|| view! { <p><strong>"Your view: "</strong>{rep.self_development.clone()}</p> })}
                </div>
            </div>
        </section>
    }
}

#[component]
pub fn DiagnosticReportPage() -> impl IntoView {
    let auth = api::use_auth();
    let state = RwSignal::new(Load::<DiagnosticReport>::Loading);
    let id = id_param();
    match id {
        None => state.set(Load::Failed("This is not a valid address.".into())),
        Some(id) => spawn_local(async move {
            state.set(api::call(auth, |c| async move { c.get_diagnostic_report(id).await }).await.into());
        }),
    }
    let print = |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    view! {
        {move || match state.get() {
            Load::Loading => loading(),
            Load::Failed(m) => view! { <h1>"360 report"</h1> {failed(m)} }.into_any(),
            Load::Ready(r) => {
                let change = r.change.clone();
                let who = r.participant_name.clone();
                let keys: Vec<trellis_wire::ColumnKey> =
                    change.first().map(|row| row.cells.iter().map(|c| c.column).collect()).unwrap_or_default();
                view! {
                    <p class="breadcrumb"><A href=format!("/enrolments/{}", r.enrolment_id)>{r.participant_name.clone()}</A></p>
                    <h1>{format!("360 report: {who}")}</h1>
                    <p class="muted">{format!("{} · no figure here is one rater's rating; comments are shown without names.", r.programme_name)}</p>
                    <p><button class="button secondary" type="button" on:click=print>"Print"</button></p>
                    {r.baseline.clone().map(|b| round_view(RoundKind::Baseline, b))}
                    {r.end.clone().map(|e| round_view(RoundKind::End, e))}
                    {(!change.is_empty()).then(|| view! {
                        <section class="report-round">
                            <h2>"Baseline against end"</h2>
                            <table class="table">
                                <caption>"Change in mean rating, end minus baseline"</caption>
                                <thead><tr><th scope="col">"Behaviour or area"</th>{keys.iter().map(|k| view! { <th scope="col">{k.label()}</th> }).collect_view()}</tr></thead>
                                <tbody>
                                    {change.iter().map(|row| view! {
                                        <tr><th scope="row">{row.item.name.clone()}</th>
                                        {row.cells.iter().map(|c| view! {
                                            <td>{format!("{} → {}", mean(c.baseline), mean(c.end))}
                                                {c.change.map(|d| view! { <strong class="change">{format!(" ({}{})", if d > 0.0 { "+" } else { "" }, number(d))}</strong> })}
                                            </td>
                                        }).collect_view()}</tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </section>
                    })}
                }.into_any()
            }
        }}
    }
}
