//! What those who verify have waiting, and a cohort's posters by theme.

use actix_web::{get, web::Json, web::Path};
use trellis_domain::ids::CohortId;
use trellis_domain::portfolio::PosterTheme;
use trellis_wire::{PosterBoard, PosterCard, PosterGroup, VerificationItem, VerificationQueue};

use crate::auth::Bearer;
use crate::db::allowed::{self, cohort};
use crate::db::{cohorts, portfolio};
use crate::error::ApiError;
use crate::routes::{ReadErrors, State};

/// Submitted entries the caller verifies — as the enrolment's coach or a facilitator of its
/// cohort — oldest submission first.
#[utoipa::path(
    operation_id = "list_verification_queue",
    tag = "portfolio",
    security(("bearer" = [])),
    responses((status = 200, body = VerificationQueue), ReadErrors)
)]
#[get("/verification-queue")]
pub async fn list_verification_queue(state: State, caller: Bearer) -> Result<Json<VerificationQueue>, ApiError> {
    let out = state
        .db
        .run_as(caller, move |conn, caller| {
            let entries = allowed::verification_queue(conn, &caller)?;
            let views = portfolio::views(conn, &caller, &entries)?;
            let mut items = vec![];
            // Each cohort's name once, however many of its entries wait.
            let mut names: std::collections::HashMap<String, String> = Default::default();
            for (e, view) in entries.iter().zip(views) {
                if !names.contains_key(&e.cohort_id) {
                    names.insert(e.cohort_id.clone(), cohorts::name_of(conn, &e.cohort_id)?);
                }
                items.push(VerificationItem {
                    entry: view,
                    participant: format!("{} {}", e.person.0, e.person.1),
                    cohort_id: crate::db::facts::uuid(&e.cohort_id)?,
                    cohort_name: names[&e.cohort_id].clone(),
                });
            }
            Ok(VerificationQueue { items })
        })
        .await?;
    Ok(Json(out))
}

/// The cohort's handed-in impact posters the caller may read, grouped by theme (a poster with
/// several themes is under each), themes in the seed's order, empty themes left out.
#[utoipa::path(
    operation_id = "list_cohort_posters",
    tag = "portfolio",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Cohort id")),
    responses((status = 200, body = PosterBoard), ReadErrors)
)]
#[get("/cohorts/{id}/posters")]
pub async fn list_cohort_posters(
    state: State,
    caller: Bearer,
    id: Path<CohortId>,
) -> Result<Json<PosterBoard>, ApiError> {
    let id = id.into_inner();
    let out = state
        .db
        .run_as(caller, move |conn, caller| {
            let c = allowed::cohort::<cohort::Read>(conn, &caller, id)?;
            let entries = allowed::posters(conn, &caller, &c)?;
            let mut cards = vec![];
            for e in &entries {
                let Some(poster) = e.row.poster()? else { continue };
                cards.push(PosterCard {
                    entry_id: e.id.uuid(),
                    enrolment_id: crate::db::facts::uuid(&e.row.enrolment_id)?,
                    participant: format!("{} {}", e.person.0, e.person.1),
                    school_name: e.person.3.clone(),
                    title: e.row.title.clone(),
                    poster,
                });
            }
            let groups = PosterTheme::ALL
                .iter()
                .map(|t| PosterGroup {
                    theme: *t,
                    posters: cards.iter().filter(|c| c.poster.themes.contains(t)).cloned().collect(),
                })
                .filter(|g| !g.posters.is_empty())
                .collect();
            Ok(PosterBoard { cohort_id: id.uuid(), groups })
        })
        .await?;
    Ok(Json(out))
}
