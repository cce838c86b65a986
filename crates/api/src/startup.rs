//! Builds the HTTP application. Tests drive it exactly as `trellis serve` does, on port 0.

use actix_web::dev::{Server, ServiceRequest, ServiceResponse, fn_service};
use actix_web::middleware::{Compress, DefaultHeaders, Logger};
use actix_web::{App, HttpResponse, HttpServer, ResponseError, web};
use std::net::{SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::Arc;
use utoipa::OpenApi;
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;

use crate::auth::JwtKeys;
use crate::config::Config;
use crate::db::{self, Backend, Db};
use crate::error::{ApiError, extractors};
use crate::routes_table::RouteTable;
use crate::state::AppState;

/// Largest JSON body accepted: 1 MiB, room for the largest documented field, a report draft of
/// 200,000 characters, even when every one is a four-byte UTF-8 character (800,000 bytes), with
/// the envelope and escaped quotes, backslashes and line breaks. (A client that sends every
/// character as a `\uXXXX` escape instead can exceed it.)
pub const JSON_LIMIT: usize = 1024 * 1024;
/// Largest form body accepted (the token endpoint): room for the documented field lengths,
/// percent-encoded.
pub const FORM_LIMIT: usize = 64 * 1024;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Trellis API",
        description = "Run school leadership-development programmes: organisations, schools, people, programmes, cohorts and enrolments.\n\nErrors are RFC 9457 `application/problem+json` with a stable `code`. Lists page with `limit` and an opaque `cursor`, and accept `updated_since` for delta sync.\n\nIntegrating an MIS or a dashboard? Read the [integrators' guide](/api/docs/integrators): authentication, paging, deltas, idempotency, rate limits, roster sync and webhooks with their verification.",
        license(name = "AGPL-3.0-only")
    ),
    modifiers(&Security),
    tags(
        (name = "service", description = "Whether the node is up"),
        (name = "identity", description = "Signing in: users' sessions and roles, machine clients' tokens, the caller"),
        (name = "accounts", description = "Invitations, accounts and their roles, password resets, machine clients, the audit trail"),
        (name = "mail", description = "The outbox of email Trellis sends"),
        (name = "directory", description = "Organisations, hubs, schools and people"),
        (name = "programmes", description = "Programme definitions (the rules as data) and presets"),
        (name = "cohorts", description = "Cohorts, enrolments and their lifecycle, progress, report drafts"),
        (name = "delivery", description = "Sessions, registers, learning groups and calendar feeds"),
        (name = "coaching", description = "Coaches and coaching sessions"),
        (name = "projects", description = "Work-based projects: stages, action log, impact measures, presentations"),
        (name = "portfolio", description = "Portfolio entries and their verification, evidence files, posters"),
        (name = "dashboards", description = "Pull feeds: trust progress per enrolment and its summary, CPD records, CSV exports"),
        (name = "webhooks", description = "Machine clients' webhook subscriptions (Standard Webhooks signatures), delivery logs, tests and replays")
    )
)]
struct ApiDoc;

struct Security;

impl utoipa::Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some("A user's access token from /auth/login or a client's from /auth/token"))
                    .build(),
            ),
        );
    }
}

/// OpenAPI requires every response to have a description; one written on the route wins, the
/// rest say what the status means and what the body is.
struct ResponseDescriptions;

impl utoipa::Modify for ResponseDescriptions {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::RefOr;
        for item in openapi.paths.paths.values_mut() {
            let ops = [&mut item.get, &mut item.post, &mut item.put, &mut item.patch, &mut item.delete];
            for op in ops.into_iter().flatten() {
                for (status, response) in op.responses.responses.iter_mut() {
                    let RefOr::T(response) = response else { continue };
                    if !response.description.is_empty() {
                        continue;
                    }
                    let reason = status
                        .parse::<u16>()
                        .ok()
                        .and_then(|s| actix_web::http::StatusCode::from_u16(s).ok())
                        .and_then(|s| s.canonical_reason())
                        .unwrap_or("Response");
                    let body = response.content.values().find_map(|c| match c {
                        RefOr::T(utoipa::openapi::Content { schema: Some(RefOr::Ref(r)), .. }) => {
                            r.ref_location.rsplit('/').next().map(str::to_owned)
                        }
                        _ => None,
                    });
                    response.description = match body {
                        Some(name) if name != "Problem" => format!("{reason}: the {name}"),
                        _ => format!("{reason} (problem+json with a stable `code`)"),
                    };
                }
            }
        }
    }
}

