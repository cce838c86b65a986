//! Projects: the row, its team, stages, action log, impact measures with readings, and
//! presentations. Reached only through [`crate::db::allowed::project`] and its kin.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use trellis_domain::authz::{CohortFacts, EnrolmentFacts};
use trellis_domain::project::StageRecord;
use trellis_domain::rules::definition::{Audience, ProjectStage};
use trellis_wire as wire;
use uuid::Uuid;

use crate::db::allowed::project::{Create, Edit, Read};
use crate::db::allowed::{Allowed, LoadedProject, NewProject, TeamMember};
use crate::db::enrolments::{PersonCols, facts_in, person_cols};
use crate::db::facts::uuid;
use crate::db::models::EnrolmentRow;
use crate::db::schema::{
    cohorts, enrolments, impact_measures, impact_readings, people, project_actions, project_members,
    project_presentations, project_stages, projects, schools, users,
};
use crate::db::{DbConn, on_backend};
use crate::error::ApiError;
use crate::paging::new_id;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = projects)]
pub struct ProjectRow {
    pub id: String,
    pub cohort_id: String,
    pub title: String,
    pub focus_area: String,
    pub focus_detail: Option<String>,
    pub host_school_id: String,
    pub sponsor_person_id: Option<String>,
    pub tutor_person_id: Option<String>,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub worksheet: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = impact_measures)]
pub struct MeasureRow {
    pub id: String,
    pub project_id: String,
    pub name: String,
    pub unit: String,
    pub baseline: f64,
    pub baseline_on: NaiveDate,
    pub target: f64,
    pub created_at: NaiveDateTime,
}

/// The team's enrolments, in one query: rows, people and facts (decided with `cohort`'s facts).
/// Those not in `cohort_id` are left out.
pub(in crate::db) fn team(
    conn: &mut DbConn,
    cohort_id: &str,
    cohort: &CohortFacts,
    ids: &[String],
) -> Result<Vec<TeamMember>, ApiError> {
    let rows: Vec<(EnrolmentRow, PersonCols)> = on_backend!(conn, |c| enrolments::table
        .inner_join(people::table.inner_join(schools::table))
        .filter(enrolments::id.eq_any(ids))
        .filter(enrolments::cohort_id.eq(cohort_id))
        .order(enrolments::id)
        .select((EnrolmentRow::as_select(), person_cols()))
        .load(c))?;
    rows.into_iter()
        .map(|(row, person)| {
            let facts: EnrolmentFacts = facts_in(&row, &person, cohort)?;
            Ok(TeamMember { enrolment_id: uuid(&row.id)?, row, person, facts })
        })
        .collect()
}

pub(in crate::db) fn row(conn: &mut DbConn, id: Uuid) -> Result<Option<ProjectRow>, ApiError> {
    Ok(on_backend!(conn, |c| projects::table.find(id.to_string()).select(ProjectRow::as_select()).first(c).optional())?)
}

/// The enrolment ids on the project's team.
pub(in crate::db) fn member_ids(conn: &mut DbConn, project: &str) -> Result<Vec<String>, ApiError> {
    Ok(project_members::table
        .filter(project_members::project_id.eq(project))
        .select(project_members::enrolment_id)
        .load(conn)?)
}

/// The projects of a cohort with their members: (row, member enrolment ids).
pub(in crate::db) fn rows_in_cohort(
    conn: &mut DbConn,
    cohort: &str,
) -> Result<Vec<(ProjectRow, Vec<String>)>, ApiError> {
    let rows: Vec<ProjectRow> = projects::table
        .filter(projects::cohort_id.eq(cohort))
        .order(projects::id)
        .select(ProjectRow::as_select())
        .load(conn)?;
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    let members: Vec<(String, String)> = project_members::table
        .filter(project_members::project_id.eq_any(&ids))
        .select((project_members::project_id, project_members::enrolment_id))
        .load(conn)?;
    let mut by_project: HashMap<String, Vec<String>> = HashMap::new();
    for (p, e) in members {
        by_project.entry(p).or_default().push(e);
    }
    Ok(rows
        .into_iter()
        .map(|r| {
            let members = by_project.remove(&r.id).unwrap_or_default();
            (r, members)
        })
        .collect())
}

