//! An enrolment's requirements, each with its status and why.

use leptos::prelude::*;
use trellis_domain::rules::RequirementStatus;
use trellis_wire::EnrolmentProgress;

use crate::ui::labels::Label;
use crate::ui::{Load, date, failed, loading};

#[component]
pub fn Checklist(progress: RwSignal<Load<EnrolmentProgress>>) -> impl IntoView {
    move || match progress.get() {
        Load::Loading => loading(),
        Load::Failed(m) => failed(m),
        Load::Ready(p) => {
            let met = p.progress.requirements.iter().filter(|r| r.status == RequirementStatus::Met).count();
            let total = p.progress.requirements.len();
            view! {
                <p class="lead" id="progress-summary">
                    {format!("{met} of {total} requirements met. ")}
                    {if p.progress.certifiable { "Ready for certification." } else { "Not yet ready for certification." }}
                </p>
                <ul class="checklist">
                    {p.progress.requirements.into_iter().map(|r| view! {
                        <li class=format!("req req-{}", r.status.as_str()) data-requirement=r.id.clone()>
                            <span class=format!("badge req-badge-{}", r.status.as_str())>{r.status.label()}</span>
                            <div>
                                <p class="req-label">{r.label.clone()}</p>
                                <p class="muted small">
                                    {r.explanation.clone()}
                                    {r.due.map(|d| format!(" · due {}", date(d)))}
                                </p>
                            </div>
                        </li>
                    }).collect_view()}
                </ul>
            }
            .into_any()
        }
    }
}
