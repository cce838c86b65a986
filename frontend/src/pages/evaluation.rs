//! A cohort's evaluation report (seed 001), laid out as the seed's Year 1 report and printable on
//! A4: background and the cohort in numbers, the evidence base, what heads expected, the
//! opportunities for learning with attendance by kind (an SVG chart with its table), impact at
//! the interim stage and at the end, the challenges with withdrawals, the conclusion, and the
//! impact posters by theme as an annex. On screen only: downloads (CSV, JSON), recording an
//! interview, and editing the narrative.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use trellis_domain::evaluation::{EvaluationStage, IntervieweeRole};
use trellis_wire::{CreateEvaluationInterview, EvaluationNarrative, EvaluationReport, KindAttendance};
use uuid::Uuid;

use crate::api;
use crate::ui::forms::{ErrorSummary, FormErrors};
use crate::ui::{Load, date, failed, human, id_param, iso_date, loading};

fn pct(p: Option<u32>) -> String {
    p.map(|p| format!("{p} %")).unwrap_or_else(|| "—".into())
}

/// Attendance by kind of session, as horizontal bars.
fn attendance_chart(rows: &[KindAttendance]) -> impl IntoView + use<> {
    const W: u32 = 600;
    const LABEL: u32 = 190;
    const ROW: u32 = 30;
    let span = W - LABEL - 60;
    let h = ROW * rows.len() as u32 + 10;
    let summary = rows
        .iter()
        .map(|r| format!("{}: {}", human(r.kind.as_str()), pct(r.attendance_percent)))
        .collect::<Vec<_>>()
        .join("; ");
    view! {
        <figure class="bar-chart">
            <svg class="chart" viewBox=format!("0 0 {W} {h}") role="img" aria-label=format!("Attendance by kind of session. {summary}")>
                {rows.iter().enumerate().map(|(i, r)| {
                    let y = 6 + ROW * i as u32;
                    let w = r.attendance_percent.unwrap_or(0).min(100) * span / 100;
                    view! {
                        <text class="chart-label" x="0" y=(y + 14).to_string()>{human(r.kind.as_str())}</text>
                        <rect class="bar-attendance" x=LABEL.to_string() y=(y + 3).to_string() width=w.to_string() height="14"></rect>
                        <text class="chart-value" x=(LABEL + w + 6).to_string() y=(y + 15).to_string()>{pct(r.attendance_percent)}</text>
                    }
                }).collect_view()}
            </svg>
        </figure>
    }
}

fn quotes(
    r: &EvaluationReport,
    stage: Option<EvaluationStage>,
    pick: fn(&trellis_wire::EvaluationInterview) -> &String,
) -> AnyView {
    let items: Vec<(String, String)> = r
        .interviews
        .iter()
        .filter(|i| stage.is_none_or(|s| i.stage == s))
        .filter(|i| !pick(i).trim().is_empty())
        .map(|i| (pick(i).clone(), format!("{}, {} ({})", i.interviewee, i.school_name, date(i.held_on))))
        .collect();
    if items.is_empty() {
        return view! { <p class="empty">"No interviews at this stage yet."</p> }.into_any();
    }
    view! {
        <ul class="plain quotes">
            {items.into_iter().map(|(text, who)| view! { <li><blockquote>{text}</blockquote><p class="muted small">{who}</p></li> }).collect_view()}
        </ul>
    }
    .into_any()
}

