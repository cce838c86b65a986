//! `/organisations/{id}/expectations`: a trust's framework of themes and statements, and the
//! heatmap of its schools × themes for a term.

use std::collections::HashMap;

use actix_web::web::{Json, Path, Query};
use actix_web::{get, put};
use trellis_domain::authz::Action;
use trellis_domain::expectations::{self as rules, GAP_FLAG, Side, TermKey};
use trellis_domain::ids::OrganisationId;
use trellis_wire::{
    AssessmentStatus, ExpectationActions, ExpectationFramework, ExpectationHeatmap, ExpectationStatement,
    ExpectationTheme, HeatmapCell, HeatmapRow, TermQuery, ThemeHeading, UpdateExpectationFramework,
};
use validator::Validate;

use crate::auth::{Bearer, Caller};
use crate::db::allowed::expectations::{self as allowed, LoadedFramework, framework};
use crate::db::expectations::{self as db, Framework};
use crate::db::facts::uuid;
use crate::error::ApiError;
use crate::routes::{ReadErrors, State, WriteErrors};

use super::{level, refused, scale};

pub(super) fn themes(f: &Framework) -> Result<Vec<ExpectationTheme>, ApiError> {
    f.active_themes()
        .map(|t| {
            let statements = f
                .statements
                .iter()
                .filter(|s| s.theme_id == t.id && s.retired_at.is_none())
                .map(|s| Ok(ExpectationStatement { id: uuid(&s.id)?, text: s.text.clone() }))
                .collect::<Result<_, ApiError>>()?;
            Ok(ExpectationTheme { id: uuid(&t.id)?, name: t.name.clone(), statements })
        })
        .collect()
}

fn view(caller: &Caller, f: &LoadedFramework, today: chrono::NaiveDate) -> Result<ExpectationFramework, ApiError> {
    Ok(ExpectationFramework {
        organisation_id: f.trust.uuid(),
        themes: themes(&f.framework)?,
        scale: scale(),
        gap_flag: GAP_FLAG,
        current_term: TermKey::of(today),
        actions: ExpectationActions {
            edit: allowed::may_framework(caller, Action::Update, f),
            heatmap: allowed::may_framework(caller, Action::ReadReport, f),
        },
    })
}

/// A trust's expectations: its themes and their statements, the 1–4 scale, and the gap that is
/// flagged. Its admins and its schools' leads read it.
#[utoipa::path(
    operation_id = "get_expectation_framework",
    tag = "self_assessment",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The trust")),
    responses((status = 200, body = ExpectationFramework), ReadErrors)
)]
#[get("/organisations/{id}/expectations")]
pub async fn get_expectation_framework(
    state: State,
    caller: Bearer,
    id: Path<OrganisationId>,
) -> Result<Json<ExpectationFramework>, ApiError> {
    let id = id.into_inner();
    let today = state.clock.today();
    let out = state
        .db
        .run_as(caller, move |conn, caller| {
            let f = allowed::framework::<framework::Read>(conn, &caller, id)?;
            view(&caller, &f, today)
        })
        .await?;
    Ok(Json(out))
}

/// Rewrites the trust's framework (its admins): themes and statements with an `id` keep it (and
/// the ratings given to them), those without are new, and those left out are retired — past terms
/// still show them.
#[utoipa::path(
    operation_id = "update_expectation_framework",
    tag = "self_assessment",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The trust")),
    request_body = UpdateExpectationFramework,
    responses((status = 200, body = ExpectationFramework), WriteErrors)
)]
#[put("/organisations/{id}/expectations")]
pub async fn update_expectation_framework(
    state: State,
    caller: Bearer,
    id: Path<OrganisationId>,
    body: Json<UpdateExpectationFramework>,
) -> Result<Json<ExpectationFramework>, ApiError> {
    let (id, body) = (id.into_inner(), body.into_inner());
    let clock = state.clock;
    let out = state
        .db
        .tx_as(caller, move |conn, caller| {
            let f = allowed::framework::<framework::Edit>(conn, &caller, id)?;
            body.validate()?;
            let shape: Vec<(&str, Vec<&str>)> = body
                .themes
                .iter()
                .map(|t| (t.name.trim(), t.statements.iter().map(|s| s.text.trim()).collect()))
                .collect();
            rules::check_framework(&shape).map_err(refused)?;
            let mut edit: Vec<db::ThemeEdit> = vec![];
            let mut seen: Vec<String> = vec![];
            for (i, t) in body.themes.iter().enumerate() {
                let theme_id = t.id.map(|id| id.to_string());
                if let Some(tid) = &theme_id
                    && (!f.framework.themes.iter().any(|x| &x.id == tid) || seen.contains(tid))
                {
                    return Err(ApiError::field(
                        "unknown_theme",
                        &format!("themes[{i}].id"),
                        "not a theme of this framework",
                    ));
                }
                seen.extend(theme_id.clone());
                let mut statements = vec![];
                for (j, s) in t.statements.iter().enumerate() {
                    let sid = s.id.map(|id| id.to_string());
                    if let Some(sid) = &sid
                        && (!f.framework.statements.iter().any(|x| &x.id == sid) || seen.contains(sid))
                    {
                        return Err(ApiError::field(
                            "unknown_statement",
                            &format!("themes[{i}].statements[{j}].id"),
                            "not a statement of this framework",
                        ));
                    }
                    seen.extend(sid.clone());
                    statements.push((sid, s.text.trim().to_owned()));
                }
                edit.push((theme_id, t.name.trim().to_owned(), statements));
            }
            db::replace_framework(conn, &id.to_string(), &f.framework, &edit, clock.now())?;
            let f = allowed::framework::<framework::Read>(conn, &caller, id)?;
            view(&caller, &f, clock.today())
        })
        .await?;
    Ok(Json(out))
}

