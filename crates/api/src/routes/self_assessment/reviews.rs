//! `/schools/{id}/expectations`: a school's review for a term — its own ratings and the trust's,
//! each side a draft until submitted — and its history by term with the trend.

use std::collections::HashMap;

use actix_web::web::{Json, Path};
use actix_web::{get, post, put};
use chrono::NaiveDate;
use trellis_domain::authz::Action;
use trellis_domain::expectations::{self as rules, Side, TermKey};
use trellis_domain::ids::SchoolId;
use trellis_wire::{
    AssessmentState, AssessmentStatus, ExpectationHistory, FieldError, HistoryTerm, RatingView, ReviewStatement,
    ReviewTheme, SaveExpectationRatings, SchoolExpectations, ThemeHeading, ThemeTrend,
};
use validator::Validate;

use crate::auth::{Bearer, Caller};
use crate::db::DbConn;
use crate::db::allowed::expectations::{self as allowed, LoadedSchool, school};
use crate::db::expectations::{self as db, AssessmentRow, RatingRow};
use crate::db::facts::uuid;
use crate::error::ApiError;
use crate::routes::{ReadErrors, State, WriteErrors};

use super::{level, refused, scale};

fn rating_view(r: &RatingRow) -> RatingView {
    let rating = level(r.rating);
    RatingView { rating, label: rules::rating_label(rating).to_owned(), evidence: r.evidence.clone() }
}

/// The school's review for `term`, each side as far as the caller may see it.
pub(super) fn view(
    conn: &mut DbConn,
    caller: &Caller,
    s: &LoadedSchool,
    term: TermKey,
    today: NaiveDate,
) -> Result<SchoolExpectations, ApiError> {
    let current = TermKey::of(today);
    let school_id = s.place.facts.id.to_string();
    let rows = db::assessments(conn, std::slice::from_ref(&school_id), Some(&[term.to_string()]))?;
    let row = |side: Side| rows.iter().find(|r| r.side == side.as_str());
    let visible = |side: Side| {
        let submitted = row(side).is_some_and(|r| r.submitted_at.is_some());
        allowed::may_side(caller, Action::Read, s.place.facts, side, submitted)
    };
    // Only the sides the caller may read are loaded at all.
    let readable: Vec<&str> = [Side::School, Side::Trust]
        .into_iter()
        .filter(|s| visible(*s))
        .filter_map(row)
        .map(|r| r.id.as_str())
        .collect();
    let ratings = db::ratings(conn, &readable)?;
    let files = db::files_of(conn, &readable)?;
    let of = |side: Side| -> HashMap<&str, &RatingRow> {
        let Some(a) = row(side).filter(|_| visible(side)) else { return HashMap::new() };
        ratings.iter().filter(|r| r.assessment_id == a.id).map(|r| (r.statement_id.as_str(), r)).collect()
    };
    let (ours, theirs) = (of(Side::School), of(Side::Trust));
    let files_for = |side: Side, statement: &str| -> Result<Vec<trellis_wire::ExpectationFile>, ApiError> {
        let Some(a) = row(side).filter(|_| visible(side)) else { return Ok(vec![]) };
        files
            .iter()
            .filter(|f| f.assessment_id == a.id && f.statement_id == statement)
            .map(|f| super::files::wire(f, side))
            .collect()
    };
    let active: Vec<&str> = s.framework.active().iter().map(|st| st.id.as_str()).collect();
    let state = |side: Side, rated: &HashMap<&str, &RatingRow>| {
        let r = row(side);
        let submitted = r.is_some_and(|r| r.submitted_at.is_some());
        let seen = visible(side);
        AssessmentState {
            side,
            status: match r {
                None => AssessmentStatus::NotStarted,
                Some(_) if submitted => AssessmentStatus::Submitted,
                Some(_) => AssessmentStatus::Draft,
            },
            submitted_at: r.and_then(|r| r.submitted_at).map(|t| t.and_utc()),
            rated: seen.then(|| active.iter().filter(|id| rated.contains_key(*id)).count() as u32),
            statements: active.len() as u32,
            visible: seen,
            editable: !submitted
                && term <= current
                && allowed::may_side(caller, Action::Update, s.place.facts, side, false),
        }
    };
    let (school_state, trust_state) = (state(Side::School, &ours), state(Side::Trust, &theirs));
    let mut themes = vec![];
    let mut flagged_total = 0;
    for t in &s.framework.themes {
        let mut statements = vec![];
        for st in s.framework.statements.iter().filter(|st| st.theme_id == t.id) {
            let retired = st.retired_at.is_some() || t.retired_at.is_some();
            let (a, b) = (ours.get(st.id.as_str()), theirs.get(st.id.as_str()));
            // A retired statement shows only where this term rated it.
            if retired && a.is_none() && b.is_none() {
                continue;
            }
            let (x, y) = (a.map(|r| level(r.rating)), b.map(|r| level(r.rating)));
            statements.push(ReviewStatement {
                id: uuid(&st.id)?,
                text: st.text.clone(),
                retired,
                school: a.map(|r| rating_view(r)),
                trust: b.map(|r| rating_view(r)),
                gap: rules::gap(x, y),
                flagged: rules::flagged(x, y),
                school_files: files_for(Side::School, &st.id)?,
                trust_files: files_for(Side::Trust, &st.id)?,
            });
        }
        if statements.is_empty() {
            continue;
        }
        let flagged = statements.iter().filter(|x| x.flagged).count() as u32;
        flagged_total += flagged;
        themes.push(ReviewTheme {
            id: uuid(&t.id)?,
            name: t.name.clone(),
            school_mean: rules::mean(statements.iter().filter_map(|x| x.school.as_ref().map(|r| r.rating))),
            trust_mean: rules::mean(statements.iter().filter_map(|x| x.trust.as_ref().map(|r| r.rating))),
            flagged,
            statements,
        });
    }
    Ok(SchoolExpectations {
        school_id: s.place.facts.id.uuid(),
        school_name: s.place.name.clone(),
        organisation_id: s.trust.uuid(),
        term,
        term_label: term.label(),
        current_term: current,
        school: school_state,
        trust: trust_state,
        themes,
        flagged: flagged_total,
        scale: scale(),
    })
}

