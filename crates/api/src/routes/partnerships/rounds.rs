//! `/partnership-rounds`: a trust's rounds, postponing and resuming them (everyone affected is
//! told), circulating the board, and staff offers.

use actix_web::web::{Json, Path};
use actix_web::{HttpRequest, HttpResponse, get, post, put};
use trellis_domain::authz::Action;
use trellis_domain::ids::{PartnershipRoundId, PersonId};
use trellis_domain::partnership::{RoundStatus, restart_date};
use trellis_wire::{
    CreatePartnershipRound, PartnershipActions, PartnershipNotice, PartnershipOffer, PartnershipRound,
    PartnershipRoundList, PostponePartnershipRound, RoundSchool,
};
use validator::Validate;

use crate::auth::{Bearer, Caller};
use crate::db::allowed::partnerships::{self as allowed, LoadedRound, round};
use crate::db::facts::uuid;
use crate::db::partnerships::{self as db, RoundRow};
use crate::db::{DbConn, outbox};
use crate::error::ApiError;
use crate::paging::new_id;
use crate::routes::{ReadErrors, State, WriteErrors};

use super::{open_round, refused};

pub(super) fn view(conn: &mut DbConn, caller: &Caller, r: &LoadedRound) -> Result<PartnershipRound, ApiError> {
    let counts = db::need_counts(conn, std::slice::from_ref(&r.row.id))?;
    let (needs, matched) = counts.get(&r.row.id).copied().unwrap_or_default();
    let schools = r
        .schools
        .iter()
        .map(|s| RoundSchool { id: s.facts.id.uuid(), name: s.name.clone(), urn: s.urn.clone() })
        .collect();
    // May the caller post a need for at least one school taking part?
    let contribute = r.facts.schools.iter().any(|s| {
        let facts = trellis_domain::authz::NeedFacts { round: r.facts.clone(), host: *s, colleague: None };
        trellis_domain::authorize(&caller.principal, Action::Create, &trellis_domain::Resource::PartnershipNeed(facts))
            .is_ok()
    });
    Ok(PartnershipRound {
        id: uuid(&r.row.id)?,
        organisation_id: uuid(&r.row.organisation_id)?,
        name: r.row.name.clone(),
        starts_on: r.row.starts_on,
        ends_on: r.row.ends_on,
        status: r.row.status.parse().map_err(ApiError::internal)?,
        restart_on: r.row.restart_on,
        postponement_reason: r.row.postponement_reason.clone(),
        circulated_at: r.row.circulated_at.map(|t| t.and_utc()),
        schools,
        needs,
        matched,
        actions: PartnershipActions {
            manage: allowed::may_round(caller, Action::Update, r),
            contribute,
            report: false,
        },
        updated_at: r.row.updated_at.and_utc(),
    })
}

/// Starts a partnership round for a trust's schools (all of them unless `school_ids` names some).
/// The trust's admins run it.
#[utoipa::path(
    operation_id = "create_partnership_round",
    tag = "partnerships",
    security(("bearer" = [])),
    request_body = CreatePartnershipRound,
    responses((status = 201, body = PartnershipRound), WriteErrors)
)]
#[post("/partnership-rounds")]
pub async fn create_partnership_round(
    state: State,
    caller: Bearer,
    body: Json<CreatePartnershipRound>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let clock = state.clock;
    let out = state
        .db
        .tx_as(caller, move |conn, caller| {
            let new = allowed::new_round(conn, &caller, body.organisation_id.into(), body.school_ids.as_deref())?;
            body.validate()?;
            crate::dates::require(&[("starts_on", body.starts_on), ("ends_on", body.ends_on)])?;
            if body.ends_on < body.starts_on {
                return Err(ApiError::field("ends_before_start", "ends_on", "the round ends before it starts"));
            }
            let now = clock.now();
            let row = RoundRow {
                id: new_id(),
                organisation_id: new.organisation_id.to_string(),
                name: body.name.trim().to_owned(),
                starts_on: body.starts_on,
                ends_on: body.ends_on,
                status: RoundStatus::Open.as_str().into(),
                restart_on: None,
                postponement_reason: None,
                circulated_at: None,
                created_by: caller.actor(),
                created_at: now,
                updated_at: now,
            };
            let ids: Vec<String> = new.schools.iter().map(|s| s.facts.id.to_string()).collect();
            db::insert_round(conn, &row, &ids)?;
            let r = allowed::round::<round::Read>(conn, &caller, uuid(&row.id)?)?;
            view(conn, &caller, &r)
        })
        .await?;
    Ok(HttpResponse::Created().json(out))
}