fn status(row: Option<&db::AssessmentRow>) -> AssessmentStatus {
    match row {
        None => AssessmentStatus::NotStarted,
        Some(r) if r.submitted_at.is_some() => AssessmentStatus::Submitted,
        Some(_) => AssessmentStatus::Draft,
    }
}

/// Every school of the trust × every theme for a term (the current one unless `term` names
/// another): the school's and the trust's mean ratings — submitted assessments only, drafts stay
/// their authors' — with the statements whose two ratings differ by `gap_flag` or more counted,
/// and each school's running support and overdue reviews. The trust's admins read it.
#[utoipa::path(
    operation_id = "get_expectation_heatmap",
    tag = "self_assessment",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The trust"), TermQuery),
    responses((status = 200, body = ExpectationHeatmap), ReadErrors)
)]
#[get("/organisations/{id}/expectations/heatmap")]
pub async fn get_expectation_heatmap(
    state: State,
    caller: Bearer,
    id: Path<OrganisationId>,
    query: Query<TermQuery>,
) -> Result<Json<ExpectationHeatmap>, ApiError> {
    let (id, query) = (id.into_inner(), query.into_inner());
    let today = state.clock.today();
    let out = state
        .db
        .run_as(caller, move |conn, caller| {
            let f = allowed::framework::<framework::Heatmap>(conn, &caller, id)?;
            let current = TermKey::of(today);
            let term = query.term.unwrap_or(current);
            let school_ids: Vec<String> = f.schools.iter().map(|s| s.facts.id.to_string()).collect();
            let rows = db::assessments(conn, &school_ids, Some(&[term.to_string()]))?;
            let submitted: Vec<&str> =
                rows.iter().filter(|r| r.submitted_at.is_some()).map(|r| r.id.as_str()).collect();
            let ratings = db::ratings(conn, &submitted)?;
            let theme_of = f.framework.theme_of();
            // (assessment, statement) → rating, for the submitted sides only.
            let rating: HashMap<(&str, &str), u8> = ratings
                .iter()
                .map(|r| ((r.assessment_id.as_str(), r.statement_id.as_str()), level(r.rating)))
                .collect();
            let support = super::support::running(conn, &school_ids, current)?;
            let themes: Vec<&db::ThemeRow> = f.framework.active_themes().collect();
            let mut out_rows = vec![];
            let mut total = 0;
            for s in &f.schools {
                let sid = s.facts.id.to_string();
                let side = |side: Side| rows.iter().find(|r| r.school_id == sid && r.side == side.as_str());
                let (ours, theirs) = (side(Side::School), side(Side::Trust));
                let submitted_id = |r: Option<&db::AssessmentRow>| {
                    r.filter(|r| r.submitted_at.is_some()).map(|r| r.id.clone()).unwrap_or_default()
                };
                let (ours_id, theirs_id) = (submitted_id(ours), submitted_id(theirs));
                let mut cells = vec![];
                let mut flagged_row = 0;
                for t in &themes {
                    let statements: Vec<&str> = f
                        .framework
                        .statements
                        .iter()
                        .filter(|st| theme_of.get(st.id.as_str()) == Some(&t.id.as_str()))
                        .map(|st| st.id.as_str())
                        .collect();
                    let pick = |a: &str| -> Vec<(&str, u8)> {
                        statements.iter().filter_map(|st| rating.get(&(a, *st)).map(|r| (*st, *r))).collect()
                    };
                    let (school, trust) = (pick(&ours_id), pick(&theirs_id));
                    let flagged = rules::count_flagged(&school, &trust);
                    flagged_row += flagged;
                    cells.push(HeatmapCell {
                        theme_id: uuid(&t.id)?,
                        school: rules::mean(school.iter().map(|(_, r)| *r)),
                        trust: rules::mean(trust.iter().map(|(_, r)| *r)),
                        flagged,
                    });
                }
                total += flagged_row;
                let (hours, overdue) = support.get(&sid).copied().unwrap_or_default();
                out_rows.push(HeatmapRow {
                    school_id: s.facts.id.uuid(),
                    school_name: s.name.clone(),
                    school_status: status(ours),
                    trust_status: status(theirs),
                    cells,
                    flagged: flagged_row,
                    support_hours: hours,
                    reviews_overdue: overdue,
                });
            }
            Ok(ExpectationHeatmap {
                organisation_id: id.uuid(),
                term,
                term_label: term.label(),
                themes: themes
                    .iter()
                    .map(|t| Ok(ThemeHeading { id: uuid(&t.id)?, name: t.name.clone() }))
                    .collect::<Result<_, ApiError>>()?,
                rows: out_rows,
                flagged: total,
                gap_flag: GAP_FLAG,
            })
        })
        .await?;
    Ok(Json(out))
}
