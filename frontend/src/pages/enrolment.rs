//! One enrolment: progress, attendance, coaching, and the participant's draft.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use trellis_domain::EnrolmentStatus;
use trellis_wire::{Cohort, Enrolment, EnrolmentProgress, Programme, ProgressParams};

use crate::api::{self};
use crate::components::attendance::AttendancePanel;
use crate::components::certificate::CertificatePanel;
use crate::components::checklist::Checklist;
use crate::components::coach_form::CoachForm;
use crate::components::coaching_log::CoachingLog;
use crate::components::diagnostic::DiagnosticPanel;
use crate::components::draft_editor::DraftEditor;
use crate::components::start_project::ProjectPanel;
use crate::components::submission_form::SubmissionForm;
use crate::components::subscribe::Subscribe;
use crate::ui::labels::Label;
use crate::ui::{Load, date, failed, id_param, loading};
#[derive(Clone)]
struct EnrolmentView {
    enrolment: Enrolment,
    cohort: Cohort,
    programme: Programme,
}

#[component]
pub fn EnrolmentPage() -> impl IntoView {
    let auth = api::use_auth();
    let state = RwSignal::new(Load::<EnrolmentView>::Loading);
    let progress = RwSignal::new(Load::<EnrolmentProgress>::Loading);
    match id_param() {
        None => state.set(Load::Failed("This is not a valid enrolment address.".into())),
        Some(id) => spawn_local(async move {
            let r = api::call(auth, |c| async move {
                let enrolment = c.get_enrolment(id).await?;
                let cohort = c.get_cohort(enrolment.cohort_id).await?;
                let programme = c.get_programme(cohort.programme_id).await?;
                Ok(EnrolmentView { enrolment, cohort, programme })
            })
            .await;
            state.set(r.into());
            let p = api::call(auth, |c| async move { c.get_enrolment_progress(id, &ProgressParams::default()).await })
                .await;
            progress.set(p.into());
        }),
    }
    view! {
        {move || match state.get() {
            Load::Loading => loading(),
            Load::Failed(m) => view! { <h1>"Enrolment"</h1> {failed(m)} }.into_any(),
            Load::Ready(v) => {
                let mine = auth.me().is_some_and(|m| m.person_id == Some(v.enrolment.person_id));
                let limit = v.programme.definition.assessment.as_ref().and_then(|a| a.word_limit);
                let status = v.enrolment.status;
                view! {
                    <p class="breadcrumb"><A href=format!("/cohorts/{}", v.cohort.id)>{v.cohort.name.clone()}</A></p>
                    <h1>{if mine { "My programme".to_owned() } else { v.enrolment.person_name.clone() }}</h1>
                    <dl class="facts">
                        <div><dt>"Programme"</dt><dd><A href=format!("/programmes/{}", v.programme.id)>{v.programme.name.clone()}</A></dd></div>
                        <div><dt>"School"</dt><dd>{v.enrolment.school_name.clone()}</dd></div>
                        <div><dt>"Status"</dt><dd><span class=format!("badge badge-{}", status.as_str())>{status.label()}</span></dd></div>
                        <div><dt>"Induction"</dt><dd>{date(v.cohort.induction_date)}</dd></div>
                    </dl>
                    {mine.then(|| view! { <Subscribe cohort=None/> })}
                    <AttendancePanel enrolment=v.enrolment.id cohort=v.cohort.id/>
                    <h2>"Progress"</h2>
                    <Checklist progress/>
                    {v.programme.definition.diagnostic.clone().map(|d| view! {
                        <DiagnosticPanel enrolment=v.enrolment.id rounds=d.rounds groups=d.rater_groups/>
                    })}
                    {v.programme.definition.project.clone().map(|rule| view! { <ProjectPanel enrolment=v.enrolment.clone() rule mine/> })}
                    {v.programme.definition.assessment.clone().map(|rule| view! {
                        <SubmissionForm enrolment=v.enrolment.clone() rule project_rule=v.programme.definition.project.clone() induction=v.cohort.induction_date mine/>
                    })}
                    <CertificatePanel enrolment=v.enrolment.clone() mine certifiable=Signal::derive(move || matches!(progress.get(), Load::Ready(p) if p.progress.certifiable))/>
                    <h2>"Portfolio"</h2>
                    <A href=format!("/enrolments/{}/portfolio", v.enrolment.id) attr:class="card link-card">
                        <h3>{if mine { "My portfolio" } else { "Portfolio" }}</h3>
                        <p class="muted">"Reflections, stories, evidence and posters, with their verification."</p>
                    </A>
                    {auth.me().filter(|m| {
                        use trellis_domain::Role;
                        (m.role == Role::SchoolLead && m.school_id == Some(v.enrolment.school_id))
                            || (m.role == Role::Facilitator && m.person_id.is_some_and(|p| v.cohort.facilitator_ids.contains(&p)))
                    }).filter(|_| v.programme.definition.coaching.is_some()).map(|_| {
                        let one = v.programme.definition.coaching.as_ref().is_some_and(|c| c.one_per_school);
                        view! { <CoachForm enrolment=v.enrolment.clone() one_per_school=one/> }
                    })}
                    {v.enrolment.coach_person_id.map(|coach| {
                        let is_coach = auth.me().is_some_and(|m| m.person_id == Some(coach));
                        view! { <CoachingLog enrolment=v.enrolment.id is_coach/> }
                    })}
                    {(mine && status != EnrolmentStatus::Withdrawn).then(|| view! { <DraftEditor enrolment=v.enrolment.id limit/> })}
                }.into_any()
            }
        }}
    }
}
