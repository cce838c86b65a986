//! Rounds of an enrolment's diagnostic, their raters, the self-review and the report.

use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, put, web::Json, web::Path};
use chrono::{Duration, NaiveDate};
use trellis_domain::Action;
use trellis_domain::diagnostic::{self as rules, SelfReviewStatus};
use trellis_domain::enrolment::EnrolmentStatus;
use trellis_domain::ids::{DiagnosticRoundId, EnrolmentId, RaterId};
use trellis_domain::rules::definition::{DiagnosticRound, DiagnosticRule};
use trellis_wire::{
    ClosedRound, CreateDiagnosticRound, DiagnosticReport, DiagnosticRoundList, DiagnosticRoundSummary, NominateRaters,
    Rater, SaveSelfReview, SelfReview, UpdateDiagnosticRound,
};
use validator::Validate;

use crate::auth::{Bearer, Caller};
use crate::db::allowed::{self, Allowed, LoadedRound, diagnostic};
use crate::db::diagnostic as db;
use crate::db::facts::uuid;
use crate::db::{DbConn, outbox};
use crate::error::ApiError;
use crate::routes::{ReadErrors, State, WriteErrors, refuse};

/// Rounds close at most a year ahead.
const MAX_OPEN_DAYS: i64 = 366;

fn user_of(caller: &Caller) -> Option<String> {
    match &caller.principal {
        trellis_domain::Principal::User(u) => Some(u.user_id.to_string()),
        trellis_domain::Principal::Client(_) => None,
    }
}

fn rule_of(definition: &trellis_domain::rules::Definition) -> Result<DiagnosticRule, ApiError> {
    definition
        .diagnostic
        .clone()
        .ok_or_else(|| ApiError::conflict("no_diagnostic_in_programme", "the cohort's programme has no 360 diagnostic"))
}

fn check_closes_on(closes_on: NaiveDate, today: NaiveDate) -> Result<(), ApiError> {
    crate::dates::require(&[("closes_on", closes_on)])?;
    if closes_on < today || closes_on > today + Duration::days(MAX_OPEN_DAYS) {
        return Err(ApiError::field(
            "closes_on_out_of_range",
            "closes_on",
            format!("the closing date is from today ({today}) to a year ahead"),
        ));
    }
    Ok(())
}

/// The round as the caller may see it: completion for all, raters for those who run it.
fn summary<A>(
    conn: &mut DbConn,
    caller: &Caller,
    round: &Allowed<LoadedRound, A>,
    rule: &DiagnosticRule,
    today: NaiveDate,
) -> Result<DiagnosticRoundSummary, ApiError> {
    let raters = db::raters(conn, round)?;
    let groups = db::counts(rule, &raters)?;
    let own = db::self_review(conn, round)?;
    let self_review = match &own {
        None => SelfReviewStatus::NotStarted,
        Some(r) if r.submitted_at.is_some() => SelfReviewStatus::Submitted,
        Some(_) => SelfReviewStatus::Draft,
    };
    let may_run = round.may(caller, Action::Update);
    let status = round.row.status(today);
    let close_blockers = if status == rules::RoundStatus::Closed {
        vec![]
    } else {
        rules::close_faults(rule, &groups, self_review == SelfReviewStatus::Submitted)
            .into_iter()
            .map(|f| f.message)
            .collect()
    };
    Ok(DiagnosticRoundSummary {
        id: uuid(&round.row.id)?,
        enrolment_id: uuid(&round.row.enrolment_id)?,
        round: round.row.kind()?,
        status,
        closes_on: round.row.closes_on,
        closed_on: round.row.closed_at.map(|t| t.date()),
        items: round.row.items()?,
        threshold: round.row.threshold as u32,
        self_review,
        groups,
        raters: if may_run { Some(raters.iter().map(rater_wire).collect::<Result<_, _>>()?) } else { None },
        close_blockers,
        may_run,
        may_self_review: round.may(caller, Action::SelfReview),
        may_read_report: round.may(caller, Action::ReadReport),
        opened_at: round.row.opened_at.and_utc(),
        updated_at: round.row.updated_at.and_utc(),
    })
}

fn rater_wire(r: &db::RaterRow) -> Result<Rater, ApiError> {
    Ok(Rater {
        id: uuid(&r.id)?,
        group: r.group()?,
        name: r.name.clone(),
        email: r.email.clone(),
        status: r.status()?,
        decline_reason: r.decline_reason.clone(),
        invited_at: r.invited_at.and_utc(),
        reminded_at: r.reminded_at.map(|t| t.and_utc()),
    })
}

