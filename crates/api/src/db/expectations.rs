//! Trust expectations: the framework (themes, statements), each side's termly assessment of a
//! school and its ratings, and support with its reviews. Access is decided in
//! [`crate::db::allowed::expectations`]; the functions here take ids it allowed.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use trellis_domain::expectations::{Side, TermKey};

use crate::db::DbConn;
use crate::db::schema::{
    enrolments, expectation_assessments, expectation_files, expectation_ratings, expectation_statements,
    expectation_support, expectation_support_reviews, expectation_themes, people,
};
use crate::error::ApiError;
use crate::paging::new_id;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = expectation_themes)]
pub struct ThemeRow {
    pub id: String,
    pub organisation_id: String,
    pub position: i32,
    pub name: String,
    pub retired_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = expectation_statements)]
pub struct StatementRow {
    pub id: String,
    pub theme_id: String,
    pub position: i32,
    pub text: String,
    pub retired_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = expectation_assessments)]
pub struct AssessmentRow {
    pub id: String,
    pub school_id: String,
    pub term: String,
    pub side: String,
    pub submitted_at: Option<NaiveDateTime>,
    pub submitted_by: Option<String>,
    pub updated_by: String,
    pub updated_at: NaiveDateTime,
}

impl AssessmentRow {
    pub fn side(&self) -> Result<Side, ApiError> {
        self.side.parse().map_err(ApiError::internal)
    }

    pub fn term(&self) -> Result<TermKey, ApiError> {
        self.term.parse().map_err(ApiError::internal)
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = expectation_ratings)]
pub struct RatingRow {
    pub assessment_id: String,
    pub statement_id: String,
    pub rating: i32,
    pub evidence: String,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = expectation_support)]
pub struct SupportRow {
    pub id: String,
    pub school_id: String,
    pub term: String,
    pub what: String,
    pub provided_by: String,
    pub hours: f64,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = expectation_support_reviews)]
pub struct ReviewRow {
    pub support_id: String,
    pub term: String,
    pub hours_used: f64,
    pub impact: String,
    pub decision: String,
    pub reviewed_by: String,
    pub reviewed_at: NaiveDateTime,
}

/// A trust's framework, retired parts included (past terms rated them), in the trust's order.
#[derive(Debug, Clone, Default)]
pub struct Framework {
    pub themes: Vec<ThemeRow>,
    pub statements: Vec<StatementRow>,
}

impl Framework {
    /// The statements in force, in theme then statement order.
    pub fn active(&self) -> Vec<&StatementRow> {
        self.themes
            .iter()
            .filter(|t| t.retired_at.is_none())
            .flat_map(|t| self.statements.iter().filter(move |s| s.theme_id == t.id && s.retired_at.is_none()))
            .collect()
    }

    pub fn active_themes(&self) -> impl Iterator<Item = &ThemeRow> {
        self.themes.iter().filter(|t| t.retired_at.is_none())
    }

    /// Each statement's theme, retired ones included.
    pub fn theme_of(&self) -> HashMap<&str, &str> {
        self.statements.iter().map(|s| (s.id.as_str(), s.theme_id.as_str())).collect()
    }
}

pub fn framework(conn: &mut DbConn, trust: &str) -> Result<Framework, ApiError> {
    let themes: Vec<ThemeRow> = expectation_themes::table
        .filter(expectation_themes::organisation_id.eq(trust))
        .order((expectation_themes::position.asc(), expectation_themes::id.asc()))
        .select(ThemeRow::as_select())
        .load(conn)?;
    let ids: Vec<&str> = themes.iter().map(|t| t.id.as_str()).collect();
    let statements: Vec<StatementRow> = expectation_statements::table
        .filter(expectation_statements::theme_id.eq_any(ids))
        .order((expectation_statements::position.asc(), expectation_statements::id.asc()))
        .select(StatementRow::as_select())
        .load(conn)?;
    Ok(Framework { themes, statements })
}

/// A theme as the framework should now be: (its id when it replaces one, name, statements as
/// (id when replacing, text)).
pub type ThemeEdit = (Option<String>, String, Vec<(Option<String>, String)>);

