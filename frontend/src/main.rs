//! The Trellis single-page app: Leptos, rendered in the browser, talking to `/api/v1` through the
//! shared typed client and reusing the domain crate's rules.

mod api;
mod components;
mod pages;
mod ui;

use api::{Auth, AuthState};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::path;
use trellis_domain::Role;
use ui::labels::Label;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}

#[component]
fn App() -> impl IntoView {
    let auth = Auth(RwSignal::new(AuthState::Starting));
    provide_context(auth);
    spawn_local(api::resume(auth));
    view! {
        <Router>
            {move || match auth.0.get() {
                AuthState::Starting => view! { <p class="splash" role="status">"Loading Trellis…"</p> }.into_any(),
                // Signed out, the links from emails still open their pages.
                AuthState::SignedOut => view! {
                    <Routes fallback=|| view! { <pages::sign_in::SignIn/> }>
                        // The pages carry no landmark of their own: signed in, they sit in the shell's.
                        <Route path=path!("/accept-invitation") view=|| view! { <main id="main"><pages::accept_invitation::AcceptInvitation/></main> }/>
                        <Route path=path!("/reset-password") view=|| view! { <main id="main"><pages::reset_password::ResetPassword/></main> }/>
                        <Route path=path!("/verify/:code") view=|| view! { <main id="main"><pages::verify::VerifyPage/></main> }/>
                        <Route path=path!("/rate") view=|| view! { <main id="main"><pages::rate::RatePage/></main> }/>
                    </Routes>
                }.into_any(),
                AuthState::SignedIn(_) => view! { <Shell/> }.into_any(),
            }}
        </Router>
    }
}

