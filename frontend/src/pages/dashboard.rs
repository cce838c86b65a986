//! The trust dashboard (trust admins, school leads, platform admins): schools × programmes with
//! completion, attendance and overdue requirements, filtered by programme and school; a bar chart
//! drawn as SVG with the table behind it; a drill-down to the enrolments of one school on one
//! programme, linking to their cohort and enrolment; CSV downloads of the grid and the enrolments.

use leptos::prelude::*;
use leptos::task::spawn_local;
use trellis_wire::{ProgressFeedParams, ProgressItem, ProgressSummary, ProgressSummaryRow, Tally};
use uuid::Uuid;

use crate::api;
use crate::ui::{Load, date, failed, loading};

fn pct(p: Option<u32>) -> String {
    p.map(|p| format!("{p} %")).unwrap_or_else(|| "—".into())
}

/// Completion and attendance per row, as horizontal bars with the figures beside them.
fn bars(rows: &[ProgressSummaryRow]) -> impl IntoView + use<> {
    const W: u32 = 640;
    const LABEL: u32 = 250;
    const ROW: u32 = 34;
    let span = W - LABEL - 60;
    let h = ROW * rows.len() as u32 + 30;
    let bar = |y: u32, p: Option<u32>, class: &'static str, dy: u32| {
        let w = p.unwrap_or(0).min(100) * span / 100;
        view! {
            <rect class=class x=LABEL.to_string() y=(y + dy).to_string() width=w.to_string() height="10"></rect>
            <text class="chart-value" x=(LABEL + w + 6).to_string() y=(y + dy + 9).to_string()>{pct(p)}</text>
        }
    };
    let summary = rows
        .iter()
        .map(|r| {
            format!(
                "{}, {}: {} complete, {} attendance",
                r.school_name,
                r.programme_name,
                pct(r.tally.completion_percent),
                pct(r.tally.attendance_percent)
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    view! {
        <figure class="bar-chart">
            <svg class="chart" viewBox=format!("0 0 {W} {h}") role="img" aria-label=format!("Completion and attendance by school and programme. {summary}")>
                {rows.iter().enumerate().map(|(i, r)| {
                    let y = 8 + ROW * i as u32;
                    view! {
                        <text class="chart-label" x="0" y=(y + 14).to_string()>{format!("{} · {}", r.school_name, r.programme_name)}</text>
                        {bar(y, r.tally.completion_percent, "bar-completion", 0)}
                        {bar(y, r.tally.attendance_percent, "bar-attendance", 13)}
                    }
                }).collect_view()}
            </svg>
            <figcaption>
                <span class="key key-completion">"Completion"</span>" "
                <span class="key key-attendance">"Attendance"</span>
            </figcaption>
        </figure>
    }
}

fn tally_cells(t: &Tally) -> impl IntoView + use<> {
    view! {
        <td class="num">{t.enrolments}</td>
        <td class="num">{t.live}</td>
        <td class="num">{t.completed}</td>
        <td class="num">{t.withdrawn + t.deferred}</td>
        <td class="num">{pct(t.completion_percent)}</td>
        <td class="num">{pct(t.attendance_percent)}</td>
        <td class="num">{t.with_overdue}</td>
    }
}

fn download(auth: api::Auth, params: ProgressFeedParams, grid: bool, notice: RwSignal<Option<String>>) {
    spawn_local(async move {
        let r = api::call(auth, |c| {
            let p = params.clone();
            async move { if grid { c.export_progress_summary(&p).await } else { c.export_progress(&p).await } }
        })
        .await;
        let name = if grid { "trellis-dashboard.csv" } else { "trellis-enrolments.csv" };
        match r {
            Ok(bytes) if crate::ui::save_as(&bytes, name, "text/csv").is_ok() => notice.set(None),
            Ok(_) => notice.set(Some("The browser refused the download.".into())),
            Err(e) => notice.set(Some(crate::ui::describe(&e))),
        }
    });
}

#[component]
pub fn Dashboard() -> impl IntoView {
    let auth = api::use_auth();
    let programme = RwSignal::new(None::<Uuid>);
    let school = RwSignal::new(None::<Uuid>);
    // Every row, for the filters' choices; the filtered summary, for the grid.
    let all = RwSignal::new(Vec::<ProgressSummaryRow>::new());
    let summary = RwSignal::new(Load::<ProgressSummary>::Loading);
    let drill = RwSignal::new(None::<(Uuid, Uuid, String)>);
    let items = RwSignal::new(Load::<Vec<ProgressItem>>::Loading);
    let notice = RwSignal::new(None::<String>);
    let params = move || ProgressFeedParams {
        programme_id: programme.get_untracked(),
        school_id: school.get_untracked(),
        ..Default::default()
    };
    let load = move || {
        summary.set(Load::Loading);
        let p = params();
        spawn_local(async move {
            let r = api::call(auth, |c| {
                let p = p.clone();
                async move { c.get_progress_summary(&p).await }
            })
            .await;
            if let Ok(s) = &r
                && p.programme_id.is_none()
                && p.school_id.is_none()
            {
                all.set(s.rows.clone());
            }
            summary.set(r.into());
        });
    };
    load();
    let open = move |s: Uuid, p: Uuid, title: String| {
        drill.set(Some((s, p, title)));
        items.set(Load::Loading);
        spawn_local(async move {
            let params = ProgressFeedParams {
                school_id: Some(s),
                programme_id: Some(p),
                limit: Some(200),
                ..Default::default()
            };
            let r = api::call(auth, |c| {
                let params = params.clone();
                async move { c.list_progress(&params).await }
            })
            .await;
            items.set(r.map(|f| f.items).into());
        });
    };
    let choices = move |school_side: bool| {
        let mut seen: Vec<(Uuid, String)> = all
            .get()
            .iter()
            .map(|r| {
                if school_side {
                    (r.school_id, r.school_name.clone())
                } else {
                    (r.programme_id, r.programme_name.clone())
                }
            })
            .collect();
        seen.sort_by(|a, b| a.1.cmp(&b.1));
        seen.dedup();
        seen
    };
    let pick = move |target: RwSignal<Option<Uuid>>| {
        move |ev: leptos::ev::Event| {
            target.set(Uuid::parse_str(&event_target_value(&ev)).ok());
            drill.set(None);
            load();
        }
    };
    view! {
        <h1>"Dashboard"</h1>
        <p class="lead">"Every enrolment you can see, by school and programme: how many are under way, complete or withdrawn, attendance at registered sessions, and who has requirements overdue."</p>
        <form class="filters" aria-label="Filters" on:submit=|ev| ev.prevent_default()>
            <label for="filter-programme">"Programme"</label>
                <select id="filter-programme" on:change=pick(programme)>
                    <option value="">"All programmes"</option>
                    {move || choices(false).into_iter().map(|(id, name)| view! { <option value=id.to_string() selected=move || programme.get() == Some(id)>{name}</option> }).collect_view()}
                </select>
            <label for="filter-school">"School"</label>
                <select id="filter-school" on:change=pick(school)>
                    <option value="">"All schools"</option>
                    {move || choices(true).into_iter().map(|(id, name)| view! { <option value=id.to_string() selected=move || school.get() == Some(id)>{name}</option> }).collect_view()}
                </select>
            <button class="button secondary small" type="button" on:click=move |_| download(auth, params(), true, notice)>"Download grid (CSV)"</button>
            <button class="button secondary small" type="button" on:click=move |_| download(auth, params(), false, notice)>"Download enrolments (CSV)"</button>
        </form>
        {move || notice.get().map(failed)}
        {move || match summary.get() {
            Load::Loading => loading(),
            Load::Failed(m) => failed(m),
            Load::Ready(s) if s.rows.is_empty() => view! { <p class="empty">"No enrolments match."</p> }.into_any(),
            Load::Ready(s) => {
                let t = s.totals;
                view! {
                    <ul class="plain stats">
                        <li class="card"><span class="stat">{t.enrolments}</span>" enrolments"</li>
                        <li class="card"><span class="stat">{pct(t.completion_percent)}</span>" completion"</li>
                        <li class="card"><span class="stat">{pct(t.attendance_percent)}</span>" attendance"</li>
                        <li class="card"><span class="stat">{t.with_overdue}</span>" with overdue requirements"</li>
                    </ul>
                    <p class="muted small">{format!("Requirements evaluated as of {}.", date(s.as_of))}</p>
                    {bars(&s.rows)}
                    <div class="table-wrap">
                        <table>
                            <caption>"Schools × programmes"</caption>
                            <thead><tr>
                                <th scope="col">"School"</th><th scope="col">"Programme"</th>
                                <th scope="col" class="num">"Enrolments"</th><th scope="col" class="num">"Under way"</th>
                                <th scope="col" class="num">"Completed"</th><th scope="col" class="num">"Left"</th>
                                <th scope="col" class="num">"Completion"</th><th scope="col" class="num">"Attendance"</th>
                                <th scope="col" class="num">"With overdue"</th><th scope="col"><span class="visually-hidden">"Details"</span></th>
                            </tr></thead>
                            <tbody>
                                {s.rows.iter().map(|r| {
                                    let (sid, pid) = (r.school_id, r.programme_id);
                                    let title = format!("{} · {}", r.school_name, r.programme_name);
                                    let label = format!("Enrolments: {title}");
                                    view! {
                                        <tr>
                                            <th scope="row">{r.school_name.clone()}</th>
                                            <td>{r.programme_name.clone()}</td>
                                            {tally_cells(&r.tally)}
                                            <td><button class="button secondary small" type="button" aria-label=label on:click=move |_| open(sid, pid, title.clone())>"Enrolments"</button></td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                            <tfoot><tr><th scope="row">"Total"</th><td></td>{tally_cells(&t)}<td></td></tr></tfoot>
                        </table>
                    </div>
                }.into_any()
            }
        }}
        {move || drill.get().map(|(_, _, title)| view! {
            <section class="drill" aria-labelledby="drill-title">
                <h2 id="drill-title">{title}</h2>
                {move || match items.get() {
                    Load::Loading => loading(),
                    Load::Failed(m) => failed(m),
                    Load::Ready(list) if list.is_empty() => view! { <p class="empty">"No enrolments."</p> }.into_any(),
                    Load::Ready(list) => view! {
                        <div class="table-wrap"><table>
                            <thead><tr>
                                <th scope="col">"Participant"</th><th scope="col">"Cohort"</th><th scope="col">"Status"</th>
                                <th scope="col" class="num">"Requirements met"</th><th scope="col">"Overdue"</th><th scope="col" class="num">"Attended"</th>
                            </tr></thead>
                            <tbody>{list.into_iter().map(|i| view! {
                                <tr>
                                    <th scope="row"><a href=format!("/enrolments/{}", i.enrolment_id)>{i.person_name.clone()}</a>
                                        {i.left_school_on.map(|d| view! { " "<span class="badge badge-flag">{format!("Left school {}", date(d))}</span> })}</th>
                                    <td><a href=format!("/cohorts/{}", i.cohort_id)>{i.cohort_name.clone()}</a></td>
                                    <td>{crate::ui::human(i.status.as_str())}</td>
                                    <td class="num">{format!("{} of {}", i.met, i.total)}</td>
                                    <td>{if i.overdue_items.is_empty() { "—".to_owned() } else { i.overdue_items.join("; ") }}</td>
                                    <td class="num">{format!("{} of {}", i.sessions_attended, i.sessions_marked)}</td>
                                </tr>
                            }).collect_view()}</tbody>
                        </table></div>
                    }.into_any(),
                }}
            </section>
        })}
    }
}
