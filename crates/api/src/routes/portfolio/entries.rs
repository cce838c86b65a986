//! Portfolio entries: written by the participant, handed in, verified or returned by the coach or
//! a tutor. Whoever may see the enrolment sees each entry's state; its contents go to fewer.

use actix_web::{HttpResponse, delete, get, post, put, web::Json, web::Path};
use trellis_domain::ids::{EnrolmentId, PortfolioEntryId};
use trellis_domain::portfolio::{EntryContent, EntryMove, EntryState, submit_faults};
use trellis_domain::rules::definition::{PortfolioEntryKind, SessionKind};
use trellis_domain::rules::word_count;
use trellis_wire::{
    CreatePortfolioEntry, FieldError, PortfolioEntry, PortfolioEntryList, Poster, ReturnPortfolioEntry,
    UpdatePortfolioEntry, VerifyPortfolioEntry,
};
use uuid::Uuid;
use validator::Validate;

use crate::auth::{Bearer, Caller};
use crate::db::allowed::{self, Allowed, LoadedEntry, enrolment, entry};
use crate::db::{DbConn, enrolments, portfolio};
use crate::error::ApiError;
use crate::routes::{ReadErrors, State, WriteErrors};

/// Words of an entry: its body and its poster's panels, as the rules count them.
fn words_of(body: &str, poster: Option<&Poster>) -> usize {
    let panels = poster.map(|p| [&p.focus, &p.issues, &p.actions, &p.impact, &p.desired_outcomes]);
    word_count(body) + panels.into_iter().flatten().map(|t| word_count(t)).sum::<usize>()
}

fn panels_written(p: &Poster) -> usize {
    [&p.focus, &p.issues, &p.actions, &p.impact, &p.desired_outcomes].iter().filter(|t| word_count(t) > 0).count()
}

fn fault(field: &str, code: &str, message: impl Into<String>) -> FieldError {
    FieldError { field: field.into(), code: code.into(), message: message.into() }
}

/// What an entry of this kind may say: a session only on a reflection (one the participant
/// attended), a poster only on an impact poster.
fn check_contents(
    conn: &mut DbConn,
    enrolment: &str,
    cohort: &str,
    kind: PortfolioEntryKind,
    session: Option<Uuid>,
    poster: Option<&Poster>,
) -> Result<(), ApiError> {
    let mut errors = vec![];
    let attended = match (kind, session) {
        (PortfolioEntryKind::Reflection, Some(s)) => portfolio::attended_session(conn, enrolment, cohort, s)?.is_some(),
        _ => true,
    };
    if !attended {
        errors.push(fault(
            "session_id",
            "session_not_attended",
            "a reflection is on a session of this cohort that you attended (present or late)",
        ));
    }
    if kind != PortfolioEntryKind::Reflection && session.is_some() {
        errors.push(fault("session_id", "not_for_this_kind", "only a reflection is on a session"));
    }
    if poster.is_some() && kind != PortfolioEntryKind::ImpactPoster {
        errors.push(fault("poster", "not_for_this_kind", "only an impact poster has poster panels"));
    }
    if let Some(p) = poster {
        let mut themes = p.themes.clone();
        themes.sort_by_key(|t| t.as_str());
        themes.dedup();
        if themes.len() != p.themes.len() {
            errors.push(fault("poster.themes", "duplicate", "name each theme once"));
        }
    }
    if errors.is_empty() { Ok(()) } else { Err(ApiError::invalid("validation_failed", errors)) }
}

fn fields<'a>(
    title: &'a str,
    body: &'a str,
    session: Option<Uuid>,
    poster: Option<&Poster>,
    shared: bool,
) -> Result<portfolio::EntryFields<'a>, ApiError> {
    Ok(portfolio::EntryFields {
        title,
        body,
        words: words_of(body, poster) as i64,
        session_id: session,
        poster: poster.map(serde_json::to_string).transpose().map_err(ApiError::internal)?,
        shared,
    })
}

