//! `/partnership-needs`: the board's needs, matching a colleague from another school, their
//! visits, the findings and action plan, and the host's acknowledgement.

use actix_web::web::{Json, Path};
use actix_web::{HttpResponse, get, post, put};
use trellis_domain::authz::Action;
use trellis_domain::ids::{PartnershipNeedId, PartnershipRoundId};
use trellis_domain::partnership::{self as rules, Candidate, NeedSpec, NeedStatus, PartnershipError, RoundStatus};
use trellis_wire::{
    CreatePartnershipMatch, CreatePartnershipNeed, CreatePartnershipVisit, PartnershipActions, PartnershipFindings,
    PartnershipMatch, PartnershipNeed, PartnershipNeedList, PartnershipSuggestion, PartnershipSuggestionList,
    PartnershipVisit, WritePartnershipFindings,
};
use validator::Validate;

use crate::auth::{Bearer, Caller};
use crate::db::DbConn;
use crate::db::allowed::partnerships::{self as allowed, LoadedNeed, LoadedRound, need, round};
use crate::db::facts::uuid;
use crate::db::partnerships::{self as db, MatchRow, NeedRow, VisitRow};
use crate::error::ApiError;
use crate::paging::new_id;
use crate::routes::{ReadErrors, State, WriteErrors};

use super::{open_round, refused};

fn school_name(round: &LoadedRound, id: &str) -> String {
    round.school(id).map(|s| s.name.clone()).unwrap_or_default()
}

fn distance(round: &LoadedRound, a: &str, b: &str) -> Option<f64> {
    let at = |id: &str| round.school(id).and_then(|s| s.at);
    Some((at(a)?.distance_km(at(b)?) * 10.0).round() / 10.0)
}

/// The wire view of these needs: two queries (visits, names) however many.
fn views(conn: &mut DbConn, caller: &Caller, needs: &[&LoadedNeed]) -> Result<Vec<PartnershipNeed>, ApiError> {
    let ids: Vec<String> = needs.iter().map(|n| n.row.id.clone()).collect();
    let mut visits = db::visits(conn, &ids)?;
    let people: Vec<String> = needs.iter().filter_map(|n| n.matched.as_ref().map(|m| m.person_id.clone())).collect();
    let names = db::names(conn, &people)?;
    needs
        .iter()
        .map(|n| {
            let round = &n.round;
            let matched = n
                .matched
                .as_ref()
                .map(|m| -> Result<PartnershipMatch, ApiError> {
                    Ok(PartnershipMatch {
                        person_id: uuid(&m.person_id)?,
                        person_name: names.get(&m.person_id).cloned().unwrap_or_default(),
                        school_id: uuid(&m.school_id)?,
                        school_name: school_name(round, &m.school_id),
                        matched_at: m.matched_at.and_utc(),
                        distance_km: distance(round, &m.school_id, &n.row.school_id),
                    })
                })
                .transpose()?;
            let findings = n.matched.as_ref().and_then(|m| {
                Some(PartnershipFindings {
                    findings: m.findings.clone()?,
                    action_plan: m.action_plan.clone()?,
                    presented_on: m.presented_on?,
                    presented_to_governors: m.presented_to_governors,
                    reported_at: m.reported_at?.and_utc(),
                    acknowledged_at: m.acknowledged_at.map(|t| t.and_utc()),
                })
            });
            let visits = visits
                .remove(&n.row.id)
                .unwrap_or_default()
                .into_iter()
                .map(|v| {
                    Ok(PartnershipVisit {
                        id: uuid(&v.id)?,
                        visited_on: v.visited_on,
                        data_collection: v.ways(),
                        notes: v.notes.clone(),
                        created_at: v.created_at.and_utc(),
                    })
                })
                .collect::<Result<_, ApiError>>()?;
            let open = n.matched.is_none() && round.row.status == RoundStatus::Open.as_str();
            Ok(PartnershipNeed {
                id: uuid(&n.row.id)?,
                round_id: uuid(&round.row.id)?,
                round_name: round.row.name.clone(),
                school_id: uuid(&n.row.school_id)?,
                school_name: school_name(round, &n.row.school_id),
                area: n.row.area.parse().map_err(ApiError::internal)?,
                area_detail: n.row.area_detail.clone(),
                title: n.row.title.clone(),
                description: n.row.description.clone(),
                starts_on: n.row.starts_on,
                ends_on: n.row.ends_on,
                status: n.row.status.parse().map_err(ApiError::internal)?,
                matched,
                visits,
                findings,
                actions: PartnershipActions {
                    manage: allowed::may(caller, Action::Update, n),
                    contribute: open && !allowed::matching_schools_of(caller, n).is_empty(),
                    report: n.matched.as_ref().is_some_and(|m| m.acknowledged_at.is_none())
                        && allowed::may(caller, Action::Report, n),
                },
                created_at: n.row.created_at.and_utc(),
                updated_at: n.row.updated_at.and_utc(),
            })
        })
        .collect()
}