/// A school's review for a term: the statements of its trust's framework with the school's own
/// ratings and the trust's, as far as the caller may see them — each side's draft is its
/// authors' alone until submitted — the gaps, and what the caller may do. The school's leads and
/// the trust's admins read it.
#[utoipa::path(
    operation_id = "get_school_expectations",
    tag = "self_assessment",
    security(("bearer" = [])),
    params(("id" = Uuid, Path), ("term" = TermKey, Path)),
    responses((status = 200, body = SchoolExpectations), ReadErrors)
)]
#[get("/schools/{id}/expectations/{term}")]
pub async fn get_school_expectations(
    state: State,
    caller: Bearer,
    path: Path<(SchoolId, TermKey)>,
) -> Result<Json<SchoolExpectations>, ApiError> {
    let (id, term) = path.into_inner();
    let today = state.clock.today();
    let out = state
        .db
        .run_as(caller, move |conn, caller| {
            let s = allowed::school::<school::Read>(conn, &caller, id)?;
            view(conn, &caller, &s, term, today)
        })
        .await?;
    Ok(Json(out))
}

/// The caller's side, begun if need be, if it may still change: 409 once submitted.
fn draft(
    conn: &mut DbConn,
    caller: &Caller,
    s: &LoadedSchool,
    term: TermKey,
    side: Side,
    now: chrono::NaiveDateTime,
) -> Result<AssessmentRow, ApiError> {
    if term > TermKey::of(now.date()) {
        return Err(refused(rules::ExpectationError::FutureTerm(term)));
    }
    let row = db::begin(conn, &s.place.facts.id.to_string(), term, side, &caller.actor(), now)?;
    if row.submitted_at.is_some() {
        return Err(refused(rules::ExpectationError::Submitted));
    }
    Ok(row)
}