/// Makes `edit` the trust's framework: named themes and statements are updated in place (moved
/// between themes if need be), new ones inserted, the rest retired. The ids must be the trust's
/// (the handler checked).
pub fn replace_framework(
    conn: &mut DbConn,
    trust: &str,
    current: &Framework,
    edit: &[ThemeEdit],
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    let mut kept_themes = vec![];
    let mut kept_statements = vec![];
    for (i, (id, name, statements)) in edit.iter().enumerate() {
        let position = i32::try_from(i).map_err(ApiError::internal)?;
        let theme_id = match id {
            Some(id) => {
                diesel::update(expectation_themes::table.find(id))
                    .set((
                        expectation_themes::name.eq(name),
                        expectation_themes::position.eq(position),
                        expectation_themes::retired_at.eq(None::<NaiveDateTime>),
                    ))
                    .execute(conn)?;
                id.clone()
            }
            None => {
                let row = ThemeRow {
                    id: new_id(),
                    organisation_id: trust.to_owned(),
                    position,
                    name: name.clone(),
                    retired_at: None,
                    created_at: now,
                };
                diesel::insert_into(expectation_themes::table).values(&row).execute(conn)?;
                row.id
            }
        };
        for (j, (sid, text)) in statements.iter().enumerate() {
            let position = i32::try_from(j).map_err(ApiError::internal)?;
            match sid {
                Some(sid) => {
                    diesel::update(expectation_statements::table.find(sid))
                        .set((
                            expectation_statements::theme_id.eq(&theme_id),
                            expectation_statements::text.eq(text),
                            expectation_statements::position.eq(position),
                            expectation_statements::retired_at.eq(None::<NaiveDateTime>),
                        ))
                        .execute(conn)?;
                    kept_statements.push(sid.clone());
                }
                None => {
                    let row = StatementRow {
                        id: new_id(),
                        theme_id: theme_id.clone(),
                        position,
                        text: text.clone(),
                        retired_at: None,
                        created_at: now,
                    };
                    diesel::insert_into(expectation_statements::table).values(&row).execute(conn)?;
                }
            }
        }
        kept_themes.push(theme_id);
    }
    let retire_themes: Vec<&str> = current
        .themes
        .iter()
        .filter(|t| t.retired_at.is_none() && !kept_themes.contains(&t.id))
        .map(|t| t.id.as_str())
        .collect();
    diesel::update(expectation_themes::table.filter(expectation_themes::id.eq_any(retire_themes)))
        .set(expectation_themes::retired_at.eq(Some(now)))
        .execute(conn)?;
    let retire_statements: Vec<&str> = current
        .statements
        .iter()
        .filter(|s| s.retired_at.is_none() && !kept_statements.contains(&s.id))
        .map(|s| s.id.as_str())
        .collect();
    diesel::update(expectation_statements::table.filter(expectation_statements::id.eq_any(retire_statements)))
        .set(expectation_statements::retired_at.eq(Some(now)))
        .execute(conn)?;
    Ok(())
}

/// The assessments of these schools (in these terms, when given).
pub fn assessments(
    conn: &mut DbConn,
    school_ids: &[String],
    terms: Option<&[String]>,
) -> Result<Vec<AssessmentRow>, ApiError> {
    let mut q = expectation_assessments::table
        .filter(expectation_assessments::school_id.eq_any(school_ids.to_vec()))
        .into_boxed();
    if let Some(terms) = terms {
        q = q.filter(expectation_assessments::term.eq_any(terms.to_vec()));
    }
    Ok(q.select(AssessmentRow::as_select()).load(conn)?)
}

/// The ratings of these assessments (the caller decided which it may read).
pub fn ratings(conn: &mut DbConn, assessment_ids: &[&str]) -> Result<Vec<RatingRow>, ApiError> {
    Ok(expectation_ratings::table
        .filter(expectation_ratings::assessment_id.eq_any(assessment_ids.to_vec()))
        .select(RatingRow::as_select())
        .load(conn)?)
}