/// The rounds the caller takes part in: as the organising trust's admin, or as a lead of a school
/// taking part. Newest first.
#[utoipa::path(
    operation_id = "list_partnership_rounds",
    tag = "partnerships",
    security(("bearer" = [])),
    responses((status = 200, body = PartnershipRoundList), ReadErrors)
)]
#[get("/partnership-rounds")]
pub async fn list_partnership_rounds(state: State, caller: Bearer) -> Result<Json<PartnershipRoundList>, ApiError> {
    let out = state
        .db
        .run_as(caller, move |conn, caller| {
            let items =
                allowed::rounds(conn, &caller)?.iter().map(|r| view(conn, &caller, r)).collect::<Result<_, _>>()?;
            Ok(PartnershipRoundList { items })
        })
        .await?;
    Ok(Json(out))
}

#[utoipa::path(
    operation_id = "get_partnership_round",
    tag = "partnerships",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = PartnershipRound), ReadErrors)
)]
#[get("/partnership-rounds/{id}")]
pub async fn get_partnership_round(
    state: State,
    caller: Bearer,
    id: Path<PartnershipRoundId>,
) -> Result<Json<PartnershipRound>, ApiError> {
    let id = id.into_inner();
    let out = state
        .db
        .run_as(caller, move |conn, caller| {
            let r = allowed::round::<round::Read>(conn, &caller, id)?;
            view(conn, &caller, &r)
        })
        .await?;
    Ok(Json(out))
}

/// Everyone a change to the round concerns: the leads of each school taking part and every matched
/// colleague (with an email), each once.
fn affected(conn: &mut DbConn, r: &LoadedRound) -> Result<Vec<(String, String)>, ApiError> {
    let ids: Vec<String> = r.schools.iter().map(|s| s.facts.id.to_string()).collect();
    let mut to = db::school_leads(conn, &ids)?;
    let colleagues: Vec<String> =
        db::needs_of_round(conn, &r.row.id)?.into_iter().filter_map(|(_, m)| m.map(|m| m.person_id)).collect();
    for (email, name) in db::people_emails(conn, &colleagues)? {
        if !to.iter().any(|(e, _)| e.eq_ignore_ascii_case(&email)) {
            to.push((email, name));
        }
    }
    Ok(to)
}

/// Postpones the round until `restart_on`: nothing is posted or matched meanwhile, and each
/// school's leads and every matched colleague are emailed the date and the reason. Postponing
/// again moves the date (and tells everyone again).
#[utoipa::path(
    operation_id = "postpone_partnership_round",
    tag = "partnerships",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    request_body = PostponePartnershipRound,
    responses((status = 200, body = PartnershipNotice), WriteErrors)
)]
#[post("/partnership-rounds/{id}/postpone")]
pub async fn postpone_partnership_round(
    state: State,
    req: HttpRequest,
    caller: Bearer,
    id: Path<PartnershipRoundId>,
    body: Json<PostponePartnershipRound>,
) -> Result<Json<PartnershipNotice>, ApiError> {
    let (id, body) = (id.into_inner(), body.into_inner());
    let clock = state.clock;
    let origin = state.net.public_origin(&req);
    let out = state
        .db
        .tx_as(caller, move |conn, caller| {
            let r = allowed::round::<round::Run>(conn, &caller, id)?;
            body.validate()?;
            crate::dates::require(&[("restart_on", body.restart_on)])?;
            let now = clock.now();
            let restart = restart_date(body.restart_on, now.date()).map_err(refused)?;
            let reason = body.reason.trim();
            db::set_round_status(conn, &r.row.id, RoundStatus::Postponed.as_str(), Some(restart), Some(reason), now)?;
            let to = affected(conn, &r)?;
            for (email, name) in &to {
                let m =
                    crate::mail::templates::partnership_postponed(email, name, &r.row.name, restart, reason, &origin);
                outbox::enqueue(conn, &m, now)?;
            }
            let r = allowed::round::<round::Read>(conn, &caller, id)?;
            Ok(PartnershipNotice { round: view(conn, &caller, &r)?, recipients: to.len() as u32 })
        })
        .await?;
    Ok(Json(out))
}