fn reloaded(
    conn: &mut DbConn,
    caller: &Caller,
    id: DiagnosticRoundId,
    today: NaiveDate,
) -> Result<DiagnosticRoundSummary, ApiError> {
    let round = allowed::round::<diagnostic::Read>(conn, caller, id, false)?;
    let rule = rule_of(&crate::db::cohorts::definition(conn, &round.enrolment.row.cohort_id)?)?;
    summary(conn, caller, &round, &rule, today)
}

/// Nominations and re-dating are for open rounds only.
fn require_open(round: &LoadedRound, today: NaiveDate) -> Result<(), ApiError> {
    if round.enrolment.row.status == EnrolmentStatus::Withdrawn.as_str() {
        return Err(ApiError::conflict("enrolment_withdrawn", "the enrolment has been withdrawn: no more raters"));
    }
    match round.row.status(today) {
        rules::RoundStatus::Open => Ok(()),
        rules::RoundStatus::Closed => Err(ApiError::conflict("round_closed", "this round is closed")),
        rules::RoundStatus::PastClosingDate => Err(ApiError::conflict(
            "round_past_closing_date",
            "this round's closing date has passed: move the date to invite more raters",
        )),
    }
}

/// The enrolment's diagnostic rounds, baseline first: where each stands and how many in each
/// group have answered — never what anyone said. Rater names go to those who run the round.
#[utoipa::path(
    operation_id = "list_enrolment_diagnostic_rounds",
    tag = "diagnostics",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Enrolment id")),
    responses((status = 200, body = DiagnosticRoundList), ReadErrors)
)]
#[get("/enrolments/{id}/diagnostic-rounds")]
pub async fn list_enrolment_diagnostic_rounds(
    state: State,
    caller: Bearer,
    id: Path<EnrolmentId>,
) -> Result<Json<DiagnosticRoundList>, ApiError> {
    let (clock, id) = (state.clock, id.into_inner());
    let out = state
        .db
        .run_as(caller, move |conn, caller| {
            let target = allowed::diagnostic_of::<diagnostic::Read>(conn, &caller, id)?;
            let rounds = allowed::rounds_of(conn, &target)?;
            if rounds.is_empty() {
                return Ok(DiagnosticRoundList { items: vec![] });
            }
            // One definition for the enrolment's rounds, not one per round.
            let rule = rule_of(&crate::db::cohorts::definition(conn, &target.row.cohort_id)?)?;
            let items =
                rounds.iter().map(|r| summary(conn, &caller, r, &rule, clock.today())).collect::<Result<_, _>>()?;
            Ok(DiagnosticRoundList { items })
        })
        .await?;
    Ok(Json(out))
}

/// Opens a round of the diagnostic (the participant or the cohort's facilitators): what it rates
/// and its anonymity threshold are taken from the programme now. One round of each kind the
/// programme has (409 `round_exists`; 422 `round_not_in_programme`); the closing date is from
/// today to a year ahead (422 `closes_on_out_of_range`).
#[utoipa::path(
    operation_id = "create_diagnostic_round",
    tag = "diagnostics",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Enrolment id")),
    responses((status = 201, body = DiagnosticRoundSummary), WriteErrors)
)]
#[post("/enrolments/{id}/diagnostic-rounds")]
pub async fn create_diagnostic_round(
    state: State,
    caller: Bearer,
    id: Path<EnrolmentId>,
    body: Json<CreateDiagnosticRound>,
) -> Result<HttpResponse, ApiError> {
    let (clock, id, body) = (state.clock, id.into_inner(), body.into_inner());
    body.validate()?;
    let out = state
        .db
        .tx_as(caller, move |conn, caller| {
            let target = allowed::diagnostic_of::<diagnostic::Run>(conn, &caller, id)?;
            let status = crate::db::enrolments::status_for_update(conn, &target)?;
            if matches!(status, EnrolmentStatus::Nominated | EnrolmentStatus::Withdrawn | EnrolmentStatus::Certified) {
                return Err(ApiError::conflict(
                    "enrolment_not_active",
                    format!("this enrolment is {status}: its diagnostic cannot be run"),
                ));
            }
            let definition = crate::db::cohorts::definition(conn, &target.row.cohort_id)?;
            let rule = rule_of(&definition)?;
            if !rule.rounds.contains(&body.round) {
                return Err(ApiError::field(
                    "round_not_in_programme",
                    "round",
                    format!("this programme's diagnostic has no {} round", body.round),
                ));
            }
            let today = clock.today();
            check_closes_on(body.closes_on, today)?;
            let items = rules::items(&definition);
            let by = user_of(&caller);
            let new = db::NewRound {
                round: body.round,
                items: &items,
                threshold: rule.anonymity_threshold,
                closes_on: body.closes_on,
                opened_by: by.as_deref(),
            };
            let Some(round) = db::open(conn, &target, &new, clock.now())? else {
                return Err(ApiError::conflict_on(
                    "round_exists",
                    "round",
                    format!("this enrolment has a {} round already", body.round),
                ));
            };
            reloaded(conn, &caller, uuid(&round)?, today)
        })
        .await?;
    Ok(HttpResponse::Created().json(out))
}

