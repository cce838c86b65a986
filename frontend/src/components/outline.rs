//! A programme's definition as people read it.

use leptos::prelude::*;
use trellis_domain::rules::definition::Definition;
use trellis_domain::rules::progress::thousands;

use crate::ui::{human, or_list};

/// A definition as a reader would describe it, section by section.
#[component]
pub fn Outline(definition: Definition) -> impl IntoView {
    let d = definition;
    let mut sections: Vec<(String, Vec<String>)> = vec![];
    sections.push(("Duration".into(), vec![format!("{} months from induction", d.duration_months)]));
    if !d.sessions.is_empty() {
        let items = d
            .sessions
            .iter()
            .map(|s| match (s.min_sessions, s.min_days) {
                (Some(n), _) => format!("Attend {n} {}", s.label),
                (None, Some(days)) => format!("Attend {days} {} (half days count 0.5)", s.label),
                _ => s.label.clone(),
            })
            .collect();
        sections.push(("Sessions".into(), items));
    }
    if !d.learning_areas.is_empty() {
        sections.push(("Learning areas".into(), d.learning_areas.clone()));
    }
    if !d.behaviours.is_empty() {
        sections.push(("Behaviours".into(), vec![d.behaviours.join(", ")]));
    }
    if let Some(c) = &d.coaching {
        let mut items = vec![];
        if c.named_coach_required {
            items.push("A named coach, with a supporting statement given at application".into());
        }
        if c.min_sessions > 0 {
            let modes: Vec<String> = c.count_modes.iter().map(|m| human(m.as_str()).to_lowercase()).collect();
            items.push(format!("{} coaching sessions ({})", c.min_sessions, modes.join(" or ")));
        }
        let offered: Vec<String> = c.modes.iter().map(|m| human(m.as_str()).to_lowercase()).collect();
        items.push(format!("Coaching by {}", offered.join(", ")));
        if c.one_per_school {
            items.push("Offered to one leader per school".into());
        }
        sections.push(("Coaching".into(), items));
    }
    if let Some(dg) = &d.diagnostic {
        let rounds: Vec<String> = dg.rounds.iter().map(|r| human(r.as_str()).to_lowercase()).collect();
        let groups: Vec<String> = dg.rater_groups.iter().map(|g| human(g.as_str()).to_lowercase()).collect();
        sections.push((
            "360 diagnostic".into(),
            vec![
                format!("Rounds: {}", rounds.join(" and ")),
                format!("Raters: {}", groups.join(", ")),
                format!("A rater group is reported only with at least {} answers", dg.anonymity_threshold),
            ],
        ));
    }
    if let Some(p) = &d.project {
        let sizes: Vec<String> = p.team_sizes.iter().map(|t| human(t.as_str()).to_lowercase()).collect();
        let mut items = vec![format!(
            "{} project, {}",
            human(&or_list(&sizes)),
            if p.setting.as_str() == "own_school" { "in your own school" } else { "in another school" }
        )];
        if p.min_terms > 0 {
            items.push(format!("Lasting at least {} terms", p.min_terms));
        }
        if !p.stages.is_empty() {
            items.push(format!(
                "Stages: {}",
                p.stages.iter().map(|s| human(s.as_str()).to_lowercase()).collect::<Vec<_>>().join(" → ")
            ));
        }
        if !p.present_to.is_empty() {
            items.push(format!(
                "Outcomes presented to {}",
                p.present_to.iter().map(|a| human(a.as_str()).to_lowercase()).collect::<Vec<_>>().join(" and ")
            ));
        }
        sections.push(("Project".into(), items));
    }
    if let Some(pf) = &d.portfolio {
        let mut items = vec![];
        if let Some(r) = &pf.reflections {
            let on = human(r.on.as_str()).to_lowercase();
            items.push(format!("Reflections on {} {on}s", r.count));
            if r.led_by_participant_min > 0 {
                items.push(format!("At least {} on a {on} you led", r.led_by_participant_min));
            }
        }
        for e in &pf.entries {
            items.push(format!("An {}", human(e.as_str()).to_lowercase()));
        }
        sections.push(("Portfolio".into(), items));
    }
    if let Some(a) = &d.assessment {
        let mut items = vec![];
        if let Some(w) = a.word_limit {
            items.push(format!(
                "A written report of at most {} words (supporting documents excluded)",
                thousands(w.into())
            ));
        }
        if let Some(w) = a.window {
            items.push(format!("Submitted {} to {} months after induction", w.from_months, w.to_months));
        }
        if !a.criteria.is_empty() {
            items.push(format!("Judged on {}", a.criteria.join(", ").to_lowercase()));
        }
        if a.external_assessor {
            items.push("Marked by an external assessor".into());
        }
        if a.coach_verification {
            items.push("The coach verifies the evidence".into());
        }
        sections.push(("Final assessment".into(), items));
    }
    if let Some(sa) = &d.self_assessment {
        let who = if sa.trust_assessment { "School and trust assess" } else { "School assesses" };
        sections.push((
            "Termly self-assessment".into(),
            vec![format!("{who} each term against: {}", sa.themes.join(", "))],
        ));
    }
    let by = human(d.certification.by.as_str());
    let mut cert = vec![format!("Certified by the {}", by.to_lowercase())];
    if d.certification.requires_assessment_pass {
        cert.push("After a passed final assessment".into());
    }
    sections.push(("Certification".into(), cert));
    view! {
        <div class="outline">
            {sections.into_iter().map(|(title, items)| view! {
                <section class="card">
                    <h2>{title}</h2>
                    <ul>{items.into_iter().map(|i| view! { <li>{i}</li> }).collect_view()}</ul>
                </section>
            }).collect_view()}
        </div>
    }
}
