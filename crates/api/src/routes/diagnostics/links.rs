//! A rater's one-time link: no account, the link's secret is the authority. It opens the form,
//! saves answers to come back to, submits them once, or declines; it stops working when the rater
//! has answered or declined, the round closes, or the closing date passes.

use actix_web::http::StatusCode;
use actix_web::{post, web::Json};
use chrono::NaiveDateTime;
use trellis_domain::diagnostic::{self as rules, RaterStatus, RoundStatus};
use trellis_wire::{DeclineRating, LinkToken, RaterAnswers, RaterForm};
use validator::Validate;

use crate::db::DbConn;
use crate::db::diagnostic::{self as db, LinkedRater};
use crate::error::ApiError;
use crate::routes::{BodyErrors, State, refuse};

/// The rater behind a link, if the link still works.
fn usable(conn: &mut DbConn, token: &str, now: NaiveDateTime) -> Result<LinkedRater, ApiError> {
    let linked = db::by_link(conn, &crate::auth::token_hash(token))?.ok_or_else(|| {
        ApiError::new(StatusCode::NOT_FOUND, "unknown_rater_link", "this link is not valid: check it was copied whole")
    })?;
    match linked.rater.status()? {
        RaterStatus::Answered => {
            return Err(ApiError::new(StatusCode::GONE, "rater_link_used", "your answers are in: thank you"));
        }
        RaterStatus::Declined => {
            return Err(ApiError::new(StatusCode::GONE, "rater_link_used", "you declined to take part"));
        }
        RaterStatus::Invited | RaterStatus::Started => {}
    }
    if linked.round.status(now.date()) != RoundStatus::Open || linked.expires_at <= now {
        return Err(ApiError::new(
            StatusCode::GONE,
            "rater_link_expired",
            "this review has closed: answers can no longer be given",
        ));
    }
    Ok(linked)
}

fn form(conn: &mut DbConn, linked: &LinkedRater, answers: Option<rules::Answers>) -> Result<RaterForm, ApiError> {
    let ctx = db::context(conn, &linked.round.enrolment_id)?;
    let answers = match answers {
        Some(a) => a,
        None => db::draft(conn, linked)?,
    };
    Ok(RaterForm {
        rater_name: linked.rater.name.clone(),
        group: linked.rater.group()?,
        participant_name: ctx.participant,
        programme_name: ctx.programme,
        round: linked.round.kind()?,
        closes_on: linked.round.closes_on,
        threshold: linked.round.threshold as u32,
        items: linked.round.items()?,
        status: linked.rater.status()?,
        answers,
    })
}

/// What a rater's link opens: whom they are asked about, what to rate, and any answers they
/// saved. 404 `unknown_rater_link`; 410 `rater_link_used` once answered or declined,
/// `rater_link_expired` once the round has closed or its closing date passed.
#[utoipa::path(
    operation_id = "open_rater_link",
    tag = "diagnostics",
    responses(
        (status = 200, body = RaterForm),
        (status = 404, description = "`unknown_rater_link`", body = trellis_wire::Problem, content_type = "application/problem+json"),
        (status = 410, description = "`rater_link_used` or `rater_link_expired`", body = trellis_wire::Problem, content_type = "application/problem+json"),
        BodyErrors,
    )
)]
#[post("/rater-links/open")]
pub async fn open_rater_link(state: State, body: Json<LinkToken>) -> Result<Json<RaterForm>, ApiError> {
    body.validate()?;
    let (clock, token) = (state.clock, body.into_inner().token);
    let out = state
        .db
        .run(move |conn| {
            let linked = usable(conn, &token, clock.now())?;
            form(conn, &linked, None)
        })
        .await?;
    Ok(Json(out))
}