fn view(conn: &mut DbConn, caller: &Caller, n: &LoadedNeed) -> Result<PartnershipNeed, ApiError> {
    views(conn, caller, &[n])?.pop().ok_or_else(|| ApiError::internal("a need's view"))
}

/// Posts a need for a school taking part in the round (its leads, or the trust's admins, may).
#[utoipa::path(
    operation_id = "create_partnership_need",
    tag = "partnerships",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    request_body = CreatePartnershipNeed,
    responses((status = 201, body = PartnershipNeed), WriteErrors)
)]
#[post("/partnership-rounds/{id}/needs")]
pub async fn create_partnership_need(
    state: State,
    caller: Bearer,
    id: Path<PartnershipRoundId>,
    body: Json<CreatePartnershipNeed>,
) -> Result<HttpResponse, ApiError> {
    let (id, body) = (id.into_inner(), body.into_inner());
    let clock = state.clock;
    let out = state
        .db
        .tx_as(caller, move |conn, caller| {
            let new = allowed::new_need(conn, &caller, id, body.school_id)?;
            body.validate()?;
            crate::dates::require(&[("starts_on", body.starts_on), ("ends_on", body.ends_on)])?;
            let spec = NeedSpec::parse(body.area, body.area_detail.as_deref(), body.starts_on, body.ends_on)
                .map_err(refused)?;
            open_round(&new.round)?;
            let now = clock.now();
            let row = NeedRow {
                id: new_id(),
                round_id: new.round.row.id.clone(),
                school_id: new.host.facts.id.to_string(),
                area: spec.area.as_str().into(),
                area_detail: spec.area_detail,
                title: body.title.trim().to_owned(),
                description: body.description.trim().to_owned(),
                starts_on: spec.starts_on,
                ends_on: spec.ends_on,
                status: NeedStatus::Open.as_str().into(),
                created_by: caller.actor(),
                created_at: now,
                updated_at: now,
            };
            db::insert_need(conn, &row)?;
            let n = allowed::need::<need::Read>(conn, &caller, uuid(&row.id)?)?;
            view(conn, &caller, &n)
        })
        .await?;
    Ok(HttpResponse::Created().json(out))
}

/// The round's board: every need, with its match, visits and findings, by host school.
#[utoipa::path(
    operation_id = "list_partnership_needs",
    tag = "partnerships",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = PartnershipNeedList), ReadErrors)
)]
#[get("/partnership-rounds/{id}/needs")]
pub async fn list_partnership_needs(
    state: State,
    caller: Bearer,
    id: Path<PartnershipRoundId>,
) -> Result<Json<PartnershipNeedList>, ApiError> {
    let id = id.into_inner();
    let out = state
        .db
        .run_as(caller, move |conn, caller| {
            let r = allowed::round::<round::Read>(conn, &caller, id)?;
            let needs = allowed::needs_of(conn, &r)?;
            let refs: Vec<&LoadedNeed> = needs.iter().map(|n| &**n).collect();
            Ok(PartnershipNeedList { items: views(conn, &caller, &refs)? })
        })
        .await?;
    Ok(Json(out))
}