/// The school's assessment on `side` for `term`, if it was begun.
pub fn find_assessment(
    conn: &mut DbConn,
    school: &str,
    term: TermKey,
    side: Side,
) -> Result<Option<AssessmentRow>, ApiError> {
    Ok(expectation_assessments::table
        .filter(expectation_assessments::school_id.eq(school))
        .filter(expectation_assessments::term.eq(term.to_string()))
        .filter(expectation_assessments::side.eq(side.as_str()))
        .select(AssessmentRow::as_select())
        .first(conn)
        .optional()?)
}

/// The school's assessment on `side` for `term`, begun now if it was not.
pub fn begin(
    conn: &mut DbConn,
    school: &str,
    term: TermKey,
    side: Side,
    actor: &str,
    now: NaiveDateTime,
) -> Result<AssessmentRow, ApiError> {
    if let Some(row) = find_assessment(conn, school, term, side)? {
        return Ok(row);
    }
    let row = AssessmentRow {
        id: new_id(),
        school_id: school.to_owned(),
        term: term.to_string(),
        side: side.as_str().into(),
        submitted_at: None,
        submitted_by: None,
        updated_by: actor.to_owned(),
        updated_at: now,
    };
    diesel::insert_into(expectation_assessments::table).values(&row).execute(conn)?;
    Ok(row)
}

/// Saves ratings to a draft, replacing its earlier ratings of the same statements.
pub fn save_ratings(
    conn: &mut DbConn,
    assessment: &AssessmentRow,
    ratings: &[RatingRow],
    actor: &str,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    let ids: Vec<&str> = ratings.iter().map(|r| r.statement_id.as_str()).collect();
    diesel::delete(
        expectation_ratings::table
            .filter(expectation_ratings::assessment_id.eq(&assessment.id))
            .filter(expectation_ratings::statement_id.eq_any(ids)),
    )
    .execute(conn)?;
    // One row at a time: batch inserts are not portable across the backends of a MultiConnection.
    for r in ratings {
        diesel::insert_into(expectation_ratings::table).values(r).execute(conn)?;
    }
    diesel::update(expectation_assessments::table.find(&assessment.id))
        .set((expectation_assessments::updated_by.eq(actor), expectation_assessments::updated_at.eq(now)))
        .execute(conn)?;
    Ok(())
}