/// The project an enrolment is on, if any.
pub fn of_enrolment<A>(
    conn: &mut DbConn,
    target: &Allowed<crate::db::allowed::LoadedEnrolment, A>,
) -> Result<Option<Uuid>, ApiError> {
    let id: Option<String> = project_members::table
        .find(target.id.to_string())
        .select(project_members::project_id)
        .first(conn)
        .optional()?;
    id.as_deref().map(uuid).transpose()
}

/// Which of these enrolments are already on a project.
pub fn already_on_a_project(conn: &mut DbConn, new: &Allowed<NewProject, Create>) -> Result<Vec<Uuid>, ApiError> {
    let ids: Vec<String> = new.team.iter().map(|m| m.row.id.clone()).collect();
    let taken: Vec<String> = project_members::table
        .filter(project_members::enrolment_id.eq_any(&ids))
        .select(project_members::enrolment_id)
        .load(conn)?;
    taken.iter().map(|s| uuid(s)).collect()
}

/// Whether a person is at this school (a sponsor), and their name.
pub fn person_at_school(conn: &mut DbConn, person: Uuid, school: &str) -> Result<bool, ApiError> {
    let n: i64 = people::table
        .filter(people::id.eq(person.to_string()))
        .filter(people::school_id.eq(school))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// The school's name, if it exists.
pub fn school_name(conn: &mut DbConn, school: Uuid) -> Result<Option<String>, ApiError> {
    Ok(schools::table.find(school.to_string()).select(schools::name).first(conn).optional()?)
}

/// What a request says about a project, checked.
pub struct ProjectFields<'a> {
    pub title: &'a str,
    pub focus_area: trellis_domain::project::FocusArea,
    pub focus_detail: Option<&'a str>,
    pub sponsor: Option<Uuid>,
    pub tutor: Option<Uuid>,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub worksheet: Option<String>,
}

pub fn insert(
    conn: &mut DbConn,
    new: &Allowed<NewProject, Create>,
    host_school: Uuid,
    f: &ProjectFields,
    now: NaiveDateTime,
) -> Result<Uuid, ApiError> {
    let row = ProjectRow {
        id: new_id(),
        cohort_id: new.cohort_id.to_string(),
        title: f.title.to_owned(),
        focus_area: f.focus_area.as_str().to_owned(),
        focus_detail: f.focus_detail.map(str::to_owned),
        host_school_id: host_school.to_string(),
        sponsor_person_id: f.sponsor.map(|p| p.to_string()),
        tutor_person_id: f.tutor.map(|p| p.to_string()),
        starts_on: f.starts_on,
        ends_on: f.ends_on,
        worksheet: f.worksheet.clone(),
        created_at: now,
        updated_at: now,
    };
    let members: Vec<String> = new.team.iter().map(|m| m.row.id.clone()).collect();
    insert_unchecked(conn, &row, &members)?;
    touch_team(conn, &new.team, now)?;
    uuid(&row.id)
}

/// [`insert`] without the check (the demo seed has no caller).
pub(crate) fn insert_unchecked(conn: &mut DbConn, row: &ProjectRow, members: &[String]) -> Result<(), ApiError> {
    diesel::insert_into(projects::table)
        .values((
            projects::id.eq(&row.id),
            projects::cohort_id.eq(&row.cohort_id),
            projects::title.eq(&row.title),
            projects::focus_area.eq(&row.focus_area),
            projects::focus_detail.eq(&row.focus_detail),
            projects::host_school_id.eq(&row.host_school_id),
            projects::sponsor_person_id.eq(&row.sponsor_person_id),
            projects::tutor_person_id.eq(&row.tutor_person_id),
            projects::starts_on.eq(row.starts_on),
            projects::ends_on.eq(row.ends_on),
            projects::worksheet.eq(&row.worksheet),
            projects::created_at.eq(row.created_at),
            projects::updated_at.eq(row.updated_at),
        ))
        .execute(conn)?;
    for m in members {
        diesel::insert_into(project_members::table)
            .values((project_members::enrolment_id.eq(m), project_members::project_id.eq(&row.id)))
            .execute(conn)?;
    }
    Ok(())
}