/// Saves ratings (1–4, with the evidence behind each) to one side's draft for the term: the
/// school's by its leads, the trust's by its admins. Ratings given replace earlier ones of the
/// same statements; the rest stay. A submitted side no longer changes (409).
#[utoipa::path(
    operation_id = "update_school_expectation_ratings",
    tag = "self_assessment",
    security(("bearer" = [])),
    params(("id" = Uuid, Path), ("term" = TermKey, Path), ("side" = trellis_wire::AssessmentSide, Path)),
    request_body = SaveExpectationRatings,
    responses((status = 200, body = SchoolExpectations), WriteErrors)
)]
#[put("/schools/{id}/expectations/{term}/{side}")]
pub async fn update_school_expectation_ratings(
    state: State,
    caller: Bearer,
    path: Path<(SchoolId, TermKey, Side)>,
    body: Json<SaveExpectationRatings>,
) -> Result<Json<SchoolExpectations>, ApiError> {
    let ((id, term, side), body) = (path.into_inner(), body.into_inner());
    let clock = state.clock;
    let out = state
        .db
        .tx_as(caller, move |conn, caller| {
            let s = allowed::side(conn, &caller, id, side)?;
            body.validate()?;
            let now = clock.now();
            let known: Vec<uuid::Uuid> =
                s.framework.active().iter().map(|st| uuid(&st.id)).collect::<Result<_, ApiError>>()?;
            let given: Vec<(uuid::Uuid, u32)> = body.ratings.iter().map(|r| (r.statement_id, r.rating)).collect();
            rules::check_ratings(term, now.date(), &known, &given).map_err(refused)?;
            let row = draft(conn, &caller, &s, term, side, now)?;
            let rows: Vec<RatingRow> = body
                .ratings
                .iter()
                .map(|r| RatingRow {
                    assessment_id: row.id.clone(),
                    statement_id: r.statement_id.to_string(),
                    rating: r.rating as i32,
                    evidence: r.evidence.trim().to_owned(),
                })
                .collect();
            db::save_ratings(conn, &row, &rows, &caller.actor(), now)?;
            view(conn, &caller, &s, term, now.date())
        })
        .await?;
    Ok(Json(out))
}

/// Submits one side for the term once every statement is rated (422 `assessment_incomplete`
/// names those that are not). From then on it is fixed, and the other side sees it.
#[utoipa::path(
    operation_id = "submit_school_expectations",
    tag = "self_assessment",
    security(("bearer" = [])),
    params(("id" = Uuid, Path), ("term" = TermKey, Path), ("side" = trellis_wire::AssessmentSide, Path)),
    responses((status = 200, body = SchoolExpectations), WriteErrors)
)]
#[post("/schools/{id}/expectations/{term}/{side}/submit")]
pub async fn submit_school_expectations(
    state: State,
    caller: Bearer,
    path: Path<(SchoolId, TermKey, Side)>,
) -> Result<Json<SchoolExpectations>, ApiError> {
    let (id, term, side) = path.into_inner();
    let clock = state.clock;
    let out = state
        .db
        .tx_as(caller, move |conn, caller| {
            let s = allowed::side(conn, &caller, id, side)?;
            if s.framework.active().is_empty() {
                return Err(ApiError::conflict(
                    "invalid_framework",
                    "the trust has not written its expectations yet: there is nothing to submit",
                ));
            }
            let now = clock.now();
            let row = draft(conn, &caller, &s, term, side, now)?;
            let rated: Vec<String> =
                db::ratings(conn, &[row.id.as_str()])?.into_iter().map(|r| r.statement_id).collect();
            let missing: Vec<FieldError> = s
                .framework
                .active()
                .iter()
                .filter(|st| !rated.contains(&st.id))
                .map(|st| FieldError {
                    field: format!("ratings[{}]", st.id),
                    code: "not_rated".into(),
                    message: format!("not yet rated: {}", st.text),
                })
                .collect();
            if !missing.is_empty() {
                return Err(ApiError::invalid("assessment_incomplete", missing));
            }
            db::submit(conn, &row.id, &caller.actor(), now)?;
            view(conn, &caller, &s, term, now.date())
        })
        .await?;
    Ok(Json(out))
}

