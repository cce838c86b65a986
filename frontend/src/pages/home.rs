//! The home page: what each role can do from here.

use leptos::prelude::*;
use leptos_router::components::A;
use trellis_domain::Role;

use crate::api::{self};
use crate::components::my_enrolments::{MyEnrolments, is_participant};
#[component]
pub fn Home() -> impl IntoView {
    let auth = api::use_auth();
    view! {
        <h1>{move || auth.me().map(|m| format!("Welcome, {}", m.display_name)).unwrap_or_default()}</h1>
        <p class="lead">{move || auth.me().map(|m| intro(m.role)).unwrap_or_default()}</p>
        <Show when=move || is_participant(auth.me().map(|m| m.role))>
            <MyEnrolments/>
        </Show>
        <div class="cards">
            <A href="/cohorts" attr:class="card link-card">
                <h2>"Cohorts"</h2>
                <p>"Programmes running now, their participants and where each one stands."</p>
            </A>
            <Show when=move || auth.me().is_some_and(|m| m.role != Role::Participant)>
                <A href="/programmes" attr:class="card link-card">
                    <h2>"Programmes"</h2>
                    <p>"What each programme asks of participants, requirement by requirement."</p>
                </A>
            </Show>
            <Show when=move || auth.me().is_some_and(|m| !matches!(m.role, Role::Coach | Role::Assessor))>
                <A href="/schools" attr:class="card link-card">
                    <h2>"Schools"</h2>
                    <p>"The schools you work with."</p>
                </A>
            </Show>
        </div>
    }
}

fn intro(role: Role) -> &'static str {
    match role {
        Role::PlatformAdmin => "You can see and manage everything on this Trellis.",
        Role::TrustAdmin => "You can follow every school in your trust and the staff they put forward.",
        Role::SchoolLead => "Nominate your staff, approve their places and follow their progress.",
        Role::Facilitator => "Run your cohorts: activate participants and record how they progress.",
        Role::Coach => "Follow the participants you coach.",
        Role::Assessor => "Assessments assigned to you will appear here.",
        Role::Participant => "Your programme, your progress.",
    }
}
