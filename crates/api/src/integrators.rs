//! The integrators' guide at `/api/docs/integrators`: one self-contained HTML page beside the API
//! reference, with the webhook verification examples of `docs/examples/` (which the tests run)
//! set into it, so what it shows is what works.

use std::sync::LazyLock;

use actix_web::HttpResponse;

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

static PAGE: LazyLock<String> = LazyLock::new(|| {
    include_str!("integrators.html")
        .replace("{{VERIFY_PY}}", &escape(include_str!("../../../docs/examples/verify_webhook.py").trim_end()))
        .replace("{{VERIFY_SH}}", &escape(include_str!("../../../docs/examples/verify_webhook.sh").trim_end()))
});

pub async fn page() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header(("Cache-Control", "public, max-age=300"))
        .insert_header((
            "Content-Security-Policy",
            "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
        ))
        .body(PAGE.as_str())
}