/// One round: where it stands, what it rates, answers per group (never what), and what the
/// caller may do.
#[utoipa::path(
    operation_id = "get_diagnostic_round",
    tag = "diagnostics",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Round id")),
    responses((status = 200, body = DiagnosticRoundSummary), ReadErrors)
)]
#[get("/diagnostic-rounds/{id}")]
pub async fn get_diagnostic_round(
    state: State,
    caller: Bearer,
    id: Path<DiagnosticRoundId>,
) -> Result<Json<DiagnosticRoundSummary>, ApiError> {
    let (clock, id) = (state.clock, id.into_inner());
    let out = state.db.run_as(caller, move |conn, caller| reloaded(conn, &caller, id, clock.today())).await?;
    Ok(Json(out))
}

/// Moves the closing date of a round that is not closed (its raters' links move with it); a date
/// from today to a year ahead.
#[utoipa::path(
    operation_id = "update_diagnostic_round",
    tag = "diagnostics",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Round id")),
    responses((status = 200, body = DiagnosticRoundSummary), WriteErrors)
)]
#[patch("/diagnostic-rounds/{id}")]
pub async fn update_diagnostic_round(
    state: State,
    caller: Bearer,
    id: Path<DiagnosticRoundId>,
    body: Json<UpdateDiagnosticRound>,
) -> Result<Json<DiagnosticRoundSummary>, ApiError> {
    let (clock, id, body) = (state.clock, id.into_inner(), body.into_inner());
    body.validate()?;
    let out = state
        .db
        .tx_as(caller, move |conn, caller| {
            let round = allowed::round::<diagnostic::Run>(conn, &caller, id, true)?;
            let today = clock.today();
            if round.row.closed_at.is_some() {
                return Err(ApiError::conflict("round_closed", "this round is closed"));
            }
            check_closes_on(body.closes_on, today)?;
            db::set_closes_on(conn, &round, body.closes_on, clock.now())?;
            reloaded(conn, &caller, id, today)
        })
        .await?;
    Ok(Json(out))
}

/// Closes the round: no more answers, and the report is made. Needs the self-review and each
/// group's minimum of answers (422 `self_review_missing`, `raters_too_few`, each group named).
#[utoipa::path(
    operation_id = "close_diagnostic_round",
    tag = "diagnostics",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Round id")),
    responses((status = 200, body = DiagnosticRoundSummary), WriteErrors)
)]
#[post("/diagnostic-rounds/{id}/close")]
pub async fn close_diagnostic_round(
    state: State,
    caller: Bearer,
    id: Path<DiagnosticRoundId>,
) -> Result<Json<DiagnosticRoundSummary>, ApiError> {
    let (clock, id) = (state.clock, id.into_inner());
    let out = state
        .db
        .tx_as(caller, move |conn, caller| {
            let round = allowed::round::<diagnostic::Run>(conn, &caller, id, true)?;
            if round.row.closed_at.is_some() {
                return Err(ApiError::conflict("round_closed", "this round is closed already"));
            }
            let definition = crate::db::cohorts::definition(conn, &round.enrolment.row.cohort_id)?;
            let rule = rule_of(&definition)?;
            let raters = db::raters(conn, &round)?;
            let submitted = db::self_review(conn, &round)?.is_some_and(|r| r.submitted_at.is_some());
            refuse(rules::close_faults(&rule, &db::counts(&rule, &raters)?, submitted))?;
            if !db::close(conn, &round, user_of(&caller).as_deref(), clock.now())? {
                return Err(ApiError::conflict("round_closed", "this round was closed meanwhile"));
            }
            reloaded(conn, &caller, id, clock.today())
        })
        .await?;
    Ok(Json(out))
}