pub fn submit(conn: &mut DbConn, id: &str, actor: &str, now: NaiveDateTime) -> Result<(), ApiError> {
    diesel::update(expectation_assessments::table.find(id).filter(expectation_assessments::submitted_at.is_null()))
        .set((
            expectation_assessments::submitted_at.eq(Some(now)),
            expectation_assessments::submitted_by.eq(Some(actor)),
            expectation_assessments::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// For the programme rules: the terms each enrolment's school submitted its own assessment, as a
/// day inside each term. One query for any number of enrolments.
pub fn self_assessment_facts(
    conn: &mut DbConn,
    enrolment_ids: &[String],
) -> Result<HashMap<String, Vec<NaiveDate>>, ApiError> {
    let rows: Vec<(String, String)> = enrolments::table
        .inner_join(people::table)
        .inner_join(
            expectation_assessments::table.on(expectation_assessments::school_id.nullable().eq(people::school_id)),
        )
        .filter(enrolments::id.eq_any(enrolment_ids))
        .filter(expectation_assessments::side.eq(Side::School.as_str()))
        .filter(expectation_assessments::submitted_at.is_not_null())
        .select((enrolments::id, expectation_assessments::term))
        .load(conn)?;
    let mut out: HashMap<String, Vec<NaiveDate>> = HashMap::new();
    for (id, term) in rows {
        let term: TermKey = term.parse().map_err(ApiError::internal)?;
        out.entry(id).or_default().push(term.midpoint());
    }
    Ok(out)
}

/// The support allocated to these schools, newest first.
pub fn support_of(conn: &mut DbConn, school_ids: &[String]) -> Result<Vec<SupportRow>, ApiError> {
    Ok(expectation_support::table
        .filter(expectation_support::school_id.eq_any(school_ids.to_vec()))
        .order((expectation_support::created_at.desc(), expectation_support::id.desc()))
        .select(SupportRow::as_select())
        .load(conn)?)
}

pub fn find_support(conn: &mut DbConn, id: &str) -> Result<Option<SupportRow>, ApiError> {
    Ok(expectation_support::table.find(id).select(SupportRow::as_select()).first(conn).optional()?)
}

/// The reviews of these pieces of support, by support id, oldest term first.
pub fn reviews_of(conn: &mut DbConn, support_ids: &[&str]) -> Result<HashMap<String, Vec<ReviewRow>>, ApiError> {
    let rows: Vec<ReviewRow> = expectation_support_reviews::table
        .filter(expectation_support_reviews::support_id.eq_any(support_ids.to_vec()))
        .select(ReviewRow::as_select())
        .load(conn)?;
    let mut out: HashMap<String, Vec<ReviewRow>> = HashMap::new();
    for r in rows {
        out.entry(r.support_id.clone()).or_default().push(r);
    }
    for list in out.values_mut() {
        list.sort_by_key(|r| r.term.parse::<TermKey>().map(TermKey::ordinal).unwrap_or_default());
    }
    Ok(out)
}

pub fn insert_support(conn: &mut DbConn, row: &SupportRow) -> Result<(), ApiError> {
    diesel::insert_into(expectation_support::table).values(row).execute(conn)?;
    Ok(())
}

/// Records a term's review, replacing an earlier one for the same term.
pub fn save_review(conn: &mut DbConn, row: &ReviewRow) -> Result<(), ApiError> {
    diesel::delete(expectation_support_reviews::table.find((&row.support_id, &row.term))).execute(conn)?;
    diesel::insert_into(expectation_support_reviews::table).values(row).execute(conn)?;
    Ok(())
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = expectation_files)]
pub struct ExpectationFileRow {
    pub id: String,
    pub assessment_id: String,
    pub statement_id: String,
    pub sha256: String,
    pub size_bytes: i64,
    pub kind: String,
    pub filename: String,
    pub uploaded_by: String,
    pub created_at: NaiveDateTime,
}

impl ExpectationFileRow {
    pub fn kind(&self) -> Result<trellis_domain::portfolio::FileKind, ApiError> {
        self.kind.parse().map_err(ApiError::internal)
    }
}

/// The evidence files of these assessments (the caller decided which it may read), oldest first.
pub fn files_of(conn: &mut DbConn, assessment_ids: &[&str]) -> Result<Vec<ExpectationFileRow>, ApiError> {
    Ok(expectation_files::table
        .filter(expectation_files::assessment_id.eq_any(assessment_ids.to_vec()))
        .order((expectation_files::created_at.asc(), expectation_files::id.asc()))
        .select(ExpectationFileRow::as_select())
        .load(conn)?)
}

/// How many files an assessment holds against one statement.
pub fn count_files(conn: &mut DbConn, assessment: &str, statement: &str) -> Result<usize, ApiError> {
    let n: i64 = expectation_files::table
        .filter(expectation_files::assessment_id.eq(assessment))
        .filter(expectation_files::statement_id.eq(statement))
        .count()
        .get_result(conn)?;
    Ok(usize::try_from(n).unwrap_or(usize::MAX))
}

pub fn insert_file(conn: &mut DbConn, row: &ExpectationFileRow) -> Result<(), ApiError> {
    diesel::insert_into(expectation_files::table).values(row).execute(conn)?;
    Ok(())
}

pub fn find_file(conn: &mut DbConn, id: &str) -> Result<Option<(ExpectationFileRow, AssessmentRow)>, ApiError> {
    Ok(expectation_files::table
        .inner_join(expectation_assessments::table)
        .filter(expectation_files::id.eq(id))
        .select((ExpectationFileRow::as_select(), AssessmentRow::as_select()))
        .first(conn)
        .optional()?)
}

pub fn delete_file(conn: &mut DbConn, id: &str) -> Result<(), ApiError> {
    diesel::delete(expectation_files::table.find(id)).execute(conn)?;
    Ok(())
}

/// Whether any expectation file holds these bytes (the file store keeps them while one does).
pub fn holds(conn: &mut DbConn, shas: &[String]) -> Result<Vec<String>, ApiError> {
    Ok(expectation_files::table
        .filter(expectation_files::sha256.eq_any(shas))
        .select(expectation_files::sha256)
        .load(conn)?)
}
