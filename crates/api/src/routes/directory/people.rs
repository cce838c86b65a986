use actix_web::{HttpResponse, get, post, web::Json, web::Path, web::Query};
use trellis_domain::ids::{PersonId, SchoolId};
use trellis_wire::{CreatePerson, ListParams, Person, PersonPage};
use validator::Validate;

use crate::auth::Bearer;
use crate::db::allowed::{self, person, school};
use crate::db::models::PersonRow;
use crate::db::people;
use crate::error::ApiError;
use crate::paging::{PageRequest, new_id};
use crate::routes::{ReadErrors, State, WriteErrors};

/// The staff and governors of a school. For the school's lead, its trust's admins and MIS clients
/// with `roster:write`; participants cannot list their colleagues.
#[utoipa::path(
    operation_id = "list_people",
    tag = "directory",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "School id"), ListParams),
    responses((status = 200, body = PersonPage), (status = 403, body = trellis_wire::Problem, content_type = "application/problem+json"), ReadErrors)
)]
#[get("/schools/{id}/people")]
pub async fn list_people(
    state: State,
    caller: Bearer,
    id: Path<SchoolId>,
    params: Query<ListParams>,
) -> Result<Json<PersonPage>, ApiError> {
    let school_id = id.into_inner();
    let page = PageRequest::parse(&params)?;
    let out = state
        .db
        .run_as(caller, move |conn, caller| {
            let school = allowed::school::<school::ListPeople>(conn, &caller, school_id)?;
            let rows = people::of_school(conn, &school, &page)?;
            let (rows, next) = page.finish(rows, |r| &r.id);
            let accounts = people::with_accounts(conn, &rows)?;
            let items = rows.iter().map(|r| r.to_wire(accounts.contains(&r.id))).collect::<Result<_, _>>()?;
            Ok(PersonPage { items, next_cursor: next })
        })
        .await?;
    Ok(Json(out))
}

/// Adds a member of staff or a governor to a school. `mis_id`, when given, must be unique in the school.
#[utoipa::path(
    operation_id = "create_person",
    tag = "directory",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "School id")),
    responses((status = 201, body = Person), WriteErrors)
)]
#[post("/schools/{id}/people")]
pub async fn create_person(
    state: State,
    caller: Bearer,
    id: Path<SchoolId>,
    body: Json<CreatePerson>,
) -> Result<HttpResponse, ApiError> {
    let clock = state.clock;
    let school_id = id.into_inner();
    let body = body.into_inner();
    let person = state
        .db
        .tx_as(caller, move |conn, caller| {
            let school = allowed::school_to_staff(conn, &caller, school_id)?;
            body.validate()?;
            let mis_id = body.mis_id.as_deref().map(str::trim).map(str::to_owned);
            if let Some(mis) = &mis_id
                && people::mis_id_taken(conn, &school, mis)?
            {
                return Err(ApiError::conflict_on(
                    "duplicate_mis_id",
                    "mis_id",
                    format!("this school already has a person with MIS id {mis:?}"),
                ));
            }
            let now = clock.now();
            let row = PersonRow {
                id: new_id(),
                school_id: Some(school_id.to_string()),
                given_name: body.given_name.trim().to_owned(),
                family_name: body.family_name.trim().to_owned(),
                email: body.email.map(|e| e.trim().to_lowercase()),
                staff_role: body.staff_role.as_str().into(),
                mis_id,
                created_at: now,
                updated_at: now,
                left_on: None,
                organisation_id: None,
            };
            people::insert(conn, &school, &row)?;
            row.to_wire(false)
        })
        .await?;
    Ok(HttpResponse::Created().json(person))
}

#[utoipa::path(operation_id = "get_person", tag = "directory", security(("bearer" = [])), params(("id" = Uuid, Path)), responses((status = 200, body = Person), ReadErrors))]
#[get("/people/{id}")]
pub async fn get_person(state: State, caller: Bearer, id: Path<PersonId>) -> Result<Json<Person>, ApiError> {
    let id = id.into_inner();
    let person = state
        .db
        .run_as(caller, move |conn, caller| {
            let person = allowed::person::<person::Read>(conn, &caller, id)?;
            let row = people::find(conn, &person)?.ok_or_else(|| ApiError::not_found("person"))?;
            let accounts = people::with_accounts(conn, std::slice::from_ref(&row))?;
            row.to_wire(!accounts.is_empty())
        })
        .await?;
    Ok(Json(person))
}