fn show<A>(conn: &mut DbConn, caller: &Caller, e: &Allowed<LoadedEntry, A>) -> Result<PortfolioEntry, ApiError> {
    portfolio::view(conn, caller, e)
}

/// The enrolment's portfolio: every entry with its state, and the contents of those the caller
/// may read (the participant's own; once handed in, those the coach or a tutor verifies; those
/// the participant shared, for the school's leads).
#[utoipa::path(
    operation_id = "list_portfolio_entries",
    tag = "portfolio",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Enrolment id")),
    responses((status = 200, body = PortfolioEntryList), ReadErrors)
)]
#[get("/enrolments/{id}/portfolio-entries")]
pub async fn list_portfolio_entries(
    state: State,
    caller: Bearer,
    id: Path<EnrolmentId>,
) -> Result<Json<PortfolioEntryList>, ApiError> {
    let id = id.into_inner();
    let out = state
        .db
        .run_as(caller, move |conn, caller| {
            let target = allowed::enrolment::<enrolment::Read>(conn, &caller, id)?;
            let entries = allowed::entries_of(conn, &target)?;
            Ok(PortfolioEntryList { items: portfolio::views(conn, &caller, &entries)? })
        })
        .await?;
    Ok(Json(out))
}

/// Starts an entry as a draft (the participant). A reflection may name its session now or later;
/// it must be one of the cohort's that the participant attended (`session_not_attended`).
#[utoipa::path(
    operation_id = "create_portfolio_entry",
    tag = "portfolio",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Enrolment id")),
    responses((status = 201, body = PortfolioEntry), WriteErrors)
)]
#[post("/enrolments/{id}/portfolio-entries")]
pub async fn create_portfolio_entry(
    state: State,
    caller: Bearer,
    id: Path<EnrolmentId>,
    body: Json<CreatePortfolioEntry>,
) -> Result<HttpResponse, ApiError> {
    let clock = state.clock;
    let id = id.into_inner();
    let body = body.into_inner();
    body.validate()?;
    let out = state
        .db
        .tx_as(caller, move |conn, caller| {
            let target = allowed::enrolment::<enrolment::OwnWork>(conn, &caller, id)?;
            let status = enrolments::status_for_update(conn, &target)?;
            if !status.open_for_work() {
                return Err(ApiError::conflict(
                    "enrolment_not_active",
                    format!("this enrolment is {status}: its portfolio can no longer change"),
                ));
            }
            let enrolment = target.id.to_string();
            check_contents(conn, &enrolment, &target.row.cohort_id, body.kind, body.session_id, body.poster.as_ref())?;
            let f = fields(&body.title, &body.body, body.session_id, body.poster.as_ref(), body.shared)?;
            let entry_id = portfolio::insert(conn, &target, body.kind, &f, clock.now())?;
            let e = allowed::entry::<entry::Read>(conn, &caller, entry_id.into(), false)?;
            show(conn, &caller, &e)
        })
        .await?;
    Ok(HttpResponse::Created().json(out))
}

/// An entry: its state for whoever may see the enrolment, its contents for those who may read it.
#[utoipa::path(
    operation_id = "get_portfolio_entry",
    tag = "portfolio",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Portfolio entry id")),
    responses((status = 200, body = PortfolioEntry), ReadErrors)
)]
#[get("/portfolio-entries/{id}")]
pub async fn get_portfolio_entry(
    state: State,
    caller: Bearer,
    id: Path<PortfolioEntryId>,
) -> Result<Json<PortfolioEntry>, ApiError> {
    let id = id.into_inner();
    let out = state
        .db
        .run_as(caller, move |conn, caller| {
            let e = allowed::entry_state(conn, &caller, id)?;
            show(conn, &caller, &e)
        })
        .await?;
    Ok(Json(out))
}

/// Loads the entry for the participant's change, refusing one that is handed in (409 `entry_locked`)
/// or whose enrolment is closed.
fn editable(
    conn: &mut DbConn,
    caller: &Caller,
    id: PortfolioEntryId,
) -> Result<Allowed<LoadedEntry, entry::Edit>, ApiError> {
    let e = allowed::entry::<entry::Edit>(conn, caller, id, true)?;
    let state = e.row.state()?;
    if !state.editable() {
        return Err(ApiError::conflict("entry_locked", format!("this entry is {state}: withdraw it to change it")));
    }
    Ok(e)
}

