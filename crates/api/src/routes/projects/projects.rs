//! Projects: started for a team, kept by the team and its tutors, read by whoever may read one of
//! the team's enrolments.

use actix_web::{HttpResponse, get, post, put, web::Json, web::Path};
use chrono::NaiveDate;
use trellis_domain::authz::Action;
use trellis_domain::ids::{CohortId, EnrolmentId, MeasureId, ProjectId};
use trellis_domain::project::{FocusArea, ProjectPlan, check_plan, check_stage, stages};
use trellis_domain::rules::definition::{ProjectRule, ProjectSetting};
use trellis_wire::{
    CreateImpactMeasure, CreateProject, CreateProjectAction, CreateProjectPresentation, FieldError, Project,
    ProjectList, RecordImpactReading, RecordProjectStage, UpdateProject,
};
use uuid::Uuid;
use validator::Validate;

use crate::auth::{Bearer, Caller};
use crate::db::allowed::{self, Allowed, LoadedProject, enrolment, project};
use crate::db::{DbConn, cohorts, projects};
use crate::error::ApiError;
use crate::routes::{ReadErrors, State, WriteErrors};

/// The most impact measures one project keeps.
const MAX_MEASURES: usize = 20;

fn read_view<A>(conn: &mut DbConn, caller: &Caller, p: Allowed<LoadedProject, A>) -> Result<Project, ApiError> {
    let may_edit = p.may(caller, Action::Update);
    let calendar = projects::calendar_for(conn, &p.row.host_school_id)?;
    let readable = allowed::project::<project::Read>(conn, caller, p.id)?;
    projects::view(conn, &readable, may_edit, &calendar)
}

fn fault(field: &str, code: &str, message: impl Into<String>) -> FieldError {
    FieldError { field: field.into(), code: code.into(), message: message.into() }
}

/// 422 for these faults: `project_too_short` when that is among them (the programme's duration
/// rule has its own code), otherwise `validation_failed`.
fn refuse(errors: Vec<FieldError>) -> Result<(), ApiError> {
    if errors.is_empty() {
        return Ok(());
    }
    let code =
        if errors.iter().any(|e| e.code == "project_too_short") { "project_too_short" } else { "validation_failed" };
    Err(ApiError::invalid(code, errors))
}

fn not_in_future(field: &str, date: NaiveDate, today: NaiveDate) -> Option<FieldError> {
    (date > today).then(|| fault(field, "in_future", format!("{date} is after today ({today})")))
}

/// What both a new project and a change say, checked against the programme and the people named.
#[allow(clippy::too_many_arguments)]
fn check_fields(
    conn: &mut DbConn,
    rule: Option<&ProjectRule>,
    host_school: &str,
    cohort_facilitators: &[trellis_domain::ids::PersonId],
    focus: FocusArea,
    focus_detail: Option<&str>,
    sponsor: Option<Uuid>,
    tutor: Option<Uuid>,
    plan: &ProjectPlan,
) -> Result<Vec<FieldError>, ApiError> {
    let mut errors: Vec<FieldError> = crate::dates::check(&[("starts_on", plan.starts), ("ends_on", plan.ends)]);
    if !errors.is_empty() {
        return Ok(errors);
    }
    if focus == FocusArea::Other && focus_detail.is_none_or(|d| d.trim().is_empty()) {
        errors.push(fault("focus_detail", "required", "say what the project focuses on"));
    }
    if let Some(s) = sponsor
        && !projects::person_at_school(conn, s, host_school)?
    {
        errors.push(fault(
            "sponsor_person_id",
            "sponsor_not_at_host_school",
            "the senior sponsor is someone at the host school",
        ));
    }
    if let Some(t) = tutor
        && !cohort_facilitators.contains(&t.into())
    {
        errors.push(fault("tutor_person_id", "not_a_facilitator", "the tutor is one of the cohort's facilitators"));
    }
    let calendar = projects::calendar_for(conn, host_school)?;
    errors.extend(check_plan(rule, &calendar, plan).into_iter().map(FieldError::from));
    Ok(errors)
}