/// The `Problem` schema lists every code the API gives ([`crate::codes`]), with what it means.
struct ProblemCodes;

impl utoipa::Modify for ProblemCodes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{RefOr, schema::Schema};
        let Some(components) = openapi.components.as_mut() else { return };
        let Some(RefOr::T(Schema::Object(problem))) = components.schemas.get_mut("Problem") else { return };
        let table = |rows: &[(&str, &str)]| rows.iter().map(|(c, m)| format!("- `{c}`: {m}\n")).collect::<String>();
        let mut text = problem.description.clone().unwrap_or_default();
        text.push_str("\n\nProblem codes (`code`):\n\n");
        text.push_str(&table(crate::codes::PROBLEM_CODES));
        text.push_str("\nField codes (`errors[].code`), besides the problem codes above used for one field:\n\n");
        text.push_str(&table(crate::codes::FIELD_CODES));
        problem.description = Some(text);
    }
}

/// The OpenAPI document, generated from the registered routes.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let (_, api) =
        App::new().into_utoipa_app().openapi(ApiDoc::openapi()).configure(crate::routes::register).split_for_parts();
    let mut api = api;
    utoipa::Modify::modify(&ResponseDescriptions, &mut api);
    utoipa::Modify::modify(&ProblemCodes, &mut api);
    utoipa::Modify::modify(&crate::idempotency::IdempotencyHeader, &mut api);
    api
}

/// The spec as committed in `api-spec/openapi.json`.
pub fn openapi_json() -> String {
    let mut s = openapi().to_pretty_json().unwrap_or_default();
    s.push('\n');
    s
}

/// What no handler claimed: the SPA (its hashed assets, and `index.html` for any other page
/// address, so deep links work), otherwise a problem+json 405 (with `Allow`) for a documented path
/// asked with another method, or 404.
async fn fallback(
    req: ServiceRequest,
    spa: Option<Arc<PathBuf>>,
    routes: Arc<RouteTable>,
) -> Result<ServiceResponse, actix_web::Error> {
    use actix_web::http::Method;
    let (req, _) = req.into_parts();
    let allowed = routes.allowed(req.path());
    let is_api = req.path().starts_with("/api/") || req.path() == "/api";
    let readable = req.method() == Method::GET || req.method() == Method::HEAD;
    let res = match spa {
        _ if !allowed.is_empty() => Err(ApiError::method_not_allowed(&allowed)),
        Some(dir) if readable && !is_api => match req.path().strip_prefix("/assets/") {
            Some(name) => crate::spa::asset(&req, &dir, name).await,
            None if req.path() == "/favicon.ico" => crate::spa::favicon(&req, &dir).await,
            None => crate::spa::index(&req, &dir).await,
        },
        _ => Err(ApiError::not_found("resource")),
    };
    let res = res.unwrap_or_else(|e| e.error_response());
    Ok(ServiceResponse::new(req, res))
}

pub struct Application {
    pub addr: SocketAddr,
    pub backend: Backend,
    server: Server,
    /// Sends the outbox while the server runs (when SMTP is configured).
    mail: Option<crate::mail::MailWorker>,
    /// Emails 360 raters their reminder before a round closes.
    reminders: Option<crate::reminders::ReminderJob>,
    /// Sends the webhook outbox while the server runs.
    webhooks: crate::webhooks::WebhookWorker,
}

