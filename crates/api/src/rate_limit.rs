//! Per-client rate limits. Every request made with a machine client's token is counted in the
//! database ([`crate::db::usage`]), so the limit holds across all API nodes; over the limit it is
//! refused with 429 `rate_limited` and `Retry-After`. Every answer to a client carries
//! `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` (seconds). Users' requests are
//! not limited here (their sign-ins are throttled).

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::web::Data;
use actix_web::{HttpResponse, ResponseError};

use crate::error::ApiError;
use crate::state::AppState;

fn headers(res: &mut HttpResponse<impl MessageBody>, v: &crate::db::usage::Verdict) {
    let h = res.headers_mut();
    for (name, value) in
        [("ratelimit-limit", v.limit), ("ratelimit-remaining", v.remaining), ("ratelimit-reset", v.reset_secs)]
    {
        if let Ok(value) = HeaderValue::from_str(&value.to_string()) {
            h.insert(HeaderName::from_static(name), value);
        }
    }
}

pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    // Only a valid client token names a client to count against; anything else is the handler's.
    let client = match crate::auth::bearer(req.request()).ok().as_ref().and_then(|b| b.client()) {
        Some(c) => c.to_owned(),
        None => return next.call(req).await.map(ServiceResponse::map_into_boxed_body),
    };
    let Some(state) = req.app_data::<Data<AppState>>().cloned() else {
        return next.call(req).await.map(ServiceResponse::map_into_boxed_body);
    };
    let (now, default) = (state.clock.now(), state.client_rate_limit);
    let verdict = match state.db.tx(move |conn| crate::db::usage::hit(conn, &client, now, default)).await {
        Ok(v) => v,
        Err(e) => return Ok(req.into_response(e.error_response())),
    };
    if !verdict.allowed {
        let mut e = ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            format!(
                "this client may make {} requests a minute; try again in {} seconds",
                verdict.limit, verdict.reset_secs
            ),
        );
        e.header = Some(Box::new(("Retry-After", verdict.reset_secs.to_string())));
        let mut res = e.error_response();
        headers(&mut res, &verdict);
        return Ok(req.into_response(res));
    }
    let mut res = next.call(req).await?.map_into_boxed_body();
    headers(res.response_mut(), &verdict);
    Ok(res)
}