/// The team's enrolments changed (their progress may have): delta syncs see them.
fn touch_team(conn: &mut DbConn, team: &[TeamMember], now: NaiveDateTime) -> Result<(), ApiError> {
    let ids: Vec<&str> = team.iter().map(|m| m.row.id.as_str()).collect();
    diesel::update(enrolments::table.filter(enrolments::id.eq_any(ids)))
        .set(enrolments::updated_at.eq(now))
        .execute(conn)?;
    Ok(())
}

fn touch(conn: &mut DbConn, p: &Allowed<LoadedProject, Edit>, now: NaiveDateTime) -> Result<(), ApiError> {
    diesel::update(projects::table.find(&p.row.id)).set(projects::updated_at.eq(now)).execute(conn)?;
    touch_team(conn, &p.team, now)
}

pub fn update(
    conn: &mut DbConn,
    p: &Allowed<LoadedProject, Edit>,
    f: &ProjectFields,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    diesel::update(projects::table.find(&p.row.id))
        .set((
            projects::title.eq(f.title),
            projects::focus_area.eq(f.focus_area.as_str()),
            projects::focus_detail.eq(f.focus_detail),
            projects::sponsor_person_id.eq(f.sponsor.map(|p| p.to_string())),
            projects::tutor_person_id.eq(f.tutor.map(|p| p.to_string())),
            projects::starts_on.eq(f.starts_on),
            projects::ends_on.eq(f.ends_on),
            projects::worksheet.eq(&f.worksheet),
        ))
        .execute(conn)?;
    touch(conn, p, now)
}

/// The stages recorded, as the domain reads them.
pub fn stage_records<A>(conn: &mut DbConn, p: &Allowed<LoadedProject, A>) -> Result<Vec<StageRecord>, ApiError> {
    let rows: Vec<(String, NaiveDate)> = project_stages::table
        .filter(project_stages::project_id.eq(&p.row.id))
        .select((project_stages::stage, project_stages::completed_on))
        .load(conn)?;
    rows.into_iter()
        .map(|(s, d)| Ok(StageRecord { stage: s.parse().map_err(ApiError::internal)?, completed_on: d }))
        .collect()
}

/// Records (or re-records) a stage.
pub fn record_stage(
    conn: &mut DbConn,
    p: &Allowed<LoadedProject, Edit>,
    user: Uuid,
    stage: ProjectStage,
    on: NaiveDate,
    account: &str,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    record_stage_unchecked(conn, &p.row.id, &user.to_string(), stage, on, account, now)?;
    touch(conn, p, now)
}