/// The needs the signed-in member of staff is matched to, newest first: where they visit and
/// what they write up.
#[utoipa::path(
    operation_id = "list_my_partnership_needs",
    tag = "partnerships",
    security(("bearer" = [])),
    responses((status = 200, body = PartnershipNeedList), ReadErrors)
)]
#[get("/me/partnership-needs")]
pub async fn list_my_partnership_needs(state: State, caller: Bearer) -> Result<Json<PartnershipNeedList>, ApiError> {
    let out = state
        .db
        .run_as(caller, move |conn, caller| {
            let needs = allowed::my_needs(conn, &caller)?;
            let refs: Vec<&LoadedNeed> = needs.iter().map(|n| &**n).collect();
            Ok(PartnershipNeedList { items: views(conn, &caller, &refs)? })
        })
        .await?;
    Ok(Json(out))
}

#[utoipa::path(
    operation_id = "get_partnership_need",
    tag = "partnerships",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = PartnershipNeed), ReadErrors)
)]
#[get("/partnership-needs/{id}")]
pub async fn get_partnership_need(
    state: State,
    caller: Bearer,
    id: Path<PartnershipNeedId>,
) -> Result<Json<PartnershipNeed>, ApiError> {
    let id = id.into_inner();
    let out = state
        .db
        .run_as(caller, move |conn, caller| {
            let n = allowed::need::<need::Read>(conn, &caller, id)?;
            view(conn, &caller, &n)
        })
        .await?;
    Ok(Json(out))
}

/// Staff the caller could match to this need, from the schools taking part that they lead (never
/// the host): those who offered the need's area first, then the nearest school, then by name.
/// Empty for a caller who leads no such school.
#[utoipa::path(
    operation_id = "list_partnership_suggestions",
    tag = "partnerships",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = PartnershipSuggestionList), ReadErrors)
)]
#[get("/partnership-needs/{id}/suggestions")]
pub async fn list_partnership_suggestions(
    state: State,
    caller: Bearer,
    id: Path<PartnershipNeedId>,
) -> Result<Json<PartnershipSuggestionList>, ApiError> {
    let id = id.into_inner();
    let out = state
        .db
        .run_as(caller, move |conn, caller| {
            let n = allowed::need::<need::Read>(conn, &caller, id)?;
            let schools = allowed::matching_schools_of(&caller, &n);
            let ids: Vec<String> = schools.iter().map(|s| s.facts.id.to_string()).collect();
            let area = n.row.area.parse().map_err(ApiError::internal)?;
            let offered = db::offered(conn, &n.round.row.id, area)?;
            let staff = db::staff_of(conn, &ids, 2_000)?;
            let candidates = staff
                .into_iter()
                .map(|(person, school, name)| Candidate {
                    offers_area: offered.contains(&person),
                    distance_km: distance(&n.round, &school, &n.row.school_id),
                    key: (person, school),
                    name,
                })
                .collect();
            let items = rules::rank(candidates)
                .into_iter()
                .take(50)
                .map(|c| {
                    Ok(PartnershipSuggestion {
                        person_id: uuid(&c.key.0)?,
                        school_name: school_name(&n.round, &c.key.1),
                        school_id: uuid(&c.key.1)?,
                        person_name: c.name,
                        offers_area: c.offers_area,
                        distance_km: c.distance_km,
                    })
                })
                .collect::<Result<_, ApiError>>()?;
            Ok(PartnershipSuggestionList { items })
        })
        .await?;
    Ok(Json(out))
}

