//! The app's routes that load on demand. Only the shell, sign-in and home pages are in the
//! first download; every other page belongs to one of four parts of the app, each cut by
//! `make frontend` (wasm-split-cli) into a file of its own, downloaded the first time one of its
//! pages is visited or a link to one is hovered or focused ([`preload`]):
//! - `account`: the pages opened from emails (invitation, password reset, certificate check,
//!   360 rating) and one's profile;
//! - `learning`: an enrolment and its work (portfolio, project, submissions, 360), assessment and
//!   verification;
//! - `delivery`: cohorts, registers, posters, evaluation, programmes;
//! - `trust`: schools, accounts, machine clients, the outbox, the dashboard, expectations and
//!   partnerships.
//!
//! Why parts and not a file per page: the splitter gives each set of pages that shares a function
//! a file of its own, so 31 page files came with 544 shared ones and a page needed up to 357
//! requests (BENCHMARKS.md). Four parts need at most a handful.
//!
//! A route's view is drawn again whenever its address parameters change, so going from one
//! cohort to another on the same route shows the second one, never the first one's data. A part
//! that cannot be downloaded (the connection dropped) says so in the page, and the next visit to
//! any of its pages tries again.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos::wasm_split::{SplitLoaderError, wasm_split};
use leptos_router::LazyRoute;
use leptos_router::hooks::use_params_map;

use crate::pages;

/// Draws one page of a part: a function in the part's file, callable once it is loaded.
type Draw = fn() -> AnyView;

/// The page drawn afresh for each set of route parameters (`/cohorts/A` → `/cohorts/B`).
fn keyed(page: Draw) -> AnyView {
    let params = use_params_map();
    // The parameters' values, not the map: a notification that changes nothing redraws nothing.
    let key = Memo::new(move |_| params.with(|p| p.into_iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>()));
    (move || {
        key.track();
        untrack(page)
    })
    .into_any()
}

/// The page when its part of the app could not be downloaded.
fn unavailable() -> AnyView {
    view! {
        <h1>"This page could not be loaded"</h1>
        <div class="alert error" role="alert">
            <p>"Part of Trellis could not be downloaded: the connection may have dropped."</p>
            // `rel="external"`: a real reload, which the router would otherwise take as staying put.
            <p>"Check your connection, then " <a href="" rel="external">"reload the page"</a>
               ". If it keeps happening, a web filter may be blocking Trellis's files: tell your school's IT."</p>
        </div>
    }
    .into_any()
}

macro_rules! parts {
    ($($part:ident / $preload:ident { $($route:ident => $page:path, $pattern:literal;)* })*) => {
        $(
            /// The part's pages, each drawn by a function that lives in the part's own file.
            #[wasm_split($part, wasm_split_path = ::leptos::wasm_split, fallible)]
            fn $part(pattern: &'static str) -> Result<Option<Draw>, SplitLoaderError> {
                Ok(match pattern {
                    $($pattern => Some(|| $page().into_any()),)*
                    _ => None,
                })
            }

            $(
                #[doc = concat!("`", $pattern, "`, in the `", stringify!($part), "` part")]
                pub struct $route;

                impl LazyRoute for $route {
                    fn data() -> Self {
                        $route
                    }

                    async fn view(_this: Self) -> AnyView {
                        match $part($pattern).await {
                            Ok(Some(draw)) => keyed(draw),
                            Ok(None) | Err(_) => unavailable(),
                        }
                    }

                    async fn preload() {
                        // A failed download is reported when the page itself is opened.
                        let _ = $preload().await;
                    }
                }
            )*
        )*

        /// Every lazy route's address pattern, with a way to fetch its part ahead of a click.
        const PATTERNS: &[(&str, fn())] = &[
            $($(($pattern, || spawn_local(<$route as LazyRoute>::preload())),)*)*
        ];
    };
}