/// Nominates raters (the participant or the cohort's facilitators): each is emailed a link of
/// their own that works until the closing date, with no account. Groups are the programme's
/// (422 `group_not_in_programme`); the self-review is not a nomination (`self_not_a_rater`); one
/// nomination per email in a round (`duplicate_rater`). Open rounds only (409 `round_closed`,
/// `round_past_closing_date`).
#[utoipa::path(
    operation_id = "create_diagnostic_raters",
    tag = "diagnostics",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Round id")),
    responses((status = 201, body = DiagnosticRoundSummary), WriteErrors)
)]
#[post("/diagnostic-rounds/{id}/raters")]
pub async fn create_diagnostic_raters(
    state: State,
    req: HttpRequest,
    caller: Bearer,
    id: Path<DiagnosticRoundId>,
    body: Json<NominateRaters>,
) -> Result<HttpResponse, ApiError> {
    let (clock, id, body) = (state.clock, id.into_inner(), body.into_inner());
    body.validate()?;
    let origin = state.net.public_origin(&req);
    let out = state
        .db
        .tx_as(caller, move |conn, caller| {
            let round = allowed::round::<diagnostic::Run>(conn, &caller, id, true)?;
            let today = clock.today();
            require_open(&round, today)?;
            let ctx = db::context(conn, &round.row.enrolment_id)?;
            let rule = rule_of(&crate::db::cohorts::definition(conn, &round.enrolment.row.cohort_id)?)?;
            let existing: Vec<String> = db::raters(conn, &round)?.into_iter().map(|r| r.email).collect();
            let nominees: Vec<_> = body
                .raters
                .iter()
                .map(|n| (n.group, n.name.trim().to_owned(), n.email.trim().to_lowercase()))
                .collect();
            let pairs: Vec<_> = nominees.iter().map(|(g, _, e)| (*g, e.clone())).collect();
            refuse(rules::check_nominations(&rule, &existing, ctx.participant_email.as_deref(), &pairs))?;
            let now = clock.now();
            let closes = crate::mail::templates::long_date(round.row.closes_on);
            for (n, (_, name, email)) in db::nominate(conn, &round, &nominees, now)?.iter().zip(&nominees) {
                let link = format!("{origin}/rate#token={}", n.token);
                let message = crate::mail::templates::rater_invitation(
                    email,
                    name,
                    &ctx.participant,
                    &ctx.programme,
                    &link,
                    &closes,
                );
                outbox::enqueue(conn, &message, now)?;
            }
            reloaded(conn, &caller, id, today)
        })
        .await?;
    Ok(HttpResponse::Created().json(out))
}

/// Withdraws a nomination that has not been answered (its link stops working). An answer cannot
/// be withdrawn: nothing links it to its rater any more (409 `rater_answered`).
#[utoipa::path(
    operation_id = "delete_diagnostic_rater",
    tag = "diagnostics",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Round id"), ("rater_id" = Uuid, Path)),
    responses((status = 200, body = DiagnosticRoundSummary), WriteErrors)
)]
#[delete("/diagnostic-rounds/{id}/raters/{rater_id}")]
pub async fn delete_diagnostic_rater(
    state: State,
    caller: Bearer,
    path: Path<(DiagnosticRoundId, RaterId)>,
) -> Result<Json<DiagnosticRoundSummary>, ApiError> {
    let clock = state.clock;
    let (id, rater) = path.into_inner();
    let out = state
        .db
        .tx_as(caller, move |conn, caller| {
            let round = allowed::round::<diagnostic::Run>(conn, &caller, id, true)?;
            if round.row.closed_at.is_some() {
                return Err(ApiError::conflict("round_closed", "this round is closed"));
            }
            if !db::remove_rater(conn, &round, &rater.to_string())? {
                return Err(ApiError::conflict(
                    "rater_answered",
                    "this rater has answered: an answer cannot be taken back",
                ));
            }
            reloaded(conn, &caller, id, clock.today())
        })
        .await?;
    Ok(Json(out))
}

fn self_wire(items: Vec<rules::Item>, own: Option<(rules::Answers, db::SelfRow)>) -> SelfReview {
    match own {
        None => SelfReview {
            status: SelfReviewStatus::NotStarted,
            items,
            answers: rules::Answers::default(),
            saved_at: None,
            submitted_at: None,
        },
        Some((answers, row)) => SelfReview {
            status: if row.submitted_at.is_some() { SelfReviewStatus::Submitted } else { SelfReviewStatus::Draft },
            items,
            answers,
            saved_at: Some(row.saved_at.and_utc()),
            submitted_at: row.submitted_at.map(|t| t.and_utc()),
        },
    }
}

