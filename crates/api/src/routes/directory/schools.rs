use actix_web::{HttpResponse, get, post, web::Json, web::Path, web::Query};
use trellis_domain::ids::SchoolId;
use trellis_domain::{Urn, scope};
use trellis_wire::{CreateSchool, FieldError, ListParams, OrganisationKind, School, SchoolPage};
use uuid::Uuid;
use validator::Validate;

use crate::auth::Bearer;
use crate::db::allowed::{self, school};
use crate::db::models::SchoolRow;
use crate::db::{DbConn, schools};
use crate::error::ApiError;
use crate::paging::{PageRequest, new_id};
use crate::routes::{ReadErrors, State, WriteErrors};

// Filtered in SQL by the domain's `scope::schools`, which a property test holds to `authorize`.
/// The schools the caller may see: all of them for platform admins and provider staff, a trust's
/// schools for its admins and clients, one school for its lead and participants.
#[utoipa::path(operation_id = "list_schools", tag = "directory", security(("bearer" = [])), params(ListParams), responses((status = 200, body = SchoolPage), ReadErrors))]
#[get("/schools")]
pub async fn list_schools(
    state: State,
    caller: Bearer,
    params: Query<ListParams>,
) -> Result<Json<SchoolPage>, ApiError> {
    let page = PageRequest::parse(&params)?;
    let out = state
        .db
        .run_as(caller, move |conn, caller| {
            let rows = schools::list(conn, &scope::schools(&caller.principal), &page)?;
            let (rows, next) = page.finish(rows, |r| &r.id);
            Ok(SchoolPage { items: rows.iter().map(SchoolRow::to_wire).collect::<Result<_, _>>()?, next_cursor: next })
        })
        .await?;
    Ok(Json(out))
}

/// Checks that a school of `trust` (or of no trust) may be in `hub`: the hub must belong to the
/// school's own trust, and a school outside any trust cannot join a trust's hub. This holds for
/// every caller, platform admins included: it is what a hub is, not who may set it.
fn check_hub(conn: &mut DbConn, hub: Uuid, trust: Option<Uuid>) -> Result<(), ApiError> {
    let owner = schools::hub_owner(conn, hub)?;
    let Some((organisation, kind)) = owner else {
        return Err(ApiError::field("unknown_hub", "hub_id", "no such hub"));
    };
    let fits = match trust {
        Some(trust) => organisation == trust.to_string(),
        None => kind != OrganisationKind::Trust,
    };
    if fits {
        Ok(())
    } else {
        Err(ApiError::field("hub_of_another_trust", "hub_id", "a school's hub must belong to the school's own trust"))
    }
}

/// Adds a school. Platform admins may add any; a trust admin only into their own trust.
#[utoipa::path(operation_id = "create_school", tag = "directory", security(("bearer" = [])), responses((status = 201, body = School), WriteErrors))]
#[post("/schools")]
pub async fn create_school(state: State, caller: Bearer, body: Json<CreateSchool>) -> Result<HttpResponse, ApiError> {
    let clock = state.clock;
    let body = body.into_inner();

    let school = state
        .db
        .tx_as(caller, move |conn, caller| {
            let trust = allowed::new_school(&caller, body.trust_id.map(Into::into))?;
            if let Err(e) = body.validate() {
                let mut err = ApiError::from(e);
                if let Err(u) = Urn::parse(&body.urn) {
                    err.errors.push(FieldError {
                        field: "urn".into(),
                        code: "invalid_urn".into(),
                        message: u.to_string(),
                    });
                }
                return Err(err);
            }
            let urn = Urn::parse(&body.urn).map_err(|e| ApiError::field("invalid_urn", "urn", e.to_string()))?;
            let place = match (body.latitude, body.longitude) {
                (None, None) => None,
                (Some(lat), Some(lng)) => {
                    Some(trellis_domain::partnership::Coordinates::parse(lat, lng).ok_or_else(|| {
                        ApiError::field(
                            "invalid_coordinates",
                            "latitude",
                            "latitude is -90 to 90, longitude -180 to 180",
                        )
                    })?)
                }
                (lat, _) => {
                    let field = if lat.is_some() { "longitude" } else { "latitude" };
                    return Err(ApiError::field(
                        "invalid_coordinates",
                        field,
                        "give both latitude and longitude, or neither",
                    ));
                }
            };
            if let Some(trust) = body.trust_id {
                crate::db::organisations::require_org_kind(conn, trust, OrganisationKind::Trust, "trust_id")?;
            }
            if let Some(hub) = body.hub_id {
                check_hub(conn, hub, body.trust_id)?;
            }
            if schools::urn_taken(conn, urn.as_str())? {
                return Err(ApiError::conflict_on(
                    "duplicate_urn",
                    "urn",
                    format!("a school with URN {urn} already exists"),
                ));
            }
            let now = clock.now();
            let row = SchoolRow {
                id: new_id(),
                urn: urn.to_string(),
                name: body.name.trim().to_owned(),
                phase: body.phase.as_str().into(),
                trust_id: body.trust_id.map(|t| t.to_string()),
                hub_id: body.hub_id.map(|h| h.to_string()),
                created_at: now,
                updated_at: now,
                latitude: place.map(|p| p.latitude),
                longitude: place.map(|p| p.longitude),
            };
            schools::insert(conn, &trust, &row)?;
            row.to_wire()
        })
        .await?;
    Ok(HttpResponse::Created().json(school))
}

#[utoipa::path(operation_id = "get_school", tag = "directory", security(("bearer" = [])), params(("id" = Uuid, Path)), responses((status = 200, body = School), ReadErrors))]
#[get("/schools/{id}")]
pub async fn get_school(state: State, caller: Bearer, id: Path<SchoolId>) -> Result<Json<School>, ApiError> {
    let id = id.into_inner();
    let school = state
        .db
        .run_as(caller, move |conn, caller| {
            let school = allowed::school_record::<school::Read>(conn, &caller, id)?;
            school.to_wire()
        })
        .await?;
    Ok(Json(school))
}