/// The cohort's projects the caller may read, each with its team and latest stage.
#[utoipa::path(
    operation_id = "list_projects",
    tag = "projects",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Cohort id")),
    responses((status = 200, body = ProjectList), ReadErrors)
)]
#[get("/cohorts/{id}/projects")]
pub async fn list_projects(state: State, caller: Bearer, id: Path<CohortId>) -> Result<Json<ProjectList>, ApiError> {
    let id = id.into_inner();
    let out = state
        .db
        .run_as(caller, move |conn, caller| {
            let cohort = allowed::cohort::<allowed::cohort::Read>(conn, &caller, id)?;
            // One programme for the whole cohort: its stage order is read once.
            let order = stages(cohorts::definition(conn, &id.to_string())?.project.as_ref());
            let items = allowed::projects_in(conn, &caller, &cohort)?
                .iter()
                .map(|p| projects::summary(conn, p, &order))
                .collect::<Result<_, _>>()?;
            Ok(ProjectList { items })
        })
        .await?;
    Ok(Json(out))
}

/// Starts a project for a team of the cohort's enrolments (a participant on the team, or a
/// facilitator). Refused with 422 `project_too_short` (the terms counted in the message) when the
/// dates cover fewer terms than the programme requires; `team_size_not_allowed`,
/// `host_school_mismatch` (a project in one's own school is at every member's school; one in
/// another school at none of theirs), `sponsor_not_at_host_school`, `not_a_facilitator` (the
/// tutor), `not_in_cohort`; 409 `already_on_a_project`, `enrolment_not_active`.
#[utoipa::path(
    operation_id = "create_project",
    tag = "projects",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Cohort id")),
    responses((status = 201, body = Project), WriteErrors)
)]
#[post("/cohorts/{id}/projects")]
pub async fn create_project(
    state: State,
    caller: Bearer,
    id: Path<CohortId>,
    body: Json<CreateProject>,
) -> Result<HttpResponse, ApiError> {
    let clock = state.clock;
    let cohort_id = id.into_inner();
    let body = body.into_inner();
    body.validate()?;
    let mut team: Vec<EnrolmentId> = body.team.iter().copied().map(EnrolmentId::from).collect();
    team.sort();
    team.dedup();
    let out = state
        .db
        .tx_as(caller, move |conn, caller| {
            let new = allowed::new_project(conn, &caller, cohort_id, &team)?;
            let definition = cohorts::definition(conn, &cohort_id.to_string())?;
            let Some(rule) = definition.project.as_ref() else {
                return Err(ApiError::field(
                    "no_project_in_programme",
                    "team",
                    "this cohort's programme has no work-based project",
                ));
            };
            for m in &new.team {
                let status = m.row.state()?.status;
                if !status.open_for_work() {
                    return Err(ApiError::conflict_on(
                        "enrolment_not_active",
                        "team",
                        format!("{} {}'s enrolment is {status}", m.person.0, m.person.1),
                    ));
                }
            }
            let taken = projects::already_on_a_project(conn, &new)?;
            if !taken.is_empty() {
                let list = taken.iter().map(Uuid::to_string).collect::<Vec<_>>().join(", ");
                return Err(ApiError::conflict_on(
                    "already_on_a_project",
                    "team",
                    format!("already on a project: {list}"),
                ));
            }
            let host = body.host_school_id.to_string();
            if projects::school_name(conn, body.host_school_id)?.is_none() {
                return Err(ApiError::field("unknown_school", "host_school_id", "no such school"));
            }
            let at_host = new.team.iter().filter(|m| m.facts.school.id.uuid() == body.host_school_id).count();
            let mismatch = match rule.setting {
                ProjectSetting::OwnSchool => at_host != new.team.len(),
                ProjectSetting::OtherSchool => at_host != 0,
            };
            let mut errors = vec![];
            if mismatch {
                errors.push(fault(
                    "host_school_id",
                    "host_school_mismatch",
                    match rule.setting {
                        ProjectSetting::OwnSchool => "this programme's project is in the team's own school",
                        ProjectSetting::OtherSchool => "this programme's project is in a school other than the team's",
                    },
                ));
            }
            let plan = ProjectPlan { starts: body.starts_on, ends: body.ends_on, members: new.team.len() };
            errors.extend(check_fields(
                conn,
                Some(rule),
                &host,
                &new.facts.cohort.facilitator_ids,
                body.focus_area,
                body.focus_detail.as_deref(),
                body.sponsor_person_id,
                body.tutor_person_id,
                &plan,
            )?);
            refuse(errors)?;
            let worksheet =
                body.worksheet.as_ref().map(serde_json::to_string).transpose().map_err(ApiError::internal)?;
            let fields = projects::ProjectFields {
                title: &body.title,
                focus_area: body.focus_area,
                focus_detail: body.focus_detail.as_deref(),
                sponsor: body.sponsor_person_id,
                tutor: body.tutor_person_id,
                starts_on: body.starts_on,
                ends_on: body.ends_on,
                worksheet,
            };
            let id = projects::insert(conn, &new, body.host_school_id, &fields, clock.now())?;
            let p = allowed::project::<project::Read>(conn, &caller, id.into())?;
            read_view(conn, &caller, p)
        })
        .await?;
    Ok(HttpResponse::Created().json(out))
}