/// Replaces a draft's (or a returned entry's) contents.
#[utoipa::path(
    operation_id = "update_portfolio_entry",
    tag = "portfolio",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Portfolio entry id")),
    responses((status = 200, body = PortfolioEntry), WriteErrors)
)]
#[put("/portfolio-entries/{id}")]
pub async fn update_portfolio_entry(
    state: State,
    caller: Bearer,
    id: Path<PortfolioEntryId>,
    body: Json<UpdatePortfolioEntry>,
) -> Result<Json<PortfolioEntry>, ApiError> {
    let clock = state.clock;
    let id = id.into_inner();
    let body = body.into_inner();
    body.validate()?;
    let out = state
        .db
        .tx_as(caller, move |conn, caller| {
            let e = editable(conn, &caller, id)?;
            let (enrolment, cohort) = (e.row.enrolment_id.clone(), e.cohort_id.clone());
            check_contents(conn, &enrolment, &cohort, e.row.kind()?, body.session_id, body.poster.as_ref())?;
            let f = fields(&body.title, &body.body, body.session_id, body.poster.as_ref(), body.shared)?;
            portfolio::update(conn, &e, &f, clock.now())?;
            let e = allowed::entry::<entry::Read>(conn, &caller, id, false)?;
            show(conn, &caller, &e)
        })
        .await?;
    Ok(Json(out))
}

/// Deletes a draft with its files (the bytes stay while another entry holds them). What was
/// ever handed in keeps its history: a withdrawn entry is a draft again and may be deleted, its
/// moves still recorded.
#[utoipa::path(
    operation_id = "delete_portfolio_entry",
    tag = "portfolio",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Portfolio entry id")),
    responses((status = 204), WriteErrors)
)]
#[delete("/portfolio-entries/{id}")]
pub async fn delete_portfolio_entry(
    state: State,
    caller: Bearer,
    id: Path<PortfolioEntryId>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let state2 = state.clone();
    let _guard = state.files.lock.lock().await;
    let gone = state2
        .db
        .tx_as(caller, move |conn, caller| {
            let e = editable(conn, &caller, id)?;
            if e.row.state()? != EntryState::Draft {
                return Err(ApiError::conflict("entry_locked", "a returned entry is resubmitted, not deleted"));
            }
            portfolio::delete(conn, &e)
        })
        .await?;
    for sha in gone {
        state.files.remove(&sha);
    }
    Ok(HttpResponse::NoContent().finish())
}

/// Makes a move on the entry, as the domain's lifecycle allows from its state (409
/// `illegal_move` otherwise).
async fn make_move(
    state: State,
    caller: Bearer,
    id: PortfolioEntryId,
    action: EntryMove,
    comment: Option<String>,
) -> Result<PortfolioEntry, ApiError> {
    let clock = state.clock;
    state
        .db
        .tx_as(caller, move |conn, caller| {
            let e = allowed::entry_move(conn, &caller, id, action)?;
            let from = e.row.state()?;
            let to = from.apply(action).map_err(|m| ApiError::conflict("illegal_move", m.to_string()))?;
            let status = portfolio::enrolment_status_for_update(conn, &e)?;
            if !status.open_for_work() {
                return Err(ApiError::conflict(
                    "enrolment_not_active",
                    format!("this enrolment is {status}: its portfolio can no longer change"),
                ));
            }
            if action == EntryMove::Submit {
                let kind = e.row.kind()?;
                let poster = e.row.poster()?;
                let session =
                    e.row.session_id.as_deref().map(Uuid::parse_str).transpose().map_err(ApiError::internal)?;
                // The session must still be one the participant attended (a register can change).
                let attended = match session {
                    Some(s) => portfolio::attended_session(conn, &e.row.enrolment_id, &e.cohort_id, s)?
                        .and_then(|k| k.parse::<SessionKind>().ok())
                        .is_some(),
                    None => false,
                };
                let content = EntryContent {
                    kind,
                    words: e.row.words.max(0) as usize,
                    has_session: attended,
                    files: portfolio::count_files(conn, &e.row.id)?,
                    poster_panels: poster.as_ref().map(panels_written).unwrap_or(0),
                    poster_themes: poster.as_ref().map(|p| p.themes.len()).unwrap_or(0),
                };
                let faults = submit_faults(&content);
                if !faults.is_empty() {
                    return Err(ApiError::invalid(
                        "entry_incomplete",
                        faults.into_iter().map(FieldError::from).collect(),
                    ));
                }
            }
            portfolio::apply_move(conn, &e, action, to, caller.user_uuid()?, comment.as_deref(), clock.now())?;
            let e = allowed::entry_state(conn, &caller, id)?;
            show(conn, &caller, &e)
        })
        .await
}

