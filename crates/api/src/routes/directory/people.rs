use actix_web::{HttpResponse, get, post, put, web::Json, web::Path, web::Query};
use trellis_domain::ids::{PersonId, SchoolId};
use trellis_wire::{CreatePerson, LeavePerson, ListParams, MovePerson, Person, PersonPage};
use validator::Validate;

use crate::auth::Bearer;
use crate::db::allowed::{self, person, school};
use crate::db::audit;
use crate::db::models::PersonRow;
use crate::db::people;
use crate::error::ApiError;
use crate::etag::{self, IfMatch};
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
            let fed = people::school_fed(conn, &school.facts)?;
            let items = rows.iter().map(|r| r.to_wire(accounts.contains(&r.id), fed)).collect::<Result<_, _>>()?;
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
            let fed = people::school_fed(conn, &school.facts)?;
            row.to_wire(false, fed)
        })
        .await?;
    Ok(HttpResponse::Created().json(person))
}

#[utoipa::path(operation_id = "get_person", tag = "directory", security(("bearer" = [])), params(("id" = Uuid, Path)), responses((status = 200, body = Person, headers(("ETag" = String, description = "The version, for `If-Match` on the next write"))), ReadErrors))]
#[get("/people/{id}")]
pub async fn get_person(state: State, caller: Bearer, id: Path<PersonId>) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let person = state
        .db
        .run_as(caller, move |conn, caller| {
            let person = allowed::person::<person::Read>(conn, &caller, id)?;
            let row = people::find(conn, &person)?.ok_or_else(|| ApiError::not_found("person"))?;
            let accounts = people::with_accounts(conn, std::slice::from_ref(&row))?;
            let fed = people::school_fed(conn, &person.school)?;
            row.to_wire(!accounts.is_empty(), fed)
        })
        .await?;
    Ok(versioned(&person))
}

/// A person with their version as an `ETag`.
fn versioned(p: &Person) -> HttpResponse {
    HttpResponse::Ok().insert_header(("ETag", etag::of(Some(p.updated_at.naive_utc())))).json(p)
}

/// The MIS's fields of a person it sends may not change here: 422 `owned_by_mis`, per field.
fn mis_owned(changed: Vec<&'static str>) -> Result<(), ApiError> {
    if changed.is_empty() {
        return Ok(());
    }
    let errors = changed
        .into_iter()
        .map(|f| trellis_wire::FieldError {
            field: f.into(),
            code: "owned_by_mis".into(),
            message: "your MIS sends this person: change it in the MIS, and the next sync brings it".into(),
        })
        .collect();
    Err(ApiError::invalid("owned_by_mis", errors))
}