/// The participant's own review of the round (theirs alone).
#[utoipa::path(
    operation_id = "get_diagnostic_self_review",
    tag = "diagnostics",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Round id")),
    responses((status = 200, body = SelfReview), (status = 403, body = trellis_wire::Problem, content_type = "application/problem+json"), ReadErrors)
)]
#[get("/diagnostic-rounds/{id}/self-review")]
pub async fn get_diagnostic_self_review(
    state: State,
    caller: Bearer,
    id: Path<DiagnosticRoundId>,
) -> Result<Json<SelfReview>, ApiError> {
    let id = id.into_inner();
    let out = state
        .db
        .run_as(caller, move |conn, caller| {
            let round = allowed::round::<diagnostic::SelfReview>(conn, &caller, id, false)?;
            Ok(self_wire(round.row.items()?, db::self_answers(conn, &round)?))
        })
        .await?;
    Ok(Json(out))
}

/// Saves the participant's own review; with `submit`, hands it in (every item rated or marked
/// not observed: 422 `unanswered_items`), after which it cannot change (409
/// `self_review_submitted`). Until the round is closed (409 `round_closed`).
#[utoipa::path(
    operation_id = "update_diagnostic_self_review",
    tag = "diagnostics",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Round id")),
    responses((status = 200, body = SelfReview), WriteErrors)
)]
#[put("/diagnostic-rounds/{id}/self-review")]
pub async fn update_diagnostic_self_review(
    state: State,
    caller: Bearer,
    id: Path<DiagnosticRoundId>,
    body: Json<SaveSelfReview>,
) -> Result<Json<SelfReview>, ApiError> {
    let (clock, id, body) = (state.clock, id.into_inner(), body.into_inner());
    body.validate()?;
    let out = state
        .db
        .tx_as(caller, move |conn, caller| {
            let round = allowed::round::<diagnostic::SelfReview>(conn, &caller, id, true)?;
            if round.row.closed_at.is_some() {
                return Err(ApiError::conflict("round_closed", "this round is closed"));
            }
            let items = round.row.items()?;
            refuse(rules::check_answers(&items, &body.answers, body.submit))?;
            if !db::save_self_review(conn, &round, &body.answers, body.submit, clock.now())? {
                return Err(ApiError::conflict(
                    "self_review_submitted",
                    "the self-review is handed in: it cannot change",
                ));
            }
            Ok(self_wire(items, db::self_answers(conn, &round)?))
        })
        .await?;
    Ok(Json(out))
}

/// The enrolment's 360 report (the participant and their coach only — never an admin): each
/// closed round's figures per behaviour and area, self against line manager against the other
/// groups, and baseline against end. Groups other than self and line manager appear only with at
/// least the threshold's answers, pooled as "others" otherwise, or withheld; comments are
/// unattributed. No figure is one rater's rating. 409 `no_closed_round` until a round is closed.
#[utoipa::path(
    operation_id = "get_diagnostic_report",
    tag = "diagnostics",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Enrolment id")),
    responses(
        (status = 200, body = DiagnosticReport),
        (status = 403, body = trellis_wire::Problem, content_type = "application/problem+json"),
        (status = 409, description = "`no_closed_round`", body = trellis_wire::Problem, content_type = "application/problem+json"),
        ReadErrors
    )
)]
#[get("/enrolments/{id}/diagnostic-report")]
pub async fn get_diagnostic_report(
    state: State,
    caller: Bearer,
    id: Path<EnrolmentId>,
) -> Result<Json<DiagnosticReport>, ApiError> {
    let id = id.into_inner();
    let out = state
        .db
        .run_as(caller, move |conn, caller| {
            let target = allowed::diagnostic_of::<diagnostic::ReadReport>(conn, &caller, id)?;
            let ctx = db::context(conn, &target.row.id)?;
            let (mut baseline, mut end) = (None, None);
            for round in allowed::rounds_of(conn, &target)? {
                let Some(closed) = round.row.closed_at else { continue };
                let (own, responses) = db::responses(conn, &round)?;
                let items = round.row.items()?;
                let report = rules::report(&items, round.row.threshold as u32, own.as_ref(), &responses, &round.row.id);
                let closed = ClosedRound { round_id: uuid(&round.row.id)?, closed_on: closed.date(), report };
                match round.row.kind()? {
                    DiagnosticRound::Baseline => baseline = Some(closed),
                    DiagnosticRound::End => end = Some(closed),
                }
            }
            if baseline.is_none() && end.is_none() {
                return Err(ApiError::conflict(
                    "no_closed_round",
                    "the report is made when a round closes, so that no single answer can be read from it",
                ));
            }
            let change = match (&baseline, &end) {
                (Some(b), Some(e)) => rules::compare(&b.report, &e.report),
                _ => vec![],
            };
            Ok(DiagnosticReport {
                enrolment_id: id.into(),
                participant_name: ctx.participant,
                programme_name: ctx.programme,
                baseline,
                end,
                change,
            })
        })
        .await?;
    Ok(Json(out))
}