fn document(r: &EvaluationReport) -> impl IntoView + use<> {
    let s = &r.statistics;
    let count = |stage, role| r.interviews.iter().filter(|i| i.stage == stage && i.role == role).count();
    let evidence = format!(
        "Interviews at the interim stage with {} head(s) and {} governor(s); at the end, with {} head(s) and {} governor(s); and the {} impact poster(s) presented at the final session.",
        count(EvaluationStage::Interim, IntervieweeRole::Head),
        count(EvaluationStage::Interim, IntervieweeRole::Governor),
        count(EvaluationStage::End, IntervieweeRole::Head),
        count(EvaluationStage::End, IntervieweeRole::Governor),
        r.posters.len()
    );
    let numbers = format!(
        "There were {} participants from {} schools. {} governor(s) representing {} school(s) engaged in the programme. {} of the {} who started completed it ({}).",
        s.participants,
        s.schools,
        s.governors,
        s.governor_schools,
        s.completed,
        s.started,
        pct(s.completion_percent)
    );
    let heads_expected = {
        let mut only_heads = r.clone();
        only_heads.interviews.retain(|i| i.role == IntervieweeRole::Head);
        quotes(&only_heads, None, |i| &i.expected)
    };
    let max_theme = r.themes.iter().map(|t| t.posters).max().unwrap_or(0).max(1);
    view! {
        <article class="evaluation-report">
            <header>
                <p class="muted">{format!("{} · {}", r.programme_name, r.provider_name)}</p>
                <h1>{format!("{}: evaluation", r.cohort_name)}</h1>
                <p>{format!("{} to {}", date(r.starts_on), date(r.ends_on))}</p>
            </header>
            <section><h2>"1. Background"</h2>
                {(!r.narrative.background.is_empty()).then(|| view! { <p class="prose">{r.narrative.background.clone()}</p> })}
                <p>{numbers}</p>
            </section>
            <section><h2>"2. Evidence base"</h2><p>{evidence}</p></section>
            <section><h2>"3. What heads expected from the programme"</h2>{heads_expected}</section>
            <section><h2>"4. Opportunities for leadership learning"</h2>
                {attendance_chart(&s.attendance)}
                <div class="table-wrap"><table class="stack">
                    <caption>"Sessions held and attendance by kind"</caption>
                    <thead><tr><th scope="col">"Kind"</th><th scope="col" class="num">"Sessions"</th><th scope="col" class="num">"Present"</th><th scope="col" class="num">"Late"</th><th scope="col" class="num">"Absent"</th><th scope="col" class="num">"Apologies"</th><th scope="col" class="num">"Attendance"</th></tr></thead>
                    <tbody>{s.attendance.iter().map(|a| view! {
                        <tr><th scope="row">{human(a.kind.as_str())}</th>
                            <td class="num" data-label="Sessions">{a.sessions}</td><td class="num" data-label="Present">{a.present}</td>
                            <td class="num" data-label="Late">{a.late}</td><td class="num" data-label="Absent">{a.absent}</td>
                            <td class="num" data-label="Apologies">{a.apologies}</td><td class="num" data-label="Attendance">{pct(a.attendance_percent)}</td></tr>
                    }).collect_view()}</tbody>
                </table></div>
            </section>
            <section><h2>"5. Impact at the interim stage"</h2>{quotes(r, Some(EvaluationStage::Interim), |i| &i.impact)}</section>
            <section><h2>"6. Impact at the end of the programme"</h2>
                {quotes(r, Some(EvaluationStage::End), |i| &i.impact)}
                <h3>"Impact posters by theme"</h3>
                <figure class="bar-chart">
                    <svg class="chart" viewBox=format!("0 0 600 {}", 30 * r.themes.len() + 10) role="img"
                        aria-label=format!("Posters by theme. {}", r.themes.iter().map(|t| format!("{}: {}", human(t.theme.as_str()), t.posters)).collect::<Vec<_>>().join("; "))>
                        {r.themes.iter().enumerate().map(|(i, t)| {
                            let y = 6 + 30 * i as u32;
                            let w = t.posters * 340 / max_theme;
                            view! {
                                <text class="chart-label" x="0" y=(y + 14).to_string()>{human(t.theme.as_str())}</text>
                                <rect class="bar-completion" x="250" y=(y + 3).to_string() width=w.to_string() height="14"></rect>
                                <text class="chart-value" x=(256 + w).to_string() y=(y + 15).to_string()>{t.posters}</text>
                            }
                        }).collect_view()}
                    </svg>
                </figure>
            </section>
            <section><h2>"7. Challenges"</h2>
                {(!r.narrative.challenges.is_empty()).then(|| view! { <p class="prose">{r.narrative.challenges.clone()}</p> })}
                {quotes(r, None, |i| &i.challenges)}
                {(!s.withdrawals.is_empty()).then(|| view! {
                    <h3>"Withdrawals"</h3>
                    <ul>{s.withdrawals.iter().map(|w| view! {
                        <li>{format!("{}: {}{}", human(w.reason.as_str()), w.count, if w.details.is_empty() { String::new() } else { format!(" — {}", w.details.join("; ")) })}</li>
                    }).collect_view()}</ul>
                })}
            </section>
            <section><h2>"8. Conclusion"</h2>
                {if r.narrative.conclusion.is_empty() {
                    view! { <p class="empty">"Not written yet."</p> }.into_any()
                } else {
                    view! { <p class="prose">{r.narrative.conclusion.clone()}</p> }.into_any()
                }}
            </section>
            <section class="annex"><h2>"Annex A: impact posters"</h2>
                {if r.posters.is_empty() {
                    view! { <p class="empty">"No posters handed in."</p> }.into_any()
                } else {
                    view! { <ul class="plain cards">{r.posters.iter().map(|p| view! {
                        <li class="card">
                            <h3>{p.title.clone()}</h3>
                            <p class="muted small">{format!("{}, {} · {}", p.participant, p.school_name, p.themes.iter().map(|t| human(t.as_str())).collect::<Vec<_>>().join(", "))}</p>
                            <p><strong>"Focus: "</strong>{p.focus.clone()}</p>
                            <p><strong>"Impact: "</strong>{p.impact.clone()}</p>
                        </li>
                    }).collect_view()}</ul> }.into_any()
                }}
            </section>
        </article>
    }
}