/// A project, whole: team, stages, action log, impact measures with their readings, presentations.
#[utoipa::path(
    operation_id = "get_project",
    tag = "projects",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Project id")),
    responses((status = 200, body = Project), ReadErrors)
)]
#[get("/projects/{id}")]
pub async fn get_project(state: State, caller: Bearer, id: Path<ProjectId>) -> Result<Json<Project>, ApiError> {
    let id = id.into_inner();
    let out = state
        .db
        .run_as(caller, move |conn, caller| {
            let p = allowed::project::<project::Read>(conn, &caller, id)?;
            read_view(conn, &caller, p)
        })
        .await?;
    Ok(Json(out))
}

/// The project an enrolment is on (404 when it is on none).
#[utoipa::path(
    operation_id = "get_enrolment_project",
    tag = "projects",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Enrolment id")),
    responses((status = 200, body = Project), ReadErrors)
)]
#[get("/enrolments/{id}/project")]
pub async fn get_enrolment_project(
    state: State,
    caller: Bearer,
    id: Path<EnrolmentId>,
) -> Result<Json<Project>, ApiError> {
    let id = id.into_inner();
    let out = state
        .db
        .run_as(caller, move |conn, caller| {
            let target = allowed::enrolment::<enrolment::Read>(conn, &caller, id)?;
            let project = projects::of_enrolment(conn, &target)?.ok_or_else(|| ApiError::not_found("project"))?;
            let p = allowed::project::<project::Read>(conn, &caller, project.into())?;
            read_view(conn, &caller, p)
        })
        .await?;
    Ok(Json(out))
}

/// Changes what the project says about itself (its team and host school stay), checked as when it
/// was started.
#[utoipa::path(
    operation_id = "update_project",
    tag = "projects",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Project id")),
    responses((status = 200, body = Project), WriteErrors)
)]
#[put("/projects/{id}")]
pub async fn update_project(
    state: State,
    caller: Bearer,
    id: Path<ProjectId>,
    body: Json<UpdateProject>,
) -> Result<Json<Project>, ApiError> {
    let clock = state.clock;
    let id = id.into_inner();
    let body = body.into_inner();
    body.validate()?;
    let out = state
        .db
        .tx_as(caller, move |conn, caller| {
            let p = allowed::project::<project::Edit>(conn, &caller, id)?;
            let definition = cohorts::definition(conn, &p.row.cohort_id)?;
            let plan = ProjectPlan { starts: body.starts_on, ends: body.ends_on, members: p.team.len() };
            let mut errors = check_fields(
                conn,
                definition.project.as_ref(),
                &p.row.host_school_id.clone(),
                &p.facts.cohort.facilitator_ids,
                body.focus_area,
                body.focus_detail.as_deref(),
                body.sponsor_person_id,
                body.tutor_person_id,
                &plan,
            )?;
            let recorded = projects::stage_records(conn, &p)?;
            if let Some(first) = recorded.iter().map(|r| r.completed_on).min()
                && first < body.starts_on
            {
                errors.push(fault(
                    "starts_on",
                    "stage_before_project",
                    format!("a stage was completed on {first}; the project cannot start after it"),
                ));
            }
            refuse(errors)?;
            let worksheet =
                body.worksheet.as_ref().map(serde_json::to_string).transpose().map_err(ApiError::internal)?;
            let fields = projects::ProjectFields {
                title: &body.title,
                focus_area: body.focus_area,
                focus_detail: body.focus_detail.as_deref(),
                sponsor: body.sponsor_person_id,
                tutor: body.tutor_person_id,
                starts_on: body.starts_on,
                ends_on: body.ends_on,
                worksheet,
            };
            projects::update(conn, &p, &fields, clock.now())?;
            read_view(conn, &caller, p)
        })
        .await?;
    Ok(Json(out))
}