/// Matches a member of the caller's school's staff to the need: a need in a different school
/// (their own → 422 `same_school_match`), not yet matched (409 `already_matched`), in a round
/// that is not postponed (409 `round_postponed`).
#[utoipa::path(
    operation_id = "create_partnership_match",
    tag = "partnerships",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    request_body = CreatePartnershipMatch,
    responses((status = 201, body = PartnershipNeed), WriteErrors)
)]
#[post("/partnership-needs/{id}/match")]
pub async fn create_partnership_match(
    state: State,
    caller: Bearer,
    id: Path<PartnershipNeedId>,
    body: Json<CreatePartnershipMatch>,
) -> Result<HttpResponse, ApiError> {
    let (id, body) = (id.into_inner(), body.into_inner());
    let clock = state.clock;
    let out = state
        .db
        .tx_as(caller, move |conn, caller| {
            let m = allowed::need_match(conn, &caller, id, body.person_id.into())?;
            let (n, colleague) = &*m;
            rules::check_match(n.facts.host.id, colleague.school.id).map_err(refused)?;
            open_round(&n.round)?;
            if n.matched.is_some() {
                return Err(refused(PartnershipError::AlreadyMatched));
            }
            let now = clock.now();
            let row = MatchRow {
                need_id: n.row.id.clone(),
                person_id: colleague.person_id.to_string(),
                school_id: colleague.school.id.to_string(),
                matched_by: caller.actor(),
                matched_at: now,
                findings: None,
                action_plan: None,
                presented_on: None,
                presented_to_governors: false,
                reported_at: None,
                acknowledged_at: None,
                acknowledged_by: None,
            };
            if !db::insert_match(conn, &row)? {
                return Err(refused(PartnershipError::AlreadyMatched));
            }
            db::set_need_status(conn, &n.row.id, NeedStatus::Matched, now)?;
            let n = allowed::need::<need::Read>(conn, &caller, id)?;
            view(conn, &caller, &n)
        })
        .await?;
    Ok(HttpResponse::Created().json(out))
}

/// Logs a visit the matched colleague made to the host school, with how it collected data.
#[utoipa::path(
    operation_id = "create_partnership_visit",
    tag = "partnerships",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    request_body = CreatePartnershipVisit,
    responses((status = 201, body = PartnershipNeed), WriteErrors)
)]
#[post("/partnership-needs/{id}/visits")]
pub async fn create_partnership_visit(
    state: State,
    caller: Bearer,
    id: Path<PartnershipNeedId>,
    body: Json<CreatePartnershipVisit>,
) -> Result<HttpResponse, ApiError> {
    let (id, body) = (id.into_inner(), body.into_inner());
    let clock = state.clock;
    let out = state
        .db
        .tx_as(caller, move |conn, caller| {
            let n = allowed::need::<need::Report>(conn, &caller, id)?;
            body.validate()?;
            crate::dates::require(&[("visited_on", body.visited_on)])?;
            let now = clock.now();
            if body.visited_on > now.date() {
                return Err(ApiError::field("in_future", "visited_on", "a visit is logged once it has happened"));
            }
            let mut ways = body.data_collection.clone();
            ways.sort_by_key(|w| w.as_str());
            ways.dedup();
            if ways.is_empty() {
                return Err(refused(PartnershipError::NoDataCollection));
            }
            if n.matched.as_ref().is_some_and(|m| m.acknowledged_at.is_some()) {
                return Err(ApiError::conflict("findings_acknowledged", "the host has acknowledged the findings"));
            }
            let row = VisitRow {
                id: new_id(),
                need_id: n.row.id.clone(),
                visited_on: body.visited_on,
                data_collection: ways.iter().map(|w| w.as_str()).collect::<Vec<_>>().join(" "),
                notes: body.notes.trim().to_owned(),
                logged_by: caller.actor(),
                created_at: now,
            };
            db::insert_visit(conn, &row)?;
            db::set_need_status(conn, &n.row.id, n.row.status.parse().map_err(ApiError::internal)?, now)?;
            let n = allowed::need::<need::Read>(conn, &caller, id)?;
            view(conn, &caller, &n)
        })
        .await?;
    Ok(HttpResponse::Created().json(out))
}