#[component]
fn InterviewForm(cohort: Uuid, schools: Vec<(Uuid, String)>, state: RwSignal<Load<EvaluationReport>>) -> impl IntoView {
    let auth = api::use_auth();
    let stage = RwSignal::new(EvaluationStage::Interim);
    let role = RwSignal::new(IntervieweeRole::Head);
    let school = RwSignal::new(schools.first().map(|s| s.0));
    let fields: [RwSignal<String>; 6] = std::array::from_fn(|_| RwSignal::new(String::new()));
    let [who, on, expected, impact, challenges, notes] = fields;
    let errors = FormErrors::new();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Some(s), Some(day)) = (school.get_untracked(), iso_date(&on.get_untracked())) else {
            errors.local("held_on", "Give the day of the interview.");
            return;
        };
        let body = CreateEvaluationInterview {
            stage: stage.get_untracked(),
            role: role.get_untracked(),
            school_id: s,
            interviewee: who.get_untracked(),
            held_on: day,
            expected: expected.get_untracked(),
            impact: impact.get_untracked(),
            challenges: challenges.get_untracked(),
            notes: notes.get_untracked(),
        };
        spawn_local(async move {
            let r = api::call(auth, |c| {
                let body = body.clone();
                async move {
                    c.create_evaluation_interview(cohort, &body).await?;
                    c.get_cohort_evaluation(cohort).await
                }
            })
            .await;
            match r {
                Ok(report) => {
                    errors.clear();
                    for f in fields {
                        f.set(String::new());
                    }
                    state.set(Load::Ready(report));
                }
                Err(e) => errors.show_error(&e),
            }
        });
    };
    let area = |id: &'static str, label: String, value: RwSignal<String>| {
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <textarea id=id rows="3" maxlength="4000" prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))></textarea>
            </div>
        }
    };
    let questions = trellis_domain::evaluation::QUESTIONS;
    view! {
        <details class="card">
            <summary>"Record an interview"</summary>
            <form on:submit=save>
                <ErrorSummary errors=errors/>
                <div class="row">
                    <div class="field">
                        <label for="stage">"Stage"</label>
                        <select id="stage" on:change=move |ev| if let Ok(s) = event_target_value(&ev).parse() { stage.set(s) }>
                            <option value="interim">"Interim"</option><option value="end">"End of programme"</option>
                        </select>
                    </div>
                    <div class="field">
                        <label for="role">"Interviewee"</label>
                        <select id="role" on:change=move |ev| if let Ok(r) = event_target_value(&ev).parse() { role.set(r) }>
                            <option value="head">"Head teacher"</option><option value="governor">"Governor"</option>
                        </select>
                    </div>
                    <div class="field">
                        <label for="school_id">"School"</label>
                        <select id="school_id" on:change=move |ev| school.set(Uuid::parse_str(&event_target_value(&ev)).ok())>
                            {schools.into_iter().map(|(id, name)| view! { <option value=id.to_string()>{name}</option> }).collect_view()}
                        </select>
                    </div>
                </div>
                <div class="field">
                    <label for="interviewee">"Name and role"</label>
                    <input id="interviewee" type="text" maxlength="200" prop:value=move || who.get() on:input=move |ev| who.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="held_on">"Held on"</label>
                    <input id="held_on" type="date" prop:value=move || on.get() on:input=move |ev| on.set(event_target_value(&ev))/>
                </div>
                {area("expected", questions[0].1.to_owned(), expected)}
                {area("impact", questions[1].1.to_owned(), impact)}
                {area("challenges", questions[2].1.to_owned(), challenges)}
                {area("notes", "Notes".to_owned(), notes)}
                <button class="button" type="submit">"Save interview"</button>
            </form>
        </details>
    }
}