/// Records a stage as completed, with its date and a short account (again: replaces them).
/// Stages go in the programme's order (`stage_out_of_order`, `stage_not_in_programme`), none before
/// the project starts (`stage_before_project`) or after today (`date_in_future`).
#[utoipa::path(
    operation_id = "record_project_stage",
    tag = "projects",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Project id")),
    responses((status = 200, body = Project), WriteErrors)
)]
#[post("/projects/{id}/stages")]
pub async fn record_project_stage(
    state: State,
    caller: Bearer,
    id: Path<ProjectId>,
    body: Json<RecordProjectStage>,
) -> Result<Json<Project>, ApiError> {
    let clock = state.clock;
    let id = id.into_inner();
    let body = body.into_inner();
    body.validate()?;
    crate::dates::require(&[("completed_on", body.completed_on)])?;
    let out = state
        .db
        .tx_as(caller, move |conn, caller| {
            let p = allowed::project::<project::Edit>(conn, &caller, id)?;
            if let Some(e) = not_in_future("completed_on", body.completed_on, clock.today()) {
                return Err(ApiError::invalid("validation_failed", vec![e]));
            }
            let definition = cohorts::definition(conn, &p.row.cohort_id)?;
            let order = stages(definition.project.as_ref());
            let recorded = projects::stage_records(conn, &p)?;
            check_stage(&order, p.row.starts_on, &recorded, body.stage, body.completed_on)
                .map_err(|f| ApiError::field(f.code, "stage", f.message))?;
            let user = caller.user_uuid()?;
            projects::record_stage(conn, &p, user, body.stage, body.completed_on, &body.account, clock.now())?;
            read_view(conn, &caller, p)
        })
        .await?;
    Ok(Json(out))
}

/// Adds an entry to the action log (what was done, on a day up to today).
#[utoipa::path(
    operation_id = "create_project_action",
    tag = "projects",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Project id")),
    responses((status = 201, body = Project), WriteErrors)
)]
#[post("/projects/{id}/actions")]
pub async fn create_project_action(
    state: State,
    caller: Bearer,
    id: Path<ProjectId>,
    body: Json<CreateProjectAction>,
) -> Result<HttpResponse, ApiError> {
    let clock = state.clock;
    let id = id.into_inner();
    let body = body.into_inner();
    body.validate()?;
    crate::dates::require(&[("taken_on", body.taken_on)])?;
    let out = state
        .db
        .tx_as(caller, move |conn, caller| {
            let p = allowed::project::<project::Edit>(conn, &caller, id)?;
            if let Some(e) = not_in_future("taken_on", body.taken_on, clock.today()) {
                return Err(ApiError::invalid("validation_failed", vec![e]));
            }
            projects::add_action(conn, &p, caller.user_uuid()?, body.taken_on, &body.description, clock.now())?;
            read_view(conn, &caller, p)
        })
        .await?;
    Ok(HttpResponse::Created().json(out))
}

