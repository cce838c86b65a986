//! The Trellis single-page app: Leptos, rendered in the browser, talking to `/api/v1` through the
//! shared typed client and reusing the domain crate's rules.

mod api;
mod boot;
mod components;
mod pages;
mod routes;
mod ui;

use api::{Auth, AuthState};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::Lazy;
use leptos_router::components::{A, Outlet, ParentRoute, Route, Router, Routes};
use leptos_router::path;
use trellis_domain::Role;
use ui::labels::Label;

fn main() {
    boot::report_panics();
    boot::take_over();
    boot::prefetch_on_intent();
    leptos::mount::mount_to_body(App);
}

#[component]
fn App() -> impl IntoView {
    let auth = Auth(RwSignal::new(AuthState::Starting));
    provide_context(auth);
    spawn_local(api::resume(auth));
    // While a route's code or a page downloads, the old page stays and a bar says so.
    let (is_routing, set_is_routing) = signal(false);
    view! {
        <Show when=move || is_routing.get()>
            <p class="routing" role="status">"Loading the page…"</p>
        </Show>
        <Router set_is_routing>
            <boot::FollowHeadings/>
            {move || match auth.0.get() {
                AuthState::Starting => view! { <p class="splash" role="status">"Loading Trellis…"</p> }.into_any(),
                // Signed out, the links from emails still open their pages.
                AuthState::SignedOut => view! {
                    <Routes fallback=|| view! { <pages::sign_in::SignIn/> }>
                        // The pages carry no landmark of their own: signed in, they sit in the shell's.
                        <ParentRoute path=path!("") view=|| view! { <main id="main"><Outlet/></main> }>
                            <Route path=path!("/accept-invitation") view={Lazy::<routes::AcceptInvitation>::new()}/>
                            <Route path=path!("/reset-password") view={Lazy::<routes::ResetPassword>::new()}/>
                            <Route path=path!("/verify/:code") view={Lazy::<routes::Verify>::new()}/>
                            <Route path=path!("/rate") view={Lazy::<routes::Rate>::new()}/>
                        </ParentRoute>
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
    // Once the first page is up, the part of the app this role opens next downloads while idle.
    if let Some(m) = auth.0.with_untracked(|s| if let AuthState::SignedIn(s) = s { Some(s.me.role) } else { None }) {
        set_timeout(move || routes::preload_for(m), std::time::Duration::from_secs(3));
    }
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
                <Route path=path!("/dashboard") view={Lazy::<routes::Dashboard>::new()}/>
                <Route path=path!("/schools") view={Lazy::<routes::Schools>::new()}/>
                <Route path=path!("/schools/:id") view={Lazy::<routes::School>::new()}/>
                <Route path=path!("/people/:id") view={Lazy::<routes::Person>::new()}/>
                <Route path=path!("/expectations/:id/:term") view={Lazy::<routes::SchoolExpectations>::new()}/>
                <Route path=path!("/expectations") view={Lazy::<routes::Expectations>::new()}/>
                <Route path=path!("/partnerships") view={Lazy::<routes::Partnerships>::new()}/>
                <Route path=path!("/partnerships/:id") view={Lazy::<routes::PartnershipRound>::new()}/>
                <Route path=path!("/partnership-needs/:id") view={Lazy::<routes::PartnershipNeed>::new()}/>
                <Route path=path!("/cohorts") view={Lazy::<routes::Cohorts>::new()}/>
                <Route path=path!("/cohorts/:id") view={Lazy::<routes::Cohort>::new()}/>
                <Route path=path!("/programmes") view={Lazy::<routes::Programmes>::new()}/>
                <Route path=path!("/programmes/:id") view={Lazy::<routes::Programme>::new()}/>
                <Route path=path!("/enrolments/:id") view={Lazy::<routes::Enrolment>::new()}/>
                <Route path=path!("/enrolments/:id/portfolio") view={Lazy::<routes::Portfolio>::new()}/>
                <Route path=path!("/projects/:id") view={Lazy::<routes::Project>::new()}/>
                <Route path=path!("/cohorts/:id/posters") view={Lazy::<routes::Posters>::new()}/>
                <Route path=path!("/cohorts/:id/evaluation") view={Lazy::<routes::Evaluation>::new()}/>
                <Route path=path!("/verification") view={Lazy::<routes::Verification>::new()}/>
                <Route path=path!("/sessions/:id/register") view={Lazy::<routes::Register>::new()}/>
                <Route path=path!("/profile") view={Lazy::<routes::Profile>::new()}/>
                <Route path=path!("/accounts") view={Lazy::<routes::Accounts>::new()}/>
                <Route path=path!("/clients") view={Lazy::<routes::Clients>::new()}/>
                <Route path=path!("/outbox") view={Lazy::<routes::Outbox>::new()}/>
                <Route path=path!("/accept-invitation") view={Lazy::<routes::AcceptInvitation>::new()}/>
                <Route path=path!("/reset-password") view={Lazy::<routes::ResetPassword>::new()}/>
                <Route path=path!("/verify/:code") view={Lazy::<routes::Verify>::new()}/>
                <Route path=path!("/submissions/:id") view={Lazy::<routes::Submission>::new()}/>
                <Route path=path!("/assessments") view={Lazy::<routes::Assessments>::new()}/>
                <Route path=path!("/rate") view={Lazy::<routes::Rate>::new()}/>
                <Route path=path!("/diagnostic-rounds/:id/self-review") view={Lazy::<routes::SelfReview>::new()}/>
                <Route path=path!("/enrolments/:id/360") view={Lazy::<routes::DiagnosticReport>::new()}/>
            </Routes>
        </main>
        <footer class="footer">"Trellis — leadership development for schools"</footer>
    }
}