#[component]
fn Shell() -> impl IntoView {
    let auth = api::use_auth();
    let me = move || auth.me();
    let shows_schools = move || me().is_some_and(|m| !matches!(m.role, Role::Coach | Role::Assessor));
    let cohorts_label =
        move || if me().is_some_and(|m| m.role == Role::Participant) { "My programme" } else { "Cohorts" };
    let manages_accounts = move || {
        me().is_some_and(|m| {
            matches!(m.role, Role::PlatformAdmin | Role::TrustAdmin | Role::SchoolLead | Role::Facilitator)
        })
    };
    let manages_clients =
        move || me().is_some_and(|m| matches!(m.role, Role::PlatformAdmin | Role::TrustAdmin | Role::SchoolLead));
    let signing_out = RwSignal::new(false);
    view! {
        <a class="skip" href="#main">"Skip to content"</a>
        <header class="topbar">
            <div class="topbar-inner">
                <A href="/" attr:class="brand">"Trellis"</A>
                <nav aria-label="Main">
                    <ul>
                        <li><A href="/" exact=true>"Home"</A></li>
                        <li><A href="/cohorts">{cohorts_label}</A></li>
                        <Show when=move || me().is_some_and(|m| m.role != Role::Participant)>
                            <li><A href="/programmes">"Programmes"</A></li>
                        </Show>
                        <Show when=manages_clients>
                            <li><A href="/dashboard">"Dashboard"</A></li>
                        </Show>
                        <Show when=shows_schools>
                            <li><A href="/schools">"Schools"</A></li>
                        </Show>
                        <Show when=move || me().is_some_and(|m| matches!(m.role, Role::TrustAdmin | Role::SchoolLead))>
                            <li><A href="/expectations">"Expectations"</A></li>
                        </Show>
                        <Show when=move || me().is_some_and(|m| matches!(m.role, Role::TrustAdmin | Role::SchoolLead | Role::Participant))>
                            <li><A href="/partnerships">"Partnerships"</A></li>
                        </Show>
                        <Show when=move || me().is_some_and(|m| matches!(m.role, Role::Coach | Role::Facilitator))>
                            <li><A href="/verification">"To verify"</A></li>
                        </Show>
                        <Show when=move || me().is_some_and(|m| m.role == Role::Assessor)>
                            <li><A href="/assessments">"To assess"</A></li>
                        </Show>
                        <Show when=manages_accounts>
                            <li><A href="/accounts">"Accounts"</A></li>
                        </Show>
                        <Show when=manages_clients>
                            <li><A href="/clients">"Clients"</A></li>
                        </Show>
                        <Show when=move || me().is_some_and(|m| m.role == Role::PlatformAdmin)>
                            <li><A href="/outbox">"Outbox"</A></li>
                        </Show>
                    </ul>
                </nav>
                <div class="who">
                    <A href="/profile" attr:class="who-link">
                        <span class="who-name">{move || me().map(|m| m.display_name).unwrap_or_default()}</span>
                        <span class="who-role">{move || me().map(|m| {
                            let more = if m.roles.len() > 1 { " · switch role" } else { "" };
                            format!("{}{more}", m.role.label())
                        }).unwrap_or_default()}</span>
                    </A>
                    <button
                        class="button secondary small"
                        type="button"
                        disabled=move || signing_out.get()
                        on:click=move |_| {
                            signing_out.set(true);
                            spawn_local(api::sign_out(auth));
                        }
                    >
                        "Sign out"
                    </button>
                </div>
            </div>
        </header>
        <main id="main" tabindex="-1">
            <Routes fallback=|| view! { <pages::not_found::NotFound/> }>
                <Route path=path!("/") view=pages::home::Home/>
                <Route path=path!("/dashboard") view=pages::dashboard::Dashboard/>
                <Route path=path!("/schools") view=pages::schools::Schools/>
                <Route path=path!("/schools/:id") view=pages::school::SchoolPage/>
                <Route path=path!("/expectations/:id/:term") view=pages::school_expectations::SchoolExpectationsPage/>
                <Route path=path!("/expectations") view=pages::expectations::ExpectationsPage/>
                <Route path=path!("/partnerships") view=pages::partnerships::PartnershipsPage/>
                <Route path=path!("/partnerships/:id") view=pages::partnerships::RoundPage/>
                <Route path=path!("/partnership-needs/:id") view=pages::partnership_need::NeedPage/>
                <Route path=path!("/cohorts") view=pages::cohorts::Cohorts/>
                <Route path=path!("/cohorts/:id") view=pages::cohort::CohortPage/>
                <Route path=path!("/programmes") view=pages::programmes::Programmes/>
                <Route path=path!("/programmes/:id") view=pages::programme::ProgrammePage/>
                <Route path=path!("/enrolments/:id") view=pages::enrolment::EnrolmentPage/>
                <Route path=path!("/enrolments/:id/portfolio") view=pages::portfolio::PortfolioPage/>
                <Route path=path!("/projects/:id") view=pages::project::ProjectPage/>
                <Route path=path!("/cohorts/:id/posters") view=pages::posters::PostersPage/>
                <Route path=path!("/cohorts/:id/evaluation") view=pages::evaluation::EvaluationPage/>
                <Route path=path!("/verification") view=pages::verification::VerificationPage/>
                <Route path=path!("/sessions/:id/register") view=pages::register::RegisterPage/>
                <Route path=path!("/profile") view=pages::profile::Profile/>
                <Route path=path!("/accounts") view=pages::accounts::Accounts/>
                <Route path=path!("/clients") view=pages::clients::Clients/>
                <Route path=path!("/outbox") view=pages::outbox::Outbox/>
                <Route path=path!("/accept-invitation") view=pages::accept_invitation::AcceptInvitation/>
                <Route path=path!("/reset-password") view=pages::reset_password::ResetPassword/>
                <Route path=path!("/verify/:code") view=pages::verify::VerifyPage/>
                <Route path=path!("/submissions/:id") view=pages::submission::SubmissionPage/>
                <Route path=path!("/assessments") view=pages::assessments::AssessmentsPage/>
                <Route path=path!("/rate") view=pages::rate::RatePage/>
                <Route path=path!("/diagnostic-rounds/:id/self-review") view=pages::self_review::SelfReviewPage/>
                <Route path=path!("/enrolments/:id/360") view=pages::diagnostic_report::DiagnosticReportPage/>
            </Routes>
        </main>
        <footer class="footer">"Trellis — leadership development for schools"</footer>
    }
}