/// Writes up the findings and action plan, with the day they were presented to the host's senior
/// team (and whether to its governors too). Replaced whole until the host acknowledges them.
#[utoipa::path(
    operation_id = "update_partnership_findings",
    tag = "partnerships",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    request_body = WritePartnershipFindings,
    responses((status = 200, body = PartnershipNeed), WriteErrors)
)]
#[put("/partnership-needs/{id}/findings")]
pub async fn update_partnership_findings(
    state: State,
    caller: Bearer,
    id: Path<PartnershipNeedId>,
    body: Json<WritePartnershipFindings>,
) -> Result<Json<PartnershipNeed>, ApiError> {
    let (id, body) = (id.into_inner(), body.into_inner());
    let clock = state.clock;
    let out = state
        .db
        .tx_as(caller, move |conn, caller| {
            let n = allowed::need::<need::Report>(conn, &caller, id)?;
            body.validate()?;
            crate::dates::require(&[("presented_on", body.presented_on)])?;
            let mut blank = vec![];
            for (field, text) in [("findings", &body.findings), ("action_plan", &body.action_plan)] {
                if text.trim().is_empty() {
                    blank.push(trellis_wire::FieldError {
                        field: field.into(),
                        code: "blank".into(),
                        message: "write it up: it cannot be empty".into(),
                    });
                }
            }
            if !blank.is_empty() {
                return Err(ApiError::invalid("validation_failed", blank));
            }
            let now = clock.now();
            if body.presented_on > now.date() {
                return Err(ApiError::field(
                    "in_future",
                    "presented_on",
                    "record the presentation once it has been made",
                ));
            }
            let Some(m) = &n.matched else { return Err(refused(PartnershipError::NotMatched)) };
            if m.acknowledged_at.is_some() {
                return Err(ApiError::conflict("findings_acknowledged", "the host has acknowledged the findings"));
            }
            let first = db::visits(conn, std::slice::from_ref(&n.row.id))?
                .remove(&n.row.id)
                .and_then(|v| v.first().map(|v| v.visited_on));
            rules::check_presented(body.presented_on, first).map_err(refused)?;
            db::write_findings(
                conn,
                &n.row.id,
                body.findings.trim(),
                body.action_plan.trim(),
                body.presented_on,
                body.presented_to_governors,
                now,
            )?;
            db::set_need_status(conn, &n.row.id, NeedStatus::Reported, now)?;
            let n = allowed::need::<need::Read>(conn, &caller, id)?;
            view(conn, &caller, &n)
        })
        .await?;
    Ok(Json(out))
}

/// The host school acknowledges the findings presented to it: the write-up then stands.
#[utoipa::path(
    operation_id = "acknowledge_partnership_findings",
    tag = "partnerships",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = PartnershipNeed), WriteErrors)
)]
#[post("/partnership-needs/{id}/acknowledge")]
pub async fn acknowledge_partnership_findings(
    state: State,
    caller: Bearer,
    id: Path<PartnershipNeedId>,
) -> Result<Json<PartnershipNeed>, ApiError> {
    let id = id.into_inner();
    let clock = state.clock;
    let out = state
        .db
        .tx_as(caller, move |conn, caller| {
            let n = allowed::need::<need::Host>(conn, &caller, id)?;
            let reported = n.matched.as_ref().is_some_and(|m| m.reported_at.is_some());
            if !reported {
                return Err(refused(PartnershipError::NotReported));
            }
            if n.matched.as_ref().is_some_and(|m| m.acknowledged_at.is_none()) {
                let now = clock.now();
                db::acknowledge(conn, &n.row.id, &caller.actor(), now)?;
                db::set_need_status(conn, &n.row.id, NeedStatus::Acknowledged, now)?;
            }
            let n = allowed::need::<need::Read>(conn, &caller, id)?;
            view(conn, &caller, &n)
        })
        .await?;
    Ok(Json(out))
}