/// Restarts a postponed round now (everyone affected is told); an open round is left as it is.
#[utoipa::path(
    operation_id = "resume_partnership_round",
    tag = "partnerships",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = PartnershipNotice), WriteErrors)
)]
#[post("/partnership-rounds/{id}/resume")]
pub async fn resume_partnership_round(
    state: State,
    req: HttpRequest,
    caller: Bearer,
    id: Path<PartnershipRoundId>,
) -> Result<Json<PartnershipNotice>, ApiError> {
    let id = id.into_inner();
    let clock = state.clock;
    let origin = state.net.public_origin(&req);
    let out = state
        .db
        .tx_as(caller, move |conn, caller| {
            let r = allowed::round::<round::Run>(conn, &caller, id)?;
            let mut recipients = 0;
            if r.row.status == RoundStatus::Postponed.as_str() {
                let now = clock.now();
                db::set_round_status(conn, &r.row.id, RoundStatus::Open.as_str(), None, None, now)?;
                let to = affected(conn, &r)?;
                for (email, name) in &to {
                    let m = crate::mail::templates::partnership_resumed(email, name, &r.row.name, &origin);
                    outbox::enqueue(conn, &m, now)?;
                }
                recipients = to.len() as u32;
            }
            let r = allowed::round::<round::Read>(conn, &caller, id)?;
            Ok(PartnershipNotice { round: view(conn, &caller, &r)?, recipients })
        })
        .await?;
    Ok(Json(out))
}

/// Sends the board — every need not yet matched, by school — to the leads of each school taking
/// part, so each can match a member of its staff to a need elsewhere.
#[utoipa::path(
    operation_id = "circulate_partnership_round",
    tag = "partnerships",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = PartnershipNotice), WriteErrors)
)]
#[post("/partnership-rounds/{id}/circulate")]
pub async fn circulate_partnership_round(
    state: State,
    req: HttpRequest,
    caller: Bearer,
    id: Path<PartnershipRoundId>,
) -> Result<Json<PartnershipNotice>, ApiError> {
    let id = id.into_inner();
    let clock = state.clock;
    let origin = state.net.public_origin(&req);
    let out = state
        .db
        .tx_as(caller, move |conn, caller| {
            let r = allowed::round::<round::Run>(conn, &caller, id)?;
            open_round(&r)?;
            let now = clock.now();
            let board: Vec<(String, String, String)> = allowed::needs_of(conn, &r)?
                .iter()
                .filter(|n| n.matched.is_none())
                .map(|n| {
                    let school = n.round.school(&n.row.school_id);
                    let area: trellis_domain::partnership::NeedArea =
                        n.row.area.parse().unwrap_or(trellis_domain::partnership::NeedArea::Other);
                    (school.map(|s| s.name.clone()).unwrap_or_default(), area.label().to_owned(), n.row.title.clone())
                })
                .collect();
            let ids: Vec<String> = r.schools.iter().map(|s| s.facts.id.to_string()).collect();
            let to = db::school_leads(conn, &ids)?;
            let link = format!("{origin}/partnerships/{}", r.row.id);
            for (email, name) in &to {
                let m = crate::mail::templates::partnership_board(email, name, &r.row.name, &board, &link);
                outbox::enqueue(conn, &m, now)?;
            }
            db::circulated(conn, &r.row.id, now)?;
            let r = allowed::round::<round::Read>(conn, &caller, id)?;
            Ok(PartnershipNotice { round: view(conn, &caller, &r)?, recipients: to.len() as u32 })
        })
        .await?;
    Ok(Json(out))
}

/// Puts a member of staff forward for needs of some areas in the round (replacing what they
/// offered; an empty list withdraws it). They, or their school's leads, may. Those who offered a
/// need's area are suggested first when it is matched.
#[utoipa::path(
    operation_id = "update_partnership_offer",
    tag = "partnerships",
    security(("bearer" = [])),
    params(("id" = Uuid, Path), ("person_id" = Uuid, Path)),
    request_body = PartnershipOffer,
    responses((status = 200, body = PartnershipOffer), WriteErrors)
)]
#[put("/partnership-rounds/{id}/offers/{person_id}")]
pub async fn update_partnership_offer(
    state: State,
    caller: Bearer,
    path: Path<(PartnershipRoundId, PersonId)>,
    body: Json<PartnershipOffer>,
) -> Result<Json<PartnershipOffer>, ApiError> {
    let ((round_id, person_id), body) = (path.into_inner(), body.into_inner());
    let out = state
        .db
        .tx_as(caller, move |conn, caller| {
            let offer = allowed::offer(conn, &caller, round_id, person_id)?;
            body.validate()?;
            let mut areas = body.areas.clone();
            areas.sort_by_key(|a| a.as_str());
            areas.dedup();
            let (r, colleague) = &*offer;
            db::set_offer(conn, &r.row.id, &colleague.person_id.to_string(), &areas)?;
            Ok(PartnershipOffer { areas: db::offer_of(conn, &r.row.id, &colleague.person_id.to_string())? })
        })
        .await?;
    Ok(Json(out))
}