impl Application {
    /// Connects, migrates and binds; the server starts when [`Application::run`] is awaited.
    pub fn build(config: &Config) -> Result<Application, Box<dyn std::error::Error + Send + Sync>> {
        let backend = Backend::of(&config.database_url);
        let pool = db::connect(&config.database_url)?;
        db::migrate(&pool)?;
        let mail = crate::mail::worker::start(pool.clone(), &config.mail, config.clock)?;
        let webhooks = crate::webhooks::worker::start(pool.clone(), &config.webhooks, config.clock)?;
        let listener = TcpListener::bind(&config.bind)?;
        let addr = listener.local_addr()?;
        // Links Trellis hands out never take their host from a request when it can be helped.
        let public_url = config.public_url.clone().or_else(|| {
            if addr.ip().is_unspecified() {
                tracing::warn!(
                    "listening on every interface without TRELLIS_PUBLIC_URL: links will use each request's Host"
                );
                None
            } else {
                Some(format!("http://{addr}"))
            }
        });
        // Emailed links (invitations, password resets) must not take their host from a request,
        // which anyone can set: with SMTP on and no fixed origin, refuse to start.
        if config.mail.smtp_url.is_some() && public_url.is_none() {
            return Err("TRELLIS_SMTP_URL is set but links have no fixed origin: set TRELLIS_PUBLIC_URL (the server listens on every interface)".into());
        }
        let reminders = crate::reminders::start(pool.clone(), config.clock, public_url.clone())?;
        let files = crate::files::Store::open(&config.data_dir, config.max_upload_bytes)?;
        {
            let conn = std::cell::RefCell::new(pool.get()?);
            let removed =
                files.sweep(|sha| crate::db::portfolio::referenced(&mut conn.borrow_mut(), sha).unwrap_or(true));
            if removed > 0 {
                tracing::info!(removed, "removed evidence files no entry holds");
            }
        }
        let signer = crate::signing::Signer::open(&config.data_dir)?;
        let state = web::Data::new(AppState {
            db: Db::new(pool, backend)?,
            jwt: JwtKeys::new(&config.jwt_secret),
            throttle: Default::default(),
            net: crate::net::Network { trusted_proxies: config.trusted_proxies.clone(), public_url },
            clock: config.clock,
            files,
            signer,
            webhooks: config.webhooks.clone(),
            client_rate_limit: config.client_rate_limit,
        });
        let api = openapi();
        let routes = Arc::new(RouteTable::from_openapi(&api));
        let spa = config.static_dir.clone().map(Arc::new);
        let server = HttpServer::new(move || {
            let (app, _) = App::new()
                .into_utoipa_app()
                .app_data(state.clone())
                .app_data(web::JsonConfig::default().limit(JSON_LIMIT).error_handler(|e, _| extractors::json(e).into()))
                .app_data(web::FormConfig::default().limit(FORM_LIMIT).error_handler(|e, _| extractors::form(e).into()))
                .app_data(web::QueryConfig::default().error_handler(|e, _| extractors::query(e).into()))
                .app_data(web::PathConfig::default().error_handler(|e, _| extractors::path(e).into()))
                // Before the /api/v1 scope, which would otherwise claim /api/v1/openapi.json.
                .map(|app| {
                    app.service(web::resource("/api/docs/integrators").to(crate::integrators::page))
                        .service(SwaggerUi::new("/api/docs/{_:.*}").url("/api/v1/openapi.json", api.clone()))
                        .service(web::resource("/api/docs").to(|| async {
                            HttpResponse::PermanentRedirect().insert_header(("Location", "/api/docs/")).finish()
                        }))
                })
                // What no route claims, under /api/v1 too, falls through to the app's default service.
                .configure(crate::routes::register)
                .split_for_parts();
            // The access log is at DEBUG under its own target (`RUST_LOG=info,trellis::access=debug`
            // turns it on): a line per request wrote 110 MB in one short benchmark, and its cost showed
            // in every request's time (BENCHMARKS.md). Server errors are logged at ERROR regardless.
            let access_log = Logger::new("%r %s %b %Dms").log_target("trellis::access").log_level(log::Level::Debug);
            // Innermost, so a stored answer is the handler's own (before compression).
            let app = app
                .wrap(actix_web::middleware::from_fn(crate::idempotency::middleware))
                // Outside idempotency: a replayed answer counts against the limit like any other.
                .wrap(actix_web::middleware::from_fn(crate::rate_limit::middleware))
                .wrap(Compress::default())
                .wrap(access_log)
                .wrap(
                    DefaultHeaders::new()
                        .add(("X-Content-Type-Options", "nosniff"))
                        .add(("X-Frame-Options", "DENY"))
                        .add(("Referrer-Policy", "no-referrer")),
                );
            let (spa, routes) = (spa.clone(), routes.clone());
            app.default_service(fn_service(move |req| fallback(req, spa.clone(), routes.clone())))
        })
        .listen(listener)?
        .run();
        Ok(Application { addr, backend, server, mail, reminders, webhooks })
    }

    pub async fn run(self) -> std::io::Result<()> {
        let result = self.server.await;
        drop(self.mail);
        drop(self.reminders);
        drop(self.webhooks);
        result
    }

    pub fn handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }
}