/// Corrects a member of staff's record by hand (for schools without an MIS feed): names, email,
/// role at the school and MIS id, all given as when adding them. For a person an MIS sends (an MIS
/// id, and a `roster:write` client covering the school) those fields are the MIS's and may not
/// change (422 `owned_by_mis`). The school's leads and its trust's admins; audited.
#[utoipa::path(
    operation_id = "update_person",
    tag = "directory",
    security(("bearer" = [])),
    params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header, nullable = false, description = "The `ETag` of the version this change is based on; a newer version answers 412 `stale_write`. Without it, the last write wins.")),
    responses((status = 200, body = Person, headers(("ETag" = String, description = "The version, for `If-Match` on the next write"))), (status = 412, body = trellis_wire::Problem, content_type = "application/problem+json", description = "Changed since the `If-Match` version (`stale_write`)"), WriteErrors)
)]
#[put("/people/{id}")]
pub async fn update_person(
    state: State,
    caller: Bearer,
    id: Path<PersonId>,
    if_match: IfMatch,
    body: Json<CreatePerson>,
) -> Result<HttpResponse, ApiError> {
    let clock = state.clock;
    let id = id.into_inner();
    let body = body.into_inner();
    let person = state
        .db
        .tx_as(caller, move |conn, caller| {
            let person = allowed::person::<person::Update>(conn, &caller, id)?;
            let row = people::for_update(conn, &person)?;
            if_match.check(&etag::of(Some(row.updated_at)))?;
            body.validate()?;
            let email = body.email.as_deref().map(|e| e.trim().to_lowercase());
            let mis_id = body.mis_id.as_deref().map(str::trim).map(str::to_owned);
            let edit = people::Edit {
                given_name: body.given_name.trim(),
                family_name: body.family_name.trim(),
                email: email.as_deref(),
                staff_role: body.staff_role.as_str(),
                mis_id: mis_id.as_deref(),
            };
            if people::fed_by_mis(conn, &person, &row)? {
                let mut changed = vec![];
                if edit.given_name != row.given_name {
                    changed.push("given_name");
                }
                if edit.family_name != row.family_name {
                    changed.push("family_name");
                }
                if edit.email != row.email.as_deref() {
                    changed.push("email");
                }
                if edit.staff_role != row.staff_role {
                    changed.push("staff_role");
                }
                if edit.mis_id != row.mis_id.as_deref() {
                    changed.push("mis_id");
                }
                mis_owned(changed)?;
            }
            if let Some(mis) = edit.mis_id
                && people::mis_id_held_by_other(conn, &person, mis)?
            {
                return Err(ApiError::conflict_on(
                    "duplicate_mis_id",
                    "mis_id",
                    format!("this school already has a person with MIS id {mis:?}"),
                ));
            }
            let now = clock.now();
            people::update(conn, &person, &edit, now)?;
            let school = person.school.id.to_string();
            audit::record(
                conn,
                &audit::Event {
                    actor_user_id: actor_user(&caller).as_deref(),
                    action: "person.updated",
                    subject_kind: "person",
                    subject_id: &row.id,
                    organisation_id: None,
                    school_id: Some(&school),
                    detail: serde_json::json!({
                        "given_name": edit.given_name, "family_name": edit.family_name,
                        "staff_role": edit.staff_role, "mis_id": edit.mis_id, "by": caller.actor(),
                    }),
                },
                now,
            )?;
            reread(conn, &person)
        })
        .await?;
    Ok(versioned(&person))
}

/// Records that a member of staff left the school on a day. Their row, enrolments and history
/// stay; their open enrolments are flagged for the school's leads to review (`left_school_on`),
/// as when an MIS sync says they left. Not for a person an MIS sends (409 `owned_by_mis`).
#[utoipa::path(
    operation_id = "leave_person",
    tag = "directory",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = Person), (status = 409, body = trellis_wire::Problem, content_type = "application/problem+json", description = "`owned_by_mis` or `already_left`"), WriteErrors)
)]
#[post("/people/{id}/leave")]
pub async fn leave_person(
    state: State,
    caller: Bearer,
    id: Path<PersonId>,
    body: Json<LeavePerson>,
) -> Result<HttpResponse, ApiError> {
    let clock = state.clock;
    let id = id.into_inner();
    let body = body.into_inner();
    let person = state
        .db
        .tx_as(caller, move |conn, caller| {
            let person = allowed::person::<person::Update>(conn, &caller, id)?;
            let row = people::for_update(conn, &person)?;
            if people::fed_by_mis(conn, &person, &row)? {
                return Err(ApiError::conflict(
                    "owned_by_mis",
                    "your MIS sends this person: record their leaving in the MIS, and the next sync brings it",
                ));
            }
            if let Some(on) = row.left_on {
                return Err(ApiError::conflict("already_left", format!("recorded as having left on {on}")));
            }
            let now = clock.now();
            let flagged = people::leave(conn, &person, body.left_on, now)?;
            let school = person.school.id.to_string();
            audit::record(
                conn,
                &audit::Event {
                    actor_user_id: actor_user(&caller).as_deref(),
                    action: "person.left",
                    subject_kind: "person",
                    subject_id: &row.id,
                    organisation_id: None,
                    school_id: Some(&school),
                    detail: serde_json::json!({"left_on": body.left_on, "flagged_enrolments": flagged, "by": caller.actor()}),
                },
                now,
            )?;
            reread(conn, &person)
        })
        .await?;
    Ok(versioned(&person))
}

