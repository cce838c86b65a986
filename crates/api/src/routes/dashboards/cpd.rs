//! CPD records: for each person with an enrolment the caller may read, what their school's MIS
//! keeps in its CPD module — sessions attended and coaching with their time, each programme with
//! its outcome, and certificates with the public link that verifies them.

use std::collections::HashMap;

use actix_web::web::{Json, Path, Query};
use actix_web::{HttpRequest, get};
use trellis_domain::ids::PersonId;
use trellis_wire::{
    CertificateStatus, CpdActivity, CpdActivityKind, CpdCertificate, CpdFeed, CpdProgramme, CpdRecord, PeopleFeedParams,
};

use crate::auth::Bearer;
use crate::db::allowed;
use crate::db::dashboards::{self, CpdRows};
use crate::db::facts::uuid;
use crate::error::ApiError;
use crate::paging::PageRequest;
use crate::routes::{ReadErrors, State};

/// Turns the rows into one record per person, in the order of `rows.people`.
fn records(rows: CpdRows, origin: &str) -> Result<Vec<CpdRecord>, ApiError> {
    let mut by_person: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, e) in rows.enrolments.iter().enumerate() {
        by_person.entry(e.person_id.clone()).or_default().push(i);
    }
    let mut activities: HashMap<String, Vec<(chrono::NaiveDate, String, u32, bool)>> = HashMap::new();
    for (e, date, title, minutes, coaching) in rows.activities {
        activities.entry(e).or_default().push((date, title, minutes, coaching));
    }
    let mut certificates: HashMap<String, Vec<CpdCertificate>> = HashMap::new();
    for (e, id, code, issued_on, revoked) in rows.certificates {
        certificates.entry(e).or_default().push(CpdCertificate {
            id: uuid(&id)?,
            verify_url: format!("{origin}/verify/{code}"),
            code,
            issued_on,
            status: if revoked { CertificateStatus::Revoked } else { CertificateStatus::Valid },
        });
    }
    let mut out = Vec::with_capacity(rows.people.len());
    for p in rows.people {
        let mut updated_at = p.updated_at;
        let mut list = vec![];
        let mut programmes = vec![];
        for &i in by_person.get(&p.id).map(Vec::as_slice).unwrap_or_default() {
            let e = &rows.enrolments[i];
            updated_at = updated_at.max(e.updated_at);
            let enrolment_id = uuid(&e.id)?;
            for (date, title, minutes, coaching) in activities.remove(&e.id).unwrap_or_default() {
                list.push(CpdActivity {
                    kind: if coaching { CpdActivityKind::Coaching } else { CpdActivityKind::Session },
                    date,
                    title,
                    enrolment_id,
                    programme_name: e.programme_name.clone(),
                    minutes,
                });
            }
            let outcome = rows.outcomes.get(&e.id);
            programmes.push(CpdProgramme {
                enrolment_id,
                programme_id: uuid(&e.programme_id)?,
                programme_name: e.programme_name.clone(),
                cohort_name: e.cohort_name.clone(),
                start_date: e.start_date,
                end_date: e.end_date,
                status: e.status.parse().map_err(ApiError::internal)?,
                outcome: outcome.map(|o| o.0.clone()),
                outcome_date: outcome.map(|o| o.1),
                certificates: certificates.remove(&e.id).unwrap_or_default(),
            });
        }
        list.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.title.cmp(&b.title)));
        let minutes: u64 = list.iter().map(|a| u64::from(a.minutes)).sum();
        out.push(CpdRecord {
            person_id: uuid(&p.id)?,
            mis_id: p.mis_id,
            given_name: p.given_name,
            family_name: p.family_name,
            school_id: uuid(&p.school_id)?,
            school_urn: p.school_urn,
            left_on: p.left_on,
            total_hours: (minutes as f64 / 60.0 * 100.0).round() / 100.0,
            activities: list,
            programmes,
            updated_at: updated_at.and_utc(),
        });
    }
    Ok(out)
}

/// CPD records of the people with an enrolment the caller may read (an MIS client with
/// `progress:read`: its schools' staff), by person id. With `updated_since`, the records that
/// changed — each sent whole, so a corrected register or a revoked certificate shows.
#[utoipa::path(
    operation_id = "list_cpd_records",
    tag = "dashboards",
    security(("bearer" = [])),
    params(PeopleFeedParams),
    responses((status = 200, body = CpdFeed), ReadErrors)
)]
#[get("/cpd-records")]
pub async fn list_cpd_records(
    state: State,
    req: HttpRequest,
    caller: Bearer,
    params: Query<PeopleFeedParams>,
) -> Result<Json<CpdFeed>, ApiError> {
    let page = PageRequest::parse(&params.paging())?;
    let origin = state.net.public_origin(&req);
    let school = params.school_id.map(|s| s.to_string());
    let out = state
        .db
        .run_as(caller, move |conn, caller| {
            let scope = allowed::enrolments_across_cohorts(&caller);
            let ids = dashboards::cpd_people_page(conn, &scope, school.as_deref(), &page)?;
            let (ids, next_cursor) = page.finish(ids, |id| id);
            let items = records(dashboards::cpd_rows(conn, &scope, &ids)?, &origin)?;
            Ok(CpdFeed { items, next_cursor })
        })
        .await?;
    Ok(Json(out))
}

/// One person's CPD record, from the enrolments of theirs the caller may read.
#[utoipa::path(
    operation_id = "get_cpd_record",
    tag = "dashboards",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = CpdRecord), ReadErrors)
)]
#[get("/people/{id}/cpd-record")]
pub async fn get_cpd_record(
    state: State,
    req: HttpRequest,
    caller: Bearer,
    id: Path<PersonId>,
) -> Result<Json<CpdRecord>, ApiError> {
    let id = id.into_inner();
    let origin = state.net.public_origin(&req);
    let out = state
        .db
        .run_as(caller, move |conn, caller| {
            let person = allowed::person::<allowed::person::Read>(conn, &caller, id)?;
            let scope = allowed::enrolments_across_cohorts(&caller);
            let rows = dashboards::cpd_rows(conn, &scope, &[person.id.to_string()])?;
            records(rows, &origin)?.pop().ok_or_else(|| ApiError::not_found("person"))
        })
        .await?;
    Ok(Json(out))
}