/// Hands the entry in (the participant): it is locked until verified, returned or withdrawn.
/// Refused with 422 `entry_incomplete` listing what is missing (text, the reflection's session,
/// an evidence item's files, a poster's panels and themes).
#[utoipa::path(
    operation_id = "submit_portfolio_entry",
    tag = "portfolio",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Portfolio entry id")),
    responses((status = 200, body = PortfolioEntry), WriteErrors)
)]
#[post("/portfolio-entries/{id}/submit")]
pub async fn submit_portfolio_entry(
    state: State,
    caller: Bearer,
    id: Path<PortfolioEntryId>,
) -> Result<Json<PortfolioEntry>, ApiError> {
    make_move(state, caller, id.into_inner(), EntryMove::Submit, None).await.map(Json)
}

/// Takes a handed-in entry back to draft (the participant); its verification, if any, is cleared.
#[utoipa::path(
    operation_id = "withdraw_portfolio_entry",
    tag = "portfolio",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Portfolio entry id")),
    responses((status = 200, body = PortfolioEntry), WriteErrors)
)]
#[post("/portfolio-entries/{id}/withdraw")]
pub async fn withdraw_portfolio_entry(
    state: State,
    caller: Bearer,
    id: Path<PortfolioEntryId>,
) -> Result<Json<PortfolioEntry>, ApiError> {
    make_move(state, caller, id.into_inner(), EntryMove::Withdraw, None).await.map(Json)
}

/// Verifies a submitted entry (the enrolment's coach, or a facilitator of its cohort; never the
/// participant), with an optional comment.
#[utoipa::path(
    operation_id = "verify_portfolio_entry",
    tag = "portfolio",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Portfolio entry id")),
    responses((status = 200, body = PortfolioEntry), WriteErrors)
)]
#[post("/portfolio-entries/{id}/verify")]
pub async fn verify_portfolio_entry(
    state: State,
    caller: Bearer,
    id: Path<PortfolioEntryId>,
    body: Json<VerifyPortfolioEntry>,
) -> Result<Json<PortfolioEntry>, ApiError> {
    let body = body.into_inner();
    body.validate()?;
    let comment = body.comment.filter(|c| !c.trim().is_empty());
    make_move(state, caller, id.into_inner(), EntryMove::Verify, comment).await.map(Json)
}

/// Returns a submitted entry to the participant with comments saying what to change.
#[utoipa::path(
    operation_id = "return_portfolio_entry",
    tag = "portfolio",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Portfolio entry id")),
    responses((status = 200, body = PortfolioEntry), WriteErrors)
)]
#[post("/portfolio-entries/{id}/return")]
pub async fn return_portfolio_entry(
    state: State,
    caller: Bearer,
    id: Path<PortfolioEntryId>,
    body: Json<ReturnPortfolioEntry>,
) -> Result<Json<PortfolioEntry>, ApiError> {
    let body = body.into_inner();
    body.validate()?;
    if body.comment.trim().is_empty() {
        return Err(ApiError::field("blank", "comment", "say what to change"));
    }
    make_move(state, caller, id.into_inner(), EntryMove::Return, Some(body.comment)).await.map(Json)
}