/// A school's expectations term by term, oldest first: each theme's mean rating from the school
/// and from the trust (submitted assessments only), the flagged statements, and how each theme
/// moved since the term before.
#[utoipa::path(
    operation_id = "get_school_expectation_history",
    tag = "self_assessment",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = ExpectationHistory), ReadErrors)
)]
#[get("/schools/{id}/expectations")]
pub async fn get_school_expectation_history(
    state: State,
    caller: Bearer,
    id: Path<SchoolId>,
) -> Result<Json<ExpectationHistory>, ApiError> {
    let id = id.into_inner();
    let out = state
        .db
        .run_as(caller, move |conn, caller| {
            let s = allowed::school::<school::Read>(conn, &caller, id)?;
            let rows: Vec<AssessmentRow> = db::assessments(conn, &[s.place.facts.id.to_string()], None)?
                .into_iter()
                .filter(|r| {
                    r.side().is_ok_and(|side| allowed::may_side(&caller, Action::Read, s.place.facts, side, true))
                        && r.submitted_at.is_some()
                })
                .collect();
            let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
            let ratings = db::ratings(conn, &ids)?;
            let theme_of = s.framework.theme_of();
            let mut terms: Vec<TermKey> = rows.iter().map(AssessmentRow::term).collect::<Result<_, _>>()?;
            terms.sort();
            terms.dedup();
            // Themes: those in force, and retired ones some term rated.
            let rated_themes: Vec<&str> =
                ratings.iter().filter_map(|r| theme_of.get(r.statement_id.as_str()).copied()).collect();
            let themes: Vec<&db::ThemeRow> = s
                .framework
                .themes
                .iter()
                .filter(|t| t.retired_at.is_none() || rated_themes.contains(&t.id.as_str()))
                .collect();
            let mut out_terms = vec![];
            for term in &terms {
                let side_of = |side: Side| rows.iter().find(|r| r.term == term.to_string() && r.side == side.as_str());
                let levels = |side: Side, theme: Option<&str>| -> Vec<(String, u8)> {
                    let Some(a) = side_of(side) else { return vec![] };
                    ratings
                        .iter()
                        .filter(|r| r.assessment_id == a.id)
                        .filter(|r| theme.is_none_or(|t| theme_of.get(r.statement_id.as_str()) == Some(&t)))
                        .map(|r| (r.statement_id.clone(), level(r.rating)))
                        .collect()
                };
                let means = |side: Side| -> Vec<Option<f64>> {
                    themes.iter().map(|t| rules::mean(levels(side, Some(&t.id)).into_iter().map(|(_, r)| r))).collect()
                };
                let (all_school, all_trust) = (levels(Side::School, None), levels(Side::Trust, None));
                let flagged = rules::count_flagged(&all_school, &all_trust);
                out_terms.push(HistoryTerm {
                    term: *term,
                    term_label: term.label(),
                    school: means(Side::School),
                    trust: means(Side::Trust),
                    school_overall: rules::mean(all_school.iter().map(|(_, r)| *r)),
                    trust_overall: rules::mean(all_trust.iter().map(|(_, r)| *r)),
                    flagged,
                });
            }
            let trend = |i: usize, pick: fn(&HistoryTerm) -> &Vec<Option<f64>>| {
                let with: Vec<f64> = out_terms.iter().filter_map(|h| pick(h)[i]).collect();
                match with.as_slice() {
                    [.., before, now] => rules::trend(Some(*before), Some(*now)),
                    _ => None,
                }
            };
            let trends = themes
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    Ok(ThemeTrend {
                        theme_id: uuid(&t.id)?,
                        school: trend(i, |h| &h.school),
                        trust: trend(i, |h| &h.trust),
                    })
                })
                .collect::<Result<_, ApiError>>()?;
            Ok(ExpectationHistory {
                school_id: s.place.facts.id.uuid(),
                school_name: s.place.name.clone(),
                themes: themes
                    .iter()
                    .map(|t| Ok(ThemeHeading { id: uuid(&t.id)?, name: t.name.clone() }))
                    .collect::<Result<_, ApiError>>()?,
                terms: out_terms,
                trends,
            })
        })
        .await?;
    Ok(Json(out))
}