/// Moves a member of staff to another school of the same trust (422 `school_of_another_trust`
/// otherwise). Their enrolments, coaching and history go with them; their MIS id was the old
/// school's and is cleared. Needs the right to change the person and to staff the new school;
/// not for a person an MIS sends (409 `owned_by_mis`). Audited.
#[utoipa::path(
    operation_id = "move_person",
    tag = "directory",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = Person), (status = 409, body = trellis_wire::Problem, content_type = "application/problem+json", description = "`owned_by_mis` or `already_left`"), WriteErrors)
)]
#[post("/people/{id}/move")]
pub async fn move_person(
    state: State,
    caller: Bearer,
    id: Path<PersonId>,
    body: Json<MovePerson>,
) -> Result<HttpResponse, ApiError> {
    let clock = state.clock;
    let id = id.into_inner();
    let to = SchoolId::from(body.into_inner().school_id);
    let person = state
        .db
        .tx_as(caller, move |conn, caller| {
            let person = allowed::person::<person::Update>(conn, &caller, id)?;
            let row = people::for_update(conn, &person)?;
            let target = match allowed::school_to_staff(conn, &caller, to) {
                Err(e) if e.status.as_u16() == 404 => {
                    return Err(ApiError::field("unknown_school", "school_id", "no such school"));
                }
                other => other?,
            };
            if target.id == person.school.id {
                return Err(ApiError::field("same_school", "school_id", "they are at this school already"));
            }
            if person.school.trust_id.is_none() || target.facts.trust_id != person.school.trust_id {
                return Err(ApiError::field(
                    "school_of_another_trust",
                    "school_id",
                    "a member of staff moves only between schools of the same trust",
                ));
            }
            if people::fed_by_mis(conn, &person, &row)? {
                return Err(ApiError::conflict(
                    "owned_by_mis",
                    "your MIS sends this person: record the move in the MIS, and the next sync brings it",
                ));
            }
            if let Some(on) = row.left_on {
                return Err(ApiError::conflict("already_left", format!("recorded as having left on {on}")));
            }
            let now = clock.now();
            people::move_to(conn, &person, &target, now)?;
            let (from, to) = (person.school.id.to_string(), target.id.to_string());
            audit::record(
                conn,
                &audit::Event {
                    actor_user_id: actor_user(&caller).as_deref(),
                    action: "person.moved",
                    subject_kind: "person",
                    subject_id: &row.id,
                    organisation_id: None,
                    school_id: Some(&to),
                    detail: serde_json::json!({"from_school_id": from, "to_school_id": to, "mis_id": row.mis_id, "by": caller.actor()}),
                },
                now,
            )?;
            let moved = people::find_moved(conn, &person)?;
            let accounts = people::with_accounts(conn, std::slice::from_ref(&moved))?;
            let fed = people::school_fed(conn, &target.facts)?;
            moved.to_wire(!accounts.is_empty(), fed)
        })
        .await?;
    Ok(versioned(&person))
}

fn reread(
    conn: &mut crate::db::DbConn,
    person: &crate::db::allowed::Allowed<crate::db::allowed::LoadedPerson, person::Update>,
) -> Result<Person, ApiError> {
    let row = people::for_update(conn, person)?;
    let accounts = people::with_accounts(conn, std::slice::from_ref(&row))?;
    let fed = people::school_fed(conn, &person.school)?;
    row.to_wire(!accounts.is_empty(), fed)
}

fn actor_user(caller: &crate::auth::Caller) -> Option<String> {
    match &caller.principal {
        trellis_domain::Principal::User(u) => Some(u.user_id.to_string()),
        trellis_domain::Principal::Client(_) => None,
    }
}