/// Adds an impact measure: what is measured, its unit, the baseline (with its date) and the target.
#[utoipa::path(
    operation_id = "create_impact_measure",
    tag = "projects",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Project id")),
    responses((status = 201, body = Project), WriteErrors)
)]
#[post("/projects/{id}/measures")]
pub async fn create_impact_measure(
    state: State,
    caller: Bearer,
    id: Path<ProjectId>,
    body: Json<CreateImpactMeasure>,
) -> Result<HttpResponse, ApiError> {
    let clock = state.clock;
    let id = id.into_inner();
    let body = body.into_inner();
    body.validate()?;
    crate::dates::require(&[("baseline_on", body.baseline_on)])?;
    let out = state
        .db
        .tx_as(caller, move |conn, caller| {
            let p = allowed::project::<project::Edit>(conn, &caller, id)?;
            if let Some(e) = not_in_future("baseline_on", body.baseline_on, clock.today()) {
                return Err(ApiError::invalid("validation_failed", vec![e]));
            }
            if body.baseline == body.target {
                return Err(ApiError::field("target_is_baseline", "target", "the target differs from the baseline"));
            }
            if projects::measure_count(conn, &p)? >= MAX_MEASURES {
                return Err(ApiError::conflict(
                    "too_many_measures",
                    format!("a project keeps at most {MAX_MEASURES} impact measures"),
                ));
            }
            projects::add_measure(conn, &p, &body, clock.now())?;
            read_view(conn, &caller, p)
        })
        .await?;
    Ok(HttpResponse::Created().json(out))
}

/// Records a reading of an impact measure, dated from its baseline to today; a second reading on
/// the same day replaces the first.
#[utoipa::path(
    operation_id = "record_impact_reading",
    tag = "projects",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Impact measure id")),
    responses((status = 200, body = Project), WriteErrors)
)]
#[post("/impact-measures/{id}/readings")]
pub async fn record_impact_reading(
    state: State,
    caller: Bearer,
    id: Path<MeasureId>,
    body: Json<RecordImpactReading>,
) -> Result<Json<Project>, ApiError> {
    let clock = state.clock;
    let id = id.into_inner();
    let body = body.into_inner();
    body.validate()?;
    crate::dates::require(&[("taken_on", body.taken_on)])?;
    let out = state
        .db
        .tx_as(caller, move |conn, caller| {
            let (p, measure) = allowed::measure::<project::Edit>(conn, &caller, id)?;
            if let Some(e) = not_in_future("taken_on", body.taken_on, clock.today()) {
                return Err(ApiError::invalid("validation_failed", vec![e]));
            }
            if body.taken_on < measure.baseline_on {
                return Err(ApiError::field(
                    "reading_before_baseline",
                    "taken_on",
                    format!("the baseline was taken on {}; readings come after it", measure.baseline_on),
                ));
            }
            projects::record_reading(conn, &p, &measure, caller.user_uuid()?, &body, clock.now())?;
            read_view(conn, &caller, p)
        })
        .await?;
    Ok(Json(out))
}

/// Records the outcomes presented to an audience (staff, senior team, governors), with the next
/// steps agreed; dated from the project's start to today.
#[utoipa::path(
    operation_id = "create_project_presentation",
    tag = "projects",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Project id")),
    responses((status = 201, body = Project), WriteErrors)
)]
#[post("/projects/{id}/presentations")]
pub async fn create_project_presentation(
    state: State,
    caller: Bearer,
    id: Path<ProjectId>,
    body: Json<CreateProjectPresentation>,
) -> Result<HttpResponse, ApiError> {
    let clock = state.clock;
    let id = id.into_inner();
    let body = body.into_inner();
    body.validate()?;
    crate::dates::require(&[("presented_on", body.presented_on)])?;
    let out = state
        .db
        .tx_as(caller, move |conn, caller| {
            let p = allowed::project::<project::Edit>(conn, &caller, id)?;
            if let Some(e) = not_in_future("presented_on", body.presented_on, clock.today()) {
                return Err(ApiError::invalid("validation_failed", vec![e]));
            }
            if body.presented_on < p.row.starts_on {
                return Err(ApiError::field(
                    "presentation_before_project",
                    "presented_on",
                    format!("the project starts on {}", p.row.starts_on),
                ));
            }
            projects::add_presentation(conn, &p, caller.user_uuid()?, &body, clock.now())?;
            read_view(conn, &caller, p)
        })
        .await?;
    Ok(HttpResponse::Created().json(out))
}