/// Saves a rater's answers to come back to (any items, in any state of completion).
#[utoipa::path(
    operation_id = "save_rater_answers",
    tag = "diagnostics",
    responses(
        (status = 200, body = RaterForm),
        (status = 404, description = "`unknown_rater_link`", body = trellis_wire::Problem, content_type = "application/problem+json"),
        (status = 410, description = "`rater_link_used` or `rater_link_expired`", body = trellis_wire::Problem, content_type = "application/problem+json"),
        BodyErrors,
    )
)]
#[post("/rater-links/save")]
pub async fn save_rater_answers(state: State, body: Json<RaterAnswers>) -> Result<Json<RaterForm>, ApiError> {
    body.validate()?;
    let (clock, body) = (state.clock, body.into_inner());
    let out = state
        .db
        .tx(move |conn| {
            let now = clock.now();
            let linked = usable(conn, &body.token, now)?;
            refuse(rules::check_answers(&linked.round.items()?, &body.answers, false))?;
            if !db::save_draft(conn, &linked, &body.answers, now)? {
                return Err(ApiError::new(StatusCode::GONE, "rater_link_used", "your answers are in already"));
            }
            let linked = usable(conn, &body.token, now)?;
            form(conn, &linked, Some(body.answers))
        })
        .await?;
    Ok(Json(out))
}

/// Hands in a rater's answers, once: every item rated or marked not observed (422
/// `unanswered_items`). From then on the answers are kept apart from the rater, by group only,
/// and the link stops working.
#[utoipa::path(
    operation_id = "submit_rater_answers",
    tag = "diagnostics",
    responses(
        (status = 200, body = RaterForm),
        (status = 404, description = "`unknown_rater_link`", body = trellis_wire::Problem, content_type = "application/problem+json"),
        (status = 410, description = "`rater_link_used` or `rater_link_expired`", body = trellis_wire::Problem, content_type = "application/problem+json"),
        BodyErrors,
    )
)]
#[post("/rater-links/submit")]
pub async fn submit_rater_answers(state: State, body: Json<RaterAnswers>) -> Result<Json<RaterForm>, ApiError> {
    body.validate()?;
    let (clock, body) = (state.clock, body.into_inner());
    let out = state
        .db
        .tx(move |conn| {
            let linked = usable(conn, &body.token, clock.now())?;
            refuse(rules::check_answers(&linked.round.items()?, &body.answers, true))?;
            if !db::submit(conn, &linked, &body.answers)? {
                return Err(ApiError::new(StatusCode::GONE, "rater_link_used", "your answers are in already"));
            }
            let mut out = form(conn, &linked, Some(rules::Answers::default()))?;
            out.status = RaterStatus::Answered;
            Ok(out)
        })
        .await?;
    Ok(Json(out))
}

/// Declines to take part, with a reason the participant sees; the link stops working.
#[utoipa::path(
    operation_id = "decline_rater_request",
    tag = "diagnostics",
    responses(
        (status = 200, body = RaterForm),
        (status = 404, description = "`unknown_rater_link`", body = trellis_wire::Problem, content_type = "application/problem+json"),
        (status = 410, description = "`rater_link_used` or `rater_link_expired`", body = trellis_wire::Problem, content_type = "application/problem+json"),
        BodyErrors,
    )
)]
#[post("/rater-links/decline")]
pub async fn decline_rater_request(state: State, body: Json<DeclineRating>) -> Result<Json<RaterForm>, ApiError> {
    body.validate()?;
    let (clock, body) = (state.clock, body.into_inner());
    let reason = body.reason.trim().to_owned();
    if reason.is_empty() {
        return Err(ApiError::field("blank", "reason", "say in a few words why you are declining"));
    }
    let out = state
        .db
        .tx(move |conn| {
            let linked = usable(conn, &body.token, clock.now())?;
            if !db::decline(conn, &linked, &reason)? {
                return Err(ApiError::new(StatusCode::GONE, "rater_link_used", "your answer is in already"));
            }
            let mut out = form(conn, &linked, Some(rules::Answers::default()))?;
            out.status = RaterStatus::Declined;
            Ok(out)
        })
        .await?;
    Ok(Json(out))
}