parts! {
    account / __wasm_split_preload_account {
        AcceptInvitation => pages::accept_invitation::AcceptInvitation, "/accept-invitation";
        ResetPassword => pages::reset_password::ResetPassword, "/reset-password";
        Verify => pages::verify::VerifyPage, "/verify/:code";
        Rate => pages::rate::RatePage, "/rate";
        Profile => pages::profile::Profile, "/profile";
    }
    learning / __wasm_split_preload_learning {
        Enrolment => pages::enrolment::EnrolmentPage, "/enrolments/:id";
        Portfolio => pages::portfolio::PortfolioPage, "/enrolments/:id/portfolio";
        Project => pages::project::ProjectPage, "/projects/:id";
        Submission => pages::submission::SubmissionPage, "/submissions/:id";
        Assessments => pages::assessments::AssessmentsPage, "/assessments";
        Verification => pages::verification::VerificationPage, "/verification";
        SelfReview => pages::self_review::SelfReviewPage, "/diagnostic-rounds/:id/self-review";
        DiagnosticReport => pages::diagnostic_report::DiagnosticReportPage, "/enrolments/:id/360";
    }
    delivery / __wasm_split_preload_delivery {
        Cohorts => pages::cohorts::Cohorts, "/cohorts";
        Cohort => pages::cohort::CohortPage, "/cohorts/:id";
        Register => pages::register::RegisterPage, "/sessions/:id/register";
        Posters => pages::posters::PostersPage, "/cohorts/:id/posters";
        Evaluation => pages::evaluation::EvaluationPage, "/cohorts/:id/evaluation";
        Programmes => pages::programmes::Programmes, "/programmes";
        Programme => pages::programme::ProgrammePage, "/programmes/:id";
    }
    trust / __wasm_split_preload_trust {
        Schools => pages::schools::Schools, "/schools";
        School => pages::school::SchoolPage, "/schools/:id";
        Person => pages::person::PersonPage, "/people/:id";
        Accounts => pages::accounts::Accounts, "/accounts";
        Clients => pages::clients::Clients, "/clients";
        Outbox => pages::outbox::Outbox, "/outbox";
        Dashboard => pages::dashboard::Dashboard, "/dashboard";
        Expectations => pages::expectations::ExpectationsPage, "/expectations";
        SchoolExpectations => pages::school_expectations::SchoolExpectationsPage, "/expectations/:id/:term";
        Partnerships => pages::partnerships::PartnershipsPage, "/partnerships";
        PartnershipRound => pages::partnerships::RoundPage, "/partnerships/:id";
        PartnershipNeed => pages::partnership_need::NeedPage, "/partnership-needs/:id";
    }
}

/// Whether `path` (an address's path, no query) matches `pattern` (`/cohorts/:id`).
fn matches(pattern: &str, path: &str) -> bool {
    let mut want = pattern.split('/').filter(|s| !s.is_empty());
    let mut got = path.split('/').filter(|s| !s.is_empty());
    loop {
        match (want.next(), got.next()) {
            (None, None) => return true,
            (Some(w), Some(g)) if w.starts_with(':') || w == g => {}
            _ => return false,
        }
    }
}

/// The lazy route an address opens, by its pattern.
fn route_of(path: &str) -> Option<&'static (&'static str, fn())> {
    PATTERNS.iter().find(|(pattern, _)| matches(pattern, path))
}

/// Starts downloading the chunk of the route `path` opens (a link was hovered or focused), so the
/// click finds it ready. Each chunk is fetched once; the home page and unknown addresses need none.
pub fn preload(path: &str) {
    if let Some((_, fetch)) = route_of(path) {
        fetch();
    }
}

/// Fetches, while the line is otherwise idle, the part of the app `role` is most likely to open
/// next from its home page, so that its first click does not wait for it.
pub fn preload_for(role: trellis_domain::Role) {
    use trellis_domain::Role;
    preload(match role {
        Role::Participant | Role::Coach | Role::Assessor => "/assessments",
        Role::TrustAdmin => "/schools",
        Role::PlatformAdmin | Role::SchoolLead | Role::Facilitator => "/cohorts",
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_finds_its_own_route_and_no_other() {
        let pattern = |p: &str| route_of(p).map(|(pattern, _)| *pattern);
        assert_eq!(pattern("/cohorts"), Some("/cohorts"));
        assert_eq!(pattern("/cohorts/4f1c"), Some("/cohorts/:id"));
        assert_eq!(pattern("/cohorts/4f1c/posters"), Some("/cohorts/:id/posters"));
        assert_eq!(pattern("/enrolments/4f1c/360"), Some("/enrolments/:id/360"));
        assert_eq!(pattern("/expectations/4f1c/2026-autumn"), Some("/expectations/:id/:term"));
        assert_eq!(pattern("/"), None);
        assert_eq!(pattern("/cohorts/4f1c/unknown"), None);
        assert_eq!(pattern("/nowhere"), None);
    }

    /// The router's table (`main.rs`) and the parts' table here list the same lazy addresses, so
    /// every page has a part and hovering any link fetches the right one.
    #[test]
    fn the_router_and_the_parts_list_the_same_addresses() {
        let main = include_str!("main.rs");
        let mut routed: Vec<&str> = main
            .split("<Route path=path!(\"")
            .skip(1)
            .filter(|rest| rest.contains("Lazy::<routes::") && rest.find("Lazy::<") < rest.find("/>"))
            .filter_map(|rest| rest.split('"').next())
            .collect();
        routed.sort_unstable();
        routed.dedup();
        let mut parts: Vec<&str> = PATTERNS.iter().map(|(p, _)| *p).collect();
        parts.sort_unstable();
        assert_eq!(routed, parts);
    }

    #[test]
    fn every_pattern_is_unique() {
        for (i, (a, _)) in PATTERNS.iter().enumerate() {
            assert!(PATTERNS[i + 1..].iter().all(|(b, _)| a != b), "{a} twice");
        }
    }
}