pub(crate) fn record_stage_unchecked(
    conn: &mut DbConn,
    project: &str,
    user: &str,
    stage: ProjectStage,
    on: NaiveDate,
    account: &str,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    diesel::delete(
        project_stages::table
            .filter(project_stages::project_id.eq(project))
            .filter(project_stages::stage.eq(stage.as_str())),
    )
    .execute(conn)?;
    diesel::insert_into(project_stages::table)
        .values((
            project_stages::project_id.eq(project),
            project_stages::stage.eq(stage.as_str()),
            project_stages::completed_on.eq(on),
            project_stages::account.eq(account),
            project_stages::recorded_by.eq(user),
            project_stages::recorded_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn add_action(
    conn: &mut DbConn,
    p: &Allowed<LoadedProject, Edit>,
    user: Uuid,
    on: NaiveDate,
    description: &str,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    add_action_unchecked(conn, &p.row.id, &user.to_string(), on, description, now)?;
    touch(conn, p, now)
}

pub(crate) fn add_action_unchecked(
    conn: &mut DbConn,
    project: &str,
    user: &str,
    on: NaiveDate,
    description: &str,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    diesel::insert_into(project_actions::table)
        .values((
            project_actions::id.eq(new_id()),
            project_actions::project_id.eq(project),
            project_actions::taken_on.eq(on),
            project_actions::description.eq(description),
            project_actions::recorded_by.eq(user),
            project_actions::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn add_measure(
    conn: &mut DbConn,
    p: &Allowed<LoadedProject, Edit>,
    m: &wire::CreateImpactMeasure,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    add_measure_unchecked(conn, &p.row.id, &new_id(), m, now)?;
    touch(conn, p, now)
}

pub(crate) fn add_measure_unchecked(
    conn: &mut DbConn,
    project: &str,
    id: &str,
    m: &wire::CreateImpactMeasure,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    diesel::insert_into(impact_measures::table)
        .values((
            impact_measures::id.eq(id),
            impact_measures::project_id.eq(project),
            impact_measures::name.eq(&m.name),
            impact_measures::unit.eq(&m.unit),
            impact_measures::baseline.eq(m.baseline),
            impact_measures::baseline_on.eq(m.baseline_on),
            impact_measures::target.eq(m.target),
            impact_measures::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// The measure, if it belongs to a project: (measure, project id).
pub(in crate::db) fn measure_row(conn: &mut DbConn, id: Uuid) -> Result<Option<MeasureRow>, ApiError> {
    Ok(impact_measures::table.find(id.to_string()).select(MeasureRow::as_select()).first(conn).optional()?)
}

/// Records a reading; the same day again replaces it.
pub fn record_reading(
    conn: &mut DbConn,
    p: &Allowed<LoadedProject, Edit>,
    measure: &MeasureRow,
    user: Uuid,
    r: &wire::RecordImpactReading,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    record_reading_unchecked(conn, &measure.id, &user.to_string(), r, now)?;
    touch(conn, p, now)
}

pub(crate) fn record_reading_unchecked(
    conn: &mut DbConn,
    measure: &str,
    user: &str,
    r: &wire::RecordImpactReading,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    diesel::delete(
        impact_readings::table
            .filter(impact_readings::measure_id.eq(measure))
            .filter(impact_readings::taken_on.eq(r.taken_on)),
    )
    .execute(conn)?;
    diesel::insert_into(impact_readings::table)
        .values((
            impact_readings::measure_id.eq(measure),
            impact_readings::taken_on.eq(r.taken_on),
            impact_readings::value.eq(r.value),
            impact_readings::note.eq(&r.note),
            impact_readings::recorded_by.eq(user),
            impact_readings::recorded_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn add_presentation(
    conn: &mut DbConn,
    p: &Allowed<LoadedProject, Edit>,
    user: Uuid,
    body: &wire::CreateProjectPresentation,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    add_presentation_unchecked(conn, &p.row.id, &user.to_string(), body, now)?;
    touch(conn, p, now)
}

pub(crate) fn add_presentation_unchecked(
    conn: &mut DbConn,
    project: &str,
    user: &str,
    body: &wire::CreateProjectPresentation,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    diesel::insert_into(project_presentations::table)
        .values((
            project_presentations::id.eq(new_id()),
            project_presentations::project_id.eq(project),
            project_presentations::audience.eq(body.audience.as_str()),
            project_presentations::presented_on.eq(body.presented_on),
            project_presentations::next_steps.eq(&body.next_steps),
            project_presentations::recorded_by.eq(user),
            project_presentations::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

fn member_wire(m: &TeamMember) -> Result<wire::ProjectMember, ApiError> {
    Ok(wire::ProjectMember {
        enrolment_id: m.enrolment_id.uuid(),
        person_id: m.facts.person_id.uuid(),
        display_name: format!("{} {}", m.person.0, m.person.1),
        school_id: m.facts.school.id.uuid(),
    })
}

fn person_ref(conn: &mut DbConn, id: Option<&str>) -> Result<Option<wire::ProjectPerson>, ApiError> {
    let Some(id) = id else { return Ok(None) };
    let (given, family): (String, String) =
        people::table.find(id).select((people::given_name, people::family_name)).first(conn)?;
    Ok(Some(wire::ProjectPerson { person_id: uuid(id)?, display_name: format!("{given} {family}") }))
}

/// The whole project, as `may_edit` says the caller may or may not change it.
pub fn view(
    conn: &mut DbConn,
    p: &Allowed<LoadedProject, Read>,
    may_edit: bool,
    calendar: &trellis_domain::rules::TermCalendar,
) -> Result<wire::Project, ApiError> {
    let r = &p.row;
    let definition = crate::db::cohorts::definition(conn, &r.cohort_id)?;
    let rule = definition.project.as_ref();
    let order = trellis_domain::project::stages(rule);
    let recorded: Vec<(String, NaiveDate, String)> = project_stages::table
        .filter(project_stages::project_id.eq(&r.id))
        .select((project_stages::stage, project_stages::completed_on, project_stages::account))
        .load(conn)?;
    let mut stages = vec![];
    for s in &order {
        if let Some((_, d, a)) = recorded.iter().find(|x| x.0 == s.as_str()) {
            stages.push(wire::ProjectStageRecord { stage: *s, completed_on: *d, account: a.clone() });
        }
    }
    let actions: Vec<(String, NaiveDate, String, String, NaiveDateTime)> = project_actions::table
        .inner_join(users::table)
        .filter(project_actions::project_id.eq(&r.id))
        .order((project_actions::taken_on.desc(), project_actions::id.desc()))
        .select((
            project_actions::id,
            project_actions::taken_on,
            project_actions::description,
            users::display_name,
            project_actions::created_at,
        ))
        .load(conn)?;
    let measures: Vec<MeasureRow> = impact_measures::table
        .filter(impact_measures::project_id.eq(&r.id))
        .order(impact_measures::id)
        .select(MeasureRow::as_select())
        .load(conn)?;
    let ids: Vec<&str> = measures.iter().map(|m| m.id.as_str()).collect();
    let readings: Vec<(String, NaiveDate, f64, Option<String>)> = impact_readings::table
        .filter(impact_readings::measure_id.eq_any(&ids))
        .order(impact_readings::taken_on)
        .select((impact_readings::measure_id, impact_readings::taken_on, impact_readings::value, impact_readings::note))
        .load(conn)?;
    let presentations: Vec<(String, String, NaiveDate, Option<String>)> = project_presentations::table
        .filter(project_presentations::project_id.eq(&r.id))
        .order((project_presentations::presented_on, project_presentations::id))
        .select((
            project_presentations::id,
            project_presentations::audience,
            project_presentations::presented_on,
            project_presentations::next_steps,
        ))
        .load(conn)?;
    let duration = trellis_domain::project::duration(rule, calendar, r.starts_on, r.ends_on);
    let host: String = schools::table.find(&r.host_school_id).select(schools::name).first(conn)?;
    Ok(wire::Project {
        id: uuid(&r.id)?,
        cohort_id: uuid(&r.cohort_id)?,
        title: r.title.clone(),
        focus_area: r.focus_area.parse().map_err(ApiError::internal)?,
        focus_detail: r.focus_detail.clone(),
        host_school_id: uuid(&r.host_school_id)?,
        host_school_name: host,
        team: p.team.iter().map(member_wire).collect::<Result<_, _>>()?,
        sponsor: person_ref(conn, r.sponsor_person_id.as_deref())?,
        tutor: person_ref(conn, r.tutor_person_id.as_deref())?,
        starts_on: r.starts_on,
        ends_on: r.ends_on,
        terms: duration.terms as u32,
        min_terms: duration.required as u32,
        stage_order: order,
        stages,
        actions: actions
            .into_iter()
            .map(|(id, on, d, by, at)| {
                Ok(wire::ProjectAction {
                    id: uuid(&id)?,
                    taken_on: on,
                    description: d,
                    recorded_by: by,
                    created_at: at.and_utc(),
                })
            })
            .collect::<Result<_, ApiError>>()?,
        measures: measures
            .into_iter()
            .map(|m| {
                let readings: Vec<wire::ImpactReading> = readings
                    .iter()
                    .filter(|x| x.0 == m.id)
                    .map(|x| wire::ImpactReading { taken_on: x.1, value: x.2, note: x.3.clone() })
                    .collect();
                let towards = readings
                    .last()
                    .and_then(|l| trellis_domain::project::towards_target(m.baseline, m.target, l.value));
                Ok(wire::ImpactMeasure {
                    id: uuid(&m.id)?,
                    name: m.name,
                    unit: m.unit,
                    baseline: m.baseline,
                    baseline_on: m.baseline_on,
                    target: m.target,
                    readings,
                    towards_target: towards,
                })
            })
            .collect::<Result<_, ApiError>>()?,
        presentations: presentations
            .into_iter()
            .map(|(id, a, on, next)| {
                Ok(wire::ProjectPresentation {
                    id: uuid(&id)?,
                    audience: a.parse().map_err(ApiError::internal)?,
                    presented_on: on,
                    next_steps: next,
                })
            })
            .collect::<Result<_, ApiError>>()?,
        present_to: rule.map(|r| r.present_to.clone()).unwrap_or_default(),
        worksheet: r.worksheet.as_deref().map(serde_json::from_str).transpose().map_err(ApiError::internal)?,
        may_edit,
        created_at: r.created_at.and_utc(),
        updated_at: r.updated_at.and_utc(),
    })
}

/// A project as listed, with its latest stage of the programme's `order`.
pub fn summary(
    conn: &mut DbConn,
    p: &Allowed<LoadedProject, Read>,
    order: &[ProjectStage],
) -> Result<wire::ProjectSummary, ApiError> {
    let recorded = stage_records(conn, p)?;
    let stage = order.iter().rev().find(|s| recorded.iter().any(|r| r.stage == **s)).copied();
    Ok(wire::ProjectSummary {
        id: uuid(&p.row.id)?,
        title: p.row.title.clone(),
        focus_area: p.row.focus_area.parse().map_err(ApiError::internal)?,
        host_school_id: uuid(&p.row.host_school_id)?,
        team: p.team.iter().map(member_wire).collect::<Result<_, _>>()?,
        starts_on: p.row.starts_on,
        ends_on: p.row.ends_on,
        stage,
    })
}

/// The rules engine's project facts for these enrolments: their project's start, the day its last
/// stage was completed (once all are), the stages completed and the audiences presented to. Four
/// queries for any number of enrolments.
pub fn project_facts(
    conn: &mut DbConn,
    enrolment_ids: &[String],
) -> Result<HashMap<String, trellis_domain::rules::progress::ProjectFact>, ApiError> {
    let rows: Vec<(String, String, NaiveDate, String)> = project_members::table
        .inner_join(projects::table.inner_join(cohorts::table))
        .filter(project_members::enrolment_id.eq_any(enrolment_ids))
        .select((project_members::enrolment_id, projects::id, projects::starts_on, cohorts::id))
        .load(conn)?;
    let project_ids: Vec<&str> = rows.iter().map(|r| r.1.as_str()).collect();
    let stages: Vec<(String, String, NaiveDate)> = project_stages::table
        .filter(project_stages::project_id.eq_any(&project_ids))
        .select((project_stages::project_id, project_stages::stage, project_stages::completed_on))
        .load(conn)?;
    let audiences: Vec<(String, String)> = project_presentations::table
        .filter(project_presentations::project_id.eq_any(&project_ids))
        .select((project_presentations::project_id, project_presentations::audience))
        .load(conn)?;
    let mut definitions: HashMap<String, Option<trellis_domain::rules::definition::ProjectRule>> = HashMap::new();
    let mut out = HashMap::new();
    for (enrolment, project, starts, cohort) in rows {
        if !definitions.contains_key(&cohort) {
            let d = crate::db::cohorts::definition(conn, &cohort)?;
            definitions.insert(cohort.clone(), d.project);
        }
        let order = trellis_domain::project::stages(definitions[&cohort].as_ref());
        let recorded: Vec<StageRecord> = stages
            .iter()
            .filter(|s| s.0 == project)
            .filter_map(|s| s.1.parse().ok().map(|stage| StageRecord { stage, completed_on: s.2 }))
            .collect();
        let mut presented_to: Vec<Audience> =
            audiences.iter().filter(|a| a.0 == project).filter_map(|a| a.1.parse().ok()).collect();
        presented_to.dedup();
        out.insert(
            enrolment,
            trellis_domain::rules::progress::ProjectFact {
                starts,
                ends: trellis_domain::project::finished_on(&order, &recorded),
                stages_completed: recorded.iter().map(|r| r.stage).collect(),
                presented_to,
            },
        );
    }
    Ok(out)
}

/// The term calendar a project at this school is measured against: its trust's.
pub fn calendar_for(conn: &mut DbConn, school: &str) -> Result<trellis_domain::rules::TermCalendar, ApiError> {
    let trust: Option<Option<String>> = schools::table.find(school).select(schools::trust_id).first(conn).optional()?;
    match trust.flatten() {
        Some(t) => {
            Ok(crate::db::organisations::term_calendars(conn, std::slice::from_ref(&t))?.remove(&t).unwrap_or_default())
        }
        None => Ok(Default::default()),
    }
}

pub fn measure_count<A>(conn: &mut DbConn, p: &Allowed<LoadedProject, A>) -> Result<usize, ApiError> {
    let n: i64 = impact_measures::table.filter(impact_measures::project_id.eq(&p.row.id)).count().get_result(conn)?;
    Ok(n as usize)
}