#[component]
fn NarrativeForm(cohort: Uuid, current: EvaluationNarrative, state: RwSignal<Load<EvaluationReport>>) -> impl IntoView {
    let auth = api::use_auth();
    let background = RwSignal::new(current.background);
    let challenges = RwSignal::new(current.challenges);
    let conclusion = RwSignal::new(current.conclusion);
    let errors = FormErrors::new();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = EvaluationNarrative {
            background: background.get_untracked(),
            challenges: challenges.get_untracked(),
            conclusion: conclusion.get_untracked(),
        };
        spawn_local(async move {
            let r = api::call(auth, |c| {
                let body = body.clone();
                async move { c.update_cohort_evaluation(cohort, &body).await }
            })
            .await;
            match r {
                Ok(report) => {
                    errors.clear();
                    state.set(Load::Ready(report));
                }
                Err(e) => errors.show_error(&e),
            }
        });
    };
    let area = |id: &'static str, label: &'static str, value: RwSignal<String>| {
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <textarea id=id rows="4" maxlength="8000" prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))></textarea>
            </div>
        }
    };
    view! {
        <details class="card">
            <summary>"Write the narrative"</summary>
            <form on:submit=save>
                <ErrorSummary errors=errors/>
                {area("background", "Background", background)}
                {area("narrative-challenges", "Challenges", challenges)}
                {area("conclusion", "Conclusion", conclusion)}
                <button class="button" type="submit">"Save narrative"</button>
            </form>
        </details>
    }
}

#[component]
pub fn EvaluationPage() -> impl IntoView {
    let auth = api::use_auth();
    let state = RwSignal::new(Load::<EvaluationReport>::Loading);
    let schools = RwSignal::new(Vec::<(Uuid, String)>::new());
    let notice = RwSignal::new(None::<String>);
    let id = id_param();
    match id {
        None => state.set(Load::Failed("This is not a valid address.".into())),
        Some(id) => spawn_local(async move {
            state.set(api::call(auth, |c| async move { c.get_cohort_evaluation(id).await }).await.into());
            // The schools taking part, for the interview form: those with an enrolment.
            if let Ok(list) = api::call(auth, |c| async move {
                c.list_enrolments(id, &trellis_wire::ListParams { limit: Some(200), ..Default::default() }).await
            })
            .await
            {
                let mut seen: Vec<(Uuid, String)> =
                    list.items.iter().map(|e| (e.school_id, e.school_name.clone())).collect();
                seen.sort_by(|a, b| a.1.cmp(&b.1));
                seen.dedup();
                schools.set(seen);
            }
        }),
    }
    let download = move |json: bool| {
        let Some(id) = id else { return };
        spawn_local(async move {
            let r = if json {
                match state.get_untracked() {
                    Load::Ready(r) => serde_json::to_vec_pretty(&r).map_err(|e| e.to_string()),
                    _ => Err("The report has not loaded.".into()),
                }
            } else {
                api::call(auth, |c| async move { c.export_cohort_evaluation(id).await })
                    .await
                    .map_err(|e| crate::ui::describe(&e))
            };
            let (name, kind) = if json {
                ("trellis-evaluation.json", "application/json")
            } else {
                ("trellis-evaluation.csv", "text/csv")
            };
            match r {
                Ok(bytes) if crate::ui::save_as(&bytes, name, kind).is_ok() => notice.set(None),
                Ok(_) => notice.set(Some("The browser refused the download.".into())),
                Err(m) => notice.set(Some(m)),
            }
        });
    };
    let print = |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    view! {
        <p class="breadcrumb">{id.map(|id| view! { <A href=format!("/cohorts/{id}")>"Cohort"</A> })}</p>
        {move || notice.get().map(failed)}
        {move || match state.get() {
            Load::Loading => loading(),
            Load::Failed(m) => view! { <h1>"Evaluation"</h1> {failed(m)} }.into_any(),
            Load::Ready(r) => {
                let cohort = r.cohort_id;
                view! {
                    <div class="row actions">
                        <button class="button secondary small" type="button" on:click=print>"Print (A4)"</button>
                        <button class="button secondary small" type="button" on:click=move |_| download(false)>"Download CSV"</button>
                        <button class="button secondary small" type="button" on:click=move |_| download(true)>"Download JSON"</button>
                    </div>
                    {document(&r)}
                    <InterviewForm cohort=cohort schools=schools.get() state=state/>
                    <NarrativeForm cohort=cohort current=r.narrative.clone() state=state/>
                }.into_any()
            }
        }}
    }
}
